/* nnc_rt.h - run models compiled by nnc.
 *
 * A model is a shared library produced by `nnc-compile --emit=shared` (or an
 * object linked into the application, see nnc_model_load_static). Load it once,
 * ask for its inputs and outputs, and run it as often as needed:
 *
 *   nnc_model_t* model = NULL;
 *   nnc_status_t status = nnc_model_load_file("digits.so", &model);
 *   if (status) { fprintf(stderr, "%s\n", nnc_status_message(status));
 *                 nnc_status_free(status); return 1; }
 *   nnc_tensor_view_t in = {pixels, NNC_DTYPE_FLOAT32, 4, shape, sizeof pixels};
 *   nnc_tensor_view_t out = {logits, NNC_DTYPE_FLOAT32, 2, out_shape, sizeof logits};
 *   status = nnc_model_run(model, &in, 1, &out, 1);
 *   ...
 *   nnc_model_release(model);
 *
 * Errors: every fallible call returns an nnc_status_t; NULL means success, and
 * a non-NULL status carries a message and must be freed with nnc_status_free.
 * Results come back only through out_ parameters. Nothing aborts the process.
 *
 * Thread safety: a loaded model is immutable. nnc_model_run may be called on
 * the same model from several threads at once, each with its own output
 * buffers. Load and release are not concurrent with runs of the same model.
 *
 * Memory: a model's intermediate tensors live in one workspace whose size the
 * compiler fixes. The model keeps one workspace between runs, so a run does
 * not allocate it again; runs that overlap in time each get their own.
 *
 * The runtime depends only on libc, libdl, libm and pthreads (and, for CUDA
 * models, on the NVIDIA driver it finds at run time).
 */
#ifndef NNC_RT_NNC_RT_H_
#define NNC_RT_NNC_RT_H_

#include <stddef.h>
#include <stdint.h>

#include "nnc_rt/kernel_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NNC_API __attribute__((visibility("default")))
#else
#define NNC_API
#endif

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

/* NULL == OK. Owned by the caller; free with nnc_status_free. */
typedef struct nnc_status_s* nnc_status_t;

/* The message of a status ("" for NULL). Valid until the status is freed. */
NNC_API const char* nnc_status_message(nnc_status_t status);
/* Frees a status; NULL is allowed. */
NNC_API void nnc_status_free(nnc_status_t status);

/* ------------------------------------------------------------------------ */
/* Tensors                                                                  */
/* ------------------------------------------------------------------------ */

typedef nnc_kernel_dtype_t nnc_dtype_t;
#define NNC_DTYPE_FLOAT32 NNC_KERNEL_DTYPE_FLOAT32
#define NNC_DTYPE_UINT8 NNC_KERNEL_DTYPE_UINT8
#define NNC_DTYPE_INT8 NNC_KERNEL_DTYPE_INT8
#define NNC_DTYPE_INT32 NNC_KERNEL_DTYPE_INT32
#define NNC_DTYPE_INT64 NNC_KERNEL_DTYPE_INT64
#define NNC_DTYPE_BOOL NNC_KERNEL_DTYPE_BOOL
#define NNC_DTYPE_FLOAT16 NNC_KERNEL_DTYPE_FLOAT16
#define NNC_DTYPE_FLOAT64 NNC_KERNEL_DTYPE_FLOAT64
#define NNC_DTYPE_BFLOAT16 NNC_KERNEL_DTYPE_BFLOAT16

/* Bytes per element of a dtype (0 if unknown). */
NNC_API size_t nnc_dtype_size(nnc_dtype_t dtype);
/* "float32", "int64", ... ("unknown" otherwise). */
NNC_API const char* nnc_dtype_name(nnc_dtype_t dtype);

/* What a model expects of one input or produces as one output. Strings and
 * arrays are owned by the model and live as long as it. */
typedef struct nnc_tensor_info_t {
  const char* name;
  nnc_dtype_t dtype;
  int32_t rank;
  const int64_t* shape;
  size_t byte_size; /* dense row-major size */
} nnc_tensor_info_t;

/* A caller-owned dense row-major buffer with its type and shape. The runtime
 * checks dtype, rank, shape and byte_size against the model before running. */
typedef struct nnc_tensor_view_t {
  void* data;
  nnc_dtype_t dtype;
  int32_t rank;
  const int64_t* shape;
  size_t byte_size;
} nnc_tensor_view_t;

/* ------------------------------------------------------------------------ */
/* Models                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct nnc_model_s nnc_model_t;

/* Loads a model from a shared library (dlopen). The model owns the library
 * handle and closes it on release. */
NNC_API nnc_status_t nnc_model_load_file(const char* path, nnc_model_t** out_model);
/* Wraps a model linked into the program: pass its nnc_model_v0 function. */
NNC_API nnc_status_t nnc_model_load_static(nnc_kernel_model_fn_v0_t model_fn,
                                           nnc_model_t** out_model);
/* Releases a model; NULL is allowed. */
NNC_API void nnc_model_release(nnc_model_t* model);

/* Sets how many threads a run of this model uses: the calling thread plus
 * num_threads - 1 workers the model starts now and owns (1, the default, starts
 * none and runs everything on the caller). At most 256. Not to be called while
 * the model runs. Runs that overlap in time share the workers: one of them
 * gets the workers for a parallel loop, the others run that loop on their own
 * thread. */
NNC_API nnc_status_t nnc_model_set_num_threads(nnc_model_t* model, int num_threads);

NNC_API size_t nnc_model_input_count(const nnc_model_t* model);
NNC_API size_t nnc_model_output_count(const nnc_model_t* model);
NNC_API nnc_status_t nnc_model_input_info(const nnc_model_t* model, size_t index,
                                          nnc_tensor_info_t* out_info);
NNC_API nnc_status_t nnc_model_output_info(const nnc_model_t* model, size_t index,
                                           nnc_tensor_info_t* out_info);

/* Runs the model with caller-owned buffers. Inputs and outputs are matched by
 * position; every view must match the model's info exactly (dtype, rank,
 * shape, byte_size at least the info's), data must be non-NULL and aligned to
 * the element size, and output buffers must not overlap inputs or each other.
 * Each violation is an error status naming the tensor; nothing is written on
 * error. */
NNC_API nnc_status_t nnc_model_run(const nnc_model_t* model, const nnc_tensor_view_t* inputs,
                                   size_t input_count, const nnc_tensor_view_t* outputs,
                                   size_t output_count);

/* Where a model runs. A CUDA model (nnc-compile --target=cuda) opens the GPU
 * when it is loaded: device NNC_CUDA_DEVICE (default 0), through the driver's
 * libcuda.so.1, opened at the first CUDA model (nothing links CUDA). Loading
 * fails with a status saying why when there is no driver or no GPU. Its runs
 * copy the inputs to the GPU and the outputs back; runs of one CUDA model
 * take turns. */
typedef enum nnc_device_e { NNC_DEVICE_CPU = 0, NNC_DEVICE_CUDA = 1 } nnc_device_t;
NNC_API nnc_device_t nnc_model_device(const nnc_model_t* model);

/* NULL when a CUDA device is usable, else a status saying why not. */
NNC_API nnc_status_t nnc_cuda_device_status(void);

/* Runs a CUDA model on tensors already in device memory: each view's data is
 * a CUdeviceptr (as a pointer) on the model's device, and nothing is copied.
 * Returns when the results are in the outputs. Checks as nnc_model_run. */
NNC_API nnc_status_t nnc_model_run_device(const nnc_model_t* model,
                                          const nnc_tensor_view_t* inputs, size_t input_count,
                                          const nnc_tensor_view_t* outputs, size_t output_count);

/* Runs the model into buffers the runtime allocates: out_buffers[i] receives
 * output i (nnc_model_output_info gives its size). The caller owns them and
 * frees each with nnc_buffer_free. On error none are allocated. */
NNC_API nnc_status_t nnc_model_run_allocating_outputs(const nnc_model_t* model,
                                                      const nnc_tensor_view_t* inputs,
                                                      size_t input_count, void** out_buffers,
                                                      size_t output_count);
/* Frees a buffer from nnc_model_run_allocating_outputs; NULL is allowed. */
NNC_API void nnc_buffer_free(void* buffer);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NNC_RT_NNC_RT_H_ */

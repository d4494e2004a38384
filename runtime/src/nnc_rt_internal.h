/* nnc_rt_internal.h - what the runtime's C files share; not installed. */
#ifndef NNC_RT_INTERNAL_H_
#define NNC_RT_INTERNAL_H_

#include "nnc_rt/nnc_rt.h"

/* A status with a printf-formatted message. */
nnc_status_t nnc_rt_status(const char* format, ...) __attribute__((format(printf, 1, 2)));

/* A CUDA model's device state: its GPU context and stream, device buffers
 * for the inputs, outputs and workspace, loaded kernel images and uploaded
 * constants (nnc_rt_cuda.c). */
typedef struct nnc_cuda_model_s nnc_cuda_model_t;

/* Whether a CUDA device is usable: NULL, or why not. */
nnc_status_t nnc_rt_cuda_check(void);
/* Opens the GPU for a model (`origin` names it in errors). */
nnc_status_t nnc_rt_cuda_model_create(const nnc_kernel_model_v0_t* kernel,
                                      const size_t* input_bytes, const size_t* output_bytes,
                                      const char* origin, nnc_cuda_model_t** out_model);
void nnc_rt_cuda_model_destroy(nnc_cuda_model_t* model);
/* One run; `data` holds the inputs' then the outputs' pointers, host memory
 * unless `device_pointers`. Runs of one model are serialized. */
nnc_status_t nnc_rt_cuda_model_run(nnc_cuda_model_t* model, void* const* data, int device_pointers);

#endif /* NNC_RT_INTERNAL_H_ */

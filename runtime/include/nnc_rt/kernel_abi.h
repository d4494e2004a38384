/* kernel_abi.h - the contract between nnc-generated code and the runtime.
 *
 * This header is the only thing generated code and runtime share. A compiled
 * model (shared library, object or static archive) exports one symbol,
 *
 *   const nnc_kernel_model_v0_t* nnc_model_v0(void);
 *
 * which describes the model and points at its entry function. The layout is
 * versioned: a runtime refuses a model whose abi_version it does not know.
 * Emitted by lib/Target/CPU/KernelABI.cpp, read by runtime/src/nnc_rt.c.
 */
#ifndef NNC_RT_KERNEL_ABI_H_
#define NNC_RT_KERNEL_ABI_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NNC_KERNEL_ABI_VERSION_0 0u
#define NNC_KERNEL_MODEL_SYMBOL_V0 "nnc_model_v0"

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum nnc_kernel_dtype_e {
  NNC_KERNEL_DTYPE_FLOAT32 = 1,
  NNC_KERNEL_DTYPE_UINT8 = 2,
  NNC_KERNEL_DTYPE_INT8 = 3,
  NNC_KERNEL_DTYPE_INT32 = 6,
  NNC_KERNEL_DTYPE_INT64 = 7,
  NNC_KERNEL_DTYPE_BOOL = 9,
  NNC_KERNEL_DTYPE_FLOAT16 = 10,
  NNC_KERNEL_DTYPE_FLOAT64 = 11,
  NNC_KERNEL_DTYPE_BFLOAT16 = 16,
} nnc_kernel_dtype_t;

/* One input or output: its ONNX name, element type and static shape. Tensors
 * are dense, row-major; bool is one byte per element. */
typedef struct nnc_kernel_tensor_v0_t {
  const char* name;
  int32_t dtype; /* nnc_kernel_dtype_t */
  int32_t rank;
  const int64_t* shape; /* rank entries */
} nnc_kernel_tensor_v0_t;

/* Where a model's code runs. */
typedef enum nnc_kernel_device_e {
  NNC_KERNEL_DEVICE_CPU = 0,
  NNC_KERNEL_DEVICE_CUDA = 1, /* PTX kernels and host code that drives them */
} nnc_kernel_device_t;

/* What a CUDA model's host code calls, lent by the runtime for one run. Each
 * function takes `context` first, then the arguments of the MLIR CUDA runtime
 * wrapper of the same name (mlir/lib/ExecutionEngine/CudaRuntimeWrappers.cpp),
 * which upstream's gpu-to-llvm lowering calls. Pointers to device memory are
 * CUdeviceptr values. Functions report failures through the context (the
 * runtime turns the first into the run's error status) and return NULL.
 * Order and types must match lib/Target/CUDA/HostABI.cpp. */
typedef struct nnc_kernel_cuda_v0_t {
  void* context;
  /* The loaded module of a NUL-terminated PTX image (cached per image). */
  void* (*module_load_jit)(void* context, const void* ptx, int32_t opt_level);
  void* (*module_get_function)(void* context, void* module, const char* name);
  void (*launch_kernel)(void* context, void* function, int64_t grid_x, int64_t grid_y,
                        int64_t grid_z, int64_t block_x, int64_t block_y, int64_t block_z,
                        int32_t shared_bytes, void* stream, void** params, void** extra,
                        int64_t num_params);
  /* The run's stream; all work of a run is queued on it, in order. */
  void* (*stream_create)(void* context);
  void (*stream_synchronize)(void* context, void* stream);
  void (*stream_destroy)(void* context, void* stream);
  void* (*mem_alloc)(void* context, uint64_t bytes, void* stream, uint8_t host_shared);
  void (*mem_free)(void* context, void* device_ptr, void* stream);
  void (*memcpy)(void* context, void* dst, void* src, uint64_t bytes, void* stream);
  /* The device copy of `bytes` bytes of constant host data (weights),
   * uploaded at the first call and kept for the model's lifetime. */
  void* (*device_constant)(void* context, const void* host, uint64_t bytes);
} nnc_kernel_cuda_v0_t;

/* One chunk of a parallel loop: iterations [begin, end) of the task. */
typedef void (*nnc_kernel_task_fn_v0_t)(void* task_context, int64_t begin, int64_t end);

/* What the runtime lends a run: a way to split a loop of `count` iterations
 * across its threads (it may also run them on the calling thread), and scratch
 * memory of the model's workspace_size bytes (64-byte aligned, NULL when the
 * size is 0). parallel_for returns when every iteration has run. For a CUDA
 * model the workspace, inputs and outputs are device memory, `cuda` is set,
 * and the run only queues work on its stream: the runtime waits for it. */
typedef struct nnc_kernel_env_v0_t {
  void (*parallel_for)(void* pool, int64_t count, nnc_kernel_task_fn_v0_t task, void* task_context);
  void* pool;
  void* workspace;
  const nnc_kernel_cuda_v0_t* cuda; /* NULL for CPU models */
} nnc_kernel_env_v0_t;

/* Runs the model: reads inputs[i] (num_inputs dense buffers) and writes
 * outputs[i]. Buffers must not overlap. Safe to call from several threads at
 * once with distinct output buffers and workspaces: generated code keeps no
 * global state. */
typedef void (*nnc_kernel_run_fn_v0_t)(void* const* inputs, void* const* outputs,
                                       const nnc_kernel_env_v0_t* env);

typedef struct nnc_kernel_model_v0_t {
  uint32_t abi_version; /* NNC_KERNEL_ABI_VERSION_0 */
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t device; /* nnc_kernel_device_t */
  const nnc_kernel_tensor_v0_t* inputs;
  const nnc_kernel_tensor_v0_t* outputs;
  nnc_kernel_run_fn_v0_t run;
  const char* producer;    /* "nnc <version>" */
  uint64_t workspace_size; /* bytes of nnc_kernel_env_v0_t.workspace a run needs */
} nnc_kernel_model_v0_t;

/* The layout generated code relies on (LP64). */
#if defined(__cplusplus)
static_assert(sizeof(nnc_kernel_tensor_v0_t) == 24, "nnc_kernel_tensor_v0_t layout");
static_assert(sizeof(nnc_kernel_model_v0_t) == 56, "nnc_kernel_model_v0_t layout");
#else
_Static_assert(sizeof(nnc_kernel_tensor_v0_t) == 24, "nnc_kernel_tensor_v0_t layout");
_Static_assert(sizeof(nnc_kernel_model_v0_t) == 56, "nnc_kernel_model_v0_t layout");
#endif

typedef const nnc_kernel_model_v0_t* (*nnc_kernel_model_fn_v0_t)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NNC_RT_KERNEL_ABI_H_ */

/* nnc_rt_cuda.c - running CUDA models through the driver API.
 *
 * libcuda.so.1 is opened with dlopen at the first CUDA model, never linked:
 * the runtime builds and runs CPU models on machines without CUDA, and a
 * CUDA model on a machine without a driver or GPU fails to load with a
 * status that says so. Only the driver API is used (no cudart), through the
 * few entry points below.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nnc_rt_internal.h"

typedef int CUresult; /* 0 == CUDA_SUCCESS */
typedef int CUdevice;
typedef void* CUcontext;
typedef void* CUstream;
typedef void* CUmodule;
typedef void* CUfunction;
typedef unsigned long long CUdeviceptr;

#define CUDA_ERROR_STUB_LIBRARY 34
#define CU_JIT_ERROR_LOG_BUFFER 5
#define CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES 6
#define CU_STREAM_NON_BLOCKING 1

/* The driver entry points, by their versioned symbol names. */
static struct {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int*);
  CUresult (*cuDeviceGet)(CUdevice*, int);
  CUresult (*cuDeviceGetName)(char*, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext*, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxPushCurrent)(CUcontext);
  CUresult (*cuCtxPopCurrent)(CUcontext*);
  CUresult (*cuStreamCreate)(CUstream*, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuMemAlloc)(CUdeviceptr*, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemAllocAsync)(CUdeviceptr*, size_t, CUstream);
  CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void*, size_t);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void*, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void*, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuModuleLoadDataEx)(CUmodule*, const void*, unsigned, int*, void**);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction*, CUmodule, const char*);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                             unsigned, CUstream, void**, void**);
  CUresult (*cuGetErrorName)(CUresult, const char**);
} cu;

static pthread_once_t driver_once = PTHREAD_ONCE_INIT;
static char driver_error[400]; /* empty when the driver loaded */

static void load_driver(void) {
  void* library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    snprintf(driver_error, sizeof driver_error, "no CUDA driver: cannot open libcuda.so.1 (%s)",
             dlerror());
    return;
  }
  struct {
    void** slot;
    const char* name;
  } symbols[] = {
#define NNC_CU_SYMBOL(field, name) {(void**)&cu.field, name}
      NNC_CU_SYMBOL(cuInit, "cuInit"),
      NNC_CU_SYMBOL(cuDeviceGetCount, "cuDeviceGetCount"),
      NNC_CU_SYMBOL(cuDeviceGet, "cuDeviceGet"),
      NNC_CU_SYMBOL(cuDeviceGetName, "cuDeviceGetName"),
      NNC_CU_SYMBOL(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"),
      NNC_CU_SYMBOL(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2"),
      NNC_CU_SYMBOL(cuCtxPushCurrent, "cuCtxPushCurrent_v2"),
      NNC_CU_SYMBOL(cuCtxPopCurrent, "cuCtxPopCurrent_v2"),
      NNC_CU_SYMBOL(cuStreamCreate, "cuStreamCreate"),
      NNC_CU_SYMBOL(cuStreamDestroy, "cuStreamDestroy_v2"),
      NNC_CU_SYMBOL(cuStreamSynchronize, "cuStreamSynchronize"),
      NNC_CU_SYMBOL(cuMemAlloc, "cuMemAlloc_v2"),
      NNC_CU_SYMBOL(cuMemFree, "cuMemFree_v2"),
      NNC_CU_SYMBOL(cuMemAllocAsync, "cuMemAllocAsync"),
      NNC_CU_SYMBOL(cuMemFreeAsync, "cuMemFreeAsync"),
      NNC_CU_SYMBOL(cuMemcpyHtoD, "cuMemcpyHtoD_v2"),
      NNC_CU_SYMBOL(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2"),
      NNC_CU_SYMBOL(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2"),
      NNC_CU_SYMBOL(cuMemcpyAsync, "cuMemcpyAsync"),
      NNC_CU_SYMBOL(cuModuleLoadDataEx, "cuModuleLoadDataEx"),
      NNC_CU_SYMBOL(cuModuleUnload, "cuModuleUnload"),
      NNC_CU_SYMBOL(cuModuleGetFunction, "cuModuleGetFunction"),
      NNC_CU_SYMBOL(cuLaunchKernel, "cuLaunchKernel"),
      NNC_CU_SYMBOL(cuGetErrorName, "cuGetErrorName"),
#undef NNC_CU_SYMBOL
  };
  for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; ++i) {
    *symbols[i].slot = dlsym(library, symbols[i].name);
    if (!*symbols[i].slot) {
      snprintf(driver_error, sizeof driver_error,
               "the CUDA driver (libcuda.so.1) is too old: it lacks %s", symbols[i].name);
      return;
    }
  }
  CUresult result = cu.cuInit(0);
  int count = 0;
  if (result == CUDA_ERROR_STUB_LIBRARY)
    snprintf(driver_error, sizeof driver_error,
             "no CUDA driver: libcuda.so.1 is the CUDA toolkit's stub library");
  else if (result != 0)
    snprintf(driver_error, sizeof driver_error, "no usable CUDA device: cuInit failed (error %d)",
             result);
  else if (cu.cuDeviceGetCount(&count) != 0 || count == 0)
    snprintf(driver_error, sizeof driver_error, "no CUDA device found");
}

static const char* error_name(CUresult result) {
  const char* name = NULL;
  if (cu.cuGetErrorName && cu.cuGetErrorName(result, &name) == 0 && name) return name;
  return "unknown CUDA error";
}

nnc_status_t nnc_rt_cuda_check(void) {
  pthread_once(&driver_once, load_driver);
  if (driver_error[0]) return nnc_rt_status("nnc: %s", driver_error);
  return NULL;
}

typedef struct {
  const void* host;
  CUdeviceptr device;
} nnc_constant_t;

typedef struct {
  const void* image;
  CUmodule module;
} nnc_image_t;

struct nnc_cuda_model_s {
  nnc_kernel_cuda_v0_t table; /* lent to every run; table.context is this model */
  const nnc_kernel_model_v0_t* kernel;
  const size_t* input_bytes;
  const size_t* output_bytes;
  char origin[200];
  pthread_mutex_t lock; /* runs of a model take turns: they share its buffers */
  CUdevice device;
  CUcontext context;
  CUstream stream;
  CUdeviceptr* buffers; /* inputs then outputs */
  CUdeviceptr workspace;
  nnc_image_t images[4];
  size_t num_images;
  nnc_constant_t* constants;
  size_t num_constants, constants_capacity;
  char error[400]; /* the first failure of the current run */
};

/* Records the first failure of a run. */
static void fail(nnc_cuda_model_t* model, const char* what, CUresult result) {
  if (!model->error[0])
    snprintf(model->error, sizeof model->error, "%s failed: %s", what, error_name(result));
}

/* ---- The table generated host code calls (kernel_abi.h). ---- */

static void* table_module_load_jit(void* context, const void* ptx, int32_t opt_level) {
  (void)opt_level;
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  for (size_t i = 0; i < model->num_images; ++i)
    if (model->images[i].image == ptx) return model->images[i].module;
  if (model->num_images == sizeof model->images / sizeof model->images[0]) {
    if (!model->error[0]) snprintf(model->error, sizeof model->error, "too many kernel images");
    return NULL;
  }
  char log[4096] = "";
  int options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void* values[] = {log, (void*)(size_t)sizeof log};
  CUmodule module = NULL;
  CUresult result = cu.cuModuleLoadDataEx(&module, ptx, 2, options, values);
  if (result != 0) {
    if (!model->error[0])
      snprintf(model->error, sizeof model->error, "loading the kernels failed: %s: %.300s",
               error_name(result), log);
    return NULL;
  }
  model->images[model->num_images].image = ptx;
  model->images[model->num_images++].module = module;
  return module;
}

static void* table_module_get_function(void* context, void* module, const char* name) {
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  CUfunction function = NULL;
  if (!module) return NULL; /* loading failed and was recorded */
  CUresult result = cu.cuModuleGetFunction(&function, (CUmodule)module, name);
  if (result != 0) fail(model, "cuModuleGetFunction", result);
  return function;
}

static void table_launch_kernel(void* context, void* function, int64_t grid_x, int64_t grid_y,
                                int64_t grid_z, int64_t block_x, int64_t block_y, int64_t block_z,
                                int32_t shared_bytes, void* stream, void** params, void** extra,
                                int64_t num_params) {
  (void)num_params;
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  if (!function || model->error[0]) return;
  CUresult result =
      cu.cuLaunchKernel((CUfunction)function, (unsigned)grid_x, (unsigned)grid_y, (unsigned)grid_z,
                        (unsigned)block_x, (unsigned)block_y, (unsigned)block_z,
                        (unsigned)shared_bytes, (CUstream)stream, params, extra);
  if (result != 0) fail(model, "launching a kernel", result);
}

static void* table_stream_create(void* context) { return ((nnc_cuda_model_t*)context)->stream; }

/* The run waits for its stream once, at the end. */
static void table_stream_synchronize(void* context, void* stream) {
  (void)context;
  (void)stream;
}

static void table_stream_destroy(void* context, void* stream) {
  (void)context;
  (void)stream;
}

static void* table_mem_alloc(void* context, uint64_t bytes, void* stream, uint8_t host_shared) {
  (void)host_shared;
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  CUdeviceptr pointer = 0;
  CUresult result = cu.cuMemAllocAsync(&pointer, bytes ? bytes : 1, (CUstream)stream);
  if (result != 0) fail(model, "cuMemAllocAsync", result);
  return (void*)(uintptr_t)pointer;
}

static void table_mem_free(void* context, void* pointer, void* stream) {
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  if (!pointer) return;
  CUresult result = cu.cuMemFreeAsync((CUdeviceptr)(uintptr_t)pointer, (CUstream)stream);
  if (result != 0) fail(model, "cuMemFreeAsync", result);
}

static void table_memcpy(void* context, void* dst, void* src, uint64_t bytes, void* stream) {
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  if (!bytes) return;
  CUresult result = cu.cuMemcpyAsync((CUdeviceptr)(uintptr_t)dst, (CUdeviceptr)(uintptr_t)src,
                                     bytes, (CUstream)stream);
  if (result != 0) fail(model, "cuMemcpyAsync", result);
}

static void* table_device_constant(void* context, const void* host, uint64_t bytes) {
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)context;
  for (size_t i = 0; i < model->num_constants; ++i)
    if (model->constants[i].host == host) return (void*)(uintptr_t)model->constants[i].device;
  if (model->num_constants == model->constants_capacity) {
    size_t capacity = model->constants_capacity ? 2 * model->constants_capacity : 64;
    nnc_constant_t* grown =
        (nnc_constant_t*)realloc(model->constants, capacity * sizeof(nnc_constant_t));
    if (!grown) {
      if (!model->error[0]) snprintf(model->error, sizeof model->error, "out of memory");
      return NULL;
    }
    model->constants = grown;
    model->constants_capacity = capacity;
  }
  CUdeviceptr device = 0;
  CUresult result = cu.cuMemAlloc(&device, bytes ? bytes : 1);
  if (result == 0 && bytes) result = cu.cuMemcpyHtoD(device, host, bytes);
  if (result != 0) {
    if (device) cu.cuMemFree(device);
    fail(model, "uploading a constant", result);
    return NULL;
  }
  model->constants[model->num_constants].host = host;
  model->constants[model->num_constants++].device = device;
  return (void*)(uintptr_t)device;
}

/* ---- Models. ---- */

void nnc_rt_cuda_model_destroy(nnc_cuda_model_t* model) {
  if (!model) return;
  if (model->context) {
    cu.cuCtxPushCurrent(model->context);
    size_t num_buffers = model->kernel->num_inputs + model->kernel->num_outputs;
    for (size_t i = 0; model->buffers && i < num_buffers; ++i)
      if (model->buffers[i]) cu.cuMemFree(model->buffers[i]);
    if (model->workspace) cu.cuMemFree(model->workspace);
    for (size_t i = 0; i < model->num_constants; ++i) cu.cuMemFree(model->constants[i].device);
    for (size_t i = 0; i < model->num_images; ++i) cu.cuModuleUnload(model->images[i].module);
    if (model->stream) cu.cuStreamDestroy(model->stream);
    CUcontext popped;
    cu.cuCtxPopCurrent(&popped);
    cu.cuDevicePrimaryCtxRelease(model->device);
  }
  pthread_mutex_destroy(&model->lock);
  free(model->buffers);
  free(model->constants);
  free(model);
}

nnc_status_t nnc_rt_cuda_model_create(const nnc_kernel_model_v0_t* kernel,
                                      const size_t* input_bytes, const size_t* output_bytes,
                                      const char* origin, nnc_cuda_model_t** out_model) {
  nnc_status_t status = nnc_rt_cuda_check();
  if (status) {
    nnc_status_t named = nnc_rt_status("nnc: %s is a CUDA model, and %s", origin,
                                       nnc_status_message(status) + strlen("nnc: "));
    nnc_status_free(status);
    return named;
  }
  nnc_cuda_model_t* model = (nnc_cuda_model_t*)calloc(1, sizeof(nnc_cuda_model_t));
  size_t num_buffers = kernel->num_inputs + kernel->num_outputs;
  if (model) model->buffers = (CUdeviceptr*)calloc(num_buffers + 1, sizeof(CUdeviceptr));
  if (!model || !model->buffers) {
    free(model);
    return nnc_rt_status("nnc: out of memory");
  }
  pthread_mutex_init(&model->lock, NULL);
  model->kernel = kernel;
  model->input_bytes = input_bytes;
  model->output_bytes = output_bytes;
  snprintf(model->origin, sizeof model->origin, "%s", origin);
  nnc_kernel_cuda_v0_t table = {model,
                                table_module_load_jit,
                                table_module_get_function,
                                table_launch_kernel,
                                table_stream_create,
                                table_stream_synchronize,
                                table_stream_destroy,
                                table_mem_alloc,
                                table_mem_free,
                                table_memcpy,
                                table_device_constant};
  model->table = table;

  const char* ordinal_text = getenv("NNC_CUDA_DEVICE");
  int ordinal = ordinal_text ? atoi(ordinal_text) : 0;
  CUresult result = cu.cuDeviceGet(&model->device, ordinal);
  if (result != 0) {
    nnc_rt_cuda_model_destroy(model);
    return nnc_rt_status("nnc: %s: no CUDA device %d (NNC_CUDA_DEVICE): %s", origin, ordinal,
                         error_name(result));
  }
  result = cu.cuDevicePrimaryCtxRetain(&model->context, model->device);
  if (result != 0) {
    model->context = NULL;
    nnc_rt_cuda_model_destroy(model);
    return nnc_rt_status("nnc: %s: cannot open CUDA device %d: %s", origin, ordinal,
                         error_name(result));
  }
  cu.cuCtxPushCurrent(model->context);
  result = cu.cuStreamCreate(&model->stream, CU_STREAM_NON_BLOCKING);
  for (size_t i = 0; result == 0 && i < num_buffers; ++i) {
    size_t bytes = i < kernel->num_inputs ? input_bytes[i] : output_bytes[i - kernel->num_inputs];
    result = cu.cuMemAlloc(&model->buffers[i], bytes ? bytes : 1);
  }
  if (result == 0 && kernel->workspace_size)
    result = cu.cuMemAlloc(&model->workspace, kernel->workspace_size);
  CUcontext popped;
  cu.cuCtxPopCurrent(&popped);
  if (result != 0) {
    nnc_rt_cuda_model_destroy(model);
    return nnc_rt_status("nnc: %s: allocating its device memory failed: %s", origin,
                         error_name(result));
  }
  *out_model = model;
  return NULL;
}

static void no_parallel_for(void* pool, int64_t count, nnc_kernel_task_fn_v0_t task,
                            void* task_context) {
  (void)pool;
  if (count > 0) task(task_context, 0, count);
}

nnc_status_t nnc_rt_cuda_model_run(nnc_cuda_model_t* model, void* const* data,
                                   int device_pointers) {
  const nnc_kernel_model_v0_t* k = model->kernel;
  size_t num_inputs = k->num_inputs, num_buffers = k->num_inputs + k->num_outputs;
  void* stack_pointers[64];
  void** pointers = stack_pointers;
  if (num_buffers > 64 && !(pointers = (void**)malloc(num_buffers * sizeof(void*))))
    return nnc_rt_status("nnc: out of memory");
  pthread_mutex_lock(&model->lock);
  cu.cuCtxPushCurrent(model->context);
  model->error[0] = 0;
  CUresult result = 0;
  for (size_t i = 0; i < num_buffers; ++i)
    pointers[i] = device_pointers ? data[i] : (void*)(uintptr_t)model->buffers[i];
  for (size_t i = 0; !device_pointers && i < num_inputs && result == 0; ++i)
    if (model->input_bytes[i])
      result =
          cu.cuMemcpyHtoDAsync(model->buffers[i], data[i], model->input_bytes[i], model->stream);
  if (result != 0) fail(model, "copying an input to the GPU", result);
  if (!model->error[0]) {
    nnc_kernel_env_v0_t env = {no_parallel_for, NULL, (void*)(uintptr_t)model->workspace,
                               &model->table};
    k->run((void* const*)pointers, (void* const*)(pointers + num_inputs), &env);
  }
  for (size_t i = num_inputs; !device_pointers && i < num_buffers && !model->error[0]; ++i)
    if (model->output_bytes[i - num_inputs]) {
      result = cu.cuMemcpyDtoHAsync(data[i], model->buffers[i], model->output_bytes[i - num_inputs],
                                    model->stream);
      if (result != 0) fail(model, "copying an output from the GPU", result);
    }
  /* Kernel faults surface here. */
  result = cu.cuStreamSynchronize(model->stream);
  if (result != 0) fail(model, "running the kernels", result);
  nnc_status_t status =
      model->error[0] ? nnc_rt_status("nnc: %s: %s", model->origin, model->error) : NULL;
  CUcontext popped;
  cu.cuCtxPopCurrent(&popped);
  pthread_mutex_unlock(&model->lock);
  if (pointers != stack_pointers) free(pointers);
  return status;
}

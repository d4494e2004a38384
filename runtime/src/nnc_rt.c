/* nnc_rt.c - loading and running nnc-compiled models. */
#include "nnc_rt/nnc_rt.h"
#include "nnc_rt_internal.h"

#include <dlfcn.h>
#include <elf.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nnc_status_s {
  char message[512];
};

/* Statuses are rare and small; a failed allocation of one degrades to this
 * static one rather than losing the error. */
static struct nnc_status_s out_of_memory_status = {"nnc: out of memory"};

nnc_status_t nnc_rt_status(const char* format, ...) {
  nnc_status_t status = (nnc_status_t)malloc(sizeof(struct nnc_status_s));
  if (!status) return &out_of_memory_status;
  va_list args;
  va_start(args, format);
  vsnprintf(status->message, sizeof(status->message), format, args);
  va_end(args);
  return status;
}

const char* nnc_status_message(nnc_status_t status) { return status ? status->message : ""; }

void nnc_status_free(nnc_status_t status) {
  if (status && status != &out_of_memory_status) free(status);
}

size_t nnc_dtype_size(nnc_dtype_t dtype) {
  switch (dtype) {
    case NNC_DTYPE_FLOAT32:
    case NNC_DTYPE_INT32:
      return 4;
    case NNC_DTYPE_INT64:
    case NNC_DTYPE_FLOAT64:
      return 8;
    case NNC_DTYPE_FLOAT16:
    case NNC_DTYPE_BFLOAT16:
      return 2;
    case NNC_DTYPE_UINT8:
    case NNC_DTYPE_INT8:
    case NNC_DTYPE_BOOL:
      return 1;
  }
  return 0;
}

const char* nnc_dtype_name(nnc_dtype_t dtype) {
  switch (dtype) {
    case NNC_DTYPE_FLOAT32:
      return "float32";
    case NNC_DTYPE_UINT8:
      return "uint8";
    case NNC_DTYPE_INT8:
      return "int8";
    case NNC_DTYPE_INT32:
      return "int32";
    case NNC_DTYPE_INT64:
      return "int64";
    case NNC_DTYPE_BOOL:
      return "bool";
    case NNC_DTYPE_FLOAT16:
      return "float16";
    case NNC_DTYPE_FLOAT64:
      return "float64";
    case NNC_DTYPE_BFLOAT16:
      return "bfloat16";
  }
  return "unknown";
}

/* ------------------------------------------------------------------------ */
/* Thread pool                                                              */
/* ------------------------------------------------------------------------ */

/* Workers wait for a job (a parallel_for call), take its iterations one at a
 * time alongside the calling thread, and report when they are done. Each
 * participant first takes its own share, the id-th of P consecutive ranges
 * of the iterations, so that consecutive jobs give a thread the same chunks
 * and what it left in its core's caches is used again there: the half of a
 * weight matrix that a recurrent step reads again, or the channels a
 * convolution wrote and the next one reads (MobileNetV2 at 2 threads ran 3%
 * slower with interleaved shares, iterations id, id + P, ...). Then it
 * takes, from each other participant's share, what that one has not taken
 * yet. A share is handed out by a counter of its own, on a cache line of its
 * own: its owner takes from it without contention, a thief only at the end
 * of a job.
 * Between jobs a worker spins briefly before sleeping, so that the parallel
 * loops of one run, which follow each other closely, do not each pay a
 * wake-up; a spinning worker picks up a job without locking. */
typedef struct nnc_pool_s nnc_pool_t;
typedef struct {
  nnc_pool_t* pool;
  int id; /* 1..num_workers; the calling thread is 0 */
} nnc_worker_t;

/* How many of a participant's iterations have been handed out. */
typedef struct {
  _Alignas(64) _Atomic int64_t taken;
} nnc_share_t;

struct nnc_pool_s {
  int num_workers;
  pthread_t* workers;
  nnc_worker_t* worker_ids;
  pthread_mutex_t mutex;
  pthread_cond_t wake; /* a new job or stop */
  pthread_cond_t done; /* the last worker left the job */
  pthread_mutex_t busy; /* held by the caller whose job the pool runs */
  /* The current job; written before generation is bumped (release). */
  nnc_kernel_task_fn_v0_t task;
  void* task_context;
  int64_t count;
  nnc_share_t* shares; /* one per participant */
  _Atomic unsigned generation;
  _Atomic int active; /* workers still in the current job */
  _Atomic int stop;
};

/* About 100 microseconds of polling on current x86 cores. */
enum { NNC_POOL_SPINS = 2000 };

static void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  sched_yield();
#endif
}

/* Runs the iterations of participant `owner`'s share that nobody has taken. */
static void run_share(nnc_pool_t* pool, int owner) {
  int64_t participants = pool->num_workers + 1;
  int64_t begin = pool->count * owner / participants;
  int64_t end = pool->count * (owner + 1) / participants;
  for (;;) {
    int64_t i =
        begin + atomic_fetch_add_explicit(&pool->shares[owner].taken, 1, memory_order_relaxed);
    if (i >= end) return;
    pool->task(pool->task_context, i, i + 1);
  }
}

static void run_iterations(nnc_pool_t* pool, int id) {
  int participants = pool->num_workers + 1;
  for (int k = 0; k < participants; ++k) run_share(pool, (id + k) % participants);
}

static void* worker_main(void* arg) {
  nnc_pool_t* pool = ((nnc_worker_t*)arg)->pool;
  int id = ((nnc_worker_t*)arg)->id;
  unsigned seen = 0;
  for (;;) {
    for (int spin = 0; spin < NNC_POOL_SPINS &&
                       atomic_load_explicit(&pool->generation, memory_order_acquire) == seen;
         ++spin)
      spin_pause();
    if (atomic_load_explicit(&pool->generation, memory_order_acquire) == seen) {
      pthread_mutex_lock(&pool->mutex);
      while (atomic_load(&pool->generation) == seen && !atomic_load(&pool->stop))
        pthread_cond_wait(&pool->wake, &pool->mutex);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (atomic_load(&pool->stop)) return NULL;
    seen = atomic_load_explicit(&pool->generation, memory_order_acquire);
    run_iterations(pool, id);
    if (atomic_fetch_sub(&pool->active, 1) == 1) {
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done);
      pthread_mutex_unlock(&pool->mutex);
    }
  }
}

static void pool_parallel_for(void* opaque, int64_t count, nnc_kernel_task_fn_v0_t task,
                              void* task_context) {
  nnc_pool_t* pool = (nnc_pool_t*)opaque;
  if (count <= 0) return;
  /* One chunk, or the workers are serving another run: stay on this thread. */
  if (count == 1 || pthread_mutex_trylock(&pool->busy) != 0) {
    task(task_context, 0, count);
    return;
  }
  pool->task = task;
  pool->task_context = task_context;
  pool->count = count;
  for (int i = 0; i <= pool->num_workers; ++i)
    atomic_store_explicit(&pool->shares[i].taken, 0, memory_order_relaxed);
  atomic_store_explicit(&pool->active, pool->num_workers, memory_order_relaxed);
  /* Sleeping workers wait under the mutex: bumping the generation under it
   * too means none checks it just before and then sleeps through the wake. */
  pthread_mutex_lock(&pool->mutex);
  atomic_fetch_add_explicit(&pool->generation, 1, memory_order_release);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  run_iterations(pool, 0);
  for (int spin = 0; spin < NNC_POOL_SPINS && atomic_load(&pool->active) > 0; ++spin)
    spin_pause();
  if (atomic_load(&pool->active) > 0) {
    pthread_mutex_lock(&pool->mutex);
    while (atomic_load(&pool->active) > 0) pthread_cond_wait(&pool->done, &pool->mutex);
    pthread_mutex_unlock(&pool->mutex);
  }
  pthread_mutex_unlock(&pool->busy);
}

static void pool_destroy(nnc_pool_t* pool) {
  if (!pool) return;
  pthread_mutex_lock(&pool->mutex);
  atomic_store(&pool->stop, 1);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  for (int i = 0; i < pool->num_workers; ++i) pthread_join(pool->workers[i], NULL);
  pthread_mutex_destroy(&pool->mutex);
  pthread_mutex_destroy(&pool->busy);
  pthread_cond_destroy(&pool->wake);
  pthread_cond_destroy(&pool->done);
  free(pool->workers);
  free(pool->worker_ids);
  free(pool->shares);
  free(pool);
}

static nnc_status_t pool_create(int num_workers, nnc_pool_t** out_pool) {
  nnc_pool_t* pool = (nnc_pool_t*)calloc(1, sizeof(nnc_pool_t));
  if (!pool) return nnc_rt_status("nnc: out of memory");
  pool->workers = (pthread_t*)calloc((size_t)num_workers, sizeof(pthread_t));
  pool->worker_ids = (nnc_worker_t*)calloc((size_t)num_workers, sizeof(nnc_worker_t));
  size_t shares_bytes = (size_t)(num_workers + 1) * sizeof(nnc_share_t);
  pool->shares = (nnc_share_t*)aligned_alloc(64, shares_bytes);
  if (!pool->workers || !pool->worker_ids || !pool->shares) {
    free(pool->workers);
    free(pool->worker_ids);
    free(pool->shares);
    free(pool);
    return nnc_rt_status("nnc: out of memory");
  }
  pthread_mutex_init(&pool->mutex, NULL);
  pthread_mutex_init(&pool->busy, NULL);
  pthread_cond_init(&pool->wake, NULL);
  pthread_cond_init(&pool->done, NULL);
  atomic_init(&pool->generation, 0);
  atomic_init(&pool->active, 0);
  atomic_init(&pool->stop, 0);
  for (int i = 0; i <= num_workers; ++i) atomic_init(&pool->shares[i].taken, 0);
  for (int i = 0; i < num_workers; ++i) {
    pool->worker_ids[i] = (nnc_worker_t){pool, i + 1};
    int error = pthread_create(&pool->workers[i], NULL, worker_main, &pool->worker_ids[i]);
    if (error) {
      pool->num_workers = i;
      pool_destroy(pool);
      return nnc_rt_status("nnc: cannot start worker thread %d of %d: %s", i + 1, num_workers,
                           strerror(error));
    }
    pool->num_workers = i + 1;
  }
  *out_pool = pool;
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Models                                                                   */
/* ------------------------------------------------------------------------ */

struct nnc_model_s {
  void* library; /* dlopen handle, NULL for static models */
  const nnc_kernel_model_v0_t* kernel;
  size_t* input_bytes;
  size_t* output_bytes;
  /* A workspace kept from an earlier run, NULL while a run holds it. Fresh
   * allocations of this size come from mmap, so allocating one per run would
   * pay its page faults on every run; concurrent runs allocate their own.
   * Behind a pointer so that runs, which see a const model, may swap it. */
  _Atomic(void*)* spare_workspace;
  nnc_pool_t* pool; /* NULL: runs are single-threaded */
  nnc_cuda_model_t* cuda; /* the GPU side of a CUDA model, NULL for CPU models */
};

/* The nnc release this runtime belongs to; compiled models name theirs in
 * `producer` (lib/Target/CPU/KernelABI.cpp). */
#define NNC_RUNTIME_VERSION "nnc 0.1"

static size_t tensor_bytes(const nnc_kernel_tensor_v0_t* tensor) {
  size_t bytes = nnc_dtype_size((nnc_dtype_t)tensor->dtype);
  for (int32_t i = 0; i < tensor->rank; ++i) bytes *= (size_t)tensor->shape[i];
  return bytes;
}

void nnc_model_release(nnc_model_t* model);

/* Validates the descriptor a model exports and wraps it. */
static nnc_status_t wrap_kernel(const nnc_kernel_model_v0_t* kernel, void* library,
                                const char* origin, nnc_model_t** out_model) {
  if (!kernel) return nnc_rt_status("nnc: %s: the model descriptor is NULL", origin);
  if (kernel->abi_version != NNC_KERNEL_ABI_VERSION_0)
    return nnc_rt_status(
        "nnc: %s: model ABI version %u (built by %s) is not supported; this runtime "
        "(%s) reads ABI version %u",
        origin, kernel->abi_version, kernel->producer ? kernel->producer : "unknown",
        NNC_RUNTIME_VERSION, NNC_KERNEL_ABI_VERSION_0);
  if (!kernel->run || (kernel->num_inputs && !kernel->inputs) ||
      (kernel->num_outputs && !kernel->outputs))
    return nnc_rt_status("nnc: %s: the model descriptor is incomplete", origin);
  if (kernel->device != NNC_KERNEL_DEVICE_CPU && kernel->device != NNC_KERNEL_DEVICE_CUDA)
    return nnc_rt_status("nnc: %s: the model runs on device %u, which this runtime (%s) does not "
                         "know",
                         origin, kernel->device, NNC_RUNTIME_VERSION);
  nnc_model_t* model = (nnc_model_t*)calloc(1, sizeof(nnc_model_t));
  if (!model) return nnc_rt_status("nnc: out of memory");
  model->library = library;
  model->kernel = kernel;
  model->spare_workspace = (_Atomic(void*)*)malloc(sizeof(*model->spare_workspace));
  model->input_bytes = (size_t*)calloc(kernel->num_inputs + 1, sizeof(size_t));
  model->output_bytes = (size_t*)calloc(kernel->num_outputs + 1, sizeof(size_t));
  if (!model->spare_workspace || !model->input_bytes || !model->output_bytes) {
    free((void*)model->spare_workspace);
    free(model->input_bytes);
    free(model->output_bytes);
    free(model);
    return nnc_rt_status("nnc: out of memory");
  }
  atomic_init(model->spare_workspace, NULL);
  for (uint32_t i = 0; i < kernel->num_inputs; ++i)
    model->input_bytes[i] = tensor_bytes(&kernel->inputs[i]);
  for (uint32_t i = 0; i < kernel->num_outputs; ++i)
    model->output_bytes[i] = tensor_bytes(&kernel->outputs[i]);
  if (kernel->device == NNC_KERNEL_DEVICE_CUDA) {
    nnc_status_t status = nnc_rt_cuda_model_create(kernel, model->input_bytes, model->output_bytes,
                                                   origin, &model->cuda);
    if (status) {
      model->library = NULL; /* the caller closes it */
      nnc_model_release(model);
      return status;
    }
  }
  *out_model = model;
  return NULL;
}

/* dlopen maps segments past the end of a truncated file and the process dies
 * of SIGBUS on first touch; check that every loadable segment is in the file. */
static nnc_status_t check_elf(const char* path) {
  FILE* file = fopen(path, "rb");
  if (!file) return nnc_rt_status("nnc: cannot load model '%s': cannot open the file", path);
  Elf64_Ehdr header;
  nnc_status_t status = NULL;
  long size = -1;
  if (fseek(file, 0, SEEK_END) == 0) size = ftell(file);
  if (size < 0 || fseek(file, 0, SEEK_SET) != 0 || fread(&header, sizeof header, 1, file) != 1 ||
      memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) {
    status = nnc_rt_status("nnc: cannot load model '%s': not a 64-bit ELF shared library", path);
  } else if (header.e_phentsize != sizeof(Elf64_Phdr) ||
             header.e_phoff + (uint64_t)header.e_phnum * sizeof(Elf64_Phdr) > (uint64_t)size) {
    status = nnc_rt_status("nnc: cannot load model '%s': the file is truncated", path);
  } else {
    for (uint16_t i = 0; i < header.e_phnum && !status; ++i) {
      Elf64_Phdr segment;
      if (fseek(file, (long)(header.e_phoff + i * sizeof segment), SEEK_SET) != 0 ||
          fread(&segment, sizeof segment, 1, file) != 1 ||
          (segment.p_type == PT_LOAD && segment.p_offset + segment.p_filesz > (uint64_t)size))
        status = nnc_rt_status(
            "nnc: cannot load model '%s': the file is truncated (%ld bytes, segment %u needs %llu)",
            path, size, i, (unsigned long long)(segment.p_offset + segment.p_filesz));
    }
  }
  fclose(file);
  return status;
}

nnc_status_t nnc_model_load_file(const char* path, nnc_model_t** out_model) {
  if (!path || !out_model)
    return nnc_rt_status("nnc_model_load_file: path and out_model must not be NULL");
  *out_model = NULL;
  nnc_status_t elf_status = check_elf(path);
  if (elf_status) return elf_status;
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) return nnc_rt_status("nnc: cannot load model '%s': %s", path, dlerror());
  nnc_kernel_model_fn_v0_t model_fn =
      (nnc_kernel_model_fn_v0_t)dlsym(library, NNC_KERNEL_MODEL_SYMBOL_V0);
  if (!model_fn) {
    dlclose(library);
    return nnc_rt_status("nnc: '%s' is not an nnc model (no symbol %s)", path,
                       NNC_KERNEL_MODEL_SYMBOL_V0);
  }
  nnc_status_t status = wrap_kernel(model_fn(), library, path, out_model);
  if (status) dlclose(library);
  return status;
}

nnc_status_t nnc_model_load_static(nnc_kernel_model_fn_v0_t model_fn, nnc_model_t** out_model) {
  if (!model_fn || !out_model)
    return nnc_rt_status("nnc_model_load_static: model_fn and out_model must not be NULL");
  *out_model = NULL;
  return wrap_kernel(model_fn(), NULL, "static model", out_model);
}

void nnc_model_release(nnc_model_t* model) {
  if (!model) return;
  nnc_rt_cuda_model_destroy(model->cuda);
  pool_destroy(model->pool);
  if (model->library) dlclose(model->library);
  free(atomic_load(model->spare_workspace));
  free((void*)model->spare_workspace);
  free(model->input_bytes);
  free(model->output_bytes);
  free(model);
}

nnc_status_t nnc_model_set_num_threads(nnc_model_t* model, int num_threads) {
  if (!model) return nnc_rt_status("nnc_model_set_num_threads: model must not be NULL");
  if (num_threads < 1 || num_threads > 256)
    return nnc_rt_status("nnc_model_set_num_threads: %d threads; expected 1 to 256", num_threads);
  nnc_pool_t* pool = NULL;
  if (num_threads > 1) {
    nnc_status_t status = pool_create(num_threads - 1, &pool);
    if (status) return status;
  }
  pool_destroy(model->pool);
  model->pool = pool;
  return NULL;
}

size_t nnc_model_input_count(const nnc_model_t* model) {
  return model ? model->kernel->num_inputs : 0;
}

size_t nnc_model_output_count(const nnc_model_t* model) {
  return model ? model->kernel->num_outputs : 0;
}

static nnc_status_t tensor_info(const nnc_kernel_tensor_v0_t* tensors, const size_t* bytes,
                                size_t count, size_t index, const char* kind,
                                nnc_tensor_info_t* out_info) {
  if (!out_info) return nnc_rt_status("nnc: out_info must not be NULL");
  if (index >= count)
    return nnc_rt_status("nnc: %s index %zu out of range (the model has %zu)", kind, index, count);
  const nnc_kernel_tensor_v0_t* t = &tensors[index];
  out_info->name = t->name;
  out_info->dtype = (nnc_dtype_t)t->dtype;
  out_info->rank = t->rank;
  out_info->shape = t->shape;
  out_info->byte_size = bytes[index];
  return NULL;
}

nnc_status_t nnc_model_input_info(const nnc_model_t* model, size_t index,
                                  nnc_tensor_info_t* out_info) {
  if (!model) return nnc_rt_status("nnc_model_input_info: model must not be NULL");
  return tensor_info(model->kernel->inputs, model->input_bytes, model->kernel->num_inputs, index,
                     "input", out_info);
}

nnc_status_t nnc_model_output_info(const nnc_model_t* model, size_t index,
                                   nnc_tensor_info_t* out_info) {
  if (!model) return nnc_rt_status("nnc_model_output_info: model must not be NULL");
  return tensor_info(model->kernel->outputs, model->output_bytes, model->kernel->num_outputs, index,
                     "output", out_info);
}

/* Checks one caller view against the model's tensor. */
static nnc_status_t check_view(const nnc_tensor_view_t* view, const nnc_kernel_tensor_v0_t* t,
                               size_t expected_bytes, const char* kind, size_t index) {
  const char* name = t->name ? t->name : "";
  if (!view->data && expected_bytes)
    return nnc_rt_status("nnc: %s %zu ('%s'): data is NULL", kind, index, name);
  if ((int32_t)view->dtype != t->dtype)
    return nnc_rt_status("nnc: %s %zu ('%s'): dtype %s, expected %s", kind, index, name,
                       nnc_dtype_name(view->dtype), nnc_dtype_name((nnc_dtype_t)t->dtype));
  if (view->rank != t->rank)
    return nnc_rt_status("nnc: %s %zu ('%s'): rank %d, expected %d", kind, index, name, view->rank,
                       t->rank);
  if (t->rank && !view->shape)
    return nnc_rt_status("nnc: %s %zu ('%s'): shape is NULL", kind, index, name);
  for (int32_t d = 0; d < t->rank; ++d)
    if (view->shape[d] != t->shape[d])
      return nnc_rt_status("nnc: %s %zu ('%s'): dim %d is %lld, expected %lld", kind, index, name, d,
                         (long long)view->shape[d], (long long)t->shape[d]);
  if (view->byte_size < expected_bytes)
    return nnc_rt_status("nnc: %s %zu ('%s'): buffer holds %zu bytes, expected %zu", kind, index,
                       name, view->byte_size, expected_bytes);
  /* Compiled code reads and writes whole elements at their natural alignment. */
  size_t element_bytes = nnc_dtype_size(view->dtype);
  if (element_bytes > 1 && (uintptr_t)view->data % element_bytes != 0)
    return nnc_rt_status("nnc: %s %zu ('%s'): data is not aligned to its %zu-byte elements", kind,
                       index, name, element_bytes);
  return NULL;
}

/* Whether [a, a + a_bytes) and [b, b + b_bytes) share a byte. */
static int ranges_overlap(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
  return a_bytes && b_bytes && a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

/* Runs every iteration on the calling thread; the thread pool of the next
 * runtime version plugs in here. */
static void serial_parallel_for(void* pool, int64_t count, nnc_kernel_task_fn_v0_t task,
                                void* task_context) {
  (void)pool;
  if (count > 0) task(task_context, 0, count);
}

/* Upper bound on inputs + outputs passed on the stack. */
#define NNC_MAX_STACK_ARGS 64

/* nnc_model_run and nnc_model_run_device: the views' data are host memory,
 * or CUDA device memory when `device_pointers`. */
static nnc_status_t run_model(const nnc_model_t* model, const nnc_tensor_view_t* inputs,
                              size_t input_count, const nnc_tensor_view_t* outputs,
                              size_t output_count, int device_pointers) {
  if (!model) return nnc_rt_status("nnc_model_run: model must not be NULL");
  if (device_pointers && !model->cuda)
    return nnc_rt_status("nnc_model_run_device: the model runs on the CPU; use nnc_model_run");
  const nnc_kernel_model_v0_t* k = model->kernel;
  if (input_count != k->num_inputs)
    return nnc_rt_status("nnc: got %zu inputs, the model takes %u", input_count, k->num_inputs);
  if (output_count != k->num_outputs)
    return nnc_rt_status("nnc: got %zu outputs, the model produces %u", output_count, k->num_outputs);
  if ((input_count && !inputs) || (output_count && !outputs))
    return nnc_rt_status("nnc_model_run: inputs/outputs must not be NULL");
  for (size_t i = 0; i < input_count; ++i) {
    nnc_status_t status = check_view(&inputs[i], &k->inputs[i], model->input_bytes[i], "input", i);
    if (status) return status;
  }
  for (size_t i = 0; i < output_count; ++i) {
    nnc_status_t status =
        check_view(&outputs[i], &k->outputs[i], model->output_bytes[i], "output", i);
    if (status) return status;
  }
  /* Compiled code writes each output while it may still read the inputs and
   * the other outputs. */
  for (size_t i = 0; i < output_count; ++i)
    for (size_t j = 0; j < input_count + i; ++j) {
      /* The inputs, then the outputs before this one. */
      int is_input = j < input_count;
      size_t other = is_input ? j : j - input_count;
      const nnc_tensor_view_t* view = is_input ? &inputs[other] : &outputs[other];
      const nnc_kernel_tensor_v0_t* t = is_input ? &k->inputs[other] : &k->outputs[other];
      size_t bytes = is_input ? model->input_bytes[other] : model->output_bytes[other];
      if (ranges_overlap(outputs[i].data, model->output_bytes[i], view->data, bytes))
        return nnc_rt_status("nnc: output %zu ('%s') overlaps %s %zu ('%s')", i,
                           k->outputs[i].name ? k->outputs[i].name : "",
                           is_input ? "input" : "output", other, t->name ? t->name : "");
    }
  void* stack_ptrs[NNC_MAX_STACK_ARGS];
  void** ptrs = stack_ptrs;
  if (input_count + output_count > NNC_MAX_STACK_ARGS) {
    ptrs = (void**)malloc((input_count + output_count) * sizeof(void*));
    if (!ptrs) return nnc_rt_status("nnc: out of memory");
  }
  for (size_t i = 0; i < input_count; ++i) ptrs[i] = inputs[i].data;
  for (size_t i = 0; i < output_count; ++i) ptrs[input_count + i] = outputs[i].data;
  if (model->cuda) {
    nnc_status_t status = nnc_rt_cuda_model_run(model->cuda, ptrs, device_pointers);
    if (ptrs != stack_ptrs) free(ptrs);
    return status;
  }
  _Atomic(void*)* spare = model->spare_workspace;
  void* workspace = NULL;
  if (k->workspace_size) workspace = atomic_exchange(spare, NULL);
  if (k->workspace_size && !workspace) {
    workspace = aligned_alloc(64, (k->workspace_size + 63) / 64 * 64);
    if (!workspace) {
      if (ptrs != stack_ptrs) free(ptrs);
      return nnc_rt_status("nnc: out of memory for a %llu-byte workspace",
                         (unsigned long long)k->workspace_size);
    }
  }
  nnc_kernel_env_v0_t env = {model->pool ? pool_parallel_for : serial_parallel_for, model->pool,
                             workspace, NULL};
  k->run((void* const*)ptrs, (void* const*)(ptrs + input_count), &env);
  void* empty = NULL;
  if (workspace && !atomic_compare_exchange_strong(spare, &empty, workspace)) free(workspace);
  if (ptrs != stack_ptrs) free(ptrs);
  return NULL;
}

nnc_status_t nnc_model_run(const nnc_model_t* model, const nnc_tensor_view_t* inputs,
                           size_t input_count, const nnc_tensor_view_t* outputs,
                           size_t output_count) {
  return run_model(model, inputs, input_count, outputs, output_count, 0);
}

nnc_status_t nnc_model_run_device(const nnc_model_t* model, const nnc_tensor_view_t* inputs,
                                  size_t input_count, const nnc_tensor_view_t* outputs,
                                  size_t output_count) {
  return run_model(model, inputs, input_count, outputs, output_count, 1);
}

nnc_device_t nnc_model_device(const nnc_model_t* model) {
  return model && model->cuda ? NNC_DEVICE_CUDA : NNC_DEVICE_CPU;
}

nnc_status_t nnc_cuda_device_status(void) { return nnc_rt_cuda_check(); }

nnc_status_t nnc_model_run_allocating_outputs(const nnc_model_t* model,
                                              const nnc_tensor_view_t* inputs, size_t input_count,
                                              void** out_buffers, size_t output_count) {
  if (!model || !out_buffers)
    return nnc_rt_status("nnc_model_run_allocating_outputs: model and out_buffers must not be NULL");
  const nnc_kernel_model_v0_t* k = model->kernel;
  if (output_count != k->num_outputs)
    return nnc_rt_status("nnc: got %zu output slots, the model produces %u", output_count,
                       k->num_outputs);
  nnc_tensor_view_t* views = (nnc_tensor_view_t*)calloc(output_count + 1, sizeof(*views));
  if (!views) return nnc_rt_status("nnc: out of memory");
  nnc_status_t status = NULL;
  for (size_t i = 0; i < output_count && !status; ++i) {
    /* At least one byte so that empty tensors still get a distinct buffer. */
    views[i].data = malloc(model->output_bytes[i] ? model->output_bytes[i] : 1);
    views[i].dtype = (nnc_dtype_t)k->outputs[i].dtype;
    views[i].rank = k->outputs[i].rank;
    views[i].shape = k->outputs[i].shape;
    views[i].byte_size = model->output_bytes[i];
    if (!views[i].data) status = nnc_rt_status("nnc: out of memory");
  }
  if (!status) status = nnc_model_run(model, inputs, input_count, views, output_count);
  for (size_t i = 0; i < output_count; ++i) {
    if (status) {
      free(views[i].data);
      out_buffers[i] = NULL;
    } else {
      out_buffers[i] = views[i].data;
    }
  }
  free(views);
  return status;
}

void nnc_buffer_free(void* buffer) { free(buffer); }

//===- Passes.td - CUDA target passes -------------------------*- tablegen -*-===//

#ifndef NNC_TARGET_CUDA_PASSES_TD
#define NNC_TARGET_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNCCUDAParallelLoopsPass : Pass<"nnc-cuda-parallel-loops", "mlir::func::FuncOp"> {
  let summary = "Lowers linalg ops on buffers to scf.parallel over their parallel dims";
  let description = [{
    Each linalg op is generalized and its iterators are permuted so that every
    reduction dimension comes after all parallel ones; it then becomes one
    `scf.parallel` over the parallel dimensions whose body loops over the
    reductions with `scf.for`. Every point of the parallel loop writes its own
    output elements, so the points can run as independent GPU threads; it
    loads each output once (when the body reads it), carries it through the
    reduction loops as an iteration argument, and stores it once. An op with
    no parallel dimension becomes a plain `scf.for` nest.

    A contraction with more points than warp-shared sums take (65536, see
    nnc-cuda-select-strategy), a reduction of at least 64 steps, a first
    dimension divisible by 4 and an input that does not depend on it: each
    point covers 4 consecutive indices of the first dimension, their sums
    interleaved in one reduction loop, so that each load of that input feeds
    4 multiply-adds (f32 1024^3 MatMul on an H100: 0.77 -> 0.47 ms).
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def NNCCUDASelectStrategyPass : Pass<"nnc-cuda-select-strategy", "mlir::func::FuncOp"> {
  let summary = "Chooses the thread-block shape of every device loop";
  let description = [{
    Writes two choices on every outermost `scf.parallel`, which
    nnc-cuda-map-to-grid reads:

    - `nnc.cuda.lanes_per_iteration`: 32 (a warp shares each iteration) when
      the loop has at most 65536 iterations and its body's reduction loop is a
      sum of f32 values (each step, through nested loops, only adds to the
      carried value) of at least 256 steps; else 1. A convolution's last
      layers or a classifier's matrix-vector product have too few outputs to
      fill the GPU with one thread each, and a long serial sum per thread.
      (Above that count one thread per output already fills the GPU, and in
      the non-transposed convolution GEMMs lanes striding along k would read
      the patches uncoalesced: tried at 2^17 on ResNet-18, its layer2
      convolutions went from 213 to 292 us.)
    - `nnc.cuda.block_size` (threads per block, a multiple of the warp): 256,
      or for one thread per iteration the iteration count rounded up to
      whole warps when that is smaller.
  }];
  let options = [
    Option<"maxBlockSize", "max-block-size", "int64_t", /*default=*/"256",
           "Largest number of threads per block">,
  ];
}

def NNCCUDAMapToGridPass : Pass<"nnc-cuda-map-to-grid", "mlir::ModuleOp"> {
  let summary = "Moves all buffer work of @main into gpu.launch kernels";
  let description = [{
    After bufferization and nnc-cuda-parallel-loops every buffer lives in
    device memory, so the host may only launch, copy, allocate and compute
    addresses:

    - every outermost `scf.parallel` becomes a `gpu.launch` with a 1-D grid of
      `nnc.cuda.block_size`-thread blocks; thread `blockIdx.x * blockDim.x +
      threadIdx.x` runs the iteration with that row-major linear index (so
      neighbouring threads touch neighbouring elements of the innermost
      dimension) and threads past the end do nothing; with
      `nnc.cuda.lanes_per_iteration` = 32 the warp `t / 32` shares iteration
      t / 32 instead: lane l sums steps l, l + 32, ... of the body's sum loop
      from zero, butterfly `gpu.shuffle xor`s add the lanes' sums, and lane 0
      alone runs what follows the loop (the store);
    - any other op that reads or writes memory (a sequential loop nest of a
      full reduction, a rank-0 computation) runs as a single-thread kernel;
    - `memref.copy` becomes `gpu.memcpy`, `memref.alloc`/`dealloc` become
      `gpu.alloc`/`gpu.dealloc`;
    - host loops and branches holding device loops stay on the host.

    @main gains a trailing `!llvm.ptr` argument, the runtime's env, through
    which the generated host code reaches the CUDA driver (kernel_abi.h), and
    the module is marked `nnc.device = "cuda"`. A host op that needs a value
    computed on the device (a branch on a tensor's contents) is an error
    naming its ONNX node.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect", "mlir::scf::SCFDialect"];
}

def NNCCUDAMergeKernelModulesPass : Pass<"nnc-cuda-merge-kernel-modules", "mlir::ModuleOp"> {
  let summary = "Puts every outlined kernel into one gpu.module";
  let description = [{
    gpu-kernel-outlining gives each kernel its own `gpu.module`, which would
    become one PTX image per kernel for the driver to JIT-compile and load.
    This pass moves all kernels (and the functions they call, once each) into
    one module, `@nnc_kernels`, and retargets every `gpu.launch_func`.
    Outlining names modules uniquely but not the kernels in them, so each
    kernel takes the name of the module it came from.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def NNCCUDACheckLibdevicePass : Pass<"nnc-cuda-check-libdevice", "mlir::ModuleOp"> {
  let summary = "Fails with a clear error when kernels need libdevice and none was found";
  let description = [{
    Runs after convert-gpu-to-nvvm. Math functions without an NVPTX
    instruction become calls of libdevice's `__nv_*` functions, which only the
    CUDA toolkit provides. When `libdevice-found` is false and a kernel calls
    one, the pass reports which function (and the ONNX node whose kernel needs
    it) and how to point nnc at a toolkit.
  }];
  let options = [
    Option<"libdeviceFound", "libdevice-found", "bool", /*default=*/"true",
           "Whether the CUDA toolkit's libdevice.10.bc was found">,
  ];
}

#endif // NNC_TARGET_CUDA_PASSES_TD

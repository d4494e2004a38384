//===- Pipelines.cpp - nn -> LLVM dialect + PTX for NVIDIA GPUs -----------===//
//
// The CUDA lowering shares the CPU path up to buffers in caller-provided
// outputs and one planned workspace; from there every buffer is device
// memory. Linalg ops become parallel loops, loops become kernels, kernels are
// outlined into one gpu.module that NVVM lowers and LLVM's NVPTX backend
// turns into PTX (kept as text in a gpu.binary, JIT-compiled by the driver
// at load time). The host code left in @main becomes LLVM dialect with
// upstream's gpu-to-llvm; its mgpu* calls are routed to the runtime when the
// artifact is emitted (lib/Target/CUDA/HostABI.cpp).
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CUDA/Pipelines.h"

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Pipelines.h"
#include "nnc/Target/CUDA/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace mlir;
using namespace mlir::nnc;

bool mlir::nnc::hasLibdevice(StringRef toolkitPath) {
  if (toolkitPath.empty())
    return false;
  SmallString<256> path(toolkitPath);
  llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
  return llvm::sys::fs::exists(path);
}

std::string mlir::nnc::findCUDAToolkit() {
  if (auto home = llvm::sys::Process::GetEnv("CUDA_HOME"); home && hasLibdevice(*home))
    return *home;
  if (hasLibdevice("/usr/local/cuda"))
    return "/usr/local/cuda";
  return "";
}

void mlir::nnc::buildCUDAKernelPipeline(OpPassManager &pm, const CUDAPipelineOptions &options) {
  CPUPipelineOptions graph;
  graph.optLevel = options.optLevel;
  graph.vectorBits = 0; // no CPU tiling or vectorization
  buildCPULinalgPipeline(pm, graph);
  // The workspace becomes one device allocation the runtime keeps.
  buildBufferizationPipeline(pm);
  pm.addNestedPass<func::FuncOp>(createNNCCPUExpandCopiesPass());
  pm.addNestedPass<func::FuncOp>(createNNCCUDAParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createNNCCUDASelectStrategyPass());
  pm.addPass(createNNCCUDAMapToGridPass());
  // Integer powers become helper functions, which outlining copies into the
  // kernel module with the kernels that call them.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createNNCCUDAMergeKernelModulesPass());
}

void mlir::nnc::buildCUDALLVMPipeline(OpPassManager &pm, const CUDAPipelineOptions &options) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  // PTX ISA 8.0 (CUDA 12.0) covers sm_90 and every older chip.
  target.features = "+ptx80";
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  {
    OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
    ConvertGpuOpsToNVVMOpsOptions nvvm;
    nvvm.indexBitwidth = 64;
    kernels.addPass(createConvertGpuOpsToNVVMOps(nvvm));
    kernels.addPass(createCanonicalizerPass());
    kernels.addPass(createCSEPass());
    kernels.addPass(createReconcileUnrealizedCastsPass());
  }
  NNCCUDACheckLibdevicePassOptions check;
  check.libdeviceFound = hasLibdevice(options.toolkitPath);
  pm.addPass(createNNCCUDACheckLibdevicePass(check));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.toolkitPath;
  binary.compilationTarget = "isa"; // PTX text, JIT-compiled by the driver
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void mlir::nnc::buildCUDAPipeline(OpPassManager &pm, const CUDAPipelineOptions &options) {
  buildCUDAKernelPipeline(pm, options);
  buildCUDALLVMPipeline(pm, options);
}

void mlir::nnc::registerCUDAPipelines() {
  PassPipelineRegistration<CUDAPipelineOptions>(
      "nnc-cuda-pipeline", "Lowers nn to host LLVM dialect and PTX kernels for NVIDIA GPUs",
      buildCUDAPipeline);
}

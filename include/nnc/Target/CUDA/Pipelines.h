//===- Pipelines.h - nn -> LLVM dialect + PTX for NVIDIA GPUs ---*- C++ -*-===//

#ifndef NNC_TARGET_CUDA_PIPELINES_H
#define NNC_TARGET_CUDA_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::nnc {

struct CUDAPipelineOptions : public PassPipelineOptions<CUDAPipelineOptions> {
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level", llvm::cl::desc("Graph optimization level (0-3)"), llvm::cl::init(2)};
  PassOptions::Option<std::string> chip{*this, "chip",
                                        llvm::cl::desc("GPU architecture (sm_80, sm_90, ...)"),
                                        llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> toolkitPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit holding nvvm/libdevice/libdevice.10.bc ('' for none)"),
      llvm::cl::init("")};
};

/// nn -> buffers on the device -> gpu.launch kernels.
void buildCUDAKernelPipeline(OpPassManager &pm, const CUDAPipelineOptions &options);
/// Kernels -> NVVM -> PTX in a gpu.binary; host code -> LLVM dialect.
void buildCUDALLVMPipeline(OpPassManager &pm, const CUDAPipelineOptions &options);
void buildCUDAPipeline(OpPassManager &pm, const CUDAPipelineOptions &options);

/// Whether `toolkitPath` holds libdevice.
bool hasLibdevice(StringRef toolkitPath);

/// The toolkit nnc uses when none is named: $CUDA_HOME, then /usr/local/cuda,
/// whichever holds libdevice; '' when neither does.
std::string findCUDAToolkit();

void registerCUDAPipelines();

} // namespace mlir::nnc

#endif // NNC_TARGET_CUDA_PIPELINES_H

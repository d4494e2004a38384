//===- Pipelines.h - nn -> LLVM for CPUs ------------------------*- C++ -*-===//

#ifndef NNC_TARGET_CPU_PIPELINES_H
#define NNC_TARGET_CPU_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::nnc {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level", llvm::cl::desc("Graph optimization level (0-3)"), llvm::cl::init(2)};
  PassOptions::Option<int64_t> vectorBits{
      *this, "vector-bits", llvm::cl::desc("Vector register width of the target (0: scalar code)"),
      llvm::cl::init(512)};
  PassOptions::Option<int64_t> vectorRegisters{
      *this, "vector-registers", llvm::cl::desc("Number of vector registers of the target"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> l1Bytes{
      *this, "l1-bytes", llvm::cl::desc("L1 data cache size per core"), llvm::cl::init(32768)};
  PassOptions::Option<int64_t> l2Bytes{*this, "l2-bytes", llvm::cl::desc("L2 cache size per core"),
                                       llvm::cl::init(1048576)};
};

/// nn -> linalg/tensor on tensors (graph simplification first above -O0).
void buildCPULinalgPipeline(OpPassManager &pm, const CPUPipelineOptions &options);
/// linalg on tensors -> LLVM dialect: destination passing, one-shot
/// bufferization, deallocation, loops, and the conversions to LLVM.
/// Results written into caller buffers, one-shot bufferization, the workspace
/// plan and ownership-based deallocation: the step from tensors to buffers
/// that the CPU and CUDA pipelines share.
void buildBufferizationPipeline(OpPassManager &pm);
void buildCPULLVMPipeline(OpPassManager &pm, const CPUPipelineOptions &options);
/// Both of the above: nn -> LLVM dialect.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers the dialects and the external interface models (bufferization,
/// deallocation, LLVM translation) the CPU pipeline relies on.
void registerCPUPipelineDependencies(DialectRegistry &registry);

/// Registers `nnc-cpu-pipeline` (nn -> LLVM dialect) for nnc-opt.
void registerCPUPipelines();

} // namespace mlir::nnc

#endif // NNC_TARGET_CPU_PIPELINES_H

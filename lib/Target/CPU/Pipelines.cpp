//===- Pipelines.cpp - nn -> LLVM dialect for CPUs ------------------------===//
//
// The reference CPU lowering: every nn op becomes linalg on tensors, results
// are written into caller buffers, one-shot bufferization with function
// boundaries, ownership-based deallocation, loops, then the explicit chain of
// conversions to the LLVM dialect (the generic convert-to-llvm misses vector
// ops once vectorization lands). Passes are created from their option structs
// so that the pipeline does not depend on what a tool registered.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Pipelines.h"

#include "nnc/Conversion/Passes.h"
#include "nnc/Dialect/NN/Transforms/Passes.h"
#include "nnc/Target/CPU/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::nnc;

void mlir::nnc::buildCPULinalgPipeline(OpPassManager &pm, const CPUPipelineOptions &options) {
  if (options.optLevel > 0) {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    pm.addPass(nn::createNNFoldConstantTransposesPass());
    NNCCPUSplitBatchPassOptions splitBatch;
    splitBatch.l2Bytes = options.l2Bytes;
    pm.addNestedPass<func::FuncOp>(createNNCCPUSplitBatchPass(splitBatch));
    // Winograd's transforms are sized for the CPU's vectorized kernels; the
    // CUDA target (no CPU vectorization) keeps direct convolutions.
    if (options.vectorBits >= 128) {
      pm.addNestedPass<func::FuncOp>(createNNCCPUWinogradPass());
      pm.addNestedPass<func::FuncOp>(createNNCCPUChannelsLastPass());
      pm.addPass(nn::createNNFoldConstantTransposesPass());
      pm.addPass(createCSEPass());
    }
  }
  pm.addPass(createNNCConvertNNToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  if (options.optLevel == 0)
    return;
  pm.addNestedPass<func::FuncOp>(createNNCCPUFuseElementwisePass());
  if (options.vectorBits >= 128) {
    NNCCPUSelectStrategyPassOptions strategy;
    strategy.vectorBits = options.vectorBits;
    strategy.vectorRegisters = options.vectorRegisters;
    strategy.l1Bytes = options.l1Bytes;
    strategy.l2Bytes = options.l2Bytes;
    pm.addNestedPass<func::FuncOp>(createNNCCPUSelectStrategyPass(strategy));
    pm.addNestedPass<func::FuncOp>(createNNCCPUTilePass());
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createNNCCPUVectorizePass());
    NNCCPUVectorizeElementwisePassOptions elementwise;
    elementwise.vectorBits = options.vectorBits;
    pm.addNestedPass<func::FuncOp>(createNNCCPUVectorizeElementwisePass(elementwise));
    pm.addNestedPass<func::FuncOp>(createNNCCPUSplitMaskedStoresPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  pm.addNestedPass<func::FuncOp>(createNNCCPUDecomposePadPass());
}

void mlir::nnc::buildBufferizationPipeline(OpPassManager &pm) {
  pm.addPass(createNNCCPUDestinationPassingPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Recurrent layers carry fresh state tensors through scf.for.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  // Producers of a padded or concatenated tensor write into its interior,
  // also when the tensor is read again later.
  pm.addNestedPass<func::FuncOp>(createNNCCPUReadInsertedSlicesPass());
  pm.addNestedPass<func::FuncOp>(createNNCCPUSplitEmptyTensorsPass());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Tiled loops carry their result buffers as iter_args; folding those away
  // lets the memory plan see every use of a buffer. CSE first: a copy of a
  // view into an identical view (a result written in place into padding
  // through a reshape) folds away once the two views are one value.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createNNCCPUFuseFillsPass());
  pm.addPass(createNNCCPUPlanMemoryPass());
  bufferization::buildBufferDeallocationPipeline(pm);
}

void mlir::nnc::buildCPULLVMPipeline(OpPassManager &pm, const CPUPipelineOptions &options) {
  buildBufferizationPipeline(pm);
  pm.addPass(createNNCCPUOutlineParallelPass());
  pm.addNestedPass<func::FuncOp>(createNNCCPUExpandCopiesPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToSCFPass());
  // Hot transcendental functions become inline polynomials (above -O0);
  // integer powers become small helper functions; math with LLVM intrinsics
  // next; the rest become libm calls, one per vector lane. All of it before
  // the vector ops are lowered, since the last two produce vector ops.
  if (options.optLevel > 0)
    pm.addNestedPass<func::FuncOp>(createNNCCPUApproximateMathPass());
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::nnc::buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options) {
  buildCPULinalgPipeline(pm, options);
  buildCPULLVMPipeline(pm, options);
}

void mlir::nnc::registerCPUPipelineDependencies(DialectRegistry &registry) {
  // The interface models live in many upstream libraries (arith, tensor, linalg,
  // func, memref, cf bufferization and deallocation models; the LLVM IR
  // translations); registering all of them keeps the pipeline from silently
  // skipping an op whose model is missing.
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

void mlir::nnc::registerCPUPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "nnc-cpu-pipeline", "Lowers nn to the LLVM dialect for CPUs", buildCPUPipeline);
}

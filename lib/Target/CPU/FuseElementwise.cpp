//===- FuseElementwise.cpp - fuse elementwise chains ----------------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUFUSEELEMENTWISEPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// Fuse a single-use producer only into a consumer whose loops are all
/// parallel: inside a reduction the producer would run once per step.
bool fuseIntoParallelConsumer(OpOperand *fusedOperand) {
  Operation *producer = fusedOperand->get().getDefiningOp();
  auto consumer = dyn_cast<linalg::LinalgOp>(fusedOperand->getOwner());
  if (!producer || !consumer || !producer->hasOneUse())
    return false;
  return consumer.getNumLoops() == consumer.getNumParallelLoops();
}

struct NNCCPUFuseElementwisePass final
    : nnc::impl::NNCCPUFuseElementwisePassBase<NNCCPUFuseElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuseIntoParallelConsumer);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

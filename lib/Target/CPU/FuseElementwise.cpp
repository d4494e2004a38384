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

/// Whether `op` is a linalg op whose loops are all parallel.
bool isElementwise(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumLoops() == linalgOp.getNumParallelLoops();
}

/// Move a reshape across an elementwise op (never across a contraction, whose
/// loops the strategy matches as they are), so that the elementwise ops on
/// either side of it become producer and consumer and fuse.
bool foldReshapeIntoElementwise(OpOperand *fusedOperand) {
  Operation *owner = fusedOperand->getOwner();
  Operation *producer = fusedOperand->get().getDefiningOp();
  Operation *generic = isa<linalg::LinalgOp>(owner) ? owner : producer;
  return isElementwise(generic);
}

/// Whether the contraction result that `expand` reshapes is read only by an
/// elementwise op whose result is padded.
bool feedsPaddedEpilogue(tensor::ExpandShapeOp expand) {
  if (!expand->hasOneUse() || !isElementwise(*expand->getUsers().begin()))
    return false;
  return llvm::any_of(expand->getUsers().begin()->getUsers(),
                      [](Operation *user) { return isa<tensor::PadOp>(user); });
}

/// Collapse an elementwise consumer of a reshaped contraction result to the
/// contraction's own result shape, so that the two can be tiled together
/// (the consumer becomes the contraction's epilogue).
bool collapseOntoContraction(OpOperand *fusedOperand) {
  auto expand = fusedOperand->get().getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || !isElementwise(fusedOperand->getOwner()))
    return false;
  auto producer = expand.getSrc().getDefiningOp<linalg::LinalgOp>();
  return producer && producer.getNumReductionLoops() > 0 && expand.getSrc().hasOneUse() &&
         !feedsPaddedEpilogue(expand);
}

struct NNCCPUFuseElementwisePass final
    : nnc::impl::NNCCPUFuseElementwisePassBase<NNCCPUFuseElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuseIntoParallelConsumer);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, foldReshapeIntoElementwise);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Separately: moving reshapes down (above) and collapsing consumers
    // (here) would undo each other.
    RewritePatternSet collapsing(&getContext());
    linalg::populateFoldReshapeOpsByCollapsingPatterns(collapsing, collapseOntoContraction);
    if (failed(applyPatternsGreedily(getOperation(), std::move(collapsing))))
      return signalPassFailure();
  }
};
} // namespace

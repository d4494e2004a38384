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

/// Whether the contraction result that `expand` reshapes is read only by an
/// elementwise op whose result is padded.
bool feedsPaddedEpilogue(tensor::ExpandShapeOp expand) {
  if (!expand->hasOneUse() || !isElementwise(*expand->getUsers().begin()))
    return false;
  return llvm::any_of(expand->getUsers().begin()->getUsers(),
                      [](Operation *user) { return isa<tensor::PadOp>(user); });
}

/// Whether `contraction`, whose result `expand` reshapes into rows of an
/// image, is worth computing row by row. Its rows must be a whole number of
/// 16-column register tiles (two AVX2 vectors, one AVX-512 vector): a
/// narrower row is computed in a partly empty tile and cropped (measured on
/// MobileNetV2: 28- and 14-wide rows lose more that way than storing and
/// re-reading the result costs; 56-wide rows, 8-column tiles, break even).
/// And its k must be short, so that storing the result is a large part of
/// the work (MobileNetV2's k = 16 and 27 gain; ResNet-18's first conv,
/// k = 147, loses 3-10% with 112-wide rows).
bool worthComputingByRows(linalg::LinalgOp contraction, tensor::ExpandShapeOp expand) {
  int64_t width = expand.getResultType().getShape().back();
  if (ShapedType::isDynamic(width) || width % 16 != 0)
    return false;
  int64_t k = 1;
  for (auto [range, iterator] :
       llvm::zip(contraction.getStaticLoopRanges(), contraction.getIteratorTypesArray())) {
    if (iterator != utils::IteratorType::reduction)
      continue;
    if (ShapedType::isDynamic(range))
      return false;
    k *= range;
  }
  return k <= 64;
}

/// Move a reshape across an elementwise op, so that the elementwise ops on
/// either side of it become producer and consumer and fuse. A contraction
/// keeps the loops the strategy matches, except that one whose elementwise
/// consumer is padded takes the padded shape when that pays
/// (worthComputingByRows): then the consumer can become its epilogue and
/// still write straight into the interior of the padding (a collapsed
/// result would have to be stored, read and stored again).
bool foldReshapeIntoElementwise(OpOperand *fusedOperand) {
  Operation *owner = fusedOperand->getOwner();
  Operation *producer = fusedOperand->get().getDefiningOp();
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(owner))
    if (auto contraction = dyn_cast_or_null<linalg::LinalgOp>(producer))
      if (contraction.getNumReductionLoops() > 0)
        return feedsPaddedEpilogue(expand) && worthComputingByRows(contraction, expand);
  Operation *generic = isa<linalg::LinalgOp>(owner) ? owner : producer;
  return isElementwise(generic);
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

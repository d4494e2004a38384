//===- DecomposePad.cpp - constant pads as border fills + insert ----------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUDECOMPOSEPADPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// The operand that gives the op writing a padded value its destination,
/// when the value reaches the pad as a reshape of that destination (a
/// contraction writing a packed layout): following tied destinations back
/// through loops, slices and DPS ops, with no other readers on the way, to
/// `tensor.expand_shape` of an empty tensor of the pad's source type.
/// Upstream empty-tensor elimination does not look through reshapes, so the
/// value would be stored and then copied into the padding's interior.
OpOperand *findReshapedDestination(tensor::PadOp pad) {
  auto collapse = pad.getSource().getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || !collapse->hasOneUse())
    return nullptr;
  OpOperand *use = &collapse.getSrcMutable();
  while (true) {
    Value value = use->get();
    Operation *def = value.getDefiningOp();
    if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(def)) {
      auto empty = expand.getSrc().getDefiningOp<tensor::EmptyOp>();
      return empty && empty.getType() == pad.getSourceType() ? use : nullptr;
    }
    if (!value.hasOneUse())
      return nullptr;
    if (auto loop = dyn_cast_or_null<scf::ForOp>(def))
      use = &loop.getInitArgsMutable()[cast<OpResult>(value).getResultNumber()];
    else if (auto insert = dyn_cast_or_null<tensor::InsertSliceOp>(def))
      use = &insert.getDestMutable();
    else if (auto dps = dyn_cast_or_null<DestinationStyleOpInterface>(def))
      use = dps.getTiedOpOperand(cast<OpResult>(value));
    else
      return nullptr;
  }
}

struct PadAsBorderFills : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::PadOp op, PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResultType();
    Value value = op.getConstantPaddingValue();
    if (!type.hasStaticShape() || !op.getSourceType().hasStaticShape() || !value ||
        ShapedType::isDynamicShape(op.getStaticLow()) ||
        ShapedType::isDynamicShape(op.getStaticHigh()))
      return rewriter.notifyMatchFailure(op, "needs static shapes, pads and a constant value");
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> low = op.getStaticLow(), high = op.getStaticHigh(), shape = type.getShape();
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    // The padded tensor is built before the op that writes its interior,
    // which then writes into it in place.
    // The padding value moves with it (a constant; else the pad stays put).
    OpOperand *interior = findReshapedDestination(op);
    if (interior && value.getDefiningOp() && !matchPattern(value, m_Constant()))
      interior = nullptr;
    OpBuilder::InsertionGuard guard(rewriter);
    if (interior) {
      rewriter.setInsertionPoint(interior->getOwner());
      if (Operation *def = value.getDefiningOp())
        value = rewriter.clone(*def)->getResult(0);
    }
    Value result = tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    // Fills the slab [begin, begin + size) of dim `dim` (whole along the others).
    auto fillSlab = [&](int64_t dim, int64_t begin, int64_t size) {
      SmallVector<int64_t> offsets(rank, 0), sizes(shape);
      offsets[dim] = begin;
      sizes[dim] = size;
      SmallVector<OpFoldResult> offsetValues = getAsIndexOpFoldResult(context, offsets),
                                sizeValues = getAsIndexOpFoldResult(context, sizes);
      Value slab =
          tensor::ExtractSliceOp::create(rewriter, loc, result, offsetValues, sizeValues, strides);
      Value filled = linalg::FillOp::create(rewriter, loc, value, slab).getResult(0);
      result = tensor::InsertSliceOp::create(rewriter, loc, filled, result, offsetValues,
                                             sizeValues, strides);
    };
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (low[dim] > 0)
        fillSlab(dim, 0, low[dim]);
      if (high[dim] > 0)
        fillSlab(dim, shape[dim] - high[dim], high[dim]);
    }
    SmallVector<OpFoldResult> interiorOffsets = getAsIndexOpFoldResult(context, low),
                              interiorSizes =
                                  getAsIndexOpFoldResult(context, op.getSourceType().getShape());
    if (interior) {
      // A fresh reshape: CSE may have shared the empty one among several ops.
      auto expand = interior->get().getDefiningOp<tensor::ExpandShapeOp>();
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, result, interiorOffsets,
                                                   interiorSizes, strides);
      Value reshaped = tensor::ExpandShapeOp::create(rewriter, loc, expand.getResultType(), slice,
                                                     expand.getReassociationIndices(),
                                                     expand.getMixedOutputShape());
      rewriter.modifyOpInPlace(interior->getOwner(), [&] { interior->set(reshaped); });
    }
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(op, op.getSource(), result, interiorOffsets,
                                                       interiorSizes, strides);
    return success();
  }
};

struct NNCCPUDecomposePadPass final
    : nnc::impl::NNCCPUDecomposePadPassBase<NNCCPUDecomposePadPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadAsBorderFills>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

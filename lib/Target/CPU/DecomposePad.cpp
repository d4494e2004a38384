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

/// `padded` with `value` written to the last `p` columns of each row but
/// the last and the first `p` of the row after it (see PadAsBorderFills).
Value fillSeams(OpBuilder &b, Location loc, Value padded, Value value, int64_t p) {
  auto type = cast<RankedTensorType>(padded.getType());
  int64_t rank = type.getRank(), rows = type.getDimSize(rank - 2),
          width = type.getDimSize(rank - 1);
  SmallVector<ReassociationIndices> flatten;
  for (int64_t i = 0; i < rank - 2; ++i)
    flatten.push_back({i});
  flatten.push_back({rank - 2, rank - 1});
  Value flat = tensor::CollapseShapeOp::create(b, loc, padded, flatten);
  // From the first seam on, (rows - 1) rows of `width`, whose first 2p
  // columns are the seams.
  SmallVector<int64_t> offsets(rank - 1, 0), sizes(type.getShape().drop_back(2));
  offsets.back() = width - p;
  sizes.push_back((rows - 1) * width);
  SmallVector<OpFoldResult> ones(rank - 1, b.getIndexAttr(1));
  auto offsetValues = getAsIndexOpFoldResult(b.getContext(), offsets),
       sizeValues = getAsIndexOpFoldResult(b.getContext(), sizes);
  Value shifted = tensor::ExtractSliceOp::create(b, loc, flat, offsetValues, sizeValues, ones);
  SmallVector<int64_t> gridShape(type.getShape().drop_back(2));
  gridShape.append({rows - 1, width});
  auto gridType = RankedTensorType::get(gridShape, type.getElementType());
  Value grid = tensor::ExpandShapeOp::create(b, loc, gridType, shifted, flatten);
  SmallVector<int64_t> seamSizes(gridShape);
  seamSizes.back() = 2 * p;
  SmallVector<OpFoldResult> zeros(rank, b.getIndexAttr(0)), unit(rank, b.getIndexAttr(1));
  auto seamSizeValues = getAsIndexOpFoldResult(b.getContext(), seamSizes);
  Value seam = tensor::ExtractSliceOp::create(b, loc, grid, zeros, seamSizeValues, unit);
  Value filled = linalg::FillOp::create(b, loc, value, seam).getResult(0);
  grid = tensor::InsertSliceOp::create(b, loc, filled, grid, zeros, seamSizeValues, unit);
  shifted = tensor::CollapseShapeOp::create(b, loc, grid, flatten);
  flat = tensor::InsertSliceOp::create(b, loc, shifted, flat, offsetValues, sizeValues, ones);
  return tensor::ExpandShapeOp::create(b, loc, type, flat, flatten);
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
    // With rows padded above and below and columns by p on both sides, the
    // right border of one row and the left border of the next are 2p
    // consecutive elements: one fill of those seams (through a flat view of
    // the rows) touches each cache line once, where the two column fills
    // touched it twice, far apart (MobileNetV2's padded buffers are filled
    // on every run).
    bool seams = rank >= 2 && low[rank - 1] > 0 && low[rank - 1] == high[rank - 1] &&
                 low[rank - 2] > 0 && high[rank - 2] > 0;
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (seams && dim == rank - 1) {
        result = fillSeams(rewriter, loc, result, value, low[dim]);
        continue;
      }
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

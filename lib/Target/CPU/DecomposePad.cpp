//===- DecomposePad.cpp - constant pads as border fills + insert ----------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUDECOMPOSEPADPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
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
    Value result = tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    // Fills the slab [begin, begin + size) of dim `dim` (whole along the others).
    auto fillSlab = [&](int64_t dim, int64_t begin, int64_t size) {
      SmallVector<int64_t> offsets(rank, 0), sizes(shape);
      offsets[dim] = begin;
      sizes[dim] = size;
      SmallVector<OpFoldResult> offsetValues = getAsIndexOpFoldResult(context, offsets),
                                sizeValues = getAsIndexOpFoldResult(context, sizes);
      Value slab = tensor::ExtractSliceOp::create(rewriter, loc, result, offsetValues, sizeValues,
                                                  strides);
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
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, op.getSource(), result, getAsIndexOpFoldResult(context, low),
        getAsIndexOpFoldResult(context, op.getSourceType().getShape()), strides);
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

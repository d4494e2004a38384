//===- FoldConstantTransposes.cpp - transpose weights at compile time -----===//

#include "nnc/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc::nn {
#define GEN_PASS_DEF_NNFOLDCONSTANTTRANSPOSESPASS
#include "nnc/Dialect/NN/Transforms/Passes.h.inc"
} // namespace mlir::nnc::nn

using namespace mlir;
using namespace mlir::nnc;

namespace {
struct TransposeConstant : OpRewritePattern<nn::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TransposeOp op, PatternRewriter &rewriter) const override {
    auto constant = op.getInput().getDefiningOp<nn::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    ElementsAttr value = constant.getValue();
    auto resultType = op.getType();
    if (auto dense = dyn_cast<DenseElementsAttr>(value); dense && dense.isSplat()) {
      rewriter.replaceOpWithNewOp<nn::ConstantOp>(op, dense.resizeSplat(resultType));
      return success();
    }
    ArrayRef<char> input = nn::getRawElementBytes(value);
    if (input.empty())
      return rewriter.notifyMatchFailure(op, "constant data is not available as bytes");
    auto inType = cast<RankedTensorType>(value.getType());
    size_t width = inType.getElementTypeBitWidth() / 8;
    ArrayRef<int64_t> perm = op.getPerm(), outShape = resultType.getShape();
    // Input strides, gathered in output dim order.
    int64_t rank = inType.getRank();
    SmallVector<int64_t> inStrides(rank, 1), strideOfOutDim(rank);
    for (int64_t d = rank - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * inType.getDimSize(d + 1);
    for (int64_t d = 0; d < rank; ++d)
      strideOfOutDim[d] = inStrides[perm[d]];
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(input.size(), alignof(std::max_align_t));
    MutableArrayRef<char> output = blob.getMutableData();
    SmallVector<int64_t> coords(rank, 0);
    for (int64_t i = 0, n = resultType.getNumElements(); i < n; ++i) {
      int64_t source = 0;
      for (int64_t d = 0; d < rank; ++d)
        source += coords[d] * strideOfOutDim[d];
      std::memcpy(output.data() + i * width, input.data() + source * width, width);
      for (int64_t d = rank - 1; d >= 0 && ++coords[d] == outShape[d]; --d)
        coords[d] = 0;
    }
    rewriter.replaceOpWithNewOp<nn::ConstantOp>(
        op, DenseResourceElementsAttr::get(resultType, "transposed", std::move(blob)));
    return success();
  }
};

struct NNFoldConstantTransposesPass final
    : nn::impl::NNFoldConstantTransposesPassBase<NNFoldConstantTransposesPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TransposeConstant>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

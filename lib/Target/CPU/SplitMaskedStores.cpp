//===- SplitMaskedStores.cpp - masked vector tails as plain stores --------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/bit.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUSPLITMASKEDSTORESPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// The number of leading lanes that a 1-D mask of constant size enables
/// (vectorization makes `vector.create_mask %c3`, which folds to
/// `vector.constant_mask [3]` only later).
std::optional<int64_t> activeLanes(Value mask) {
  if (auto constant = mask.getDefiningOp<vector::ConstantMaskOp>())
    return constant.getMaskDimSizes()[0];
  auto create = mask.getDefiningOp<vector::CreateMaskOp>();
  APInt size;
  if (create && create->getNumOperands() == 1 &&
      matchPattern(create->getOperand(0), m_ConstantInt(&size)))
    return size.getSExtValue();
  return std::nullopt;
}

struct SplitConstantMaskedWrite : OpRewritePattern<vector::TransferWriteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferWriteOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getVectorType();
    std::optional<int64_t> active = op.getMask() ? activeLanes(op.getMask()) : std::nullopt;
    if (!active || type.getRank() != 1 || type.isScalable())
      return rewriter.notifyMatchFailure(op, "needs a 1-D vector with a constant mask");
    // A vector of i1 is stored as packed bits, not as the buffer's bytes.
    if (type.getElementTypeBitWidth() % 8 != 0)
      return rewriter.notifyMatchFailure(op, "needs whole-byte elements");
    auto dim = dyn_cast<AffineDimExpr>(op.getPermutationMap().getResult(0));
    if (!dim)
      return rewriter.notifyMatchFailure(op, "the vector does not run along a dim");
    int64_t lanes = type.getDimSize(0);
    active = std::clamp<int64_t>(*active, 0, lanes);
    Location loc = op.getLoc();
    Value result = op.getBase();
    // The whole vector when every lane is active; else the binary
    // decomposition of the active count into power-of-two pieces, in order
    // (none when no lane is active).
    int64_t first = *active == lanes
                        ? lanes
                        : static_cast<int64_t>(llvm::bit_floor(static_cast<uint64_t>(lanes)));
    for (int64_t offset = 0, size = first; size > 0; size /= 2) {
      if (*active - offset < size)
        continue;
      Value piece = op.getVector();
      if (size != lanes)
        piece = vector::ExtractStridedSliceOp::create(rewriter, loc, piece, {offset}, {size}, {1});
      SmallVector<Value> indices(op.getIndices());
      Value &index = indices[dim.getPosition()];
      if (offset != 0)
        index = arith::AddIOp::create(rewriter, loc, index,
                                      arith::ConstantIndexOp::create(rewriter, loc, offset));
      auto write = vector::TransferWriteOp::create(
          rewriter, loc, piece, result, indices, op.getPermutationMapAttr(), op.getInBoundsAttr());
      if (write->getNumResults() == 1)
        result = write->getResult(0);
      offset += size;
    }
    if (op->getNumResults() == 1)
      rewriter.replaceOp(op, result);
    else
      rewriter.eraseOp(op);
    return success();
  }
};

struct NNCCPUSplitMaskedStoresPass final
    : nnc::impl::NNCCPUSplitMaskedStoresPassBase<NNCCPUSplitMaskedStoresPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SplitConstantMaskedWrite>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

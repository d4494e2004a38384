//===- ControlFlow.cpp - nn.if -> scf.if -----------------------------------===//

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::nnc;

namespace {
struct IfToSCF : OpRewritePattern<nn::IfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::IfOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto condType = op.getCondition().getType();
    SmallVector<Value> zeros(condType.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value condition = tensor::ExtractOp::create(rewriter, loc, op.getCondition(), zeros);
    auto ifOp = scf::IfOp::create(rewriter, loc, op.getResultTypes(), condition,
                                  /*withElseRegion=*/true);
    for (auto [from, to] : {std::pair{&op.getThenRegion(), &ifOp.getThenRegion()},
                            std::pair{&op.getElseRegion(), &ifOp.getElseRegion()}}) {
      rewriter.eraseBlock(&to->front());
      rewriter.inlineRegionBefore(*from, *to, to->end());
      auto yield = cast<nn::YieldOp>(to->front().getTerminator());
      rewriter.setInsertionPoint(yield);
      rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, yield.getValues());
    }
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNControlFlowToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<IfToSCF>(patterns.getContext());
}

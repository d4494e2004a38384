//===- ExpandCopies.cpp - strided memref.copy -> linalg.copy --------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUEXPANDCOPIESPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
struct StridedCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op, PatternRewriter &rewriter) const override {
    auto isContiguous = [](Value v) {
      auto type = cast<MemRefType>(v.getType());
      return type.getLayout().isIdentity() || type.areTrailingDimsContiguous(type.getRank());
    };
    if (isContiguous(op.getSource()) && isContiguous(op.getTarget()))
      return rewriter.notifyMatchFailure(op, "contiguous copies become memcpy");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(), op.getTarget());
    return success();
  }
};

struct NNCCPUExpandCopiesPass final
    : nnc::impl::NNCCPUExpandCopiesPassBase<NNCCPUExpandCopiesPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<StridedCopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

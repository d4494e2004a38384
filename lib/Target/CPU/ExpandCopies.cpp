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
    // Only identity layouts are sure to become memcpy; a strided one may be
    // contiguous yet still lower to the runtime call.
    auto isIdentity = [](Value v) {
      return cast<MemRefType>(v.getType()).getLayout().isIdentity();
    };
    if (isIdentity(op.getSource()) && isIdentity(op.getTarget()))
      return rewriter.notifyMatchFailure(op, "identity-layout copies become memcpy");
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

//===- ApproximateMath.cpp - inline polynomial math for the hot functions -===//
//
// exp, erf, tanh and log otherwise become libm calls, one per element: in the
// softmax, GELU and LSTM gates of a model those calls dominate. MLIR's
// polynomial approximations (Cephes-style, f32) expand them inline, for
// scalars and vectors alike, so that they vectorize with the loop around
// them. Their accuracy is checked against the ONNX node tests and the
// float64 references in test/E2E.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUAPPROXIMATEMATHPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
struct NNCCPUApproximateMathPass final
    : nnc::impl::NNCCPUApproximateMathPassBase<NNCCPUApproximateMathPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    auto selected = [](StringRef name) {
      return llvm::is_contained({math::ExpOp::getOperationName(), math::ExpM1Op::getOperationName(),
                                 math::ErfOp::getOperationName(), math::TanhOp::getOperationName(),
                                 math::LogOp::getOperationName(), math::Log1pOp::getOperationName(),
                                 math::Log2Op::getOperationName()},
                                name);
    };
    populateMathF32ExpansionPatterns(patterns, selected);
    populateMathPolynomialApproximationPatterns(patterns, selected);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

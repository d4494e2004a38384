//===- ApproximateMath.cpp - inline polynomial math for the hot functions -===//
//
// exp, erf, tanh and log otherwise become libm calls, one per element: in the
// softmax, GELU and LSTM gates of a model those calls dominate. MLIR's
// polynomial approximations (Cephes-style, f32) expand them inline, for
// scalars and vectors alike, so that they vectorize with the loop around
// them. Their accuracy is checked against the ONNX node tests and the
// float64 references in test/E2E.
//
// Float max and min (ReLU, Clip) may also ignore the sign of zero: the IEEE
// maximum(x, 0) then lowers to one vmaxps(0, x) on x86, which returns x when
// it is NaN, instead of vmaxps, a NaN compare and a blend (a tenth of
// MobileNetV2's 1x1-convolution kernels with k = 16). A zero result may then
// be -0.0 where IEEE gives +0.0; NaN still propagates.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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
    getOperation().walk([](Operation *op) {
      auto fastMath = dyn_cast<arith::ArithFastMathInterface>(op);
      if (!fastMath || !isa<arith::MaximumFOp, arith::MinimumFOp>(op))
        return;
      op->setAttr(fastMath.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(op->getContext(),
                                                fastMath.getFastMathFlagsAttr().getValue() |
                                                    arith::FastMathFlags::nsz));
    });
  }
};
} // namespace

//===- NNToLinalg.cpp - the nnc-convert-nn-to-linalg pass -----------------===//

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"

#include "nnc/Conversion/Passes.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCONVERTNNTOLINALGPASS
#include "nnc/Conversion/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

void mlir::nnc::populateNNToLinalgConversionPatterns(RewritePatternSet &patterns) {
  populateNNElementwiseToLinalgPatterns(patterns);
  populateNNContractionToLinalgPatterns(patterns);
  populateNNPoolToLinalgPatterns(patterns);
  populateNNReductionToLinalgPatterns(patterns);
  populateNNRecurrentToLinalgPatterns(patterns);
  populateNNResizeToLinalgPatterns(patterns);
  populateNNControlFlowToSCFPatterns(patterns);
  populateNNDataMovementToLinalgPatterns(patterns);
}

namespace {
struct NNCConvertNNToLinalgPass final
    : nnc::impl::NNCConvertNNToLinalgPassBase<NNCConvertNNToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateNNToLinalgConversionPatterns(patterns);
    ConversionTarget target(getContext());
    target.addIllegalDialect<nn::NNDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

//===- Winograd.cpp - the nnc-cpu-winograd pass ---------------------------===//

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Target/CPU/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUWINOGRADPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
struct NNCCPUWinogradPass final : nnc::impl::NNCCPUWinogradPassBase<NNCCPUWinogradPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateNNWinogradConvToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

//===- SelectStrategy.cpp - thread-block shapes of device loops -----------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDASELECTSTRATEGYPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
constexpr int64_t kWarpSize = 32;

/// Iterations of `loop` when its bounds are constants.
std::optional<int64_t> staticIterations(scf::ParallelOp loop) {
  int64_t total = 1;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto l = getConstantIntValue(lb), u = getConstantIntValue(ub), s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    total *= *u > *l ? llvm::divideCeil(*u - *l, *s) : 0;
  }
  return total;
}

struct NNCCUDASelectStrategyPass final
    : nnc::impl::NNCCUDASelectStrategyPassBase<NNCCUDASelectStrategyPass> {
  using Base::Base;
  void runOnOperation() override {
    int64_t maxBlock = std::max<int64_t>(llvm::alignTo(maxBlockSize, kWarpSize), kWarpSize);
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      int64_t block = maxBlock;
      if (auto total = staticIterations(loop))
        block = std::clamp<int64_t>(llvm::alignTo(*total, kWarpSize), kWarpSize, maxBlock);
      loop->setAttr(nnc::cuda::kBlockSizeAttrName,
                    IntegerAttr::get(IntegerType::get(&getContext(), 64), block));
      return WalkResult::skip();
    });
  }
};
} // namespace

//===- SelectStrategy.cpp - thread-block shapes of device loops -----------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDASELECTSTRATEGYPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using nnc::cuda::kWarpSize;

namespace {
/// Below this many steps a warp's lanes would idle in a split reduction.
constexpr int64_t kMinSplitReduction = 256;

std::optional<int64_t> tripCount(Value lb, Value ub, Value step) {
  auto l = getConstantIntValue(lb), u = getConstantIntValue(ub), s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u > *l ? llvm::divideCeil(*u - *l, *s) : 0;
}

/// Iterations of `loop` when its bounds are constants.
std::optional<int64_t> staticIterations(scf::ParallelOp loop) {
  int64_t total = 1;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> trips = tripCount(lb, ub, step);
    if (!trips)
      return std::nullopt;
    total *= *trips;
  }
  return total;
}

/// Whether `loop` carries one f32 that each step only adds to (directly, or
/// through a nested loop of the same form); multiplies `steps` by the trip
/// counts (0 when one is unknown).
bool isSumLoop(scf::ForOp loop, int64_t &steps) {
  if (loop.getNumRegionIterArgs() != 1 || !loop.getRegionIterArgs()[0].getType().isF32() ||
      !loop.getRegionIterArgs()[0].hasOneUse())
    return false;
  steps *= tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()).value_or(0);
  BlockArgument acc = loop.getRegionIterArgs()[0];
  Value yielded = loop.getBody()->getTerminator()->getOperand(0);
  if (auto add = yielded.getDefiningOp<arith::AddFOp>())
    return add.getLhs() == acc || add.getRhs() == acc;
  auto nested = yielded.getDefiningOp<scf::ForOp>();
  return nested && nested->getBlock() == loop.getBody() && nested.getInitArgs().size() == 1 &&
         nested.getInitArgs()[0] == acc && isSumLoop(nested, steps);
}

/// The body's one scf.for if it is a sum loop, with its total steps.
std::pair<scf::ForOp, int64_t> splittableReduction(scf::ParallelOp loop) {
  scf::ForOp found;
  for (Operation &op : loop.getBody()->without_terminator()) {
    auto inner = dyn_cast<scf::ForOp>(op);
    if (!inner)
      continue;
    if (found)
      return {};
    found = inner;
  }
  int64_t steps = 1;
  if (!found || !isSumLoop(found, steps))
    return {};
  return {found, steps};
}
} // namespace

scf::ForOp nnc::cuda::getSplittableReduction(scf::ParallelOp loop) {
  return splittableReduction(loop).first;
}

namespace {
struct NNCCUDASelectStrategyPass final
    : nnc::impl::NNCCUDASelectStrategyPassBase<NNCCUDASelectStrategyPass> {
  using Base::Base;
  void runOnOperation() override {
    int64_t maxBlock = std::max<int64_t>(llvm::alignTo(maxBlockSize, kWarpSize), kWarpSize);
    auto i64 = IntegerType::get(&getContext(), 64);
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      std::optional<int64_t> total = staticIterations(loop);
      // Few points with long sums (the last convolutions of a CNN, a
      // classifier's matrix-vector product): a warp per point, each lane
      // summing every 32nd step.
      int64_t lanes = total && *total <= nnc::cuda::kMaxWarpSharedPoints &&
                              splittableReduction(loop).second >= kMinSplitReduction
                          ? kWarpSize
                          : 1;
      int64_t block = maxBlock;
      if (total && lanes == 1)
        block = std::clamp<int64_t>(llvm::alignTo(*total, kWarpSize), kWarpSize, maxBlock);
      loop->setAttr(nnc::cuda::kBlockSizeAttrName, IntegerAttr::get(i64, block));
      loop->setAttr(nnc::cuda::kLanesAttrName, IntegerAttr::get(i64, lanes));
      return WalkResult::skip();
    });
  }
};
} // namespace

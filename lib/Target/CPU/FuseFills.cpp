//===- FuseFills.cpp - border fills inside the loop that uses the buffer --===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUFUSEFILLSPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// The elements of an allocation a static view covers: offset + sum of
/// i_k * strides[k] for i_k < sizes[k].
struct Placement {
  Value allocation;
  int64_t offset;
  SmallVector<int64_t> sizes, strides;
};

/// Whether a view of `view` may alias a view of `allocation`: unless both
/// are taken (through any view-like ops) of different buffers that cannot
/// overlap, such as two allocations, a global and a function argument.
bool mayAlias(Value view, Value allocation) {
  while (auto viewLike = view.getDefiningOp<ViewLikeOpInterface>())
    view = viewLike.getViewSource();
  if (view == allocation)
    return true;
  if (auto argument = dyn_cast<BlockArgument>(view))
    return !isa<FunctionOpInterface>(argument.getOwner()->getParentOp());
  return !view.getDefiningOp<memref::AllocOp>() && !view.getDefiningOp<memref::GetGlobalOp>();
}

/// Whether `value` is defined outside `op`.
bool definedOutside(Value value, Operation *op) {
  return !op->isAncestor(value.getParentRegion()->getParentOp());
}

/// Where a view lies in the allocation it was taken of, when it is reached
/// through subviews, reshapes and casts only (whose layouts count from the
/// allocation's start) and its layout is static.
std::optional<Placement> placementOf(Value view) {
  auto type = dyn_cast<MemRefType>(view.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  Value allocation = view;
  while (!allocation.getDefiningOp<memref::AllocOp>()) {
    Operation *def = allocation.getDefiningOp();
    if (!isa_and_nonnull<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
                         memref::CastOp>(def))
      return std::nullopt;
    allocation = cast<ViewLikeOpInterface>(def).getViewSource();
  }
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || ShapedType::isDynamic(offset) ||
      llvm::any_of(strides, [](int64_t s) { return ShapedType::isDynamic(s) || s < 0; }))
    return std::nullopt;
  return Placement{allocation, offset, llvm::to_vector(type.getShape()), strides};
}

/// Whether two placements share no element. Each is bounded by an interval
/// of positions, and, modulo a stride M of either, by a circular interval
/// (dims whose strides are multiples of M drop out): a padded image's
/// border columns and interior are apart modulo the row length, its border
/// rows and interior modulo the plane size.
bool provablyDisjoint(const Placement &a, const Placement &b) {
  if (a.allocation != b.allocation || llvm::is_contained(a.sizes, 0) ||
      llvm::is_contained(b.sizes, 0))
    return true;
  // The positions covered, modulo `modulus` (0: none): `length` of them
  // from `start` on.
  auto arc = [](const Placement &p, int64_t modulus) {
    int64_t span = 0;
    for (auto [size, stride] : llvm::zip_equal(p.sizes, p.strides))
      if (size > 1 && (modulus == 0 || stride % modulus != 0))
        span += (size - 1) * stride;
    return std::pair(modulus ? p.offset % modulus : p.offset, span + 1);
  };
  SmallVector<int64_t> moduli{0};
  for (const Placement *p : {&a, &b})
    for (auto [size, stride] : llvm::zip_equal(p->sizes, p->strides))
      if (size > 1 && stride > 1)
        moduli.push_back(stride);
  for (int64_t modulus : moduli) {
    auto [aStart, aLength] = arc(a, modulus);
    auto [bStart, bLength] = arc(b, modulus);
    if (modulus == 0) {
      if (aStart + aLength <= bStart || bStart + bLength <= aStart)
        return true;
      continue;
    }
    // Two arcs meet when one starts inside the other.
    auto distance = [&](int64_t from, int64_t to) {
      return ((to - from) % modulus + modulus) % modulus;
    };
    if (aLength < modulus && bLength < modulus && distance(aStart, bStart) >= aLength &&
        distance(bStart, aStart) >= bLength)
      return true;
  }
  return false;
}

/// The first of the consecutive planes of `planeSize` elements that a
/// placement lies in when its dim `dim` (of that stride) is fixed at 0 and
/// the other dims stay within one plane; nullopt when they do not.
std::optional<int64_t> firstPlane(const Placement &p, unsigned dim, int64_t planeSize) {
  if (p.strides[dim] != planeSize)
    return std::nullopt;
  int64_t span = 0;
  for (auto [k, size, stride] : llvm::enumerate(p.sizes, p.strides))
    if (k != dim)
      span += (size - 1) * stride;
  if (p.offset % planeSize + span >= planeSize)
    return std::nullopt;
  return p.offset / planeSize;
}

/// An op that loads or stores one element or vector: the view, the indices
/// and the dims the vector runs along (none for a scalar).
struct Access {
  Value view;
  ValueRange indices;
  AffineMap vectorDims;
};
std::optional<Access> accessOf(Operation *op) {
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return Access{load.getMemRef(), load.getIndices(), AffineMap()};
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return Access{store.getMemRef(), store.getIndices(), AffineMap()};
  if (auto read = dyn_cast<vector::TransferReadOp>(op))
    return Access{read.getBase(), read.getIndices(), read.getPermutationMap()};
  if (auto write = dyn_cast<vector::TransferWriteOp>(op))
    return Access{write.getBase(), write.getIndices(), write.getPermutationMap()};
  return std::nullopt;
}

/// Whether `index` stays within the chunk [iv, iv + step) of `loop`'s
/// iteration iv (the induction variable plus an inner loop's, say).
bool isWithinChunk(Value index, scf::ForOp loop, int64_t step) {
  using Bounds = ValueBoundsConstraintSet;
  Value iv = loop.getInductionVar();
  AffineMap chunkEnd = AffineMap::get(1, 0, getAffineDimExpr(0, loop.getContext()) + step);
  return Bounds::compare(index, Bounds::ComparisonOperator::GE, iv) &&
         Bounds::compare(index, Bounds::ComparisonOperator::LT,
                         Bounds::Variable(chunkEnd, ValueRange{iv}));
}

/// Whether `loop`'s chunks, at iteration `iv`, touch `allocation` only
/// through views taken outside the loop within planes [first + iv,
/// first + iv + step) of `planeSize` elements, so that chunks touch
/// disjoint parts of it: subviews of those planes, and loads and stores
/// whose index along the planes is within the chunk's.
bool touchesOnlyOwnPlanes(scf::ForOp loop, Value allocation, int64_t planeSize, int64_t first,
                          int64_t step) {
  Region &body = loop.getBodyRegion();
  WalkResult result = body.walk([&](Operation *op) {
    for (Value operand : op->getOperands()) {
      if (!isa<BaseMemRefType>(operand.getType()) || !definedOutside(operand, loop) ||
          !mayAlias(operand, allocation))
        continue;
      std::optional<Placement> source = placementOf(operand);
      if (!source)
        return WalkResult::interrupt();
      if (std::optional<Access> access = accessOf(op); access && access->view == operand) {
        // The dim along the planes (a unit dim of the same stride aside),
        // which the vector must not run along.
        auto planes =
            llvm::make_filter_range(llvm::seq<unsigned>(0, source->sizes.size()), [&](unsigned k) {
              return source->strides[k] == planeSize && source->sizes[k] > 1;
            });
        if (llvm::range_size(planes) != 1)
          return WalkResult::interrupt();
        unsigned dim = *planes.begin();
        if (firstPlane(*source, dim, planeSize) != first ||
            !isWithinChunk(access->indices[dim], loop, step) ||
            (access->vectorDims && access->vectorDims.isFunctionOfDim(dim)))
          return WalkResult::interrupt();
        continue;
      }
      auto subview = dyn_cast<memref::SubViewOp>(op);
      if (!subview || !subview.hasUnitStride() ||
          ShapedType::isDynamicShape(subview.getStaticSizes()))
        return WalkResult::interrupt();
      // The subview at iteration 0, with its one dynamic offset (the
      // loop's induction variable) along a dim of stride planeSize.
      Placement slab{allocation, source->offset, llvm::to_vector(subview.getStaticSizes()),
                     source->strides};
      std::optional<unsigned> chunkDim;
      for (auto [k, offset] : llvm::enumerate(subview.getMixedOffsets())) {
        if (std::optional<int64_t> constant = getConstantIntValue(offset)) {
          slab.offset += *constant * source->strides[k];
        } else if (!chunkDim && cast<Value>(offset) == loop.getInductionVar()) {
          chunkDim = k;
        } else {
          return WalkResult::interrupt();
        }
      }
      if (!chunkDim || slab.sizes[*chunkDim] != step ||
          firstPlane(slab, *chunkDim, planeSize) != first)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// Whether `op` (and what it nests) touches `target`'s elements: reads or
/// writes a view that may alias them. View-making ops touch nothing.
bool mayTouch(Operation *op, const Placement &target) {
  if (isMemoryEffectFree(op))
    return false;
  WalkResult result = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands()) {
      if (!isa<BaseMemRefType>(operand.getType()) || !definedOutside(operand, op) ||
          !mayAlias(operand, target.allocation))
        continue;
      std::optional<Placement> placement = placementOf(operand);
      if (!placement || !provablyDisjoint(*placement, target))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// Moves `fill` into the first parallel loop after it that touches its
/// target, if that loop's chunks each touch their own planes of the
/// allocation; there each chunk fills the slab of the target in its planes.
void fuseIntoLoop(linalg::FillOp fill) {
  if (fill.hasPureTensorSemantics())
    return;
  Value target = fill.getDpsInits()[0];
  std::optional<Placement> placement = placementOf(target);
  if (!placement)
    return;
  for (Operation *op = fill->getNextNode(); op; op = op->getNextNode()) {
    auto loop = dyn_cast<scf::ForOp>(op);
    std::optional<int64_t> lower, upper, step;
    if (loop && loop->hasAttr(nnc::cpu::kParallelAttrName) && loop.getNumResults() == 0) {
      lower = getConstantIntValue(loop.getLowerBound());
      upper = getConstantIntValue(loop.getUpperBound());
      step = getConstantIntValue(loop.getStep());
    }
    if (lower == 0 && upper && step > 0 && *upper % *step == 0) {
      for (auto [dim, size, stride] : llvm::enumerate(placement->sizes, placement->strides)) {
        if (size != *upper)
          continue;
        std::optional<int64_t> first = firstPlane(*placement, dim, stride);
        if (!first || !touchesOnlyOwnPlanes(loop, placement->allocation, stride, *first, *step))
          continue;
        OpBuilder b(loop.getBody(), loop.getBody()->begin());
        auto rank = static_cast<int64_t>(placement->sizes.size());
        SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)),
            strides(rank, b.getIndexAttr(1));
        SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(b.getContext(), placement->sizes);
        offsets[dim] = loop.getInductionVar();
        sizes[dim] = b.getIndexAttr(*step);
        Value slab = memref::SubViewOp::create(b, fill.getLoc(), target, offsets, sizes, strides);
        linalg::FillOp::create(b, fill.getLoc(), fill.getDpsInputs()[0], slab);
        fill.erase();
        return;
      }
    }
    if (mayTouch(op, *placement))
      return;
  }
}

struct NNCCPUFuseFillsPass final : nnc::impl::NNCCPUFuseFillsPassBase<NNCCPUFuseFillsPass> {
  using Base::Base;
  void runOnOperation() override {
    // Last first: a pad's fills may overlap (a border row and the column
    // border share a corner), and each moves past the ones after it once
    // those have moved.
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) { fills.push_back(fill); });
    for (linalg::FillOp fill : llvm::reverse(fills))
      fuseIntoLoop(fill);
  }
};
} // namespace

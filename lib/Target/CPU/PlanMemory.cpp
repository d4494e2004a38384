//===- PlanMemory.cpp - intermediate buffers in one workspace arena -------===//
//
// After bufferization every intermediate tensor of @main is a memref.alloc,
// which becomes a malloc/free pair per run. Large ones are served by mmap, so
// each run also pays page faults and zeroing for every fresh page. This pass
// gives every statically shaped buffer of @main's body an offset in one
// workspace, reusing the bytes of buffers that are dead by then, and passes
// the workspace in as a trailing argument: the runtime lends it (kernel_abi.h)
// and keeps it across runs.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUPLANMEMORYPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
constexpr int64_t kAlignment = 64;

/// The elements of a buffer that a static subview covers, per dim: offset,
/// size and stride.
using Region = SmallVector<std::tuple<int64_t, int64_t, int64_t>>;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes;
  /// Positions on @main's timeline of the alloc and of its last use.
  unsigned first, last;
  int64_t offset = 0;
  /// A buffer copied whole into a slice of another one and dead after the
  /// copy lives in that slice (see placeInCopyTargets): the other buffer and
  /// the slice's byte offset in it.
  Buffer *host = nullptr;
  int64_t offsetInHost = 0;
  /// The host's elements this buffer holds.
  Region regionInHost = {};
};

/// Bytes of a statically shaped, identity-layout buffer of scalars (i1 takes
/// a byte, as in the LLVM lowering); nullopt for anything else.
std::optional<int64_t> staticByteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() || type.getMemorySpace())
    return std::nullopt;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return std::nullopt;
  return type.getNumElements() * ((element.getIntOrFloatBitWidth() + 7) / 8);
}

/// Calls `visit` on every op that uses a value of `roots` or a view of one
/// (following view-like ops), with whether that use makes a view; stops at
/// the first false and returns it.
bool visitUsesThroughViews(ValueRange roots, function_ref<bool(Operation *, bool)> visit) {
  SmallVector<Value> worklist(roots);
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      bool makesView = view && view.getViewSource() == value;
      if (!visit(user, makesView))
        return false;
      if (makesView)
        worklist.append(user->result_begin(), user->result_end());
    }
  }
  return true;
}

/// The position of the last op in `block` that touches `root` or a view of
/// it; nullopt when the buffer may outlive the block or be reached through a
/// value the walk cannot follow (a returned, yielded or call-passed memref,
/// or any op result that might alias it).
std::optional<unsigned> lastUse(Value root, Block &block,
                                const DenseMap<Operation *, unsigned> &position) {
  unsigned last = 0;
  bool followed = visitUsesThroughViews(root, [&](Operation *user, bool makesView) {
    if (user->hasTrait<OpTrait::IsTerminator>() || isa<CallOpInterface>(user) ||
        (!makesView && llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>)))
      return false;
    Operation *top = block.findAncestorOpInBlock(*user);
    if (!top)
      return false;
    last = std::max(last, position.lookup(top));
    return true;
  });
  return followed ? std::optional(last) : std::nullopt;
}

/// Whether two regions of one buffer share no element: they are apart along
/// some dim (unit strides; a strided region is taken as its bounding interval).
bool disjoint(const Region &a, const Region &b) {
  for (auto [x, y] : llvm::zip_equal(a, b)) {
    auto [xOffset, xSize, xStride] = x;
    auto [yOffset, ySize, yStride] = y;
    if (xOffset + (xSize - 1) * xStride < yOffset || yOffset + (ySize - 1) * yStride < xOffset)
      return true;
  }
  return false;
}

/// The region of `source` a subview of it covers; nullopt unless the
/// subview's offsets, sizes and strides are static.
std::optional<Region> sliceOf(memref::SubViewOp subview) {
  if (subview.getSourceType().getRank() != static_cast<int64_t>(subview.getStaticOffsets().size()))
    return std::nullopt;
  Region region;
  for (auto [offset, size, stride] : llvm::zip_equal(
           subview.getStaticOffsets(), subview.getStaticSizes(), subview.getStaticStrides())) {
    if (ShapedType::isDynamic(offset) || ShapedType::isDynamic(size) ||
        ShapedType::isDynamic(stride))
      return std::nullopt;
    region.push_back({offset, size, stride});
  }
  return region;
}

/// The first and last timeline positions of `op` and of every op that uses
/// its results through views; nullopt if one of them is off the timeline.
std::optional<std::pair<unsigned, unsigned>>
usesSpan(Operation *op, function_ref<std::optional<unsigned>(Operation *)> position) {
  std::optional<unsigned> at = position(op);
  if (!at)
    return std::nullopt;
  std::pair<unsigned, unsigned> span{*at, *at};
  bool followed = visitUsesThroughViews(op->getResults(), [&](Operation *user, bool) {
    std::optional<unsigned> userAt = position(user);
    if (userAt)
      span = {std::min(span.first, *userAt), std::max(span.second, *userAt)};
    return userAt.has_value();
  });
  return followed ? std::optional(span) : std::nullopt;
}

/// Places a buffer that is only copied whole into a contiguous slice of
/// another buffer, and dead after that copy, in the slice's bytes, and drops
/// the copy. A tensor assembled from parts (a concatenation, the transformed
/// tiles of a Winograd convolution) is written by producers of its parts
/// whose results bufferization could not place in the whole tensor; this
/// gives them the slices they are copied into. The slice must not be
/// touched between the part's alloc and the copy: every other access to the
/// target buffer in that span goes through a static subview disjoint from
/// it. `position` gives the timeline position of an op of a timeline block.
void placeInCopyTargets(MutableArrayRef<Buffer> buffers,
                        function_ref<std::optional<unsigned>(Operation *)> position) {
  DenseMap<Value, Buffer *> byValue;
  llvm::SmallPtrSet<Buffer *, 8> wholes;
  for (Buffer &buffer : buffers)
    byValue[buffer.alloc.getResult()] = &buffer;
  for (Buffer &part : buffers) {
    Value value = part.alloc.getResult();
    memref::CopyOp copy;
    for (Operation *user : value.getUsers())
      if (auto candidate = dyn_cast<memref::CopyOp>(user);
          candidate && candidate.getSource() == value)
        copy = candidate;
    if (!copy || position(copy) != part.last || copy->getBlock() != part.alloc->getBlock())
      continue;
    auto target = copy.getTarget().getDefiningOp<memref::SubViewOp>();
    if (!target || !memref::isStaticShapeAndContiguousRowMajor(target.getType()))
      continue;
    auto found = byValue.find(target.getSource());
    if (found == byValue.end() || found->second == &part || found->second->host)
      continue;
    Buffer &whole = *found->second;
    std::optional<Region> slice = sliceOf(target);
    if (!slice || whole.alloc->getBlock() != part.alloc->getBlock())
      continue;
    // Every access to the target buffer between the part's alloc and the
    // copy (through views too) reads or writes a region disjoint from the
    // slice.
    bool clear = target->hasOneUse();
    for (Operation *user : whole.alloc.getResult().getUsers()) {
      if (user == target)
        continue;
      std::optional<std::pair<unsigned, unsigned>> span = usesSpan(user, position);
      if (span && (span->second < part.first || span->first > part.last))
        continue;
      auto view = dyn_cast<memref::SubViewOp>(user);
      std::optional<Region> region = view ? sliceOf(view) : std::nullopt;
      if (!span || !region || !disjoint(*region, *slice)) {
        clear = false;
        break;
      }
    }
    // Nor may it overlap a part already placed in the target while both
    // are live: that part reads and writes through its own buffer.
    for (const Buffer &other : buffers)
      if (other.host == &whole && !disjoint(other.regionInHost, *slice) &&
          other.first <= part.last && part.first <= other.last)
        clear = false;
    if (!clear)
      continue;
    int64_t elementBytes = part.bytes / part.alloc.getType().getNumElements();
    SmallVector<int64_t> strides;
    int64_t elementOffset;
    if (failed(target.getType().getStridesAndOffset(strides, elementOffset)) ||
        elementOffset * elementBytes % kAlignment != 0 || wholes.contains(&part))
      continue;
    wholes.insert(&whole);
    part.host = &whole;
    part.offsetInHost = elementOffset * elementBytes;
    part.regionInHost = *slice;
    whole.first = std::min(whole.first, part.first);
    whole.last = std::max(whole.last, part.last);
    copy.erase();
  }
}

/// Places each buffer at the lowest 64-byte aligned offset where it overlaps
/// no buffer live at the same time, largest first; returns the arena size.
int64_t assignOffsets(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    if (!b.host)
      order.push_back(&b);
  llvm::sort(order, [](Buffer *a, Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->first < b->first;
  });
  SmallVector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *buffer : order) {
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (Buffer *other : placed)
      if (other->first <= buffer->last && buffer->first <= other->last)
        taken.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + buffer->bytes <= begin)
        break;
      offset = std::max<int64_t>(offset, llvm::alignTo(end, kAlignment));
    }
    buffer->offset = offset;
    total = std::max(total, offset + buffer->bytes);
    placed.push_back(buffer);
  }
  for (Buffer &b : buffers)
    if (b.host)
      b.offset = b.host->offset + b.offsetInHost;
  return static_cast<int64_t>(llvm::alignTo(total, kAlignment));
}

LogicalResult planMemory(func::FuncOp main) {
  // One timeline: the body of a loop at the top of @main (a per-image loop)
  // comes before the loop itself, so that a buffer used by the loop stays
  // live across all of its body, and a buffer of the body lives within one
  // iteration.
  Block &entry = main.getBody().front();
  SmallVector<Block *> blocks{&entry};
  DenseMap<Operation *, unsigned> position;
  unsigned next = 0;
  for (Operation &op : entry) {
    // The chunks of a parallel loop run at the same time: their buffers stay
    // allocations, one per chunk.
    auto loop = dyn_cast<scf::ForOp>(op);
    if (loop && !loop->hasAttr(nnc::cpu::kParallelAttrName)) {
      blocks.push_back(loop.getBody());
      for (Operation &inner : *loop.getBody())
        position[&inner] = next++;
    }
    position[&op] = next++;
  }

  SmallVector<Buffer> buffers;
  for (Block *block : blocks) {
    for (auto alloc : block->getOps<memref::AllocOp>()) {
      auto bytes = staticByteSize(alloc.getType());
      if (!bytes || (alloc.getAlignment() && *alloc.getAlignment() > kAlignment))
        continue;
      auto last = lastUse(alloc.getResult(), *block, position);
      if (!last)
        continue;
      unsigned first = position.lookup(alloc);
      buffers.push_back({alloc, std::max<int64_t>(*bytes, 1), first, std::max(first, *last)});
    }
  }
  if (buffers.empty())
    return success();

  placeInCopyTargets(buffers, [&](Operation *op) -> std::optional<unsigned> {
    for (Block *block : llvm::reverse(blocks))
      if (Operation *top = block->findAncestorOpInBlock(*op))
        return position.lookup(top);
    return std::nullopt;
  });
  int64_t size = assignOffsets(buffers);
  auto workspaceType = MemRefType::get({size}, IntegerType::get(main.getContext(), 8));
  if (failed(main.insertArgument(main.getNumArguments(), workspaceType,
                                 DictionaryAttr::get(main.getContext()), main.getLoc())))
    return failure();
  Value workspace = entry.getArguments().back();
  for (Buffer &buffer : buffers) {
    OpBuilder b(buffer.alloc);
    Value offset = arith::ConstantIndexOp::create(b, buffer.alloc.getLoc(), buffer.offset);
    Value view = memref::ViewOp::create(b, buffer.alloc.getLoc(), buffer.alloc.getType(),
                                        workspace, offset, ValueRange{});
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
  }
  main->getParentOp()->setAttr("nnc.workspace_size",
                               IntegerAttr::get(IntegerType::get(main.getContext(), 64), size));
  return success();
}

struct NNCCPUPlanMemoryPass final : nnc::impl::NNCCPUPlanMemoryPassBase<NNCCPUPlanMemoryPass> {
  using Base::Base;
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>("main");
    if (main && !main.isExternal() && failed(planMemory(main)))
      return signalPassFailure();
  }
};
} // namespace

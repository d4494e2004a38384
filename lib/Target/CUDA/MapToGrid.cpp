//===- MapToGrid.cpp - device work of @main -> gpu.launch -----------------===//
//
// The host side of a CUDA model only launches kernels, copies and allocates:
// every buffer it sees lives in device memory. Device loops become 1-D grids
// with one thread per iteration (the simplest mapping that keeps neighbouring
// threads on neighbouring elements), or one warp per iteration where the
// strategy chose to split a long sum; anything else that touches memory runs
// as a one-thread kernel so that the host never dereferences a device pointer.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDAMAPTOGRIDPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
constexpr int64_t kDefaultBlockSize = 256;

/// Whether `value` is host memory: the small index arrays that
/// ownership-based deallocation fills with buffer addresses and passes to its
/// helper function (an alloc or alloca, or a view or cast of one, that reaches
/// a call).
bool isHostScratch(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      value = view.getViewSource();
    else if (auto cast = dyn_cast<memref::CastOp>(def))
      value = cast.getSource();
    else
      break;
  }
  if (value.getDefiningOp<memref::AllocaOp>())
    return true;
  if (!value.getDefiningOp<memref::AllocOp>())
    return false;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    for (Operation *user : current.getUsers()) {
      if (isa<func::CallOp>(user))
        return true;
      if (isa<ViewLikeOpInterface, memref::CastOp>(user))
        worklist.append(user->result_begin(), user->result_end());
    }
  }
  return false;
}

/// Whether `op` or an op nested in it reads or writes device memory.
bool accessesMemory(Operation *op) {
  WalkResult result = op->walk([](Operation *nested) {
    auto interface = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!interface)
      return WalkResult::advance();
    SmallVector<MemoryEffects::EffectInstance> effects;
    interface.getEffects(effects);
    for (const MemoryEffects::EffectInstance &effect : effects)
      if (isa<MemoryEffects::Read, MemoryEffects::Write>(effect.getEffect()) &&
          !(effect.getValue() && isHostScratch(effect.getValue())))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// Ops that stay on the host and become device allocations and copies
/// (useDeviceMemory) unless they are inside a kernel.
bool isHostMemoryOp(Operation *op) {
  return isa<memref::AllocOp, memref::DeallocOp, memref::CopyOp>(op);
}

bool isHostScratchOp(Operation *op) {
  if (auto alloc = dyn_cast<memref::AllocOp>(op))
    return isHostScratch(alloc.getMemref());
  if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
    return isHostScratch(dealloc.getMemref());
  return false;
}

bool containsParallelLoop(Operation *op) {
  return op->walk([](scf::ParallelOp) { return WalkResult::interrupt(); }).wasInterrupted();
}

/// A launch of `grid` x `block` threads (1-D); the builder is left at the
/// start of its body, before the terminator.
gpu::LaunchOp createLaunch(OpBuilder &b, Location loc, Value grid, Value block) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, block, one, one);
  b.setInsertionPointToEnd(&launch.getBody().front());
  auto terminator = gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(terminator);
  return launch;
}

/// Clones `split`, the splittable sum loop of a parallel loop's body, so that
/// `lane` of `lanes` sums every lanes-th step from 0, then adds the lanes'
/// partial sums across the warp (butterfly shuffles) and to the loop's initial
/// value; maps the loop's result to that total.
void cloneSplitSum(OpBuilder &b, Location loc, scf::ForOp split, Value lane, int64_t lanes,
                   IRMapping &mapping) {
  auto cloned = cast<scf::ForOp>(b.clone(*split, mapping));
  b.setInsertionPoint(cloned);
  Value lanesValue = arith::ConstantIndexOp::create(b, loc, lanes);
  Value step = cloned.getStep();
  cloned.setLowerBound(arith::AddIOp::create(b, loc, cloned.getLowerBound(),
                                             arith::MulIOp::create(b, loc, lane, step)));
  cloned.setStep(arith::MulIOp::create(b, loc, step, lanesValue));
  cloned.getInitArgsMutable()[0].assign(arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f)));
  b.setInsertionPointAfter(cloned);
  Value sum = cloned.getResult(0);
  for (int64_t offset = lanes / 2; offset > 0; offset /= 2) {
    auto shuffle = gpu::ShuffleOp::create(b, loc, sum, offset, lanes, gpu::ShuffleMode::XOR);
    sum = arith::AddFOp::create(b, loc, sum, shuffle.getShuffleResult());
  }
  mapping.map(split.getResult(0),
              arith::AddFOp::create(b, loc, mapping.lookup(split.getInitArgs()[0]), sum));
}

/// Replaces `loop` with a launch in which thread `t` runs the iteration of
/// row-major linear index t, or, with `nnc.cuda.lanes_per_iteration` = 32,
/// the warp `t / 32` shares the iteration of that index: each lane sums a
/// strided part of its reduction loop, lane 0 does the rest.
LogicalResult mapParallelLoop(scf::ParallelOp loop) {
  if (loop.getNumResults() != 0)
    return loop.emitError("a device loop with reductions is not supported on CUDA yet");
  Location loc = loop.getLoc();
  OpBuilder b(loop);
  int64_t blockSize = kDefaultBlockSize;
  if (auto attr = loop->getAttrOfType<IntegerAttr>(nnc::cuda::kBlockSizeAttrName))
    blockSize = attr.getInt();
  int64_t lanes = 1;
  if (auto attr = loop->getAttrOfType<IntegerAttr>(nnc::cuda::kLanesAttrName))
    lanes = attr.getInt();
  scf::ForOp split = lanes > 1 ? nnc::cuda::getSplittableReduction(loop) : scf::ForOp();
  if (lanes > 1 && (!split || lanes != nnc::cuda::kWarpSize || blockSize % lanes))
    return loop.emitError("cannot share an iteration among ")
           << lanes << " threads: its body has no sum loop or the lanes are not a warp";
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> counts;
  Value total = arith::ConstantIndexOp::create(b, loc, 1);
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    Value span = arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, ub, lb), zero);
    counts.push_back(arith::CeilDivSIOp::create(b, loc, span, step));
    total = arith::MulIOp::create(b, loc, total, counts.back());
  }
  Value lanesValue = arith::ConstantIndexOp::create(b, loc, lanes);
  Value threads = arith::MulIOp::create(b, loc, total, lanesValue);
  Value block = arith::ConstantIndexOp::create(b, loc, blockSize);
  // An empty loop still launches one block (a zero-sized grid is a launch
  // error); its threads all fail the bounds check.
  Value grid = arith::MaxSIOp::create(b, loc, arith::CeilDivSIOp::create(b, loc, threads, block),
                                      arith::ConstantIndexOp::create(b, loc, 1));
  gpu::LaunchOp launch = createLaunch(b, loc, grid, block);
  Value linear =
      arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, launch.getBlockIds().x, block),
                            launch.getThreadIds().x);
  Value point = linear, lane;
  if (lanes > 1) {
    point = arith::DivUIOp::create(b, loc, linear, lanesValue);
    lane = arith::RemUIOp::create(b, loc, linear, lanesValue);
  }
  // A warp's lanes share a point, so they pass or fail this check together.
  Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, point, total);
  auto guard = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
  b.setInsertionPointToStart(guard.thenBlock());
  IRMapping mapping;
  Value remaining = point;
  for (int64_t d = loop.getNumLoops() - 1; d >= 0; --d) {
    Value position = arith::RemUIOp::create(b, loc, remaining, counts[d]);
    if (d > 0)
      remaining = arith::DivUIOp::create(b, loc, remaining, counts[d]);
    Value iv = arith::AddIOp::create(b, loc, loop.getLowerBound()[d],
                                     arith::MulIOp::create(b, loc, position, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (&op == split.getOperation()) {
      cloneSplitSum(b, loc, split, lane, lanes, mapping);
      // What follows the sum (the store, an epilogue) runs once.
      Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane, zero);
      auto once = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
      b.setInsertionPointToStart(once.thenBlock());
      continue;
    }
    b.clone(op, mapping);
  }
  loop.erase();
  return success();
}

/// Moves `first` into a one-thread launch, with the ops after it that use
/// what it computes (rank-0 tensors lower to a load, scalar arithmetic and a
/// store, with no loop around them). Returns the op after the group.
FailureOr<Operation *> runOnOneThread(Operation *first) {
  SmallVector<Operation *> group{first};
  llvm::SmallPtrSet<Operation *, 8> members{first};
  auto usedOutside = [&] {
    for (Operation *op : group)
      for (Operation *user : op->getUsers())
        if (!members.contains(op->getBlock()->findAncestorOpInBlock(*user)))
          return true;
    return false;
  };
  while (usedOutside()) {
    Operation *next = group.back()->getNextNode();
    if (!next || next->hasTrait<OpTrait::IsTerminator>() || isa<scf::ParallelOp>(next) ||
        containsParallelLoop(next))
      return first->emitError("this computes a value the host needs from device memory, which "
                              "the CUDA target does not support yet");
    group.push_back(next);
    members.insert(next);
  }
  Operation *after = group.back()->getNextNode();
  OpBuilder b(first);
  Value one = arith::ConstantIndexOp::create(b, first->getLoc(), 1);
  createLaunch(b, first->getLoc(), one, one);
  for (Operation *op : group)
    op->moveBefore(b.getInsertionBlock(), b.getInsertionPoint());
  return after;
}

/// Maps the device work among `block`'s ops; host control flow that holds
/// device loops stays on the host and is mapped inside.
LogicalResult mapBlock(Block &block) {
  for (Operation *op = &block.front(); op;) {
    Operation *next = op->getNextNode();
    if (isHostMemoryOp(op)) {
      // Stays on the host: useDeviceMemory makes it a device allocation or copy.
    } else if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
      if (failed(mapParallelLoop(loop)))
        return failure();
    } else if (op->getNumRegions() && containsParallelLoop(op)) {
      for (Region &region : op->getRegions())
        for (Block &nested : region)
          if (failed(mapBlock(nested)))
            return failure();
    } else if (accessesMemory(op)) {
      FailureOr<Operation *> after = runOnOneThread(op);
      if (failed(after))
        return failure();
      next = *after;
    }
    op = next;
  }
  return success();
}

/// Buffers live in device memory; copies between them are device copies.
/// Each becomes the async form on a stream of its own (`gpu.wait async` ...
/// `gpu.wait`), the form gpu-to-llvm lowers; the runtime's table hands out
/// the run's one stream for every such stream, so all work stays in order.
void useDeviceMemory(func::FuncOp func) {
  MLIRContext *context = func.getContext();
  Type token = gpu::AsyncTokenType::get(context);
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<gpu::LaunchOp>(op))
      return WalkResult::skip();
    if (!isHostMemoryOp(op) || isHostScratchOp(op))
      return WalkResult::advance();
    OpBuilder b(op);
    Location loc = op->getLoc();
    Value stream = gpu::WaitOp::create(b, loc, token, ValueRange()).getAsyncToken();
    Value done;
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      auto device = gpu::AllocOp::create(b, loc, alloc.getType(), token, stream,
                                         alloc.getDynamicSizes(), alloc.getSymbolOperands());
      alloc.replaceAllUsesWith(device.getMemref());
      done = device.getAsyncToken();
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      done = gpu::DeallocOp::create(b, loc, token, stream, dealloc.getMemref()).getAsyncToken();
    } else {
      // nnc-cpu-expand-copies already turned strided copies into loops.
      auto copy = cast<memref::CopyOp>(op);
      done = gpu::MemcpyOp::create(b, loc, token, stream, copy.getTarget(), copy.getSource())
                 .getAsyncToken();
    }
    gpu::WaitOp::create(b, loc, Type(), done);
    op->erase();
    return WalkResult::skip();
  });
}

struct NNCCUDAMapToGridPass final : nnc::impl::NNCCUDAMapToGridPassBase<NNCCUDAMapToGridPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("expected a @main function to map onto the GPU");
      return signalPassFailure();
    }
    // Other functions are host helpers of the deallocation (alias checks on
    // buffer addresses); they never touch tensor data.
    for (Block &block : main.getBody())
      if (failed(mapBlock(block)))
        return signalPassFailure();
    useDeviceMemory(main);
    auto pointer = LLVM::LLVMPointerType::get(&getContext());
    if (failed(main.insertArgument(main.getNumArguments(), pointer,
                                   DictionaryAttr::get(&getContext()), main.getLoc())))
      return signalPassFailure();
    module->setAttr("nnc.device", StringAttr::get(&getContext(), "cuda"));
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), UnitAttr::get(&getContext()));
  }
};
} // namespace

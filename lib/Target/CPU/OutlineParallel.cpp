//===- OutlineParallel.cpp - chunk loops into runtime tasks ---------------===//
//
// A loop marked `nnc.parallel` (the chunk loop nnc-cpu-tile creates from a
// strategy's thread tiles) becomes a task function
//
//   func.func private @__nnc_parallel_<i>(%begin: index, %end: index,
//                                         %lb: index, %step: index, captures...)
//
// that runs chunks [begin, end), and the loop becomes a call of it over all
// chunks. The call is serial as far as MLIR is concerned; the emitter turns
// it into env->parallel_for (runtime/include/nnc_rt/kernel_abi.h) with the
// captures in a context struct, which is why @main also receives the env.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUOUTLINEPARALLELPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
func::FuncOp outlineChunkLoop(scf::ForOp loop, ModuleOp module, unsigned index) {
  Location loc = loop.getLoc();
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  // Constants are cloned into the task rather than passed.
  SmallVector<Value> captures;
  SmallVector<Operation *> constants;
  for (Value value : used) {
    Operation *def = value.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else
      captures.push_back(value);
  }

  OpBuilder b(module.getContext());
  Type indexType = b.getIndexType();
  SmallVector<Type> argTypes(4, indexType);
  for (Value capture : captures)
    argTypes.push_back(capture.getType());
  b.setInsertionPointToEnd(module.getBody());
  auto task = func::FuncOp::create(b, loc, ("__nnc_parallel_" + Twine(index)).str(),
                                   b.getFunctionType(argTypes, {}));
  task.setPrivate();
  Block *entry = task.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping mapping;
  for (Operation *constant : constants)
    b.clone(*constant, mapping);
  for (auto [capture, arg] : llvm::zip_equal(captures, entry->getArguments().drop_front(4)))
    mapping.map(capture, arg);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto chunks = scf::ForOp::create(b, loc, entry->getArgument(0), entry->getArgument(1), one);
  b.setInsertionPointToStart(chunks.getBody());
  Value offset = arith::MulIOp::create(b, loc, chunks.getInductionVar(), entry->getArgument(3));
  mapping.map(loop.getInductionVar(),
              arith::AddIOp::create(b, loc, entry->getArgument(2), offset).getResult());
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, loc);

  // The loop becomes one call over all of its iterations.
  b.setInsertionPoint(loop);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value span = arith::SubIOp::create(b, loc, loop.getUpperBound(), loop.getLowerBound());
  Value count = arith::CeilDivUIOp::create(b, loc, span, loop.getStep());
  SmallVector<Value> operands{zero, count, loop.getLowerBound(), loop.getStep()};
  operands.append(captures);
  func::CallOp::create(b, loc, task, operands);
  loop.erase();
  return task;
}

struct NNCCPUOutlineParallelPass final
    : nnc::impl::NNCCPUOutlineParallelPassBase<NNCCPUOutlineParallelPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    // Outermost marked loops without results; an inner marked loop runs
    // inside its outer one's task.
    SmallVector<scf::ForOp> loops;
    main.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (!loop->hasAttr(nnc::cpu::kParallelAttrName) || loop.getNumResults() != 0)
        return WalkResult::advance();
      loops.push_back(loop);
      return WalkResult::skip();
    });
    // Marks of loops that stay serial go too.
    main.walk([](scf::ForOp loop) { loop->removeAttr(nnc::cpu::kParallelAttrName); });
    if (loops.empty())
      return;
    for (auto [i, loop] : llvm::enumerate(loops))
      outlineChunkLoop(loop, module, i);
    auto pointer = LLVM::LLVMPointerType::get(&getContext());
    if (failed(main.insertArgument(main.getNumArguments(), pointer,
                                   DictionaryAttr::get(&getContext()), main.getLoc())))
      return signalPassFailure();
    module->setAttr("nnc.parallel_tasks",
                    IntegerAttr::get(IntegerType::get(&getContext(), 64), loops.size()));
  }
};
} // namespace

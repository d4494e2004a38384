//===- SplitEmptyTensors.cpp - one tensor.empty per use --------------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUSPLITEMPTYTENSORSPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// Whether `use` is a destination the user writes whole: the init of a
/// linalg op or of a loop (not the destination of an insert_slice, which
/// writes a part of it).
bool isDestination(OpOperand &use) {
  Operation *owner = use.getOwner();
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(owner))
    return linalgOp.isDpsInit(&use);
  if (auto loop = dyn_cast<scf::ForOp>(owner))
    return llvm::is_contained(loop.getInitArgsMutable(), use);
  return false;
}

struct NNCCPUSplitEmptyTensorsPass final
    : nnc::impl::NNCCPUSplitEmptyTensorsPassBase<NNCCPUSplitEmptyTensorsPass> {
  using Base::Base;
  void runOnOperation() override {
    OpBuilder b(&getContext());
    getOperation().walk([&](tensor::EmptyOp empty) {
      // Whole-tensor destinations are split off. So are the destinations of
      // insertions when they are the op's only other uses (the wholes that
      // several parts are inserted into, merged across layers); when the
      // op also has other uses (slices taken and inserted back, as when a
      // pad's border is filled), those share it.
      SmallVector<OpOperand *> destinations, insertions;
      bool otherUses = false;
      for (OpOperand &use : empty->getUses()) {
        if (isDestination(use))
          destinations.push_back(&use);
        else if (isa<tensor::InsertSliceOp>(use.getOwner()) &&
                 cast<tensor::InsertSliceOp>(use.getOwner()).getDest() == use.get())
          insertions.push_back(&use);
        else
          otherUses = true;
      }
      // Without other uses, every use but the first (in program order)
      // gets a copy.
      Block *block = empty->getBlock();
      auto inOrder = [&](OpOperand *a, OpOperand *b) {
        Operation *x = block->findAncestorOpInBlock(*a->getOwner());
        Operation *y = block->findAncestorOpInBlock(*b->getOwner());
        return x == y ? a->getOperandNumber() < b->getOperandNumber() : x->isBeforeInBlock(y);
      };
      if (!otherUses) {
        destinations.append(insertions);
        llvm::sort(destinations, inOrder);
      }
      ArrayRef<OpOperand *> split = destinations;
      if (!otherUses && !split.empty())
        split = split.drop_front();
      // Each copy goes right before its user (or the user's ancestor in
      // the block), so that it comes after whatever the user's other
      // operands need.
      for (OpOperand *use : split) {
        b.setInsertionPoint(block->findAncestorOpInBlock(*use->getOwner()));
        use->set(b.clone(*empty)->getResult(0));
      }
    });
  }
};
} // namespace

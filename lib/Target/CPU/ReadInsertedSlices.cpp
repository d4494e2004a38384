//===- ReadInsertedSlices.cpp - producers write into the tensors they fill ===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/IR/Dominance.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUREADINSERTEDSLICESPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// `insert` of a collapse_shape that only drops unit dims, as the insertion
/// of the collapse's source into the destination expanded the same way
/// (then collapsed back). Returns the new insertion, or null.
tensor::InsertSliceOp insertBeforeCollapse(RewriterBase &rewriter, tensor::InsertSliceOp insert) {
  auto collapse = insert.getSource().getDefiningOp<tensor::CollapseShapeOp>();
  RankedTensorType destType = insert.getDestType();
  if (!collapse || insert.getSourceType().getRank() != destType.getRank() ||
      !destType.hasStaticShape())
    return {};
  ArrayRef<int64_t> expanded = collapse.getSrcType().getShape();
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  OpFoldResult zero = rewriter.getIndexAttr(0), one = rewriter.getIndexAttr(1);
  for (auto [dim, group] : llvm::enumerate(collapse.getReassociationIndices())) {
    // The dim that carries the collapsed extent: the group's one non-unit
    // dim, or its last.
    auto isNonUnit = [&](int64_t d) { return expanded[d] != 1; };
    if (llvm::count_if(group, isNonUnit) > 1)
      return {};
    const int64_t *nonUnit = llvm::find_if(group, isNonUnit);
    int64_t carrier = nonUnit == group.end() ? group.back() : *nonUnit;
    for (int64_t d : group) {
      bool carries = d == carrier;
      shape.push_back(carries ? destType.getDimSize(dim) : 1);
      offsets.push_back(carries ? insert.getMixedOffsets()[dim] : zero);
      sizes.push_back(carries ? insert.getMixedSizes()[dim] : one);
      strides.push_back(carries ? insert.getMixedStrides()[dim] : one);
    }
  }
  Location loc = insert.getLoc();
  rewriter.setInsertionPoint(insert);
  auto expandedType = RankedTensorType::get(shape, destType.getElementType());
  Value dest = tensor::ExpandShapeOp::create(rewriter, loc, expandedType, insert.getDest(),
                                             collapse.getReassociationIndices());
  auto inserted = tensor::InsertSliceOp::create(rewriter, loc, collapse.getSrc(), dest, offsets,
                                                sizes, strides);
  rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(insert, destType, inserted.getResult(),
                                                       collapse.getReassociationIndices());
  return inserted;
}

/// Users of `value` that `insert` (which inserted it) dominates read it
/// from the insertion's result instead; `read` builds that reading from a
/// slice of it.
void readFromInsertion(RewriterBase &rewriter, DominanceInfo &dominance, Value value,
                       tensor::InsertSliceOp insert, function_ref<Value(Value)> read) {
  SmallVector<OpOperand *> later;
  for (OpOperand &use : value.getUses())
    if (use.getOwner() != insert.getOperation() &&
        dominance.properlyDominates(insert.getOperation(), use.getOwner()))
      later.push_back(&use);
  if (later.empty())
    return;
  rewriter.setInsertionPointAfter(insert);
  Value slice = tensor::ExtractSliceOp::create(rewriter, insert.getLoc(), insert.getSourceType(),
                                               insert.getResult(), insert.getMixedOffsets(),
                                               insert.getMixedSizes(), insert.getMixedStrides());
  Value replacement = read(slice);
  for (OpOperand *use : later)
    rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(replacement); });
}

struct NNCCPUReadInsertedSlicesPass final
    : nnc::impl::NNCCPUReadInsertedSlicesPassBase<NNCCPUReadInsertedSlicesPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<tensor::InsertSliceOp> inserts;
    getOperation().walk([&](tensor::InsertSliceOp insert) { inserts.push_back(insert); });
    IRRewriter rewriter(&getContext());
    // Ops are only added within blocks: the dominance of blocks holds.
    DominanceInfo dominance(getOperation());
    for (tensor::InsertSliceOp insert : inserts) {
      auto collapse = insert.getSource().getDefiningOp<tensor::CollapseShapeOp>();
      if (tensor::InsertSliceOp expanded = insertBeforeCollapse(rewriter, insert)) {
        readFromInsertion(rewriter, dominance, collapse.getSrc(), expanded,
                          [](Value slice) { return slice; });
        // Readers of the collapsed tensor read the collapsed slice.
        readFromInsertion(rewriter, dominance, collapse.getResult(), expanded, [&](Value slice) {
          return tensor::CollapseShapeOp::create(rewriter, collapse.getLoc(), collapse.getType(),
                                                 slice, collapse.getReassociationIndices())
              .getResult();
        });
        continue;
      }
      readFromInsertion(rewriter, dominance, insert.getSource(), insert,
                        [](Value slice) { return slice; });
    }
  }
};
} // namespace

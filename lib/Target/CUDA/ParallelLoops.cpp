//===- ParallelLoops.cpp - linalg on buffers -> scf.parallel --------------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDAPARALLELLOOPSPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// The loop order that puts parallel dimensions first, each group in its
/// original order; empty when that is already the order.
SmallVector<unsigned> parallelFirstOrder(linalg::GenericOp op) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, kind] : llvm::enumerate(op.getIteratorTypesArray()))
    (kind == utils::IteratorType::parallel ? parallel : reduction).push_back(i);
  if (reduction.empty() || reduction.front() == parallel.size())
    return {};
  parallel.append(reduction);
  return parallel;
}

struct NNCCUDAParallelLoopsPass final
    : nnc::impl::NNCCUDAParallelLoopsPassBase<NNCCUDAParallelLoopsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureBufferSemantics()) {
        op.emitError("expected a linalg op on buffers after bufferization");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      // linalgOpToParallelLoops makes one scf.parallel of the leading run of
      // parallel dimensions only; a parallel dimension after a reduction
      // would become a parallel loop inside a sequential one.
      if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation())) {
        op = generic;
      } else {
        auto generalized = linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized)) {
          op.emitError("cannot generalize this linalg op for the GPU");
          return signalPassFailure();
        }
        op = *generalized;
      }
      auto generic = cast<linalg::GenericOp>(op.getOperation());
      if (SmallVector<unsigned> order = parallelFirstOrder(generic); !order.empty()) {
        auto interchanged = linalg::interchangeGenericOp(rewriter, generic, order);
        if (failed(interchanged)) {
          generic.emitError("cannot move the reduction dimensions innermost");
          return signalPassFailure();
        }
        generic = *interchanged;
      }
      rewriter.setInsertionPoint(generic);
      if (failed(linalg::linalgOpToParallelLoops(rewriter, generic))) {
        generic.emitError("cannot lower this linalg op to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(generic);
    }
  }
};
} // namespace

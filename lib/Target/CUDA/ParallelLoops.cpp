//===- ParallelLoops.cpp - linalg on buffers -> scf.parallel --------------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
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

/// The element of `operand` at the iteration `ivs` (a scalar operand as is).
Value loadOperand(OpBuilder &b, Location loc, linalg::GenericOp op, OpOperand &operand,
                  ValueRange ivs) {
  if (!isa<MemRefType>(operand.get().getType()))
    return operand.get();
  AffineMap map = op.getMatchingIndexingMap(&operand);
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults())
    indices.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(map.getNumDims(), 0, expr), ivs));
  return memref::LoadOp::create(b, loc, operand.get(), indices);
}

/// `op`'s body at the iteration `ivs`, with `outputs` as the current values
/// of its outputs; returns what it yields.
SmallVector<Value> inlineBody(OpBuilder &b, Location loc, linalg::GenericOp op, ValueRange ivs,
                              ValueRange outputs) {
  Block &body = *op.getBlock();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands())
    mapping.map(body.getArgument(input->getOperandNumber()),
                loadOperand(b, loc, op, *input, ivs));
  for (auto [i, value] : llvm::enumerate(outputs))
    mapping.map(body.getArgument(op.getNumDpsInputs() + i), value);
  for (Operation &inner : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  SmallVector<Value> yielded;
  for (Value value : body.getTerminator()->getOperands())
    yielded.push_back(mapping.lookupOrDefault(value));
  return yielded;
}

/// Lowers `op` (parallel dimensions first) to an scf.parallel over its
/// parallel dimensions in which each point keeps its outputs in registers
/// across the reduction loops: one load of each output before them, one store
/// after. (Upstream's loops reload and store the output at every reduction
/// step, which a GPU thread pays as a memory round trip per multiply-add.)
/// Fails, creating nothing, when an output depends on a reduction dimension.
LogicalResult lowerToParallelLoops(RewriterBase &rewriter, linalg::GenericOp op) {
  unsigned numParallel = op.getNumParallelLoops();
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    for (unsigned d = numParallel; d < op.getNumLoops(); ++d)
      if (map.isFunctionOfDim(d))
        return failure();
  }
  Location loc = op.getLoc();
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, loc);
  auto bounds = [&](unsigned begin, unsigned end, SmallVector<Value> &lbs,
                    SmallVector<Value> &ubs, SmallVector<Value> &steps) {
    for (unsigned d = begin; d < end; ++d) {
      lbs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, ranges[d].offset));
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, ranges[d].size));
      steps.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, ranges[d].stride));
    }
  };
  SmallVector<Value> parallelLbs, parallelUbs, parallelSteps, reductionLbs, reductionUbs,
      reductionSteps;
  bounds(0, numParallel, parallelLbs, parallelUbs, parallelSteps);
  bounds(numParallel, op.getNumLoops(), reductionLbs, reductionUbs, reductionSteps);

  auto pointBody = [&](OpBuilder &b, Location loc, ValueRange parallelIvs) {
    // Outputs do not depend on the reduction dimensions: any value stands in.
    SmallVector<Value> outputIvs(parallelIvs);
    outputIvs.append(reductionLbs.begin(), reductionLbs.end());
    // An output the body does not read (elementwise ops) is not loaded.
    SmallVector<Value> initial;
    for (OpOperand &init : op.getDpsInitsMutable()) {
      if (op.payloadUsesValueFromOperand(&init)) {
        initial.push_back(loadOperand(b, loc, op, init, outputIvs));
        continue;
      }
      Type element = getElementTypeOrSelf(init.get().getType());
      initial.push_back(arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(element))));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, reductionLbs, reductionUbs, reductionSteps, initial,
        [&](OpBuilder &b, Location loc, ValueRange reductionIvs, ValueRange outputs) {
          SmallVector<Value> ivs(parallelIvs);
          ivs.append(reductionIvs.begin(), reductionIvs.end());
          return inlineBody(b, loc, op, ivs, outputs);
        });
    for (auto [init, value] : llvm::zip(op.getDpsInitsMutable(), nest.results)) {
      AffineMap map = op.getMatchingIndexingMap(&init);
      SmallVector<Value> indices;
      for (AffineExpr expr : map.getResults())
        indices.push_back(affine::AffineApplyOp::create(
            b, loc, AffineMap::get(map.getNumDims(), 0, expr), outputIvs));
      memref::StoreOp::create(b, loc, value, init.get(), indices);
    }
  };
  if (numParallel == 0)
    pointBody(rewriter, loc, ValueRange());
  else
    scf::ParallelOp::create(rewriter, loc, parallelLbs, parallelUbs, parallelSteps, pointBody);
  rewriter.eraseOp(op);
  return success();
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
      if (succeeded(lowerToParallelLoops(rewriter, generic)))
        continue;
      if (failed(linalg::linalgOpToParallelLoops(rewriter, generic))) {
        generic.emitError("cannot lower this linalg op to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(generic);
    }
  }
};
} // namespace

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
    indices.push_back(
        affine::AffineApplyOp::create(b, loc, AffineMap::get(map.getNumDims(), 0, expr), ivs));
  return memref::LoadOp::create(b, loc, operand.get(), indices);
}

/// `op`'s body at the iteration `ivs`, with `outputs` as the current values
/// of its outputs; returns what it yields.
SmallVector<Value> inlineBody(OpBuilder &b, Location loc, linalg::GenericOp op, ValueRange ivs,
                              ValueRange outputs) {
  Block &body = *op.getBlock();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands())
    mapping.map(body.getArgument(input->getOperandNumber()), loadOperand(b, loc, op, *input, ivs));
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

/// How many points of the first parallel dimension one thread computes: 4
/// for a contraction with more points than warp-shared sums take
/// (nnc-cuda-select-strategy) and a reduction long enough to pay, when an
/// input does not depend on that dimension, so that each of its loads feeds
/// four multiply-adds; else 1.
int64_t pointsPerThread(linalg::GenericOp op) {
  constexpr int64_t kJam = 4, kMinReduction = 64;
  unsigned numParallel = op.getNumParallelLoops();
  if (numParallel == 0 || numParallel == op.getNumLoops())
    return 1;
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  if (llvm::any_of(sizes, ShapedType::isDynamic))
    return 1;
  int64_t points = 1, steps = 1;
  for (auto [d, size] : llvm::enumerate(sizes))
    (d < numParallel ? points : steps) *= size;
  if (points <= nnc::cuda::kMaxWarpSharedPoints || steps < kMinReduction || sizes[0] % kJam)
    return 1;
  bool reused = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
    return isa<MemRefType>(input->get().getType()) &&
           !op.getMatchingIndexingMap(input).isFunctionOfDim(0);
  });
  return reused ? kJam : 1;
}

/// Lowers `op` (parallel dimensions first) to an scf.parallel over its
/// parallel dimensions in which each point keeps its outputs in registers
/// across the reduction loops: one load of each output before them, one store
/// after. (Upstream's loops reload and store the output at every reduction
/// step, which a GPU thread pays as a memory round trip per multiply-add.)
/// A point covers `pointsPerThread` consecutive indices of the first
/// dimension, their sums interleaved in one reduction loop. Fails, creating
/// nothing, when an output depends on a reduction dimension.
LogicalResult lowerToParallelLoops(RewriterBase &rewriter, linalg::GenericOp op) {
  unsigned numParallel = op.getNumParallelLoops();
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    for (unsigned d = numParallel; d < op.getNumLoops(); ++d)
      if (map.isFunctionOfDim(d))
        return failure();
  }
  int64_t jam = pointsPerThread(op);
  Location loc = op.getLoc();
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, loc);
  auto bounds = [&](unsigned begin, unsigned end, SmallVector<Value> &lbs, SmallVector<Value> &ubs,
                    SmallVector<Value> &steps) {
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
  Value firstStep = numParallel ? parallelSteps[0] : Value();
  if (jam > 1)
    parallelSteps[0] = arith::MulIOp::create(rewriter, loc, firstStep,
                                             arith::ConstantIndexOp::create(rewriter, loc, jam));

  unsigned numInits = op.getNumDpsInits();
  auto pointBody = [&](OpBuilder &b, Location loc, ValueRange pointIvs) {
    // The parallel indices of each of the point's `jam` iterations.
    SmallVector<SmallVector<Value>> iterationIvs;
    for (int64_t j = 0; j < jam; ++j) {
      SmallVector<Value> ivs(pointIvs);
      if (j > 0)
        ivs[0] = arith::AddIOp::create(
            b, loc, ivs[0],
            arith::MulIOp::create(b, loc, firstStep, arith::ConstantIndexOp::create(b, loc, j)));
      iterationIvs.push_back(ivs);
    }
    // Outputs do not depend on the reduction dimensions: any value stands in.
    auto outputIvs = [&](int64_t j) {
      SmallVector<Value> ivs(iterationIvs[j]);
      ivs.append(reductionLbs.begin(), reductionLbs.end());
      return ivs;
    };
    // An output the body does not read (elementwise ops) is not loaded.
    SmallVector<Value> initial;
    for (int64_t j = 0; j < jam; ++j)
      for (OpOperand &init : op.getDpsInitsMutable()) {
        if (op.payloadUsesValueFromOperand(&init)) {
          initial.push_back(loadOperand(b, loc, op, init, outputIvs(j)));
          continue;
        }
        Type element = getElementTypeOrSelf(init.get().getType());
        initial.push_back(
            arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(element))));
      }
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, reductionLbs, reductionUbs, reductionSteps, initial,
        [&](OpBuilder &b, Location loc, ValueRange reductionIvs, ValueRange outputs) {
          scf::ValueVector results;
          for (int64_t j = 0; j < jam; ++j) {
            SmallVector<Value> ivs(iterationIvs[j]);
            ivs.append(reductionIvs.begin(), reductionIvs.end());
            llvm::append_range(results,
                               inlineBody(b, loc, op, ivs, outputs.slice(j * numInits, numInits)));
          }
          return results;
        });
    for (int64_t j = 0; j < jam; ++j)
      for (auto [init, value] : llvm::zip(op.getDpsInitsMutable(),
                                          ValueRange(nest.results).slice(j * numInits, numInits))) {
        AffineMap map = op.getMatchingIndexingMap(&init);
        SmallVector<Value> indices;
        for (AffineExpr expr : map.getResults())
          indices.push_back(affine::AffineApplyOp::create(
              b, loc, AffineMap::get(map.getNumDims(), 0, expr), outputIvs(j)));
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

//===- VectorizeElementwise.cpp - parallel generics as 1-D vector loops ---===//
//
// Copies (im2col, the rhs packing, transposes of contiguous rows), epilogues
// (bias, activation, residual add) and other all-parallel generics otherwise
// become scalar loops that LLVM rarely vectorizes: their operands are views
// of one workspace, so it cannot prove that a store does not feed the next
// load. Here the innermost loop is strip-mined by the vector width and every
// operand is read and written with 1-D vector transfers along it; the body's
// scalar ops are applied to vectors. A tail shorter than a vector is masked.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/IR/AffineExprVisitor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUVECTORIZEELEMENTWISEPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// Whether `expr` steps by one with loop `dim`: `d<dim>` or `d<dim> + e` with
/// `e` free of `dim`.
bool isUnitStrideIn(AffineExpr expr, unsigned dim) {
  AffineExpr d = getAffineDimExpr(dim, expr.getContext());
  if (expr == d)
    return true;
  auto sum = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!sum || sum.getKind() != AffineExprKind::Add)
    return false;
  return (sum.getLHS() == d && !sum.getRHS().isFunctionOfDim(dim)) ||
         (sum.getRHS() == d && !sum.getLHS().isFunctionOfDim(dim));
}

bool isVectorizable(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumDpsInits() == 0 ||
      op.hasIndexSemantics())
    return false;
  if (op->hasAttr("nnc.cpu_kernel") || op->hasAttr("nnc.cpu_strategy"))
    return false;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat() ||
        type.getElementType().getIntOrFloatBitWidth() > 64)
      return false;
  }
  // Integer division traps on the zeros of a masked tail, and x86 has no
  // vector form of it anyway.
  for (Operation &bodyOp : op.getBody()->without_terminator())
    if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp, arith::CeilDivSIOp,
            arith::CeilDivUIOp, arith::FloorDivSIOp>(bodyOp) ||
        (!OpTrait::hasElementwiseMappableTraits(&bodyOp) &&
         !bodyOp.hasTrait<OpTrait::ConstantLike>()) ||
        bodyOp.getNumRegions() != 0 ||
        !llvm::all_of(bodyOp.getResultTypes(), [](Type t) { return t.isIntOrFloat(); }))
      return false;
  unsigned inner = op.getNumLoops() - 1;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool isInit = op.isDpsInit(&operand);
    if (map.getNumResults() == 0) {
      if (isInit)
        return false;
      continue;
    }
    ArrayRef<AffineExpr> results = map.getResults();
    if (llvm::any_of(results.drop_back(),
                     [&](AffineExpr e) { return e.isFunctionOfDim(inner); }))
      return false;
    // Inputs may be broadcast along the vector loop; results are written
    // contiguously along it.
    if (!results.back().isFunctionOfDim(inner) && !isInit)
      continue;
    if (!isUnitStrideIn(results.back(), inner))
      return false;
  }
  return true;
}

class ElementwiseVectorizer {
public:
  ElementwiseVectorizer(RewriterBase &rewriter, linalg::GenericOp op, int64_t lanes)
      : b(rewriter), op(op), loc(op.getLoc()), lanes(lanes) {}

  SmallVector<Value> emit() {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t inner = ranges.back();
    int64_t full = inner / lanes * lanes;
    SmallVector<Value> outputs(op.getDpsInits());
    // Outer loops step by one, nesting down to the vector loop.
    std::function<SmallVector<Value>(unsigned, SmallVector<Value> &, ValueRange)> nest =
        [&](unsigned dim, SmallVector<Value> &ivs, ValueRange acc) -> SmallVector<Value> {
      if (dim + 1 == ranges.size()) {
        SmallVector<Value> current(acc);
        if (full > 0) {
          auto loop = scf::ForOp::create(b, loc, constant(0), constant(full), constant(lanes),
                                         current);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(loop.getBody());
          ivs.push_back(loop.getInductionVar());
          SmallVector<Value> next = step(ivs, loop.getRegionIterArgs(), /*mask=*/nullptr);
          ivs.pop_back();
          scf::YieldOp::create(b, loc, next);
          current.assign(loop.getResults().begin(), loop.getResults().end());
        }
        if (full < inner) {
          ivs.push_back(constant(full));
          auto maskType = VectorType::get({lanes}, b.getI1Type());
          Value mask = vector::CreateMaskOp::create(b, loc, maskType,
                                                    ValueRange{constant(inner - full)});
          current = step(ivs, current, mask);
          ivs.pop_back();
        }
        return current;
      }
      auto loop = scf::ForOp::create(b, loc, constant(0), constant(ranges[dim]), constant(1),
                                     acc);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      ivs.push_back(loop.getInductionVar());
      SmallVector<Value> next = nest(dim + 1, ivs, loop.getRegionIterArgs());
      ivs.pop_back();
      scf::YieldOp::create(b, loc, next);
      return SmallVector<Value>(loop.getResults());
    };
    SmallVector<Value> ivs;
    return nest(0, ivs, outputs);
  }

private:
  Value constant(int64_t value) { return arith::ConstantIndexOp::create(b, loc, value); }

  SmallVector<Value> indices(AffineMap map, ValueRange ivs) {
    SmallVector<Value> result;
    for (unsigned i = 0; i < map.getNumResults(); ++i)
      result.push_back(
          affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), ivs).getResult());
    return result;
  }

  /// One vector of the loop at `ivs` (the vector loop's value last): reads,
  /// the body on vectors, writes into `acc`; masked when `mask` is set.
  SmallVector<Value> step(ValueRange ivs, ValueRange acc, Value mask) {
    unsigned inner = op.getNumLoops() - 1;
    IRMapping mapping;
    Block *body = op.getBody();
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      auto type = cast<RankedTensorType>(input->get().getType());
      Type element = type.getElementType();
      auto vectorType = VectorType::get({lanes}, element);
      SmallVector<Value> at = indices(map, ivs);
      Value value;
      if (map.getNumResults() > 0 && map.getResults().back().isFunctionOfDim(inner)) {
        Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
        value = vector::TransferReadOp::create(
            b, loc, vectorType, input->get(), at,
            AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext()), padding, mask,
            b.getBoolArrayAttr({true}));
      } else {
        value = vector::BroadcastOp::create(
            b, loc, vectorType, tensor::ExtractOp::create(b, loc, input->get(), at));
      }
      mapping.map(body->getArgument(input->getOperandNumber()), value);
    }
    // A body that reads its output element reads the output vector first.
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      BlockArgument arg = body->getArgument(init.getOperandNumber());
      if (arg.use_empty())
        continue;
      auto type = cast<RankedTensorType>(init.get().getType());
      Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
      mapping.map(arg, vector::TransferReadOp::create(
                           b, loc, VectorType::get({lanes}, type.getElementType()), acc[i],
                           indices(op.getMatchingIndexingMap(&init), ivs),
                           AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext()),
                           padding, mask, b.getBoolArrayAttr({true})));
    }
    for (Operation &bodyOp : body->without_terminator()) {
      if (bodyOp.hasTrait<OpTrait::ConstantLike>()) {
        Operation *scalar = b.clone(bodyOp);
        mapping.map(bodyOp.getResult(0), vectorOf(scalar->getResult(0), mapping));
        continue;
      }
      SmallVector<Value> operands;
      for (Value operand : bodyOp.getOperands())
        operands.push_back(vectorOf(operand, mapping));
      SmallVector<Type> types;
      for (Type t : bodyOp.getResultTypes())
        types.push_back(VectorType::get({lanes}, t));
      OperationState state(loc, bodyOp.getName(), operands, types, bodyOp.getAttrs());
      Operation *vectorOp = b.create(state);
      mapping.map(bodyOp.getResults(), vectorOp->getResults());
    }
    SmallVector<Value> results;
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      auto type = cast<RankedTensorType>(init.get().getType());
      Value value = vectorOf(yield.getOperand(i), mapping);
      SmallVector<Value> at = indices(op.getMatchingIndexingMap(&init), ivs);
      results.push_back(
          vector::TransferWriteOp::create(
              b, loc, type, value, acc[i], at,
              AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext()), mask,
              b.getBoolArrayAttr({true}))
              .getResult());
    }
    return results;
  }

  /// The vector for a body value: mapped, or a broadcast of a value from
  /// outside the body (a captured scalar).
  Value vectorOf(Value scalar, IRMapping &mapping) {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    Value splat = vector::BroadcastOp::create(b, loc, VectorType::get({lanes}, scalar.getType()),
                                              scalar);
    mapping.map(scalar, splat);
    return splat;
  }

  RewriterBase &b;
  linalg::GenericOp op;
  Location loc;
  int64_t lanes;
};

struct NNCCPUVectorizeElementwisePass final
    : nnc::impl::NNCCPUVectorizeElementwisePassBase<NNCCPUVectorizeElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isVectorizable(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops) {
      rewriter.setInsertionPoint(op);
      int64_t lanes = std::max<int64_t>(vectorBits / 32, 1);
      rewriter.replaceOp(op, ElementwiseVectorizer(rewriter, op, lanes).emit());
    }
  }
};
} // namespace

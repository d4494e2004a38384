//===- Reduction.cpp - reductions, softmax and normalizations -> linalg ----===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
using CombineFn = function_ref<Value(OpBuilder &, Location, Value, Value)>;
using MapFn = function_ref<Value(OpBuilder &, Location, Value)>;

/// Reduces `input` over sorted `axes`: each element goes through `pre` (if
/// given) and into `combine` with an accumulator starting at `init`. The result
/// keeps the reduced dims as size 1 when `keepdims`.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes, bool keepdims,
             Value init, CombineFn combine, MapFn pre = nullptr) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *context = b.getContext();
  SmallVector<int64_t> reducedShape, keptShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction : utils::IteratorType::parallel);
    keptShape.push_back(reduced ? 1 : type.getDimSize(d));
    if (!reduced) {
      reducedShape.push_back(type.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, context));
    }
  }
  auto reducedType = RankedTensorType::get(reducedShape, type.getElementType());
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(type.getRank()),
                              AffineMap::get(type.getRank(), 0, outExprs, context)};
  Value result =
      linalg::GenericOp::create(b, loc, reducedType, input, filledTensor(b, loc, reducedType, init),
                                maps, iterators,
                                [&](OpBuilder &nb, Location l, ValueRange args) {
                                  Value x = pre ? pre(nb, l, args[0]) : args[0];
                                  linalg::YieldOp::create(nb, l, combine(nb, l, args[1], x));
                                })
          .getResult(0);
  if (!keepdims)
    return result;
  return reshapeTensor(b, loc, result, RankedTensorType::get(keptShape, type.getElementType()));
}

Value addCombine(OpBuilder &b, Location loc, Value acc, Value x) {
  return createAdd(b, loc, acc, x);
}
Value maxCombine(OpBuilder &b, Location loc, Value acc, Value x) {
  return createMax(b, loc, acc, x);
}
Value minCombine(OpBuilder &b, Location loc, Value acc, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, acc, x);
  if (x.getType().isInteger(1))
    return arith::MinUIOp::create(b, loc, acc, x);
  return arith::MinSIOp::create(b, loc, acc, x);
}

/// Number of elements each reduction combines.
int64_t reducedCount(RankedTensorType type, ArrayRef<int64_t> axes) {
  int64_t count = 1;
  for (int64_t axis : axes)
    count *= type.getDimSize(axis);
  return count;
}

/// Applies `fn` elementwise to `value` (same type).
Value mapElements(OpBuilder &b, Location loc, Value value, MapFn fn) {
  return buildElementwise(b, loc, cast<RankedTensorType>(value.getType()), value,
                          [&](OpBuilder &nb, Location l, ValueRange a) { return fn(nb, l, a[0]); });
}

/// mean over `axes` with the reduced dims kept.
Value mean(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes) {
  auto type = cast<RankedTensorType>(x.getType());
  Type t = type.getElementType();
  Value sum = reduce(b, loc, x, axes, true, scalarConstant(b, loc, t, 0), addCombine);
  double count = reducedCount(type, axes);
  return mapElements(b, loc, sum, [&](OpBuilder &nb, Location l, Value s) {
    return arith::DivFOp::create(nb, l, s, scalarConstant(nb, l, t, count));
  });
}

template <typename OpTy> struct ReduceToGeneric : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type t = type.getElementType();
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    bool isFloatType = isa<FloatType>(t);
    ArrayRef<int64_t> axes = op.getAxes();
    bool keep = op.getKeepdims();
    auto c = [&](double v) { return scalarConstant(rewriter, loc, t, v); };
    auto square = [](OpBuilder &b, Location l, Value x) { return createMul(b, l, x, x); };
    Value result;
    Operation *operation = op.getOperation();
    if (isa<nn::ReduceSumOp>(operation)) {
      result = reduce(rewriter, loc, input, axes, keep, c(0), addCombine);
    } else if (isa<nn::ReduceMeanOp>(operation)) {
      if (!isFloatType)
        return rewriter.notifyMatchFailure(op, "integer mean is not lowered yet");
      Value sum = reduce(rewriter, loc, input, axes, keep, c(0), addCombine);
      double count = reducedCount(type, axes);
      result = mapElements(rewriter, loc, sum, [&](OpBuilder &b, Location l, Value s) {
        return arith::DivFOp::create(b, l, s, scalarConstant(b, l, t, count));
      });
    } else if (isa<nn::ReduceMaxOp>(operation)) {
      result = reduce(rewriter, loc, input, axes, keep, extremeConstant(rewriter, loc, t, true),
                      maxCombine);
    } else if (isa<nn::ReduceMinOp>(operation)) {
      result = reduce(rewriter, loc, input, axes, keep, extremeConstant(rewriter, loc, t, false),
                      minCombine);
    } else if (isa<nn::ReduceProdOp>(operation)) {
      result = reduce(
          rewriter, loc, input, axes, keep, c(1),
          [](OpBuilder &b, Location l, Value acc, Value x) { return createMul(b, l, acc, x); });
    } else if (isa<nn::ReduceSumSquareOp>(operation)) {
      result = reduce(rewriter, loc, input, axes, keep, c(0), addCombine, square);
    } else if (!isFloatType) {
      return rewriter.notifyMatchFailure(op, "integer form is not lowered yet");
    } else if (isa<nn::ReduceL1Op>(operation)) {
      result = reduce(
          rewriter, loc, input, axes, keep, c(0), addCombine,
          [](OpBuilder &b, Location l, Value x) -> Value { return math::AbsFOp::create(b, l, x); });
    } else if (isa<nn::ReduceL2Op>(operation)) {
      Value sum = reduce(rewriter, loc, input, axes, keep, c(0), addCombine, square);
      result = mapElements(rewriter, loc, sum, [](OpBuilder &b, Location l, Value s) -> Value {
        return math::SqrtOp::create(b, l, s);
      });
    } else if (isa<nn::ReduceLogSumOp>(operation)) {
      Value sum = reduce(rewriter, loc, input, axes, keep, c(0), addCombine);
      result = mapElements(rewriter, loc, sum, [](OpBuilder &b, Location l, Value s) -> Value {
        return math::LogOp::create(b, l, s);
      });
    } else {
      // log(sum(exp(x - max))) + max, stable for large inputs.
      Value max = reduce(rewriter, loc, input, axes, true, extremeConstant(rewriter, loc, t, true),
                         maxCombine);
      Value shifted = buildElementwise(
          rewriter, loc, type, {input, max}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
            return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
          });
      Value sum = reduce(rewriter, loc, shifted, axes, true, c(0), addCombine);
      auto keptType = cast<RankedTensorType>(sum.getType());
      Value lse = buildElementwise(
          rewriter, loc, keptType, {sum, max}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::AddFOp::create(b, l, math::LogOp::create(b, l, a[0]), a[1]);
          });
      result = keep ? lse : reshapeTensor(rewriter, loc, lse, cast<RankedTensorType>(op.getType()));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The index (i64) of the first (or last) maximum (or minimum) along `axis`,
/// with that dim dropped.
Value argExtreme(OpBuilder &rewriter, Location loc, Value input, int64_t axis, bool isMax,
                 bool last) {
  MLIRContext *context = rewriter.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  Type t = type.getElementType();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    iterators.push_back(d == axis ? utils::IteratorType::reduction : utils::IteratorType::parallel);
    if (d != axis) {
      shape.push_back(type.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, context));
    }
  }
  auto valueType = RankedTensorType::get(shape, t);
  auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
  AffineMap outMap = AffineMap::get(type.getRank(), 0, outExprs, context);
  SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(type.getRank()), outMap, outMap};
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{valueType, indexType}, input,
      ValueRange{filledTensor(rewriter, loc, valueType,
                              extremeConstant(rewriter, loc, t, /*lowest=*/isMax)),
                 filledTensor(rewriter, loc, indexType,
                              scalarConstant(rewriter, loc, rewriter.getI64Type(), 0))},
      maps, iterators, [&](OpBuilder &b, Location l, ValueRange a) {
        Value x = a[0], best = a[1], bestIndex = a[2];
        Value index =
            arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
        Value better;
        if (isa<FloatType>(t)) {
          auto predicate = isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                                 : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
          better = arith::CmpFOp::create(b, l, predicate, x, best);
        } else {
          auto predicate = isMax ? (last ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sgt)
                                 : (last ? arith::CmpIPredicate::sle : arith::CmpIPredicate::slt);
          better = arith::CmpIOp::create(b, l, predicate, x, best);
        }
        // The first element always wins, so that the index is valid even when
        // every element equals the initial extreme.
        Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, index,
                                            scalarConstant(b, l, b.getI64Type(), 0));
        better = arith::OrIOp::create(b, l, better, first);
        linalg::YieldOp::create(
            b, l,
            ValueRange{arith::SelectOp::create(b, l, better, x, best),
                       arith::SelectOp::create(b, l, better, index, bestIndex)});
      });
  return generic.getResult(1);
}

/// argmax / argmin: a reduction carrying the best value and its index.
template <typename OpTy, bool isMax> struct ArgReduceToGeneric : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Type t = op.getInput().getType().getElementType();
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    Value index = argExtreme(rewriter, op.getLoc(), op.getInput(), op.getAxis(), isMax,
                             op.getSelectLastIndex());
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, op.getLoc(), index, cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// cumsum as a reduction over the prefix (or suffix): out[i] sums x[j] for
/// j <= i (j < i exclusive; j >= i / j > i reversed), masked in the body.
struct CumSumToGeneric : OpRewritePattern<nn::CumSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::CumSumOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    Type t = type.getElementType();
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    int64_t rank = type.getRank(), axis = op.getAxis();
    // Loops: the result dims, then j (reduction) over the axis.
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, context));
      outExprs.push_back(getAffineDimExpr(d, context));
    }
    SmallVector<AffineMap> maps{AffineMap::get(rank + 1, 0, inExprs, context),
                                AffineMap::get(rank + 1, 0, outExprs, context)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    arith::CmpIPredicate predicate =
        op.getReverse()
            ? (op.getExclusive() ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
            : (op.getExclusive() ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
    Value zero = scalarConstant(rewriter, loc, t, 0);
    rewriter.replaceOp(
        op, linalg::GenericOp::create(rewriter, loc, type, op.getInput(),
                                      filledTensor(rewriter, loc, type, zero), maps, iterators,
                                      [&](OpBuilder &b, Location l, ValueRange a) {
                                        Value i = linalg::IndexOp::create(b, l, axis);
                                        Value j = linalg::IndexOp::create(b, l, rank);
                                        Value take = arith::CmpIOp::create(b, l, predicate, j, i);
                                        Value x = arith::SelectOp::create(
                                            b, l, take, a[0], scalarConstant(b, l, t, 0));
                                        linalg::YieldOp::create(b, l, createAdd(b, l, a[1], x));
                                      })
                .getResult(0));
    return success();
  }
};

/// LRN: x / (bias + alpha / size * sum of squares over the channel window)^beta.
struct LRNToGeneric : OpRewritePattern<nn::LRNOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LRNOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    Type t = type.getElementType();
    int64_t rank = type.getRank(), size = op.getSize();
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    Value squares =
        mapElements(rewriter, loc, op.getInput(),
                    [](OpBuilder &b, Location l, Value x) { return createMul(b, l, x, x); });
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[1] = before;
    high[1] = after;
    squares = padTensor(rewriter, loc, squares, low, high, scalarConstant(rewriter, loc, t, 0));
    // Loops: the result dims, then the window offset.
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr e = getAffineDimExpr(d, context);
      inExprs.push_back(d == 1 ? e + getAffineDimExpr(rank, context) : e);
      outExprs.push_back(e);
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{size}, t);
    SmallVector<AffineMap> maps{
        AffineMap::get(rank + 1, 0, inExprs, context),
        AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, context), context),
        AffineMap::get(rank + 1, 0, outExprs, context)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{squares, window},
            filledTensor(rewriter, loc, type, scalarConstant(rewriter, loc, t, 0)), maps, iterators,
            [](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(b, l, createAdd(b, l, a[2], a[0]));
            })
            .getResult(0);
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, type, {op.getInput(), sums},
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value scaled =
                      arith::MulFOp::create(b, l, a[1], scalarConstant(b, l, t, alpha / size));
                  Value base = arith::AddFOp::create(b, l, scaled, scalarConstant(b, l, t, bias));
                  Value denom = math::PowFOp::create(b, l, base, scalarConstant(b, l, t, beta));
                  return arith::DivFOp::create(b, l, a[0], denom);
                }));
    return success();
  }
};

/// top_k by ranking: an element's rank is the number of elements before it in
/// the sorted order (larger first, ties to the lower index); the k outputs then
/// pick the element of each rank. Quadratic in the axis size, which is fine for
/// the sizes TopK sees in inference graphs.
struct TopKToGeneric : OpRewritePattern<nn::TopKOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TopKOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto inType = op.getInput().getType();
    Type t = inType.getElementType();
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    int64_t rank = inType.getRank(), axis = op.getAxis();
    bool largest = op.getLargest();
    auto i64 = rewriter.getI64Type();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
    // Loops: the input dims, then j over the axis (reduction).
    SmallVector<AffineExpr> self, other;
    for (int64_t dim = 0; dim < rank; ++dim) {
      self.push_back(d(dim));
      other.push_back(dim == axis ? d(rank) : d(dim));
    }
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto rankType = RankedTensorType::get(inType.getShape(), i64);
    Value ranks =
        linalg::GenericOp::create(
            rewriter, loc, rankType, ValueRange{op.getInput(), op.getInput()},
            filledTensor(rewriter, loc, rankType, scalarConstant(rewriter, loc, i64, 0)),
            ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, self, context),
                                AffineMap::get(rank + 1, 0, other, context),
                                AffineMap::get(rank + 1, 0, self, context)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value x = a[0], y = a[1];
              Value i = linalg::IndexOp::create(b, l, axis),
                    j = linalg::IndexOp::create(b, l, rank);
              Value before, equal;
              if (isa<FloatType>(t)) {
                before = arith::CmpFOp::create(
                    b, l, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, y, x);
                equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, y, x);
              } else {
                before = arith::CmpIOp::create(
                    b, l, largest ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, y, x);
                equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, y, x);
              }
              Value earlier = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j, i);
              Value counts =
                  arith::OrIOp::create(b, l, before, arith::AndIOp::create(b, l, equal, earlier));
              Value total =
                  arith::AddIOp::create(b, l, a[2], arith::ExtUIOp::create(b, l, i64, counts));
              linalg::YieldOp::create(b, l, total);
            })
            .getResult(0);
    // Loops: the output dims (k along the axis), then j over the input axis.
    auto valuesType = cast<RankedTensorType>(op.getValues().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    AffineMap outMap = AffineMap::get(rank + 1, 0, self, context);
    auto picked = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType}, ValueRange{op.getInput(), ranks},
        ValueRange{filledTensor(rewriter, loc, valuesType, scalarConstant(rewriter, loc, t, 0)),
                   filledTensor(rewriter, loc, indicesType, scalarConstant(rewriter, loc, i64, 0))},
        ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, other, context),
                            AffineMap::get(rank + 1, 0, other, context), outMap, outMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          Value position =
              arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value source = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, rank));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], position);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, hit, a[0], a[2]),
                                             arith::SelectOp::create(b, l, hit, source, a[3])});
        });
    rewriter.replaceOp(op, picked.getResults());
    return success();
  }
};

/// hardmax: 1 at the first maximum along the axis, 0 elsewhere.
struct HardmaxToGeneric : OpRewritePattern<nn::HardmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::HardmaxOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t axis = op.getAxis();
    Value index = argExtreme(rewriter, loc, op.getInput(), axis, true, false);
    SmallVector<int64_t> kept(type.getShape());
    kept[axis] = 1;
    index = reshapeTensor(rewriter, loc, index, RankedTensorType::get(kept, rewriter.getI64Type()));
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, type, index, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value here = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                          linalg::IndexOp::create(b, l, axis));
                  Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, here, a[0]);
                  return arith::UIToFPOp::create(b, l, type.getElementType(), hit);
                }));
    return success();
  }
};

/// softmax / log_softmax along one axis, with the max subtracted for stability.
template <typename OpTy, bool isLog> struct SoftmaxToGeneric : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type t = type.getElementType();
    int64_t axis = op.getAxis();
    Value max =
        reduce(rewriter, loc, x, {axis}, true, extremeConstant(rewriter, loc, t, true), maxCombine);
    Value shifted = buildElementwise(rewriter, loc, type, {x, max},
                                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                       return arith::SubFOp::create(b, l, a[0], a[1]);
                                     });
    Value sum = reduce(
        rewriter, loc, shifted, {axis}, true, scalarConstant(rewriter, loc, t, 0), addCombine,
        [](OpBuilder &b, Location l, Value v) -> Value { return math::ExpOp::create(b, l, v); });
    Value result = buildElementwise(
        rewriter, loc, type, {shifted, sum}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
          if (isLog)
            return arith::SubFOp::create(b, l, a[0], math::LogOp::create(b, l, a[1]));
          return arith::DivFOp::create(b, l, math::ExpOp::create(b, l, a[0]), a[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Per-channel parameters [C] viewed as [C, 1, ...] so that they broadcast over
/// dim 1 of a tensor of `rank`.
Value channelView(OpBuilder &b, Location loc, Value param, int64_t rank) {
  auto type = cast<RankedTensorType>(param.getType());
  SmallVector<int64_t> shape{type.getDimSize(0)};
  shape.append(rank - 2, 1);
  return reshapeTensor(b, loc, param, RankedTensorType::get(shape, type.getElementType()));
}

/// (x - mean) * rsqrt(var + eps) with statistics over `axes` (kept dims).
/// Returns {normalized, mean, inverse std-dev}.
std::array<Value, 3> standardize(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                                 double epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  Type t = type.getElementType();
  Value mu = mean(b, loc, x, axes);
  Value centered =
      buildElementwise(b, loc, type, {x, mu}, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::SubFOp::create(nb, l, a[0], a[1]);
      });
  Value sq = mapElements(b, loc, centered,
                         [](OpBuilder &nb, Location l, Value v) { return createMul(nb, l, v, v); });
  Value var = mean(b, loc, sq, axes);
  Value inv = mapElements(b, loc, var, [&](OpBuilder &nb, Location l, Value v) -> Value {
    return math::RsqrtOp::create(
        nb, l, arith::AddFOp::create(nb, l, v, scalarConstant(nb, l, t, epsilon)));
  });
  Value normalized =
      buildElementwise(b, loc, type, {centered, inv}, [](OpBuilder &nb, Location l, ValueRange a) {
        return createMul(nb, l, a[0], a[1]);
      });
  return {normalized, mu, inv};
}

/// normalized * scale + bias, both broadcast.
Value affine(OpBuilder &b, Location loc, Value normalized, Value scale, Value bias) {
  auto type = cast<RankedTensorType>(normalized.getType());
  SmallVector<Value> inputs{normalized, scale};
  if (bias)
    inputs.push_back(bias);
  return buildElementwise(b, loc, type, inputs, [](OpBuilder &nb, Location l, ValueRange a) {
    Value scaled = createMul(nb, l, a[0], a[1]);
    return a.size() == 3 ? createAdd(nb, l, scaled, a[2]) : scaled;
  });
}

struct LayerNormToGeneric : OpRewritePattern<nn::LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LayerNormOp op, PatternRewriter &rewriter) const override {
    if (op.getInput().getType().getElementType() != op.getMean().getType().getElementType())
      return rewriter.notifyMatchFailure(op, "statistics in another type are not lowered yet");
    Location loc = op.getLoc();
    int64_t rank = op.getInput().getType().getRank();
    auto axes = llvm::to_vector(llvm::seq<int64_t>(op.getAxis(), rank));
    auto [normalized, mu, inv] =
        standardize(rewriter, loc, op.getInput(), axes, op.getEpsilon().convertToDouble());
    Value y = affine(rewriter, loc, normalized, op.getScale(), op.getBias());
    rewriter.replaceOp(op, {y, mu, inv});
    return success();
  }
};

struct InstanceNormToGeneric : OpRewritePattern<nn::InstanceNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::InstanceNormOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = op.getInput().getType().getRank();
    auto axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
    auto [normalized, mu, inv] =
        standardize(rewriter, loc, op.getInput(), axes, op.getEpsilon().convertToDouble());
    rewriter.replaceOp(op, affine(rewriter, loc, normalized,
                                  channelView(rewriter, loc, op.getScale(), rank),
                                  channelView(rewriter, loc, op.getBias(), rank)));
    return success();
  }
};

struct MeanVarianceNormToGeneric : OpRewritePattern<nn::MeanVarianceNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::MeanVarianceNormOp op,
                                PatternRewriter &rewriter) const override {
    // ONNX's reference adds 1e-9 to the variance.
    auto normalized = standardize(rewriter, op.getLoc(), op.getInput(), op.getAxes(), 1e-9);
    rewriter.replaceOp(op, normalized[0]);
    return success();
  }
};

struct BatchNormToGeneric : OpRewritePattern<nn::BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::BatchNormOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<Value> inputs{op.getInput()};
    for (Value param : {op.getScale(), op.getBias(), op.getMean(), op.getVariance()})
      inputs.push_back(rank > 2 ? channelView(rewriter, loc, param, rank) : param);
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, type, inputs, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Type t = a[0].getType();
                  Value inv = math::RsqrtOp::create(
                      b, l, arith::AddFOp::create(b, l, a[4], scalarConstant(b, l, t, epsilon)));
                  Value centered = arith::SubFOp::create(b, l, a[0], a[3]);
                  Value scaled =
                      arith::MulFOp::create(b, l, centered, arith::MulFOp::create(b, l, a[1], inv));
                  return arith::AddFOp::create(b, l, scaled, a[2]);
                }));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNReductionToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ReduceToGeneric<nn::ReduceSumOp>, ReduceToGeneric<nn::ReduceMeanOp>,
               ReduceToGeneric<nn::ReduceMaxOp>, ReduceToGeneric<nn::ReduceMinOp>,
               ReduceToGeneric<nn::ReduceProdOp>, ReduceToGeneric<nn::ReduceL1Op>,
               ReduceToGeneric<nn::ReduceL2Op>, ReduceToGeneric<nn::ReduceSumSquareOp>,
               ReduceToGeneric<nn::ReduceLogSumOp>, ReduceToGeneric<nn::ReduceLogSumExpOp>>(
      context);
  patterns.add<ArgReduceToGeneric<nn::ArgMaxOp, true>, ArgReduceToGeneric<nn::ArgMinOp, false>,
               HardmaxToGeneric, CumSumToGeneric, LRNToGeneric, TopKToGeneric>(context);
  patterns.add<SoftmaxToGeneric<nn::SoftmaxOp, false>, SoftmaxToGeneric<nn::LogSoftmaxOp, true>,
               LayerNormToGeneric, InstanceNormToGeneric, MeanVarianceNormToGeneric,
               BatchNormToGeneric>(context);
}

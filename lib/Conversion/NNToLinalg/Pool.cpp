//===- Pool.cpp - max / average pooling -> linalg.generic ------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
/// The attributes both pooling ops share.
struct PoolWindow {
  ArrayRef<int64_t> kernel, strides, dilations, pads;
};

/// End padding that also covers the last window of ceil mode, which may reach
/// past the padded input.
SmallVector<int64_t> windowEndPads(RankedTensorType input, RankedTensorType result,
                                   const PoolWindow &w) {
  int64_t spatial = w.kernel.size();
  SmallVector<int64_t> high(2, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(i + 2), out = result.getDimSize(i + 2);
    int64_t reach = (out - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1;
    high.push_back(std::max(w.pads[i + spatial], reach - in - w.pads[i]));
  }
  return high;
}

/// `input` padded with `value` by the begin pads and the (ceil-mode) end pads.
Value padForWindows(OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
                    const PoolWindow &w, Value value) {
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> low(2, 0);
  low.append(w.pads.begin(), w.pads.begin() + w.kernel.size());
  return padTensor(b, loc, input, low, windowEndPads(inType, resultType, w), value);
}

/// Indexing maps of a window loop nest over (n, c, o..., k...): the padded
/// input, the window extent operand, and the output.
SmallVector<AffineMap> windowMaps(MLIRContext *context, const PoolWindow &w) {
  int64_t spatial = w.kernel.size();
  int64_t numLoops = 2 + 2 * spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineExpr> inExprs{d(0), d(1)}, windowExprs, outExprs{d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = d(2 + i), k = d(2 + spatial + i);
    inExprs.push_back(o * w.strides[i] + k * w.dilations[i]);
    windowExprs.push_back(k);
    outExprs.push_back(o);
  }
  return {AffineMap::get(numLoops, 0, inExprs, context),
          AffineMap::get(numLoops, 0, windowExprs, context),
          AffineMap::get(numLoops, 0, outExprs, context)};
}

SmallVector<utils::IteratorType> windowIterators(const PoolWindow &w) {
  SmallVector<utils::IteratorType> iterators(2 + w.kernel.size(), utils::IteratorType::parallel);
  iterators.append(w.kernel.size(), utils::IteratorType::reduction);
  return iterators;
}

/// A generic reducing every window of `input` (already padded) with `combine`
/// into an accumulator initialized to `init`.
Value reduceWindows(OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
                    const PoolWindow &w, Value init,
                    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  // The window operand only carries the kernel extent for the reduction loops.
  Value window = tensor::EmptyOp::create(b, loc, w.kernel, resultType.getElementType());
  SmallVector<AffineMap> maps = windowMaps(b.getContext(), w);
  SmallVector<utils::IteratorType> iterators = windowIterators(w);
  return linalg::GenericOp::create(b, loc, resultType, ValueRange{input, window},
                                   filledTensor(b, loc, resultType, init), maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l,
                                                             combine(nb, l, args[2], args[0]));
                                   })
      .getResult(0);
}

/// Max pooling; when the indices are used, the same window loop also carries
/// the flat input index of each maximum (ONNX's row- or column-major order).
struct MaxPoolToGeneric : OpRewritePattern<nn::MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::MaxPoolOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PoolWindow w{op.getKernelShape(), op.getStrides(), op.getDilations(), op.getPads()};
    auto inType = op.getInput().getType();
    auto resultType = op.getResult().getType();
    Type element = resultType.getElementType();
    int64_t spatial = w.kernel.size();
    Value lowest = extremeConstant(rewriter, loc, element, /*lowest=*/true);
    Value input = padForWindows(rewriter, loc, op.getInput(), resultType, w, lowest);
    if (op.getIndices().use_empty()) {
      Value result = reduceWindows(
          rewriter, loc, input, resultType, w, lowest,
          [](OpBuilder &b, Location l, Value acc, Value x) { return createMax(b, l, acc, x); });
      Value unusedIndices =
          tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), rewriter.getI64Type());
      rewriter.replaceOp(op, {result, unusedIndices});
      return success();
    }
    // The same window loops, with a second output for the index.
    Value window = tensor::EmptyOp::create(rewriter, loc, w.kernel, element);
    SmallVector<AffineMap> maps = windowMaps(rewriter.getContext(), w);
    maps.push_back(maps.back());
    SmallVector<utils::IteratorType> iterators = windowIterators(w);
    auto indexType = RankedTensorType::get(resultType.getShape(), rewriter.getI64Type());
    ArrayRef<int64_t> inShape = inType.getShape();
    bool columnMajor = op.getStorageOrder() == 1;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType, indexType}, ValueRange{input, window},
        ValueRange{filledTensor(rewriter, loc, resultType, lowest),
                   filledTensor(rewriter, loc, indexType,
                                scalarConstant(rewriter, loc, rewriter.getI64Type(), 0))},
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          auto index = [&](int64_t dim) {
            return arith::IndexCastOp::create(b, l, b.getI64Type(),
                                              linalg::IndexOp::create(b, l, dim));
          };
          auto c64 = [&](int64_t v) { return scalarConstant(b, l, b.getI64Type(), v); };
          // Input coordinates of this window element (without the padding).
          SmallVector<Value> coords{index(0), index(1)};
          for (int64_t i = 0; i < spatial; ++i) {
            Value pos = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, index(2 + i), c64(w.strides[i])),
                arith::MulIOp::create(b, l, index(2 + spatial + i), c64(w.dilations[i])));
            coords.push_back(arith::SubIOp::create(b, l, pos, c64(w.pads[i])));
          }
          // Row-major over all dims, or (storage_order 1) with the spatial dims reversed.
          SmallVector<int64_t> order{0, 1};
          for (int64_t i = 0; i < spatial; ++i)
            order.push_back(columnMajor ? 2 + spatial - 1 - i : 2 + i);
          Value flat = c64(0);
          for (int64_t dim : order)
            flat = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, flat, c64(inShape[dim])),
                                         coords[dim]);
          Value better = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0], a[2]);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, better, a[0], a[2]),
                                             arith::SelectOp::create(b, l, better, flat, a[3])});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct AvgPoolToGeneric : OpRewritePattern<nn::AvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::AvgPoolOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PoolWindow w{op.getKernelShape(), op.getStrides(), op.getDilations(), op.getPads()};
    auto inType = op.getInput().getType();
    auto resultType = op.getType();
    Type element = resultType.getElementType();
    int64_t spatial = w.kernel.size();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value input = padForWindows(rewriter, loc, op.getInput(), resultType, w, zero);
    Value sum = reduceWindows(
        rewriter, loc, input, resultType, w, zero,
        [](OpBuilder &b, Location l, Value acc, Value x) { return createAdd(b, l, acc, x); });
    // The divisor per output position, known at compile time: the window
    // elements inside the input (or inside input + pads with count_include_pad).
    ArrayRef<int64_t> outSpatial = resultType.getShape().drop_front(2);
    SmallVector<SmallVector<double>> counts(spatial);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inType.getDimSize(i + 2);
      int64_t lo = op.getCountIncludePad() ? -w.pads[i] : 0;
      int64_t hi = op.getCountIncludePad() ? in + w.pads[i + spatial] : in;
      for (int64_t o = 0; o < outSpatial[i]; ++o) {
        double count = 0;
        for (int64_t k = 0; k < w.kernel[i]; ++k) {
          int64_t p = o * w.strides[i] + k * w.dilations[i] - w.pads[i];
          count += p >= lo && p < hi;
        }
        counts[i].push_back(count);
      }
    }
    auto divisorType = RankedTensorType::get(outSpatial, element);
    SmallVector<Attribute> divisors;
    for (int64_t index = 0; index < divisorType.getNumElements(); ++index) {
      double product = 1;
      for (int64_t i = spatial - 1, rest = index; i >= 0; --i) {
        product *= counts[i][rest % outSpatial[i]];
        rest /= outSpatial[i];
      }
      divisors.push_back(rewriter.getFloatAttr(element, product));
    }
    Value divisor =
        arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    rewriter.replaceOp(op, buildElementwise(rewriter, loc, resultType, {sum, divisor},
                                            [](OpBuilder &b, Location l, ValueRange a) {
                                              return arith::DivFOp::create(b, l, a[0], a[1]);
                                            }));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNPoolToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPoolToGeneric, AvgPoolToGeneric>(patterns.getContext());
}

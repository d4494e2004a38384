//===- DataMovement.cpp - constants, reshapes, slicing, gathers -> tensor --===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
struct ConstantToArith : OpRewritePattern<nn::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConstantOp op, PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant value is not a typed attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct ReshapeToTensor : OpRewritePattern<nn::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ReshapeOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(), op.getInput(), op.getType()));
    return success();
  }
};

/// A copy generic rather than linalg.transpose: the CPU backend fuses,
/// vectorizes and threads generics.
struct TransposeToLinalg : OpRewritePattern<nn::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TransposeOp op, PatternRewriter &rewriter) const override {
    // Result dim d is input dim perm[d]: input dim j is loop inverse[j].
    AffineMap inMap =
        AffineMap::getPermutationMap(invertPermutationVector(op.getPerm()), getContext());
    rewriter.replaceOp(op,
                       copyThroughMap(rewriter, op.getLoc(), op.getInput(), op.getType(), inMap));
    return success();
  }
};

/// Offsets, sizes and unit strides of a slice that covers `shape` at `offset`
/// along `axis`.
void sliceAlong(OpBuilder &b, ArrayRef<int64_t> shape, int64_t axis, int64_t offset,
                SmallVectorImpl<OpFoldResult> &offsets, SmallVectorImpl<OpFoldResult> &sizes,
                SmallVectorImpl<OpFoldResult> &strides) {
  for (auto [d, size] : llvm::enumerate(shape)) {
    offsets.push_back(b.getIndexAttr(static_cast<int64_t>(d) == axis ? offset : 0));
    sizes.push_back(b.getIndexAttr(size));
    strides.push_back(b.getIndexAttr(1));
  }
}

struct ConcatToInsertSlices : OpRewritePattern<nn::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConcatOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    int64_t offset = 0, axis = op.getAxis();
    for (Value input : op.getInputs()) {
      ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
      SmallVector<OpFoldResult> offsets, sizes, strides;
      sliceAlong(rewriter, shape, axis, offset, offsets, sizes, strides);
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result, offsets, sizes, strides);
      offset += shape[axis];
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitToExtractSlices : OpRewritePattern<nn::SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::SplitOp op, PatternRewriter &rewriter) const override {
    SmallVector<Value> pieces;
    int64_t offset = 0, axis = op.getAxis();
    for (Value result : op.getResults()) {
      auto type = cast<RankedTensorType>(result.getType());
      if (type.getNumElements() == 0) {
        // An empty piece reads nothing (and its offset may lie past the end).
        pieces.push_back(
            tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(), type.getElementType()));
        offset += type.getDimSize(axis);
        continue;
      }
      SmallVector<OpFoldResult> offsets, sizes, strides;
      sliceAlong(rewriter, type.getShape(), axis, offset, offsets, sizes, strides);
      pieces.push_back(tensor::ExtractSliceOp::create(rewriter, op.getLoc(), type, op.getInput(),
                                                      offsets, sizes, strides));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

/// A generic over the result of `type` whose element at index i is
/// `input[sourceIndex(i)]`; `extraInputs` are read elementwise at the maps given.
Value gatherGeneric(
    OpBuilder &b, Location loc, RankedTensorType type, Value input, ValueRange extraInputs,
    ArrayRef<AffineMap> extraMaps,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange indices, ValueRange extras)>
        sourceIndex) {
  SmallVector<AffineMap> maps(extraMaps);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(type.getRank(), utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, extraInputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               SmallVector<Value> indices;
               for (int64_t d = 0; d < type.getRank(); ++d)
                 indices.push_back(linalg::IndexOp::create(nb, l, d));
               SmallVector<Value> source = sourceIndex(nb, l, indices, args.drop_back());
               linalg::YieldOp::create(nb, l,
                                       tensor::ExtractOp::create(nb, l, input, source).getResult());
             })
      .getResult(0);
}

Value indexConstant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// `raw` (i64) as an index into a dim of `size`, negative values counting from
/// the end; values outside [-size, size) stay outside [0, size).
Value wrapNegative(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, indexConstant(b, loc, 0));
  return arith::SelectOp::create(
      b, loc, negative, arith::AddIOp::create(b, loc, index, indexConstant(b, loc, size)), index);
}

/// wrapNegative, for an index that addresses memory. An index outside
/// [-size, size) is an error in ONNX; the generated code has no way to report
/// one, so it clamps instead: a bad index computed at run time reads or writes
/// the first or last element, never outside the tensor. (Constant indices are
/// checked at import.)
Value wrapIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value wrapped = wrapNegative(b, loc, raw, size);
  Value atLeastZero = arith::MaxSIOp::create(b, loc, wrapped, indexConstant(b, loc, 0));
  return arith::MinSIOp::create(b, loc, atLeastZero, indexConstant(b, loc, size - 1));
}

struct SliceToTensor : OpRewritePattern<nn::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::SliceOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        offsets.push_back(rewriter.getIndexAttr(starts[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(steps[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, type, op.getInput(), offsets, sizes,
                                                          strides);
      return success();
    }
    // Negative steps: input index = start + i * step.
    rewriter.replaceOp(
        op, gatherGeneric(rewriter, loc, type, op.getInput(), {}, {},
                          [&](OpBuilder &b, Location l, ValueRange idx, ValueRange) {
                            SmallVector<Value> source;
                            for (auto [d, i] : llvm::enumerate(idx))
                              source.push_back(arith::AddIOp::create(
                                  b, l, indexConstant(b, l, starts[d]),
                                  arith::MulIOp::create(b, l, i, indexConstant(b, l, steps[d]))));
                            return source;
                          }));
    return success();
  }
};

struct GatherToGeneric : OpRewritePattern<nn::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::GatherOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    int64_t axis = op.getAxis();
    auto indicesType = op.getIndices().getType();
    int64_t q = indicesType.getRank();
    int64_t dimSize = op.getInput().getType().getDimSize(axis);
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < q; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, context));
    AffineMap indexMap = AffineMap::get(type.getRank(), 0, indexExprs, context);
    rewriter.replaceOp(
        op, gatherGeneric(rewriter, loc, type, op.getInput(), op.getIndices(), indexMap,
                          [&](OpBuilder &b, Location l, ValueRange idx, ValueRange extras) {
                            SmallVector<Value> source(idx.begin(), idx.begin() + axis);
                            source.push_back(wrapIndex(b, l, extras[0], dimSize));
                            source.append(idx.begin() + axis + q, idx.end());
                            return source;
                          }));
    return success();
  }
};

struct GatherElementsToGeneric : OpRewritePattern<nn::GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::GatherElementsOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t axis = op.getAxis();
    int64_t dimSize = op.getInput().getType().getDimSize(axis);
    rewriter.replaceOp(
        op, gatherGeneric(rewriter, loc, type, op.getInput(), op.getIndices(),
                          rewriter.getMultiDimIdentityMap(type.getRank()),
                          [&](OpBuilder &b, Location l, ValueRange idx, ValueRange extras) {
                            SmallVector<Value> source(idx);
                            source[axis] = wrapIndex(b, l, extras[0], dimSize);
                            return source;
                          }));
    return success();
  }
};

/// depth_to_space / space_to_depth are pure index permutations, written as
/// affine input maps (floordiv/mod by the block size).
struct DepthToSpaceToGeneric : OpRewritePattern<nn::DepthToSpaceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::DepthToSpaceOp op, PatternRewriter &rewriter) const override {
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    int64_t b = op.getBlocksize(), channels = type.getDimSize(1);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
    AffineExpr bh = d(2) % b, bw = d(3) % b;
    AffineExpr c =
        op.getMode() == "DCR" ? (bh * b + bw) * channels + d(1) : d(1) * (b * b) + bh * b + bw;
    AffineMap inMap = AffineMap::get(4, 0, {d(0), c, d(2).floorDiv(b), d(3).floorDiv(b)}, context);
    rewriter.replaceOp(op, copyThroughMap(rewriter, op.getLoc(), op.getInput(), type, inMap));
    return success();
  }
};

struct SpaceToDepthToGeneric : OpRewritePattern<nn::SpaceToDepthOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::SpaceToDepthOp op, PatternRewriter &rewriter) const override {
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    int64_t b = op.getBlocksize(), channels = op.getInput().getType().getDimSize(1);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
    // Output channel = (bh * b + bw) * C + c (DCR) or c * b * b + bh * b + bw (CRD).
    bool dcr = op.getMode() == "DCR";
    AffineExpr block = dcr ? d(1).floorDiv(channels) : d(1) % (b * b);
    AffineExpr channel = dcr ? d(1) % channels : d(1).floorDiv(b * b);
    AffineMap inMap = AffineMap::get(
        4, 0, {d(0), channel, d(2) * b + block.floorDiv(b), d(3) * b + block % b}, context);
    rewriter.replaceOp(op, copyThroughMap(rewriter, op.getLoc(), op.getInput(), type, inMap));
    return success();
  }
};

struct OneHotToGeneric : OpRewritePattern<nn::OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::OneHotOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    int64_t axis = op.getAxis(), depth = op.getDepth(), rank = type.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        indexExprs.push_back(getAffineDimExpr(d, context));
    AffineMap indexMap = AffineMap::get(rank, 0, indexExprs, context);
    Value values = op.getValues();
    rewriter.replaceOp(
        op, gatherGeneric(rewriter, loc, type, values, op.getIndices(), indexMap,
                          [&](OpBuilder &b, Location l, ValueRange idx, ValueRange extras) {
                            // Negative indices count from depth; others out of
                            // range match no position (an all-off row).
                            Value index = wrapNegative(b, l, extras[0], depth);
                            Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                              idx[axis], index);
                            Value which = arith::SelectOp::create(b, l, hit, indexConstant(b, l, 1),
                                                                  indexConstant(b, l, 0));
                            return SmallVector<Value>{which};
                          }));
    return success();
  }
};

struct GatherNDToGeneric : OpRewritePattern<nn::GatherNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::GatherNDOp op, PatternRewriter &rewriter) const override {
    auto inShape = op.getInput().getType().getShape();
    auto indices = op.getIndices();
    int64_t q = indices.getType().getRank(), m = indices.getType().getDimSize(q - 1);
    int64_t batch = op.getBatchDims();
    rewriter.replaceOp(op, gatherGeneric(rewriter, op.getLoc(), op.getType(), op.getInput(), {}, {},
                                         [&](OpBuilder &b, Location l, ValueRange idx, ValueRange) {
                                           // idx = (batch..., tuple position..., slice...).
                                           SmallVector<Value> source(idx.take_front(batch));
                                           SmallVector<Value> at(idx.take_front(q - 1));
                                           at.push_back(Value());
                                           for (int64_t j = 0; j < m; ++j) {
                                             at.back() = indexConstant(b, l, j);
                                             source.push_back(wrapIndex(
                                                 b, l, tensor::ExtractOp::create(b, l, indices, at),
                                                 inShape[batch + j]));
                                           }
                                           llvm::append_range(source, idx.drop_front(q - 1));
                                           return source;
                                         }));
    return success();
  }
};

struct ReverseSequenceToGeneric : OpRewritePattern<nn::ReverseSequenceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ReverseSequenceOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    int64_t batch = op.getBatchAxis(), time = op.getTimeAxis();
    AffineMap lengthsMap =
        AffineMap::get(type.getRank(), 0, getAffineDimExpr(batch, context), context);
    rewriter.replaceOp(
        op, gatherGeneric(
                rewriter, op.getLoc(), type, op.getInput(), op.getLengths(), lengthsMap,
                [&](OpBuilder &b, Location l, ValueRange idx, ValueRange extras) {
                  Value length = arith::IndexCastOp::create(b, l, b.getIndexType(), extras[0]);
                  Value t = idx[time];
                  Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, length);
                  Value reversed = arith::SubIOp::create(
                      b, l, arith::SubIOp::create(b, l, length, indexConstant(b, l, 1)), t);
                  SmallVector<Value> source(idx);
                  source[time] = arith::SelectOp::create(b, l, inside, reversed, t);
                  return source;
                }));
    return success();
  }
};

/// The combination a scatter applies to an existing element and an update.
Value scatterCombine(OpBuilder &b, Location loc, StringRef reduction, Value old, Value update) {
  if (reduction == "add")
    return createAdd(b, loc, old, update);
  if (reduction == "mul")
    return createMul(b, loc, old, update);
  if (reduction == "max")
    return createMax(b, loc, old, update);
  if (reduction == "min")
    return isa<FloatType>(old.getType()) ? Value(arith::MinimumFOp::create(b, loc, old, update))
                                         : Value(arith::MinSIOp::create(b, loc, old, update));
  return update;
}

/// Scatters sequentially (ONNX's order, later updates win) with a loop nest over
/// `updates`: `target` maps the loop indices to the element written.
Value scatterLoops(OpBuilder &b, Location loc, Value input, Value updates, StringRef reduction,
                   function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> target) {
  auto shape = cast<RankedTensorType>(updates.getType()).getShape();
  SmallVector<Value> lower, upper, steps;
  for (int64_t size : shape) {
    lower.push_back(indexConstant(b, loc, 0));
    upper.push_back(indexConstant(b, loc, size));
    steps.push_back(indexConstant(b, loc, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lower, upper, steps, input,
      [&](OpBuilder &nb, Location l, ValueRange ivs, ValueRange args) -> scf::ValueVector {
        SmallVector<Value> at = target(nb, l, ivs);
        Value update = tensor::ExtractOp::create(nb, l, updates, ivs);
        if (reduction != "none")
          update = scatterCombine(nb, l, reduction, tensor::ExtractOp::create(nb, l, args[0], at),
                                  update);
        return {tensor::InsertOp::create(nb, l, update, args[0], at)};
      });
  return nest.results.empty() ? input : nest.results.front();
}

struct ScatterElementsToLoops : OpRewritePattern<nn::ScatterElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ScatterElementsOp op,
                                PatternRewriter &rewriter) const override {
    int64_t axis = op.getAxis();
    int64_t size = op.getInput().getType().getDimSize(axis);
    Value indices = op.getIndices();
    rewriter.replaceOp(
        op, scatterLoops(rewriter, op.getLoc(), op.getInput(), op.getUpdates(), op.getReduction(),
                         [&](OpBuilder &b, Location l, ValueRange ivs) {
                           SmallVector<Value> at(ivs);
                           at[axis] =
                               wrapIndex(b, l, tensor::ExtractOp::create(b, l, indices, ivs), size);
                           return at;
                         }));
    return success();
  }
};

struct ScatterNDToLoops : OpRewritePattern<nn::ScatterNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ScatterNDOp op, PatternRewriter &rewriter) const override {
    auto inShape = op.getInput().getType().getShape();
    Value indices = op.getIndices();
    int64_t q = op.getIndices().getType().getRank();
    int64_t m = op.getIndices().getType().getDimSize(q - 1);
    rewriter.replaceOp(
        op, scatterLoops(rewriter, op.getLoc(), op.getInput(), op.getUpdates(), op.getReduction(),
                         [&](OpBuilder &b, Location l, ValueRange ivs) {
                           // ivs = (tuple position..., slice...).
                           SmallVector<Value> tuple(ivs.take_front(q - 1));
                           tuple.push_back(Value());
                           SmallVector<Value> at;
                           for (int64_t j = 0; j < m; ++j) {
                             tuple.back() = indexConstant(b, l, j);
                             at.push_back(wrapIndex(b, l,
                                                    tensor::ExtractOp::create(b, l, indices, tuple),
                                                    inShape[j]));
                           }
                           llvm::append_range(at, ivs.drop_front(q - 1));
                           return at;
                         }));
    return success();
  }
};

struct ExpandToGeneric : OpRewritePattern<nn::ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ExpandOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       buildElementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                                        [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct TileToGeneric : OpRewritePattern<nn::TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TileOp op, PatternRewriter &rewriter) const override {
    MLIRContext *context = rewriter.getContext();
    auto type = op.getType();
    auto inType = op.getInput().getType();
    if (type.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "empty result");
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < type.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, context) % inType.getDimSize(d));
    rewriter.replaceOp(op, copyThroughMap(rewriter, op.getLoc(), op.getInput(), type,
                                          AffineMap::get(type.getRank(), 0, exprs, context)));
    return success();
  }
};

/// reflect / edge / wrap padding: each output element reads the input at the
/// mirrored, clamped or wrapped position.
Value padByIndexing(OpBuilder &b, Location loc, nn::PadOp op) {
  auto inType = op.getInput().getType();
  int64_t rank = inType.getRank();
  StringRef mode = op.getMode();
  ArrayRef<int64_t> pads = op.getPads();
  return gatherGeneric(
      b, loc, op.getType(), op.getInput(), {}, {},
      [&](OpBuilder &nb, Location l, ValueRange idx, ValueRange) {
        SmallVector<Value> source;
        for (int64_t d = 0; d < rank; ++d) {
          int64_t size = inType.getDimSize(d);
          Value p = arith::SubIOp::create(nb, l, idx[d], indexConstant(nb, l, pads[d]));
          Value zero = indexConstant(nb, l, 0), last = indexConstant(nb, l, size - 1);
          Value s;
          if (mode == "edge") {
            s = arith::MinSIOp::create(nb, l, arith::MaxSIOp::create(nb, l, p, zero), last);
          } else if (mode == "wrap") {
            Value n = indexConstant(nb, l, size);
            s = arith::RemSIOp::create(
                nb, l, arith::AddIOp::create(nb, l, arith::RemSIOp::create(nb, l, p, n), n), n);
          } else {
            // reflect: -p before the start, 2 (size - 1) - p past the end.
            Value negated = arith::SubIOp::create(nb, l, zero, p);
            Value mirrored = arith::SubIOp::create(nb, l, indexConstant(nb, l, 2 * (size - 1)), p);
            Value before = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, p, zero);
            Value after = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sgt, p, last);
            s = arith::SelectOp::create(nb, l, before, negated,
                                        arith::SelectOp::create(nb, l, after, mirrored, p));
          }
          source.push_back(s);
        }
        return source;
      });
}

struct PadToTensor : OpRewritePattern<nn::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::PadOp op, PatternRewriter &rewriter) const override {
    if (op.getMode() != "constant") {
      if (llvm::any_of(op.getPads(), [](int64_t p) { return p < 0; }))
        return rewriter.notifyMatchFailure(op, "negative pads in non-constant modes");
      rewriter.replaceOp(op, padByIndexing(rewriter, op.getLoc(), op));
      return success();
    }
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    // Negative pads crop first.
    SmallVector<OpFoldResult> offsets, sizes, strides;
    SmallVector<int64_t> cropped, low, high;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t begin = std::max<int64_t>(0, -pads[d]), end = std::max<int64_t>(0, -pads[d + rank]);
      cropped.push_back(inType.getDimSize(d) - begin - end);
      offsets.push_back(rewriter.getIndexAttr(begin));
      sizes.push_back(rewriter.getIndexAttr(cropped.back()));
      strides.push_back(rewriter.getIndexAttr(1));
      low.push_back(std::max<int64_t>(0, pads[d]));
      high.push_back(std::max<int64_t>(0, pads[d + rank]));
    }
    Value input = op.getInput();
    if (ArrayRef<int64_t>(cropped) != inType.getShape())
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(cropped, inType.getElementType()), input, offsets,
          sizes, strides);
    Value value = tensor::ExtractOp::create(rewriter, loc, op.getValue(), ValueRange{});
    rewriter.replaceOp(op, padTensor(rewriter, loc, input, low, high, value));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantToArith, ReshapeToTensor, TransposeToLinalg, ConcatToInsertSlices,
               SplitToExtractSlices, SliceToTensor, GatherToGeneric, GatherElementsToGeneric,
               DepthToSpaceToGeneric, SpaceToDepthToGeneric, OneHotToGeneric, GatherNDToGeneric,
               ReverseSequenceToGeneric, ScatterElementsToLoops, ScatterNDToLoops, ExpandToGeneric,
               TileToGeneric, PadToTensor>(patterns.getContext());
}

//===- Contraction.cpp - matmul and convolution -> linalg.generic ----------===//
//
// Contractions are written as linalg.generic with explicit reduction loops, in
// the most general form (broadcast batch dims; N-d, grouped, strided, dilated
// convolutions). The CPU strategy specializes them later; this form is the
// reference lowering every case goes through correctly.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
struct MatMulToGeneric : OpRewritePattern<nn::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::MatMulOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = op.getType();
    int64_t rank = resultType.getRank(), batchRank = rank - 2;
    // Loops: batch..., m, n, k.
    int64_t numLoops = rank + 1;
    AffineExpr m = getAffineDimExpr(batchRank, context);
    AffineExpr n = getAffineDimExpr(batchRank + 1, context);
    AffineExpr k = getAffineDimExpr(batchRank + 2, context);
    ArrayRef<int64_t> batchShape = resultType.getShape().drop_back(2);
    auto operandMap = [&](Value operand, AffineExpr row, AffineExpr col) {
      ArrayRef<int64_t> shape = cast<RankedTensorType>(operand.getType()).getShape();
      AffineMap batch = broadcastMap(context, shape.drop_back(2), batchShape);
      SmallVector<AffineExpr> exprs(batch.getResults());
      exprs.append({row, col});
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < batchRank; ++d)
      outExprs.push_back(getAffineDimExpr(d, context));
    outExprs.append({m, n});
    SmallVector<AffineMap> maps{operandMap(op.getLhs(), m, k), operandMap(op.getRhs(), k, n),
                                AffineMap::get(numLoops, 0, outExprs, context)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic =
        linalg::GenericOp::create(rewriter, loc, resultType, ValueRange{op.getLhs(), op.getRhs()},
                                  zeros(rewriter, loc, resultType), maps, iterators,
                                  [](OpBuilder &b, Location l, ValueRange args) {
                                    linalg::YieldOp::create(b, l, multiplyAccumulate(b, l, args));
                                  });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Adds a per-channel bias (dim 1, or the last dim when `channelsLast`) to
/// `value`.
Value addChannelBias(OpBuilder &b, Location loc, Value value, Value bias,
                     bool channelsLast = false) {
  auto type = cast<RankedTensorType>(value.getType());
  MLIRContext *context = b.getContext();
  unsigned channelDim = channelsLast ? type.getRank() - 1 : 1;
  SmallVector<AffineMap> maps{
      b.getMultiDimIdentityMap(type.getRank()),
      AffineMap::get(type.getRank(), 0, getAffineDimExpr(channelDim, context), context),
      b.getMultiDimIdentityMap(type.getRank())};
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(type.getRank(), utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, type, ValueRange{value, bias}, init, maps, iterators,
                                   [](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l,
                                                             createAdd(nb, l, args[0], args[1]));
                                   })
      .getResult(0);
}

/// The flat stride of each spatial dim of a tensor with spatial dims `shape`.
SmallVector<int64_t> flatSteps(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> steps(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    steps[i] = steps[i + 1] * shape[i + 1];
  return steps;
}

/// Whether an ungrouped convolution runs as a sliding-window GEMM (see
/// slidingWindowGemm): stride 1, a kernel larger than one point, the GEMM's
/// result contiguous along output positions (as in correlationAsGemm), and
/// a grid at most 1/8 larger than the output (wider padding wastes more than
/// the patch copy costs). `padded` holds the padded spatial dims.
bool runsAsSlidingWindow(ArrayRef<int64_t> padded, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> strides, RankedTensorType resultType) {
  ArrayRef<int64_t> outSpatial = resultType.getShape().drop_front(2);
  int64_t outSize = llvm::product_of(outSpatial);
  if (llvm::product_of(kernel) == 1 || convGemmRunsTransposed(resultType.getDimSize(1), outSize) ||
      llvm::any_of(strides, [](int64_t s) { return s != 1; }))
    return false;
  int64_t gridSize = outSpatial.front() * llvm::product_of(padded.drop_front());
  return gridSize * 8 <= outSize * 9;
}

/// The zero rows a sliding-window GEMM needs below the padded input: the
/// windows of the last grid row overhang it by sum_{i>0} (K_i - 1) *
/// dilation_i * step_i elements.
int64_t slidingWindowExtraRows(ArrayRef<int64_t> padded, ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> dilations) {
  SmallVector<int64_t> steps = flatSteps(padded);
  int64_t overhang = 0;
  for (size_t i = 1; i < padded.size(); ++i)
    overhang += (kernel[i] - 1) * dilations[i] * steps[i];
  return llvm::divideCeil(overhang, steps[0]);
}

/// A stride-1 convolution as a GEMM that reads the padded input in place.
/// With the input's spatial dims flattened, the output grid keeps the padded
/// extent S' of every spatial dim but the first, and grid position o reads
/// input[c, o + sum_i k_i * dilation_i * step_i] (step_i: the flat stride of
/// spatial dim i): a window sliding along contiguous memory, so the GEMM needs
/// neither a patch matrix nor a packed copy of it. The last S'_i - O_i
/// positions of each grid row are computed and dropped. `input` is [N, C,
/// S'...] with slidingWindowExtraRows more zero rows; `weight` is [F, C, K...].
Value slidingWindowGemm(OpBuilder &b, Location loc, Value input, Value weight,
                        ArrayRef<int64_t> dilations, RankedTensorType resultType) {
  MLIRContext *context = b.getContext();
  Type element = resultType.getElementType();
  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t spatial = resultType.getRank() - 2;
  int64_t batch = inShape[0], channels = inShape[1], filters = wShape[0];
  ArrayRef<int64_t> padded = inShape.drop_front(2);
  SmallVector<int64_t> steps = flatSteps(padded);
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  Value flat = reshapeTensor(
      b, loc, input, RankedTensorType::get({batch, channels, llvm::product_of(padded)}, element));

  // Loops: n, f, o (parallel), c, k_1..k_s (reduction).
  SmallVector<int64_t> grid{resultType.getDimSize(2)};
  grid.append(padded.begin() + 1, padded.end());
  int64_t numLoops = 4 + spatial;
  AffineExpr window = d(2);
  SmallVector<AffineExpr> wExprs{d(1), d(3)};
  for (int64_t i = 0; i < spatial; ++i) {
    window = window + d(4 + i) * (dilations[i] * steps[i]);
    wExprs.push_back(d(4 + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, wExprs, context),
                              AffineMap::get(numLoops, 0, {d(0), d(3), window}, context),
                              AffineMap::get(numLoops, 0, {d(0), d(1), d(2)}, context)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  auto productType = RankedTensorType::get({batch, filters, llvm::product_of(grid)}, element);
  Value product =
      contractionGeneric(b, loc, productType, ValueRange{weight, flat}, maps, iterators);
  SmallVector<int64_t> gridShape{batch, filters};
  gridShape.append(grid);
  product = reshapeTensor(b, loc, product, RankedTensorType::get(gridShape, element));
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), strides(rank, b.getIndexAttr(1)),
      sizes;
  for (int64_t size : resultType.getShape())
    sizes.push_back(b.getIndexAttr(size));
  return tensor::ExtractSliceOp::create(b, loc, resultType, product, offsets, sizes, strides);
}

/// An ungrouped convolution as one GEMM per image, so that it runs through
/// the same register-blocked matmul kernel as MatMul and Gemm: the weight
/// [F, C*K] times the image's patches [C*K, O] (im2col). A CPU vectorizes
/// along the contiguous rows of the result, so when there are at least twice
/// as many filters as output positions (the late layers of a CNN; measured on
/// ResNet-18, 512 x 49 runs 10-25% faster transposed, 256 x 196 10% slower) the
/// GEMM runs transposed instead, patches [O, C*K] times weight^T into
/// [O, F], and the result is transposed back; the weight is then the operand
/// a backend repacks once.
/// A 1x1, stride-1 kernel in the first form reads the input in place;
/// otherwise the patches are gathered once. `input` is the padded input
/// [N, 1, C, S'...]; `weight` is [1, F, C, K...].
Value correlationAsGemm(OpBuilder &b, Location loc, Value input, Value weight,
                        ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                        RankedTensorType resultType) {
  MLIRContext *context = b.getContext();
  Type element = resultType.getElementType();
  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t spatial = resultType.getRank() - 2;
  int64_t batch = inShape[0], channels = inShape[2], filters = wShape[1];
  ArrayRef<int64_t> kernel = wShape.drop_front(3), outSpatial = resultType.getShape().drop_front(2);
  int64_t kernelSize = llvm::product_of(kernel), outSize = llvm::product_of(outSpatial);
  int64_t reduction = channels * kernelSize;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  bool transposed = convGemmRunsTransposed(filters, outSize);

  // Patches [N, C, K..., O...], or [N, O..., C, K...] when transposed:
  // input[n, 0, c, o * stride + k * dilation]. A 1x1 kernel has no K dims
  // (the copy is then a plain transpose or strided gather, which vectorizes).
  Value patches;
  bool inPlace = !transposed && kernelSize == 1 &&
                 llvm::all_of(strides, [](int64_t s) { return s == 1; }) &&
                 inShape.drop_front(3) == outSpatial;
  if (inPlace) {
    patches = input;
  } else {
    int64_t kernelDims = kernelSize == 1 ? 0 : spatial;
    int64_t numLoops = 2 + spatial + kernelDims;
    // Loop positions of c, the first kernel dim and the first output dim.
    int64_t c = transposed ? 1 + spatial : 1, k = c + 1, o = transposed ? 1 : 2 + kernelDims;
    SmallVector<AffineExpr> inExprs{d(0), getAffineConstantExpr(0, context), d(c)};
    for (int64_t i = 0; i < spatial; ++i)
      inExprs.push_back(kernelDims ? d(o + i) * strides[i] + d(k + i) * dilations[i]
                                   : d(o + i) * strides[i]);
    SmallVector<int64_t> patchShape{batch};
    SmallVector<int64_t> channelAndKernel{channels};
    if (kernelDims)
      channelAndKernel.append(kernel.begin(), kernel.end());
    if (transposed)
      llvm::append_range(patchShape, llvm::concat<const int64_t>(outSpatial, channelAndKernel));
    else
      llvm::append_range(patchShape, llvm::concat<const int64_t>(channelAndKernel, outSpatial));
    patches = copyThroughMap(b, loc, input, RankedTensorType::get(patchShape, element),
                             AffineMap::get(numLoops, 0, inExprs, context));
  }
  patches = reshapeTensor(b, loc, patches,
                          RankedTensorType::get(transposed
                                                    ? ArrayRef<int64_t>{batch, outSize, reduction}
                                                    : ArrayRef<int64_t>{batch, reduction, outSize},
                                                element));
  Value matrix =
      reshapeTensor(b, loc, weight, RankedTensorType::get({filters, reduction}, element));
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto gemm = [&](RankedTensorType type, ValueRange inputs, ArrayRef<AffineMap> maps) {
    return contractionGeneric(b, loc, type, inputs, maps, iterators);
  };
  Value result;
  if (transposed) {
    // Loops: n, o, f (parallel), q (reduction); then [N, O, F] -> [N, F, O].
    Value product = gemm(RankedTensorType::get({batch, outSize, filters}, element),
                         ValueRange{patches, matrix},
                         {AffineMap::get(4, 0, {d(0), d(1), d(3)}, context),
                          AffineMap::get(4, 0, {d(2), d(3)}, context),
                          AffineMap::get(4, 0, {d(0), d(1), d(2)}, context)});
    result = copyThroughMap(b, loc, product,
                            RankedTensorType::get({batch, filters, outSize}, element),
                            AffineMap::get(3, 0, {d(0), d(2), d(1)}, context));
  } else {
    // Loops: n, f, o (parallel), q (reduction).
    result = gemm(RankedTensorType::get({batch, filters, outSize}, element),
                  ValueRange{matrix, patches},
                  {AffineMap::get(4, 0, {d(1), d(3)}, context),
                   AffineMap::get(4, 0, {d(0), d(3), d(2)}, context),
                   AffineMap::get(4, 0, {d(0), d(1), d(2)}, context)});
  }
  return reshapeTensor(b, loc, result, resultType);
}

/// The grouped correlation both convolutions end in. `input` is the padded
/// input viewed as [N, G, C/G, S...]; `weight` is [G, F/G, C/G, K...] when
/// `weightIsFC`, else [G, C/G, F/G, K...]. Returns [N, F, O...] plus `bias`.
Value groupedCorrelation(OpBuilder &b, Location loc, Value input, Value weight, bool weightIsFC,
                         ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                         RankedTensorType resultType, Value bias) {
  MLIRContext *context = b.getContext();
  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  if (wShape[0] == 1 && weightIsFC) {
    Value result = correlationAsGemm(b, loc, input, weight, strides, dilations, resultType);
    return bias ? addChannelBias(b, loc, result, bias) : result;
  }
  int64_t spatial = resultType.getRank() - 2;
  int64_t group = wShape[0], fPerGroup = wShape[weightIsFC ? 1 : 2];
  SmallVector<int64_t> groupedOut{resultType.getDimSize(0), group, fPerGroup};
  groupedOut.append(resultType.getShape().begin() + 2, resultType.getShape().end());
  auto groupedOutType = RankedTensorType::get(groupedOut, resultType.getElementType());
  // Loops: n, g, f, o_1..o_s (parallel), c, k_1..k_s (reduction).
  int64_t numLoops = 3 + spatial + 1 + spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  AffineExpr n = d(0), g = d(1), f = d(2), c = d(3 + spatial);
  SmallVector<AffineExpr> inExprs{n, g, c}, outExprs{n, g, f};
  SmallVector<AffineExpr> wExprs =
      weightIsFC ? SmallVector<AffineExpr>{g, f, c} : SmallVector<AffineExpr>{g, c, f};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = d(3 + i), k = d(4 + spatial + i);
    inExprs.push_back(o * strides[i] + k * dilations[i]);
    wExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inExprs, context),
                              AffineMap::get(numLoops, 0, wExprs, context),
                              AffineMap::get(numLoops, 0, outExprs, context)};
  SmallVector<utils::IteratorType> iterators(3 + spatial, utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  Value result =
      contractionGeneric(b, loc, groupedOutType, ValueRange{input, weight}, maps, iterators);
  result = reshapeTensor(b, loc, result, resultType);
  return bias ? addChannelBias(b, loc, result, bias) : result;
}

/// A convolution on [N, S..., C] images into [N, O..., F], weight
/// [K..., C/G, F]. Ungrouped, it is the transposed GEMM of correlationAsGemm,
/// patches [N, O, K*C] times the weight [K*C, F], whose result is already in
/// this layout; a 1x1, stride-1 kernel reads the input in place. Grouped, one
/// generic whose loops are n, o..., g, f (parallel), c, k... (reduction), the
/// unit ones of g, f and c left out so that a depthwise convolution's
/// channels are every operand's last, contiguous dim.
Value channelsLastConv(OpBuilder &b, Location loc, nn::ConvOp op) {
  MLIRContext *context = b.getContext();
  auto inType = op.getInput().getType();
  auto wType = op.getWeight().getType();
  RankedTensorType resultType = op.getType();
  Type element = resultType.getElementType();
  int64_t rank = inType.getRank(), spatial = rank - 2;
  int64_t batch = inType.getDimSize(0), channels = inType.getDimSize(rank - 1);
  int64_t filters = wType.getDimSize(rank - 1), group = op.getGroup();
  int64_t cPerGroup = channels / group, fPerGroup = filters / group;
  ArrayRef<int64_t> pads = op.getPads(), strides = op.getStrides(),
                    dilations = op.getDilations();
  ArrayRef<int64_t> kernel = wType.getShape().take_front(spatial);
  ArrayRef<int64_t> outSpatial = resultType.getShape().slice(1, spatial);
  int64_t kernelSize = llvm::product_of(kernel), outSize = llvm::product_of(outSpatial);
  SmallVector<int64_t> low{0}, high{0};
  low.append(pads.begin(), pads.begin() + spatial);
  high.append(pads.begin() + spatial, pads.end());
  low.push_back(0);
  high.push_back(0);
  Value input = padTensor(b, loc, op.getInput(), low, high, scalarConstant(b, loc, element, 0));
  auto paddedShape = cast<RankedTensorType>(input.getType()).getShape();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  SmallVector<utils::IteratorType> iterators;
  auto windowExpr = [&](int64_t i, AffineExpr o, std::optional<AffineExpr> k) {
    return k ? o * strides[i] + *k * dilations[i] : o * strides[i];
  };

  Value result;
  if (group == 1) {
    int64_t reduction = channels * kernelSize;
    Value patches;
    if (kernelSize == 1 && paddedShape.slice(1, spatial) == outSpatial &&
        llvm::all_of(strides, [](int64_t s) { return s == 1; })) {
      patches = input;
    } else {
      // Patches [N, O..., K..., C] (no K dims for a 1x1 kernel).
      int64_t kernelDims = kernelSize == 1 ? 0 : spatial;
      int64_t k = 1 + spatial, c = k + kernelDims;
      SmallVector<AffineExpr> inExprs{d(0)};
      for (int64_t i = 0; i < spatial; ++i)
        inExprs.push_back(windowExpr(i, d(1 + i),
                                     kernelDims ? std::optional(d(k + i)) : std::nullopt));
      inExprs.push_back(d(c));
      SmallVector<int64_t> patchShape{batch};
      llvm::append_range(patchShape, outSpatial);
      if (kernelDims)
        llvm::append_range(patchShape, kernel);
      patchShape.push_back(channels);
      patches = copyThroughMap(b, loc, input, RankedTensorType::get(patchShape, element),
                               AffineMap::get(c + 1, 0, inExprs, context));
    }
    patches = reshapeTensor(b, loc, patches,
                            RankedTensorType::get({batch, outSize, reduction}, element));
    Value matrix =
        reshapeTensor(b, loc, op.getWeight(), RankedTensorType::get({reduction, filters}, element));
    // Loops: n, o, f (parallel), q (reduction).
    iterators.assign(3, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    result = contractionGeneric(b, loc, RankedTensorType::get({batch, outSize, filters}, element),
                                ValueRange{patches, matrix},
                                {AffineMap::get(4, 0, {d(0), d(1), d(3)}, context),
                                 AffineMap::get(4, 0, {d(3), d(2)}, context),
                                 AffineMap::get(4, 0, {d(0), d(1), d(2)}, context)},
                                iterators);
  } else {
    // Input [N, S'..., G, C/G], weight [K..., C/G, G, F/G], result
    // [N, O..., G, F/G], each without the unit dims of g, f and c.
    auto parallel = utils::IteratorType::parallel, reduction = utils::IteratorType::reduction;
    auto newLoop = [&](utils::IteratorType type) {
      iterators.push_back(type);
      return d(iterators.size() - 1);
    };
    auto loopUnlessUnit = [&](int64_t size,
                              utils::IteratorType type) -> std::optional<AffineExpr> {
      if (size == 1)
        return std::nullopt;
      return newLoop(type);
    };
    AffineExpr n = newLoop(parallel);
    SmallVector<AffineExpr> o, k;
    for (int64_t i = 0; i < spatial; ++i)
      o.push_back(newLoop(parallel));
    std::optional<AffineExpr> g = loopUnlessUnit(group, parallel),
                              f = loopUnlessUnit(fPerGroup, parallel),
                              c = loopUnlessUnit(cPerGroup, reduction);
    for (int64_t i = 0; i < spatial; ++i)
      k.push_back(newLoop(reduction));
    int64_t numLoops = iterators.size();
    SmallVector<AffineExpr> inExprs{n}, wExprs(k), outExprs{n};
    SmallVector<int64_t> inShape{batch}, wShape(kernel), outShape{batch};
    for (int64_t i = 0; i < spatial; ++i) {
      inExprs.push_back(windowExpr(i, o[i], k[i]));
      inShape.push_back(paddedShape[1 + i]);
      outExprs.push_back(o[i]);
      outShape.push_back(outSpatial[i]);
    }
    auto addDim = [](std::optional<AffineExpr> expr, int64_t size,
                     SmallVectorImpl<AffineExpr> &exprs, SmallVectorImpl<int64_t> &shape) {
      if (expr) {
        exprs.push_back(*expr);
        shape.push_back(size);
      }
    };
    addDim(g, group, inExprs, inShape);
    addDim(c, cPerGroup, inExprs, inShape);
    addDim(c, cPerGroup, wExprs, wShape);
    addDim(g, group, wExprs, wShape);
    addDim(f, fPerGroup, wExprs, wShape);
    addDim(g, group, outExprs, outShape);
    addDim(f, fPerGroup, outExprs, outShape);
    Value grouped = reshapeTensor(b, loc, input, RankedTensorType::get(inShape, element));
    Value weight = reshapeTensor(b, loc, op.getWeight(), RankedTensorType::get(wShape, element));
    result = contractionGeneric(b, loc, RankedTensorType::get(outShape, element),
                                ValueRange{grouped, weight},
                                {AffineMap::get(numLoops, 0, inExprs, context),
                                 AffineMap::get(numLoops, 0, wExprs, context),
                                 AffineMap::get(numLoops, 0, outExprs, context)},
                                iterators);
  }
  result = reshapeTensor(b, loc, result, resultType);
  return op.getBias() ? addChannelBias(b, loc, result, op.getBias(), /*channelsLast=*/true)
                      : result;
}

struct ConvToGeneric : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    if (op.getChannelsLast()) {
      rewriter.replaceOp(op, channelsLastConv(rewriter, op.getLoc(), op));
      return success();
    }
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto wType = op.getWeight().getType();
    auto resultType = op.getType();
    Type element = resultType.getElementType();
    int64_t spatial = inType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t batch = inType.getDimSize(0), channels = inType.getDimSize(1);
    int64_t filters = wType.getDimSize(0);
    int64_t cPerGroup = channels / group, fPerGroup = filters / group;
    ArrayRef<int64_t> pads = op.getPads();

    SmallVector<int64_t> low(2, 0), high(2, 0);
    low.append(pads.begin(), pads.begin() + spatial);
    high.append(pads.begin() + spatial, pads.end());
    SmallVector<int64_t> padded;
    for (int64_t i = 0; i < spatial; ++i)
      padded.push_back(inType.getDimSize(2 + i) + low[2 + i] + high[2 + i]);
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    bool slidingWindow =
        group == 1 && runsAsSlidingWindow(padded, kernel, op.getStrides(), resultType);
    if (slidingWindow)
      high[2] += slidingWindowExtraRows(padded, kernel, op.getDilations());
    Value input = padTensor(rewriter, loc, op.getInput(), low, high,
                            scalarConstant(rewriter, loc, element, 0));
    if (slidingWindow) {
      Value result =
          slidingWindowGemm(rewriter, loc, input, op.getWeight(), op.getDilations(), resultType);
      rewriter.replaceOp(op, op.getBias() ? addChannelBias(rewriter, loc, result, op.getBias())
                                          : result);
      return success();
    }

    // The padded input [N, C, S'...] viewed as [N, G, C/G, S'...].
    auto paddedShape = cast<RankedTensorType>(input.getType()).getShape();
    SmallVector<int64_t> groupedIn{batch, group, cPerGroup};
    groupedIn.append(paddedShape.begin() + 2, paddedShape.end());
    input = reshapeTensor(rewriter, loc, input, RankedTensorType::get(groupedIn, element));
    // Weight [F, C/G, K...] viewed as [G, F/G, C/G, K...].
    SmallVector<int64_t> groupedW{group, fPerGroup, cPerGroup};
    groupedW.append(wType.getShape().begin() + 2, wType.getShape().end());
    Value weight =
        reshapeTensor(rewriter, loc, op.getWeight(), RankedTensorType::get(groupedW, element));
    rewriter.replaceOp(op, groupedCorrelation(rewriter, loc, input, weight, /*weightIsFC=*/true,
                                              op.getStrides(), op.getDilations(), resultType,
                                              op.getBias()));
    return success();
  }
};

struct ConvTransposeToGeneric : OpRewritePattern<nn::ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvTransposeOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto inType = op.getInput().getType();
    auto wType = op.getWeight().getType();
    auto resultType = op.getType();
    Type element = resultType.getElementType();
    int64_t spatial = inType.getRank() - 2;
    int64_t group = op.getGroup(), batch = inType.getDimSize(0), channels = inType.getDimSize(1);
    int64_t cPerGroup = channels / group, fPerGroup = wType.getDimSize(1);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(), pads = op.getPads();
    Value zero = scalarConstant(rewriter, loc, element, 0);

    // Spread: [N, C, (in - 1) * s + 1].
    SmallVector<int64_t> spreadShape{batch, channels};
    SmallVector<OpFoldResult> offsets(inType.getRank(), rewriter.getIndexAttr(0)), sizes, steps;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      sizes.push_back(rewriter.getIndexAttr(inType.getDimSize(d)));
      int64_t stride = d < 2 ? 1 : strides[d - 2];
      steps.push_back(rewriter.getIndexAttr(stride));
      if (d >= 2)
        spreadShape.push_back((inType.getDimSize(d) - 1) * stride + 1);
    }
    Value input = filledTensor(rewriter, loc, RankedTensorType::get(spreadShape, element), zero);
    input =
        tensor::InsertSliceOp::create(rewriter, loc, op.getInput(), input, offsets, sizes, steps);
    // Pad (or crop) so that a stride-1 correlation yields the output size.
    SmallVector<int64_t> low(2, 0), high(2, 0), cropLow(2, 0), cropHigh(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t reach = (wType.getDimSize(i + 2) - 1) * dilations[i];
      int64_t l = reach - pads[i], h = reach - pads[i + spatial] + op.getOutputPadding()[i];
      low.push_back(std::max<int64_t>(l, 0));
      high.push_back(std::max<int64_t>(h, 0));
      cropLow.push_back(std::max<int64_t>(-l, 0));
      cropHigh.push_back(std::max<int64_t>(-h, 0));
    }
    input = padTensor(rewriter, loc, input, low, high, zero);
    if (llvm::any_of(cropLow, [](int64_t c) { return c; }) ||
        llvm::any_of(cropHigh, [](int64_t c) { return c; })) {
      auto padded = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> cropOffsets, cropSizes,
          unit(padded.getRank(), rewriter.getIndexAttr(1));
      SmallVector<int64_t> cropped;
      for (int64_t d = 0; d < padded.getRank(); ++d) {
        cropped.push_back(padded.getDimSize(d) - cropLow[d] - cropHigh[d]);
        cropOffsets.push_back(rewriter.getIndexAttr(cropLow[d]));
        cropSizes.push_back(rewriter.getIndexAttr(cropped.back()));
      }
      input = tensor::ExtractSliceOp::create(rewriter, loc, RankedTensorType::get(cropped, element),
                                             input, cropOffsets, cropSizes, unit);
    }
    auto paddedShape = cast<RankedTensorType>(input.getType()).getShape();
    SmallVector<int64_t> groupedIn{batch, group, cPerGroup};
    groupedIn.append(paddedShape.begin() + 2, paddedShape.end());
    input = reshapeTensor(rewriter, loc, input, RankedTensorType::get(groupedIn, element));
    // Weight [C, F/G, K...] viewed as [G, C/G, F/G, K...].
    SmallVector<int64_t> groupedW{group, cPerGroup, fPerGroup};
    groupedW.append(wType.getShape().begin() + 2, wType.getShape().end());
    Value weight =
        reshapeTensor(rewriter, loc, op.getWeight(), RankedTensorType::get(groupedW, element));
    // Flip the kernel spatially: flipped[..., k] = weight[..., K - 1 - k].
    {
      int64_t rank = groupedW.size();
      SmallVector<AffineExpr> flip;
      for (int64_t i = 0; i < rank; ++i)
        flip.push_back(i < 3 ? getAffineDimExpr(i, context)
                             : getAffineConstantExpr(groupedW[i] - 1, context) -
                                   getAffineDimExpr(i, context));
      weight = copyThroughMap(rewriter, loc, weight, RankedTensorType::get(groupedW, element),
                              AffineMap::get(rank, 0, flip, context));
    }
    SmallVector<int64_t> unitStrides(spatial, 1);
    rewriter.replaceOp(op, groupedCorrelation(rewriter, loc, input, weight, /*weightIsFC=*/false,
                                              unitStrides, dilations, resultType, op.getBias()));
    return success();
  }
};

/// einsum is directly a linalg.generic: one loop per label, output labels
/// parallel, the others reduced; a size-1 dim broadcasts against its label.
struct EinsumToGeneric : OpRewritePattern<nn::EinsumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::EinsumOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto [lhs, output] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    std::string labels = output.str();
    llvm::StringMap<int64_t> sizes;
    for (auto [term, input] : llvm::zip(terms, op.getInputs()))
      for (auto [label, size] :
           llvm::zip(term, cast<RankedTensorType>(input.getType()).getShape())) {
        if (labels.find(label) == std::string::npos)
          labels += label;
        int64_t &known = sizes[StringRef(&label, 1)];
        known = std::max(known, size);
      }
    auto loopOf = [&](char label) { return getAffineDimExpr(labels.find(label), context); };
    SmallVector<AffineMap> maps;
    for (auto [term, input] : llvm::zip(terms, op.getInputs())) {
      SmallVector<AffineExpr> exprs;
      for (auto [label, size] : llvm::zip(term, cast<RankedTensorType>(input.getType()).getShape()))
        exprs.push_back(size == 1 && sizes[StringRef(&label, 1)] != 1
                            ? getAffineConstantExpr(0, context)
                            : loopOf(label));
      maps.push_back(AffineMap::get(labels.size(), 0, exprs, context));
    }
    SmallVector<AffineExpr> outExprs;
    for (char label : output)
      outExprs.push_back(loopOf(label));
    maps.push_back(AffineMap::get(labels.size(), 0, outExprs, context));
    SmallVector<utils::IteratorType> iterators(output.size(), utils::IteratorType::parallel);
    iterators.append(labels.size() - output.size(), utils::IteratorType::reduction);
    auto type = op.getType();
    rewriter.replaceOp(
        op, linalg::GenericOp::create(
                rewriter, loc, type, op.getInputs(), zeros(rewriter, loc, type), maps, iterators,
                [](OpBuilder &b, Location l, ValueRange args) {
                  Value product = args[0];
                  for (Value v : args.drop_front().drop_back())
                    product = createMul(b, l, product, v);
                  linalg::YieldOp::create(b, l, createAdd(b, l, args.back(), product));
                })
                .getResult(0));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNContractionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulToGeneric, ConvToGeneric, ConvTransposeToGeneric, EinsumToGeneric>(
      patterns.getContext());
}

/// See correlationAsGemm: at least twice as many filters as output positions.
bool mlir::nnc::convGemmRunsTransposed(int64_t filters, int64_t outSize) {
  return filters >= 2 * outSize;
}

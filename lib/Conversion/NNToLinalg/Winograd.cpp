//===- Winograd.cpp - 3x3 convolutions by Winograd's minimal filtering -----===//
//
// A stride-1 3x3 convolution computes each m x m block of its output from an
// (m + 2) x (m + 2) block of its input with (m + 2)^2 multiplications per
// channel pair instead of 9 m^2 (Lavin and Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016): the input tiles and the filters are
// transformed (V = B^T d B, U = G g G^T), multiplied elementwise and summed
// over channels, which for all tiles at once is one GEMM per element of the
// transformed tile, and transformed back (Y = A^T M A). F(2x2, 3x3) does 16
// multiplications where direct convolution does 36; its transforms only add
// and subtract, and it stays as accurate as direct convolution in f32.
//
// Everything is ordinary structured IR: the filter transform is done at
// compile time on the constant weights; the input transform is one
// elementwise generic over tiles with 16 strided reads and 16 results, the
// products one batched contraction [16, F, C] x [16, C, tiles], the output
// transform an elementwise generic with 4 results (plus the bias), and a copy
// interleaves those 4 results into the image.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
/// F(m x m, 3 x 3): the output tile size m, the input tile size alpha = m + 2
/// and the three transform matrices, row-major.
struct WinogradTransform {
  int64_t m, alpha;
  ArrayRef<double> inputT;  // B^T, alpha x alpha
  ArrayRef<double> filter;  // G, alpha x 3
  ArrayRef<double> outputT; // A^T, m x alpha
};

constexpr double kF23InputT[] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
constexpr double kF23Filter[] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
constexpr double kF23OutputT[] = {1, 1, 1, 0, 0, 1, -1, -1};
const WinogradTransform kF23{2, 4, kF23InputT, kF23Filter, kF23OutputT};

/// sum_k coeffs[k] * values[k], skipping zero coefficients; a coefficient of
/// +-1 is an add or subtract. Terms with positive coefficients come first, so
/// that a row such as (0, -1, 1, 0) is x2 - x1 rather than a negation.
Value linearCombination(OpBuilder &b, Location loc, ArrayRef<double> coeffs,
                        ArrayRef<Value> values) {
  auto contract = arith::FastMathFlags::contract;
  SmallVector<size_t> order;
  for (size_t k = 0; k < coeffs.size(); ++k)
    if (coeffs[k] > 0)
      order.push_back(k);
  for (size_t k = 0; k < coeffs.size(); ++k)
    if (coeffs[k] < 0)
      order.push_back(k);
  Value sum;
  for (size_t k : order) {
    double c = coeffs[k];
    Value term = values[k];
    if (std::abs(c) != 1.0)
      term = arith::MulFOp::create(b, loc, scalarConstant(b, loc, term.getType(), std::abs(c)),
                                   term, contract);
    if (!sum)
      sum = c > 0 ? term : arith::NegFOp::create(b, loc, term).getResult();
    else if (c > 0)
      sum = arith::AddFOp::create(b, loc, sum, term, contract);
    else
      sum = arith::SubFOp::create(b, loc, sum, term, contract);
  }
  return sum;
}

/// left * x * right^T for a square x (n x n, values row-major), left and
/// right p x n: each row of x combined by left's rows, then each row of the
/// result by right's rows. Returns p x p values, row-major.
SmallVector<Value> sandwich(OpBuilder &b, Location loc, ArrayRef<double> left,
                            ArrayRef<double> right, int64_t n, ValueRange x) {
  int64_t p = left.size() / n;
  SmallVector<Value> rows; // p x n: left * x
  for (int64_t a = 0; a < p; ++a)
    for (int64_t j = 0; j < n; ++j) {
      SmallVector<Value> column;
      for (int64_t i = 0; i < n; ++i)
        column.push_back(x[i * n + j]);
      rows.push_back(linearCombination(b, loc, left.slice(a * n, n), column));
    }
  SmallVector<Value> result;
  for (int64_t a = 0; a < p; ++a)
    for (int64_t c = 0; c < p; ++c)
      result.push_back(
          linearCombination(b, loc, right.slice(c * n, n), ArrayRef(rows).slice(a * n, n)));
  return result;
}

/// U[a * alpha + b][f][c] = (G w[f][c] G^T)[a][b] for the f32 weights
/// [F, C, 3, 3], computed in double.
DenseResourceElementsAttr transformFilters(const WinogradTransform &t, RankedTensorType wType,
                                           ArrayRef<float> w) {
  int64_t filters = wType.getDimSize(0), channels = wType.getDimSize(1);
  int64_t alpha = t.alpha, pairs = filters * channels;
  auto type = RankedTensorType::get({alpha * alpha, filters, channels}, wType.getElementType());
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(type.getNumElements() * sizeof(float),
                                                       alignof(std::max_align_t));
  float *u = reinterpret_cast<float *>(blob.getMutableData().data());
  for (int64_t pair = 0; pair < pairs; ++pair) {
    ArrayRef<float> g = w.slice(pair * 9, 9);
    double rows[8][3]; // G g: alpha x 3
    for (int64_t a = 0; a < alpha; ++a)
      for (int64_t j = 0; j < 3; ++j) {
        rows[a][j] = 0;
        for (int64_t i = 0; i < 3; ++i)
          rows[a][j] += t.filter[a * 3 + i] * g[i * 3 + j];
      }
    for (int64_t a = 0; a < alpha; ++a)
      for (int64_t c = 0; c < alpha; ++c) {
        double sum = 0;
        for (int64_t j = 0; j < 3; ++j)
          sum += rows[a][j] * t.filter[c * 3 + j];
        u[(a * alpha + c) * pairs + pair] = static_cast<float>(sum);
      }
  }
  return DenseResourceElementsAttr::get(type, "winograd", std::move(blob));
}

/// The f32 values of constant weights, read in place; a splat is expanded
/// into `storage`.
ArrayRef<float> weightValues(ElementsAttr value, SmallVectorImpl<float> &storage) {
  ArrayRef<char> bytes = nn::getRawElementBytes(value);
  if (bytes.empty()) {
    auto splat = cast<DenseElementsAttr>(value).getValues<float>();
    storage.assign(splat.begin(), splat.end());
    return storage;
  }
  return ArrayRef(reinterpret_cast<const float *>(bytes.data()), bytes.size() / sizeof(float));
}

/// A convolution Winograd's F(2x2, 3x3) does faster than the direct GEMMs:
/// 2-D, ungrouped, stride and dilation 1, a 3x3 kernel of constant f32
/// weights, and at least 16 input channels and 16 filters (with fewer, the
/// transforms cost more than the multiplications they save).
bool runsAsWinograd(nn::ConvOp op) {
  auto wType = op.getWeight().getType();
  if (wType.getRank() != 4 || !wType.getElementType().isF32() || op.getGroup() != 1 ||
      op.getChannelsLast() ||
      wType.getDimSize(2) != 3 || wType.getDimSize(3) != 3 || wType.getDimSize(0) < 16 ||
      wType.getDimSize(1) < 16 || !op.getType().hasStaticShape() ||
      !op.getInput().getType().hasStaticShape())
    return false;
  if (llvm::any_of(op.getStrides(), [](int64_t s) { return s != 1; }) ||
      llvm::any_of(op.getDilations(), [](int64_t d) { return d != 1; }))
    return false;
  auto constant = op.getWeight().getDefiningOp<nn::ConstantOp>();
  return constant && (isa<DenseElementsAttr>(constant.getValue()) ||
                      !nn::getRawElementBytes(constant.getValue()).empty());
}

/// `part` inserted into `dest` at static `offsets` with `sizes` (unit
/// strides; the unit sizes of dims `part` lacks drop them).
Value insertAt(OpBuilder &b, Location loc, Value part, Value dest, ArrayRef<int64_t> offsets,
               ArrayRef<int64_t> sizes) {
  MLIRContext *context = b.getContext();
  return tensor::InsertSliceOp::create(
      b, loc, part, dest, getAsIndexOpFoldResult(context, offsets),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, SmallVector<int64_t>(sizes.size(), 1)));
}

/// A tensor of `shape` assembled from the results of one generic: result i
/// goes to `offsets[i]` with `sizes`, each a contiguous slice. Bufferization
/// gives the parts buffers of their own and copies them into the whole;
/// nnc-cpu-plan-memory then places each part's buffer in the bytes of its
/// slice, so that the generic writes the whole tensor and the copies go.
Value assembleParts(OpBuilder &b, Location loc, ValueRange parts, ArrayRef<int64_t> shape,
                    ArrayRef<SmallVector<int64_t>> offsets, ArrayRef<int64_t> sizes) {
  Value whole = tensor::EmptyOp::create(b, loc, shape, getElementTypeOrSelf(parts.front()));
  for (auto [part, at] : llvm::zip_equal(parts, offsets))
    whole = insertAt(b, loc, part, whole, at, sizes);
  return whole;
}

/// `count` empty tensors of `type`: the inits of a generic's results.
SmallVector<Value> emptyInits(OpBuilder &b, Location loc, RankedTensorType type, int64_t count) {
  SmallVector<Value> inits;
  for (int64_t i = 0; i < count; ++i)
    inits.push_back(tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType()));
  return inits;
}

/// The rows to give each of `planes` planes of `rows` rows of `rowBytes`
/// bytes: a few more than `rows` where needed so that every plane starts on
/// a cache line and the planes start at distinct L1 cache sets. The
/// transforms read or write all planes at once, one stream each; with a
/// plane size that is a multiple of 4 KiB (a 56 x 56 image's 784 tiles times
/// 64 channels) the streams all map to one set of the 8-way L1, and
/// ResNet-18's first input transform ran 3x slower.
int64_t planeRows(int64_t planes, int64_t rows, int64_t rowBytes) {
  constexpr int64_t kPage = 4096, kLine = 64;
  for (int64_t extra = 0; extra < kPage / kLine; ++extra) {
    int64_t planeBytes = (rows + extra) * rowBytes;
    if (planeBytes % kLine != 0)
      continue;
    llvm::SmallDenseSet<int64_t> sets;
    for (int64_t p = 0; p < planes; ++p)
      sets.insert(p * planeBytes % kPage / kLine);
    if (static_cast<int64_t>(sets.size()) == std::min(planes, kPage / kLine))
      return rows + extra;
  }
  return rows;
}

/// The leading `sizes` of `value`, a view of its first elements.
Value leadingSlice(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == sizes)
    return value;
  MLIRContext *context = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(sizes, type.getElementType()), value,
      getAsIndexOpFoldResult(context, SmallVector<int64_t>(sizes.size(), 0)),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, SmallVector<int64_t>(sizes.size(), 1)));
}

struct ConvToWinograd : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    if (!runsAsWinograd(op))
      return rewriter.notifyMatchFailure(op, "not a stride-1 3x3 convolution of constant weights");
    const WinogradTransform &t = kF23;
    MLIRContext *context = rewriter.getContext();
    Location loc = op.getLoc();
    RankedTensorType inType = op.getInput().getType(), wType = op.getWeight().getType(),
                     resultType = op.getType();
    Type element = resultType.getElementType();
    int64_t batch = inType.getDimSize(0), channels = inType.getDimSize(1);
    int64_t filters = wType.getDimSize(0), m = t.m, alpha = t.alpha, points = alpha * alpha;
    int64_t outH = resultType.getDimSize(2), outW = resultType.getDimSize(3);
    int64_t tilesH = llvm::divideCeil(outH, m), tilesW = llvm::divideCeil(outW, m);
    int64_t tiles = batch * tilesH * tilesW;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
    auto map = [&](int64_t numLoops, ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    auto parallel = [](int64_t n) {
      return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
    };

    // The input padded so that every tile, of the last row and column too, is whole.
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> low{0, 0, pads[0], pads[1]},
        high{0, 0, m * tilesH + 2 - inType.getDimSize(2) - pads[0],
             m * tilesW + 2 - inType.getDimSize(3) - pads[1]};
    Value input = padTensor(rewriter, loc, op.getInput(), low, high,
                            scalarConstant(rewriter, loc, element, 0));

    // Input transform. Loops: c, n, ty, tx; point (i, j) of tile (ty, tx)
    // reads input[n, c, m * ty + i, m * tx + j]; result p is [C, N, TY, TX].
    auto pointType = RankedTensorType::get({channels, batch, tilesH, tilesW}, element);
    SmallVector<AffineMap> maps;
    for (int64_t i = 0; i < alpha; ++i)
      for (int64_t j = 0; j < alpha; ++j)
        maps.push_back(map(4, {d(1), d(0), d(2) * m + i, d(3) * m + j}));
    maps.append(points, rewriter.getMultiDimIdentityMap(4));
    SmallVector<SmallVector<int64_t>> offsets;
    for (int64_t p = 0; p < points; ++p)
      offsets.push_back({p, 0, 0, 0, 0});
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    int64_t channelRows = planeRows(points, channels, tiles * bytes);
    auto inputTransform = linalg::GenericOp::create(
        rewriter, loc, SmallVector<Type>(points, pointType), SmallVector<Value>(points, input),
        emptyInits(rewriter, loc, pointType, points), maps, parallel(4),
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, sandwich(b, l, t.inputT, t.inputT, alpha, args.take_front(points)));
        });
    Value transformed = assembleParts(rewriter, loc, inputTransform.getResults(),
                                      {points, channelRows, batch, tilesH, tilesW}, offsets,
                                      {1, channels, batch, tilesH, tilesW});
    transformed = reshapeTensor(rewriter, loc, transformed,
                                RankedTensorType::get({points, channelRows, tiles}, element));
    transformed = leadingSlice(rewriter, loc, transformed, {points, channels, tiles});

    // The products: loops p, f, tile (parallel), c (reduction).
    auto constant = op.getWeight().getDefiningOp<nn::ConstantOp>();
    SmallVector<float> storage;
    Value weights = arith::ConstantOp::create(
        rewriter, loc, transformFilters(t, wType, weightValues(constant.getValue(), storage)));
    SmallVector<utils::IteratorType> gemmLoops = parallel(3);
    gemmLoops.push_back(utils::IteratorType::reduction);
    Value products = contractionGeneric(
        rewriter, loc, RankedTensorType::get({points, filters, tiles}, element),
        ValueRange{weights, transformed},
        {map(4, {d(0), d(1), d(3)}), map(4, {d(0), d(3), d(2)}), map(4, {d(0), d(1), d(2)})},
        gemmLoops);
    // In planes of filterRows rows (see planeRows).
    int64_t filterRows = planeRows(points, filters, tiles * bytes);
    if (filterRows != filters)
      products =
          insertAt(rewriter, loc, products,
                   tensor::EmptyOp::create(rewriter, loc, {points, filterRows, tiles}, element),
                   {0, 0, 0}, {points, filters, tiles});
    products =
        reshapeTensor(rewriter, loc, products,
                      RankedTensorType::get({points, filterRows, batch, tilesH, tilesW}, element));
    products = leadingSlice(rewriter, loc, products, {points, filters, batch, tilesH, tilesW});

    // Output transform. Loops: n, f, ty, tx; result (r, s) is [F, N, TY, TX]
    // (a contiguous slice of the split tensor below), the bias added.
    auto outPointType = RankedTensorType::get({filters, batch, tilesH, tilesW}, element);
    maps.clear();
    SmallVector<Value> inputs(points, products);
    for (int64_t p = 0; p < points; ++p)
      maps.push_back(map(4, {getAffineConstantExpr(p, context), d(1), d(0), d(2), d(3)}));
    if (Value bias = op.getBias()) {
      inputs.push_back(bias);
      maps.push_back(map(4, {d(1)}));
    }
    maps.append(m * m, map(4, {d(1), d(0), d(2), d(3)}));
    // Result (r, s) goes to [r, s, F, N, TY, TX]; read as [N, F, TY, r, TX, s]
    // that is [N, F, m * TY, m * TX].
    offsets.clear();
    for (int64_t r = 0; r < m; ++r)
      for (int64_t s = 0; s < m; ++s)
        offsets.push_back({r, s, 0, 0, 0, 0});
    int64_t splitRows = planeRows(m * m, filters, tiles * bytes);
    bool hasBias = static_cast<bool>(op.getBias());
    auto outputTransform =
        linalg::GenericOp::create(rewriter, loc, SmallVector<Type>(m * m, outPointType), inputs,
                                  emptyInits(rewriter, loc, outPointType, m * m), maps, parallel(4),
                                  [&](OpBuilder &b, Location l, ValueRange args) {
                                    SmallVector<Value> values = sandwich(
                                        b, l, t.outputT, t.outputT, alpha, args.take_front(points));
                                    if (hasBias)
                                      for (Value &value : values)
                                        value = arith::AddFOp::create(b, l, value, args[points]);
                                    linalg::YieldOp::create(b, l, values);
                                  });

    Value split = leadingSlice(rewriter, loc,
                               assembleParts(rewriter, loc, outputTransform.getResults(),
                                             {m, m, splitRows, batch, tilesH, tilesW}, offsets,
                                             {1, 1, filters, batch, tilesH, tilesW}),
                               {m, m, filters, batch, tilesH, tilesW});
    Value image =
        copyThroughMap(rewriter, loc, split,
                       RankedTensorType::get({batch, filters, tilesH, m, tilesW, m}, element),
                       map(6, {d(3), d(5), d(1), d(0), d(2), d(4)}));
    image = reshapeTensor(rewriter, loc, image,
                          RankedTensorType::get({batch, filters, m * tilesH, m * tilesW}, element));
    rewriter.replaceOp(op, leadingSlice(rewriter, loc, image, resultType.getShape()));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNWinogradConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvToWinograd>(patterns.getContext());
}

//===- Resize.cpp - nn.resize -> linalg.generic with compile-time taps -----===//
//
// Shapes and scales are static, so the source coordinates, neighbor indices
// and interpolation weights of every output position are computed here, in
// double precision and exactly as ONNX's reference implementation does
// (onnx/reference/ops/op_resize.py), and stored as constant tables. The
// generic then only gathers and blends.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
/// Per output position along one axis: `taps` input indices (clamped) and
/// weights, and whether the position lies outside the crop (extrapolated).
struct AxisTable {
  int64_t taps = 1;
  std::vector<int64_t> indices;
  std::vector<double> weights;
  std::vector<bool> outside;
};

/// The `n` integers closest to `x` (ties to the smaller), ascending.
std::vector<int64_t> neighbors(double x, int64_t n) {
  std::vector<int64_t> result;
  int64_t lo = static_cast<int64_t>(std::floor(x)), hi = lo + 1;
  while (static_cast<int64_t>(result.size()) < n) {
    if (std::fabs(x - lo) <= std::fabs(hi - x))
      result.push_back(lo--);
    else
      result.push_back(hi++);
  }
  std::sort(result.begin(), result.end());
  return result;
}

/// Triangle filter widened to the downscaled footprint (antialiased linear).
std::vector<double> linearAntialiasCoefficients(double ratio, double scale) {
  scale = std::min(scale, 1.0);
  int64_t start = static_cast<int64_t>(std::floor(-1 / scale) + 1);
  int64_t footprint = 2 - 2 * start;
  std::vector<double> coeffs;
  double sum = 0;
  for (int64_t i = start; i < start + footprint; ++i) {
    double c = std::clamp(1 - std::fabs((i - ratio) * scale), 0.0, 1.0);
    coeffs.push_back(c);
    sum += c;
  }
  for (double &c : coeffs)
    c /= sum;
  return coeffs;
}

/// Keys' cubic kernel widened to the downscaled footprint (antialiased cubic).
std::vector<double> cubicAntialiasCoefficients(double ratio, double scale, double a) {
  scale = std::min(scale, 1.0);
  auto kernel = [&](double x) {
    x = std::fabs(x);
    double x2 = x * x, x3 = x2 * x;
    if (x <= 1)
      return (a + 2) * x3 - (a + 3) * x2 + 1;
    if (x < 2)
      return a * x3 - 5 * a * x2 + 8 * a * x - 4 * a;
    return 0.0;
  };
  int64_t start = static_cast<int64_t>(std::floor(-2 / scale) + 1), end = 2 - start;
  std::vector<double> coeffs;
  double sum = 0;
  for (int64_t i = start; i < end; ++i) {
    coeffs.push_back(kernel(scale * (i - ratio)));
    sum += coeffs.back();
  }
  for (double &c : coeffs)
    c /= sum;
  return coeffs;
}

std::vector<double> cubicCoefficients(double r, double a) {
  return {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
          ((a + 2) * r - (a + 3)) * r * r + 1,
          ((a + 2) * (1 - r) - (a + 3)) * (1 - r) * (1 - r) + 1,
          ((a * ((1 - r) + 1) - 5 * a) * ((1 - r) + 1) + 8 * a) * ((1 - r) + 1) - 4 * a};
}

FailureOr<AxisTable> buildAxisTable(nn::ResizeOp op, int64_t axis, int64_t inSize,
                                    int64_t outSize) {
  double scale = op.getScales()[axis];
  StringRef mode = op.getMode(), transform = op.getCoordinateTransformationMode();
  StringRef nearest = op.getNearestMode();
  double cubicA = op.getCubicCoeffA().convertToDouble();
  int64_t rank = op.getType().getRank();
  double outWidth = scale * inSize; // the reference's (fractional) output width
  AxisTable table;
  table.taps = mode == "nearest" ? 2 : mode == "linear" ? 2 : 4;
  for (int64_t o = 0; o < outSize; ++o) {
    double x;
    bool outside = false;
    if (transform == "align_corners") {
      x = outWidth == 1 ? 0.0 : o * (inSize - 1.0) / (outWidth - 1);
    } else if (transform == "asymmetric") {
      x = o / scale;
    } else if (transform == "tf_crop_and_resize") {
      double start = op.getRoi().empty() ? 0 : op.getRoi()[axis];
      double end = op.getRoi().empty() ? 1 : op.getRoi()[axis + rank];
      x = outWidth == 1 ? (end - start) * (inSize - 1) / 2.0
                        : o * (end - start) * (inSize - 1) / (outWidth - 1);
      x += start * (inSize - 1);
      outside = x < 0 || x > inSize - 1;
    } else if (transform == "pytorch_half_pixel") {
      x = outWidth == 1 ? -0.5 : (o + 0.5) / scale - 0.5;
    } else if (transform == "half_pixel") {
      x = (o + 0.5) / scale - 0.5;
    } else if (transform == "half_pixel_symmetric") {
      double adjustment = outSize / outWidth;
      double offset = inSize / 2.0 * (1 - adjustment);
      x = offset + (o + 0.5) / scale - 0.5;
    } else {
      return failure();
    }
    double ratio = x == std::floor(x) ? 1.0 : x - std::floor(x);
    std::vector<double> coeffs;
    if (mode == "nearest") {
      if (ratio == 1.0)
        coeffs = {0, 1};
      else if (nearest == "round_prefer_floor")
        coeffs = {ratio <= 0.5 ? 1.0 : 0.0, ratio > 0.5 ? 1.0 : 0.0};
      else if (nearest == "round_prefer_ceil")
        coeffs = {ratio < 0.5 ? 1.0 : 0.0, ratio >= 0.5 ? 1.0 : 0.0};
      else if (nearest == "floor")
        coeffs = {1, 0};
      else if (nearest == "ceil")
        coeffs = {0, 1};
      else
        return failure();
    } else if (mode == "linear") {
      coeffs = op.getAntialias() ? linearAntialiasCoefficients(ratio, scale)
                                 : std::vector<double>{1 - ratio, ratio};
    } else {
      coeffs = op.getAntialias() ? cubicAntialiasCoefficients(ratio, scale, cubicA)
                                 : cubicCoefficients(ratio, cubicA);
    }
    table.taps = coeffs.size();
    std::vector<int64_t> idx = neighbors(x, table.taps);
    if (op.getExcludeOutside()) {
      double sum = 0;
      for (size_t k = 0; k < coeffs.size(); ++k) {
        if (idx[k] < 0 || idx[k] >= inSize)
          coeffs[k] = 0;
        sum += coeffs[k];
      }
      for (double &c : coeffs)
        c = sum != 0 ? c / sum : 0;
    }
    for (size_t k = 0; k < coeffs.size(); ++k) {
      table.indices.push_back(std::clamp<int64_t>(idx[k], 0, inSize - 1));
      table.weights.push_back(coeffs[k]);
    }
    table.outside.push_back(outside);
  }
  // Axes where every position reads exactly one input element need one tap.
  bool single = true;
  for (int64_t o = 0; o < outSize && single; ++o) {
    int nonZero = 0;
    for (int64_t k = 0; k < table.taps; ++k) {
      double w = table.weights[o * table.taps + k];
      if (w != 0)
        nonZero += w == 1.0 ? 1 : 2;
    }
    single = nonZero == 1;
  }
  if (single) {
    AxisTable compact;
    compact.outside = table.outside;
    for (int64_t o = 0; o < outSize; ++o)
      for (int64_t k = 0; k < table.taps; ++k)
        if (table.weights[o * table.taps + k] == 1.0) {
          compact.indices.push_back(table.indices[o * table.taps + k]);
          compact.weights.push_back(1.0);
        }
    return compact;
  }
  return table;
}

struct ResizeToGeneric : OpRewritePattern<nn::ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ResizeOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto type = op.getType();
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    SmallVector<AxisTable> tables;
    bool anyOutside = false, allSingle = true;
    for (int64_t d = 0; d < rank; ++d) {
      auto table = buildAxisTable(op, d, inType.getDimSize(d), type.getDimSize(d));
      if (failed(table))
        return rewriter.notifyMatchFailure(op, "unsupported resize mode");
      anyOutside |= llvm::is_contained(table->outside, true);
      allSingle &= table->taps == 1;
      tables.push_back(std::move(*table));
    }
    if (!isa<FloatType>(element) && !allSingle)
      return rewriter.notifyMatchFailure(op, "interpolating integers is not lowered yet");
    auto constantTable = [&](auto values, Type t) -> Value {
      auto tableType = RankedTensorType::get({static_cast<int64_t>(values.size())}, t);
      SmallVector<Attribute> attrs;
      for (auto v : values)
        attrs.push_back(isa<FloatType>(t) ? Attribute(rewriter.getFloatAttr(t, v))
                                          : Attribute(rewriter.getIntegerAttr(t, v)));
      return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(tableType, attrs));
    };
    SmallVector<Value> indexTables, weightTables, outsideTables;
    for (const AxisTable &t : tables) {
      indexTables.push_back(constantTable(t.indices, rewriter.getIndexType()));
      weightTables.push_back(
          constantTable(t.weights, isa<FloatType>(element) ? element : rewriter.getF32Type()));
      std::vector<int64_t> outside(t.outside.begin(), t.outside.end());
      outsideTables.push_back(constantTable(outside, rewriter.getI1Type()));
    }
    Value input = op.getInput();
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, init, rewriter.getMultiDimIdentityMap(rank), iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> positions;
          for (int64_t d = 0; d < rank; ++d)
            positions.push_back(linalg::IndexOp::create(b, l, d));
          auto entry = [&](int64_t d, int64_t k) {
            Value base = arith::MulIOp::create(
                b, l, positions[d], arith::ConstantIndexOp::create(b, l, tables[d].taps));
            return arith::AddIOp::create(b, l, base, arith::ConstantIndexOp::create(b, l, k));
          };
          // Sum over every combination of taps of the product of the weights.
          Value sum = isa<FloatType>(element) ? scalarConstant(b, l, element, 0) : Value();
          SmallVector<int64_t> tap(rank, 0);
          while (true) {
            SmallVector<Value> source;
            Value weight;
            for (int64_t d = 0; d < rank; ++d) {
              Value at = entry(d, tap[d]);
              source.push_back(tensor::ExtractOp::create(b, l, indexTables[d], at));
              if (tables[d].taps > 1) {
                Value w = tensor::ExtractOp::create(b, l, weightTables[d], at);
                weight = weight ? arith::MulFOp::create(b, l, weight, w) : w;
              }
            }
            Value value = tensor::ExtractOp::create(b, l, input, source);
            if (!sum)
              sum = value;
            else
              sum = arith::AddFOp::create(
                  b, l, sum, weight ? arith::MulFOp::create(b, l, weight, value) : value);
            int64_t d = rank - 1;
            while (d >= 0 && ++tap[d] == tables[d].taps)
              tap[d--] = 0;
            if (d < 0)
              break;
          }
          if (anyOutside) {
            Value outside;
            for (int64_t d = 0; d < rank; ++d) {
              Value o = tensor::ExtractOp::create(b, l, outsideTables[d], positions[d]);
              outside = outside ? arith::OrIOp::create(b, l, outside, o) : o;
            }
            sum = arith::SelectOp::create(b, l, outside,
                                          scalarConstant(b, l, element, extrapolation), sum);
          }
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNResizeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeToGeneric>(patterns.getContext());
}

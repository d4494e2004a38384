//===- NNFolders.cpp - nn folders and canonicalization patterns -----------===//
//
// Folding matters most at import: ONNX exporters compute shapes at run time
// (Shape -> Gather -> Concat -> Reshape), and with static shapes all of that
// folds to constants, which the importer needs to know Reshape's target. The
// folders evaluate small dense constants only (at most kMaxFoldElements), so
// weights are never copied here.
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APSInt.h"

using namespace mlir;
using namespace mlir::nnc::nn;

namespace {
/// Folding bigger constants would copy weights; shape computations are tiny.
constexpr int64_t kMaxFoldElements = 4096;

/// Returns `attr` as a dense constant small enough to evaluate, or null.
DenseElementsAttr smallDense(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() > kMaxFoldElements)
    return nullptr;
  return dense;
}

/// Maps a linear index of a tensor of `resultShape` to the linear index of a
/// broadcast operand of `shape` (numpy rules; `shape` may have lower rank).
int64_t broadcastIndex(int64_t index, ArrayRef<int64_t> resultShape, ArrayRef<int64_t> shape) {
  int64_t offset = 0, stride = 1;
  int64_t rankDiff = resultShape.size() - shape.size();
  for (int64_t d = resultShape.size() - 1; d >= 0; --d) {
    int64_t coord = index % resultShape[d];
    index /= resultShape[d];
    if (d < rankDiff)
      continue;
    int64_t size = shape[d - rankDiff];
    if (size != 1)
      offset += coord * stride;
    stride *= size;
  }
  return offset;
}

/// True when `attr` is a splat constant equal to `value`.
bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  Type element = dense.getElementType();
  if (isa<FloatType>(element))
    return dense.getSplatValue<APFloat>().isExactlyValue(value);
  if (element.isInteger(1))
    return false;
  if (isa<IntegerType>(element))
    return dense.getSplatValue<APInt>().getSExtValue() == static_cast<int64_t>(value);
  return false;
}

/// Evaluates a broadcasting binary op on two small dense constants. `intFn` and
/// `floatFn` return std::nullopt when the operation cannot be folded (division by
/// zero), which aborts the fold.
template <typename IntFn, typename FloatFn>
Attribute foldBinary(Attribute lhsAttr, Attribute rhsAttr, Type resultType, IntFn intFn,
                     FloatFn floatFn) {
  DenseElementsAttr lhs = smallDense(lhsAttr), rhs = smallDense(rhsAttr);
  auto type = cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || type.getNumElements() > kMaxFoldElements ||
      lhs.getElementType() != rhs.getElementType())
    return nullptr;
  ArrayRef<int64_t> lShape = lhs.getType().getShape(), rShape = rhs.getType().getShape();
  Type element = lhs.getElementType();
  if (isa<FloatType>(element)) {
    auto l = llvm::to_vector(lhs.getValues<APFloat>());
    auto r = llvm::to_vector(rhs.getValues<APFloat>());
    SmallVector<Attribute> out;
    for (int64_t i = 0; i < type.getNumElements(); ++i) {
      std::optional<Attribute> v =
          floatFn(l[broadcastIndex(i, type.getShape(), lShape)],
                  r[broadcastIndex(i, type.getShape(), rShape)], type.getElementType());
      if (!v)
        return nullptr;
      out.push_back(*v);
    }
    return DenseElementsAttr::get(type, out);
  }
  auto l = llvm::to_vector(lhs.getValues<APInt>());
  auto r = llvm::to_vector(rhs.getValues<APInt>());
  bool isUnsigned = element.isUnsignedInteger();
  SmallVector<Attribute> out;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    std::optional<Attribute> v =
        intFn(l[broadcastIndex(i, type.getShape(), lShape)],
              r[broadcastIndex(i, type.getShape(), rShape)], isUnsigned, type.getElementType());
    if (!v)
      return nullptr;
    out.push_back(*v);
  }
  return DenseElementsAttr::get(type, out);
}

/// Folds an arithmetic op whose integer and float forms are given as plain
/// functions returning std::nullopt when undefined.
template <typename IntOp, typename FloatOp>
Attribute foldArithmetic(Attribute lhs, Attribute rhs, Type resultType, IntOp intOp,
                         FloatOp floatOp) {
  return foldBinary(
      lhs, rhs, resultType,
      [&](const APInt &a, const APInt &b, bool isUnsigned, Type t) -> std::optional<Attribute> {
        std::optional<APInt> v = intOp(a, b, isUnsigned);
        if (!v)
          return std::nullopt;
        return IntegerAttr::get(t, *v);
      },
      [&](const APFloat &a, const APFloat &b, Type t) -> std::optional<Attribute> {
        return FloatAttr::get(t, floatOp(a, b));
      });
}

/// Evaluates a data-movement op on a small constant: element i of the result is
/// element `sourceIndex(i)` of the input.
template <typename IndexFn>
Attribute foldGatherLike(Attribute inputAttr, Type resultType, IndexFn sourceIndex) {
  DenseElementsAttr input = smallDense(inputAttr);
  auto type = cast<RankedTensorType>(resultType);
  if (!input || type.getNumElements() > kMaxFoldElements)
    return nullptr;
  if (input.isSplat())
    return input.resizeSplat(type);
  auto values = llvm::to_vector(input.getValues<Attribute>());
  SmallVector<Attribute> out;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    std::optional<int64_t> source = sourceIndex(i);
    if (!source || *source < 0 || *source >= static_cast<int64_t>(values.size()))
      return nullptr;
    out.push_back(values[*source]);
  }
  return DenseElementsAttr::get(type, out);
}

/// Row-major coordinates of linear index `index` in `shape`.
SmallVector<int64_t> delinearize(int64_t index, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> coords(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    coords[d] = index % shape[d];
    index /= shape[d];
  }
  return coords;
}

/// Row-major linear index of `coords` in `shape`.
int64_t linearize(ArrayRef<int64_t> coords, ArrayRef<int64_t> shape) {
  int64_t index = 0;
  for (auto [c, s] : llvm::zip(coords, shape))
    index = index * s + c;
  return index;
}
} // namespace

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = smallDense(adaptor.getInput());
  if (!input)
    return {};
  Type from = input.getElementType(), to = getType().getElementType();
  SmallVector<Attribute> out;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  for (Attribute v : input.getValues<Attribute>()) {
    if (!fromFloat && !toFloat) {
      APInt value = cast<IntegerAttr>(v).getValue();
      unsigned width = to.getIntOrFloatBitWidth();
      APInt converted = to.isInteger(1)                                 ? APInt(1, !value.isZero())
                        : from.isUnsignedInteger() || from.isInteger(1) ? value.zextOrTrunc(width)
                                                                        : value.sextOrTrunc(width);
      out.push_back(IntegerAttr::get(to, converted));
    } else if (fromFloat && toFloat) {
      APFloat value = cast<FloatAttr>(v).getValue();
      bool lost;
      value.convert(cast<FloatType>(to).getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      out.push_back(FloatAttr::get(to, value));
    } else if (!fromFloat) {
      APInt value = cast<IntegerAttr>(v).getValue();
      APFloat converted(cast<FloatType>(to).getFloatSemantics());
      converted.convertFromAPInt(value, !from.isUnsignedInteger() && !from.isInteger(1),
                                 APFloat::rmNearestTiesToEven);
      out.push_back(FloatAttr::get(to, converted));
    } else {
      APFloat value = cast<FloatAttr>(v).getValue();
      if (to.isInteger(1)) {
        out.push_back(IntegerAttr::get(to, APInt(1, !value.isZero())));
        continue;
      }
      // Out-of-range and NaN conversions are undefined in ONNX; leave them to run time.
      APSInt converted(to.getIntOrFloatBitWidth(), to.isUnsignedInteger());
      bool exact;
      if (value.convertToInteger(converted, APFloat::rmTowardZero, &exact) & APFloat::opInvalidOp)
        return {};
      out.push_back(IntegerAttr::get(to, converted));
    }
  }
  return DenseElementsAttr::get(getType(), out);
}

//===----------------------------------------------------------------------===//
// Arithmetic and comparison
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0) && getLhs().getType() == getType())
    return getLhs();
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a + b; },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0) && getLhs().getType() == getType())
    return getLhs();
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1) && getLhs().getType() == getType())
    return getLhs();
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a * b; },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1) && getLhs().getType() == getType())
    return getLhs();
  return foldArithmetic(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = smallDense(adaptor.getInput());
  if (!input)
    return {};
  SmallVector<Attribute> out;
  Type element = input.getElementType();
  for (Attribute v : input.getValues<Attribute>()) {
    if (auto f = dyn_cast<FloatAttr>(v))
      out.push_back(FloatAttr::get(element, -f.getValue()));
    else
      out.push_back(IntegerAttr::get(element, -cast<IntegerAttr>(v).getValue()));
  }
  return DenseElementsAttr::get(getType(), out);
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b, bool, Type t) -> std::optional<Attribute> {
        return IntegerAttr::get(t, APInt(1, a == b));
      },
      [](const APFloat &a, const APFloat &b, Type t) -> std::optional<Attribute> {
        return IntegerAttr::get(t, APInt(1, a.compare(b) == APFloat::cmpEqual));
      });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto condition = dyn_cast_or_null<DenseElementsAttr>(adaptor.getCondition());
  if (condition && condition.isSplat()) {
    Value chosen = condition.getSplatValue<bool>() ? getLhs() : getRhs();
    if (chosen.getType() == getType())
      return chosen;
  }
  DenseElementsAttr cond = smallDense(adaptor.getCondition());
  DenseElementsAttr lhs = smallDense(adaptor.getLhs()), rhs = smallDense(adaptor.getRhs());
  if (!cond || !lhs || !rhs || getType().getNumElements() > kMaxFoldElements)
    return {};
  auto c = llvm::to_vector(cond.getValues<bool>());
  auto l = llvm::to_vector(lhs.getValues<Attribute>());
  auto r = llvm::to_vector(rhs.getValues<Attribute>());
  ArrayRef<int64_t> shape = getType().getShape();
  SmallVector<Attribute> out;
  for (int64_t i = 0; i < getType().getNumElements(); ++i)
    out.push_back(c[broadcastIndex(i, shape, cond.getType().getShape())]
                      ? l[broadcastIndex(i, shape, lhs.getType().getShape())]
                      : r[broadcastIndex(i, shape, rhs.getType().getShape())]);
  return DenseElementsAttr::get(getType(), out);
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  if (DenseElementsAttr input = smallDense(adaptor.getInput()))
    return input.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  ArrayRef<int64_t> outShape = getType().getShape();
  return foldGatherLike(adaptor.getInput(), getType(), [&](int64_t i) -> std::optional<int64_t> {
    SmallVector<int64_t> out = delinearize(i, outShape), in(perm.size());
    for (auto [d, p] : llvm::enumerate(perm))
      in[p] = out[d];
    return linearize(in, inShape);
  });
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(producer.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), producer.getInput(), perm);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns, MLIRContext *context) {
  patterns.add<ComposeTransposes>(context);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  if (getType().getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<SmallVector<Attribute>> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    DenseElementsAttr dense = smallDense(attr);
    if (!dense)
      return {};
    inputs.push_back(llvm::to_vector(dense.getValues<Attribute>()));
  }
  ArrayRef<int64_t> shape = getType().getShape();
  int64_t axis = getAxis();
  SmallVector<Attribute> out;
  for (int64_t i = 0; i < getType().getNumElements(); ++i) {
    SmallVector<int64_t> coords = delinearize(i, shape);
    for (auto [input, values] : llvm::zip(getInputs(), inputs)) {
      ArrayRef<int64_t> inShape = cast<RankedTensorType>(input.getType()).getShape();
      if (coords[axis] < inShape[axis]) {
        out.push_back(values[linearize(coords, inShape)]);
        break;
      }
      coords[axis] -= inShape[axis];
    }
  }
  return DenseElementsAttr::get(getType(), out);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getType() == getInput().getType() &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  ArrayRef<int64_t> outShape = getType().getShape();
  return foldGatherLike(adaptor.getInput(), getType(), [&](int64_t i) -> std::optional<int64_t> {
    SmallVector<int64_t> coords = delinearize(i, outShape);
    for (auto [d, c] : llvm::enumerate(coords))
      c = getStarts()[d] + c * getSteps()[d];
    return linearize(coords, inShape);
  });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr indices = smallDense(adaptor.getIndices());
  if (!indices)
    return {};
  auto indexValues = llvm::to_vector(indices.getValues<APInt>());
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  ArrayRef<int64_t> outShape = getType().getShape();
  int64_t axis = getAxis(), indexRank = indices.getType().getRank();
  ArrayRef<int64_t> indexShape = indices.getType().getShape();
  return foldGatherLike(adaptor.getInput(), getType(), [&](int64_t i) -> std::optional<int64_t> {
    SmallVector<int64_t> out = delinearize(i, outShape);
    SmallVector<int64_t> in(out.begin(), out.begin() + axis);
    int64_t index =
        indexValues[linearize(ArrayRef(out).slice(axis, indexRank), indexShape)].getSExtValue();
    if (index < 0)
      index += inShape[axis];
    if (index < 0 || index >= inShape[axis])
      return std::nullopt;
    in.push_back(index);
    in.append(out.begin() + axis + indexRank, out.end());
    return linearize(in, inShape);
  });
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  ArrayRef<int64_t> outShape = getType().getShape();
  return foldGatherLike(adaptor.getInput(), getType(), [&](int64_t i) -> std::optional<int64_t> {
    return broadcastIndex(i, outShape, inShape);
  });
}

ArrayRef<char> mlir::nnc::nn::getRawElementBytes(ElementsAttr value) {
  if (value.getElementType().isInteger(1))
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.isSplat() ? ArrayRef<char>() : dense.getRawData();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    if (const AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return {};
}

//===- ImportShape.cpp - shape, indexing and data-movement ONNX ops -> nn --===//
//
// Shapes are static after import, so Shape/Size/ConstantOfShape/Range become
// constants and shape-deciding inputs (Reshape's shape, Slice's starts, ...)
// must fold to constants; Flatten/Squeeze/Unsqueeze become nn.reshape.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::onnx_import;

namespace {
/// Axes from an attribute (before `inputSinceOpset`) or from input `inputIndex`,
/// normalized against `rank`, sorted, duplicates rejected. `present` tells
/// whether any axes were given.
FailureOr<SmallVector<int64_t>> readAxes(NodeImporter &node, int64_t inputSinceOpset,
                                         int inputIndex, int64_t rank, bool &present) {
  SmallVector<int64_t> axes;
  if (node.opset < inputSinceOpset) {
    present = node.hasAttr("axes");
    axes = node.getInts("axes");
  } else {
    present = node.hasInput(inputIndex);
    if (present) {
      auto values = node.constantInts(inputIndex);
      if (failed(values))
        return failure();
      axes = *values;
    }
  }
  if (failed(node.normalizeAxes(axes, rank)))
    return failure();
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return node.error() << "expected unique axes";
  return axes;
}

LogicalResult importReshape(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  SmallVector<int64_t> shape;
  if (node.opset < 5) {
    shape = node.getInts("shape");
  } else {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    shape = *given;
  }
  bool allowZero = node.getInt("allowzero", 0);
  int64_t inferIndex = -1, known = 1;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (dim == 0 && !allowZero) {
      if ((int64_t)i >= type.getRank())
        return node.error() << "shape entry " << i << " is 0 (copy) but the input has rank "
                            << type.getRank();
      dim = type.getDimSize(i);
    }
    if (dim == -1) {
      if (inferIndex >= 0)
        return node.error() << "expected at most one -1 in the target shape";
      inferIndex = i;
      continue;
    }
    if (dim < 0)
      return node.error() << "invalid target shape entry " << dim;
    known *= dim;
  }
  if (inferIndex >= 0) {
    if (known == 0 || type.getNumElements() % known != 0)
      return node.error() << "cannot infer the -1 dim: " << type.getNumElements()
                          << " elements do not divide by " << known;
    shape[inferIndex] = type.getNumElements() / known;
  }
  return node.setSingleResult(node.reshape(*input, shape));
}

LogicalResult importFlatten(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  int64_t rank = type.getRank();
  int64_t axis = node.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return node.error() << "expected axis (" << axis << ") to be in [" << -rank << ", " << rank
                        << "]";
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= type.getDimSize(d);
  return node.setSingleResult(node.reshape(*input, {outer, inner}));
}

LogicalResult importSqueeze(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  bool present;
  auto axes = readAxes(node, 13, 1, type.getRank(), present);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    bool listed = llvm::is_contained(*axes, d);
    if (listed && type.getDimSize(d) != 1)
      return node.error() << "cannot squeeze dim " << d << " of size " << type.getDimSize(d);
    if (!(listed || (!present && type.getDimSize(d) == 1)))
      shape.push_back(type.getDimSize(d));
  }
  return node.setSingleResult(node.reshape(*input, shape));
}

LogicalResult importUnsqueeze(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  SmallVector<int64_t> axes;
  if (node.opset < 13) {
    axes = node.getInts("axes");
  } else {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    axes = *given;
  }
  // Axes index the result, which has one new dim per axis.
  int64_t outRank = type.getRank() + axes.size();
  if (failed(node.normalizeAxes(axes, outRank)))
    return failure();
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return node.error() << "expected unique axes";
  SmallVector<int64_t> shape;
  auto dims = type.getShape().begin();
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(axes, d) ? 1 : *dims++);
  return node.setSingleResult(node.reshape(*input, shape));
}

LogicalResult importTranspose(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = node.inputType(0).getRank();
  SmallVector<int64_t> perm = node.getInts("perm");
  if (!node.hasAttr("perm"))
    perm = llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
  return node.setSingleResult(node.transpose(*input, perm));
}

LogicalResult importConcat(NodeImporter &node) {
  SmallVector<Value> inputs;
  for (int i = 0; i < node.node.input_size(); ++i) {
    auto v = node.requiredInput(i);
    if (failed(v))
      return failure();
    // Empty tensors add nothing; exporters emit them for optional pieces.
    if (cast<RankedTensorType>(v->getType()).getNumElements() != 0 || inputs.empty())
      inputs.push_back(*v);
  }
  if (inputs.empty())
    return node.error() << "expected at least one input";
  auto attrAxis = node.requireInt("axis");
  if (failed(attrAxis))
    return failure();
  auto axis = node.normalizeAxis(*attrAxis, cast<RankedTensorType>(inputs[0].getType()).getRank());
  if (failed(axis))
    return failure();
  return node.setSingleResult(node.create1<nn::ConcatOp>(
      inputs, {node.namedAttr("axis", node.builder.getI64IntegerAttr(*axis))}));
}

LogicalResult importSplit(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  auto axis = node.normalizeAxis(node.getInt("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  SmallVector<int64_t> sizes;
  if (node.opset < 13 && node.hasAttr("split")) {
    sizes = node.getInts("split");
  } else if (node.opset >= 13 && node.hasInput(1)) {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    sizes = *given;
  } else {
    int64_t parts = node.hasAttr("num_outputs") ? node.getInt("num_outputs", 1) : node.numOutputs();
    if (parts < 1)
      return node.error() << "expected a positive number of outputs";
    // Opset 18: ceil-sized chunks with a smaller last one; before, even split.
    int64_t chunk = (dim + parts - 1) / parts;
    if (!node.hasAttr("num_outputs") && dim % parts != 0)
      return node.error() << "cannot split dim of size " << dim << " evenly into " << parts;
    for (int64_t i = 0, left = dim; i < parts; ++i, left -= chunk)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, left)));
  }
  if ((int64_t)sizes.size() != node.numOutputs())
    return node.error() << "expected " << node.numOutputs() << " split sizes (got " << sizes.size()
                        << ")";
  OpBuilder &b = node.builder;
  auto results =
      node.create<nn::SplitOp>({*input}, {node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
                                          node.namedAttr("sizes", b.getDenseI64ArrayAttr(sizes))});
  if (failed(results))
    return failure();
  return node.setResults(*results);
}

LogicalResult importSlice(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (node.opset < 10) {
    starts = node.getInts("starts");
    ends = node.getInts("ends");
    axes = node.getInts("axes");
  } else {
    auto s = node.constantInts(1), e = node.constantInts(2);
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (node.hasInput(3)) {
      auto a = node.constantInts(3);
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      auto st = node.constantInts(4);
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    axes = llvm::to_vector(llvm::seq<int64_t>(0, starts.size()));
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return node.error() << "expected starts, ends, axes and steps of the same length";
  SmallVector<int64_t> allStarts(rank, 0), allEnds(type.getShape()), allSteps(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    auto axis = node.normalizeAxis(axes[i], rank, "axes entry");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return node.error() << "expected unique axes";
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis), step = steps[i];
    if (step == 0)
      return node.error() << "expected non-zero steps";
    int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
    // ONNX clamps: [0, dim] for positive steps, [-1, dim - 1] for negative ones.
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else {
      start = std::clamp<int64_t>(start, -1, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    bool empty = step > 0 ? start >= end : start <= end;
    if (empty || dim == 0) {
      start = 0;
      end = 0;
      step = 1;
    }
    allStarts[*axis] = start;
    allEnds[*axis] = end;
    allSteps[*axis] = step;
  }
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::SliceOp>(
      {*input}, {node.namedAttr("starts", b.getDenseI64ArrayAttr(allStarts)),
                 node.namedAttr("ends", b.getDenseI64ArrayAttr(allEnds)),
                 node.namedAttr("steps", b.getDenseI64ArrayAttr(allSteps))}));
}

template <typename OpTy> LogicalResult importGatherLike(NodeImporter &node) {
  auto input = node.requiredInput(0), indices = node.requiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  auto axis = node.normalizeAxis(node.getInt("axis", 0), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  // Constant indices are checked now; indices computed at run time are
  // clamped into range by the generated code, which must not read outside
  // the input.
  int64_t size = node.inputType(0).getDimSize(*axis);
  DenseIntElementsAttr constantIndices;
  if (ShapedType::isStatic(size) && matchPattern(*indices, m_Constant(&constantIndices)))
    for (const APInt &index : constantIndices.getValues<APInt>())
      if (index.getSExtValue() < -size || index.getSExtValue() >= size)
        return node.error() << "index " << index.getSExtValue() << " is out of range [" << -size
                            << ", " << size << ") for axis " << *axis;
  return node.setSingleResult(node.create1<OpTy>(
      {*input, *indices}, {node.namedAttr("axis", node.builder.getI64IntegerAttr(*axis))}));
}

LogicalResult importShape(NodeImporter &node) {
  if (!node.hasInput(0))
    return node.error() << "expected input #0 to be given";
  ArrayRef<int64_t> shape = node.inputType(0).getShape();
  int64_t rank = shape.size();
  int64_t start = node.getInt("start", 0), end = node.getInt("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims(shape.begin() + start, shape.begin() + std::max(start, end));
  auto type = RankedTensorType::get({(int64_t)dims.size()}, node.builder.getI64Type());
  node.setResult(0, node.constant(DenseElementsAttr::get(type, ArrayRef<int64_t>(dims))));
  return success();
}

LogicalResult importSize(NodeImporter &node) {
  if (!node.hasInput(0))
    return node.error() << "expected input #0 to be given";
  node.setResult(
      0, node.scalarConstant(node.builder.getI64Type(), node.inputType(0).getNumElements()));
  return success();
}

LogicalResult importExpand(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto shape = node.constantInts(1);
  if (failed(input) || failed(shape))
    return failure();
  auto type = node.inputType(0);
  auto result = nn::broadcastShapes(type.getShape(), *shape);
  if (failed(result))
    return node.error() << "cannot broadcast the input to the requested shape";
  return node.setSingleResult(node.create1<nn::ExpandOp>(
      {*input}, {}, {RankedTensorType::get(*result, type.getElementType())}));
}

LogicalResult importTile(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto repeats = node.constantInts(1);
  if (failed(input) || failed(repeats))
    return failure();
  return node.setSingleResult(node.create1<nn::TileOp>(
      {*input}, {node.namedAttr("repeats", node.builder.getDenseI64ArrayAttr(*repeats))}));
}

LogicalResult importPad(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  int64_t rank = type.getRank();
  std::string mode = node.getString("mode", "constant");
  SmallVector<int64_t> pads;
  Value value;
  if (node.opset < 11) {
    pads = node.getInts("pads");
    value = node.scalarConstant(type.getElementType(), node.getFloat("value", 0.0f));
  } else {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    pads = *given;
    if (node.hasInput(2) && mode == "constant") {
      value = node.input(2);
      if (cast<RankedTensorType>(value.getType()).getRank() != 0) {
        auto scalar = node.reshape(value, {});
        if (failed(scalar))
          return failure();
        value = *scalar;
      }
    } else {
      value = node.scalarConstant(type.getElementType(), 0);
    }
  }
  if (node.hasInput(3)) {
    // Opset 18: pads for the listed axes only.
    auto given = node.constantInts(3);
    if (failed(given))
      return failure();
    if (pads.size() != 2 * given->size())
      return node.error() << "expected " << 2 * given->size() << " pads for the given axes";
    SmallVector<int64_t> all(2 * rank, 0);
    for (auto [i, rawAxis] : llvm::enumerate(*given)) {
      auto axis = node.normalizeAxis(rawAxis, rank, "axes entry");
      if (failed(axis))
        return failure();
      all[*axis] = pads[i];
      all[*axis + rank] = pads[i + given->size()];
    }
    pads = all;
  }
  if ((int64_t)pads.size() != 2 * rank)
    return node.error() << "expected " << 2 * rank << " pads (got " << pads.size() << ")";
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::PadOp>(
      {*input, value}, {node.namedAttr("pads", b.getDenseI64ArrayAttr(pads)),
                        node.namedAttr("mode", b.getStringAttr(mode))}));
}

LogicalResult importConstant(NodeImporter &node) {
  MLIRContext *context = node.builder.getContext();
  OpBuilder &b = node.builder;
  if (const auto *a = node.attr("value")) {
    auto value = convertTensor(context, a->t(), node.modelDir(), node.loc);
    if (failed(value))
      return failure();
    node.setResult(0, node.constant(*value));
    return success();
  }
  if (const auto *a = node.attr("value_float")) {
    node.setResult(0, node.scalarConstant(b.getF32Type(), a->f()));
    return success();
  }
  if (const auto *a = node.attr("value_int")) {
    node.setResult(0, node.constant(DenseElementsAttr::get(
                          RankedTensorType::get({}, b.getI64Type()), a->i())));
    return success();
  }
  if (const auto *a = node.attr("value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    node.setResult(
        0, node.constant(DenseElementsAttr::get(
               RankedTensorType::get({(int64_t)v.size()}, b.getF32Type()), ArrayRef<float>(v))));
    return success();
  }
  if (const auto *a = node.attr("value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    node.setResult(
        0, node.constant(DenseElementsAttr::get(
               RankedTensorType::get({(int64_t)v.size()}, b.getI64Type()), ArrayRef<int64_t>(v))));
    return success();
  }
  if (node.hasAttr("sparse_value") || node.hasAttr("value_string") || node.hasAttr("value_strings"))
    return node.unsupported("Constant with a sparse or string value");
  return node.error() << "Constant has no value attribute";
}

LogicalResult importConstantOfShape(NodeImporter &node) {
  auto shape = node.constantInts(0);
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return node.error() << "expected non-negative dims";
  MLIRContext *context = node.builder.getContext();
  if (const auto *a = node.attr("value")) {
    auto value = convertTensor(context, a->t(), node.modelDir(), node.loc);
    if (failed(value))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*value);
    if (!dense || dense.getNumElements() != 1)
      return node.error() << "expected a one-element value";
    auto type = RankedTensorType::get(*shape, dense.getElementType());
    node.setResult(0, node.constant(DenseElementsAttr::get(type, *dense.value_begin<Attribute>())));
    return success();
  }
  node.setResult(0,
                 node.splatConstant(RankedTensorType::get(*shape, node.builder.getF32Type()), 0));
  return success();
}

LogicalResult importRange(NodeImporter &node) {
  auto start = node.constantInput(0), limit = node.constantInput(1), delta = node.constantInput(2);
  if (failed(start) || failed(limit) || failed(delta))
    return failure();
  Type element = start->getElementType();
  auto scalar = [](DenseElementsAttr a) {
    if (isa<FloatType>(a.getElementType()))
      return (*a.value_begin<APFloat>()).convertToDouble();
    return static_cast<double>((*a.value_begin<APInt>()).getSExtValue());
  };
  double s = scalar(*start), l = scalar(*limit), d = scalar(*delta);
  if (d == 0)
    return node.error() << "expected a non-zero delta";
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((l - s) / d)));
  if (count > (int64_t(1) << 24))
    return node.error() << "Range of " << count << " elements is too large to fold";
  auto type = RankedTensorType::get({count}, element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i) {
    if (auto f = dyn_cast<FloatType>(element)) {
      // ONNX accumulates start + i * delta in the element type.
      values.push_back(FloatAttr::get(f, s + i * d));
    } else {
      values.push_back(
          IntegerAttr::get(element, static_cast<int64_t>(s) + i * static_cast<int64_t>(d)));
    }
  }
  node.setResult(0, node.constant(DenseElementsAttr::get(type, values)));
  return success();
}

LogicalResult importCumSum(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto axisValues = node.constantInts(1);
  if (failed(input) || failed(axisValues))
    return failure();
  if (axisValues->size() != 1)
    return node.error() << "expected axis to hold one value";
  auto axis = node.normalizeAxis(axisValues->front(), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::CumSumOp>(
      {*input}, {node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
                 node.namedAttr("exclusive", b.getBoolAttr(node.getInt("exclusive", 0))),
                 node.namedAttr("reverse", b.getBoolAttr(node.getInt("reverse", 0)))}));
}

LogicalResult importOneHot(NodeImporter &node) {
  auto indices = node.requiredInput(0);
  auto depth = node.constantFloats(1);
  auto values = node.requiredInput(2);
  if (failed(indices) || failed(depth) || failed(values))
    return failure();
  if (depth->size() != 1)
    return node.error() << "expected depth to hold one value";
  Value idx = *indices;
  // Float indices are truncated, as ONNX specifies.
  if (isa<FloatType>(node.inputType(0).getElementType())) {
    auto cast = node.create1<nn::CastOp>(
        {idx}, {},
        {RankedTensorType::get(node.inputType(0).getShape(), node.builder.getI64Type())});
    if (failed(cast))
      return failure();
    idx = *cast;
  }
  auto axis = node.normalizeAxis(node.getInt("axis", -1), node.inputType(0).getRank() + 1);
  if (failed(axis))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::OneHotOp>(
      {idx, *values},
      {node.namedAttr("depth", b.getI64IntegerAttr(static_cast<int64_t>(depth->front()))),
       node.namedAttr("axis", b.getI64IntegerAttr(*axis))}));
}

/// EyeLike's output depends only on static shapes: a constant.
LogicalResult importEyeLike(NodeImporter &node) {
  if (!node.hasInput(0))
    return node.error() << "expected input #0 to be given";
  auto type = node.inputType(0);
  if (type.getRank() != 2)
    return node.error() << "expected a rank-2 input (got rank " << type.getRank() << ")";
  Type element = type.getElementType();
  if (node.hasAttr("dtype")) {
    element = convertElementType(node.builder.getContext(), node.getInt("dtype", 1));
    if (!element)
      return node.unsupported("ONNX dtype " + onnxTypeName(node.getInt("dtype", 1)) +
                              " for EyeLike");
  }
  int64_t k = node.getInt("k", 0);
  auto resultType = RankedTensorType::get(type.getShape(), element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < type.getDimSize(0); ++i)
    for (int64_t j = 0; j < type.getDimSize(1); ++j) {
      bool one = j - i == k;
      if (isa<FloatType>(element))
        values.push_back(FloatAttr::get(element, one ? 1.0 : 0.0));
      else
        values.push_back(IntegerAttr::get(element, one ? 1 : 0));
    }
  node.setResult(0, node.constant(DenseElementsAttr::get(resultType, values)));
  return success();
}

/// Index inputs of the gather/scatter family as i64 (ONNX allows int32 too).
FailureOr<Value> int64Indices(NodeImporter &node, int i) {
  auto indices = node.requiredInput(i);
  if (failed(indices))
    return failure();
  auto type = node.inputType(i);
  if (type.getElementType().isInteger(64))
    return *indices;
  return node.create1<nn::CastOp>(
      {*indices}, {}, {RankedTensorType::get(type.getShape(), node.builder.getI64Type())});
}

LogicalResult importGatherND(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto indices = int64Indices(node, 1);
  if (failed(input) || failed(indices))
    return failure();
  return node.setSingleResult(node.create1<nn::GatherNDOp>(
      {*input, *indices}, {node.namedAttr("batch_dims", node.builder.getI64IntegerAttr(
                                                            node.getInt("batch_dims", 0)))}));
}

LogicalResult importScatterElements(NodeImporter &node) {
  auto input = node.requiredInput(0), updates = node.requiredInput(2);
  auto indices = int64Indices(node, 1);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  auto axis = node.normalizeAxis(node.getInt("axis", 0), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::ScatterElementsOp>(
      {*input, *indices, *updates},
      {node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
       node.namedAttr("reduction", b.getStringAttr(node.getString("reduction", "none")))}));
}

LogicalResult importScatterND(NodeImporter &node) {
  auto input = node.requiredInput(0), updates = node.requiredInput(2);
  auto indices = int64Indices(node, 1);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  return node.setSingleResult(node.create1<nn::ScatterNDOp>(
      {*input, *indices, *updates},
      {node.namedAttr("reduction",
                      node.builder.getStringAttr(node.getString("reduction", "none")))}));
}

LogicalResult importTopK(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t k;
  if (node.opset < 10) {
    auto given = node.requireInt("k");
    if (failed(given))
      return failure();
    k = *given;
  } else {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return node.error() << "expected K to hold one value";
    k = given->front();
  }
  auto axis = node.normalizeAxis(node.getInt("axis", -1), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = node.builder;
  auto results = node.create<nn::TopKOp>(
      {*input}, {node.namedAttr("k", b.getI64IntegerAttr(k)),
                 node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
                 node.namedAttr("largest", b.getBoolAttr(node.getInt("largest", 1)))});
  if (failed(results))
    return failure();
  return node.setResults(*results);
}

LogicalResult importReverseSequence(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto lengths = int64Indices(node, 1);
  if (failed(input) || failed(lengths))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::ReverseSequenceOp>(
      {*input, *lengths},
      {node.namedAttr("batch_axis", b.getI64IntegerAttr(node.getInt("batch_axis", 1))),
       node.namedAttr("time_axis", b.getI64IntegerAttr(node.getInt("time_axis", 0)))}));
}

/// Einsum with the implicit form ("ij,jk") made explicit ("ij,jk->ik": the labels
/// used once, sorted) and spaces removed. Ellipses are not supported.
LogicalResult importEinsum(NodeImporter &node) {
  std::string equation;
  for (char c : node.getString("equation", ""))
    if (c != ' ')
      equation += c;
  if (equation.find("...") != std::string::npos)
    return node.unsupported("Einsum with an ellipsis ('...')");
  if (equation.find("->") == std::string::npos) {
    std::map<char, int> counts;
    for (char c : equation)
      if (c != ',')
        ++counts[c];
    equation += "->";
    for (auto [label, count] : counts)
      if (count == 1)
        equation += label;
  }
  SmallVector<Value> inputs;
  for (int i = 0; i < node.node.input_size(); ++i) {
    auto v = node.requiredInput(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  // The result shape follows from the labels' sizes.
  auto [lhs, output] = StringRef(equation).split("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != inputs.size())
    return node.error() << "expected one Einsum term per input in '" << equation << "'";
  std::map<char, int64_t> sizes;
  for (auto [term, input] : llvm::zip(terms, inputs)) {
    auto shape = cast<RankedTensorType>(input.getType()).getShape();
    if (term.size() != shape.size())
      return node.error() << "expected Einsum term '" << term << "' to match rank " << shape.size();
    for (auto [label, size] : llvm::zip(term, shape))
      sizes[label] = std::max(sizes[label], size);
  }
  SmallVector<int64_t> shape;
  for (char label : output) {
    if (!sizes.count(label))
      return node.error() << "Einsum output label '" << label << "' is not in any input";
    shape.push_back(sizes[label]);
  }
  auto type = RankedTensorType::get(shape, node.inputType(0).getElementType());
  return node.setSingleResult(node.create1<nn::EinsumOp>(
      inputs, {node.namedAttr("equation", node.builder.getStringAttr(equation))}, {type}));
}

/// Reductions. `axesInputSince` is the opset from which axes come as input #1
/// (13 for ReduceSum, 18 for the others).
template <typename OpTy> LogicalResult importReduce(NodeImporter &node, int64_t axesInputSince) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = node.inputType(0).getRank();
  bool present;
  auto axes = readAxes(node, axesInputSince, 1, rank, present);
  if (failed(axes))
    return failure();
  if (axes->empty()) {
    if (node.getInt("noop_with_empty_axes", 0)) {
      node.setResult(0, *input);
      return success();
    }
    *axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  }
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<OpTy>(
      {*input}, {node.namedAttr("axes", b.getDenseI64ArrayAttr(*axes)),
                 node.namedAttr("keepdims", b.getBoolAttr(node.getInt("keepdims", 1)))}));
}

template <typename OpTy> LogicalResult importArgReduce(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto axis = node.normalizeAxis(node.getInt("axis", 0), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<OpTy>(
      {*input},
      {node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
       node.namedAttr("keepdims", b.getBoolAttr(node.getInt("keepdims", 1))),
       node.namedAttr("select_last_index", b.getBoolAttr(node.getInt("select_last_index", 0)))}));
}

/// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18+: axes,
/// antialias, keep_aspect_ratio_policy) and Upsample (scales attribute, then input).
LogicalResult importResize(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  int64_t rank = type.getRank();
  bool isUpsample = node.node.op_type() == "Upsample";
  SmallVector<double> scales, roi;
  SmallVector<int64_t> sizes;
  int scalesInput = isUpsample || node.opset < 11 ? 1 : 2;
  if (isUpsample && node.opset < 9) {
    for (float s : node.getFloats("scales"))
      scales.push_back(s);
  } else if (node.hasInput(scalesInput)) {
    auto given = node.constantFloats(scalesInput);
    if (failed(given))
      return failure();
    scales = *given;
  }
  if (!isUpsample && node.opset >= 11) {
    if (node.hasInput(1)) {
      auto given = node.constantFloats(1);
      if (failed(given))
        return failure();
      roi = *given;
    }
    if (node.hasInput(3)) {
      auto given = node.constantInts(3);
      if (failed(given))
        return failure();
      sizes = *given;
    }
  }
  SmallVector<int64_t> axes = node.getInts("axes");
  if (axes.empty())
    axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (failed(node.normalizeAxes(axes, rank)))
    return failure();
  // Expand per-axis values to all dims.
  SmallVector<double> allScales(rank, 1.0), allRoi;
  SmallVector<int64_t> outShape(type.getShape());
  if (!scales.empty() && !sizes.empty())
    return node.error() << "expected only one of scales and sizes";
  if (!scales.empty()) {
    if (scales.size() != axes.size())
      return node.error() << "expected " << axes.size() << " scales (got " << scales.size() << ")";
    for (auto [i, axis] : llvm::enumerate(axes)) {
      if (scales[i] <= 0)
        return node.error() << "expected positive scales";
      allScales[axis] = scales[i];
      outShape[axis] = static_cast<int64_t>(std::floor(type.getDimSize(axis) * scales[i]));
    }
  } else if (!sizes.empty()) {
    if (sizes.size() != axes.size())
      return node.error() << "expected " << axes.size() << " sizes (got " << sizes.size() << ")";
    std::string policy = node.getString("keep_aspect_ratio_policy", "stretch");
    double common = policy == "not_larger" ? INFINITY : 0;
    for (auto [i, axis] : llvm::enumerate(axes)) {
      double s = static_cast<double>(sizes[i]) / type.getDimSize(axis);
      common = policy == "not_larger" ? std::min(common, s) : std::max(common, s);
    }
    for (auto [i, axis] : llvm::enumerate(axes)) {
      if (policy == "stretch") {
        outShape[axis] = sizes[i];
        allScales[axis] = static_cast<double>(sizes[i]) / type.getDimSize(axis);
      } else if (policy == "not_larger" || policy == "not_smaller") {
        allScales[axis] = common;
        outShape[axis] = static_cast<int64_t>(std::floor(type.getDimSize(axis) * common + 0.5));
      } else {
        return node.unsupported("keep_aspect_ratio_policy '" + policy + "'");
      }
    }
  } else {
    return node.error() << "expected scales or sizes";
  }
  if (!roi.empty()) {
    if (roi.size() != 2 * axes.size())
      return node.error() << "expected " << 2 * axes.size() << " roi values";
    allRoi.assign(rank, 0.0);
    allRoi.append(rank, 1.0);
    for (auto [i, axis] : llvm::enumerate(axes)) {
      allRoi[axis] = roi[i];
      allRoi[axis + rank] = roi[i + axes.size()];
    }
  }
  std::string mode = node.getString("mode", "nearest");
  std::string transform =
      node.getString("coordinate_transformation_mode",
                     isUpsample || node.opset < 11 ? "asymmetric" : "half_pixel");
  if (node.opset < 11 && mode == "linear" && !isUpsample)
    transform = "asymmetric";
  if (mode == "bilinear" || mode == "trilinear")
    mode = "linear";
  OpBuilder &b = node.builder;
  SmallVector<NamedAttribute> attrs{
      node.namedAttr("scales", b.getDenseF64ArrayAttr(allScales)),
      node.namedAttr("roi", b.getDenseF64ArrayAttr(allRoi)),
      node.namedAttr("mode", b.getStringAttr(mode)),
      node.namedAttr("coordinate_transformation_mode", b.getStringAttr(transform)),
      // Upsample and Resize-10 pick the nearest pixel by flooring.
      node.namedAttr("nearest_mode",
                     b.getStringAttr(isUpsample || node.opset < 11
                                         ? "floor"
                                         : node.getString("nearest_mode", "round_prefer_floor"))),
      node.namedAttr("cubic_coeff_a", b.getF32FloatAttr(node.getFloat("cubic_coeff_a", -0.75f))),
      node.namedAttr("exclude_outside", b.getBoolAttr(node.getInt("exclude_outside", 0))),
      node.namedAttr("extrapolation_value",
                     b.getF32FloatAttr(node.getFloat("extrapolation_value", 0.0f))),
      node.namedAttr("antialias", b.getBoolAttr(node.getInt("antialias", 0)))};
  return node.setSingleResult(node.create1<nn::ResizeOp>(
      {*input}, attrs, {RankedTensorType::get(outShape, type.getElementType())}));
}

LogicalResult importDepthToSpace(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto blocksize = node.requireInt("blocksize");
  if (failed(input) || failed(blocksize))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::DepthToSpaceOp>(
      {*input}, {node.namedAttr("blocksize", b.getI64IntegerAttr(*blocksize)),
                 node.namedAttr("mode", b.getStringAttr(node.getString("mode", "DCR")))}));
}

LogicalResult importSpaceToDepth(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto blocksize = node.requireInt("blocksize");
  if (failed(input) || failed(blocksize))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::SpaceToDepthOp>(
      {*input}, {node.namedAttr("blocksize", b.getI64IntegerAttr(*blocksize)),
                 node.namedAttr("mode", b.getStringAttr(node.getString("mode", "DCR")))}));
}
} // namespace

void mlir::nnc::onnx_import::registerShapeRules(ImportRuleTable &table) {
  table["Reshape"] = importReshape;
  table["Flatten"] = importFlatten;
  table["Squeeze"] = importSqueeze;
  table["Unsqueeze"] = importUnsqueeze;
  table["Transpose"] = importTranspose;
  table["Concat"] = importConcat;
  table["Split"] = importSplit;
  table["Slice"] = importSlice;
  table["Gather"] = importGatherLike<nn::GatherOp>;
  table["GatherElements"] = importGatherLike<nn::GatherElementsOp>;
  table["Shape"] = importShape;
  table["Size"] = importSize;
  table["Expand"] = importExpand;
  table["Tile"] = importTile;
  table["Pad"] = importPad;
  table["Constant"] = importConstant;
  table["ConstantOfShape"] = importConstantOfShape;
  table["Range"] = importRange;
  table["Resize"] = importResize;
  table["Upsample"] = importResize;
  table["DepthToSpace"] = importDepthToSpace;
  table["SpaceToDepth"] = importSpaceToDepth;
  table["ReduceSum"] = [](NodeImporter &n) { return importReduce<nn::ReduceSumOp>(n, 13); };
  table["ReduceMean"] = [](NodeImporter &n) { return importReduce<nn::ReduceMeanOp>(n, 18); };
  table["ReduceMax"] = [](NodeImporter &n) { return importReduce<nn::ReduceMaxOp>(n, 18); };
  table["ReduceMin"] = [](NodeImporter &n) { return importReduce<nn::ReduceMinOp>(n, 18); };
  table["ReduceProd"] = [](NodeImporter &n) { return importReduce<nn::ReduceProdOp>(n, 18); };
  table["ReduceL1"] = [](NodeImporter &n) { return importReduce<nn::ReduceL1Op>(n, 18); };
  table["ReduceL2"] = [](NodeImporter &n) { return importReduce<nn::ReduceL2Op>(n, 18); };
  table["ReduceSumSquare"] = [](NodeImporter &n) {
    return importReduce<nn::ReduceSumSquareOp>(n, 18);
  };
  table["ReduceLogSum"] = [](NodeImporter &n) { return importReduce<nn::ReduceLogSumOp>(n, 18); };
  table["ReduceLogSumExp"] = [](NodeImporter &n) {
    return importReduce<nn::ReduceLogSumExpOp>(n, 18);
  };
  table["CumSum"] = importCumSum;
  table["GatherND"] = importGatherND;
  table["ScatterElements"] = importScatterElements;
  table["Scatter"] = importScatterElements;
  table["ScatterND"] = importScatterND;
  table["TopK"] = importTopK;
  table["ReverseSequence"] = importReverseSequence;
  table["Einsum"] = importEinsum;
  table["OneHot"] = importOneHot;
  table["EyeLike"] = importEyeLike;
  table["ArgMax"] = importArgReduce<nn::ArgMaxOp>;
  table["ArgMin"] = importArgReduce<nn::ArgMinOp>;
}

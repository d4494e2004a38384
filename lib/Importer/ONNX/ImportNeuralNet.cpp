//===- ImportNeuralNet.cpp - conv, GEMM, pooling, normalization -> nn ------===//

#include "NodeImporter.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::onnx_import;

namespace {
/// Explicit window attributes after resolving ONNX's auto_pad and defaults.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

/// Reads kernel/strides/dilations/pads/auto_pad for `spatial` dims of `input`.
FailureOr<Window> readWindow(NodeImporter &node, RankedTensorType input, ArrayRef<int64_t> kernel) {
  int64_t spatial = kernel.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = node.getInts("strides");
  w.dilations = node.getInts("dilations");
  w.pads = node.getInts("pads");
  if (w.strides.empty())
    w.strides.assign(spatial, 1);
  if (w.dilations.empty())
    w.dilations.assign(spatial, 1);
  if ((int64_t)w.strides.size() != spatial || (int64_t)w.dilations.size() != spatial)
    return node.error() << "expected strides and dilations to have " << spatial << " entries";
  std::string autoPad = node.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    if (w.pads.empty())
      w.pads.assign(2 * spatial, 0);
    if ((int64_t)w.pads.size() != 2 * spatial)
      return node.error() << "expected pads to have " << 2 * spatial << " entries (got "
                          << w.pads.size() << ")";
    return w;
  }
  w.pads.assign(2 * spatial, 0);
  if (autoPad == "VALID")
    return w;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return node.unsupported("auto_pad '" + autoPad + "'");
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(i + 2), stride = std::max<int64_t>(w.strides[i], 1);
    int64_t out = (in + stride - 1) / stride;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * stride + (w.kernel[i] - 1) * w.dilations[i] + 1 - in);
    int64_t small = total / 2, large = total - small;
    w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
    w.pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
  }
  return w;
}

SmallVector<NamedAttribute> windowAttrs(NodeImporter &node, const Window &w) {
  OpBuilder &b = node.builder;
  return {node.namedAttr("strides", b.getDenseI64ArrayAttr(w.strides)),
          node.namedAttr("dilations", b.getDenseI64ArrayAttr(w.dilations)),
          node.namedAttr("pads", b.getDenseI64ArrayAttr(w.pads))};
}

/// Spatial kernel dims from the attribute, or from the weight when absent.
SmallVector<int64_t> kernelShape(NodeImporter &node, RankedTensorType weight) {
  SmallVector<int64_t> kernel = node.getInts("kernel_shape");
  if (kernel.empty())
    kernel.assign(weight.getShape().begin() + 2, weight.getShape().end());
  return kernel;
}

LogicalResult importConv(NodeImporter &node) {
  auto input = node.requiredInput(0), weight = node.requiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  auto inType = node.inputType(0), wType = node.inputType(1);
  if (wType.getRank() < 3 || inType.getRank() < 3)
    return node.error() << "expected input and weight of rank >= 3 (got rank " << inType.getRank()
                        << " and " << wType.getRank() << ")";
  auto window = readWindow(node, inType, kernelShape(node, wType));
  if (failed(window))
    return failure();
  SmallVector<NamedAttribute> attrs = windowAttrs(node, *window);
  attrs.push_back(node.namedAttr("group", node.builder.getI64IntegerAttr(node.getInt("group", 1))));
  SmallVector<Value> operands{*input, *weight};
  if (node.hasInput(2))
    operands.push_back(node.input(2));
  return node.setSingleResult(node.create1<nn::ConvOp>(operands, attrs));
}

LogicalResult importConvTranspose(NodeImporter &node) {
  auto input = node.requiredInput(0), weight = node.requiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  auto inType = node.inputType(0), wType = node.inputType(1);
  if (wType.getRank() < 3 || inType.getRank() != wType.getRank())
    return node.error() << "expected input and weight of the same rank >= 3";
  int64_t spatial = inType.getRank() - 2;
  SmallVector<int64_t> kernel = kernelShape(node, wType);
  SmallVector<int64_t> strides = node.getInts("strides"), dilations = node.getInts("dilations");
  SmallVector<int64_t> pads = node.getInts("pads"), outPad = node.getInts("output_padding");
  SmallVector<int64_t> outShape = node.getInts("output_shape");
  if (strides.empty())
    strides.assign(spatial, 1);
  if (dilations.empty())
    dilations.assign(spatial, 1);
  if (outPad.empty())
    outPad.assign(spatial, 0);
  if ((int64_t)strides.size() != spatial || (int64_t)dilations.size() != spatial ||
      (int64_t)outPad.size() != spatial || (int64_t)kernel.size() != spatial)
    return node.error() << "expected strides, dilations, output_padding and kernel_shape to "
                           "have "
                        << spatial << " entries";
  std::string autoPad = node.getString("auto_pad", "NOTSET");
  if (!outShape.empty() && (int64_t)outShape.size() == spatial + 2)
    outShape.erase(outShape.begin(), outShape.begin() + 2);
  if (outShape.empty() && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER"))
    for (int64_t i = 0; i < spatial; ++i)
      outShape.push_back(inType.getDimSize(i + 2) * strides[i]);
  if (!outShape.empty()) {
    if ((int64_t)outShape.size() != spatial)
      return node.error() << "expected output_shape to have " << spatial << " entries";
    pads.assign(2 * spatial, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t total = strides[i] * (inType.getDimSize(i + 2) - 1) + outPad[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - outShape[i];
      if (total < 0) {
        // A larger requested output extends the end, as output_padding does.
        outPad[i] -= total;
        continue;
      }
      int64_t small = total / 2, large = total - small;
      bool upper = autoPad != "SAME_LOWER";
      pads[i] = upper ? small : large;
      pads[i + spatial] = upper ? large : small;
    }
  } else if (pads.empty() || autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  }
  OpBuilder &b = node.builder;
  SmallVector<NamedAttribute> attrs{
      node.namedAttr("strides", b.getDenseI64ArrayAttr(strides)),
      node.namedAttr("dilations", b.getDenseI64ArrayAttr(dilations)),
      node.namedAttr("pads", b.getDenseI64ArrayAttr(pads)),
      node.namedAttr("output_padding", b.getDenseI64ArrayAttr(outPad)),
      node.namedAttr("group", b.getI64IntegerAttr(node.getInt("group", 1)))};
  SmallVector<Value> operands{*input, *weight};
  if (node.hasInput(2))
    operands.push_back(node.input(2));
  return node.setSingleResult(node.create1<nn::ConvTransposeOp>(operands, attrs));
}

/// MatMul with ONNX's rank-1 promotion: a vector lhs is [1, K], a vector rhs
/// [K, 1], and the added dim is removed from the result.
FailureOr<Value> matmul(NodeImporter &node, Value lhs, Value rhs) {
  auto lType = cast<RankedTensorType>(lhs.getType());
  auto rType = cast<RankedTensorType>(rhs.getType());
  if (lType.getRank() == 0 || rType.getRank() == 0)
    return node.error() << "expected MatMul operands of rank >= 1";
  bool lhsVector = lType.getRank() == 1, rhsVector = rType.getRank() == 1;
  if (lhsVector) {
    auto r = node.reshape(lhs, {1, lType.getDimSize(0)});
    if (failed(r))
      return failure();
    lhs = *r;
  }
  if (rhsVector) {
    auto r = node.reshape(rhs, {rType.getDimSize(0), 1});
    if (failed(r))
      return failure();
    rhs = *r;
  }
  auto product = node.create1<nn::MatMulOp>({lhs, rhs});
  if (failed(product) || (!lhsVector && !rhsVector))
    return product;
  auto shape = llvm::to_vector(cast<RankedTensorType>(product->getType()).getShape());
  if (rhsVector)
    shape.pop_back();
  if (lhsVector)
    shape.erase(shape.end() - (rhsVector ? 1 : 2));
  return node.reshape(*product, shape);
}

LogicalResult importMatMul(NodeImporter &node) {
  auto lhs = node.requiredInput(0), rhs = node.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  auto result = matmul(node, *lhs, *rhs);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Gemm -> [transpose] + matmul, then alpha/beta scaling and the bias add.
LogicalResult importGemm(NodeImporter &node) {
  auto a = node.requiredInput(0), b = node.requiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  if (node.inputType(0).getRank() != 2 || node.inputType(1).getRank() != 2)
    return node.error() << "expected A and B of rank 2 (got " << node.inputType(0).getRank()
                        << " and " << node.inputType(1).getRank() << ")";
  Value lhs = *a, rhs = *b;
  if (node.getInt("transA", 0)) {
    auto t = node.transpose(lhs, {1, 0});
    if (failed(t))
      return failure();
    lhs = *t;
  }
  if (node.getInt("transB", 0)) {
    auto t = node.transpose(rhs, {1, 0});
    if (failed(t))
      return failure();
    rhs = *t;
  }
  auto product = node.create1<nn::MatMulOp>({lhs, rhs});
  if (failed(product))
    return failure();
  Type element = node.inputType(0).getElementType();
  Value result = *product;
  float alpha = node.getFloat("alpha", 1.0f), beta = node.getFloat("beta", 1.0f);
  if (alpha != 1.0f) {
    auto scaled = node.create1<nn::MulOp>({result, node.scalarConstant(element, alpha)});
    if (failed(scaled))
      return failure();
    result = *scaled;
  }
  if (node.hasInput(2) && beta != 0.0f) {
    Value c = node.input(2);
    if (beta != 1.0f) {
      auto scaled = node.create1<nn::MulOp>({c, node.scalarConstant(element, beta)});
      if (failed(scaled))
        return failure();
      c = *scaled;
    }
    auto sum = node.create1<nn::AddOp>({result, c});
    if (failed(sum))
      return failure();
    if (sum->getType() != result.getType())
      return node.error() << "expected C to broadcast to the product's shape";
    result = *sum;
  }
  node.setResult(0, result);
  return success();
}

LogicalResult importPool(NodeImporter &node, bool isMax) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto inType = node.inputType(0);
  SmallVector<int64_t> kernel = node.getInts("kernel_shape");
  if (kernel.empty())
    return node.error() << "missing required attribute 'kernel_shape'";
  if (inType.getRank() != (int64_t)kernel.size() + 2)
    return node.error() << "expected input rank " << kernel.size() + 2 << " for a " << kernel.size()
                        << "-d kernel (got " << inType.getRank() << ")";
  auto window = readWindow(node, inType, kernel);
  if (failed(window))
    return failure();
  OpBuilder &b = node.builder;
  SmallVector<NamedAttribute> attrs = windowAttrs(node, *window);
  attrs.push_back(node.namedAttr("kernel_shape", b.getDenseI64ArrayAttr(window->kernel)));
  attrs.push_back(node.namedAttr("ceil_mode", b.getBoolAttr(node.getInt("ceil_mode", 0))));
  if (isMax) {
    attrs.push_back(
        node.namedAttr("storage_order", b.getI64IntegerAttr(node.getInt("storage_order", 0))));
    auto results = node.create<nn::MaxPoolOp>({*input}, attrs);
    if (failed(results))
      return failure();
    return node.setResults(*results);
  }
  attrs.push_back(
      node.namedAttr("count_include_pad", b.getBoolAttr(node.getInt("count_include_pad", 0))));
  return node.setSingleResult(node.create1<nn::AvgPoolOp>({*input}, attrs));
}

/// GlobalAveragePool / GlobalMaxPool are reductions over the spatial dims.
template <typename ReduceOp> LogicalResult importGlobalPool(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = node.inputType(0).getRank();
  if (rank < 3)
    return node.error() << "expected input of rank >= 3 (got " << rank << ")";
  auto axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  return node.setSingleResult(node.create1<ReduceOp>(
      {*input}, {node.namedAttr("axes", node.builder.getDenseI64ArrayAttr(axes)),
                 node.namedAttr("keepdims", node.builder.getBoolAttr(true))}));
}

LogicalResult importLRN(NodeImporter &node) {
  auto input = node.requiredInput(0);
  auto size = node.requireInt("size");
  if (failed(input) || failed(size))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::LRNOp>(
      {*input}, {node.namedAttr("alpha", b.getF32FloatAttr(node.getFloat("alpha", 1e-4f))),
                 node.namedAttr("beta", b.getF32FloatAttr(node.getFloat("beta", 0.75f))),
                 node.namedAttr("bias", b.getF32FloatAttr(node.getFloat("bias", 1.0f))),
                 node.namedAttr("size", b.getI64IntegerAttr(*size))}));
}

/// Training-mode BatchNormalization: normalize with the batch statistics and
/// return the updated running statistics.
LogicalResult importBatchNormTraining(NodeImporter &node, ArrayRef<Value> in, float epsilon) {
  OpBuilder &b = node.builder;
  auto inType = node.inputType(0);
  SmallVector<int64_t> axes{0};
  for (int64_t d = 2; d < inType.getRank(); ++d)
    axes.push_back(d);
  auto reduceAttrs = [&](bool keep) {
    return SmallVector<NamedAttribute>{node.namedAttr("axes", b.getDenseI64ArrayAttr(axes)),
                                       node.namedAttr("keepdims", b.getBoolAttr(keep))};
  };
  auto meanKeep = node.create1<nn::ReduceMeanOp>({in[0]}, reduceAttrs(true));
  if (failed(meanKeep))
    return failure();
  auto centered = node.create1<nn::SubOp>({in[0], *meanKeep});
  if (failed(centered))
    return failure();
  auto squared = node.create1<nn::MulOp>({*centered, *centered});
  if (failed(squared))
    return failure();
  auto mean = node.create1<nn::ReduceMeanOp>({in[0]}, reduceAttrs(false));
  auto var = node.create1<nn::ReduceMeanOp>({*squared}, reduceAttrs(false));
  if (failed(mean) || failed(var))
    return failure();
  auto y = node.create1<nn::BatchNormOp>({in[0], in[1], in[2], *mean, *var},
                                         {node.namedAttr("epsilon", b.getF32FloatAttr(epsilon))});
  if (failed(y))
    return failure();
  node.setResult(0, *y);
  // running = input_running * momentum + batch * (1 - momentum)
  float momentum = node.getFloat("momentum", 0.9f);
  Type element = inType.getElementType();
  for (auto [output, running, batch] : {std::tuple{1, in[3], *mean}, {2, in[4], *var}}) {
    if (!node.hasOutput(output))
      continue;
    auto kept = node.create1<nn::MulOp>({running, node.scalarConstant(element, momentum)});
    auto fresh = node.create1<nn::MulOp>({batch, node.scalarConstant(element, 1 - momentum)});
    if (failed(kept) || failed(fresh))
      return failure();
    auto updated = node.create1<nn::AddOp>({*kept, *fresh});
    if (failed(updated))
      return failure();
    node.setResult(output, *updated);
  }
  return success();
}

LogicalResult importBatchNorm(NodeImporter &node) {
  SmallVector<Value> in;
  for (int i = 0; i < 5; ++i) {
    auto v = node.requiredInput(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  if (node.opset < 9 && !node.getInt("spatial", 1))
    return node.unsupported("BatchNormalization with spatial = 0");
  float epsilon = node.getFloat("epsilon", 1e-5f);
  if (node.getInt("training_mode", 0))
    return importBatchNormTraining(node, in, epsilon);
  if (node.hasOutput(1) || node.hasOutput(2))
    return node.unsupported("BatchNormalization outputs beyond Y in inference mode");
  return node.setSingleResult(node.create1<nn::BatchNormOp>(
      in, {node.namedAttr("epsilon", node.builder.getF32FloatAttr(epsilon))}));
}

LogicalResult importInstanceNorm(NodeImporter &node) {
  auto input = node.requiredInput(0), scale = node.requiredInput(1), bias = node.requiredInput(2);
  if (failed(input) || failed(scale) || failed(bias))
    return failure();
  return node.setSingleResult(node.create1<nn::InstanceNormOp>(
      {*input, *scale, *bias},
      {node.namedAttr("epsilon", node.builder.getF32FloatAttr(node.getFloat("epsilon", 1e-5f)))}));
}

LogicalResult importLayerNorm(NodeImporter &node) {
  auto input = node.requiredInput(0), scale = node.requiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  auto axis = node.normalizeAxis(node.getInt("axis", -1), node.inputType(0).getRank());
  if (failed(axis))
    return failure();
  if (node.getInt("stash_type", 1) != 1)
    return node.unsupported("LayerNormalization stash_type other than 1 (float)");
  SmallVector<Value> operands{*input, *scale};
  if (node.hasInput(2))
    operands.push_back(node.input(2));
  OpBuilder &b = node.builder;
  auto results = node.create<nn::LayerNormOp>(
      operands, {node.namedAttr("axis", b.getI64IntegerAttr(*axis)),
                 node.namedAttr("epsilon", b.getF32FloatAttr(node.getFloat("epsilon", 1e-5f)))});
  if (failed(results))
    return failure();
  return node.setResults(*results);
}

LogicalResult importMeanVarianceNorm(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = node.inputType(0).getRank();
  SmallVector<int64_t> axes =
      node.hasAttr("axes") ? node.getInts("axes") : SmallVector<int64_t>{0, 2, 3};
  if (failed(node.normalizeAxes(axes, rank)))
    return failure();
  llvm::sort(axes);
  return node.setSingleResult(node.create1<nn::MeanVarianceNormOp>(
      {*input}, {node.namedAttr("axes", node.builder.getDenseI64ArrayAttr(axes))}));
}

/// Softmax, LogSoftmax, Hardmax. Before opset 13 they work on the input
/// flattened to 2-D at `axis` (default 1); from 13 on one axis (default -1).
template <typename OpTy> LogicalResult importSoftmaxLike(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = node.inputType(0);
  bool coerced = node.opset < 13;
  auto axis = node.normalizeAxis(node.getInt("axis", coerced ? 1 : -1),
                                 std::max<int64_t>(type.getRank(), 1));
  if (failed(axis))
    return failure();
  Value operand = *input;
  int64_t opAxis = *axis;
  if (coerced) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < type.getRank(); ++d)
      (d < *axis ? outer : inner) *= type.getDimSize(d);
    auto flat = node.reshape(operand, {outer, inner});
    if (failed(flat))
      return failure();
    operand = *flat;
    opAxis = 1;
  }
  auto result = node.create1<OpTy>(
      {operand}, {node.namedAttr("axis", node.builder.getI64IntegerAttr(opAxis))});
  if (failed(result))
    return failure();
  Value value = *result;
  if (coerced) {
    auto restored = node.reshape(value, type.getShape());
    if (failed(restored))
      return failure();
    value = *restored;
  }
  node.setResult(0, value);
  return success();
}
} // namespace

void mlir::nnc::onnx_import::registerNeuralNetRules(ImportRuleTable &table) {
  table["Conv"] = importConv;
  table["ConvTranspose"] = importConvTranspose;
  table["MatMul"] = importMatMul;
  table["Gemm"] = importGemm;
  table["MaxPool"] = [](NodeImporter &n) { return importPool(n, /*isMax=*/true); };
  table["AveragePool"] = [](NodeImporter &n) { return importPool(n, /*isMax=*/false); };
  table["GlobalAveragePool"] = importGlobalPool<nn::ReduceMeanOp>;
  table["GlobalMaxPool"] = importGlobalPool<nn::ReduceMaxOp>;
  table["LRN"] = importLRN;
  table["BatchNormalization"] = importBatchNorm;
  table["InstanceNormalization"] = importInstanceNorm;
  table["LayerNormalization"] = importLayerNorm;
  table["MeanVarianceNormalization"] = importMeanVarianceNorm;
  table["Softmax"] = importSoftmaxLike<nn::SoftmaxOp>;
  table["LogSoftmax"] = importSoftmaxLike<nn::LogSoftmaxOp>;
  table["Hardmax"] = importSoftmaxLike<nn::HardmaxOp>;
}

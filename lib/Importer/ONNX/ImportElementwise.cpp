//===- ImportElementwise.cpp - elementwise ONNX ops -> nn ------------------===//

#include "NodeImporter.h"

#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::onnx_import;

namespace {
/// Ops that map 1:1 to an nn op with the same operands and no attributes.
template <typename OpTy> LogicalResult importDirect(NodeImporter &node) {
  SmallVector<Value> operands;
  for (int i = 0; i < node.node.input_size(); ++i) {
    auto v = node.requiredInput(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  auto results = node.create<OpTy>(operands);
  if (failed(results))
    return failure();
  return node.setResults(*results);
}

/// Unary ops with float attributes, given as (name, default) pairs.
template <typename OpTy>
LogicalResult importWithFloatAttrs(NodeImporter &node,
                                   ArrayRef<std::pair<StringRef, float>> attrs) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  SmallVector<NamedAttribute> named;
  for (auto [name, defaultValue] : attrs)
    named.push_back(
        node.namedAttr(name, node.builder.getF32FloatAttr(node.getFloat(name, defaultValue))));
  return node.setSingleResult(node.create1<OpTy>({*input}, named));
}

/// Max, Min, Sum: a left fold of the binary op over all inputs.
template <typename OpTy> FailureOr<Value> foldVariadic(NodeImporter &node) {
  auto acc = node.requiredInput(0);
  if (failed(acc))
    return failure();
  Value result = *acc;
  for (int i = 1; i < node.node.input_size(); ++i) {
    auto next = node.requiredInput(i);
    if (failed(next))
      return failure();
    auto combined = node.create1<OpTy>({result, *next});
    if (failed(combined))
      return failure();
    result = *combined;
  }
  return result;
}

template <typename OpTy> LogicalResult importVariadic(NodeImporter &node) {
  auto result = foldVariadic<OpTy>(node);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importMean(NodeImporter &node) {
  auto sum = foldVariadic<nn::AddOp>(node);
  if (failed(sum))
    return failure();
  auto type = cast<RankedTensorType>(sum->getType());
  Value count = node.scalarConstant(type.getElementType(), node.node.input_size());
  return node.setSingleResult(node.create1<nn::DivOp>({*sum, count}));
}

/// The lowest and highest finite values of an element type, for Clip's defaults.
std::pair<double, double> typeRange(Type element) {
  if (auto floatType = dyn_cast<FloatType>(element)) {
    const auto &sem = floatType.getFloatSemantics();
    return {llvm::APFloat::getLargest(sem, true).convertToDouble(),
            llvm::APFloat::getLargest(sem, false).convertToDouble()};
  }
  unsigned width = element.getIntOrFloatBitWidth();
  if (element.isUnsignedInteger())
    return {0.0, std::ldexp(1.0, width) - 1};
  return {-std::ldexp(1.0, width - 1), std::ldexp(1.0, width - 1) - 1};
}

LogicalResult importClip(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  Type element = node.inputType(0).getElementType();
  auto [lowest, highest] = typeRange(element);
  Value bounds[2];
  for (int i = 0; i < 2; ++i) {
    double fallback = i == 0 ? lowest : highest;
    if (node.opset < 11) {
      bounds[i] = node.scalarConstant(element, node.getFloat(i == 0 ? "min" : "max", fallback));
    } else if (node.hasInput(i + 1)) {
      bounds[i] = node.input(i + 1);
      auto type = cast<RankedTensorType>(bounds[i].getType());
      // Some exporters give the bounds as [1] tensors.
      if (type.getRank() != 0 && type.getNumElements() == 1) {
        auto scalar = node.reshape(bounds[i], {});
        if (failed(scalar))
          return failure();
        bounds[i] = *scalar;
      }
    } else {
      bounds[i] = node.scalarConstant(element, fallback);
    }
  }
  return node.setSingleResult(node.create1<nn::ClipOp>({*input, bounds[0], bounds[1]}));
}

LogicalResult importCastTo(NodeImporter &node, Type target) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = RankedTensorType::get(node.inputType(0).getShape(), target);
  return node.setSingleResult(node.create1<nn::CastOp>({*input}, {}, {type}));
}

LogicalResult importCast(NodeImporter &node) {
  auto to = node.requireInt("to");
  if (failed(to))
    return failure();
  Type target = convertElementType(node.builder.getContext(), *to);
  if (!target)
    return node.unsupported("ONNX dtype " + onnxTypeName(*to) + " as the Cast target");
  return importCastTo(node, target);
}

LogicalResult importCastLike(NodeImporter &node) {
  if (!node.hasInput(1))
    return node.error() << "expected input #1 to be given";
  return importCastTo(node, node.inputType(1).getElementType());
}

LogicalResult importIdentity(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  node.setResult(0, *input);
  return success();
}

/// Inference-time Dropout is the identity; its mask is all true.
LogicalResult importDropout(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  bool training = node.opset < 7 ? !node.getInt("is_test", 0) : false;
  if (node.hasInput(2)) {
    auto mode = node.constantInput(2);
    if (failed(mode))
      return failure();
    training = mode->getValues<bool>()[0];
  }
  if (training) {
    double ratio = node.getFloat("ratio", 0.5);
    if (node.hasInput(1)) {
      auto given = node.constantFloats(1);
      if (failed(given))
        return failure();
      ratio = given->front();
    }
    if (ratio != 0)
      return node.unsupported("training-mode Dropout (its output is random)");
  }
  node.setResult(0, *input);
  if (node.hasOutput(1))
    node.setResult(
        1, node.splatConstant(
               RankedTensorType::get(node.inputType(0).getShape(), node.builder.getI1Type()), 1));
  return success();
}

LogicalResult importMod(NodeImporter &node) {
  auto lhs = node.requiredInput(0), rhs = node.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return node.setSingleResult(node.create1<nn::ModOp>(
      {*lhs, *rhs}, {node.namedAttr("fmod", node.builder.getBoolAttr(node.getInt("fmod", 0)))}));
}

LogicalResult importTrilu(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t k = 0;
  if (node.hasInput(1)) {
    auto given = node.constantInts(1);
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return node.error() << "expected k to hold one value";
    k = given->front();
  }
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::TriluOp>(
      {*input}, {node.namedAttr("upper", b.getBoolAttr(node.getInt("upper", 1))),
                 node.namedAttr("k", b.getI64IntegerAttr(k))}));
}

LogicalResult importIsInf(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  OpBuilder &b = node.builder;
  return node.setSingleResult(node.create1<nn::IsInfOp>(
      {*input},
      {node.namedAttr("detect_positive", b.getBoolAttr(node.getInt("detect_positive", 1))),
       node.namedAttr("detect_negative", b.getBoolAttr(node.getInt("detect_negative", 1)))}));
}

LogicalResult importGelu(NodeImporter &node) {
  auto input = node.requiredInput(0);
  if (failed(input))
    return failure();
  return node.setSingleResult(node.create1<nn::GeluOp>(
      {*input}, {node.namedAttr("approximate", node.builder.getStringAttr(
                                                   node.getString("approximate", "none")))}));
}
} // namespace

void mlir::nnc::onnx_import::registerElementwiseRules(ImportRuleTable &table) {
  table["Relu"] = importDirect<nn::ReluOp>;
  table["Sigmoid"] = importDirect<nn::SigmoidOp>;
  table["Tanh"] = importDirect<nn::TanhOp>;
  table["Erf"] = importDirect<nn::ErfOp>;
  table["Sqrt"] = importDirect<nn::SqrtOp>;
  table["Exp"] = importDirect<nn::ExpOp>;
  table["Log"] = importDirect<nn::LogOp>;
  table["Neg"] = importDirect<nn::NegOp>;
  table["Abs"] = importDirect<nn::AbsOp>;
  table["Reciprocal"] = importDirect<nn::ReciprocalOp>;
  table["HardSwish"] = importDirect<nn::HardSwishOp>;
  table["Softplus"] = importDirect<nn::SoftplusOp>;
  table["Softsign"] = importDirect<nn::SoftsignOp>;
  table["Ceil"] = importDirect<nn::CeilOp>;
  table["Floor"] = importDirect<nn::FloorOp>;
  table["Round"] = importDirect<nn::RoundOp>;
  table["Sign"] = importDirect<nn::SignOp>;
  table["Sin"] = importDirect<nn::SinOp>;
  table["Cos"] = importDirect<nn::CosOp>;
  table["Tan"] = importDirect<nn::TanOp>;
  table["Asin"] = importDirect<nn::AsinOp>;
  table["Acos"] = importDirect<nn::AcosOp>;
  table["Atan"] = importDirect<nn::AtanOp>;
  table["Sinh"] = importDirect<nn::SinhOp>;
  table["Cosh"] = importDirect<nn::CoshOp>;
  table["Asinh"] = importDirect<nn::AsinhOp>;
  table["Acosh"] = importDirect<nn::AcoshOp>;
  table["Atanh"] = importDirect<nn::AtanhOp>;
  table["Not"] = importDirect<nn::NotOp>;
  table["Add"] = importDirect<nn::AddOp>;
  table["Sub"] = importDirect<nn::SubOp>;
  table["Mul"] = importDirect<nn::MulOp>;
  table["Div"] = importDirect<nn::DivOp>;
  table["Pow"] = importDirect<nn::PowOp>;
  table["PRelu"] = importDirect<nn::PReluOp>;
  table["And"] = importDirect<nn::AndOp>;
  table["Or"] = importDirect<nn::OrOp>;
  table["Xor"] = importDirect<nn::XorOp>;
  table["Equal"] = importDirect<nn::EqualOp>;
  table["Less"] = importDirect<nn::LessOp>;
  table["LessOrEqual"] = importDirect<nn::LessEqualOp>;
  table["Greater"] = importDirect<nn::GreaterOp>;
  table["GreaterOrEqual"] = importDirect<nn::GreaterEqualOp>;
  table["Where"] = importDirect<nn::WhereOp>;
  table["Max"] = importVariadic<nn::MaxOp>;
  table["Min"] = importVariadic<nn::MinOp>;
  table["Sum"] = importVariadic<nn::AddOp>;
  table["Mean"] = importMean;
  table["Mod"] = importMod;
  table["Clip"] = importClip;
  table["Cast"] = importCast;
  table["CastLike"] = importCastLike;
  table["Identity"] = importIdentity;
  table["Dropout"] = importDropout;
  table["Gelu"] = importGelu;
  table["Trilu"] = importTrilu;
  table["IsInf"] = importIsInf;
  table["IsNaN"] = importDirect<nn::IsNaNOp>;
  table["LeakyRelu"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::LeakyReluOp>(n, {{"alpha", 0.01f}});
  };
  table["Elu"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::EluOp>(n, {{"alpha", 1.0f}});
  };
  table["Celu"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::CeluOp>(n, {{"alpha", 1.0f}});
  };
  table["Selu"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::SeluOp>(
        n, {{"alpha", 1.67326319217681884765625f}, {"gamma", 1.05070102214813232421875f}});
  };
  table["ThresholdedRelu"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::ThresholdedReluOp>(n, {{"alpha", 1.0f}});
  };
  table["HardSigmoid"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::HardSigmoidOp>(n, {{"alpha", 0.2f}, {"beta", 0.5f}});
  };
  table["Shrink"] = [](NodeImporter &n) {
    return importWithFloatAttrs<nn::ShrinkOp>(n, {{"bias", 0.0f}, {"lambd", 0.5f}});
  };
}

//===- NodeImporter.h - what one ONNX op's import rule sees -----*- C++ -*-===//
//
// Private to the importer. Each ONNX op type has an ImportRule, a function that
// reads one NodeProto through a NodeImporter and creates nn ops. Rules are
// grouped by category (Import*.cpp) and registered in one table.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_LIB_IMPORTER_ONNX_NODEIMPORTER_H
#define NNC_LIB_IMPORTER_ONNX_NODEIMPORTER_H

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

namespace mlir::nnc::onnx_import {

class GraphImporter;

//===----------------------------------------------------------------------===//
// Tensors and types (TensorImport.cpp)
//===----------------------------------------------------------------------===//

/// The MLIR element type of an ONNX TensorProto data type, or null if nnc does
/// not support it.
Type convertElementType(MLIRContext *context, int32_t onnxType);
/// The ONNX name of a TensorProto data type, for messages.
std::string onnxTypeName(int32_t onnxType);
/// Builds a constant's value from a TensorProto. Large tensors become resource
/// blobs (copied once; external data is memory-mapped), small ones dense attrs.
/// `modelDir` resolves external data, which must stay inside it.
FailureOr<ElementsAttr> convertTensor(MLIRContext *context, const onnx::TensorProto &tensor,
                                      StringRef modelDir, Location loc);

/// The largest tensor nnc accepts anywhere in a model: 2^37 bytes (128 GiB),
/// beyond the memory of any machine it targets. Larger shapes are mistakes or
/// hostile input, and their element and byte counts can overflow.
constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 37;
/// Why `type` is not a tensor nnc can hold (a negative dim, or more than
/// kMaxTensorBytes, computed without overflow); empty if it is. Dynamic dims
/// count as 1.
std::string tensorSizeProblem(RankedTensorType type);

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node, Location loc, int64_t opset);

  const onnx::NodeProto &node;
  const int64_t opset;
  const Location loc;
  OpBuilder &builder;

  //===--- Inputs ---------------------------------------------------------===//

  /// True when input `i` is given (present and not the empty name).
  bool hasInput(int i) const;
  /// Input `i`, or null when it is absent.
  Value input(int i) const;
  /// Input `i`; an error when it is absent.
  FailureOr<Value> requiredInput(int i);
  /// The value of input `i` when it is a dense constant (after folding); an
  /// error that says how to bind it otherwise.
  FailureOr<DenseElementsAttr> constantInput(int i);
  /// Integer constant input as int64 values.
  FailureOr<SmallVector<int64_t>> constantInts(int i);
  /// Float or integer constant input as doubles.
  FailureOr<SmallVector<double>> constantFloats(int i);
  /// Type of input `i` (which must be present).
  RankedTensorType inputType(int i) const;

  //===--- Attributes -----------------------------------------------------===//

  const onnx::AttributeProto *attr(StringRef name) const;
  bool hasAttr(StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(StringRef name, int64_t defaultValue) const;
  float getFloat(StringRef name, float defaultValue) const;
  std::string getString(StringRef name, StringRef defaultValue) const;
  SmallVector<int64_t> getInts(StringRef name) const;
  SmallVector<float> getFloats(StringRef name) const;
  SmallVector<std::string> getStrings(StringRef name) const;
  FailureOr<int64_t> requireInt(StringRef name);

  //===--- Results and errors ---------------------------------------------===//

  /// Number of outputs the node declares (including empty optional names).
  int numOutputs() const { return node.output_size(); }
  /// True when output `i` is requested (present and not the empty name).
  bool hasOutput(int i) const;
  /// Binds output `i` (if requested) to `value`.
  void setResult(int i, Value value);
  /// Binds output 0 to `result` unless building it failed.
  LogicalResult setSingleResult(FailureOr<Value> result);
  /// Binds outputs 0..n-1 to `values`; more requested outputs than values is
  /// an error.
  LogicalResult setResults(ValueRange values);

  /// Starts an error at the node; the graph importer appends the node's name,
  /// op type and opset.
  InFlightDiagnostic error();
  /// `unsupported <what>` error.
  LogicalResult unsupported(const Twine &what);

  /// Normalizes an axis in [-rank, rank) to [0, rank), or reports it.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank, StringRef name = "axis");
  /// Normalizes every entry of `axes` in place (see normalizeAxis).
  LogicalResult normalizeAxes(MutableArrayRef<int64_t> axes, int64_t rank);

  //===--- Building ops ---------------------------------------------------===//

  /// Creates an OpTy with inferred result types (or `resultTypes` when given),
  /// verifies it, and folds it; returns its results (possibly folded values).
  template <typename OpTy>
  FailureOr<SmallVector<Value>> create(ValueRange operands, ArrayRef<NamedAttribute> attrs = {},
                                       TypeRange resultTypes = {});
  /// create() for single-result ops.
  template <typename OpTy>
  FailureOr<Value> create1(ValueRange operands, ArrayRef<NamedAttribute> attrs = {},
                           TypeRange resultTypes = {}) {
    auto results = create<OpTy>(operands, attrs, resultTypes);
    if (failed(results))
      return failure();
    return results->front();
  }

  NamedAttribute namedAttr(StringRef name, Attribute value) {
    return builder.getNamedAttr(name, value);
  }
  Value constant(ElementsAttr value);
  /// A rank-0 constant of `elementType` holding `value`.
  Value scalarConstant(Type elementType, double value);
  /// A splat constant of `type` holding `value`.
  Value splatConstant(RankedTensorType type, double value);
  FailureOr<Value> reshape(Value value, ArrayRef<int64_t> shape);
  FailureOr<Value> transpose(Value value, ArrayRef<int64_t> perm);

  /// Folder of the model file (external data and nested files resolve here).
  StringRef modelDir() const;

  GraphImporter &graph;

private:
  FailureOr<SmallVector<Value>> finishOp(OperationState &state);
};

using ImportRule = LogicalResult (*)(NodeImporter &);
using ImportRuleTable = llvm::StringMap<ImportRule>;

void registerElementwiseRules(ImportRuleTable &table);
void registerNeuralNetRules(ImportRuleTable &table);
void registerShapeRules(ImportRuleTable &table);
void registerRecurrentRules(ImportRuleTable &table);

//===----------------------------------------------------------------------===//
// Template definitions
//===----------------------------------------------------------------------===//

/// How many operands OpTy takes when the number is fixed.
template <typename OpTy> std::optional<unsigned> fixedOperandCount() {
  if constexpr (OpTy::template hasTrait<OpTrait::ZeroOperands>())
    return 0;
  else if constexpr (OpTy::template hasTrait<OpTrait::OneOperand>())
    return 1;
  else if constexpr (OpTy::template hasTrait<OpTrait::NOperands<2>::Impl>())
    return 2;
  else if constexpr (OpTy::template hasTrait<OpTrait::NOperands<3>::Impl>())
    return 3;
  else if constexpr (OpTy::template hasTrait<OpTrait::NOperands<4>::Impl>())
    return 4;
  else
    return std::nullopt;
}

template <typename OpTy>
FailureOr<SmallVector<Value>>
NodeImporter::create(ValueRange operands, ArrayRef<NamedAttribute> attrs, TypeRange resultTypes) {
  MLIRContext *context = builder.getContext();
  // Type inference reads operands by position: a wrong count or a missing
  // operand must be a diagnostic, not a read past the end.
  if (llvm::is_contained(operands, Value()))
    return error() << "an input of '" << OpTy::getOperationName() << "' is missing";
  std::optional<unsigned> expected = fixedOperandCount<OpTy>();
  if (expected && operands.size() != *expected)
    return error() << "'" << OpTy::getOperationName() << "' takes " << *expected
                   << " operands, got " << operands.size();
  OperationState state(loc, OpTy::getOperationName());
  state.addOperands(operands);
  state.addAttributes(attrs);
  if constexpr (!OpTy::template hasTrait<InferTypeOpInterface::Trait>()) {
    state.addTypes(resultTypes);
  } else if (!resultTypes.empty()) {
    state.addTypes(resultTypes);
  } else {
    // The generated builders abort when inference fails; inferring here first
    // turns bad input into a diagnostic instead.
    typename OpTy::Properties properties;
    DictionaryAttr dict = state.attributes.getDictionary(context);
    if (failed(OpTy::setPropertiesFromAttr(properties, dict, [&] { return error(); })))
      return failure();
    SmallVector<Type> inferred;
    if (failed(OpTy::inferReturnTypes(context, loc, state.operands, dict,
                                      OpaqueProperties(&properties), state.regions, inferred)))
      return failure();
    state.addTypes(inferred);
  }
  return finishOp(state);
}

} // namespace mlir::nnc::onnx_import

#endif // NNC_LIB_IMPORTER_ONNX_NODEIMPORTER_H

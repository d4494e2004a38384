//===- ONNXImporter.cpp - ONNX model -> nn dialect -------------------------===//
//
// Reads the model, checks what applies to the whole file (parse, IR version,
// opsets, domains, graph structure), then imports the graph node by node in
// topological order through the per-op rules in Import*.cpp.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/defs/parser.h>
#include <onnx/defs/schema.h>

#include <fstream>
#include <limits>
#include <queue>

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::onnx_import;

namespace {
/// Nested subgraphs deeper than this are refused (guards the native stack).
constexpr unsigned kMaxSubgraphDepth = 16;

/// Names a subgraph uses but does not define: they must come from outside.
void collectOuterReferences(const onnx::GraphProto &graph, llvm::StringSet<> &out) {
  llvm::StringSet<> defined;
  for (const auto &input : graph.input())
    defined.insert(input.name());
  for (const auto &init : graph.initializer())
    defined.insert(init.name());
  for (const auto &node : graph.node())
    for (const auto &name : node.output())
      defined.insert(name);
  auto use = [&](const std::string &name) {
    if (!name.empty() && !defined.contains(name))
      out.insert(name);
  };
  for (const auto &node : graph.node()) {
    for (const auto &name : node.input())
      use(name);
    for (const auto &attr : node.attribute()) {
      llvm::StringSet<> inner;
      if (attr.has_g())
        collectOuterReferences(attr.g(), inner);
      for (const auto &g : attr.graphs())
        collectOuterReferences(g, inner);
      for (const auto &entry : inner)
        use(entry.getKey().str());
    }
  }
  for (const auto &output : graph.output())
    use(output.name());
}

/// Every name a node reads, including the outer references of its subgraphs.
SmallVector<std::string> nodeDependencies(const onnx::NodeProto &node) {
  SmallVector<std::string> deps(node.input().begin(), node.input().end());
  for (const auto &attr : node.attribute()) {
    llvm::StringSet<> outer;
    if (attr.has_g())
      collectOuterReferences(attr.g(), outer);
    for (const auto &g : attr.graphs())
      collectOuterReferences(g, outer);
    for (const auto &entry : outer)
      deps.push_back(entry.getKey().str());
  }
  return deps;
}

/// A node's name for messages: its own, or `<op_type>_<index>`.
std::string nodeName(const onnx::NodeProto &node, size_t index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}
} // namespace

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node, Location loc,
                           int64_t opset)
    : node(node), opset(opset), loc(loc), builder(graph.builder), graph(graph) {}

bool NodeImporter::hasInput(int i) const { return i < node.input_size() && !node.input(i).empty(); }

Value NodeImporter::input(int i) const {
  return hasInput(i) ? graph.lookup(node.input(i)) : Value();
}

FailureOr<Value> NodeImporter::requiredInput(int i) {
  if (!hasInput(i))
    return error() << "expected input #" << i << " to be given";
  return input(i);
}

RankedTensorType NodeImporter::inputType(int i) const {
  return cast<RankedTensorType>(input(i).getType());
}

FailureOr<DenseElementsAttr> NodeImporter::constantInput(int i) {
  if (!hasInput(i))
    return error() << "expected input #" << i << " to be given";
  Value value = input(i);
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    if (auto dense = dyn_cast<DenseElementsAttr>(attr))
      return dense;
  return error() << "input #" << i << " ('" << node.input(i)
                 << "') must be a constant known at compile time; if it is a graph input, "
                    "bind it with --bind-input "
                 << node.input(i) << "=FILE.pb";
}

FailureOr<SmallVector<int64_t>> NodeImporter::constantInts(int i) {
  auto attr = constantInput(i);
  if (failed(attr))
    return failure();
  if (!isa<IntegerType>(attr->getElementType()))
    return error() << "expected input #" << i << " to hold integers";
  SmallVector<int64_t> values;
  for (const APInt &v : attr->getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

FailureOr<SmallVector<double>> NodeImporter::constantFloats(int i) {
  auto attr = constantInput(i);
  if (failed(attr))
    return failure();
  SmallVector<double> values;
  if (isa<FloatType>(attr->getElementType())) {
    for (const APFloat &v : attr->getValues<APFloat>())
      values.push_back(v.convertToDouble());
  } else {
    for (const APInt &v : attr->getValues<APInt>())
      values.push_back(static_cast<double>(v.getSExtValue()));
  }
  return values;
}

const onnx::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::getInt(StringRef name, int64_t defaultValue) const {
  const auto *a = attr(name);
  return a ? a->i() : defaultValue;
}

float NodeImporter::getFloat(StringRef name, float defaultValue) const {
  const auto *a = attr(name);
  return a ? a->f() : defaultValue;
}

std::string NodeImporter::getString(StringRef name, StringRef defaultValue) const {
  const auto *a = attr(name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> NodeImporter::getInts(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<int64_t>(a->ints().begin(), a->ints().end()) : SmallVector<int64_t>();
}

SmallVector<float> NodeImporter::getFloats(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<float>(a->floats().begin(), a->floats().end()) : SmallVector<float>();
}

SmallVector<std::string> NodeImporter::getStrings(StringRef name) const {
  const auto *a = attr(name);
  return a ? SmallVector<std::string>(a->strings().begin(), a->strings().end())
           : SmallVector<std::string>();
}

FailureOr<int64_t> NodeImporter::requireInt(StringRef name) {
  if (!hasAttr(name))
    return error() << "missing required attribute '" << name << "'";
  return getInt(name, 0);
}

bool NodeImporter::hasOutput(int i) const {
  return i < node.output_size() && !node.output(i).empty();
}

void NodeImporter::setResult(int i, Value value) {
  if (hasOutput(i))
    graph.define(node.output(i), value);
}

LogicalResult NodeImporter::setSingleResult(FailureOr<Value> result) {
  if (failed(result))
    return failure();
  setResult(0, *result);
  return success();
}

LogicalResult NodeImporter::setResults(ValueRange values) {
  for (int i = values.size(); i < node.output_size(); ++i)
    if (hasOutput(i))
      return error() << "output #" << i << " is not supported by nnc";
  for (auto [i, value] : llvm::enumerate(values))
    setResult(i, value);
  return success();
}

StringRef NodeImporter::modelDir() const { return graph.modelDir; }

InFlightDiagnostic NodeImporter::error() { return emitError(loc); }

LogicalResult NodeImporter::unsupported(const Twine &what) {
  return error() << "unsupported " << what;
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank, StringRef name) {
  if (axis < -rank || axis >= rank)
    return error() << "expected " << name << " (" << axis << ") to be in [" << -rank << ", " << rank
                   << ")";
  return axis < 0 ? axis + rank : axis;
}

LogicalResult NodeImporter::normalizeAxes(MutableArrayRef<int64_t> axes, int64_t rank) {
  for (int64_t &axis : axes) {
    auto normalized = normalizeAxis(axis, rank, "axes entry");
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  return success();
}

FailureOr<SmallVector<Value>> NodeImporter::finishOp(OperationState &state) {
  Operation *op = builder.create(state);
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(folded)) || folded.empty())
    return SmallVector<Value>(op->getResults());
  SmallVector<Value> results;
  for (auto [result, fold] : llvm::zip(op->getResults(), folded)) {
    if (auto value = dyn_cast<Value>(fold)) {
      results.push_back(value);
      continue;
    }
    results.push_back(constant(cast<ElementsAttr>(cast<Attribute>(fold))));
  }
  op->erase();
  return results;
}

Value NodeImporter::constant(ElementsAttr value) {
  return nn::ConstantOp::create(builder, loc, value);
}

Value NodeImporter::splatConstant(RankedTensorType type, double value) {
  Type element = type.getElementType();
  Attribute scalar;
  if (auto floatType = dyn_cast<FloatType>(element)) {
    scalar = FloatAttr::get(floatType, value);
  } else if (element.isInteger(1)) {
    scalar = builder.getBoolAttr(value != 0);
  } else {
    // Saturating (NaN becomes 0): a float attribute such as Clip's bound can
    // lie outside the integer type, where a C++ cast is undefined.
    llvm::APSInt integer(element.getIntOrFloatBitWidth(), element.isUnsignedInteger());
    bool exact = false;
    (void)llvm::APFloat(value).convertToInteger(integer, llvm::APFloat::rmTowardZero, &exact);
    scalar = IntegerAttr::get(element, integer);
  }
  return constant(DenseElementsAttr::get(type, scalar));
}

Value NodeImporter::scalarConstant(Type elementType, double value) {
  return splatConstant(RankedTensorType::get({}, elementType), value);
}

FailureOr<Value> NodeImporter::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type =
      RankedTensorType::get(shape, cast<RankedTensorType>(value.getType()).getElementType());
  return create1<nn::ReshapeOp>({value}, {}, {type});
}

FailureOr<Value> NodeImporter::transpose(Value value, ArrayRef<int64_t> perm) {
  return create1<nn::TransposeOp>({value}, {namedAttr("perm", builder.getDenseI64ArrayAttr(perm))});
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context, StringRef modelPath, int64_t opset,
                             const ONNXImportOptions &options)
    : context(context), builder(context), modelPath(modelPath.str()), opset(opset),
      options(options), fileLoc(FileLineColLoc::get(context, modelPath, 0, 0)) {
  modelDir = llvm::sys::path::parent_path(modelPath).str();
  if (modelDir.empty())
    modelDir = ".";
  registerElementwiseRules(rules);
  registerNeuralNetRules(rules);
  registerShapeRules(rules);
  registerRecurrentRules(rules);
  rules["If"] = importIf;
}

Value GraphImporter::lookup(StringRef name) const {
  for (const auto &scope : llvm::reverse(scopes)) {
    auto it = scope.find(name);
    if (it != scope.end())
      return it->second;
  }
  return nullptr;
}

FailureOr<RankedTensorType> GraphImporter::inputType(const onnx::ValueInfoProto &info) {
  const auto &type = info.type();
  if (!type.has_tensor_type())
    return emitError(fileLoc) << "unsupported type for graph input '" << info.name()
                              << "': only tensors are supported (not sequences, maps, "
                                 "optionals or sparse tensors)";
  const auto &tensor = type.tensor_type();
  Type element = convertElementType(context, tensor.elem_type());
  if (!element)
    return emitError(fileLoc) << "unsupported ONNX dtype " << onnxTypeName(tensor.elem_type())
                              << " of graph input '" << info.name() << "'";
  auto checked = [&](ArrayRef<int64_t> shape) -> FailureOr<RankedTensorType> {
    auto result = RankedTensorType::get(shape, element);
    std::string problem = tensorSizeProblem(result);
    if (!problem.empty())
      return emitError(fileLoc) << "graph input '" << info.name() << "' " << problem;
    return result;
  };
  auto given = options.inputShapes.find(info.name());
  if (given != options.inputShapes.end()) {
    if (tensor.has_shape() && tensor.shape().dim_size() != (int)given->second.size())
      return emitError(fileLoc) << "--input-shape for '" << info.name() << "' has rank "
                                << given->second.size() << " but the model declares rank "
                                << tensor.shape().dim_size();
    if (tensor.has_shape())
      for (auto [i, dim] : llvm::enumerate(tensor.shape().dim()))
        if (dim.has_dim_value() && dim.dim_value() != given->second[i])
          return emitError(fileLoc)
                 << "--input-shape for '" << info.name() << "' sets dim " << i << " to "
                 << given->second[i] << " but the model fixes it to " << dim.dim_value();
    return checked(given->second);
  }
  if (!tensor.has_shape())
    return emitError(fileLoc) << "graph input '" << info.name()
                              << "' has no shape; give one with --input-shape " << info.name()
                              << "=D0xD1x...";
  SmallVector<int64_t> shape;
  std::string dims;
  bool dynamic = false;
  for (const auto &dim : tensor.shape().dim()) {
    if (!dims.empty())
      dims += "x";
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      dims += std::to_string(dim.dim_value());
    } else {
      dynamic = true;
      dims += dim.has_dim_param() ? dim.dim_param() : "?";
    }
  }
  if (dynamic)
    return emitError(fileLoc) << "graph input '" << info.name() << "' has dynamic dims (" << dims
                              << "); make them static with --input-shape " << info.name()
                              << "=D0xD1x...";
  return checked(shape);
}

LogicalResult GraphImporter::importInitializers(const onnx::GraphProto &graph) {
  for (const auto &init : graph.initializer()) {
    if (init.name().empty())
      return emitError(fileLoc) << "initializer without a name";
    auto value = convertTensor(context, init, modelDir, fileLoc);
    if (failed(value))
      return failure();
    Location loc = NameLoc::get(builder.getStringAttr(init.name()), fileLoc);
    define(init.name(), nn::ConstantOp::create(builder, loc, *value));
  }
  for (const auto &sparse : graph.sparse_initializer())
    return emitError(fileLoc) << "unsupported sparse initializer '" << sparse.values().name()
                              << "'";
  return success();
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph) {
  // Kahn's algorithm: ONNX requires topological order, but a clear message for
  // a cycle or a missing value needs the dependency graph anyway.
  llvm::StringMap<size_t> producer;
  for (auto [i, node] : llvm::enumerate(graph.node()))
    for (const auto &out : node.output()) {
      if (out.empty())
        continue;
      if (lookup(out) || !producer.try_emplace(out, i).second)
        return emitError(fileLoc) << "value '" << out
                                  << "' is defined more than once (again by node '"
                                  << nodeName(node, i) << "')";
    }
  size_t n = graph.node_size();
  std::vector<size_t> pending(n, 0);
  std::vector<SmallVector<size_t>> users(n);
  for (auto [i, node] : llvm::enumerate(graph.node())) {
    llvm::StringSet<> seen;
    for (const std::string &dep : nodeDependencies(node)) {
      if (dep.empty() || !seen.insert(dep).second)
        continue;
      auto it = producer.find(dep);
      if (it != producer.end()) {
        ++pending[i];
        users[it->second].push_back(i);
      } else if (!lookup(dep)) {
        return emitError(fileLoc) << "node '" << nodeName(node, i) << "' ('" << node.op_type()
                                  << "') uses value '" << dep
                                  << "', which is missing (not a graph input, initializer or "
                                     "node output)";
      }
    }
  }
  // Lowest index first: a sorted graph keeps its order, so the IR reads like the model.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push(i);
  size_t imported = 0;
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    if (failed(importNode(graph.node(i), i)))
      return failure();
    ++imported;
    for (size_t user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (imported != n)
    for (size_t i = 0; i < n; ++i)
      if (pending[i] != 0)
        return emitError(fileLoc) << "the graph has a cycle through node '"
                                  << nodeName(graph.node(i), i) << "' ('" << graph.node(i).op_type()
                                  << "')";
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, size_t index) {
  std::string name = nodeName(node, index);
  Location loc = NameLoc::get(builder.getStringAttr(name), fileLoc);
  std::string savedContext = nodeContext;
  llvm::scope_exit restore([&] { nodeContext = savedContext; });
  nodeContext = " (ONNX node '" + name + "', op '" + node.op_type() + "', opset " +
                std::to_string(opset) + ")";
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << "unsupported ONNX op '" << node.op_type() << "' in domain '"
                          << node.domain() << "'";
  // Below kMinSupportedOpset an op is accepted only if its definition did not
  // change up to that opset, so the rules (written from opset 7 on) apply.
  if (opset < kMinSupportedOpset) {
    const auto *atModel = onnx::OpSchemaRegistry::Schema(node.op_type(), opset);
    const auto *atMin = onnx::OpSchemaRegistry::Schema(node.op_type(), kMinSupportedOpset);
    if (!atModel || !atMin || atModel->SinceVersion() != atMin->SinceVersion())
      return emitError(loc) << "unsupported opset " << opset << " for ONNX op '" << node.op_type()
                            << "': nnc imports ops as defined from opset " << kMinSupportedOpset
                            << " on";
  }
  auto rule = rules.find(node.op_type());
  if (rule == rules.end())
    return emitError(loc) << "unsupported ONNX op '" << node.op_type() << "' (opset " << opset
                          << ")";
  // The op's schema at this opset bounds its inputs and outputs; the import
  // rules rely on those bounds. Only opsets the linked libonnx defines in full
  // are checked: for newer ones it would return an older definition (which,
  // for example, lacks Reduce*-18's axes input).
  static const int newestKnownOpset = [] {
    const auto &versions = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    auto range = versions.find(onnx::ONNX_DOMAIN);
    return range == versions.end() ? 0 : range->second.second;
  }();
  if (const onnx::OpSchema *schema = opset <= newestKnownOpset
                                         ? onnx::OpSchemaRegistry::Schema(node.op_type(), opset)
                                         : nullptr) {
    auto checkCount = [&](StringRef what, int count, int min, int max) -> LogicalResult {
      if (count >= min && count <= max)
        return success();
      auto diag = emitError(loc) << "has " << count << " " << what << (count == 1 ? "" : "s")
                                 << "; '" << node.op_type() << "' takes ";
      if (min == max)
        diag << min;
      else if (max == std::numeric_limits<int>::max())
        diag << "at least " << min;
      else
        diag << min << " to " << max;
      return diag;
    };
    if (failed(checkCount("input", node.input_size(), schema->min_input(), schema->max_input())) ||
        failed(checkCount("output", node.output_size(), schema->min_output(),
                          schema->max_output())))
      return failure();
  }
  for (int i = 0; i < node.input_size(); ++i)
    if (!node.input(i).empty() && !isa<RankedTensorType>(lookup(node.input(i)).getType()))
      return emitError(loc) << "input '" << node.input(i) << "' is not a tensor";
  NodeImporter importer(*this, node, loc, opset);
  if (failed(rule->second(importer)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    Value value = lookup(node.output(i));
    if (!value)
      return emitError(loc) << "output #" << i << " ('" << node.output(i)
                            << "') is not supported by nnc";
    if (auto type = dyn_cast<RankedTensorType>(value.getType())) {
      std::string problem = tensorSizeProblem(type);
      if (!problem.empty())
        return emitError(loc) << "output '" << node.output(i) << "' " << problem;
    }
  }
  return success();
}

LogicalResult GraphImporter::importMainGraph(const onnx::GraphProto &graph, func::FuncOp func) {
  scopes.emplace_back();
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  if (failed(importInitializers(graph)))
    return failure();

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  llvm::StringSet<> bound;
  for (const auto &input : graph.input()) {
    // IR < 4 lists initializers among the inputs; they stay constants, and
    // what the input declares must agree with them.
    if (Value init = lookup(input.name())) {
      const auto &declared = input.type().tensor_type();
      auto type = cast<RankedTensorType>(init.getType());
      bool mismatch = declared.elem_type() != 0 &&
                      convertElementType(context, declared.elem_type()) != type.getElementType();
      if (declared.has_shape()) {
        mismatch |= declared.shape().dim_size() != type.getRank();
        for (auto [i, dim] : llvm::enumerate(declared.shape().dim()))
          mismatch |= i < (size_t)type.getRank() && dim.has_dim_value() &&
                      dim.dim_value() != type.getDimSize(i);
      }
      if (mismatch)
        return emitError(fileLoc) << "graph input '" << input.name()
                                  << "' does not match the type of its initializer (" << type
                                  << ")";
      continue;
    }
    auto file = options.boundInputs.find(input.name());
    if (file != options.boundInputs.end()) {
      bound.insert(input.name());
      std::ifstream stream(file->second, std::ios::binary);
      onnx::TensorProto tensor;
      if (!stream || !tensor.ParseFromIstream(&stream))
        return emitError(fileLoc) << "cannot read TensorProto file '" << file->second
                                  << "' bound to input '" << input.name() << "'";
      auto value =
          convertTensor(context, tensor, llvm::sys::path::parent_path(file->second), fileLoc);
      if (failed(value))
        return failure();
      Location loc = NameLoc::get(builder.getStringAttr(input.name()), fileLoc);
      define(input.name(), nn::ConstantOp::create(builder, loc, *value));
      continue;
    }
    auto type = inputType(input);
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  for (const auto &entry : options.boundInputs)
    if (!bound.contains(entry.getKey()))
      return emitError(fileLoc) << "--bind-input names '" << entry.getKey()
                                << "', which is not a graph input";
  for (const auto &entry : options.inputShapes)
    if (!llvm::is_contained(argNames, entry.getKey().str()))
      return emitError(fileLoc) << "--input-shape names '" << entry.getKey()
                                << "', which is not a graph input";
  for (auto [type, name] : llvm::zip(argTypes, argNames))
    define(name, entry->addArgument(type, NameLoc::get(builder.getStringAttr(name), fileLoc)));

  if (failed(importNodes(graph)))
    return failure();

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &output : graph.output()) {
    Value value = lookup(output.name());
    if (!value)
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is missing (no node produces it)";
    auto type = cast<RankedTensorType>(value.getType());
    if (output.type().has_tensor_type()) {
      const auto &declared = output.type().tensor_type();
      Type element = convertElementType(context, declared.elem_type());
      if (declared.elem_type() != 0 && element != type.getElementType())
        return emitError(fileLoc) << "graph output '" << output.name() << "' is declared as "
                                  << onnxTypeName(declared.elem_type()) << " but computes "
                                  << type.getElementType();
      if (declared.has_shape()) {
        bool mismatch = declared.shape().dim_size() != type.getRank();
        for (auto [i, dim] : llvm::enumerate(declared.shape().dim()))
          if (!mismatch && dim.has_dim_value() && dim.dim_value() != type.getDimSize(i))
            mismatch = true;
        if (mismatch)
          return emitError(fileLoc) << "graph output '" << output.name()
                                    << "' has a declared shape that does not match the "
                                       "inferred shape "
                                    << type;
      }
    }
    results.push_back(value);
    resultTypes.push_back(type);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, name] : llvm::enumerate(argNames))
    func.setArgAttr(i, "nn.name", builder.getStringAttr(name));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "nn.name", builder.getStringAttr(output.name()));
  scopes.pop_back();
  return success();
}

LogicalResult GraphImporter::importSubgraph(const onnx::GraphProto &graph, Region &region,
                                            SmallVectorImpl<Type> &yieldedTypes) {
  if (++depth > kMaxSubgraphDepth)
    return emitError(fileLoc) << "subgraphs are nested deeper than " << kMaxSubgraphDepth;
  llvm::scope_exit leave([&] { --depth; });
  if (graph.input_size() != 0)
    return emitError(fileLoc) << "unsupported subgraph with inputs (only If branches are "
                                 "supported)";
  OpBuilder::InsertionGuard guard(builder);
  Block *block = builder.createBlock(&region);
  builder.setInsertionPointToStart(block);
  scopes.emplace_back();
  llvm::scope_exit popScope([&] { scopes.pop_back(); });
  if (failed(importInitializers(graph)) || failed(importNodes(graph)))
    return failure();
  SmallVector<Value> values;
  for (const auto &output : graph.output()) {
    Value value = lookup(output.name());
    if (!value)
      return emitError(fileLoc) << "subgraph output '" << output.name() << "' is missing";
    values.push_back(value);
    yieldedTypes.push_back(value.getType());
  }
  nn::YieldOp::create(builder, fileLoc, values);
  return success();
}

//===----------------------------------------------------------------------===//
// If (control flow needs the graph importer, so its rule lives here)
//===----------------------------------------------------------------------===//

LogicalResult mlir::nnc::onnx_import::importIf(NodeImporter &node) {
  auto condition = node.requiredInput(0);
  if (failed(condition))
    return failure();
  const auto *thenAttr = node.attr("then_branch");
  const auto *elseAttr = node.attr("else_branch");
  if (!thenAttr || !elseAttr || !thenAttr->has_g() || !elseAttr->has_g())
    return node.error() << "missing required attribute 'then_branch' or 'else_branch'";
  // The branches are imported into a placeholder If without results that is
  // already in the graph, so that an If nested in a branch is verified inside
  // a region with a parent; the real If takes the regions once their yielded
  // types are known.
  auto makeIf = [&](TypeRange resultTypes) {
    OperationState state(node.loc, nn::IfOp::getOperationName());
    state.addOperands(*condition);
    state.addRegion();
    state.addRegion();
    state.addTypes(resultTypes);
    return node.builder.create(state);
  };
  Operation *placeholder = makeIf({});
  llvm::scope_exit erasePlaceholder([&] { placeholder->erase(); });
  SmallVector<Type> thenTypes, elseTypes;
  if (failed(node.graph.importSubgraph(thenAttr->g(), placeholder->getRegion(0), thenTypes)) ||
      failed(node.graph.importSubgraph(elseAttr->g(), placeholder->getRegion(1), elseTypes)))
    return failure();
  if (thenTypes != elseTypes)
    return node.error() << "unsupported If whose branches yield different types; nnc needs "
                           "the same static shapes in both";
  Operation *op = makeIf(thenTypes);
  op->getRegion(0).takeBody(placeholder->getRegion(0));
  op->getRegion(1).takeBody(placeholder->getRegion(1));
  if (failed(verify(op)))
    return failure();
  return node.setResults(op->getResults());
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Parses a binary or textual model, with errors located at the file.
static LogicalResult parseModel(StringRef path, Location fileLoc, onnx::ModelProto &model) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer)
    return emitError(fileLoc) << "cannot open the model: " << buffer.getError().message();
  StringRef bytes = (*buffer)->getBuffer();
  if (bytes.empty())
    return emitError(fileLoc) << "the model file is empty";
  if (path.ends_with(".onnxtxt")) {
    try {
      auto status = onnx::OnnxParser::Parse(model, bytes.data());
      if (!status.IsOK())
        return emitError(fileLoc) << "cannot parse ONNX text syntax: " << status.ErrorMessage();
    } catch (const std::exception &e) {
      return emitError(fileLoc) << "cannot parse ONNX text syntax: " << e.what();
    }
    return success();
  }
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return emitError(fileLoc) << "cannot parse the file as an ONNX model protobuf "
                                 "(truncated, corrupt, or not a model)";
  return success();
}

OwningOpRef<ModuleOp> mlir::nnc::importONNXModelFile(MLIRContext *context, StringRef path,
                                                     const ONNXImportOptions &options) {
  context->loadDialect<nn::NNDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  onnx::ModelProto model;
  if (failed(parseModel(path, fileLoc, model)))
    return nullptr;
  if (!model.has_graph())
    return emitError(fileLoc) << "the model has no graph (not an ONNX model?)", nullptr;
  if (model.ir_version() < 3)
    return emitError(fileLoc) << "unsupported ONNX IR version " << model.ir_version()
                              << " (nnc reads IR version 3 and newer)",
           nullptr;
  int64_t opset = -1;
  for (const auto &entry : model.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      opset = entry.version();
  if (opset < 0)
    return emitError(fileLoc) << "the model imports no default-domain (ai.onnx) opset", nullptr;
  if (opset < 1 || opset > kMaxSupportedOpset)
    return emitError(fileLoc) << "unsupported opset " << opset << " of domain ai.onnx (nnc "
                              << "supports " << kMinSupportedOpset << " to " << kMaxSupportedOpset
                              << ", and older opsets for ops unchanged since)",
           nullptr;

  GraphImporter importer(context, path, opset, options);
  // Appends the current node's name, op type and opset to every error.
  ScopedDiagnosticHandler addNodeContext(context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && !importer.nodeContext.empty())
      diag << importer.nodeContext;
    return failure(); // let the next handler print it
  });

  OpBuilder builder(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main", builder.getFunctionType({}, {}));
  if (failed(importer.importMainGraph(model.graph(), func)))
    return nullptr;
  importer.nodeContext.clear();
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

void mlir::nnc::registerONNXImporterDialects(DialectRegistry &registry) {
  registry.insert<nn::NNDialect, func::FuncDialect>();
}

//===- ImportRecurrent.cpp - ONNX LSTM / GRU / RNN -> nn -------------------===//
//
// The nn ops take every operand explicitly in the seq-major layout: omitted
// biases, initial states and peepholes become zero constants, and layout = 1
// (batch-major) is converted with transposes around the op.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::onnx_import;

namespace {
enum class Cell { LSTM, GRU, RNN };

int64_t gateCount(Cell cell) { return cell == Cell::LSTM ? 4 : cell == Cell::GRU ? 3 : 1; }

/// Default activations per direction as ONNX specifies them.
SmallVector<StringRef> defaultActivations(Cell cell) {
  switch (cell) {
  case Cell::LSTM:
    return {"Sigmoid", "Tanh", "Tanh"};
  case Cell::GRU:
    return {"Sigmoid", "Tanh"};
  case Cell::RNN:
    return {"Tanh"};
  }
  return {};
}

/// Input `i` if given, else a zero constant of `shape`.
Value inputOrZeros(NodeImporter &node, int i, ArrayRef<int64_t> shape, Type element) {
  if (node.hasInput(i))
    return node.input(i);
  return node.splatConstant(RankedTensorType::get(shape, element), 0);
}

LogicalResult importRecurrent(NodeImporter &node, Cell cell) {
  auto x = node.requiredInput(0), w = node.requiredInput(1), r = node.requiredInput(2);
  if (failed(x) || failed(w) || failed(r))
    return failure();
  auto xType = node.inputType(0), rType = node.inputType(2);
  if (xType.getRank() != 3 || rType.getRank() != 3)
    return node.error() << "expected X and R of rank 3";
  bool batchMajor = node.getInt("layout", 0) == 1;
  int64_t hidden = node.getInt("hidden_size", rType.getDimSize(2));
  std::string direction = node.getString("direction", "forward");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t gates = gateCount(cell);
  Type element = xType.getElementType();
  OpBuilder &b = node.builder;

  Value input = *x;
  if (batchMajor) {
    auto t = node.transpose(input, {1, 0, 2});
    if (failed(t))
      return failure();
    input = *t;
  }
  int64_t batch = cast<RankedTensorType>(input.getType()).getDimSize(1);
  // Initial states arrive as [batch, dirs, H] in layout 1.
  auto initialState = [&](int i) -> FailureOr<Value> {
    if (!node.hasInput(i))
      return node.splatConstant(RankedTensorType::get({dirs, batch, hidden}, element), 0);
    if (!batchMajor)
      return node.input(i);
    return node.transpose(node.input(i), {1, 0, 2});
  };

  SmallVector<Value> operands{input, *w, *r,
                              inputOrZeros(node, 3, {dirs, 2 * gates * hidden}, element)};
  auto initialH = initialState(5);
  if (failed(initialH))
    return failure();
  operands.push_back(*initialH);
  if (cell == Cell::LSTM) {
    auto initialC = initialState(6);
    if (failed(initialC))
      return failure();
    operands.push_back(*initialC);
    operands.push_back(inputOrZeros(node, 7, {dirs, 3 * hidden}, element));
  }
  if (node.hasInput(4))
    operands.push_back(node.input(4));

  SmallVector<std::string> activations = node.getStrings("activations");
  SmallVector<Attribute> activationAttrs;
  if (activations.empty())
    for (int64_t d = 0; d < dirs; ++d)
      for (StringRef a : defaultActivations(cell))
        activationAttrs.push_back(b.getStringAttr(a));
  for (const std::string &a : activations)
    activationAttrs.push_back(b.getStringAttr(a));
  if ((int64_t)activationAttrs.size() != dirs * (int64_t)defaultActivations(cell).size())
    return node.error() << "expected " << dirs * defaultActivations(cell).size()
                        << " activations (got " << activationAttrs.size() << ")";
  SmallVector<float> alpha = node.getFloats("activation_alpha");
  SmallVector<float> beta = node.getFloats("activation_beta");

  SmallVector<NamedAttribute> attrs{node.namedAttr("hidden_size", b.getI64IntegerAttr(hidden)),
                                    node.namedAttr("direction", b.getStringAttr(direction)),
                                    node.namedAttr("activations", b.getArrayAttr(activationAttrs)),
                                    node.namedAttr("activation_alpha", b.getF32ArrayAttr(alpha)),
                                    node.namedAttr("activation_beta", b.getF32ArrayAttr(beta))};
  if (node.hasAttr("clip"))
    attrs.push_back(node.namedAttr("clip", b.getF32FloatAttr(node.getFloat("clip", 0))));
  FailureOr<SmallVector<Value>> results;
  switch (cell) {
  case Cell::LSTM:
    attrs.push_back(node.namedAttr("input_forget", b.getBoolAttr(node.getInt("input_forget", 0))));
    results = node.create<nn::LSTMOp>(operands, attrs);
    break;
  case Cell::GRU:
    attrs.push_back(node.namedAttr("linear_before_reset",
                                   b.getBoolAttr(node.getInt("linear_before_reset", 0))));
    results = node.create<nn::GRUOp>(operands, attrs);
    break;
  case Cell::RNN:
    results = node.create<nn::RNNOp>(operands, attrs);
    break;
  }
  if (failed(results))
    return failure();
  if (batchMajor) {
    // Y: [seq, dirs, batch, H] -> [batch, seq, dirs, H]; states -> [batch, dirs, H].
    for (auto [i, value] : llvm::enumerate(*results)) {
      auto t = i == 0 ? node.transpose(value, {2, 0, 1, 3}) : node.transpose(value, {1, 0, 2});
      if (failed(t))
        return failure();
      value = *t;
    }
  }
  return node.setResults(*results);
}
} // namespace

void mlir::nnc::onnx_import::registerRecurrentRules(ImportRuleTable &table) {
  table["LSTM"] = [](NodeImporter &n) { return importRecurrent(n, Cell::LSTM); };
  table["GRU"] = [](NodeImporter &n) { return importRecurrent(n, Cell::GRU); };
  table["RNN"] = [](NodeImporter &n) { return importRecurrent(n, Cell::RNN); };
}

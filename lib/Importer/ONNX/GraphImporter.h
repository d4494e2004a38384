//===- GraphImporter.h - ONNX graph -> func.func state ---------*- C++ -*-===//
//
// Private to the importer: scoped value names, node dispatch, and subgraph
// import for control flow.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H
#define NNC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H

#include "NodeImporter.h"

#include "nnc/Importer/ONNX/ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <vector>

namespace mlir::nnc::onnx_import {

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, StringRef modelPath, int64_t opset,
                const ONNXImportOptions &options);

  /// Imports the main graph into `func`'s body and sets its signature.
  LogicalResult importMainGraph(const onnx::GraphProto &graph, func::FuncOp func);
  /// Imports a subgraph (no inputs) into a single-block `region`, ending in an
  /// nn.yield of its outputs; outer values stay visible.
  LogicalResult importSubgraph(const onnx::GraphProto &graph, Region &region,
                               SmallVectorImpl<Type> &yieldedTypes);

  /// Looks `name` up through the enclosing scopes; null when undefined.
  Value lookup(StringRef name) const;
  void define(StringRef name, Value value) { scopes.back()[name] = value; }

  MLIRContext *context;
  OpBuilder builder;
  std::string modelPath;
  std::string modelDir;
  int64_t opset;
  const ONNXImportOptions &options;
  Location fileLoc;
  /// Appended to every error while a node is imported.
  std::string nodeContext;

private:
  LogicalResult importInitializers(const onnx::GraphProto &graph);
  LogicalResult importNodes(const onnx::GraphProto &graph);
  LogicalResult importNode(const onnx::NodeProto &node, size_t index);
  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &info);

  std::vector<llvm::StringMap<Value>> scopes;
  ImportRuleTable rules;
  unsigned depth = 0;
};

/// Import rule for ONNX If (ImportControlFlow in GraphImporter.cpp).
LogicalResult importIf(NodeImporter &node);

} // namespace mlir::nnc::onnx_import

#endif // NNC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H

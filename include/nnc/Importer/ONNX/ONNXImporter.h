//===- ONNXImporter.h - ONNX model -> nn dialect ----------------*- C++ -*-===//
//
// Imports an ONNX model (binary protobuf, or ONNX's textual syntax) into a
// module holding one `func.func @main` in the nn dialect. Every error is an
// MLIR diagnostic located at the model file and, for node-level problems,
// naming the ONNX node, its op type and the opset.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_IMPORTER_ONNX_ONNXIMPORTER_H
#define NNC_IMPORTER_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir::nnc {

struct ONNXImportOptions {
  /// Static shapes for graph inputs whose dims are symbolic or unknown
  /// (`--input-shape NAME=1x3x224x224`).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Graph inputs to fold into constants, each read from an ONNX TensorProto
  /// file (`--bind-input NAME=FILE.pb`). This specializes a model whose shape-
  /// deciding operands (Reshape's shape, Slice's starts) arrive as inputs.
  llvm::StringMap<std::string> boundInputs;
};

/// Lowest and highest default-domain opset the importer accepts.
constexpr int64_t kMinSupportedOpset = 7;
/// Versions after 21 of the ops nnc imports only add element types (bf16, float4,
/// float8, int2, float6) or, for Range-27 and Mod-28, specify float cases nnc already
/// computes that way; 28 is the newest opset onnx 1.23 defines.
constexpr int64_t kMaxSupportedOpset = 28;

/// Imports the model at `path`. A path ending in `.onnxtxt` is read as ONNX
/// text syntax. Returns null after emitting diagnostics on failure.
OwningOpRef<ModuleOp> importONNXModelFile(MLIRContext *context, llvm::StringRef path,
                                          const ONNXImportOptions &options);

/// Registers the dialects the importer creates ops of.
void registerONNXImporterDialects(DialectRegistry &registry);

} // namespace mlir::nnc

#endif // NNC_IMPORTER_ONNX_ONNXIMPORTER_H

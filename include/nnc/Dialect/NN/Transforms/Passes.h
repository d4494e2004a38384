//===- Passes.h - graph-level passes on nn ----------------------*- C++ -*-===//

#ifndef NNC_DIALECT_NN_TRANSFORMS_PASSES_H
#define NNC_DIALECT_NN_TRANSFORMS_PASSES_H

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::nnc::nn {

#define GEN_PASS_DECL
#include "nnc/Dialect/NN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nnc/Dialect/NN/Transforms/Passes.h.inc"

} // namespace mlir::nnc::nn

#endif // NNC_DIALECT_NN_TRANSFORMS_PASSES_H

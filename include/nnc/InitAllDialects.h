//===- InitAllDialects.h - every dialect nnc's tools load -------*- C++ -*-===//

#ifndef NNC_INITALLDIALECTS_H
#define NNC_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"
#include "nnc/Dialect/NN/IR/NNDialect.h"

namespace mlir::nnc {

/// Adds nnc's own dialects to `registry` (the tools add upstream ones too).
inline void registerAllNNCDialects(DialectRegistry &registry) { registry.insert<nn::NNDialect>(); }

} // namespace mlir::nnc

#endif // NNC_INITALLDIALECTS_H

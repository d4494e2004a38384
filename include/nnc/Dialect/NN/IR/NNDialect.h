//===- NNDialect.h - nn dialect declaration ---------------------*- C++ -*-===//

#ifndef NNC_DIALECT_NN_IR_NNDIALECT_H
#define NNC_DIALECT_NN_IR_NNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "nnc/Dialect/NN/IR/NNOpsDialect.h.inc"

#endif // NNC_DIALECT_NN_IR_NNDIALECT_H

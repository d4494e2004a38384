//===- NNDialect.cpp - nn dialect registration ----------------------------===//

#include "nnc/Dialect/NN/IR/NNDialect.h"

#include "nnc/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace mlir::nnc::nn;

#include "nnc/Dialect/NN/IR/NNOpsDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "nnc/Dialect/NN/IR/NNOps.cpp.inc"
      >();
}

/// Folders return attributes; they become `nn.constant`s.
Operation *NNDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                          Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

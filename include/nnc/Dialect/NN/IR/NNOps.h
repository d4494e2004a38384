//===- NNOps.h - nn dialect operations --------------------------*- C++ -*-===//

#ifndef NNC_DIALECT_NN_IR_NNOPS_H
#define NNC_DIALECT_NN_IR_NNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "nnc/Dialect/NN/IR/NNDialect.h"

namespace mlir::nnc::nn {

//===----------------------------------------------------------------------===//
// Shape inference shared by op families (defined in NNOps.cpp)
//===----------------------------------------------------------------------===//

/// Numpy-style broadcast of two operands with the same element type; the result
/// has that element type.
LogicalResult inferBroadcastResult(std::optional<Location> loc, Type lhs, Type rhs,
                                   SmallVectorImpl<Type> &types);
/// Like inferBroadcastResult but the exponent may have another element type.
LogicalResult inferPowResult(std::optional<Location> loc, Type lhs, Type rhs,
                             SmallVectorImpl<Type> &types);
/// `rhs` must broadcast to `lhs`'s shape; the result is `lhs`'s type.
LogicalResult inferUnidirectionalBroadcastResult(std::optional<Location> loc, Type lhs, Type rhs,
                                                 SmallVectorImpl<Type> &types);
/// Broadcast of two same-typed operands; the result is a bool (i1) tensor.
LogicalResult inferCompareResult(std::optional<Location> loc, Type lhs, Type rhs,
                                 SmallVectorImpl<Type> &types);
/// Result type equals the input type; `axis` must lie in [0, rank).
LogicalResult inferSameTypeWithAxis(std::optional<Location> loc, Type input, int64_t axis,
                                    SmallVectorImpl<Type> &types);
/// Reduction over sorted unique `axes`, keeping them as size 1 when `keepdims`.
LogicalResult inferReduceResult(std::optional<Location> loc, Type input, ArrayRef<int64_t> axes,
                                bool keepdims, SmallVectorImpl<Type> &types);
/// ArgMax / ArgMin over one axis; the result holds i64 indices.
LogicalResult inferArgReduceResult(std::optional<Location> loc, Type input, int64_t axis,
                                   bool keepdims, SmallVectorImpl<Type> &types);

/// Numpy broadcast of two static shapes, or failure if they are incompatible.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs);

/// Output size of one spatial dim of a convolution or pooling window.
int64_t windowOutputSize(int64_t input, int64_t kernel, int64_t stride, int64_t dilation,
                         int64_t padBegin, int64_t padEnd, bool ceilMode);

/// The raw little-endian element bytes of a constant, or an empty range when
/// they are not available (splats, elided resources, bit-packed bools).
ArrayRef<char> getRawElementBytes(ElementsAttr value);

} // namespace mlir::nnc::nn

#define GET_OP_CLASSES
#include "nnc/Dialect/NN/IR/NNOps.h.inc"

#endif // NNC_DIALECT_NN_IR_NNOPS_H

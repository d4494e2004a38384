//===- StructuredBuilders.h - building blocks of the nn lowering -*- C++ -*-===//
//
// Private to lib/Conversion/NNToLinalg: the linalg/tensor constructions that
// several op categories share (broadcasting elementwise generics, reshapes,
// filled tensors, scalar constants).
//
//===----------------------------------------------------------------------===//

#ifndef NNC_LIB_CONVERSION_NNTOLINALG_STRUCTUREDBUILDERS_H
#define NNC_LIB_CONVERSION_NNTOLINALG_STRUCTUREDBUILDERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::nnc::lowering {

using ScalarBodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Map from the loops of a result of `resultShape` to an operand of
/// `operandShape` that broadcasts to it (numpy rules: missing leading dims and
/// size-1 dims read index 0).
AffineMap broadcastMap(MLIRContext *context, ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape);

/// True when arith can take every operand and result element type as is: it
/// wants signless integers, and nnc's ui8 needs a type conversion not written yet.
bool hasSignlessElements(Operation *op);

/// A linalg.generic computing `resultType` elementwise from `inputs`, each
/// broadcast to the result shape; `body` maps the scalar inputs to the result.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                       ScalarBodyFn body);

/// A copy of `input` into a new tensor of `type` whose element at index i is
/// `input[inMap(i)]` (a transpose, tiling, im2col, ...).
Value copyThroughMap(OpBuilder &b, Location loc, Value input, RankedTensorType type,
                     AffineMap inMap);

/// `value` reshaped to `type` (same element count) with collapse/expand_shape.
Value reshapeTensor(OpBuilder &b, Location loc, Value value, RankedTensorType type);

/// An arith constant of scalar `type` holding `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The lowest (or highest) value of an element type: -inf/+inf for floats.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest);

/// A tensor of `type` filled with `scalar`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value scalar);

/// A tensor of `type` filled with zeros: the accumulator of a contraction.
Value zeros(OpBuilder &b, Location loc, RankedTensorType type);

/// acc + x * y (args: x, y, acc); for floats allowed to fuse into one FMA (as
/// every BLAS does), which the loops that are not register-blocked kernels
/// (grouped and depthwise convolutions) otherwise issue as a multiply and an add.
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args);

/// A generic of `type` summing inputs[0] * inputs[1] over its reduction
/// loops into a zero-filled result.
Value contractionGeneric(OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
                         ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators);

/// Pads `value` with `padValue`: `low`/`high` per dim (non-negative).
Value padTensor(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue);

/// Floating-point or integer arithmetic picked by the element type.
Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs);

} // namespace mlir::nnc::lowering

#endif // NNC_LIB_CONVERSION_NNTOLINALG_STRUCTUREDBUILDERS_H

//===- StructuredBuilders.cpp - building blocks of the nn lowering --------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

AffineMap lowering::broadcastMap(MLIRContext *context, ArrayRef<int64_t> operandShape,
                                 ArrayRef<int64_t> resultShape) {
  int64_t offset = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operandShape)) {
    int64_t dim = offset + i;
    exprs.push_back(size == 1 && resultShape[dim] != 1 ? getAffineConstantExpr(0, context)
                                                       : getAffineDimExpr(dim, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

bool lowering::hasSignlessElements(Operation *op) {
  auto signless = [](Type t) {
    Type e = getElementTypeOrSelf(t);
    return !isa<IntegerType>(e) || e.isSignlessInteger();
  };
  return llvm::all_of(op->getOperandTypes(), signless) &&
         llvm::all_of(op->getResultTypes(), signless);
}

Value lowering::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                 ValueRange inputs, ScalarBodyFn body) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(context, cast<RankedTensorType>(input.getType()).getShape(),
                                resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
  auto generic =
      linalg::GenericOp::create(b, loc, resultType, inputs, init, maps, iterators,
                                [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                                  Value result = body(nested, nestedLoc, args.drop_back());
                                  linalg::YieldOp::create(nested, nestedLoc, result);
                                });
  return generic.getResult(0);
}

Value lowering::copyThroughMap(OpBuilder &b, Location loc, Value input, RankedTensorType type,
                               AffineMap inMap) {
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(type.getRank(), utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, input, init,
             ArrayRef<AffineMap>{inMap, b.getMultiDimIdentityMap(type.getRank())}, iterators,
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

Value lowering::reshapeTensor(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  auto source = cast<RankedTensorType>(value.getType());
  if (source == type)
    return value;
  if (source.getRank() > type.getRank()) {
    if (auto groups = getReassociationIndicesForCollapse(source.getShape(), type.getShape()))
      return tensor::CollapseShapeOp::create(b, loc, type, value, *groups);
  } else if (source.getRank() < type.getRank()) {
    if (auto groups = getReassociationIndicesForCollapse(type.getShape(), source.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, type, value, *groups);
  }
  // No single collapse/expand: go through the flat shape.
  auto flat = RankedTensorType::get({source.getNumElements()}, source.getElementType());
  Value collapsed = value;
  if (source.getRank() != 1) {
    SmallVector<ReassociationIndices> all(1);
    for (int64_t d = 0; d < source.getRank(); ++d)
      all[0].push_back(d);
    if (source.getRank() == 0)
      all.clear();
    collapsed = tensor::CollapseShapeOp::create(b, loc, flat, value, all);
  }
  if (type.getRank() == 1)
    return collapsed;
  SmallVector<ReassociationIndices> all(type.getRank() == 0 ? 0 : 1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    all[0].push_back(d);
  return tensor::ExpandShapeOp::create(b, loc, type, collapsed, all);
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowering::extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  bool isUnsigned = type.isUnsignedInteger() || width == 1;
  APInt value = isUnsigned
                    ? (lowest ? APInt::getMinValue(width) : APInt::getMaxValue(width))
                    : (lowest ? APInt::getSignedMinValue(width) : APInt::getSignedMaxValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value lowering::filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value scalar) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value lowering::padTensor(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> low,
                          ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (auto [size, l, h] : llvm::zip(type.getShape(), low, high))
    shape.push_back(size + l + h);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lowValues, highValues;
  for (auto [l, h] : llvm::zip(low, high)) {
    lowValues.push_back(b.getIndexAttr(l));
    highValues.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, resultType, value, lowValues, highValues, padValue);
}

Value lowering::createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

Value lowering::createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

Value lowering::createMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  if (lhs.getType().isUnsignedInteger() || lhs.getType().isInteger(1))
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

Value lowering::zeros(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type, scalarConstant(b, loc, type.getElementType(), 0));
}

Value lowering::multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  if (!isa<FloatType>(args[2].getType()))
    return createAdd(b, loc, args[2], createMul(b, loc, args[0], args[1]));
  auto contract = arith::FastMathFlags::contract;
  Value product = arith::MulFOp::create(b, loc, args[0], args[1], contract);
  return arith::AddFOp::create(b, loc, args[2], product, contract);
}

Value lowering::contractionGeneric(OpBuilder &b, Location loc, RankedTensorType type,
                                   ValueRange inputs, ArrayRef<AffineMap> maps,
                                   ArrayRef<utils::IteratorType> iterators) {
  return linalg::GenericOp::create(b, loc, type, inputs, zeros(b, loc, type), maps, iterators,
                                   [](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l,
                                                             multiplyAccumulate(nb, l, args));
                                   })
      .getResult(0);
}

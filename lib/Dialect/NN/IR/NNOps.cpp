//===- NNOps.cpp - nn op shape inference and verifiers ---------------------===//
//
// Every nn op either infers its result types here (InferTypeOpInterface; the
// generated verifier then checks the IR against the inference) or verifies a
// result type that its attributes cannot determine.
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::nnc::nn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {
/// Prints a shape as 2x3x4 (or "scalar") for diagnostics.
std::string shapeString(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

RankedTensorType tensorOf(Type type) { return cast<RankedTensorType>(type); }

/// Checks that `values` has `expected` entries.
LogicalResult checkArraySize(std::optional<Location> loc, StringRef name, ArrayRef<int64_t> values,
                             size_t expected) {
  if (values.size() != expected)
    return emitOptionalError(loc, "expected '", name, "' to have ", expected, " entries (got ",
                             values.size(), ")");
  return success();
}

/// Checks that every entry of `values` is at least `minimum`.
LogicalResult checkAllAtLeast(std::optional<Location> loc, StringRef name, ArrayRef<int64_t> values,
                              int64_t minimum) {
  for (int64_t v : values)
    if (v < minimum)
      return emitOptionalError(loc, "expected every '", name, "' entry to be >= ", minimum,
                               " (got ", v, ")");
  return success();
}

/// Checks that `axis` lies in [0, rank).
LogicalResult checkAxis(std::optional<Location> loc, StringRef name, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "expected ", name, " (", axis, ") to be in [0, ", rank, ")");
  return success();
}
} // namespace

FailureOr<SmallVector<int64_t>> mlir::nnc::nn::broadcastShapes(ArrayRef<int64_t> lhs,
                                                               ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l != r && l != 1 && r != 1)
      return failure();
    result[i] = l == 1 ? r : l;
  }
  return result;
}

int64_t mlir::nnc::nn::windowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                                        int64_t dilation, int64_t padBegin, int64_t padEnd,
                                        bool ceilMode) {
  int64_t span = input + padBegin + padEnd - ((kernel - 1) * dilation + 1);
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // With ceil mode the last window must start inside the input or the begin padding.
  if (ceilMode && (out - 1) * stride >= input + padBegin)
    --out;
  return out;
}

//===----------------------------------------------------------------------===//
// Shared inference functions
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcastShape(std::optional<Location> loc, Type lhsType, Type rhsType,
                                         Type elementType, SmallVectorImpl<Type> &types) {
  auto lhs = tensorOf(lhsType), rhs = tensorOf(rhsType);
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape());
  if (failed(shape))
    return emitOptionalError(loc, "expected broadcast-compatible shapes (",
                             shapeString(lhs.getShape()), " vs ", shapeString(rhs.getShape()), ")");
  types.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

static LogicalResult checkSameElementType(std::optional<Location> loc, Type lhs, Type rhs) {
  if (getElementTypeOrSelf(lhs) != getElementTypeOrSelf(rhs))
    return emitOptionalError(loc, "expected operands with the same element type (",
                             getElementTypeOrSelf(lhs), " vs ", getElementTypeOrSelf(rhs), ")");
  return success();
}

LogicalResult mlir::nnc::nn::inferBroadcastResult(std::optional<Location> loc, Type lhs, Type rhs,
                                                  SmallVectorImpl<Type> &types) {
  if (failed(checkSameElementType(loc, lhs, rhs)))
    return failure();
  return inferBroadcastShape(loc, lhs, rhs, getElementTypeOrSelf(lhs), types);
}

LogicalResult mlir::nnc::nn::inferPowResult(std::optional<Location> loc, Type lhs, Type rhs,
                                            SmallVectorImpl<Type> &types) {
  return inferBroadcastShape(loc, lhs, rhs, getElementTypeOrSelf(lhs), types);
}

LogicalResult mlir::nnc::nn::inferUnidirectionalBroadcastResult(std::optional<Location> loc,
                                                                Type lhs, Type rhs,
                                                                SmallVectorImpl<Type> &types) {
  if (failed(checkSameElementType(loc, lhs, rhs)))
    return failure();
  auto shape = broadcastShapes(tensorOf(lhs).getShape(), tensorOf(rhs).getShape());
  if (failed(shape) || ArrayRef<int64_t>(*shape) != tensorOf(lhs).getShape())
    return emitOptionalError(loc, "expected shape ", shapeString(tensorOf(rhs).getShape()),
                             " to broadcast to ", shapeString(tensorOf(lhs).getShape()));
  types.push_back(lhs);
  return success();
}

LogicalResult mlir::nnc::nn::inferCompareResult(std::optional<Location> loc, Type lhs, Type rhs,
                                                SmallVectorImpl<Type> &types) {
  if (failed(checkSameElementType(loc, lhs, rhs)))
    return failure();
  return inferBroadcastShape(loc, lhs, rhs, IntegerType::get(lhs.getContext(), 1), types);
}

LogicalResult mlir::nnc::nn::inferSameTypeWithAxis(std::optional<Location> loc, Type input,
                                                   int64_t axis, SmallVectorImpl<Type> &types) {
  if (failed(checkAxis(loc, "axis", axis, tensorOf(input).getRank())))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult mlir::nnc::nn::inferReduceResult(std::optional<Location> loc, Type input,
                                               ArrayRef<int64_t> axes, bool keepdims,
                                               SmallVectorImpl<Type> &types) {
  auto type = tensorOf(input);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (failed(checkAxis(loc, "axis", axis, type.getRank())))
      return failure();
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "expected axes to be sorted and unique");
  }
  SmallVector<int64_t> shape;
  for (auto [dim, size] : llvm::enumerate(type.getShape())) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(dim)))
      shape.push_back(size);
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult mlir::nnc::nn::inferArgReduceResult(std::optional<Location> loc, Type input,
                                                  int64_t axis, bool keepdims,
                                                  SmallVectorImpl<Type> &types) {
  SmallVector<Type> reduced;
  if (failed(inferReduceResult(loc, input, {axis}, keepdims, reduced)))
    return failure();
  types.push_back(RankedTensorType::get(tensorOf(reduced[0]).getShape(),
                                        IntegerType::get(input.getContext(), 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("expected approximate to be \"none\" or \"tanh\" (got \"")
           << getApproximate() << "\")";
  return success();
}

LogicalResult TriluOp::verify() {
  if (getInput().getType().getRank() < 2)
    return emitOpError("expected an input of rank >= 2 (got ")
           << getInput().getType().getRank() << ")";
  return success();
}

LogicalResult ClipOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Type input = adaptor.getInput().getType();
  for (Value bound : {adaptor.getMin(), adaptor.getMax()}) {
    if (tensorOf(bound.getType()).getRank() != 0)
      return emitOptionalError(loc, "expected min and max to be rank-0 tensors");
    if (failed(checkSameElementType(loc, input, bound.getType())))
      return failure();
  }
  types.push_back(input);
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  SmallVector<Type> valueType;
  if (failed(inferBroadcastResult(loc, adaptor.getLhs().getType(), adaptor.getRhs().getType(),
                                  valueType)))
    return failure();
  return inferBroadcastShape(loc, adaptor.getCondition().getType(), valueType[0],
                             getElementTypeOrSelf(valueType[0]), types);
}

LogicalResult IsInfOp::inferReturnTypes(MLIRContext *context, std::optional<Location>,
                                        Adaptor adaptor, SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get(tensorOf(adaptor.getInput().getType()).getShape(),
                                        IntegerType::get(context, 1)));
  return success();
}

LogicalResult IsNaNOp::inferReturnTypes(MLIRContext *context, std::optional<Location>,
                                        Adaptor adaptor, SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get(tensorOf(adaptor.getInput().getType()).getShape(),
                                        IntegerType::get(context, 1)));
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &types) {
  return inferSameTypeWithAxis(loc, adaptor.getInput().getType(), adaptor.getAxis(), types);
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto indices = tensorOf(adaptor.getIndices().getType());
  auto values = tensorOf(adaptor.getValues().getType());
  if (values.getRank() != 1 || values.getDimSize(0) != 2)
    return emitOptionalError(loc, "expected values of shape 2 [off, on] (got ",
                             shapeString(values.getShape()), ")");
  if (adaptor.getDepth() < 1)
    return emitOptionalError(loc, "expected a positive depth (got ", adaptor.getDepth(), ")");
  if (failed(checkAxis(loc, "axis", adaptor.getAxis(), indices.getRank() + 1)))
    return failure();
  SmallVector<int64_t> shape(indices.getShape());
  shape.insert(shape.begin() + adaptor.getAxis(), adaptor.getDepth());
  types.push_back(RankedTensorType::get(shape, values.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul, convolution, pooling
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto lhs = tensorOf(adaptor.getLhs().getType()), rhs = tensorOf(adaptor.getRhs().getType());
  if (failed(checkSameElementType(loc, lhs, rhs)))
    return failure();
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "expected operands of rank >= 2 (got ", lhs.getRank(), " and ",
                             rhs.getRank(), ")");
  int64_t m = lhs.getDimSize(lhs.getRank() - 2), k = lhs.getDimSize(lhs.getRank() - 1);
  int64_t k2 = rhs.getDimSize(rhs.getRank() - 2), n = rhs.getDimSize(rhs.getRank() - 1);
  if (k != k2)
    return emitOptionalError(loc, "expected contraction dims to match (", k, " vs ", k2, ")");
  auto batch = broadcastShapes(lhs.getShape().drop_back(2), rhs.getShape().drop_back(2));
  if (failed(batch))
    return emitOptionalError(loc, "expected broadcast-compatible batch dims (",
                             shapeString(lhs.getShape().drop_back(2)), " vs ",
                             shapeString(rhs.getShape().drop_back(2)), ")");
  SmallVector<int64_t> shape(*batch);
  shape.append({m, n});
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

/// Checks the window attributes shared by conv, conv_transpose and pooling:
/// one stride and dilation per spatial dim, 2 * spatial pads.
static LogicalResult checkWindowAttrs(std::optional<Location> loc, int64_t spatialRank,
                                      ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                                      ArrayRef<int64_t> pads) {
  if (failed(checkArraySize(loc, "strides", strides, spatialRank)) ||
      failed(checkArraySize(loc, "dilations", dilations, spatialRank)) ||
      failed(checkArraySize(loc, "pads", pads, 2 * spatialRank)) ||
      failed(checkAllAtLeast(loc, "strides", strides, 1)) ||
      failed(checkAllAtLeast(loc, "dilations", dilations, 1)) ||
      failed(checkAllAtLeast(loc, "pads", pads, 0)))
    return failure();
  return success();
}

/// Checks the input/weight/bias of conv and conv_transpose;
/// `inputChannelsPerGroup` is what the weight holds, `channelDim` the input's
/// channel dim.
static LogicalResult checkConvOperands(std::optional<Location> loc, RankedTensorType input,
                                       RankedTensorType weight, Value bias, int64_t group,
                                       int64_t inputChannelsPerGroup, int64_t outChannels,
                                       int64_t channelDim = 1) {
  if (input.getRank() < 3)
    return emitOptionalError(loc, "expected input of rank >= 3 (got ", input.getRank(), ")");
  if (weight.getRank() != input.getRank())
    return emitOptionalError(loc, "expected weight rank (", weight.getRank(),
                             ") to match input rank (", input.getRank(), ")");
  if (failed(checkSameElementType(loc, input, weight)))
    return failure();
  int64_t inChannels = input.getDimSize(channelDim);
  if (group < 1 || inChannels % group != 0)
    return emitOptionalError(loc, "expected group (", group, ") to divide input channels (",
                             inChannels, ")");
  if (inChannels / group != inputChannelsPerGroup)
    return emitOptionalError(loc, "expected input channels / group (", inChannels / group,
                             ") to match weight (", inputChannelsPerGroup, ")");
  if (bias) {
    auto biasType = tensorOf(bias.getType());
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != outChannels)
      return emitOptionalError(loc, "expected bias of shape ", outChannels, " (got ",
                               shapeString(biasType.getShape()), ")");
  }
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto weight = tensorOf(adaptor.getWeight().getType());
  int64_t spatial = input.getRank() - 2;
  // Weight [F, C/G, K...], or [K..., C/G, F] channels-last.
  bool channelsLast = adaptor.getChannelsLast();
  int64_t wRank = weight.getRank();
  int64_t filterDim = channelsLast ? wRank - 1 : 0, cPerGroupDim = channelsLast ? wRank - 2 : 1,
          firstKernelDim = channelsLast ? 0 : 2;
  if (wRank >= 2 &&
      failed(checkConvOperands(loc, input, weight, adaptor.getBias(), adaptor.getGroup(),
                               weight.getDimSize(cPerGroupDim), weight.getDimSize(filterDim),
                               channelsLast ? input.getRank() - 1 : 1)))
    return failure();
  if (wRank < 2)
    return emitOptionalError(loc, "expected weight of rank >= 2");
  int64_t filters = weight.getDimSize(filterDim);
  if (filters % adaptor.getGroup() != 0)
    return emitOptionalError(loc, "expected group (", adaptor.getGroup(),
                             ") to divide output channels (", filters, ")");
  if (failed(checkWindowAttrs(loc, spatial, adaptor.getStrides(), adaptor.getDilations(),
                              adaptor.getPads())))
    return failure();
  int64_t firstSpatial = channelsLast ? 1 : 2;
  SmallVector<int64_t> shape{input.getDimSize(0)};
  if (!channelsLast)
    shape.push_back(filters);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = windowOutputSize(input.getDimSize(firstSpatial + i),
                                   weight.getDimSize(firstKernelDim + i),
                                   adaptor.getStrides()[i], adaptor.getDilations()[i],
                                   adaptor.getPads()[i], adaptor.getPads()[i + spatial],
                                   /*ceilMode=*/false);
    if (out < 1)
      return emitOptionalError(loc, "expected the kernel to fit the padded input in dim ",
                               firstSpatial + i);
    shape.push_back(out);
  }
  if (channelsLast)
    shape.push_back(filters);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto weight = tensorOf(adaptor.getWeight().getType());
  if (weight.getRank() < 2)
    return emitOptionalError(loc, "expected weight of rank >= 2");
  int64_t group = adaptor.getGroup();
  int64_t outChannels = weight.getDimSize(1) * group;
  if (failed(checkConvOperands(loc, input, weight, adaptor.getBias(), group,
                               weight.getDimSize(0) / std::max<int64_t>(group, 1), outChannels)))
    return failure();
  if (weight.getDimSize(0) != input.getDimSize(1))
    return emitOptionalError(loc, "expected weight dim 0 (", weight.getDimSize(0),
                             ") to match input channels (", input.getDimSize(1), ")");
  int64_t spatial = input.getRank() - 2;
  if (failed(checkWindowAttrs(loc, spatial, adaptor.getStrides(), adaptor.getDilations(),
                              adaptor.getPads())) ||
      failed(checkArraySize(loc, "output_padding", adaptor.getOutputPadding(), spatial)))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), outChannels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = adaptor.getStrides()[i] * (input.getDimSize(i + 2) - 1) +
                  adaptor.getOutputPadding()[i] +
                  (weight.getDimSize(i + 2) - 1) * adaptor.getDilations()[i] + 1 -
                  adaptor.getPads()[i] - adaptor.getPads()[i + spatial];
    if (out < 1)
      return emitOptionalError(loc, "expected a positive output size in dim ", i + 2, " (got ", out,
                               ")");
    shape.push_back(out);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

/// Output shape of max_pool / avg_pool.
static FailureOr<RankedTensorType> inferPoolResult(std::optional<Location> loc,
                                                   RankedTensorType input, ArrayRef<int64_t> kernel,
                                                   ArrayRef<int64_t> strides,
                                                   ArrayRef<int64_t> dilations,
                                                   ArrayRef<int64_t> pads, bool ceilMode) {
  if (input.getRank() < 3)
    return emitOptionalError(loc, "expected input of rank >= 3 (got ", input.getRank(), ")");
  int64_t spatial = input.getRank() - 2;
  if (failed(checkArraySize(loc, "kernel_shape", kernel, spatial)) ||
      failed(checkAllAtLeast(loc, "kernel_shape", kernel, 1)) ||
      failed(checkWindowAttrs(loc, spatial, strides, dilations, pads)))
    return failure();
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int64_t i = 0; i < spatial; ++i) {
    if (pads[i] >= kernel[i] || pads[i + spatial] >= kernel[i])
      return emitOptionalError(loc, "expected pads smaller than the kernel in dim ", i + 2);
    int64_t out = windowOutputSize(input.getDimSize(i + 2), kernel[i], strides[i], dilations[i],
                                   pads[i], pads[i + spatial], ceilMode);
    if (out < 1)
      return emitOptionalError(loc, "expected the window to fit the padded input in dim ", i + 2);
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, input.getElementType());
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *context, std::optional<Location> loc,
                                          Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto result = inferPoolResult(loc, tensorOf(adaptor.getInput().getType()),
                                adaptor.getKernelShape(), adaptor.getStrides(),
                                adaptor.getDilations(), adaptor.getPads(), adaptor.getCeilMode());
  if (failed(result))
    return failure();
  if (adaptor.getStorageOrder() != 0 && adaptor.getStorageOrder() != 1)
    return emitOptionalError(loc, "expected storage_order 0 or 1 (got ", adaptor.getStorageOrder(),
                             ")");
  types.push_back(*result);
  types.push_back(RankedTensorType::get(result->getShape(), IntegerType::get(context, 64)));
  return success();
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto result = inferPoolResult(loc, tensorOf(adaptor.getInput().getType()),
                                adaptor.getKernelShape(), adaptor.getStrides(),
                                adaptor.getDilations(), adaptor.getPads(), adaptor.getCeilMode());
  if (failed(result))
    return failure();
  types.push_back(*result);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

/// Checks that each of `params` is a rank-1 tensor of `channels` elements of the
/// input's element type.
static LogicalResult checkChannelParams(std::optional<Location> loc, RankedTensorType input,
                                        ValueRange params) {
  if (input.getRank() < 2)
    return emitOptionalError(loc, "expected input of rank >= 2 (got ", input.getRank(), ")");
  int64_t channels = input.getDimSize(1);
  for (Value param : params) {
    auto type = tensorOf(param.getType());
    if (type.getRank() != 1 || type.getDimSize(0) != channels)
      return emitOptionalError(loc, "expected per-channel parameters of shape ", channels, " (got ",
                               shapeString(type.getShape()), ")");
    if (failed(checkSameElementType(loc, input, type)))
      return failure();
  }
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  if (failed(checkChannelParams(
          loc, input,
          {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(), adaptor.getVariance()})))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult InstanceNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                               Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  if (input.getRank() < 3)
    return emitOptionalError(loc, "expected input of rank >= 3 (got ", input.getRank(), ")");
  if (failed(checkChannelParams(loc, input, {adaptor.getScale(), adaptor.getBias()})))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *context, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  SmallVector<Value, 2> params{adaptor.getScale()};
  if (adaptor.getBias())
    params.push_back(adaptor.getBias());
  for (Value param : params) {
    auto type = tensorOf(param.getType());
    if (failed(checkSameElementType(loc, input, type)))
      return failure();
    auto shape = broadcastShapes(normalized, type.getShape());
    if (failed(shape) || ArrayRef<int64_t>(*shape) != normalized)
      return emitOptionalError(loc, "expected scale and bias to broadcast to ",
                               shapeString(normalized), " (got ", shapeString(type.getShape()),
                               ")");
  }
  SmallVector<int64_t> statShape(input.getShape());
  for (int64_t i = axis; i < input.getRank(); ++i)
    statShape[i] = 1;
  auto statType = RankedTensorType::get(statShape, Float32Type::get(context));
  types.append({input, statType, statType});
  return success();
}

LogicalResult MeanVarianceNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                   Adaptor adaptor, SmallVectorImpl<Type> &types) {
  SmallVector<Type> ignored;
  if (failed(
          inferReduceResult(loc, adaptor.getInput().getType(), adaptor.getAxes(), true, ignored)))
    return failure();
  types.push_back(adaptor.getInput().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto input = getInput().getType(), result = getResult().getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("expected the result element type (")
           << result.getElementType() << ") to match the input's (" << input.getElementType()
           << ")";
  if (input.getNumElements() != result.getNumElements())
    return emitOpError("expected the same element count (")
           << shapeString(input.getShape()) << " has " << input.getNumElements() << ", "
           << shapeString(result.getShape()) << " has " << result.getNumElements() << ")";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (failed(checkArraySize(loc, "perm", perm, input.getRank())))
    return failure();
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "expected perm to be a permutation of [0, ", input.getRank(),
                               ")");
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "expected at least one input");
  auto first = tensorOf(adaptor.getInputs().front().getType());
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, first.getRank())))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value input : adaptor.getInputs()) {
    auto type = tensorOf(input.getType());
    if (failed(checkSameElementType(loc, first, type)))
      return failure();
    if (type.getRank() != first.getRank())
      return emitOptionalError(loc, "expected inputs of the same rank (", first.getRank(), " vs ",
                               type.getRank(), ")");
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "expected inputs to agree in dim ", d, " (",
                                 first.getDimSize(d), " vs ", type.getDimSize(d), ")");
    shape[axis] += type.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())) ||
      failed(checkAllAtLeast(loc, "sizes", adaptor.getSizes(), 0)))
    return failure();
  int64_t total = 0;
  for (int64_t size : adaptor.getSizes()) {
    SmallVector<int64_t> shape(input.getShape());
    shape[axis] = size;
    total += size;
    types.push_back(RankedTensorType::get(shape, input.getElementType()));
  }
  if (total != input.getDimSize(axis))
    return emitOptionalError(loc, "expected sizes to add up to dim ", axis, " (",
                             input.getDimSize(axis), "), got ", total);
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t rank = input.getRank();
  if (failed(checkArraySize(loc, "starts", adaptor.getStarts(), rank)) ||
      failed(checkArraySize(loc, "ends", adaptor.getEnds(), rank)) ||
      failed(checkArraySize(loc, "steps", adaptor.getSteps(), rank)))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d), start = adaptor.getStarts()[d];
    int64_t end = adaptor.getEnds()[d], step = adaptor.getSteps()[d];
    if (step == 0)
      return emitOptionalError(loc, "expected non-zero steps");
    if (dim > 0 && (start < 0 || start >= dim || end < -1 || end > dim))
      return emitOptionalError(loc, "expected normalized start (", start, ") and end (", end,
                               ") for dim ", d, " of size ", dim);
    int64_t span = step > 0 ? end - start : start - end;
    int64_t absStep = step > 0 ? step : -step;
    shape.push_back(dim == 0 || span <= 0 ? 0 : (span + absStep - 1) / absStep);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto indices = tensorOf(adaptor.getIndices().getType());
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  SmallVector<int64_t> shape(input.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                 Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto indices = tensorOf(adaptor.getIndices().getType());
  if (failed(checkAxis(loc, "axis", adaptor.getAxis(), input.getRank())))
    return failure();
  if (indices.getRank() != input.getRank())
    return emitOptionalError(loc, "expected indices rank (", indices.getRank(),
                             ") to match input rank (", input.getRank(), ")");
  types.push_back(RankedTensorType::get(indices.getShape(), input.getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto indices = tensorOf(adaptor.getIndices().getType());
  int64_t batch = adaptor.getBatchDims();
  if (indices.getRank() < 1 || batch < 0 || batch >= std::min(input.getRank(), indices.getRank()))
    return emitOptionalError(loc, "expected 0 <= batch_dims < the ranks of input and indices");
  int64_t m = indices.getDimSize(indices.getRank() - 1);
  if (m < 1 || batch + m > input.getRank())
    return emitOptionalError(loc, "expected index tuples of 1 to ", input.getRank() - batch,
                             " entries (got ", m, ")");
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, input.getShape().drop_front(batch + m));
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

/// Scatter ops return the input's type; `reduction` must be known.
static LogicalResult inferScatterResult(std::optional<Location> loc, Value input, Value updates,
                                        StringRef reduction, SmallVectorImpl<Type> &types) {
  if (failed(checkSameElementType(loc, input.getType(), updates.getType())))
    return failure();
  if (reduction != "none" && reduction != "add" && reduction != "mul" && reduction != "max" &&
      reduction != "min")
    return emitOptionalError(loc, "expected reduction none, add, mul, max or min (got \"",
                             reduction, "\")");
  types.push_back(input.getType());
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                  Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  if (failed(checkAxis(loc, "axis", adaptor.getAxis(), input.getRank())))
    return failure();
  if (adaptor.getIndices().getType() != tensorOf(adaptor.getUpdates().getType())
                                            .clone(IntegerType::get(input.getContext(), 64)) ||
      tensorOf(adaptor.getIndices().getType()).getRank() != input.getRank())
    return emitOptionalError(loc, "expected indices and updates of the same shape and the "
                                  "input's rank");
  return inferScatterResult(loc, adaptor.getInput(), adaptor.getUpdates(), adaptor.getReduction(),
                            types);
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto indices = tensorOf(adaptor.getIndices().getType());
  auto updates = tensorOf(adaptor.getUpdates().getType());
  if (indices.getRank() == 0)
    return emitOptionalError(loc, "expected indices of rank >= 1 (index tuples in the last dim)");
  int64_t m = indices.getDimSize(indices.getRank() - 1);
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  if (m >= 1 && m <= input.getRank())
    llvm::append_range(expected, input.getShape().drop_front(m));
  if (m < 1 || m > input.getRank() || updates.getShape() != ArrayRef<int64_t>(expected))
    return emitOptionalError(loc, "expected updates of shape ", shapeString(expected),
                             " for index tuples of ", m, " entries");
  return inferScatterResult(loc, adaptor.getInput(), adaptor.getUpdates(), adaptor.getReduction(),
                            types);
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context, std::optional<Location> loc,
                                       Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  if (k < 0 || k > input.getDimSize(axis))
    return emitOptionalError(loc, "expected k (", k, ") in [0, ", input.getDimSize(axis), "]");
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = k;
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult ReverseSequenceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                  Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t batch = adaptor.getBatchAxis(), time = adaptor.getTimeAxis();
  if (input.getRank() < 2 || failed(checkAxis(loc, "batch_axis", batch, 2)) ||
      failed(checkAxis(loc, "time_axis", time, 2)) || batch == time)
    return emitOptionalError(loc, "expected distinct batch and time axes among dims 0 and 1");
  if (tensorOf(adaptor.getLengths().getType()).getShape() !=
      ArrayRef<int64_t>{input.getDimSize(batch)})
    return emitOptionalError(loc, "expected one length per batch entry (", input.getDimSize(batch),
                             ")");
  types.push_back(input);
  return success();
}

LogicalResult EinsumOp::verify() {
  auto [lhs, output] = getEquation().split("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (!getEquation().contains("->") || terms.size() != getInputs().size())
    return emitOpError("expected an explicit equation with one term per input (got \"")
           << getEquation() << "\")";
  llvm::StringMap<int64_t> sizes;
  for (auto [term, input] : llvm::zip(terms, getInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (static_cast<int64_t>(term.size()) != type.getRank())
      return emitOpError("expected term '") << term << "' to have one label per dim";
    for (auto [label, size] : llvm::zip(term, type.getShape())) {
      auto [it, inserted] = sizes.try_emplace(StringRef(&label, 1), size);
      if (!inserted && it->second != size && it->second != 1 && size != 1)
        return emitOpError("expected label '") << label << "' to have one size";
      if (!inserted && it->second == 1)
        it->second = size;
    }
  }
  auto type = getType();
  if (static_cast<int64_t>(output.size()) != type.getRank())
    return emitOpError("expected the result rank to match the output term");
  for (auto [label, size] : llvm::zip(output, type.getShape())) {
    auto it = sizes.find(StringRef(&label, 1));
    if (it == sizes.end() || it->second != size)
      return emitOpError("expected output label '") << label << "' of an input, with its size";
  }
  return success();
}

LogicalResult ExpandOp::verify() {
  auto input = getInput().getType(), result = getResult().getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("expected the result element type (")
           << result.getElementType() << ") to match the input's (" << input.getElementType()
           << ")";
  auto shape = broadcastShapes(input.getShape(), result.getShape());
  if (failed(shape) || ArrayRef<int64_t>(*shape) != result.getShape())
    return emitOpError("expected input shape (")
           << shapeString(input.getShape()) << ") to broadcast to the result shape ("
           << shapeString(result.getShape()) << ")";
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  if (failed(checkArraySize(loc, "repeats", adaptor.getRepeats(), input.getRank())) ||
      failed(checkAllAtLeast(loc, "repeats", adaptor.getRepeats(), 0)))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [size, repeat] : llvm::zip(input.getShape(), adaptor.getRepeats()))
    shape.push_back(size * repeat);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto value = tensorOf(adaptor.getValue().getType());
  int64_t rank = input.getRank();
  if (failed(checkArraySize(loc, "pads", adaptor.getPads(), 2 * rank)))
    return failure();
  if (value.getRank() != 0)
    return emitOptionalError(loc, "expected a rank-0 padding value");
  if (failed(checkSameElementType(loc, input, value)))
    return failure();
  StringRef mode = adaptor.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
    return emitOptionalError(loc, "expected mode constant, reflect, edge or wrap (got \"", mode,
                             "\")");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(d) + adaptor.getPads()[d] + adaptor.getPads()[d + rank];
    if (size < 0)
      return emitOptionalError(loc, "expected pads to leave dim ", d, " non-negative");
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  auto input = getInput().getType(), result = getResult().getType();
  int64_t rank = input.getRank();
  if (input.getElementType() != result.getElementType() || result.getRank() != rank)
    return emitOpError("expected the result to have the input's rank and element type");
  if (static_cast<int64_t>(getScales().size()) != rank)
    return emitOpError("expected one scale per dim (") << rank << ")";
  if (!getRoi().empty() && static_cast<int64_t>(getRoi().size()) != 2 * rank)
    return emitOpError("expected roi to be empty or have ") << 2 * rank << " entries";
  StringRef mode = getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("expected mode nearest, linear or cubic (got \"") << mode << "\")";
  return success();
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                               Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t b = adaptor.getBlocksize();
  if (input.getRank() != 4 || b < 1 || input.getDimSize(1) % (b * b) != 0)
    return emitOptionalError(loc, "expected a rank-4 input whose channels divide by "
                                  "blocksize^2");
  if (adaptor.getMode() != "DCR" && adaptor.getMode() != "CRD")
    return emitOptionalError(loc, "expected mode DCR or CRD");
  types.push_back(RankedTensorType::get({input.getDimSize(0), input.getDimSize(1) / (b * b),
                                         input.getDimSize(2) * b, input.getDimSize(3) * b},
                                        input.getElementType()));
  return success();
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                               Adaptor adaptor, SmallVectorImpl<Type> &types) {
  auto input = tensorOf(adaptor.getInput().getType());
  int64_t b = adaptor.getBlocksize();
  if (input.getRank() != 4 || b < 1 || input.getDimSize(2) % b || input.getDimSize(3) % b)
    return emitOptionalError(loc, "expected a rank-4 input whose spatial dims divide by "
                                  "blocksize");
  if (adaptor.getMode() != "DCR" && adaptor.getMode() != "CRD")
    return emitOptionalError(loc, "expected mode DCR or CRD");
  types.push_back(RankedTensorType::get({input.getDimSize(0), input.getDimSize(1) * b * b,
                                         input.getDimSize(2) / b, input.getDimSize(3) / b},
                                        input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

/// Checks the operand shapes shared by lstm / gru / rnn and returns the number of
/// directions; `gates` is 4, 3 or 1.
static FailureOr<int64_t> checkRecurrentOperands(std::optional<Location> loc, Value x, Value w,
                                                 Value r, Value b, Value initialH,
                                                 Value sequenceLens, int64_t hidden,
                                                 StringRef direction, int64_t gates) {
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    return emitOptionalError(loc,
                             "expected direction forward, reverse or bidirectional "
                             "(got \"",
                             direction, "\")");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  auto xType = tensorOf(x.getType());
  if (xType.getRank() != 3)
    return emitOptionalError(loc, "expected X of rank 3 [seq, batch, input]");
  int64_t batch = xType.getDimSize(1), inputSize = xType.getDimSize(2);
  auto expectShape = [&](Value v, StringRef name, ArrayRef<int64_t> shape) -> LogicalResult {
    auto type = tensorOf(v.getType());
    if (type.getShape() != shape)
      return emitOptionalError(loc, "expected ", name, " of shape ", shapeString(shape), " (got ",
                               shapeString(type.getShape()), ")");
    return checkSameElementType(loc, x.getType(), type);
  };
  if (failed(expectShape(w, "W", {dirs, gates * hidden, inputSize})) ||
      failed(expectShape(r, "R", {dirs, gates * hidden, hidden})) ||
      failed(expectShape(b, "B", {dirs, 2 * gates * hidden})) ||
      failed(expectShape(initialH, "initial_h", {dirs, batch, hidden})))
    return failure();
  if (sequenceLens && tensorOf(sequenceLens.getType()).getShape() != ArrayRef<int64_t>{batch})
    return emitOptionalError(loc, "expected sequence_lens of shape ", batch);
  return dirs;
}

/// Y [seq, dirs, batch, H] and Y_h [dirs, batch, H].
static void pushRecurrentResults(Value x, int64_t dirs, int64_t hidden, int64_t count,
                                 SmallVectorImpl<Type> &types) {
  auto xType = tensorOf(x.getType());
  Type element = xType.getElementType();
  types.push_back(
      RankedTensorType::get({xType.getDimSize(0), dirs, xType.getDimSize(1), hidden}, element));
  for (int64_t i = 1; i < count; ++i)
    types.push_back(RankedTensorType::get({dirs, xType.getDimSize(1), hidden}, element));
}

LogicalResult LSTMOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  int64_t hidden = adaptor.getHiddenSize();
  auto dirs = checkRecurrentOperands(loc, adaptor.getX(), adaptor.getW(), adaptor.getR(),
                                     adaptor.getB(), adaptor.getInitialH(),
                                     adaptor.getSequenceLens(), hidden, adaptor.getDirection(), 4);
  if (failed(dirs))
    return failure();
  if (adaptor.getInitialC().getType() != adaptor.getInitialH().getType())
    return emitOptionalError(loc, "expected initial_c to match initial_h");
  if (tensorOf(adaptor.getP().getType()).getShape() != ArrayRef<int64_t>{*dirs, 3 * hidden})
    return emitOptionalError(loc, "expected P of shape ", *dirs, "x", 3 * hidden);
  pushRecurrentResults(adaptor.getX(), *dirs, hidden, 3, types);
  return success();
}

LogicalResult GRUOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  int64_t hidden = adaptor.getHiddenSize();
  auto dirs = checkRecurrentOperands(loc, adaptor.getX(), adaptor.getW(), adaptor.getR(),
                                     adaptor.getB(), adaptor.getInitialH(),
                                     adaptor.getSequenceLens(), hidden, adaptor.getDirection(), 3);
  if (failed(dirs))
    return failure();
  pushRecurrentResults(adaptor.getX(), *dirs, hidden, 2, types);
  return success();
}

LogicalResult RNNOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  int64_t hidden = adaptor.getHiddenSize();
  auto dirs = checkRecurrentOperands(loc, adaptor.getX(), adaptor.getW(), adaptor.getR(),
                                     adaptor.getB(), adaptor.getInitialH(),
                                     adaptor.getSequenceLens(), hidden, adaptor.getDirection(), 1);
  if (failed(dirs))
    return failure();
  pushRecurrentResults(adaptor.getX(), *dirs, hidden, 2, types);
  return success();
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

LogicalResult IfOp::verify() {
  if (getCondition().getType().getNumElements() != 1)
    return emitOpError("expected a single-element condition (got ")
           << shapeString(getCondition().getType().getShape()) << ")";
  for (Region *region : {&getThenRegion(), &getElseRegion()}) {
    auto yield = cast<YieldOp>(region->front().getTerminator());
    if (yield.getValues().getTypes() != getResultTypes())
      return emitOpError("expected both regions to yield the result types");
  }
  return success();
}

#define GET_OP_CLASSES
#include "nnc/Dialect/NN/IR/NNOps.cpp.inc"

//===- PackOperands.cpp - packed rhs layout for contractions --------------===//

#include "nnc/Target/CPU/Transforms.h"

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::cpu;

namespace {
/// The bytes of `value` when it is a constant, a reshape of one, or a
/// contiguous slice of one (leading dims sliced, the others whole, as when a
/// weight loses its unit direction dim); empty otherwise.
ArrayRef<char> constantBytes(Value value) {
  // Reshapes keep the bytes in order.
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(value.getDefiningOp()))
    value = value.getDefiningOp()->getOperand(0);
  auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
  Value source = slice ? slice.getSource() : value;
  auto constant = source.getDefiningOp<arith::ConstantOp>();
  auto elements = constant ? dyn_cast<ElementsAttr>(constant.getValue()) : ElementsAttr();
  if (!elements || !elements.getElementType().isF32())
    return {};
  ArrayRef<char> bytes = nn::getRawElementBytes(elements);
  if (!slice || bytes.empty())
    return bytes;
  if (!slice.hasUnitStride() || ShapedType::isDynamicShape(slice.getStaticSizes()) ||
      ShapedType::isDynamicShape(slice.getStaticOffsets()))
    return {};
  ArrayRef<int64_t> shape = slice.getSourceType().getShape();
  ArrayRef<int64_t> offsets = slice.getStaticOffsets(), sizes = slice.getStaticSizes();
  // Contiguous: after the first dim whose size is not 1, every dim is whole.
  int64_t begin = 0, stride = 1;
  bool whole = true;
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    if (!whole && sizes[d] != 1)
      return {};
    whole &= offsets[d] == 0 && sizes[d] == shape[d];
    begin += offsets[d] * stride;
    stride *= shape[d];
  }
  int64_t count = slice.getType().getNumElements();
  if (static_cast<int64_t>(bytes.size()) < (begin + count) * 4)
    return {};
  return bytes.slice(begin * sizeof(float), count * sizeof(float));
}

} // namespace

bool cpu::isPackedAtCompileTime(Value rhs) {
  auto type = dyn_cast<RankedTensorType>(rhs.getType());
  return type && type.getRank() == 2 && !constantBytes(rhs).empty();
}

namespace {
/// The packed layout of a 2-D constant [K, N] (or [N, K] when `transposed`):
/// [ceil(N/nr), K, nr], computed now. Fails for constants whose bytes are not
/// at hand.
FailureOr<Value> packConstant(RewriterBase &rewriter, Location loc, Value rhs, bool transposed,
                              int64_t nr, RankedTensorType packedType) {
  auto type = cast<RankedTensorType>(rhs.getType());
  if (!isPackedAtCompileTime(rhs))
    return failure();
  ArrayRef<char> bytes = constantBytes(rhs);
  int64_t k = type.getDimSize(transposed ? 1 : 0), n = type.getDimSize(transposed ? 0 : 1),
          slivers = packedType.getDimSize(0);
  int64_t kStride = transposed ? 1 : n, nStride = transposed ? k : 1;
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocate(packedType.getNumElements() * sizeof(float), alignof(float));
  auto *out = reinterpret_cast<float *>(blob.getMutableData().data());
  const auto *in = reinterpret_cast<const float *>(bytes.data());
  for (int64_t j = 0; j < slivers; ++j)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t i = 0; i < nr; ++i) {
        int64_t col = j * nr + i;
        out[(j * k + kk) * nr + i] = col < n ? in[kk * kStride + col * nStride] : 0.0f;
      }
  return arith::ConstantOp::create(
             rewriter, loc, DenseResourceElementsAttr::get(packedType, "packed", std::move(blob)))
      .getResult();
}
} // namespace

FailureOr<linalg::GenericOp> cpu::packContractionRhs(RewriterBase &rewriter, linalg::GenericOp op,
                                                     const ContractionShape &shape, int64_t nr) {
  MLIRContext *context = rewriter.getContext();
  Location loc = op.getLoc();
  int64_t numLoops = op.getNumLoops(), lane = numLoops;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t n = ranges[shape.n], k = ranges[shape.k];
  int64_t slivers = llvm::divideCeil(n, nr), padded = slivers * nr;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Value rhs = op.getDpsInputs()[shape.rhs], init = op.getDpsInits()[0];
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  Type f32 = rewriter.getF32Type();
  Value zero = arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0.0f));
  // `value` (the init) with its last dim zero-padded to a whole number of
  // slivers.
  auto paddedType = [&](Value value) {
    SmallVector<int64_t> shape(cast<RankedTensorType>(value.getType()).getShape());
    shape.back() = padded;
    return RankedTensorType::get(shape, f32);
  };
  auto padColumns = [&](Value value) -> Value {
    if (padded == n)
      return value;
    return tensor::createPadHighOp(paddedType(value), value, zero, /*nofold=*/false, loc,
                                   rewriter);
  };

  // Packed rhs: the rhs dims other than k and n, then [slivers, K, nr].
  SmallVector<AffineExpr> packedRhsExprs;
  SmallVector<int64_t> packedRhsShape, otherDimOf;
  AffineMap rhsMap = maps[shape.rhs];
  for (auto [pos, expr] : llvm::enumerate(rhsMap.getResults())) {
    if (expr == d(shape.k) || expr == d(shape.n))
      continue;
    otherDimOf.push_back(pos);
    packedRhsExprs.push_back(expr);
    packedRhsShape.push_back(rhsType.getDimSize(pos));
  }
  packedRhsExprs.append({d(shape.n), d(shape.k), d(lane)});
  packedRhsShape.append({slivers, k, nr});
  auto packedRhsType = RankedTensorType::get(packedRhsShape, f32);

  int64_t rhsN = *rhsMap.getResultPosition(d(shape.n));
  FailureOr<Value> packedRhs =
      packConstant(rewriter, loc, rhs, !shape.rhsContiguous, nr, packedRhsType);
  if (failed(packedRhs)) {
    // packed[o..., j, k, i] = rhs[..., k, j * nr + i] (with k and n wherever
    // the rhs has them). Whole slivers read the rhs in place; only a last,
    // partial sliver reads a zero-padded copy of its columns, so the rhs is
    // never copied whole.
    int64_t rank = packedRhsShape.size();
    SmallVector<AffineExpr> readExprs;
    for (auto [pos, expr] : llvm::enumerate(rhsMap.getResults())) {
      if (expr == d(shape.k))
        readExprs.push_back(d(rank - 2));
      else if (expr == d(shape.n))
        readExprs.push_back(d(rank - 3) * nr + d(rank - 1));
      else
        readExprs.push_back(d(llvm::find(otherDimOf, pos) - otherDimOf.begin()));
    }
    AffineMap readMap = AffineMap::get(rank, 0, readExprs, context);
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    // Packs `source` into slivers [first, first + count) of `packed`.
    auto packSlivers = [&](Value source, Value packed, int64_t first, int64_t count) -> Value {
      SmallVector<int64_t> offsetValues(rank, 0), sizeValues(packedRhsShape);
      offsetValues[rank - 3] = first;
      sizeValues[rank - 3] = count;
      SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(context, offsetValues),
                                sizes = getAsIndexOpFoldResult(context, sizeValues),
                                strides(rank, rewriter.getIndexAttr(1));
      Value slice =
          tensor::ExtractSliceOp::create(rewriter, loc, packed, offsets, sizes, strides);
      auto copy = linalg::GenericOp::create(
          rewriter, loc, slice.getType(), source, slice,
          ArrayRef<AffineMap>{readMap, rewriter.getMultiDimIdentityMap(rank)}, parallel,
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, args[0]);
          });
      // A large copy is shared between threads like any other op.
      if (auto threadTiles = selectThreadTiles(copy, TargetDescription()))
        copy->setAttr(kStrategyAttrName, parallelAttr(context, *threadTiles));
      return tensor::InsertSliceOp::create(rewriter, loc, copy.getResult(0), packed, offsets, sizes,
                                           strides);
    };
    Value packed = tensor::EmptyOp::create(rewriter, loc, packedRhsShape, f32);
    int64_t wholeSlivers = n / nr;
    if (wholeSlivers > 0)
      packed = packSlivers(rhs, packed, 0, wholeSlivers);
    if (wholeSlivers < slivers) {
      // The last columns, zero-padded to one sliver.
      int64_t rhsRank = rhsType.getRank();
      SmallVector<int64_t> offsets(rhsRank, 0), sizes(rhsType.getShape());
      offsets[rhsN] = wholeSlivers * nr;
      sizes[rhsN] = n - wholeSlivers * nr;
      Value tail = tensor::ExtractSliceOp::create(
          rewriter, loc, rhs, getAsIndexOpFoldResult(context, offsets),
          getAsIndexOpFoldResult(context, sizes),
          SmallVector<OpFoldResult>(rhsRank, rewriter.getIndexAttr(1)));
      SmallVector<int64_t> tailShape(rhsType.getShape());
      tailShape[rhsN] = nr;
      Value paddedTail = tensor::createPadHighOp(RankedTensorType::get(tailShape, f32), tail,
                                                 zero, /*nofold=*/false, loc, rewriter);
      packed = packSlivers(paddedTail, packed, wholeSlivers, 1);
    }
    packedRhs = packed;
  }

  // Packed result [..., M, slivers, nr]: the result padded in n, split.
  SmallVector<int64_t> packedInitShape(initType.getShape().drop_back());
  packedInitShape.append({slivers, nr});
  auto packedInitType = RankedTensorType::get(packedInitShape, f32);
  SmallVector<ReassociationIndices> splitLast;
  for (int64_t i = 0, e = initType.getRank() - 1; i < e; ++i)
    splitLast.push_back({i});
  splitLast.push_back({initType.getRank() - 1, initType.getRank()});
  Value packedInit;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value empty = tensor::EmptyOp::create(rewriter, loc, packedInitShape, f32);
    packedInit = linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty).getResult(0);
  } else {
    packedInit =
        tensor::ExpandShapeOp::create(rewriter, loc, packedInitType, padColumns(init), splitLast);
  }

  SmallVector<AffineMap> packedMaps(3);
  packedMaps[shape.lhs] = AffineMap::get(numLoops + 1, 0, maps[shape.lhs].getResults(), context);
  packedMaps[shape.rhs] = AffineMap::get(numLoops + 1, 0, packedRhsExprs, context);
  SmallVector<AffineExpr> initExprs(maps[2].getResults().drop_back());
  initExprs.append({d(shape.n), d(lane)});
  packedMaps[2] = AffineMap::get(numLoops + 1, 0, initExprs, context);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  iterators.push_back(utils::IteratorType::parallel);
  SmallVector<Value> inputs(2);
  inputs[shape.lhs] = op.getDpsInputs()[shape.lhs];
  inputs[shape.rhs] = *packedRhs;
  auto packed = linalg::GenericOp::create(rewriter, loc, packedInitType, inputs, packedInit,
                                          packedMaps, iterators);
  rewriter.cloneRegionBefore(op.getRegion(), packed.getRegion(), packed.getRegion().end());

  Value result = tensor::CollapseShapeOp::create(rewriter, loc, paddedType(init),
                                                 packed.getResult(0), splitLast);
  if (padded != n) {
    int64_t rank = initType.getRank();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
        strides(rank, rewriter.getIndexAttr(1)), sizes;
    for (int64_t size : initType.getShape())
      sizes.push_back(rewriter.getIndexAttr(size));
    result = tensor::ExtractSliceOp::create(rewriter, loc, initType, result, offsets, sizes,
                                            strides);
  }
  rewriter.replaceOp(op, result);
  return packed;
}

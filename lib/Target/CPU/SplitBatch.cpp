//===- SplitBatch.cpp - early layers of a batched model per image ---------===//
//
// A batched CNN touches every layer's activations for the whole batch: for
// batch 8 at 224x224 these are tens of megabytes per layer, more than the
// caches hold, so each layer streams them from memory. One image's fit. This
// pass finds the leading ops of a function that compute each image from that
// image alone and runs them in a loop over the images, on batch-1 slices.
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNOps.h"
#include "nnc/Target/CPU/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUSPLITBATCHPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// A static tensor whose dim 0 is `batch`.
bool leadsWithBatch(Type type, int64_t batch) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getRank() >= 1 &&
         tensor.getDimSize(0) == batch;
}

int64_t rankOf(Value value) { return cast<RankedTensorType>(value.getType()).getRank(); }
int64_t leadingDim(Value value) { return cast<RankedTensorType>(value.getType()).getDimSize(0); }

bool excludesBatchAxis(ArrayRef<int64_t> axes, int64_t rank) {
  return llvm::none_of(axes, [&](int64_t axis) { return axis == 0 || axis == -rank; });
}

/// The values an op reads per image (dim 0 is the image) and those it reads
/// whole (weights, scalars).
struct Operands {
  const DenseSet<Value> &perImage;
  bool isPerImage(Value value) const { return perImage.contains(value); }
  /// Per image with the result's rank, or broadcast to every image.
  bool broadcasts(Value value, int64_t rank) const {
    if (isPerImage(value))
      return rankOf(value) == rank;
    auto type = dyn_cast<RankedTensorType>(value.getType());
    return type && (type.getRank() < rank || type.getDimSize(0) == 1);
  }
  /// The first operand per image, the others whole.
  bool onlyFirst(Operation *op) const {
    return isPerImage(op->getOperand(0)) &&
           llvm::none_of(op->getOperands().drop_front(), [&](Value v) { return isPerImage(v); });
  }
};

/// Whether image i of every result of `op` depends on image i of its per-image
/// operands alone (and on its whole operands), so that `op` on batch-1 slices
/// computes the slices of its results.
bool computesPerImage(Operation *op, int64_t batch, const Operands &operands) {
  if (op->getNumRegions() != 0 || op->getNumResults() == 0 ||
      !llvm::all_of(op->getResultTypes(), [&](Type t) { return leadsWithBatch(t, batch); }))
    return false;
  int64_t rank = rankOf(op->getResult(0));
  if (isa<nn::ReluOp, nn::SigmoidOp, nn::TanhOp, nn::ErfOp, nn::SqrtOp, nn::ExpOp, nn::LogOp,
          nn::NegOp, nn::AbsOp, nn::ReciprocalOp, nn::HardSwishOp, nn::SoftplusOp, nn::SoftsignOp,
          nn::CeilOp, nn::FloorOp, nn::RoundOp, nn::SignOp, nn::SinOp, nn::CosOp, nn::TanOp,
          nn::AsinOp, nn::AcosOp, nn::AtanOp, nn::SinhOp, nn::CoshOp, nn::AsinhOp, nn::AcoshOp,
          nn::AtanhOp, nn::NotOp, nn::LeakyReluOp, nn::EluOp, nn::CeluOp, nn::SeluOp,
          nn::ThresholdedReluOp, nn::HardSigmoidOp, nn::ShrinkOp, nn::GeluOp, nn::IsInfOp,
          nn::IsNaNOp, nn::ClipOp, nn::CastOp, nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp,
          nn::MaxOp, nn::MinOp, nn::PowOp, nn::ModOp, nn::PReluOp, nn::AndOp, nn::OrOp, nn::XorOp,
          nn::EqualOp, nn::LessOp, nn::LessEqualOp, nn::GreaterOp, nn::GreaterEqualOp, nn::WhereOp>(
          op))
    return llvm::all_of(op->getOperands(), [&](Value v) { return operands.broadcasts(v, rank); });
  // Image ops (N, C, spatial...): every image on its own.
  if (isa<nn::ConvOp, nn::ConvTransposeOp, nn::AvgPoolOp, nn::LRNOp, nn::BatchNormOp,
          nn::InstanceNormOp>(op))
    return rank >= 3 && operands.onlyFirst(op);
  // MaxPool's indices count over the whole batch.
  if (auto pool = dyn_cast<nn::MaxPoolOp>(op))
    return rank >= 3 && operands.onlyFirst(op) && pool.getIndices().use_empty();
  if (auto matmul = dyn_cast<nn::MatMulOp>(op)) {
    Value lhs = matmul.getLhs(), rhs = matmul.getRhs();
    bool lhsPerImage = operands.isPerImage(lhs), rhsPerImage = operands.isPerImage(rhs);
    if (lhsPerImage && rhsPerImage)
      return rankOf(lhs) >= 3 && rankOf(lhs) == rankOf(rhs);
    // Images are rows of a 2-D lhs, or the leading batch dim of a higher one.
    if (lhsPerImage)
      return rankOf(lhs) == 2 ? rankOf(rhs) == 2
                              : rankOf(rhs) < rankOf(lhs) ||
                                    (rankOf(rhs) == rankOf(lhs) && leadingDim(rhs) == 1);
    return rankOf(rhs) >= 3 &&
           (rankOf(lhs) < rankOf(rhs) || (rankOf(lhs) == rankOf(rhs) && leadingDim(lhs) == 1));
  }
  if (isa<nn::SoftmaxOp, nn::LogSoftmaxOp, nn::HardmaxOp>(op)) {
    int64_t axis = cast<IntegerAttr>(op->getAttr("axis")).getInt();
    return operands.onlyFirst(op) && excludesBatchAxis({axis}, rank);
  }
  if (auto norm = dyn_cast<nn::LayerNormOp>(op))
    return operands.onlyFirst(op) &&
           excludesBatchAxis({static_cast<int64_t>(norm.getAxis())}, rank);
  if (auto norm = dyn_cast<nn::MeanVarianceNormOp>(op))
    return operands.onlyFirst(op) && excludesBatchAxis(norm.getAxes(), rank);
  if (isa<nn::ReduceSumOp, nn::ReduceMeanOp, nn::ReduceMaxOp, nn::ReduceMinOp, nn::ReduceProdOp,
          nn::ReduceL1Op, nn::ReduceL2Op, nn::ReduceSumSquareOp, nn::ReduceLogSumOp,
          nn::ReduceLogSumExpOp>(op)) {
    auto axes = cast<DenseI64ArrayAttr>(op->getAttr("axes")).asArrayRef();
    return operands.onlyFirst(op) && excludesBatchAxis(axes, rankOf(op->getOperand(0)));
  }
  if (auto transpose = dyn_cast<nn::TransposeOp>(op))
    return operands.onlyFirst(op) && transpose.getPerm()[0] == 0;
  // Same leading dim in and out: each image's elements stay one block.
  if (isa<nn::ReshapeOp>(op))
    return operands.onlyFirst(op);
  if (auto concat = dyn_cast<nn::ConcatOp>(op))
    return excludesBatchAxis({static_cast<int64_t>(concat.getAxis())}, rank) &&
           llvm::all_of(op->getOperands(), [&](Value v) { return operands.isPerImage(v); });
  return false;
}

int64_t byteSize(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return 0;
  return type.getNumElements() * ((type.getElementType().getIntOrFloatBitWidth() + 7) / 8);
}

RankedTensorType imageType(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[0] = 1;
  return tensor.clone(shape);
}

/// Offsets [i, 0, ...], sizes [1, dims...], unit strides of image i of `type`.
struct ImageSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  ImageSlice(OpBuilder &b, RankedTensorType type, Value image) {
    offsets.assign(type.getRank(), b.getIndexAttr(0));
    offsets[0] = image;
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t dim : type.getShape().drop_front())
      sizes.push_back(b.getIndexAttr(dim));
    strides.assign(type.getRank(), b.getIndexAttr(1));
  }
};

/// The leading per-image ops of `entry` worth running image by image: the
/// prefix up to the op where the estimated bytes saved peak. Inputs leading
/// with the batch are read per image, the others whole.
SmallVector<Operation *> selectPerImageOps(Block &entry, int64_t batch, int64_t l2Bytes) {
  DenseSet<Value> perImage;
  for (BlockArgument input : entry.getArguments())
    if (leadsWithBatch(input.getType(), batch))
      perImage.insert(input);
  Operands operands{perImage};
  SmallVector<Operation *> ops;
  size_t cut = 0;
  int64_t saved = 0, bestSaved = 0, largestBatch = 0, largestAtCut = 0;
  for (Operation &op : entry.without_terminator()) {
    bool readsImages =
        llvm::any_of(op.getOperands(), [&](Value v) { return perImage.contains(v); });
    if (!readsImages && op.getNumRegions() == 0)
      continue;
    if (!computesPerImage(&op, batch, operands))
      break;
    for (Value result : op.getResults())
      perImage.insert(result);
    ops.push_back(&op);
    // A reshape moves no data.
    if (isa<nn::ReshapeOp>(op))
      continue;
    int64_t activations = 0, weights = 0;
    for (Value operand : op.getOperands())
      (perImage.contains(operand) ? activations : weights) += byteSize(operand);
    for (Value result : op.getResults())
      activations += byteSize(result);
    // Per image, the batch's activations stop going to memory; the weights
    // are read once per image instead of once.
    saved += activations - (batch - 1) * weights;
    largestBatch = std::max(largestBatch, activations);
    if (saved > bestSaved) {
      bestSaved = saved;
      cut = ops.size();
      largestAtCut = largestBatch;
    }
  }
  if (largestAtCut <= l2Bytes)
    return {};
  ops.resize(cut);
  return ops;
}

void runPerImage(func::FuncOp func, ArrayRef<Operation *> ops, int64_t batch) {
  Block &entry = func.getBody().front();
  llvm::SmallPtrSet<Operation *, 32> inLoop(ops.begin(), ops.end());
  // Results used after the loop leave it as full-batch tensors.
  SmallVector<Value> leaving;
  for (Operation *op : ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) { return !inLoop.contains(user); }))
        leaving.push_back(result);

  Location loc = func.getLoc();
  OpBuilder b(func.getContext());
  b.setInsertionPointAfter(ops.back());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value count = arith::ConstantIndexOp::create(b, loc, batch);
  SmallVector<Value> inits;
  for (Value value : leaving) {
    auto type = cast<RankedTensorType>(value.getType());
    inits.push_back(tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType()));
  }
  auto loop = scf::ForOp::create(
      b, loc, zero, count, one, inits,
      [&](OpBuilder &body, Location loc, Value image, ValueRange batchResults) {
        IRMapping mapping;
        for (BlockArgument input : entry.getArguments()) {
          if (!leadsWithBatch(input.getType(), batch) ||
              llvm::none_of(input.getUsers(), [&](Operation *u) { return inLoop.contains(u); }))
            continue;
          auto type = cast<RankedTensorType>(input.getType());
          ImageSlice slice(body, type, image);
          mapping.map(input,
                      tensor::ExtractSliceOp::create(body, loc, imageType(type), input,
                                                     slice.offsets, slice.sizes, slice.strides));
        }
        for (Operation *op : ops) {
          Operation *clone = body.clone(*op, mapping);
          for (OpResult result : clone->getResults())
            result.setType(imageType(result.getType()));
        }
        SmallVector<Value> yielded;
        for (auto [value, all] : llvm::zip_equal(leaving, batchResults)) {
          ImageSlice slice(body, cast<RankedTensorType>(value.getType()), image);
          yielded.push_back(tensor::InsertSliceOp::create(
              body, loc, mapping.lookup(value), all, slice.offsets, slice.sizes, slice.strides));
        }
        scf::YieldOp::create(body, loc, yielded);
      });
  auto outsideLoop = [&](OpOperand &use) { return !inLoop.contains(use.getOwner()); };
  for (auto [value, result] : llvm::zip_equal(leaving, loop.getResults()))
    value.replaceUsesWithIf(result, outsideLoop);
  for (Operation *op : llvm::reverse(ops))
    op->erase();
}

struct NNCCPUSplitBatchPass final : nnc::impl::NNCCPUSplitBatchPassBase<NNCCPUSplitBatchPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &entry = func.getBody().front();
    // The batch is dim 0 of the first input.
    int64_t batch = 0;
    for (BlockArgument input : entry.getArguments())
      if (auto type = dyn_cast<RankedTensorType>(input.getType());
          type && type.hasStaticShape() && type.getRank() >= 1) {
        batch = type.getDimSize(0);
        break;
      }
    if (batch <= 1)
      return;
    SmallVector<Operation *> ops = selectPerImageOps(entry, batch, l2Bytes);
    if (!ops.empty())
      runPerImage(func, ops, batch);
  }
};
} // namespace

//===- ChannelsLast.cpp - the nnc-cpu-channels-last pass ------------------===//

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"
#include "nnc/Target/CPU/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUCHANNELSLASTPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// [N, C, S...] -> [N, S..., C].
SmallVector<int64_t> toChannelsLast(int64_t rank) {
  SmallVector<int64_t> perm{0};
  llvm::append_range(perm, llvm::seq<int64_t>(2, rank));
  perm.push_back(1);
  return perm;
}

/// [N, S..., C] -> [N, C, S...].
SmallVector<int64_t> toChannelsFirst(int64_t rank) {
  SmallVector<int64_t> perm{0, rank - 1};
  llvm::append_range(perm, llvm::seq<int64_t>(1, rank - 1));
  return perm;
}

RankedTensorType permuted(RankedTensorType type, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return RankedTensorType::get(shape, type.getElementType());
}

Value transpose(PatternRewriter &rewriter, Location loc, Value value, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  return nn::TransposeOp::create(rewriter, loc, permuted(type, perm), value,
                                 rewriter.getDenseI64ArrayAttr(perm));
}

/// The channels-last image that `value` transposes back to [N, C, S...].
Value channelsLastSource(Value value) {
  auto transposeOp = value.getDefiningOp<nn::TransposeOp>();
  if (!transposeOp)
    return {};
  int64_t rank = transposeOp.getType().getRank();
  return rank >= 3 && llvm::equal(transposeOp.getPerm(), toChannelsFirst(rank))
             ? transposeOp.getInput()
             : Value();
}

/// `op` rebuilt with `operands` and a channels-last result, followed by the
/// transpose back that replaces it.
void replaceWithChannelsLast(PatternRewriter &rewriter, Operation *op, ValueRange operands,
                             ArrayRef<NamedAttribute> attrs) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  OperationState state(op->getLoc(), op->getName(), operands,
                       TypeRange{permuted(type, toChannelsLast(type.getRank()))}, attrs);
  Operation *channelsLast = rewriter.create(state);
  rewriter.replaceOp(op, transpose(rewriter, op->getLoc(), channelsLast->getResult(0),
                                   toChannelsFirst(type.getRank())));
}

/// A convolution that can run channels-last: static 2-D or higher images,
/// and either ungrouped with a 1x1 kernel or depthwise.
bool runsChannelsLast(nn::ConvOp op) {
  auto inType = op.getInput().getType();
  auto wType = op.getWeight().getType();
  if (op.getChannelsLast() || inType.getRank() < 4 || !inType.hasStaticShape() ||
      !op.getType().hasStaticShape() || !wType.hasStaticShape())
    return false;
  int64_t channels = inType.getDimSize(1), filters = wType.getDimSize(0);
  bool pointwise = llvm::all_of(wType.getShape().drop_front(2), [](int64_t k) { return k == 1; });
  bool depthwise = static_cast<int64_t>(op.getGroup()) == channels && filters == channels;
  return (op.getGroup() == 1 && pointwise) || depthwise;
}

/// `op` channels-last on `channelsLastInput`, its weight [F, C/G, K...]
/// transposed into [K..., C/G, F] (folded into the constant by
/// nnc-nn-fold-constant-transposes).
void replaceConv(PatternRewriter &rewriter, nn::ConvOp op, Value channelsLastInput) {
  int64_t rank = op.getWeight().getType().getRank();
  SmallVector<int64_t> weightPerm = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  weightPerm.append({1, 0});
  SmallVector<Value> operands{channelsLastInput,
                              transpose(rewriter, op.getLoc(), op.getWeight(), weightPerm)};
  if (op.getBias())
    operands.push_back(op.getBias());
  SmallVector<NamedAttribute> attrs(op->getAttrs());
  attrs.push_back(rewriter.getNamedAttr(op.getChannelsLastAttrName(), rewriter.getUnitAttr()));
  replaceWithChannelsLast(rewriter, op, operands, attrs);
}

/// A 1x1, stride-1, unpadded convolution whose GEMM runs transposed goes
/// channels-last between two transposes.
struct SeedPointwiseConv : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    if (!runsChannelsLast(op) || op.getGroup() != 1 || channelsLastSource(op.getInput()))
      return rewriter.notifyMatchFailure(op,
                                         "not a pointwise convolution on a channels-first image");
    auto type = op.getType();
    int64_t outSize = llvm::product_of(type.getShape().drop_front(2));
    if (llvm::any_of(op.getStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
        !nnc::convGemmRunsTransposed(type.getDimSize(1), outSize))
      return rewriter.notifyMatchFailure(op, "its GEMM does not run transposed");
    int64_t rank = type.getRank();
    replaceConv(rewriter, op,
                transpose(rewriter, op.getLoc(), op.getInput(), toChannelsLast(rank)));
    return success();
  }
};

/// A pointwise or depthwise convolution of a transposed channels-last image
/// reads the image itself.
struct SinkIntoConv : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    Value source = channelsLastSource(op.getInput());
    if (!source || !runsChannelsLast(op))
      return rewriter.notifyMatchFailure(op, "not a pointwise or depthwise convolution of a "
                                             "transposed channels-last image");
    replaceConv(rewriter, op, source);
    return success();
  }
};

/// An elementwise op with a transposed channels-last operand runs
/// channels-last: its other operands of the result's shape are transposed
/// (a transpose back cancels), scalars stay.
template <typename... OpTys> struct SinkThroughElementwise : RewritePattern {
  SinkThroughElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<OpTys...>(op) || op->getNumResults() != 1)
      return failure();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || type.getRank() < 3 || !type.hasStaticShape())
      return failure();
    bool anyChannelsLast = false;
    for (Value operand : op->getOperands()) {
      auto operandType = cast<RankedTensorType>(operand.getType());
      if (operandType.getRank() != 0 && operandType.getShape() != type.getShape())
        return rewriter.notifyMatchFailure(op, "an operand broadcasts");
      anyChannelsLast |= static_cast<bool>(channelsLastSource(operand));
    }
    if (!anyChannelsLast)
      return rewriter.notifyMatchFailure(op, "no operand is a transposed channels-last image");
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      if (cast<RankedTensorType>(operand.getType()).getRank() == 0)
        operands.push_back(operand);
      else if (Value source = channelsLastSource(operand))
        operands.push_back(source);
      else
        operands.push_back(
            transpose(rewriter, op->getLoc(), operand, toChannelsLast(type.getRank())));
    }
    replaceWithChannelsLast(rewriter, op, operands, op->getAttrs());
    return success();
  }
};

/// A reduction over the spatial dims of a transposed channels-last image
/// (global pooling) reduces the image itself: its dims 1 to rank - 2.
template <typename OpTy> struct SinkIntoSpatialReduction : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Value source = channelsLastSource(op.getInput());
    int64_t rank = op.getInput().getType().getRank();
    if (!source || !llvm::equal(op.getAxes(), llvm::seq<int64_t>(2, rank)))
      return rewriter.notifyMatchFailure(op, "not a spatial reduction of a transposed "
                                             "channels-last image");
    SmallVector<NamedAttribute> attrs(op->getAttrs());
    for (NamedAttribute &attr : attrs)
      if (attr.getName() == op.getAxesAttrName())
        attr.setValue(
            rewriter.getDenseI64ArrayAttr(llvm::to_vector(llvm::seq<int64_t>(1, rank - 1))));
    if (!op.getKeepdims()) {
      // [N, C] either way.
      OperationState state(op.getLoc(), op->getName(), ValueRange{source}, TypeRange{op.getType()},
                           attrs);
      rewriter.replaceOp(op, rewriter.create(state)->getResults());
      return success();
    }
    replaceWithChannelsLast(rewriter, op, ValueRange{source}, attrs);
    return success();
  }
};

struct NNCCPUChannelsLastPass final
    : nnc::impl::NNCCPUChannelsLastPassBase<NNCCPUChannelsLastPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    patterns.add<SeedPointwiseConv, SinkIntoConv>(context);
    patterns.add<SinkThroughElementwise<nn::ClipOp, nn::ReluOp, nn::LeakyReluOp, nn::SigmoidOp,
                                        nn::HardSigmoidOp, nn::HardSwishOp, nn::TanhOp, nn::EluOp,
                                        nn::GeluOp, nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp,
                                        nn::MaxOp, nn::MinOp>>(context);
    patterns
        .add<SinkIntoSpatialReduction<nn::ReduceMeanOp>, SinkIntoSpatialReduction<nn::ReduceSumOp>,
             SinkIntoSpatialReduction<nn::ReduceMaxOp>>(context);
    nn::TransposeOp::getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

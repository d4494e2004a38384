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
  return nn::TransposeOp::create(rewriter, loc, value, perm);
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

/// `op` rebuilt with `operands`, `attrs` and a result of `type`.
Value rebuild(PatternRewriter &rewriter, Operation *op, ValueRange operands,
              ArrayRef<NamedAttribute> attrs, Type type) {
  OperationState state(op->getLoc(), op->getName(), operands, TypeRange{type}, attrs);
  return rewriter.create(state)->getResult(0);
}

/// `op` rebuilt with `operands` and a channels-last result.
Value buildChannelsLast(PatternRewriter &rewriter, Operation *op, ValueRange operands,
                        ArrayRef<NamedAttribute> attrs) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  return rebuild(rewriter, op, operands, attrs, permuted(type, toChannelsLast(type.getRank())));
}

/// `op` rebuilt with `operands` and a channels-last result, followed by the
/// transpose back that replaces it.
void replaceWithChannelsLast(PatternRewriter &rewriter, Operation *op, ValueRange operands,
                             ArrayRef<NamedAttribute> attrs) {
  int64_t rank = cast<RankedTensorType>(op->getResult(0).getType()).getRank();
  rewriter.replaceOp(op, transpose(rewriter, op->getLoc(),
                                   buildChannelsLast(rewriter, op, operands, attrs),
                                   toChannelsFirst(rank)));
}

/// An elementwise op of images [N, C, S...] whose operands are of the same
/// rank (they may broadcast, such as a squeeze-and-excite gate [N, C, 1, 1];
/// permuted alike, they still do) or scalars: one that runs as well on
/// channels-last images.
bool isLayoutFreeElementwise(Operation *op) {
  if (!isa<nn::ClipOp, nn::ReluOp, nn::LeakyReluOp, nn::SigmoidOp, nn::HardSigmoidOp,
           nn::HardSwishOp, nn::TanhOp, nn::EluOp, nn::GeluOp, nn::AddOp, nn::SubOp, nn::MulOp,
           nn::DivOp, nn::MaxOp, nn::MinOp>(op))
    return false;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (type.getRank() < 3 || !type.hasStaticShape())
    return false;
  return llvm::all_of(op->getOperandTypes(), [&](Type operandType) {
    auto ranked = cast<RankedTensorType>(operandType);
    return ranked.getRank() == 0 || (ranked.getRank() == type.getRank() && ranked.hasStaticShape());
  });
}

/// The operands of a layout-free elementwise op, channels-last: a transpose
/// back is looked through, other images are transposed, scalars stay.
SmallVector<Value> channelsLastOperands(PatternRewriter &rewriter, Operation *op) {
  SmallVector<Value> operands;
  for (Value operand : op->getOperands()) {
    int64_t rank = cast<RankedTensorType>(operand.getType()).getRank();
    if (rank == 0)
      operands.push_back(operand);
    else if (Value source = channelsLastSource(operand))
      operands.push_back(source);
    else
      operands.push_back(transpose(rewriter, op->getLoc(), operand, toChannelsLast(rank)));
  }
  return operands;
}

bool isDepthwise(nn::ConvOp op) {
  int64_t channels = op.getInput().getType().getDimSize(op.getChannelsLast() ? -1 : 1);
  return static_cast<int64_t>(op.getGroup()) == channels && channels > 1 &&
         op.getWeight().getType().getDimSize(op.getChannelsLast() ? -1 : 0) == channels;
}

/// A convolution that runs channels-last as well: static 2-D or higher
/// images, ungrouped (a transposed GEMM) or depthwise (vectorized along the
/// channels).
bool runsChannelsLast(nn::ConvOp op) {
  auto inType = op.getInput().getType();
  auto wType = op.getWeight().getType();
  if (op.getChannelsLast() || inType.getRank() < 4 || !inType.hasStaticShape() ||
      !op.getType().hasStaticShape() || !wType.hasStaticShape())
    return false;
  return op.getGroup() == 1 || isDepthwise(op);
}

/// `op` channels-last on `channelsLastInput`, its weight [F, C/G, K...]
/// transposed into [K..., C/G, F] (folded into the constant by
/// nnc-nn-fold-constant-transposes).
Value buildConv(PatternRewriter &rewriter, nn::ConvOp op, Value channelsLastInput) {
  int64_t rank = op.getWeight().getType().getRank();
  SmallVector<int64_t> weightPerm = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  weightPerm.append({1, 0});
  SmallVector<Value> operands{channelsLastInput,
                              transpose(rewriter, op.getLoc(), op.getWeight(), weightPerm)};
  if (op.getBias())
    operands.push_back(op.getBias());
  SmallVector<NamedAttribute> attrs(op->getAttrs());
  attrs.push_back(rewriter.getNamedAttr(op.getChannelsLastAttrName(), rewriter.getUnitAttr()));
  return buildChannelsLast(rewriter, op, operands, attrs);
}

void replaceConv(PatternRewriter &rewriter, nn::ConvOp op, Value channelsLastInput) {
  int64_t rank = op.getType().getRank();
  rewriter.replaceOp(op,
                     transpose(rewriter, op.getLoc(), buildConv(rewriter, op, channelsLastInput),
                               toChannelsFirst(rank)));
}

/// Whether `value` is computed by a depthwise convolution through
/// layout-free elementwise ops (`forward`: is read by one).
bool nextToDepthwise(Value value, bool forward, int depth = 0) {
  if (depth > 4)
    return false;
  if (forward)
    return llvm::any_of(value.getUsers(), [&](Operation *user) {
      if (auto conv = dyn_cast<nn::ConvOp>(user))
        return conv.getInput() == value && isDepthwise(conv);
      return isLayoutFreeElementwise(user) &&
             nextToDepthwise(user->getResult(0), forward, depth + 1);
    });
  Operation *producer = value.getDefiningOp();
  if (auto conv = dyn_cast_or_null<nn::ConvOp>(producer))
    return isDepthwise(conv);
  return producer && isLayoutFreeElementwise(producer) &&
         llvm::any_of(producer->getOperands(),
                      [&](Value operand) { return nextToDepthwise(operand, forward, depth + 1); });
}

/// A 1x1, stride-1, unpadded, ungrouped convolution goes channels-last
/// between two transposes when its GEMM runs transposed anyway, or when it
/// reads or feeds a depthwise convolution (MobileNet's inverted residual
/// blocks, whose every layer then runs channels-last).
struct SeedPointwiseConv : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    auto kernel = op.getWeight().getType().getShape().drop_front(2);
    if (!runsChannelsLast(op) || op.getGroup() != 1 || channelsLastSource(op.getInput()) ||
        llvm::any_of(kernel, [](int64_t k) { return k != 1; }) ||
        llvm::any_of(op.getStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }))
      return rewriter.notifyMatchFailure(op, "not a pointwise convolution on a channels-first "
                                             "image");
    auto type = op.getType();
    int64_t outSize = llvm::product_of(type.getShape().drop_front(2));
    if (!nnc::convGemmRunsTransposed(type.getDimSize(1), outSize) &&
        !nextToDepthwise(op.getInput(), /*forward=*/false) &&
        !nextToDepthwise(op.getResult(), /*forward=*/true))
      return rewriter.notifyMatchFailure(op, "its GEMM does not run transposed, and it is not "
                                             "next to a depthwise convolution");
    replaceConv(rewriter, op,
                transpose(rewriter, op.getLoc(), op.getInput(), toChannelsLast(type.getRank())));
    return success();
  }
};

/// An ungrouped or depthwise convolution of a transposed channels-last image
/// reads the image itself.
struct SinkIntoConv : OpRewritePattern<nn::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ConvOp op, PatternRewriter &rewriter) const override {
    Value source = channelsLastSource(op.getInput());
    if (!source || !runsChannelsLast(op))
      return rewriter.notifyMatchFailure(op, "not an ungrouped or depthwise convolution of a "
                                             "transposed channels-last image");
    replaceConv(rewriter, op, source);
    return success();
  }
};

/// A layout-free elementwise op with a transposed channels-last operand runs
/// channels-last.
struct SinkThroughElementwise : RewritePattern {
  SinkThroughElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isLayoutFreeElementwise(op) ||
        llvm::none_of(op->getOperands(), [](Value v) { return bool(channelsLastSource(v)); }))
      return failure();
    replaceWithChannelsLast(rewriter, op, channelsLastOperands(rewriter, op), op->getAttrs());
    return success();
  }
};

/// A transpose into channels-last of an op it alone uses, a convolution
/// (ungrouped or depthwise) or a layout-free elementwise op: the op runs
/// channels-last on transposed operands instead. The transpose moves up,
/// until it reaches the model's input, or an op whose result is used
/// channels-first as well.
struct HoistIntoProducer : OpRewritePattern<nn::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TransposeOp op, PatternRewriter &rewriter) const override {
    int64_t rank = op.getType().getRank();
    Operation *producer = op.getInput().getDefiningOp();
    if (rank < 4 || !llvm::equal(op.getPerm(), toChannelsLast(rank)) || !producer ||
        !producer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not a transpose into channels-last of its "
                                             "producer's only use");
    Value channelsLast;
    if (auto conv = dyn_cast<nn::ConvOp>(producer); conv && runsChannelsLast(conv)) {
      channelsLast = buildConv(
          rewriter, conv, transpose(rewriter, op.getLoc(), conv.getInput(), toChannelsLast(rank)));
    } else if (isLayoutFreeElementwise(producer)) {
      channelsLast = buildChannelsLast(rewriter, producer, channelsLastOperands(rewriter, producer),
                                       producer->getAttrs());
    } else {
      return rewriter.notifyMatchFailure(op, "its producer does not run channels-last");
    }
    rewriter.replaceOp(op, channelsLast);
    rewriter.eraseOp(producer);
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
      rewriter.replaceOp(op, rebuild(rewriter, op, ValueRange{source}, attrs, op.getType()));
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
    patterns.add<SeedPointwiseConv, SinkIntoConv, SinkThroughElementwise, HoistIntoProducer>(
        context);
    patterns
        .add<SinkIntoSpatialReduction<nn::ReduceMeanOp>, SinkIntoSpatialReduction<nn::ReduceSumOp>,
             SinkIntoSpatialReduction<nn::ReduceMaxOp>>(context);
    nn::TransposeOp::getCanonicalizationPatterns(patterns, context);
    // Every rewrite leaves valid IR: a driver that stops before its fixed
    // point leaves some transposes that were not moved, not a wrong model.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};
} // namespace

//===- Elementwise.cpp - elementwise nn ops -> linalg.generic --------------===//
//
// Every elementwise op is one linalg.generic whose operands broadcast through
// their indexing maps; the scalar body is arith/math.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
bool isUnsigned(Type t) { return t.isUnsignedInteger(); }

/// 0.5 * x * (1 + erf(x / sqrt(2))) or its tanh approximation.
Value gelu(OpBuilder &b, Location loc, Value x, bool useTanh) {
  Type t = x.getType();
  Value half = scalarConstant(b, loc, t, 0.5), one = scalarConstant(b, loc, t, 1.0);
  Value inner;
  if (useTanh) {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 = arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value poly = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, scalarConstant(b, loc, t, 0.044715), x3));
    inner = math::TanhOp::create(
        b, loc, arith::MulFOp::create(b, loc, scalarConstant(b, loc, t, 0.7978845608028654), poly));
  } else {
    inner = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, scalarConstant(b, loc, t, 0.7071067811865476)));
  }
  Value scaled = arith::MulFOp::create(b, loc, half, x);
  return arith::MulFOp::create(b, loc, scaled, arith::AddFOp::create(b, loc, one, inner));
}

/// min(max(x, lo), hi) in the element type.
Value clamp(OpBuilder &b, Location loc, Value x, Value lo, Value hi) {
  if (isFloat(x))
    return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, lo), hi);
  return arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, x, lo), hi);
}

/// The scalar computation of a unary nn op; null when the op has none here.
Value unaryBody(Operation *op, OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, t, v); };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](nn::ReluOp) { return createMax(b, loc, x, c(0)); })
      .Case([&](nn::SigmoidOp) {
        Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
        return arith::DivFOp::create(b, loc, c(1), arith::AddFOp::create(b, loc, c(1), e));
      })
      .Case([&](nn::TanhOp) { return math::TanhOp::create(b, loc, x); })
      .Case([&](nn::ErfOp) { return math::ErfOp::create(b, loc, x); })
      .Case([&](nn::SqrtOp) { return math::SqrtOp::create(b, loc, x); })
      .Case([&](nn::ExpOp) { return math::ExpOp::create(b, loc, x); })
      .Case([&](nn::LogOp) { return math::LogOp::create(b, loc, x); })
      .Case([&](nn::NegOp) -> Value {
        if (isFloat(x))
          return arith::NegFOp::create(b, loc, x);
        return arith::SubIOp::create(b, loc, c(0), x);
      })
      .Case([&](nn::AbsOp) -> Value {
        if (isFloat(x))
          return math::AbsFOp::create(b, loc, x);
        return math::AbsIOp::create(b, loc, x);
      })
      .Case([&](nn::ReciprocalOp) { return arith::DivFOp::create(b, loc, c(1), x); })
      .Case([&](nn::HardSwishOp) {
        Value gate = clamp(
            b, loc,
            arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(1.0 / 6)), c(0.5)),
            c(0), c(1));
        return arith::MulFOp::create(b, loc, x, gate);
      })
      .Case([&](nn::HardSigmoidOp o) {
        Value lin = arith::AddFOp::create(
            b, loc, arith::MulFOp::create(b, loc, x, c(o.getAlpha().convertToDouble())),
            c(o.getBeta().convertToDouble()));
        return clamp(b, loc, lin, c(0), c(1));
      })
      .Case([&](nn::LeakyReluOp o) {
        Value neg = arith::MulFOp::create(b, loc, x, c(o.getAlpha().convertToDouble()));
        Value isPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, c(0));
        return arith::SelectOp::create(b, loc, isPos, x, neg);
      })
      .Case([&](nn::EluOp o) {
        Value em1 = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), c(1));
        Value neg = arith::MulFOp::create(b, loc, em1, c(o.getAlpha().convertToDouble()));
        Value isPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, c(0));
        return arith::SelectOp::create(b, loc, isPos, x, neg);
      })
      .Case([&](nn::CeluOp o) {
        // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
        double alpha = o.getAlpha().convertToDouble();
        Value em1 = arith::SubFOp::create(
            b, loc, math::ExpOp::create(b, loc, arith::DivFOp::create(b, loc, x, c(alpha))), c(1));
        Value neg =
            arith::MinimumFOp::create(b, loc, c(0), arith::MulFOp::create(b, loc, em1, c(alpha)));
        return arith::AddFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, c(0)), neg);
      })
      .Case([&](nn::SeluOp o) {
        Value em1 = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), c(1));
        Value neg = arith::MulFOp::create(b, loc, em1, c(o.getAlpha().convertToDouble()));
        Value isPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(0));
        return arith::MulFOp::create(b, loc, arith::SelectOp::create(b, loc, isPos, x, neg),
                                     c(o.getGamma().convertToDouble()));
      })
      .Case([&](nn::ThresholdedReluOp o) {
        Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                            c(o.getAlpha().convertToDouble()));
        return arith::SelectOp::create(b, loc, above, x, c(0));
      })
      .Case([&](nn::ShrinkOp o) -> Value {
        if (!isFloat(x))
          return Value();
        double lambd = o.getLambd().convertToDouble(), bias = o.getBias().convertToDouble();
        Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(-lambd));
        Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(lambd));
        Value low = arith::AddFOp::create(b, loc, x, c(bias));
        Value high = arith::SubFOp::create(b, loc, x, c(bias));
        return arith::SelectOp::create(b, loc, below, low,
                                       arith::SelectOp::create(b, loc, above, high, c(0)));
      })
      .Case([&](nn::SignOp) -> Value {
        if (isFloat(x)) {
          Value pos = arith::UIToFPOp::create(
              b, loc, t, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(0)));
          Value neg = arith::UIToFPOp::create(
              b, loc, t, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0)));
          return arith::SubFOp::create(b, loc, pos, neg);
        }
        Value pos = arith::ExtUIOp::create(
            b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, c(0)));
        Value neg = arith::ExtUIOp::create(
            b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, c(0)));
        return arith::SubIOp::create(b, loc, pos, neg);
      })
      .Case([&](nn::SoftplusOp) {
        return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, x));
      })
      .Case([&](nn::SoftsignOp) {
        return arith::DivFOp::create(
            b, loc, x, arith::AddFOp::create(b, loc, c(1), math::AbsFOp::create(b, loc, x)));
      })
      .Case([&](nn::CeilOp) { return math::CeilOp::create(b, loc, x); })
      .Case([&](nn::FloorOp) { return math::FloorOp::create(b, loc, x); })
      .Case([&](nn::RoundOp) { return math::RoundEvenOp::create(b, loc, x); })
      .Case([&](nn::SinOp) { return math::SinOp::create(b, loc, x); })
      .Case([&](nn::CosOp) { return math::CosOp::create(b, loc, x); })
      .Case([&](nn::TanOp) { return math::TanOp::create(b, loc, x); })
      .Case([&](nn::AsinOp) { return math::AsinOp::create(b, loc, x); })
      .Case([&](nn::AcosOp) { return math::AcosOp::create(b, loc, x); })
      .Case([&](nn::AtanOp) { return math::AtanOp::create(b, loc, x); })
      .Case([&](nn::SinhOp) { return math::SinhOp::create(b, loc, x); })
      .Case([&](nn::CoshOp) { return math::CoshOp::create(b, loc, x); })
      .Case([&](nn::AsinhOp) { return math::AsinhOp::create(b, loc, x); })
      .Case([&](nn::AcoshOp) { return math::AcoshOp::create(b, loc, x); })
      .Case([&](nn::AtanhOp) { return math::AtanhOp::create(b, loc, x); })
      .Case([&](nn::NotOp) {
        return arith::XOrIOp::create(b, loc, x,
                                     arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
      })
      .Case([&](nn::GeluOp o) { return gelu(b, loc, x, o.getApproximate() == "tanh"); })
      .Default([](Operation *) { return Value(); });
}

/// The scalar computation of a binary nn op; null when the op has none here.
Value binaryBody(Operation *op, OpBuilder &b, Location loc, Value l, Value r) {
  bool f = isFloat(l);
  bool u = isUnsigned(l.getType());
  auto cmp = [&](arith::CmpFPredicate fp, arith::CmpIPredicate sp,
                 arith::CmpIPredicate up) -> Value {
    if (f)
      return arith::CmpFOp::create(b, loc, fp, l, r);
    return arith::CmpIOp::create(b, loc, u ? up : sp, l, r);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](nn::AddOp) { return createAdd(b, loc, l, r); })
      .Case([&](nn::SubOp) -> Value {
        if (f)
          return arith::SubFOp::create(b, loc, l, r);
        return arith::SubIOp::create(b, loc, l, r);
      })
      .Case([&](nn::MulOp) { return createMul(b, loc, l, r); })
      .Case([&](nn::DivOp) -> Value {
        if (f)
          return arith::DivFOp::create(b, loc, l, r);
        if (u)
          return arith::DivUIOp::create(b, loc, l, r);
        return arith::DivSIOp::create(b, loc, l, r);
      })
      .Case([&](nn::MaxOp) { return createMax(b, loc, l, r); })
      .Case([&](nn::MinOp) -> Value {
        if (f)
          return arith::MinimumFOp::create(b, loc, l, r);
        if (u)
          return arith::MinUIOp::create(b, loc, l, r);
        return arith::MinSIOp::create(b, loc, l, r);
      })
      .Case([&](nn::PowOp) -> Value {
        if (!f) {
          // Integer base: exact integer power, or through float for a float exponent.
          if (!isa<FloatType>(r.getType())) {
            Value e = r.getType() == l.getType()
                          ? r
                          : Value(arith::ExtSIOp::create(b, loc, l.getType(), r));
            return math::IPowIOp::create(b, loc, l, e);
          }
          Value base = arith::SIToFPOp::create(b, loc, r.getType(), l);
          return arith::FPToSIOp::create(b, loc, l.getType(),
                                         math::PowFOp::create(b, loc, base, r));
        }
        Value exponent = r;
        if (!isa<FloatType>(r.getType()))
          exponent = arith::SIToFPOp::create(b, loc, l.getType(), r);
        else if (r.getType() != l.getType())
          exponent = arith::TruncFOp::create(b, loc, l.getType(), r);
        return math::PowFOp::create(b, loc, l, exponent);
      })
      .Case([&](nn::PReluOp) {
        Value isPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, l,
                                            scalarConstant(b, loc, l.getType(), 0));
        return arith::SelectOp::create(b, loc, isPos, l, arith::MulFOp::create(b, loc, l, r));
      })
      .Case([&](nn::ModOp o) -> Value {
        // fmod: the sign of the dividend (C fmod); otherwise of the divisor (Python %).
        Value rem;
        if (f)
          rem = arith::RemFOp::create(b, loc, l, r);
        else if (u)
          rem = arith::RemUIOp::create(b, loc, l, r);
        else
          rem = arith::RemSIOp::create(b, loc, l, r);
        if (o.getFmod() || u)
          return rem;
        Value zero = scalarConstant(b, loc, l.getType(), 0);
        auto compare = [&](arith::CmpFPredicate fp, arith::CmpIPredicate ip, Value a) -> Value {
          if (f)
            return arith::CmpFOp::create(b, loc, fp, a, zero);
          return arith::CmpIOp::create(b, loc, ip, a, zero);
        };
        Value remNeg = compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt, rem);
        Value divNeg = compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt, r);
        Value nonZero = compare(arith::CmpFPredicate::UNE, arith::CmpIPredicate::ne, rem);
        Value fix =
            arith::AndIOp::create(b, loc, nonZero, arith::XOrIOp::create(b, loc, remNeg, divNeg));
        return arith::SelectOp::create(b, loc, fix, createAdd(b, loc, rem, r), rem);
      })
      .Case([&](nn::AndOp) { return arith::AndIOp::create(b, loc, l, r); })
      .Case([&](nn::OrOp) { return arith::OrIOp::create(b, loc, l, r); })
      .Case([&](nn::XorOp) { return arith::XOrIOp::create(b, loc, l, r); })
      .Case([&](nn::EqualOp) {
        return cmp(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq, arith::CmpIPredicate::eq);
      })
      .Case([&](nn::LessOp) {
        return cmp(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt, arith::CmpIPredicate::ult);
      })
      .Case([&](nn::LessEqualOp) {
        return cmp(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle, arith::CmpIPredicate::ule);
      })
      .Case([&](nn::GreaterOp) {
        return cmp(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt);
      })
      .Case([&](nn::GreaterEqualOp) {
        return cmp(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge, arith::CmpIPredicate::uge);
      })
      .Default([](Operation *) { return Value(); });
}

/// Lowers a unary or binary elementwise nn op to a broadcasting linalg.generic.
template <typename OpTy> struct ElementwiseToGeneric : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    Operation *operation = op.getOperation();
    Value result = buildElementwise(rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                                    operation->getOperands(),
                                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                                      return args.size() == 1
                                                 ? unaryBody(operation, b, loc, args[0])
                                                 : binaryBody(operation, b, loc, args[0], args[1]);
                                    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename... OpTys> void addElementwise(RewritePatternSet &patterns) {
  patterns.add<ElementwiseToGeneric<OpTys>...>(patterns.getContext());
}

struct TriluToGeneric : OpRewritePattern<nn::TriluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::TriluOp op, PatternRewriter &rewriter) const override {
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    int64_t rank = op.getType().getRank();
    bool upper = op.getUpper();
    int64_t k = op.getK();
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                             [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                               Value i = linalg::IndexOp::create(b, l, rank - 2);
                               Value j = linalg::IndexOp::create(b, l, rank - 1);
                               Value diff = arith::SubIOp::create(
                                   b, l, arith::IndexCastOp::create(b, l, b.getI64Type(), j),
                                   arith::IndexCastOp::create(b, l, b.getI64Type(), i));
                               Value bound = scalarConstant(b, l, b.getI64Type(), k);
                               Value keep = arith::CmpIOp::create(b, l,
                                                                  upper ? arith::CmpIPredicate::sge
                                                                        : arith::CmpIPredicate::sle,
                                                                  diff, bound);
                               return arith::SelectOp::create(
                                   b, l, keep, a[0], scalarConstant(b, l, a[0].getType(), 0));
                             }));
    return success();
  }
};

struct IsInfToGeneric : OpRewritePattern<nn::IsInfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::IsInfOp op, PatternRewriter &rewriter) const override {
    bool positive = op.getDetectPositive(), negative = op.getDetectNegative();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, op.getLoc(), op.getType(), op.getInput(),
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value x = a[0];
                  Value inf = extremeConstant(b, l, x.getType(), false);
                  Value ninf = extremeConstant(b, l, x.getType(), true);
                  Value isPos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, inf);
                  Value isNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, ninf);
                  Value no = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
                  return arith::OrIOp::create(b, l, positive ? isPos : no, negative ? isNeg : no);
                }));
    return success();
  }
};

struct IsNaNToGeneric : OpRewritePattern<nn::IsNaNOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::IsNaNOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                                            [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                              return arith::CmpFOp::create(
                                                  b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
                                            }));
    return success();
  }
};

struct ClipToGeneric : OpRewritePattern<nn::ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::ClipOp op, PatternRewriter &rewriter) const override {
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), op.getType(), op->getOperands(),
                                            [](OpBuilder &b, Location loc, ValueRange a) {
                                              return clamp(b, loc, a[0], a[1], a[2]);
                                            }));
    return success();
  }
};

struct WhereToGeneric : OpRewritePattern<nn::WhereOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::WhereOp op, PatternRewriter &rewriter) const override {
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), op.getType(), op->getOperands(),
                                            [](OpBuilder &b, Location loc, ValueRange a) {
                                              return arith::SelectOp::create(b, loc, a[0], a[1],
                                                                             a[2]);
                                            }));
    return success();
  }
};

/// Element type conversions, with ONNX's rules: float -> int truncates toward
/// zero, anything -> bool is "!= 0".
Value convertScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  auto fromFloat = dyn_cast<FloatType>(from), toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat)
    return fromFloat.getWidth() < toFloat.getWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, x))
               : Value(arith::TruncFOp::create(b, loc, to, x));
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, x);
  if (toFloat)
    return from.isInteger(1) ? Value(arith::UIToFPOp::create(b, loc, to, x))
                             : Value(arith::SIToFPOp::create(b, loc, to, x));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw < tw)
    return from.isInteger(1) ? Value(arith::ExtUIOp::create(b, loc, to, x))
                             : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

struct CastToGeneric : OpRewritePattern<nn::CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::CastOp op, PatternRewriter &rewriter) const override {
    if (!hasSignlessElements(op))
      return rewriter.notifyMatchFailure(op, "unsigned element types are not lowered yet");
    Type to = op.getType().getElementType();
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), op.getType(), op.getInput(),
                                            [&](OpBuilder &b, Location loc, ValueRange a) {
                                              return convertScalar(b, loc, a[0], to);
                                            }));
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  addElementwise<nn::ReluOp, nn::SigmoidOp, nn::TanhOp, nn::ErfOp, nn::SqrtOp, nn::ExpOp, nn::LogOp,
                 nn::NegOp, nn::AbsOp, nn::ReciprocalOp, nn::HardSwishOp, nn::HardSigmoidOp,
                 nn::LeakyReluOp, nn::EluOp, nn::CeluOp, nn::SeluOp, nn::ThresholdedReluOp,
                 nn::ShrinkOp, nn::SignOp, nn::SoftplusOp, nn::SoftsignOp, nn::CeilOp, nn::FloorOp,
                 nn::RoundOp, nn::SinOp, nn::CosOp, nn::TanOp, nn::AsinOp, nn::AcosOp, nn::AtanOp,
                 nn::SinhOp, nn::CoshOp, nn::AsinhOp, nn::AcoshOp, nn::AtanhOp, nn::NotOp,
                 nn::GeluOp>(patterns);
  addElementwise<nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp, nn::MaxOp, nn::MinOp, nn::PowOp,
                 nn::PReluOp, nn::ModOp, nn::AndOp, nn::OrOp, nn::XorOp, nn::EqualOp, nn::LessOp,
                 nn::LessEqualOp, nn::GreaterOp, nn::GreaterEqualOp>(patterns);
  patterns.add<ClipToGeneric, WhereToGeneric, CastToGeneric, TriluToGeneric, IsInfToGeneric,
               IsNaNToGeneric>(patterns.getContext());
}

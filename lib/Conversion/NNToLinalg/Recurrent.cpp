//===- Recurrent.cpp - LSTM / GRU / RNN -> scf.for over time ---------------===//
//
// Each direction is an scf.for over the time steps carrying the hidden (and
// cell) state and the output sequence as tensors. The input projection X * W^T
// of all steps is one matmul before the loop; inside, each step multiplies the
// previous state by R^T and applies the gates elementwise.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "nnc/Conversion/NNToLinalg/NNToLinalg.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::lowering;

namespace {
/// A 2-D matmul `lhs [M, K] x rhs^T` where rhs is [N, K].
Value matmulTransposed(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lType = cast<RankedTensorType>(lhs.getType());
  auto rType = cast<RankedTensorType>(rhs.getType());
  MLIRContext *context = b.getContext();
  auto type =
      RankedTensorType::get({lType.getDimSize(0), rType.getDimSize(0)}, lType.getElementType());
  AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {m, k}, context),
                              AffineMap::get(3, 0, {n, k}, context),
                              AffineMap::get(3, 0, {m, n}, context)};
  Value init = filledTensor(b, loc, type, scalarConstant(b, loc, type.getElementType(), 0));
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{lhs, rhs}, init, maps,
             {utils::IteratorType::parallel, utils::IteratorType::parallel,
              utils::IteratorType::reduction},
             [](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, createAdd(nb, l, a[2], createMul(nb, l, a[0], a[1])));
             })
      .getResult(0);
}

/// `value[index]` along dim 0 with that dim dropped (static index).
Value sliceDim0(OpBuilder &b, Location loc, Value value, OpFoldResult index) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets{index}, sizes{b.getIndexAttr(1)}, strides;
  for (int64_t d = 1; d < type.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
  }
  strides.assign(type.getRank(), b.getIndexAttr(1));
  auto resultType = RankedTensorType::get(type.getShape().drop_front(), type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, resultType, value, offsets, sizes, strides);
}

/// Columns [k * width, (k + 1) * width) of a 2-D tensor (or elements of 1-D).
Value sliceColumns(OpBuilder &b, Location loc, Value value, int64_t k, int64_t width) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t last = type.getRank() - 1;
  SmallVector<OpFoldResult> offsets, sizes, strides(type.getRank(), b.getIndexAttr(1));
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 0; d < type.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(d == last ? k * width : 0));
    sizes.push_back(b.getIndexAttr(d == last ? width : type.getDimSize(d)));
  }
  shape[last] = width;
  return tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get(shape, type.getElementType()),
                                        value, offsets, sizes, strides);
}

/// Rows [k * height, (k + 1) * height) of a 2-D tensor.
Value sliceRows(OpBuilder &b, Location loc, Value value, int64_t k, int64_t height) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets{b.getIndexAttr(k * height), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(height), b.getIndexAttr(type.getDimSize(1))};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({height, type.getDimSize(1)}, type.getElementType()), value,
      offsets, sizes, strides);
}

/// An ONNX recurrent activation with its alpha/beta (defaults when absent).
struct Activation {
  std::string name;
  std::optional<double> alpha, beta;

  Value apply(OpBuilder &b, Location loc, Value x) const {
    Type t = x.getType();
    auto c = [&](double v) { return scalarConstant(b, loc, t, v); };
    if (name == "Sigmoid")
      return arith::DivFOp::create(
          b, loc, c(1),
          arith::AddFOp::create(b, loc, c(1),
                                math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x))));
    if (name == "Tanh")
      return math::TanhOp::create(b, loc, x);
    if (name == "Relu")
      return arith::MaximumFOp::create(b, loc, x, c(0));
    if (name == "HardSigmoid") {
      Value lin = arith::AddFOp::create(
          b, loc, arith::MulFOp::create(b, loc, x, c(alpha.value_or(0.2))), c(beta.value_or(0.5)));
      return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, lin, c(0)), c(1));
    }
    if (name == "LeakyRelu") {
      Value neg = arith::MulFOp::create(b, loc, x, c(alpha.value_or(0.01)));
      return arith::SelectOp::create(
          b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, c(0)), x, neg);
    }
    if (name == "ThresholdedRelu")
      return arith::SelectOp::create(
          b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(alpha.value_or(1))),
          x, c(0));
    if (name == "ScaledTanh")
      return arith::MulFOp::create(
          b, loc, c(alpha.value_or(1)),
          math::TanhOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(beta.value_or(1)))));
    if (name == "Affine")
      return arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(alpha.value_or(1))),
                                   c(beta.value_or(0)));
    if (name == "Elu") {
      Value neg = arith::MulFOp::create(
          b, loc, c(alpha.value_or(1)),
          arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), c(1)));
      return arith::SelectOp::create(
          b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, c(0)), x, neg);
    }
    if (name == "Softsign")
      return arith::DivFOp::create(
          b, loc, x, arith::AddFOp::create(b, loc, c(1), math::AbsFOp::create(b, loc, x)));
    if (name == "Softplus")
      return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, x));
    return Value();
  }
};

/// The activations of one direction, or failure if one is unknown.
FailureOr<SmallVector<Activation>> readActivations(Operation *op, ArrayAttr names, ArrayAttr alphas,
                                                   ArrayAttr betas, int64_t direction,
                                                   int64_t perDirection) {
  SmallVector<Activation> result;
  static const llvm::StringSet<> known = {
      "Sigmoid",    "Tanh",   "Relu", "HardSigmoid", "LeakyRelu", "ThresholdedRelu",
      "ScaledTanh", "Affine", "Elu",  "Softsign",    "Softplus"};
  for (int64_t i = 0; i < perDirection; ++i) {
    int64_t index = direction * perDirection + i;
    Activation a;
    a.name = cast<StringAttr>(names[index]).str();
    if (!known.contains(a.name))
      return failure();
    if (index < static_cast<int64_t>(alphas.size()))
      a.alpha = cast<FloatAttr>(alphas[index]).getValueAsDouble();
    if (index < static_cast<int64_t>(betas.size()))
      a.beta = cast<FloatAttr>(betas[index]).getValueAsDouble();
    result.push_back(a);
  }
  return result;
}

enum class Cell { LSTM, GRU, RNN };

/// Everything one direction's loop needs.
struct DirectionInputs {
  Value xw;      // [seq, batch, G*H]: X * W^T + Wb for all steps
  Value r;       // [G*H, H]
  Value rb;      // [G*H]
  Value p;       // [3H] (LSTM peepholes) or null
  Value h0, c0;  // [batch, H]
  Value lengths; // [batch] i32 or null
  bool reverse;
  SmallVector<Activation> activations;
};

/// Runs one direction; returns {Y [seq, batch, H], Y_h, Y_c}.
SmallVector<Value> runDirection(OpBuilder &b, Location loc, Cell cell, const DirectionInputs &in,
                                int64_t hidden, std::optional<double> clip, bool inputForget,
                                bool linearBeforeReset) {
  auto xwType = cast<RankedTensorType>(in.xw.getType());
  int64_t seq = xwType.getDimSize(0), batch = xwType.getDimSize(1);
  Type element = xwType.getElementType();
  auto stateType = RankedTensorType::get({batch, hidden}, element);
  auto seqType = RankedTensorType::get({seq, batch, hidden}, element);
  Value y = filledTensor(b, loc, seqType, scalarConstant(b, loc, element, 0));
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, seq);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> init{in.h0, in.c0 ? in.c0 : in.h0, y};
  auto loop = scf::ForOp::create(
      b, loc, lower, upper, step, init,
      [&](OpBuilder &nb, Location l, Value iv, ValueRange carried) {
        Value t = iv;
        if (in.reverse)
          t = arith::SubIOp::create(nb, l, arith::ConstantIndexOp::create(nb, l, seq - 1), iv);
        Value hPrev = carried[0], cPrev = carried[1];
        Value xwT = sliceDim0(nb, l, in.xw, t);
        auto gate = [&](Value projected, int64_t k) {
          return sliceColumns(nb, l, projected, k, hidden);
        };
        auto map = [&](ValueRange operands,
                       function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
          return buildElementwise(nb, l, stateType, operands, fn);
        };
        auto clipped = [&](OpBuilder &eb, Location el, Value v) -> Value {
          if (!clip)
            return v;
          Value c = scalarConstant(eb, el, element, *clip);
          return arith::MinimumFOp::create(
              eb, el, arith::MaximumFOp::create(eb, el, v, arith::NegFOp::create(eb, el, c)), c);
        };
        // hr = H_{t-1} * R^T + Rb
        Value hr = matmulTransposed(nb, l, hPrev, in.r);
        hr = buildElementwise(
            nb, l, cast<RankedTensorType>(hr.getType()), {hr, in.rb},
            [](OpBuilder &eb, Location el, ValueRange a) { return createAdd(eb, el, a[0], a[1]); });
        Value hNew, cNew = cPrev;
        const auto &act = in.activations;
        if (cell == Cell::LSTM) {
          // Gate order i, o, f, c; peepholes i, o, f.
          auto pre = [&](int64_t k) {
            return map({gate(xwT, k), gate(hr, k)}, [&](OpBuilder &eb, Location el, ValueRange a) {
              return arith::AddFOp::create(eb, el, a[0], a[1]);
            });
          };
          Value pi = sliceColumns(nb, l, in.p, 0, hidden),
                po = sliceColumns(nb, l, in.p, 1, hidden),
                pf = sliceColumns(nb, l, in.p, 2, hidden);
          Value i = map({pre(0), pi, cPrev}, [&](OpBuilder &eb, Location el, ValueRange a) {
            Value v =
                arith::AddFOp::create(eb, el, a[0], arith::MulFOp::create(eb, el, a[1], a[2]));
            return act[0].apply(eb, el, clipped(eb, el, v));
          });
          Value f;
          if (inputForget) {
            f = map({i}, [&](OpBuilder &eb, Location el, ValueRange a) {
              return arith::SubFOp::create(eb, el, scalarConstant(eb, el, element, 1), a[0]);
            });
          } else {
            f = map({pre(2), pf, cPrev}, [&](OpBuilder &eb, Location el, ValueRange a) {
              Value v =
                  arith::AddFOp::create(eb, el, a[0], arith::MulFOp::create(eb, el, a[1], a[2]));
              return act[0].apply(eb, el, clipped(eb, el, v));
            });
          }
          Value g = map({pre(3)}, [&](OpBuilder &eb, Location el, ValueRange a) {
            return act[1].apply(eb, el, clipped(eb, el, a[0]));
          });
          cNew = map({f, cPrev, i, g}, [](OpBuilder &eb, Location el, ValueRange a) {
            return arith::AddFOp::create(eb, el, arith::MulFOp::create(eb, el, a[0], a[1]),
                                         arith::MulFOp::create(eb, el, a[2], a[3]));
          });
          Value o = map({pre(1), po, cNew}, [&](OpBuilder &eb, Location el, ValueRange a) {
            Value v =
                arith::AddFOp::create(eb, el, a[0], arith::MulFOp::create(eb, el, a[1], a[2]));
            return act[0].apply(eb, el, clipped(eb, el, v));
          });
          hNew = map({o, cNew}, [&](OpBuilder &eb, Location el, ValueRange a) {
            return arith::MulFOp::create(eb, el, a[0], act[2].apply(eb, el, a[1]));
          });
        } else if (cell == Cell::GRU) {
          // Gate order z, r, h.
          Value z = map({gate(xwT, 0), gate(hr, 0)}, [&](OpBuilder &eb, Location el, ValueRange a) {
            return act[0].apply(eb, el, clipped(eb, el, arith::AddFOp::create(eb, el, a[0], a[1])));
          });
          Value r = map({gate(xwT, 1), gate(hr, 1)}, [&](OpBuilder &eb, Location el, ValueRange a) {
            return act[0].apply(eb, el, clipped(eb, el, arith::AddFOp::create(eb, el, a[0], a[1])));
          });
          Value candidate;
          if (linearBeforeReset) {
            candidate =
                map({gate(xwT, 2), r, gate(hr, 2)}, [&](OpBuilder &eb, Location el, ValueRange a) {
                  Value v = arith::AddFOp::create(eb, el, a[0],
                                                  arith::MulFOp::create(eb, el, a[1], a[2]));
                  return act[1].apply(eb, el, clipped(eb, el, v));
                });
          } else {
            Value rh = map({r, hPrev}, [](OpBuilder &eb, Location el, ValueRange a) {
              return arith::MulFOp::create(eb, el, a[0], a[1]);
            });
            Value rhR = matmulTransposed(nb, l, rh, sliceRows(nb, l, in.r, 2, hidden));
            candidate = map({gate(xwT, 2), rhR, sliceColumns(nb, l, in.rb, 2, hidden)},
                            [&](OpBuilder &eb, Location el, ValueRange a) {
                              Value v = arith::AddFOp::create(
                                  eb, el, a[0], arith::AddFOp::create(eb, el, a[1], a[2]));
                              return act[1].apply(eb, el, clipped(eb, el, v));
                            });
          }
          hNew = map({z, candidate, hPrev}, [&](OpBuilder &eb, Location el, ValueRange a) {
            Value one = scalarConstant(eb, el, element, 1);
            return arith::AddFOp::create(
                eb, el,
                arith::MulFOp::create(eb, el, arith::SubFOp::create(eb, el, one, a[0]), a[1]),
                arith::MulFOp::create(eb, el, a[0], a[2]));
          });
        } else {
          hNew = map({gate(xwT, 0), gate(hr, 0)}, [&](OpBuilder &eb, Location el, ValueRange a) {
            return act[0].apply(eb, el, clipped(eb, el, arith::AddFOp::create(eb, el, a[0], a[1])));
          });
        }
        Value yT = hNew;
        if (in.lengths) {
          // Past a sequence's length its state holds and its output is zero.
          Value tInt = arith::IndexCastOp::create(nb, l, nb.getI32Type(), t);
          auto maskType = RankedTensorType::get({batch, 1}, nb.getI1Type());
          Value lengths =
              reshapeTensor(nb, l, in.lengths, RankedTensorType::get({batch, 1}, nb.getI32Type()));
          Value valid = buildElementwise(
              nb, l, maskType, lengths, [&](OpBuilder &eb, Location el, ValueRange a) {
                return arith::CmpIOp::create(eb, el, arith::CmpIPredicate::slt, tInt, a[0]);
              });
          auto select = [&](Value a, Value b2) {
            return map({valid, a, b2}, [](OpBuilder &eb, Location el, ValueRange v) {
              return arith::SelectOp::create(eb, el, v[0], v[1], v[2]);
            });
          };
          yT = select(hNew, filledTensor(nb, l, stateType, scalarConstant(nb, l, element, 0)));
          hNew = select(hNew, hPrev);
          cNew = select(cNew, cPrev);
        }
        SmallVector<OpFoldResult> offsets{t, nb.getIndexAttr(0), nb.getIndexAttr(0)};
        SmallVector<OpFoldResult> sizes{nb.getIndexAttr(1), nb.getIndexAttr(batch),
                                        nb.getIndexAttr(hidden)};
        SmallVector<OpFoldResult> strides(3, nb.getIndexAttr(1));
        Value yNext = tensor::InsertSliceOp::create(nb, l, yT, carried[2], offsets, sizes, strides);
        scf::YieldOp::create(nb, l, ValueRange{hNew, cNew, yNext});
      });
  return SmallVector<Value>(loop.getResults());
}

/// Writes `part` (rank r) into `whole` (rank r + 1) at `index` of dim `dim`.
Value insertAt(OpBuilder &b, Location loc, Value part, Value whole, int64_t dim, int64_t index) {
  auto type = cast<RankedTensorType>(whole.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t d = 0; d < type.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(d == dim ? index : 0));
    sizes.push_back(b.getIndexAttr(d == dim ? 1 : type.getDimSize(d)));
  }
  return tensor::InsertSliceOp::create(b, loc, part, whole, offsets, sizes, strides);
}

template <typename OpTy, Cell cell> struct RecurrentToLoops : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    Type element = xType.getElementType();
    int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1), inputSize = xType.getDimSize(2);
    int64_t hidden = op.getHiddenSize();
    int64_t gates = cell == Cell::LSTM ? 4 : cell == Cell::GRU ? 3 : 1;
    int64_t perDirection = cell == Cell::LSTM ? 3 : cell == Cell::GRU ? 2 : 1;
    StringRef direction = op.getDirection();
    int64_t dirs = direction == "bidirectional" ? 2 : 1;
    std::optional<double> clip;
    if (op.getClip())
      clip = op.getClip()->convertToDouble();
    bool inputForget = false, linearBeforeReset = false;
    Value initialC, peepholes;
    if constexpr (cell == Cell::LSTM) {
      inputForget = op.getInputForget();
      initialC = op.getInitialC();
      peepholes = op.getP();
    }
    if constexpr (cell == Cell::GRU)
      linearBeforeReset = op.getLinearBeforeReset();

    auto seqType = RankedTensorType::get({seq, dirs, batch, hidden}, element);
    auto stateType = RankedTensorType::get({dirs, batch, hidden}, element);
    Value y = tensor::EmptyOp::create(rewriter, loc, seqType.getShape(), element);
    Value yH = tensor::EmptyOp::create(rewriter, loc, stateType.getShape(), element);
    Value yC = tensor::EmptyOp::create(rewriter, loc, stateType.getShape(), element);
    Value flatX = reshapeTensor(rewriter, loc, op.getX(),
                                RankedTensorType::get({seq * batch, inputSize}, element));
    for (int64_t d = 0; d < dirs; ++d) {
      auto activations = readActivations(op, op.getActivations(), op.getActivationAlpha(),
                                         op.getActivationBeta(), d, perDirection);
      if (failed(activations))
        return rewriter.notifyMatchFailure(op, "unknown activation function");
      DirectionInputs in;
      in.activations = *activations;
      in.reverse = direction == "reverse" || d == 1;
      OpFoldResult index = rewriter.getIndexAttr(d);
      Value w = sliceDim0(rewriter, loc, op.getW(), index);
      Value bias = sliceDim0(rewriter, loc, op.getB(), index);
      Value wb = sliceColumns(rewriter, loc, bias, 0, gates * hidden);
      in.rb = sliceColumns(rewriter, loc, bias, 1, gates * hidden);
      in.r = sliceDim0(rewriter, loc, op.getR(), index);
      Value xw = matmulTransposed(rewriter, loc, flatX, w);
      xw = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(xw.getType()), {xw, wb},
          [](OpBuilder &b, Location l, ValueRange a) { return createAdd(b, l, a[0], a[1]); });
      in.xw = reshapeTensor(rewriter, loc, xw,
                            RankedTensorType::get({seq, batch, gates * hidden}, element));
      in.h0 = sliceDim0(rewriter, loc, op.getInitialH(), index);
      if (initialC) {
        in.c0 = sliceDim0(rewriter, loc, initialC, index);
        in.p = sliceDim0(rewriter, loc, peepholes, index);
      }
      in.lengths = op.getSequenceLens();
      SmallVector<Value> results =
          runDirection(rewriter, loc, cell, in, hidden, clip, inputForget, linearBeforeReset);
      y = insertAt(rewriter, loc, results[2], y, 1, d);
      yH = insertAt(rewriter, loc, results[0], yH, 0, d);
      yC = insertAt(rewriter, loc, results[1], yC, 0, d);
    }
    SmallVector<Value> replacements{y, yH};
    if (cell == Cell::LSTM)
      replacements.push_back(yC);
    rewriter.replaceOp(op, replacements);
    return success();
  }
};
} // namespace

void mlir::nnc::populateNNRecurrentToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<RecurrentToLoops<nn::LSTMOp, Cell::LSTM>, RecurrentToLoops<nn::GRUOp, Cell::GRU>,
               RecurrentToLoops<nn::RNNOp, Cell::RNN>>(patterns.getContext());
}

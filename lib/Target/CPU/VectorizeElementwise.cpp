//===- VectorizeElementwise.cpp - parallel generics as 1-D vector loops ---===//
//
// Copies (im2col, the rhs packing), epilogues (bias, activation, residual
// add), depthwise convolutions, pooling windows and row reductions (softmax,
// normalization) otherwise become scalar loops that LLVM rarely vectorizes:
// their operands are views of one workspace, so it cannot prove that a store
// does not feed the next load.
// Here the innermost parallel loop is strip-mined by the vector width, every
// operand is read and written with 1-D vector transfers along it, and the
// body's scalar ops are applied to vectors; reduction loops run inside,
// carrying several result vectors in registers. A row reduction is vectorized
// along the row instead, into a vector of partial results folded at the end.
// A transposing op runs in square blocks, transposed in registers. A tail
// shorter than a vector is masked.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/IR/AffineExprVisitor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

#include <limits>

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUVECTORIZEELEMENTWISEPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// Whether `expr` steps by one with loop `dim`: `d<dim>` or `d<dim> + e` with
/// `e` free of `dim`.
bool isUnitStrideIn(AffineExpr expr, unsigned dim) {
  AffineExpr d = getAffineDimExpr(dim, expr.getContext());
  if (expr == d)
    return true;
  auto sum = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!sum || sum.getKind() != AffineExprKind::Add)
    return false;
  return (sum.getLHS() == d && !sum.getRHS().isFunctionOfDim(dim)) ||
         (sum.getRHS() == d && !sum.getLHS().isFunctionOfDim(dim));
}

/// The constant step of `expr` with loop `dim` when it is `c * d<dim>`
/// (or `c * d<dim> + e` with `e` free of `dim`) for c of 2 to 4: a strided
/// window, such as the input of a stride-2 convolution or pooling.
std::optional<int64_t> smallStrideIn(AffineExpr expr, unsigned dim) {
  AffineExpr d = getAffineDimExpr(dim, expr.getContext());
  if (auto sum = dyn_cast<AffineBinaryOpExpr>(expr); sum && sum.getKind() == AffineExprKind::Add) {
    if (!sum.getRHS().isFunctionOfDim(dim))
      expr = sum.getLHS();
    else if (!sum.getLHS().isFunctionOfDim(dim))
      expr = sum.getRHS();
    else
      return std::nullopt;
  }
  auto product = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!product || product.getKind() != AffineExprKind::Mul)
    return std::nullopt;
  auto step =
      dyn_cast<AffineConstantExpr>(product.getRHS() == d ? product.getLHS() : product.getRHS());
  if ((product.getLHS() != d && product.getRHS() != d) || !step || step.getValue() < 2 ||
      step.getValue() > 4)
    return std::nullopt;
  return step.getValue();
}

/// Whether `operand` can be read or written as vectors along loop `dim`:
/// `dim` only in its last index, with unit stride; inputs may instead not
/// depend on `dim` (broadcast) or step through it by a small stride (read
/// as a wider vector, every stride-th lane kept).
bool isContiguousAlong(AffineMap map, bool isResult, unsigned dim) {
  if (map.getNumResults() == 0)
    return !isResult;
  ArrayRef<AffineExpr> results = map.getResults();
  if (llvm::any_of(results.drop_back(), [&](AffineExpr e) { return e.isFunctionOfDim(dim); }))
    return false;
  if (!results.back().isFunctionOfDim(dim))
    return !isResult;
  return isUnitStrideIn(results.back(), dim) || (!isResult && smallStrideIn(results.back(), dim));
}

bool isContiguousAlong(linalg::GenericOp op, OpOperand &operand, unsigned dim) {
  return isContiguousAlong(op.getMatchingIndexingMap(&operand), op.isDpsInit(&operand), dim);
}

/// The loop to vectorize: the innermost parallel loop along which every
/// operand is contiguous (or broadcast); nullopt when the op does not qualify.
bool hasVectorizableBody(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 || op.getNumDpsInits() == 0 ||
      op.hasIndexSemantics())
    return false;
  if (op->hasAttr("nnc.cpu_kernel") || op->hasAttr("nnc.cpu_strategy"))
    return false;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat() ||
        type.getElementType().getIntOrFloatBitWidth() > 64)
      return false;
  }
  // Integer division traps on the zeros of a masked tail, and x86 has no
  // vector form of it anyway.
  for (Operation &bodyOp : op.getBody()->without_terminator())
    if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp, arith::CeilDivSIOp,
            arith::CeilDivUIOp, arith::FloorDivSIOp>(bodyOp) ||
        (!OpTrait::hasElementwiseMappableTraits(&bodyOp) &&
         !bodyOp.hasTrait<OpTrait::ConstantLike>()) ||
        bodyOp.getNumRegions() != 0 ||
        !llvm::all_of(bodyOp.getResultTypes(), [](Type t) { return t.isIntOrFloat(); }))
      return false;
  return true;
}

std::optional<unsigned> vectorLoop(linalg::GenericOp op) {
  if (!hasVectorizableBody(op))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned dim = op.getNumLoops(); dim-- > 0;) {
    if (iterators[dim] != utils::IteratorType::parallel)
      continue;
    if (llvm::all_of(op->getOpOperands(),
                     [&](OpOperand &operand) { return isContiguousAlong(op, operand, dim); }))
      return dim;
    // Only the innermost parallel loop is tried: outer ones would read the
    // results with a stride.
    return std::nullopt;
  }
  return std::nullopt;
}

/// The combining op of a row reduction: a generic with one result, one
/// reduction loop, innermost, along which every input is contiguous (or
/// broadcast), whose body ends in `out = combine(out, x)` for an f32 add,
/// max or min that is the result's only use. Null when the op is not one.
Operation *rowReductionCombiner(linalg::GenericOp op) {
  if (!hasVectorizableBody(op) || op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1)
    return nullptr;
  unsigned row = op.getNumLoops() - 1;
  if (op.getIteratorTypesArray()[row] != utils::IteratorType::reduction ||
      op.getStaticLoopRanges()[row] < 8)
    return nullptr;
  for (OpOperand *input : op.getDpsInputOperands())
    if (!isContiguousAlong(op, *input, row))
      return nullptr;
  Block *body = op.getBody();
  BlockArgument out = body->getArguments().back();
  Operation *combine = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!combine || !out.hasOneUse() || out.getUses().begin()->getOwner() != combine ||
      !combine->getResult(0).getType().isF32() ||
      !isa<arith::AddFOp, arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(
          combine))
    return nullptr;
  return combine;
}

/// A transposing elementwise op (a GEMM result in [pixels, channels] read
/// back as [channels, pixels], with its bias and activation): vectorized along
/// the loop `vector` of the result's last index, while the transposed inputs
/// are contiguous along another loop, `rows`. It is then run in blocks of
/// lanes x lanes elements: each transposed input is read as lanes vectors
/// along `rows` and transposed in registers.
struct TransposeLoops {
  unsigned vector, rows;
};

/// The loops of a transposing op (see TransposeLoops): all loops parallel,
/// one f32 result indexed by every loop with a loop last, and each input
/// contiguous along that loop (or broadcast), or indexed by loops with
/// `rows` (the same for all such inputs) last. Nothing for other ops.
std::optional<TransposeLoops> transposeLoops(linalg::GenericOp op) {
  if (!hasVectorizableBody(op) || op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0 ||
      !llvm::all_of(op->getOperandTypes(),
                    [](Type type) { return getElementTypeOrSelf(type).isF32(); }))
    return std::nullopt;
  AffineMap result = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!result.isPermutation())
    return std::nullopt;
  unsigned vector = cast<AffineDimExpr>(result.getResults().back()).getPosition();
  std::optional<unsigned> rows;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (isContiguousAlong(map, /*isResult=*/false, vector))
      continue;
    // Loops and zeros (a group or kernel dim of one), no loop twice.
    llvm::SmallDenseSet<unsigned> seen;
    for (AffineExpr expr : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      auto zero = dyn_cast<AffineConstantExpr>(expr);
      if (dim ? !seen.insert(dim.getPosition()).second : !zero || zero.getValue() != 0)
        return std::nullopt;
    }
    if (map.getNumResults() == 0 || !isa<AffineDimExpr>(map.getResults().back()))
      return std::nullopt;
    unsigned last = cast<AffineDimExpr>(map.getResults().back()).getPosition();
    if (rows && *rows != last)
      return std::nullopt;
    rows = last;
  }
  if (!rows || op.getStaticLoopRanges()[vector] < 2)
    return std::nullopt;
  return TransposeLoops{vector, *rows};
}

/// The `nnc.cpu_epilogue` op that nnc-cpu-tile put after `op` (a window or
/// reduction vectorized along `dim`) when it can run on `op`'s result
/// vectors: `op` has one result, started from a constant fill and indexed by
/// every parallel loop, the epilogue is its only user, reads it where it
/// writes its own result, and every other input is contiguous along `dim`
/// (or broadcast) at `op`'s loops. Null otherwise: it is then vectorized on
/// its own.
linalg::GenericOp fusableEpilogue(linalg::GenericOp op, unsigned dim) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return {};
  auto epilogue = dyn_cast<linalg::GenericOp>(*op->getResult(0).getUsers().begin());
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  AffineMap resultMap = op.getIndexingMapsArray().back();
  if (!epilogue || !epilogue->hasAttr(nnc::cpu::kEpilogueAttrName) || !fill || !fill->hasOneUse() ||
      !matchPattern(fill.getInputs()[0], m_Constant()) || !resultMap.isProjectedPermutation() ||
      static_cast<int64_t>(resultMap.getNumResults()) != op.getNumParallelLoops() ||
      epilogue.getNumDpsInits() != 1 || !hasVectorizableBody(epilogue) ||
      epilogue.getNumLoops() != resultMap.getNumResults() ||
      !epilogue.getIndexingMapsArray().back().isIdentity() ||
      !epilogue.getRegionOutputArgs()[0].use_empty())
    return {};
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    if (input->get() == op->getResult(0) ? !map.isIdentity()
                                         : !isContiguousAlong(map.compose(resultMap), false, dim))
      return {};
  }
  return epilogue;
}

/// Emits the op as: its other parallel loops, then the vector loop stepping
/// by groups of whole vectors (a masked tail last), and inside it the
/// reduction loops carrying the group's result vectors. Per result element
/// the reduction order is the op's own.
class ElementwiseVectorizer {
public:
  /// With `combine` (see rowReductionCombiner) `vectorDim` is the row being
  /// reduced: the row is folded into one vector of partial results, then
  /// into the result element.
  /// An `epilogue` (see fusableEpilogue) is applied to the result vectors,
  /// which are then written into its result instead.
  /// With `transposeRows` (see TransposeLoops) the op is run in transposed
  /// blocks.
  ElementwiseVectorizer(RewriterBase &rewriter, linalg::GenericOp op, unsigned vectorDim,
                        int64_t lanes, Operation *combine = nullptr,
                        linalg::GenericOp epilogue = {},
                        std::optional<unsigned> transposeRows = std::nullopt)
      : b(rewriter), op(op), epilogue(epilogue), loc(op.getLoc()), vectorDim(vectorDim),
        lanes(lanes), combine(combine), transposeRows(transposeRows) {
    ranges = op.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (unsigned dim = 0; dim < ranges.size(); ++dim) {
      if (dim == vectorDim)
        continue;
      (iterators[dim] == utils::IteratorType::parallel ? outerDims : reductionDims).push_back(dim);
    }
    ivs.assign(ranges.size(), Value());
    // See permuted.
    bool halved = false, otherStride = false;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.getNumResults() == 0)
        continue;
      std::optional<int64_t> stride = smallStrideIn(map.getResults().back(), vectorDim);
      halved |= stride == 2;
      otherStride |= stride && *stride != 2;
    }
    permuted = lanes == 8 && !combine && halved && !otherStride;
  }

  SmallVector<Value> emit() {
    // A result filled with a constant just for this op starts at it in
    // registers: the fill is not run and the result not read.
    SmallVector<Value> inits(op.getDpsInits());
    initValues.assign(inits.size(), Value());
    for (auto [operand, init, value] :
         llvm::zip_equal(op.getDpsInitsMutable(), inits, initValues)) {
      // Each result element is then written once, from its starting value:
      // the result is indexed by every parallel loop.
      auto fill = init.getDefiningOp<linalg::FillOp>();
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (!fill || !fill->hasOneUse() || !matchPattern(fill.getInputs()[0], m_Constant()) ||
          static_cast<int64_t>(map.getNumResults()) != op.getNumParallelLoops() ||
          !map.isProjectedPermutation())
        continue;
      value = fill.getInputs()[0];
      init = fill.getOutputs()[0];
    }
    // The epilogue's result has the op's result shape: it is written at the
    // same indices.
    if (epilogue)
      inits = {epilogue.getDpsInits()[0]};
    if (transposeRows)
      return transposedLoops(0, inits);
    return outerLoops(0, inits);
  }

private:
  Value constant(int64_t value) { return arith::ConstantIndexOp::create(b, loc, value); }

  /// A loop over `dim` from 0 to its range by `step`, carrying `acc`; `body`
  /// returns the next values.
  SmallVector<Value> loop(unsigned dim, int64_t end, int64_t step, ValueRange acc,
                          function_ref<SmallVector<Value>(ValueRange)> body) {
    auto loop = scf::ForOp::create(b, loc, constant(0), constant(end), constant(step), acc);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    ivs[dim] = loop.getInductionVar();
    scf::YieldOp::create(b, loc, body(loop.getRegionIterArgs()));
    ivs[dim] = Value();
    return SmallVector<Value>(loop.getResults());
  }

  SmallVector<Value> outerLoops(unsigned i, SmallVector<Value> acc) {
    int64_t rows = combine ? 1 : rowGroupSize();
    if (i + 1 == outerDims.size() && rows > 1) {
      // Whole rows at a time, all of their vectors (see rowGroupSize).
      unsigned row = outerDims[i];
      return loop(row, ranges[row], rows, acc, [&](ValueRange next) {
        SmallVector<Member> oneRow = rowMembers(), members;
        for (Value at : consecutive(ivs[row], rows))
          for (Member member : oneRow)
            members.push_back({at, member.start, member.mask});
        return vectorStep(next, members);
      });
    }
    int64_t pixels = combine ? 1 : sharedWeightRows();
    if (i + 1 == outerDims.size() && pixels > 1) {
      // Blocks of rows, each step the same vectors of every row of the
      // block (see sharedWeightRows).
      unsigned row = outerDims[i];
      return loop(row, ranges[row], pixels, acc, [&](ValueRange next) {
        return vectorLoop(SmallVector<Value>(next), consecutive(ivs[row], pixels),
                          kMaxGroup / pixels);
      });
    }
    if (i < outerDims.size())
      return loop(outerDims[i], ranges[outerDims[i]], 1, acc,
                  [&](ValueRange next) { return outerLoops(i + 1, SmallVector<Value>(next)); });
    if (combine)
      return {reduceRow(acc[0])};
    return vectorLoop(acc, {}, kMaxGroup);
  }

  /// `first`, first + 1, ..., first + count - 1.
  SmallVector<Value> consecutive(Value first, int64_t count) {
    SmallVector<Value> values{first};
    for (int64_t i = 1; i < count; ++i)
      values.push_back(arith::AddIOp::create(b, loc, first, constant(i)));
    return values;
  }

  /// The vector loop: groups of up to `maxGroup` whole vectors, the whole
  /// vectors left, the masked tail; each step at every one of `rows` (the
  /// current row when empty).
  SmallVector<Value> vectorLoop(SmallVector<Value> acc, ArrayRef<Value> rows, int64_t maxGroup) {
    auto atRows = [&](SmallVector<Member> vectors) {
      if (rows.empty())
        return vectors;
      SmallVector<Member> members;
      for (Value row : rows)
        for (Member member : vectors)
          members.push_back({row, member.start, member.mask});
      return members;
    };
    int64_t extent = ranges[vectorDim], full = extent / lanes * lanes;
    int64_t group = groupSize(full / lanes, maxGroup);
    int64_t grouped = full / (group * lanes) * group * lanes;
    if (grouped > 0)
      acc = loop(vectorDim, grouped, group * lanes, acc, [&](ValueRange next) {
        return vectorStep(next, atRows(wholeVectors(ivs[vectorDim], group)));
      });
    if (grouped < full)
      acc = vectorStep(acc, atRows(wholeVectors(constant(grouped), (full - grouped) / lanes)));
    if (full < extent)
      acc = vectorStep(acc, atRows({tailMember()}));
    return acc;
  }

  /// The loops of a transposing op: the other loops one at a time, then
  /// blocks of lanes along `transposeRows` and along the vector loop (each
  /// with a masked tail).
  SmallVector<Value> transposedLoops(unsigned i, SmallVector<Value> acc) {
    unsigned rows = *transposeRows;
    if (i < outerDims.size() && outerDims[i] == rows)
      return transposedLoops(i + 1, acc);
    if (i < outerDims.size())
      return loop(outerDims[i], ranges[outerDims[i]], 1, acc, [&](ValueRange next) {
        return transposedLoops(i + 1, SmallVector<Value>(next));
      });
    // Blocks along `rows`, then along the vector loop, each dim by lanes
    // with a shorter last block.
    auto blocks = [&](unsigned dim, ValueRange acc,
                      function_ref<SmallVector<Value>(ValueRange, int64_t)> body) {
      int64_t extent = ranges[dim], full = extent / lanes * lanes;
      SmallVector<Value> results(acc);
      if (full > 0)
        results =
            loop(dim, full, lanes, results, [&](ValueRange next) { return body(next, lanes); });
      if (full < extent) {
        ivs[dim] = constant(full);
        results = body(results, extent - full);
        ivs[dim] = Value();
      }
      return results;
    };
    return blocks(rows, acc, [&](ValueRange acc, int64_t rowCount) {
      return blocks(vectorDim, acc, [&](ValueRange acc, int64_t columns) {
        return transposedBlock(acc, rowCount, columns);
      });
    });
  }

  /// A mask of the first `count` lanes; null for all of them.
  Value prefixMask(int64_t count) {
    if (count == lanes)
      return Value();
    return vector::CreateMaskOp::create(b, loc, VectorType::get({lanes}, b.getI1Type()),
                                        ValueRange{constant(count)});
  }

  /// The `rowCount` x `columns` block at the current indices: each
  /// transposed input read as `columns` vectors along the rows and
  /// transposed; per row, the body on the other operands' vectors along the
  /// vector loop, and the result written.
  SmallVector<Value> transposedBlock(ValueRange acc, int64_t rowCount, int64_t columns) {
    unsigned rows = *transposeRows;
    SmallVector<Value> saved(ivs);
    Value rowStart = ivs[rows], columnStart = ivs[vectorDim];
    Value rowMask = prefixMask(rowCount), columnMask = prefixMask(columns);
    auto vectorType = VectorType::get({lanes}, b.getF32Type());
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(vectorType));
    Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    DenseMap<Value, SmallVector<Value>> transposed;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (isContiguousAlong(map, /*isResult=*/false, vectorDim))
        continue;
      SmallVector<Value> columnVectors;
      for (int64_t column = 0; column < lanes; ++column) {
        if (column >= columns) {
          columnVectors.push_back(zero);
          continue;
        }
        ivs[vectorDim] =
            column ? arith::AddIOp::create(b, loc, columnStart, constant(column)) : columnStart;
        auto type = cast<RankedTensorType>(input->get().getType());
        columnVectors.push_back(vector::TransferReadOp::create(
            b, loc, vectorType, input->get(), indices(map),
            AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext()), padding, rowMask,
            b.getBoolArrayAttr({true})));
      }
      ivs[vectorDim] = columnStart;
      transposed[input->get()] = transpose8x8(columnVectors);
    }
    SmallVector<Value> results(acc);
    for (int64_t row = 0; row < rowCount; ++row) {
      ivs[rows] = row ? arith::AddIOp::create(b, loc, rowStart, constant(row)) : rowStart;
      IRMapping mapping;
      Block *block = op.getBody();
      for (OpOperand *input : op.getDpsInputOperands()) {
        Value arg = block->getArgument(input->getOperandNumber());
        auto found = transposed.find(input->get());
        mapping.map(arg, found != transposed.end()
                             ? found->second[row]
                             : read(input->get(), op.getMatchingIndexingMap(input), columnMask));
      }
      OpOperand &init = op.getDpsInitsMutable()[0];
      mapping.map(block->getArgument(init.getOperandNumber()),
                  resultVectors(results, columnMask).front());
      results[0] = write(vectorBody(block, mapping).front(), results[0], init, columnMask);
    }
    ivs = saved;
    return results;
  }

  /// The 8 x 8 transpose of `rows` (vectors of 8): the AVX unpack, shuffle
  /// and 128-bit permute network, 24 two-source shuffles.
  SmallVector<Value> transpose8x8(ArrayRef<Value> rows) {
    auto shuffle = [&](Value x, Value y, ArrayRef<int64_t> mask) {
      return vector::ShuffleOp::create(b, loc, x, y, mask).getResult();
    };
    SmallVector<Value> unpacked, paired(8), columns(8);
    for (int64_t i = 0; i < 8; i += 2) {
      unpacked.push_back(shuffle(rows[i], rows[i + 1], {0, 8, 1, 9, 4, 12, 5, 13}));
      unpacked.push_back(shuffle(rows[i], rows[i + 1], {2, 10, 3, 11, 6, 14, 7, 15}));
    }
    // unpacked[2p + h] interleaves rows 2p and 2p + 1: elements 0-1 and 4-5
    // (h = 0) or 2-3 and 6-7 (h = 1).
    for (int64_t g = 0; g < 2; ++g)
      for (int64_t h = 0; h < 2; ++h) {
        Value x = unpacked[4 * g + h], y = unpacked[4 * g + 2 + h];
        paired[4 * g + 2 * h] = shuffle(x, y, {0, 1, 8, 9, 4, 5, 12, 13});
        paired[4 * g + 2 * h + 1] = shuffle(x, y, {2, 3, 10, 11, 6, 7, 14, 15});
      }
    // paired[j] (j < 4) holds column j of rows 0-3 in its low half and
    // column j + 4 in its high half; paired[4 + j] the same for rows 4-7.
    for (int64_t j = 0; j < 4; ++j) {
      columns[j] = shuffle(paired[j], paired[4 + j], {0, 1, 2, 3, 8, 9, 10, 11});
      columns[j + 4] = shuffle(paired[j], paired[4 + j], {4, 5, 6, 7, 12, 13, 14, 15});
    }
    return columns;
  }

  /// The indices of an operand with map `map` at the current loop values.
  /// Loops not entered yet (the reductions, around a result access) do not
  /// occur in the map; they are given 0.
  SmallVector<Value> indices(AffineMap map) {
    SmallVector<Value> operands;
    for (Value iv : ivs)
      operands.push_back(iv ? iv : constant(0));
    SmallVector<Value> result;
    for (unsigned i = 0; i < map.getNumResults(); ++i)
      result.push_back(
          affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), operands).getResult());
    return result;
  }

  Value read(Value source, AffineMap map, Value mask) {
    auto type = cast<RankedTensorType>(source.getType());
    Type element = type.getElementType();
    auto vectorType = VectorType::get({lanes}, element);
    SmallVector<Value> at = indices(map);
    if (map.getNumResults() == 0 || !map.getResults().back().isFunctionOfDim(vectorDim))
      return vector::BroadcastOp::create(b, loc, vectorType,
                                         tensor::ExtractOp::create(b, loc, source, at));
    Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    AffineMap minor = AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext());
    if (std::optional<int64_t> stride = smallStrideIn(map.getResults().back(), vectorDim)) {
      // `stride` vectors' worth from the first element, every stride-th lane
      // kept. A wide read that may run past the end of the row (the last
      // index, at its largest, plus the vector) is bounds-checked: lanes
      // there read the padding, and a kept one only belongs to a masked tail.
      std::optional<int64_t> last = largestValue(map.getResults().back(), mask != nullptr);
      // A tile of a window reads only up to the last element it uses, but the
      // row it was cut from usually goes on (a padded input): the wide read
      // then stays in bounds of that.
      if (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>();
          slice && last && slice.hasUnitStride() &&
          slice.getSourceType().getRank() == type.getRank() &&
          ShapedType::isStatic(slice.getStaticOffsets().back()) &&
          *last + lanes * *stride > type.getShape().back()) {
        for (auto [index, offset] : llvm::zip_equal(at, slice.getMixedOffsets()))
          index =
              arith::AddIOp::create(b, loc, index, getValueOrCreateConstantIndexOp(b, loc, offset));
        *last += slice.getStaticOffsets().back();
        source = slice.getSource();
        type = slice.getSourceType();
      }
      bool inBounds = last && *last + lanes * *stride <= type.getShape().back();
      Value wide = vector::TransferReadOp::create(
          b, loc, VectorType::get({lanes * *stride}, element), source, at, minor, padding,
          /*mask=*/Value(), b.getBoolArrayAttr({inBounds}));
      SmallVector<int64_t> kept;
      if (permuted)
        kept = {0, 2, 8, 10, 4, 6, 12, 14};
      else
        for (int64_t lane = 0; lane < lanes; ++lane)
          kept.push_back(lane * *stride);
      return vector::ShuffleOp::create(b, loc, wide, wide, kept);
    }
    return permute(vector::TransferReadOp::create(b, loc, vectorType, source, at, minor, padding,
                                                  mask, b.getBoolArrayAttr({true})));
  }

  /// `value` with lanes 2-3 and 4-5 swapped when the op runs permuted (see
  /// permuted); the swap is its own inverse.
  Value permute(Value value) {
    if (!permuted)
      return value;
    return vector::ShuffleOp::create(b, loc, value, value,
                                     ArrayRef<int64_t>{0, 1, 4, 5, 2, 3, 6, 7});
  }

  /// The largest value `expr` takes where vectors start along the vector
  /// loop (at the masked tail too, with `tail`), when it is a sum of loops
  /// and constants with non-negative coefficients.
  std::optional<int64_t> largestValue(AffineExpr expr, bool tail) {
    int64_t extent = ranges[vectorDim];
    int64_t lastStart = tail ? extent / lanes * lanes : (extent / lanes - 1) * lanes;
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      return dim.getPosition() == vectorDim ? lastStart : ranges[dim.getPosition()] - 1;
    if (auto constant = dyn_cast<AffineConstantExpr>(expr))
      return constant.getValue() >= 0 ? std::optional(constant.getValue()) : std::nullopt;
    auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
    if (!binary ||
        (binary.getKind() != AffineExprKind::Add && binary.getKind() != AffineExprKind::Mul))
      return std::nullopt;
    std::optional<int64_t> lhs = largestValue(binary.getLHS(), tail),
                           rhs = largestValue(binary.getRHS(), tail);
    if (!lhs || !rhs)
      return std::nullopt;
    return binary.getKind() == AffineExprKind::Add ? *lhs + *rhs : *lhs * *rhs;
  }

  /// The row at the current indices folded into the result element: vector
  /// partial results across the row (lanes past a masked tail keep theirs),
  /// then a horizontal reduction and the result's own value.
  Value reduceRow(Value result) {
    Type f32 = b.getF32Type();
    auto vectorType = VectorType::get({lanes}, f32);
    double neutral = isa<arith::AddFOp>(combine) ? 0.0
                     : isa<arith::MaximumFOp, arith::MaxNumFOp>(combine)
                         ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
    Value partial = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vectorType, b.getFloatAttr(f32, neutral)));
    int64_t extent = ranges[vectorDim], full = extent / lanes * lanes;
    if (full > 0)
      partial = loop(vectorDim, full, lanes, partial,
                     [&](ValueRange next) { return body(next, /*mask=*/nullptr); })[0];
    if (full < extent) {
      ivs[vectorDim] = constant(full);
      Value mask = prefixMask(extent - full);
      partial = arith::SelectOp::create(b, loc, mask, body(partial, mask)[0], partial);
      ivs[vectorDim] = Value();
    }
    auto kind = isa<arith::AddFOp>(combine)       ? vector::CombiningKind::ADD
                : isa<arith::MaximumFOp>(combine) ? vector::CombiningKind::MAXIMUMF
                : isa<arith::MinimumFOp>(combine) ? vector::CombiningKind::MINIMUMF
                : isa<arith::MaxNumFOp>(combine)  ? vector::CombiningKind::MAXNUMF
                                                  : vector::CombiningKind::MINNUMF;
    Value folded = vector::ReductionOp::create(b, loc, kind, partial);
    OpOperand &init = op.getDpsInitsMutable()[0];
    SmallVector<Value> at = indices(op.getMatchingIndexingMap(&init));
    Value current = initValues[0] ? initValues[0] : tensor::ExtractOp::create(b, loc, result, at);
    OperationState state(loc, combine->getName(), ValueRange{current, folded}, {f32},
                         combine->getAttrs());
    Value combined = b.create(state)->getResult(0);
    return tensor::InsertOp::create(b, loc, combined, result, at);
  }

  /// One vector of results: at `row` of the row loop when set (else the
  /// current one) and `start` of the vector loop, masked by `mask` if set.
  struct Member {
    Value row, start, mask;
  };

  /// `count` whole vectors along the vector loop from `start`.
  SmallVector<Member> wholeVectors(Value start, int64_t count) {
    SmallVector<Member> members;
    for (int64_t i = 0; i < count; ++i)
      members.push_back(
          {Value(), i ? arith::AddIOp::create(b, loc, start, constant(i * lanes)) : start, {}});
    return members;
  }

  /// The masked vector after the whole ones along the vector loop.
  Member tailMember() {
    int64_t extent = ranges[vectorDim], full = extent / lanes * lanes;
    return {Value(), constant(full), prefixMask(extent - full)};
  }

  /// Each vector of one row: the whole ones, then the masked tail.
  SmallVector<Member> rowMembers() {
    int64_t extent = ranges[vectorDim];
    SmallVector<Member> members = wholeVectors(constant(0), extent / lanes);
    if (extent % lanes != 0)
      members.push_back(tailMember());
    return members;
  }

  // With reduction loops inside (a depthwise convolution, a pooling window),
  // each result vector is a chain of dependent FMAs (or max) through the
  // window: one vector at a time runs at the latency of that chain
  // (MobileNetV2's 3x3 depthwise convolutions ran at a quarter of the FMA
  // throughput). Several result vectors carried together are independent
  // chains; at most kMaxGroup, to leave registers for the input and weight.
  static constexpr int64_t kMaxGroup = 8;

  /// How many of the `vectors` whole vectors along the vector loop one step
  /// computes: all of them up to `maxGroup`, else a divisor when there is
  /// one (14 vectors of a 112-wide row: groups of 7).
  int64_t groupSize(int64_t vectors, int64_t maxGroup) const {
    if (reductionDims.empty() || vectors <= 1 || maxGroup <= 1)
      return 1;
    if (vectors <= maxGroup)
      return vectors;
    for (int64_t group = maxGroup; group > 1; --group)
      if (vectors % group == 0)
        return group;
    return maxGroup;
  }

  /// How many rows (iterations of the innermost other parallel loop) one
  /// step computes when an input along the vector loop does not depend on
  /// the row (a channels-last depthwise convolution's weight, vectorized
  /// along the channels): that vector is then read once for all of them,
  /// instead of once per result vector, which made the convolution bound by
  /// its loads. The largest divisor of the row count up to kMaxGroup; 1 when
  /// there is no such input or rowGroupSize applies.
  int64_t sharedWeightRows() {
    if (reductionDims.empty() || outerDims.empty() || rowGroupSize() > 1)
      return 1;
    unsigned row = outerDims.back();
    bool shared = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
      AffineMap map = op.getMatchingIndexingMap(input);
      return map.isFunctionOfDim(vectorDim) && !map.isFunctionOfDim(row);
    });
    if (!shared)
      return 1;
    for (int64_t rows = kMaxGroup; rows > 1; --rows)
      if (ranges[row] % rows == 0)
        return rows;
    return 1;
  }

  /// How many rows (iterations of the innermost other parallel loop) one
  /// step computes, all their vectors together: for rows of at most half
  /// a group (28, 14 or 7 wide), which alone make too few chains. A divisor
  /// of the row count; 1 when none fits.
  int64_t rowGroupSize() const {
    if (reductionDims.empty() || outerDims.empty())
      return 1;
    int64_t perRow = llvm::divideCeil(ranges[vectorDim], lanes);
    if (perRow == 0 || perRow > kMaxGroup / 2)
      return 1;
    for (int64_t rows = kMaxGroup / perRow; rows > 1; --rows)
      if (ranges[outerDims.back()] % rows == 0)
        return rows;
    return 1;
  }

  /// The result vectors of `members`: read the results, run the reductions
  /// (if any) on them, write them back into `acc`.
  SmallVector<Value> vectorStep(ValueRange acc, ArrayRef<Member> members) {
    SmallVector<Value> saved(ivs);
    SmallVector<Value> values;
    for (const Member &member : members) {
      enter(member);
      values.append(resultVectors(acc, member.mask));
    }
    values = reductionLoops(0, values, members);
    unsigned numResults = op.getNumDpsInits();
    SmallVector<Value> results(acc);
    for (auto [index, member] : llvm::enumerate(members)) {
      enter(member);
      SmallVector<Value> mine(ArrayRef(values).slice(index * numResults, numResults));
      if (epilogue)
        mine = {applyEpilogue(mine.front(), member.mask)};
      for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable()))
        results[i] = write(permute(mine[i]), results[i], init, member.mask);
    }
    ivs = saved;
    return results;
  }

  /// `value` written into `dest` (the current value of result `init`) where
  /// the result element at the current indices goes.
  Value write(Value value, Value dest, OpOperand &init, Value mask) {
    auto type = cast<RankedTensorType>(dest.getType());
    return vector::TransferWriteOp::create(
               b, loc, type, value, dest, indices(op.getMatchingIndexingMap(&init)),
               AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext()), mask,
               b.getBoolArrayAttr({true}))
        .getResult();
  }

  /// Sets the loop values to `member`'s.
  void enter(const Member &member) {
    ivs[vectorDim] = member.start;
    if (member.row)
      ivs[outerDims.back()] = member.row;
  }

  /// The result vectors at the current indices, before the reductions.
  SmallVector<Value> resultVectors(ValueRange acc, Value mask) {
    // Results the body does not read start as zeros instead of a load.
    SmallVector<Value> values;
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      if (initValues[i]) {
        values.push_back(vector::BroadcastOp::create(
            b, loc, VectorType::get({lanes}, initValues[i].getType()), initValues[i]));
        continue;
      }
      if (op.getBody()->getArgument(init.getOperandNumber()).use_empty()) {
        Type element = getElementTypeOrSelf(init.get().getType());
        values.push_back(arith::ConstantOp::create(
            b, loc,
            DenseElementsAttr::get(VectorType::get({lanes}, element), b.getZeroAttr(element))));
        continue;
      }
      values.push_back(read(acc[i], op.getMatchingIndexingMap(&init), mask));
    }
    return values;
  }

  /// The reduction loops carrying `values`: the results of each of
  /// `members`, one after the other.
  SmallVector<Value> reductionLoops(unsigned i, SmallVector<Value> values,
                                    ArrayRef<Member> members) {
    if (i < reductionDims.size())
      return loop(reductionDims[i], ranges[reductionDims[i]], 1, values, [&](ValueRange next) {
        return reductionLoops(i + 1, SmallVector<Value>(next), members);
      });
    unsigned numResults = op.getNumDpsInits();
    SmallVector<Value> saved(ivs), next;
    for (auto [index, member] : llvm::enumerate(members)) {
      enter(member);
      next.append(body(ArrayRef(values).slice(index * numResults, numResults), member.mask));
    }
    ivs = saved;
    return next;
  }

  /// The op's body on vectors, given the current result vectors.
  SmallVector<Value> body(ValueRange results, Value mask) {
    IRMapping mapping;
    Block *block = op.getBody();
    for (OpOperand *input : op.getDpsInputOperands())
      mapping.map(block->getArgument(input->getOperandNumber()),
                  read(input->get(), op.getMatchingIndexingMap(input), mask));
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable()))
      mapping.map(block->getArgument(init.getOperandNumber()), results[i]);
    return vectorBody(block, mapping);
  }

  /// The epilogue's body on the op's result vector `value`: its other
  /// inputs are read where the result element goes.
  Value applyEpilogue(Value value, Value mask) {
    IRMapping mapping;
    Block *block = epilogue.getBody();
    AffineMap resultMap = op.getIndexingMapsArray().back();
    for (OpOperand *input : epilogue.getDpsInputOperands()) {
      Value arg = block->getArgument(input->getOperandNumber());
      if (input->get() == op->getResult(0))
        mapping.map(arg, value);
      else
        mapping.map(arg, read(input->get(),
                              epilogue.getMatchingIndexingMap(input).compose(resultMap), mask));
    }
    return vectorBody(block, mapping).front();
  }

  /// The ops of `block` on vectors, its arguments mapped; returns the
  /// yielded vectors.
  SmallVector<Value> vectorBody(Block *block, IRMapping &mapping) {
    for (Operation &bodyOp : block->without_terminator()) {
      if (bodyOp.hasTrait<OpTrait::ConstantLike>()) {
        Operation *scalar = b.clone(bodyOp);
        mapping.map(bodyOp.getResult(0), vectorOf(scalar->getResult(0), mapping));
        continue;
      }
      SmallVector<Value> operands;
      for (Value operand : bodyOp.getOperands())
        operands.push_back(vectorOf(operand, mapping));
      SmallVector<Type> types;
      for (Type t : bodyOp.getResultTypes())
        types.push_back(VectorType::get({lanes}, t));
      OperationState state(loc, bodyOp.getName(), operands, types, bodyOp.getAttrs());
      mapping.map(bodyOp.getResults(), b.create(state)->getResults());
    }
    SmallVector<Value> next;
    for (Value yielded : block->getTerminator()->getOperands())
      next.push_back(vectorOf(yielded, mapping));
    return next;
  }

  /// The vector for a body value: mapped, or a broadcast of a value from
  /// outside the body (a captured scalar).
  Value vectorOf(Value scalar, IRMapping &mapping) {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    Value splat =
        vector::BroadcastOp::create(b, loc, VectorType::get({lanes}, scalar.getType()), scalar);
    mapping.map(scalar, splat);
    return splat;
  }

  RewriterBase &b;
  linalg::GenericOp op, epilogue;
  Location loc;
  unsigned vectorDim;
  int64_t lanes;
  Operation *combine;
  SmallVector<int64_t> ranges;
  SmallVector<unsigned> outerDims, reductionDims;
  /// The current value of every loop, indexed by loop.
  SmallVector<Value> ivs;
  /// Per result, the constant it was filled with (see emit), or null.
  SmallVector<Value> initValues;
  /// Whether result vectors are computed with lanes 2-3 and 4-5 swapped: an
  /// op reading stride-2 windows with 8 lanes. Keeping every other element of
  /// two vectors in that order is one vshufps per read instead of vshufps +
  /// vpermpd (MobileNetV2's stride-2 depthwise convolutions spent 28% of
  /// their time in vpermpd); contiguous reads and the written results are
  /// swapped once instead.
  bool permuted = false;
  std::optional<unsigned> transposeRows;
};

struct NNCCPUVectorizeElementwisePass final
    : nnc::impl::NNCCPUVectorizeElementwisePassBase<NNCCPUVectorizeElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    int64_t lanes = std::max<int64_t>(vectorBits / 32, 1);
    SmallVector<std::tuple<linalg::GenericOp, unsigned, Operation *>> ops;
    SmallVector<std::pair<linalg::GenericOp, TransposeLoops>> transposes;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<unsigned> dim = vectorLoop(op))
        ops.push_back({op, *dim, nullptr});
      else if (Operation *combine = rowReductionCombiner(op))
        ops.push_back({op, op.getNumLoops() - 1, combine});
      else if (std::optional<TransposeLoops> loops = transposeLoops(op); loops && lanes == 8)
        transposes.push_back({op, *loops});
    });
    IRRewriter rewriter(&getContext());
    for (auto [op, loops] : transposes) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(
          op,
          ElementwiseVectorizer(rewriter, op, loops.vector, lanes, nullptr, {}, loops.rows).emit());
    }
    DenseSet<Operation *> applied;
    for (auto [op, dim, combine] : ops) {
      if (applied.contains(op))
        continue;
      linalg::GenericOp epilogue = combine ? linalg::GenericOp() : fusableEpilogue(op, dim);
      if (!epilogue) {
        rewriter.setInsertionPoint(op);
        rewriter.replaceOp(op, ElementwiseVectorizer(rewriter, op, dim, lanes, combine).emit());
        continue;
      }
      applied.insert(epilogue);
      rewriter.setInsertionPoint(epilogue);
      SmallVector<Value> results =
          ElementwiseVectorizer(rewriter, op, dim, lanes, nullptr, epilogue).emit();
      rewriter.replaceOp(epilogue, results);
      rewriter.eraseOp(op);
    }
  }
};
} // namespace

//===- Vectorize.cpp - register tiles -> vector code ----------------------===//
//
// A register tile of a contraction, C[mr x nr] += A[mr x K] * B[K x nr], is
// written directly as the inner kernel of a BLAS: mr accumulator vectors of nr
// lanes are loop-carried through a loop over k whose body loads one row of B
// and issues, per row i, fma(broadcast(A[i, k]), B[k, :], acc[i]). On AVX-512
// with mr = 8 and nr = 48 that is 24 accumulator registers and 24 FMAs per
// three loads of B. Writing the kernel out, rather than vectorizing a generic
// op and relying on hoisting to keep C in registers, makes its shape a direct
// consequence of the strategy.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUVECTORIZEPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
class ContractionKernel {
public:
  /// A tile of at most `registerRows` x `columns` of the result, in vectors
  /// of `lanes` elements (`columns` is a multiple of `lanes`).
  /// With `initValue`, the accumulators start at it rather than at the
  /// values of the op's init (which is then never read); with `firstBlock`
  /// too, only when that i1 is set (the first cache block of k), else at the
  /// init's values.
  /// `rowRemainders` are the row counts short of a whole tile that the tile
  /// can have when its row count is only known at run time (any, without).
  /// An `epilogue` (an elementwise op whose loops are the result's dims, the
  /// only user of the result) is applied to the finished accumulators, which
  /// are then stored into its result instead.
  ContractionKernel(RewriterBase &rewriter, linalg::GenericOp op,
                    const cpu::ContractionShape &shape, int64_t registerRows, int64_t columns,
                    int64_t lanes, FloatAttr initValue, Value firstBlock,
                    std::optional<ArrayRef<int64_t>> rowRemainders, linalg::GenericOp epilogue)
      : b(rewriter), op(op), epilogue(epilogue), shape(shape), registerRows(registerRows),
        loc(op.getLoc()), vectorType(VectorType::get({lanes}, rewriter.getF32Type())),
        firstBlock(firstBlock), rowRemainders(rowRemainders) {
    if (initValue)
      initVector = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(vectorType, initValue.getValue()));
    maps = op.getIndexingMapsArray();
    int64_t extent = op.getStaticLoopRanges()[shape.n];
    // Chunks past a static extent are dropped; the last partial one and all
    // of a dynamic extent are masked.
    for (int64_t first = 0; first < columns; first += lanes) {
      if (ShapedType::isStatic(extent) && first >= extent)
        break;
      chunkStarts.push_back(arith::ConstantIndexOp::create(b, loc, first));
      chunkInBounds.push_back(ShapedType::isStatic(extent) && first + lanes <= extent);
    }
    zero = arith::ConstantIndexOp::create(b, loc, 0);
    one = arith::ConstantIndexOp::create(b, loc, 1);
    padding = arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
    for (Range range : cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc))
      loopSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, range.size));
  }

  Value emit() {
    Value acc = epilogue ? epilogue.getDpsInits()[0] : op.getDpsInits()[0];
    std::optional<int64_t> rows = getConstantIntValue(loopSizes[shape.m]);
    if (rows)
      return emitRows(*rows, zero, acc);
    // An unknown row count: blocks of `registerRows` rows, then the rows
    // left over as one shorter tile, switched on their count; a count the
    // strategy did not foresee runs row by row.
    Value size = loopSizes[shape.m];
    Value block = arith::ConstantIndexOp::create(b, loc, registerRows);
    Value fullRows = arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, size, block),
                                           block);
    acc = rowLoop(zero, fullRows, block, registerRows, acc);
    if (registerRows == 1)
      return acc;
    Value leftOver = arith::SubIOp::create(b, loc, size, fullRows);
    SmallVector<int64_t> counts;
    for (int64_t rows : llvm::seq<int64_t>(1, registerRows))
      if (!rowRemainders || llvm::is_contained(*rowRemainders, rows))
        counts.push_back(rows);
    auto remainder =
        scf::IndexSwitchOp::create(b, loc, acc.getType(), leftOver, counts, counts.size());
    OpBuilder::InsertionGuard guard(b);
    for (auto [rows, region] : llvm::zip_equal(counts, remainder.getCaseRegions())) {
      b.setInsertionPointToStart(&region.emplaceBlock());
      scf::YieldOp::create(b, loc, emitRows(rows, fullRows, acc));
    }
    b.setInsertionPointToStart(&remainder.getDefaultRegion().emplaceBlock());
    if (counts.size() + 1 == static_cast<size_t>(registerRows))
      scf::YieldOp::create(b, loc, acc);
    else
      scf::YieldOp::create(b, loc, rowLoop(fullRows, size, one, 1, acc));
    return remainder.getResult(0);
  }

private:
  Value rowLoop(Value begin, Value end, Value step, int64_t rows, Value acc) {
    auto loop = scf::ForOp::create(b, loc, begin, end, step, ValueRange{acc});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value result = emitRows(rows, loop.getInductionVar(), loop.getRegionIterArgs()[0]);
    scf::YieldOp::create(b, loc, result);
    return loop.getResult(0);
  }

  /// The indices of operand `operand` at loop values `values` (other loops
  /// 0). A sliding window's last rhs index is left 0: `read` sets it.
  SmallVector<Value> indices(unsigned operand, const DenseMap<unsigned, Value> &values) {
    SmallVector<Value> result;
    for (AffineExpr expr : maps[operand].getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      result.push_back(dim ? values.lookup_or(dim.getPosition(), zero) : zero);
    }
    return result;
  }

  Value rowIndex(Value firstRow, int64_t i) {
    if (i == 0)
      return firstRow;
    return arith::AddIOp::create(b, loc, firstRow, arith::ConstantIndexOp::create(b, loc, i));
  }

  /// Vector `chunk` of a row of `source` at `at`, shifted by `offset` (plus
  /// `shift`, when given) along n.
  Value read(OpBuilder &nb, Location l, Value source, SmallVector<Value> at, size_t chunk,
             int64_t offset = 0, Value shift = nullptr) {
    at.back() = offset == 0 ? chunkStarts[chunk]
                            : arith::ConstantIndexOp::create(nb, l, chunkStart(chunk) + offset);
    if (shift)
      at.back() = arith::AddIOp::create(nb, l, at.back(), shift);
    return vector::TransferReadOp::create(nb, l, vectorType, source, at, padding,
                                          ArrayRef<bool>{chunkInBounds[chunk]});
  }

  int64_t chunkStart(size_t chunk) { return *getConstantIntValue(chunkStarts[chunk]); }

  /// A kernel offset of a sliding window: the values of its loops and how far
  /// it shifts the rhs row.
  struct WindowPoint {
    DenseMap<unsigned, Value> loops;
    int64_t offset = 0;
  };
  /// Every combination of the values of `window` loops (one, with no loops,
  /// for none).
  SmallVector<WindowPoint> windowPoints(OpBuilder &nb, Location l,
                                        ArrayRef<std::pair<unsigned, int64_t>> window) {
    SmallVector<WindowPoint> points(1);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    for (auto [loop, step] : window) {
      SmallVector<WindowPoint> next;
      for (const WindowPoint &point : points)
        for (int64_t w = 0; w < ranges[loop]; ++w) {
          WindowPoint extended = point;
          extended.loops[loop] = arith::ConstantIndexOp::create(nb, l, w);
          extended.offset += w * step;
          next.push_back(std::move(extended));
        }
      points = std::move(next);
    }
    return points;
  }

  /// Accumulators are row-major: row i, chunk c is accumulators[i * chunks + c].
  Value emitRows(int64_t rows, Value firstRow, Value acc) {
    size_t chunks = chunkStarts.size();
    SmallVector<Value> rowIndices, accumulators;
    for (int64_t i = 0; i < rows; ++i)
      rowIndices.push_back(rowIndex(firstRow, i));
    auto readAccumulators = [&](OpBuilder &nb, Location l) {
      SmallVector<Value> values;
      for (int64_t i = 0; i < rows; ++i)
        for (size_t c = 0; c < chunks; ++c)
          values.push_back(read(nb, l, acc, indices(2, {{shape.m, rowIndices[i]}}), c));
      return values;
    };
    if (!initVector) {
      accumulators = readAccumulators(b, loc);
    } else if (!firstBlock) {
      accumulators.assign(rows * chunks, initVector);
    } else {
      auto start = scf::IfOp::create(
          b, loc, firstBlock,
          [&](OpBuilder &nb, Location l) {
            scf::YieldOp::create(nb, l, SmallVector<Value>(rows * chunks, initVector));
          },
          [&](OpBuilder &nb, Location l) { scf::YieldOp::create(nb, l, readAccumulators(nb, l)); });
      accumulators.assign(start.getResults().begin(), start.getResults().end());
    }
    auto loop = scf::ForOp::create(
        b, loc, zero, loopSizes[shape.k], one, accumulators,
        [&](OpBuilder &nb, Location l, Value k, ValueRange iterArgs) {
          Value lhs = op.getDpsInputs()[shape.lhs], rhs = op.getDpsInputs()[shape.rhs];
          // A sliding window steps through its kernel offsets within each
          // step of k, each one a rhs row shifted along n: the first kernel
          // dim as a loop (`outer`, shifting by `shift`), the others unrolled.
          auto accumulate = [&](OpBuilder &bb, Location ll, DenseMap<unsigned, Value> outer,
                                Value shift, ArrayRef<std::pair<unsigned, int64_t>> unrolled,
                                SmallVector<Value> results) {
            for (const WindowPoint &point : windowPoints(bb, ll, unrolled)) {
              DenseMap<unsigned, Value> at = point.loops;
              at.insert(outer.begin(), outer.end());
              at[shape.k] = k;
              SmallVector<Value> rhsRow;
              for (size_t c = 0; c < chunks; ++c)
                rhsRow.push_back(read(bb, ll, rhs, indices(shape.rhs, at), c, point.offset, shift));
              for (int64_t i = 0; i < rows; ++i) {
                at[shape.m] = rowIndices[i];
                Value element = tensor::ExtractOp::create(bb, ll, lhs, indices(shape.lhs, at));
                Value splat = vector::BroadcastOp::create(bb, ll, vectorType, element);
                for (size_t c = 0; c < chunks; ++c)
                  results[i * chunks + c] =
                      vector::FMAOp::create(bb, ll, splat, rhsRow[c], results[i * chunks + c]);
              }
            }
            return results;
          };
          SmallVector<Value> results(iterArgs);
          if (shape.window.size() < 2) {
            results =
                accumulate(nb, l, DenseMap<unsigned, Value>(), nullptr, shape.window, results);
          } else {
            unsigned outerLoop = shape.window.front().first;
            int64_t step = shape.window.front().second;
            int64_t extent = op.getStaticLoopRanges()[outerLoop];
            Value stepValue = arith::ConstantIndexOp::create(nb, l, step);
            auto rows = scf::ForOp::create(
                nb, l, arith::ConstantIndexOp::create(nb, l, 0),
                arith::ConstantIndexOp::create(nb, l, extent),
                arith::ConstantIndexOp::create(nb, l, 1), results,
                [&](OpBuilder &rb, Location rl, Value w, ValueRange carried) {
                  Value shift = arith::MulIOp::create(rb, rl, w, stepValue);
                  scf::YieldOp::create(rb, rl,
                                       accumulate(rb, rl, DenseMap<unsigned, Value>{{outerLoop, w}},
                                                  shift, ArrayRef(shape.window).drop_front(),
                                                  SmallVector<Value>(carried)));
                });
            results = SmallVector<Value>(rows.getResults());
          }
          scf::YieldOp::create(nb, l, results);
        });
    // The tile already fills the vector registers; unrolling or interleaving
    // in LLVM would double the live values and spill accumulators.
    auto *context = b.getContext();
    BoolAttr yes = b.getBoolAttr(true);
    loop->setAttr(
        "llvm.loop_annotation",
        LLVM::LoopAnnotationAttr::get(
            context, {}, LLVM::LoopVectorizeAttr::get(context, yes, {}, {}, {}, {}, {}, {}),
            LLVM::LoopInterleaveAttr::get(context, b.getI32IntegerAttr(1)),
            LLVM::LoopUnrollAttr::get(context, yes, {}, {}, {}, {}, {}, {}), {}, {}, {}, {}, {},
            {}, {}, {}, {}, {}, {}));
    // The epilogue's result has the shape of the op's: both are written at
    // the op's result indices.
    for (int64_t i = 0; i < rows; ++i)
      for (size_t c = 0; c < chunks; ++c) {
        SmallVector<Value> at = indices(2, {{shape.m, rowIndices[i]}});
        at.back() = chunkStarts[c];
        Value result = loop.getResult(i * chunks + c);
        if (epilogue)
          result = applyEpilogue(result, rowIndices[i], c);
        acc = vector::TransferWriteOp::create(b, loc, result, acc, at,
                                              ArrayRef<bool>{chunkInBounds[c]})
                  .getResult();
      }
    return acc;
  }

  /// The epilogue's body on accumulator vector `chunk` of row `row`: its
  /// other inputs are read at the same place (a vector along n, or one
  /// element broadcast when they do not vary along n) and each scalar op
  /// becomes the same op on vectors.
  Value applyEpilogue(Value accumulator, Value row, size_t chunk) {
    // Epilogue loop j runs along result dim j, which op loop
    // resultLoops[j] indexes.
    SmallVector<unsigned> resultLoops;
    for (AffineExpr expr : maps[2].getResults())
      resultLoops.push_back(cast<AffineDimExpr>(expr).getPosition());
    Block *body = epilogue.getBody();
    IRMapping mapping;
    for (OpOperand *input : epilogue.getDpsInputOperands()) {
      Value arg = body->getArgument(input->getOperandNumber());
      if (input->get() == op->getResult(0)) {
        mapping.map(arg, accumulator);
        continue;
      }
      SmallVector<Value> at;
      bool alongN = false;
      for (AffineExpr expr : epilogue.getMatchingIndexingMap(input).getResults()) {
        auto dim = dyn_cast<AffineDimExpr>(expr);
        unsigned loop = dim ? resultLoops[dim.getPosition()] : shape.k;
        alongN |= loop == shape.n;
        at.push_back(loop == shape.m ? row : zero);
      }
      if (alongN) {
        mapping.map(arg, read(b, loc, input->get(), at, chunk));
      } else {
        Value element = tensor::ExtractOp::create(b, loc, input->get(), at);
        mapping.map(arg, vector::BroadcastOp::create(b, loc, vectorType, element));
      }
    }
    auto vectorOf = [&](Type type) { return VectorType::get(vectorType.getShape(), type); };
    for (Operation &scalar : body->without_terminator()) {
      if (auto constant = dyn_cast<arith::ConstantOp>(scalar)) {
        auto value = cast<TypedAttr>(constant.getValue());
        mapping.map(constant.getResult(),
                    arith::ConstantOp::create(
                        b, loc, DenseElementsAttr::get(vectorOf(value.getType()), value)));
        continue;
      }
      // Scalars from outside the body are broadcast.
      for (Value operand : scalar.getOperands())
        if (!mapping.contains(operand))
          mapping.map(operand,
                      vector::BroadcastOp::create(b, loc, vectorOf(operand.getType()), operand));
      Operation *vectorized = b.clone(scalar, mapping);
      for (Value result : vectorized->getResults())
        result.setType(vectorOf(result.getType()));
    }
    return mapping.lookup(body->getTerminator()->getOperand(0));
  }

  RewriterBase &b;
  linalg::GenericOp op, epilogue;
  cpu::ContractionShape shape;
  int64_t registerRows;
  Location loc;
  VectorType vectorType;
  SmallVector<AffineMap> maps;
  SmallVector<Value> loopSizes, chunkStarts;
  SmallVector<bool> chunkInBounds;
  Value zero, one, padding, initVector, firstBlock;
  /// Owned by the kernel attribute.
  std::optional<ArrayRef<int64_t>> rowRemainders;
};

/// The contraction shape of a register tile: m, n and k extents may be
/// dynamic (partial tiles), every other loop has extent 1.
std::optional<cpu::ContractionShape> matchRegisterTile(linalg::GenericOp op) {
  std::optional<cpu::ContractionShape> shape = cpu::matchContraction(op);
  if (!shape || !shape->rhsContiguous)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (unsigned batch : shape->batch)
    if (ranges[batch] != 1)
      return std::nullopt;
  for (unsigned loop : llvm::make_first_range(shape->window))
    if (ShapedType::isDynamic(ranges[loop]))
      return std::nullopt;
  return shape;
}

struct NNCCPUVectorizePass final : nnc::impl::NNCCPUVectorizePassBase<NNCCPUVectorizePass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> tiles;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->hasAttr(cpu::kKernelAttrName))
        tiles.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : tiles) {
      auto kernel = op->getAttrOfType<DictionaryAttr>(cpu::kKernelAttrName);
      auto registerTiles =
          kernel ? kernel.getAs<DenseI64ArrayAttr>("register_tiles") : DenseI64ArrayAttr();
      std::optional<cpu::ContractionShape> shape = matchRegisterTile(op);
      if (!registerTiles || static_cast<int64_t>(registerTiles.size()) != op.getNumLoops() ||
          !shape) {
        op.emitError() << "not a register tile of a contraction";
        return signalPassFailure();
      }
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t columns = registerTiles[shape->n];
      int64_t rows = registerTiles[shape->m];
      auto lanes = kernel.getAs<IntegerAttr>("vector_lanes");
      if (!lanes || lanes.getInt() <= 0 || columns % lanes.getInt() != 0 ||
          (ShapedType::isStatic(ranges[shape->n]) && ranges[shape->n] > columns) || rows <= 0 ||
          (ShapedType::isStatic(ranges[shape->m]) && ranges[shape->m] > rows)) {
        op.emitError() << "contraction is larger than its register tile";
        return signalPassFailure();
      }
      // The epilogue tiled with this register tile reads its finished
      // result: the kernel applies it and replaces both.
      linalg::GenericOp epilogue;
      if (op->getResult(0).hasOneUse())
        epilogue = dyn_cast<linalg::GenericOp>(*op->getResult(0).getUsers().begin());
      if (epilogue && !epilogue->hasAttr(cpu::kEpilogueAttrName))
        epilogue = {};
      auto initValue = kernel.getAs<FloatAttr>("init_value");
      // A tile of a k block whose first block starts at a constant: that
      // is the case when the enclosing loop over k blocks is at its start.
      Value firstBlock;
      if (auto value = kernel.getAs<FloatAttr>("first_block_init")) {
        auto blocks = op->getParentOfType<scf::ForOp>();
        while (blocks && !blocks->hasAttr(cpu::kKBlocksAttrName))
          blocks = blocks->getParentOfType<scf::ForOp>();
        if (!blocks || epilogue) {
          op.emitError() << "first_block_init needs a register tile in a loop over k blocks";
          return signalPassFailure();
        }
        rewriter.setInsertionPoint(op);
        firstBlock = arith::CmpIOp::create(rewriter, op.getLoc(), arith::CmpIPredicate::eq,
                                           blocks.getInductionVar(), blocks.getLowerBound());
        initValue = value;
      }
      if (epilogue && !initValue) {
        op.emitError() << "an epilogue needs a register tile that starts at init_value";
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(epilogue ? epilogue.getOperation() : op.getOperation());
      auto remainders = kernel.getAs<DenseI64ArrayAttr>("row_remainders");
      Value result =
          ContractionKernel(
              rewriter, op, *shape, rows, columns, lanes.getInt(), initValue, firstBlock,
              remainders ? std::optional(remainders.asArrayRef()) : std::nullopt, epilogue)
              .emit();
      if (epilogue) {
        rewriter.replaceOp(epilogue, result);
        rewriter.eraseOp(op);
      } else {
        rewriter.replaceOp(op, result);
      }
    }
  }
};
} // namespace

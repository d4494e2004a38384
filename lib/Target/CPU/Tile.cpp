//===- Tile.cpp - tile ops by their nnc.cpu_strategy ----------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Transforms.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUTILEPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// Whether a tile size splits a loop of `range` iterations (0, or a size that
/// covers the whole static range, does not).
bool splitsLoop(int64_t size, int64_t range) {
  return size != 0 && !(ShapedType::isStatic(range) && size >= range);
}

/// Tiles `op` by `sizes` in loop order `order`; a size that covers its loop's
/// whole range is 0 (not tiled). Returns the tile; `loops` receives the
/// loops around it, outermost first, and `splitLoops` the op's loop each one
/// steps.
FailureOr<Operation *> tileOnce(RewriterBase &rewriter, TilingInterface op, ArrayRef<int64_t> sizes,
                                ArrayRef<int64_t> order,
                                SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr,
                                SmallVectorImpl<int64_t> *splitLoops = nullptr) {
  auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
  SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
  SmallVector<OpFoldResult> tileSizes;
  bool tiled = false;
  for (auto [size, range] : llvm::zip_equal(sizes, ranges)) {
    bool splits = splitsLoop(size, range);
    tiled |= splits;
    tileSizes.push_back(rewriter.getIndexAttr(splits ? size : 0));
  }
  if (!tiled)
    return op.getOperation();
  if (splitLoops)
    for (int64_t dim : order)
      if (splitsLoop(sizes[dim], ranges[dim]))
        splitLoops->push_back(dim);
  scf::SCFTilingOptions options;
  options.setTileSizes(tileSizes).setInterchange(order);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  if (loops)
    loops->append(result->loops.begin(), result->loops.end());
  return result->tiledOps.back();
}

/// The row counts, short of a whole register tile, that the rows of a chunk
/// or cache tile of an m loop of `extent` can leave over: only these need a
/// shorter kernel of their own.
SmallVector<int64_t> leftOverRows(int64_t extent, const cpu::TilingStrategy &strategy, unsigned m) {
  int64_t thread = strategy.threadTiles[m], cache = strategy.cacheTiles[m],
          registers = strategy.registerTiles[m];
  // The sizes each level's tiles take: whole ones, then a last partial one.
  auto tileSizes = [](ArrayRef<int64_t> sizes, int64_t tile) {
    SmallVector<int64_t> result;
    for (int64_t size : sizes) {
      if (!splitsLoop(tile, size)) {
        result.push_back(size);
        continue;
      }
      result.push_back(tile);
      if (size % tile)
        result.push_back(size % tile);
    }
    return result;
  };
  SmallVector<int64_t> remainders;
  if (ShapedType::isDynamic(extent) || registers <= 1)
    return remainders;
  for (int64_t size : tileSizes(tileSizes({extent}, thread), cache))
    if (size % registers && !llvm::is_contained(remainders, size % registers))
      remainders.push_back(size % registers);
  llvm::sort(remainders);
  return remainders;
}

bool isParallelKind(linalg::LinalgOp op) {
  auto kind = op->getAttrOfType<DictionaryAttr>(cpu::kStrategyAttrName).getAs<StringAttr>("kind");
  return kind && kind.getValue() == "parallel";
}

/// A {kind = "parallel"} op: only the chunk loop the threads share.
LogicalResult tileForThreads(RewriterBase &rewriter, linalg::LinalgOp op) {
  FailureOr<SmallVector<int64_t>> threadTiles = cpu::readThreadTiles(op);
  if (failed(threadTiles))
    return op.emitError() << "malformed " << cpu::kStrategyAttrName << " attribute";
  SmallVector<LoopLikeOpInterface> chunkLoops;
  FailureOr<Operation *> tile =
      tileOnce(rewriter, cast<TilingInterface>(op.getOperation()), *threadTiles,
               llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops())), &chunkLoops);
  if (failed(tile))
    return op.emitError() << "tiling by " << cpu::kStrategyAttrName << " failed";
  for (LoopLikeOpInterface loop : chunkLoops)
    loop->setAttr(cpu::kParallelAttrName, rewriter.getUnitAttr());
  (*tile)->removeAttr(cpu::kStrategyAttrName);
  return success();
}

struct NNCCPUTilePass final : nnc::impl::NNCCPUTilePassBase<NNCCPUTilePass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(cpu::kStrategyAttrName))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      if (isParallelKind(op)) {
        if (failed(tileForThreads(rewriter, op)))
          return signalPassFailure();
        continue;
      }
      FailureOr<cpu::TilingStrategy> strategy = cpu::readStrategy(op);
      if (failed(strategy)) {
        op.emitError() << "malformed " << cpu::kStrategyAttrName << " attribute";
        return signalPassFailure();
      }
      if (strategy->packRhs) {
        std::optional<cpu::ContractionShape> shape = cpu::matchVectorizableContraction(op);
        if (!shape) {
          op.emitError() << "pack_rhs needs a static f32 contraction";
          return signalPassFailure();
        }
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::GenericOp> packed = cpu::packContractionRhs(
            rewriter, cast<linalg::GenericOp>(op.getOperation()), *shape,
            strategy->registerTiles[shape->n]);
        if (failed(packed)) {
          op.emitError() << "cannot pack the rhs";
          return signalPassFailure();
        }
        op = *packed;
        // Loop n now steps over slivers one at a time; the new last loop
        // covers the lanes of a sliver.
        int64_t lanes = strategy->registerTiles[shape->n];
        int64_t lane = strategy->cacheTiles.size();
        strategy->threadTiles[shape->n] /= lanes;
        strategy->threadTiles.push_back(0);
        strategy->cacheTiles[shape->n] = 0;
        strategy->registerTiles[shape->n] = 1;
        strategy->cacheTiles.push_back(0);
        strategy->registerTiles.push_back(lanes);
        strategy->cacheOrder.push_back(lane);
        strategy->registerOrder.push_back(lane);
      }
      // A result that starts as a constant and whose k loop is not split:
      // each register tile then runs over all of k at once and can start
      // its accumulators at the constant, so the result is never filled.
      FloatAttr initValue;
      std::optional<unsigned> rowLoop, columnLoop;
      SmallVector<int64_t> rowRemainders;
      if (std::optional<cpu::ContractionShape> shape = cpu::matchVectorizableContraction(op)) {
        rowLoop = shape->m;
        columnLoop = shape->n;
        rowRemainders = leftOverRows(op.getStaticLoopRanges()[shape->m], *strategy, shape->m);
        int64_t k = op.getStaticLoopRanges()[shape->k];
        auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
        FloatAttr value;
        if (fill && matchPattern(fill.getInputs()[0], m_Constant(&value)) &&
            !splitsLoop(strategy->cacheTiles[shape->k], k) &&
            !splitsLoop(strategy->registerTiles[shape->k], k)) {
          initValue = value;
          rewriter.modifyOpInPlace(op, [&] { op.getDpsInitsMutable()[0].set(fill.getOutputs()[0]); });
          if (fill->use_empty())
            rewriter.eraseOp(fill);
        }
      }
      // The chunk loop the runtime's threads share; nnc-cpu-outline-parallel
      // turns it into a task.
      SmallVector<LoopLikeOpInterface> chunkLoops;
      FailureOr<Operation *> tile =
          tileOnce(rewriter, cast<TilingInterface>(op.getOperation()), strategy->threadTiles,
                   strategy->cacheOrder, &chunkLoops);
      for (LoopLikeOpInterface loop : chunkLoops)
        loop->setAttr(cpu::kParallelAttrName, rewriter.getUnitAttr());
      if (succeeded(tile))
        tile = tileOnce(rewriter, cast<TilingInterface>(*tile), strategy->cacheTiles,
                        strategy->cacheOrder);
      SmallVector<LoopLikeOpInterface> registerLoops;
      SmallVector<int64_t> registerLoopDims;
      if (succeeded(tile))
        tile = tileOnce(rewriter, cast<TilingInterface>(*tile), strategy->registerTiles,
                        strategy->registerOrder, &registerLoops, &registerLoopDims);
      if (failed(tile)) {
        op.emitError() << "tiling by " << cpu::kStrategyAttrName << " failed";
        return signalPassFailure();
      }
      (*tile)->removeAttr(cpu::kStrategyAttrName);
      SmallVector<NamedAttribute> kernel{
          rewriter.getNamedAttr("register_tiles",
                                rewriter.getDenseI64ArrayAttr(strategy->registerTiles)),
          rewriter.getNamedAttr("vector_lanes",
                                rewriter.getI64IntegerAttr(strategy->vectorLanes))};
      if (initValue)
        kernel.push_back(rewriter.getNamedAttr("init_value", initValue));
      if (rowLoop)
        kernel.push_back(
            rewriter.getNamedAttr("row_remainders", rewriter.getDenseI64ArrayAttr(rowRemainders)));
      (*tile)->setAttr(cpu::kKernelAttrName, rewriter.getDictionaryAttr(kernel));
      // Rows left over after the whole register tiles become one more tile of
      // static height (after canonicalization), which the kernel keeps in
      // registers like the others rather than running row by row; columns
      // left over, one more tile of static width, so that only its vectors
      // are masked. Rows first: the column remainder then copies their loops.
      for (std::optional<unsigned> peeled : {rowLoop, columnLoop})
        for (auto [loop, dim] : llvm::zip_equal(registerLoops, registerLoopDims))
          if (peeled && dim == *peeled)
            if (auto forOp = dyn_cast<scf::ForOp>(loop.getOperation())) {
              scf::ForOp remainder;
              (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, remainder);
            }
    }
    // The copies that packing made, split between threads as packing chose.
    SmallVector<linalg::LinalgOp> copies;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(cpu::kStrategyAttrName) && isParallelKind(op))
        copies.push_back(op);
    });
    for (linalg::LinalgOp op : copies)
      if (failed(tileForThreads(rewriter, op)))
        return signalPassFailure();
  }
};
} // namespace

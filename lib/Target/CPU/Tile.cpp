//===- Tile.cpp - tile ops by their nnc.cpu_strategy ----------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Transforms.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// The tile sizes of `loops` of an op with loop `ranges`, taken from
/// `sizes` (indexed by loop), 0 where a size does not split its loop; empty
/// when none does.
SmallVector<OpFoldResult> splittingTileSizes(RewriterBase &rewriter, ArrayRef<int64_t> sizes,
                                             ArrayRef<int64_t> ranges, ArrayRef<int64_t> loops) {
  SmallVector<OpFoldResult> tileSizes;
  bool tiled = false;
  for (int64_t loop : loops) {
    bool splits = splitsLoop(sizes[loop], ranges[loop]);
    tiled |= splits;
    tileSizes.push_back(rewriter.getIndexAttr(splits ? sizes[loop] : 0));
  }
  if (!tiled)
    tileSizes.clear();
  return tileSizes;
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
  SmallVector<OpFoldResult> tileSizes = splittingTileSizes(
      rewriter, sizes, ranges, llvm::to_vector(llvm::seq<int64_t>(0, sizes.size())));
  if (tileSizes.empty())
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

/// The loops of `op` that index its result's dims, in order; empty unless
/// each dim is indexed by a loop of its own.
SmallVector<int64_t> resultLoops(linalg::LinalgOp op) {
  SmallVector<int64_t> loops;
  for (AffineExpr expr : op.getIndexingMapsArray().back().getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return {};
    loops.push_back(dim.getPosition());
  }
  return loops;
}

/// Whether `consumer` can run on the accumulators of the register tiles that
/// compute `result`: its loops are the result's dims (all parallel), it
/// reads the result where it writes its own, every other input is an f32 tensor
/// read at a projection of its loops that varies along loop `alongN` (the
/// kernel's vector dim) only in its last dim, and its body is scalar arith
/// and math.
bool isEpilogueOf(linalg::GenericOp consumer, Value result, int64_t alongN) {
  if (consumer.getNumDpsInits() != 1 || consumer.getNumLoops() != consumer.getNumParallelLoops() ||
      !consumer.getIndexingMapsArray().back().isIdentity() ||
      !consumer.getRegionOutputArgs()[0].use_empty())
    return false;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    AffineMap map = consumer.getMatchingIndexingMap(input);
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || !type.getElementType().isF32() || !map.isProjectedPermutation(true) ||
        (input->get() == result && !map.isIdentity()))
      return false;
    std::optional<unsigned> nDim =
        map.getResultPosition(getAffineDimExpr(alongN, map.getContext()));
    if (nDim && *nDim + 1 != map.getNumResults())
      return false;
  }
  for (Operation &op : consumer.getBody()->without_terminator()) {
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()) || op.getNumRegions() != 0)
      return false;
    for (Type type : llvm::concat<Type>(op.getOperandTypes(), op.getResultTypes()))
      if (!type.isF32() && !type.isInteger(1))
        return false;
  }
  return true;
}

/// The elementwise op that is the only consumer of the result of `op`, a
/// contraction whose register tiles cover all of k, when the kernel can
/// apply it to its accumulators (isEpilogueOf). A result that packing
/// collapsed back from [..., slivers, lanes] is read through the reshape;
/// the consumer is then expanded to the packed layout first, and the op it
/// replaced added to `erased`.
linalg::GenericOp findEpilogue(RewriterBase &rewriter, linalg::GenericOp op,
                               DenseSet<Operation *> &erased) {
  Value result = op->getResult(0);
  SmallVector<int64_t> loops = resultLoops(op);
  std::optional<cpu::ContractionShape> shape = cpu::matchVectorizableContraction(op);
  if (loops.empty() || !shape || !result.hasOneUse())
    return {};
  // The epilogue's loop along the kernel's vectors.
  int64_t alongN = llvm::find(loops, shape->n) - loops.begin();
  Operation *user = *result.getUsers().begin();
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(user)) {
    auto consumer = collapse->hasOneUse()
                        ? dyn_cast<linalg::GenericOp>(*collapse->getUsers().begin())
                        : linalg::GenericOp();
    // Before the expansion, the collapsed dim along n is the last.
    if (!consumer || !isEpilogueOf(consumer, collapse.getResult(), consumer.getNumLoops() - 1))
      return {};
    RewritePatternSet patterns(rewriter.getContext());
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, [&](OpOperand *operand) {
      return operand->getOwner() == consumer && operand->get() == collapse.getResult();
    });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    bool changed = false;
    if (failed(applyOpPatternsGreedily({consumer.getOperation()}, std::move(patterns), config,
                                       &changed)) ||
        !changed)
      return {};
    erased.insert(consumer);
    if (collapse->use_empty())
      rewriter.eraseOp(collapse);
    if (!result.hasOneUse())
      return {};
    user = *result.getUsers().begin();
  }
  auto consumer = dyn_cast<linalg::GenericOp>(user);
  if (!consumer || !isEpilogueOf(consumer, result, alongN))
    return {};
  return consumer;
}

/// Tiles `epilogue` by the tiles that `sizes` (in `order`) give the result
/// dims of `op`, the contraction it consumes, and fuses `op` into the loops,
/// so that each tile of the result is computed and then consumed in place.
/// Like tileOnce, `loops` and `splitLoops` receive the loops and the loops
/// of `op` they step. Returns the tiles of `op` and `epilogue`.
FailureOr<std::pair<Operation *, linalg::GenericOp>>
tileWithEpilogue(RewriterBase &rewriter, linalg::GenericOp op, linalg::GenericOp epilogue,
                 ArrayRef<int64_t> sizes, ArrayRef<int64_t> order,
                 SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr,
                 SmallVectorImpl<int64_t> *splitLoops = nullptr) {
  SmallVector<int64_t> loopOfDim = resultLoops(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<OpFoldResult> tileSizes = splittingTileSizes(rewriter, sizes, ranges, loopOfDim);
  if (tileSizes.empty())
    return std::make_pair(op.getOperation(), epilogue);
  SmallVector<int64_t> interchange;
  for (int64_t loop : order) {
    auto *dim = llvm::find(loopOfDim, loop);
    if (dim == loopOfDim.end())
      continue;
    interchange.push_back(dim - loopOfDim.begin());
    if (splitLoops && splitsLoop(sizes[loop], ranges[loop]))
      splitLoops->push_back(loop);
  }
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(tileSizes).setInterchange(interchange);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool isDestination) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination || producer.getOwner() != op)
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFTileAndFuseResult> result = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(epilogue.getOperation()), options);
  if (failed(result) || !result->fusedProducers.contains(op))
    return failure();
  auto epilogueTile = cast<linalg::GenericOp>(result->tiledAndFusedOps.front());
  Operation *tile = nullptr;
  for (Operation *fused : result->tiledAndFusedOps)
    if (fused != epilogueTile && isa<linalg::GenericOp>(fused))
      tile = fused;
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  rewriter.eraseOp(epilogue);
  // What is left reads only the shape of the result (the loop bounds of a
  // tile of run-time size), which its init has as well.
  rewriter.replaceOp(op, op.getDpsInits()[0]);
  if (loops)
    loops->append(result->loops.begin(), result->loops.end());
  return std::make_pair(tile, epilogueTile);
}

bool isParallelKind(linalg::LinalgOp op) {
  auto kind = op->getAttrOfType<DictionaryAttr>(cpu::kStrategyAttrName).getAs<StringAttr>("kind");
  return kind && kind.getValue() == "parallel";
}

/// The elementwise op that alone consumes the result of `op`, a window or
/// reduction whose result starts as a constant fill, when vectorization can
/// apply it to the result vectors before they are stored (isEpilogueOf, the
/// innermost loop being the vector loop).
linalg::GenericOp findWindowEpilogue(linalg::LinalgOp op) {
  if (op.getNumReductionLoops() == 0 || op->getNumResults() != 1 || !op->getResult(0).hasOneUse() ||
      !op.getDpsInits()[0].getDefiningOp<linalg::FillOp>())
    return {};
  AffineMap resultMap = op.getIndexingMapsArray().back();
  if (!resultMap.isProjectedPermutation() ||
      static_cast<int64_t>(resultMap.getNumResults()) != op.getNumParallelLoops())
    return {};
  auto consumer = dyn_cast<linalg::GenericOp>(*op->getResult(0).getUsers().begin());
  if (!consumer || consumer.getNumLoops() != resultMap.getNumResults() ||
      !isEpilogueOf(consumer, op->getResult(0), consumer.getNumLoops() - 1))
    return {};
  return consumer;
}

/// A {kind = "parallel"} op: only the chunk loop the threads share. A fill
/// of its result (the start of a window or reduction) moves into the chunk
/// loop with it, where vectorization starts from the filled value instead.
/// With an `epilogue` (findWindowEpilogue), that is tiled into the same
/// chunks, the op fused into its loop, and marked for vectorization to apply
/// it to the op's result vectors.
LogicalResult tileForThreads(RewriterBase &rewriter, linalg::LinalgOp op,
                             linalg::GenericOp epilogue = {}) {
  FailureOr<SmallVector<int64_t>> threadTiles = cpu::readThreadTiles(op);
  if (failed(threadTiles))
    return op.emitError() << "malformed " << cpu::kStrategyAttrName << " attribute";
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // The loops of the tiled op: the epilogue's follow the op's result dims.
  SmallVector<int64_t> tiledLoops = llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops()));
  if (epilogue)
    tiledLoops = resultLoops(op);
  SmallVector<OpFoldResult> tileSizes =
      splittingTileSizes(rewriter, *threadTiles, ranges, tiledLoops);
  if (tileSizes.empty()) {
    op->removeAttr(cpu::kStrategyAttrName);
    if (epilogue) {
      epilogue->removeAttr(cpu::kStrategyAttrName);
      epilogue->setAttr(cpu::kEpilogueAttrName, rewriter.getUnitAttr());
    }
    return success();
  }
  Operation *root = epilogue ? epilogue.getOperation() : op.getOperation();
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(tileSizes);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool isDestination) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        // A fill reaches the op as its destination, or as the destination of
        // the op fused into the epilogue's loop (an input of that loop).
        if (isa<linalg::FillOp>(producer.getOwner()) ||
            (!isDestination && producer.getOwner() == op && root != op))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, cast<TilingInterface>(root), options);
  if (failed(result) || (epilogue && !result->fusedProducers.contains(op)))
    return op.emitError() << "tiling by " << cpu::kStrategyAttrName << " failed";
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  for (LoopLikeOpInterface loop : result->loops)
    loop->setAttr(cpu::kParallelAttrName, rewriter.getUnitAttr());
  for (Operation *tile : result->tiledAndFusedOps)
    tile->removeAttr(cpu::kStrategyAttrName);
  if (epilogue) {
    result->tiledAndFusedOps.front()->setAttr(cpu::kEpilogueAttrName, rewriter.getUnitAttr());
    rewriter.eraseOp(epilogue);
    // What is left reads only the shape of the result (see tileWithEpilogue).
    rewriter.replaceOp(op, op.getDpsInits()[0]);
  } else {
    rewriter.eraseOp(op);
  }
  // The fills fused onto the chunks (the op itself is gone).
  for (Operation *producer : result->fusedProducers)
    if (producer != op.getOperation() && producer->use_empty())
      rewriter.eraseOp(producer);
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
    // Epilogues tiled with their contraction (and erased).
    DenseSet<Operation *> consumed;
    for (linalg::LinalgOp op : ops) {
      if (consumed.contains(op))
        continue;
      if (isParallelKind(op)) {
        linalg::GenericOp epilogue = findWindowEpilogue(op);
        if (epilogue)
          consumed.insert(epilogue);
        if (failed(tileForThreads(rewriter, op, epilogue)))
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
      // With k split into cache blocks, the tiles of the first block start
      // at the constant (`firstBlockInit`) and the others add to what it
      // stored: the result is not filled first either.
      FloatAttr initValue, firstBlockInit;
      std::optional<unsigned> rowLoop, columnLoop, kLoop;
      SmallVector<int64_t> rowRemainders;
      if (std::optional<cpu::ContractionShape> shape = cpu::matchVectorizableContraction(op)) {
        rowLoop = shape->m;
        columnLoop = shape->n;
        kLoop = shape->k;
        rowRemainders = leftOverRows(op.getStaticLoopRanges()[shape->m], *strategy, shape->m);
        int64_t k = op.getStaticLoopRanges()[shape->k];
        auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
        FloatAttr value;
        if (fill && matchPattern(fill.getInputs()[0], m_Constant(&value)) &&
            !splitsLoop(strategy->registerTiles[shape->k], k)) {
          if (splitsLoop(strategy->cacheTiles[shape->k], k))
            firstBlockInit = value;
          else
            initValue = value;
          rewriter.modifyOpInPlace(op, [&] { op.getDpsInitsMutable()[0].set(fill.getOutputs()[0]); });
          if (fill->use_empty())
            rewriter.eraseOp(fill);
        }
      }
      // An elementwise consumer of a result that the register tiles
      // compute whole (over all of k, from a constant) is tiled with it and
      // applied to the accumulators: the result is never stored unfinished.
      linalg::GenericOp epilogue;
      if (initValue && rowLoop)
        if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
            generic && cpu::matchVectorizableContraction(op)->window.empty())
          epilogue = findEpilogue(rewriter, generic, consumed);
      if (epilogue)
        consumed.insert(epilogue);
      // One level of tiling: the chunk loop the runtime's threads share
      // (nnc-cpu-outline-parallel turns it into a task), cache tiles, then
      // register tiles.
      Operation *current = op;
      auto tileLevel = [&](ArrayRef<int64_t> sizes, ArrayRef<int64_t> order,
                           SmallVectorImpl<LoopLikeOpInterface> *loops,
                           SmallVectorImpl<int64_t> *splitLoops) -> LogicalResult {
        if (!epilogue) {
          FailureOr<Operation *> tile =
              tileOnce(rewriter, cast<TilingInterface>(current), sizes, order, loops, splitLoops);
          if (failed(tile))
            return failure();
          current = *tile;
          return success();
        }
        auto tiles = tileWithEpilogue(rewriter, cast<linalg::GenericOp>(current), epilogue, sizes,
                                      order, loops, splitLoops);
        if (failed(tiles))
          return failure();
        std::tie(current, epilogue) = *tiles;
        return success();
      };
      SmallVector<LoopLikeOpInterface> chunkLoops, cacheLoops, registerLoops;
      SmallVector<int64_t> cacheLoopDims, registerLoopDims;
      LogicalResult tiled =
          tileLevel(strategy->threadTiles, strategy->cacheOrder, &chunkLoops, nullptr);
      for (LoopLikeOpInterface loop : chunkLoops)
        loop->setAttr(cpu::kParallelAttrName, rewriter.getUnitAttr());
      if (succeeded(tiled))
        tiled = tileLevel(strategy->cacheTiles, strategy->cacheOrder, &cacheLoops, &cacheLoopDims);
      if (succeeded(tiled))
        tiled = tileLevel(strategy->registerTiles, strategy->registerOrder, &registerLoops,
                          &registerLoopDims);
      if (failed(tiled)) {
        op.emitError() << "tiling by " << cpu::kStrategyAttrName << " failed";
        return signalPassFailure();
      }
      if (epilogue) {
        epilogue->removeAttr(cpu::kStrategyAttrName);
        epilogue->setAttr(cpu::kEpilogueAttrName, rewriter.getUnitAttr());
      }
      Operation *tile = current;
      tile->removeAttr(cpu::kStrategyAttrName);
      SmallVector<NamedAttribute> kernel{
          rewriter.getNamedAttr("register_tiles",
                                rewriter.getDenseI64ArrayAttr(strategy->registerTiles)),
          rewriter.getNamedAttr("vector_lanes",
                                rewriter.getI64IntegerAttr(strategy->vectorLanes))};
      if (initValue)
        kernel.push_back(rewriter.getNamedAttr("init_value", initValue));
      if (firstBlockInit)
        kernel.push_back(rewriter.getNamedAttr("first_block_init", firstBlockInit));
      if (rowLoop)
        kernel.push_back(
            rewriter.getNamedAttr("row_remainders", rewriter.getDenseI64ArrayAttr(rowRemainders)));
      tile->setAttr(cpu::kKernelAttrName, rewriter.getDictionaryAttr(kernel));
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
      // The loop over k blocks whose first iteration the tiles (and the
      // remainder tiles peeled from them) test for (see nnc-cpu-vectorize).
      if (firstBlockInit)
        for (auto [loop, dim] : llvm::zip_equal(cacheLoops, cacheLoopDims))
          if (dim == *kLoop)
            loop->setAttr(cpu::kKBlocksAttrName, rewriter.getUnitAttr());
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

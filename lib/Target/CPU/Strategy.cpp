//===- Strategy.cpp - register and cache blocking for contractions --------===//
//
// GotoBLAS-style blocking chosen from the vector width, the register count
// and the cache sizes: a register tile of mr rows x nr columns of the result
// stays in vector registers while k runs; the rhs sliver [kc x nr] it streams
// stays in L1 across the mr-row blocks, and the lhs block [mc x kc] in L2
// across the nr-column slivers.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Strategy.h"
#include "nnc/Target/CPU/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <limits>

using namespace mlir;
using namespace mlir::nnc;
using namespace mlir::nnc::cpu;

namespace {
/// The position of loop `dim` among the results of `map`, if it is one.
std::optional<unsigned> resultPosition(AffineMap map, unsigned dim) {
  return map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
}

/// The loops of a sum of loops with constant coefficients, with their
/// coefficients; nothing for any other expression.
std::optional<SmallVector<std::pair<unsigned, int64_t>>> linearTerms(AffineExpr expr) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return SmallVector<std::pair<unsigned, int64_t>>{{dim.getPosition(), 1}};
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  if (binary.getKind() == AffineExprKind::Mul) {
    auto dim = dyn_cast<AffineDimExpr>(binary.getLHS());
    auto factor = dyn_cast<AffineConstantExpr>(binary.getRHS());
    if (!dim || !factor || factor.getValue() <= 0)
      return std::nullopt;
    return SmallVector<std::pair<unsigned, int64_t>>{{dim.getPosition(), factor.getValue()}};
  }
  if (binary.getKind() != AffineExprKind::Add)
    return std::nullopt;
  auto lhs = linearTerms(binary.getLHS()), rhs = linearTerms(binary.getRHS());
  if (!lhs || !rhs)
    return std::nullopt;
  lhs->append(rhs->begin(), rhs->end());
  return lhs;
}

/// See ContractionShape: the rhs's last index is n + sum_i step_i * w_i.
std::optional<ContractionShape> matchSlidingWindow(linalg::LinalgOp op) {
  if (!linalg::detail::isContractionBody(*op.getBlock(), [](Operation *mul, Operation *add) {
        return isa<arith::MulFOp>(mul) && isa<arith::AddFOp>(add);
      }))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  ContractionShape shape;
  shape.rhs = isa<AffineDimExpr>(maps[1].getResults().back()) ? 0 : 1;
  shape.lhs = 1 - shape.rhs;
  AffineMap lhsMap = maps[shape.lhs], rhsMap = maps[shape.rhs], outMap = maps[2];
  if (!lhsMap.isProjectedPermutation() || !outMap.isProjectedPermutation() ||
      !llvm::all_of(rhsMap.getResults().drop_back(), llvm::IsaPred<AffineDimExpr>))
    return std::nullopt;
  auto terms = linearTerms(rhsMap.getResults().back());
  if (!terms)
    return std::nullopt;
  auto reads = [](AffineMap map, unsigned loop) { return resultPosition(map, loop).has_value(); };
  auto rhsReads = [&](unsigned loop) {
    return llvm::any_of(rhsMap.getResults().drop_back(), [&](AffineExpr expr) {
      return cast<AffineDimExpr>(expr).getPosition() == loop;
    });
  };
  auto outLast = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<unsigned> n;
  for (auto [loop, step] : *terms) {
    bool reduction = iterators[loop] == utils::IteratorType::reduction;
    if (!reduction && loop == outLast && step == 1 && !n && !reads(lhsMap, loop) && !rhsReads(loop))
      n = loop;
    else if (reduction && reads(lhsMap, loop) && !rhsReads(loop))
      shape.window.push_back({loop, step});
    else
      return std::nullopt;
  }
  if (!n || shape.window.empty())
    return std::nullopt;
  shape.n = *n;
  std::optional<unsigned> k;
  SmallVector<unsigned> rows;
  for (unsigned loop = 0, e = op.getNumLoops(); loop < e; ++loop) {
    if (loop == shape.n || llvm::is_contained(llvm::make_first_range(shape.window), loop))
      continue;
    bool inLhs = reads(lhsMap, loop), inRhs = rhsReads(loop), inOut = reads(outMap, loop);
    if (iterators[loop] == utils::IteratorType::reduction) {
      if (k || !inLhs || !inRhs)
        return std::nullopt;
      k = loop;
    } else if (inLhs && !inRhs && inOut) {
      rows.push_back(loop);
    } else if (inOut) {
      shape.batch.push_back(loop);
    } else {
      return std::nullopt;
    }
  }
  // The row loop is the m loop innermost in the result; the others are batch.
  auto m = llvm::max_element(rows, [&](unsigned a, unsigned b) {
    return *resultPosition(outMap, a) < *resultPosition(outMap, b);
  });
  if (m == rows.end())
    return std::nullopt;
  for (unsigned loop : rows)
    if (loop != *m)
      shape.batch.push_back(loop);
  if (!k)
    return std::nullopt;
  shape.k = *k;
  shape.m = *m;
  return shape;
}

/// The time (in units of extent) the runtime's pool takes to run chunks of
/// `chunk` along `extent` (the last one shorter) on `threads` threads. As the
/// pool does, each thread first runs its own share (the t-th of `threads`
/// consecutive ranges of the chunks), claiming each when it gets to it, then
/// claims what is left of the others' shares, the next thread's first.
int64_t poolMakespan(int64_t extent, int64_t chunk, int64_t threads) {
  int64_t chunks = llvm::divideCeil(extent, chunk);
  // Per share, the next chunk to claim and the end of its range.
  SmallVector<int64_t> clock(threads, 0), next(threads), end(threads);
  for (int64_t t = 0; t < threads; ++t) {
    next[t] = chunks * t / threads;
    end[t] = chunks * (t + 1) / threads;
  }
  for (int64_t left = chunks; left > 0; --left) {
    // The thread that is free first claims the next chunk of its own share,
    // else of the first share after it with one left.
    int64_t t = llvm::min_element(clock) - clock.begin();
    int64_t share = t;
    while (next[share] >= end[share])
      share = (share + 1) % threads;
    int64_t i = next[share]++;
    clock[t] += std::min(chunk, extent - i * chunk);
  }
  return *llvm::max_element(clock);
}

/// The chunk (a multiple of `unit`) to split `extent` into for threads: the
/// one two threads finish soonest with (see poolMakespan), among those that
/// give from threadChunks / 2 to 2 * threadChunks chunks; of equal ones,
/// the chunk count nearest threadChunks. Chunks of whole register tiles cut
/// into a fixed count leave one thread a tile more: ResNet-18's 64 rows in
/// chunks of 12 ran 36 rows on one thread, 28 on the other.
int64_t balancedChunk(int64_t extent, int64_t unit, int64_t threadChunks) {
  int64_t best = llvm::alignTo(llvm::divideCeil(extent, threadChunks), unit);
  int64_t bestTime = poolMakespan(extent, best, 2);
  auto distance = [&](int64_t chunk) {
    return std::abs(static_cast<int64_t>(llvm::divideCeil(extent, chunk)) - threadChunks);
  };
  for (int64_t chunk = unit; chunk < extent; chunk += unit) {
    int64_t chunks = llvm::divideCeil(extent, chunk);
    if (chunks > 2 * threadChunks || chunks < std::max<int64_t>(threadChunks / 2, 2))
      continue;
    int64_t time = poolMakespan(extent, chunk, 2);
    if (time < bestTime || (time == bestTime && distance(chunk) < distance(best))) {
      best = chunk;
      bestTime = time;
    }
  }
  return best;
}

} // namespace

std::optional<ContractionShape> cpu::matchContraction(linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp>(op) || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type || !type.getElementType().isF32())
      return std::nullopt;
  }
  if (!linalg::isaContractionOpInterface(op))
    return matchSlidingWindow(op);
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.size() != 1)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  // The vector loop is the n loop innermost in the result; the row loop the
  // m loop innermost in it. Other m and n loops (a batch dim of only one
  // operand, the sliver index of a packed rhs) are stepped one at a time.
  std::optional<unsigned> n, m;
  for (AffineExpr expr : maps[2].getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return std::nullopt;
    if (llvm::is_contained(dims->m, dim.getPosition()))
      m = dim.getPosition();
    if (llvm::is_contained(dims->n, dim.getPosition()))
      n = dim.getPosition();
  }
  if (!m || !n || maps[2].getResults().back() != getAffineDimExpr(*n, op.getContext()))
    return std::nullopt;
  ContractionShape shape;
  shape.m = *m;
  shape.n = *n;
  shape.k = dims->k.front();
  shape.batch.assign(dims->batch.begin(), dims->batch.end());
  for (unsigned other : llvm::concat<unsigned>(dims->m, dims->n))
    if (other != shape.m && other != shape.n)
      shape.batch.push_back(other);
  shape.lhs = resultPosition(maps[0], shape.m) ? 0 : 1;
  shape.rhs = 1 - shape.lhs;
  if (resultPosition(maps[shape.lhs], shape.n) || resultPosition(maps[shape.rhs], shape.m) ||
      !resultPosition(maps[shape.rhs], shape.n))
    return std::nullopt;
  shape.rhsContiguous =
      maps[shape.rhs].getResults().back() == getAffineDimExpr(shape.n, op.getContext());
  return shape;
}

std::optional<ContractionShape> cpu::matchVectorizableContraction(linalg::LinalgOp op) {
  if (!llvm::all_of(op->getOperandTypes(), [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return shaped && shaped.hasStaticShape();
      }))
    return std::nullopt;
  return matchContraction(op);
}

TilingStrategy cpu::selectContractionStrategy(linalg::LinalgOp op, const ContractionShape &shape,
                                              const TargetDescription &target) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // k counts every multiply-add of a result element: the kernel offsets of
  // a sliding window step along with the channels.
  int64_t windowPoints = 1;
  for (auto [loop, step] : shape.window)
    windowPoints *= ranges[loop];
  int64_t m = ranges[shape.m], n = ranges[shape.n], k = ranges[shape.k] * windowPoints;
  int64_t lanes = target.vectorBits / 32;
  // Accumulators get at most three quarters of the registers; the rest must
  // hold the rhs row (nv vectors) and the broadcast lhs element, or LLVM
  // spills an accumulator on every step.
  int64_t budget = target.vectorRegisters * 3 / 4;
  int64_t vectorsPerRow = llvm::divideCeil(n, lanes);

  // Register tile: mr rows x nv vectors of accumulators. Per step of k it
  // issues mr * nv FMAs and loads nv rhs vectors plus mr lhs elements; two
  // FMA and two load pipes, and each accumulator chain waits out the FMA
  // latency. The latency is 4 cycles, but 8 chains (exactly latency x pipes)
  // leave no slack: SGEMM measured 30 ms with 2x4 vectors against 26.5 ms
  // with 5x2, so a step costs at least 5 cycles. Rows left over after the
  // full tiles form one shorter tile (see nnc-cpu-tile). Pick the tile that
  // minimizes the estimated cycles for the whole result.
  auto stepCycles = [](int64_t rows, int64_t vectors) {
    return std::max({rows * vectors / 2.0, (rows + vectors) / 2.0, 5.0});
  };
  int64_t mr = 1, nv = 1;
  double best = std::numeric_limits<double>::infinity();
  for (int64_t rows = 1; rows <= std::min(m, budget); ++rows) {
    for (int64_t vectors = 1; vectors <= std::min(vectorsPerRow, budget / rows); ++vectors) {
      if (rows * vectors + vectors + 1 >= target.vectorRegisters)
        break;
      double remainder = m % rows ? stepCycles(m % rows, vectors) : 0.0;
      double cycles =
          llvm::divideCeil(n, vectors * lanes) * (m / rows * stepCycles(rows, vectors) + remainder);
      if (cycles < best || (cycles == best && rows * vectors > mr * nv)) {
        best = cycles;
        mr = rows;
        nv = vectors;
      }
    }
  }
  int64_t nr = nv * lanes;

  // The rhs sliver [kc x nr] fills three quarters of L1. With a single row
  // block nothing reuses the sliver, so k is not blocked.
  int64_t kc = k;
  if (m > mr) {
    kc = std::max<int64_t>(target.l1Bytes * 3 / 4 / (nr * 4), 16);
    if (k <= kc + kc / 2)
      kc = k;
  }
  // A sliding window's rhs is not copied into slivers: per channel, a tile
  // reads one row of nr + (extent - 1) * step elements per offset of the
  // other kernel dims (the one with the smallest step slides within a row),
  // in whole cache lines. Channels are blocked so that those rows take at
  // most 3/8 of L1, next to the weights the row tiles stream through it (on
  // ResNet-18's 128-channel 28x28 layer, 3/4 measured 4.1 ms, 3/8 3.2 ms).
  int64_t kcChannels = ranges[shape.k];
  if (!shape.window.empty()) {
    auto sliding =
        llvm::min_element(shape.window, [](auto a, auto b) { return a.second < b.second; });
    int64_t rows = windowPoints / ranges[sliding->first];
    int64_t rowBytes =
        llvm::alignTo((nr + (ranges[sliding->first] - 1) * sliding->second) * 4, 64) + 64;
    int64_t channels = ranges[shape.k];
    int64_t kcMax = std::max<int64_t>(target.l1Bytes * 3 / 8 / (rows * rowBytes), 1);
    kcChannels = m <= mr ? channels : llvm::divideCeil(channels, llvm::divideCeil(channels, kcMax));
    kc = kcChannels * windowPoints;
  }
  // The lhs block [mc x kc] fills at most half of L2; blocks are balanced
  // so that the last one is not a sliver.
  int64_t mcMax = std::max<int64_t>(target.l2Bytes / 2 / (kc * 4) / mr, 1) * mr;
  int64_t mc = llvm::alignTo(llvm::divideCeil(m, llvm::divideCeil(m, mcMax)), mr);
  if (mc >= m)
    mc = m;

  TilingStrategy strategy;
  int64_t numLoops = ranges.size();
  // Threads share row blocks when there are enough of them, else column
  // slivers (a matrix-vector product); chunks are whole register tiles. Small
  // contractions stay on one thread: waking a worker costs microseconds.
  strategy.threadTiles.assign(numLoops, 0);
  int64_t batch = 1;
  for (unsigned b : shape.batch)
    batch *= ranges[b];
  // A matrix-vector product streams its rhs from memory once; two cores
  // stream it faster once it is larger than a core's L2.
  bool worthThreads =
      batch * m * n * k >= target.minThreadedMacs || (m == 1 && batch * n * k * 4 > target.l2Bytes);
  auto chunk = [&](int64_t extent, int64_t unit) {
    return balancedChunk(extent, unit, target.threadChunks);
  };
  auto blocks = [](int64_t extent, int64_t unit) {
    return static_cast<int64_t>(llvm::divideCeil(extent, unit));
  };
  // Every chunk of rows reads the whole rhs. When that is the larger operand
  // and does not stay in L2 (a convolution's weights seen as the rhs), the
  // chunks go along n instead, so that the rhs is read once.
  int64_t rhsElements = shape.window.empty() ? k * n : ranges[shape.k] * n;
  bool streamsRhs = rhsElements * 4 > target.l2Bytes && n > m;
  // A batch of independent products (images of a convolution, attention
  // heads) is shared one product at a time: each chunk then works on one
  // product's operands, which stay in cache.
  if (worthThreads && batch > 1) {
    for (unsigned b : shape.batch)
      strategy.threadTiles[b] = 1;
  } else if (worthThreads && blocks(m, mr) >= target.threadChunks / 2 &&
             !(streamsRhs && blocks(n, nr) >= target.threadChunks / 2)) {
    strategy.threadTiles[shape.m] = chunk(m, mr);
  } else if (worthThreads && blocks(n, nr) >= target.threadChunks / 2) {
    strategy.threadTiles[shape.n] = chunk(n, nr);
  }
  strategy.cacheTiles.assign(numLoops, 0);
  strategy.registerTiles.assign(numLoops, 0);
  for (unsigned b : shape.batch) {
    strategy.cacheTiles[b] = 1;
    strategy.registerTiles[b] = 1;
  }
  strategy.cacheTiles[shape.m] =
      strategy.threadTiles[shape.m] ? std::min(mc, strategy.threadTiles[shape.m]) : mc;
  strategy.cacheTiles[shape.n] = n;
  strategy.cacheTiles[shape.k] = shape.window.empty() ? kc : kcChannels;
  strategy.registerTiles[shape.m] = mr;
  strategy.registerTiles[shape.n] = nr;
  strategy.registerTiles[shape.k] = 0;
  strategy.cacheOrder.assign(shape.batch.begin(), shape.batch.end());
  strategy.cacheOrder.append({shape.n, shape.k, shape.m});
  strategy.registerOrder.assign(shape.batch.begin(), shape.batch.end());
  strategy.registerOrder.append({shape.n, shape.m, shape.k});
  for (unsigned loop : llvm::make_first_range(shape.window)) {
    strategy.cacheOrder.push_back(loop);
    strategy.registerOrder.push_back(loop);
  }
  // Several row blocks reuse each rhs sliver: worth a contiguous copy when
  // its k rows are many (each a different page, and with a power-of-two
  // stride the same cache sets). A short sliver stays in L1 as it is, and
  // copying the whole rhs first costs more than it saves (ResNet-18's
  // im2col'd first conv, k = 147: 8% faster unpacked; MobileNetV2's 1x1
  // convs, k <= 160 on run-time inputs: 1.5% overall). A rhs not contiguous
  // along n needs the copy in any case. Constants cost nothing (they are
  // packed at compile time), so a single row block with several slivers (a
  // matrix-vector product) reads its weights as one sequential stream
  // instead of short rows a whole weight row apart. A sliding window reads
  // its rhs in place.
  bool constantRhs = isPackedAtCompileTime(op->getOperand(shape.rhs));
  bool reusedSliver = m > mr && (constantRhs || k > target.maxUnpackedSliverRows);
  strategy.packRhs =
      shape.window.empty() && (reusedSliver || !shape.rhsContiguous || (constantRhs && n > nr));
  strategy.vectorLanes = lanes;
  return strategy;
}

std::optional<SmallVector<int64_t>> cpu::selectThreadTiles(linalg::LinalgOp op,
                                                           const TargetDescription &target) {
  if (!isa<linalg::GenericOp>(op) || !op.hasPureTensorSemantics() || op.getNumDpsInits() == 0)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t iterations = 1;
  for (int64_t range : ranges) {
    if (ShapedType::isDynamic(range))
      return std::nullopt;
    iterations *= range;
  }
  if (iterations * op->getNumOperands() < target.minThreadedAccesses)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  // The outermost loop with at least threadChunks iterations, else the
  // outermost with more than one: three chunks (the channels of an RGB
  // image's im2col) leave one of two threads idle a third of the time.
  std::optional<unsigned> split;
  for (auto [loop, range] : llvm::enumerate(ranges)) {
    if (iterators[loop] != utils::IteratorType::parallel || range < 2)
      continue;
    if (!split)
      split = loop;
    if (range >= target.threadChunks) {
      split = loop;
      break;
    }
  }
  if (!split)
    return std::nullopt;
  // Chunks of equal size keep the chunk's shapes static (and vectorizable):
  // the largest divisor of the extent that still gives enough chunks.
  int64_t range = ranges[*split];
  int64_t chunk = std::max<int64_t>(range / target.threadChunks, 1);
  while (range % chunk != 0)
    --chunk;
  SmallVector<int64_t> tiles(ranges.size(), 0);
  tiles[*split] = chunk;
  return tiles;
}

DictionaryAttr cpu::parallelAttr(MLIRContext *context, ArrayRef<int64_t> threadTiles) {
  Builder b(context);
  return b.getDictionaryAttr({
      b.getNamedAttr("kind", b.getStringAttr("parallel")),
      b.getNamedAttr("thread_tiles", b.getDenseI64ArrayAttr(threadTiles)),
  });
}

FailureOr<SmallVector<int64_t>> cpu::readThreadTiles(linalg::LinalgOp op) {
  auto dict = op->getAttrOfType<DictionaryAttr>(kStrategyAttrName);
  auto kind = dict ? dict.getAs<StringAttr>("kind") : StringAttr();
  auto tiles = dict ? dict.getAs<DenseI64ArrayAttr>("thread_tiles") : DenseI64ArrayAttr();
  if (!kind || kind.getValue() != "parallel" || !tiles ||
      static_cast<int64_t>(tiles.size()) != op.getNumLoops() ||
      llvm::any_of(tiles.asArrayRef(), [](int64_t t) { return t < 0; }))
    return failure();
  return SmallVector<int64_t>(tiles.asArrayRef());
}

DictionaryAttr cpu::toAttr(MLIRContext *context, const TilingStrategy &strategy) {
  Builder b(context);
  return b.getDictionaryAttr({
      b.getNamedAttr("kind", b.getStringAttr("contraction")),
      b.getNamedAttr("thread_tiles", b.getDenseI64ArrayAttr(strategy.threadTiles)),
      b.getNamedAttr("cache_tiles", b.getDenseI64ArrayAttr(strategy.cacheTiles)),
      b.getNamedAttr("cache_order", b.getDenseI64ArrayAttr(strategy.cacheOrder)),
      b.getNamedAttr("register_tiles", b.getDenseI64ArrayAttr(strategy.registerTiles)),
      b.getNamedAttr("register_order", b.getDenseI64ArrayAttr(strategy.registerOrder)),
      b.getNamedAttr("pack_rhs", b.getBoolAttr(strategy.packRhs)),
      b.getNamedAttr("vector_lanes", b.getI64IntegerAttr(strategy.vectorLanes)),
  });
}

FailureOr<TilingStrategy> cpu::readStrategy(linalg::LinalgOp op) {
  auto dict = op->getAttrOfType<DictionaryAttr>(kStrategyAttrName);
  if (!dict)
    return failure();
  TilingStrategy strategy;
  int64_t numLoops = op.getNumLoops();
  auto read = [&](StringRef name, SmallVector<int64_t> &into, bool permutation) {
    auto array = dict.getAs<DenseI64ArrayAttr>(name);
    if (!array || static_cast<int64_t>(array.size()) != numLoops)
      return false;
    into.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    if (!permutation)
      return llvm::all_of(into, [](int64_t t) { return t >= 0; });
    SmallVector<int64_t> sorted(into);
    llvm::sort(sorted);
    return llvm::equal(sorted, llvm::seq<int64_t>(0, numLoops));
  };
  // Without thread tiles the op runs on one thread.
  if (!dict.get("thread_tiles"))
    strategy.threadTiles.assign(numLoops, 0);
  else if (!read("thread_tiles", strategy.threadTiles, false))
    return failure();
  if (!read("cache_tiles", strategy.cacheTiles, false) ||
      !read("cache_order", strategy.cacheOrder, true) ||
      !read("register_tiles", strategy.registerTiles, false) ||
      !read("register_order", strategy.registerOrder, true))
    return failure();
  if (auto pack = dict.getAs<BoolAttr>("pack_rhs"))
    strategy.packRhs = pack.getValue();
  auto lanes = dict.getAs<IntegerAttr>("vector_lanes");
  if (!lanes || lanes.getInt() <= 0)
    return failure();
  strategy.vectorLanes = lanes.getInt();
  return strategy;
}

//===- Strategy.h - CPU code generation choices as attributes ---*- C++ -*-===//
//
// The strategy step decides, per linalg op, how the CPU code for it is shaped
// and writes the decision as a dictionary attribute so that it can be read,
// tested in lit and overridden on its own:
//
//   nnc.cpu_strategy = {kind = "contraction",
//                       thread_tiles = array<i64: ...>,
//                       cache_tiles = array<i64: ...>,  cache_order = array<i64: ...>,
//                       register_tiles = array<i64: ...>, register_order = array<i64: ...>,
//                       pack_rhs = true, vector_lanes = 8}
//
// Other large ops are only split between threads:
//
//   nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 0, 8, 0, 0>}
//
// Tile sizes are per loop of the op (0 = not tiled at that level); orders are
// permutations of the loops, outermost first. The thread tiles split one
// parallel loop into chunks that the runtime's threads share (the loop is
// marked `nnc.parallel`); cache tiles apply within a chunk. Tiling turns the op into loops
// around a register tile marked `nnc.cpu_kernel = {register_tiles = ...}`,
// which vectorization then rewrites into register-blocked vector code.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TARGET_CPU_STRATEGY_H
#define NNC_TARGET_CPU_STRATEGY_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlir::nnc::cpu {

inline constexpr llvm::StringLiteral kStrategyAttrName = "nnc.cpu_strategy";
inline constexpr llvm::StringLiteral kKernelAttrName = "nnc.cpu_kernel";
inline constexpr llvm::StringLiteral kParallelAttrName = "nnc.parallel";
/// On the loop over cache blocks of k whose first iteration's register tiles
/// start at a constant (`first_block_init` in their kernel attribute).
inline constexpr llvm::StringLiteral kKBlocksAttrName = "nnc.k_blocks";
/// Marks the elementwise tile that consumes a kernel's register tile: the
/// kernel applies it to its accumulators before storing them.
inline constexpr llvm::StringLiteral kEpilogueAttrName = "nnc.cpu_epilogue";

/// What the target offers the code generator.
struct TargetDescription {
  int64_t vectorBits = 512;
  int64_t vectorRegisters = 32;
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  /// Chunks a parallel loop is split into for the runtime's threads: enough
  /// for an even share at 1, 2, 4 or 8 threads, which take chunks as they
  /// finish. A contraction's count is adjusted (from half to twice this) so
  /// that two threads get equal work.
  int64_t threadChunks = 8;
  /// Multiply-adds below which a contraction is not split: about 10 us on one
  /// core, the order of a worker's wake-up.
  int64_t minThreadedMacs = 1 << 20;
  /// The same for other ops, which mostly move memory: in operand elements
  /// touched, loop iterations (result elements times reduction steps) times
  /// operands (an elementwise op with one input of 32768 elements, or a
  /// Winograd input transform of 2048 tiles with its 16 reads and 16 results).
  int64_t minThreadedAccesses = 1 << 16;
  /// The longest rhs sliver (rows of k) that a contraction reads in place,
  /// unpacked, when several row blocks reuse it.
  int64_t maxUnpackedSliverRows = 256;
};

/// A contraction C[b.., m, n] += A[b.., m, k] * B[b.., k, n] in any loop order,
/// identified by its loops; `batch` holds every loop other than m, n and k.
/// `lhs` is the input indexed by m, `rhs` the one indexed by n; n is the
/// innermost dimension of the result, so that a row of it is a contiguous
/// vector. The vector kernel also needs rows of the rhs contiguous along n;
/// a rhs stored the other way (B^T, as in x * W^T) is packed first.
///
/// A sliding-window contraction (a stride-1 convolution on its flattened
/// input) has more reduction loops, the kernel offsets: the lhs reads them as
/// dims, the rhs only inside its last index, n + sum_i step_i * w_i, so that
/// each kernel offset reads the rhs row shifted along n. `window` holds them
/// with their steps; k is then the one reduction loop both operands read as
/// a dim (the input channel).
struct ContractionShape {
  SmallVector<unsigned> batch;
  unsigned m, n, k;
  unsigned lhs, rhs;
  /// Whether n is the innermost dimension of the rhs as well.
  bool rhsContiguous = true;
  SmallVector<std::pair<unsigned, int64_t>> window;
};

/// Matches an f32 multiply-accumulate generic with one k loop whose result
/// is contiguous along an n loop, or a sliding-window contraction. Extra m
/// and n loops count as batch.
std::optional<ContractionShape> matchContraction(linalg::LinalgOp op);
/// The same, for static shapes: the ops the strategy applies to.
std::optional<ContractionShape> matchVectorizableContraction(linalg::LinalgOp op);

struct TilingStrategy {
  SmallVector<int64_t> threadTiles, cacheTiles, cacheOrder, registerTiles, registerOrder;
  /// Whether the rhs is repacked into column slivers first (see
  /// packContractionRhs); the tiles then still refer to the original loops.
  /// Always set for a rhs that is not contiguous along n.
  bool packRhs = false;
  /// Elements per vector register; register tiles of vectorized loops are
  /// multiples of it.
  int64_t vectorLanes = 0;
};

/// Picks register and cache blocking for a contraction on `target`.
TilingStrategy selectContractionStrategy(linalg::LinalgOp op, const ContractionShape &shape,
                                         const TargetDescription &target);

/// For an op other than a contraction: thread tiles splitting one parallel
/// loop into whole, equal chunks (at least `target.threadChunks` of them
/// where its extent allows): the outermost with that many iterations, else
/// the outermost with more than one; nothing for small ops. Written as
/// {kind = "parallel", thread_tiles = ...}: the op is only split, the chunks
/// keep its form.
std::optional<SmallVector<int64_t>> selectThreadTiles(linalg::LinalgOp op,
                                                      const TargetDescription &target);
DictionaryAttr parallelAttr(MLIRContext *context, ArrayRef<int64_t> threadTiles);
/// The thread tiles of a {kind = "parallel"} strategy; failure for another.
FailureOr<SmallVector<int64_t>> readThreadTiles(linalg::LinalgOp op);

DictionaryAttr toAttr(MLIRContext *context, const TilingStrategy &strategy);
/// Reads the attribute back; fails unless every array has one entry per loop.
/// `thread_tiles` may be left out (no split).
FailureOr<TilingStrategy> readStrategy(linalg::LinalgOp op);

} // namespace mlir::nnc::cpu

#endif // NNC_TARGET_CPU_STRATEGY_H

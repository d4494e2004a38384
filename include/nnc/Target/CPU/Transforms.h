//===- Transforms.h - CPU code generation transforms ------------*- C++ -*-===//

#ifndef NNC_TARGET_CPU_TRANSFORMS_H
#define NNC_TARGET_CPU_TRANSFORMS_H

#include "nnc/Target/CPU/Strategy.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::nnc::cpu {

/// Rewrites contraction `op` to read its rhs from a packed copy in which each
/// column sliver of `nr` columns is contiguous: rhs [..., K, N] becomes
/// [..., ceil(N/nr), K, nr], zero-padded, with the result computed into
/// [..., M, ceil(N/nr), nr] and sliced back to [..., M, N]. The kernel then
/// streams the rhs sequentially, free of the cache-set conflicts of a
/// power-of-two row stride, and every column tile is full. A constant rhs is
/// packed at compile time. The new contraction has the original loops, with
/// loop `shape.n` now indexing slivers, plus a last loop over the `nr` lanes.
FailureOr<linalg::GenericOp> packContractionRhs(RewriterBase &rewriter, linalg::GenericOp op,
                                                const ContractionShape &shape, int64_t nr);

/// Whether packContractionRhs packs `rhs` at compile time: a 2-D constant
/// whose bytes are at hand.
bool isPackedAtCompileTime(Value rhs);

} // namespace mlir::nnc::cpu

#endif // NNC_TARGET_CPU_TRANSFORMS_H

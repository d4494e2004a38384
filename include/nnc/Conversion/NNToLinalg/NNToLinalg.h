//===- NNToLinalg.h - nn -> linalg/tensor/arith/math patterns ---*- C++ -*-===//

#ifndef NNC_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define NNC_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::nnc {

/// Elementwise, comparison, cast and select ops (Elementwise.cpp).
void populateNNElementwiseToLinalgPatterns(RewritePatternSet &patterns);
/// matmul and convolutions (Contraction.cpp).
void populateNNContractionToLinalgPatterns(RewritePatternSet &patterns);
/// Pooling (Pool.cpp).
void populateNNPoolToLinalgPatterns(RewritePatternSet &patterns);
/// Reductions, softmax and normalizations (Reduction.cpp).
void populateNNReductionToLinalgPatterns(RewritePatternSet &patterns);
/// nn.if as scf.if (ControlFlow.cpp).
void populateNNControlFlowToSCFPatterns(RewritePatternSet &patterns);
/// Resize with compile-time interpolation tables (Resize.cpp).
void populateNNResizeToLinalgPatterns(RewritePatternSet &patterns);
/// LSTM, GRU and RNN as loops over time (Recurrent.cpp).
void populateNNRecurrentToLinalgPatterns(RewritePatternSet &patterns);
/// Constants, reshapes, transposes, slicing, gathering, padding (DataMovement.cpp).
void populateNNDataMovementToLinalgPatterns(RewritePatternSet &patterns);

/// Stride-1 3x3 convolutions of constant weights by Winograd's F(2x2, 3x3)
/// (Winograd.cpp); not part of the reference lowering below, a CPU choice.
void populateNNWinogradConvToLinalgPatterns(RewritePatternSet &patterns);

/// Whether an ungrouped convolution with `filters` filters and `outSize`
/// output positions per image runs as the transposed GEMM, positions x
/// filters (the late layers of a CNN); its result is then channels-last.
bool convGemmRunsTransposed(int64_t filters, int64_t outSize);

/// All of the above but Winograd.
void populateNNToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace mlir::nnc

#endif // NNC_CONVERSION_NNTOLINALG_NNTOLINALG_H

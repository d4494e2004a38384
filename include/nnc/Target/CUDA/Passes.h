//===- Passes.h - CUDA target passes ----------------------------*- C++ -*-===//

#ifndef NNC_TARGET_CUDA_PASSES_H
#define NNC_TARGET_CUDA_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::nnc {

namespace cuda {
/// Threads per block chosen for an outermost scf.parallel.
constexpr llvm::StringLiteral kBlockSizeAttrName = "nnc.cuda.block_size";
/// Threads that share each iteration of an outermost scf.parallel by
/// splitting its reduction loop (1 or a warp, 32).
constexpr llvm::StringLiteral kLanesAttrName = "nnc.cuda.lanes_per_iteration";
constexpr int64_t kWarpSize = 32;
/// Loops of at most this many iterations may have a warp share each one;
/// above it one thread per iteration already fills the GPU.
constexpr int64_t kMaxWarpSharedPoints = 1 << 16;

/// The reduction loop of `loop`'s body that a warp can share: the body's one
/// scf.for, carrying one f32 that each step (through nested loops of the same
/// form) only adds to, so that lanes can sum strided parts of it and combine
/// their partial sums; null when the body has no such loop.
scf::ForOp getSplittableReduction(scf::ParallelOp loop);
} // namespace cuda

#define GEN_PASS_DECL
#include "nnc/Target/CUDA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nnc/Target/CUDA/Passes.h.inc"

} // namespace mlir::nnc

#endif // NNC_TARGET_CUDA_PASSES_H

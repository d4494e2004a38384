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
} // namespace cuda

#define GEN_PASS_DECL
#include "nnc/Target/CUDA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nnc/Target/CUDA/Passes.h.inc"

} // namespace mlir::nnc

#endif // NNC_TARGET_CUDA_PASSES_H

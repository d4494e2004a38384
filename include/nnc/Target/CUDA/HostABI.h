//===- HostABI.h - CUDA host code against the runtime -----------*- C++ -*-===//

#ifndef NNC_TARGET_CUDA_HOSTABI_H
#define NNC_TARGET_CUDA_HOSTABI_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"

#include <string>

namespace mlir::nnc {

/// Rewrites the host code upstream's gpu-to-llvm produced in `main` (whose
/// last argument is the runtime env, kernel_abi.h) so that it needs nothing
/// but that env:
///   - the mgpu* calls go through the env's nnc_kernel_cuda_v0_t table;
///   - the global constructor that loaded each kernel image at dlopen time is
///     gone; `main` asks the runtime for the (cached) module instead, so
///     loading a model never touches the GPU and a CPU-only process can load
///     and describe it;
///   - every constant buffer (weights) is replaced by the device copy the
///     runtime uploads at first use.
LogicalResult routeCUDAHostCalls(llvm::Module &module, llvm::Function &main, std::string &error);

/// The PTX of the module's kernels (its one gpu.binary), for --emit=ptx;
/// empty when the model needs no kernel (all its work is copies).
FailureOr<std::string> extractPTX(ModuleOp module);

} // namespace mlir::nnc

#endif // NNC_TARGET_CUDA_HOSTABI_H

//===- CheckLibdevice.cpp - kernels that need libdevice without one -------===//

#include "nnc/Target/CUDA/Passes.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDACHECKLIBDEVICEPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
struct NNCCUDACheckLibdevicePass final
    : nnc::impl::NNCCUDACheckLibdevicePassBase<NNCCUDACheckLibdevicePass> {
  using Base::Base;
  void runOnOperation() override {
    if (libdeviceFound)
      return;
    bool failed = false;
    getOperation().walk([&](LLVM::CallOp call) {
      auto callee = call.getCallee();
      if (failed || !callee || !callee->starts_with("__nv_") ||
          !call->getParentOfType<gpu::GPUModuleOp>())
        return;
      call.emitError("this kernel calls '")
          << *callee
          << "' from CUDA's libdevice, and no CUDA toolkit was found: pass --cuda-path=DIR or "
             "set CUDA_HOME to a toolkit holding nvvm/libdevice/libdevice.10.bc";
      failed = true;
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace

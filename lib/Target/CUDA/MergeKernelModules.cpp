//===- MergeKernelModules.cpp - one gpu.module for all kernels ------------===//

#include "nnc/Target/CUDA/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCUDAMERGEKERNELMODULESPASS
#include "nnc/Target/CUDA/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kKernelModuleName = "nnc_kernels";

struct NNCCUDAMergeKernelModulesPass final
    : nnc::impl::NNCCUDAMergeKernelModulesPassBase<NNCCUDAMergeKernelModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> kernelModules(module.getOps<gpu::GPUModuleOp>());
    if (kernelModules.empty())
      return;
    // Outlining names each module uniquely but may reuse kernel names across
    // modules; the one kernel of a module takes the module's name.
    MLIRContext *context = &getContext();
    llvm::StringMap<llvm::StringMap<std::string>> kernelNames;
    for (gpu::GPUModuleOp source : kernelModules) {
      auto kernels = source.getOps<gpu::GPUFuncOp>();
      bool single = std::distance(kernels.begin(), kernels.end()) == 1;
      for (auto kernel : kernels)
        kernelNames[source.getName()][kernel.getName()] =
            single ? source.getName().str() : (source.getName() + "_" + kernel.getName()).str();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      const std::string &name = kernelNames[launch.getKernelModuleName()][launch.getKernelName()];
      launch.setKernelAttr(
          SymbolRefAttr::get(context, kKernelModuleName, {FlatSymbolRefAttr::get(context, name)}));
    });
    for (gpu::GPUModuleOp source : kernelModules)
      for (auto kernel : source.getOps<gpu::GPUFuncOp>())
        SymbolTable::setSymbolName(kernel, kernelNames[source.getName()][kernel.getName()]);

    gpu::GPUModuleOp target = kernelModules.front();
    SymbolTable targetSymbols(target);
    for (gpu::GPUModuleOp source : llvm::drop_begin(kernelModules)) {
      for (Operation &op : llvm::make_early_inc_range(source.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (symbol && targetSymbols.lookup(symbol.getName())) {
          // Outlining copied the same callee into every module that calls it.
          if (isa<gpu::GPUFuncOp>(op)) {
            op.emitError("two kernels named ") << symbol.getName();
            return signalPassFailure();
          }
          continue;
        }
        op.moveBefore(target.getBody(), target.getBody()->end());
        if (symbol)
          targetSymbols.insert(&op);
      }
      source.erase();
    }
    SymbolTable::setSymbolName(target, kKernelModuleName);
  }
};
} // namespace

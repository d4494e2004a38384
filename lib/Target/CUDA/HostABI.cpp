//===- HostABI.cpp - CUDA host code against the runtime -------------------===//
//
// Upstream's gpu-to-llvm lowers launches to calls of MLIR's CUDA runtime
// wrappers (mgpuLaunchKernel, mgpuMemAlloc, ...) and loads each gpu.binary in
// a global constructor. nnc's artifacts must not depend on a library that
// Debian does not ship nor touch the GPU at dlopen time, so each of those
// calls becomes an indirect call through the nnc_kernel_cuda_v0_t table the
// runtime lends every run (runtime/include/nnc_rt/kernel_abi.h): the same
// arguments, preceded by the table's context.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CUDA/HostABI.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/ReplaceConstant.h"

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// The functions of nnc_kernel_cuda_v0_t after its context, in order.
constexpr llvm::StringLiteral kTable[] = {
    "mgpuModuleLoadJIT",     "mgpuModuleGetFunction", "mgpuLaunchKernel",
    "mgpuStreamCreate",      "mgpuStreamSynchronize", "mgpuStreamDestroy",
    "mgpuMemAlloc",          "mgpuMemFree",           "mgpuMemcpy",
    "__nnc_device_constant",
};
/// nnc_kernel_env_v0_t's `cuda` field: after parallel_for, pool, workspace.
constexpr unsigned kEnvCudaField = 3;

std::optional<unsigned> tableIndex(StringRef name) {
  for (auto [i, entry] : llvm::enumerate(kTable))
    if (entry == name)
      return i + 1; // after the context
  return std::nullopt;
}

/// The entries of `llvm.global_ctors`/`dtors` (their functions); erases the
/// array.
SmallVector<llvm::Function *> takeStructors(llvm::Module &module, StringRef arrayName) {
  SmallVector<llvm::Function *> functions;
  llvm::GlobalVariable *array = module.getGlobalVariable(arrayName);
  if (!array)
    return functions;
  if (auto *init = dyn_cast<llvm::ConstantArray>(array->getInitializer()))
    for (llvm::Value *entry : init->operands())
      if (auto *function = dyn_cast<llvm::Function>(
              cast<llvm::ConstantStruct>(entry)->getOperand(1)->stripPointerCasts()))
        functions.push_back(function);
  array->eraseFromParent();
  return functions;
}

bool isDeviceCall(llvm::Instruction &inst) {
  auto *call = dyn_cast<llvm::CallInst>(&inst);
  return call && call->getCalledFunction() &&
         call->getCalledFunction()->getName().starts_with("mgpu");
}

bool makesDeviceCalls(llvm::Function &function) {
  return llvm::any_of(llvm::instructions(function), isDeviceCall);
}
} // namespace

LogicalResult mlir::nnc::routeCUDAHostCalls(llvm::Module &module, llvm::Function &main,
                                            std::string &error) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> b(context);
  auto *ptrType = llvm::PointerType::getUnqual(context);

  // Module loading moves from the constructors into the host code: each load
  // of the module handle a constructor filled becomes a (cached) load by the
  // runtime.
  SmallVector<llvm::Function *> structors = takeStructors(module, "llvm.global_ctors");
  llvm::append_range(structors, takeStructors(module, "llvm.global_dtors"));
  for (llvm::Function *structor : structors) {
    // The kernel modules' load and unload are the only ones the lowering makes.
    if (!makesDeviceCalls(*structor)) {
      error = "unexpected global constructor " + structor->getName().str();
      return failure();
    }
    for (llvm::Instruction &inst : llvm::instructions(*structor)) {
      auto *call = dyn_cast<llvm::CallInst>(&inst);
      if (!call || !call->getCalledFunction() ||
          call->getCalledFunction()->getName() != "mgpuModuleLoadJIT")
        continue;
      auto *store = call->hasOneUse() ? dyn_cast<llvm::StoreInst>(*call->user_begin()) : nullptr;
      auto *handle = store ? dyn_cast<llvm::GlobalVariable>(store->getPointerOperand()) : nullptr;
      if (!handle) {
        error = "unexpected kernel module constructor " + structor->getName().str();
        return failure();
      }
      for (llvm::User *user : llvm::make_early_inc_range(handle->users())) {
        auto *load = dyn_cast<llvm::LoadInst>(user);
        if (!load || llvm::is_contained(structors, load->getFunction()))
          continue;
        b.SetInsertPoint(load);
        llvm::Value *reload = b.CreateCall(call->getFunctionType(), call->getCalledOperand(),
                                           {call->getArgOperand(0), call->getArgOperand(1)});
        load->replaceAllUsesWith(reload);
        load->eraseFromParent();
      }
    }
  }
  for (llvm::Function *structor : structors) {
    llvm::SmallPtrSet<llvm::GlobalVariable *, 2> handles;
    for (llvm::Instruction &inst : llvm::instructions(*structor))
      for (llvm::Value *operand : inst.operands())
        if (auto *global = dyn_cast<llvm::GlobalVariable>(operand); global && !global->isConstant())
          handles.insert(global);
    structor->eraseFromParent();
    for (llvm::GlobalVariable *handle : handles)
      if (handle->use_empty())
        handle->eraseFromParent();
  }

  // nnc-cuda-map-to-grid put all device work in @main, the one function
  // that has the env.
  for (llvm::Function &function : module)
    if (&function != &main && !function.isDeclaration() && makesDeviceCalls(function)) {
      error = "device calls outside @main, in " + function.getName().str();
      return failure();
    }
  SmallVector<llvm::Function *> hosts{&main};

  // Kernel images and kernel names stay host data; every other constant the
  // host code reaches is a tensor the kernels read from device memory.
  llvm::SmallPtrSet<llvm::GlobalVariable *, 8> hostData;
  for (llvm::Function *host : hosts)
    for (llvm::Instruction &inst : llvm::instructions(*host))
      if (isDeviceCall(inst))
        for (llvm::Value *arg : cast<llvm::CallInst>(inst).args())
          if (auto *global = dyn_cast<llvm::GlobalVariable>(arg->stripPointerCasts()))
            hostData.insert(global);

  auto *deviceConstantType =
      llvm::FunctionType::get(ptrType, {ptrType, ptrType, b.getInt64Ty()}, false);
  const llvm::DataLayout &layout = module.getDataLayout();
  for (llvm::Function *host : hosts) {
    llvm::Value *env = host->getArg(host->arg_size() - 1);
    b.SetInsertPoint(&*host->getEntryBlock().getFirstInsertionPt());
    llvm::Value *table =
        b.CreateLoad(ptrType, b.CreateConstGEP1_64(ptrType, env, kEnvCudaField), "cuda");
    auto *tableContext = cast<llvm::Instruction>(b.CreateLoad(ptrType, table, "cuda.context"));
    auto tableEntry = [&](StringRef name) {
      return b.CreateLoad(ptrType, b.CreateConstGEP1_64(ptrType, table, *tableIndex(name)));
    };

    SmallVector<llvm::CallInst *> calls;
    for (llvm::Instruction &inst : llvm::instructions(*host))
      if (isDeviceCall(inst))
        calls.push_back(cast<llvm::CallInst>(&inst));
    for (llvm::CallInst *call : calls) {
      StringRef name = call->getCalledFunction()->getName();
      if (!tableIndex(name)) {
        error = "the CUDA runtime table has no entry for " + name.str();
        return failure();
      }
      SmallVector<llvm::Type *> params{ptrType};
      llvm::append_range(params, call->getFunctionType()->params());
      auto *type = llvm::FunctionType::get(call->getType(), params, false);
      b.SetInsertPoint(call);
      SmallVector<llvm::Value *> args{tableContext};
      llvm::append_range(args, call->args());
      llvm::CallInst *routed = b.CreateCall(type, tableEntry(name), args);
      call->replaceAllUsesWith(routed);
      call->eraseFromParent();
    }

    for (llvm::GlobalVariable &global : module.globals()) {
      if (hostData.contains(&global) || !global.hasInitializer())
        continue;
      SmallVector<llvm::Constant *> roots{&global};
      llvm::convertUsersOfConstantsToInstructions(roots, host);
      SmallVector<llvm::Use *> uses;
      for (llvm::Use &use : global.uses())
        if (auto *inst = dyn_cast<llvm::Instruction>(use.getUser());
            inst && inst->getFunction() == host)
          uses.push_back(&use);
      if (uses.empty())
        continue;
      b.SetInsertPoint(tableContext->getNextNode());
      uint64_t bytes = layout.getTypeAllocSize(global.getValueType());
      llvm::Value *device =
          b.CreateCall(deviceConstantType, tableEntry("__nnc_device_constant"),
                       {tableContext, &global, b.getInt64(bytes)}, global.getName() + ".device");
      for (llvm::Use *use : uses)
        use->set(device);
    }
  }
  for (llvm::Function &function : llvm::make_early_inc_range(module))
    if (function.isDeclaration() && function.getName().starts_with("mgpu") && function.use_empty())
      function.eraseFromParent();
  return success();
}

FailureOr<std::string> mlir::nnc::extractPTX(ModuleOp module) {
  std::string ptx;
  unsigned binaries = 0;
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute attr : binary.getObjects())
      if (auto object = dyn_cast<gpu::ObjectAttr>(attr)) {
        ptx += object.getObject().getValue().str();
        ++binaries;
      }
  });
  if (binaries > 1) {
    module.emitError("expected one kernel image, found ") << binaries;
    return failure();
  }
  return ptx;
}

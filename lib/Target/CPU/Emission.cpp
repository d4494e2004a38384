//===- Emission.cpp - LLVM IR, objects and shared libraries ---------------===//

#include "nnc/Target/CPU/Emission.h"
#include "nnc/Dialect/NN/IR/NNOps.h"

#include "lld/Common/Driver.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <unistd.h>

LLD_HAS_DRIVER(elf)

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// The bytes of a constant global's initializer as the target lays them out;
/// empty for splats, sub-byte elements and anything but dense data.
ArrayRef<char> initializerBytes(Attribute value) {
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements || !elements.getElementType().isIntOrFloat() ||
      elements.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return {};
  return nn::getRawElementBytes(elements);
}

/// Gives every constant global with a multi-dimensional or large array type
/// a flat byte array of the same bytes. The translation would build a nested
/// LLVM constant per innermost row (150 000 of them for one packed ResNet
/// weight), each uniqued in the LLVMContext, and codegen would print every
/// float on its own; bytes are one constant, written in one piece. Code reads
/// the globals through pointers, so their declared type does not matter.
void flattenConstantGlobals(ModuleOp module, const llvm::DataLayout &layout) {
  if (!layout.isLittleEndian() || !llvm::sys::IsLittleEndianHost)
    return;
  module.walk([&](LLVM::GlobalOp global) {
    auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
    if (!global.getConstant() || !array ||
        (!isa<LLVM::LLVMArrayType>(array.getElementType()) && array.getNumElements() < 64))
      return;
    ArrayRef<char> bytes = initializerBytes(global.getValueOrNull());
    if (bytes.empty())
      return;
    MLIRContext *context = global.getContext();
    auto i8 = IntegerType::get(context, 8);
    auto type = RankedTensorType::get({static_cast<int64_t>(bytes.size())}, i8);
    global.setGlobalType(LLVM::LLVMArrayType::get(i8, bytes.size()));
    global.setValueAttr(DenseElementsAttr::getFromRawBuffer(type, bytes));
  });
}
} // namespace

FailureOr<std::unique_ptr<llvm::TargetMachine>>
mlir::nnc::createCPUTargetMachine(const CPUTargetOptions &options, std::string &error) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  bool host = options.triple.empty();
  llvm::Triple triple(host ? llvm::sys::getDefaultTargetTriple() : options.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return failure();
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty() && host)
    cpu = llvm::sys::getHostCPUName().str();
  if (features.empty() && host && options.cpu.empty()) {
    // All features the host has, so that -march=native-like code is the default.
    SmallVector<std::string> enabled;
    for (const auto &[name, on] : llvm::sys::getHostCPUFeatures())
      enabled.push_back((on ? "+" : "-") + name.str());
    features = llvm::join(enabled, ",");
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, cpu, features, targetOptions, llvm::Reloc::PIC_,
                                  std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine) {
    error = "cannot create a target machine for " + triple.str();
    return failure();
  }
  return machine;
}

CPUVectorUnit mlir::nnc::describeVectorUnit(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  const llvm::Triple &triple = machine.getTargetTriple();
  if (triple.isX86()) {
    if (info->checkFeatures("+avx512f"))
      return {512, 32};
    if (info->checkFeatures("+avx"))
      return {256, 16};
    return {128, 16};
  }
  if (triple.isAArch64())
    return {128, 32};
  return {};
}

CPUCacheSizes mlir::nnc::describeHostCaches() {
  CPUCacheSizes sizes;
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  sizes.l1 = std::max<long>(sysconf(_SC_LEVEL1_DCACHE_SIZE), 0);
  sizes.l2 = std::max<long>(sysconf(_SC_LEVEL2_CACHE_SIZE), 0);
#endif
  return sizes;
}

std::unique_ptr<llvm::Module>
mlir::nnc::translateAndOptimize(ModuleOp module, const ModelSignature &signature,
                                llvm::TargetMachine &machine, llvm::LLVMContext &llvmContext,
                                llvm::function_ref<LogicalResult(llvm::Module &)> lowerHost) {
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  // The ONNX names live in the signature; LLVM IR has no place for them.
  module.walk([](LLVM::LLVMFuncOp func) {
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.removeArgAttr(i, "nn.name");
  });
  // scf-to-cf copies a loop's `llvm.loop_annotation` onto its back edge as a
  // discardable attribute; the translation reads only the branch's own
  // loop_annotation.
  module.walk([](LLVM::BrOp branch) {
    if (auto annotation = branch->getDiscardableAttr("llvm.loop_annotation")) {
      branch.setLoopAnnotationAttr(cast<LLVM::LoopAnnotationAttr>(annotation));
      branch->removeDiscardableAttr("llvm.loop_annotation");
    }
  });
  // What the lowering added to @main: a workspace argument, the env pointer.
  ModelSignature lowered = signature;
  if (auto size = module->getAttrOfType<IntegerAttr>("nnc.workspace_size")) {
    lowered.workspaceSize = size.getInt();
    module->removeAttr("nnc.workspace_size");
  }
  if (module->hasAttr("nnc.parallel_tasks")) {
    lowered.takesEnv = true;
    module->removeAttr("nnc.parallel_tasks");
  }
  if (auto device = module->getAttrOfType<StringAttr>("nnc.device")) {
    // nnc-cuda-map-to-grid gave @main the env, whose table drives the GPU.
    if (device.getValue() != "cuda") {
      module.emitError("unknown device ") << device;
      return nullptr;
    }
    lowered.device = 1;
    lowered.takesEnv = true;
    module->removeAttr("nnc.device");
  }
  flattenConstantGlobals(module, machine.createDataLayout());
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return nullptr;
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  if (failed(addKernelABI(*llvmModule, lowered))) {
    module.emitError("the lowered module has no @main taking the model's buffers");
    return nullptr;
  }
  if (lowerHost && failed(lowerHost(*llvmModule)))
    return nullptr;

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder passBuilder(&machine);
  passBuilder.registerModuleAnalyses(mam);
  passBuilder.registerCGSCCAnalyses(cgam);
  passBuilder.registerFunctionAnalyses(fam);
  passBuilder.registerLoopAnalyses(lam);
  passBuilder.crossRegisterProxies(lam, fam, cgam, mam);
  passBuilder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(*llvmModule, mam);
  return llvmModule;
}

LogicalResult mlir::nnc::emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                                         bool assembly, llvm::raw_pwrite_stream &os,
                                         std::string &error) {
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  assembly ? llvm::CodeGenFileType::AssemblyFile
                                           : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return failure();
  }
  pm.run(module);
  return success();
}

LogicalResult mlir::nnc::linkSharedLibrary(StringRef objectPath, StringRef outputPath,
                                           std::string &error) {
  std::string object = objectPath.str(), output = outputPath.str();
  // Math functions (expf, erff, ...) and malloc resolve against the process,
  // which links libm and libc through the nnc runtime.
  const char *args[] = {"ld.lld", "-shared", "--gc-sections", "-o", output.c_str(), object.c_str()};
  std::string log;
  llvm::raw_string_ostream logStream(log);
  lld::Result result = lld::lldMain(args, logStream, logStream, {{lld::Gnu, &lld::elf::link}});
  if (result.retCode != 0) {
    error = "linking " + output + " failed: " + log;
    return failure();
  }
  return success();
}

LogicalResult mlir::nnc::writeStaticArchive(StringRef objectPath, StringRef outputPath,
                                            std::string &error) {
  auto member = llvm::NewArchiveMember::getFile(objectPath, /*Deterministic=*/true);
  if (!member) {
    error = llvm::toString(member.takeError());
    return failure();
  }
  // The member would keep the temporary object's name; name it after the archive.
  std::string memberName = (llvm::sys::path::stem(outputPath) + ".o").str();
  member->MemberName = memberName;
  SmallVector<llvm::NewArchiveMember> members;
  members.push_back(std::move(*member));
  if (llvm::Error err =
          llvm::writeArchive(outputPath, members, llvm::SymtabWritingMode::NormalSymtab,
                             llvm::object::Archive::K_GNU, /*Deterministic=*/true,
                             /*Thin=*/false)) {
    error = llvm::toString(std::move(err));
    return failure();
  }
  return success();
}

//===- nnc-compile.cpp - the nnc compiler driver --------------------------===//
//
// nnc-compile MODEL.onnx -o OUT --emit=nn [--input-shape NAME=DIMS]... [-O2]
//
// Imports an ONNX model, optimizes it and writes the requested form. Exit code
// 0 on success, 1 on any error (with a message naming the model file and, for
// node-level problems, the ONNX node and op).
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNOps.h"
#include "nnc/Importer/ONNX/ONNXImporter.h"
#include "nnc/InitAllDialects.h"
#include "nnc/Target/CPU/Emission.h"
#include "nnc/Target/CPU/Pipelines.h"
#include "nnc/Target/CUDA/HostABI.h"
#include "nnc/Target/CUDA/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/CodeGen/CommandFlags.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class EmitKind {
  NN,
  Summary,
  Linalg,
  LLVMDialect,
  LLVMIR,
  Asm,
  Obj,
  Shared,
  Static,
  Header,
  PTX
};
enum class Target { CPU, CUDA };
enum class OptLevel { O0, O1, O2, O3 };

/// Parses NAME=D0xD1x... into `options`.
LogicalResult parseInputShape(StringRef spec, nnc::ONNXImportOptions &options) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || dims.empty())
    return failure();
  SmallVector<int64_t> shape;
  if (dims != "scalar") {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t dim;
      if (part.getAsInteger(10, dim) || dim < 0)
        return failure();
      shape.push_back(dim);
    }
  }
  options.inputShapes[name] = shape;
  return success();
}

/// Writes what a user wants to know first about an imported model.
void printSummary(ModuleOp module, StringRef modelPath, raw_ostream &os) {
  auto func = *module.getOps<func::FuncOp>().begin();
  auto describe = [&](StringRef kind, DictionaryAttr attrs, Type type) {
    auto name = attrs ? attrs.getAs<StringAttr>("nn.name") : StringAttr();
    os << "  " << kind << " " << (name ? name.getValue() : "?") << ": " << type << "\n";
  };
  os << "model " << modelPath << "\n";
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    describe("input ", func.getArgAttrDict(i), func.getArgument(i).getType());
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    describe("output", func.getResultAttrDict(i), func.getResultTypes()[i]);
  std::map<std::string, unsigned> counts;
  uint64_t weightBytes = 0, weights = 0;
  func.walk([&](Operation *op) {
    if (auto constant = dyn_cast<nnc::nn::ConstantOp>(op)) {
      auto type = constant.getType();
      unsigned bits = type.getElementType().getIntOrFloatBitWidth();
      weightBytes += type.getNumElements() * std::max(bits / 8, 1u);
      ++weights;
      return;
    }
    if (op->getDialect() && op->getDialect()->getNamespace() == "nn")
      ++counts[op->getName().getStringRef().str()];
  });
  os << "  ops:";
  for (const auto &[name, count] : counts)
    os << " " << name << " x" << count;
  os << "\n  constants: " << weights << " (" << llvm::format("%.1f", weightBytes / 1024.0)
     << " KiB)\n";
}

/// The model file and ONNX node a diagnostic location names.
void describeLocation(Location loc, std::string &file, std::string &node) {
  loc->walk([&](Location inner) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner))
      if (file.empty())
        file = fileLoc.getFilename().str();
    if (auto nameLoc = dyn_cast<NameLoc>(inner))
      if (node.empty())
        node = nameLoc.getName().str();
    return WalkResult::advance();
  });
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::OptionCategory category("nnc-compile options");
  cl::opt<std::string> inputFile(cl::Positional, cl::Required, cl::desc("<model.onnx>"),
                                 cl::cat(category));
  cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                  cl::value_desc("path"), cl::init("-"), cl::cat(category));
  cl::opt<EmitKind> emit(
      "emit", cl::desc("What to write"), cl::init(EmitKind::Shared),
      cl::values(clEnumValN(EmitKind::NN, "nn", "the model in the nn dialect (MLIR text)"),
                 clEnumValN(EmitKind::Summary, "summary",
                            "inputs, outputs, op counts and weight size of the nn IR"),
                 clEnumValN(EmitKind::Linalg, "linalg", "linalg/tensor IR (MLIR text)"),
                 clEnumValN(EmitKind::LLVMDialect, "llvm-dialect", "LLVM dialect (MLIR text)"),
                 clEnumValN(EmitKind::LLVMIR, "llvm-ir", "optimized LLVM IR with the runtime ABI"),
                 clEnumValN(EmitKind::Asm, "asm", "target assembly"),
                 clEnumValN(EmitKind::Obj, "obj", "relocatable object file (PIC)"),
                 clEnumValN(EmitKind::Shared, "shared",
                            "shared library loadable by the nnc runtime (default)"),
                 clEnumValN(EmitKind::Static, "static",
                            "static archive to link into a program (with --emit=header)"),
                 clEnumValN(EmitKind::Header, "header",
                            "C header declaring the model's accessor and its inputs/outputs"),
                 clEnumValN(EmitKind::PTX, "ptx", "the kernels' PTX (--target=cuda)")),
      cl::cat(category));
  cl::opt<Target> target(
      "target", cl::desc("Where the model runs"), cl::init(Target::CPU),
      cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU (default)"),
                 clEnumValN(Target::CUDA, "cuda",
                            "an NVIDIA GPU: PTX kernels driven by host code in the artifact")),
      cl::cat(category));
  cl::opt<std::string> gpuArch("gpu-arch",
                               cl::desc("NVIDIA GPU architecture for --target=cuda (sm_80, sm_90)"),
                               cl::value_desc("sm_NN"), cl::init("sm_80"), cl::cat(category));
  cl::opt<std::string> cudaPath(
      "cuda-path",
      cl::desc("CUDA toolkit whose libdevice kernels' math functions link (default: $CUDA_HOME, "
               "then /usr/local/cuda)"),
      cl::value_desc("DIR"), cl::cat(category));
  cl::list<std::string> inputShapes(
      "input-shape",
      cl::desc("Static shape for a graph input with dynamic dims: NAME=1x3x224x224 "
               "(repeatable; NAME=scalar for rank 0)"),
      cl::value_desc("NAME=DIMS"), cl::cat(category));
  cl::list<std::string> boundInputs(
      "bind-input",
      cl::desc("Fold graph input NAME into a constant read from an ONNX TensorProto file "
               "(repeatable); specializes models whose shape operands are inputs"),
      cl::value_desc("NAME=FILE.pb"), cl::cat(category));
  cl::opt<OptLevel> optLevel(
      cl::desc("Optimization level"), cl::init(OptLevel::O2),
      cl::values(clEnumValN(OptLevel::O0, "O0", "no optimization: the imported IR as is"),
                 clEnumValN(OptLevel::O1, "O1", "fold constants and simplify the graph"),
                 clEnumValN(OptLevel::O2, "O2", "as -O1 (default)"),
                 clEnumValN(OptLevel::O3, "O3", "as -O2")),
      cl::cat(category));
  cl::opt<std::string> modelName(
      "model-name",
      cl::desc("Export the model as <NAME>_model_v0 (default nnc, the name the runtime looks "
               "up in shared libraries); distinct names let several static models share a "
               "program"),
      cl::value_desc("NAME"), cl::init("nnc"), cl::cat(category));
  cl::opt<std::string> debugDump(
      "debug-dump",
      cl::desc("Write the IR after import and after every pass into DIR, and on a pass "
               "failure a reproducer that `nnc-opt --run-reproducer` replays"),
      cl::value_desc("DIR"), cl::cat(category));
  cl::opt<std::string> mtriple("mtriple", cl::desc("Target triple (default: the host)"),
                               cl::cat(category));
  // --mcpu/--mattr are LLVM's codegen flags, which the in-process linker
  // registers as well; defining them again would abort.
  static llvm::codegen::RegisterCodeGenFlags codegenFlags;
  auto &registered = cl::getRegisteredOptions();
  for (StringRef flag : {"mcpu", "mattr"})
    registered[flag]->addCategory(category);
  cl::opt<int64_t> l1Bytes("l1-bytes",
                           cl::desc("L1 data cache per core to block for (default: the host's "
                                    "when compiling for it, else 32 KiB)"),
                           cl::value_desc("BYTES"), cl::init(0), cl::cat(category));
  cl::opt<int64_t> l2Bytes("l2-bytes",
                           cl::desc("L2 cache per core to block for (default: the host's when "
                                    "compiling for it, else 1 MiB)"),
                           cl::value_desc("BYTES"), cl::init(0), cl::cat(category));
  cl::opt<bool> elideWeights(
      "elide-weights",
      cl::desc("Print large constants as __elided__ (smaller output that nnc-opt cannot read "
               "back)"),
      cl::init(false), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "nnc-compile: compiles an ONNX model (.onnx, or .onnxtxt in "
                              "ONNX text syntax)\n");

  nnc::ONNXImportOptions options;
  for (const std::string &spec : inputShapes)
    if (failed(parseInputShape(spec, options))) {
      llvm::errs() << "nnc-compile: error: bad --input-shape '" << spec
                   << "' (expected NAME=D0xD1x..., e.g. input=1x3x224x224)\n";
      return 1;
    }
  for (const std::string &spec : boundInputs) {
    auto [name, file] = StringRef(spec).rsplit('=');
    if (name.empty() || file.empty()) {
      llvm::errs() << "nnc-compile: error: bad --bind-input '" << spec
                   << "' (expected NAME=FILE.pb)\n";
      return 1;
    }
    options.boundInputs[name] = file.str();
  }

  bool cuda = target == Target::CUDA;
  if (emit == EmitKind::PTX && !cuda) {
    llvm::errs() << "nnc-compile: error: --emit=ptx needs --target=cuda\n";
    return 1;
  }
  unsigned archNumber = 0;
  if (cuda && (!StringRef(gpuArch).starts_with("sm_") ||
               StringRef(gpuArch).drop_front(3).getAsInteger(10, archNumber) || archNumber < 50)) {
    llvm::errs() << "nnc-compile: error: bad --gpu-arch '" << gpuArch
                 << "' (expected sm_NN with NN >= 50, e.g. sm_80 or sm_90)\n";
    return 1;
  }
  std::string toolkit = !cuda              ? std::string()
                        : cudaPath.empty() ? nnc::findCUDAToolkit()
                                           : std::string(cudaPath);
  if (cuda && !cudaPath.empty() && !nnc::hasLibdevice(toolkit)) {
    llvm::errs() << "nnc-compile: error: --cuda-path '" << cudaPath
                 << "' holds no nvvm/libdevice/libdevice.10.bc\n";
    return 1;
  }

  DialectRegistry registry;
  nnc::registerAllNNCDialects(registry);
  nnc::registerONNXImporterDialects(registry);
  nnc::registerCPUPipelineDependencies(registry);
  MLIRContext context(registry);
  // One line per diagnostic: "<model file>: error: <message>".
  ScopedDiagnosticHandler printer(&context, [&](Diagnostic &diag) {
    std::string file, node;
    describeLocation(diag.getLocation(), file, node);
    std::string message = diag.str();
    if (!node.empty() && message.find("ONNX node") == std::string::npos && node != file)
      message += " (ONNX node '" + node + "')";
    const char *severity = diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
                           : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                                               : "note";
    llvm::errs() << (file.empty() ? std::string("nnc-compile") : file) << ": " << severity << ": "
                 << message << "\n";
    return success();
  });

  OwningOpRef<ModuleOp> module = nnc::importONNXModelFile(&context, inputFile, options);
  if (!module)
    return 1;

  unsigned level = static_cast<unsigned>(optLevel.getValue());
  bool binary = emit == EmitKind::Obj || emit == EmitKind::Shared || emit == EmitKind::Static;
  std::string outputPath = outputFile;
  if (outputPath == "-" && binary)
    outputPath = (llvm::sys::path::stem(inputFile) + (emit == EmitKind::Obj      ? ".o"
                                                      : emit == EmitKind::Static ? ".a"
                                                                                 : ".so"))
                     .str();

  // Everything after import runs through one pass manager; the signature is read
  // before lowering rewrites @main.
  auto main = *module->getOps<func::FuncOp>().begin();
  auto signature = nnc::extractModelSignature(main);
  if (failed(signature))
    return 1;
  signature->accessorName = modelName + "_model_v0";
  std::string error;
  auto machine = nnc::createCPUTargetMachine(
      {mtriple, llvm::codegen::getMCPU(), llvm::join(llvm::codegen::getMAttrs(), ",")}, error);
  if (failed(machine)) {
    llvm::errs() << "nnc-compile: error: " << error << "\n";
    return 1;
  }
  nnc::CPUVectorUnit vectorUnit = nnc::describeVectorUnit(**machine);
  nnc::CPUPipelineOptions pipelineOptions;
  pipelineOptions.optLevel = level;
  pipelineOptions.vectorBits = vectorUnit.bits;
  pipelineOptions.vectorRegisters = vectorUnit.registers;
  // Code for this machine is blocked for its caches; for another, for the
  // defaults (32 KiB of L1 and 1 MiB of L2 per core).
  if (mtriple.empty() && llvm::codegen::getMCPU().empty()) {
    nnc::CPUCacheSizes caches = nnc::describeHostCaches();
    if (caches.l1 > 0)
      pipelineOptions.l1Bytes = caches.l1;
    if (caches.l2 > 0)
      pipelineOptions.l2Bytes = caches.l2;
  }
  if (l1Bytes < 0 || l2Bytes < 0) {
    llvm::errs() << "nnc-compile: error: cache sizes must be positive byte counts\n";
    return 1;
  }
  if (l1Bytes > 0)
    pipelineOptions.l1Bytes = l1Bytes;
  if (l2Bytes > 0)
    pipelineOptions.l2Bytes = l2Bytes;
  nnc::CUDAPipelineOptions cudaOptions;
  cudaOptions.optLevel = level;
  cudaOptions.chip = gpuArch;
  cudaOptions.toolkitPath = toolkit;
  PassManager pm(&context, ModuleOp::getOperationName());
  switch (emit) {
  case EmitKind::Header:
    break;
  case EmitKind::NN:
  case EmitKind::Summary:
    if (level > 0) {
      pm.addPass(createCanonicalizerPass());
      pm.addPass(createCSEPass());
    }
    break;
  case EmitKind::Linalg:
    nnc::buildCPULinalgPipeline(pm, pipelineOptions);
    break;
  default:
    if (cuda)
      nnc::buildCUDAPipeline(pm, cudaOptions);
    else
      nnc::buildCPUPipeline(pm, pipelineOptions);
    break;
  }
  std::string reproducer;
  if (!debugDump.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(debugDump)) {
      llvm::errs() << "nnc-compile: error: cannot create '" << debugDump << "': " << ec.message()
                   << "\n";
      return 1;
    }
    SmallString<256> importPath(debugDump);
    llvm::sys::path::append(importPath, "0-import.mlir");
    std::string error;
    auto dump = openOutputFile(importPath, &error);
    if (!dump) {
      llvm::errs() << "nnc-compile: error: " << error << "\n";
      return 1;
    }
    module->print(dump->os());
    dump->keep();
    SmallString<256> reproducerPath(debugDump);
    llvm::sys::path::append(reproducerPath, "reproducer.mlir");
    reproducer = std::string(reproducerPath);
    // Per-pass dumps and local reproducers need passes to run one at a time.
    context.disableMultithreading();
    pm.enableCrashReproducerGeneration(reproducer, /*genLocalReproducer=*/true);
    pm.enableIRPrintingToFileTree([](Pass *, Operation *) { return false; },
                                  [](Pass *, Operation *) { return true; },
                                  /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false,
                                  /*printAfterOnlyOnFailure=*/false, debugDump);
  }
  if (failed(pm.run(*module))) {
    if (reproducer.empty())
      llvm::errs() << "nnc-compile: note: rerun with --debug-dump DIR for the IR after each "
                      "pass and a reproducer of the failing pass\n";
    else
      llvm::errs() << "nnc-compile: note: reproduce the failing pass with: nnc-opt "
                      "--run-reproducer "
                   << reproducer << "\n";
    return 1;
  }

  // A shared library is linked from an object in a temporary file.
  bool linked = emit == EmitKind::Shared || emit == EmitKind::Static;
  SmallString<128> objectPath;
  if (linked && llvm::sys::fs::createTemporaryFile("nnc-model", "o", objectPath)) {
    llvm::errs() << "nnc-compile: error: cannot create a temporary file\n";
    return 1;
  }
  llvm::scope_exit removeObject([&] {
    if (!objectPath.empty())
      llvm::sys::fs::remove(objectPath);
  });
  auto output = openOutputFile(linked ? objectPath.str() : outputPath, &error);
  if (!output) {
    llvm::errs() << "nnc-compile: error: " << error << "\n";
    return 1;
  }
  switch (emit) {
  case EmitKind::Summary:
    printSummary(*module, inputFile, output->os());
    break;
  case EmitKind::Header:
    output->os() << nnc::generateModelHeader(*signature, llvm::sys::path::filename(inputFile));
    break;
  case EmitKind::NN:
  case EmitKind::Linalg:
  case EmitKind::LLVMDialect: {
    OpPrintingFlags flags;
    if (elideWeights)
      flags.elideLargeElementsAttrs(16).elideLargeResourceString();
    module->print(output->os(), flags);
    break;
  }
  case EmitKind::PTX: {
    auto ptx = nnc::extractPTX(*module);
    if (failed(ptx))
      return 1;
    output->os() << *ptx;
    break;
  }
  case EmitKind::LLVMIR:
  case EmitKind::Asm:
  case EmitKind::Obj:
  case EmitKind::Shared:
  case EmitKind::Static: {
    llvm::LLVMContext llvmContext;
    auto routeDeviceCalls = [&](llvm::Module &llvmModule) -> LogicalResult {
      llvm::Function *main = llvmModule.getFunction("nnc_model_main");
      if (failed(nnc::routeCUDAHostCalls(llvmModule, *main, error))) {
        llvm::errs() << "nnc-compile: error: " << error << "\n";
        return failure();
      }
      return success();
    };
    auto llvmModule = nnc::translateAndOptimize(
        *module, *signature, **machine, llvmContext,
        cuda ? llvm::function_ref<LogicalResult(llvm::Module &)>(routeDeviceCalls) : nullptr);
    if (!llvmModule)
      return 1;
    if (emit == EmitKind::LLVMIR) {
      llvmModule->print(output->os(), nullptr);
      break;
    }
    if (failed(nnc::emitMachineCode(*llvmModule, **machine, emit == EmitKind::Asm, output->os(),
                                    error))) {
      llvm::errs() << "nnc-compile: error: " << error << "\n";
      return 1;
    }
    if (linked) {
      output->os().flush();
      if (failed(emit == EmitKind::Shared
                     ? nnc::linkSharedLibrary(objectPath, outputPath, error)
                     : nnc::writeStaticArchive(objectPath, outputPath, error))) {
        llvm::errs() << "nnc-compile: error: " << error << "\n";
        return 1;
      }
      output->keep(); // removed by removeObject after linking
      return 0;
    }
    break;
  }
  }
  output->keep();
  return 0;
}

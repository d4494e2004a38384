//===- Emission.h - LLVM IR, objects and shared libraries -------*- C++ -*-===//
//
// The last steps of the CPU path: translate the LLVM-dialect module, add the
// runtime ABI (runtime/include/nnc_rt/kernel_abi.h), optimize for the target,
// and write assembly, an object, or a shared library (linked in process by lld).
//
//===----------------------------------------------------------------------===//

#ifndef NNC_TARGET_CPU_EMISSION_H
#define NNC_TARGET_CPU_EMISSION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::nnc {

/// Name, ONNX dtype and shape of one model input or output.
struct TensorSignature {
  std::string name;
  int32_t dtype = 0;
  SmallVector<int64_t> shape;
};

/// What the runtime needs to know about a compiled model.
struct ModelSignature {
  SmallVector<TensorSignature> inputs, outputs;
  /// The exported accessor, `nnc_model_v0` for shared libraries (the name the
  /// runtime looks up); `<prefix>_model_v0` lets several statically linked
  /// models live in one program.
  std::string accessorName = "nnc_model_v0";
  /// Bytes of scratch memory @main takes as a trailing `memref<Nxi8>` argument
  /// (the module's `nnc.workspace_size`, set by nnc-cpu-plan-memory); 0 when it
  /// takes none.
  uint64_t workspaceSize = 0;
  /// Whether @main takes the runtime env (`!llvm.ptr`) as its last argument
  /// to dispatch parallel tasks (the module's `nnc.parallel_tasks`, set by
  /// nnc-cpu-outline-parallel).
  bool takesEnv = false;
  /// nnc_kernel_device_t of the generated code (the module's `nnc.device`).
  uint32_t device = 0;
};

/// Reads the signature of the model function (`@main` in nn or linalg form,
/// before destination passing). Fails on element types the ABI cannot name.
FailureOr<ModelSignature> extractModelSignature(func::FuncOp main);

/// Adds the runtime ABI (runtime/include/nnc_rt/kernel_abi.h) to a translated
/// module whose `main` takes a static memref (expanded descriptor) per input
/// and output: tensor and model descriptors, the run trampoline and the
/// exported accessor (signature.accessorName). Fails if `main` is missing or
/// takes other arguments.
LogicalResult addKernelABI(llvm::Module &module, const ModelSignature &signature);

/// Target selection; empty fields mean the host (its CPU and all its features).
struct CPUTargetOptions {
  std::string triple, cpu, features;
};

/// The vector registers code for `machine` may use: width in bits (0 when
/// there is no vector unit nnc generates code for) and count.
struct CPUVectorUnit {
  int64_t bits = 0, registers = 0;
};
CPUVectorUnit describeVectorUnit(const llvm::TargetMachine &machine);

/// The data cache sizes of one core of the machine nnc runs on, in bytes;
/// 0 where the system does not say.
struct CPUCacheSizes {
  int64_t l1 = 0, l2 = 0;
};
CPUCacheSizes describeHostCaches();

/// Creates the TargetMachine for `options` (PIC, aggressive codegen).
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(const CPUTargetOptions &options, std::string &error);

/// Translates an LLVM-dialect module whose `@main` takes the input and output
/// memrefs, adds the kernel ABI entry and descriptor, and runs LLVM's -O2
/// pipeline for `machine`.
/// `lowerHost`, when given, rewrites the module between the ABI's insertion
/// and LLVM's optimizations (the CUDA target routes its device calls there).
std::unique_ptr<llvm::Module>
translateAndOptimize(ModuleOp module, const ModelSignature &signature, llvm::TargetMachine &machine,
                     llvm::LLVMContext &llvmContext,
                     llvm::function_ref<LogicalResult(llvm::Module &)> lowerHost = {});

/// Writes `module` as assembly or an object file.
LogicalResult emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine, bool assembly,
                              llvm::raw_pwrite_stream &os, std::string &error);

/// Links `objectPath` into the shared library `outputPath` with lld (in process).
LogicalResult linkSharedLibrary(StringRef objectPath, StringRef outputPath, std::string &error);

/// Writes `objectPath` as a static archive (with a symbol table) to `outputPath`.
LogicalResult writeStaticArchive(StringRef objectPath, StringRef outputPath, std::string &error);

/// A C header declaring the model's accessor and describing its inputs and
/// outputs, for programs that link the model statically.
std::string generateModelHeader(const ModelSignature &signature, StringRef modelName);

} // namespace mlir::nnc

#endif // NNC_TARGET_CPU_EMISSION_H

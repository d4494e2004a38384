//===- import_fuzzer.cpp - libFuzzer target over the ONNX importer --------===//
//
// Feeds arbitrary bytes to the ONNX importer as a binary model file, and a
// module that imports to the verifier and the nn-level passes that run first
// in nnc-compile (canonicalization with every nn folder, CSE, constant
// transpose folding). Any crash, hang, sanitizer report or out-of-memory is
// a bug: bad input must end in a diagnostic. See docs/testing.md for runs.
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNDialect.h"
#include "nnc/Dialect/NN/Transforms/Passes.h"
#include "nnc/Importer/ONNX/ONNXImporter.h"
#include "nnc/InitAllDialects.h"
#include "nnc/Target/CPU/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace mlir;

namespace {
/// A file in a private folder that every input is written to, so that the
/// importer reads it exactly as nnc-compile reads a model (external data
/// paths resolve inside the folder, which holds nothing else).
const std::string &modelPath() {
  static const std::string path = [] {
    char folder[] = "/tmp/nnc-fuzz-XXXXXX";
    if (!mkdtemp(folder)) {
      perror("nnc-fuzz-import: mkdtemp");
      std::abort();
    }
    return std::string(folder) + "/model.onnx";
  }();
  return path;
}

const DialectRegistry &registry() {
  static const DialectRegistry registry = [] {
    DialectRegistry r;
    nnc::registerAllNNCDialects(r);
    nnc::registerONNXImporterDialects(r);
    nnc::registerCPUPipelineDependencies(r);
    return r;
  }();
  return registry;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string &path = modelPath();
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0) {
    perror("nnc-fuzz-import: writing the input");
    std::abort();
  }
  // A fresh context per input: attributes and types interned for one model
  // must not accumulate over millions of runs.
  MLIRContext context(registry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = nnc::importONNXModelFile(&context, path, {});
  if (!module)
    return 0;
  PassManager pm(&context);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(nnc::nn::createNNFoldConstantTransposesPass());
  (void)pm.run(*module);
  return 0;
}

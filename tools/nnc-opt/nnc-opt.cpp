//===- nnc-opt.cpp - MLIR optimizer driver with nnc's dialects ------------===//
//
// Upstream dialects and passes plus the nn dialect: the tool every nnc lit test
// and every failure repro runs.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "nnc/Conversion/Passes.h"
#include "nnc/Dialect/NN/Transforms/Passes.h"
#include "nnc/InitAllDialects.h"
#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Pipelines.h"
#include "nnc/Target/CUDA/Passes.h"
#include "nnc/Target/CUDA/Pipelines.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::nnc::registerNNCConversionPasses();
  mlir::nnc::nn::registerNNPasses();
  mlir::nnc::registerNNCCPUPasses();
  mlir::nnc::registerCPUPipelines();
  mlir::nnc::registerNNCCUDAPasses();
  mlir::nnc::registerCUDAPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::nnc::registerAllNNCDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "nnc optimizer driver\n", registry));
}

//===- Passes.td - CPU target passes --------------------------*- tablegen -*-===//

#ifndef NNC_TARGET_CPU_PASSES_TD
#define NNC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNCCPUDestinationPassingPass : Pass<"nnc-cpu-destination-passing", "mlir::ModuleOp"> {
  let summary = "Makes @main write its results into caller-provided buffers";
  let description = [{
    Every result of the model function becomes a trailing memref argument
    (keeping its `nn.name`), and the returned tensor is materialized into it:

    ```mlir
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> { ... return %y }
    // becomes
    func.func @main(%x: tensor<4xf32>, %out: memref<4xf32>) {
      ...
      bufferization.materialize_in_destination %y in restrict writable %out
      return
    }
    ```

    With this form one-shot bufferization writes results in place and the
    generated code never allocates its outputs (see runtime/include/nnc_rt/
    kernel_abi.h).
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect"];
}

def NNCCPUExpandCopiesPass : Pass<"nnc-cpu-expand-copies", "mlir::func::FuncOp"> {
  let summary = "Turns memref.copy of strided buffers into linalg.copy";
  let description = [{
    The memref-to-LLVM conversion lowers a copy whose operands are not both
    contiguous into a call to MLIR's `memrefCopy` runtime function, which a
    compiled model must not depend on. As `linalg.copy` such a copy becomes
    loops (and, later, vector code) in the model itself. Copies between
    identity-layout buffers stay `memref.copy` and become `memcpy`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def NNCCPUFuseElementwisePass : Pass<"nnc-cpu-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuses chains of elementwise linalg ops into one loop nest";
  let description = [{
    An elementwise producer with a single use is fused into an elementwise
    consumer (all loops parallel), so that bias + activation, GELU or the
    steps of a normalization run as one loop nest without intermediate
    buffers. Producers are not fused into contractions or reductions, where
    they would be recomputed once per reduction step.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // NNC_TARGET_CPU_PASSES_TD

//===- Passes.td - nnc conversion passes ----------------------*- tablegen -*-===//

#ifndef NNC_CONVERSION_PASSES_TD
#define NNC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNCConvertNNToLinalgPass : Pass<"nnc-convert-nn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers nn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every nn op becomes structured ops on tensors: elementwise ops are
    `linalg.generic` with broadcasting indexing maps, contractions and windows
    are `linalg.generic` over explicit reduction dims, data movement uses the
    tensor dialect. An op without a lowering is an error that names the op
    and its ONNX node.

    ```mlir
    %0 = nn.relu %x : tensor<4xf32>
    // becomes
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect"
  ];
}

#endif // NNC_CONVERSION_PASSES_TD

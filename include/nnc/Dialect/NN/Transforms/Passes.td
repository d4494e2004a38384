//===- Passes.td - graph-level passes on nn -------------------*- tablegen -*-===//

#ifndef NNC_DIALECT_NN_TRANSFORMS_PASSES_TD
#define NNC_DIALECT_NN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNFoldConstantTransposesPass : Pass<"nnc-nn-fold-constant-transposes", "mlir::ModuleOp"> {
  let summary = "Transposes constant weights at compile time";
  let description = [{
    `nn.transpose` of an `nn.constant` (dense or a resource blob, any size)
    becomes a new constant holding the transposed data, so that a model such as
    Gemm with transB = 1 does not transpose its weights on every run. The
    canonicalizer's folder stops at small constants because folding at import
    would keep two copies of large weights; this pass runs after import, once.

    ```mlir
    %w = nn.constant dense_resource<w> : tensor<64x128xf32>
    %t = nn.transpose %w {perm = array<i64: 1, 0>} : tensor<64x128xf32> -> tensor<128x64xf32>
    // becomes
    %t = nn.constant dense_resource<w_transposed> : tensor<128x64xf32>
    ```
  }];
}

#endif // NNC_DIALECT_NN_TRANSFORMS_PASSES_TD

// RUN: nnc-opt %s --split-input-file --nnc-nn-fold-constant-transposes | FileCheck %s

// A transposed weight blob becomes a new blob holding the transposed data:
// [[1, 2, 3], [4, 5, 6]] transposed is [[1, 4], [2, 5], [3, 6]].
// CHECK-LABEL: func.func @resource
//   CHECK-NOT:   nn.transpose
//       CHECK:   %[[C:.+]] = nn.constant dense_resource<transposed> : tensor<3x2xi32>
//       CHECK:   return %[[C]]
//       CHECK: transposed: "0x{{[0-9A-F]+}}010000000400000002000000050000000300000006000000"
func.func @resource() -> tensor<3x2xi32> {
  %w = nn.constant dense_resource<w> : tensor<2x3xi32>
  %t = nn.transpose %w {perm = array<i64: 1, 0>} : tensor<2x3xi32> -> tensor<3x2xi32>
  return %t : tensor<3x2xi32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000010000000200000003000000040000000500000006000000"
    }
  }
#-}

// -----

// Small dense constants fold through the op's folder; splats only change shape.
// CHECK-LABEL: func.func @dense_and_splat
//       CHECK:   nn.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
//       CHECK:   nn.constant dense<1.500000e+00> : tensor<4x2x3xf32>
func.func @dense_and_splat() -> (tensor<3x2xi32>, tensor<4x2x3xf32>) {
  %w = nn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %t = nn.transpose %w {perm = array<i64: 1, 0>} : tensor<2x3xi32> -> tensor<3x2xi32>
  %s = nn.constant dense<1.5> : tensor<2x3x4xf32>
  %u = nn.transpose %s {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %t, %u : tensor<3x2xi32>, tensor<4x2x3xf32>
}

// -----

// Transposes of run-time values stay.
// CHECK-LABEL: func.func @value
//       CHECK:   nn.transpose
func.func @value(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

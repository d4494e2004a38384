// RUN: nnc-opt %s --nnc-cpu-pipeline | FileCheck %s

// The whole CPU pipeline ends in the LLVM dialect with the outputs as arguments.
// CHECK: llvm.func @main
// CHECK-NOT: nn.
// CHECK-NOT: linalg.
func.func @main(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = nn.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32>
  %1 = nn.relu %0 : tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

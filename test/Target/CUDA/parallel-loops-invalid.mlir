// RUN: nnc-opt %s --pass-pipeline='builtin.module(func.func(nnc-cuda-parallel-loops))' --verify-diagnostics

func.func @on_tensors(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected a linalg op on buffers after bufferization}}
  %r = linalg.copy ins(%x : tensor<4xf32>) outs(%y : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

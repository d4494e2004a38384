// RUN: nnc-opt %s --split-input-file --nnc-cpu-split-empty-tensors | FileCheck %s

// Two fills and a loop writing whole tensors share one tensor.empty: the
// fills after the first and the loop each get a copy, placed right before
// them.
// CHECK-LABEL: func.func @destinations
// CHECK:         %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[A:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<4xf32>)
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[B:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<4xf32>)
// CHECK:         %[[E2:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[E2]])
func.func @destinations(%n: index) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %a = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %b = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %l = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %e) -> tensor<4xf32> {
    scf.yield %acc : tensor<4xf32>
  }
  return %a, %b, %l : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A tensor whose slice is filled and inserted back keeps one tensor.empty
// for the slice and the insertion (splitting them would make the fill
// write a buffer other than the one it is inserted into).
// CHECK-LABEL: func.func @slice_and_insert
// CHECK-COUNT-1: tensor.empty
// CHECK-NOT:     tensor.empty
func.func @slice_and_insert() -> tensor<8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8xf32>
  %s = tensor.extract_slice %e[0] [4] [1] : tensor<8xf32> to tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%s : tensor<4xf32>) -> tensor<4xf32>
  %r = tensor.insert_slice %f into %e[0] [4] [1] : tensor<4xf32> into tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// Wholes that parts are inserted into, merged across two layers, are split
// apart again.
// CHECK-LABEL: func.func @insertions
// CHECK:         %[[E0:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK:         tensor.insert_slice %{{.*}} into %[[E0]]
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK:         tensor.insert_slice %{{.*}} into %[[E1]]
func.func @insertions(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %e = tensor.empty() : tensor<2x4xf32>
  %a = tensor.insert_slice %x into %e[0, 0] [1, 4] [1, 1] : tensor<4xf32> into tensor<2x4xf32>
  %b = tensor.insert_slice %y into %e[0, 0] [1, 4] [1, 1] : tensor<4xf32> into tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

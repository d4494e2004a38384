// RUN: nnc-opt %s --split-input-file --nnc-convert-nn-to-linalg | FileCheck %s

// Positive-step slices are extract_slice; concat inserts slices.
// CHECK-LABEL: func.func @slice_concat
//       CHECK:   tensor.extract_slice %{{.*}}[0, 1] [2, 2] [1, 2]
//       CHECK:   tensor.insert_slice
//       CHECK:   tensor.insert_slice
func.func @slice_concat(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  %0 = nn.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 2, 4>, steps = array<i64: 1, 2>} : tensor<2x4xf32> -> tensor<2x2xf32>
  %1 = nn.concat %0, %0 {axis = 0 : i64} : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// -----

// Gather reads the data tensor at the (wrapped) index inside a generic; an
// index out of range (which ONNX calls an error, but run time cannot report)
// is clamped into [0, 4], so the read stays inside the tensor.
// CHECK-LABEL: func.func @gather
//       CHECK:   linalg.generic
//       CHECK:     arith.index_cast
//       CHECK:     %[[W:.*]] = arith.select
//       CHECK:     %[[LO:.*]] = arith.maxsi %[[W]], %c0
//       CHECK:     %[[I:.*]] = arith.minsi %[[LO]], %c4
//       CHECK:     tensor.extract %{{.*}}[%[[I]], %{{.*}}]
func.func @gather(%x: tensor<5x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = nn.gather %x, %i {axis = 0 : i64} : tensor<5x3xf32>, tensor<2xi64> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Reshapes are collapse/expand_shape.
// CHECK-LABEL: func.func @reshape
//       CHECK:   tensor.collapse_shape
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = nn.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

// transpose: a copy generic whose input map is the inverse permutation
// (result dim d is input dim perm[d]).
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @transpose
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<2x3x4x5xf32>) outs(%{{.*}} : tensor<2x4x5x3xf32>)
//  CHECK-NEXT:   ^bb0(%[[A:.*]]: f32, %{{.*}}: f32):
//  CHECK-NEXT:     linalg.yield %[[A]]
func.func @transpose(%x: tensor<2x3x4x5xf32>) -> tensor<2x4x5x3xf32> {
  %0 = nn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<2x3x4x5xf32> -> tensor<2x4x5x3xf32>
  return %0 : tensor<2x4x5x3xf32>
}

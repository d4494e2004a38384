// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-read-inserted-slices))' | FileCheck %s

// A tensor read again after its insertion into padding is read from there;
// a read before the insertion is left alone.
// CHECK-LABEL: func.func @read_after_insert
//  CHECK-SAME:     (%[[X:.*]]: tensor<2x4xf32>, %[[P:.*]]: tensor<4x6xf32>)
//       CHECK:   %[[BEFORE:.*]] = arith.addf %[[X]], %[[X]]
//       CHECK:   %[[INSERTED:.*]] = tensor.insert_slice %[[X]] into %[[P]][1, 1] [2, 4] [1, 1]
//       CHECK:   %[[SLICE:.*]] = tensor.extract_slice %[[INSERTED]][1, 1] [2, 4] [1, 1] : tensor<4x6xf32> to tensor<2x4xf32>
//       CHECK:   %[[AFTER:.*]] = arith.mulf %[[SLICE]], %[[BEFORE]]
//       CHECK:   return %[[INSERTED]], %[[AFTER]]
func.func @read_after_insert(%x: tensor<2x4xf32>, %p: tensor<4x6xf32>) -> (tensor<4x6xf32>, tensor<2x4xf32>) {
  %before = arith.addf %x, %x : tensor<2x4xf32>
  %inserted = tensor.insert_slice %x into %p[1, 1] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x6xf32>
  %after = arith.mulf %x, %before : tensor<2x4xf32>
  return %inserted, %after : tensor<4x6xf32>, tensor<2x4xf32>
}

// -----

// A collapse that only drops a unit dim is undone on the destination: the
// tensor before the collapse is inserted (so that its producer can write
// into the padding), and its readers, and those of the collapsed tensor,
// read slices of the insertion.
// CHECK-LABEL: func.func @insert_collapsed
//  CHECK-SAME:     (%[[X:.*]]: tensor<1x8x4xf32>, %[[P:.*]]: tensor<8x6xf32>)
//       CHECK:   %[[COLLAPSED:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]]
//       CHECK:   %[[EXPANDED:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [1, 8, 6] : tensor<8x6xf32> into tensor<1x8x6xf32>
//       CHECK:   %[[INSERTED:.*]] = tensor.insert_slice %[[X]] into %[[EXPANDED]][0, 0, 1] [1, 8, 4] [1, 1, 1]
//   CHECK-DAG:   %[[SLICE:.*]] = tensor.extract_slice %[[INSERTED]][0, 0, 1] [1, 8, 4] [1, 1, 1]
//   CHECK-DAG:   %[[SLICE2:.*]] = tensor.extract_slice %[[INSERTED]][0, 0, 1] [1, 8, 4] [1, 1, 1]
//   CHECK-DAG:   %[[SLICE_COLLAPSED:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<1x8x4xf32> into tensor<8x4xf32>
//   CHECK-DAG:   %[[PADDED:.*]] = tensor.collapse_shape %[[INSERTED]] {{\[}}[0, 1], [2]] : tensor<1x8x6xf32> into tensor<8x6xf32>
//       CHECK:   %[[A:.*]] = arith.negf %{{.*}} : tensor<1x8x4xf32>
//       CHECK:   %[[B:.*]] = arith.negf %[[SLICE_COLLAPSED]] : tensor<8x4xf32>
//       CHECK:   return %[[PADDED]], %[[A]], %[[B]]
func.func @insert_collapsed(%x: tensor<1x8x4xf32>, %p: tensor<8x6xf32>) -> (tensor<8x6xf32>, tensor<1x8x4xf32>, tensor<8x4xf32>) {
  %collapsed = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x8x4xf32> into tensor<8x4xf32>
  %inserted = tensor.insert_slice %collapsed into %p[0, 1] [8, 4] [1, 1] : tensor<8x4xf32> into tensor<8x6xf32>
  %a = arith.negf %x : tensor<1x8x4xf32>
  %b = arith.negf %collapsed : tensor<8x4xf32>
  return %inserted, %a, %b : tensor<8x6xf32>, tensor<1x8x4xf32>, tensor<8x4xf32>
}

// -----

// A collapse that merges two dims of more than one element stays.
// CHECK-LABEL: func.func @insert_merged
//       CHECK:   %[[COLLAPSED:.*]] = tensor.collapse_shape
//       CHECK:   %[[INSERTED:.*]] = tensor.insert_slice %[[COLLAPSED]] into
//       CHECK:   tensor.extract_slice %[[INSERTED]][0, 1] [8, 4] [1, 1]
func.func @insert_merged(%x: tensor<2x4x4xf32>, %p: tensor<8x6xf32>) -> (tensor<8x6xf32>, tensor<8x4xf32>) {
  %collapsed = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x4x4xf32> into tensor<8x4xf32>
  %inserted = tensor.insert_slice %collapsed into %p[0, 1] [8, 4] [1, 1] : tensor<8x4xf32> into tensor<8x6xf32>
  %b = arith.negf %collapsed : tensor<8x4xf32>
  return %inserted, %b : tensor<8x6xf32>, tensor<8x4xf32>
}

// RUN: nnc-opt %s --split-input-file --nnc-convert-nn-to-linalg | FileCheck %s

// matmul: one reduction loop, batch dims broadcast.
// CHECK-LABEL: func.func @batched_matmul
//       CHECK:   linalg.fill
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
func.func @batched_matmul(%a: tensor<2x4x8xf32>, %b: tensor<8x5xf32>) -> tensor<2x4x5xf32> {
  %0 = nn.matmul %a, %b : tensor<2x4x8xf32>, tensor<8x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// conv: padded input viewed per group, strided/dilated window in the input map.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @conv
//       CHECK:   tensor.pad
//       CHECK:   tensor.expand_shape
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]],
//  CHECK-SAME:     "reduction", "reduction", "reduction"
//       CHECK:   tensor.collapse_shape
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 2} : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32> -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

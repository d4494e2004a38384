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

// -----

// An ungrouped conv with more output positions than filters: the weight
// [F, C*K] times the patches [C*K, O] gathered by im2col.
// CHECK-DAG: #[[PATCH:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, 0, d1, d2 + d4, d3 + d5)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[COLS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: func.func @conv_as_gemm
//       CHECK:   %[[P:.*]] = linalg.generic {indexing_maps = [#[[PATCH]], {{.*}}} ins(%{{.*}} : tensor<1x1x2x6x6xf32>) outs(%{{.*}} : tensor<1x2x3x3x4x4xf32>)
//       CHECK:   %[[COL:.*]] = tensor.collapse_shape %[[P]] {{.*}} into tensor<1x18x16xf32>
//       CHECK:   linalg.generic {indexing_maps = [#[[W]], #[[COLS]], {{.*}}} ins(%{{.*}}, %[[COL]] : tensor<3x18xf32>, tensor<1x18x16xf32>) outs(%{{.*}} : tensor<1x3x16xf32>)
func.func @conv_as_gemm(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32> -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Twice as many filters as output positions: the GEMM runs transposed, the patches
// [O, C*K] (gathered output position first) times the weight read as [C*K, F]
// into [O, F], which a copy transposes back to [F, O].
// CHECK-DAG: #[[PATCH:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, 0, d3, d1 * 2 + d4, d2 * 2 + d5)>
// CHECK-DAG: #[[ROWS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[WT:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[BACK:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @conv_as_transposed_gemm
//       CHECK:   %[[P:.*]] = linalg.generic {indexing_maps = [#[[PATCH]], {{.*}}} ins(%{{.*}} : tensor<1x1x2x5x5xf32>) outs(%{{.*}} : tensor<1x2x2x2x3x3xf32>)
//       CHECK:   %[[ROW:.*]] = tensor.collapse_shape %[[P]] {{.*}} into tensor<1x4x18xf32>
//       CHECK:   %[[T:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[WT]], {{.*}}} ins(%[[ROW]], %{{.*}} : tensor<1x4x18xf32>, tensor<8x18xf32>) outs(%{{.*}} : tensor<1x4x8xf32>)
//       CHECK:   linalg.generic {indexing_maps = [#[[BACK]], {{.*}}} ins(%[[T]] : tensor<1x4x8xf32>) outs(%{{.*}} : tensor<1x8x4xf32>)
func.func @conv_as_transposed_gemm(%x: tensor<1x2x4x4xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x2x2xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>, group = 1} : tensor<1x2x4x4xf32>, tensor<8x2x3x3xf32> -> tensor<1x8x2x2xf32>
  return %0 : tensor<1x8x2x2xf32>
}

// -----

// A 1x1 kernel has no kernel dims in its patches: a stride-2 1x1 conv gathers
// [C, O...] (every other row and column) and multiplies [F, C] by it.
// CHECK-DAG: #[[GATHER:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d1, d2 * 2, d3 * 2)>
// CHECK-LABEL: func.func @conv_1x1_strided
//       CHECK:   %[[P:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], {{.*}}} ins(%{{.*}} : tensor<1x1x2x4x4xf32>) outs(%{{.*}} : tensor<1x2x2x2xf32>)
//       CHECK:   tensor.collapse_shape %[[P]] {{.*}} into tensor<1x2x4xf32>
func.func @conv_1x1_strided(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x2x2xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32> -> tensor<1x3x2x2xf32>
  return %0 : tensor<1x3x2x2xf32>
}

// -----

// A stride-1 conv whose padded rows are little wider than its output (34 vs
// 32): a GEMM over a 32 x 34 grid that reads the flattened padded input in
// place, each kernel offset (kh, kw) shifting the row by kh * 34 + kw. One
// extra zero row below covers the last grid row's overhang; the two columns
// per row past the output are dropped.
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d3, d4, d5)>
// CHECK-DAG: #[[WINDOW:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d2 + d4 * 34 + d5)>
// CHECK-LABEL: func.func @conv_sliding_window
//       CHECK:   %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 2, 1]
//       CHECK:   %[[FLAT:.*]] = tensor.collapse_shape %[[PAD]] {{\[}}[0], [1], [2, 3]] : tensor<1x2x35x34xf32> into tensor<1x2x1190xf32>
//       CHECK:   %[[GEMM:.*]] = linalg.generic {indexing_maps = [#[[W]], #[[WINDOW]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %[[FLAT]] : tensor<3x2x3x3xf32>, tensor<1x2x1190xf32>) outs(%{{.*}} : tensor<1x3x1088xf32>)
//       CHECK:   %[[GRID:.*]] = tensor.expand_shape %[[GEMM]] {{.*}} into tensor<1x3x32x34xf32>
//       CHECK:   tensor.extract_slice %[[GRID]][0, 0, 0, 0] [1, 3, 32, 32] [1, 1, 1, 1]
func.func @conv_sliding_window(%x: tensor<1x2x32x32xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x32x32xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x2x32x32xf32>, tensor<3x2x3x3xf32> -> tensor<1x3x32x32xf32>
  return %0 : tensor<1x3x32x32xf32>
}

// -----

// Channels-last, a 1x1 stride-1 kernel reads its input in place: [N, O, C]
// times the weight [C, F] into [N, O, F], already the result's layout; the
// bias is added along the last dim.
// CHECK-DAG: #[[ROWS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_channels_last_pointwise
//  CHECK-SAME:   (%[[X:.*]]: tensor<1x3x4x8xf32>, %[[WT:.*]]: tensor<1x1x8x16xf32>, %[[B:.*]]: tensor<16xf32>)
//       CHECK:   %[[ROW:.*]] = tensor.collapse_shape %[[X]] {{.*}} into tensor<1x12x8xf32>
//       CHECK:   %[[M:.*]] = tensor.collapse_shape %[[WT]] {{.*}} into tensor<8x16xf32>
//       CHECK:   %[[G:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[W]], {{.*}}} ins(%[[ROW]], %[[M]] : tensor<1x12x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<1x12x16xf32>)
//       CHECK:   %[[Y:.*]] = tensor.expand_shape %[[G]] {{.*}} into tensor<1x3x4x16xf32>
//       CHECK:   linalg.generic {indexing_maps = [{{.*}}, #[[BIAS]], {{.*}}} ins(%[[Y]], %[[B]] : tensor<1x3x4x16xf32>, tensor<16xf32>)
func.func @conv_channels_last_pointwise(%x: tensor<1x3x4x8xf32>, %w: tensor<1x1x8x16xf32>, %b: tensor<16xf32>) -> tensor<1x3x4x16xf32> {
  %0 = nn.conv %x, %w, %b {channels_last, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x4x8xf32>, tensor<1x1x8x16xf32>, tensor<16xf32> -> tensor<1x3x4x16xf32>
  return %0 : tensor<1x3x4x16xf32>
}

// -----

// Channels-last depthwise, stride 2: loops n, oh, ow, c (parallel), kh, kw
// (reduction) on the padded input [N, H', W', C] and the weight [kH, kW, C]:
// the channels are every operand's last dim.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_channels_last_depthwise
//       CHECK:   %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:   %[[W3:.*]] = tensor.collapse_shape %{{.*}} into tensor<3x3x16xf32>
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %[[W3]] : tensor<1x7x9x16xf32>, tensor<3x3x16xf32>) outs(%{{.*}} : tensor<1x3x4x16xf32>)
func.func @conv_channels_last_depthwise(%x: tensor<1x5x7x16xf32>, %w: tensor<3x3x1x16xf32>) -> tensor<1x3x4x16xf32> {
  %0 = nn.conv %x, %w {channels_last, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 16} : tensor<1x5x7x16xf32>, tensor<3x3x1x16xf32> -> tensor<1x3x4x16xf32>
  return %0 : tensor<1x3x4x16xf32>
}

// -----

// Channels-last grouped (2 groups of 4 channels, 3 filters each): input
// [N, H, W, G, C/G], weight [kH, kW, C/G, G, F/G], result [N, O..., G, F/G].
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 + d6, d2 + d7, d3, d5)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d6, d7, d5, d3, d4)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_channels_last_grouped
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x2x4xf32>, tensor<3x3x4x2x3xf32>) outs(%{{.*}} : tensor<1x2x2x2x3xf32>)
//       CHECK:   tensor.collapse_shape %{{.*}} into tensor<1x2x2x6xf32>
func.func @conv_channels_last_grouped(%x: tensor<1x4x4x8xf32>, %w: tensor<3x3x4x6xf32>) -> tensor<1x2x2x6xf32> {
  %0 = nn.conv %x, %w {channels_last, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : tensor<1x4x4x8xf32>, tensor<3x3x4x6xf32> -> tensor<1x2x2x6xf32>
  return %0 : tensor<1x2x2x6xf32>
}

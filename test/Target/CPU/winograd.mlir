// RUN: nnc-opt %s --split-input-file --nnc-cpu-winograd | FileCheck %s

// A 5x6 output is 3x3 tiles of 2x2: the input is padded to 8x8 (the last
// tile row and column overhang), 16 points per tile are transformed at once,
// multiplied by the filters transformed at compile time (one [16, 16]
// matrix per point), transformed back with the bias added, interleaved into
// the 6x6 grid of the tiles and cut to 5x6.
// CHECK-LABEL: func.func @conv
// CHECK-SAME:    (%[[X:.*]]: tensor<1x16x5x6xf32>)
// CHECK:         %[[U:.*]] = arith.constant dense_resource<winograd> : tensor<16x16x16xf32>
// CHECK:         %[[B:.*]] = nn.constant dense<2.500000e-01> : tensor<16xf32>
// CHECK:         %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK:         %[[V:.*]]:16 = linalg.generic
// CHECK-SAME:      ins(%[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]], %[[P]] :
// Rows first (B^T d: its first row is d0j - d2j), then columns: the first
// point is (d00 - d20) - (d02 - d22).
// CHECK:           %[[R0:.*]] = arith.subf %{{.*}}, %{{.*}} fastmath<contract>
// CHECK-NEXT:      arith.subf
// CHECK-NEXT:      %[[R2:.*]] = arith.subf %{{.*}}, %{{.*}} fastmath<contract>
// CHECK:           %[[V00:.*]] = arith.subf %[[R0]], %[[R2]] fastmath<contract>
// CHECK:           linalg.yield %[[V00]],
// CHECK-COUNT-16:  tensor.insert_slice %[[V]]#{{[0-9]+}} into
// CHECK:         %[[PRODUCTS:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[U]], %{{.*}} : tensor<16x16x16xf32>, tensor<16x16x9xf32>)
// CHECK:         %[[Y:.*]]:4 = linalg.generic
// CHECK-SAME:      ins({{.*}}, %[[B]] : {{.*}}, tensor<16xf32>)
// CHECK-COUNT-4:   tensor.insert_slice %[[Y]]#{{[0-9]}} into
// CHECK:         %[[GRID:.*]] = linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<1x16x3x2x3x2xf32>)
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[GRID]] {{\[}}[0], [1], [2, 3], [4, 5]]
// CHECK:         %[[CUT:.*]] = tensor.extract_slice %[[FLAT]][0, 0, 0, 0] [1, 16, 5, 6] [1, 1, 1, 1]
// CHECK:         return %[[CUT]]
// The filters: point (0, 0) is g[0][0] = 0.5 (0x3F000000), point (0, 1)
// is g[0][0..2] . (0.5, 0.5, 0.5) = 0.75 (0x3F400000), for every pair.
// CHECK:         winograd: "0x10000000{{(((0000003F){128}){2})(((0000403F){128}){2})}}
func.func @conv(%x: tensor<1x16x5x6xf32>) -> tensor<1x16x5x6xf32> {
  %w = nn.constant dense<0.5> : tensor<16x16x3x3xf32>
  %b = nn.constant dense<0.25> : tensor<16xf32>
  %c = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x16x5x6xf32>, tensor<16x16x3x3xf32>, tensor<16xf32> -> tensor<1x16x5x6xf32>
  return %c : tensor<1x16x5x6xf32>
}

// -----

// Left to the direct lowering: a stride of 2, fewer than 16 channels, a
// grouped convolution, weights that are not constant.
// CHECK-LABEL: func.func @direct
// CHECK-COUNT-4: nn.conv
// CHECK-NOT:     linalg.generic
func.func @direct(%x: tensor<1x16x8x8xf32>, %x8: tensor<1x8x8x8xf32>, %wv: tensor<16x16x3x3xf32>) -> (tensor<1x16x4x4xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) {
  %w = nn.constant dense<0.5> : tensor<16x16x3x3xf32>
  %w8 = nn.constant dense<0.5> : tensor<16x8x3x3xf32>
  %wg = nn.constant dense<0.5> : tensor<16x8x3x3xf32>
  %s = nn.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32> -> tensor<1x16x4x4xf32>
  %few = nn.conv %x8, %w8 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32> -> tensor<1x16x8x8xf32>
  %g = nn.conv %x, %wg {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 2} : tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32> -> tensor<1x16x8x8xf32>
  %v = nn.conv %x, %wv {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32> -> tensor<1x16x8x8xf32>
  return %s, %few, %g, %v : tensor<1x16x4x4xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>
}

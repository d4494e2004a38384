// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-decompose-pad))' | FileCheck %s

// A convolution's zero pad of H and W, wider on the right: four border slabs
// are filled (rows above and below, columns left and right) and the input
// goes into the interior; no fill covers the whole result.
// CHECK-LABEL: func.func @conv_pad
//       CHECK:   %[[E:.*]] = tensor.empty() : tensor<1x2x6x7xf32>
//       CHECK:   %[[S0:.*]] = tensor.extract_slice %[[E]][0, 0, 0, 0] [1, 2, 1, 7] [1, 1, 1, 1]
//       CHECK:   %[[F0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[S0]] : tensor<1x2x1x7xf32>)
//       CHECK:   %[[R0:.*]] = tensor.insert_slice %[[F0]] into %[[E]][0, 0, 0, 0] [1, 2, 1, 7]
//       CHECK:   %[[S1:.*]] = tensor.extract_slice %[[R0]][0, 0, 5, 0] [1, 2, 1, 7]
//       CHECK:   linalg.fill {{.*}} outs(%[[S1]] : tensor<1x2x1x7xf32>)
//       CHECK:   tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 2, 6, 1]
//       CHECK:   linalg.fill {{.*}} -> tensor<1x2x6x1xf32>
//       CHECK:   tensor.extract_slice %{{.*}}[0, 0, 0, 5] [1, 2, 6, 2]
//       CHECK:   linalg.fill {{.*}} -> tensor<1x2x6x2xf32>
//       CHECK:   %[[R:.*]] = tensor.insert_slice %arg0 into %{{.*}}[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xf32> into tensor<1x2x6x7xf32>
//   CHECK-NOT:   tensor.pad
//       CHECK:   return %[[R]]
func.func @conv_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 2] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x7xf32>
  return %p : tensor<1x2x6x7xf32>
}

// -----

// Columns padded by 1 on both sides (and rows above and below): the right
// border of each row and the left border of the next are adjacent, and one
// fill writes those pairs through a flat view of the rows: from element 5 on,
// 5 rows of 6 whose first 2 elements are a seam.
// CHECK-LABEL: func.func @conv_pad_seams
//       CHECK:   linalg.fill {{.*}} -> tensor<1x2x1x6xf32>
//       CHECK:   linalg.fill {{.*}} -> tensor<1x2x1x6xf32>
//       CHECK:   %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<1x2x6x6xf32> into tensor<1x2x36xf32>
//       CHECK:   %[[SHIFTED:.*]] = tensor.extract_slice %[[FLAT]][0, 0, 5] [1, 2, 30] [1, 1, 1]
//       CHECK:   %[[GRID:.*]] = tensor.expand_shape %[[SHIFTED]] {{\[}}[0], [1], [2, 3]] output_shape [1, 2, 5, 6]
//       CHECK:   %[[SEAMS:.*]] = tensor.extract_slice %[[GRID]][0, 0, 0, 0] [1, 2, 5, 2] [1, 1, 1, 1]
//       CHECK:   linalg.fill {{.*}} outs(%[[SEAMS]] : tensor<1x2x5x2xf32>)
//   CHECK-NOT:   linalg.fill
//       CHECK:   tensor.insert_slice %arg0 into %{{.*}}[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xf32> into tensor<1x2x6x6xf32>
func.func @conv_pad_seams(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  return %p : tensor<1x2x6x6xf32>
}

// -----

// A pad whose value depends on the position is left alone.
// CHECK-LABEL: func.func @computed_value
//       CHECK:   tensor.pad
func.func @computed_value(%x: tensor<4xf32>) -> tensor<6xf32> {
  %p = tensor.pad %x low[1] high[1] {
  ^bb0(%i: index):
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    tensor.yield %f : f32
  } : tensor<4xf32> to tensor<6xf32>
  return %p : tensor<6xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The padded value is written in a packed layout (here [8, 2, 16]) and
// reshaped: the padded tensor is built before the op that writes it, and the
// op writes a reshape of its interior, so that nothing is copied.
// CHECK-LABEL: func.func @reshaped_destination
//       CHECK:   %[[E:.*]] = tensor.empty() : tensor<10x34xf32>
//       CHECK:   linalg.fill
//       CHECK:   linalg.fill
//       CHECK:   linalg.fill
//       CHECK:   %[[FILLED:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [10, 34] : tensor<340xf32> into tensor<10x34xf32>
//       CHECK:   %[[INTERIOR:.*]] = tensor.extract_slice %[[FILLED]][1, 1] [8, 32] [1, 1]
//       CHECK:   %[[PACKED:.*]] = tensor.expand_shape %[[INTERIOR]] {{\[}}[0], [1, 2]] output_shape [8, 2, 16]
//       CHECK:   %[[R:.*]] = linalg.generic {{.*}} outs(%[[PACKED]] : tensor<8x2x16xf32>)
//       CHECK:   %[[C:.*]] = tensor.collapse_shape %[[R]]
//       CHECK:   tensor.insert_slice %[[C]] into %[[FILLED]][1, 1] [8, 32] [1, 1]
func.func @reshaped_destination(%x: tensor<8x2x16xf32>) -> tensor<10x34xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %packed = tensor.expand_shape %e [[0], [1, 2]] output_shape [8, 2, 16] : tensor<8x32xf32> into tensor<8x2x16xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<8x2x16xf32>) outs(%packed : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x2x16xf32>
  %c = tensor.collapse_shape %r [[0], [1, 2]] : tensor<8x2x16xf32> into tensor<8x32xf32>
  %p = tensor.pad %c low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<8x32xf32> to tensor<10x34xf32>
  return %p : tensor<10x34xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The packed destination is read by another op as well: it is not replaced.
// CHECK-LABEL: func.func @reshaped_destination_read_elsewhere
//       CHECK:   %[[E:.*]] = tensor.empty() : tensor<8x32xf32>
//       CHECK:   %[[PACKED:.*]] = tensor.expand_shape %[[E]]
//       CHECK:   %[[F:.*]] = linalg.fill {{.*}} outs(%[[PACKED]] : tensor<8x2x16xf32>)
//       CHECK:   linalg.generic {{.*}} outs(%[[F]] : tensor<8x2x16xf32>)
//       CHECK:   tensor.empty() : tensor<10x34xf32>
func.func @reshaped_destination_read_elsewhere(%x: tensor<8x2x16xf32>) -> (tensor<10x34xf32>, tensor<8x2x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %packed = tensor.expand_shape %e [[0], [1, 2]] output_shape [8, 2, 16] : tensor<8x32xf32> into tensor<8x2x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%packed : tensor<8x2x16xf32>) -> tensor<8x2x16xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<8x2x16xf32>) outs(%f : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<8x2x16xf32>
  %c = tensor.collapse_shape %r [[0], [1, 2]] : tensor<8x2x16xf32> into tensor<8x32xf32>
  %p = tensor.pad %c low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<8x32xf32> to tensor<10x34xf32>
  return %p, %f : tensor<10x34xf32>, tensor<8x2x16xf32>
}

// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-fuse-elementwise))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// bias add + relu: the add is fused into the relu, one generic remains.
// CHECK-LABEL: func.func @bias_relu
//       CHECK:   linalg.generic
//       CHECK:     arith.addf
//       CHECK:     arith.maximumf
//   CHECK-NOT:   linalg.generic
func.func @bias_relu(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %relu : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1) -> (d0)>

// An elementwise producer is not fused into a reduction, where it would run
// once per reduction step.
// CHECK-LABEL: func.func @into_reduction
//       CHECK:   linalg.generic {{.*}}["parallel", "parallel"]
//       CHECK:   linalg.generic {{.*}}["parallel", "reduction"]
func.func @into_reduction(%x: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#ch3 = affine_map<(d0, d1, d2) -> (d0)>

// A GEMM result reshaped for its bias add: the add is collapsed to the
// GEMM's own shape and reads its result directly, so that tiling can make
// it the GEMM's epilogue; the reshape moves after it.
// CHECK-LABEL: func.func @collapse_onto_contraction
//       CHECK:   %[[GEMM:.*]] = linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "reduction"]
//       CHECK:   %[[BIAS:.*]] = linalg.generic
//  CHECK-SAME:     ins(%[[GEMM]], %{{.*}} : tensor<8x16xf32>, tensor<8xf32>)
//       CHECK:   tensor.expand_shape %[[BIAS]] {{\[\[}}0], [1, 2]]
func.func @collapse_onto_contraction(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>, %bias: tensor<8xf32>) -> tensor<8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %g = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%f : tensor<8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %image = tensor.expand_shape %g [[0], [1, 2]] output_shape [8, 4, 4] : tensor<8x16xf32> into tensor<8x4x4xf32>
  %e3 = tensor.empty() : tensor<8x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id3, #ch3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%image, %bias : tensor<8x4x4xf32>, tensor<8xf32>) outs(%e3 : tensor<8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8x4x4xf32>
  return %r : tensor<8x4x4xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#ch3 = affine_map<(d0, d1, d2) -> (d0)>

// The same, padded afterwards, with 4-wide rows (not whole 16-column
// tiles): the bias add keeps the image shape, so that it can write straight
// into the interior of the padded buffer.
// CHECK-LABEL: func.func @padded_keeps_shape
//       CHECK:   %[[GEMM:.*]] = linalg.generic
//       CHECK:   %[[IMAGE:.*]] = tensor.expand_shape %[[GEMM]]
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%[[IMAGE]], %{{.*}} : tensor<8x4x4xf32>, tensor<8xf32>)
//       CHECK:   tensor.pad
func.func @padded_keeps_shape(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>, %bias: tensor<8xf32>) -> tensor<8x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %g = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%f : tensor<8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x16xf32>
  %image = tensor.expand_shape %g [[0], [1, 2]] output_shape [8, 4, 4] : tensor<8x16xf32> into tensor<8x4x4xf32>
  %e3 = tensor.empty() : tensor<8x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id3, #ch3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%image, %bias : tensor<8x4x4xf32>, tensor<8xf32>) outs(%e3 : tensor<8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8x4x4xf32>
  %p = tensor.pad %r low[0, 1, 1] high[0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %zero : f32
  } : tensor<8x4x4xf32> to tensor<8x6x6xf32>
  return %p : tensor<8x6x6xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#ch3 = affine_map<(d0, d1, d2) -> (d0)>

// A reshape between two elementwise ops no longer keeps them apart: it
// moves across the first and the two fuse.
// CHECK-LABEL: func.func @fuse_across_reshape
//       CHECK:   linalg.generic
//       CHECK:     arith.maximumf
//       CHECK:     arith.addf
//   CHECK-NOT:   linalg.generic
func.func @fuse_across_reshape(%x: tensor<8x16xf32>, %bias: tensor<8xf32>) -> tensor<8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %relu = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x16xf32>
  %image = tensor.expand_shape %relu [[0], [1, 2]] output_shape [8, 4, 4] : tensor<8x16xf32> into tensor<8x4x4xf32>
  %e3 = tensor.empty() : tensor<8x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id3, #ch3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%image, %bias : tensor<8x4x4xf32>, tensor<8xf32>) outs(%e3 : tensor<8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<8x4x4xf32>
  return %r : tensor<8x4x4xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#ch3 = affine_map<(d0, d1, d2) -> (d0)>

// A short-k contraction (a 1x1 convolution) whose rows are whole 16-column
// tiles and whose epilogue is padded takes the image shape itself: the
// epilogue then fuses with it and still writes into the padding.
// CHECK-LABEL: func.func @padded_rows_of_whole_tiles
//       CHECK:   %[[GEMM:.*]] = linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//  CHECK-SAME:     outs(%{{.*}} : tensor<8x2x16xf32>)
//   CHECK-NOT:   tensor.expand_shape %[[GEMM]]
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%[[GEMM]], %{{.*}} : tensor<8x2x16xf32>, tensor<8xf32>)
//       CHECK:   tensor.pad
func.func @padded_rows_of_whole_tiles(%a: tensor<8x4xf32>, %b: tensor<4x32xf32>, %bias: tensor<8xf32>) -> tensor<8x4x18xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%f : tensor<8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x32xf32>
  %image = tensor.expand_shape %g [[0], [1, 2]] output_shape [8, 2, 16] : tensor<8x32xf32> into tensor<8x2x16xf32>
  %e3 = tensor.empty() : tensor<8x2x16xf32>
  %r = linalg.generic {indexing_maps = [#id3, #ch3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%image, %bias : tensor<8x2x16xf32>, tensor<8xf32>) outs(%e3 : tensor<8x2x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8x2x16xf32>
  %p = tensor.pad %r low[0, 1, 1] high[0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %zero : f32
  } : tensor<8x2x16xf32> to tensor<8x4x18xf32>
  return %p : tensor<8x4x18xf32>
}

// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-tile))' --verify-diagnostics | FileCheck %s
// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-tile,canonicalize))' --verify-diagnostics | FileCheck %s --check-prefix=PEEL

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Cache tiles (k by 32, then m by 8) around register tiles (m by 4; n fits).
// CHECK-LABEL: func.func @two_levels
//       CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c32
//       CHECK:     scf.for %{{.*}} = %c0{{.*}} to %c16 step %c8
//       CHECK:       scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c4
//       CHECK:         linalg.generic
//  CHECK-SAME:           ins(%{{.*}}, %{{.*}} : tensor<4x32xf32>, tensor<32x16xf32>)
//  CHECK-SAME:           nnc.cpu_kernel = {register_tiles = array<i64: 4, 16, 0>, row_remainders = array<i64>, vector_lanes = 8 : i64}
//   CHECK-NOT:   nnc.cpu_strategy
func.func @two_levels(%a: tensor<16x64xf32>, %b: tensor<64x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 8, 16, 32>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 16, 0>, register_order = array<i64: 1, 0, 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x16xf32>) outs(%c : tensor<16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// With k split into cache tiles, tiles after the first add to what earlier
// ones wrote. The loop over k blocks is marked, and the register tiles of
// its first iteration start at the fill's value (first_block_init), so the
// result is never filled.
// CHECK-LABEL: func.func @k_tiled_fill
//   CHECK-NOT:   linalg.fill
//       CHECK:   %[[EMPTY:.*]] = tensor.empty()
//       CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c32 iter_args(%{{.*}} = %[[EMPTY]])
//       CHECK:     nnc.cpu_kernel = {first_block_init = 0.000000e+00 : f32, register_tiles
//       CHECK:   } {nnc.k_blocks}
func.func @k_tiled_fill(%a: tensor<16x64xf32>, %b: tensor<64x16xf32>) -> tensor<16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 8, 16, 32>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 16, 0>, register_order = array<i64: 1, 0, 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x16xf32>) outs(%c : tensor<16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Thread tiles come first: a chunk loop over rows (2 chunks of 8) marked
// nnc.parallel, with the cache and register tiles inside each chunk.
// CHECK-LABEL: func.func @thread_chunks
//       CHECK:   scf.for %{{.*}} = %c0 to %c16 step %c8
//       CHECK:     scf.for %{{.*}} step %c4
//       CHECK:       linalg.generic
//  CHECK-SAME:         nnc.cpu_kernel
//       CHECK:   } {nnc.parallel}
func.func @thread_chunks(%a: tensor<16x64xf32>, %b: tensor<64x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", thread_tiles = array<i64: 8, 0, 0>,
                                           cache_tiles = array<i64: 8, 16, 0>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 16, 0>, register_order = array<i64: 1, 0, 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x16xf32>) outs(%c : tensor<16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// pack_rhs: the activation rhs [8 x 20] is copied into slivers [3 x 8 x 8]:
// the two whole slivers straight from the rhs, the last from its 4 remaining
// columns padded to 8. The result is computed as [4 x 3 x 8] and sliced back
// to 20 columns. The kernel tile has one sliver of 8 lanes.
// CHECK-LABEL: func.func @packed
//       CHECK:   %[[EMPTY:.*]] = tensor.empty() : tensor<3x8x8xf32>
//       CHECK:   %[[WHOLE:.*]] = tensor.extract_slice %[[EMPTY]][0, 0, 0] [2, 8, 8]
//       CHECK:   %[[COPY:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<8x20xf32>) outs(%[[WHOLE]] : tensor<2x8x8xf32>)
//       CHECK:   %[[PART:.*]] = tensor.insert_slice %[[COPY]] into %[[EMPTY]][0, 0, 0] [2, 8, 8]
//       CHECK:   %[[TAIL:.*]] = tensor.extract_slice %{{.*}}[0, 16] [8, 4] [1, 1] : tensor<8x20xf32> to tensor<8x4xf32>
//       CHECK:   %[[PAD:.*]] = tensor.pad %[[TAIL]] low[0, 0] high[0, 4]
//       CHECK:   %[[LAST:.*]] = tensor.extract_slice %[[PART]][2, 0, 0] [1, 8, 8]
//       CHECK:   linalg.generic {{.*}} ins(%[[PAD]] : tensor<8x8xf32>) outs(%[[LAST]] : tensor<1x8x8xf32>)
// k (8) is not tiled, so each register tile runs over all of it: the zero
// fill of the result becomes the kernel's init_value and is dropped.
//   CHECK-NOT:   linalg.fill
//       CHECK:   tensor.empty() : tensor<4x3x8xf32>
//   CHECK-NOT:   linalg.fill
//       CHECK:   scf.for %{{.*}} = %c0 to %c3 step %c1
//       CHECK:     linalg.generic
//  CHECK-SAME:       nnc.cpu_kernel = {init_value = 0.000000e+00 : f32, register_tiles = array<i64: 4, 1, 0, 8>
//       CHECK:   tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<4x3x8xf32> into tensor<4x24xf32>
//       CHECK:   tensor.extract_slice %{{.*}}[0, 0] [4, 20] [1, 1] : tensor<4x24xf32> to tensor<4x20xf32>
func.func @packed(%a: tensor<4x8xf32>, %b: tensor<8x20xf32>) -> tensor<4x20xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x20xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x20xf32>) -> tensor<4x20xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 4, 20, 8>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 8, 0>, register_order = array<i64: 1, 0, 2>,
                                           pack_rhs = true, vector_lanes = 8}}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x20xf32>) outs(%c : tensor<4x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x20xf32>
  return %r : tensor<4x20xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhsT = affine_map<(m, n, k) -> (n, k)>
#out = affine_map<(m, n, k) -> (m, n)>

// A rhs stored [N x K] (x * W^T) is packed into the same slivers, its last
// rows padded along n, even with a single row block: the kernel reads rhs
// rows along n.
// CHECK-LABEL: func.func @transposed_rhs
//       CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<20x8xf32>) outs(%{{.*}} : tensor<2x8x8xf32>)
//       CHECK:   %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0] high[4, 0]
//       CHECK:   linalg.generic {{.*}} ins(%[[PAD]] : tensor<8x8xf32>) outs(%{{.*}} : tensor<1x8x8xf32>)
//       CHECK:     nnc.cpu_kernel = {register_tiles = array<i64: 1, 1, 0, 8>
func.func @transposed_rhs(%a: tensor<1x8xf32>, %b: tensor<20x8xf32>, %c: tensor<1x20xf32>) -> tensor<1x20xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhsT, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 1, 20, 8>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 1, 8, 0>, register_order = array<i64: 1, 0, 2>,
                                           pack_rhs = true, vector_lanes = 8}}
      ins(%a, %b : tensor<1x8xf32>, tensor<20x8xf32>) outs(%c : tensor<1x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x20xf32>
  return %r : tensor<1x20xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhsT = affine_map<(m, n, k) -> (n, k)>
#out = affine_map<(m, n, k) -> (m, n)>

// A constant [N=3 x K=2] weight, seen through the slice that drops its unit
// leading dim, is packed at compile time: sliver 0 holds k=0 as [1, 3, 5, 0...]
// and k=1 as [2, 4, 6, 0...] (f32 little-endian after the 4-byte alignment).
// CHECK-LABEL: func.func @transposed_constant
//   CHECK-NOT:   tensor.pad
//       CHECK:   arith.constant dense_resource<packed> : tensor<1x2x8xf32>
//       CHECK:   packed: "0x040000000000803F000040400000A040000000000000000000000000000000000000000000000040000080400000C0400000000000000000000000000000000000000000"
func.func @transposed_constant(%a: tensor<1x2xf32>, %c: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]> : tensor<1x3x2xf32>
  %b = tensor.extract_slice %w[0, 0, 0] [1, 3, 2] [1, 1, 1] : tensor<1x3x2xf32> to tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhsT, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 1, 3, 2>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 1, 8, 0>, register_order = array<i64: 1, 0, 2>,
                                           pack_rhs = true, vector_lanes = 8}}
      ins(%a, %b : tensor<1x2xf32>, tensor<3x2xf32>) outs(%c : tensor<1x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhsT = affine_map<(m, n, k) -> (n, k)>
#out = affine_map<(m, n, k) -> (m, n)>

// The same weight as a convolution's, [N=3, C=2, 1, 1] collapsed to [3 x 2],
// is packed at compile time through the reshape.
// CHECK-LABEL: func.func @collapsed_constant
//   CHECK-NOT:   tensor.pad
//       CHECK:   arith.constant dense_resource<packed> : tensor<1x2x8xf32>
//       CHECK:   packed: "0x040000000000803F000040400000A040000000000000000000000000000000000000000000000040000080400000C0400000000000000000000000000000000000000000"
func.func @collapsed_constant(%a: tensor<1x2xf32>, %c: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]]]> : tensor<3x2x1x1xf32>
  %b = tensor.collapse_shape %w [[0], [1, 2, 3]] : tensor<3x2x1x1xf32> into tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhsT, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 1, 3, 2>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 1, 8, 0>, register_order = array<i64: 1, 0, 2>,
                                           pack_rhs = true, vector_lanes = 8}}
      ins(%a, %b : tensor<1x2xf32>, tensor<3x2xf32>) outs(%c : tensor<1x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
func.func @malformed(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{malformed nnc.cpu_strategy attribute}}
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"], nnc.cpu_strategy = {kind = "contraction"}}
      ins(%x : tensor<4xf32>) outs(%x : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// 10 rows in register tiles of 4: two whole tiles, then the 2 rows left over
// as one more tile of static height (once canonicalized, as in the pipeline).
// PEEL-LABEL: func.func @row_remainder
//       PEEL:   scf.for %{{.*}} = %c0 to %c8 step %c4
//       PEEL:     linalg.generic
//  PEEL-SAME:       ins(%{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<64x16xf32>)
//       PEEL:   linalg.generic
//  PEEL-SAME:     ins(%{{.*}}, %{{.*}} : tensor<2x64xf32>, tensor<64x16xf32>)
//  PEEL-SAME:     nnc.cpu_kernel = {register_tiles = array<i64: 4, 16, 0>, row_remainders = array<i64: 2>
func.func @row_remainder(%a: tensor<10x64xf32>, %b: tensor<64x16xf32>, %c: tensor<10x16xf32>) -> tensor<10x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 10, 16, 0>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 16, 0>, register_order = array<i64: 1, 0, 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<10x64xf32>, tensor<64x16xf32>) outs(%c : tensor<10x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<10x16xf32>
  return %r : tensor<10x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// 40 columns in register tiles of 16: two whole tiles, then 8 columns as one
// more tile of static width (only a partial tile's vectors are masked).
// PEEL-LABEL: func.func @column_remainder
//       PEEL:   scf.for %{{.*}} = %c0 to %c32 step %c16
//       PEEL:     linalg.generic
//  PEEL-SAME:       ins(%{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<64x16xf32>)
//       PEEL:   linalg.generic
//  PEEL-SAME:     ins(%{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<64x8xf32>)
//  PEEL-SAME:     nnc.cpu_kernel
func.func @column_remainder(%a: tensor<4x64xf32>, %b: tensor<64x40xf32>, %c: tensor<4x40xf32>) -> tensor<4x40xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", cache_tiles = array<i64: 4, 40, 0>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 4, 16, 0>, register_order = array<i64: 1, 0, 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<4x64xf32>, tensor<64x40xf32>) outs(%c : tensor<4x40xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x40xf32>
  return %r : tensor<4x40xf32>
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A "parallel" strategy only splits the op: a chunk loop of 8 channels per
// chunk, marked nnc.parallel, around the op on one chunk.
// CHECK-LABEL: func.func @parallel_chunks
//       CHECK:   scf.for %{{.*}} = %c0 to %c32 step %c8
//       CHECK:     linalg.generic
//  CHECK-SAME:       ins(%{{.*}} : tensor<8x28x28xf32>)
//   CHECK-NOT:       nnc.cpu_strategy
//       CHECK:   } {nnc.parallel}
func.func @parallel_chunks(%x: tensor<32x28x28xf32>) -> tensor<32x28x28xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x28x28xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 8, 0, 0>}}
      ins(%x : tensor<32x28x28xf32>) outs(%e : tensor<32x28x28xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<32x28x28xf32>
  return %r : tensor<32x28x28xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @malformed_parallel(%x: tensor<32x28xf32>) -> tensor<32x28xf32> {
  %e = tensor.empty() : tensor<32x28xf32>
  // expected-error @+1 {{malformed nnc.cpu_strategy attribute}}
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 8>}}
      ins(%x : tensor<32x28xf32>) outs(%e : tensor<32x28xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<32x28xf32>
  return %r : tensor<32x28xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Bias + ReLU after a GEMM whose register tiles run over all of k: the
// consumer is tiled with it, one register tile of the GEMM and one of the
// consumer per step, so the kernel applies it to the accumulators.
// CHECK-LABEL: func.func @epilogue
//   CHECK-NOT:   linalg.fill
//       CHECK:   scf.for %{{.*}} = %c0 to %c24 step %c6
//       CHECK:     scf.for %{{.*}} = %{{.*}} to %c32 step %c16
//       CHECK:       %[[TILE:.*]] = linalg.generic
//  CHECK-SAME:         ins(%{{.*}}, %{{.*}} : tensor<6x64xf32>, tensor<64x16xf32>)
//  CHECK-SAME:         nnc.cpu_kernel = {init_value = 0.000000e+00 : f32
//       CHECK:       linalg.generic
//  CHECK-SAME:         ins(%[[TILE]], %{{.*}} : tensor<6x16xf32>, tensor<6xf32>)
//  CHECK-SAME:         nnc.cpu_epilogue
//       CHECK:         arith.maximumf
//   CHECK-NOT:   linalg.generic
func.func @epilogue(%a: tensor<24x64xf32>, %b: tensor<64x32xf32>, %bias: tensor<24xf32>) -> tensor<24x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<24x32xf32>) -> tensor<24x32xf32>
  %c = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", thread_tiles = array<i64: 0, 0, 0>,
                                           cache_tiles = array<i64: 24, 32, 64>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 6, 16, 0>, register_order = array<i64: 0, 1, 2>,
                                           pack_rhs = false, vector_lanes = 8}}
      ins(%a, %b : tensor<24x64xf32>, tensor<64x32xf32>) outs(%f : tensor<24x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<24x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 6, 0>}}
      ins(%c, %bias : tensor<24x32xf32>, tensor<24xf32>) outs(%e : tensor<24x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<24x32xf32>
  return %r : tensor<24x32xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// With k split into cache tiles the result is unfinished between them: the
// consumer stays a separate op.
// CHECK-LABEL: func.func @no_epilogue_split_k
//   CHECK-NOT:   nnc.cpu_epilogue
func.func @no_epilogue_split_k(%a: tensor<24x64xf32>, %b: tensor<64x32xf32>, %bias: tensor<24xf32>) -> tensor<24x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<24x32xf32>) -> tensor<24x32xf32>
  %c = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "contraction", thread_tiles = array<i64: 0, 0, 0>,
                                           cache_tiles = array<i64: 24, 32, 32>, cache_order = array<i64: 1, 2, 0>,
                                           register_tiles = array<i64: 6, 16, 0>, register_order = array<i64: 0, 1, 2>,
                                           pack_rhs = false, vector_lanes = 8}}
      ins(%a, %b : tensor<24x64xf32>, tensor<64x32xf32>) outs(%f : tensor<24x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<24x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : tensor<24x32xf32>, tensor<24xf32>) outs(%e : tensor<24x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<24x32xf32>
  return %r : tensor<24x32xf32>
}

// -----

// The fill that starts a window's sums moves into the chunk loop with it,
// onto the chunk's slice of the result.
// CHECK-LABEL: func.func @fill_with_chunks
//       CHECK:   scf.for %[[I:.*]] = %c0 to %c32 step %c8 iter_args(%[[ACC:.*]] = %{{.*}})
//       CHECK:     %[[SLICE:.*]] = tensor.extract_slice %[[ACC]][%[[I]], 0] [8, 28]
//       CHECK:     %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[SLICE]] : tensor<8x28xf32>)
//       CHECK:     linalg.generic
//  CHECK-SAME:       outs(%[[FILL]] : tensor<8x28xf32>)
//       CHECK:   } {nnc.parallel}
func.func @fill_with_chunks(%x: tensor<32x30xf32>, %w: tensor<32x3xf32>) -> tensor<32x28xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x28xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<32x28xf32>) -> tensor<32x28xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (c, t)>, affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 8, 0, 0>}}
      ins(%x, %w : tensor<32x30xf32>, tensor<32x3xf32>) outs(%f : tensor<32x28xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<32x28xf32>
  return %r : tensor<32x28xf32>
}

// -----

// A window (depthwise along w) whose result starts as a fill and feeds a
// bias + ReLU: the epilogue is tiled into the window's chunks, the window
// and its fill fused into the chunk loop, and marked for vectorization.
// CHECK-LABEL: func.func @window_epilogue
//       CHECK:   scf.for %[[I:.*]] = %c0 to %c32 step %c8
//       CHECK:     linalg.fill
//       CHECK:     %[[WINDOW:.*]] = linalg.generic
//  CHECK-SAME:       iterator_types = ["parallel", "parallel", "reduction"]
//       CHECK:     linalg.generic
//  CHECK-SAME:       ins(%[[WINDOW]], %{{.*}} : tensor<8x28xf32>, tensor<8xf32>)
//  CHECK-SAME:       nnc.cpu_epilogue
//       CHECK:   } {nnc.parallel}
//   CHECK-NOT:   linalg.generic
func.func @window_epilogue(%x: tensor<32x30xf32>, %w: tensor<32x3xf32>, %bias: tensor<32xf32>) -> tensor<32x28xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x28xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<32x28xf32>) -> tensor<32x28xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (c, t)>, affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 8, 0, 0>}}
      ins(%x, %w : tensor<32x30xf32>, tensor<32x3xf32>) outs(%f : tensor<32x28xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<32x28xf32>
  %e2 = tensor.empty() : tensor<32x28xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(c, ow) -> (c, ow)>, affine_map<(c, ow) -> (c)>, affine_map<(c, ow) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel"],
                       nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 8, 0>}}
      ins(%r, %bias : tensor<32x28xf32>, tensor<32xf32>) outs(%e2 : tensor<32x28xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<32x28xf32>
  return %y : tensor<32x28xf32>
}

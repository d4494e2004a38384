// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-select-strategy{vector-bits=256 vector-registers=16}))' | FileCheck %s --check-prefix=AVX2
// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-select-strategy{vector-bits=512 vector-registers=32}))' | FileCheck %s --check-prefix=AVX512

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A square GEMM: several row blocks reuse each rhs sliver, so the rhs is
// packed; the register tile is 6 x 2 vectors on AVX2 (12 accumulators, 2 rhs
// vectors and a broadcast within the 16 registers) and k is blocked so that a
// [kc x nr] sliver stays in L1. Threads share chunks of whole row tiles,
// each one cache block of rows: 11 chunks of 102 rows, which two threads
// run as 514 and 510 rows (8 chunks of 132 rows would be 528 and 496).
// AVX2-LABEL: func.func @gemm
//       AVX2:   nnc.cpu_strategy = {cache_order = array<i64: 1, 2, 0>, cache_tiles = array<i64: 102, 1024, 384>, kind = "contraction", pack_rhs = true, register_order = array<i64: 1, 0, 2>, register_tiles = array<i64: 6, 16, 0>, thread_tiles = array<i64: 102, 0, 0>, vector_lanes = 8 : i64}
// AVX512-LABEL: func.func @gemm
//       AVX512:   register_tiles = array<i64: {{[0-9]+}}, {{[0-9]+}}, 0>, thread_tiles = array<i64: {{[0-9]+}}, 0, 0>, vector_lanes = 16 : i64}
func.func @gemm(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Several row blocks, but a short k (an im2col'd first convolution, k = 147):
// each [147 x 16] sliver stays in L1 read in place, so the run-time rhs is
// not copied first.
// AVX2-LABEL: func.func @short_k
//       AVX2:   pack_rhs = false, {{.*}} register_tiles = array<i64: 6, 16, 0>
func.func @short_k(%a: tensor<64x147xf32>, %b: tensor<147x12544xf32>, %c: tensor<64x12544xf32>) -> tensor<64x12544xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<64x147xf32>, tensor<147x12544xf32>) outs(%c : tensor<64x12544xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x12544xf32>
  return %r : tensor<64x12544xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A matrix-vector product (batch 1 dense layer): one row, as many column
// vectors as the registers allow next to their rhs vectors (7 + 7 + 1 of 16);
// nothing reuses a run-time rhs, so no packing and no k blocking. Only 0.4 M
// multiply-adds, but the rhs (1.6 MB) streams from beyond L2, and two cores
// stream it faster: threads share chunks of 56 columns (two threads run 280
// and 232 columns; with chunks of 112, 288 and 224).
// AVX2-LABEL: func.func @gemv
//       AVX2:   cache_tiles = array<i64: 1, 512, 784>, {{.*}} pack_rhs = false, {{.*}} register_tiles = array<i64: 1, 56, 0>, thread_tiles = array<i64: 0, 56, 0>
func.func @gemv(%a: tensor<1x784xf32>, %b: tensor<784x512xf32>, %c: tensor<1x512xf32>) -> tensor<1x512xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1x784xf32>, tensor<784x512xf32>) outs(%c : tensor<1x512xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x512xf32>
  return %r : tensor<1x512xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// The same with constant weights (64 columns, more than one 56-column
// tile): packing them costs nothing at run time, and the slivers make the
// weights one sequential stream.
// AVX2-LABEL: func.func @gemv_constant_weights
//       AVX2:   pack_rhs = true, {{.*}} register_tiles = array<i64: 1, 56, 0>
func.func @gemv_constant_weights(%a: tensor<1x2xf32>, %c: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 1.0]]> : tensor<2x64xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1x2xf32>, tensor<2x64xf32>) outs(%c : tensor<1x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x64xf32>
  return %r : tensor<1x64xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhsT = affine_map<(m, n, k) -> (n, k)>
#out = affine_map<(m, n, k) -> (m, n)>

// A late convolution layer run as patches [49 x 4608] times weight^T: the
// rhs (9.4 MB) is far larger than L2 and than the lhs (0.9 MB). Every chunk
// of rows would stream all of it, so the threads share column chunks
// (64 = 4 x 16) and each part of the rhs is read once. The 49 rows are nine
// register tiles of 5 and one of 4.
// AVX2-LABEL: func.func @weights_stream
//       AVX2:   register_tiles = array<i64: 5, 16, 0>, thread_tiles = array<i64: 0, 64, 0>
func.func @weights_stream(%a: tensor<49x4608xf32>, %b: tensor<512x4608xf32>, %c: tensor<49x512xf32>) -> tensor<49x512xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhsT, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<49x4608xf32>, tensor<512x4608xf32>) outs(%c : tensor<49x512xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<49x512xf32>
  return %r : tensor<49x512xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A larger matrix-vector product (4 M multiply-adds) is split along n as
// well: one row cannot be, so chunks are whole column tiles (168 = 3 x 56).
// AVX2-LABEL: func.func @wide_gemv
//       AVX2:   register_tiles = array<i64: 1, 56, 0>, thread_tiles = array<i64: 0, 168, 0>
func.func @wide_gemv(%a: tensor<1x4096xf32>, %b: tensor<4096x1024xf32>, %c: tensor<1x1024xf32>) -> tensor<1x1024xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1x4096xf32>, tensor<4096x1024xf32>) outs(%c : tensor<1x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x1024xf32>
  return %r : tensor<1x1024xf32>
}

// -----

#lhs = affine_map<(b, m, n, k) -> (b, m, k)>
#rhs = affine_map<(b, m, n, k) -> (b, k, n)>
#out = affine_map<(b, m, n, k) -> (b, m, n)>

// A batch of products (attention heads) is shared one product at a time.
// AVX2-LABEL: func.func @batched
//       AVX2:   thread_tiles = array<i64: 1, 0, 0, 0>
func.func @batched(%a: tensor<4x128x32xf32>, %b: tensor<4x32x128xf32>, %c: tensor<4x128x128xf32>) -> tensor<4x128x128xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x128x32xf32>, tensor<4x32x128xf32>) outs(%c : tensor<4x128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x128x128xf32>
  return %r : tensor<4x128x128xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (n, k)>
#out = affine_map<(m, n, k) -> (m, n)>

// The rhs is not contiguous along n (x * W^T): it is packed even for a single
// row, since the kernel reads rhs rows along n. It is too small for threads.
// AVX2-LABEL: func.func @transposed_rhs
//       AVX2:   nnc.cpu_strategy = {{{.*}}pack_rhs = true{{.*}}thread_tiles = array<i64: 0, 0, 0>
func.func @transposed_rhs(%a: tensor<1x64xf32>, %b: tensor<64x64xf32>, %c: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1x64xf32>, tensor<64x64xf32>) outs(%c : tensor<1x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x64xf32>
  return %r : tensor<1x64xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Integer contractions keep the reference loops.
// AVX2-LABEL: func.func @integer
//   AVX2-NOT:   nnc.cpu_strategy
func.func @integer(%a: tensor<8x8xi32>, %b: tensor<8x8xi32>, %c: tensor<8x8xi32>) -> tensor<8x8xi32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x8xi32>, tensor<8x8xi32>) outs(%c : tensor<8x8xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x8xi32>
  return %r : tensor<8x8xi32>
}

// -----

#w = affine_map<(n, f, o, c, kh, kw) -> (f, c, kh, kw)>
#window = affine_map<(n, f, o, c, kh, kw) -> (n, c, o + kh * 58 + kw)>
#out = affine_map<(n, f, o, c, kh, kw) -> (n, f, o)>

// A 3x3 convolution over 64 channels as a sliding window on its flattened
// 58-wide padded input: the rhs is read in place (no packing); the
// channels are blocked (4 x 16) so that a tile's three input rows per
// channel stay in L1, and the kernel offsets are never split.
// AVX2-LABEL: func.func @sliding_window
//       AVX2:   cache_order = array<i64: 0, 2, 3, 1, 4, 5>, cache_tiles = array<i64: 1, {{[0-9]+}}, 3248, 16, 0, 0>, {{.*}} pack_rhs = false, register_order = array<i64: 0, 2, 1, 3, 4, 5>, register_tiles = array<i64: 1, 6, 16, 0, 0, 0>
func.func @sliding_window(%a: tensor<64x64x3x3xf32>, %b: tensor<1x64x3422xf32>, %c: tensor<1x64x3248xf32>) -> tensor<1x64x3248xf32> {
  %r = linalg.generic {indexing_maps = [#w, #window, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%a, %b : tensor<64x64x3x3xf32>, tensor<1x64x3422xf32>) outs(%c : tensor<1x64x3248xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x64x3248xf32>
  return %r : tensor<1x64x3248xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Other ops with enough work are only split between threads: the outermost
// loop with more than one iteration (the 96 channels; the batch of one is
// skipped) in 8 equal chunks of 12. A small op stays whole.
// AVX2-LABEL: func.func @epilogue
//       AVX2:   nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 0, 12, 0, 0>}
// AVX2-LABEL: func.func @small_epilogue
//   AVX2-NOT:   nnc.cpu_strategy
// Three channels (an RGB image's patches) would be three chunks: the rows
// of the image, the first loop with eight iterations, are split instead.
// AVX2-LABEL: func.func @few_channels
//       AVX2:   nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 0, 0, 14, 0>}
// Work is counted in operand elements: 8192 iterations over 8 operands (a
// transform reading and writing several planes at once) are split too.
// AVX2-LABEL: func.func @many_operands
//       AVX2:   nnc.cpu_strategy = {kind = "parallel", thread_tiles = array<i64: 0, 4, 0, 0>}
func.func @epilogue(%x: tensor<1x96x28x28xf32>) -> tensor<1x96x28x28xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x96x28x28xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x96x28x28xf32>) outs(%e : tensor<1x96x28x28xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x96x28x28xf32>
  return %r : tensor<1x96x28x28xf32>
}
func.func @small_epilogue(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x8x8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}
func.func @few_channels(%x: tensor<1x3x112x112xf32>) -> tensor<1x3x112x112xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x112x112xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x3x112x112xf32>) outs(%e : tensor<1x3x112x112xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x112x112xf32>
  return %r : tensor<1x3x112x112xf32>
}
func.func @many_operands(%x: tensor<1x32x16x16xf32>) -> (tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>) {
  %e = tensor.empty() : tensor<1x32x16x16xf32>
  %r:4 = linalg.generic {indexing_maps = [#id, #id, #id, #id, #id, #id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %x, %x, %x : tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>)
      outs(%e, %e, %e, %e : tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %d: f32, %o0: f32, %o1: f32, %o2: f32, %o3: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.subf %c, %d : f32
    linalg.yield %s, %t, %a, %d : f32, f32, f32, f32
  } -> (tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>)
  return %r#0, %r#1, %r#2, %r#3 : tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>, tensor<1x32x16x16xf32>
}

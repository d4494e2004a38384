// RUN: nnc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(nnc-cpu-vectorize,canonicalize))' | FileCheck %s

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A full 2 x 16 tile in vectors of 8: four accumulators carried through the
// k loop, one rhs row (two vectors) loaded per step, one broadcast per row.
//       CHECK: #[[INTERLEAVE:.*]] = #llvm.loop_interleave<count = 1 : i32>
//       CHECK: #[[UNROLL:.*]] = #llvm.loop_unroll<disable = true>
//       CHECK: #[[VECTORIZE:.*]] = #llvm.loop_vectorize<disable = true>
//       CHECK: #[[NO_UNROLL:.*]] = #llvm.loop_annotation<vectorize = #[[VECTORIZE]], interleave = #[[INTERLEAVE]], unroll = #[[UNROLL]]>
// CHECK-LABEL: func.func @full_tile
//       CHECK:   %[[A00:.*]] = vector.transfer_read %[[C:[a-z0-9]+]][%c0, %c0], %{{.*}} {in_bounds = [true]} : tensor<2x16xf32>, vector<8xf32>
//       CHECK:   %[[A01:.*]] = vector.transfer_read %[[C]][%c0, %c8]
//       CHECK:   %[[A10:.*]] = vector.transfer_read %[[C]][%c1, %c0]
//       CHECK:   %[[A11:.*]] = vector.transfer_read %[[C]][%c1, %c8]
//       CHECK:   %[[R:.*]]:4 = scf.for %[[K:.*]] = %c0 to %c32 step %c1 iter_args(%{{.*}} = %[[A00]], %{{.*}} = %[[A01]], %{{.*}} = %[[A10]], %{{.*}} = %[[A11]])
//       CHECK:     %[[B0:.*]] = vector.transfer_read %{{.*}}[%[[K]], %c0]{{.*}} : tensor<32x16xf32>, vector<8xf32>
//       CHECK:     %[[B1:.*]] = vector.transfer_read %{{.*}}[%[[K]], %c8]
//       CHECK:     %[[X0:.*]] = tensor.extract %{{.*}}[%c0, %[[K]]] : tensor<2x32xf32>
//       CHECK:     %[[S0:.*]] = vector.broadcast %[[X0]] : f32 to vector<8xf32>
//       CHECK:     vector.fma %[[S0]], %[[B0]]
//       CHECK:     vector.fma %[[S0]], %[[B1]]
//       CHECK:     tensor.extract %{{.*}}[%c1, %[[K]]]
//       CHECK:     scf.yield
// The tile fills the registers: LLVM must not unroll or interleave the k loop.
//       CHECK:   } {llvm.loop_annotation = #[[NO_UNROLL]]}
//       CHECK:   vector.transfer_write %[[R]]#0, %[[C]][%c0, %c0] {in_bounds = [true]}
//       CHECK:   vector.transfer_write %[[R]]#3, %{{.*}}[%c1, %c8] {in_bounds = [true]}
//   CHECK-NOT:   linalg.generic
func.func @full_tile(%a: tensor<2x32xf32>, %b: tensor<32x16xf32>, %c: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 2, 16, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<2x32xf32>, tensor<32x16xf32>) outs(%c : tensor<2x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x16xf32>
  return %r : tensor<2x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A partial tile: 12 of 16 columns, an unknown number of rows. The second
// vector of each row may run out of bounds (no in_bounds), which lowers to
// masked loads and stores; rows run in blocks of 3, and the 1 or 2 rows left
// over as one shorter tile.
// CHECK-LABEL: func.func @partial_tile
//       CHECK:   %[[ROWS:.*]] = tensor.dim
//       CHECK:   %[[FULL:.*]] = arith.muli
//       CHECK:   scf.for %{{.*}} = %c0 to %[[FULL]] step %c3
//       CHECK:     vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<?x12xf32>, vector<8xf32>
//       CHECK:     vector.transfer_read %{{.*}}[%{{.*}}, %c8], %cst : tensor<?x12xf32>, vector<8xf32>
//       CHECK:   %[[LEFT:.*]] = arith.subi %[[ROWS]], %[[FULL]]
//       CHECK:   scf.index_switch %[[LEFT]]
//       CHECK:   case 1 {
// CHECK-COUNT-2:     vector.fma
//       CHECK:   case 2 {
// CHECK-COUNT-4:     vector.fma
//       CHECK:   default {
func.func @partial_tile(%a: tensor<?x32xf32>, %b: tensor<32x12xf32>, %c: tensor<?x12xf32>) -> tensor<?x12xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 3, 16, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<?x32xf32>, tensor<32x12xf32>) outs(%c : tensor<?x12xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x12xf32>
  return %r : tensor<?x12xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

func.func @too_large(%a: tensor<4x32xf32>, %b: tensor<32x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{contraction is larger than its register tile}}
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 2, 16, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<4x32xf32>, tensor<32x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
func.func @first_block_init_outside_k_blocks(%a: tensor<1x32xf32>, %b: tensor<32x16xf32>, %c: tensor<1x16xf32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{first_block_init needs a register tile in a loop over k blocks}}
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {first_block_init = 0.0 : f32, register_tiles = array<i64: 1, 16, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<1x32xf32>, tensor<32x16xf32>) outs(%c : tensor<1x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x16xf32>
  return %r : tensor<1x16xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
func.func @not_a_contraction(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{not a register tile of a contraction}}
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 4>, vector_lanes = 8}}
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

// init_value: the accumulators start at the constant; the init is not read.
// CHECK-LABEL: func.func @constant_init
//       CHECK:   %[[START:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
//   CHECK-NOT:   vector.transfer_read %[[C:[a-z0-9]+]][%c0, %c0]
//       CHECK:   scf.for %{{.*}} iter_args(%{{.*}} = %[[START]], %{{.*}} = %[[START]], %{{.*}} = %[[START]], %{{.*}} = %[[START]])
func.func @constant_init(%a: tensor<2x32xf32>, %b: tensor<32x16xf32>, %c: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {init_value = 0.0 : f32, register_tiles = array<i64: 2, 16, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<2x32xf32>, tensor<32x16xf32>) outs(%c : tensor<2x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x16xf32>
  return %r : tensor<2x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// first_block_init: in the first iteration of the loop over k blocks the
// accumulators start at the constant, in the others at the stored result.
// CHECK-LABEL: func.func @first_block_init
//       CHECK:   %[[START:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
//       CHECK:   scf.for %[[K:.*]] = %[[LB:.*]] to %c64 step %c32
//       CHECK:     %[[FIRST:.*]] = arith.cmpi eq, %[[K]], %[[LB]]
//       CHECK:     %[[ACC:.*]]:2 = scf.if %[[FIRST]]
//       CHECK:       scf.yield %[[START]], %[[START]]
//       CHECK:     } else {
//       CHECK:       %[[R0:.*]] = vector.transfer_read
//       CHECK:       %[[R1:.*]] = vector.transfer_read
//       CHECK:       scf.yield %[[R0]], %[[R1]]
//       CHECK:     scf.for %{{.*}} iter_args(%{{.*}} = %[[ACC]]#0, %{{.*}} = %[[ACC]]#1)
//       CHECK:   } {nnc.k_blocks}
func.func @first_block_init(%a: tensor<1x64xf32>, %b: tensor<64x16xf32>, %c: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %k = %c0 to %c64 step %c32 iter_args(%acc = %c) -> (tensor<1x16xf32>) {
    %as = tensor.extract_slice %a[0, %k] [1, 32] [1, 1] : tensor<1x64xf32> to tensor<1x32xf32>
    %bs = tensor.extract_slice %b[%k, 0] [32, 16] [1, 1] : tensor<64x16xf32> to tensor<32x16xf32>
    %t = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                         nnc.cpu_kernel = {first_block_init = 0.0 : f32, register_tiles = array<i64: 1, 16, 0>, vector_lanes = 8}}
        ins(%as, %bs : tensor<1x32xf32>, tensor<32x16xf32>) outs(%acc : tensor<1x16xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %o, %p : f32
      linalg.yield %s : f32
    } -> tensor<1x16xf32>
    scf.yield %t : tensor<1x16xf32>
  } {nnc.k_blocks}
  return %r : tensor<1x16xf32>
}

// -----

#w = affine_map<(n, f, o, c, kh, kw) -> (f, c, kh, kw)>
#window = affine_map<(n, f, o, c, kh, kw) -> (n, c, o + kh * 34 + kw)>
#out = affine_map<(n, f, o, c, kh, kw) -> (n, f, o)>

// A register tile of a sliding-window contraction: the loop runs over the
// channels, an inner loop over the kernel rows kh shifts the rhs row by
// kh * 34, and within it the kernel columns kw are unrolled (shift + kw),
// each broadcast against the weight of each filter.
// CHECK-LABEL: func.func @sliding_window
//       CHECK:   scf.for %[[C:.*]] = %c0 to %c4 step %c1 iter_args
//       CHECK:     scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args
//       CHECK:       %[[SHIFT:.*]] = arith.muli %[[KH]], %c34
//       CHECK:       vector.transfer_read %{{.*}}[%c0, %[[C]], %[[SHIFT]]]
//       CHECK:       tensor.extract %{{.*}}[%c0, %[[C]], %[[KH]], %c0]
//       CHECK:       %[[LAST:.*]] = arith.addi %[[SHIFT]], %c10
//       CHECK:       vector.transfer_read %{{.*}}[%c0, %[[C]], %[[LAST]]]
//       CHECK:       tensor.extract %{{.*}}[%c1, %[[C]], %[[KH]], %c2]
// CHECK-COUNT-2:     vector.fma
//  CHECK-NEXT:       scf.yield
func.func @sliding_window(%a: tensor<2x4x3x3xf32>, %b: tensor<1x4x86xf32>, %c: tensor<1x2x16xf32>) -> tensor<1x2x16xf32> {
  %r = linalg.generic {indexing_maps = [#w, #window, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 1, 2, 16, 0, 0, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<2x4x3x3xf32>, tensor<1x4x86xf32>) outs(%c : tensor<1x2x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x2x16xf32>
  return %r : tensor<1x2x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// The strategy foresees only 2 rows left over after the tiles of 3: one
// shorter kernel for them; any other count (none, as tiled) runs row by row.
// CHECK-LABEL: func.func @foreseen_remainder
//       CHECK:   scf.index_switch
//       CHECK:   case 2 {
// CHECK-COUNT-2:     vector.fma
//       CHECK:   default {
//       CHECK:     scf.for
func.func @foreseen_remainder(%a: tensor<?x32xf32>, %b: tensor<32x16xf32>, %c: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 3, 16, 0>, row_remainders = array<i64: 2>, vector_lanes = 8}}
      ins(%a, %b : tensor<?x32xf32>, tensor<32x16xf32>) outs(%c : tensor<?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// An epilogue runs on the finished accumulators: per row the bias is one
// broadcast element, the residual a vector read where the result goes, and
// the result of the epilogue, not of the GEMM, is written.
// CHECK-LABEL: func.func @epilogue
//  CHECK-SAME:   %[[BIAS:[a-z0-9]+]]: tensor<2xf32>, %[[RES:[a-z0-9]+]]: tensor<2x8xf32>, %[[OUT:[a-z0-9]+]]: tensor<2x8xf32>
//       CHECK:   %[[ACC:.*]]:2 = scf.for
// CHECK-COUNT-2:     vector.fma
//       CHECK:   %[[B0:.*]] = tensor.extract %[[BIAS]][%c0]
//       CHECK:   %[[SPLAT:.*]] = vector.broadcast %[[B0]]
//       CHECK:   %[[R0:.*]] = vector.transfer_read %[[RES]][%c0, %c0]
//       CHECK:   %[[SUM:.*]] = arith.addf %[[ACC]]#0, %[[SPLAT]] : vector<8xf32>
//       CHECK:   %[[ADD:.*]] = arith.addf %[[SUM]], %[[R0]] : vector<8xf32>
//       CHECK:   %[[RELU:.*]] = arith.maximumf %[[ADD]], %{{.*}} : vector<8xf32>
//       CHECK:   vector.transfer_write %[[RELU]], %[[OUT]][%c0, %c0]
//   CHECK-NOT:   linalg.generic
func.func @epilogue(%a: tensor<2x32xf32>, %b: tensor<32x8xf32>, %c: tensor<2x8xf32>,
                    %bias: tensor<2xf32>, %res: tensor<2x8xf32>, %out: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %zero = arith.constant 0.0 : f32
  %g = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {init_value = 0.0 : f32, register_tiles = array<i64: 2, 8, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<2x32xf32>, tensor<32x8xf32>) outs(%c : tensor<2x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id, #id], iterator_types = ["parallel", "parallel"], nnc.cpu_epilogue}
      ins(%g, %bias, %res : tensor<2x8xf32>, tensor<2xf32>, tensor<2x8xf32>) outs(%out : tensor<2x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.addf %s, %z : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @epilogue_without_init_value(%a: tensor<2x32xf32>, %b: tensor<32x8xf32>, %c: tensor<2x8xf32>, %out: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{an epilogue needs a register tile that starts at init_value}}
  %g = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"],
                       nnc.cpu_kernel = {register_tiles = array<i64: 2, 8, 0>, vector_lanes = 8}}
      ins(%a, %b : tensor<2x32xf32>, tensor<32x8xf32>) outs(%c : tensor<2x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"], nnc.cpu_epilogue}
      ins(%g : tensor<2x8xf32>) outs(%out : tensor<2x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

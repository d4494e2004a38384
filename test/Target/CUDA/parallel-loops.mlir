// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cuda-parallel-loops))' | FileCheck %s

// A matmul: one parallel loop over the output, the k loop inside each point
// with the output element in a register: loaded once, stored once.
// CHECK-LABEL: func.func @matmul
//       CHECK:   scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%c4, %c8)
//       CHECK:     %[[INIT:.*]] = memref.load %arg2
//       CHECK:     %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %c16 step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32)
//       CHECK:       memref.load %arg0
//       CHECK:       memref.load %arg1
//       CHECK:       %[[NEXT:.*]] = arith.addf %[[ACC]]
//       CHECK:       scf.yield %[[NEXT]]
//       CHECK:     memref.store %[[SUM]], %arg2
//   CHECK-NOT:   linalg
func.func @matmul(%a: memref<4x16xf32>, %b: memref<16x8xf32>, %c: memref<4x8xf32>) {
  linalg.matmul ins(%a, %b : memref<4x16xf32>, memref<16x8xf32>) outs(%c : memref<4x8xf32>)
  return
}

// -----

// An elementwise op does not read its output.
// CHECK-LABEL: func.func @elementwise
//       CHECK:   scf.parallel
//   CHECK-NOT:     memref.load %arg1
//       CHECK:     memref.load %arg0
//       CHECK:     math.exp
//       CHECK:     memref.store {{.*}}, %arg1
func.func @elementwise(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  linalg.map { math.exp } ins(%x : memref<4x8xf32>) outs(%y : memref<4x8xf32>)
  return
}

// -----

// A reduction over the middle dimension: the parallel dimensions after it
// move into the parallel loop, the reduction becomes the inner loop.
// CHECK-LABEL: func.func @reduce_middle
//       CHECK:   scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%c2, %c5)
//       CHECK:     scf.for %{{.*}} = %{{.*}} to %c3
//       CHECK:       memref.load %arg0
//       CHECK:       memref.store {{.*}}, %arg1
#in = affine_map<(n, c, w) -> (n, c, w)>
#out = affine_map<(n, c, w) -> (n, w)>
func.func @reduce_middle(%x: memref<2x3x5xf32>, %y: memref<2x5xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x : memref<2x3x5xf32>) outs(%y : memref<2x5xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A full reduction has no parallel dimension: a sequential loop nest.
// CHECK-LABEL: func.func @reduce_all
//   CHECK-NOT:   scf.parallel
//       CHECK:   scf.for
//       CHECK:     scf.for
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> ()>
func.func @reduce_all(%x: memref<3x4xf32>, %y: memref<f32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<3x4xf32>) outs(%y : memref<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Many outputs and a k loop worth sharing loads: a point covers four rows,
// their sums interleaved, so that each load of %b feeds four multiply-adds.
// CHECK-LABEL: func.func @matmul_rows
//       CHECK:   %[[FOUR:.*]] = arith.muli %{{.*}}, %c4
//       CHECK:   scf.parallel (%[[I:.*]], %{{.*}}) = (%{{.*}}, %{{.*}}) to (%c256, %c512) step (%[[FOUR]], %{{.*}})
//       CHECK:     scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32, f32, f32)
//       CHECK:       scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : f32, f32, f32, f32
//       CHECK:     memref.store
//       CHECK:     memref.store
//       CHECK:     memref.store
//       CHECK:     memref.store
func.func @matmul_rows(%a: memref<256x128xf32>, %b: memref<128x512xf32>, %c: memref<256x512xf32>) {
  linalg.matmul ins(%a, %b : memref<256x128xf32>, memref<128x512xf32>) outs(%c : memref<256x512xf32>)
  return
}

// RUN: nnc-opt %s --pass-pipeline='builtin.module(func.func(nnc-cuda-select-strategy))' | FileCheck %s
// RUN: nnc-opt %s --pass-pipeline='builtin.module(func.func(nnc-cuda-select-strategy{max-block-size=128}))' | FileCheck %s --check-prefix=SMALL

// 20000 iterations fill whole blocks; 40 take two warps; bounds known only at
// run time take whole blocks; an inner loop runs inside its outer loop's
// thread and gets no block of its own.
// CHECK-LABEL: func.func @blocks
//       CHECK:   scf.parallel
//       CHECK:   } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
//       CHECK:   scf.parallel
//       CHECK:   } {nnc.cuda.block_size = 64 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
//       CHECK:   scf.parallel
//       CHECK:     scf.parallel
//  CHECK-NEXT:       scf.reduce
//  CHECK-NEXT:     }
//  CHECK-NEXT:     scf.reduce
//  CHECK-NEXT:   } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
// SMALL-LABEL: func.func @blocks
//       SMALL:   } {nnc.cuda.block_size = 128 : i64,
//       SMALL:   } {nnc.cuda.block_size = 64 : i64,
//       SMALL:   } {nnc.cuda.block_size = 128 : i64,
func.func @blocks(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c20 = arith.constant 20 : index
  %c40 = arith.constant 40 : index
  %c1000 = arith.constant 1000 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1000, %c20) step (%c1, %c1) {
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c40) step (%c1) {
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c2) {
    scf.parallel (%j) = (%c0) to (%c20) step (%c1) {
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A sum of 512 x 3 steps per point and few points: a warp per point, in full
// blocks. The same sum over 100000 points, or a sum of 16 steps, or a loop
// that does more than add to its carried value: a thread per point.
// CHECK-LABEL: func.func @sums
//       CHECK:   } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 32 : i64}
//       CHECK:   } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
//       CHECK:   } {nnc.cuda.block_size = 32 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
//       CHECK:   } {nnc.cuda.block_size = 32 : i64, nnc.cuda.lanes_per_iteration = 1 : i64}
func.func @sums(%x: memref<512x3xf32>, %y: memref<100000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  %c16 = arith.constant 16 : index
  %c512 = arith.constant 512 : index
  %c100000 = arith.constant 100000 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    %s = scf.for %k = %c0 to %c512 step %c1 iter_args(%acc = %zero) -> (f32) {
      %t = scf.for %l = %c0 to %c3 step %c1 iter_args(%acc2 = %acc) -> (f32) {
        %v = memref.load %x[%k, %l] : memref<512x3xf32>
        %n = arith.addf %acc2, %v : f32
        scf.yield %n : f32
      }
      scf.yield %t : f32
    }
    memref.store %s, %y[%i] : memref<100000xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c100000) step (%c1) {
    %s = scf.for %k = %c0 to %c512 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %x[%k, %c0] : memref<512x3xf32>
      %n = arith.addf %acc, %v : f32
      scf.yield %n : f32
    }
    memref.store %s, %y[%i] : memref<100000xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    %s = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %x[%k, %c0] : memref<512x3xf32>
      %n = arith.addf %acc, %v : f32
      scf.yield %n : f32
    }
    memref.store %s, %y[%i] : memref<100000xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    %s = scf.for %k = %c0 to %c512 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %x[%k, %c0] : memref<512x3xf32>
      %n = arith.maximumf %acc, %v : f32
      scf.yield %n : f32
    }
    memref.store %s, %y[%i] : memref<100000xf32>
    scf.reduce
  }
  return
}

// RUN: nnc-opt %s --pass-pipeline='builtin.module(func.func(nnc-cuda-select-strategy))' | FileCheck %s
// RUN: nnc-opt %s --pass-pipeline='builtin.module(func.func(nnc-cuda-select-strategy{max-block-size=128}))' | FileCheck %s --check-prefix=SMALL

// 20000 iterations fill whole blocks; 40 take two warps; bounds known only at
// run time take whole blocks; an inner loop runs inside its outer loop's
// thread and gets no block of its own.
// CHECK-LABEL: func.func @blocks
//       CHECK:   scf.parallel
//       CHECK:   } {nnc.cuda.block_size = 256 : i64}
//       CHECK:   scf.parallel
//       CHECK:   } {nnc.cuda.block_size = 64 : i64}
//       CHECK:   scf.parallel
//       CHECK:     scf.parallel
//  CHECK-NEXT:       scf.reduce
//  CHECK-NEXT:     }
//  CHECK-NEXT:     scf.reduce
//  CHECK-NEXT:   } {nnc.cuda.block_size = 256 : i64}
// SMALL-LABEL: func.func @blocks
//       SMALL:   } {nnc.cuda.block_size = 128 : i64}
//       SMALL:   } {nnc.cuda.block_size = 64 : i64}
//       SMALL:   } {nnc.cuda.block_size = 128 : i64}
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

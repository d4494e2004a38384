// RUN: nnc-opt %s --split-input-file --nnc-cuda-map-to-grid | FileCheck %s

// One thread per iteration: thread t of the 1-D grid runs the iteration of
// row-major index t (the last loop dimension varies fastest), guarded
// against the rounded-up grid.
//       CHECK: module attributes {gpu.container_module, nnc.device = "cuda"}
// CHECK-LABEL: func.func @main(%arg0: memref<3x100xf32>, %arg1: memref<3x100xf32>, %arg2: !llvm.ptr)
//       CHECK:   %[[B:.*]] = arith.constant 128 : index
//       CHECK:   %[[GRID:.*]] = arith.maxsi %{{.*}}, %{{.*}} : index
//       CHECK:   gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[GRID]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[B]],
//       CHECK:     %[[T0:.*]] = arith.muli %[[BX]], %[[B]]
//       CHECK:     %[[T:.*]] = arith.addi %[[T0]], %[[TX]]
//       CHECK:     %[[IN:.*]] = arith.cmpi ult, %[[T]], %{{.*}}
//       CHECK:     scf.if %[[IN]] {
//       CHECK:       %[[J:.*]] = arith.remui %[[T]], %{{.*}}
//       CHECK:       %[[R:.*]] = arith.divui %[[T]], %{{.*}}
//       CHECK:       %[[I:.*]] = arith.remui %[[R]], %{{.*}}
//       CHECK:       memref.load %arg0[%{{.*}}, %{{.*}}]
//       CHECK:       math.exp
//       CHECK:       memref.store
//       CHECK:     gpu.terminator
//   CHECK-NOT:   scf.parallel
module {
  func.func @main(%x: memref<3x100xf32>, %y: memref<3x100xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c100 = arith.constant 100 : index
    scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c100) step (%c1, %c1) {
      %v = memref.load %x[%i, %j] : memref<3x100xf32>
      %e = math.exp %v : f32
      memref.store %e, %y[%i, %j] : memref<3x100xf32>
      scf.reduce
    } {nnc.cuda.block_size = 128 : i64}
    return
  }
}

// -----

// Work outside loops (a rank-0 result: load, arithmetic, store) runs on one
// thread, with the ops that use what it loads; copies and allocations become
// device copies and allocations on the run's stream.
// CHECK-LABEL: func.func @main(%arg0: memref<f32>
//       CHECK:   %[[ONE:.*]] = arith.constant 1 : index
//       CHECK:   gpu.launch blocks({{.*}}) in ({{.*}} = %[[ONE]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[ONE]],
//  CHECK-NEXT:     memref.load
//  CHECK-NEXT:     arith.mulf
//  CHECK-NEXT:     memref.store
//  CHECK-NEXT:     gpu.terminator
//       CHECK:   %[[S0:.*]] = gpu.wait async
//       CHECK:   %[[M:.*]], %[[T0:.*]] = gpu.alloc async [%[[S0]]] () : memref<4xf32>
//       CHECK:   gpu.wait [%[[T0]]]
//       CHECK:   %[[S1:.*]] = gpu.wait async
//       CHECK:   %[[T1:.*]] = gpu.memcpy async [%[[S1]]] %[[M]], %arg1
//       CHECK:   gpu.wait [%[[T1]]]
//       CHECK:   gpu.dealloc async
//   CHECK-NOT:   memref.alloc
//   CHECK-NOT:   memref.copy
module {
  func.func @main(%x: memref<f32>, %v: memref<4xf32>, %y: memref<f32>) {
    %a = memref.load %x[] : memref<f32>
    %b = arith.mulf %a, %a : f32
    memref.store %b, %y[] : memref<f32>
    %m = memref.alloc() : memref<4xf32>
    memref.copy %v, %m : memref<4xf32> to memref<4xf32>
    memref.dealloc %m : memref<4xf32>
    return
  }
}

// -----

// A host loop around device loops (a recurrent layer's time steps) stays on
// the host; the loops inside become launches.
// CHECK-LABEL: func.func @main(%arg0: memref<8xf32>
//       CHECK:   scf.for
//       CHECK:     gpu.launch
//       CHECK:       memref.store
//       CHECK:       gpu.terminator
//       CHECK:   return
module {
  func.func @main(%y: memref<8xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %f = arith.constant 1.0 : f32
    scf.for %t = %c0 to %c8 step %c1 {
      scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
        memref.store %f, %y[%i] : memref<8xf32>
        scf.reduce
      }
    }
    return
  }
}

// -----

// A warp per point: lane l sums steps l, l + 32, ... of the reduction from
// zero, butterfly shuffles add the lanes' sums, the initial value is added,
// and lane 0 alone stores.
// CHECK-LABEL: func.func @main(%arg0: memref<10x512xf32>
//       CHECK:   gpu.launch
//       CHECK:     %[[T:.*]] = arith.addi
//       CHECK:     %[[POINT:.*]] = arith.divui %[[T]], %[[L:.*]] : index
//       CHECK:     %[[LANE:.*]] = arith.remui %[[T]], %[[L]] : index
//       CHECK:     scf.if
//       CHECK:       %[[INIT:.*]] = memref.load %arg1
//       CHECK:       %[[LB:.*]] = arith.muli %[[LANE]], %{{.*}} : index
//       CHECK:       %[[FIRST:.*]] = arith.addi %{{.*}}, %[[LB]] : index
//       CHECK:       %[[STEP:.*]] = arith.muli %{{.*}}, %{{.*}} : index
//       CHECK:       %[[PART:.*]] = scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step %[[STEP]] iter_args(%{{.*}} = %cst{{.*}}) -> (f32)
//       CHECK:       %[[S16:.*]], %{{.*}} = gpu.shuffle xor %[[PART]], %c16_i32, %c32_i32{{.*}} : f32
//       CHECK:       %[[A16:.*]] = arith.addf %[[PART]], %[[S16]]
//       CHECK:       gpu.shuffle xor %[[A16]], %c8_i32, %c32_i32{{.*}} : f32
//       CHECK:       gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32{{.*}} : f32
//       CHECK:       gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32{{.*}} : f32
//       CHECK:       %[[S1:.*]], %{{.*}} = gpu.shuffle xor %[[A2:.*]], %c1_i32, %c32_i32{{.*}} : f32
//       CHECK:       %[[ALL:.*]] = arith.addf %[[A2]], %[[S1]]
//       CHECK:       %[[SUM:.*]] = arith.addf %[[INIT]], %[[ALL]]
//       CHECK:       %[[ZERO:.*]] = arith.cmpi eq, %[[LANE]], %{{.*}} : index
//       CHECK:       scf.if %[[ZERO]] {
//       CHECK:         memref.store %[[SUM]], %arg1
module {
  func.func @main(%x: memref<10x512xf32>, %y: memref<10xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c10 = arith.constant 10 : index
    %c512 = arith.constant 512 : index
    scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
      %init = memref.load %y[%i] : memref<10xf32>
      %s = scf.for %k = %c0 to %c512 step %c1 iter_args(%acc = %init) -> (f32) {
        %v = memref.load %x[%i, %k] : memref<10x512xf32>
        %n = arith.addf %acc, %v : f32
        scf.yield %n : f32
      }
      memref.store %s, %y[%i] : memref<10xf32>
      scf.reduce
    } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 32 : i64}
    return
  }
}

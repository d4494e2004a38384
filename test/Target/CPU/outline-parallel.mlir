// RUN: nnc-opt %s --split-input-file --allow-unregistered-dialect --nnc-cpu-outline-parallel | FileCheck %s

// A chunk loop becomes a call of a task over its chunk count; the task runs
// chunks [begin, end), recomputes the induction variable from lb and step,
// clones the constants and takes the other captured values as arguments.
// @main gets the runtime env as a trailing pointer.
// CHECK-LABEL: module attributes {nnc.parallel_tasks = 1 : i64}
// CHECK:       func.func @main(%[[IN:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<64xf32>, %{{.*}}: !llvm.ptr)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[SPAN:.*]] = arith.subi %[[C64]], %[[C0]]
// CHECK:         %[[COUNT:.*]] = arith.ceildivui %[[SPAN]], %[[C16]]
// CHECK:         call @__nnc_parallel_0(%{{.*}}, %[[COUNT]], %[[C0]], %[[C16]], %[[IN]], %[[OUT]])
// CHECK-NOT:     scf.for
// CHECK:       func.func private @__nnc_parallel_0(%[[BEGIN:.*]]: index, %[[END:.*]]: index, %[[LB:.*]]: index, %[[STEP:.*]]: index, %[[A:.*]]: memref<64xf32>, %[[B:.*]]: memref<64xf32>)
// CHECK:         %[[TWO:.*]] = arith.constant 2.0
// CHECK:         scf.for %[[I:.*]] = %[[BEGIN]] to %[[END]] step %{{.*}} {
// CHECK:           %[[OFFSET:.*]] = arith.muli %[[I]], %[[STEP]]
// CHECK:           %[[IV:.*]] = arith.addi %[[LB]], %[[OFFSET]]
// CHECK:           memref.subview %[[A]][%[[IV]]] [16] [1]
// CHECK:           memref.subview %[[B]][%[[IV]]] [16] [1]
// CHECK:           "test.scale"(%{{.*}}, %{{.*}}, %[[TWO]])
module {
  func.func @main(%in: memref<64xf32>, %out: memref<64xf32>) {
    %c0 = arith.constant 0 : index
    %c16 = arith.constant 16 : index
    %c64 = arith.constant 64 : index
    %two = arith.constant 2.0 : f32
    scf.for %i = %c0 to %c64 step %c16 {
      %a = memref.subview %in[%i] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1], offset: ?>>
      %b = memref.subview %out[%i] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1], offset: ?>>
      "test.scale"(%a, %b, %two) : (memref<16xf32, strided<[1], offset: ?>>, memref<16xf32, strided<[1], offset: ?>>, f32) -> ()
    } {nnc.parallel}
    return
  }
}

// -----

// Without marked loops nothing changes; a marked loop carrying values stays
// serial (its mark is dropped), as does one nested in an outer marked loop.
// CHECK-LABEL: module {
// CHECK:       func.func @main(%{{.*}}: index) -> index
// CHECK-NOT:     nnc.parallel
// CHECK-NOT:     call
module {
  func.func @main(%n: index) -> index {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> index {
      %next = arith.addi %acc, %i : index
      scf.yield %next : index
    } {nnc.parallel}
    return %sum : index
  }
}

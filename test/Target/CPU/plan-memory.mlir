// RUN: nnc-opt %s --split-input-file --allow-unregistered-dialect --nnc-cpu-plan-memory | FileCheck %s

// A chain a -> b -> c: a is dead once b is written, so c reuses a's bytes;
// b overlaps both and goes after the larger one. Sizes are 64-byte aligned.
// CHECK-LABEL: module attributes {nnc.workspace_size = 448 : i64}
// CHECK:       func.func @main(%[[X:.*]]: memref<16xf32>, %[[Y:.*]]: memref<16xf32>, %[[WS:.*]]: memref<448xi8>)
// CHECK:         memref.view %[[WS]][%c0{{(_[0-9]+)?}}][] : memref<448xi8> to memref<64xf32>
// CHECK:         memref.view %[[WS]][%c256{{(_[0-9]+)?}}][] : memref<448xi8> to memref<48xf32>
// CHECK:         memref.view %[[WS]][%c0{{(_[0-9]+)?}}][] : memref<448xi8> to memref<16xf32>
// CHECK-NOT:     memref.alloc
module {
  func.func @main(%x: memref<16xf32>, %y: memref<16xf32>) {
    %a = memref.alloc() : memref<64xf32>
    "test.use"(%x, %a) : (memref<16xf32>, memref<64xf32>) -> ()
    %b = memref.alloc() : memref<48xf32>
    "test.use"(%a, %b) : (memref<64xf32>, memref<48xf32>) -> ()
    %c = memref.alloc() : memref<16xf32>
    "test.use"(%b, %c) : (memref<48xf32>, memref<16xf32>) -> ()
    memref.copy %c, %y : memref<16xf32> to memref<16xf32>
    return
  }
}

// -----

// A use through a view, nested in a loop, keeps the buffer live to the end of
// the loop: the second buffer may not share its bytes.
// CHECK-LABEL: module attributes {nnc.workspace_size = 128 : i64}
// CHECK:         memref.view %{{.*}}[%c0{{(_[0-9]+)?}}][] : memref<128xi8> to memref<4x4xf32>
// CHECK:         memref.view %{{.*}}[%c64{{(_[0-9]+)?}}][] : memref<128xi8> to memref<4xf32>
module {
  func.func @main(%y: memref<4xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %a = memref.alloc() : memref<4x4xf32>
    %b = memref.alloc() : memref<4xf32>
    scf.for %i = %c0 to %c4 step %c1 {
      %row = memref.subview %a[%i, 0] [1, 4] [1, 1] : memref<4x4xf32> to memref<4xf32, strided<[1], offset: ?>>
      "test.use"(%row, %b) : (memref<4xf32, strided<[1], offset: ?>>, memref<4xf32>) -> ()
    }
    memref.copy %b, %y : memref<4xf32> to memref<4xf32>
    return
  }
}

// -----

// Buffers of the body of a loop at the top of @main live within one
// iteration: %p is dead before %q is allocated, so they share bytes; %outer
// is used by the loop and outlives it, so it overlaps both.
// CHECK-LABEL: module attributes {nnc.workspace_size = 192 : i64}
// CHECK:         memref.view %{{.*}}[%c128{{(_[0-9]+)?}}][] : memref<192xi8> to memref<16xf32>
// CHECK:         scf.for
// CHECK:           memref.view %{{.*}}[%c0{{(_[0-9]+)?}}][] : memref<192xi8> to memref<32xf32>
// CHECK:           memref.view %{{.*}}[%c0{{(_[0-9]+)?}}][] : memref<192xi8> to memref<32xf32>
// CHECK-NOT:     memref.alloc
module {
  func.func @main(%y: memref<16xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %outer = memref.alloc() : memref<16xf32>
    scf.for %i = %c0 to %c4 step %c1 {
      %p = memref.alloc() : memref<32xf32>
      "test.use"(%outer, %p) : (memref<16xf32>, memref<32xf32>) -> ()
      %q = memref.alloc() : memref<32xf32>
      "test.use"(%q) : (memref<32xf32>) -> ()
    }
    memref.copy %outer, %y : memref<16xf32> to memref<16xf32>
    return
  }
}

// -----

// Buffers the pass cannot follow stay allocations: a dynamic shape, one
// allocated in a nested loop, one in a chunk loop whose chunks run at the
// same time, one carried out of a loop, one returned, one passed to a call. With nothing planned @main keeps its signature.
// CHECK-LABEL: module {
// CHECK:       func.func @main(%{{.*}}: index) -> memref<8xf32>
// CHECK-COUNT-6: memref.alloc
// CHECK-NOT:     memref.view
module {
  func.func private @consume(memref<8xf32>)
  func.func @main(%n: index) -> memref<8xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %dynamic = memref.alloc(%n) : memref<?xf32>
    "test.use"(%dynamic) : (memref<?xf32>) -> ()
    scf.for %i = %c0 to %n step %c1 {
      scf.for %j = %c0 to %n step %c1 {
        %inner = memref.alloc() : memref<8xf32>
        "test.use"(%inner) : (memref<8xf32>) -> ()
      }
    }
    scf.for %i = %c0 to %n step %c1 {
      %chunk = memref.alloc() : memref<8xf32>
      "test.use"(%chunk) : (memref<8xf32>) -> ()
    } {nnc.parallel}
    %carried = memref.alloc() : memref<8xf32>
    %out = scf.for %i = %c0 to %n step %c1 iter_args(%it = %carried) -> memref<8xf32> {
      scf.yield %it : memref<8xf32>
    }
    "test.use"(%out) : (memref<8xf32>) -> ()
    %called = memref.alloc() : memref<8xf32>
    func.call @consume(%called) : (memref<8xf32>) -> ()
    %returned = memref.alloc() : memref<8xf32>
    return %returned : memref<8xf32>
  }
}

// -----

// Parts copied whole into disjoint contiguous slices of one buffer, and dead
// after the copy, live in those slices: the copies go. %p1 is written while
// %whole's first slice is (through a subview); %late is copied into the
// second slice too, but the second slice is read in between, so it keeps its
// own bytes and its copy; %skew is copied into a slice that does not start
// on a 64-byte line.
// CHECK-LABEL: module attributes {nnc.workspace_size = 704 : i64}
// CHECK:         %[[WHOLE:.*]] = memref.view %[[WS:.*]][%c0{{(_[0-9]+)?}}][] : memref<704xi8> to memref<4x32xf32>
// CHECK:         %[[P1:.*]] = memref.view %[[WS]][%c128{{(_[0-9]+)?}}][] : memref<704xi8> to memref<32xf32>
// CHECK:         %[[LATE:.*]] = memref.view %[[WS]][%c512{{(_[0-9]+)?}}][] : memref<704xi8> to memref<32xf32>
// CHECK:         %[[SKEW:.*]] = memref.view %[[WS]][%c640{{(_[0-9]+)?}}][] : memref<704xi8> to memref<16xf32>
// CHECK:         "test.use"(%{{.*}}, %[[P1]])
// CHECK-NOT:     memref.copy %[[P1]]
// CHECK:         "test.read"
// CHECK:         memref.copy %[[LATE]]
// CHECK:         memref.copy %[[SKEW]]
module {
  func.func @main(%y: memref<4x32xf32>) {
    %whole = memref.alloc() : memref<4x32xf32>
    %p1 = memref.alloc() : memref<32xf32>
    %late = memref.alloc() : memref<32xf32>
    %skew = memref.alloc() : memref<16xf32>
    %s0 = memref.subview %whole[0, 0] [1, 32] [1, 1] : memref<4x32xf32> to memref<32xf32, strided<[1]>>
    "test.use"(%s0, %p1) : (memref<32xf32, strided<[1]>>, memref<32xf32>) -> ()
    %s1 = memref.subview %whole[1, 0] [1, 32] [1, 1] : memref<4x32xf32> to memref<32xf32, strided<[1], offset: 32>>
    memref.copy %p1, %s1 : memref<32xf32> to memref<32xf32, strided<[1], offset: 32>>
    "test.use"(%late) : (memref<32xf32>) -> ()
    %s2 = memref.subview %whole[2, 0] [1, 32] [1, 1] : memref<4x32xf32> to memref<32xf32, strided<[1], offset: 64>>
    "test.read"(%s2) : (memref<32xf32, strided<[1], offset: 64>>) -> ()
    %s2b = memref.subview %whole[2, 0] [1, 32] [1, 1] : memref<4x32xf32> to memref<32xf32, strided<[1], offset: 64>>
    memref.copy %late, %s2b : memref<32xf32> to memref<32xf32, strided<[1], offset: 64>>
    "test.use"(%skew) : (memref<16xf32>) -> ()
    %s3 = memref.subview %whole[3, 4] [1, 16] [1, 1] : memref<4x32xf32> to memref<16xf32, strided<[1], offset: 100>>
    memref.copy %skew, %s3 : memref<16xf32> to memref<16xf32, strided<[1], offset: 100>>
    memref.copy %whole, %y : memref<4x32xf32> to memref<4x32xf32>
    return
  }
}

// -----

// Two parts copied into the same slice while both are live: %b, copied
// first, gets the slice; %a, live across %b's whole life, may not share
// its bytes, so it keeps its own and its copy.
// CHECK-LABEL: module attributes {nnc.workspace_size = 192 : i64}
// CHECK:         %[[WHOLE:.*]] = memref.view %[[WS:.*]][%c0{{(_[0-9]+)?}}][] : memref<192xi8> to memref<2x16xf32>
// CHECK:         %[[A:.*]] = memref.view %[[WS]][%c128{{(_[0-9]+)?}}][] : memref<192xi8> to memref<16xf32>
// CHECK:         %[[B:.*]] = memref.view %[[WS]][%c64{{(_[0-9]+)?}}][] : memref<192xi8> to memref<16xf32>
// CHECK-NOT:     memref.copy %[[B]]
// CHECK:         memref.copy %[[A]]
module {
  func.func @main(%y: memref<2x16xf32>) {
    %whole = memref.alloc() : memref<2x16xf32>
    %a = memref.alloc() : memref<16xf32>
    "test.use"(%a) : (memref<16xf32>) -> ()
    %b = memref.alloc() : memref<16xf32>
    "test.use"(%b) : (memref<16xf32>) -> ()
    %s1 = memref.subview %whole[1, 0] [1, 16] [1, 1] : memref<2x16xf32> to memref<16xf32, strided<[1], offset: 16>>
    memref.copy %b, %s1 : memref<16xf32> to memref<16xf32, strided<[1], offset: 16>>
    "test.use"(%a) : (memref<16xf32>) -> ()
    %s1a = memref.subview %whole[1, 0] [1, 16] [1, 1] : memref<2x16xf32> to memref<16xf32, strided<[1], offset: 16>>
    memref.copy %a, %s1a : memref<16xf32> to memref<16xf32, strided<[1], offset: 16>>
    memref.copy %whole, %y : memref<2x16xf32> to memref<2x16xf32>
    return
  }
}

// RUN: nnc-opt %s --split-input-file --nnc-cpu-fuse-fills | FileCheck %s

// The border of a padded 4-channel 4x4 image: its top and bottom rows and
// the seams (the right column of one row with the left column of the next)
// are filled by the chunks of the loop that writes the interior two
// channels at a time, each its own two channels' border.
// CHECK-LABEL: func.func @into_producer
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %[[TOP:.*]] = memref.subview %{{.*}}[0, %[[C]], 0, 0] [1, 2, 1, 6] [1, 1, 1, 1] : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]] :
// CHECK-NEXT:      %[[BOTTOM:.*]] = memref.subview %{{.*}}[0, %[[C]], 0, 0] [1, 2, 1, 6] [1, 1, 1, 1] : memref<1x4x1x6xf32, strided<[144, 36, 6, 1], offset: 30>>
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[BOTTOM]] :
// CHECK-NEXT:      %[[SEAMS:.*]] = memref.subview %{{.*}}[0, %[[C]], 0, 0] [1, 2, 5, 2] [1, 1, 1, 1] : memref<1x4x5x2xf32, strided<[144, 36, 6, 1], offset: 5>>
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[SEAMS]] :
// CHECK-NEXT:      memref.subview
// CHECK-NEXT:      memref.subview
// CHECK-NEXT:      memref.copy
// CHECK:         } {nnc.parallel}
func.func @into_producer(%x: memref<1x4x4x4xf32>) -> memref<1x4x6x6xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  %bottom = memref.subview %p[0, 0, 5, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1], offset: 30>>
  linalg.fill ins(%zero : f32) outs(%bottom : memref<1x4x1x6xf32, strided<[144, 36, 6, 1], offset: 30>>)
  %flat = memref.collapse_shape %p [[0], [1], [2, 3]] : memref<1x4x6x6xf32> into memref<1x4x36xf32>
  %shifted = memref.subview %flat[0, 0, 5] [1, 4, 30] [1, 1, 1] : memref<1x4x36xf32> to memref<1x4x30xf32, strided<[144, 36, 1], offset: 5>>
  %grid = memref.expand_shape %shifted [[0], [1], [2, 3]] output_shape [1, 4, 5, 6] : memref<1x4x30xf32, strided<[144, 36, 1], offset: 5>> into memref<1x4x5x6xf32, strided<[144, 36, 6, 1], offset: 5>>
  %seams = memref.subview %grid[0, 0, 0, 0] [1, 4, 5, 2] [1, 1, 1, 1] : memref<1x4x5x6xf32, strided<[144, 36, 6, 1], offset: 5>> to memref<1x4x5x2xf32, strided<[144, 36, 6, 1], offset: 5>>
  linalg.fill ins(%zero : f32) outs(%seams : memref<1x4x5x2xf32, strided<[144, 36, 6, 1], offset: 5>>)
  %interior = memref.subview %p[0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>>
  scf.for %c = %c0 to %c4 step %c2 {
    %in = memref.subview %x[0, %c, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32> to memref<1x2x4x4xf32, strided<[64, 16, 4, 1], offset: ?>>
    %out = memref.subview %interior[0, %c, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>> to memref<1x2x4x4xf32, strided<[144, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x2x4x4xf32, strided<[64, 16, 4, 1], offset: ?>> to memref<1x2x4x4xf32, strided<[144, 36, 6, 1], offset: ?>>
  } {nnc.parallel}
  return %p : memref<1x4x6x6xf32>
}

// -----

// The interior is written a row of all channels at a time, so the seams
// stay put until that loop is done; its rows miss the seams (they are apart
// modulo the row length), and the consumer's chunks, two channels each,
// fill them.
// CHECK-LABEL: func.func @past_row_loop
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[R:.*]] =
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
// CHECK:         scf.for %[[C:.*]] =
// CHECK-NEXT:      %[[SEAMS:.*]] = memref.subview %{{.*}}[0, %[[C]], 0, 0] [1, 2, 5, 2]
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[SEAMS]] :
// CHECK:         } {nnc.parallel}
func.func @past_row_loop(%x: memref<1x4x4x4xf32>, %y: memref<1x4x6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %flat = memref.collapse_shape %p [[0], [1], [2, 3]] : memref<1x4x6x6xf32> into memref<1x4x36xf32>
  %shifted = memref.subview %flat[0, 0, 5] [1, 4, 30] [1, 1, 1] : memref<1x4x36xf32> to memref<1x4x30xf32, strided<[144, 36, 1], offset: 5>>
  %grid = memref.expand_shape %shifted [[0], [1], [2, 3]] output_shape [1, 4, 5, 6] : memref<1x4x30xf32, strided<[144, 36, 1], offset: 5>> into memref<1x4x5x6xf32, strided<[144, 36, 6, 1], offset: 5>>
  %seams = memref.subview %grid[0, 0, 0, 0] [1, 4, 5, 2] [1, 1, 1, 1] : memref<1x4x5x6xf32, strided<[144, 36, 6, 1], offset: 5>> to memref<1x4x5x2xf32, strided<[144, 36, 6, 1], offset: 5>>
  linalg.fill ins(%zero : f32) outs(%seams : memref<1x4x5x2xf32, strided<[144, 36, 6, 1], offset: 5>>)
  %interior = memref.subview %p[0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>>
  scf.for %r = %c0 to %c4 step %c1 {
    %in = memref.subview %x[0, 0, %r, 0] [1, 4, 1, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32> to memref<1x4x1x4xf32, strided<[64, 16, 4, 1], offset: ?>>
    %out = memref.subview %interior[0, 0, %r, 0] [1, 4, 1, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>> to memref<1x4x1x4xf32, strided<[144, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x4x1x4xf32, strided<[64, 16, 4, 1], offset: ?>> to memref<1x4x1x4xf32, strided<[144, 36, 6, 1], offset: ?>>
  } {nnc.parallel}
  scf.for %c = %c0 to %c4 step %c2 {
    %in = memref.subview %p[0, %c, 0, 0] [1, 2, 6, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
    %out = memref.subview %y[0, %c, 0, 0] [1, 2, 6, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
  } {nnc.parallel}
  return
}

// -----

// Fills that stay: the border is read whole before the loop (@read_before);
// a chunk reads other chunks' channels (@shared_planes); the chunks are
// uneven (@uneven_chunks); the loop is not parallel (@serial_loop).
// CHECK-LABEL: func.func @read_before
// CHECK:         linalg.fill
// CHECK:         memref.copy
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
func.func @read_before(%x: memref<1x4x4x4xf32>, %y: memref<1x4x6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  memref.copy %p, %y : memref<1x4x6x6xf32> to memref<1x4x6x6xf32>
  %interior = memref.subview %p[0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>>
  scf.for %c = %c0 to %c4 step %c2 {
    %in = memref.subview %x[0, %c, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32> to memref<1x2x4x4xf32, strided<[64, 16, 4, 1], offset: ?>>
    %out = memref.subview %interior[0, %c, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>> to memref<1x2x4x4xf32, strided<[144, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x2x4x4xf32, strided<[64, 16, 4, 1], offset: ?>> to memref<1x2x4x4xf32, strided<[144, 36, 6, 1], offset: ?>>
  } {nnc.parallel}
  return
}

// CHECK-LABEL: func.func @shared_planes
// CHECK:         linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
func.func @shared_planes(%y: memref<1x4x4x6xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  scf.for %c = %c0 to %c4 step %c2 {
    %in = memref.subview %p[0, 0, %c, 0] [1, 4, 2, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x2x6xf32, strided<[144, 36, 6, 1], offset: ?>>
    %out = memref.subview %y[0, 0, %c, 0] [1, 4, 2, 6] [1, 1, 1, 1] : memref<1x4x4x6xf32> to memref<1x4x2x6xf32, strided<[96, 24, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x4x2x6xf32, strided<[144, 36, 6, 1], offset: ?>> to memref<1x4x2x6xf32, strided<[96, 24, 6, 1], offset: ?>>
  } {nnc.parallel}
  return
}

// CHECK-LABEL: func.func @uneven_chunks
// CHECK:         linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
func.func @uneven_chunks(%y: memref<1x6x6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x6x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 6, 1, 6] [1, 1, 1, 1] : memref<1x6x6x6xf32> to memref<1x6x1x6xf32, strided<[216, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x6x1x6xf32, strided<[216, 36, 6, 1]>>)
  scf.for %c = %c0 to %c6 step %c4 {
    %in = memref.subview %p[0, %c, 0, 0] [1, 4, 6, 6] [1, 1, 1, 1] : memref<1x6x6x6xf32> to memref<1x4x6x6xf32, strided<[216, 36, 6, 1], offset: ?>>
    %out = memref.subview %y[0, %c, 0, 0] [1, 4, 6, 6] [1, 1, 1, 1] : memref<1x6x6x6xf32> to memref<1x4x6x6xf32, strided<[216, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x4x6x6xf32, strided<[216, 36, 6, 1], offset: ?>> to memref<1x4x6x6xf32, strided<[216, 36, 6, 1], offset: ?>>
  } {nnc.parallel}
  return
}

// CHECK-LABEL: func.func @serial_loop
// CHECK:         linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         return
func.func @serial_loop(%y: memref<1x4x6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  scf.for %c = %c0 to %c4 step %c2 {
    %in = memref.subview %p[0, %c, 0, 0] [1, 2, 6, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
    %out = memref.subview %y[0, %c, 0, 0] [1, 2, 6, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
    memref.copy %in, %out : memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>> to memref<1x2x6x6xf32, strided<[144, 36, 6, 1], offset: ?>>
  }
  return
}

// -----

// A chunk may also load from the whole padded buffer, at a channel that is
// its first plus an inner loop's index below the chunk size (a vector read
// that runs past its slice's last column, as a strided convolution's does).
// CHECK-LABEL: func.func @direct_reads
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[C:.*]] =
// CHECK-NEXT:      %[[TOP:.*]] = memref.subview %{{.*}}[0, %[[C]], 0, 0] [1, 2, 1, 6]
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]] :
// CHECK:         } {nnc.parallel}
// CHECK-LABEL: func.func @reads_other_chunks
// CHECK:         linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
func.func @direct_reads(%y: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  scf.for %c = %c0 to %c4 step %c2 {
    scf.for %j = %c0 to %c2 step %c1 {
      %channel = arith.addi %j, %c : index
      %v = vector.transfer_read %p[%c0, %channel, %c0, %c4], %zero : memref<1x4x6x6xf32>, vector<4xf32>
      vector.transfer_write %v, %y[%channel, %c0] : vector<4xf32>, memref<4x4xf32>
    }
  } {nnc.parallel}
  return
}

func.func @reads_other_chunks(%y: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  scf.for %c = %c0 to %c4 step %c2 {
    scf.for %j = %c0 to %c4 step %c1 {
      %channel = arith.addi %j, %c : index
      %v = vector.transfer_read %p[%c0, %j, %c0, %c0], %zero : memref<1x4x6x6xf32>, vector<4xf32>
      vector.transfer_write %v, %y[%j, %c0] : vector<4xf32>, memref<4x4xf32>
    }
  } {nnc.parallel}
  return
}

// -----

// A vector that runs along the channels reaches into the next chunk's.
// CHECK-LABEL: func.func @vector_across_chunks
// CHECK:         linalg.fill
// CHECK:         scf.for
// CHECK-NOT:       linalg.fill
// CHECK:         } {nnc.parallel}
func.func @vector_across_chunks(%y: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 4, 1, 6] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x4x1x6xf32, strided<[144, 36, 6, 1]>>)
  scf.for %c = %c0 to %c4 step %c2 {
    %v = vector.transfer_read %p[%c0, %c, %c0, %c0], %zero {permutation_map = affine_map<(d0, d1, d2, d3) -> (d1)>} : memref<1x4x6x6xf32>, vector<4xf32>
    vector.transfer_write %v, %y[%c, %c0] : vector<4xf32>, memref<4x4xf32>
  } {nnc.parallel}
  return
}

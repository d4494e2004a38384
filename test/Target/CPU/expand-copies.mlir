// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-expand-copies))' | FileCheck %s

// A copy into a strided view becomes linalg.copy (loops), not a runtime call.
// CHECK-LABEL: func.func @strided
//       CHECK:   linalg.copy
//   CHECK-NOT:   memref.copy
func.func @strided(%src: memref<2x2xf32>, %dst: memref<4x4xf32>) {
  %view = memref.subview %dst[1, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  memref.copy %src, %view : memref<2x2xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  return
}

// -----

// Identity layouts stay memref.copy, which becomes memcpy.
// CHECK-LABEL: func.func @dense
//       CHECK:   memref.copy
//   CHECK-NOT:   linalg.copy
func.func @dense(%src: memref<8xf32>, %dst: memref<8xf32>) {
  memref.copy %src, %dst : memref<8xf32> to memref<8xf32>
  return
}

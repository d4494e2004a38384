// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-split-masked-stores))' | FileCheck %s

// Seven of eight lanes: whole pieces of 4, 2 and 1 lanes at offsets 0, 4, 6.
// CHECK-LABEL: func.func @seven_lanes
//  CHECK-SAME:   (%[[V:.*]]: vector<8xf32>, %[[T:.*]]: tensor<15xf32>, %[[I:.*]]: index)
//   CHECK-DAG:   %[[C4:.*]] = arith.constant 4 : index
//   CHECK-DAG:   %[[C6:.*]] = arith.constant 6 : index
//       CHECK:   %[[P0:.*]] = vector.extract_strided_slice %[[V]] {offsets = [0], sizes = [4], strides = [1]}
//       CHECK:   %[[W0:.*]] = vector.transfer_write %[[P0]], %[[T]][%[[I]]] {in_bounds = [true]} : vector<4xf32>, tensor<15xf32>
//       CHECK:   %[[P1:.*]] = vector.extract_strided_slice %[[V]] {offsets = [4], sizes = [2], strides = [1]}
//       CHECK:   %[[I1:.*]] = arith.addi %[[I]], %[[C4]]
//       CHECK:   %[[W1:.*]] = vector.transfer_write %[[P1]], %[[W0]][%[[I1]]] {in_bounds = [true]} : vector<2xf32>
//       CHECK:   %[[P2:.*]] = vector.extract_strided_slice %[[V]] {offsets = [6], sizes = [1], strides = [1]}
//       CHECK:   %[[I2:.*]] = arith.addi %[[I]], %[[C6]]
//       CHECK:   %[[W2:.*]] = vector.transfer_write %[[P2]], %[[W1]][%[[I2]]] {in_bounds = [true]} : vector<1xf32>
//       CHECK:   return %[[W2]]
func.func @seven_lanes(%v: vector<8xf32>, %t: tensor<15xf32>, %i: index) -> tensor<15xf32> {
  %m = vector.constant_mask [7] : vector<8xi1>
  %r = vector.transfer_write %v, %t[%i], %m {in_bounds = [true]} : vector<8xf32>, tensor<15xf32>
  return %r : tensor<15xf32>
}

// -----

// A mask made from a constant size (as vectorization makes it), along the
// middle dim of a buffer: that dim's index moves.
// CHECK-LABEL: func.func @created_mask_on_memref
//       CHECK:   %[[C2:.*]] = arith.constant 2 : index
//       CHECK:   vector.transfer_write %{{.*}}, %[[B:.*]][%{{.*}}, %[[J:.*]], %{{.*}}] {in_bounds = [true], permutation_map = #{{.*}}} : vector<2xf32>, memref<4x9x3xf32>
//       CHECK:   %[[J1:.*]] = arith.addi %[[J]], %[[C2]]
//       CHECK:   vector.transfer_write %{{.*}}, %[[B]][%{{.*}}, %[[J1]], %{{.*}}] {in_bounds = [true], permutation_map = #{{.*}}} : vector<1xf32>, memref<4x9x3xf32>
//   CHECK-NOT:   vector.transfer_write
func.func @created_mask_on_memref(%v: vector<8xf32>, %b: memref<4x9x3xf32>, %i: index, %j: index, %k: index) {
  %c3 = arith.constant 3 : index
  %m = vector.create_mask %c3 : vector<8xi1>
  vector.transfer_write %v, %b[%i, %j, %k], %m {in_bounds = [true], permutation_map = affine_map<(d0, d1, d2) -> (d1)>} : vector<8xf32>, memref<4x9x3xf32>
  return
}

// -----

// All lanes: one unmasked write. No lane: no write.
// CHECK-LABEL: func.func @all_or_none
//       CHECK:   %[[W:.*]] = vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}] {in_bounds = [true]} : vector<8xf32>, tensor<16xf32>
//   CHECK-NOT:   vector.transfer_write
//       CHECK:   return %[[W]]
func.func @all_or_none(%v: vector<8xf32>, %t: tensor<16xf32>, %i: index) -> tensor<16xf32> {
  %all = vector.constant_mask [8] : vector<8xi1>
  %none = vector.constant_mask [0] : vector<8xi1>
  %r = vector.transfer_write %v, %t[%i], %all {in_bounds = [true]} : vector<8xf32>, tensor<16xf32>
  %s = vector.transfer_write %v, %r[%i], %none {in_bounds = [true]} : vector<8xf32>, tensor<16xf32>
  return %s : tensor<16xf32>
}

// -----

// A mask whose size is known only at run time stays.
// CHECK-LABEL: func.func @run_time_mask
//       CHECK:   %[[M:.*]] = vector.create_mask
//       CHECK:   vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}], %[[M]]
func.func @run_time_mask(%v: vector<8xf32>, %t: tensor<16xf32>, %i: index, %n: index) -> tensor<16xf32> {
  %m = vector.create_mask %n : vector<8xi1>
  %r = vector.transfer_write %v, %t[%i], %m {in_bounds = [true]} : vector<8xf32>, tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// Booleans: a vector of i1 is stored as packed bits, so its pieces would not
// land on the buffer's bytes; the masked store stays.
// CHECK-LABEL: func.func @booleans
//       CHECK:   %[[M:.*]] = vector.constant_mask [3]
//       CHECK:   vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}], %[[M]]
func.func @booleans(%v: vector<8xi1>, %t: tensor<16xi1>, %i: index) -> tensor<16xi1> {
  %m = vector.constant_mask [3] : vector<8xi1>
  %r = vector.transfer_write %v, %t[%i], %m {in_bounds = [true]} : vector<8xi1>, tensor<16xi1>
  return %r : tensor<16xi1>
}

// -----

// A vector that is not a power of two long: pieces of 8, 2 and 1 lanes.
// CHECK-LABEL: func.func @twelve_lanes
//       CHECK:   vector.transfer_write {{.*}} : vector<8xf32>, tensor<24xf32>
//       CHECK:   vector.transfer_write {{.*}} : vector<2xf32>, tensor<24xf32>
//       CHECK:   vector.transfer_write {{.*}} : vector<1xf32>, tensor<24xf32>
//   CHECK-NOT:   vector.transfer_write
func.func @twelve_lanes(%v: vector<12xf32>, %t: tensor<24xf32>, %i: index) -> tensor<24xf32> {
  %m = vector.constant_mask [11] : vector<12xi1>
  %r = vector.transfer_write %v, %t[%i], %m {in_bounds = [true]} : vector<12xf32>, tensor<24xf32>
  return %r : tensor<24xf32>
}

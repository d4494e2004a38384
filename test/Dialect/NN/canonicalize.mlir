// RUN: nnc-opt %s --split-input-file --canonicalize | FileCheck %s

// Adding a zero splat returns the other operand.
// CHECK-LABEL: func.func @add_zero
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x3xf32>)
//   CHECK-NOT:   nn.add
//       CHECK:   return %[[X]]
func.func @add_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %z = nn.constant dense<0.0> : tensor<3xf32>
  %0 = nn.add %x, %z : tensor<2x3xf32>, tensor<3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A zero that broadcasts the result to a bigger shape must stay.
// CHECK-LABEL: func.func @add_zero_broadcasting
//       CHECK:   nn.add
func.func @add_zero_broadcasting(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %z = nn.constant dense<0.0> : tensor<2x3xf32>
  %0 = nn.add %x, %z : tensor<3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// x * 1, x / 1 and x - 0 are x.
// CHECK-LABEL: func.func @mul_div_sub_identity
//  CHECK-SAME:   (%[[X:.+]]: tensor<4xi64>)
//   CHECK-NOT:   nn.mul
//   CHECK-NOT:   nn.div
//   CHECK-NOT:   nn.sub
//       CHECK:   return %[[X]]
func.func @mul_div_sub_identity(%x: tensor<4xi64>) -> tensor<4xi64> {
  %one = nn.constant dense<1> : tensor<i64>
  %zero = nn.constant dense<0> : tensor<i64>
  %0 = nn.mul %x, %one : tensor<4xi64>, tensor<i64>
  %1 = nn.div %0, %one : tensor<4xi64>, tensor<i64>
  %2 = nn.sub %1, %zero : tensor<4xi64>, tensor<i64>
  return %2 : tensor<4xi64>
}

// -----

// Integer arithmetic on constants folds (shape computations).
// CHECK-LABEL: func.func @fold_shape_arithmetic
//       CHECK:   %[[C:.+]] = nn.constant dense<[6, 8]> : tensor<2xi64>
//       CHECK:   return %[[C]]
func.func @fold_shape_arithmetic() -> tensor<2xi64> {
  %a = nn.constant dense<[1, 2]> : tensor<2xi64>
  %b = nn.constant dense<3> : tensor<i64>
  %two = nn.constant dense<2> : tensor<i64>
  %0 = nn.add %a, %b : tensor<2xi64>, tensor<i64>
  %1 = nn.mul %0, %two : tensor<2xi64>, tensor<i64>
  %2 = nn.neg %1 : tensor<2xi64>
  %3 = nn.neg %2 : tensor<2xi64>
  %4 = nn.sub %3, %two : tensor<2xi64>, tensor<i64>
  return %4 : tensor<2xi64>
}

// -----

// Reshape to the same type is the input; chains collapse; constants reshape.
// CHECK-LABEL: func.func @reshape
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x3xf32>)
//   CHECK-DAG:   %[[R:.+]] = nn.reshape %[[X]] : tensor<2x3xf32> -> tensor<6xf32>
//   CHECK-DAG:   %[[C:.+]] = nn.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
//       CHECK:   return %[[X]], %[[R]], %[[C]]
func.func @reshape(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<6xf32>, tensor<2x2xi64>) {
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = nn.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  %2 = nn.reshape %1 : tensor<3x2xf32> -> tensor<6xf32>
  %c = nn.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %3 = nn.reshape %c : tensor<4xi64> -> tensor<2x2xi64>
  return %0, %2, %3 : tensor<2x3xf32>, tensor<6xf32>, tensor<2x2xi64>
}

// -----

// Transposes compose; the identity permutation disappears.
// CHECK-LABEL: func.func @transpose
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x3x4xf32>)
//       CHECK:   %[[T:.+]] = nn.transpose %[[X]] {perm = array<i64: 2, 0, 1>}
//       CHECK:   return %[[X]], %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %0 = nn.transpose %x {perm = array<i64: 1, 0, 2>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %1 = nn.transpose %0 {perm = array<i64: 1, 0, 2>} : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
  %2 = nn.transpose %0 {perm = array<i64: 2, 1, 0>} : tensor<3x2x4xf32> -> tensor<4x2x3xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// -----

// Casts to the same type vanish; casts of constants fold.
// CHECK-LABEL: func.func @cast
//  CHECK-SAME:   (%[[X:.+]]: tensor<2xf32>)
//       CHECK:   %[[C:.+]] = nn.constant dense<[1, -2]> : tensor<2xi64>
//       CHECK:   return %[[X]], %[[C]]
func.func @cast(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi64>) {
  %0 = nn.cast %x : tensor<2xf32> -> tensor<2xf32>
  %c = nn.constant dense<[1.7, -2.2]> : tensor<2xf32>
  %1 = nn.cast %c : tensor<2xf32> -> tensor<2xi64>
  return %0, %1 : tensor<2xf32>, tensor<2xi64>
}

// -----

// Shape -> Gather -> Concat chains fold to one constant.
// CHECK-LABEL: func.func @gather_concat
//       CHECK:   %[[C:.+]] = nn.constant dense<[32, 2, -1]> : tensor<3xi64>
//       CHECK:   return %[[C]]
func.func @gather_concat() -> tensor<3xi64> {
  %shape = nn.constant dense<[1, 32, 2, 2]> : tensor<4xi64>
  %idx = nn.constant dense<[1, -1]> : tensor<2xi64>
  %dims = nn.gather %shape, %idx {axis = 0 : i64} : tensor<4xi64>, tensor<2xi64> -> tensor<2xi64>
  %rest = nn.constant dense<-1> : tensor<1xi64>
  %0 = nn.concat %dims, %rest {axis = 0 : i64} : tensor<2xi64>, tensor<1xi64> -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// A full slice is the input; slices and expands of constants fold.
// CHECK-LABEL: func.func @slice_expand
//  CHECK-SAME:   (%[[X:.+]]: tensor<4xf32>)
//   CHECK-DAG:   %[[S:.+]] = nn.constant dense<[3, 1]> : tensor<2xi64>
//   CHECK-DAG:   %[[E:.+]] = nn.constant dense<{{\[}}[5, 6], [5, 6]]> : tensor<2x2xi64>
//       CHECK:   return %[[X]], %[[S]], %[[E]]
func.func @slice_expand(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xi64>, tensor<2x2xi64>) {
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<4xf32>
  %c = nn.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %1 = nn.slice %c {starts = array<i64: 3>, ends = array<i64: 0>, steps = array<i64: -2>} : tensor<4xi64> -> tensor<2xi64>
  %d = nn.constant dense<[5, 6]> : tensor<2xi64>
  %2 = nn.expand %d : tensor<2xi64> -> tensor<2x2xi64>
  return %0, %1, %2 : tensor<4xf32>, tensor<2xi64>, tensor<2x2xi64>
}

// -----

// Where with a constant condition picks a side; equal on constants folds.
// CHECK-LABEL: func.func @where_equal
//  CHECK-SAME:   (%[[A:.+]]: tensor<2xf32>, %[[B:.+]]: tensor<2xf32>)
//       CHECK:   %[[E:.+]] = nn.constant dense<[true, false]> : tensor<2xi1>
//       CHECK:   return %[[B]], %[[E]]
func.func @where_equal(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi1>) {
  %f = nn.constant dense<false> : tensor<i1>
  %0 = nn.where %f, %a, %b : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  %x = nn.constant dense<[1, 2]> : tensor<2xi64>
  %y = nn.constant dense<[1, 3]> : tensor<2xi64>
  %1 = nn.equal %x, %y : tensor<2xi64>, tensor<2xi64>
  return %0, %1 : tensor<2xf32>, tensor<2xi1>
}

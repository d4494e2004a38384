// RUN: nnc-opt %s --split-input-file --nnc-cpu-destination-passing | FileCheck %s

// Results become trailing memref arguments that keep their names.
// CHECK-LABEL: func.func @main
//  CHECK-SAME:   (%[[X:.+]]: tensor<4xf32> {nn.name = "x"}, %[[OUT:.+]]: memref<4xf32> {nn.name = "y"})
//   CHECK-NOT:   -> tensor
//       CHECK:   %[[Y:.+]] = nn.relu %[[X]]
//       CHECK:   bufferization.materialize_in_destination %[[Y]] in restrict writable %[[OUT]]
//       CHECK:   return
//  CHECK-NEXT: }
func.func @main(%x: tensor<4xf32> {nn.name = "x"}) -> (tensor<4xf32> {nn.name = "y"}) {
  %y = nn.relu %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Two results, one of them the input itself.
// CHECK-LABEL: func.func @two
//  CHECK-SAME:   (%[[X:.+]]: tensor<2xi64>, %[[O0:.+]]: memref<2xi64>, %[[O1:.+]]: memref<2xi64>)
//       CHECK:   bufferization.materialize_in_destination %[[X]] in restrict writable %[[O0]]
//       CHECK:   bufferization.materialize_in_destination %{{.+}} in restrict writable %[[O1]]
func.func @two(%x: tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
  %n = nn.neg %x : tensor<2xi64>
  return %x, %n : tensor<2xi64>, tensor<2xi64>
}

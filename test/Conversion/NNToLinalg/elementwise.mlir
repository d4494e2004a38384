// RUN: nnc-opt %s --split-input-file --nnc-convert-nn-to-linalg | FileCheck %s

// A broadcasting add reads the lower-rank operand through a projected map.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
//       CHECK:   linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//       CHECK:     arith.addf
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = nn.add %a, %b : tensor<2x3xf32>, tensor<3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Size-1 dims broadcast by reading index 0.
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @compare_broadcast
//       CHECK:   linalg.generic {indexing_maps = [#{{.+}}, #[[COL]], #{{.+}}]
//       CHECK:     arith.cmpf olt
//       CHECK:   -> tensor<2x3xi1>
func.func @compare_broadcast(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xi1> {
  %0 = nn.less %a, %b : tensor<2x3xf32>, tensor<2x1xf32>
  return %0 : tensor<2x3xi1>
}

// -----

// GELU (erf form) is one generic with math.erf inside.
// CHECK-LABEL: func.func @gelu
//       CHECK:   linalg.generic
//       CHECK:     math.erf
//   CHECK-NOT:   nn.gelu
func.func @gelu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.gelu %a {approximate = "none"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Float to int casts truncate toward zero.
// CHECK-LABEL: func.func @cast
//       CHECK:   arith.fptosi
func.func @cast(%a: tensor<4xf32>) -> tensor<4xi64> {
  %0 = nn.cast %a : tensor<4xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

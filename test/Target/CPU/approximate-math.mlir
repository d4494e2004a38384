// RUN: nnc-opt %s --nnc-cpu-approximate-math | FileCheck %s

// exp, erf, tanh and log on f32 scalars and vectors become inline arithmetic;
// other functions (sin) keep their op and later become libm calls.
// CHECK-LABEL: func.func @hot_functions
//   CHECK-NOT:   math.exp
//   CHECK-NOT:   math.erf
//   CHECK-NOT:   math.tanh
//   CHECK-NOT:   math.log
//       CHECK:   math.fma
//       CHECK:   math.sin
func.func @hot_functions(%x: f32, %v: vector<8xf32>) -> (f32, vector<8xf32>, f32, vector<8xf32>, f32) {
  %e = math.exp %x : f32
  %f = math.erf %v : vector<8xf32>
  %t = math.tanh %x : f32
  %l = math.log %v : vector<8xf32>
  %s = math.sin %x : f32
  return %e, %f, %t, %l, %s : f32, vector<8xf32>, f32, vector<8xf32>, f32
}

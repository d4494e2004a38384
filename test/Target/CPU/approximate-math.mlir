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

// Float max and min may ignore the sign of zero (a ReLU is then one x86 max),
// keeping the flags they had; integer max is left alone.
// CHECK-LABEL: func.func @clamps
//       CHECK:   arith.maximumf %{{.*}}, %{{.*}} fastmath<nsz> : vector<8xf32>
//       CHECK:   arith.minimumf %{{.*}}, %{{.*}} fastmath<nnan,nsz> : f32
//       CHECK:   arith.maxsi %{{.*}}, %{{.*}} : i32
func.func @clamps(%v: vector<8xf32>, %x: f32, %i: i32) -> (vector<8xf32>, f32, i32) {
  %zero = arith.constant dense<0.0> : vector<8xf32>
  %six = arith.constant 6.0 : f32
  %c = arith.constant 0 : i32
  %r = arith.maximumf %v, %zero : vector<8xf32>
  %m = arith.minimumf %x, %six fastmath<nnan> : f32
  %j = arith.maxsi %i, %c : i32
  return %r, %m, %j : vector<8xf32>, f32, i32
}

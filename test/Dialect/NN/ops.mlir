// RUN: nnc-opt %s | nnc-opt | FileCheck %s
// Round trip of every nn op's custom assembly.

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<2x3xi64>,
                       %p: tensor<2x3xi1>, %q: tensor<2x3xi1>) {
  // CHECK: nn.relu %{{.*}} : tensor<2x3xf32>
  %0 = nn.relu %x : tensor<2x3xf32>
  // CHECK: nn.sigmoid
  %1 = nn.sigmoid %x : tensor<2x3xf32>
  // CHECK: nn.tanh
  %2 = nn.tanh %x : tensor<2x3xf32>
  // CHECK: nn.erf
  %3 = nn.erf %x : tensor<2x3xf32>
  // CHECK: nn.sqrt
  %4 = nn.sqrt %x : tensor<2x3xf32>
  // CHECK: nn.exp
  %5 = nn.exp %x : tensor<2x3xf32>
  // CHECK: nn.log
  %6 = nn.log %x : tensor<2x3xf32>
  // CHECK: nn.neg %{{.*}} : tensor<2x3xi64>
  %7 = nn.neg %i : tensor<2x3xi64>
  // CHECK: nn.abs
  %8 = nn.abs %x : tensor<2x3xf32>
  // CHECK: nn.reciprocal
  %9 = nn.reciprocal %x : tensor<2x3xf32>
  // CHECK: nn.hard_swish
  %10 = nn.hard_swish %x : tensor<2x3xf32>
  // CHECK: nn.leaky_relu %{{.*}} {alpha = 0.00999999977 : f32}
  %11 = nn.leaky_relu %x {alpha = 0.01 : f32} : tensor<2x3xf32>
  // CHECK: nn.hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32}
  %12 = nn.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<2x3xf32>
  // CHECK: nn.gelu %{{.*}} {approximate = "tanh"}
  %13 = nn.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  // CHECK: nn.trilu %{{.*}} {k = 1 : i64, upper = false} : tensor<2x3xf32>
  %t = nn.trilu %x {upper = false, k = 1 : i64} : tensor<2x3xf32>
  // CHECK: nn.is_inf %{{.*}} {detect_negative = true, detect_positive = false} : tensor<2x3xf32> -> tensor<2x3xi1>
  %inf = nn.is_inf %x {detect_positive = false, detect_negative = true} : tensor<2x3xf32> -> tensor<2x3xi1>
  // CHECK: nn.is_nan %{{.*}} : tensor<2x3xf32> -> tensor<2x3xi1>
  %nan = nn.is_nan %x : tensor<2x3xf32> -> tensor<2x3xi1>
  // CHECK: nn.cumsum %{{.*}} {axis = 1 : i64, exclusive = false, reverse = true}
  %cs = nn.cumsum %x {axis = 1 : i64, exclusive = false, reverse = true} : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: nn.one_hot %{{.*}}, %{{.*}} {axis = 1 : i64, depth = 4 : i64} : tensor<2x3xi64>, tensor<2xf32> -> tensor<2x4x3xf32>
  %ohv = nn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %oh = nn.one_hot %i, %ohv {depth = 4 : i64, axis = 1 : i64} : tensor<2x3xi64>, tensor<2xf32> -> tensor<2x4x3xf32>
  // CHECK: nn.not %{{.*}} : tensor<2x3xi1>
  %14 = nn.not %p : tensor<2x3xi1>
  %lo = nn.constant dense<0.0> : tensor<f32>
  %hi = nn.constant dense<6.0> : tensor<f32>
  // CHECK: nn.clip %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<f32>, tensor<f32>
  %15 = nn.clip %x, %lo, %hi : tensor<2x3xf32>, tensor<f32>, tensor<f32>
  // CHECK: nn.cast %{{.*}} : tensor<2x3xf32> -> tensor<2x3xi64>
  %16 = nn.cast %x : tensor<2x3xf32> -> tensor<2x3xi64>
  // CHECK: nn.add %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32>
  %17 = nn.add %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.sub
  %18 = nn.sub %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.mul
  %19 = nn.mul %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.div
  %20 = nn.div %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.pow %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xi64>
  %21 = nn.pow %x, %i : tensor<2x3xf32>, tensor<2x3xi64>
  // CHECK: nn.max
  %22 = nn.max %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.min
  %23 = nn.min %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.prelu
  %24 = nn.prelu %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.mod %{{.*}}, %{{.*}} {fmod = false}
  %25 = nn.mod %i, %i {fmod = false} : tensor<2x3xi64>, tensor<2x3xi64>
  // CHECK: nn.and
  %26 = nn.and %p, %q : tensor<2x3xi1>, tensor<2x3xi1>
  // CHECK: nn.equal
  %27 = nn.equal %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.less
  %28 = nn.less %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.greater
  %29 = nn.greater %x, %b : tensor<2x3xf32>, tensor<3xf32>
  // CHECK: nn.where %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>
  %30 = nn.where %27, %x, %b : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>
  return
}

// CHECK-LABEL: func.func @linear_conv_pool
func.func @linear_conv_pool(%a: tensor<2x4x8xf32>, %b: tensor<8x5xf32>,
                            %x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
                            %bias: tensor<4xf32>, %wt: tensor<3x2x3x3xf32>) {
  // CHECK: nn.matmul %{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<8x5xf32>
  %0 = nn.matmul %a, %b : tensor<2x4x8xf32>, tensor<8x5xf32>
  // CHECK: nn.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x4x4xf32>
  %1 = nn.conv %x, %w, %bias {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x4x4xf32>
  // CHECK: nn.conv_transpose {{.*}} -> tensor<1x2x17x17xf32>
  %2 = nn.conv_transpose %x, %wt {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<3x2x3x3xf32> -> tensor<1x2x17x17xf32>
  // CHECK: nn.max_pool {{.*}} -> tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>
  %3:2 = nn.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, storage_order = 0} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>, tensor<1x3x4x4xi64>
  // CHECK: nn.avg_pool {{.*}} -> tensor<1x3x3x3xf32>
  %4 = nn.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = false} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
  return
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<2x3x4x4xf32>, %c: tensor<3xf32>, %s: tensor<4x4xf32>) {
  // CHECK: nn.batch_norm
  %0 = nn.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f32} : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  // CHECK: nn.instance_norm
  %1 = nn.instance_norm %x, %c, %c {epsilon = 1.0e-5 : f32} : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
  // CHECK: nn.layer_norm {{.*}} -> tensor<2x3x4x4xf32>, tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>
  %2:3 = nn.layer_norm %x, %s, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : tensor<2x3x4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32> -> tensor<2x3x4x4xf32>, tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>
  // CHECK: nn.softmax %{{.*}} {axis = 3 : i64}
  %3 = nn.softmax %x {axis = 3 : i64} : tensor<2x3x4x4xf32> -> tensor<2x3x4x4xf32>
  // CHECK: nn.log_softmax
  %4 = nn.log_softmax %x {axis = 1 : i64} : tensor<2x3x4x4xf32> -> tensor<2x3x4x4xf32>
  // CHECK: nn.reduce_mean {{.*}} -> tensor<2x3x1x1xf32>
  %5 = nn.reduce_mean %x {axes = array<i64: 2, 3>, keepdims = true} : tensor<2x3x4x4xf32> -> tensor<2x3x1x1xf32>
  // CHECK: nn.reduce_sum {{.*}} -> tensor<3x4x4xf32>
  %6 = nn.reduce_sum %x {axes = array<i64: 0>, keepdims = false} : tensor<2x3x4x4xf32> -> tensor<3x4x4xf32>
  // CHECK: nn.reduce_max
  %7 = nn.reduce_max %x {axes = array<i64: 1>, keepdims = true} : tensor<2x3x4x4xf32> -> tensor<2x1x4x4xf32>
  // CHECK: nn.argmax {{.*}} -> tensor<2x4x4xi64>
  %8 = nn.argmax %x {axis = 1 : i64, keepdims = false, select_last_index = false} : tensor<2x3x4x4xf32> -> tensor<2x4x4xi64>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x3x4xf32>, %idx: tensor<5xi64>, %v: tensor<f32>) {
  // CHECK: nn.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %0 = nn.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: nn.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  // CHECK: nn.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<2x3x4xf32> -> tensor<2x6x4xf32>
  %2 = nn.concat %x, %x {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<2x3x4xf32> -> tensor<2x6x4xf32>
  // CHECK: nn.split {{.*}} -> tensor<2x1x4xf32>, tensor<2x2x4xf32>
  %3:2 = nn.split %x {axis = 1 : i64, sizes = array<i64: 1, 2>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>, tensor<2x2x4xf32>
  // CHECK: nn.slice {{.*}} -> tensor<1x3x2xf32>
  %4 = nn.slice %x {starts = array<i64: 1, 0, 3>, ends = array<i64: 2, 3, 0>, steps = array<i64: 1, 1, -2>} : tensor<2x3x4xf32> -> tensor<1x3x2xf32>
  // CHECK: nn.gather {{.*}} -> tensor<2x5x4xf32>
  %5 = nn.gather %x, %idx {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<5xi64> -> tensor<2x5x4xf32>
  // CHECK: nn.expand %{{.*}} : tensor<2x3x4xf32> -> tensor<5x2x3x4xf32>
  %6 = nn.expand %x : tensor<2x3x4xf32> -> tensor<5x2x3x4xf32>
  %ndi = nn.constant dense<[[0, 1], [1, 2]]> : tensor<2x2xi64>
  // CHECK: nn.gather_nd {{.*}} -> tensor<2x4xf32>
  %nd = nn.gather_nd %x, %ndi {batch_dims = 0 : i64} : tensor<2x3x4xf32>, tensor<2x2xi64> -> tensor<2x4xf32>
  %sei = nn.constant dense<0> : tensor<2x3x4xi64>
  // CHECK: nn.scatter_elements {{.*}} {axis = 1 : i64, reduction = "add"}
  %se = nn.scatter_elements %x, %sei, %x {axis = 1 : i64, reduction = "add"} : tensor<2x3x4xf32>, tensor<2x3x4xi64>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: nn.scatter_nd {{.*}} {reduction = "none"}
  %sn = nn.scatter_nd %x, %ndi, %nd {reduction = "none"} : tensor<2x3x4xf32>, tensor<2x2xi64>, tensor<2x4xf32> -> tensor<2x3x4xf32>
  // CHECK: nn.top_k {{.*}} -> tensor<2x3x2xf32>, tensor<2x3x2xi64>
  %tk:2 = nn.top_k %x {k = 2 : i64, axis = 2 : i64, largest = true} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>, tensor<2x3x2xi64>
  %lens = nn.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: nn.reverse_sequence {{.*}} {batch_axis = 1 : i64, time_axis = 0 : i64}
  %rs = nn.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64} : tensor<2x3x4xf32>, tensor<3xi64> -> tensor<2x3x4xf32>
  // CHECK: nn.einsum {{.*}} {equation = "abc,abd->cd"}
  %es = nn.einsum %x, %x {equation = "abc,abd->cd"} : tensor<2x3x4xf32>, tensor<2x3x4xf32> -> tensor<4x4xf32>
  // CHECK: nn.tile {{.*}} -> tensor<4x3x4xf32>
  %7 = nn.tile %x {repeats = array<i64: 2, 1, 1>} : tensor<2x3x4xf32> -> tensor<4x3x4xf32>
  // CHECK: nn.pad {{.*}} -> tensor<2x5x3xf32>
  %8 = nn.pad %x, %v {pads = array<i64: 0, 1, 0, 0, 1, -1>, mode = "constant"} : tensor<2x3x4xf32>, tensor<f32> -> tensor<2x5x3xf32>
  // CHECK: nn.resize {{.*}} -> tensor<2x6x8xf32>
  %9 = nn.resize %x {scales = array<f64: 1.0, 2.0, 2.0>, roi = array<f64>, mode = "linear", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor", cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = false} : tensor<2x3x4xf32> -> tensor<2x6x8xf32>
  return
}

// CHECK-LABEL: func.func @recurrent_and_control
func.func @recurrent_and_control(%x: tensor<5x1x3xf32>, %w: tensor<1x16x3xf32>,
                                 %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>,
                                 %h: tensor<1x1x4xf32>, %p: tensor<1x12xf32>,
                                 %cond: tensor<i1>) -> tensor<1x1x4xf32> {
  // CHECK: nn.lstm(%{{.*}}) {{.*}} -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>)
  %y:3 = nn.lstm(%x, %w, %r, %b, %h, %h, %p) {hidden_size = 4 : i64, direction = "forward", activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = [], activation_beta = [], input_forget = false} : (tensor<5x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x32xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x12xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>)
  // CHECK: nn.if %{{.*}} : tensor<i1> -> tensor<1x1x4xf32>
  // CHECK: nn.yield
  // CHECK: } else {
  %z = nn.if %cond : tensor<i1> -> tensor<1x1x4xf32> {
    nn.yield %y#1 : tensor<1x1x4xf32>
  } else {
    nn.yield %y#2 : tensor<1x1x4xf32>
  }
  return %z : tensor<1x1x4xf32>
}

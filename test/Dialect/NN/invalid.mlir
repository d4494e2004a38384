// RUN: nnc-opt %s --split-input-file --verify-diagnostics
// One case per verifier message of the nn dialect.

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{expected broadcast-compatible shapes (2x3 vs 4)}}
  %0 = nn.add %a, %b : tensor<2x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @element_types(%a: tensor<3xf32>, %b: tensor<3xi64>) {
  // expected-error @+1 {{expected operands with the same element type ('f32' vs 'i64')}}
  %0 = nn.mul %a, %b : tensor<3xf32>, tensor<3xi64>
  return
}

// -----

func.func @prelu_slope(%a: tensor<3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{expected shape 2x3 to broadcast to 3}}
  %0 = nn.prelu %a, %b : tensor<3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @gelu(%a: tensor<3xf32>) {
  // expected-error @+1 {{expected approximate to be "none" or "tanh" (got "erf")}}
  %0 = nn.gelu %a {approximate = "erf"} : tensor<3xf32>
  return
}

// -----

func.func @clip_bounds(%a: tensor<3xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{expected min and max to be rank-0 tensors}}
  %0 = nn.clip %a, %b, %b : tensor<3xf32>, tensor<1xf32>, tensor<1xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<3xf32>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{expected operands of rank >= 2 (got 1 and 2)}}
  %0 = nn.matmul %a, %b : tensor<3xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{expected contraction dims to match (3 vs 4)}}
  %0 = nn.matmul %a, %b : tensor<2x3xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x2xf32>) {
  // expected-error @+1 {{expected broadcast-compatible batch dims (2 vs 3)}}
  %0 = nn.matmul %a, %b : tensor<2x2x3xf32>, tensor<3x3x2xf32>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected input of rank >= 3 (got 2)}}
  %0 = nn.conv %x, %w {strides = array<i64>, dilations = array<i64>, pads = array<i64>, group = 1} : tensor<3x8xf32>, tensor<4x3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected weight rank (3) to match input rank (4)}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected group (2) to divide input channels (3)}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected input channels / group (4) to match weight (3)}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

// Channels-last: input [N, H, W, C], weight [kH, kW, C/G, F].
func.func @conv_channels_last(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x4x5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected input channels / group (3) to match weight (4)}}
  %0 = nn.conv %x, %w {channels_last, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x8x3xf32>, tensor<3x3x4x5xf32> -> tensor<1x6x6x5xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected bias of shape 4 (got 3)}}
  %0 = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_weight_rank_low(%x: tensor<1x3x8x8xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected weight of rank >= 2}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_out_group(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected group (2) to divide output channels (3)}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32> -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected 'strides' to have 2 entries (got 1)}}
  %0 = nn.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected every 'strides' entry to be >= 1 (got 0)}}
  %0 = nn.conv %x, %w {strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_fit(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected the kernel to fit the padded input in dim 2}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'nn.conv' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_transpose_weight_low(%x: tensor<1x3x8x8xf32>, %w: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected weight of rank >= 2}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>, group = 1} : tensor<1x3x8x8xf32>, tensor<3xf32> -> tensor<1x2x10x10xf32>
  return
}

// -----

func.func @conv_transpose_weight(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected weight dim 0 (5) to match input channels (4)}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>, group = 2} : tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32> -> tensor<1x4x10x10xf32>
  return
}

// -----

func.func @conv_transpose_size(%x: tensor<1x3x1x1xf32>, %w: tensor<3x2x1x1xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected a positive output size in dim 2 (got -1)}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>, output_padding = array<i64: 0, 0>, group = 1} : tensor<1x3x1x1xf32>, tensor<3x2x1x1xf32> -> tensor<1x2x1x1xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<3x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected input of rank >= 3 (got 2)}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64>, strides = array<i64>, dilations = array<i64>, pads = array<i64>, ceil_mode = false, count_include_pad = false} : tensor<3x8xf32> -> tensor<3x8xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected pads smaller than the kernel in dim 2}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 2, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  return
}

// -----

func.func @pool_fit(%x: tensor<1x3x2x2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected the window to fit the padded input in dim 2}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64: 4, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : tensor<1x3x2x2xf32> -> tensor<1x3x1x2xf32>
  return
}

// -----

func.func @pool_storage_order(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected storage_order 0 or 1 (got 2)}}
  %0:2 = nn.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, storage_order = 2} : tensor<1x3x4x4xf32> -> tensor<1x3x2x2xf32>, tensor<1x3x2x2xi64>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{expected input of rank >= 2 (got 1)}}
  %0 = nn.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f32} : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @batch_norm_params(%x: tensor<1x3x4xf32>, %c: tensor<3xf32>, %d: tensor<4xf32>) {
  // expected-error @+1 {{expected per-channel parameters of shape 3 (got 4)}}
  %0 = nn.batch_norm %x, %c, %c, %c, %d {epsilon = 1.0e-5 : f32} : tensor<1x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>
  return
}

// -----

func.func @instance_norm_rank(%x: tensor<1x3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{expected input of rank >= 3 (got 2)}}
  %0 = nn.instance_norm %x, %c, %c {epsilon = 1.0e-5 : f32} : tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x4xf32>, %s: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected scale and bias to broadcast to 4 (got 3)}}
  %0:3 = nn.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-5 : f32} : tensor<2x4xf32>, tensor<3xf32> -> tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected axis (2) to be in [0, 2)}}
  %0 = nn.softmax %x {axis = 2 : i64} : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reduce_axes(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected axes to be sorted and unique}}
  %0 = nn.reduce_sum %x {axes = array<i64: 1, 0>, keepdims = true} : tensor<2x4xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @reshape_type(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expected the result element type ('i64') to match the input's ('f32')}}
  %0 = nn.reshape %x : tensor<2x4xf32> -> tensor<8xi64>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expected the same element count (2x4 has 8, 9 has 9)}}
  %0 = nn.reshape %x : tensor<2x4xf32> -> tensor<9xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected perm to be a permutation of [0, 2)}}
  %0 = nn.transpose %x {perm = array<i64: 0, 0>} : tensor<2x4xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected at least one input}}
  %0 = "nn.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x4xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected inputs of the same rank (2 vs 1)}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : tensor<2x4xf32>, tensor<2xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x4xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected inputs to agree in dim 1 (4 vs 3)}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : tensor<2x4xf32>, tensor<2x3xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @split_sizes(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected sizes to add up to dim 1 (4), got 3}}
  %0:2 = nn.split %x {axis = 1 : i64, sizes = array<i64: 1, 2>} : tensor<2x4xf32> -> tensor<2x1xf32>, tensor<2x2xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected non-zero steps}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 0>} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @slice_range(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected normalized start (4) and end (4) for dim 0 of size 4}}
  %0 = nn.slice %x {starts = array<i64: 4>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<0xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<2x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected indices rank (1) to match input rank (2)}}
  %0 = nn.gather_elements %x, %i {axis = 0 : i64} : tensor<2x4xf32>, tensor<2xi64> -> tensor<2xf32>
  return
}

// -----

func.func @expand_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.expand' op expected the result element type ('i64') to match the input's ('f32')}}
  %0 = nn.expand %x : tensor<4xf32> -> tensor<2x4xi64>
  return
}

// -----

func.func @expand_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.expand' op expected input shape (4) to broadcast to the result shape (2x3)}}
  %0 = nn.expand %x : tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @pad_value(%x: tensor<4xf32>, %v: tensor<1xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected a rank-0 padding value}}
  %0 = nn.pad %x, %v {pads = array<i64: 1, 1>, mode = "constant"} : tensor<4xf32>, tensor<1xf32> -> tensor<6xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<4xf32>, %v: tensor<f32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected mode constant, reflect, edge or wrap (got "mirror")}}
  %0 = nn.pad %x, %v {pads = array<i64: 1, 1>, mode = "mirror"} : tensor<4xf32>, tensor<f32> -> tensor<6xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4xf32>, %v: tensor<f32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected pads to leave dim 0 non-negative}}
  %0 = nn.pad %x, %v {pads = array<i64: -3, -3>, mode = "constant"} : tensor<4xf32>, tensor<f32> -> tensor<0xf32>
  return
}

// -----

func.func @resize_type(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.resize' op expected the result to have the input's rank and element type}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, roi = array<f64>, mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = false} : tensor<1x4xf32> -> tensor<8xf32>
  return
}

// -----

func.func @resize_scales(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.resize' op expected one scale per dim (2)}}
  %0 = nn.resize %x {scales = array<f64: 2.0>, roi = array<f64>, mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = false} : tensor<1x4xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @resize_roi(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.resize' op expected roi to be empty or have 4 entries}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, roi = array<f64: 0.0>, mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = false} : tensor<1x4xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.resize' op expected mode nearest, linear or cubic (got "area")}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, roi = array<f64>, mode = "area", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", cubic_coeff_a = -0.75 : f32, exclude_outside = false, extrapolation_value = 0.0 : f32, antialias = false} : tensor<1x4xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @depth_to_space(%x: tensor<1x3x2x2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected a rank-4 input whose channels divide by blocksize^2}}
  %0 = nn.depth_to_space %x {blocksize = 2 : i64, mode = "DCR"} : tensor<1x3x2x2xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @depth_to_space_mode(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected mode DCR or CRD}}
  %0 = nn.depth_to_space %x {blocksize = 2 : i64, mode = "RDC"} : tensor<1x4x2x2xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @space_to_depth(%x: tensor<1x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected a rank-4 input whose spatial dims divide by blocksize}}
  %0 = nn.space_to_depth %x {blocksize = 2 : i64, mode = "DCR"} : tensor<1x3x3x3xf32> -> tensor<1x12x1x1xf32>
  return
}

// -----

func.func @rnn_direction(%x: tensor<5x1x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>, %b: tensor<1x8xf32>, %h: tensor<1x1x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected direction forward, reverse or bidirectional (got "sideways")}}
  %0:2 = nn.rnn(%x, %w, %r, %b, %h) {hidden_size = 4 : i64, direction = "sideways", activations = ["Tanh"], activation_alpha = [], activation_beta = []} : (tensor<5x1x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, tensor<1x8xf32>, tensor<1x1x4xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>)
  return
}

// -----

func.func @rnn_x_rank(%x: tensor<5x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>, %b: tensor<1x8xf32>, %h: tensor<1x1x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected X of rank 3 [seq, batch, input]}}
  %0:2 = nn.rnn(%x, %w, %r, %b, %h) {hidden_size = 4 : i64, direction = "forward", activations = ["Tanh"], activation_alpha = [], activation_beta = []} : (tensor<5x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, tensor<1x8xf32>, tensor<1x1x4xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>)
  return
}

// -----

func.func @rnn_weight(%x: tensor<5x1x3xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>, %b: tensor<1x8xf32>, %h: tensor<1x1x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected W of shape 1x4x3 (got 1x4x2)}}
  %0:2 = nn.rnn(%x, %w, %r, %b, %h) {hidden_size = 4 : i64, direction = "forward", activations = ["Tanh"], activation_alpha = [], activation_beta = []} : (tensor<5x1x3xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, tensor<1x8xf32>, tensor<1x1x4xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>)
  return
}

// -----

func.func @gru_sequence_lens(%x: tensor<5x2x3xf32>, %w: tensor<1x12x3xf32>, %r: tensor<1x12x4xf32>, %b: tensor<1x24xf32>, %h: tensor<1x2x4xf32>, %l: tensor<3xi32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected sequence_lens of shape 2}}
  %0:2 = nn.gru(%x, %w, %r, %b, %h, %l) {hidden_size = 4 : i64, direction = "forward", activations = ["Sigmoid", "Tanh"], activation_alpha = [], activation_beta = [], linear_before_reset = false} : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>, tensor<1x24xf32>, tensor<1x2x4xf32>, tensor<3xi32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

func.func @lstm_initial_c(%x: tensor<5x1x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>, %h: tensor<1x1x4xf32>, %c: tensor<1x2x4xf32>, %p: tensor<1x12xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected initial_c to match initial_h}}
  %0:3 = nn.lstm(%x, %w, %r, %b, %h, %c, %p) {hidden_size = 4 : i64, direction = "forward", activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = [], activation_beta = [], input_forget = false} : (tensor<5x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x32xf32>, tensor<1x1x4xf32>, tensor<1x2x4xf32>, tensor<1x12xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>)
  return
}

// -----

func.func @lstm_peephole(%x: tensor<5x1x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>, %h: tensor<1x1x4xf32>, %p: tensor<1x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected P of shape 1x12}}
  %0:3 = nn.lstm(%x, %w, %r, %b, %h, %h, %p) {hidden_size = 4 : i64, direction = "forward", activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = [], activation_beta = [], input_forget = false} : (tensor<5x1x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x32xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x8xf32>) -> (tensor<5x1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>)
  return
}

// -----

func.func @if_condition(%c: tensor<2xi1>, %x: tensor<f32>) {
  // expected-error @+1 {{'nn.if' op expected a single-element condition (got 2)}}
  %0 = nn.if %c : tensor<2xi1> -> tensor<f32> {
    nn.yield %x : tensor<f32>
  } else {
    nn.yield %x : tensor<f32>
  }
  return
}

// -----

func.func @if_yield(%c: tensor<i1>, %x: tensor<f32>, %y: tensor<2xf32>) {
  // expected-error @+1 {{'nn.if' op expected both regions to yield the result types}}
  %0 = nn.if %c : tensor<i1> -> tensor<f32> {
    nn.yield %x : tensor<f32>
  } else {
    nn.yield %y : tensor<2xf32>
  }
  return
}

// -----

func.func @trilu_rank(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.trilu' op expected an input of rank >= 2 (got 1)}}
  %0 = nn.trilu %x {upper = true, k = 0 : i64} : tensor<4xf32>
  return
}

// -----

func.func @one_hot_values(%i: tensor<3xi64>, %v: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected values of shape 2 [off, on] (got 3)}}
  %0 = nn.one_hot %i, %v {depth = 4 : i64, axis = 1 : i64} : tensor<3xi64>, tensor<3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @one_hot_depth(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected a positive depth (got 0)}}
  %0 = nn.one_hot %i, %v {depth = 0 : i64, axis = 1 : i64} : tensor<3xi64>, tensor<2xf32> -> tensor<3x0xf32>
  return
}

// -----

func.func @gather_nd_tuple(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected index tuples of 1 to 2 entries (got 3)}}
  %0 = nn.gather_nd %x, %i {batch_dims = 0 : i64} : tensor<2x3xf32>, tensor<2x3xi64> -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected 0 <= batch_dims < the ranks of input and indices}}
  %0 = nn.gather_nd %x, %i {batch_dims = 2 : i64} : tensor<2x3xf32>, tensor<2x1xi64> -> tensor<2xf32>
  return
}

// -----

func.func @scatter_reduction(%x: tensor<4xf32>, %i: tensor<4xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected reduction none, add, mul, max or min (got "avg")}}
  %0 = nn.scatter_elements %x, %i, %x {axis = 0 : i64, reduction = "avg"} : tensor<4xf32>, tensor<4xi64>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_elements_shape(%x: tensor<4xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected indices and updates of the same shape and the input's rank}}
  %0 = nn.scatter_elements %x, %i, %x {axis = 0 : i64, reduction = "none"} : tensor<4xf32>, tensor<3xi64>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x2xf32>, %i: tensor<3x1xi64>, %u: tensor<3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected updates of shape 3x2 for index tuples of 1 entries}}
  %0 = nn.scatter_nd %x, %i, %u {reduction = "none"} : tensor<4x2xf32>, tensor<3x1xi64>, tensor<3x3xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @scatter_nd_scalar_indices(%x: tensor<4x2xf32>, %i: tensor<i64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected indices of rank >= 1 (index tuples in the last dim)}}
  %0 = nn.scatter_nd %x, %i, %u {reduction = "none"} : tensor<4x2xf32>, tensor<i64>, tensor<2xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @top_k_k(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected k (5) in [0, 4]}}
  %0:2 = nn.top_k %x {k = 5 : i64, axis = 0 : i64, largest = true} : tensor<4xf32> -> tensor<5xf32>, tensor<5xi64>
  return
}

// -----

func.func @reverse_sequence_axes(%x: tensor<2x3xf32>, %l: tensor<3xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected distinct batch and time axes among dims 0 and 1}}
  %0 = nn.reverse_sequence %x, %l {batch_axis = 1 : i64, time_axis = 1 : i64} : tensor<2x3xf32>, tensor<3xi64> -> tensor<2x3xf32>
  return
}

// -----

func.func @reverse_sequence_lengths(%x: tensor<2x3xf32>, %l: tensor<2xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expected one length per batch entry (3)}}
  %0 = nn.reverse_sequence %x, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : tensor<2x3xf32>, tensor<2xi64> -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_terms(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.einsum' op expected an explicit equation with one term per input (got "ij,jk->ik")}}
  %0 = nn.einsum %x {equation = "ij,jk->ik"} : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @einsum_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.einsum' op expected term 'ijk' to have one label per dim}}
  %0 = nn.einsum %x {equation = "ijk->i"} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @einsum_label_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.einsum' op expected label 'i' to have one size}}
  %0 = nn.einsum %x {equation = "ii->i"} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @einsum_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.einsum' op expected the result rank to match the output term}}
  %0 = nn.einsum %x {equation = "ij->i"} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_output_label(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.einsum' op expected output label 'k' of an input, with its size}}
  %0 = nn.einsum %x {equation = "ij->k"} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

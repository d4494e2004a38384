// RUN: nnc-opt %s --split-input-file --nnc-cpu-channels-last | FileCheck %s

// An inverted residual block: the expansion (16 filters, 4 pixels) runs
// transposed, so the block runs channels-last from it on; the residual is
// transposed in and the global mean's result transposed out. Weights become
// [k..., C/G, F].
// CHECK-LABEL: func.func @block
// CHECK-SAME:    (%[[X:.*]]: tensor<1x8x2x2xf32>, %[[R:.*]]: tensor<1x8x2x2xf32>)
// CHECK-DAG:     %[[WP:.*]] = nn.constant dense<5.000000e-01> : tensor<1x1x16x8xf32>
// CHECK-DAG:     %[[WD:.*]] = nn.constant dense<5.000000e-01> : tensor<3x3x1x16xf32>
// CHECK-DAG:     %[[WE:.*]] = nn.constant dense<5.000000e-01> : tensor<1x1x8x16xf32>
// CHECK:         %[[XT:.*]] = nn.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x8x2x2xf32> -> tensor<1x2x2x8xf32>
// CHECK:         %[[E:.*]] = nn.conv %[[XT]], %[[WE]], %{{.*}} {channels_last, {{.*}}} : tensor<1x2x2x8xf32>, tensor<1x1x8x16xf32>, tensor<16xf32> -> tensor<1x2x2x16xf32>
// CHECK:         %[[E6:.*]] = nn.clip %[[E]], {{.*}} : tensor<1x2x2x16xf32>
// CHECK:         %[[D:.*]] = nn.conv %[[E6]], %[[WD]] {channels_last, {{.*}}group = 16{{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}}} : tensor<1x2x2x16xf32>, tensor<3x3x1x16xf32> -> tensor<1x2x2x16xf32>
// CHECK:         %[[P:.*]] = nn.conv %[[D]], %[[WP]] {channels_last, {{.*}}} : tensor<1x2x2x16xf32>, tensor<1x1x16x8xf32> -> tensor<1x2x2x8xf32>
// CHECK:         %[[RT:.*]] = nn.transpose %[[R]] {perm = array<i64: 0, 2, 3, 1>}
// CHECK:         %[[S:.*]] = nn.add %[[P]], %[[RT]] : tensor<1x2x2x8xf32>, tensor<1x2x2x8xf32>
// CHECK:         %[[M:.*]] = nn.reduce_mean %[[S]] {axes = array<i64: 1, 2>, keepdims = true} : tensor<1x2x2x8xf32> -> tensor<1x1x1x8xf32>
// CHECK:         %[[MT:.*]] = nn.transpose %[[M]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x1x1x8xf32> -> tensor<1x8x1x1xf32>
// CHECK:         return %[[MT]]
func.func @block(%x: tensor<1x8x2x2xf32>, %r: tensor<1x8x2x2xf32>) -> tensor<1x8x1x1xf32> {
  %we = nn.constant dense<0.5> : tensor<16x8x1x1xf32>
  %be = nn.constant dense<0.25> : tensor<16xf32>
  %wd = nn.constant dense<0.5> : tensor<16x1x3x3xf32>
  %wp = nn.constant dense<0.5> : tensor<8x16x1x1xf32>
  %lo = nn.constant dense<0.0> : tensor<f32>
  %hi = nn.constant dense<6.0> : tensor<f32>
  %e = nn.conv %x, %we, %be {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x2x2xf32>, tensor<16x8x1x1xf32>, tensor<16xf32> -> tensor<1x16x2x2xf32>
  %e6 = nn.clip %e, %lo, %hi : tensor<1x16x2x2xf32>, tensor<f32>, tensor<f32>
  %d = nn.conv %e6, %wd {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 16} : tensor<1x16x2x2xf32>, tensor<16x1x3x3xf32> -> tensor<1x16x2x2xf32>
  %p = nn.conv %d, %wp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x16x2x2xf32>, tensor<8x16x1x1xf32> -> tensor<1x8x2x2xf32>
  %s = nn.add %p, %r : tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>
  %m = nn.reduce_mean %s {axes = array<i64: 2, 3>, keepdims = true} : tensor<1x8x2x2xf32> -> tensor<1x8x1x1xf32>
  return %m : tensor<1x8x1x1xf32>
}

// -----

// Fewer than twice as many filters as pixels, and no depthwise convolution
// next to it: the GEMM runs untransposed and nothing changes.
// CHECK-LABEL: func.func @narrow
// CHECK-NOT:     channels_last
// CHECK-NOT:     nn.transpose
func.func @narrow(%x: tensor<1x8x4x4xf32>, %w: tensor<31x8x1x1xf32>) -> tensor<1x31x4x4xf32> {
  %c = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x4x4xf32>, tensor<31x8x1x1xf32> -> tensor<1x31x4x4xf32>
  return %c : tensor<1x31x4x4xf32>
}

// -----

// Ungrouped convolutions run channels-last too (a 3x3 one through its
// patches), and so does a mul by a per-channel [N, C, 1, 1] gate (a
// squeeze-and-excite), whose gate is transposed alike; an add of a
// lower-rank operand (numpy broadcasting aligns it with the spatial dims) and
// a mean over the channels stay channels-first behind the transpose back.
// The mean without keepdims over the spatial dims needs no transpose back.
// CHECK-LABEL: func.func @boundaries
// CHECK:         %[[C:.*]] = nn.conv %{{.*}} {channels_last, {{.*}}} : tensor<1x2x2x8xf32>, {{.*}} -> tensor<1x2x2x32xf32>
// CHECK:         %[[CF:.*]] = nn.transpose %[[C]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x2x2x32xf32> -> tensor<1x32x2x2xf32>
// CHECK:         %[[C3:.*]] = nn.conv %[[C]], %{{.*}} {channels_last, {{.*}}} : tensor<1x2x2x32xf32>, tensor<3x3x32x4xf32> -> tensor<1x2x2x4xf32>
// CHECK:         nn.transpose %[[C3]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK:         %[[GT:.*]] = nn.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : tensor<1x32x1x1xf32> -> tensor<1x1x1x32xf32>
// CHECK:         nn.mul %[[C]], %[[GT]] : tensor<1x2x2x32xf32>, tensor<1x1x1x32xf32>
// CHECK:         nn.add %[[CF]], %{{.*}} : tensor<1x32x2x2xf32>, tensor<2x2xf32>
// CHECK:         nn.reduce_mean %[[CF]] {axes = array<i64: 1>, keepdims = false}
// CHECK:         nn.reduce_mean %[[C]] {axes = array<i64: 1, 2>, keepdims = false} : tensor<1x2x2x32xf32> -> tensor<1x32xf32>
func.func @boundaries(%x: tensor<1x8x2x2xf32>, %w: tensor<32x8x1x1xf32>, %w3: tensor<4x32x3x3xf32>, %g: tensor<1x32x1x1xf32>, %b: tensor<2x2xf32>) -> (tensor<1x4x2x2xf32>, tensor<1x32x2x2xf32>, tensor<1x32x2x2xf32>, tensor<1x2x2xf32>, tensor<1x32xf32>) {
  %c = nn.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x2x2xf32>, tensor<32x8x1x1xf32> -> tensor<1x32x2x2xf32>
  %c3 = nn.conv %c, %w3 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x32x2x2xf32>, tensor<4x32x3x3xf32> -> tensor<1x4x2x2xf32>
  %m = nn.mul %c, %g : tensor<1x32x2x2xf32>, tensor<1x32x1x1xf32>
  %a = nn.add %c, %b : tensor<1x32x2x2xf32>, tensor<2x2xf32>
  %mc = nn.reduce_mean %c {axes = array<i64: 1>, keepdims = false} : tensor<1x32x2x2xf32> -> tensor<1x2x2xf32>
  %ms = nn.reduce_mean %c {axes = array<i64: 2, 3>, keepdims = false} : tensor<1x32x2x2xf32> -> tensor<1x32xf32>
  return %c3, %m, %a, %mc, %ms : tensor<1x4x2x2xf32>, tensor<1x32x2x2xf32>, tensor<1x32x2x2xf32>, tensor<1x2x2xf32>, tensor<1x32xf32>
}

// -----

// A pointwise convolution with fewer filters than pixels goes channels-last
// because it reads a depthwise convolution; the transpose into channels-last
// then moves up through the depthwise convolution, the clip and the stem
// convolution (their results have no other use) to the model's input.
// CHECK-LABEL: func.func @stem
// CHECK-SAME:    (%[[X:.*]]: tensor<1x3x8x8xf32>)
// CHECK:         %[[XT:.*]] = nn.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x3x8x8xf32> -> tensor<1x8x8x3xf32>
// CHECK:         %[[S:.*]] = nn.conv %[[XT]], %{{.*}} {channels_last, {{.*}}strides = array<i64: 2, 2>} : tensor<1x8x8x3xf32>, tensor<3x3x3x8xf32> -> tensor<1x4x4x8xf32>
// CHECK:         %[[S6:.*]] = nn.clip %[[S]]
// CHECK:         %[[D:.*]] = nn.conv %[[S6]], %{{.*}} {channels_last, {{.*}}group = 8
// CHECK:         %[[P:.*]] = nn.conv %[[D]], %{{.*}} {channels_last, {{.*}}} : tensor<1x4x4x8xf32>, tensor<1x1x8x4xf32> -> tensor<1x4x4x4xf32>
// CHECK:         %[[Y:.*]] = nn.transpose %[[P]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK:         return %[[Y]]
func.func @stem(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %ws = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %wd = nn.constant dense<0.5> : tensor<8x1x3x3xf32>
  %wp = nn.constant dense<0.5> : tensor<4x8x1x1xf32>
  %lo = nn.constant dense<0.0> : tensor<f32>
  %hi = nn.constant dense<6.0> : tensor<f32>
  %s = nn.conv %x, %ws {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32> -> tensor<1x8x4x4xf32>
  %s6 = nn.clip %s, %lo, %hi : tensor<1x8x4x4xf32>, tensor<f32>, tensor<f32>
  %d = nn.conv %s6, %wd {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8} : tensor<1x8x4x4xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x4x4xf32>
  %p = nn.conv %d, %wp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32> -> tensor<1x4x4x4xf32>
  return %p : tensor<1x4x4x4xf32>
}

// -----

// The stem's result is also returned channels-first: the transpose into
// channels-last stays after it.
// CHECK-LABEL: func.func @shared_stem
// CHECK:         %[[S:.*]] = nn.conv %{{.*}} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32> -> tensor<1x8x4x4xf32>
// CHECK:         %[[ST:.*]] = nn.transpose %[[S]] {perm = array<i64: 0, 2, 3, 1>}
// CHECK:         nn.conv %[[ST]], %{{.*}} {channels_last, {{.*}}group = 8
// CHECK:         return %{{.*}}, %[[S]]
func.func @shared_stem(%x: tensor<1x3x8x8xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x8x4x4xf32>) {
  %ws = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %wd = nn.constant dense<0.5> : tensor<8x1x3x3xf32>
  %wp = nn.constant dense<0.5> : tensor<4x8x1x1xf32>
  %s = nn.conv %x, %ws {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32> -> tensor<1x8x4x4xf32>
  %d = nn.conv %s, %wd {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8} : tensor<1x8x4x4xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x4x4xf32>
  %p = nn.conv %d, %wp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32> -> tensor<1x4x4x4xf32>
  return %p, %s : tensor<1x4x4x4xf32>, tensor<1x8x4x4xf32>
}

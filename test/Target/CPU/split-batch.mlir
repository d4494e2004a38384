// RUN: nnc-opt %s --split-input-file --nnc-cpu-split-batch="l2-bytes=4096" | FileCheck %s
// RUN: nnc-opt %s --split-input-file --nnc-cpu-split-batch="l2-bytes=1048576" | FileCheck %s --check-prefix=CACHED

// Conv + bias + ReLU run per image; the matmul whose weights (64 KiB) are
// larger than its activations reads them once, on the whole batch.
// CHECK-LABEL: func.func @conv_then_dense
// CHECK-SAME:    (%[[X:.*]]: tensor<4x3x16x16xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<4x8x16x16xf32>
// CHECK:         %[[ALL:.*]] = scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[EMPTY]])
// CHECK:           %[[XI:.*]] = tensor.extract_slice %[[X]][%[[I]], 0, 0, 0] [1, 3, 16, 16] [1, 1, 1, 1] : tensor<4x3x16x16xf32> to tensor<1x3x16x16xf32>
// CHECK:           %[[C:.*]] = nn.conv %[[XI]], {{.*}} -> tensor<1x8x16x16xf32>
// CHECK:           %[[R:.*]] = nn.relu %[[C]] : tensor<1x8x16x16xf32>
// CHECK:           %[[INS:.*]] = tensor.insert_slice %[[R]] into %[[ACC]][%[[I]], 0, 0, 0] [1, 8, 16, 16] [1, 1, 1, 1]
// CHECK:           scf.yield %[[INS]]
// CHECK:         %[[FLAT:.*]] = nn.reshape %[[ALL]] : tensor<4x8x16x16xf32> -> tensor<4x2048xf32>
// CHECK:         nn.matmul %[[FLAT]], %{{.*}} : tensor<4x2048xf32>, tensor<2048x8xf32>
// Everything fits in a 1 MiB L2 at batch 4: nothing changes.
// CACHED-LABEL: func.func @conv_then_dense
// CACHED-NOT:     scf.for
func.func @conv_then_dense(%x: tensor<4x3x16x16xf32>) -> tensor<4x8xf32> {
  %w = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %b = nn.constant dense<0.25> : tensor<8xf32>
  %fc = nn.constant dense<0.125> : tensor<2048x8xf32>
  %c = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : tensor<4x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32> -> tensor<4x8x16x16xf32>
  %r = nn.relu %c : tensor<4x8x16x16xf32>
  %flat = nn.reshape %r : tensor<4x8x16x16xf32> -> tensor<4x2048xf32>
  %y = nn.matmul %flat, %fc : tensor<4x2048xf32>, tensor<2048x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A residual block whose ReLU and sum both leave the loop; the softmax over
// dim 0 mixes images and ends it.
// CHECK-LABEL: func.func @stops_at_batch_softmax
// CHECK:         %[[LOOP:.*]]:2 = scf.for
// CHECK-COUNT-2:   tensor.insert_slice
// CHECK:           scf.yield %{{.*}}, %{{.*}} : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>
// CHECK:         nn.softmax %[[LOOP]]#1 {axis = 0 : i64} : tensor<2x8x32x32xf32>
// CHECK:         nn.sub %{{.*}}, %[[LOOP]]#0 : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>
func.func @stops_at_batch_softmax(%x: tensor<2x8x32x32xf32>) -> tensor<2x8x32x32xf32> {
  %s = nn.constant dense<2.0> : tensor<8x1x1xf32>
  %a = nn.mul %x, %s : tensor<2x8x32x32xf32>, tensor<8x1x1xf32>
  %r = nn.relu %a : tensor<2x8x32x32xf32>
  %sum = nn.add %r, %x : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>
  %p = nn.softmax %sum {axis = 0 : i64} : tensor<2x8x32x32xf32> -> tensor<2x8x32x32xf32>
  %d = nn.sub %p, %r : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>
  return %d : tensor<2x8x32x32xf32>
}

// -----

// Ops that mix images leave the function as it is: a reduction over dim 0,
// a max pool whose indices count over the batch, a constant operand with one
// row per image.
// CHECK-LABEL: func.func @reduces_batch
// CHECK-NOT:     scf.for
func.func @reduces_batch(%x: tensor<2x8x32x32xf32>) -> tensor<8x32x32xf32> {
  %m = nn.reduce_mean %x {axes = array<i64: 0>, keepdims = false} : tensor<2x8x32x32xf32> -> tensor<8x32x32xf32>
  return %m : tensor<8x32x32xf32>
}
// CHECK-LABEL: func.func @pool_indices
// CHECK-NOT:     scf.for
func.func @pool_indices(%x: tensor<2x8x32x32xf32>) -> (tensor<2x8x16x16xf32>, tensor<2x8x16x16xi64>) {
  %v, %i = nn.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, storage_order = 0} : tensor<2x8x32x32xf32> -> tensor<2x8x16x16xf32>, tensor<2x8x16x16xi64>
  return %v, %i : tensor<2x8x16x16xf32>, tensor<2x8x16x16xi64>
}
// CHECK-LABEL: func.func @per_row_constant
// CHECK-NOT:     scf.for
func.func @per_row_constant(%x: tensor<2x8x32x32xf32>) -> tensor<2x8x32x32xf32> {
  %c = nn.constant dense<1.0> : tensor<2x8x32x32xf32>
  %y = nn.add %x, %c : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>
  return %y : tensor<2x8x32x32xf32>
}
// CHECK-LABEL: func.func @single_image
// CHECK-NOT:     scf.for
func.func @single_image(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32> {
  %y = nn.relu %x : tensor<1x8x32x32xf32>
  return %y : tensor<1x8x32x32xf32>
}

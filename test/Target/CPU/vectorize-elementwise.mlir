// RUN: nnc-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(nnc-cpu-vectorize-elementwise{vector-bits=256},canonicalize,cse))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Bias add + ReLU over 3 x 20: rows one at a time, 2 full vectors of 8 in a
// loop, then one vector masked to the last 4 columns. The bias is read along
// the vector loop; the constant is broadcast.
// CHECK-LABEL: func.func @bias_relu
//       CHECK:   scf.for %[[R:.*]] = %c0 to %c3 step %c1
//       CHECK:     scf.for %[[C:.*]] = %c0 to %c16 step %c8
//       CHECK:       vector.transfer_read %{{.*}}[%[[R]], %[[C]]]{{.*}} : tensor<3x20xf32>, vector<8xf32>
//       CHECK:       vector.transfer_read %{{.*}}[%[[C]]]{{.*}} : tensor<20xf32>, vector<8xf32>
//       CHECK:       arith.addf %{{.*}} : vector<8xf32>
//       CHECK:       arith.maximumf %{{.*}} : vector<8xf32>
//       CHECK:       vector.transfer_write
//       CHECK:     %[[MASK:.*]] = vector.constant_mask [4] : vector<8xi1>
//       CHECK:     vector.transfer_read %{{.*}}[%[[R]], %c16], %{{.*}}, %[[MASK]]
//       CHECK:     vector.transfer_write %{{.*}}[%[[R]], %c16], %[[MASK]]
//   CHECK-NOT:   linalg.generic
func.func @bias_relu(%x: tensor<3x20xf32>, %b: tensor<20xf32>, %o: tensor<3x20xf32>) -> tensor<3x20xf32> {
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<3x20xf32>, tensor<20xf32>) outs(%o : tensor<3x20xf32>) {
  ^bb0(%a: f32, %c: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %s = arith.addf %a, %c : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<3x20xf32>
  return %r : tensor<3x20xf32>
}

// -----

// An im2col-style copy: the input index d0 + d1 still steps by one with the
// vector loop d1, so each row is one vector read at the shifted offset (the
// single-vector loop over d1 folds away).
// CHECK-LABEL: func.func @shifted_copy
//       CHECK:   scf.for %[[K:.*]] = %c0 to %c3 step %c1
//       CHECK:     vector.transfer_read %{{.*}}[%[[K]]]{{.*}} : tensor<10xf32>, vector<8xf32>
//       CHECK:     vector.transfer_write %{{.*}}[%[[K]], %c0]
func.func @shifted_copy(%x: tensor<10xf32>, %o: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 + d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<10xf32>) outs(%o : tensor<3x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<3x8xf32>
  return %r : tensor<3x8xf32>
}

// -----

// A depthwise window (3 taps along w, stride 1) on rows of one vector: the
// four rows' result vectors go through the tap loop together, as independent
// chains; each tap reads the input at the shifted column, the weight
// broadcast.
// CHECK-LABEL: func.func @window
//   CHECK-DAG:   %[[ACC0:.*]] = vector.transfer_read %{{.*}}[%c0, %c0]{{.*}} : tensor<4x8xf32>, vector<8xf32>
//   CHECK-DAG:   %[[ACC3:.*]] = vector.transfer_read %{{.*}}[%c3, %c0]{{.*}} : tensor<4x8xf32>, vector<8xf32>
//       CHECK:   %[[SUM:.*]]:4 = scf.for %[[T:.*]] = %c0 to %c3 step %c1 iter_args(%[[A:.*]] = %[[ACC0]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %[[ACC3]]) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
//       CHECK:     vector.transfer_read %{{.*}}[%c0, %[[T]]]{{.*}} : tensor<4x10xf32>, vector<8xf32>
//       CHECK:     tensor.extract %{{.*}}[%c0, %[[T]]] : tensor<4x3xf32>
//       CHECK:     arith.mulf
//       CHECK:     arith.addf %[[A]]
//       CHECK:   vector.transfer_write %[[SUM]]#0, %{{.*}}[%c0, %c0]
//       CHECK:   vector.transfer_write %[[SUM]]#3, %{{.*}}[%c3, %c0]
func.func @window(%x: tensor<4x10xf32>, %w: tensor<4x3xf32>, %o: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x10xf32>, tensor<4x3xf32>) outs(%o : tensor<4x8xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// A channels-last depthwise window, vectorized along the channels: the
// weight does not depend on the pixel, so a step computes the same channel
// vector at 7 pixels of the row (a divisor of 7 up to 8) and reads the
// weight once per tap for all of them (the reads are one after CSE).
// CHECK-LABEL: func.func @channels_last_window
//       CHECK:   scf.for %[[OH:.*]] = %c0 to %c2 step %c1
//       CHECK:     scf.for %[[C:.*]] = %c0 to %c16 step %c8
//       CHECK:       %[[ACC0:.*]] = vector.transfer_read %{{.*}}[%c0, %[[OH]], %c0, %[[C]]]
//       CHECK:       %[[ACC6:.*]] = vector.transfer_read %{{.*}}[%c0, %[[OH]], %c6, %[[C]]]
//       CHECK:       scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args(%{{.*}} = %[[ACC0]], {{.*}}, %{{.*}} = %[[ACC6]]) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
//       CHECK:         scf.for %[[KW:.*]] = %c0 to %c3 step %c1
//       CHECK:           %[[WV:.*]] = vector.transfer_read %{{.*}}[%[[KH]], %[[KW]], %[[C]]]{{.*}} : tensor<3x3x16xf32>, vector<8xf32>
//   CHECK-COUNT-7:       arith.mulf %{{.*}}, %[[WV]] : vector<8xf32>
//   CHECK-NOT:           tensor<3x3x16xf32>, vector<8xf32>
//       CHECK:           scf.yield
//   CHECK-COUNT-7:   vector.transfer_write
#in = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)>
#w = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
#out = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
func.func @channels_last_window(%x: tensor<1x4x9x16xf32>, %w: tensor<3x3x16xf32>, %o: tensor<1x2x7x16xf32>) -> tensor<1x2x7x16xf32> {
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%x, %w : tensor<1x4x9x16xf32>, tensor<3x3x16xf32>) outs(%o : tensor<1x2x7x16xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x2x7x16xf32>
  return %r : tensor<1x2x7x16xf32>
}

// -----

// A window on a row of 14 vectors: groups of 7 result vectors go through
// the tap loop together.
// CHECK-LABEL: func.func @wide_window
//       CHECK:   scf.for %[[W:.*]] = %c0 to %c112 step %c56
//       CHECK:     scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
//   CHECK-NOT:   scf.for
func.func @wide_window(%x: tensor<1x114xf32>, %w: tensor<1x3xf32>, %o: tensor<1x112xf32>) -> tensor<1x112xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x114xf32>, tensor<1x3xf32>) outs(%o : tensor<1x112xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x112xf32>
  return %r : tensor<1x112xf32>
}

// -----

// A stride-2 window (3 taps): each tap reads two vectors' worth from
// 2 * ow + t and keeps the even lanes, in the order one vshufps leaves them
// (lanes 2-3 and 4-5 swapped); the results are read and written through the
// same swap. The last wide read ends at 2 * 8 + 2 + 16 = 34 <= 34, so it
// needs no bounds check.
// CHECK-LABEL: func.func @strided_window
//       CHECK:   %[[ACC:.*]] = vector.transfer_read %{{.*}} : tensor<4x16xf32>, vector<8xf32>
//       CHECK:   vector.shuffle %[[ACC]], %[[ACC]] [0, 1, 4, 5, 2, 3, 6, 7]
//       CHECK:   scf.for %[[T:.*]] = %c0 to %c3 step %c1
//       CHECK:     %[[WIDE:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<4x34xf32>, vector<16xf32>
//       CHECK:     vector.shuffle %[[WIDE]], %[[WIDE]] [0, 2, 8, 10, 4, 6, 12, 14]
//       CHECK:   %[[BACK:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 4, 5, 2, 3, 6, 7]
//       CHECK:   vector.transfer_write %[[BACK]]
func.func @strided_window(%x: tensor<4x34xf32>, %w: tensor<4x3xf32>, %o: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, 2 * ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x34xf32>, tensor<4x3xf32>) outs(%o : tensor<4x16xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// The same window on a tile cut to the 33 columns it uses: the wide read
// would pass its end, so it reads the row the tile was cut from (34 wide)
// instead, in bounds; on its own a 33-wide input is bounds-checked.
// CHECK-LABEL: func.func @strided_window_tile
//       CHECK:   vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<4x34xf32>, vector<16xf32>
//       CHECK:   vector.transfer_read %{{.*}}, %{{[a-z_0-9]+}} : tensor<4x33xf32>, vector<16xf32>
func.func @strided_window_tile(%full: tensor<4x34xf32>, %alone: tensor<4x33xf32>, %w: tensor<4x3xf32>, %o: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %x = tensor.extract_slice %full[0, 0] [4, 33] [1, 1] : tensor<4x34xf32> to tensor<4x33xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, 2 * ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x33xf32>, tensor<4x3xf32>) outs(%o : tensor<4x16xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, 2 * ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%alone, %w : tensor<4x33xf32>, tensor<4x3xf32>) outs(%o : tensor<4x16xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r, %q : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// A window whose sums start from a fill of -inf (max pooling): the result
// vectors start at that value in registers, the fill is gone and the result
// is not read.
// CHECK-LABEL: func.func @filled_window
//   CHECK-NOT:   linalg.fill
//       CHECK:   %[[NEG:.*]] = arith.constant dense<0xFF800000> : vector<8xf32>
//       CHECK:   scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %[[NEG]])
//       CHECK:     arith.maximumf
//   CHECK-NOT:   vector.transfer_read %{{.*}} : tensor<4x8xf32>
func.func @filled_window(%x: tensor<4x10xf32>, %window: tensor<3xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %window : tensor<4x10xf32>, tensor<3xf32>) outs(%f : tensor<4x8xf32>) {
  ^bb0(%a: f32, %unused: f32, %acc: f32):
    %m = arith.maximumf %acc, %a : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// A window followed by its epilogue (bias + ReLU): the epilogue runs on the
// window's result vectors, which are then written into its result only.
// CHECK-LABEL: func.func @window_epilogue
//  CHECK-SAME:   %[[OUT:[a-z0-9]+]]: tensor<4x8xf32>) -> tensor<4x8xf32>
//       CHECK:   %[[SUM:.*]]:4 = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %cst
//       CHECK:   %[[BIAS:.*]] = tensor.extract %{{.*}} : tensor<4xf32>
//       CHECK:   %[[B:.*]] = vector.broadcast %[[BIAS]] : f32 to vector<8xf32>
//       CHECK:   %[[ADD:.*]] = arith.addf %[[SUM]]#0, %[[B]]
//       CHECK:   %[[RELU:.*]] = arith.maximumf %[[ADD]], %cst
//       CHECK:   vector.transfer_write %[[RELU]]
//   CHECK-NOT:   linalg.generic
func.func @window_epilogue(%x: tensor<4x10xf32>, %w: tensor<4x3xf32>, %bias: tensor<4xf32>, %out: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(c, ow, t) -> (c, ow + t)>, affine_map<(c, ow, t) -> (c, t)>,
                                        affine_map<(c, ow, t) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x10xf32>, tensor<4x3xf32>) outs(%f : tensor<4x8xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(c, ow) -> (c, ow)>, affine_map<(c, ow) -> (c)>, affine_map<(c, ow) -> (c, ow)>],
                       iterator_types = ["parallel", "parallel"], nnc.cpu_epilogue}
      ins(%r, %bias : tensor<4x8xf32>, tensor<4xf32>) outs(%out : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A transposing epilogue (a [h, w, c] GEMM result read back as [c, h, w],
// plus bias and ReLU): blocks of 8 channels x 8 columns. The input is read as
// one vector along c per column (5 of them; a masked read for the last 4
// channels) and transposed by 24 shuffles; each channel's row is then a vector
// along w, written with a mask of 5 lanes.
// CHECK-LABEL: func.func @transposing_epilogue
//       CHECK:   scf.for %[[H:.*]] = %c0 to %c3 step %c1
//       CHECK:     %[[COLUMNS:.*]] = vector.constant_mask [5] : vector<8xi1>
//       CHECK:     %[[R0:.*]] = vector.transfer_read %{{.*}}[%c0, %[[H]], %c0, %c0]{{.*}} : tensor<1x3x5x12xf32>, vector<8xf32>
//       CHECK:     %[[R1:.*]] = vector.transfer_read %{{.*}}[%c0, %[[H]], %c1, %c0]{{.*}} : tensor<1x3x5x12xf32>, vector<8xf32>
//       CHECK:     vector.shuffle %[[R0]], %[[R1]] [0, 8, 1, 9, 4, 12, 5, 13]
//       CHECK:     arith.addf
//       CHECK:     arith.maximumf
//       CHECK:     vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0, %[[H]], %c0], %[[COLUMNS]]
//       CHECK:     %[[ROWS:.*]] = vector.constant_mask [4] : vector<8xi1>
//       CHECK:     vector.transfer_read %{{.*}}[%c0, %[[H]], %c0, %c8], %{{.*}}, %[[ROWS]]
//   CHECK-NOT:   linalg.generic
func.func @transposing_epilogue(%x: tensor<1x3x5x12xf32>, %b: tensor<12xf32>, %o: tensor<1x12x3x5xf32>) -> tensor<1x12x3x5xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, h, w, c)>, affine_map<(n, c, h, w) -> (c)>,
                                        affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : tensor<1x3x5x12xf32>, tensor<12xf32>) outs(%o : tensor<1x12x3x5xf32>) {
  ^bb0(%a: f32, %c: f32, %out: f32):
    %s = arith.addf %a, %c : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x12x3x5xf32>
  return %r : tensor<1x12x3x5xf32>
}

// -----

// The patches of a transposed 1x1 convolution: the input [n, group, c, h, w]
// (a group of one, index 0) copied to [n, h, w, c] is transposed the same way.
// CHECK-LABEL: func.func @transposing_patches
//       CHECK:   vector.transfer_read %{{.*}} : tensor<1x1x16x1x7xf32>, vector<8xf32>
//       CHECK:   vector.shuffle
//       CHECK:   vector.transfer_write %{{.*}} : vector<8xf32>, tensor<1x1x7x16xf32>
//   CHECK-NOT:   linalg.generic
func.func @transposing_patches(%x: tensor<1x1x16x1x7xf32>, %o: tensor<1x1x7x16xf32>) -> tensor<1x1x7x16xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, 0, d3, d1, d2)>,
                                        affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x1x16x1x7xf32>) outs(%o : tensor<1x1x7x16xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<1x1x7x16xf32>
  return %r : tensor<1x1x7x16xf32>
}

// -----

// A row sum into a result filled with zeros: the folded row is added to
// the fill's value, not to an element read from the (unfilled) result.
// CHECK-LABEL: func.func @filled_row_sum
//   CHECK-NOT:   linalg.fill
//       CHECK:   %[[SUM:.*]] = vector.reduction <add>
//       CHECK:   %[[TOTAL:.*]] = arith.addf %[[SUM]], %cst
//       CHECK:   tensor.insert %[[TOTAL]]
func.func @filled_row_sum(%x: tensor<4x16xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x16xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A row reduction (softmax's max over 20 columns): partial maxima in one
// vector across the row (the masked tail keeps the lanes it does not read),
// then a horizontal max folded into the result element.
// CHECK-LABEL: func.func @row_max
//       CHECK:   scf.for %[[R:.*]] = %c0 to %c3 step %c1
//       CHECK:     %[[P:.*]] = scf.for %{{.*}} = %c0 to %c16 step %c8 iter_args(%[[A:.*]] = %{{.*}}) -> (vector<8xf32>)
//       CHECK:       arith.maximumf %[[A]], %{{.*}} : vector<8xf32>
//       CHECK:     %[[MASK:.*]] = vector.constant_mask [4] : vector<8xi1>
//       CHECK:     %[[TAIL:.*]] = arith.select %[[MASK]], %{{.*}}, %[[P]]
//       CHECK:     %[[H:.*]] = vector.reduction <maximumf>, %[[TAIL]] : vector<8xf32> into f32
//       CHECK:     %[[OLD:.*]] = tensor.extract %{{.*}}[%[[R]]]
//       CHECK:     %[[NEW:.*]] = arith.maximumf %[[OLD]], %[[H]] : f32
//       CHECK:     tensor.insert %[[NEW]]
func.func @row_max(%x: tensor<3x20xf32>, %o: tensor<3xf32>) -> tensor<3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x20xf32>) outs(%o : tensor<3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %acc, %a : f32
    linalg.yield %m : f32
  } -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Not vectorized: a transposed read of integers (the vector loop indexes a
// leading dim; only f32 blocks are transposed), a read with a stride over 4
// (5 * d0), integer division (it traps on a masked tail's zeros) and
// linalg.index.
// CHECK-LABEL: func.func @left_alone
//   CHECK-COUNT-4: linalg.generic
//   CHECK-NOT:     vector.transfer_read
func.func @left_alone(%x: tensor<8x8xi32>, %y: tensor<40xf32>, %i: tensor<8xi32>, %o: tensor<8x8xi32>, %p: tensor<8xf32>, %q: tensor<8xi32>) -> (tensor<8x8xi32>, tensor<8xf32>, tensor<8xi32>, tensor<8xi32>) {
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x8xi32>) outs(%o : tensor<8x8xi32>) {
  ^bb0(%a: i32, %out: i32):
    linalg.yield %a : i32
  } -> tensor<8x8xi32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0 * 5)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%y : tensor<40xf32>) outs(%p : tensor<8xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<8xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%i : tensor<8xi32>) outs(%q : tensor<8xi32>) {
  ^bb0(%a: i32, %out: i32):
    %r = arith.divsi %a, %a : i32
    linalg.yield %r : i32
  } -> tensor<8xi32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      outs(%q : tensor<8xi32>) {
  ^bb0(%out: i32):
    %idx = linalg.index 0 : index
    %v = arith.index_cast %idx : index to i32
    linalg.yield %v : i32
  } -> tensor<8xi32>
  return %t, %s, %d, %n : tensor<8x8xi32>, tensor<8xf32>, tensor<8xi32>, tensor<8xi32>
}

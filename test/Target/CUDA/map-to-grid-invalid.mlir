// RUN: nnc-opt %s --split-input-file --nnc-cuda-map-to-grid --verify-diagnostics

// A branch on a tensor's contents would read device memory on the host.
module {
  func.func @main(%c: memref<i1>, %y: memref<4xf32>) {
    %cst = arith.constant 1.0 : f32
    %i = arith.constant 0 : index
    %one = arith.constant 1 : index
    // expected-error @+1 {{this computes a value the host needs from device memory, which the CUDA target does not support yet}}
    %b = memref.load %c[] : memref<i1>
    scf.if %b {
      scf.parallel (%j) = (%i) to (%one) step (%one) {
        memref.store %cst, %y[%j] : memref<4xf32>
        scf.reduce
      }
    }
    return
  }
}

// -----

// expected-error @+1 {{expected a @main function to map onto the GPU}}
module {
  func.func @other() {
    return
  }
}

// -----

module {
  func.func @main(%x: memref<4xf32>) {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0.0 : f32
    // expected-error @+1 {{a device loop with reductions is not supported on CUDA yet}}
    %sum = scf.parallel (%i) = (%c0) to (%c4) step (%c1) init (%zero) -> f32 {
      %v = memref.load %x[%i] : memref<4xf32>
      scf.reduce(%v : f32) {
      ^bb0(%a: f32, %b: f32):
        %s = arith.addf %a, %b : f32
        scf.reduce.return %s : f32
      }
    }
    return
  }
}

// -----

module {
  func.func @main(%x: memref<4xf32>) {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c1 = arith.constant 1 : index
    %one = arith.constant 1.0 : f32
    // expected-error @+1 {{cannot share an iteration among 32 threads: its body has no sum loop or the lanes are not a warp}}
    scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
      memref.store %one, %x[%i] : memref<4xf32>
      scf.reduce
    } {nnc.cuda.block_size = 256 : i64, nnc.cuda.lanes_per_iteration = 32 : i64}
    return
  }
}

// RUN: nnc-opt %s --nnc-cuda-merge-kernel-modules | FileCheck %s

// Outlining made two modules whose kernels share a name and call the same
// helper: one module remains, each kernel named after its old module, the
// helper kept once, and the launches follow.
// CHECK-LABEL: module attributes {gpu.container_module}
//       CHECK:   func.func @main
//       CHECK:     gpu.launch_func @nnc_kernels::@main_kernel blocks
//       CHECK:     gpu.launch_func @nnc_kernels::@main_kernel_0 blocks
//       CHECK:   gpu.module @nnc_kernels {
//   CHECK-DAG:     gpu.func @main_kernel() kernel
//   CHECK-DAG:     gpu.func @main_kernel_0() kernel
//   CHECK-DAG:     func.func private @helper
//   CHECK-NOT:   gpu.module
module attributes {gpu.container_module} {
  func.func @main() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @main_kernel::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @main_kernel_0::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
  gpu.module @main_kernel {
    func.func private @helper() {
      return
    }
    gpu.func @main_kernel() kernel {
      func.call @helper() : () -> ()
      gpu.return
    }
  }
  gpu.module @main_kernel_0 {
    func.func private @helper() {
      return
    }
    gpu.func @main_kernel() kernel {
      func.call @helper() : () -> ()
      gpu.return
    }
  }
}

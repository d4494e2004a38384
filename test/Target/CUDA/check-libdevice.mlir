// RUN: nnc-opt %s --nnc-cuda-check-libdevice | FileCheck %s
// RUN: nnc-opt %s --nnc-cuda-check-libdevice=libdevice-found=false --verify-diagnostics

// With libdevice the call stays for the NVVM serializer to link.
// CHECK: llvm.call @__nv_erff
module attributes {gpu.container_module} {
  gpu.module @nnc_kernels {
    llvm.func @__nv_erff(f32) -> f32
    llvm.func @kernel(%x: f32) -> f32 {
      // expected-error @+1 {{this kernel calls '__nv_erff' from CUDA's libdevice, and no CUDA toolkit was found: pass --cuda-path=DIR or set CUDA_HOME to a toolkit holding nvvm/libdevice/libdevice.10.bc}}
      %y = llvm.call @__nv_erff(%x) : (f32) -> f32
      llvm.return %y : f32
    }
  }
}

"""nnc: compile ONNX models to native code and run them from Python.

    import nnc
    module = nnc.compile("model.onnx")            # or an onnx.ModelProto
    print(module.inputs, module.outputs)
    (logits,) = module.run({"input": image})      # dict by name, or a list by position

`compile` runs the `nnc-compile` tool into a shared library and loads it through the nnc C
runtime (ctypes); nothing here links LLVM or MLIR.
"""

from ._compiler import compile
from ._runtime import Module, NNCError, TensorInfo, cuda_device_status

__all__ = ["compile", "Module", "NNCError", "TensorInfo", "cuda_device_status"]

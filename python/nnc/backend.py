"""An onnx.backend.base.Backend for nnc, so that onnx's own test runner can drive it.

    import onnx.backend.test
    import nnc.backend
    tests = onnx.backend.test.BackendTest(nnc.backend, __name__)

nnc compiles static shapes, and some ONNX models take shape-deciding values (Reshape's
shape, Slice's starts, Resize's scales) as graph inputs. The backend therefore compiles at
the first run, folding such inputs (integer tensors of rank <= 1, rank-0 tensors, and
Resize's roi/scales) into constants, and keeps one compiled module per distinct set of their
values.
"""

import os
import tempfile

import numpy as np
from onnx import TensorProto, numpy_helper
from onnx.backend.base import Backend, BackendRep, namedtupledict

from ._compiler import compile as _compile

_INT_TYPES = (TensorProto.INT64, TensorProto.INT32)


def _bound_input_names(model):
    """Graph inputs the backend folds into constants (see the module docstring)."""
    initializers = {t.name for t in model.graph.initializer}
    resize_operands = {name for node in model.graph.node if node.op_type in ("Resize", "Upsample")
                       for name in node.input[1:]}
    names = []
    for value in model.graph.input:
        if value.name in initializers or not value.type.HasField("tensor_type"):
            continue
        tensor = value.type.tensor_type
        if not tensor.HasField("shape"):
            continue
        rank = len(tensor.shape.dim)
        if rank == 0 or (rank == 1 and (tensor.elem_type in _INT_TYPES
                                        or value.name in resize_operands)):
            names.append(value.name)
    return names


class NNCBackendRep(BackendRep):
    def __init__(self, model, **options):
        self._model = model
        self._options = options
        initializers = {t.name for t in model.graph.initializer}
        self._input_names = [v.name for v in model.graph.input if v.name not in initializers]
        self._output_names = [v.name for v in model.graph.output]
        self._bound = _bound_input_names(model)
        self._modules = {}

    def run(self, inputs, **kwargs):
        if isinstance(inputs, dict):
            values = dict(inputs)
        else:
            values = dict(zip(self._input_names, inputs))
        bound = {name: np.asarray(values.pop(name)) for name in self._bound}
        key = tuple((name, array.dtype.str, array.shape, array.tobytes())
                    for name, array in sorted(bound.items()))
        module = self._modules.get(key)
        if module is None:
            with tempfile.TemporaryDirectory(prefix="nnc-backend-") as scratch:
                files = {}
                for i, (name, array) in enumerate(bound.items()):
                    path = os.path.join(scratch, f"bound_{i}.pb")
                    with open(path, "wb") as f:
                        f.write(numpy_helper.from_array(array, name).SerializeToString())
                    files[name] = path
                module = _compile(self._model, bind_inputs=files, **self._options)
            self._modules[key] = module
        outputs = module.run({info.name: values[info.name] for info in module.inputs})
        return namedtupledict("Outputs", self._output_names)(*outputs)


class NNCBackend(Backend):
    @classmethod
    def supports_device(cls, device):
        return device == "CPU"

    @classmethod
    def prepare(cls, model, device="CPU", **kwargs):
        super().prepare(model, device, **kwargs)
        options = {k: v for k, v in kwargs.items()
                   if k in ("input_shapes", "opt_level", "mcpu", "mattr")}
        return NNCBackendRep(model, **options)

    @classmethod
    def run_model(cls, model, inputs, device="CPU", **kwargs):
        return cls.prepare(model, device, **kwargs).run(inputs)


prepare = NNCBackend.prepare
run_model = NNCBackend.run_model
supports_device = NNCBackend.supports_device

"""nnc.compile: ONNX model -> loaded Module, through the nnc-compile tool."""

import os
import subprocess
import tempfile

from . import _locate
from ._runtime import Module, NNCError


def compile(model, *, input_shapes=None, bind_inputs=None, opt_level=2, mcpu=None, mattr=None,
            output=None, threads=1, target="cpu", gpu_arch=None, l1_bytes=None, l2_bytes=None):
    """Compiles `model` (a path to .onnx/.onnxtxt, or an onnx.ModelProto) and loads it.

    input_shapes: {name: shape} for inputs with dynamic dims. bind_inputs: {name: path of a
    TensorProto file} to fold inputs into constants. opt_level: 0-3. mcpu/mattr: target CPU
    and features (default: the host). l1_bytes/l2_bytes: cache sizes per core the code is
    blocked for (default: the host's, or 32 KiB / 1 MiB with mcpu). output: where to keep the
    shared library (default: a temporary file). threads: how many threads a run uses, the
    calling one included.
    target: "cpu" or "cuda" (PTX for an NVIDIA GPU, gpu_arch e.g. "sm_90", default sm_80; the
    Module then runs on the GPU, and loading it fails without a CUDA driver and device).
    Raises NNCError with the compiler's message on failure."""
    with tempfile.TemporaryDirectory(prefix="nnc-") as scratch:
        if not isinstance(model, (str, os.PathLike)):
            path = os.path.join(scratch, "model.onnx")
            with open(path, "wb") as f:
                f.write(model.SerializeToString())
            model = path
        library = output or os.path.join(scratch, "model.so")
        command = [os.path.join(_locate.bin_dir(), "nnc-compile"), os.fspath(model),
                   "-o", library, f"-O{opt_level}"]
        for name, shape in (input_shapes or {}).items():
            dims = "x".join(str(d) for d in shape) if len(shape) else "scalar"
            command.append(f"--input-shape={name}={dims}")
        for name, path in (bind_inputs or {}).items():
            command.append(f"--bind-input={name}={path}")
        if mcpu:
            command.append(f"--mcpu={mcpu}")
        if mattr:
            command.append(f"--mattr={mattr}")
        if l1_bytes:
            command.append(f"--l1-bytes={l1_bytes}")
        if l2_bytes:
            command.append(f"--l2-bytes={l2_bytes}")
        command.append(f"--target={target}")
        if gpu_arch:
            command.append(f"--gpu-arch={gpu_arch}")
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise NNCError(result.stderr.strip() or f"nnc-compile failed ({result.returncode})")
        # dlopen keeps the mapping after the file is removed with the scratch folder.
        return Module(library, threads=threads)

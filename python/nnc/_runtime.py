"""ctypes bindings of the nnc C runtime (runtime/include/nnc_rt/nnc_rt.h)."""

import ctypes
import dataclasses

import numpy as np

from . import _locate


class NNCError(RuntimeError):
    """An error reported by the nnc runtime or compiler."""


# nnc_dtype_t (ONNX TensorProto numbering) <-> numpy.
_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 6: np.int32, 7: np.int64, 9: np.bool_,
           10: np.float16, 11: np.float64}


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int), ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("byte_size", ctypes.c_size_t)]


class _TensorView(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int), ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("byte_size", ctypes.c_size_t)]


@dataclasses.dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: np.dtype
    shape: tuple


_lib = None


def _runtime():
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(_locate.runtime_library())
        status = ctypes.c_void_p
        lib.nnc_status_message.restype = ctypes.c_char_p
        lib.nnc_status_message.argtypes = [status]
        lib.nnc_status_free.argtypes = [status]
        lib.nnc_model_load_file.restype = status
        lib.nnc_model_load_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        lib.nnc_model_release.argtypes = [ctypes.c_void_p]
        lib.nnc_model_set_num_threads.restype = status
        lib.nnc_model_set_num_threads.argtypes = [ctypes.c_void_p, ctypes.c_int]
        for count in (lib.nnc_model_input_count, lib.nnc_model_output_count):
            count.restype = ctypes.c_size_t
            count.argtypes = [ctypes.c_void_p]
        for info in (lib.nnc_model_input_info, lib.nnc_model_output_info):
            info.restype = status
            info.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(_TensorInfo)]
        lib.nnc_model_device.restype = ctypes.c_int
        lib.nnc_model_device.argtypes = [ctypes.c_void_p]
        lib.nnc_cuda_device_status.restype = status
        for run in (lib.nnc_model_run, lib.nnc_model_run_device):
            run.restype = status
            run.argtypes = [ctypes.c_void_p, ctypes.POINTER(_TensorView), ctypes.c_size_t,
                            ctypes.POINTER(_TensorView), ctypes.c_size_t]
        _lib = lib
    return _lib


def cuda_device_status():
    """None when a CUDA device is usable for CUDA models, else why not."""
    lib = _runtime()
    status = lib.nnc_cuda_device_status()
    if not status:
        return None
    message = lib.nnc_status_message(status).decode()
    lib.nnc_status_free(status)
    return message


def _check(status):
    if status:
        lib = _runtime()
        message = lib.nnc_status_message(status).decode()
        lib.nnc_status_free(status)
        raise NNCError(message)


class Module:
    """A compiled model loaded into this process. Safe to run from several threads.

    threads: how many threads a run uses, the calling one included (default 1)."""

    def __init__(self, library_path, *, threads=1):
        lib = _runtime()
        handle = ctypes.c_void_p()
        _check(lib.nnc_model_load_file(str(library_path).encode(), ctypes.byref(handle)))
        self._handle = handle
        _check(lib.nnc_model_set_num_threads(handle, int(threads)))
        self.library_path = str(library_path)
        self.inputs = self._infos(lib.nnc_model_input_count, lib.nnc_model_input_info)
        self.outputs = self._infos(lib.nnc_model_output_count, lib.nnc_model_output_info)
        # "cpu" or "cuda": where runs compute (inputs and outputs are host arrays either way).
        self.device = "cuda" if lib.nnc_model_device(handle) == 1 else "cpu"

    def _infos(self, count_fn, info_fn):
        infos = []
        for i in range(count_fn(self._handle)):
            info = _TensorInfo()
            _check(info_fn(self._handle, i, ctypes.byref(info)))
            infos.append(TensorInfo(info.name.decode(), np.dtype(_DTYPES[info.dtype]),
                                    tuple(info.shape[d] for d in range(info.rank))))
        return infos

    def __del__(self):
        if getattr(self, "_handle", None):
            _runtime().nnc_model_release(self._handle)
            self._handle = None

    def run(self, inputs):
        """Runs the model. `inputs`: a dict by input name or a sequence in input order of
        numpy arrays (converted to the input's dtype only if that loses nothing). Returns the
        outputs as a list of numpy arrays."""
        if isinstance(inputs, dict):
            unknown = set(inputs) - {info.name for info in self.inputs}
            if unknown:
                raise NNCError(f"unknown input(s) {sorted(unknown)}; the model takes "
                               f"{[info.name for info in self.inputs]}")
            missing = [info.name for info in self.inputs if info.name not in inputs]
            if missing:
                raise NNCError(f"missing input(s) {missing}")
            arrays = [inputs[info.name] for info in self.inputs]
        else:
            arrays = list(inputs)
            if len(arrays) != len(self.inputs):
                raise NNCError(f"got {len(arrays)} inputs, the model takes {len(self.inputs)}")
        prepared = []
        for info, array in zip(self.inputs, arrays):
            array = np.asarray(array)
            if array.dtype != info.dtype:
                if not np.can_cast(array.dtype, info.dtype, casting="same_kind"):
                    raise NNCError(f"input '{info.name}': dtype {array.dtype}, expected "
                                   f"{info.dtype}")
                array = array.astype(info.dtype)
            if array.shape != info.shape:
                raise NNCError(f"input '{info.name}': shape {array.shape}, expected {info.shape}")
            prepared.append(np.ascontiguousarray(array))
        results = [np.empty(info.shape, info.dtype) for info in self.outputs]
        in_views, in_shapes = self._views(prepared)
        out_views, out_shapes = self._views(results)
        _check(_runtime().nnc_model_run(self._handle, in_views, len(prepared), out_views,
                                        len(results)))
        return results

    @staticmethod
    def _views(arrays):
        inverse = {np.dtype(v): k for k, v in _DTYPES.items()}
        shapes = [(ctypes.c_int64 * max(a.ndim, 1))(*a.shape) for a in arrays]
        views = (_TensorView * max(len(arrays), 1))()
        for i, array in enumerate(arrays):
            views[i] = _TensorView(array.ctypes.data, inverse[array.dtype], array.ndim,
                                   shapes[i], array.nbytes)
        return views, shapes  # the shapes must outlive the call

#!/usr/bin/env python3
"""Tests the Python package against ONNX Runtime, and its error paths.

Run with the project venv's Python; the package is imported from python/ in the repository.
"""

import math
import os
import subprocess
import sys
import unittest

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python"))
import nnc  # noqa: E402

DIGITS = os.path.join(REPO, "examples", "digits", "digits.onnx")


class DigitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module = nnc.compile(DIGITS)
        cls.images = np.load(os.path.join(REPO, "examples", "digits", "test_images.npy"))

    def test_metadata(self):
        self.assertEqual(self.module.inputs[0].name, "input")
        self.assertEqual(self.module.inputs[0].shape, (1, 1, 8, 8))
        self.assertEqual(self.module.outputs[0].dtype, np.float32)

    def test_matches_onnxruntime(self):
        session = onnxruntime.InferenceSession(DIGITS, providers=["CPUExecutionProvider"])
        for image in self.images[:32]:
            (expected,) = session.run(None, {"input": image[None]})
            (actual,) = self.module.run({"input": image[None]})
            np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-5)

    def test_list_and_dict_inputs_agree(self):
        image = self.images[0][None]
        np.testing.assert_array_equal(self.module.run([image])[0],
                                      self.module.run({"input": image})[0])

    def test_wrong_shape(self):
        with self.assertRaisesRegex(nnc.NNCError, r"input 'input': shape \(1, 8, 8\), expected"):
            self.module.run([self.images[0]])

    def test_wrong_dtype(self):
        with self.assertRaisesRegex(nnc.NNCError, "dtype complex128"):
            self.module.run([self.images[0][None].astype(np.complex128)])

    def test_missing_and_unknown_inputs(self):
        with self.assertRaisesRegex(nnc.NNCError, "missing input"):
            self.module.run({})
        with self.assertRaisesRegex(nnc.NNCError, "unknown input"):
            self.module.run({"input": self.images[0][None], "other": 1})


class CrossCompileTest(unittest.TestCase):
    def test_avx2_only_build_runs_and_uses_no_avx512(self):
        # An x86-64-v3 (AVX2) artifact must run here and match the host build.
        module = nnc.compile(DIGITS, mcpu="x86-64-v3")
        host = nnc.compile(DIGITS)
        image = np.load(os.path.join(REPO, "examples", "digits", "test_images.npy"))[:1]
        np.testing.assert_allclose(module.run([image])[0], host.run([image])[0], rtol=1e-5,
                                   atol=1e-6)
        compiler = os.path.join(nnc._locate.bin_dir(), "nnc-compile")
        asm = subprocess.run([compiler, DIGITS, "--emit=asm", "--mcpu=x86-64-v3", "-o", "-"],
                             capture_output=True, text=True, check=True).stdout
        self.assertNotIn("zmm", asm)
        self.assertIn("ymm", asm)


class MathApproximationTest(unittest.TestCase):
    """At -O2 exp, erf, tanh and log are inline f32 polynomials (nnc-cpu-approximate-math).
    Their error bound, against float64 over dense ranges: 1e-6 relative (about 8 ulp; measured
    at most 2.4e-7); infinities and NaN as in libm."""

    @staticmethod
    def unary(op, n):
        graph = helper.make_graph(
            [helper.make_node(op, ["x"], ["y"])], op,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n])])
        return nnc.compile(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))

    def test_error_bound_over_dense_ranges(self):
        n = 1 << 16
        cases = {
            "Exp": (np.exp, np.linspace(-87, 88, n)),
            "Erf": (np.vectorize(math.erf), np.linspace(-6, 6, n)),
            "Tanh": (np.tanh, np.linspace(-12, 12, n)),
            "Log": (np.log, np.geomspace(1e-30, 1e30, n)),
            "Sigmoid": (lambda v: 1 / (1 + np.exp(-v)), np.linspace(-30, 30, n)),
        }
        for op, (reference, inputs) in cases.items():
            x = inputs.astype(np.float32)
            (y,) = self.unary(op, n).run([x])
            expected = reference(x.astype(np.float64))
            np.testing.assert_allclose(y, expected, rtol=1e-6, atol=0, err_msg=op)

    def test_special_values(self):
        x = np.array([-np.inf, np.inf, np.nan, 0.0, -1.0], np.float32)
        expected = {"Exp": [0, np.inf, np.nan, 1, np.exp(-1)],
                    "Erf": [-1, 1, np.nan, 0, math.erf(-1)],
                    "Tanh": [-1, 1, np.nan, 0, np.tanh(-1)],
                    "Log": [np.nan, np.inf, np.nan, -np.inf, np.nan]}
        for op, values in expected.items():
            (y,) = self.unary(op, len(x)).run([x])
            np.testing.assert_allclose(y, np.array(values, np.float32), rtol=1e-6, err_msg=op)


class CudaTest(unittest.TestCase):
    """target="cuda": on a machine without a usable GPU, loading the compiled model fails with
    the runtime's reason; with one, the model runs there and matches the CPU build."""

    def test_cuda_target(self):
        why = nnc.cuda_device_status()
        if why is not None:
            with self.assertRaisesRegex(nnc.NNCError, "is a CUDA model, and "):
                nnc.compile(DIGITS, target="cuda")
            return
        module = nnc.compile(DIGITS, target="cuda", gpu_arch="sm_80")
        self.assertEqual(module.device, "cuda")
        image = np.load(os.path.join(REPO, "examples", "digits", "test_images.npy"))[:1]
        np.testing.assert_allclose(module.run([image])[0], nnc.compile(DIGITS).run([image])[0],
                                   rtol=1e-4, atol=1e-5)

    def test_cpu_modules_say_so(self):
        self.assertEqual(nnc.compile(DIGITS).device, "cpu")


class CompileTest(unittest.TestCase):
    def test_model_proto_and_input_shape(self):
        graph = helper.make_graph(
            [helper.make_node("Relu", ["x"], ["y"])], "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        module = nnc.compile(model, input_shapes={"x": (2, 3)})
        x = np.array([[-1, 2, -3], [4, -5, 6]], np.float32)
        np.testing.assert_array_equal(module.run([x])[0], np.maximum(x, 0))

    def test_threads_match_one_thread_and_numpy(self):
        # Large enough for the compiler to split it into chunks for threads.
        rng = np.random.default_rng(0)
        w = rng.standard_normal((512, 384)).astype(np.float32)
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [256, 512])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [256, 384])],
            [numpy_helper.from_array(w, "w")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        x = rng.standard_normal((256, 512)).astype(np.float32)
        one = nnc.compile(model).run([x])[0]
        for threads in (2, 3):
            np.testing.assert_array_equal(nnc.compile(model, threads=threads).run([x])[0], one)
        np.testing.assert_allclose(one, x.astype(np.float64) @ w, rtol=1e-4, atol=1e-4)
        with self.assertRaisesRegex(nnc.NNCError, "0 threads; expected 1 to 256"):
            nnc.compile(model, threads=0)

    def test_compile_error_names_the_node(self):
        graph = helper.make_graph(
            [helper.make_node("FooBar", ["x"], ["y"], name="strange")], "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        with self.assertRaisesRegex(nnc.NNCError, "unsupported ONNX op 'FooBar'.*'strange'"):
            nnc.compile(model)

    def test_load_error(self):
        with self.assertRaisesRegex(nnc.NNCError, "cannot load model"):
            nnc.Module("/nonexistent/model.so")


if __name__ == "__main__":
    unittest.main()

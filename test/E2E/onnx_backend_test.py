#!/usr/bin/env python3
"""Runs onnx's own backend test runner (onnx.backend.test.BackendTest) against nnc.backend.

The onnx wheel has no node test data, so the runner is pointed at the data written from the
wheel's case definitions (onnx_node_suite.py). The `real` model tests download models and are
excluded. By default a cross-section of ops runs (NNC_BACKEND_TEST_FILTER overrides the regex);
the complete conformance run is onnx_node_run.py, which this test complements by checking the
Backend API itself.
"""

import functools
import os
import sys
import tempfile
import unittest

import onnx.backend.test
import onnx.backend.test.runner as runner

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python"))
sys.path.insert(0, HERE)
import nnc.backend  # noqa: E402
import onnx_node_suite  # noqa: E402

DEFAULT_FILTER = (r"^test_(abs|add_bcast|relu|conv_with_strides_padding|gemm_default_matrix_bias|"
                  r"matmul_2d|softmax_axis_1|layer_normalization_4d_axis1|lstm_defaults|"
                  r"maxpool_2d_pads|averagepool_2d_pads|reshape_reordered_all_dims|"
                  r"slice_neg_steps|resize_upsample_scales_linear|gather_0|concat_2d_axis_0|"
                  r"argmax_default_axis_example|where_example|cast_FLOAT_to_INT64|erf)_cpu$")

cache = os.environ.get("NNC_NODE_DATA_CACHE", os.path.join(REPO, "build", "onnx-node-data"))
node_data = onnx_node_suite.default_data_dir(cache)
link_root = tempfile.mkdtemp(prefix="nnc-backend-data-")
os.symlink(node_data, os.path.join(link_root, "node"))
original_loader = runner.load_model_tests


def load_model_tests(data_dir=None, kind=None):
    if kind == "node":
        return original_loader(data_dir=link_root, kind="node")
    if kind == "real":
        return []
    return original_loader(kind=kind) if data_dir is None else original_loader(data_dir, kind)


runner.load_model_tests = load_model_tests
backend_test = onnx.backend.test.BackendTest(nnc.backend, __name__)
backend_test.include(os.environ.get("NNC_BACKEND_TEST_FILTER", DEFAULT_FILTER))
globals().update(backend_test.test_cases)

if __name__ == "__main__":
    unittest.main()

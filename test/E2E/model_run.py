#!/usr/bin/env python3
"""Compiles the test models with nnc and checks their outputs against PyTorch and ONNX Runtime.

Why: the models combine ops the way real exporters do (fused shape computations, GELU via Erf,
LayerNorm, depthwise convolutions, residual adds), so they catch what the single-op node tests
cannot. The references are independent of nnc: PyTorch's output is saved by the export script
(Debian's torch), ONNX Runtime's is computed here on the same input.

For each model exported by scripts/export_test_models.py (--with-data): nnc-compile at -O2, then
nnc-run against both references with rtol 1e-3 and atol 1e-4: against PyTorch on one thread,
against ONNX Runtime on three (more threads than this machine's cores, so that the runtime's
workers interleave with the caller). Models listed in the xfail file
(`stem  # reason`) may fail. Prints one line per model and a summary; exit status 1 if a model
not listed fails, 2 on a setup error.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import numpy_helper

import onnx_node_import

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
RTOL, ATOL = "1e-3", "1e-4"
# (models, opsets, batch) groups to export; batch 8 for the two image classifiers.
EXPORTS = [(["mlp", "lenet", "resnet18", "mobilenetv2", "bert", "lstm"], ["13", "17"], 1),
           (["resnet18", "mobilenetv2"], ["17"], 8)]


def export(torch_python, work):
    for models, opsets, batch in EXPORTS:
        # torch's exporter is chatty; its log is shown only when the export fails.
        result = subprocess.run(
            [torch_python, os.path.join(REPO_ROOT, "scripts", "export_test_models.py"),
             "--out-dir", work, "--opsets", *opsets, "--models", *models, "--batch", str(batch),
             "--with-data"], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            sys.exit(2)


def write_ort_reference(model_path, torch_data, ort_data):
    """Runs ONNX Runtime on the torch test input; writes input and outputs to `ort_data`."""
    os.makedirs(ort_data, exist_ok=True)
    model = onnx.load(model_path)
    inputs = {}
    for i, graph_input in enumerate(model.graph.input):
        tensor = onnx.load_tensor(os.path.join(torch_data, f"input_{i}.pb"))
        inputs[graph_input.name] = numpy_helper.to_array(tensor)
        onnx.save_tensor(tensor, os.path.join(ort_data, f"input_{i}.pb"))
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    for i, value in enumerate(session.run(None, inputs)):
        name = session.get_outputs()[i].name
        onnx.save_tensor(numpy_helper.from_array(np.asarray(value), name),
                         os.path.join(ort_data, f"output_{i}.pb"))


def check_model(args, stem):
    """(ok, message) for one model."""
    model_path = os.path.join(args.work, stem + ".onnx")
    library = os.path.join(args.work, stem + ".so")
    compiled = subprocess.run([args.nnc_compile, model_path, "-O2", "-o", library],
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        return False, "compile failed: " + (compiled.stderr.strip().splitlines() or ["?"])[0]
    torch_data = os.path.join(args.work, stem, "test_data_set_0")
    ort_data = os.path.join(args.work, stem, "ort_reference")
    write_ort_reference(model_path, torch_data, ort_data)
    report = []
    for reference, data, threads in (("torch", torch_data, 1), ("onnxruntime", ort_data, 3)):
        run = subprocess.run([args.nnc_run, library, "--data", data, "--rtol", RTOL,
                              "--atol", ATOL, "--threads", str(threads)],
                             capture_output=True, text=True)
        errors = " ".join(line.split(":", 1)[1].strip() for line in run.stdout.splitlines()
                          if line.startswith("output"))
        report.append(f"vs {reference} ({threads}T): {errors or run.stderr.strip()}")
        if run.returncode != 0:
            return False, "; ".join(report)
    return True, "; ".join(report)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nnc-compile", required=True)
    parser.add_argument("--nnc-run", required=True)
    parser.add_argument("--torch-python", default="/usr/bin/python3")
    parser.add_argument("--work", required=True)
    parser.add_argument("--xfail", default=os.path.join(HERE, "model_run.xfail"))
    args = parser.parse_args()

    export(args.torch_python, args.work)
    xfail = onnx_node_import.read_xfail(args.xfail)
    stems = sorted(name[:-5] for name in os.listdir(args.work) if name.endswith(".onnx"))
    unexpected = passed = 0
    for stem in stems:
        ok, message = check_model(args, stem)
        passed += ok
        if ok:
            print(f"PASS {stem}: {message}")
        elif stem in xfail:
            print(f"XFAIL {stem}: {message} (listed: {xfail[stem]})")
        else:
            unexpected += 1
            print(f"FAIL {stem}: {message}")
    print(f"model run: PASS {passed} / {len(stems)} against torch and onnxruntime "
          f"(rtol {RTOL}, atol {ATOL}), unexpected failures {unexpected}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())

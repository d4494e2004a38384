#!/usr/bin/env python3
"""Compiles and runs the official ONNX node tests in scope and compares with their outputs.

Why: the node tests pin down each operator's semantics (attributes, opsets, broadcasting,
edge cases) with reference outputs, so running them end to end checks the whole CPU path:
import, lowering, code generation, the runtime ABI and nnc-run.

Which tests: those of Tier 1 and Tier 2 ops (selection rule in onnx_node_suite.py) whose graph
inputs and outputs are all float32, int64, int32 or bool tensors, the scope ONNX_OPS.md defines.
Shape-deciding inputs are bound as constants exactly as in onnx_node_import.py.

Each test runs `nnc-run model.onnx --data test_data_set_0` (rtol 1e-3, atol 1e-5, as numpy's
allclose). Exit 0 passes; exit 1 is a numerical mismatch; anything else is an error.

Known failures: the xfail file lists `test_name  # reason`. Output: one line per unexpected
failure and unexpected pass, then
  onnx node run (tiers 1+2): PASS <p> / <n> (<percent>%)  (xfail <x>, unexpected failures <u>, unexpected passes <k>)
Exit status: 0 if there is no unexpected failure, 1 if there is, 2 on a setup error.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

from onnx import TensorProto

import onnx_node_import
import onnx_node_suite

HERE = os.path.dirname(os.path.abspath(__file__))
IN_SCOPE_TYPES = {TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32, TensorProto.BOOL}


def in_scope(model):
    """True when every graph input and output is a tensor of an in-scope element type."""
    values = list(model.graph.input) + list(model.graph.output)
    return all(v.type.HasField("tensor_type") and v.type.tensor_type.elem_type in IN_SCOPE_TYPES
               for v in values)


def run_test(nnc_run, data_dir, test, model, timeout):
    """(passed, first line of the failure) for one test."""
    test_dir = os.path.join(data_dir, test)
    command = [nnc_run, os.path.join(test_dir, "model.onnx"),
               "--data", os.path.join(test_dir, "test_data_set_0"),
               *onnx_node_import.bind_args(data_dir, test, model)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:g} s"
    if result.returncode == 0:
        return True, ""
    lines = [l.strip() for l in (result.stdout + result.stderr).splitlines() if l.strip()]
    if result.returncode == 1:
        return False, "mismatch: " + "; ".join(l for l in lines if "MISMATCH" in l)
    if result.returncode < 0:
        return False, f"crashed (signal {-result.returncode})"
    errors = [l for l in lines if "error" in l]
    return False, errors[0] if errors else f"exit status {result.returncode}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nnc-run", required=True, metavar="PATH")
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--cache-dir", metavar="DIR",
                        default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "build",
                                             "onnx-node-data"))
    parser.add_argument("--xfail", default=os.path.join(HERE, "onnx_node_run.xfail"))
    parser.add_argument("--filter", metavar="REGEX")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    data_dir = args.data_dir or onnx_node_suite.default_data_dir(args.cache_dir)
    xfail = onnx_node_import.read_xfail(args.xfail)
    selected = sorted((test, model) for tier in (1, 2)
                      for test, _, model in onnx_node_suite.select(data_dir, tier)
                      if in_scope(model) and (args.filter is None or re.search(args.filter, test)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(
            lambda item: run_test(args.nnc_run, data_dir, *item, args.timeout), selected))

    passed = expected = unexpected = xpass = 0
    for (test, _), (ok, message) in zip(selected, outcomes):
        if ok:
            passed += 1
            if test in xfail:
                xpass += 1
                print(f"XPASS {test} (listed as: {xfail[test]})")
        elif test in xfail:
            expected += 1
            if args.verbose:
                print(f"XFAIL {test}: {message}")
        else:
            unexpected += 1
            print(f"FAIL {test}: {message}")
    total = len(selected)
    print(f"onnx node run (tiers 1+2): PASS {passed} / {total} "
          f"({100.0 * passed / max(total, 1):.1f}%)  (xfail {expected}, unexpected failures "
          f"{unexpected}, unexpected passes {xpass})")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Imports the official ONNX node tests of one op tier with nnc-compile and reports what fails.

Why: the node tests are the widest catalog of the op forms (attributes, opset versions, dtypes,
broadcasting) that real exporters produce, so importing every one of them measures how much of
the tier the importer covers, and keeps it from regressing. Only the import is checked: each
model must compile with `--emit=nn` into verified `nn` MLIR (exit 0). Numerics are out of scope.

Which tests: those whose target op is in the tier; the rule is in onnx_node_suite.py's
docstring. The data is the installed onnx wheel's node tests, or `--data-dir`; when the wheel
has no data (onnx 1.23 does not ship it), it is written from the wheel's case definitions into
`--cache-dir` once.

Constant inputs: ops like Reshape, Slice or Range need operands that the tests feed as graph
inputs. Every graph input that is int64/int32 of rank 0 or 1, every rank-0 input of any type,
and every rank-1 input that feeds Resize's or Upsample's roi/scales, is folded into a constant with `--bind-input NAME=test_data_set_0/input_<i>.pb`, where i
is the input's index among the graph inputs that are not initializers.

Known failures: the xfail file lists one `test_name  # reason` a line. A listed test may fail
only cleanly (exit 1 with a diagnostic); a crash, a timeout or another exit status is an
unexpected failure even for a listed test. A listed test that passes is reported as an
unexpected pass (it should come off the list) but does not fail the run. Entries for tests
that are not in the selection are ignored, and those that name no test in the data are warned
about.

Output: one line per unexpected failure (`FAIL <test>: <first error line>`) and unexpected pass
(`XPASS <test>`), then the summary line
  onnx node import (tier 1): PASS <p> / <n>  (xfail <x>, unexpected failures <u>, unexpected passes <k>)
Exit status: 0 if there is no unexpected failure, 1 if there is, 2 on a usage or setup error.
"""

import argparse
import concurrent.futures
import os
import re
import signal
import subprocess
import sys

from onnx import TensorProto

import onnx_node_suite

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
BINDABLE_INT_TYPES = (TensorProto.INT64, TensorProto.INT32)


def parse_args():
    parser = argparse.ArgumentParser(
        description="Compile the official ONNX node tests of an op tier with nnc-compile "
                    "(--emit=nn) and compare the failures with a list of known ones.",
        epilog="Exit status: 0 when nothing fails unexpectedly, 1 on an unexpected failure, "
               "2 on a usage or setup error.")
    parser.add_argument("--nnc-compile", required=True, metavar="PATH",
                        help="the nnc-compile binary to test")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="directory of node tests (<DIR>/<test>/model.onnx); default: the "
                             "onnx wheel's backend/test/data/node, or data written from the "
                             "wheel's case definitions into --cache-dir when it has none")
    parser.add_argument("--cache-dir", metavar="DIR",
                        default=os.path.join(REPO_ROOT, "build", "onnx-node-data"),
                        help="where to write the node test data when the wheel has none "
                             "(default: %(default)s)")
    parser.add_argument("--tier", type=int, choices=sorted(onnx_node_suite.TIER_OPS), default=1,
                        help="op tier whose tests to run (default: %(default)s)")
    parser.add_argument("--xfail", metavar="FILE",
                        default=os.path.join(HERE, "onnx_node_import.xfail"),
                        help="known failures, one 'test_name  # reason' a line "
                             "(default: %(default)s)")
    parser.add_argument("--filter", metavar="REGEX",
                        help="run only the selected tests whose name REGEX matches (re.search)")
    parser.add_argument("--jobs", "-j", type=int, default=2, metavar="N",
                        help="tests to compile in parallel (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=30, metavar="SECONDS",
                        help="time limit for one compile (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print passes and expected failures, and the command line of "
                             "every failure")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not (os.path.isfile(args.nnc_compile) and os.access(args.nnc_compile, os.X_OK)):
        parser.error(f"--nnc-compile {args.nnc_compile}: not an executable file")
    if args.data_dir is not None and not os.path.isdir(args.data_dir):
        parser.error(f"--data-dir {args.data_dir}: not a directory")
    if not os.path.isfile(args.xfail):
        parser.error(f"--xfail {args.xfail}: no such file")
    return args


def setup_error(message):
    print(f"onnx_node_import.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def read_xfail(path):
    """{test name: reason} from an xfail file; exits with status 2 on a malformed line."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            name, _, reason = (part.strip() for part in text.partition("#"))
            # Names are test names, or model stems (cuda_suite.py prefixes them with model:).
            if not reason or not re.fullmatch(r"[\w:]+", name):
                setup_error(f"{path}:{lineno}: expected 'test_name  # reason', got: {text}")
            if name in entries:
                setup_error(f"{path}:{lineno}: {name} is listed twice")
            entries[name] = reason
    return entries


def bind_args(data_dir, test, model):
    """--bind-input arguments for the graph inputs that must be constants (module docstring)."""
    initializers = {t.name for t in model.graph.initializer}
    inputs = [vi for vi in model.graph.input if vi.name not in initializers]
    resize_operands = {name for node in model.graph.node if node.op_type in ("Resize", "Upsample")
                       for name in node.input[1:]}
    args = []
    for index, value_info in enumerate(inputs):
        tensor_type = value_info.type.tensor_type
        if not value_info.type.HasField("tensor_type") or not tensor_type.HasField("shape"):
            continue
        rank = len(tensor_type.shape.dim)
        if rank == 0 or (rank == 1 and (tensor_type.elem_type in BINDABLE_INT_TYPES
                                        or value_info.name in resize_operands)):
            path = os.path.join(data_dir, test, "test_data_set_0", f"input_{index}.pb")
            args += ["--bind-input", f"{value_info.name}={path}"]
    return args


def compile_test(nnc_compile, data_dir, test, model, timeout):
    """Runs nnc-compile on one test: (command, None) on success, else (command, failure), where
    failure is (clean, message) and clean means exit status 1."""
    command = [nnc_compile, os.path.join(data_dir, test, "model.onnx"),
               "-o", os.devnull, "--emit=nn", *bind_args(data_dir, test, model)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return command, (False, f"timed out after {timeout:g} s")
    if result.returncode == 0:
        return command, None
    if result.returncode < 0:
        return command, (False, f"killed by {signal.Signals(-result.returncode).name}")
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    first_error = next((line for line in lines if "error" in line.lower()),
                       lines[0] if lines else "(no message on stderr)")
    if result.returncode == 1:
        return command, (True, first_error)
    return command, (False, f"exit status {result.returncode}: {first_error}")


def main():
    args = parse_args()
    data_dir = args.data_dir or onnx_node_suite.default_data_dir(args.cache_dir)
    xfail = read_xfail(args.xfail)
    available = set(onnx_node_suite.list_tests(data_dir))
    for name in sorted(set(xfail) - available):
        print(f"warning: {args.xfail}: {name} is not a test in {data_dir}", file=sys.stderr)

    selected = [(test, model) for test, _, model in onnx_node_suite.select(data_dir, args.tier)
                if args.filter is None or re.search(args.filter, test)]
    if args.verbose:
        print(f"{len(selected)} tests of tier {args.tier} from {data_dir}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(
            lambda item: compile_test(args.nnc_compile, data_dir, *item, args.timeout), selected))

    passed = expected_failures = unexpected_failures = unexpected_passes = 0
    for (test, _), (command, failure) in zip(selected, outcomes):
        if failure is None:
            passed += 1
            if test in xfail:
                unexpected_passes += 1
                print(f"XPASS {test} (listed as: {xfail[test]})")
            elif args.verbose:
                print(f"PASS {test}")
            continue
        clean, message = failure
        if clean and test in xfail:
            expected_failures += 1
            if args.verbose:
                print(f"XFAIL {test}: {message}")
        else:
            unexpected_failures += 1
            note = " (listed as known, but only a clean exit 1 is)" if test in xfail else ""
            print(f"FAIL {test}: {message}{note}")
        if args.verbose:
            print("  command: " + subprocess.list2cmdline(command))

    print(f"onnx node import (tier {args.tier}): PASS {passed} / {len(selected)}  "
          f"(xfail {expected_failures}, unexpected failures {unexpected_failures}, "
          f"unexpected passes {unexpected_passes})")
    return 1 if unexpected_failures else 0


if __name__ == "__main__":
    sys.exit(main())

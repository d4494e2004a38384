#!/usr/bin/env python3
"""The CUDA target's test suite: PTX that ptxas accepts, and results on a GPU.

Why: the CUDA path shares import and graph lowering with the CPU path but has its own kernels,
host code and runtime; only assembling its PTX and running it on a GPU checks them.

Which tests: the same in-scope node tests as onnx_node_run.py (tiers 1 and 2, float32 / int64 /
int32 / bool graph tensors, shape inputs bound as constants) and the six test models at batch 1
(opset 17) that model_run.py exports into its work folder.

Modes:
  ptx    compile each test with `nnc-compile --target=cuda --emit=ptx` and, when ptxas is found
         (PATH, then $CUDA_HOME/bin, /usr/local/cuda/bin), assemble it for every --arch (sm_80
         and sm_90). Needs no GPU. Exit 1 when a test not in the xfail file fails.
  build  compile each test into a CUDA model library under --out, with its test data and a
         manifest, so that `run` can go where the GPU is (it needs only Python, numpy and
         libnnc_rt.so there).
  run    load each library of a `build` folder with the nnc runtime (NNC_RUNTIME_LIB), run it on
         the GPU and compare with the expected outputs: node tests with rtol 1e-3, atol 1e-5,
         models with rtol 1e-3, atol 1e-4 (as the CPU suites), |actual - expected| <= atol +
         rtol * |expected| elementwise, NaN matching NaN; integer and bool outputs exactly.
  e2e    build into --out, then run; without a usable CUDA device it prints
         "skipped: no CUDA device (<why>)" and exits 77 before compiling anything.

Known failures: the xfail file lists `test_name  # reason` (models as `model:<stem>`); the tests
that onnx_node_run.xfail lists for the CPU path may fail here too.
Exit status: 0 no unexpected failure, 1 some, 2 setup error, 77 skipped.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = ["mlp", "lenet", "resnet18", "mobilenetv2", "bert", "lstm"]
SKIP = 77


def xfail_lists(args):
    """This suite's known failures and the CPU node suite's."""
    import onnx_node_import
    return onnx_node_import.read_xfail(args.xfail), onnx_node_import.read_xfail(args.cpu_xfail)


def find_ptxas():
    candidates = [shutil.which("ptxas")]
    for root in (os.environ.get("CUDA_HOME"), "/usr/local/cuda"):
        if root:
            candidates.append(os.path.join(root, "bin", "ptxas"))
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def node_tests(args):
    """[(name, model path, compile args, data dir)] of the in-scope node tests."""
    from onnx import TensorProto  # noqa: F401  (the node suite needs onnx)
    import onnx_node_import
    import onnx_node_run
    import onnx_node_suite
    data_dir = args.data_dir or onnx_node_suite.default_data_dir(args.cache_dir)
    tests = []
    for tier in (1, 2):
        for test, _, model in onnx_node_suite.select(data_dir, tier):
            if not onnx_node_run.in_scope(model):
                continue
            if args.filter and not re.search(args.filter, test):
                continue
            tests.append((test, os.path.join(data_dir, test, "model.onnx"),
                          onnx_node_import.bind_args(data_dir, test, model),
                          os.path.join(data_dir, test, "test_data_set_0")))
    return sorted(tests)


def model_tests(args):
    if not args.models_dir:
        return []
    tests = []
    for stem in (f"{m}_opset17" for m in MODELS):
        if args.filter and not re.search(args.filter, "model:" + stem):
            continue
        path = os.path.join(args.models_dir, stem + ".onnx")
        if not os.path.exists(path):
            print(f"error: {path} is missing (run the model-run test first)", file=sys.stderr)
            sys.exit(2)
        tests.append(("model:" + stem, path, [], os.path.join(args.models_dir, stem,
                                                               "test_data_set_0")))
    return tests


def compile_one(nnc_compile, model, extra, output, emit, timeout):
    """None on success, else the first error line."""
    command = [nnc_compile, model, "--target=cuda", f"--emit={emit}", "-o", output, *extra]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"nnc-compile timed out after {timeout:g} s"
    if result.returncode == 0:
        return None
    lines = [l for l in result.stderr.splitlines() if "error" in l] or result.stderr.splitlines()
    return "compile: " + (lines[0].strip() if lines else f"exit status {result.returncode}")


def check_ptx(args, test, work, ptxas):
    name, model, extra, _ = test
    ptx = os.path.join(work, re.sub(r"[^\w.-]", "_", name) + ".ptx")
    error = compile_one(args.nnc_compile, model, extra, ptx, "ptx", args.timeout)
    if error:
        return error
    # A model whose work is all copies has no kernel and an empty PTX file.
    for arch in args.arch if ptxas and os.path.getsize(ptx) else []:
        result = subprocess.run([ptxas, f"-arch={arch}", ptx, "-o", os.devnull],
                                capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            return f"ptxas -arch={arch}: " + (result.stderr.strip().splitlines() or ["?"])[0]
    os.remove(ptx)
    return None


def summarize(kind, tests, failures, xfail, cpu_xfail):
    """Prints the failures not expected and the summary line; tests the CPU suite expects to
    fail (onnx_node_run.xfail) may fail here too, but passing them is not news."""
    unexpected = xpass = 0
    for name, _, _, _ in tests:
        message = failures.get(name)
        if message is not None and name in cpu_xfail:
            continue
        if message is None and name in xfail:
            xpass += 1
            print(f"XPASS {name} (listed as: {xfail[name]})")
        elif message is not None and name not in xfail:
            unexpected += 1
            print(f"FAIL {name}: {message}")
    passed = len(tests) - len(failures)
    nodes = [t for t in tests if not t[0].startswith("model:")]
    node_passed = sum(1 for t in nodes if t[0] not in failures)
    print(f"cuda {kind}: PASS {passed} / {len(tests)}; node tests {node_passed} / {len(nodes)} "
          f"({100.0 * node_passed / max(len(nodes), 1):.1f}%), models "
          f"{passed - node_passed} / {len(tests) - len(nodes)}  (unexpected failures "
          f"{unexpected}, unexpected passes {xpass})")
    return 1 if unexpected else 0


def mode_ptx(args):
    ptxas = find_ptxas()
    print(f"ptxas: {ptxas or 'not found, PTX is only generated'}; arches: {' '.join(args.arch)}")
    tests = node_tests(args) + model_tests(args)
    os.makedirs(args.out, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(lambda t: check_ptx(args, t, args.out, ptxas), tests))
    failures = {t[0]: m for t, m in zip(tests, outcomes) if m}
    return summarize("ptx", tests, failures, *xfail_lists(args))


def mode_build(args):
    tests = node_tests(args) + model_tests(args)
    os.makedirs(args.out, exist_ok=True)
    manifest = []

    def build(test):
        name, model, extra, data = test
        folder = os.path.join(args.out, re.sub(r"[^\w.-]", "_", name))
        os.makedirs(folder, exist_ok=True)
        error = compile_one(args.nnc_compile, model, extra, os.path.join(folder, "model.so"),
                            "shared", args.timeout)
        shutil.copytree(data, os.path.join(folder, "data"), dirs_exist_ok=True)
        # The graph's input names, in the order of the data's input_<i>.pb files.
        import onnx
        graph = onnx.load(model, load_external_data=False).graph
        initializers = {t.name for t in graph.initializer}
        inputs = [v.name for v in graph.input if v.name not in initializers]
        outputs = [v.name for v in graph.output]
        return {"name": name, "folder": os.path.basename(folder), "inputs": inputs,
                "outputs": outputs, "compile_error": error}

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        manifest = list(pool.map(build, tests))
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    built = sum(1 for entry in manifest if not entry["compile_error"])
    print(f"cuda build: {built} / {len(manifest)} compiled into {args.out}")
    return 0


def device_status():
    """None when a CUDA device is usable, else why not (the runtime at NNC_RUNTIME_LIB says)."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "python"))
    import nnc
    return nnc.cuda_device_status()


def load_tensor(path):
    from onnx import numpy_helper
    import onnx
    tensor = onnx.load_tensor(path)
    return tensor.name, numpy_helper.to_array(tensor)


def compare(actual, expected, rtol, atol):
    """None when they match, else a description."""
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if expected.dtype.kind in "fc":
        a, e = actual.astype(np.float64), expected.astype(np.float64)
        both_nan = np.isnan(a) & np.isnan(e)
        close = (np.abs(a - e) <= atol + rtol * np.abs(e)) | both_nan | (a == e)
        if not close.all():
            worst = np.nanmax(np.where(close, 0, np.abs(a - e)))
            return f"{(~close).sum()} of {close.size} elements differ (max abs error {worst:.3g})"
        return None
    if not np.array_equal(actual, expected):
        return f"{(actual != expected).sum()} of {actual.size} elements differ"
    return None


def run_one(entry, root):
    import nnc
    if entry["compile_error"]:
        return entry["compile_error"]
    folder = os.path.join(root, entry["folder"])
    model_test = entry["name"].startswith("model:")
    rtol, atol = (1e-3, 1e-4) if model_test else (1e-3, 1e-5)
    try:
        module = nnc.Module(os.path.join(folder, "model.so"))
        data = os.path.join(folder, "data")
        files = sorted((f for f in os.listdir(data) if re.fullmatch(r"input_\d+\.pb", f)),
                       key=lambda f: int(f[6:-3]))
        by_name = {}
        for index, f in enumerate(files):
            name, array = load_tensor(os.path.join(data, f))
            by_name[entry["inputs"][index] if index < len(entry["inputs"]) else name] = array
        feeds = {info.name: by_name[info.name] for info in module.inputs}
        results = module.run(feeds)
        for index, result in enumerate(results):
            _, expected = load_tensor(os.path.join(data, f"output_{index}.pb"))
            problem = compare(np.asarray(result), expected, rtol, atol)
            if problem:
                return f"output {index}: {problem}"
    except Exception as error:  # a runtime status or a missing file
        return f"run: {error}"
    return None


def mode_worker(args):
    """Runs the manifest's tests from --start on, one result line each (see mode_run)."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "python"))
    with open(os.path.join(args.out, "manifest.json")) as f:
        manifest = json.load(f)
    for index in range(args.start, len(manifest)):
        print(f"START {index}", flush=True)
        problem = run_one(manifest[index], args.out)
        print(f"RESULT {index} {json.dumps(problem)}", flush=True)
    return 0


def mode_run(args):
    runtime_lib = os.environ.get("NNC_RUNTIME_LIB")
    if not runtime_lib:
        print("error: set NNC_RUNTIME_LIB to libnnc_rt.so", file=sys.stderr)
        return 2
    why = device_status()
    if why:
        print(f"skipped: no CUDA device ({why})")
        return SKIP
    with open(os.path.join(args.out, "manifest.json")) as f:
        manifest = json.load(f)
    # Workers run the tests in order; a test that kills its worker (a crash
    # is a failure to report, not the end of the suite) is recorded and a new
    # worker goes on after it.
    failures, start = {}, 0
    while start < len(manifest):
        worker = subprocess.Popen([sys.executable, os.path.abspath(__file__), "worker",
                                   "--out", args.out, "--start", str(start)],
                                  stdout=subprocess.PIPE, text=True)
        current = start
        for line in worker.stdout:
            kind, index, *rest = line.rstrip("\n").split(" ", 2)
            current = int(index)
            if kind == "RESULT":
                problem = json.loads(rest[0])
                name = manifest[current]["name"]
                if problem:
                    failures[name] = problem
                elif args.verbose:
                    print(f"PASS {name}")
                current += 1
        status = worker.wait()
        if current < len(manifest) and status != 0:
            failures[manifest[current]["name"]] = f"crashed (exit status {status})"
            current += 1
        start = current
    tests = [(e["name"], None, None, None) for e in manifest
             if not args.filter or re.search(args.filter, e["name"])]
    failures = {k: v for k, v in failures.items() if any(k == t[0] for t in tests)}
    return summarize("run", tests, failures, *xfail_lists(args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["ptx", "build", "run", "e2e", "worker"])
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--nnc-compile", metavar="PATH")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="work folder (ptx), or the folder of built models (build, run)")
    parser.add_argument("--models-dir", metavar="DIR",
                        help="model_run.py's work folder, for the six models")
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--cache-dir", metavar="DIR",
                        default=os.path.join(REPO_ROOT, "build", "onnx-node-data"))
    parser.add_argument("--arch", nargs="+", default=["sm_80", "sm_90"])
    parser.add_argument("--xfail", default=os.path.join(HERE, "cuda_suite.xfail"))
    parser.add_argument("--cpu-xfail", default=os.path.join(HERE, "onnx_node_run.xfail"))
    parser.add_argument("--filter", metavar="REGEX")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.mode in ("ptx", "build", "e2e") and not args.nnc_compile:
        parser.error(f"{args.mode} needs --nnc-compile")
    if args.mode == "ptx":
        return mode_ptx(args)
    if args.mode == "build":
        return mode_build(args)
    if args.mode == "worker":
        return mode_worker(args)
    if args.mode == "e2e":
        why = device_status()
        if why:
            print(f"skipped: no CUDA device ({why})")
            return SKIP
        mode_build(args)
    return mode_run(args)


if __name__ == "__main__":
    sys.exit(main())

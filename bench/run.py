#!/usr/bin/env python3
"""nnc's CPU benchmark: latency of nnc against ONNX Runtime and PyTorch, plus a GEMM microbenchmark.

One command (from the repository root, after the Quickstart's setup):

  .venv/bin/python bench/run.py

exports the benchmark models with scripts/export_test_models.py (Debian's torch), compiles each
with nnc-compile -O2 (timing it and recording its peak RSS), checks nnc's and ONNX Runtime's
outputs against PyTorch's reference output, then times nnc (nnc-run), ONNX Runtime (pinned wheel,
all graph optimizations, intra-op threads = T, inter-op 1) and PyTorch eager, each in its own
process, alternating between them for --rounds rounds at every thread count T. It prints a table
of median latencies and the ratios nnc/ORT and nnc/torch and writes it, with the machine's CPU, to
docs/benchmarks.md. A wrong output fails the bench (exit status 1).

The GEMM microbenchmark compiles a 1024x1024x1024 MatMul with nnc and prints its GFLOP/s next to
the FP32 FMA peak of one core, measured by bench/peak.c on this machine.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import worker

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
# (name, batch); the models of the test suite, image classifiers also at batch 8.
MODELS = [("mlp", 1), ("lenet", 1), ("resnet18", 1), ("mobilenetv2", 1), ("bert", 1), ("lstm", 1),
          ("resnet18", 8), ("mobilenetv2", 8)]
OPSET = "17"
RTOL, ATOL = 1e-3, 1e-4


def peak_rss_kib(pid):
    """VmHWM of a running process, or None once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run_with_rss(command):
    """Runs `command`, returns (stdout, stderr, returncode, seconds, peak RSS in KiB).

    The peak is the process's own VmHWM, polled while it runs: getrusage and wait4 report the
    larger of it and the RSS of the forked parent before exec, which is this script's.
    """
    start = datetime.datetime.now()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        peak = 0
        while process.poll() is None:
            peak = max(peak, peak_rss_kib(process.pid) or 0)
            time.sleep(0.005)
        seconds = (datetime.datetime.now() - start).total_seconds()
        out.seek(0)
        err.seek(0)
        return out.read(), err.read(), process.returncode, seconds, peak


def export_models(torch_python, work, names):
    for batch in sorted({b for _, b in MODELS}):
        models = [m for m, b in MODELS if b == batch and m in names]
        if not models:
            continue
        result = subprocess.run(
            [torch_python, os.path.join(REPO_ROOT, "scripts", "export_test_models.py"),
             "--out-dir", work, "--opsets", OPSET, "--models", *models, "--batch", str(batch),
             "--with-data"], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"bench: model export failed:\n{result.stdout}{result.stderr}")


def check_ort(model_path, data_dir):
    """ONNX Runtime's outputs against the PyTorch reference; returns an error string or None."""
    import onnxruntime
    inputs = worker.load_inputs(model_path, data_dir)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    for i, value in enumerate(session.run(None, inputs)):
        expected = numpy_helper.to_array(onnx.load_tensor(os.path.join(data_dir, f"output_{i}.pb")))
        if not np.allclose(value, expected, rtol=RTOL, atol=ATOL):
            return f"output {i} differs from PyTorch by {np.abs(value - expected).max():.3g}"
    return None


def parse_median(stdout):
    for token in stdout.split():
        if token.startswith("median_ms="):
            return float(token.split("=")[1])
    raise ValueError(f"no median_ms in nnc-run output: {stdout!r}")


def measure_peak(work):
    binary = os.path.join(work, "peak")
    subprocess.run(["clang-22", "-O2", "-march=native", "-ffp-contract=fast",
                    os.path.join(HERE, "peak.c"), "-o", binary], check=True)
    gflops, bits, _ = subprocess.run([binary], capture_output=True, text=True,
                                     check=True).stdout.split()
    return float(gflops), int(bits)


def gemm_benchmark(args, work, size=1024):
    path = os.path.join(work, f"sgemm{size}.onnx")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["c"])], "sgemm",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, [size, size]) for n in "ab"],
        [helper.make_tensor_value_info("c", TensorProto.FLOAT, [size, size])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    data = os.path.join(work, f"sgemm{size}_data")
    os.makedirs(data, exist_ok=True)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    for i, x in enumerate([a, b]):
        onnx.save_tensor(numpy_helper.from_array(x), os.path.join(data, f"input_{i}.pb"))
    onnx.save_tensor(numpy_helper.from_array((a.astype(np.float64) @ b).astype(np.float32)),
                     os.path.join(data, "output_0.pb"))
    library = os.path.join(work, f"sgemm{size}.so")
    subprocess.run([args.nnc_compile, path, "-o", library], check=True)
    result = subprocess.run([args.nnc_run, library, f"--data={data}", "--rtol=1e-3", "--atol=1e-3",
                             f"--bench={args.iters}", "--warmup=3",
                             f"--warmup-ms={args.warmup_ms}"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bench: SGEMM result is wrong:\n{result.stdout}{result.stderr}")
    median = parse_median(result.stdout)
    return median, 2 * size ** 3 / (median * 1e-3) / 1e9


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(REPO_ROOT, "build", "release", "bin")
    parser.add_argument("--nnc-compile", default=os.path.join(build, "nnc-compile"))
    parser.add_argument("--nnc-run", default=os.path.join(build, "nnc-run"))
    parser.add_argument("--torch-python", default="/usr/bin/python3")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3, help="alternations between the engines")
    parser.add_argument("--iters", type=int, default=20, help="timed runs per engine per round")
    parser.add_argument("--warmup-ms", type=int, default=200,
                        help="untimed runs for at least this long first, in every engine: a "
                             "process that just started (nnc-run starts in milliseconds, the "
                             "Python workers in a second) runs on a core not yet at full clock")
    parser.add_argument("--models", nargs="+", default=sorted({m for m, _ in MODELS}))
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "nnc-bench"))
    parser.add_argument("--output", default=os.path.join(REPO_ROOT, "docs", "benchmarks.md"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)

    export_models(args.torch_python, args.work, args.models)
    rows, failures = [], []
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    for name, batch in MODELS:
        if name not in args.models:
            continue
        stem = f"{name}_opset{OPSET}" if batch == 1 else f"{name}_b{batch}_opset{OPSET}"
        model = os.path.join(args.work, stem + ".onnx")
        data = os.path.join(args.work, stem, "test_data_set_0")
        library = os.path.join(args.work, stem + ".so")
        _, err, code, compile_s, compile_rss = run_with_rss([args.nnc_compile, model, "-o", library])
        if code != 0:
            failures.append(f"{stem}: nnc-compile failed: {err.strip()}")
            continue
        check = subprocess.run([args.nnc_run, library, f"--data={data}", f"--rtol={RTOL}",
                                f"--atol={ATOL}"], capture_output=True, text=True)
        if check.returncode != 0:
            failures.append(f"{stem}: nnc output differs from PyTorch: {check.stdout.strip()}")
        ort_error = check_ort(model, data)
        if ort_error:
            failures.append(f"{stem}: ONNX Runtime {ort_error}")
        label = name if batch == 1 else f"{name} b{batch}"
        for threads in args.threads:
            times = {"nnc": [], "ort": [], "torch": []}
            rss = {"nnc": 0, "ort": 0, "torch": 0}
            for _ in range(args.rounds):
                out, _, _, _, peak = run_with_rss(
                    [args.nnc_run, library, f"--data={data}", f"--rtol={RTOL}", f"--atol={ATOL}",
                     f"--bench={args.iters}", "--warmup=3", f"--warmup-ms={args.warmup_ms}",
                     f"--threads={threads}"])
                times["nnc"].append(parse_median(out))
                rss["nnc"] = max(rss["nnc"], peak)
                for engine, python in (("ort", sys.executable), ("torch", args.torch_python)):
                    out, err, code, _, _ = run_with_rss(
                        [python, os.path.join(HERE, "worker.py"), "--engine", engine,
                         "--model", model, "--data", data, "--torch-model", name,
                         "--batch", str(batch), "--threads", str(threads),
                         "--iters", str(args.iters), "--warmup-ms", str(args.warmup_ms)])
                    if code != 0:
                        sys.exit(f"bench: {engine} worker failed on {stem}:\n{err}")
                    result = json.loads(out.strip().splitlines()[-1])
                    times[engine].append(result["median_ms"])
                    rss[engine] = max(rss[engine], result["maxrss_kb"])
            median = {engine: statistics.median(values) for engine, values in times.items()}
            rows.append((label, threads, median, compile_s, compile_rss, rss))
            print(f"{label:16} T={threads}  nnc {median['nnc']:9.3f} ms  ORT {median['ort']:9.3f} ms"
                  f"  torch {median['torch']:9.3f} ms  nnc/ORT {median['nnc'] / median['ort']:6.2f}"
                  f"  nnc/torch {median['nnc'] / median['torch']:6.2f}", flush=True)

    peak, bits = measure_peak(args.work)
    gemm_ms, gemm_gflops = gemm_benchmark(args, args.work)
    print(f"SGEMM 1024^3: {gemm_ms:.2f} ms = {gemm_gflops:.1f} GFLOP/s; "
          f"FP32 FMA peak of one core ({bits}-bit vectors): {peak:.1f} GFLOP/s "
          f"({100 * gemm_gflops / peak:.0f}% of peak)")

    geo = {}
    for threads in args.threads:
        ratios = [r[2]["nnc"] / r[2]["ort"] for r in rows if r[1] == threads]
        if ratios:
            geo[threads] = float(np.exp(np.mean(np.log(ratios))))
            print(f"geometric mean nnc/ORT at T={threads}: {geo[threads]:.2f}")
    write_report(args, rows, geo, peak, bits, gemm_ms, gemm_gflops)
    if failures:
        print("\n".join(["bench: FAILED"] + failures), file=sys.stderr)
        return 1
    return 0


def write_report(args, rows, geo, peak, bits, gemm_ms, gemm_gflops):
    lines = [
        "# Benchmarks",
        "",
        "Generated by `.venv/bin/python bench/run.py` (see bench/README.md); do not edit by hand.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores; measured {datetime.date.today()}.",
        f"- FP32 FMA peak of one core ({bits}-bit vectors, bench/peak.c): {peak:.1f} GFLOP/s.",
        f"- SGEMM 1024x1024x1024 through nnc-compiled code, 1 thread: {gemm_ms:.2f} ms = "
        f"{gemm_gflops:.1f} GFLOP/s ({100 * gemm_gflops / peak:.0f}% of peak).",
        f"- Medians over {args.rounds} alternating rounds of {args.iters} runs (each engine warmed "
        f"up for {args.warmup_ms} ms first), batch 1 unless "
        "noted. ORT: onnxruntime with all graph optimizations, intra-op threads = T, inter-op 1, "
        "called from Python. torch: PyTorch eager from Debian, torch.set_num_threads(T). nnc: "
        "nnc-run --threads=T.",
        "- Outputs of nnc and ONNX Runtime were checked against PyTorch's in the same run "
        f"(rtol {RTOL}, atol {ATOL}).",
        "",
        "| model | T | nnc ms | ORT ms | torch ms | nnc/ORT | nnc/torch | nnc compile s | "
        "compile RSS MB | run RSS MB nnc / ORT |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, threads, median, compile_s, compile_rss, rss in rows:
        lines.append(
            f"| {label} | {threads} | {median['nnc']:.3f} | {median['ort']:.3f} | "
            f"{median['torch']:.3f} | {median['nnc'] / median['ort']:.2f} | "
            f"{median['nnc'] / median['torch']:.2f} | {compile_s:.1f} | {compile_rss / 1024:.0f} | "
            f"{rss['nnc'] / 1024:.0f} / {rss['ort'] / 1024:.0f} |")
    lines.append("")
    for threads, value in geo.items():
        lines.append(f"Geometric mean nnc/ORT at T={threads}: {value:.2f}.")
    lines.append("")
    # The GPU section comes from bench/cuda_bench.py, run where a GPU is.
    if os.path.exists(args.output):
        previous = open(args.output).read()
        if "## NVIDIA GPU" in previous:
            lines.append(previous[previous.index("## NVIDIA GPU"):].rstrip("\n"))
            lines.append("")
    with open(args.output, "w") as output:
        output.write("\n".join(lines))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    sys.exit(main())

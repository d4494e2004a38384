#!/usr/bin/env python3
"""nnc's GPU benchmark: CUDA models against PyTorch eager and torch.compile on the same GPU.

Two steps, because the GPU machine has PyTorch but no nnc toolchain:

  .venv/bin/python bench/cuda_bench.py build --out DIR      # here: nnc-compile --target=cuda
  python3 bench/cuda_bench.py run --out DIR                 # on the GPU machine

  python3 bench/cuda_bench.py record GPU1.md [GPU2.md ...]  # here: into docs/benchmarks.md

`build` compiles the benchmark models (the test models' ONNX files from model_run.py's work
folder, --models-dir) and square MatMuls (f16 4096^3 and f32 1024^3) into CUDA model libraries.
`run` needs PyTorch with CUDA, numpy and libnnc_rt.so (NNC_RUNTIME_LIB). It builds the same
networks in PyTorch (scripts/export_test_models.py's definitions), puts one input on the GPU,
and times, in one process and alternating rounds, nnc (nnc_model_run_device on the torch
tensors' device memory: no host copies), torch eager and torch.compile (default mode), each call
followed by a device synchronization. It prints the median latency of each, the ratios, and the
GEMMs' TFLOP/s next to torch.matmul's (cuBLAS) on the same shapes, as a markdown table, and
writes it to --section (a file to bring back). `record` puts the rows of one or more such
files (runs that each hold what fits in one transfer to the GPU machine) into the "NVIDIA GPU"
section of docs/benchmarks.md, which bench/run.py keeps when it rewrites the CPU tables.
"""

import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
MODELS = ["resnet18", "mobilenetv2", "bert"]
GEMMS = [("gemm_f16_4096", 10, 4096), ("gemm_f32_1024", 1, 1024)]  # (name, ONNX dtype, n)


def build(args):
    import onnx
    from onnx import TensorProto, helper
    os.makedirs(args.out, exist_ok=True)
    jobs = [(os.path.join(args.models_dir, f"{m}_opset17.onnx"), m) for m in args.models]
    for name, dtype, n in GEMMS:
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["a", "b"], ["c"])], name,
            [helper.make_tensor_value_info("a", dtype, [n, n]),
             helper.make_tensor_value_info("b", dtype, [n, n])],
            [helper.make_tensor_value_info("c", dtype, [n, n])])
        path = os.path.join(args.out, name + ".onnx")
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
        jobs.append((path, name))
    for model, name in jobs:
        subprocess.run([args.nnc_compile, model, "--target=cuda", f"--gpu-arch={args.gpu_arch}",
                        "-o", os.path.join(args.out, name + ".so")], check=True)
        print(f"built {name}")
    return 0


def device_runner(path, inputs, outputs):
    """A call that runs the CUDA model at `path` on torch tensors' device memory through the nnc
    package's runtime bindings (nnc_model_run_device: no host copies)."""
    import torch
    sys.path.insert(0, os.path.join(REPO_ROOT, "python"))
    from nnc import _runtime
    module = _runtime.Module(path)
    codes = {torch.float32: 1, torch.int64: 7, torch.float16: 10}

    def views(tensors):
        shapes = [(ctypes.c_int64 * t.dim())(*t.shape) for t in tensors]
        array = (_runtime._TensorView * len(tensors))(*(
            _runtime._TensorView(t.data_ptr(), codes[t.dtype], t.dim(), shape,
                                 t.numel() * t.element_size())
            for t, shape in zip(tensors, shapes)))
        return array, shapes

    (in_views, in_shapes), (out_views, out_shapes) = views(inputs), views(outputs)
    lib = _runtime._runtime()

    def run():
        # The module and the shape arrays the views point at live as long as this call.
        _runtime._check(lib.nnc_model_run_device(module._handle, in_views, len(in_shapes),
                                                 out_views, len(out_shapes)))
    return run


def median_ms(fn, sync, iterations):
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        sync()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def run(args):
    import torch
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import export_test_models as zoo
    sync = torch.cuda.synchronize
    gpu = torch.cuda.get_device_name()
    lines = []

    def emit(line):
        print(line, flush=True)
        lines.append(line)

    emit(f"GPU: {gpu}; torch {torch.__version__}; median of {args.iterations} runs after "
         f"warm-up, {args.rounds} alternating rounds (median of the round medians)")
    emit(TABLE_HEADER[0])
    emit(TABLE_HEADER[1])
    for name in args.models:
        model, example, _ = zoo.build(name, 1)
        model = model.cuda()
        x = example.cuda()
        with torch.no_grad():
            expected = model(x)
        out = torch.empty_like(expected)
        nnc = device_runner(os.path.join(args.out, name + ".so"), [x], [out])
        compiled = torch.compile(model)
        results = {"nnc": [], "eager": [], "compile": []}
        with torch.no_grad():
            runners = {"nnc": nnc, "eager": lambda: model(x), "compile": lambda: compiled(x)}
            for fn in runners.values():
                for _ in range(3):
                    fn()
                sync()
            for _ in range(args.rounds):
                for key, fn in runners.items():
                    results[key].append(median_ms(fn, sync, args.iterations))
        ms = {k: statistics.median(v) for k, v in results.items()}
        emit(f"| {name} b1 | {ms['nnc']:.3f} | {ms['eager']:.3f} | {ms['compile']:.3f} | "
             f"{ms['nnc'] / ms['eager']:.2f} | {ms['nnc'] / ms['compile']:.2f} |")
    for name, dtype, n in GEMMS:
        if not os.path.exists(os.path.join(args.out, name + ".so")):
            continue  # not in this run's folder
        torch_dtype = torch.float16 if dtype == 10 else torch.float32
        a = torch.randn(n, n, device="cuda", dtype=torch_dtype)
        b = torch.randn(n, n, device="cuda", dtype=torch_dtype)
        c = torch.empty(n, n, device="cuda", dtype=torch_dtype)
        nnc = device_runner(os.path.join(args.out, name + ".so"), [a, b], [c])
        nnc()
        sync()
        reference = (a.double() @ b.double())
        error = ((c.double() - reference).abs().max() / reference.abs().max()).item()
        flops = 2.0 * n ** 3
        nnc_ms = median_ms(nnc, sync, 3)
        torch_ms = median_ms(lambda: torch.matmul(a, b), sync, 20)
        emit(f"| {name} | {nnc_ms:.3f} ({flops / nnc_ms / 1e9:.1f} TFLOP/s; max error "
             f"{error:.1e} of max abs) | {torch_ms:.3f} ({flops / torch_ms / 1e9:.1f} TFLOP/s, "
             f"cuBLAS) | - | {nnc_ms / torch_ms:.2f} | - |")
    if args.section:
        with open(args.section, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


TABLE_HEADER = ["| workload | nnc ms | torch eager ms | torch.compile ms | nnc/eager | nnc/compile |",
                "|---|---|---|---|---|---|"]
SECTION = "## NVIDIA GPU"


def record(args):
    """Writes the rows of the run files into docs/benchmarks.md's GPU section."""
    notes, rows = [], []
    for path in args.files:
        for line in open(path).read().splitlines():
            if line.startswith("GPU: ") and line not in notes:
                notes.append(line)
            elif line.startswith("| ") and line not in TABLE_HEADER:
                rows.append(line)
    section = [SECTION, "",
               "Generated by `bench/cuda_bench.py` (build here, run on the GPU machine, record); "
               "do not edit by hand. nnc's CUDA models (PTX for sm_80, JIT-compiled by the "
               "driver) run through nnc_model_run_device on the same device tensors as PyTorch; "
               "each row's three numbers come from one process, alternating.", ""]
    section += [f"- {note}" for note in notes] + [""] + TABLE_HEADER + rows + [""]
    path = args.benchmarks
    text = open(path).read() if os.path.exists(path) else ""
    if SECTION in text:
        text = text[:text.index(SECTION)]
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n\n" + "\n".join(section))
    print(f"wrote {path}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["build", "run", "record"])
    parser.add_argument("files", nargs="*", help="record: the --section files of runs")
    parser.add_argument("--out", metavar="DIR", help="the folder of built models")
    parser.add_argument("--section", metavar="FILE", help="run: also write the table here")
    parser.add_argument("--benchmarks", default=os.path.join(REPO_ROOT, "docs", "benchmarks.md"))
    parser.add_argument("--nnc-compile", default=os.path.join(REPO_ROOT, "build", "release",
                                                             "bin", "nnc-compile"))
    parser.add_argument("--models-dir", default=os.path.join(REPO_ROOT, "build", "release", "test",
                                                             "model-run"))
    parser.add_argument("--gpu-arch", default="sm_90")
    parser.add_argument("--models", nargs="*", default=MODELS, choices=MODELS)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "record":
        return record(args)
    if not args.out:
        parser.error(f"{args.mode} needs --out")
    return build(args) if args.mode == "build" else run(args)


if __name__ == "__main__":
    sys.exit(main())

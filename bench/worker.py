"""Times one model under ONNX Runtime or PyTorch in its own process (see run.py).

Prints one JSON line: median and p90 latency in ms over --iters runs after --warmup, and the
process's peak RSS in KiB. ONNX Runtime runs the .onnx file with all graph optimizations,
intra-op threads = --threads and inter-op threads = 1; PyTorch runs the same model rebuilt by
scripts/export_test_models.py, in eval mode under no_grad, with torch.set_num_threads(--threads).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper


def load_inputs(model_path, data_dir):
    model = onnx.load(model_path, load_external_data=False)
    inputs = {}
    for i, graph_input in enumerate(model.graph.input):
        tensor = onnx.load_tensor(os.path.join(data_dir, f"input_{i}.pb"))
        inputs[graph_input.name] = numpy_helper.to_array(tensor)
    return inputs


def ort_runner(model_path, inputs, threads):
    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    return lambda: session.run(None, inputs)


def torch_runner(model_name, batch, inputs, threads):
    import torch
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
    import export_test_models
    torch.set_num_threads(threads)
    module, _, _ = export_test_models.build(model_name, batch)
    module.eval()
    tensors = [torch.from_numpy(value) for value in inputs.values()]

    def run():
        with torch.no_grad():
            return module(*tensors)
    return run


def own_peak_rss_kib():
    """VmHWM: unlike getrusage, it does not include the parent's RSS inherited across fork."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["ort", "torch"], required=True)
    parser.add_argument("--model", required=True, help=".onnx file")
    parser.add_argument("--data", required=True, help="folder with input_<i>.pb")
    parser.add_argument("--torch-model", help="model name in export_test_models.py")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iters", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--warmup-ms", type=float, default=0,
                        help="keep warming up until this many milliseconds have passed")
    args = parser.parse_args()
    inputs = load_inputs(args.model, args.data)
    if args.engine == "ort":
        run = ort_runner(args.model, inputs, args.threads)
    else:
        run = torch_runner(args.torch_model, args.batch, inputs, args.threads)
    warmup_end = time.perf_counter() + args.warmup_ms / 1e3
    done = 0
    while done < args.warmup or time.perf_counter() < warmup_end:
        run()
        done += 1
    times = []
    for _ in range(args.iters):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"median_ms": float(np.median(times)), "p90_ms": float(np.percentile(times, 90)),
                      "maxrss_kb": own_peak_rss_kib()}))


if __name__ == "__main__":
    main()

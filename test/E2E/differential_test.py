#!/usr/bin/env python3
"""Differential test: random small ONNX graphs compiled by nnc must agree with ONNX Runtime.

Each graph (seeded, reproducible) is a chain of 3 to 7 supported ops with random shapes and
attributes: elementwise math with broadcast constants, transposes, reshapes, reductions,
softmax, slicing, gathers, concatenation, matmul, and convolutions and pooling on 4-D data.
Every graph is checked with onnx.checker, run by ONNX Runtime (the reference), compiled by
nnc (every other graph for a tiny L2 cache, which runs batched graphs image by image) and
compared with rtol 1e-3 / atol 1e-4. A failure prints the seed, the graph and the
errors; `--seed S --graphs 1` replays one graph.
"""

import argparse
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))
import nnc  # noqa: E402


class GraphBuilder:
    """Grows a chain of nodes from one input, keeping track of the current value's shape."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes, self.initializers = [], []
        rank = int(rng.integers(2, 5))
        self.shape = [int(d) for d in rng.integers(1, 6, size=rank)]
        self.input_shape = list(self.shape)
        self.value = "x"
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, array):
        name = self.fresh("c")
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def add(self, op, inputs, shape, **attrs):
        out = self.fresh("v")
        self.nodes.append(helper.make_node(op, [self.value] + inputs, [out], **attrs))
        self.value, self.shape = out, shape

    def random_broadcast_shape(self):
        shape = [d if self.rng.random() < 0.6 else 1 for d in self.shape]
        return shape[int(self.rng.integers(0, len(shape))):] or [1]

    # --- op generators; each returns False when it does not apply to the current shape ---
    def unary(self):
        op = str(self.rng.choice(["Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Erf", "Softplus",
                                  "LeakyRelu", "HardSigmoid", "Elu", "HardSwish", "Floor"]))
        attrs = {}
        if op == "LeakyRelu":
            attrs["alpha"] = float(self.rng.uniform(0.01, 0.3))
        if op == "HardSigmoid":
            attrs["alpha"], attrs["beta"] = float(self.rng.uniform(0.1, 0.5)), 0.5
        self.add(op, [], self.shape, **attrs)
        return True

    def binary(self):
        op = str(self.rng.choice(["Add", "Sub", "Mul", "Div", "Max", "Min"]))
        const = self.rng.uniform(0.5, 2.0, size=self.random_broadcast_shape()).astype(np.float32)
        if self.rng.random() < 0.5 and op != "Div":
            const = -const
        self.add(op, [self.constant(const)], self.shape)
        return True

    def transpose(self):
        perm = [int(p) for p in self.rng.permutation(len(self.shape))]
        self.add("Transpose", [], [self.shape[p] for p in perm], perm=perm)
        return True

    def reshape(self):
        total = int(np.prod(self.shape))
        target = [total] if self.rng.random() < 0.3 else [int(np.prod(self.shape[:1])), -1]
        shape = [total] if len(target) == 1 else [self.shape[0], total // self.shape[0]]
        self.add("Reshape", [self.constant(np.array(target, np.int64))], shape)
        return True

    def reduce(self):
        op = str(self.rng.choice(["ReduceMean", "ReduceSum", "ReduceMax"]))
        axes = sorted(int(a) for a in self.rng.choice(len(self.shape),
                      size=int(self.rng.integers(1, len(self.shape) + 1)), replace=False))
        keep = int(self.rng.integers(0, 2))
        shape = [1 if i in axes else d for i, d in enumerate(self.shape)] if keep else \
            [d for i, d in enumerate(self.shape) if i not in axes]
        if not shape:
            return False
        self.add(op, [self.constant(np.array(axes, np.int64))], shape, keepdims=keep)
        return True

    def softmax(self):
        axis = int(self.rng.integers(-len(self.shape), len(self.shape)))
        self.add(str(self.rng.choice(["Softmax", "LogSoftmax"])), [], self.shape, axis=axis)
        return True

    def slice(self):
        axis = int(self.rng.integers(0, len(self.shape)))
        dim = self.shape[axis]
        step = int(self.rng.choice([1, 2, -1]))
        if step > 0:
            start, end = int(self.rng.integers(0, dim)), dim
        else:
            start, end = dim - 1, -dim - 1
        size = len(range(start, end if end >= 0 else -1, step)) if step < 0 else \
            len(range(start, end, step))
        if size == 0:
            return False
        shape = list(self.shape)
        shape[axis] = size
        inputs = [self.constant(np.array(v, np.int64)) for v in ([start], [end], [axis], [step])]
        self.add("Slice", inputs, shape)
        return True

    def gather(self):
        axis = int(self.rng.integers(0, len(self.shape)))
        indices = self.rng.integers(-self.shape[axis], self.shape[axis], size=3).astype(np.int64)
        shape = self.shape[:axis] + [3] + self.shape[axis + 1:]
        self.add("Gather", [self.constant(indices)], shape, axis=axis)
        return True

    def concat(self):
        axis = int(self.rng.integers(0, len(self.shape)))
        shape = list(self.shape)
        shape[axis] *= 2
        self.nodes.append(helper.make_node("Concat", [self.value, self.value],
                                           [out := self.fresh("v")], axis=axis))
        self.value, self.shape = out, shape
        return True

    def matmul(self):
        n = int(self.rng.integers(1, 6))
        weight = self.rng.standard_normal((self.shape[-1], n)).astype(np.float32)
        self.add("MatMul", [self.constant(weight)], self.shape[:-1] + [n])
        return True

    def conv(self):
        if len(self.shape) != 4:
            return False
        n, c, h, w = self.shape
        group = int(self.rng.choice([g for g in (1, c) if c % g == 0]))
        f = group * int(self.rng.integers(1, 3))
        k = int(self.rng.integers(1, min(h, w) + 1))
        stride, pad = int(self.rng.integers(1, 3)), int(self.rng.integers(0, k))
        weight = self.rng.standard_normal((f, c // group, k, k)).astype(np.float32)
        out = [(d + 2 * pad - k) // stride + 1 for d in (h, w)]
        self.add("Conv", [self.constant(weight), self.constant(
            self.rng.standard_normal(f).astype(np.float32))], [n, f] + out,
            kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4, group=group)
        return True

    def pool(self):
        if len(self.shape) != 4:
            return False
        n, c, h, w = self.shape
        k = int(self.rng.integers(1, min(h, w) + 1))
        stride = int(self.rng.integers(1, 3))
        pad = int(self.rng.integers(0, k)) if k > 1 else 0
        out = [(d + 2 * pad - k) // stride + 1 for d in (h, w)]
        op = str(self.rng.choice(["MaxPool", "AveragePool"]))
        attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
        if op == "AveragePool":
            attrs["count_include_pad"] = int(self.rng.integers(0, 2))
        self.add(op, [], [n, c] + out, **attrs)
        return True


def make_graph(seed):
    rng = np.random.default_rng(seed)
    builder = GraphBuilder(rng)
    generators = [builder.unary, builder.binary, builder.transpose, builder.reshape,
                  builder.reduce, builder.softmax, builder.slice, builder.gather, builder.concat,
                  builder.matmul, builder.conv, builder.pool]
    steps = int(rng.integers(3, 8))
    while len(builder.nodes) < steps:
        if int(np.prod(builder.shape)) > 4096:
            break
        generators[int(rng.integers(0, len(generators)))]()
    graph = helper.make_graph(
        builder.nodes, f"random_{seed}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, builder.input_shape)],
        [helper.make_tensor_value_info(builder.value, TensorProto.FLOAT, builder.shape)],
        builder.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    x = rng.standard_normal(builder.input_shape).astype(np.float32)
    return model, x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0, help="seed of the first graph")
    args = parser.parse_args()
    failures = 0
    for seed in range(args.seed, args.seed + args.graphs):
        model, x = make_graph(seed)
        session = onnxruntime.InferenceSession(model.SerializeToString(),
                                               providers=["CPUExecutionProvider"])
        (expected,) = session.run(None, {"x": x})
        ops = " ".join(node.op_type for node in model.graph.node)
        try:
            # Odd seeds are compiled for a 64-byte L2: the smallest cache tiles, and graphs
            # with a batch run image by image (nnc-cpu-split-batch).
            l2_bytes = 64 if seed % 2 else None
            (actual,) = nnc.compile(model, l2_bytes=l2_bytes).run([x])
            np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-4)
        except (nnc.NNCError, AssertionError) as error:
            failures += 1
            print(f"FAIL seed {seed}: {ops}\n{error}\n{onnx.printer.to_text(model.graph)}")
    print(f"differential (nnc vs onnxruntime): PASS {args.graphs - failures} / {args.graphs} "
          f"random graphs (seeds {args.seed}..{args.seed + args.graphs - 1})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

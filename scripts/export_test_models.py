#!/usr/bin/env python3
"""Export nnc's test models from PyTorch to ONNX, with random weights and static shapes.

The models cover the architectures nnc has to compile (dense, classic CNN, residual CNN, depthwise
CNN, transformer encoder, recurrent) without downloading anything: weights are random but seeded,
so every run on the same torch/torchvision versions writes byte-identical files. Each model is put
in eval mode and traced with fixed input shapes, because nnc compiles static shapes only.

For every requested model and opset the script writes DIR/<model>_opset<N>.onnx (image models at
--batch B != 1: DIR/<model>_b<B>_opset<N>.onnx), validates it with onnx.checker (full check, which
includes shape inference), and prints one line: file name, size, export time, output shape and a
histogram of node op types. With --with-data it also writes one reference input/output pair in the
layout of ONNX's backend tests, the output computed by PyTorch:

  DIR/<stem>/test_data_set_0/input_0.pb
  DIR/<stem>/test_data_set_0/output_0.pb

A model that fails to export at some opset is reported with the exporter's error and the script
goes on with the rest, then exits with status 1.

Run with the Debian interpreter, which has torch and torchvision:
  /usr/bin/python3 scripts/export_test_models.py --out-dir /tmp/nnc-models --with-data
"""
import argparse
import collections
import math
import os
import sys
import time

import onnx
import onnx.numpy_helper
import torch
import torchvision
from torch import nn

SEED = 0
VOCAB_SIZE = 1000


class MLP(nn.Module):
    """784-512-256-10 with ReLU: an MNIST-sized classifier on flattened 28x28 images."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(),
            nn.Linear(512, 256), nn.ReLU(),
            nn.Linear(256, 10),
        )

    def forward(self, x):
        return self.layers(x)


class LeNet(nn.Module):
    """LeNet-5 layout on 1x28x28: two 5x5 conv/ReLU/max-pool stages (28 -> 24 -> 12 -> 8 -> 4)
    and a 256-120-84-10 classifier."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 4 * 4, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def gelu_erf(x):
    """Exact GELU, spelled out so the graph holds Erf/Mul/Add on every opset instead of depending
    on how a given exporter version lowers nn.GELU."""
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


class EncoderLayer(nn.Module):
    """Post-norm BERT encoder layer with attention written out as MatMul/Softmax.

    nn.MultiheadAttention and nn.TransformerEncoder have fused fast paths and exporter special
    cases; writing the attention explicitly keeps the exported graph a plain, predictable sequence
    of MatMul, Reshape, Transpose, Softmax and LayerNorm ops. Reshapes use the static sequence and
    head sizes (with -1 only for the batch) so no Shape ops end up in the graph.
    """

    def __init__(self, seq_len, hidden, heads, ffn):
        super().__init__()
        self.seq_len = seq_len
        self.hidden = hidden
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden)
        self.ffn_in = nn.Linear(hidden, ffn)
        self.ffn_out = nn.Linear(ffn, hidden)
        self.ffn_norm = nn.LayerNorm(hidden)

    def split_heads(self, x):
        """[B, S, hidden] -> [B, heads, S, head_dim]"""
        return x.reshape(-1, self.seq_len, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        q = self.split_heads(self.query(x))
        k = self.split_heads(self.key(x))
        v = self.split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        context = context.transpose(1, 2).reshape(-1, self.seq_len, self.hidden)
        x = self.attention_norm(x + self.attention_out(context))
        return self.ffn_norm(x + self.ffn_out(gelu_erf(self.ffn_in(x))))


class Bert(nn.Module):
    """Small BERT-style sequence classifier: token + learned position embeddings, a stack of
    encoder layers, and a 2-way head on the first ([CLS]) token."""

    def __init__(self, seq_len=128, hidden=256, layers=4, heads=4, ffn=1024, classes=2):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCAB_SIZE, hidden)
        self.position_embedding = nn.Parameter(torch.randn(1, seq_len, hidden) * 0.02)
        self.embedding_norm = nn.LayerNorm(hidden)
        self.layers = nn.ModuleList(
            EncoderLayer(seq_len, hidden, heads, ffn) for _ in range(layers))
        self.classifier = nn.Linear(hidden, classes)

    def forward(self, input_ids):
        x = self.embedding_norm(self.token_embedding(input_ids) + self.position_embedding)
        for layer in self.layers:
            x = layer(x)
        return self.classifier(x[:, 0])


class LSTMClassifier(nn.Module):
    """Embedding -> single-layer LSTM -> Linear on the last hidden state; exports to ONNX LSTM.

    torch 1.13's exporter always feeds LSTM an explicit zero initial_h/initial_c, built as
    Expand(zeros, Concat(1, Shape(input)[1], hidden)) so that the batch size stays dynamic, and it
    does so even when a constant zero state is passed in. The input shape is static, so the Shape
    chain folds to constants in any compiler that propagates shapes; it is left as exported.
    """

    def __init__(self, embed=128, hidden=256, classes=4):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB_SIZE, embed)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True)
        self.classifier = nn.Linear(hidden, classes)

    def forward(self, input_ids):
        _, (h_n, _) = self.lstm(self.embedding(input_ids))
        return self.classifier(h_n[-1])


def image_input(*shape):
    """Input factory for float models: standard-normal values, shape [batch, *shape]."""
    def make(batch, generator):
        return torch.randn(batch, *shape, generator=generator)
    return make


def token_input(seq_len):
    """Input factory for token models: int64 ids uniform over the vocabulary, [batch, seq_len]."""
    def make(batch, generator):
        return torch.randint(0, VOCAB_SIZE, (batch, seq_len), generator=generator)
    return make


# name -> (constructor, input factory, graph input name, whether --batch applies).
# Only the image models (mlp takes flattened 28x28 images) follow --batch; the sequence models
# stay at batch 1, the shape they are meant to be served at.
MODELS = {
    "mlp": (MLP, image_input(784), "input", True),
    "lenet": (LeNet, image_input(1, 28, 28), "input", True),
    "resnet18": (lambda: torchvision.models.resnet18(weights=None), image_input(3, 224, 224),
                 "input", True),
    "mobilenetv2": (lambda: torchvision.models.mobilenet_v2(weights=None),
                    image_input(3, 224, 224), "input", True),
    "bert": (Bert, token_input(128), "input_ids", False),
    "lstm": (LSTMClassifier, token_input(64), "input_ids", False),
}
OUTPUT_NAME = "logits"


def randomize_normalization(model):
    """Give every BatchNorm and LayerNorm random affine parameters and running statistics.

    Freshly constructed norms are identity-like (scale 1, shift 0, mean 0, variance 1), which hides
    errors in how a compiler folds or applies them, and makes their parameter tensors identical
    across layers, which the exporter then deduplicates into one initializer plus Identity nodes.
    """
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm2d, nn.LayerNorm)):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.normal_(0.0, 0.1)
                module.running_var.uniform_(0.5, 1.5)


def build(name, batch):
    """Return (model in eval mode, example input, file stem).

    The seed is reset per model, so a model's weights and reference input do not depend on which
    other models were selected or in what order.
    """
    constructor, make_input, _, batched = MODELS[name]
    torch.manual_seed(SEED)
    model = constructor().eval()
    randomize_normalization(model)
    batch = batch if batched else 1
    example = make_input(batch, torch.Generator().manual_seed(SEED))
    stem = name if batch == 1 else f"{name}_b{batch}"
    return model, example, stem


def op_histogram(model):
    """Op:count pairs, most frequent first: a one-line view of what the compiler must lower."""
    counts = collections.Counter(node.op_type for node in model.graph.node)
    return " ".join(f"{op}:{n}" for op, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def output_shape(model):
    dims = model.graph.output[0].type.tensor_type.shape.dim
    return "x".join(str(d.dim_value) if d.HasField("dim_value") else (d.dim_param or "?")
                    for d in dims)


def write_test_data(directory, input_name, example, expected):
    """Save one input/output pair as TensorProtos named after the graph's input and output, the
    layout onnx's backend test runner (and nnc's) reads."""
    data_dir = os.path.join(directory, "test_data_set_0")
    os.makedirs(data_dir, exist_ok=True)
    for file_name, array, tensor_name in (("input_0.pb", example.numpy(), input_name),
                                          ("output_0.pb", expected.numpy(), OUTPUT_NAME)):
        tensor = onnx.numpy_helper.from_array(array, tensor_name)
        with open(os.path.join(data_dir, file_name), "wb") as f:
            f.write(tensor.SerializeToString())


def export_one(name, opset, args):
    """Export, check and describe one model at one opset; returns the printed summary line."""
    model, example, stem = build(name, args.batch)
    stem = f"{stem}_opset{opset}"
    path = os.path.join(args.out_dir, stem + ".onnx")
    input_name = MODELS[name][2]
    start = time.perf_counter()
    with torch.no_grad():
        torch.onnx.export(model, (example,), path, opset_version=opset,
                          input_names=[input_name], output_names=[OUTPUT_NAME],
                          do_constant_folding=True)
    elapsed = time.perf_counter() - start
    onnx_model = onnx.load(path)
    onnx.checker.check_model(onnx_model, full_check=True)
    if args.with_data:
        with torch.no_grad():
            expected = model(example)
        write_test_data(os.path.join(args.out_dir, stem), input_name, example, expected)
    size_mb = os.path.getsize(path) / 2**20
    return (f"{stem + '.onnx':28s} {size_mb:7.2f} MB {elapsed:6.2f} s"
            f"  out {output_shape(onnx_model):8s} {op_histogram(onnx_model)}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Models: " + ", ".join(MODELS) + ".",
    )
    parser.add_argument("--out-dir", required=True, help="directory to write the .onnx files into")
    parser.add_argument("--opsets", type=int, nargs="+", default=[13, 17], metavar="N",
                        help="ONNX opset versions to export each model at (default: 13 17)")
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS),
                        metavar="MODEL", help="models to export (default: all)")
    parser.add_argument("--batch", type=int, default=1,
                        help="batch size of the image models mlp, lenet, resnet18 and mobilenetv2; "
                             "files for B != 1 are named <model>_b<B>_opset<N>.onnx (default: 1)")
    parser.add_argument("--with-data", action="store_true",
                        help="also write <stem>/test_data_set_0/{input_0,output_0}.pb with "
                             "PyTorch's output for a seeded random input")
    args = parser.parse_args()
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    os.makedirs(args.out_dir, exist_ok=True)

    failures = []
    for name in args.models:
        for opset in args.opsets:
            try:
                print(export_one(name, opset, args), flush=True)
            except Exception as error:  # report every failing model/opset, then fail at the end
                failures.append(f"{name} opset {opset}: {type(error).__name__}: {error}")
                print(f"FAILED {failures[-1]}", flush=True)
    if failures:
        print(f"{len(failures)} export(s) failed:", *failures, sep="\n  ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

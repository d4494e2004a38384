#!/usr/bin/env python3
"""Train the small digits CNN that serves as nnc's end-to-end accuracy example.

The model is trained on scikit-learn's bundled 8x8 handwritten digits so that the whole pipeline
(train -> ONNX -> nnc -> native code -> accuracy) runs offline, in seconds, on a plain CPU. The
script writes into --out-dir:

  digits.onnx       the trained model, opset 13: float32 "input" [1,1,8,8] -> "logits" [1,10]
  test_images.npy   the held-out images, float32 [N,1,8,8], already normalized (pixel / 16)
  test_labels.npy   the held-out labels, int64 [N]
  accuracy.txt      PyTorch's accuracy on the held-out set, e.g. "accuracy=0.9722 n=360"

Everything is seeded, so reruns on the same torch/sklearn versions reproduce the same artifacts
(up to floating-point differences across CPUs).

Run with the Debian interpreter, which has torch and sklearn:
  /usr/bin/python3 examples/digits/train.py
"""
import argparse
import os

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

SEED = 0
TEST_FRACTION = 0.2
EPOCHS = 30
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
OPSET = 13


class DigitsCNN(nn.Module):
    """Two conv/ReLU/max-pool stages (8x8 -> 4x4 -> 2x2) followed by a two-layer classifier.

    Deliberately uses only Conv, Relu, MaxPool, Flatten and Gemm so that the exported
    graph exercises the core ops nnc must lower, and stays small (about 14k parameters).
    """

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 2 * 2, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def load_split():
    """Return (train_x, train_y, test_x, test_y) with images as float32 [N,1,8,8] scaled to [0,1].

    The split is stratified with a fixed random_state so every class is represented in the held-out
    set in proportion and the split never changes between runs.
    """
    digits = load_digits()
    images = (digits.images.astype(np.float32) / 16.0)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    train_x, test_x, train_y, test_y = train_test_split(
        images, labels, test_size=TEST_FRACTION, stratify=labels, random_state=SEED)
    return train_x, train_y, test_x, test_y


def train(model, train_x, train_y):
    """Adam + cross-entropy for a fixed number of epochs, shuffling with a seeded generator."""
    x = torch.from_numpy(train_x)
    y = torch.from_numpy(train_y)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for epoch in range(EPOCHS):
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for start in range(0, len(x), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        if (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1:3d}  loss {total / len(x):.4f}")


def accuracy(model, test_x, test_y):
    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(test_x)).argmax(dim=1).numpy()
    return float((predictions == test_y).mean())


def export(model, path):
    """Export with a static batch of 1: nnc compiles fixed shapes, and the accuracy check feeds one
    image at a time."""
    model.eval()
    dummy = torch.zeros(1, 1, 8, 8)
    torch.onnx.export(model, dummy, path, opset_version=OPSET,
                      input_names=["input"], output_names=["logits"], do_constant_folding=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)),
                        help="directory for digits.onnx, test_*.npy and accuracy.txt "
                             "(default: the directory holding this script)")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    train_x, train_y, test_x, test_y = load_split()
    model = DigitsCNN()
    train(model, train_x, train_y)
    acc = accuracy(model, test_x, test_y)
    print(f"test accuracy {acc:.4f} on {len(test_y)} held-out images")

    export(model, os.path.join(args.out_dir, "digits.onnx"))
    np.save(os.path.join(args.out_dir, "test_images.npy"), np.ascontiguousarray(test_x))
    np.save(os.path.join(args.out_dir, "test_labels.npy"), test_y)
    with open(os.path.join(args.out_dir, "accuracy.txt"), "w") as f:
        f.write(f"accuracy={acc:.4f} n={len(test_y)}\n")


if __name__ == "__main__":
    main()

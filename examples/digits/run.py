#!/usr/bin/env python3
"""Compiles the digits classifier with nnc and classifies the held-out digits.

Prints a few predictions, the accuracy over the held-out set and the per-image latency of the
compiled model. Exits with status 1 if the accuracy is below what train.py reported for the
same model (accuracy.txt), which would mean nnc computes something else than PyTorch did.
"""

import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import nnc  # noqa: E402


def main():
    module = nnc.compile(os.path.join(HERE, "digits.onnx"))
    images = np.load(os.path.join(HERE, "test_images.npy"))
    labels = np.load(os.path.join(HERE, "test_labels.npy"))
    predictions, latencies = [], []
    for image in images:
        start = time.perf_counter()
        (logits,) = module.run([image[None]])
        latencies.append(time.perf_counter() - start)
        predictions.append(int(np.argmax(logits)))
    predictions = np.array(predictions)
    print("first predictions:", " ".join(f"{p}({l})" for p, l in zip(predictions[:12], labels)),
          " [predicted(label)]")
    accuracy = float(np.mean(predictions == labels))
    reported = open(os.path.join(HERE, "accuracy.txt")).read().strip()  # accuracy=0.9889 n=360
    expected = float(reported.split()[0].split("=")[1])
    print(f"accuracy: {accuracy:.4f} on {len(labels)} held-out digits "
          f"(training reported {expected:.4f})")
    print(f"latency per image: median {1e3 * np.median(latencies):.3f} ms, "
          f"p90 {1e3 * np.percentile(latencies, 90):.3f} ms (including Python call overhead)")
    return 0 if accuracy >= expected - 5e-5 else 1


if __name__ == "__main__":
    sys.exit(main())

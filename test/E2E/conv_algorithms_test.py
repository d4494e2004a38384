#!/usr/bin/env python3
"""Convolutions of every lowering nnc picks must agree with ONNX Runtime.

nnc lowers a convolution by its shape: stride-1 3x3 kernels with at least 16 channels and
filters by Winograd's F(2x2, 3x3) (nnc-cpu-winograd), other stride-1 kernels as a
sliding-window GEMM, strided or wide-padded ones through im2col, grouped ones directly.
Each case here is a Conv with constant weights (and bias), followed by the epilogues a CNN
puts after it (ReLU, a residual add), at shapes that reach each lowering and its edges: odd
output sizes (a partial last Winograd tile), asymmetric padding, no padding, batches (run
whole and image by image), no bias, a 4 KiB-multiple plane size; and MobileNet's inverted
residual blocks, which run channels-last. Each model runs at 1 and 2
threads and is compared with ONNX Runtime with rtol 1e-3 / atol 1e-4; inputs and weights
are scaled like a trained network's (unit-variance activations, weights ~ 1/sqrt(fan-in)).
"""

import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))
import nnc  # noqa: E402

# name, (N, C, H, W), filters, kernel, stride, pads (top, left, bottom, right), bias, epilogue
CASES = [
    ("winograd_56x56", (1, 64, 56, 56), 64, 3, 1, (1, 1, 1, 1), True, "relu"),
    ("winograd_odd_asymmetric", (2, 16, 13, 11), 24, 3, 1, (0, 1, 2, 1), False, None),
    ("winograd_residual", (1, 32, 14, 14), 32, 3, 1, (1, 1, 1, 1), True, "add_relu"),
    ("winograd_unpadded_7x7", (1, 128, 9, 9), 96, 3, 1, (0, 0, 0, 0), True, "relu"),
    ("winograd_batch", (4, 16, 10, 12), 16, 3, 1, (1, 1, 1, 1), True, "add_relu"),
    ("sliding_window_5x5", (1, 16, 12, 12), 16, 5, 1, (2, 2, 2, 2), True, "relu"),
    ("few_channels_3x3", (1, 8, 12, 12), 16, 3, 1, (1, 1, 1, 1), True, "relu"),
    ("strided_3x3", (1, 32, 14, 14), 64, 3, 2, (1, 1, 1, 1), True, "relu"),
]


# MobileNet's inverted residual blocks, which run channels-last (nnc-cpu-channels-last): name,
# (N, C, H, W), stem (a 3x3 stride-2 convolution and Clip first, whose input then is what is
# transposed), expansion filters, depthwise stride, projection filters, tail (a residual add
# when the shapes allow, then a spatial ReduceMean that keeps its dims or not).
INVERTED_RESIDUALS = [
    ("inverted_residual_14x14", (1, 32, 14, 14), False, 512, 1, 32, None),
    ("inverted_residual_stride2_odd", (1, 16, 9, 7), False, 160, 2, 24, "mean_keepdims"),
    ("inverted_residual_batch", (2, 24, 7, 7), False, 144, 1, 24, "mean"),
    ("inverted_residual_stem_56x56", (1, 3, 111, 112), True, 48, 1, 24, None),
]


def conv_weight(filters, channels_per_group, kernel, rng):
    return (rng.standard_normal((filters, channels_per_group, kernel, kernel)) /
            np.sqrt(channels_per_group * kernel * kernel)).astype(np.float32)


def make_inverted_residual(shape, stem, expansion, stride, projection, tail, rng):
    n, image_c, h, w = shape
    c = 16 if stem else image_c
    if stem:
        h, w = (h - 1) // 2 + 1, (w - 1) // 2 + 1
    out_h, out_w = (h - 1) // stride + 1, (w - 1) // stride + 1
    initializers = [
        numpy_helper.from_array(conv_weight(expansion, c, 1, rng), "w_expand"),
        numpy_helper.from_array(rng.standard_normal(expansion).astype(np.float32), "b_expand"),
        numpy_helper.from_array(conv_weight(expansion, 1, 3, rng), "w_depthwise"),
        numpy_helper.from_array(rng.standard_normal(expansion).astype(np.float32), "b_depthwise"),
        numpy_helper.from_array(conv_weight(projection, expansion, 1, rng), "w_project"),
        numpy_helper.from_array(rng.standard_normal(projection).astype(np.float32), "b_project"),
        numpy_helper.from_array(np.array(0, np.float32), "zero"),
        numpy_helper.from_array(np.array(6, np.float32), "six"),
    ]
    nodes = []
    block_input = "x"
    if stem:
        initializers.append(numpy_helper.from_array(conv_weight(c, image_c, 3, rng), "w_stem"))
        nodes += [
            helper.make_node("Conv", ["x", "w_stem"], ["stem"], kernel_shape=[3, 3],
                             strides=[2, 2], pads=[1, 1, 1, 1]),
            helper.make_node("Clip", ["stem", "zero", "six"], ["stem6"]),
        ]
        block_input = "stem6"
    nodes += [
        helper.make_node("Conv", [block_input, "w_expand", "b_expand"], ["expanded"],
                         kernel_shape=[1, 1]),
        helper.make_node("Clip", ["expanded", "zero", "six"], ["expanded6"]),
        helper.make_node("Conv", ["expanded6", "w_depthwise", "b_depthwise"], ["filtered"],
                         kernel_shape=[3, 3], strides=[stride, stride], pads=[1, 1, 1, 1],
                         group=expansion),
        helper.make_node("Clip", ["filtered", "zero", "six"], ["filtered6"]),
        helper.make_node("Conv", ["filtered6", "w_project", "b_project"], ["projected"],
                         kernel_shape=[1, 1]),
    ]
    value = "projected"
    out_shape = [n, projection, out_h, out_w]
    if stride == 1 and projection == c:
        nodes.append(helper.make_node("Add", [block_input, value], ["block"]))
        value = "block"
    if tail:
        keepdims = int(tail == "mean_keepdims")
        nodes.append(helper.make_node("ReduceMean", [value], ["mean"], axes=[2, 3],
                                      keepdims=keepdims))
        value = "mean"
        out_shape = [n, projection, 1, 1] if keepdims else [n, projection]
    nodes.append(helper.make_node("Identity", [value], ["y"]))
    graph = helper.make_graph(
        nodes, "inverted_residual",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model, {"x": rng.standard_normal(shape).astype(np.float32)}


def make_squeeze_excite(rng):
    """MobileNetV3's block: its squeeze-and-excite gate is a global mean, two 1x1 convolutions
    on [N, C, 1, 1] and a Mul that broadcasts it over the image, where channels-last ends."""
    n, c, h, w, e, s = 1, 24, 14, 14, 96, 24
    weights = {
        "w_expand": conv_weight(e, c, 1, rng), "w_depthwise": conv_weight(e, 1, 5, rng),
        "w_squeeze": conv_weight(s, e, 1, rng), "w_excite": conv_weight(e, s, 1, rng),
        "w_project": conv_weight(c, e, 1, rng),
    }
    initializers = [numpy_helper.from_array(v, k) for k, v in weights.items()]
    nodes = [
        helper.make_node("Conv", ["x", "w_expand"], ["expanded"], kernel_shape=[1, 1]),
        helper.make_node("HardSwish", ["expanded"], ["expanded_hs"]),
        helper.make_node("Conv", ["expanded_hs", "w_depthwise"], ["filtered"], kernel_shape=[5, 5],
                         pads=[2, 2, 2, 2], group=e),
        helper.make_node("HardSwish", ["filtered"], ["filtered_hs"]),
        helper.make_node("GlobalAveragePool", ["filtered_hs"], ["pooled"]),
        helper.make_node("Conv", ["pooled", "w_squeeze"], ["squeezed"], kernel_shape=[1, 1]),
        helper.make_node("Relu", ["squeezed"], ["squeezed_relu"]),
        helper.make_node("Conv", ["squeezed_relu", "w_excite"], ["excited"], kernel_shape=[1, 1]),
        helper.make_node("HardSigmoid", ["excited"], ["gate"]),
        helper.make_node("Mul", ["filtered_hs", "gate"], ["gated"]),
        helper.make_node("Conv", ["gated", "w_project"], ["projected"], kernel_shape=[1, 1]),
        helper.make_node("Add", ["x", "projected"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "squeeze_excite", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n, c, h, w])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, c, h, w])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model, {"x": rng.standard_normal((n, c, h, w)).astype(np.float32)}


def make_model(shape, filters, kernel, stride, pads, bias, epilogue, rng):
    n, c, h, w = shape
    out_h = (h + pads[0] + pads[2] - kernel) // stride + 1
    out_w = (w + pads[1] + pads[3] - kernel) // stride + 1
    out_shape = [n, filters, out_h, out_w]
    weight = (rng.standard_normal((filters, c, kernel, kernel)) /
              np.sqrt(c * kernel * kernel)).astype(np.float32)
    initializers = [numpy_helper.from_array(weight, "w")]
    conv_inputs = ["x", "w"]
    if bias:
        initializers.append(numpy_helper.from_array(
            rng.standard_normal(filters).astype(np.float32), "b"))
        conv_inputs.append("b")
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))]
    nodes = [helper.make_node("Conv", conv_inputs, ["conv"], kernel_shape=[kernel, kernel],
                              strides=[stride, stride], pads=list(pads))]
    value = "conv"
    if epilogue == "add_relu":
        inputs.append(helper.make_tensor_value_info("r", TensorProto.FLOAT, out_shape))
        nodes.append(helper.make_node("Add", [value, "r"], ["sum"]))
        value = "sum"
    if epilogue in ("relu", "add_relu"):
        nodes.append(helper.make_node("Relu", [value], ["y"]))
    else:
        nodes.append(helper.make_node("Identity", [value], ["y"]))
    graph = helper.make_graph(nodes, "conv", inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
                              initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    feeds = {"x": rng.standard_normal(shape).astype(np.float32)}
    if epilogue == "add_relu":
        feeds["r"] = rng.standard_normal(out_shape).astype(np.float32)
    return model, feeds


def main():
    rng = np.random.default_rng(0)
    failures = 0
    models = [(name, *make_model(*case, rng)) for name, *case in CASES]
    models += [(name, *make_inverted_residual(*case, rng)) for name, *case in INVERTED_RESIDUALS]
    models.append(("squeeze_excite", *make_squeeze_excite(rng)))
    for name, model, feeds in models:
        session = onnxruntime.InferenceSession(model.SerializeToString(),
                                               providers=["CPUExecutionProvider"])
        (expected,) = session.run(None, feeds)
        inputs = [feeds[i.name] for i in model.graph.input]
        # A 64-byte L2 runs a batch image by image (nnc-cpu-split-batch).
        for threads, l2_bytes in ((1, None), (2, None), (1, 64)):
            try:
                (actual,) = nnc.compile(model, threads=threads, l2_bytes=l2_bytes).run(inputs)
                np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-4)
            except (nnc.NNCError, AssertionError) as error:
                failures += 1
                print(f"FAIL {name} (threads {threads}, l2 {l2_bytes}): {error}")
    print(f"conv algorithms (nnc vs onnxruntime): PASS {3 * len(models) - failures} / "
          f"{3 * len(models)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

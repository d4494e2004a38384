#!/usr/bin/env python3
"""Writes a corpus of malformed or unsupported ONNX inputs, one directory per case.

Why: nnc-compile reads files it did not write. Whatever is wrong with one (bytes that are not a
model, a graph that is not a DAG, shapes that do not fit an op, an op or type the importer does
not support, external data that points outside the model's folder), it must stop with exit
status 1 and a diagnostic that says what is wrong, never crash, hang, read outside the model's
folder, or emit IR. check_malformed.py runs nnc-compile on this corpus and checks exactly that.

Every case is a function below, registered with the patterns its diagnostic must contain; its
docstring says what it checks. A pattern matches if any of its `|`-separated alternatives occurs
in stderr, compared case-insensitively. Node-level cases name their node `bad_node` (or leave it
unnamed, to check the `<OpType>_<index>` fallback) and expect the op type in single quotes.
Models are built with onnx.helper (IR version 8, opset 17 unless the case is about those) and
written without onnx.checker; the generator asserts that the bytes meant to be unparsable are
unparsable for onnx's own protobuf and text parsers. The output is deterministic for a given
output directory (one case embeds the absolute path of a file in it).
"""

import argparse
import dataclasses
import os
import random
import shutil
import sys

import numpy as np
import onnx
import onnx.parser
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
# What a shape error says, in one word or another.
SHAPE_MISMATCH = "match|incompatib|inconsistent|dimension"


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    model: str  # the file to compile
    expect: tuple  # patterns that must all occur in stderr (see the module docstring)
    checks: str  # what the case checks


_BUILDERS = []


def case(*expect):
    """Registers a case builder: a function that writes its input files into the directory it
    is given and returns the path of the file to compile."""
    def register(build):
        _BUILDERS.append((build, expect))
        return build
    return register


def generate(out_dir):
    """Writes every case into `out_dir/<case name>/` (replacing what was there) and returns the
    list of Case."""
    cases = []
    for build, expect in _BUILDERS:
        case_dir = os.path.join(out_dir, build.__name__)
        shutil.rmtree(case_dir, ignore_errors=True)
        os.makedirs(case_dir)
        checks = " ".join(build.__doc__.split())
        cases.append(Case(build.__name__, build(case_dir), expect, checks))
    return cases


# Helpers.

def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _save(case_dir, model, subdir=""):
    """Serializes `model` to `<case_dir>/<subdir>/<case name>.onnx` (no checker, no external
    data handling)."""
    name = os.path.basename(case_dir)
    return _write(os.path.join(case_dir, subdir, name + ".onnx"), model.SerializeToString())


def _vi(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def _model(nodes, inputs, outputs, initializers=(), opset=17, extra_opsets=()):
    graph = helper.make_graph(list(nodes), "malformed", list(inputs), list(outputs),
                              initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    return helper.make_model(graph, ir_version=8, opset_imports=opsets,
                             producer_name="nnc-malformed-corpus")


def _assert_unparsable(data):
    try:
        onnx.ModelProto.FromString(data)
    except Exception:  # protobuf's DecodeError; its module path varies between backends
        return
    raise AssertionError("meant to be unparsable, but protobuf parses it")


def _small_conv_model():
    """A valid Conv model whose weight initializer makes up most of its bytes."""
    weight = numpy_helper.from_array(
        np.arange(16 * 3 * 3 * 3, dtype=np.float32).reshape(16, 3, 3, 3), "conv_w")
    node = helper.make_node("Conv", ["x", "conv_w"], ["y"], name="conv", pads=[1, 1, 1, 1])
    return _model([node], [_vi("x", FLOAT, [1, 3, 8, 8])], [_vi("y", FLOAT, [1, 16, 8, 8])],
                  [weight])


def _external_tensor(name, location):
    """A 2x2 float initializer whose 16 bytes are stored in the external file `location`."""
    tensor = TensorProto(name=name, data_type=FLOAT, dims=[2, 2],
                         data_location=TensorProto.EXTERNAL)
    for key, value in (("location", location), ("offset", "0"), ("length", "16")):
        tensor.external_data.add(key=key, value=value)
    return tensor


def _external_model(location):
    node = helper.make_node("Add", ["x", "ext_w"], ["y"], name="add")
    return _model([node], [_vi("x", FLOAT, [2, 2])], [_vi("y", FLOAT, [2, 2])],
                  [_external_tensor("ext_w", location)])


_SECRET = np.array([[1, 2], [3, 4]], dtype=np.float32).tobytes()


# Files that are not ONNX models.

@case("empty|parse|no graph")
def empty_file(d):
    """A zero-byte file. It parses as an empty ModelProto, so the reader must notice that there
    is no model (no graph) rather than import an empty one."""
    return _write(os.path.join(d, "empty_file.onnx"), b"")


@case("parse|protobuf|invalid|corrupt")
def random_bytes(d):
    """4 KiB of seeded random bytes: the protobuf parser fails."""
    data = random.Random(20240229).randbytes(4096)
    _assert_unparsable(data)
    return _write(os.path.join(d, "random_bytes.onnx"), data)


@case("truncated|parse|protobuf|invalid|corrupt")
def truncated_model(d):
    """The first half of the bytes of a valid Conv model, cut inside the weight initializer."""
    data = _small_conv_model().SerializeToString()
    data = data[:len(data) // 2]
    _assert_unparsable(data)
    return _write(os.path.join(d, "truncated_model.onnx"), data)


@case("parse|protobuf|invalid|corrupt")
def text_not_protobuf(d):
    """A plain text file with a .onnx name: the binary reader must not guess another format."""
    data = b"This is not an ONNX model, just a line of text.\n"
    _assert_unparsable(data)
    return _write(os.path.join(d, "text_not_protobuf.onnx"), data)


@case("parse|syntax|expected")
def onnxtxt_syntax_error(d):
    """An .onnxtxt file (ONNX textual syntax) that ends in the middle of a node."""
    text = '<ir_version: 8, opset_import: ["" : 17]>\nagraph (float[2] x) => (float[2] y) {\n' \
           '  y = Relu(x\n'
    try:
        onnx.parser.parse_model(text)
    except onnx.parser.ParseError:
        pass
    else:
        raise AssertionError("meant to be unparsable, but onnx.parser parses it")
    return _write(os.path.join(d, "onnxtxt_syntax_error.onnxtxt"), text.encode())


# Graphs whose values do not form a DAG.

@case("cycle")
def graph_cycle(d):
    """Two nodes that feed each other (x = Add(in, y), y = Relu(x)): a cycle, which must be
    reported as one, not as an undefined value or an endless loop."""
    nodes = [helper.make_node("Add", ["in0", "y"], ["x"], name="cycle_a"),
             helper.make_node("Relu", ["x"], ["y"], name="cycle_b")]
    return _save(d, _model(nodes, [_vi("in0", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("ghost_value", "missing|undefined|not defined|unknown|no such")
def missing_value(d):
    """A node input that names a value no node, input or initializer defines."""
    node = helper.make_node("Add", ["x", "ghost_value"], ["y"], name="add")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("dup_value", "duplicate|already|more than once|redefin|multiple")
def duplicate_output(d):
    """Two nodes that both define the value `dup_value` (values are single-assignment)."""
    nodes = [helper.make_node("Relu", ["x"], ["dup_value"], name="relu_a"),
             helper.make_node("Neg", ["x"], ["dup_value"], name="neg_b")]
    return _save(d, _model(nodes, [_vi("x", FLOAT, [4])], [_vi("dup_value", FLOAT, [4])]))


@case("nowhere_out", "missing|undefined|not defined|unknown|no such|not produced")
def undefined_graph_output(d):
    """A graph output that no node produces."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    outputs = [_vi("y", FLOAT, [4]), _vi("nowhere_out", FLOAT, [4])]
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], outputs))


# Inputs and initializers that contradict themselves.

@case("w_init", "match|inconsistent|differ|conflict")
def input_initializer_mismatch(d):
    """An initializer that is also listed as a graph input, with dims [3, 2] against the
    input's declared [2, 3]."""
    weight = numpy_helper.from_array(np.zeros((3, 2), dtype=np.float32), "w_init")
    node = helper.make_node("MatMul", ["x", "w_init"], ["y"], name="matmul")
    inputs = [_vi("x", FLOAT, [1, 2]), _vi("w_init", FLOAT, [2, 3])]
    return _save(d, _model([node], inputs, [_vi("y", FLOAT, [1, 3])], [weight]))


@case("short_init", "raw_data|size|bytes")
def raw_data_wrong_size(d):
    """A float [2, 2] initializer whose raw_data holds 12 bytes instead of 16."""
    tensor = TensorProto(name="short_init", data_type=FLOAT, dims=[2, 2], raw_data=b"\0" * 12)
    node = helper.make_node("Add", ["x", "short_init"], ["y"], name="add")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 2])], [_vi("y", FLOAT, [2, 2])],
                           [tensor]))


@case("pixels", "input-shape|dynamic")
def dynamic_input_dim(d):
    """A graph input with a symbolic dimension (`batch`) and no --input-shape for it: the
    diagnostic must name the input (and should say how to fix the shape)."""
    node = helper.make_node("Relu", ["pixels"], ["y"], name="relu")
    return _save(d, _model([node], [_vi("pixels", FLOAT, ["batch", 3, 4, 4])],
                           [_vi("y", FLOAT, ["batch", 3, 4, 4])]))


# Ops, opsets, domains and types the importer does not support.

@case("unsupported ONNX op 'FooBar'", "bad_node")
def unsupported_op(d):
    """A node of the made-up op FooBar in the default domain."""
    node = helper.make_node("FooBar", ["x"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("opset")
def opset_too_old(d):
    """Default-domain opset 3 (Relu-1 is valid there), older than any the importer supports."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])], opset=3))


@case("opset")
def opset_too_new(d):
    """Default-domain opset 99, newer than any that exists."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])], opset=99))


@case("com.example.custom")
def unknown_domain(d):
    """A node of op Frobnicate in the custom domain com.example.custom (imported at version 1)."""
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="frob", domain="com.example.custom")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])],
                           extra_opsets=[("com.example.custom", 1)]))


@case("complex")
def complex64_input(d):
    """A complex64 graph input (an element type nnc does not support)."""
    node = helper.make_node("Identity", ["cplx_in"], ["y"], name="identity")
    return _save(d, _model([node], [_vi("cplx_in", TensorProto.COMPLEX64, [2])],
                           [_vi("y", TensorProto.COMPLEX64, [2])]))


@case("string")
def string_input(d):
    """A string graph input (an element type nnc does not support)."""
    node = helper.make_node("Identity", ["str_in"], ["y"], name="identity")
    return _save(d, _model([node], [_vi("str_in", TensorProto.STRING, [2])],
                           [_vi("y", TensorProto.STRING, [2])]))


# Nodes whose operands or attributes do not fit the op.

@case("bad_node", "'Conv'", "rank")
def conv_weight_rank(d):
    """A 2-D Conv (input [1, 3, 8, 8]) with a rank-3 weight [4, 3, 3]."""
    weight = numpy_helper.from_array(np.zeros((4, 3, 3), dtype=np.float32), "w")
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [1, 3, 8, 8])],
                           [_vi("y", FLOAT, [1, 4, 6, 6])], [weight]))


@case("bad_node", "'MatMul'", SHAPE_MISMATCH)
def matmul_inner_dims(d):
    """MatMul of [2, 3] by [4, 5]: the inner dimensions 3 and 4 differ."""
    node = helper.make_node("MatMul", ["a", "b"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("a", FLOAT, [2, 3]), _vi("b", FLOAT, [4, 5])],
                           [_vi("y", FLOAT, [2, 5])]))


@case("bad_node", "'Reshape'", "element|count|size|" + SHAPE_MISMATCH)
def reshape_element_count(d):
    """Reshape of 6 elements ([2, 3]) to the constant shape [4, 2] (8 elements)."""
    shape = numpy_helper.from_array(np.array([4, 2], dtype=np.int64), "shape")
    node = helper.make_node("Reshape", ["x", "shape"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 3])], [_vi("y", FLOAT, [4, 2])],
                           [shape]))


@case("bad_node", "'Gemm'", SHAPE_MISMATCH)
def gemm_transposed_mismatch(d):
    """Gemm with transA=1 of A [3, 4] (so A' is [4, 3]) by B [4, 5]: K is 3 against 4. The
    shapes would fit without the transpose, so this checks that transA is honoured."""
    node = helper.make_node("Gemm", ["a", "b"], ["y"], name="bad_node", transA=1)
    return _save(d, _model([node], [_vi("a", FLOAT, [3, 4]), _vi("b", FLOAT, [4, 5])],
                           [_vi("y", FLOAT, [4, 5])]))


@case("bad_node", "'Concat'", "rank")
def concat_rank_mismatch(d):
    """Concat (axis 0) of a rank-2 [2, 3] and a rank-3 [2, 3, 1] tensor."""
    node = helper.make_node("Concat", ["a", "b"], ["y"], name="bad_node", axis=0)
    return _save(d, _model([node], [_vi("a", FLOAT, [2, 3]), _vi("b", FLOAT, [2, 3, 1])],
                           [_vi("y", FLOAT, [4, 3])]))


@case("Transpose_1", "perm")
def transpose_perm_length(d):
    """Transpose of a rank-3 tensor with a 2-element perm, in an unnamed node at index 1: the
    diagnostic must name it `Transpose_1`."""
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("Transpose", ["r"], ["y"], perm=[1, 0])]
    return _save(d, _model(nodes, [_vi("x", FLOAT, [2, 3, 4])], [_vi("y", FLOAT, [3, 2, 4])]))


@case("bad_node", "'Cast'", "attribute|'to'")
def cast_without_to(d):
    """Cast without its required attribute `to`."""
    node = helper.make_node("Cast", ["x"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("bad_node", "'Constant'", "value|attribute")
def constant_without_value(d):
    """Constant with none of its value attributes."""
    node = helper.make_node("Constant", [], ["y"], name="bad_node")
    return _save(d, _model([node], [], [_vi("y", FLOAT, [4])]))


@case("bad_node", "'Slice'", "constant|bind")
def slice_nonconstant_starts(d):
    """Slice whose `starts` is a graph input, not a constant: valid ONNX, but nnc needs it
    constant, so the diagnostic must say so (and point at --bind-input)."""
    ends = numpy_helper.from_array(np.array([3], dtype=np.int64), "ends")
    node = helper.make_node("Slice", ["x", "starts", "ends"], ["y"], name="bad_node")
    inputs = [_vi("x", FLOAT, [4]), _vi("starts", INT64, [1])]
    return _save(d, _model([node], inputs, [_vi("y", FLOAT, [3])], [ends]))


# External data that must not be read.

@case("external data|external_data", "ext_w|secret.bin")
def external_data_parent_dir(d):
    """An initializer stored in `../secret.bin`, outside the model's folder. The file exists and
    holds valid data, so only the path rule can reject it."""
    _write(os.path.join(d, "secret.bin"), _SECRET)
    return _save(d, _external_model("../secret.bin"), subdir="model")


@case("external data|external_data", "ext_w|secret.bin")
def external_data_absolute_path(d):
    """An initializer stored at an absolute path (an existing file with valid data, outside the
    model's folder)."""
    secret = _write(os.path.join(os.path.abspath(d), "secret.bin"), _SECRET)
    return _save(d, _external_model(secret), subdir="model")


@case("external data|external_data", "missing_weights.bin")
def external_data_missing_file(d):
    """An initializer stored in `missing_weights.bin` next to the model, which does not exist."""
    return _save(d, _external_model("missing_weights.bin"))


def main():
    parser = argparse.ArgumentParser(
        description="Write the corpus of malformed ONNX inputs for nnc-compile into OUT_DIR "
                    "(one subdirectory per case, replaced if present) and list the cases.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="directory to write the corpus into")
    args = parser.parse_args()
    for c in generate(args.out_dir):
        print(f"{c.name}\t{c.model}\texpect: {' & '.join(c.expect)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes a corpus of malformed or unsupported inputs, one directory per case.

Why: nnc-compile and nnc-run read files they did not write. Whatever is wrong with one (bytes
that are not a model, a graph that is not a DAG, shapes that do not fit an op or are too large
to hold, an op or type the importer does not support, external data that points outside the
model's folder, options that do not fit the model, data that does not fit a compiled model, a
file that is not a compiled model), the tool must stop with its bad-input exit status and a
diagnostic that says what is wrong, never crash, hang, allocate without bound, read outside the
model's folder, or emit IR. check_malformed.py runs each case through its stage (importer,
compiler driver, runtime) and checks exactly that.

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
    model: str  # the file given to the tool
    expect: tuple  # patterns that must all occur in stderr (see the module docstring)
    checks: str  # what the case checks
    # Which program reads the input: "import" (nnc-compile --emit=nn: importer and verifier),
    # "compile" (nnc-compile with the case's options: the driver and the whole pipeline) or
    # "run" (nnc-run with the case's options: the runtime loading and running a model).
    stage: str = "import"
    args: tuple = ()  # options after the model path
    names_model: bool = True  # whether stderr must name the model file


_BUILDERS = []


def case(*expect, stage="import", names_model=True):
    """Registers a case builder: a function that writes its input files into the directory it
    is given and returns the path of the file to give the tool, or (path, extra options)."""
    def register(build):
        _BUILDERS.append((build, expect, stage, names_model))
        return build
    return register


def generate(out_dir):
    """Writes every case into `out_dir/<case name>/` (replacing what was there) and returns the
    list of Case."""
    cases = []
    for build, expect, stage, names_model in _BUILDERS:
        case_dir = os.path.join(out_dir, build.__name__)
        shutil.rmtree(case_dir, ignore_errors=True)
        os.makedirs(case_dir)
        checks = " ".join(build.__doc__.split())
        built = build(case_dir)
        model, args = built if isinstance(built, tuple) else (built, ())
        cases.append(Case(build.__name__, model, expect, checks, stage, tuple(args),
                          names_model))
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


# Shapes too large to hold, or whose sizes overflow. Each must be refused when it first
# appears, with the offending value named, before anything allocates for it.

TOO_LARGE = "more than the 128 GiB nnc accepts"


@case("'x'", "1099511627776x4", TOO_LARGE)
def input_dim_2_pow_40(d):
    """A graph input [2^40, 4] (16 TiB of float32)."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    return _save(d, _model([node], [_vi("x", FLOAT, [1 << 40, 4])], [_vi("y", FLOAT, None)]))


@case("'x'", TOO_LARGE)
def input_element_count_overflow(d):
    """A graph input [2^31, 2^31, 2^31]: its element count (2^93) overflows int64, so a size
    computed naively would wrap to a small or negative number."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    dims = [1 << 31] * 3
    return _save(d, _model([node], [_vi("x", FLOAT, dims)], [_vi("y", FLOAT, None)]))


@case("bad_node", "'ConstantOfShape'", TOO_LARGE)
def constant_of_shape_huge(d):
    """ConstantOfShape with the constant shape [2^30, 2^30] (2^60 elements)."""
    shape = numpy_helper.from_array(np.array([1 << 30, 1 << 30], dtype=np.int64), "shape")
    node = helper.make_node("ConstantOfShape", ["shape"], ["y"], name="bad_node")
    return _save(d, _model([node], [], [_vi("y", FLOAT, None)], [shape]))


@case("bad_node", "'Expand'", TOO_LARGE)
def expand_huge(d):
    """Expand of a [1, 1, 4] tensor to [2^20, 2^20, 4]."""
    shape = numpy_helper.from_array(np.array([1 << 20, 1 << 20, 4], dtype=np.int64), "shape")
    node = helper.make_node("Expand", ["x", "shape"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [1, 1, 4])], [_vi("y", FLOAT, None)],
                           [shape]))


@case("bad_node", "'Tile'", TOO_LARGE)
def tile_huge_repeats(d):
    """Tile of a [2, 4] tensor repeated [2^40, 1] times."""
    repeats = numpy_helper.from_array(np.array([1 << 40, 1], dtype=np.int64), "repeats")
    node = helper.make_node("Tile", ["x", "repeats"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 4])], [_vi("y", FLOAT, None)],
                           [repeats]))


@case("bad_node", "'Pad'", TOO_LARGE)
def pad_huge(d):
    """Pad of a [2, 4] tensor by 2^40 in front of dim 1."""
    pads = numpy_helper.from_array(np.array([0, 1 << 40, 0, 0], dtype=np.int64), "pads")
    node = helper.make_node("Pad", ["x", "pads"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 4])], [_vi("y", FLOAT, None)], [pads]))


@case("bad_node", "'Resize'", TOO_LARGE)
def resize_huge_scales(d):
    """Resize of a [1, 1, 8, 8] image by scales 1e12 in H and W."""
    scales = numpy_helper.from_array(np.array([1, 1, 1e12, 1e12], dtype=np.float32), "scales")
    node = helper.make_node("Resize", ["x", "", "scales"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [1, 1, 8, 8])], [_vi("y", FLOAT, None)],
                           [scales]))


@case("huge_init", "invalid shape|" + TOO_LARGE)
def initializer_huge_dims(d):
    """An initializer that claims dims [2^40, 2^40] and holds no data: its size must be checked
    before any buffer is made for it."""
    tensor = TensorProto(name="huge_init", data_type=FLOAT, dims=[1 << 40, 1 << 40])
    node = helper.make_node("Add", ["x", "huge_init"], ["y"], name="add")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 2])], [_vi("y", FLOAT, None)], [tensor]))


@case("nested deeper than 16")
def if_nested_too_deep(d):
    """If nodes nested 20 deep (each then-branch holds the next If): the importer recurses per
    level, so it must stop at its documented depth instead of exhausting the stack."""
    def graph(depth):
        if depth == 0:
            return helper.make_graph([helper.make_node("Identity", ["x"], ["out0"], name="leaf")],
                                     "leaf", [], [_vi("out0", FLOAT, [2])])
        cond = helper.make_node("Constant", [], ["c%d" % depth], name="c%d" % depth,
                                value=helper.make_tensor("v", TensorProto.BOOL, [], [True]))
        node = helper.make_node("If", ["c%d" % depth], ["out%d" % depth], name="if%d" % depth,
                                then_branch=graph(depth - 1), else_branch=graph(0))
        return helper.make_graph([cond, node], "level%d" % depth, [],
                                 [_vi("out%d" % depth, FLOAT, [2])])
    top = graph(20)
    return _save(d, _model(top.node, [_vi("x", FLOAT, [2])], [_vi("out20", FLOAT, [2])]))


@case("bad_node", "has 2 inputs; 'Relu' takes 1")
def too_many_inputs(d):
    """Relu given two inputs: the op takes one."""
    node = helper.make_node("Relu", ["x", "x"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("bad_node", "has 1 input; 'Div' takes 2")
def div_with_one_input(d):
    """Div given only its first input (found by the fuzzer, as the last node of a mutated
    Softmax expansion): type inference must not read the missing second operand."""
    node = helper.make_node("Div", ["x"], ["y"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("bad_node", "has 3 outputs; 'Relu' takes 1")
def relu_with_three_outputs(d):
    """Relu declaring three outputs: more than its schema allows."""
    node = helper.make_node("Relu", ["x"], ["y", "z", "w"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [4])], [_vi("y", FLOAT, [4])]))


@case("bad_node", "'Conv'", "strides")
def conv_strides_wrong_length(d):
    """A 2-D Conv whose strides attribute has three entries."""
    weight = numpy_helper.from_array(np.zeros((4, 3, 3, 3), dtype=np.float32), "w")
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="bad_node", strides=[1, 1, 1])
    return _save(d, _model([node], [_vi("x", FLOAT, [1, 3, 8, 8])], [_vi("y", FLOAT, None)],
                           [weight]))


@case("bad_node", "'Split'", "split|sum|size")
def split_sizes_do_not_sum(d):
    """Split of an [8] tensor into sizes [3, 3] (6, not 8)."""
    split = numpy_helper.from_array(np.array([3, 3], dtype=np.int64), "split")
    node = helper.make_node("Split", ["x", "split"], ["a", "b"], name="bad_node")
    return _save(d, _model([node], [_vi("x", FLOAT, [8])], [_vi("a", FLOAT, [3]),
                                                              _vi("b", FLOAT, [3])], [split]))


@case("bad_node", "'Gather'", "index 7 is out of range [-4, 4)")
def gather_constant_index_out_of_range(d):
    """Gather from a [4, 2] tensor at the constant index 7 along axis 0."""
    indices = numpy_helper.from_array(np.array([7], dtype=np.int64), "indices")
    node = helper.make_node("Gather", ["x", "indices"], ["y"], name="bad_node", axis=0)
    return _save(d, _model([node], [_vi("x", FLOAT, [4, 2])], [_vi("y", FLOAT, None)],
                           [indices]))


@case("bad_node", "'Softmax'", "axis")
def softmax_axis_out_of_range(d):
    """Softmax over axis 5 of a rank-2 tensor."""
    node = helper.make_node("Softmax", ["x"], ["y"], name="bad_node", axis=5)
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 3])], [_vi("y", FLOAT, [2, 3])]))


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


@case("external data|external_data", "resolves outside")
def external_data_symlink_escape(d):
    """An initializer stored in `weights.bin` inside the model's folder, which is a symbolic link
    to a file outside it: the path looks harmless, only its resolved target gives it away."""
    secret = _write(os.path.join(d, "secret.bin"), _SECRET)
    model = _save(d, _external_model("weights.bin"), subdir="model")
    link = os.path.join(d, "model", "weights.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(secret, link)
    return model


@case("external data|external_data", "offset/length outside the file")
def external_data_offset_overflow(d):
    """An initializer whose external offset is 2^62 and length 2^62: offset + length overflows
    int64, which must not wrap into a range that passes the bounds check."""
    _write(os.path.join(d, "weights.bin"), _SECRET)
    tensor = _external_tensor("ext_w", "weights.bin")
    for entry in tensor.external_data:
        if entry.key in ("offset", "length"):
            entry.value = str(1 << 62)
    node = helper.make_node("Add", ["x", "ext_w"], ["y"], name="add")
    return _save(d, _model([node], [_vi("x", FLOAT, [2, 2])], [_vi("y", FLOAT, [2, 2])],
                           [tensor]))


@case("external data|external_data", "holds 8 bytes, expected 16")
def external_data_too_short(d):
    """An initializer of 16 bytes whose external file holds only 8."""
    _write(os.path.join(d, "weights.bin"), _SECRET[:8])
    model = _external_model("weights.bin")
    external = model.graph.initializer[0].external_data
    del external[[entry.key for entry in external].index("length")]  # read to the end
    return _save(d, model)


@case("external data|external_data", "missing_weights.bin")
def external_data_missing_file(d):
    """An initializer stored in `missing_weights.bin` next to the model, which does not exist."""
    return _save(d, _external_model("missing_weights.bin"))


# The compiler driver's options.

def _relu_model(d):
    """Writes a valid model y = Relu(x), x: float32 [1, 4], and returns its path."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    return _save(d, _model([node], [_vi("x", FLOAT, [1, 4])], [_vi("y", FLOAT, [1, 4])]))


@case("bad --input-shape", "x=1xa", stage="compile", names_model=False)
def option_input_shape_syntax(d):
    """--input-shape x=1xA: a dim that is not a number."""
    return _relu_model(d), ["--input-shape", "x=1xA", "-o", os.devnull]


@case("--input-shape", "'y'", "not a graph input", stage="compile")
def option_input_shape_unknown_input(d):
    """--input-shape for `y`, which is the model's output, not one of its inputs."""
    return _relu_model(d), ["--input-shape", "y=1x4", "-o", os.devnull]


@case("--input-shape", "rank 3", "rank 2", stage="compile")
def option_input_shape_rank(d):
    """--input-shape x=1x4x2 for an input the model declares with rank 2."""
    return _relu_model(d), ["--input-shape", "x=1x4x2", "-o", os.devnull]


@case("cannot read tensorproto", "missing.pb", "'x'", stage="compile")
def option_bind_input_missing_file(d):
    """--bind-input x=missing.pb, a file that does not exist."""
    return _relu_model(d), ["--bind-input", "x=" + os.path.join(d, "missing.pb"), "-o",
                            os.devnull]


@case("cannot open output file", "no-such-folder", stage="compile", names_model=False)
def option_output_folder_missing(d):
    """-o into a folder that does not exist: the whole pipeline runs, then writing fails."""
    return _relu_model(d), ["-o", os.path.join(d, "no-such-folder", "out.so")]


# The runtime, through nnc-run: a model that loads, given data that does not fit, and files
# that are not models.

def _input_pb(d, array):
    """Writes `array` as the data folder's input_0.pb and returns the folder."""
    folder = os.path.join(d, "data")
    _write(os.path.join(folder, "input_0.pb"),
           numpy_helper.from_array(array, "x").SerializeToString())
    return folder


@case("input 0", "'x'", "dim 1 is 5, expected 4", stage="run", names_model=False)
def run_input_shape_mismatch(d):
    """Data of shape [1, 5] for the input x: float32 [1, 4]; the runtime refuses the view."""
    return _relu_model(d), ["--data", _input_pb(d, np.zeros((1, 5), np.float32))]


@case("input 0", "'x'", "dtype int64, expected float32", stage="run", names_model=False)
def run_input_dtype_mismatch(d):
    """int64 data for the float32 input x."""
    return _relu_model(d), ["--data", _input_pb(d, np.zeros((1, 4), np.int64))]


@case("cannot read tensorproto", "input_0.pb", stage="run", names_model=False)
def run_corrupt_input_file(d):
    """An input_0.pb of bytes that are not a TensorProto."""
    folder = os.path.join(d, "data")
    _write(os.path.join(folder, "input_0.pb"), b"\xff\xff\xff not a tensor")
    return _relu_model(d), ["--data", folder]


@case("no data for input 'x'", stage="run", names_model=False)
def run_missing_input_file(d):
    """An empty data folder for a model with one input."""
    folder = os.path.join(d, "data")
    os.makedirs(folder)
    return _relu_model(d), ["--data", folder]


@case("cannot load model", "not a 64-bit elf shared library", stage="run")
def run_text_as_library(d):
    """A text file named like a compiled model."""
    model = _write(os.path.join(d, "run_text_as_library.so"), b"not a shared library\n")
    return model, ["--data", _input_pb(d, np.zeros((1, 4), np.float32))]


@case("cannot load model", "truncated", stage="run")
def run_truncated_library(d):
    """The first 4 KiB of a real shared library (one of numpy's extension modules): its program
    headers promise segments beyond the end of the file, which must be refused before dlopen
    maps them."""
    library = os.path.join(os.path.dirname(np.__file__), "_core",
                           "_multiarray_umath" + _extension_suffix())
    with open(library, "rb") as f:
        head = f.read(4096)
    model = _write(os.path.join(d, "run_truncated_library.so"), head)
    return model, ["--data", _input_pb(d, np.zeros((1, 4), np.float32))]


def _extension_suffix():
    import sysconfig
    return sysconfig.get_config_var("EXT_SUFFIX")


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

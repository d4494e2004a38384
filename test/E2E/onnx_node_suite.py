"""The official ONNX backend node tests: where their data lives and which of them each tier covers.

Shared by the E2E runners so that every runner agrees on the same test selection.

Data. A node test is `<dir>/<test_name>/model.onnx` plus `test_data_set_0/{input,output}_<i>.pb`.
Older onnx wheels ship them under `onnx/backend/test/data/node`; newer ones (1.23 among them) ship
only the Python definitions of the cases (`onnx.backend.test.case.node`), so when the wheel has no
data this module writes it from those definitions once, in the same layout, into a cache directory.
The definitions seed numpy with 0 before every case, so the data is deterministic (its bytes match
the data the onnx repository ships for the same tests).

Selection. Every test has one target op, and a tier selects the tests whose target op it lists
(the project's ONNX_OPS.md defines the tiers; the op lists are copied below):
  1. A test `<base>_expanded` (also `_expanded_ver<N>`) is the function-body expansion of the
     test `<base>` and has the target op of `<base>`; any other test is its own `<base>`.
  2. The target op is the op type of the nodes of `<base>`'s graph when they all have the same
     op type (true of every node test in onnx 1.12 and 1.23);
  3. otherwise (or when there is no test `<base>`) it is the ONNX op X for which
     `test_<snake_case(X)>` or `test_<lowercase(X)>` is the longest prefix of `<base>` that ends
     at a `_` or at the end of the name (`test_reduce_mean_*` -> ReduceMean, `test_maxpool_*` ->
     MaxPool, not Max).
  4. An expanded test is selected only if, in addition, every op in its own graph is in the tier
     or a lower one (the expansion of Range uses Loop, for example, and is left out of Tier 1).
Only top-level graph nodes count (not the bodies of If, Loop, Scan). Ops outside the default
domain are named `<domain>.<OpType>`. On the onnx 1.12 data this rule reproduces the tiers of
the project's test catalog (onnx-node-tests.tsv), except that it leaves out the two Range
expansions that use Loop.
"""

import os
import re
import shutil
import sys
import tempfile
import warnings

import onnx
from onnx import TensorProto, numpy_helper

# ONNX_OPS.md, "Tier 1 - 68 ops" and "Tier 2 - 60 ops".
TIER_OPS = {
    1: frozenset("""
        Conv ConvTranspose Gemm MatMul Relu LeakyRelu PRelu Sigmoid Tanh HardSigmoid HardSwish Clip
        Erf Softmax LogSoftmax LayerNormalization BatchNormalization InstanceNormalization MaxPool
        AveragePool GlobalAveragePool GlobalMaxPool Add Sub Mul Div Pow Sqrt Exp Log Neg Abs
        Reciprocal Max Min ReduceMean ReduceSum ReduceMax Reshape Transpose Concat Split Slice
        Gather Squeeze Unsqueeze Flatten Shape Size Expand Tile Cast Constant ConstantOfShape
        Identity Range Where Equal Less Greater Not Resize Pad Dropout LSTM GRU RNN If
        """.split()),
    2: frozenset("""
        Acos Acosh And ArgMax ArgMin Asin Asinh Atan Atanh CastLike Ceil Celu Cos Cosh CumSum
        DepthToSpace Einsum Elu EyeLike Floor GatherElements GatherND GreaterOrEqual Hardmax IsInf
        IsNaN LRN LessOrEqual Mean MeanVarianceNormalization Mod OneHot Or ReduceL1 ReduceL2
        ReduceLogSum ReduceLogSumExp ReduceMin ReduceProd ReduceSumSquare ReverseSequence Round
        Scatter ScatterElements ScatterND Selu Shrink Sign Sin Sinh Softplus Softsign SpaceToDepth
        Sum Tan ThresholdedRelu TopK Trilu Upsample Xor
        """.split()),
}
assert len(TIER_OPS[1]) == 68 and len(TIER_OPS[2]) == 60

_EXPANDED_SUFFIX = re.compile(r"_expanded(_ver\d+)?$")


def wheel_data_dir():
    """The node test directory inside the installed onnx wheel (it may not exist)."""
    return os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")


def default_data_dir(cache_root):
    """The wheel's node test data if the wheel has it, else the data written from the wheel's case
    definitions into `cache_root/onnx-<version>` (written on first use only)."""
    if os.path.isdir(wheel_data_dir()):
        return wheel_data_dir()
    target = os.path.join(cache_root, f"onnx-{onnx.__version__}")
    if not os.path.exists(os.path.join(target, ".complete")):
        _write_node_data(target)
    return target


def _write_node_data(target):
    """Writes every node test case that the installed onnx defines into `target`.

    Writes into a temporary sibling first and renames it, so that an interrupted run or a
    concurrent one never leaves a half-written directory behind under the final name."""
    print(f"writing the onnx {onnx.__version__} node test data into {target} (once)",
          file=sys.stderr)
    import onnx.backend.test.case.node as node_cases

    # Collecting runs every case definition (a few seconds); some of them compute infinities and
    # overflows on purpose, which numpy warns about.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cases = node_cases.collect_testcases()

    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".onnx-node-data-", dir=parent)
    for case in cases:
        case_dir = os.path.join(staging, case.name)
        os.makedirs(case_dir)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        for index, (inputs, outputs) in enumerate(case.data_sets):
            set_dir = os.path.join(case_dir, f"test_data_set_{index}")
            os.makedirs(set_dir)
            for kind, values, infos in (("input", inputs, case.model.graph.input),
                                        ("output", outputs, case.model.graph.output)):
                for j, value in enumerate(values):
                    with open(os.path.join(set_dir, f"{kind}_{j}.pb"), "wb") as f:
                        f.write(_to_proto(value, infos[j]).SerializeToString())
    open(os.path.join(staging, ".complete"), "w").close()
    os.chmod(staging, 0o755)  # mkdtemp made it private
    try:
        os.rename(staging, target)
    except OSError:
        # Another run finished first (the target exists and is not empty); keep its data.
        shutil.rmtree(staging)
        if not os.path.exists(os.path.join(target, ".complete")):
            raise


def _to_proto(value, value_info):
    """Serializes one test value as the onnx repository's data generator does."""
    type_proto = value_info.type
    if type_proto.HasField("map_type"):
        return numpy_helper.from_dict(value, value_info.name)
    if type_proto.HasField("sequence_type"):
        return numpy_helper.from_list(value, value_info.name)
    if type_proto.HasField("optional_type"):
        return numpy_helper.from_optional(value, value_info.name)
    if isinstance(value, TensorProto):
        return value
    return numpy_helper.from_array(value, value_info.name)


def list_tests(data_dir):
    """Names of the test directories (those with a model.onnx) in `data_dir`, sorted."""
    return sorted(name for name in os.listdir(data_dir)
                  if os.path.isfile(os.path.join(data_dir, name, "model.onnx")))


def load_model(data_dir, test):
    return onnx.load(os.path.join(data_dir, test, "model.onnx"), load_external_data=False)


def op_types(model):
    """Op types of the top-level graph nodes, in graph order (`<domain>.<OpType>` outside the
    default domain)."""
    return [node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
            for node in model.graph.node]


def _snake_case(op):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", op).lower()


def _op_from_name(test):
    """Rule 3 of the module docstring: the op whose test-name prefix is longest."""
    best_op, best_len = None, 0
    for schema in onnx.defs.get_all_schemas_with_history():
        for stem in {_snake_case(schema.name), schema.name.lower()}:
            prefix = f"test_{stem}"
            if (test == prefix or test.startswith(prefix + "_")) and len(prefix) > best_len:
                best_op, best_len = schema.name, len(prefix)
    return best_op


def select(data_dir, tier):
    """The tests of `tier` in `data_dir`: a sorted list of (test name, target op, model)."""
    in_scope = frozenset().union(*(TIER_OPS[t] for t in TIER_OPS if t <= tier))
    tests = list_tests(data_dir)
    models = {test: load_model(data_dir, test) for test in tests}

    def target_op(test):
        base = _EXPANDED_SUFFIX.sub("", test)
        if base in models:
            ops = set(op_types(models[base]))
            if len(ops) == 1:
                return ops.pop()
        return _op_from_name(base)

    selected = []
    for test in tests:
        op = target_op(test)
        if op not in TIER_OPS[tier]:
            continue
        if _EXPANDED_SUFFIX.search(test) and not set(op_types(models[test])) <= in_scope:
            continue
        selected.append((test, op, models[test]))
    return selected

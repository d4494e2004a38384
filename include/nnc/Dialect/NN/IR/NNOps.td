//===- NNOps.td - nn dialect operations -----------------------*- tablegen -*-===//
//
// One op per ONNX operator family. Result types are inferred (InferTypeOpAdaptor)
// unless the op's attributes cannot determine them (reshape, expand, cast,
// resize, constant), in which case the verifier checks the given type.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_DIALECT_NN_IR_NNOPS_TD
#define NNC_DIALECT_NN_IR_NNOPS_TD

include "nnc/Dialect/NN/IR/NNBase.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def NN_ConstantOp : NN_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor (ONNX initializers, Constant, folded shapes)";
  let description = [{
    Holds weights and folded values. Large weights are `dense_resource` blobs so
    that they are stored once; small ones are `dense` so that folders can see
    them.

    ```mlir
    %0 = nn.constant dense<[1, 2]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class NN_UnaryOp<string mnemonic, Type operandType = NN_FloatTensor,
                 list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptor], traits)> {
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location>,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

def NN_ReluOp : NN_UnaryOp<"relu", NN_NumericTensor> {
  let summary = "max(x, 0) (ONNX Relu)";
}
def NN_SigmoidOp : NN_UnaryOp<"sigmoid"> { let summary = "1 / (1 + exp(-x)) (ONNX Sigmoid)"; }
def NN_TanhOp : NN_UnaryOp<"tanh"> { let summary = "Hyperbolic tangent (ONNX Tanh)"; }
def NN_ErfOp : NN_UnaryOp<"erf"> { let summary = "Gauss error function (ONNX Erf)"; }
def NN_SqrtOp : NN_UnaryOp<"sqrt"> { let summary = "Square root (ONNX Sqrt)"; }
def NN_ExpOp : NN_UnaryOp<"exp"> { let summary = "Exponential (ONNX Exp)"; }
def NN_LogOp : NN_UnaryOp<"log"> { let summary = "Natural logarithm (ONNX Log)"; }
def NN_NegOp : NN_UnaryOp<"neg", NN_NumericTensor> {
  let summary = "-x (ONNX Neg)";
  let hasFolder = 1;
}
def NN_AbsOp : NN_UnaryOp<"abs", NN_NumericTensor> { let summary = "|x| (ONNX Abs)"; }
def NN_ReciprocalOp : NN_UnaryOp<"reciprocal"> { let summary = "1 / x (ONNX Reciprocal)"; }
def NN_HardSwishOp : NN_UnaryOp<"hard_swish"> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2)) (ONNX HardSwish)";
}
def NN_SoftplusOp : NN_UnaryOp<"softplus"> { let summary = "log(1 + exp(x)) (ONNX Softplus)"; }
def NN_SoftsignOp : NN_UnaryOp<"softsign"> { let summary = "x / (1 + |x|) (ONNX Softsign)"; }
def NN_CeilOp : NN_UnaryOp<"ceil"> { let summary = "Round up (ONNX Ceil)"; }
def NN_FloorOp : NN_UnaryOp<"floor"> { let summary = "Round down (ONNX Floor)"; }
def NN_RoundOp : NN_UnaryOp<"round"> { let summary = "Round half to even (ONNX Round)"; }
def NN_SignOp : NN_UnaryOp<"sign", NN_NumericTensor> { let summary = "Sign (ONNX Sign)"; }
def NN_SinOp : NN_UnaryOp<"sin"> { let summary = "Sine (ONNX Sin)"; }
def NN_CosOp : NN_UnaryOp<"cos"> { let summary = "Cosine (ONNX Cos)"; }
def NN_TanOp : NN_UnaryOp<"tan"> { let summary = "Tangent (ONNX Tan)"; }
def NN_AsinOp : NN_UnaryOp<"asin"> { let summary = "Arcsine (ONNX Asin)"; }
def NN_AcosOp : NN_UnaryOp<"acos"> { let summary = "Arccosine (ONNX Acos)"; }
def NN_AtanOp : NN_UnaryOp<"atan"> { let summary = "Arctangent (ONNX Atan)"; }
def NN_SinhOp : NN_UnaryOp<"sinh"> { let summary = "Hyperbolic sine (ONNX Sinh)"; }
def NN_CoshOp : NN_UnaryOp<"cosh"> { let summary = "Hyperbolic cosine (ONNX Cosh)"; }
def NN_AsinhOp : NN_UnaryOp<"asinh"> { let summary = "Inverse hyperbolic sine (ONNX Asinh)"; }
def NN_AcoshOp : NN_UnaryOp<"acosh"> { let summary = "Inverse hyperbolic cosine (ONNX Acosh)"; }
def NN_AtanhOp : NN_UnaryOp<"atanh"> { let summary = "Inverse hyperbolic tangent (ONNX Atanh)"; }
def NN_NotOp : NN_UnaryOp<"not", NN_BoolTensor> { let summary = "Logical not (ONNX Not)"; }

def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu"> {
  let summary = "x >= 0 ? x : alpha * x (ONNX LeakyRelu)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha);
}
def NN_EluOp : NN_UnaryOp<"elu"> {
  let summary = "x >= 0 ? x : alpha * (exp(x) - 1) (ONNX Elu)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha);
}
def NN_CeluOp : NN_UnaryOp<"celu"> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (ONNX Celu)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha);
}
def NN_SeluOp : NN_UnaryOp<"selu"> {
  let summary = "gamma * (x > 0 ? x : alpha * (exp(x) - 1)) (ONNX Selu)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha, F32Attr:$gamma);
}
def NN_ThresholdedReluOp : NN_UnaryOp<"thresholded_relu"> {
  let summary = "x > alpha ? x : 0 (ONNX ThresholdedRelu)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha);
}
def NN_HardSigmoidOp : NN_UnaryOp<"hard_sigmoid"> {
  let summary = "max(0, min(1, alpha * x + beta)) (ONNX HardSigmoid)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta);
}
def NN_ShrinkOp : NN_UnaryOp<"shrink", NN_NumericTensor> {
  let summary = "x < -lambd ? x + bias : (x > lambd ? x - bias : 0) (ONNX Shrink)";
  let arguments = (ins NN_NumericTensor:$input, F32Attr:$bias, F32Attr:$lambd);
}
def NN_TriluOp : NN_UnaryOp<"trilu", NN_Tensor> {
  let summary = "Keeps the upper or lower triangle of the last two dims (ONNX Trilu)";
  let description = [{
    Element (i, j) of each matrix is kept when j - i >= k (upper) or
    j - i <= k (lower), and zeroed otherwise.
  }];
  let arguments = (ins NN_Tensor:$input, BoolAttr:$upper, I64Attr:$k);
  let hasVerifier = 1;
}

def NN_GeluOp : NN_UnaryOp<"gelu"> {
  let summary = "Gaussian error linear unit (ONNX Gelu, opset 20)";
  let description = [{
    `approximate = "none"` computes x * 0.5 * (1 + erf(x / sqrt(2))); `"tanh"`
    uses the tanh approximation.
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       StrAttr:$approximate);
  let hasVerifier = 1;
}

def NN_IsInfOp : NN_Op<"is_inf", [Pure, InferTypeOpAdaptor]> {
  let summary = "Whether each element is +inf / -inf (ONNX IsInf)";
  let arguments = (ins NN_FloatTensor:$input, BoolAttr:$detect_positive,
                       BoolAttr:$detect_negative);
  let results = (outs NN_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_IsNaNOp : NN_Op<"is_nan", [Pure, InferTypeOpAdaptor]> {
  let summary = "Whether each element is NaN (ONNX IsNaN)";
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_CumSumOp : NN_Op<"cumsum", [Pure, InferTypeOpAdaptor]> {
  let summary = "Running sum along an axis (ONNX CumSum)";
  let description = [{
    `exclusive` leaves the current element out; `reverse` sums from the end.
  }];
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$axis, BoolAttr:$exclusive,
                       BoolAttr:$reverse);
  let results = (outs NN_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_ClipOp : NN_Op<"clip", [Pure, InferTypeOpAdaptor]> {
  let summary = "min(max(x, min), max) (ONNX Clip)";
  let description = [{
    `min` and `max` are rank-0 tensors of the input's element type; the importer
    fills in the type's lowest and highest values when ONNX omits them.
  }];
  let arguments = (ins NN_NumericTensor:$input, NN_NumericTensor:$min,
                       NN_NumericTensor:$max);
  let results = (outs NN_NumericTensor:$result);
  let assemblyFormat = [{
    $input `,` $min `,` $max attr-dict `:` type($input) `,` type($min) `,` type($max)
  }];
}

def NN_CastOp : NN_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Element type conversion (ONNX Cast, CastLike)";
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops with multidirectional (numpy) broadcasting
//===----------------------------------------------------------------------===//

class NN_BinaryOp<string mnemonic, Type operandType = NN_NumericTensor,
                  string inferFn = "inferBroadcastResult", list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptor], traits)> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return }] # inferFn # [{(loc, adaptor.getLhs().getType(),
                              adaptor.getRhs().getType(), types);
    }
  }];
}

def NN_AddOp : NN_BinaryOp<"add", NN_NumericTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "lhs + rhs (ONNX Add, Sum)";
  let hasFolder = 1;
}
def NN_SubOp : NN_BinaryOp<"sub"> { let summary = "lhs - rhs (ONNX Sub)"; let hasFolder = 1; }
def NN_MulOp : NN_BinaryOp<"mul", NN_NumericTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "lhs * rhs (ONNX Mul)";
  let hasFolder = 1;
}
def NN_DivOp : NN_BinaryOp<"div"> {
  let summary = "lhs / rhs, truncating for integers (ONNX Div)";
  let hasFolder = 1;
}
def NN_MaxOp : NN_BinaryOp<"max", NN_NumericTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "Elementwise maximum, NaN-propagating (ONNX Max)";
}
def NN_MinOp : NN_BinaryOp<"min", NN_NumericTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "Elementwise minimum, NaN-propagating (ONNX Min)";
}
def NN_PowOp : NN_BinaryOp<"pow", NN_NumericTensor, "inferPowResult"> {
  let summary = "lhs ^ rhs; the exponent may have another element type (ONNX Pow)";
}
def NN_ModOp : NN_BinaryOp<"mod"> {
  let summary = "Remainder (ONNX Mod)";
  let description = [{
    `fmod = true` takes the sign of the dividend (C fmod); otherwise the sign of
    the divisor (Python %), which ONNX only allows for integers.
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs, BoolAttr:$fmod);
}
def NN_PReluOp : NN_BinaryOp<"prelu", NN_FloatTensor, "inferUnidirectionalBroadcastResult"> {
  let summary = "lhs >= 0 ? lhs : slope * lhs, slope broadcast to lhs (ONNX PRelu)";
}
def NN_AndOp : NN_BinaryOp<"and", NN_BoolTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "Logical and (ONNX And)";
}
def NN_OrOp : NN_BinaryOp<"or", NN_BoolTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "Logical or (ONNX Or)";
}
def NN_XorOp : NN_BinaryOp<"xor", NN_BoolTensor, "inferBroadcastResult", [Commutative]> {
  let summary = "Logical exclusive or (ONNX Xor)";
}

def NN_EqualOp : NN_BinaryOp<"equal", NN_Tensor, "inferCompareResult", [Commutative]> {
  let summary = "lhs == rhs, a bool tensor (ONNX Equal)";
  let hasFolder = 1;
}
def NN_LessOp : NN_BinaryOp<"less", NN_NumericTensor, "inferCompareResult"> {
  let summary = "lhs < rhs (ONNX Less)";
}
def NN_LessEqualOp : NN_BinaryOp<"less_equal", NN_NumericTensor, "inferCompareResult"> {
  let summary = "lhs <= rhs (ONNX LessOrEqual)";
}
def NN_GreaterOp : NN_BinaryOp<"greater", NN_NumericTensor, "inferCompareResult"> {
  let summary = "lhs > rhs (ONNX Greater)";
}
def NN_GreaterEqualOp : NN_BinaryOp<"greater_equal", NN_NumericTensor, "inferCompareResult"> {
  let summary = "lhs >= rhs (ONNX GreaterOrEqual)";
}

def NN_WhereOp : NN_Op<"where", [Pure, InferTypeOpAdaptor]> {
  let summary = "condition ? lhs : rhs with broadcasting (ONNX Where)";
  let arguments = (ins NN_BoolTensor:$condition, NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` type($condition) `,` type($lhs) `,` type($rhs)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra, convolution, pooling
//===----------------------------------------------------------------------===//

def NN_MatMulOp : NN_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batched matrix product with broadcast batch dims (ONNX MatMul, Gemm)";
  let description = [{
    Both operands have rank >= 2; leading dims broadcast as in numpy. The
    importer turns ONNX's rank-1 operands into rank-2 ones with `nn.reshape`,
    and Gemm into transpose + matmul + scaled add.
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs);
  let results = (outs NN_NumericTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def NN_ConvOp : NN_Op<"conv", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-d grouped convolution (ONNX Conv)";
  let description = [{
    `weight` is [C_out, C_in / group, k...]. `pads` holds all begin pads then
    all end pads; ONNX's auto_pad is resolved into it at import. Input and
    result are [N, C, spatial...] (ONNX's layout), or [N, spatial..., C] with
    `channels_last`, which a backend sets where that layout runs faster; the
    weight is then [k..., C_in / group, C_out], so that a depthwise kernel's
    channels are contiguous too.
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       Optional<NN_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$group, UnitAttr:$channels_last);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
      `->` type($result)
  }];
}

def NN_ConvTransposeOp : NN_Op<"conv_transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-d grouped transposed convolution (ONNX ConvTranspose)";
  let description = [{
    `weight` is [C_in, C_out / group, k...]. Output size per spatial dim is
    stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pad_begin - pad_end;
    ONNX's output_shape and auto_pad are resolved into pads at import.
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       Optional<NN_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$output_padding,
                       I64Attr:$group);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
      `->` type($result)
  }];
}

def NN_MaxPoolOp : NN_Op<"max_pool", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-d max pooling with the argmax indices (ONNX MaxPool)";
  let description = [{
    `indices` are flat offsets into the input as ONNX defines them
    (`storage_order` 0 = row major, 1 = column major); unused results are free
    to drop in lowering.
  }];
  let arguments = (ins NN_NumericTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, BoolAttr:$ceil_mode,
                       I64Attr:$storage_order);
  let results = (outs NN_NumericTensor:$result, TensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result) `,` type($indices)";
}

def NN_AvgPoolOp : NN_Op<"avg_pool", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-d average pooling (ONNX AveragePool)";
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, BoolAttr:$ceil_mode,
                       BoolAttr:$count_include_pad);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_LRNOp : NN_UnaryOp<"lrn"> {
  let summary = "Local response normalization across channels (ONNX LRN)";
  let arguments = (ins NN_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta,
                       F32Attr:$bias, I64Attr:$size);
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax
//===----------------------------------------------------------------------===//

def NN_BatchNormOp : NN_Op<"batch_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Inference batch normalization over dim 1 (ONNX BatchNormalization)";
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
                       NN_FloatTensor:$bias, NN_FloatTensor:$mean,
                       NN_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` type($input) `,` type($scale)
      `,` type($bias) `,` type($mean) `,` type($variance)
  }];
}

def NN_InstanceNormOp : NN_Op<"instance_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Per-sample, per-channel normalization (ONNX InstanceNormalization)";
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
                       NN_FloatTensor:$bias, F32Attr:$epsilon);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` type($input) `,` type($scale) `,` type($bias)
  }];
}

def NN_LayerNormOp : NN_Op<"layer_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Normalization over dims [axis, rank) (ONNX LayerNormalization)";
  let description = [{
    Returns the normalized tensor, the mean and the inverse standard deviation
    (the last two with the normalized dims kept as size 1, in f32 as ONNX's
    default stash_type says). Kept whole so that lowering can fuse it.
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
                       Optional<NN_FloatTensor>:$bias, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs NN_FloatTensor:$result, NN_FloatTensor:$mean,
                      NN_FloatTensor:$inv_std_dev);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` type($input) `,` type($scale) (`,` type($bias)^)?
      `->` type($result) `,` type($mean) `,` type($inv_std_dev)
  }];
}

def NN_MeanVarianceNormOp : NN_Op<"mean_variance_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "(x - mean) / sqrt(var + 1e-9) over `axes` (ONNX MeanVarianceNormalization)";
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

class NN_SoftmaxLikeOp<string mnemonic> : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins NN_FloatTensor:$input, I64Attr:$axis);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferSameTypeWithAxis(loc, adaptor.getInput().getType(),
                                   adaptor.getAxis(), types);
    }
  }];
}

def NN_SoftmaxOp : NN_SoftmaxLikeOp<"softmax"> {
  let summary = "exp(x) / sum(exp(x)) along one axis (ONNX Softmax, opset 13 form)";
}
def NN_LogSoftmaxOp : NN_SoftmaxLikeOp<"log_softmax"> {
  let summary = "log(softmax(x)) along one axis (ONNX LogSoftmax)";
}
def NN_HardmaxOp : NN_SoftmaxLikeOp<"hardmax"> {
  let summary = "One-hot of the first maximum along one axis (ONNX Hardmax)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class NN_ReduceOp<string mnemonic, Type operandType = NN_NumericTensor>
    : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let description = [{
    `axes` are non-negative, sorted and unique; the importer expands ONNX's
    "empty axes = all axes" rule and drops reductions that are no-ops.
  }];
  let arguments = (ins operandType:$input, DenseI64ArrayAttr:$axes, BoolAttr:$keepdims);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferReduceResult(loc, adaptor.getInput().getType(), adaptor.getAxes(),
                               adaptor.getKeepdims(), types);
    }
  }];
}

def NN_ReduceSumOp : NN_ReduceOp<"reduce_sum"> { let summary = "Sum over axes (ONNX ReduceSum)"; }
def NN_ReduceMeanOp : NN_ReduceOp<"reduce_mean"> { let summary = "Mean over axes (ONNX ReduceMean)"; }
def NN_ReduceMaxOp : NN_ReduceOp<"reduce_max", NN_Tensor> {
  let summary = "Maximum over axes; \"any\" for bool (ONNX ReduceMax)";
}
def NN_ReduceMinOp : NN_ReduceOp<"reduce_min", NN_Tensor> {
  let summary = "Minimum over axes; \"all\" for bool (ONNX ReduceMin)";
}
def NN_ReduceProdOp : NN_ReduceOp<"reduce_prod"> { let summary = "Product over axes (ONNX ReduceProd)"; }
def NN_ReduceL1Op : NN_ReduceOp<"reduce_l1"> { let summary = "Sum of |x| (ONNX ReduceL1)"; }
def NN_ReduceL2Op : NN_ReduceOp<"reduce_l2"> { let summary = "sqrt(sum(x^2)) (ONNX ReduceL2)"; }
def NN_ReduceSumSquareOp : NN_ReduceOp<"reduce_sum_square"> {
  let summary = "Sum of x^2 (ONNX ReduceSumSquare)";
}
def NN_ReduceLogSumOp : NN_ReduceOp<"reduce_log_sum"> {
  let summary = "log(sum(x)) (ONNX ReduceLogSum)";
}
def NN_ReduceLogSumExpOp : NN_ReduceOp<"reduce_log_sum_exp"> {
  let summary = "log(sum(exp(x))), computed stably (ONNX ReduceLogSumExp)";
}

class NN_ArgReduceOp<string mnemonic> : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$axis, BoolAttr:$keepdims,
                       BoolAttr:$select_last_index);
  let results = (outs TensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferArgReduceResult(loc, adaptor.getInput().getType(), adaptor.getAxis(),
                                  adaptor.getKeepdims(), types);
    }
  }];
}
def NN_ArgMaxOp : NN_ArgReduceOp<"argmax"> { let summary = "Index of the maximum (ONNX ArgMax)"; }
def NN_ArgMinOp : NN_ArgReduceOp<"argmin"> { let summary = "Index of the minimum (ONNX ArgMin)"; }

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def NN_ReshapeOp : NN_Op<"reshape", [Pure]> {
  let summary = "Same elements, new static shape (ONNX Reshape, Flatten, Squeeze, Unsqueeze)";
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_TransposeOp : NN_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permutes dims: result dim i is input dim perm[i] (ONNX Transpose)";
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_ConcatOp : NN_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Joins tensors along an axis (ONNX Concat)";
  let arguments = (ins Variadic<NN_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasFolder = 1;
}

def NN_SplitOp : NN_Op<"split", [Pure, InferTypeOpAdaptor]> {
  let summary = "Splits a tensor into pieces of `sizes` along an axis (ONNX Split)";
  let arguments = (ins NN_Tensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<NN_Tensor>:$results);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($results)";
}

def NN_SliceOp : NN_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "Strided slice with one normalized entry per dim (ONNX Slice)";
  let description = [{
    For every dim: `starts` in [0, dim), `steps` non-zero, `ends` in [-1, dim]
    (clamped as ONNX specifies); the result has
    max(0, ceil((end - start) / step)) elements along it.
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def NN_GatherOp : NN_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "Picks slices along an axis by index (ONNX Gather)";
  let description = [{
    Result shape: data[:axis] + indices.shape + data[axis+1:]. Negative indices
    count from the end.
  }];
  let arguments = (ins NN_Tensor:$input, NN_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` type($input) `,` type($indices) `->` type($result)";
  let hasFolder = 1;
}

def NN_GatherElementsOp : NN_Op<"gather_elements", [Pure, InferTypeOpAdaptor]> {
  let summary = "Per-element gather along an axis (ONNX GatherElements)";
  let arguments = (ins NN_Tensor:$input, NN_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` type($input) `,` type($indices) `->` type($result)";
}

def NN_OneHotOp : NN_Op<"one_hot", [Pure, InferTypeOpAdaptor]> {
  let summary = "values[1] where the index matches, values[0] elsewhere (ONNX OneHot)";
  let description = [{
    A new dim of size `depth` is inserted at `axis`; negative indices count
    from `depth`. `values` is [off, on].
  }];
  let arguments = (ins NN_IndexTensor:$indices, NN_Tensor:$values, I64Attr:$depth,
                       I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$indices `,` $values attr-dict `:` type($indices) `,` type($values) `->` type($result)";
}

def NN_GatherNDOp : NN_Op<"gather_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "Gathers slices by index tuples (ONNX GatherND)";
  let description = [{
    The last dim of `indices` (m) indexes dims [batch_dims, batch_dims + m) of
    the input; the result is indices.shape[:-1] + input.shape[batch_dims + m:].
  }];
  let arguments = (ins NN_Tensor:$input, TensorOf<[I64]>:$indices, I64Attr:$batch_dims);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` type($input) `,` type($indices) `->` type($result)";
}

def NN_ScatterElementsOp : NN_Op<"scatter_elements", [Pure, InferTypeOpAdaptor]> {
  let summary = "Writes updates at per-element indices along an axis (ONNX ScatterElements)";
  let description = [{
    Updates are applied in row-major order; `reduction` is "none" (later
    writes win), "add", "mul", "max" or "min".
  }];
  let arguments = (ins NN_Tensor:$input, TensorOf<[I64]>:$indices, NN_Tensor:$updates,
                       I64Attr:$axis, StrAttr:$reduction);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates attr-dict `:` type($input) `,` type($indices) `,` type($updates)
      `->` type($result)
  }];
}

def NN_ScatterNDOp : NN_Op<"scatter_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "Writes update slices at index tuples (ONNX ScatterND)";
  let arguments = (ins NN_Tensor:$input, TensorOf<[I64]>:$indices, NN_Tensor:$updates,
                       StrAttr:$reduction);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates attr-dict `:` type($input) `,` type($indices) `,` type($updates)
      `->` type($result)
  }];
}

def NN_TopKOp : NN_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "The k largest (or smallest) elements along an axis and their indices (ONNX TopK)";
  let description = [{
    Results are sorted (largest first, or smallest first when `largest` is
    false); equal values keep the lower index first.
  }];
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$k, I64Attr:$axis, BoolAttr:$largest);
  let results = (outs NN_NumericTensor:$values, TensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($values) `,` type($indices)";
}

def NN_ReverseSequenceOp : NN_Op<"reverse_sequence", [Pure, InferTypeOpAdaptor]> {
  let summary = "Reverses the first lens[b] steps of each batch entry (ONNX ReverseSequence)";
  let arguments = (ins NN_Tensor:$input, TensorOf<[I64]>:$lengths, I64Attr:$batch_axis,
                       I64Attr:$time_axis);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $lengths attr-dict `:` type($input) `,` type($lengths) `->` type($result)";
}

def NN_EinsumOp : NN_Op<"einsum", [Pure]> {
  let summary = "Einstein summation (ONNX Einsum)";
  let description = [{
    `equation` is normalized by the importer to explicit form without
    ellipses, e.g. "ij,jk->ik"; labels missing from the output are summed.
  }];
  let arguments = (ins Variadic<NN_NumericTensor>:$inputs, StrAttr:$equation);
  let results = (outs NN_NumericTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ExpandOp : NN_Op<"expand", [Pure]> {
  let summary = "Broadcasts to a bigger static shape (ONNX Expand)";
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_TileOp : NN_Op<"tile", [Pure, InferTypeOpAdaptor]> {
  let summary = "Repeats a tensor `repeats[i]` times along dim i (ONNX Tile)";
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_PadOp : NN_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pads (or crops, with negative pads) every dim (ONNX Pad)";
  let description = [{
    `pads` holds all begin pads then all end pads. `mode` is one of
    "constant", "reflect", "edge", "wrap"; `value` (rank 0) fills in
    constant mode.
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$value,
                       DenseI64ArrayAttr:$pads, StrAttr:$mode);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` $value attr-dict `:` type($input) `,` type($value) `->` type($result)";
}

def NN_ResizeOp : NN_Op<"resize", [Pure]> {
  let summary = "Interpolating resize (ONNX Resize, Upsample)";
  let description = [{
    The result type gives the output shape; `scales` (one per dim) drive the
    coordinate transform as ONNX specifies. `mode` is "nearest", "linear" or
    "cubic"; `roi` (2 * rank values) is only read by "tf_crop_and_resize".
  }];
  let arguments = (ins NN_Tensor:$input, DenseF64ArrayAttr:$scales,
                       DenseF64ArrayAttr:$roi, StrAttr:$mode,
                       StrAttr:$coordinate_transformation_mode, StrAttr:$nearest_mode,
                       F32Attr:$cubic_coeff_a, BoolAttr:$exclude_outside,
                       F32Attr:$extrapolation_value, BoolAttr:$antialias);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_DepthToSpaceOp : NN_Op<"depth_to_space", [Pure, InferTypeOpAdaptor]> {
  let summary = "Moves channel blocks into spatial blocks (ONNX DepthToSpace)";
  let arguments = (ins NN_Tensor:$input, I64Attr:$blocksize, StrAttr:$mode);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NN_SpaceToDepthOp : NN_Op<"space_to_depth", [Pure, InferTypeOpAdaptor]> {
  let summary = "Moves spatial blocks into channels (ONNX SpaceToDepth)";
  let description = [{
    `mode` "DCR" (the default before opset 28) puts the block position before
    the channel in the output channel index; "CRD" puts the channel first.
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$blocksize, StrAttr:$mode);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

def NN_LSTMOp : NN_Op<"lstm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Long short-term memory layer, seq-major layout (ONNX LSTM)";
  let description = [{
    X: [seq, batch, input]; W: [dirs, 4H, input]; R: [dirs, 4H, H];
    B: [dirs, 8H]; initial_h/c: [dirs, batch, H]; P: [dirs, 3H]. The importer
    materializes omitted B/initial states/P as zeros and converts layout 1.
    Results: Y [seq, dirs, batch, H], Y_h and Y_c [dirs, batch, H].
    Gate order i, o, f, c as in ONNX.
  }];
  let arguments = (ins NN_FloatTensor:$x, NN_FloatTensor:$w, NN_FloatTensor:$r,
                       NN_FloatTensor:$b, NN_FloatTensor:$initial_h,
                       NN_FloatTensor:$initial_c, NN_FloatTensor:$p,
                       Optional<TensorOf<[I32]>>:$sequence_lens,
                       I64Attr:$hidden_size, StrAttr:$direction,
                       StrArrayAttr:$activations, F32ArrayAttr:$activation_alpha,
                       F32ArrayAttr:$activation_beta, OptionalAttr<F32Attr>:$clip,
                       BoolAttr:$input_forget);
  let results = (outs NN_FloatTensor:$y, NN_FloatTensor:$y_h, NN_FloatTensor:$y_c);
  let assemblyFormat = [{
    `(` operands `)` attr-dict `:` functional-type(operands, results)
  }];
}

def NN_GRUOp : NN_Op<"gru", [Pure, InferTypeOpAdaptor]> {
  let summary = "Gated recurrent unit layer, seq-major layout (ONNX GRU)";
  let description = [{
    W: [dirs, 3H, input]; R: [dirs, 3H, H]; B: [dirs, 6H]; gate order z, r, h.
  }];
  let arguments = (ins NN_FloatTensor:$x, NN_FloatTensor:$w, NN_FloatTensor:$r,
                       NN_FloatTensor:$b, NN_FloatTensor:$initial_h,
                       Optional<TensorOf<[I32]>>:$sequence_lens,
                       I64Attr:$hidden_size, StrAttr:$direction,
                       StrArrayAttr:$activations, F32ArrayAttr:$activation_alpha,
                       F32ArrayAttr:$activation_beta, OptionalAttr<F32Attr>:$clip,
                       BoolAttr:$linear_before_reset);
  let results = (outs NN_FloatTensor:$y, NN_FloatTensor:$y_h);
  let assemblyFormat = [{
    `(` operands `)` attr-dict `:` functional-type(operands, results)
  }];
}

def NN_RNNOp : NN_Op<"rnn", [Pure, InferTypeOpAdaptor]> {
  let summary = "Simple recurrent layer, seq-major layout (ONNX RNN)";
  let description = [{ W: [dirs, H, input]; R: [dirs, H, H]; B: [dirs, 2H]. }];
  let arguments = (ins NN_FloatTensor:$x, NN_FloatTensor:$w, NN_FloatTensor:$r,
                       NN_FloatTensor:$b, NN_FloatTensor:$initial_h,
                       Optional<TensorOf<[I32]>>:$sequence_lens,
                       I64Attr:$hidden_size, StrAttr:$direction,
                       StrArrayAttr:$activations, F32ArrayAttr:$activation_alpha,
                       F32ArrayAttr:$activation_beta, OptionalAttr<F32Attr>:$clip);
  let results = (outs NN_FloatTensor:$y, NN_FloatTensor:$y_h);
  let assemblyFormat = [{
    `(` operands `)` attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

def NN_IfOp : NN_Op<"if", [RecursiveMemoryEffects, NoRegionArguments,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "Runs one of two regions on a scalar condition (ONNX If)";
  let description = [{
    Both regions yield values of the op's result types (static shapes must
    agree). Regions may use values defined above them, as ONNX subgraphs do.
  }];
  let arguments = (ins TensorOf<[I1]>:$condition);
  let results = (outs Variadic<NN_Tensor>:$results);
  let regions = (region SizedRegion<1>:$then_region, SizedRegion<1>:$else_region);
  let assemblyFormat = [{
    $condition `:` type($condition) (`->` type($results)^)? $then_region `else` $else_region attr-dict
  }];
  let hasVerifier = 1;
}

def NN_YieldOp : NN_Op<"yield", [Pure, Terminator, ReturnLike, HasParent<"IfOp">]> {
  let summary = "Yields the results of an nn.if region";
  let arguments = (ins Variadic<NN_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
}

#endif // NNC_DIALECT_NN_IR_NNOPS_TD

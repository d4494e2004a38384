//===- NNBase.td - nn dialect definition and type constraints -*- tablegen -*-===//
//
// The `nn` dialect models a neural-network graph at the level of ONNX operators:
// value semantics on statically shaped tensors, one op per ONNX operator family,
// with ONNX's opset differences normalized away by the importer.
//
//===----------------------------------------------------------------------===//

#ifndef NNC_DIALECT_NN_IR_NNBASE_TD
#define NNC_DIALECT_NN_IR_NNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::mlir::nnc::nn";
  let summary = "Neural-network graph operators on statically shaped tensors";
  let description = [{
    The `nn` dialect is what nnc's ONNX importer produces and what its graph
    passes optimize. Every op works on ranked tensors with static shapes; all
    shapes are known after import, and result types are inferred from operands
    and attributes (InferTypeOpInterface) wherever the op determines them.
    Attributes are normalized: pads are explicit `[begin..., end...]` lists,
    axes are non-negative and sorted, defaults are filled in.
  }];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// The element types nnc supports: ONNX float, float16, bfloat16, double, int64,
/// int32, int8, uint8 and bool.
def NN_ElementType : AnyTypeOf<[F32, F16, BF16, F64, I64, I32, I8, UI8, I1],
                               "nn element type">;
def NN_FloatElementType : AnyTypeOf<[F32, F16, BF16, F64], "nn float type">;

def NN_Tensor : StaticShapeTensorOf<[NN_ElementType]>;
def NN_FloatTensor : StaticShapeTensorOf<[NN_FloatElementType]>;
def NN_BoolTensor : StaticShapeTensorOf<[I1]>;
def NN_IndexTensor : StaticShapeTensorOf<[I64, I32]>;
def NN_NumericTensor : StaticShapeTensorOf<[F32, F16, BF16, F64, I64, I32, I8, UI8]>;

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

#endif // NNC_DIALECT_NN_IR_NNBASE_TD

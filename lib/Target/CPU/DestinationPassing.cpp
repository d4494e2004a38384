//===- DestinationPassing.cpp - results into caller-provided buffers ------===//

#include "nnc/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUDESTINATIONPASSINGPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;

namespace {
/// Rewrites `func` so that each result is written into a new memref argument.
LogicalResult convertResultsToOutputArguments(func::FuncOp func) {
  if (func.isExternal())
    return success();
  auto type = func.getFunctionType();
  SmallVector<Type> outputTypes;
  for (Type result : type.getResults()) {
    auto tensor = dyn_cast<RankedTensorType>(result);
    if (!tensor)
      return func.emitError("expected ranked tensor results (got ") << result << ")";
    outputTypes.push_back(MemRefType::get(tensor.getShape(), tensor.getElementType()));
  }
  Block &entry = func.getBody().front();
  unsigned firstOutput = entry.getNumArguments();
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  for (Type t : outputTypes)
    entry.addArgument(t, func.getLoc());
  SmallVector<DictionaryAttr> argAttrs;
  func.getAllArgAttrs(argAttrs);
  argAttrs.append(resultAttrs);
  SmallVector<Type> inputs(type.getInputs());
  inputs.append(outputTypes);
  func.setType(FunctionType::get(func.getContext(), inputs, {}));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});

  func.walk([&](func::ReturnOp ret) {
    OpBuilder b(ret);
    for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
      auto materialize = bufferization::MaterializeInDestinationOp::create(
          b, ret.getLoc(), TypeRange{}, value, entry.getArgument(firstOutput + i));
      materialize.setRestrict(true);
      materialize.setWritable(true);
    }
    func::ReturnOp::create(b, ret.getLoc());
    ret.erase();
  });
  return success();
}

struct NNCCPUDestinationPassingPass final
    : nnc::impl::NNCCPUDestinationPassingPassBase<NNCCPUDestinationPassingPass> {
  using Base::Base;
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (failed(convertResultsToOutputArguments(func)))
        return signalPassFailure();
  }
};
} // namespace

//===- KernelABI.cpp - the runtime ABI in generated code ------------------===//
//
// Emits what runtime/include/nnc_rt/kernel_abi.h describes: the tensor
// descriptors, the model descriptor, the run trampoline that unpacks the
// pointer arrays into @main's arguments, and the exported accessor.
// Field order and types here must match that header.
//
//===----------------------------------------------------------------------===//

#include "nnc/Target/CPU/Emission.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::nnc;

namespace {
/// ONNX TensorProto.DataType numbers, as kernel_abi.h's nnc_kernel_dtype_t.
int32_t abiDType(Type element) {
  if (element.isF32())
    return 1;
  if (element.isUnsignedInteger(8))
    return 2;
  if (element.isSignlessInteger(8))
    return 3;
  if (element.isSignlessInteger(32))
    return 6;
  if (element.isSignlessInteger(64))
    return 7;
  if (element.isInteger(1))
    return 9;
  if (element.isF16())
    return 10;
  if (element.isF64())
    return 11;
  if (element.isBF16())
    return 16;
  return 0;
}

constexpr unsigned kAbiVersion = 0;
/// The nnc release, as the runtime names its own (NNC_RUNTIME_VERSION).
constexpr const char *kProducer = "nnc 0.1";
} // namespace

FailureOr<ModelSignature> mlir::nnc::extractModelSignature(func::FuncOp main) {
  ModelSignature signature;
  auto describe = [&](Type type, DictionaryAttr attrs,
                      SmallVectorImpl<TensorSignature> &out) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    int32_t dtype = tensor ? abiDType(tensor.getElementType()) : 0;
    if (!dtype)
      return main.emitError("unsupported model input/output type ") << type;
    auto name = attrs ? attrs.getAs<StringAttr>("nn.name") : StringAttr();
    out.push_back({name ? name.str() : "", dtype, SmallVector<int64_t>(tensor.getShape())});
    return success();
  };
  for (unsigned i = 0; i < main.getNumArguments(); ++i)
    if (failed(describe(main.getArgument(i).getType(), main.getArgAttrDict(i), signature.inputs)))
      return failure();
  for (unsigned i = 0; i < main.getNumResults(); ++i)
    if (failed(describe(main.getResultTypes()[i], main.getResultAttrDict(i), signature.outputs)))
      return failure();
  return signature;
}

namespace {
/// Replaces each call `@__nnc_parallel_<i>(0, chunks, captures...)` from
/// `caller` (see nnc-cpu-outline-parallel) with
/// `env->parallel_for(env->pool, chunks, entry, &captures)`, where the new
/// `entry(context, begin, end)` unpacks the captures and calls the task.
void dispatchParallelTasks(llvm::Module &module, llvm::Function *caller, llvm::Value *env) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> b(context);
  auto *ptrType = llvm::PointerType::getUnqual(context);
  auto *i64 = b.getInt64Ty();
  auto *entryType = llvm::FunctionType::get(b.getVoidTy(), {ptrType, i64, i64}, false);
  auto *parallelForType =
      llvm::FunctionType::get(b.getVoidTy(), {ptrType, i64, ptrType, ptrType}, false);
  SmallVector<llvm::Function *> tasks;
  for (llvm::Function &function : module)
    if (function.getName().starts_with("__nnc_parallel_") && !function.isDeclaration())
      tasks.push_back(&function);
  for (llvm::Function *task : tasks) {
    task->setLinkage(llvm::GlobalValue::InternalLinkage);
    SmallVector<llvm::Type *> captured;
    for (llvm::Argument &arg : llvm::drop_begin(task->args(), 2))
      captured.push_back(arg.getType());
    auto *contextType = llvm::StructType::get(context, captured);
    auto *entry = llvm::Function::Create(entryType, llvm::GlobalValue::InternalLinkage,
                                         task->getName() + ".entry", module);
    b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", entry));
    SmallVector<llvm::Value *> args{entry->getArg(1), entry->getArg(2)};
    for (auto [i, type] : llvm::enumerate(captured))
      args.push_back(b.CreateLoad(type, b.CreateStructGEP(contextType, entry->getArg(0), i)));
    b.CreateCall(task, args);
    b.CreateRetVoid();

    SmallVector<llvm::CallInst *> calls;
    for (llvm::User *user : task->users())
      if (auto *call = dyn_cast<llvm::CallInst>(user); call && call->getFunction() == caller)
        calls.push_back(call);
    for (llvm::CallInst *call : calls) {
      b.SetInsertPoint(&*caller->getEntryBlock().getFirstInsertionPt());
      llvm::Value *captures = b.CreateAlloca(contextType);
      b.SetInsertPoint(call);
      for (unsigned i = 0; i < captured.size(); ++i)
        b.CreateStore(call->getArgOperand(i + 2), b.CreateStructGEP(contextType, captures, i));
      // nnc_kernel_env_v0_t: {parallel_for, pool, workspace}.
      llvm::Value *parallelFor = b.CreateLoad(ptrType, env);
      llvm::Value *pool = b.CreateLoad(ptrType, b.CreateConstGEP1_64(ptrType, env, 1));
      b.CreateCall(parallelForType, parallelFor, {pool, call->getArgOperand(1), entry, captures});
      call->eraseFromParent();
    }
  }
}
} // namespace

LogicalResult mlir::nnc::addKernelABI(llvm::Module &module, const ModelSignature &signature) {
  llvm::Function *main = module.getFunction("main");
  if (!main)
    return failure();
  // @main is an implementation detail; the descriptor is the only export.
  main->setName("nnc_model_main");
  main->setLinkage(llvm::GlobalValue::InternalLinkage);

  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> b(context);
  auto *ptrType = llvm::PointerType::getUnqual(context);
  auto *i32 = b.getInt32Ty();
  auto *tensorType =
      llvm::StructType::create(context, {ptrType, i32, i32, ptrType}, "nnc_kernel_tensor_v0_t");
  auto privateConstant = [&](llvm::Constant *init, const llvm::Twine &name) {
    return new llvm::GlobalVariable(module, init->getType(), /*isConstant=*/true,
                                    llvm::GlobalValue::PrivateLinkage, init, name);
  };
  auto tensorArray = [&](ArrayRef<TensorSignature> tensors, StringRef kind) -> llvm::Constant * {
    SmallVector<llvm::Constant *> entries;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      llvm::Constant *name = privateConstant(llvm::ConstantDataArray::getString(context, t.name),
                                             kind + ".name." + Twine(i));
      SmallVector<uint64_t> dims(t.shape.begin(), t.shape.end());
      llvm::Constant *shape =
          privateConstant(llvm::ConstantDataArray::get(context, ArrayRef<uint64_t>(dims)),
                          kind + ".shape." + Twine(i));
      entries.push_back(llvm::ConstantStruct::get(
          tensorType, {name, llvm::ConstantInt::get(i32, t.dtype),
                       llvm::ConstantInt::get(i32, t.shape.size()), shape}));
    }
    if (entries.empty())
      return llvm::ConstantPointerNull::get(ptrType);
    auto *arrayType = llvm::ArrayType::get(tensorType, entries.size());
    return privateConstant(llvm::ConstantArray::get(arrayType, entries), kind);
  };

  // void run(void* const* inputs, void* const* outputs, const nnc_kernel_env_v0_t* env).
  // env lends the workspace and the thread pool's parallel_for.
  auto *runType = llvm::FunctionType::get(b.getVoidTy(), {ptrType, ptrType, ptrType}, false);
  auto *run = llvm::Function::Create(runType, llvm::GlobalValue::InternalLinkage,
                                     "nnc_model_run_v0", module);
  b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", run));
  // @main takes MLIR's expanded memref descriptors: (allocated, aligned, offset,
  // sizes..., strides...) per buffer; ours are dense row-major.
  SmallVector<llvm::Value *> args;
  auto addBuffers = [&](llvm::Value *array, ArrayRef<TensorSignature> tensors) {
    for (auto [i, t] : llvm::enumerate(tensors)) {
      llvm::Value *data = b.CreateLoad(ptrType, b.CreateConstGEP1_64(ptrType, array, i));
      args.append({data, data, b.getInt64(0)});
      for (int64_t dim : t.shape)
        args.push_back(b.getInt64(dim));
      SmallVector<int64_t> strides(t.shape.size(), 1);
      for (int64_t d = static_cast<int64_t>(t.shape.size()) - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * t.shape[d + 1];
      for (int64_t stride : strides)
        args.push_back(b.getInt64(stride));
    }
  };
  addBuffers(run->getArg(0), signature.inputs);
  addBuffers(run->getArg(1), signature.outputs);
  if (signature.workspaceSize) {
    // env->workspace, the third pointer of nnc_kernel_env_v0_t, as a memref<Nxi8>.
    llvm::Value *workspace =
        b.CreateLoad(ptrType, b.CreateConstGEP1_64(ptrType, run->getArg(2), 2));
    args.append({workspace, workspace, b.getInt64(0), b.getInt64(signature.workspaceSize),
                 b.getInt64(1)});
  }
  if (signature.takesEnv)
    args.push_back(run->getArg(2));
  if (args.size() != main->arg_size()) {
    run->eraseFromParent();
    return failure();
  }
  b.CreateCall(main, args);
  b.CreateRetVoid();
  if (signature.takesEnv && signature.device == 0)
    dispatchParallelTasks(module, main, main->getArg(main->arg_size() - 1));

  auto *modelType = llvm::StructType::create(
      context, {i32, i32, i32, i32, ptrType, ptrType, ptrType, ptrType, b.getInt64Ty()},
      "nnc_kernel_model_v0_t");
  llvm::Constant *producer =
      privateConstant(llvm::ConstantDataArray::getString(context, kProducer), "producer");
  llvm::Constant *model = privateConstant(
      llvm::ConstantStruct::get(modelType, {llvm::ConstantInt::get(i32, kAbiVersion),
                                            llvm::ConstantInt::get(i32, signature.inputs.size()),
                                            llvm::ConstantInt::get(i32, signature.outputs.size()),
                                            llvm::ConstantInt::get(i32, signature.device),
                                            tensorArray(signature.inputs, "inputs"),
                                            tensorArray(signature.outputs, "outputs"), run,
                                            producer,
                                            llvm::ConstantInt::get(b.getInt64Ty(),
                                                                   signature.workspaceSize)}),
      "nnc_model");

  // const nnc_kernel_model_v0_t* <accessor>(void)
  auto *accessor =
      llvm::Function::Create(llvm::FunctionType::get(ptrType, false),
                             llvm::GlobalValue::ExternalLinkage, signature.accessorName, module);
  accessor->setVisibility(llvm::GlobalValue::DefaultVisibility);
  b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", accessor));
  b.CreateRet(model);
  return success();
}

std::string mlir::nnc::generateModelHeader(const ModelSignature &signature, StringRef modelName) {
  static const char *const dtypeNames[] = {
      nullptr, "float32", "uint8",   "int8",  nullptr, nullptr, "int32", "int64",   nullptr,
      "bool",  "float16", "float64", nullptr, nullptr, nullptr, nullptr, "bfloat16"};
  std::string guard = "NNC_MODEL_" + llvm::StringRef(signature.accessorName).upper() + "_H_";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by nnc-compile from " << modelName << ". Do not edit.\n *\n";
  auto describe = [&](StringRef kind, ArrayRef<TensorSignature> tensors) {
    for (auto [i, t] : llvm::enumerate(tensors)) {
      os << " * " << kind << " " << i << ": '" << t.name << "' " << dtypeNames[t.dtype] << "[";
      llvm::interleave(t.shape, os, ", ");
      os << "]\n";
    }
  };
  describe("input", signature.inputs);
  describe("output", signature.outputs);
  os << " *\n * Load it with nnc_model_load_static(&" << signature.accessorName
     << ", &model) (runtime/include/nnc_rt/nnc_rt.h).\n */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include \"nnc_rt/kernel_abi.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "const nnc_kernel_model_v0_t* " << signature.accessorName << "(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

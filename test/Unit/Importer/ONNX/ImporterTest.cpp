//===- ImporterTest.cpp - importer API: options and diagnostics -----------===//

#include "nnc/Importer/ONNX/ONNXImporter.h"

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {
/// Writes `text` to a temporary file with `suffix` and removes it at the end.
class TempFile {
public:
  TempFile(StringRef text, StringRef suffix) {
    int fd;
    if (llvm::sys::fs::createTemporaryFile("nnc-importer-test", suffix, fd, path))
      return;
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
  std::string str() const { return std::string(path.str()); }

private:
  SmallString<128> path;
};

constexpr const char *kDynamicModel = R"onnx(
<ir_version: 8, opset_import: ["" : 17]>
agraph (float[N, 4] x) => (float[N, 4] y) {
  y = Relu(x)
}
)onnx";

class ImporterTest : public ::testing::Test {
protected:
  ImporterTest()
      : handler(&context, [this](Diagnostic &diag) {
          messages += diag.str() + "\n";
          return success();
        }) {}

  MLIRContext context;
  std::string messages;
  ScopedDiagnosticHandler handler;
};

TEST_F(ImporterTest, InputShapeMakesDynamicDimsStatic) {
  TempFile file(kDynamicModel, "onnxtxt");
  nnc::ONNXImportOptions options;
  options.inputShapes["x"] = {3, 4};
  OwningOpRef<ModuleOp> module = nnc::importONNXModelFile(&context, file.str(), options);
  ASSERT_TRUE(module) << messages;
  auto func = *module->getOps<func::FuncOp>().begin();
  Builder b(&context);
  auto type = RankedTensorType::get({3, 4}, b.getF32Type());
  EXPECT_EQ(func.getFunctionType(), b.getFunctionType({type}, {type}));
  EXPECT_EQ(func.getArgAttrOfType<StringAttr>(0, "nn.name").getValue(), "x");
}

TEST_F(ImporterTest, MissingInputShapeNamesTheInput) {
  TempFile file(kDynamicModel, "onnxtxt");
  EXPECT_FALSE(nnc::importONNXModelFile(&context, file.str(), {}));
  EXPECT_NE(messages.find("graph input 'x' has dynamic dims (Nx4)"), std::string::npos) << messages;
}

TEST_F(ImporterTest, InputShapeWithWrongRankIsRefused) {
  TempFile file(kDynamicModel, "onnxtxt");
  nnc::ONNXImportOptions options;
  options.inputShapes["x"] = {3, 4, 5};
  EXPECT_FALSE(nnc::importONNXModelFile(&context, file.str(), options));
  EXPECT_NE(messages.find("has rank 3 but the model declares rank 2"), std::string::npos)
      << messages;
}

TEST_F(ImporterTest, NodeErrorsNameNodeOpAndOpset) {
  TempFile file(R"onnx(
<ir_version: 8, opset_import: ["" : 17]>
agraph (float[2, 3] a, float[4, 5] b) => (float[2, 5] y) {
  y = MatMul(a, b)
}
)onnx",
                "onnxtxt");
  EXPECT_FALSE(nnc::importONNXModelFile(&context, file.str(), {}));
  EXPECT_NE(messages.find("expected contraction dims to match (3 vs 4) (ONNX node "
                          "'MatMul_0', op 'MatMul', opset 17)"),
            std::string::npos)
      << messages;
}
} // namespace

//===- FoldTest.cpp - nn folders evaluate shape computations correctly ----===//
//
// Builds small nn programs on constants, canonicalizes them, and compares the
// folded constant with the value computed here directly in C++.
//
//===----------------------------------------------------------------------===//

#include "nnc/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {
/// Parses `body` as a function, canonicalizes it, and returns the integer
/// values of the constant it returns (empty if it did not fold to one).
std::vector<int64_t> foldToInts(MLIRContext &context, StringRef source) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module)
    return {};
  PassManager pm(&context, ModuleOp::getOperationName());
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(*module)))
    return {};
  auto func = *module->getOps<func::FuncOp>().begin();
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  auto constant = ret.getOperand(0).getDefiningOp<nnc::nn::ConstantOp>();
  if (!constant)
    return {};
  std::vector<int64_t> values;
  for (const APInt &v : cast<DenseElementsAttr>(constant.getValue()).getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

class FoldTest : public ::testing::Test {
protected:
  FoldTest() {
    context.getOrLoadDialect<nnc::nn::NNDialect>();
    context.getOrLoadDialect<func::FuncDialect>();
  }
  MLIRContext context;
};

// The pattern torch exports for flatten: Shape -> Gather -> Unsqueeze -> Concat.
TEST_F(FoldTest, GatherAndConcatOfShapes) {
  std::vector<int64_t> shape = {1, 32, 2, 2};
  auto folded = foldToInts(context, R"mlir(
    func.func @f() -> tensor<2xi64> {
      %shape = nn.constant dense<[1, 32, 2, 2]> : tensor<4xi64>
      %index = nn.constant dense<0> : tensor<i64>
      %batch = nn.gather %shape, %index {axis = 0 : i64} : tensor<4xi64>, tensor<i64> -> tensor<i64>
      %b1 = nn.reshape %batch : tensor<i64> -> tensor<1xi64>
      %rest = nn.constant dense<-1> : tensor<1xi64>
      %target = nn.concat %b1, %rest {axis = 0 : i64} : tensor<1xi64>, tensor<1xi64> -> tensor<2xi64>
      return %target : tensor<2xi64>
    })mlir");
  EXPECT_EQ(folded, (std::vector<int64_t>{shape[0], -1}));
}

TEST_F(FoldTest, BroadcastArithmeticOnIntegers) {
  std::vector<int64_t> a = {6, 9, -12}, expected;
  for (int64_t v : a)
    expected.push_back((v * 2 - 4) / 3); // truncating division, as ONNX Div on ints
  auto folded = foldToInts(context, R"mlir(
    func.func @f() -> tensor<3xi64> {
      %a = nn.constant dense<[6, 9, -12]> : tensor<3xi64>
      %two = nn.constant dense<2> : tensor<i64>
      %four = nn.constant dense<4> : tensor<1xi64>
      %three = nn.constant dense<3> : tensor<i64>
      %m = nn.mul %a, %two : tensor<3xi64>, tensor<i64>
      %s = nn.sub %m, %four : tensor<3xi64>, tensor<1xi64>
      %d = nn.div %s, %three : tensor<3xi64>, tensor<i64>
      return %d : tensor<3xi64>
    })mlir");
  EXPECT_EQ(folded, expected);
}

TEST_F(FoldTest, SliceWithNegativeStepAndTranspose) {
  // [[0,1,2],[3,4,5]] transposed is [[0,3],[1,4],[2,5]]; rows reversed with
  // step -1 gives [[2,5],[1,4],[0,3]].
  auto folded = foldToInts(context, R"mlir(
    func.func @f() -> tensor<3x2xi64> {
      %a = nn.constant dense<[[0, 1, 2], [3, 4, 5]]> : tensor<2x3xi64>
      %t = nn.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xi64> -> tensor<3x2xi64>
      %s = nn.slice %t {starts = array<i64: 2, 0>, ends = array<i64: -1, 2>, steps = array<i64: -1, 1>} : tensor<3x2xi64> -> tensor<3x2xi64>
      return %s : tensor<3x2xi64>
    })mlir");
  EXPECT_EQ(folded, (std::vector<int64_t>{2, 5, 1, 4, 0, 3}));
}

TEST_F(FoldTest, DivisionByZeroIsLeftToRunTime) {
  auto folded = foldToInts(context, R"mlir(
    func.func @f() -> tensor<1xi64> {
      %a = nn.constant dense<[1]> : tensor<1xi64>
      %z = nn.constant dense<[0]> : tensor<1xi64>
      %d = nn.div %a, %z : tensor<1xi64>, tensor<1xi64>
      return %d : tensor<1xi64>
    })mlir");
  EXPECT_TRUE(folded.empty());
}
} // namespace

//===- ShapeInferenceTest.cpp - nn shape helpers against plain references -===//

#include "nnc/Dialect/NN/IR/NNOps.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace mlir::nnc::nn;

namespace {
TEST(BroadcastShapes, FollowsNumpyRules) {
  EXPECT_EQ(*broadcastShapes({2, 3}, {3}), (SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(*broadcastShapes({4, 1, 5}, {3, 1}), (SmallVector<int64_t>{4, 3, 5}));
  EXPECT_EQ(*broadcastShapes({}, {7}), (SmallVector<int64_t>{7}));
  EXPECT_EQ(*broadcastShapes({0, 1}, {1, 3}), (SmallVector<int64_t>{0, 3}));
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {4})));
  EXPECT_TRUE(failed(broadcastShapes({2}, {3, 3})));
}

/// ONNX's pooling output size, computed in float64 as the operator spec writes it.
int64_t referenceOutputSize(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe,
                            bool ceilMode) {
  double span = static_cast<double>(in + pb + pe - ((k - 1) * d + 1)) / s;
  int64_t out = static_cast<int64_t>(ceilMode ? std::ceil(span) : std::floor(span)) + 1;
  // The last window has to start inside the input or the begin padding.
  if (ceilMode && (out - 1) * s >= in + pb)
    --out;
  return out;
}

TEST(WindowOutputSize, MatchesTheOnnxFormula) {
  for (int64_t in = 1; in <= 12; ++in)
    for (int64_t k = 1; k <= 4; ++k)
      for (int64_t s = 1; s <= 3; ++s)
        for (int64_t d = 1; d <= 2; ++d)
          for (int64_t p = 0; p < k; ++p)
            for (bool ceil : {false, true}) {
              if (in + 2 * p < (k - 1) * d + 1)
                continue;
              EXPECT_EQ(windowOutputSize(in, k, s, d, p, p, ceil),
                        referenceOutputSize(in, k, s, d, p, p, ceil))
                  << "in=" << in << " k=" << k << " s=" << s << " d=" << d << " p=" << p
                  << " ceil=" << ceil;
            }
}

TEST(InferReduceResult, KeepsOrDropsAxes) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context);
  auto input = RankedTensorType::get({2, 3, 4}, f32);
  SmallVector<Type> kept, dropped, bad;
  ASSERT_TRUE(succeeded(inferReduceResult(std::nullopt, input, {0, 2}, true, kept)));
  EXPECT_EQ(kept[0], RankedTensorType::get({1, 3, 1}, f32));
  ASSERT_TRUE(succeeded(inferReduceResult(std::nullopt, input, {0, 2}, false, dropped)));
  EXPECT_EQ(dropped[0], RankedTensorType::get({3}, f32));
  EXPECT_TRUE(failed(inferReduceResult(std::nullopt, input, {2, 0}, true, bad)));
  EXPECT_TRUE(failed(inferReduceResult(std::nullopt, input, {3}, true, bad)));
}
} // namespace

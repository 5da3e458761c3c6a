// The output-size formula and its ceil_mode rule, with numbers worked by hand.
#include <gtest/gtest.h>

#include "core/check.h"
#include "core/shape.h"

using ll::pooling_output_size;

TEST(PoolingOutputSize, FloorMode) {
  // (7 + 2*1 - 1*(3-1) - 1) / 2 + 1 = 6/2 + 1 = 4
  EXPECT_EQ(pooling_output_size(7, 3, 1, 2, 1, false).size, 4);
  // (5 - 2 - 1) / 2 + 1 = 2: the last row of a 5-row input is never visited.
  EXPECT_EQ(pooling_output_size(5, 2, 0, 2, 1, false).size, 2);
  // Dilation 2 makes a 3-tap kernel span 5: (6 - 4 - 1) / 1 + 1 = 2
  EXPECT_EQ(pooling_output_size(6, 3, 0, 1, 2, false).size, 2);
}

TEST(PoolingOutputSize, CeilModeAddsAWindow) {
  // (5 - 2 - 1 + 1) / 2 + 1 = 3/2 + 1 = 2 ... floor; ceil: (5-2-1+2-1)/2+1 = 3
  const auto r = pooling_output_size(5, 2, 0, 2, 1, true);
  EXPECT_EQ(r.floor_size, 2);
  EXPECT_EQ(r.size, 3);
  EXPECT_FALSE(r.ceil_dropped);
}

TEST(PoolingOutputSize, CeilModeDropsAWindowStartingInTheRightPadding) {
  // CONTRACT: H=5, k=2, s=2, p=1, ceil -> 3. Ceil gives (5+2-1-1+1)/2+1 = 4,
  // but window 3 would start at 3*2 - 1 = 5 >= H: it lies in the padding.
  const auto r = pooling_output_size(5, 2, 1, 2, 1, true);
  EXPECT_EQ(r.size, 3);
  EXPECT_TRUE(r.ceil_dropped);
  EXPECT_EQ(r.floor_size, 3);
}

TEST(PoolingOutputSize, NegativeSpanRoundsDown) {
  // (2 - 2 - 1) / 2 + 1 with floor division = -1 + 1 = 0 -> rejected by the caller.
  EXPECT_EQ(pooling_output_size(2, 3, 0, 2, 1, false).size, 0);
}

TEST(Pool2dGeometry, RejectsWithTheRuleAndTheValues) {
  try {
    ll::pool2d_geometry("MaxPool2d", {1, 1, 5, 5}, {3}, std::nullopt, {2}, {1}, false);
    FAIL();
  } catch (const ll::Error& e) {
    EXPECT_STREQ(e.what(), "MaxPool2d: padding must be at most half of kernel_size, got padding=2, kernel_size=3");
  }
  // The padding rule ignores dilation: k=2, dilation=3, padding=2 is rejected.
  EXPECT_THROW(ll::pool2d_geometry("MaxPool2d", {1, 9, 9}, {2}, std::nullopt, {2}, {3}, false), ll::Error);
  EXPECT_THROW(ll::pool2d_geometry("MaxPool2d", {1, 9, 9}, {0}, std::nullopt, {0}, {1}, false), ll::Error);
  EXPECT_THROW(ll::pool2d_geometry("MaxPool2d", {9, 9}, {2}, std::nullopt, {0}, {1}, false), ll::Error);
  EXPECT_THROW(ll::pool2d_geometry("MaxPool2d", {1, 9, 9}, {2, 2, 2}, std::nullopt, {0}, {1}, false), ll::Error);
}

TEST(Limits, HugeShapesAreRejectedBeforeAllocating) {
  EXPECT_THROW(ll::check_tensor_shape({1 << 20, 1 << 20}, "ReLU", "input"), ll::Error);
  EXPECT_THROW(ll::check_tensor_shape({INT64_MAX, INT64_MAX}, "ReLU", "input"), ll::Error);
  EXPECT_THROW(ll::check_tensor_shape({-1}, "ReLU", "input"), ll::Error);
  EXPECT_EQ(ll::check_tensor_shape({0, 5}, "ReLU", "input"), 0);
  // Found by fuzz_layers: an empty batch must not carry planes whose size overflows.
  EXPECT_THROW(ll::check_tensor_shape({0, 1, 550968539642, 3305811237882}, "MaxUnpool2d", "output"), ll::Error);
  EXPECT_EQ(ll::check_tensor_shape({2, 3}, "ReLU", "input"), 6);
}

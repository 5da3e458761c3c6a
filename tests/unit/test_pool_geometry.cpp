// What the playground draws of a pooling configuration (core/kernels/pool.h: window
// spans, the outputs an input cell feeds, the overhang past the padding, AvgPool2d's
// divisor region; core/shape.h: ceil_added, the drop rule's numbers), each checked
// against a brute force over the windows the kernels themselves use, on every
// geometry of a grid: the app draws these and computes none of them itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "core/check.h"
#include "core/kernels/pool.h"
#include "core/layers/avg_pool2d.h"
#include "core/shape.h"

namespace {

// Every valid (L, k, s, p, d, ceil) up to small sizes, as 2-D geometries with
// different rows and columns.
std::vector<ll::Pool2dGeometry> geometries() {
  std::vector<ll::Pool2dGeometry> out;
  for (int64_t L = 1; L <= 9; ++L)
    for (int64_t k = 1; k <= 4; ++k)
      for (int64_t s = 1; s <= 3; ++s)
        for (int64_t p = 0; p <= k / 2; ++p)
          for (int64_t d = 1; d <= 2; ++d)
            for (bool ceil : {false, true}) {
              try {
                out.push_back(ll::pool2d_geometry("MaxPool2d", {1, 1, L, L + 2}, {k, std::max<int64_t>(1, k - 1)},
                                                  ll::IntList{s, s + 1}, {p, 0}, {d, 1}, ceil));
              } catch (const ll::Error&) {  // output smaller than 1: PyTorch rejects it too
              }
            }
  return out;
}

// Taps of output (oh, ow)'s window along one axis, padding included: start + t * d.
std::vector<int64_t> taps(int64_t start, int64_t k, int64_t d) {
  std::vector<int64_t> t;
  for (int64_t i = 0; i < k; ++i) t.push_back(start + i * d);
  return t;
}

}  // namespace

TEST(PoolGeometry, WindowSpanHoldsEveryTapTheKernelReads) {
  const auto all = geometries();
  ASSERT_GT(all.size(), 500u);
  for (const ll::Pool2dGeometry& g : all)
    for (int64_t oh = 0; oh < g.out_h; ++oh)
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const ll::WindowSpan w = ll::pool2d_window_span(g, oh, ow);
        EXPECT_EQ(w.h0, oh * g.stride_h - g.pad_h);
        EXPECT_EQ(w.h1 - w.h0, g.dilation_h * (g.kernel_h - 1) + 1);
        EXPECT_EQ(w.w1 - w.w0, g.dilation_w * (g.kernel_w - 1) + 1);
        const ll::PoolWindow clipped = ll::max_pool2d_window(g, oh, ow);  // what the kernel scans
        EXPECT_GE(clipped.h0, std::max<int64_t>(w.h0, 0));
        EXPECT_EQ(clipped.h1, std::min(w.h1, g.in_h));
        EXPECT_EQ(clipped.w1, std::min(w.w1, g.in_w));
      }
}

TEST(PoolGeometry, OutputsReadingAnInputCellAreThoseWhoseTapsHoldIt) {
  for (const ll::Pool2dGeometry& g : geometries())
    for (int axis = 0; axis < 2; ++axis) {
      const int64_t in = axis == 0 ? g.in_h : g.in_w, out = axis == 0 ? g.out_h : g.out_w;
      const int64_t k = axis == 0 ? g.kernel_h : g.kernel_w, s = axis == 0 ? g.stride_h : g.stride_w;
      const int64_t p = axis == 0 ? g.pad_h : g.pad_w, d = axis == 0 ? g.dilation_h : g.dilation_w;
      for (int64_t i = -p; i < in + p; ++i) {
        std::vector<int64_t> want;
        for (int64_t o = 0; o < out; ++o) {
          const auto t = taps(o * s - p, k, d);
          if (std::find(t.begin(), t.end(), i) != t.end()) want.push_back(o);
        }
        EXPECT_EQ(ll::pool2d_outputs_reading(g, axis, i), want) << "axis " << axis << " i " << i;
      }
    }
}

TEST(PoolGeometry, CeilAddedAndTheDropRuleAreTheOutputSizeFormulas) {
  int added = 0, dropped = 0;
  for (const ll::Pool2dGeometry& g : geometries()) {
    const ll::PoolingSize h = ll::pooling_output_size(g.in_h, g.kernel_h, g.pad_h, g.stride_h, g.dilation_h, g.ceil_mode);
    EXPECT_EQ(g.ceil_added_h, h.size > h.floor_size);
    EXPECT_EQ(h.last_start, (h.ceil_size - 1) * g.stride_h);
    EXPECT_EQ(h.drop_limit, g.in_h + g.pad_h);
    EXPECT_EQ(g.ceil_dropped_h, g.ceil_mode && h.last_start >= h.drop_limit);
    added += g.ceil_added_h, dropped += g.ceil_dropped_h;
  }
  EXPECT_GT(added, 50);  // the grid reaches both ceil_mode cases
  EXPECT_GT(dropped, 10);
}

TEST(PoolGeometry, OverhangIsHowFarTheLastOrDroppedWindowReachesPastThePadding) {
  int positive = 0;
  for (const ll::Pool2dGeometry& g : geometries())
    for (int axis = 0; axis < 2; ++axis) {
      const int64_t out = axis == 0 ? g.out_h : g.out_w, s = axis == 0 ? g.stride_h : g.stride_w;
      const int64_t p = axis == 0 ? g.pad_h : g.pad_w, in = axis == 0 ? g.in_h : g.in_w;
      const int64_t k = axis == 0 ? g.kernel_h : g.kernel_w, d = axis == 0 ? g.dilation_h : g.dilation_w;
      const bool drop = axis == 0 ? g.ceil_dropped_h : g.ceil_dropped_w;
      int64_t want = 0;
      for (int64_t o = 0; o < out + (drop ? 1 : 0); ++o) want = std::max(want, taps(o * s - p, k, d).back() + 1 - (in + p));
      EXPECT_EQ(ll::pool2d_overhang(g, axis), want);
      positive += want > 0;
    }
  EXPECT_GT(positive, 20);
}

TEST(PoolGeometry, DivisorRegionIsWhatAvgPool2dDividesBy) {
  for (int64_t L = 1; L <= 8; ++L)
    for (int64_t k = 1; k <= 4; ++k)
      for (int64_t s = 1; s <= 3; ++s)
        for (int64_t p = 0; p <= k / 2; ++p)
          for (bool ceil : {false, true})
            for (bool include : {false, true}) {
              ll::AvgPool2d pool({{k}, ll::IntList{s}, {p}, ceil, include, std::nullopt});
              ll::Pool2dGeometry g;
              try {
                g = pool.geometry({1, 1, L, L + 1});
              } catch (const ll::Error&) {
                continue;
              }
              for (int64_t oh = 0; oh < g.out_h; ++oh)
                for (int64_t ow = 0; ow < g.out_w; ++ow) {
                  const ll::DivisorRegion r = ll::avg_pool2d_divisor_region(g, oh, ow, include);
                  EXPECT_EQ(r.rows * r.cols, pool.divisor(g, oh, ow));
                  EXPECT_GE(r.rows, 1);
                  EXPECT_GE(r.cols, 1);
                }
            }
}

// What the playground draws of a pooling configuration (core/kernels/pool.h: window
// spans, the outputs an input cell feeds, the overhang past the padding, AvgPool2d's
// divisor region; core/shape.h: ceil_added, the drop rule's numbers), each checked
// against a brute force over the windows the kernels themselves use, on every
// geometry of a grid: the app draws these and computes none of them itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// ---------------------------------------------------------------------------
// Any rank (PoolGeometry): the geometry of MaxPool1d/3d, AvgPool1d/3d, LPPool,
// the adaptive and fractional pools
// ---------------------------------------------------------------------------

TEST(PoolGeometry, TwoDimensionalViewIsTheAnyRankGeometry) {
  for (const ll::Pool2dGeometry& g : geometries()) {
    const ll::PoolGeometry n = ll::pool_geometry(
        "MaxPool2d", 2, {1, 1, g.in_h, g.in_w},
        {{g.kernel_h, g.kernel_w}, ll::IntList{g.stride_h, g.stride_w}, {g.pad_h, g.pad_w}, {g.dilation_h, g.dilation_w},
         g.ceil_mode});
    EXPECT_EQ(n.out[1], g.out_h);
    EXPECT_EQ(n.out[2], g.out_w);
    EXPECT_EQ(n.out[0], 1);
    EXPECT_EQ(n.in[0], 1);
    EXPECT_EQ(n.output_shape, g.output_shape);
  }
}

TEST(PoolGeometry, OneAndThreeDimensionalWindowsHoldExactlyTheTapsInside) {
  size_t checked = 0;
  for (int64_t L = 1; L <= 8; ++L)
    for (int64_t k = 1; k <= 4; ++k)
      for (int64_t s = 1; s <= 3; ++s)
        for (int64_t p = 0; p <= k / 2; ++p)
          for (int64_t d = 1; d <= 2; ++d)
            for (bool ceil : {false, true}) {
              ll::PoolGeometry g;
              try {
                g = ll::pool_geometry("MaxPool3d", 3, {1, 2, L, 3, L + 1}, {{k, 1, k}, ll::IntList{s}, {p, 0, p}, {d}, ceil});
              } catch (const ll::Error&) {
                continue;
              }
              for (int a : {0, 2}) {
                for (int64_t o = 0; o < g.out[a]; ++o) {
                  std::vector<int64_t> want;  // brute force: the taps o*s - p + j*d inside [0, in)
                  for (int64_t t : taps(o * s - p, k, d))
                    if (t >= 0 && t < g.in[a]) want.push_back(t);
                  std::vector<int64_t> got;
                  const ll::AxisWindow w = ll::max_pool_window(g, a, o);
                  for (int64_t t = w.first; t < w.end; t += w.step) got.push_back(t);
                  EXPECT_EQ(got, want) << "L=" << L << " k=" << k << " s=" << s << " p=" << p << " d=" << d;
                  ++checked;
                }
              }
            }
  EXPECT_GT(checked, 1000u);
}

TEST(PoolGeometry, RanksAndSizesArePyTorchs) {
  // MaxPool1d: 2-D (C, L) or 3-D (N, C, L); 3-D pooling: 4-D or 5-D; the batch alone may be 0.
  EXPECT_EQ(ll::pool_geometry("MaxPool1d", 1, {3, 9}, {{2}}).output_shape, (ll::Shape{3, 4}));
  EXPECT_EQ(ll::pool_geometry("MaxPool3d", 3, {2, 4, 5, 6}, {{2}}).output_shape, (ll::Shape{2, 2, 2, 3}));
  EXPECT_EQ(ll::pool_geometry("MaxPool3d", 3, {0, 1, 2, 2, 2}, {{2}}).output_shape, (ll::Shape{0, 1, 1, 1, 1}));
  EXPECT_THROW(ll::pool_geometry("MaxPool3d", 3, {4, 5, 6}, {{2}}), ll::Error);
  EXPECT_THROW(ll::pool_geometry("MaxPool1d", 1, {1, 0, 6}, {{2}}), ll::Error);
  EXPECT_THROW(ll::pool_geometry("MaxPool1d", 1, {1, 2, 6}, {{2, 2}}), ll::Error);  // one entry per axis, or one
  // 1.13's max_pool1d without autograd takes an empty output (L=2, k=3).
  EXPECT_THROW(ll::pool_geometry("MaxPool1d", 1, {1, 1, 2}, {{3}}), ll::Error);
  EXPECT_EQ(ll::pool_geometry("MaxPool1d", 1, {1, 1, 2}, {{3}}, true).output_shape, (ll::Shape{1, 1, 0}));
  try {
    ll::pool_geometry("MaxPool1d", 1, {1, 1, 5}, {{2}, std::nullopt, {2}});
    FAIL();
  } catch (const ll::Error& e) {
    EXPECT_STREQ(e.what(), "MaxPool1d: padding must be at most half of kernel_size, got padding=2, kernel_size=2");
  }
}

TEST(PoolGeometry, AdaptiveWindowsAreFloorAndCeilOfTheScaledIndex) {
  // 7 -> 3 (the lesson's example): windows of 3 overlapping by 1.
  const int64_t want[3][2] = {{0, 3}, {2, 5}, {4, 7}};
  for (int64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ll::adaptive_window(i, 7, 3).start, want[i][0]);
    EXPECT_EQ(ll::adaptive_window(i, 7, 3).end, want[i][1]);
  }
  for (int64_t in = 1; in <= 20; ++in)
    for (int64_t out = 1; out <= 20; ++out)
      for (int64_t i = 0; i < out; ++i) {
        const ll::AdaptiveWindow w = ll::adaptive_window(i, in, out);
        EXPECT_EQ(w.start, static_cast<int64_t>(std::floor(static_cast<double>(i * in) / static_cast<double>(out))));
        EXPECT_EQ(w.end, static_cast<int64_t>(std::ceil(static_cast<double>((i + 1) * in) / static_cast<double>(out))));
        EXPECT_LT(w.start, w.end);
      }
}

TEST(PoolGeometry, FractionalIntervalsAreATensGenerateIntervals) {
  // PyTorch 1.13: FractionalMaxPool2d(2, output_size=4, _random_samples=[[[0.9, 0.1]]]) on a 10x10 ramp
  // starts its columns at 0, 3, 5, 8: alpha = (10 - 2) / 3, int((i + 0.9) alpha) - int(0.9 alpha), last 10 - 2.
  EXPECT_EQ(ll::fractional_intervals(0.9f, 10, 4, 2), (std::vector<int64_t>{0, 3, 5, 8}));
  // ... and its rows (u = 0.1) at 0, 2, 5, 8.
  EXPECT_EQ(ll::fractional_intervals(0.1f, 10, 4, 2), (std::vector<int64_t>{0, 2, 5, 8}));
  EXPECT_EQ(ll::fractional_intervals(0.5f, 5, 1, 3), (std::vector<int64_t>{2}));  // one output: the last start
  EXPECT_TRUE(ll::fractional_intervals(0.5f, 5, 0, 3).empty());
}

TEST(PoolKernels, MaxPool1dByHand) {
  // [1, 3, 2, NaN, 0], kernel 2: windows [1, 3] -> 3 at 1, [2, NaN] -> NaN at 3 (a NaN wins).
  const ll::PoolGeometry g = ll::pool_geometry("MaxPool1d", 1, {1, 1, 5}, {{2}});
  const float x[5] = {1, 3, 2, std::nanf(""), 0};
  float y[2];
  int64_t idx[2];
  ll::max_pool_forward(g, x, y, idx);
  EXPECT_EQ(y[0], 3.0f);
  EXPECT_TRUE(std::isnan(y[1]));
  EXPECT_EQ(idx[0], 1);
  EXPECT_EQ(idx[1], 3);
}

// The vector kernels against the plain loops they replace, on many random
// geometries and on data full of ties, NaN and infinities (goldens cover
// PyTorch itself; here the question is only "same bits as the loop").
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "core/check.h"
#include "core/kernels/activation.h"
#include "core/kernels/pool.h"
#include "core/random.h"
#include "core/shape.h"

using namespace ll;

namespace {

// Values from a small set, so windows tie often; NaN and ±inf sprinkled in
// unless `finite`.
std::vector<float> tie_heavy(int64_t n, Rng& rng, bool finite) {
  const float inf = std::numeric_limits<float>::infinity();
  const float pool[] = {-2.0f, -1.0f, -0.0f, 0.0f, 0.5f, 1.0f, 3.0f};
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) {
    const double u = rng.uniform(0.0, 1.0);
    if (!finite && u < 0.03) {
      x = std::numeric_limits<float>::quiet_NaN();
    } else if (!finite && u < 0.06) {
      x = u < 0.045 ? inf : -inf;
    } else if (u < 0.5) {
      x = pool[static_cast<int>(u * 14) % 7];
    } else {
      x = static_cast<float>(rng.uniform(-4.0, 4.0));
    }
  }
  return v;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b); }

}  // namespace

TEST(Kernels, MaxPool2dVectorPathMatchesAtenLoop) {
  Rng rng(20261201);
  int checked = 0, fallback = 0;  // geometries on the vector path / on the reference loop itself
  for (int trial = 0; trial < 3000; ++trial) {
    const int64_t k_h = 1 + static_cast<int64_t>(rng.uniform(0, 4)), k_w = 1 + static_cast<int64_t>(rng.uniform(0, 5));
    const int64_t s_h = 1 + static_cast<int64_t>(rng.uniform(0, 3)), s_w = 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const int64_t d_h = 1 + static_cast<int64_t>(rng.uniform(0, 2)), d_w = 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const int64_t p_h = static_cast<int64_t>(rng.uniform(0, static_cast<double>(k_h / 2 + 1)));
    const int64_t p_w = static_cast<int64_t>(rng.uniform(0, static_cast<double>(k_w / 2 + 1)));
    const int64_t h = 1 + static_cast<int64_t>(rng.uniform(0, 20)), w = 1 + static_cast<int64_t>(rng.uniform(0, 40));
    const bool ceil = rng.uniform(0, 1) < 0.5;
    Pool2dGeometry g;
    try {
      g = pool2d_geometry("MaxPool2d", {2, h, w}, {k_h, k_w}, IntList{s_h, s_w}, {p_h, p_w}, {d_h, d_w}, ceil);
    } catch (const Error&) {
      continue;  // PyTorch rejects it (window larger than the padded input, ...)
    }
    const std::vector<float> x = tie_heavy(2 * h * w, rng, trial % 3 == 0);
    if (!max_pool2d_vector_path(g)) {  // max_pool2d_forward would run the reference: nothing to compare
      ++fallback;
      continue;
    }
    const size_t n = static_cast<size_t>(g.planes * g.out_h * g.out_w);
    std::vector<float> out(n), ref_out(n);
    std::vector<int32_t> idx(n), ref_idx(n);
    max_pool2d_forward(g, x.data(), out.data(), idx.data());
    max_pool2d_forward_reference(g, x.data(), ref_out.data(), ref_idx.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(same_bits(out[i], ref_out[i]) && idx[i] == ref_idx[i])
          << "trial " << trial << ": kernel " << k_h << "x" << k_w << " stride " << s_h << "x" << s_w << " padding "
          << p_h << "x" << p_w << " dilation " << d_h << "x" << d_w << " ceil " << ceil << " input " << h << "x" << w
          << " at " << i << ": " << out[i] << "@" << idx[i] << " vs " << ref_out[i] << "@" << ref_idx[i];
    }
    ++checked;
  }
  // Most random geometries must reach the vector path, or this test compares little.
  EXPECT_GT(checked, 1000) << fallback << " geometries took the reference loop";
}

// The k3s2 window along rows (kernel 3, stride 2, dilation 1: its own
// horizontal scan, which sums the rows to find NaN) under every vertical
// geometry, k3s2 down the columns in half the trials, on widths around its
// vector boundaries, and on planes with no NaN, one NaN or -inf in one row,
// NaN sprinkled, or whole rows of -inf. The random test above draws this
// geometry about three times in 3000 trials.
TEST(Kernels, MaxPool2dK3s2RowsMatchAtenLoop) {
  Rng rng(20261203);
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  int checked = 0, both_ways = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const bool k3s2_down = trial % 2 == 0;  // half the trials: k3s2 both ways, the bench's geometry
    const int64_t k_h = k3s2_down ? 3 : 1 + static_cast<int64_t>(rng.uniform(0, 4));
    const int64_t s_h = k3s2_down ? 2 : 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const int64_t d_h = k3s2_down ? 1 : 1 + static_cast<int64_t>(rng.uniform(0, 2));
    const int64_t p_h = static_cast<int64_t>(rng.uniform(0, static_cast<double>(k_h / 2 + 1)));
    const int64_t p_w = static_cast<int64_t>(rng.uniform(0, 2));
    const int64_t h = 1 + static_cast<int64_t>(rng.uniform(0, 30)), w = 3 + static_cast<int64_t>(rng.uniform(0, 70));
    const bool ceil = rng.uniform(0, 1) < 0.5;
    Pool2dGeometry g;
    try {
      g = pool2d_geometry("MaxPool2d", {3, h, w}, {k_h, 3}, IntList{s_h, 2}, {p_h, p_w}, {d_h, 1}, ceil);
    } catch (const Error&) {
      continue;
    }
    if (!max_pool2d_vector_path(g)) continue;
    const int mode = trial / 2 % 4;
    std::vector<float> x = tie_heavy(3 * h * w, rng, mode != 2);
    const size_t at = static_cast<size_t>(rng.uniform(0, static_cast<double>(x.size())));
    if (mode == 1) x[at] = trial % 3 == 0 ? -inf : nan;
    if (mode == 3) {  // a few whole rows of -inf, some NaN beside them
      for (int r = 0; r < 3; ++r) {
        const size_t row = static_cast<size_t>(rng.uniform(0, static_cast<double>(3 * h)));
        std::fill(x.begin() + static_cast<std::ptrdiff_t>(row * w), x.begin() + static_cast<std::ptrdiff_t>((row + 1) * w), -inf);
      }
      if (trial % 3 == 0) x[at] = nan;
    }
    const size_t n = static_cast<size_t>(g.planes * g.out_h * g.out_w);
    std::vector<float> out(n), ref_out(n);
    std::vector<int32_t> idx(n), ref_idx(n);
    max_pool2d_forward(g, x.data(), out.data(), idx.data());
    max_pool2d_forward_reference(g, x.data(), ref_out.data(), ref_idx.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(same_bits(out[i], ref_out[i]) && idx[i] == ref_idx[i])
          << "trial " << trial << " mode " << mode << ": kernel " << k_h << "x3 stride " << s_h << "x2 padding " << p_h
          << "x" << p_w << " dilation " << d_h << "x1 ceil " << ceil << " input " << h << "x" << w << " at " << i
          << ": " << out[i] << "@" << idx[i] << " vs " << ref_out[i] << "@" << ref_idx[i];
    }
    ++checked;
    if (k3s2_down && g.out_w >= 8 && g.out_h >= 2) ++both_ways;
  }
  EXPECT_GT(checked, 1000);
  EXPECT_GT(both_ways, 300) << "k3s2 both ways, wide enough for whole vectors";
}

// The values-only forward (no argmax) against ATen's loop's values, bit for
// bit: its own scan for the k3s2 window along rows under every vertical
// geometry and width (tails, ceil_mode, padding 0 and 1, N*C planes), on
// planes without NaN, with one NaN or -inf, with NaN sprinkled, with rows of
// -inf, with ±0 ties; other geometries go through max_pool2d_forward.
TEST(Kernels, MaxPool2dValuesMatchAtenLoop) {
  Rng rng(20261205);
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  int own_scan = 0, fused = 0, other = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const bool k3s2_rows = trial % 4 != 3;
    const bool k3s2_down = k3s2_rows && trial % 2 == 0;
    const int64_t k_w = k3s2_rows ? 3 : 1 + static_cast<int64_t>(rng.uniform(0, 5));
    const int64_t s_w = k3s2_rows ? 2 : 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const int64_t d_w = k3s2_rows ? 1 : 1 + static_cast<int64_t>(rng.uniform(0, 2));
    const int64_t k_h = k3s2_down ? 3 : 1 + static_cast<int64_t>(rng.uniform(0, 5));
    const int64_t s_h = k3s2_down ? 2 : 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const int64_t d_h = k3s2_down ? 1 : 1 + static_cast<int64_t>(rng.uniform(0, 2));
    const int64_t p_h = static_cast<int64_t>(rng.uniform(0, static_cast<double>(k_h / 2 + 1)));
    const int64_t p_w = static_cast<int64_t>(rng.uniform(0, static_cast<double>(k_w / 2 + 1)));
    const int64_t h = 1 + static_cast<int64_t>(rng.uniform(0, 24)), w = 1 + static_cast<int64_t>(rng.uniform(0, 60));
    const int64_t planes = 1 + static_cast<int64_t>(rng.uniform(0, 3));
    const bool ceil = rng.uniform(0, 1) < 0.5;
    Pool2dGeometry g;
    try {
      g = pool2d_geometry("MaxPool2d", {planes, h, w}, {k_h, k_w}, IntList{s_h, s_w}, {p_h, p_w}, {d_h, d_w}, ceil);
    } catch (const Error&) {
      continue;
    }
    const int mode = trial / 4 % 5;
    std::vector<float> x = tie_heavy(planes * h * w, rng, mode != 2);
    const size_t at = static_cast<size_t>(rng.uniform(0, static_cast<double>(x.size())));
    if (mode == 1) x[at] = trial % 3 == 0 ? -inf : nan;
    if (mode == 3) {  // whole rows of -inf, sometimes a NaN beside them
      for (int r = 0; r < 3; ++r) {
        const size_t row = static_cast<size_t>(rng.uniform(0, static_cast<double>(planes * h)));
        std::fill(x.begin() + static_cast<std::ptrdiff_t>(row * w), x.begin() + static_cast<std::ptrdiff_t>((row + 1) * w), -inf);
      }
      if (trial % 3 == 0) x[at] = nan;
    }
    if (mode == 4) {  // only zeros of both signs and negatives: the first zero's sign must win
      for (float& v : x) v = rng.uniform(0, 1) < 0.3 ? -1.0f : (rng.uniform(0, 1) < 0.5 ? 0.0f : -0.0f);
    }
    const size_t n = static_cast<size_t>(g.planes * g.out_h * g.out_w);
    std::vector<float> out(n + 1, 7.0f), ref_out(n);  // one float past the end: must stay untouched
    std::vector<int32_t> ref_idx(n);
    max_pool2d_forward_values(g, x.data(), out.data());
    max_pool2d_forward_reference(g, x.data(), ref_out.data(), ref_idx.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(same_bits(out[i], ref_out[i]))
          << "trial " << trial << " mode " << mode << ": kernel " << k_h << "x" << k_w << " stride " << s_h << "x" << s_w
          << " padding " << p_h << "x" << p_w << " dilation " << d_h << "x" << d_w << " ceil " << ceil << " input "
          << planes << "x" << h << "x" << w << " at " << i << ": " << out[i] << " vs " << ref_out[i];
    }
    ASSERT_EQ(out[n], 7.0f) << "trial " << trial << " wrote past the output";
    if (max_pool2d_values_path(g)) {
      ++own_scan;
      if (k3s2_down && g.out_h >= 3 && g.out_w >= 5) ++fused;
    } else {
      ++other;
    }
  }
  // The k3s2 rows are drawn on purpose: most trials must take the values scan
  // (the fused k3s2-both-ways form in many of them), and some the fallback.
  EXPECT_GT(own_scan, 1500);
  EXPECT_GT(fused, 300);
  EXPECT_GT(other, 200);
}

// ReLU's and LeakyReLU's masks (one bit per element, packed 16 lanes at a
// time) against the rule each states in activation.h, element by element,
// on lengths that end inside a mask word and on ±0, NaN and ±inf.
TEST(Kernels, ReluMasksMatchTheirRule) {
  Rng rng(20261202);
  for (const int64_t n : {1, 5, 16, 31, 32, 33, 47, 64, 100, 1000, 1027}) {
    const std::vector<float> x = tie_heavy(n, rng, false);
    std::vector<float> y(static_cast<size_t>(n));
    std::vector<uint32_t> blocked(static_cast<size_t>(mask_words(n))), positive(blocked.size());
    relu_forward(x.data(), y.data(), blocked.data(), n);
    for (int64_t i = 0; i < n; ++i) {
      const float v = x[static_cast<size_t>(i)];
      const bool bit = (blocked[static_cast<size_t>(i / 32)] >> (i % 32)) & 1u;
      ASSERT_EQ(bit, v <= 0.0f) << "ReLU, n " << n << ", element " << i << " = " << v;
      ASSERT_TRUE(same_bits(y[static_cast<size_t>(i)], v < 0.0f ? 0.0f : v)) << "ReLU, n " << n << ", element " << i;
    }
    leaky_relu_forward(x.data(), y.data(), positive.data(), n, 0.01f);
    for (int64_t i = 0; i < n; ++i) {
      const float v = x[static_cast<size_t>(i)];
      const bool bit = (positive[static_cast<size_t>(i / 32)] >> (i % 32)) & 1u;
      ASSERT_EQ(bit, v > 0.0f) << "LeakyReLU, n " << n << ", element " << i << " = " << v;
      ASSERT_TRUE(same_bits(y[static_cast<size_t>(i)], v * (v > 0.0f ? 1.0f : 0.01f))) << "LeakyReLU, n " << n;
    }
  }
}

// PReLU's forward (eight vectors a step, then one, then scalar) against its
// rule, y = x > 0 ? x : weight[c] * x (as x times 1 or the weight), and the
// copy of x it keeps, on channel lengths that end in each of those loops;
// without a copy (the JS module's forward) too.
TEST(Kernels, PreluForwardMatchesItsRule) {
  Rng rng(20261204);
  const float weight[3] = {0.25f, -1.5f, 0.0f};
  for (int64_t inner = 1; inner <= 70; ++inner) {
    const int64_t outer = 2, channels = 3, n = outer * channels * inner;
    const std::vector<float> x = tie_heavy(n, rng, false);
    std::vector<float> y(static_cast<size_t>(n)), saved(static_cast<size_t>(n));
    prelu_forward(x.data(), weight, y.data(), saved.data(), outer, channels, inner);
    for (int64_t i = 0; i < n; ++i) {
      const float v = x[static_cast<size_t>(i)], w = weight[i / inner % channels];
      ASSERT_TRUE(same_bits(y[static_cast<size_t>(i)], v * (v > 0.0f ? 1.0f : w))) << "inner " << inner << ", element " << i;
      ASSERT_TRUE(same_bits(saved[static_cast<size_t>(i)], v)) << "inner " << inner << ", element " << i;
    }
    std::vector<float> y_alone(static_cast<size_t>(n));
    prelu_forward(x.data(), weight, y_alone.data(), nullptr, outer, channels, inner);
    for (int64_t i = 0; i < n; ++i)
      ASSERT_TRUE(same_bits(y_alone[static_cast<size_t>(i)], y[static_cast<size_t>(i)])) << "inner " << inner << ", element " << i;
  }
}

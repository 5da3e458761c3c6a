// Small cases checked by hand: each expected number is derived in a comment.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/check.h"
#include "core/layers/activations.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/linear.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/max_unpool2d.h"
#include "core/layers/prelu.h"
#include "core/layers/rrelu.h"

using namespace ll;

namespace {

// 4x4 ramp 0..15:
//    0  1  2  3
//    4  5  6  7
//    8  9 10 11
//   12 13 14 15
Tensor ramp4x4() {
  Tensor t({1, 1, 4, 4});
  for (int i = 0; i < 16; ++i) t.data[i] = static_cast<float>(i);
  return t;
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST(MaxPool2d, Ramp2x2Stride2) {
  // Windows {0,1,4,5} {2,3,6,7} {8,9,12,13} {10,11,14,15}: the max is the bottom-right.
  MaxPool2d pool({{2}, std::nullopt, {0}, {1}, true, false});
  const Tensor y = pool.forward(ramp4x4());
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 2}));
  EXPECT_EQ(y.data, (Storage<float>{5, 7, 13, 15}));
  EXPECT_EQ(pool.indices().data, (Storage<int64_t>{5, 7, 13, 15}));
  // Backward puts each gradient at its argmax.
  const Tensor gx = pool.backward(Tensor({1, 1, 2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(gx.data, (Storage<float>{0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}));
}

TEST(MaxPool2d, OverlappingWindowsAccumulateAtASharedArgmax) {
  // k=3, s=1 on a 4x4 input: all four 3x3 windows contain cell (1, 1).
  MaxPool2d pool({{3}, std::vector<int64_t>{1}, {0}, {1}, true, false});
  Tensor x({1, 1, 4, 4}, Storage<float>(16, 0.0f));
  x.data[5] = 9;  // the single max, inside all four 3x3 windows
  pool.forward(x);
  EXPECT_EQ(pool.indices().data, (Storage<int64_t>{5, 5, 5, 5}));
  const Tensor gx = pool.backward(Tensor({1, 1, 2, 2}, {1, 1, 1, 1}));
  EXPECT_EQ(gx.data[5], 4.0f);  // 1 + 1 + 1 + 1
}

TEST(MaxPool2d, TiesPickTheFirstAndNaNPicksTheLast) {
  MaxPool2d pool({{2}, std::nullopt, {0}, {1}, true, false});
  // Window 0 {7, 7, 7, 7}: first 7 (index 0). Window 1 {1, NaN, 3, NaN}: the last NaN (index 7).
  Tensor x({1, 2, 4}, {7, 7, 1, kNaN, 7, 7, 3, kNaN});
  const Tensor y = pool.forward(x);
  EXPECT_EQ(y.data[0], 7.0f);
  EXPECT_TRUE(std::isnan(y.data[1]));
  EXPECT_EQ(pool.indices().data, (Storage<int64_t>{0, 7}));
}

TEST(MaxPool2d, AllMinusInfinityKeepsTheFirstInBoundsPosition) {
  // k=2, p=1: window (0,0) covers rows -1..0, cols -1..0: only (0,0) is in bounds.
  MaxPool2d pool({{2}, std::nullopt, {1}, {1}, true, false});
  Tensor x({1, 2, 2}, {-kInf, -kInf, -kInf, -kInf});
  const Tensor y = pool.forward(x);
  EXPECT_EQ(y.shape, (Shape{1, 2, 2}));
  EXPECT_EQ(y.data[0], -kInf);
  EXPECT_EQ(pool.indices().data, (Storage<int64_t>{0, 1, 2, 3}));
}

// forward(shared_ptr) scans for values only and finds the argmax when
// indices() or backward() asks; after an argmax was asked for, the next
// forward finds it at once (the input is not kept then). Both must give what
// forward(const Tensor&) gives, on a k3s2 geometry that takes the values scan.
TEST(MaxPool2d, SharedInputFindsTheSameArgmaxLater) {
  MaxPool2d eager({{3}, std::vector<int64_t>{2}, {1}, {1}, true, false});
  MaxPool2d lazy({{3}, std::vector<int64_t>{2}, {1}, {1}, true, false});
  // 2 planes of 9x11: ties (values mod 5), a NaN in plane 1.
  Tensor x({1, 2, 9, 11});
  for (int i = 0; i < 198; ++i) x.data[i] = static_cast<float>((i * 7) % 5);
  x.data[150] = kNaN;
  const Tensor g = [&] {
    Tensor t({1, 2, 5, 6});
    for (int i = 0; i < 60; ++i) t.data[i] = static_cast<float>(i);
    return t;
  }();
  const Tensor y0 = eager.forward(x);
  const Tensor gx0 = eager.backward(g);
  auto shared_x = std::make_shared<const Tensor>(x);
  for (int round = 0; round < 3; ++round) {  // values only, then at once (argmax asked), then at once
    const Tensor y = lazy.forward(shared_x);
    ASSERT_EQ(y.data.size(), y0.data.size());
    for (size_t i = 0; i < y.data.size(); ++i) {
      EXPECT_TRUE(std::memcmp(&y.data[i], &y0.data[i], sizeof(float)) == 0) << "round " << round << " at " << i;
    }
    EXPECT_EQ(lazy.indices().data, eager.indices().data) << "round " << round;
    EXPECT_EQ(lazy.backward(g).data, gx0.data) << "round " << round;
  }
  // Forwards alone go back to values only; backward still finds the argmax.
  lazy.forward(shared_x);
  lazy.forward(shared_x);
  EXPECT_EQ(lazy.backward(g).data, gx0.data);
  EXPECT_EQ(lazy.argmax().data, eager.argmax().data);
}

TEST(PReLU, SharedInputGivesTheSameOutputAndGradients) {
  // 2 x 3 x 37 values (37: a tail after the 16- and 4-lane loops), signs mixed, zeros and NaN.
  Tensor x({2, 3, 37});
  for (int i = 0; i < 222; ++i) x.data[i] = static_cast<float>((i * 13) % 11) - 5.0f;
  x.data[40] = kNaN;
  Tensor g(x.shape);
  for (int i = 0; i < 222; ++i) g.data[i] = static_cast<float>(i % 7) * 0.5f - 1.0f;
  PReLU copying({3, 0.25}), sharing({3, 0.25});
  Tensor w({3});
  w.data = {0.1f, -0.3f, 2.0f};
  copying.set_weight(w);
  sharing.set_weight(w);
  const Tensor y0 = copying.forward(x), gx0 = copying.backward(g);
  auto shared_x = std::make_shared<const Tensor>(x);
  const Tensor y1 = sharing.forward(shared_x), gx1 = sharing.backward(g);
  ASSERT_EQ(y1.data.size(), y0.data.size());
  EXPECT_EQ(std::memcmp(y1.data.data(), y0.data.data(), y0.data.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(gx1.data.data(), gx0.data.data(), gx0.data.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(sharing.grad_weight().data.data(), copying.grad_weight().data.data(), 3 * sizeof(float)), 0);
  // The kept input is the caller's tensor, not a copy; a copying forward after it takes over.
  EXPECT_EQ(shared_x.use_count(), 2);
  sharing.forward(x);
  EXPECT_EQ(shared_x.use_count(), 1);
  EXPECT_EQ(sharing.backward(g).data, gx0.data);
}

TEST(AvgPool2d, DivisorDependsOnCountIncludePad) {
  // k=3, s=2, p=1 on the ramp: window (0,0) covers rows/cols -1..1; in bounds {0,1,4,5}, sum 10.
  AvgPool2d with_pad({{3}, std::vector<int64_t>{2}, {1}, false, true, std::nullopt});
  AvgPool2d without({{3}, std::vector<int64_t>{2}, {1}, false, false, std::nullopt});
  const Pool2dGeometry g = with_pad.geometry({1, 1, 4, 4});
  EXPECT_EQ(with_pad.divisor(g, 0, 0), 9);  // the whole 3x3 window lies inside the padded 6x6
  EXPECT_EQ(without.divisor(g, 0, 0), 4);   // only the 2x2 real cells
  EXPECT_FLOAT_EQ(with_pad.forward(ramp4x4()).data[0], 10.0f / 9.0f);
  EXPECT_FLOAT_EQ(without.forward(ramp4x4()).data[0], 10.0f / 4.0f);
}

TEST(AvgPool2d, CeilWindowOverhangingThePaddingIsNotCounted) {
  // H=W=4, k=3, s=2, p=0, ceil: out = ceil((4-3)/2)+1 = 2; window 1 covers rows 2..4, row 4 is
  // past the input and past the (zero) padding, so even count_include_pad divides by 2*2 = 4
  // for cell (1,1): cells {10, 11, 14, 15}, sum 50 -> 12.5.
  AvgPool2d pool({{3}, std::vector<int64_t>{2}, {0}, true, true, std::nullopt});
  const Tensor y = pool.forward(ramp4x4());
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 2}));
  EXPECT_FLOAT_EQ(y.data[3], 12.5f);
}

TEST(AvgPool2d, DivisorOverrideReplacesBoth) {
  AvgPool2d pool({{2}, std::nullopt, {0}, false, true, int64_t{-2}});
  // {0,1,4,5} sums to 10; divided by -2 gives -5.
  EXPECT_FLOAT_EQ(pool.forward(ramp4x4()).data[0], -5.0f);
  AvgPool2d zero({{2}, std::nullopt, {0}, false, true, int64_t{0}});
  EXPECT_THROW(zero.forward(ramp4x4()), Error);
}

TEST(MaxUnpool2d, PutsValuesBackAndLastDuplicateWins) {
  MaxUnpool2d unpool({{2}, std::nullopt, {0}});
  // Input 1x1x1x2 -> default output (1-1)*2+2 = 2 by (2-1)*2+2 = 4.
  Tensor x({1, 1, 1, 2}, {10, 20});
  IndexTensor idx({1, 1, 1, 2}, {3, 3});
  const Tensor y = unpool.forward(x, idx);
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 4}));
  EXPECT_EQ(y.data, (Storage<float>{0, 0, 0, 20, 0, 0, 0, 0}));
  // Backward gathers: both inputs read grad_output[3].
  Tensor g({1, 1, 2, 4}, {0, 0, 0, 5, 0, 0, 0, 0});
  EXPECT_EQ(unpool.backward(g).data, (Storage<float>{5, 5}));
  IndexTensor bad({1, 1, 1, 2}, {0, 8});
  EXPECT_THROW(unpool.forward(x, bad), Error);
  // output_size must lie strictly between default - stride and default + stride: (0, 4) x (2, 6).
  EXPECT_NO_THROW(unpool.forward(x, idx, IntList{3, 5}));
  EXPECT_THROW(unpool.forward(x, idx, IntList{4, 5}), Error);
  EXPECT_NO_THROW(unpool.forward(x, idx, IntList{1, 1, 3, 5}));
  EXPECT_THROW(unpool.forward(x, idx, IntList{3}), Error);
}

TEST(Linear, TwoByThree) {
  // W = [[1, 2, 3], [0, -1, 1]], b = [1, 0], x = [1, 1, 1] -> y = [6 + 1, 0 + 0] = [7, 0]
  Linear lin({3, 2, true});
  lin.set_weight(Tensor({2, 3}, {1, 2, 3, 0, -1, 1}));
  lin.set_bias(Tensor({2}, {1, 0}));
  const Tensor y = lin.forward(Tensor({1, 3}, {1, 1, 1}));
  EXPECT_EQ(y.data, (Storage<float>{7, 0}));
  // g = [1, 2]: dx = g·W = [1, 0, 5]; dW = gᵀ·x = [[1,1,1],[2,2,2]]; db = g.
  const Tensor gx = lin.backward(Tensor({1, 2}, {1, 2}));
  EXPECT_EQ(gx.data, (Storage<float>{1, 0, 5}));
  EXPECT_EQ(lin.grad_weight().data, (Storage<float>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(lin.grad_bias().data, (Storage<float>{1, 2}));
  EXPECT_THROW(lin.forward(Tensor({1, 4})), Error);
}

// The forward's product is blocked (4x8 tiles, K blocks of 256, N blocks of
// 768) over a weight packed once per weight, yet each output is the plain
// float sum over k in increasing order, then + bias: compared bit for bit
// with that loop on shapes with partial tiles and several blocks each way,
// before and after set_weight (a stale packing would give the old weight's sums).
TEST(Linear, PackedForwardIsThePlainSumAndFollowsSetWeight) {
  struct Case {
    int64_t m, k, n;
    bool bias;
  };
  for (const Case& c : {Case{1, 1, 1, true}, Case{3, 5, 7, true}, Case{130, 300, 777, true}, Case{9, 513, 17, false}}) {
    Linear lin({c.k, c.n, c.bias}, 3);
    Tensor x({c.m, c.k});
    for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1) {  // a new weight after a forward has packed the old one
        Tensor w = lin.weight();
        for (size_t i = 0; i < w.data.size(); ++i) w.data[i] = static_cast<float>(std::cos(0.11 * static_cast<double>(i)));
        lin.set_weight(w);
      }
      const Tensor y = lin.forward(x);
      const Tensor& w = lin.weight();
      int64_t mismatches = 0;
      for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t j = 0; j < c.n; ++j) {
          float sum = 0.0f;
          for (int64_t p = 0; p < c.k; ++p) sum += x.data[i * c.k + p] * w.data[j * c.k + p];
          if (c.bias) sum += lin.bias().data[j];
          mismatches += y.data[i * c.n + j] != sum;
        }
      }
      EXPECT_EQ(mismatches, 0) << "m=" << c.m << " k=" << c.k << " n=" << c.n << " pass " << pass;
    }
  }
}

TEST(Linear, DefaultInitIsWithinTheDocumentedBound) {
  Linear lin({16, 4, true}, 7);
  for (float w : lin.weight().data) EXPECT_LE(std::fabs(w), 0.25f);  // 1/sqrt(16)
  for (float b : lin.bias().data) EXPECT_LE(std::fabs(b), 0.25f);
}

TEST(Activations, ValuesAndGradientsAtZero) {
  Tensor x({3}, {-2, 0, 2});
  Tensor ones({3}, {1, 1, 1});
  Sigmoid s;
  EXPECT_FLOAT_EQ(s.forward(x).data[1], 0.5f);
  EXPECT_FLOAT_EQ(s.backward(ones).data[1], 0.25f);  // 0.5 * (1 - 0.5)
  ReLU r;
  EXPECT_EQ(r.forward(x).data, (Storage<float>{0, 0, 2}));
  EXPECT_EQ(r.backward(ones).data, (Storage<float>{0, 0, 1}));  // 0 at exactly 0
  LeakyReLU l(0.1);
  EXPECT_FLOAT_EQ(l.forward(x).data[0], -0.2f);
  EXPECT_FLOAT_EQ(l.backward(ones).data[1], 0.1f);  // x = 0 is not > 0
  Tanh t;
  EXPECT_FLOAT_EQ(t.forward(Tensor({}, {0})).data[0], 0.0f);  // 0-D input
}

TEST(PReLU, PerChannelSlopeAndGradient) {
  // Input (1, 2, 2): channel 0 = [-1, 2], channel 1 = [-3, -4]; slopes [0.5, 0.25].
  PReLU p({2, 0.25});
  p.set_weight(Tensor({2}, {0.5f, 0.25f}));
  const Tensor y = p.forward(Tensor({1, 2, 2}, {-1, 2, -3, -4}));
  EXPECT_EQ(y.data, (Storage<float>{-0.5f, 2, -0.75f, -1}));
  p.backward(Tensor({1, 2, 2}, {1, 1, 1, 1}));
  // grad_weight[c] = sum of x*g where x <= 0: c0 = -1, c1 = -3 + -4 = -7.
  EXPECT_EQ(p.grad_weight().data, (Storage<float>{-1, -7}));
  EXPECT_THROW(p.forward(Tensor({1, 3, 2})), Error);
}

TEST(RReLU, TrainingSamplesWithinBoundsEvalUsesTheMean) {
  RReLU r({0.1, 0.3}, 42);
  r.train(true);
  const Tensor x({4}, {-1, 0, 1, kNaN});
  const Tensor y = r.forward(x);
  const Tensor& noise = r.noise();
  EXPECT_GE(noise.data[0], 0.1f);
  EXPECT_LE(noise.data[0], 0.3f);
  EXPECT_GE(noise.data[1], 0.1f);  // x = 0 draws a slope too
  EXPECT_EQ(noise.data[2], 1.0f);
  EXPECT_EQ(noise.data[3], 1.0f);  // NaN keeps slope 1
  EXPECT_FLOAT_EQ(y.data[0], -noise.data[0]);
  r.train(false);
  EXPECT_FLOAT_EQ(r.forward(x).data[0], -0.2f);  // (0.1 + 0.3) / 2
  EXPECT_THROW(RReLU({0.5, 0.1}), Error);
}

TEST(Activations, FastExpFormsStayWithinAMillionthOfTheExactValue) {
  // Sweep every 4099th float bit pattern with 1e-8 <= |x| <= 100 (plus edge values) and
  // compare with double-precision std::tanh / logistic: well inside CONTRACT's 1e-5 tolerance.
  Storage<float> xs;
  uint32_t lo, hi;
  const float flo = 1e-8f, fhi = 100.0f;
  std::memcpy(&lo, &flo, 4);
  std::memcpy(&hi, &fhi, 4);
  for (uint32_t b = lo; b <= hi; b += 4099) {
    float x;
    std::memcpy(&x, &b, 4);
    xs.push_back(x);
    xs.push_back(-x);
  }
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-8f, 0.125f, -0.125f, 88.7f, -88.7f, 1e30f, -1e30f}) xs.push_back(x);
  Tensor x({static_cast<int64_t>(xs.size())}, xs);
  Tanh tanh_layer;
  Sigmoid sigmoid_layer;
  const Tensor t = tanh_layer.forward(x), s = sigmoid_layer.forward(x);
  for (size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    const double want_t = std::tanh(v), want_s = 1.0 / (1.0 + std::exp(-v));
    ASSERT_LE(std::fabs(t.data[i] - want_t), 1e-6 + 1e-6 * std::fabs(want_t)) << "tanh(" << xs[i] << ")";
    ASSERT_LE(std::fabs(s.data[i] - want_s), 1e-6 + 1e-6 * std::fabs(want_s)) << "sigmoid(" << xs[i] << ")";
  }
  EXPECT_GT(xs.size(), 100000u);
}

TEST(MaxUnpool2d, EmptyOutputForwardIsAcceptedButBackwardIsNot) {
  // Found by tests/golden/diff_torch.py: k=2, s=3, p=1 on a 1x4 input gives height
  // (1-1)*3 + 2 - 2 = 0. PyTorch returns the empty output without checking the
  // indices, then its backward gather fails: so must ours.
  MaxUnpool2d unpool({{2}, std::vector<int64_t>{3}, {1}});
  const Tensor x({1, 1, 1, 4}, {1, 2, 3, 4});
  const Tensor y = unpool.forward(x, IndexTensor({1, 1, 1, 4}, {0, 2, 5, 8}));
  EXPECT_EQ(y.shape, (Shape{1, 1, 0, 9}));
  EXPECT_THROW(unpool.backward(Tensor({1, 1, 0, 9})), Error);
}

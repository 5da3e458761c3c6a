// Finite-difference gradient checks for every layer. The loss is
// L = Σ output · r for a fixed random r (so backward gets grad_output = r);
// dL/dx is estimated by central differences, summed in double precision.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "core/layers/activations.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/bce_with_logits_loss.h"
#include "core/layers/linear.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/max_unpool2d.h"
#include "core/layers/prelu.h"
#include "core/layers/rrelu.h"
#include "core/random.h"

using namespace ll;

namespace {

// Values spread at least `gap` apart (no ties, no kinks within h) and away from 0.
Tensor spread_input(const Shape& shape, uint64_t seed, float gap = 0.05f) {
  Tensor t(shape);
  Rng rng(seed);
  for (size_t i = 0; i < t.data.size(); ++i) {
    t.data[i] = gap * (static_cast<float>(i) + 1.0f) * (rng.uniform() < 0.5 ? -1.0f : 1.0f);
  }
  // Shuffle so that the ordering is not the ramp's.
  for (size_t i = t.data.size(); i > 1; --i) std::swap(t.data[i - 1], t.data[rng.next_u64() % i]);
  return t;
}

Tensor random_like(const Shape& shape, uint64_t seed) {
  Tensor t(shape);
  Rng rng(seed);
  for (float& v : t.data) v = static_cast<float>(rng.uniform(-1.0, 1.0));
  return t;
}

double loss(const Tensor& y, const Tensor& r) {
  double s = 0;
  for (size_t i = 0; i < y.data.size(); ++i) s += static_cast<double>(y.data[i]) * r.data[i];
  return s;
}

// Compares `analytic` with central differences of `f` with respect to `param`.
void expect_gradient(const char* what, Tensor& param, const Tensor& analytic, const std::function<Tensor()>& f,
                     const Tensor& r, float h = 1e-2f) {
  ASSERT_EQ(param.shape, analytic.shape) << what;
  for (size_t i = 0; i < param.data.size(); ++i) {
    const float saved = param.data[i];
    param.data[i] = saved + h;
    const double up = loss(f(), r);
    param.data[i] = saved - h;
    const double down = loss(f(), r);
    param.data[i] = saved;
    const double numeric = (up - down) / (2.0 * static_cast<double>(h));
    EXPECT_NEAR(analytic.data[i], numeric, 2e-3 + 2e-3 * std::fabs(numeric)) << what << " element " << i;
  }
}

template <typename Layer>
void check_input_gradient(const char* what, Layer& layer, Tensor x, uint64_t seed) {
  const Tensor y = layer.forward(x);
  const Tensor r = random_like(y.shape, seed);
  const Tensor analytic = layer.backward(r);
  expect_gradient(what, x, analytic, [&] { return layer.forward(x); }, r);
}

}  // namespace

TEST(GradCheck, MaxPool2d) {
  MaxPool2d pool({{3, 2}, std::vector<int64_t>{2, 1}, {1, 1}, {1, 2}, false, true});
  check_input_gradient("MaxPool2d", pool, spread_input({2, 2, 7, 6}, 1), 2);
}

TEST(GradCheck, AvgPool2d) {
  AvgPool2d pool({{3}, std::vector<int64_t>{2}, {1}, true, false, std::nullopt});
  check_input_gradient("AvgPool2d", pool, spread_input({1, 2, 7, 7}, 3), 4);
  AvgPool2d over({{2, 3}, std::nullopt, {1, 0}, false, true, int64_t{5}});
  check_input_gradient("AvgPool2d divisor_override", over, spread_input({2, 5, 6}, 5), 6);
}

TEST(GradCheck, MaxUnpool2d) {
  MaxPool2d pool({{2}, std::nullopt, {0}, {1}, true, false});
  pool.forward(spread_input({1, 2, 6, 6}, 7));
  MaxUnpool2d unpool({{2}, std::nullopt, {0}});
  Tensor x = spread_input({1, 2, 3, 3}, 8);
  const IndexTensor idx = pool.indices();
  const Tensor y = unpool.forward(x, idx);
  const Tensor r = random_like(y.shape, 9);
  const Tensor analytic = unpool.backward(r);
  expect_gradient("MaxUnpool2d", x, analytic, [&] { return unpool.forward(x, idx); }, r);
}

TEST(GradCheck, Linear) {
  Linear lin({5, 3, true}, 11);
  Tensor x = random_like({2, 4, 5}, 12);
  const Tensor y = lin.forward(x);
  const Tensor r = random_like(y.shape, 13);
  const Tensor gx = lin.backward(r);
  Tensor w = lin.weight(), b = lin.bias();
  const Tensor gw = lin.grad_weight(), gb = lin.grad_bias();
  expect_gradient("Linear input", x, gx, [&] { return lin.forward(x); }, r);
  expect_gradient("Linear weight", w, gw, [&] { lin.set_weight(w); return lin.forward(x); }, r);
  lin.set_weight(w);
  expect_gradient("Linear bias", b, gb, [&] { lin.set_bias(b); return lin.forward(x); }, r);
}

TEST(GradCheck, Activations) {
  Sigmoid s;
  check_input_gradient("Sigmoid", s, spread_input({3, 7}, 20, 0.2f), 21);
  Tanh t;
  check_input_gradient("Tanh", t, spread_input({3, 7}, 22, 0.2f), 23);
  ReLU relu;
  check_input_gradient("ReLU", relu, spread_input({3, 7}, 24), 25);
  LeakyReLU leaky(0.2);
  check_input_gradient("LeakyReLU", leaky, spread_input({3, 7}, 26), 27);
  RReLU eval({0.1, 0.3});
  check_input_gradient("RReLU eval", eval, spread_input({3, 7}, 28), 29);
}

TEST(GradCheck, RReLUTrainingWithFixedNoise) {
  RReLU r({0.1, 0.3}, 30);
  r.train(true);
  Tensor x = spread_input({2, 9}, 31);
  r.forward(x);
  const Tensor noise = r.noise();
  const Tensor y = r.forward(x, &noise);
  const Tensor up = random_like(y.shape, 32);
  const Tensor gx = r.backward(up);
  expect_gradient("RReLU training", x, gx, [&] { return r.forward(x, &noise); }, up);
}

TEST(GradCheck, PReLU) {
  PReLU p({3, 0.25});
  p.set_weight(Tensor({3}, {0.1f, -0.3f, 0.7f}));
  Tensor x = spread_input({2, 3, 4}, 40);
  const Tensor y = p.forward(x);
  const Tensor r = random_like(y.shape, 41);
  const Tensor gx = p.backward(r);
  Tensor w = p.weight();
  const Tensor gw = p.grad_weight();
  expect_gradient("PReLU input", x, gx, [&] { return p.forward(x); }, r);
  expect_gradient("PReLU weight", w, gw, [&] { p.set_weight(w); return p.forward(x); }, r);
}

// BCEWithLogitsLoss: d loss / d input against central differences, for each
// reduction; soft and hard targets (the target is not differentiated).
TEST(GradCheck, BCEWithLogitsLoss) {
  for (Reduction red : {Reduction::LL_REDUCTION_MEAN, Reduction::LL_REDUCTION_SUM, Reduction::LL_REDUCTION_NONE}) {
    BCEWithLogitsLoss loss({red});
    Tensor x = random_like({3, 4}, 50);
    for (float& v : x.data) v *= 4.0f;
    Tensor t = random_like({3, 4}, 51);
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = i % 3 == 0 ? (t.data[i] + 1.0f) / 2.0f : (t.data[i] > 0 ? 1.0f : 0.0f);
    const Tensor y = loss.forward(x, t);
    const Tensor r = random_like(y.shape, 52);
    const Tensor gx = loss.backward(r);
    expect_gradient(reduction_name(red), x, gx, [&] { return loss.forward(x, t); }, r, 1e-3f);
  }
}

// Hand-checkable: logit 0 against target 1 costs log 2 and pulls with sigmoid(0) - 1 = -0.5.
TEST(GradCheck, BCEWithLogitsLossByHand) {
  BCEWithLogitsLoss loss;
  const Tensor y = loss.forward(Tensor({2}, {0.0f, 0.0f}), Tensor({2}, {1.0f, 0.0f}));
  EXPECT_EQ(y.shape, Shape{});
  EXPECT_NEAR(y.data[0], std::log(2.0), 1e-6);
  const Tensor g = loss.backward(Tensor(Shape{}, {1.0f}));
  EXPECT_NEAR(g.data[0], -0.25f, 1e-7);  // (0.5 - 1) / 2 elements
  EXPECT_NEAR(g.data[1], 0.25f, 1e-7);
  EXPECT_THROW(loss.forward(Tensor({2}, {0, 0}), Tensor({3}, {0, 0, 0})), Error);
  EXPECT_THROW(parse_reduction("avg", "BCEWithLogitsLoss"), Error);
}

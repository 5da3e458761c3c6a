// The activations made from their descriptors (layers/activation.h): small cases
// at the kinks, each expected number derived in a comment, and the table itself.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/elementwise_desc.h"
#include "core/layer_desc.h"
#include "core/spec.h"
#include "core/spec_run.h"

using namespace ll;
using nlohmann::json;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// forward(x) and backward(g) of `layer` made from `params`.
struct Result {
  Tensor y, dx;
};
Result run(const char* layer, const json& params, Storage<float> x, Storage<float> g) {
  std::unique_ptr<Activation> m = make_activation(layer, params);
  const Shape shape{static_cast<int64_t>(x.size())};
  Result r;
  r.y = m->forward(Tensor(shape, std::move(x)));
  r.dx = m->backward(Tensor(shape, std::move(g)));
  return r;
}

std::string error_of(const char* layer, const json& params) {
  try {
    make_activation(layer, params);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Activation, HardswishAtItsKinks) {
  // y = x * min(max(x + 3, 0), 6) / 6: at -3 the clamp is 0, at 3 it is 6 (y = x).
  // dy/dx = x/3 + 1/2 on [-3, 3] (ATen's scalar kernel tests x < -3, then x <= 3):
  // at -3 that is -1/2, at 3 it is 3/2 (the vectorized kernel's x >= 3 would give 1).
  const Result r = run("Hardswish", json::object(), {-3.f, 3.f, -3.0001f, 3.0001f}, {1, 1, 1, 1});
  EXPECT_EQ(r.y.data[0], 0.f);
  EXPECT_EQ(r.y.data[1], 3.f);
  EXPECT_FLOAT_EQ(r.dx.data[0], -0.5f);
  EXPECT_FLOAT_EQ(r.dx.data[1], 1.5f);
  EXPECT_EQ(r.dx.data[2], 0.f);  // x < -3
  EXPECT_EQ(r.dx.data[3], 1.f);  // x > 3: g
}

TEST(Activation, HardsigmoidGradientOnlyInsideTheOpenInterval) {
  // y = clamp(x + 3, 0, 6) / 6: 0 at -3, 1 at 3, 1/2 at 0; dy/dx = 1/6 only for -3 < x < 3.
  const Result r = run("Hardsigmoid", json::object(), {-3.f, 3.f, 0.f}, {6, 6, 6});
  EXPECT_EQ(r.y.data[0], 0.f);
  EXPECT_EQ(r.y.data[1], 1.f);
  EXPECT_EQ(r.y.data[2], 0.5f);
  EXPECT_EQ(r.dx.data[0], 0.f);
  EXPECT_EQ(r.dx.data[1], 0.f);
  EXPECT_FLOAT_EQ(r.dx.data[2], 1.f);  // 6 * (1/6)
}

TEST(Activation, SoftplusThresholdBranch) {
  // beta = 2, threshold = 5: x = 2.5 gives x * beta = 5, not > 5, so the log branch:
  // log1p(e^5) / 2 = (5 + log1p(e^-5)) / 2 = 2.5 + 0.0033576 = 2.5033576, and the
  // gradient e^5 / (e^5 + 1) = 0.9933071. Just above 2.5 the output is x, the gradient g.
  const float above = std::nextafter(2.5f, 3.f);
  const Result r = run("Softplus", {{"beta", 2}, {"threshold", 5}}, {2.5f, above}, {1, 1});
  EXPECT_NEAR(r.y.data[0], 2.5033576f, 1e-6);
  EXPECT_NEAR(r.dx.data[0], 0.9933071f, 1e-6);
  EXPECT_EQ(r.y.data[1], above);
  EXPECT_EQ(r.dx.data[1], 1.f);
}

TEST(Activation, ShrinksAtLambdAndNaN) {
  // lambd = 0.5: |x| <= 0.5 is 0 for both, and the gradient stops there (closed interval).
  // Softshrink(0.75) = 0.25, Hardshrink(0.75) = 0.75. At NaN Softshrink gives 0 (1.13) and
  // the gradient passes (ATen's scalar kernel: the interval test is false).
  const Result soft = run("Softshrink", json::object(), {0.5f, -0.5f, 0.75f, kNaN}, {2, 2, 2, 2});
  EXPECT_EQ(soft.y.data, (Storage<float>{0, 0, 0.25f, 0}));
  EXPECT_EQ(soft.dx.data, (Storage<float>{0, 0, 2, 2}));
  const Result hard = run("Hardshrink", json::object(), {0.5f, -0.5f, 0.75f, kNaN}, {2, 2, 2, 2});
  EXPECT_EQ(hard.y.data[2], 0.75f);
  EXPECT_TRUE(std::isnan(hard.y.data[3]));
  EXPECT_EQ(hard.dx.data, (Storage<float>{0, 0, 2, 2}));
}

TEST(Activation, EluAtZeroTakesTheNegativeBranch) {
  // x <= 0 is ELU's negative branch: y = alpha (e^0 - 1) = 0, dy/dx = alpha e^0 = alpha.
  // SELU the same with alpha * scale = 1.6732632 * 1.0507010 = 1.7580993. At NaN both
  // give the x > 0 branch's gradient (the scalar kernel): scale * g.
  const Result elu = run("ELU", {{"alpha", 0.5}}, {0.f, kNaN}, {1, 1});
  EXPECT_EQ(elu.y.data[0], 0.f);
  EXPECT_EQ(elu.dx.data[0], 0.5f);
  EXPECT_EQ(elu.dx.data[1], 1.f);
  const Result selu = run("SELU", json::object(), {0.f, kNaN}, {1, 1});
  EXPECT_NEAR(selu.dx.data[0], 1.7580993f, 1e-6);
  EXPECT_NEAR(selu.dx.data[1], 1.0507010f, 1e-6);
}

TEST(Activation, ThresholdUsesLessOrEqual) {
  // x <= threshold -> value: at x = threshold the output is value and the gradient 0.
  const Result r = run("Threshold", {{"threshold", 1}, {"value", 20}}, {1.f, std::nextafter(1.f, 2.f)}, {3, 3});
  EXPECT_EQ(r.y.data[0], 20.f);
  EXPECT_EQ(r.dx.data, (Storage<float>{0, 3}));
}

TEST(Activation, RejectionsNameTheLayerTheRuleAndTheValues) {
  EXPECT_EQ(error_of("Hardtanh", {{"min_val", 1}, {"max_val", 1}}),
            "Hardtanh: max_val must be greater than min_val, got min_val=1, max_val=1");
  EXPECT_EQ(error_of("Hardtanh", {{"min_value", 2}}), "Hardtanh: max_val must be greater than min_val, got min_val=2, max_val=1");
  EXPECT_EQ(error_of("CELU", {{"alpha", 0}}), "CELU: alpha cannot be 0 (ZeroDivisionError), got alpha=0");
  EXPECT_EQ(error_of("Softshrink", {{"lambd", -1}}), "Softshrink: lambd must be greater than or equal to 0, got lambd=-1");
  EXPECT_EQ(error_of("GELU", {{"approximate", "Tanh"}}), "GELU: approximate must be 'none' or 'tanh', got 'Tanh'");
  EXPECT_EQ(error_of("Threshold", {{"threshold", 0.5}}), "Threshold: missing required parameter value");
  EXPECT_EQ(error_of("SiLU", {{"alpha", 1}}), "SiLU: unexpected keyword argument 'alpha'");
  EXPECT_EQ(error_of("Hardtanh", {{"min_value", nullptr}}), "");  // None is the default
}

// Each element-wise row is a layer of layer_descs(), an activation with a spec
// runner, and its keywords are those of its descriptor; every float `min` is
// the bound the layer enforces (min passes, below it is rejected naming it).
TEST(Activation, EveryElementwiseRowIsALayerTheSpecRuns) {
  std::set<std::string> names;
  for (const ElementwiseDesc& e : elementwise_descs()) {
    const LayerDesc* d = find_layer(e.layer.name);
    ASSERT_NE(d, nullptr) << e.layer.name;
    EXPECT_EQ(d->family, LayerFamily::ACTIVATION);
    EXPECT_STRNE(d->formula, "") << e.layer.name;
    EXPECT_EQ(spec_run::runner(e.layer.name), spec_run::activation);
    EXPECT_TRUE(names.insert(e.layer.name).second) << "twice: " << e.layer.name;
    ASSERT_NE(e.forward, nullptr);
    ASSERT_NE(e.backward, nullptr);
    json required = json::object();
    for (const ParamDesc& p : d->params)
      if (p.required()) required[p.name] = 0.5;
    EXPECT_NE(make_activation(e.layer.name, required), nullptr) << e.layer.name;
    for (const ParamDesc& p : d->params) {
      if (p.min == -kNoBound) continue;
      json at_min = required, below = required;
      at_min[p.name] = p.min;
      below[p.name] = p.min - 0.25;
      EXPECT_NO_THROW(make_activation(e.layer.name, at_min)) << e.layer.name << " " << p.name;
      const std::string message = error_of(e.layer.name, below);
      EXPECT_EQ(message.rfind(std::string(e.layer.name) + ": " + p.name, 0), 0u) << message;
    }
  }
  EXPECT_GE(names.size(), 16u);
}

TEST(Activation, AnyRankAndEmpty) {
  std::unique_ptr<Activation> m = make_activation("GELU", {{"approximate", "tanh"}});
  // 0-D: GELU_tanh(1) = 0.5 (1 + tanh(sqrt(2/pi) * 1.044715)) = 0.5 (1 + 0.6823) = 0.8411920.
  const Tensor y0 = m->forward(Tensor(Shape{}, Storage<float>{1.f}));
  EXPECT_EQ(y0.shape, Shape{});
  EXPECT_NEAR(y0.data[0], 0.841192f, 1e-6);
  const Tensor empty = m->forward(Tensor(Shape{2, 0, 3}));
  EXPECT_EQ(empty.shape, (Shape{2, 0, 3}));
  EXPECT_EQ(m->backward(Tensor(Shape{2, 0, 3})).shape, (Shape{2, 0, 3}));
  EXPECT_THROW(m->backward(Tensor(Shape{3})), Error);
}

// ---------------------------------------------------------------------------
// Along a dimension

namespace {

Result run_shaped(const char* layer, const json& params, Shape shape, Storage<float> x, Storage<float> g) {
  std::unique_ptr<Activation> m = make_activation(layer, params);
  Result r;
  r.y = m->forward(Tensor(shape, std::move(x)));
  r.dx = m->backward(Tensor(r.y.shape, std::move(g)));
  return r;
}

std::string forward_error(const char* layer, const json& params, Shape shape) {
  try {
    make_activation(layer, params)->forward(Tensor(shape));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Activation, SoftmaxByHand) {
  // softmax(0, ln 3) = (1, 3) / 4; backward y * (g - sum(g * y)) with g = (1, 0):
  // sum = 1/4, so (1/4 * 3/4, 3/4 * -1/4) = (0.1875, -0.1875).
  const Result r = run_shaped("Softmax", {{"dim", 0}}, {2}, {0.f, std::log(3.f)}, {1, 0});
  EXPECT_FLOAT_EQ(r.y.data[0], 0.25f);
  EXPECT_FLOAT_EQ(r.y.data[1], 0.75f);
  EXPECT_FLOAT_EQ(r.dx.data[0], 0.1875f);
  EXPECT_FLOAT_EQ(r.dx.data[1], -0.1875f);
  // LogSoftmax subtracts the max first: (1e4, -1e4, 0) -> (0, -2e4, -1e4) exactly
  // (the sum is 1 + e^-2e4 + e^-1e4 = 1 in float, its log 0).
  const Result l = run_shaped("LogSoftmax", {{"dim", 0}}, {3}, {1e4f, -1e4f, 0.f}, {0, 0, 0});
  EXPECT_EQ(l.y.data, (Storage<float>{0.f, -2e4f, -1e4f}));
  // Softmin is softmax(-x): (0, ln 3) -> (3, 1) / 4; its gradient is minus softmax's
  // at -x: g = (1, 0) gives -(3/4 * 1/4, 1/4 * -3/4) = (-0.1875, 0.1875).
  const Result m = run_shaped("Softmin", {{"dim", 0}}, {2}, {0.f, std::log(3.f)}, {1, 0});
  EXPECT_FLOAT_EQ(m.y.data[0], 0.75f);
  EXPECT_FLOAT_EQ(m.dx.data[0], -0.1875f);
  EXPECT_FLOAT_EQ(m.dx.data[1], 0.1875f);
}

TEST(Activation, SoftmaxNonFiniteSlices) {
  // -inf has probability 0; an all -inf slice, a +inf or a NaN make the slice NaN.
  const Result r = run_shaped("Softmax", {{"dim", 1}}, {3, 2},
                              {-INFINITY, 0.f, -INFINITY, -INFINITY, INFINITY, 1.f}, {1, 1, 1, 1, 1, 1});
  EXPECT_EQ(r.y.data[0], 0.f);
  EXPECT_EQ(r.y.data[1], 1.f);
  for (int i = 2; i < 6; ++i) EXPECT_TRUE(std::isnan(r.y.data[i])) << i;
}

TEST(Activation, SoftmaxLegacyDimAndItsWarning) {
  // F._get_softmax_dim: 0 for 0-D, 1-D and 3-D inputs, else 1.
  EXPECT_EQ(softmax_legacy_dim(0), 0);
  EXPECT_EQ(softmax_legacy_dim(1), 0);
  EXPECT_EQ(softmax_legacy_dim(2), 1);
  EXPECT_EQ(softmax_legacy_dim(3), 0);
  EXPECT_EQ(softmax_legacy_dim(4), 1);
  // dim=None on a 2x2 input is dim 1: each row (0, ln 3) -> (1/4, 3/4).
  const Result r = run_shaped("Softmax", json::object(), {2, 2}, {0.f, std::log(3.f), 0.f, std::log(3.f)}, {0, 0, 0, 0});
  EXPECT_FLOAT_EQ(r.y.data[1], 0.75f);
  EXPECT_EQ(make_activation("LogSoftmax", json::object())->warning(),
            "Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an "
            "argument.");
  EXPECT_EQ(make_activation("Softmin", {{"dim", nullptr}})->warning(),
            "Implicit dimension choice for softmin has been deprecated. Change the call to include dim=X as an "
            "argument.");
  EXPECT_EQ(make_activation("Softmax", {{"dim", 0}})->warning(), "");
  EXPECT_EQ(make_activation("Softmax2d", json::object())->warning(), "");
  EXPECT_EQ(make_activation("GELU", json::object())->warning(), "");
}

TEST(Activation, GluByHand) {
  // (1, 2 | 3, 0) along dim 0: a = (1, 2), b = (3, 0); y = a * sigmoid(b) = (0.9525741, 1).
  // da = sigmoid(b) * g = (0.9525741, 0.5); db = (1 - s) s a g = (0.0451767, 0.25 * 2 = 0.5).
  const Result r = run_shaped("GLU", {{"dim", 0}}, {4}, {1, 2, 3, 0}, {1, 1});
  EXPECT_EQ(r.y.shape, Shape{2});
  EXPECT_NEAR(r.y.data[0], 0.9525741f, 1e-6);
  EXPECT_FLOAT_EQ(r.y.data[1], 1.f);
  EXPECT_NEAR(r.dx.data[0], 0.9525741f, 1e-6);
  EXPECT_FLOAT_EQ(r.dx.data[1], 0.5f);
  EXPECT_NEAR(r.dx.data[2], 0.0451767f, 1e-6);
  EXPECT_FLOAT_EQ(r.dx.data[3], 0.5f);
}

TEST(Activation, DimensionRejections) {
  EXPECT_EQ(forward_error("GLU", json::object(), {2, 5}), "GLU: halving dimension must be even, got dim=1 of size 5");
  EXPECT_EQ(forward_error("GLU", json::object(), {}), "GLU: input must have at least one dimension to halve, got a 0-D input");
  EXPECT_EQ(forward_error("Softmax", {{"dim", 2}}, {2, 3}),
            "Softmax: dim out of range (expected to be in range of [-2, 1], but got 2)");
  EXPECT_EQ(forward_error("LogSoftmax", {{"dim", -2}}, {}),
            "LogSoftmax: dim out of range (expected to be in range of [-1, 0], but got -2)");
  EXPECT_EQ(forward_error("Softmax2d", json::object(), {2, 3}), "Softmax2d: input must be 3-D or 4-D, got 2-D");
  EXPECT_EQ(forward_error("Softmax2d", json::object(), {1, 2, 2, 2}), "");
  EXPECT_EQ(error_of("GLU", {{"dim", nullptr}}), "GLU: dim must be an int, got null");
}

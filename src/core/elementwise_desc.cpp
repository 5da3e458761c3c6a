#include "elementwise_desc.h"

#include "check.h"

namespace ll {

namespace {

using K = ParamKind;
constexpr LayerFamily kActivation = LayerFamily::ACTIVATION;

constexpr std::initializer_list<const char*> kTensors = {"input", "grad_output"};
constexpr ParamDesc kInplace = {"inplace", K::BOOL, "False"};  // accepted, changes no result (CONTRACT 2b)

// Where ATen's scalar and vectorized kernels disagree at a NaN input (CONTRACT 5),
// the core gives the scalar kernel's value: what PyTorch returns for a tensor of
// fewer than 16 elements, and for 0-D inputs, on every CPU.
constexpr const char* kNanPositiveBranch =
    "NaN input: grad_input = grad_output * scale (the x > 0 branch, ATen's scalar kernel; its vectorized one gives NaN)";
constexpr const char* kNanPasses =
    "NaN input: grad_input = grad_output (ATen's scalar kernel; its vectorized one gives 0)";

// ATen's elu(x, alpha, scale, input_scale): negcoef = alpha * scale, poscoef = scale,
// negiptcoef = input_scale, each converted to float first.
constexpr ElementwiseArgs elu_args(double alpha, double scale, double input_scale) {
  return {static_cast<float>(alpha) * static_cast<float>(scale), static_cast<float>(scale),
          static_cast<float>(input_scale)};
}

// CELU is elu(x, alpha, 1, 1 / alpha), 1 / alpha in double.
ElementwiseArgs celu_args(const Keywords& k) {
  const double alpha = k.number("alpha");
  LL_CHECK(alpha != 0, "CELU: alpha cannot be 0 (ZeroDivisionError), got alpha=%g", alpha);
  return elu_args(alpha, 1, 1 / alpha);
}

// Hardtanh's deprecated min_value / max_value replace min_val / max_val when given.
ElementwiseArgs hardtanh_args(const Keywords& k) {
  const double lo = k.none("min_value") ? k.number("min_val") : k.number("min_value");
  const double hi = k.none("max_value") ? k.number("max_val") : k.number("max_value");
  LL_CHECK(hi > lo, "Hardtanh: max_val must be greater than min_val, got min_val=%g, max_val=%g", lo, hi);
  return {static_cast<float>(lo), static_cast<float>(hi)};
}

// PyTorch 1.13's constructors, keyword for keyword (torch/nn/modules/activation.py).
constexpr std::initializer_list<ElementwiseDesc> kRows = {
    {{"ELU", {{"alpha", K::FLOAT, "1.0", -kNoBound, "", 0, 3}, kInplace}, kTensors, kActivation,
      "ELU(x) = x if x > 0, else alpha * (exp(x) - 1)", kNanPositiveBranch},
     [](const Keywords& k) { return elu_args(k.number("alpha"), 1, 1); }, elu_forward, elu_backward},
    {{"CELU", {{"alpha", K::FLOAT, "1.0", -kNoBound, "not 0", 0.1, 3}, kInplace}, kTensors, kActivation,
      "CELU(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))", kNanPositiveBranch},
     celu_args, elu_forward, elu_backward},
    {{"SELU", {kInplace}, kTensors, kActivation,
      "SELU(x) = scale * (x if x > 0, else alpha * (exp(x) - 1)), alpha = 1.67326, scale = 1.05070",
      kNanPositiveBranch},
     [](const Keywords&) { return elu_args(1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1); },
     elu_forward, elu_backward},
    {{"GELU", {{"approximate", K::STRING, "'none'", -kNoBound, "'none' or 'tanh'", 0, 0, "none tanh"}}, kTensors,
      kActivation,
      "GELU(x) = x * Phi(x), Phi the standard normal CDF; 'tanh': x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"},
     [](const Keywords& k) { return ElementwiseArgs{k.text("approximate") == "tanh" ? 1.f : 0.f}; }, gelu_forward,
     gelu_backward},
    {{"SiLU", {kInplace}, kTensors, kActivation, "SiLU(x) = x * sigmoid(x)"}, nullptr, silu_forward, silu_backward},
    {{"Mish", {kInplace}, kTensors, kActivation, "Mish(x) = x * tanh(softplus(x))"}, nullptr, mish_forward,
     mish_backward},
    {{"Softplus",
      {{"beta", K::FLOAT, "1", -kNoBound, "", 0.1, 10}, {"threshold", K::FLOAT, "20", -kNoBound, "", 0, 40}},
      kTensors, kActivation, "Softplus(x) = log(1 + exp(beta * x)) / beta, or x where beta * x > threshold"},
     [](const Keywords& k) {
       return ElementwiseArgs{static_cast<float>(k.number("beta")), static_cast<float>(k.number("threshold"))};
     },
     softplus_forward, softplus_backward},
    {{"Softsign", {}, kTensors, kActivation, "Softsign(x) = x / (1 + |x|)"}, nullptr, softsign_forward,
     softsign_backward},
    {{"Softshrink", {{"lambd", K::FLOAT, "0.5", 0, "", 0, 3}}, kTensors, kActivation,
      "Softshrink(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0 (NaN too)", kNanPasses},
     [](const Keywords& k) { return ElementwiseArgs{static_cast<float>(k.number("lambd"))}; }, softshrink_forward,
     shrink_backward},
    {{"Hardshrink", {{"lambd", K::FLOAT, "0.5", -kNoBound, "", 0, 3}}, kTensors, kActivation,
      "Hardshrink(x) = x if x > lambd or x < -lambd, else 0", kNanPasses},
     [](const Keywords& k) { return ElementwiseArgs{static_cast<float>(k.number("lambd"))}; }, hardshrink_forward,
     shrink_backward},
    {{"Hardtanh",
      {{"min_val", K::FLOAT, "-1.0", -kNoBound, "less than max_val", -3, 0},
       {"max_val", K::FLOAT, "1.0", -kNoBound, "greater than min_val", 0, 3},
       kInplace,
       {"min_value", K::FLOAT, "None", -kNoBound, "deprecated: replaces min_val"},
       {"max_value", K::FLOAT, "None", -kNoBound, "deprecated: replaces max_val"}},
      kTensors, kActivation, "Hardtanh(x) = min(max(x, min_val), max_val)", kNanPasses},
     hardtanh_args, hardtanh_forward, hardtanh_backward},
    {{"ReLU6", {kInplace}, kTensors, kActivation, "ReLU6(x) = min(max(0, x), 6)", kNanPasses},
     [](const Keywords&) { return ElementwiseArgs{0.f, 6.f}; }, hardtanh_forward, hardtanh_backward},
    {{"Hardsigmoid", {kInplace}, kTensors, kActivation, "Hardsigmoid(x) = 0 if x <= -3, 1 if x >= 3, else x/6 + 1/2"},
     nullptr, hardsigmoid_forward, hardsigmoid_backward},
    {{"Hardswish", {kInplace}, kTensors, kActivation,
      "Hardswish(x) = 0 if x <= -3, x if x >= 3, else x (x + 3) / 6",
      "NaN input: grad_input = grad_output; x = 3: grad_output * 1.5 (ATen's scalar kernel; its vectorized one "
      "gives NaN and grad_output)"},
     nullptr, hardswish_forward, hardswish_backward},
    {{"LogSigmoid", {}, kTensors, kActivation, "LogSigmoid(x) = log(1 / (1 + exp(-x)))"}, nullptr,
     logsigmoid_forward, logsigmoid_backward},
    {{"Tanhshrink", {}, kTensors, kActivation, "Tanhshrink(x) = x - tanh(x)"}, nullptr, tanhshrink_forward,
     tanhshrink_backward},
    {{"Threshold",
      {{"threshold", K::FLOAT, nullptr, -kNoBound, "", -3, 3}, {"value", K::FLOAT, nullptr, -kNoBound, "", -3, 3},
       kInplace},
      kTensors, kActivation, "Threshold(x) = x if x > threshold, else value"},
     [](const Keywords& k) {
       return ElementwiseArgs{static_cast<float>(k.number("threshold")), static_cast<float>(k.number("value"))};
     },
     threshold_forward, threshold_backward},
};

}  // namespace

std::initializer_list<ElementwiseDesc> elementwise_descs() { return kRows; }

const ElementwiseDesc* find_elementwise(std::string_view name) {
  for (const ElementwiseDesc& d : elementwise_descs())
    if (name == d.layer.name) return &d;
  return nullptr;
}

}  // namespace ll

#include "bce_with_logits_loss.h"

#include <cmath>

#include "common.h"

namespace ll {

namespace {

constexpr const char* kLayer = BCEWithLogitsLoss::kName;

// The kernels: plain loops in double, the formula of ATen 1.13's
// binary_cross_entropy_with_logits (no pos_weight).
void bce_with_logits_forward(const float* x, const float* t, double* loss, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const double xi = x[i], ti = t[i];
    const double max_val = xi < 0 ? -xi : 0.0;  // (-x).clamp_min(0), NaN -> 0 as in clamp_min
    loss[i] = (1.0 - ti) * xi + max_val + std::log(std::exp(-max_val) + std::exp(-xi - max_val));
  }
}

// dx = (sigmoid(x) - t) * g * scale, g broadcast when `g_stride` is 0.
void bce_with_logits_backward(const float* x, const float* t, const float* g, int64_t g_stride, double scale,
                              float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(x[i])));
    dx[i] = static_cast<float>((s - t[i]) * g[i * g_stride] * scale);
  }
}

}  // namespace

Reduction parse_reduction(const std::string& text, const char* layer) {
  if (text == "mean") return Reduction::LL_REDUCTION_MEAN;
  if (text == "sum") return Reduction::LL_REDUCTION_SUM;
  if (text == "none") return Reduction::LL_REDUCTION_NONE;
  fail(format("%s: reduction must be 'mean', 'sum' or 'none', got '%s'", layer, text.c_str()));
}

const char* reduction_name(Reduction r) {
  switch (r) {
    case Reduction::LL_REDUCTION_SUM:
      return "sum";
    case Reduction::LL_REDUCTION_NONE:
      return "none";
    default:
      return "mean";
  }
}

Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
  // check
  check_tensor(kLayer, "input", input);
  check_tensor(kLayer, "target", target);
  LL_CHECK(target.shape == input.shape, "%s: target must have the input's shape, got target %s and input %s", kLayer,
           shape_to_string(target.shape).c_str(), shape_to_string(input.shape).c_str());
  // shape
  const bool reduce = options_.reduction != Reduction::LL_REDUCTION_NONE;
  output_shape_ = reduce ? Shape{} : input.shape;
  // kernel
  const int64_t n = input.numel();
  std::vector<double> loss(static_cast<size_t>(n));
  bce_with_logits_forward(input.ptr(), target.ptr(), loss.data(), n);
  Tensor output(output_shape_);
  if (reduce) {
    double sum = 0;
    for (double v : loss) sum += v;
    // 'mean' of no elements is 0 / 0 = NaN, as in PyTorch.
    output.data[0] = static_cast<float>(options_.reduction == Reduction::LL_REDUCTION_SUM
                                            ? sum
                                            : sum / static_cast<double>(n));
  } else {
    for (int64_t i = 0; i < n; ++i) output.data[static_cast<size_t>(i)] = static_cast<float>(loss[static_cast<size_t>(i)]);
  }
  input_ = input;
  target_ = target;
  have_forward_ = true;
  return output;
}

Tensor BCEWithLogitsLoss::backward(const Tensor& grad_output) const {
  check_grad_output(kLayer, output_shape_, grad_output, have_forward_);
  Tensor grad_input(input_.shape);
  const int64_t n = input_.numel();
  const bool reduce = options_.reduction != Reduction::LL_REDUCTION_NONE;
  const double scale =
      options_.reduction == Reduction::LL_REDUCTION_MEAN && n > 0 ? 1.0 / static_cast<double>(n) : 1.0;
  bce_with_logits_backward(input_.ptr(), target_.ptr(), grad_output.ptr(), reduce ? 0 : 1, scale, grad_input.ptr(),
                           n);
  return grad_input;
}

}  // namespace ll

#include "linear.h"

#include <cmath>

#include "../random.h"
#include "common.h"

namespace ll {

namespace {
constexpr const char* kLayer = "Linear";
}

Linear::Linear(Options options, uint64_t seed) : options_(options) {
  LL_CHECK(options.in_features >= 0 && options.out_features >= 0,
           "%s: in_features and out_features must be non-negative, got in_features=%lld, out_features=%lld", kLayer,
           static_cast<long long>(options.in_features), static_cast<long long>(options.out_features));
  check_tensor_shape({options.out_features, options.in_features}, kLayer, "weight");
  check_tensor_shape({options.out_features}, kLayer, "bias");  // even when the weight is empty (in_features=0)
  weight_ = Tensor({options.out_features, options.in_features});
  // PyTorch leaves bound 0 for in_features == 0 (its init is a no-op there).
  const double bound = options.in_features > 0 ? 1.0 / std::sqrt(static_cast<double>(options.in_features)) : 0.0;
  Rng rng(seed);
  for (float& w : weight_.data) w = static_cast<float>(rng.uniform(-bound, bound));
  if (options.bias) {
    bias_ = Tensor({options.out_features});
    for (float& b : bias_.data) b = static_cast<float>(rng.uniform(-bound, bound));
  }
}

void Linear::set_weight(Tensor weight) {
  check_tensor(kLayer, "weight", weight);
  LL_CHECK(weight.shape == weight_.shape, "%s: weight must have shape (out_features, in_features) = %s, got %s", kLayer,
           shape_to_string(weight_.shape).c_str(), shape_to_string(weight.shape).c_str());
  weight_ = std::move(weight);
  packed_ = false;
}

void Linear::set_bias(Tensor bias) {
  LL_CHECK(options_.bias, "%s: bias was given but the layer has bias=False", kLayer);
  check_tensor(kLayer, "bias", bias);
  LL_CHECK(bias.shape == bias_.shape, "%s: bias must have shape (out_features) = %s, got %s", kLayer,
           shape_to_string(bias_.shape).c_str(), shape_to_string(bias.shape).c_str());
  bias_ = std::move(bias);
}

Tensor Linear::forward(const Tensor& input) { return forward(std::make_shared<const Tensor>(input)); }

Tensor Linear::forward(std::shared_ptr<const Tensor> input_ptr) {
  const Tensor& input = *input_ptr;
  check_tensor(kLayer, "input", input);
  LL_CHECK(input.dim() >= 1, "%s: input must have at least 1 dimension (*, in_features), got a 0-D tensor", kLayer);
  LL_CHECK(input.size(-1) == options_.in_features,
           "%s: input's last dimension must equal in_features, got input shape %s and in_features=%lld", kLayer,
           shape_to_string(input.shape).c_str(), static_cast<long long>(options_.in_features));
  Shape out_shape = input.shape;
  out_shape.back() = options_.out_features;
  check_tensor_shape(out_shape, kLayer, "output");
  const int64_t k = options_.in_features, n = options_.out_features;
  const int64_t m = k == 0 ? shape_numel(Shape(input.shape.begin(), input.shape.end() - 1)) : input.numel() / k;
  check_work(static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k), kLayer);

  Tensor output = Tensor::uninitialized(out_shape);
  if (!packed_) {
    packed_weight_ = pack_linear_weight(weight_.ptr(), n, k);
    packed_ = true;
  }
  linear_forward(input.ptr(), packed_weight_, options_.bias ? bias_.ptr() : nullptr, output.ptr(), m);
  input_ = std::move(input_ptr);
  output_shape_ = out_shape;
  have_forward_ = true;
  return output;
}

Tensor Linear::backward(const Tensor& grad_output) {
  check_grad_output(kLayer, output_shape_, grad_output, have_forward_);
  const int64_t k = options_.in_features, n = options_.out_features;
  const Tensor& input = *input_;
  const int64_t m = shape_numel(Shape(input.shape.begin(), input.shape.end() - 1));
  Tensor grad_input = Tensor::uninitialized(input.shape);
  linear_backward_input(grad_output.ptr(), weight_.ptr(), grad_input.ptr(), m, n, k);
  grad_weight_ = Tensor::uninitialized(weight_.shape);
  grad_bias_ = options_.bias ? Tensor::uninitialized(bias_.shape) : Tensor();
  linear_backward_weight(grad_output.ptr(), input.ptr(), grad_weight_.ptr(), options_.bias ? grad_bias_.ptr() : nullptr,
                         m, n, k);
  return grad_input;
}

}  // namespace ll

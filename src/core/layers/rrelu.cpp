#include "rrelu.h"

#include <cmath>

#include "../kernels/activation.h"
#include "common.h"

namespace ll {

namespace {
constexpr const char* kLayer = "RReLU";
}

RReLU::RReLU(Options options, uint64_t seed) : options_(options), rng_(seed) {
  LL_CHECK(options.lower <= options.upper, "%s: lower must be less than or equal to upper, got lower=%g, upper=%g",
           kLayer, options.lower, options.upper);
}

Tensor RReLU::forward(const Tensor& input, const Tensor* noise) {
  check_tensor(kLayer, "input", input);
  Tensor output = Tensor::uninitialized(input.shape);
  forward_was_training_ = training_;
  if (training_) {
    noise_ = Tensor::uninitialized(input.shape);
    if (noise) {
      check_tensor(kLayer, "noise", *noise);
      LL_CHECK(noise->shape == input.shape, "%s: noise must have the input's shape %s, got %s", kLayer,
               shape_to_string(input.shape).c_str(), shape_to_string(noise->shape).c_str());
    }
    for (int64_t i = 0; i < input.numel(); ++i) {
      const size_t u = static_cast<size_t>(i);
      if (input.data[u] <= 0.0f) {
        noise_.data[u] = noise ? noise->data[u] : static_cast<float>(rng_.uniform(options_.lower, options_.upper));
      } else {
        noise_.data[u] = 1.0f;
      }
    }
    rrelu_with_noise_forward(input.ptr(), noise_.ptr(), output.ptr(), input.numel());
    input_.data.clear();  // backward needs the noise and input_.shape only
  } else {
    noise_ = Tensor();
    input_.data.resize(input.data.size());
    const float slope = eval_slope();
    prelu_forward(input.ptr(), &slope, output.ptr(), input_.ptr(), 1, 1, input.numel());  // leaky ReLU, keeps x
  }
  input_.shape = input.shape;
  have_forward_ = true;
  return output;
}

Tensor RReLU::backward(const Tensor& grad_output) const {
  check_grad_output(kLayer, input_.shape, grad_output, have_forward_);
  Tensor grad_input = Tensor::uninitialized(input_.shape);
  // PyTorch 1.13 multiplies by the noise whenever the forward was training,
  // even for lower == upper (so at NaN, where the noise is 1, g passes).
  if (forward_was_training_) {
    mul_backward(noise_.ptr(), grad_output.ptr(), grad_input.ptr(), grad_input.numel());
  } else {
    leaky_relu_backward_from_input(input_.ptr(), grad_output.ptr(), grad_input.ptr(), grad_input.numel(),
                                   eval_slope());
  }
  return grad_input;
}

}  // namespace ll

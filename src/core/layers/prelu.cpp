#include "prelu.h"

#include "../kernels/activation.h"
#include "common.h"

namespace ll {

namespace {
constexpr const char* kLayer = "PReLU";
}

PReLU::PReLU(Options options) : options_(options) {
  LL_CHECK(options.num_parameters >= 0, "%s: num_parameters must be non-negative, got num_parameters=%lld", kLayer,
           static_cast<long long>(options.num_parameters));
  check_tensor_shape({options.num_parameters}, kLayer, "weight");
  weight_ = Tensor({options.num_parameters});
  for (float& w : weight_.data) w = static_cast<float>(options.init);
}

void PReLU::set_weight(Tensor weight) {
  check_tensor(kLayer, "weight", weight);
  LL_CHECK(weight.shape == weight_.shape, "%s: weight must have shape (num_parameters) = %s, got %s", kLayer,
           shape_to_string(weight_.shape).c_str(), shape_to_string(weight.shape).c_str());
  weight_ = std::move(weight);
}

PReLU::Layout PReLU::layout(const Shape& s) const {
  const int64_t count = weight_.numel();
  const int64_t ndim = static_cast<int64_t>(s.size());
  const int64_t channels = ndim >= 2 ? s[1] : 1;  // channel dim 1; a 1-D input is one channel
  if (count != 1) {
    LL_CHECK(ndim > 0, "%s: a 0-D input needs num_parameters=1, got num_parameters=%lld", kLayer,
             static_cast<long long>(count));
    LL_CHECK(channels == count,
             "%s: num_parameters must be 1 or the input's channel count (dim 1), got num_parameters=%lld and %lld "
             "channels in input shape %s",
             kLayer, static_cast<long long>(count), static_cast<long long>(channels), shape_to_string(s).c_str());
  }
  const int64_t n = shape_numel(s);
  if (count == 1) return {1, 1, n};
  const int64_t outer = ndim >= 2 ? s[0] : 1;
  const int64_t inner = (outer * channels) == 0 ? 0 : n / (outer * channels);
  return {outer, channels, inner};
}

Tensor PReLU::forward(const Tensor& input) {
  check_tensor(kLayer, "input", input);
  const Layout l = layout(input.shape);
  Tensor output = Tensor::uninitialized(input.shape);
  input_.data.resize(input.data.size());
  prelu_forward(input.ptr(), weight_.ptr(), output.ptr(), input_.ptr(), l.outer, l.channels, l.inner);
  input_.shape = input.shape;
  shared_input_.reset();
  have_forward_ = true;
  return output;
}

Tensor PReLU::forward(std::shared_ptr<const Tensor> input) {
  LL_CHECK(input != nullptr, "%s: input is missing", kLayer);
  check_tensor(kLayer, "input", *input);
  const Layout l = layout(input->shape);
  Tensor output = Tensor::uninitialized(input->shape);
  prelu_forward(input->ptr(), weight_.ptr(), output.ptr(), nullptr, l.outer, l.channels, l.inner);
  input_ = Tensor();
  shared_input_ = std::move(input);
  have_forward_ = true;
  return output;
}

Tensor PReLU::backward(const Tensor& grad_output) {
  const Tensor& x = saved();
  check_grad_output(kLayer, x.shape, grad_output, have_forward_);
  const Layout l = layout(x.shape);
  Tensor grad_input = Tensor::uninitialized(x.shape);
  grad_weight_ = Tensor::uninitialized(weight_.shape);
  prelu_backward(x.ptr(), weight_.ptr(), grad_output.ptr(), grad_input.ptr(), grad_weight_.ptr(), l.outer,
                 l.channels, l.inner);
  return grad_input;
}

}  // namespace ll

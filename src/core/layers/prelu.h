// layers/prelu.h — torch.nn.PReLU: y = x > 0 ? x : a_c * x with a learnable slope per channel.
#pragma once

#include <cstdint>
#include <memory>

#include "../tensor.h"

namespace ll {

class PReLU {
 public:
  struct Options {
    int64_t num_parameters = 1;  // 1, or the number of channels (dim 1 of the input)
    double init = 0.25;          // initial value of every slope
  };

  explicit PReLU(Options options);

  Tensor forward(const Tensor& input);  // keeps a copy of input for backward
  // Keeps `input` itself instead of a copy (the JS module's tensors are shared):
  // forward then moves 8 bytes an element instead of 12. Same results.
  Tensor forward(std::shared_ptr<const Tensor> input);
  Tensor backward(const Tensor& grad_output);  // returns grad_input; sets grad_weight

  const Tensor& weight() const { return weight_; }  // (num_parameters)
  void set_weight(Tensor weight);
  const Tensor& grad_weight() const { return grad_weight_; }
  const Options& options() const { return options_; }

 private:
  struct Layout { int64_t outer, channels, inner; };
  Layout layout(const Shape& input_shape) const;  // checks the channel count

  Options options_;
  Tensor weight_, grad_weight_;
  const Tensor& saved() const { return shared_input_ ? *shared_input_ : input_; }  // the last forward's input
  Tensor input_;                                // a copy, from forward(const Tensor&)
  std::shared_ptr<const Tensor> shared_input_;  // or the input itself
  bool have_forward_ = false;
};

}  // namespace ll

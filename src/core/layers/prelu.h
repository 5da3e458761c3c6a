// layers/prelu.h — torch.nn.PReLU: y = x > 0 ? x : a_c * x with a learnable slope per channel.
#pragma once

#include <cstdint>

#include "../tensor.h"

namespace ll {

class PReLU {
 public:
  struct Options {
    int64_t num_parameters = 1;  // 1, or the number of channels (dim 1 of the input)
    double init = 0.25;          // initial value of every slope
  };

  explicit PReLU(Options options);

  Tensor forward(const Tensor& input);
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
  Tensor input_;
  bool have_forward_ = false;
};

}  // namespace ll

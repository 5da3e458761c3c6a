// layers/rrelu.h — torch.nn.RReLU: a leaky ReLU whose slope is random while training.
#pragma once

#include <cstdint>

#include "../random.h"
#include "../tensor.h"

namespace ll {

class RReLU {
 public:
  struct Options {
    double lower = 1.0 / 8.0;  // lower bound of the sampled slope
    double upper = 1.0 / 3.0;  // upper bound; eval mode uses (lower + upper) / 2
  };

  explicit RReLU(Options options, uint64_t seed = 0);

  void train(bool training) { training_ = training; }
  bool training() const { return training_; }
  float eval_slope() const { return static_cast<float>((options_.lower + options_.upper) / 2.0); }

  // Training: samples noise ~ U(lower, upper) where x <= 0 (1 elsewhere, NaN
  // included) unless `noise` is given; eval: slope (lower + upper) / 2.
  Tensor forward(const Tensor& input, const Tensor* noise = nullptr);
  Tensor backward(const Tensor& grad_output) const;
  const Tensor& noise() const { return noise_; }  // the slopes of the last training forward
  const Options& options() const { return options_; }

 private:
  Options options_;
  Rng rng_;
  bool training_ = false;
  Tensor input_, noise_;
  bool have_forward_ = false;
  bool forward_was_training_ = false;
};

}  // namespace ll

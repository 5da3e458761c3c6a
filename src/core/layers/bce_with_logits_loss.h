// layers/bce_with_logits_loss.h — torch.nn.BCEWithLogitsLoss: a sigmoid and binary
// cross-entropy in one numerically stable step.
//
//   loss_i = (1 - t_i) * x_i + max(-x_i, 0) + log(exp(-max(-x_i, 0)) + exp(-x_i - max(-x_i, 0)))
//   reduction 'mean' (default): the mean of loss_i (a 0-D tensor), 'sum': the sum, 'none': loss itself
//   d loss / d x_i = sigmoid(x_i) - t_i  (divided by the element count for 'mean')
//
// `input` are logits, `target` has the input's shape (probabilities, usually 0 or 1).
// PyTorch's `weight` and `pos_weight` are not supported.
#pragma once

#include <string>

#include "../tensor.h"

namespace ll {

enum class Reduction { LL_REDUCTION_MEAN, LL_REDUCTION_SUM, LL_REDUCTION_NONE };

// 'mean' | 'sum' | 'none' -> Reduction; anything else throws ll::Error naming `layer`.
Reduction parse_reduction(const std::string& text, const char* layer);
const char* reduction_name(Reduction r);

class BCEWithLogitsLoss {
 public:
  static constexpr const char* kName = "BCEWithLogitsLoss";
  struct Options {
    Reduction reduction = Reduction::LL_REDUCTION_MEAN;  // PyTorch's default 'mean'
  };

  BCEWithLogitsLoss() = default;
  explicit BCEWithLogitsLoss(Options options) : options_(options) {}

  // 0-D for 'mean' and 'sum', the input's shape for 'none'.
  Tensor forward(const Tensor& input, const Tensor& target);
  // grad_output shaped like the output (a 0-D 1 for a plain loss.backward()); returns grad_input.
  Tensor backward(const Tensor& grad_output) const;
  const Options& options() const { return options_; }

 private:
  Options options_;
  Tensor input_, target_;  // cached by forward for backward
  Shape output_shape_;
  bool have_forward_ = false;
};

}  // namespace ll

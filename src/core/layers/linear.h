// layers/linear.h — torch.nn.Linear: y = x·Wᵀ + b over the last dimension.
#pragma once

#include <cstdint>
#include <memory>

#include "../kernels/gemm.h"
#include "../tensor.h"

namespace ll {

class Linear {
 public:
  struct Options {
    int64_t in_features = 1;   // size of each input sample
    int64_t out_features = 1;  // size of each output sample
    bool bias = true;          // learn an additive bias
  };

  // Initialises weight and bias from U(-1/sqrt(in_features), 1/sqrt(in_features)), as PyTorch documents.
  explicit Linear(Options options, uint64_t seed = 0);

  Tensor forward(const Tensor& input);            // input (*, in_features) -> (*, out_features)
  // The same, keeping the caller's input for grad_weight instead of a copy
  // (it must not change until the next forward).
  Tensor forward(std::shared_ptr<const Tensor> input);
  Tensor backward(const Tensor& grad_output);     // returns grad_input; sets grad_weight and grad_bias

  const Tensor& weight() const { return weight_; }            // (out_features, in_features)
  const Tensor& bias() const { return bias_; }                // (out_features); empty when bias=False
  void set_weight(Tensor weight);                             // shape must match; throws ll::Error
  void set_bias(Tensor bias);
  const Tensor& grad_weight() const { return grad_weight_; }  // from the last backward
  const Tensor& grad_bias() const { return grad_bias_; }
  const Options& options() const { return options_; }

 private:
  Options options_;
  Tensor weight_, bias_, grad_weight_, grad_bias_;
  LinearWeight packed_weight_;  // weight_ packed for forward; packed_ false until the first forward after a change
  bool packed_ = false;
  std::shared_ptr<const Tensor> input_;  // the last forward input, needed for grad_weight
  Shape output_shape_;
  bool have_forward_ = false;
};

}  // namespace ll

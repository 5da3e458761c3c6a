// layers/max_pool2d.h — torch.nn.MaxPool2d.
#pragma once

#include <optional>

#include "../shape.h"
#include "../tensor.h"

namespace ll {

class MaxPool2d {
 public:
  struct Options {
    IntList kernel_size;            // window size, int or (h, w)
    std::optional<IntList> stride;  // None -> kernel_size
    IntList padding{0};             // implicit -inf padding on both sides, at most kernel_size / 2
    IntList dilation{1};            // spacing between window taps
    bool return_indices = false;    // also return the argmax positions
    bool ceil_mode = false;         // ceil instead of floor in the output size
  };

  explicit MaxPool2d(Options options) : options_(std::move(options)) {}

  Pool2dGeometry geometry(const Shape& input_shape) const;  // check + shape stages; throws ll::Error
  Tensor forward(const Tensor& input);                      // caches the argmax for backward
  Tensor backward(const Tensor& grad_output) const;         // scatters into the argmax, accumulating
  IndexTensor indices() const;                              // flat per (N, C) plane, as PyTorch (int64)
  const BasicTensor<int32_t>& argmax() const { return argmax_; }  // the same, as forward stored them
  const Options& options() const { return options_; }

 private:
  Options options_;
  Pool2dGeometry geometry_;
  Shape input_shape_;
  BasicTensor<int32_t> argmax_;  // the last forward's argmax (see max_pool2d_forward)
  bool have_forward_ = false;
};

}  // namespace ll

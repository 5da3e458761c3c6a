// layers/max_pool2d.h — torch.nn.MaxPool2d.
#pragma once

#include <memory>
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
  // The same result, but the argmax waits until indices() or backward() asks
  // for it, unless the previous forward's was asked for: the layer keeps the
  // input (which must not change while it does) instead of scanning for it.
  Tensor forward(std::shared_ptr<const Tensor> input);
  Tensor backward(const Tensor& grad_output) const;         // scatters into the argmax, accumulating
  IndexTensor indices() const;                              // flat per (N, C) plane, as PyTorch (int64)
  const BasicTensor<int32_t>& argmax() const;               // the same, int32, as the kernel stores them
  const Options& options() const { return options_; }

 private:
  Options options_;
  Pool2dGeometry geometry_;
  Shape input_shape_;
  mutable BasicTensor<int32_t> argmax_;  // the last forward's argmax (see max_pool2d_forward)
  // The last forward's input while its argmax has not been found yet.
  mutable std::shared_ptr<const Tensor> argmax_input_;
  mutable bool argmax_asked_ = false;  // since the last forward
  bool have_forward_ = false;
};

}  // namespace ll

// layers/avg_pool2d.h — torch.nn.AvgPool2d.
#pragma once

#include <optional>

#include "../shape.h"
#include "../tensor.h"

namespace ll {

class AvgPool2d {
 public:
  struct Options {
    IntList kernel_size;                     // window size, int or (h, w)
    std::optional<IntList> stride;           // None -> kernel_size
    IntList padding{0};                      // implicit zero padding, at most kernel_size / 2
    bool ceil_mode = false;                  // ceil instead of floor in the output size
    bool count_include_pad = true;           // padding zeros count in the divisor
    std::optional<int64_t> divisor_override; // fixed divisor (not 0) instead of the window size
  };

  explicit AvgPool2d(Options options) : options_(std::move(options)) {}

  Pool2dGeometry geometry(const Shape& input_shape) const;  // check + shape stages; throws ll::Error
  int64_t divisor(const Pool2dGeometry& g, int64_t oh, int64_t ow) const;  // of output cell (oh, ow)
  Tensor forward(const Tensor& input);
  Tensor backward(const Tensor& grad_output) const;
  const Options& options() const { return options_; }

 private:
  Options options_;
  Pool2dGeometry geometry_;
  Shape input_shape_;
  bool have_forward_ = false;
};

}  // namespace ll

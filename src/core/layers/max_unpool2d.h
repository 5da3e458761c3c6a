// layers/max_unpool2d.h — torch.nn.MaxUnpool2d: puts values back at MaxPool2d's indices.
#pragma once

#include <optional>

#include "../shape.h"
#include "../tensor.h"

namespace ll {

class MaxUnpool2d {
 public:
  struct Options {
    IntList kernel_size;            // the pooling's kernel_size, int or (h, w)
    std::optional<IntList> stride;  // None -> kernel_size
    IntList padding{0};             // the pooling's padding
  };

  explicit MaxUnpool2d(Options options) : options_(std::move(options)) {}

  // Output shape for `input_shape` and an optional output_size of 2 or 4
  // entries; PyTorch's _unpool_output_size rules. Throws ll::Error.
  Shape output_shape(const Shape& input_shape, const std::optional<IntList>& output_size) const;
  Tensor forward(const Tensor& input, const IndexTensor& indices,
                 const std::optional<IntList>& output_size = std::nullopt);
  Tensor backward(const Tensor& grad_output) const;  // a gather at the indices
  const Options& options() const { return options_; }

 private:
  Options options_;
  Shape input_shape_;
  Shape output_shape_;
  IndexTensor indices_;
  bool have_forward_ = false;
};

}  // namespace ll

#include "avg_pool2d.h"

#include "../kernels/pool.h"
#include "common.h"

namespace ll {

Pool2dGeometry AvgPool2d::geometry(const Shape& input_shape) const {
  LL_CHECK(!options_.divisor_override || *options_.divisor_override != 0,
           "AvgPool2d: divisor_override must not be zero, got 0");
  return pool2d_geometry("AvgPool2d", input_shape, options_.kernel_size, options_.stride, options_.padding, {1},
                         options_.ceil_mode);
}

int64_t AvgPool2d::divisor(const Pool2dGeometry& g, int64_t oh, int64_t ow) const {
  return avg_pool2d_divisor(g, oh, ow, options_.count_include_pad, options_.divisor_override);
}

Tensor AvgPool2d::forward(const Tensor& input) {
  check_tensor("AvgPool2d", "input", input);
  const Pool2dGeometry g = geometry(input.shape);
  Tensor output = Tensor::uninitialized(g.output_shape);
  avg_pool2d_forward(g, options_.count_include_pad, options_.divisor_override, input.ptr(), output.ptr());
  geometry_ = g;
  input_shape_ = input.shape;
  have_forward_ = true;
  return output;
}

Tensor AvgPool2d::backward(const Tensor& grad_output) const {
  check_grad_output("AvgPool2d", geometry_.output_shape, grad_output, have_forward_);
  Tensor grad_input = Tensor::uninitialized(input_shape_);  // zeroed by the kernel
  avg_pool2d_backward(geometry_, options_.count_include_pad, options_.divisor_override, grad_output.ptr(),
                      grad_input.ptr());
  return grad_input;
}

}  // namespace ll

#include "max_pool2d.h"

#include "../kernels/pool.h"
#include "common.h"

namespace ll {

Pool2dGeometry MaxPool2d::geometry(const Shape& input_shape) const {
  return pool2d_geometry("MaxPool2d", input_shape, options_.kernel_size, options_.stride, options_.padding,
                         options_.dilation, options_.ceil_mode);
}

Tensor MaxPool2d::forward(const Tensor& input) {
  check_tensor("MaxPool2d", "input", input);
  const Pool2dGeometry g = geometry(input.shape);
  Tensor output = Tensor::uninitialized(g.output_shape);
  argmax_ = BasicTensor<int32_t>::uninitialized(g.output_shape);
  max_pool2d_forward(g, input.ptr(), output.ptr(), argmax_.ptr());
  geometry_ = g;
  input_shape_ = input.shape;
  have_forward_ = true;
  return output;
}

Tensor MaxPool2d::backward(const Tensor& grad_output) const {
  check_grad_output("MaxPool2d", geometry_.output_shape, grad_output, have_forward_);
  Tensor grad_input = Tensor::uninitialized(input_shape_);  // zeroed by the kernel
  max_pool2d_backward(geometry_, grad_output.ptr(), argmax_.ptr(), grad_input.ptr());
  return grad_input;
}

IndexTensor MaxPool2d::indices() const {
  return IndexTensor(argmax_.shape, Storage<int64_t>(argmax_.data.begin(), argmax_.data.end()));
}

}  // namespace ll

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
  argmax_input_.reset();
  argmax_asked_ = false;
  have_forward_ = true;
  return output;
}

// Inference calls forward alone, training asks for every argmax: a layer
// whose last argmax was used computes the next one with the values (one scan,
// as the const& forward), other forwards leave it for later.
Tensor MaxPool2d::forward(std::shared_ptr<const Tensor> input) {
  LL_CHECK(input != nullptr, "MaxPool2d: input is missing");
  if (argmax_asked_) return forward(*input);
  check_tensor("MaxPool2d", "input", *input);
  const Pool2dGeometry g = geometry(input->shape);
  Tensor output = Tensor::uninitialized(g.output_shape);
  max_pool2d_forward_values(g, input->ptr(), output.ptr());
  argmax_ = BasicTensor<int32_t>();
  geometry_ = g;
  input_shape_ = input->shape;
  argmax_input_ = std::move(input);
  have_forward_ = true;
  return output;
}

const BasicTensor<int32_t>& MaxPool2d::argmax() const {
  argmax_asked_ = true;
  if (argmax_input_) {
    argmax_ = BasicTensor<int32_t>::uninitialized(geometry_.output_shape);
    Tensor values = Tensor::uninitialized(geometry_.output_shape);
    max_pool2d_forward(geometry_, argmax_input_->ptr(), values.ptr(), argmax_.ptr());
    argmax_input_.reset();
  }
  return argmax_;
}

Tensor MaxPool2d::backward(const Tensor& grad_output) const {
  check_grad_output("MaxPool2d", geometry_.output_shape, grad_output, have_forward_);
  Tensor grad_input = Tensor::uninitialized(input_shape_);  // zeroed by the kernel
  max_pool2d_backward(geometry_, grad_output.ptr(), argmax().ptr(), grad_input.ptr());
  return grad_input;
}

IndexTensor MaxPool2d::indices() const {
  const BasicTensor<int32_t>& a = argmax();
  return IndexTensor(a.shape, Storage<int64_t>(a.data.begin(), a.data.end()));
}

}  // namespace ll

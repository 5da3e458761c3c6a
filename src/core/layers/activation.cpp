#include "activation.h"

#include "../elementwise_desc.h"

namespace ll {

Tensor Activation::forward(const Tensor& input) { return forward(std::make_shared<const Tensor>(input)); }

Tensor Activation::forward(std::shared_ptr<const Tensor> input) {
  check_tensor(name(), "input", *input);
  Shape out = output_shape(input->shape);
  Tensor y = Tensor::uninitialized(out);
  run_forward(*input, y);
  input_ = std::move(input);
  output_shape_ = std::move(out);
  return y;
}

Tensor Activation::backward(const Tensor& grad_output) const {
  check_grad_output(name(), output_shape_, grad_output, input_ != nullptr);
  Tensor grad_input = Tensor::uninitialized(input_->shape);
  run_backward(*input_, grad_output, grad_input);
  return grad_input;
}

namespace {

class ElementwiseActivation final : public Activation {
 public:
  ElementwiseActivation(const LayerDesc& desc, const ElementwiseDesc& row, ElementwiseArgs args)
      : Activation(desc), row_(row), args_(args) {}

 private:
  Shape output_shape(const Shape& input) const override { return input; }
  void run_forward(const Tensor& x, Tensor& y) const override { row_.forward(x.ptr(), y.ptr(), x.numel(), args_); }
  void run_backward(const Tensor& x, const Tensor& g, Tensor& dx) const override {
    row_.backward(x.ptr(), g.ptr(), dx.ptr(), x.numel(), args_);
  }

  const ElementwiseDesc& row_;
  const ElementwiseArgs args_;
};

// Each INT or FLOAT keyword at least its descriptor's `min` (NaN fails, as in PyTorch).
void check_minimums(const Keywords& k) {
  for (const ParamDesc& p : k.desc().params) {
    if (p.min == -kNoBound || k.none(p.name)) continue;
    const double v = k.number(p.name);
    LL_CHECK(v >= p.min, "%s: %s must be greater than or equal to %g, got %s=%g", k.desc().name, p.name, p.min, p.name,
             v);
  }
}

}  // namespace

std::unique_ptr<Activation> make_activation(const Keywords& k) {
  const LayerDesc& desc = k.desc();
  const ElementwiseDesc* e = find_elementwise(desc.name);
  if (!e) return nullptr;
  check_minimums(k);
  return std::make_unique<ElementwiseActivation>(desc, *e, e->args ? e->args(k) : ElementwiseArgs{});
}

bool is_generic_activation(std::string_view name) { return find_elementwise(name) != nullptr; }

}  // namespace ll

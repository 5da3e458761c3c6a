// layers/activation.h — the activations the core makes from their descriptors by
// name: each element-wise one of elementwise_desc.cpp through one generic layer,
// and those along a dimension (Softmax, Softmin, LogSoftmax, Softmax2d, GLU).
// Inputs of any rank PyTorch takes, 0-D included. (The seed's Sigmoid, Tanh,
// ReLU, LeakyReLU, PReLU and RReLU keep classes of their own.)
//
//   Activation              forward, backward, warning; deleted through the base
//   make_activation         a layer from its keyword values (Keywords knows the descriptor)
//   is_generic_activation   whether make_activation makes the named layer
//   softmax_legacy_dim      PyTorch 1.13's dim for dim=None (F._get_softmax_dim)
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "../layer_desc.h"
#include "common.h"

namespace ll {

class Activation {
 public:
  virtual ~Activation() = default;
  const char* name() const { return desc_.name; }
  // The input is kept for backward: copied by the first form, shared (no copy) by the second.
  Tensor forward(const Tensor& input);
  Tensor forward(std::shared_ptr<const Tensor> input);
  Tensor backward(const Tensor& grad_output) const;  // w.r.t. the last forward's input
  // The UserWarning PyTorch 1.13 prints on each forward, or "": Softmax, Softmin
  // and LogSoftmax with dim=None. The spec's result has no field for it (its keys
  // are fixed by CONTRACT 2); the app can show it.
  virtual std::string warning() const { return ""; }

 protected:
  explicit Activation(const LayerDesc& desc) : desc_(desc) {}
  virtual Shape output_shape(const Shape& input) const = 0;  // throws where PyTorch rejects the input
  virtual void run_forward(const Tensor& x, Tensor& y) const = 0;
  virtual void run_backward(const Tensor& x, const Tensor& grad_output, Tensor& grad_input) const = 0;

  const LayerDesc& desc_;

 private:
  std::shared_ptr<const Tensor> input_;  // the last forward's
  Shape output_shape_;
};

// Checks each keyword's `min` (a STRING's choices are checked as it is read),
// then what the layer's own rules add (CELU's alpha, Hardtanh's order). nullptr
// for a layer that is not a generic activation.
std::unique_ptr<Activation> make_activation(const Keywords& keywords);
bool is_generic_activation(std::string_view name);

// dim=None: 0 for 0-D, 1-D and 3-D inputs, else 1.
int64_t softmax_legacy_dim(int64_t input_dims);

}  // namespace ll

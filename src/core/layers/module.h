// layers/module.h — the pooling and linear modules the core makes from their
// descriptors (layer_desc.cpp's kModules) by name, as layers/activation.h makes
// the activations: MaxPool1d/3d, AvgPool1d/3d, MaxUnpool1d/3d, LPPool1d/2d,
// AdaptiveMaxPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d, FractionalMaxPool2d/3d,
// Identity and Bilinear. One class, one JS binding, one spec runner for all.
// (MaxPool2d, AvgPool2d and MaxUnpool2d keep their own fast classes.)
//
//   Module           forward(Inputs), backward, indices, random_samples, Bilinear's parameters and gradients
//   make_module      a module from its keyword values (checks each keyword's `min`, then its own rules)
//   is_module        whether make_module makes the named layer
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "../layer_desc.h"
#include "common.h"

namespace ll {

class Module {
 public:
  // What a forward takes besides the input; each module reads the fields it needs.
  struct Inputs {
    std::shared_ptr<const Tensor> input;
    std::shared_ptr<const Tensor> input2;           // Bilinear's second input
    std::shared_ptr<const IndexTensor> indices;     // MaxUnpool: the max pooling's indices
    std::optional<IntList> output_size;             // MaxUnpool: dims or dims + 2 entries
    std::shared_ptr<const Tensor> random_samples;   // FractionalMaxPool: PyTorch's _random_samples, [N, C, dims]
    bool requires_grad = true;  // false: no backward will follow (1.13's max_pool1d then accepts empty outputs)
  };

  virtual ~Module() = default;
  const char* name() const { return desc_.name; }
  const LayerDesc& desc() const { return desc_; }
  Tensor forward(const Inputs& inputs);
  Tensor forward(std::shared_ptr<const Tensor> input);  // a module of one input
  Tensor backward(const Tensor& grad_output);           // grad_input; Bilinear also fills grad()s
  // The argmax of the last forward (return_indices=True; else empty), flat per (N, C) plane or volume.
  const IndexTensor& indices() const { return indices_; }
  virtual bool returns_indices() const { return false; }
  // FractionalMaxPool: the samples of the last forward, given or drawn from the seed.
  const Tensor& random_samples() const { return samples_; }
  // Bilinear's "weight" and "bias" (nullptr: no such parameter); set_parameter checks the shape.
  virtual const Tensor* parameter(std::string_view) const { return nullptr; }
  virtual void set_parameter(std::string_view name, Tensor value);
  // After backward: Bilinear's "input2", "weight" and "bias" gradients (nullptr for others).
  const Tensor* grad(std::string_view name) const;

 protected:
  explicit Module(const LayerDesc& desc) : desc_(desc) {}
  virtual Shape output_shape(const Inputs& inputs) = 0;  // check and shape stages; throws where PyTorch rejects
  virtual void run_forward(const Inputs& inputs, Tensor& output) = 0;
  virtual void run_backward(const Tensor& grad_output, Tensor& grad_input) = 0;

  const LayerDesc& desc_;
  Inputs inputs_;  // the last forward's
  IndexTensor indices_;
  Tensor samples_;
  Tensor grad_input2_, grad_weight_, grad_bias_;
  bool have_grads_ = false;

 private:
  Shape output_shape_;
  bool have_forward_ = false;
};

std::unique_ptr<Module> make_module(const Keywords& keywords, uint64_t seed = 0);
bool is_module(std::string_view name);

}  // namespace ll

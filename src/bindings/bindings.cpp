// bindings.cpp — the core as a JavaScript module (Embind). CONTRACT section 3.
//
//   Tensor                       shape, toArray(), delete()
//   tensor(shape, data)          copies data in
//   MaxPool2d AvgPool2d MaxUnpool2d Linear Sigmoid Tanh ReLU LeakyReLU PReLU RReLU
//                                new X(options), forward, backward, ... , delete()
//   BCEWithLogitsLoss            new X({reduction}), forward(input, target), backward(grad_output)
//   _Activation(name, options)   every activation made from its descriptor (layers/activation.h);
//                                module_suffix.js names one class per layer: new ll.GELU(o)
//   _Module(name, options, seed) every pooling and linear module made from its descriptor
//                                (layers/module.h), named likewise: new ll.MaxPool1d(o), new ll.Bilinear(o, seed);
//                                bound in module_bindings.cpp
//   _evalText(text)              the CLI's eval on JSON text; ll.eval wraps it
//   _layersJson()                the core's layer descriptors; ll.layers parses it
//   heapUsed()                   bytes allocated right now (leak tests)
//
// Every method catches the core's ll::Error and throws a JS Error with its message.
// Objects returned to JS (tensors) are owned by the caller, who must delete() them.
// Tensors are held through shared_ptr, so that a layer may keep its input past
// the caller's delete() (MaxPool2d does, to find its argmax only when asked).
#include <emscripten/bind.h>
#include <malloc.h>

#include "core/layers/activation.h"
#include "core/layers/activations.h"
#include "core/layer_desc.h"
#include "core/spec.h"
#include "core/version.h"
#include "js_convert.h"

using emscripten::allow_raw_pointers;
using emscripten::class_;
using emscripten::optional_override;
using emscripten::val;
using namespace ll_js;

namespace {

using TensorPtr = std::shared_ptr<ll::Tensor>;

TensorPtr shared(ll::Tensor t) { return std::make_shared<ll::Tensor>(std::move(t)); }

TensorPtr make_tensor(val shape, val data) {
  return guarded([&] {
    ll::Tensor t;
    t.shape = to_shape(shape, "shape");
    const int64_t n = ll::check_tensor_shape(t.shape, "tensor", "shape");
    t.data = copy_floats(data, n, "tensor");
    return shared(std::move(t));
  });
}

val eval_text(const std::string& text) {
  const ll::EvalOutput out = ll::eval_json_text(text);
  val r = val::object();
  r.set("text", out.text);
  r.set("code", out.exit_code);
  return r;
}

std::optional<ll::IntList> to_output_size(const val& v) {
  if (v.isUndefined() || v.isNull()) return std::nullopt;
  const nlohmann::json j = to_json(v);
  LL_CHECK(j.is_array(), "MaxUnpool2d: output_size must be an array of 2 or 4 ints");
  ll::IntList out;
  for (const auto& e : j) {
    LL_CHECK(e.is_number_integer(), "MaxUnpool2d: output_size entries must be ints, got %s", e.dump().c_str());
    out.push_back(e.get<int64_t>());
  }
  return out;
}

ll::IndexTensor to_indices(const ll::Tensor& x, const val& indices) {
  const std::vector<int32_t> v = copy_ints(indices, x.numel(), "MaxUnpool2d: indices");
  return ll::IndexTensor(x.shape, ll::Storage<int64_t>(v.begin(), v.end()));
}

// forward/backward for a layer whose forward takes one tensor.
template <typename Layer>
class_<Layer> bind_layer(const char* name) {
  return class_<Layer>(name)
      .function("forward", optional_override([](Layer& self, const ll::Tensor& x) {
                  return guarded([&] { return shared(self.forward(x)); });
                }))
      .function("backward", optional_override([](Layer& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }));
}

// The same, for a layer that keeps the JS tensor it was given for backward
// (no copy of the input; JS tensors are immutable).
template <typename Layer>
class_<Layer> bind_layer_keeping_input(const char* name) {
  return class_<Layer>(name)
      .function("forward", optional_override([](Layer& self, TensorPtr x) {
                  return guarded([&] { return shared(self.forward(std::shared_ptr<const ll::Tensor>(std::move(x)))); });
                }))
      .function("backward", optional_override([](Layer& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }));
}

template <typename Layer>
void bind_parameterless(const char* name) {
  bind_layer<Layer>(name).constructor(optional_override([](val options) {
    return guarded([&] {
      ll::check_no_options(to_json(options), Layer::kName);
      return new Layer();
    });
  }), allow_raw_pointers())
  .constructor(optional_override([]() { return new Layer(); }), allow_raw_pointers());
}

}  // namespace

EMSCRIPTEN_BINDINGS(layerlab) {
  emscripten::function("_version", optional_override([]() { return std::string(LL_VERSION); }));
  emscripten::function("_evalText", &eval_text);
  emscripten::function("_layersJson", optional_override([]() { return ll::layer_descs_json().dump(); }));
  emscripten::function("tensor", &make_tensor);
  // Bytes currently allocated by malloc: what a leak test watches.
  emscripten::function("heapUsed", optional_override([]() { return static_cast<double>(mallinfo().uordblks); }));

  class_<ll::Tensor>("Tensor")
      .smart_ptr<TensorPtr>("TensorPtr")
      .property("shape", optional_override([](const ll::Tensor& t) { return shape_to_js(t.shape); }))
      .function("toArray", optional_override([](const ll::Tensor& t) { return floats_to_js(t.data); }));

  bind_layer_keeping_input<ll::MaxPool2d>("MaxPool2d")
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::MaxPool2d(ll::max_pool2d_options(to_json(o))); });
      }), allow_raw_pointers())
      .function("indices", optional_override([](const ll::MaxPool2d& self) { return ints_to_js(self.argmax().data); }));

  bind_layer<ll::AvgPool2d>("AvgPool2d")
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::AvgPool2d(ll::avg_pool2d_options(to_json(o))); });
      }), allow_raw_pointers());

  class_<ll::MaxUnpool2d>("MaxUnpool2d")
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::MaxUnpool2d(ll::max_unpool2d_options(to_json(o))); });
      }), allow_raw_pointers())
      .function("forward", optional_override([](ll::MaxUnpool2d& self, const ll::Tensor& x, val indices) {
                  return guarded([&] { return shared(self.forward(x, to_indices(x, indices))); });
                }))
      .function("forward", optional_override([](ll::MaxUnpool2d& self, const ll::Tensor& x, val indices, val size) {
                  return guarded([&] { return shared(self.forward(x, to_indices(x, indices), to_output_size(size))); });
                }))
      .function("backward", optional_override([](ll::MaxUnpool2d& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }));

  // Linear keeps the JS tensor it was given for grad_weight (no copy of the input).
  bind_layer_keeping_input<ll::Linear>("Linear")
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::Linear(ll::linear_options(to_json(o))); });
      }), allow_raw_pointers())
      .constructor(optional_override([](val o, double seed) {
        return guarded([&] { return new ll::Linear(ll::linear_options(to_json(o)), static_cast<uint64_t>(seed)); });
      }), allow_raw_pointers())
      .function("weight", optional_override([](const ll::Linear& self) { return shared(self.weight()); }))
      .function("bias", optional_override([](const ll::Linear& self) { return shared(self.bias()); }))
      .function("setWeight", optional_override([](ll::Linear& self, const ll::Tensor& w) {
                  guarded([&] { self.set_weight(w); });
                }))
      .function("setBias", optional_override([](ll::Linear& self, const ll::Tensor& b) {
                  guarded([&] { self.set_bias(b); });
                }))
      .function("gradWeight", optional_override([](const ll::Linear& self) { return shared(self.grad_weight()); }))
      .function("gradBias", optional_override([](const ll::Linear& self) { return shared(self.grad_bias()); }));

  // PReLU keeps the JS tensor it was given for backward (no copy of the input).
  bind_layer_keeping_input<ll::PReLU>("PReLU")
      .constructor(optional_override([]() { return new ll::PReLU(ll::PReLU::Options{}); }), allow_raw_pointers())
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::PReLU(ll::prelu_options(to_json(o))); });
      }), allow_raw_pointers())
      .function("weight", optional_override([](const ll::PReLU& self) { return shared(self.weight()); }))
      .function("setWeight", optional_override([](ll::PReLU& self, const ll::Tensor& w) {
                  guarded([&] { self.set_weight(w); });
                }))
      .function("gradWeight", optional_override([](const ll::PReLU& self) { return shared(self.grad_weight()); }));

  class_<ll::RReLU>("RReLU")
      .constructor(optional_override([]() { return new ll::RReLU(ll::RReLU::Options{}); }), allow_raw_pointers())
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::RReLU(ll::rrelu_options(to_json(o))); });
      }), allow_raw_pointers())
      .constructor(optional_override([](val o, double seed) {
        return guarded([&] { return new ll::RReLU(ll::rrelu_options(to_json(o)), static_cast<uint64_t>(seed)); });
      }), allow_raw_pointers())
      .function("train", optional_override([](ll::RReLU& self, bool training) { self.train(training); }))
      .function("eval", optional_override([](ll::RReLU& self) { self.train(false); }))
      .function("forward", optional_override([](ll::RReLU& self, const ll::Tensor& x) {
                  return guarded([&] { return shared(self.forward(x)); });
                }))
      .function("forward", optional_override([](ll::RReLU& self, const ll::Tensor& x, const ll::Tensor& noise) {
                  return guarded([&] { return shared(self.forward(x, &noise)); });
                }))
      .function("backward", optional_override([](ll::RReLU& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }))
      .function("noise", optional_override([](const ll::RReLU& self) { return shared(self.noise()); }));

  bind_layer<ll::LeakyReLU>("LeakyReLU")
      .constructor(optional_override([]() { return new ll::LeakyReLU(); }), allow_raw_pointers())
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::LeakyReLU(ll::leaky_relu_options(to_json(o))); });
      }), allow_raw_pointers());

  class_<ll::BCEWithLogitsLoss>("BCEWithLogitsLoss")
      .constructor(optional_override([]() { return new ll::BCEWithLogitsLoss(); }), allow_raw_pointers())
      .constructor(optional_override([](val o) {
        return guarded([&] { return new ll::BCEWithLogitsLoss(ll::bce_with_logits_loss_options(to_json(o))); });
      }), allow_raw_pointers())
      .function("forward", optional_override([](ll::BCEWithLogitsLoss& self, const ll::Tensor& x, const ll::Tensor& t) {
                  return guarded([&] { return shared(self.forward(x, t)); });
                }))
      .function("backward", optional_override([](ll::BCEWithLogitsLoss& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }));

  // One class for every generic activation: it keeps the JS tensor it was given for backward.
  class_<ll::Activation>("_Activation")
      .constructor(optional_override([](std::string name, val o) {
        return guarded([&] { return ll::make_activation(name, to_json(o)).release(); });
      }), allow_raw_pointers())
      .function("forward", optional_override([](ll::Activation& self, TensorPtr x) {
                  return guarded([&] { return shared(self.forward(std::shared_ptr<const ll::Tensor>(std::move(x)))); });
                }))
      .function("backward", optional_override([](ll::Activation& self, const ll::Tensor& g) {
                  return guarded([&] { return shared(self.backward(g)); });
                }));

  bind_parameterless<ll::Sigmoid>("Sigmoid");
  bind_parameterless<ll::Tanh>("Tanh");
  bind_parameterless<ll::ReLU>("ReLU");
}

// module_bindings.cpp — ll._Module: every pooling and linear module of layers/module.h
// (MaxPool1d ... Bilinear) as one Embind class, compiled for size. module_suffix.js
// names a JS class per module and adds the methods of the .d.ts's Module on top of
// these few: forward(x, second?, outputSize?) is _forward, weight() ... gradInput2()
// are _tensor(name), setWeight/setBias are _set(name, t).
#include <emscripten/bind.h>

#include "core/layers/module.h"
#include "core/spec.h"
#include "js_convert.h"

using emscripten::allow_raw_pointers;
using emscripten::class_;
using emscripten::optional_override;
using emscripten::val;
using namespace ll_js;

namespace {

using TensorPtr = std::shared_ptr<ll::Tensor>;

bool takes_tensor(const ll::Module& m, std::string_view field) {
  for (const char* t : m.desc().tensors)
    if (field == t) return true;
  return false;
}

// forward's arguments: the input, then MaxUnpool's indices (an Int32Array or array)
// and output size, Bilinear's input2 or FractionalMaxPool's random_samples (a Tensor).
ll::Module::Inputs module_inputs(const ll::Module& m, TensorPtr x, const val& second, const val& size) {
  ll::Module::Inputs in;
  in.input = std::move(x);
  if (!size.isUndefined() && !size.isNull()) {
    ll::IntList out;
    for (const auto& e : to_json(size)) {
      LL_CHECK(e.is_number_integer(), "%s: output_size entries must be ints, got %s", m.name(), e.dump().c_str());
      out.push_back(e.get<int64_t>());
    }
    in.output_size = std::move(out);
  }
  if (second.isUndefined() || second.isNull()) return in;
  if (takes_tensor(m, "indices")) {
    const std::vector<int32_t> v = copy_ints(second, in.input->numel(), m.name());
    in.indices = std::make_shared<const ll::IndexTensor>(in.input->shape, ll::Storage<int64_t>(v.begin(), v.end()));
  } else {
    (takes_tensor(m, "input2") ? in.input2 : in.random_samples) = second.as<TensorPtr>();
  }
  return in;
}

// A copy of a parameter ("weight", "bias") or a gradient ("grad_weight", "grad_bias",
// "grad_input2"); an empty tensor where the module has none.
TensorPtr module_tensor(const ll::Module& m, const std::string& name) {
  const bool grad = name.rfind("grad_", 0) == 0;
  const ll::Tensor* t = grad ? m.grad(std::string_view(name).substr(5)) : m.parameter(name);
  return std::make_shared<ll::Tensor>(t ? *t : ll::Tensor());
}

}  // namespace

EMSCRIPTEN_BINDINGS(layerlab_modules) {
  class_<ll::Module>("_Module")
      .constructor(optional_override([](std::string name, val o, double seed) {
        return guarded([&] { return ll::make_module(name, to_json(o), static_cast<uint64_t>(seed)).release(); });
      }), allow_raw_pointers())
      .function("_forward", optional_override([](ll::Module& self, TensorPtr x, val second, val size) {
                  return guarded([&] {
                    return std::make_shared<ll::Tensor>(self.forward(module_inputs(self, std::move(x), second, size)));
                  });
                }))
      .function("backward", optional_override([](ll::Module& self, const ll::Tensor& g) {
                  return guarded([&] { return std::make_shared<ll::Tensor>(self.backward(g)); });
                }))
      .function("indices", optional_override([](const ll::Module& self) {
                  const ll::IndexTensor& i = self.indices();
                  return ints_to_js(ll::Storage<int32_t>(i.data.begin(), i.data.end()));
                }))
      .function("randomSamples", optional_override([](const ll::Module& self) {
                  return std::make_shared<ll::Tensor>(self.random_samples());
                }))
      .function("_tensor", optional_override([](const ll::Module& self, std::string name) {
                  return module_tensor(self, name);
                }))
      .function("_set", optional_override([](ll::Module& self, std::string name, const ll::Tensor& t) {
                  guarded([&] { self.set_parameter(name, t); });
                }));
}

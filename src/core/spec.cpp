#include "spec.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <new>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "check.h"
#include "layer_desc.h"
#include "number_text.h"
#include "layers/activation.h"
#include "layers/activations.h"
#include "layers/avg_pool2d.h"
#include "layers/bce_with_logits_loss.h"
#include "layers/linear.h"
#include "layers/max_pool2d.h"
#include "layers/max_unpool2d.h"
#include "layers/module.h"
#include "layers/prelu.h"
#include "layers/rrelu.h"
#include "shape.h"
#include "spec_run.h"

namespace ll {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------

std::string json_type_name(const json& j) {
  if (j.is_number_float()) return "a float (" + j.dump() + ")";
  if (j.is_number()) return "an int (" + j.dump() + ")";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a bool";
  if (j.is_null()) return "null";
  if (j.is_array()) return "a list";
  return "an object";
}

bool is_int(const json& j) {
  if (j.is_number_integer()) return true;  // includes unsigned
  return false;
}

int64_t read_int(const json& j, const char* layer, const char* name) {
  LL_CHECK(is_int(j), "%s: %s must be an int, got %s", layer, name, json_type_name(j).c_str());
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    LL_CHECK(u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), "%s: %s is out of range, got %s", layer,
             name, j.dump().c_str());
    return static_cast<int64_t>(u);
  }
  return j.get<int64_t>();
}

// A float value: a JSON number or one of the strings "NaN", "Infinity", "-Infinity".
double read_float(const json& j, const char* layer, const char* name) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  fail(format("%s: %s must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got %s", layer, name,
              json_type_name(j).c_str()));
}

bool read_bool(const json& j, const char* layer, const char* name) {
  LL_CHECK(j.is_boolean(), "%s: %s must be true or false, got %s", layer, name, json_type_name(j).c_str());
  return j.get<bool>();
}

// An int-or-pair: 3 -> {3}; [3, 2] -> {3, 2}. Length rules are the layer's.
IntList read_int_list(const json& j, const char* layer, const char* name) {
  if (is_int(j)) return {read_int(j, layer, name)};
  LL_CHECK(j.is_array(), "%s: %s must be an int or a list of ints, got %s", layer, name, json_type_name(j).c_str());
  LL_CHECK(j.size() <= 8, "%s: %s has too many entries (%zu)", layer, name, j.size());
  IntList v;
  for (const json& e : j) v.push_back(read_int(e, layer, name));
  return v;
}

Shape read_shape(const json& t, const char* layer, const char* name) {
  LL_CHECK(t.is_object(), "%s: %s must be an object {\"shape\": [...], \"data\": [...]}, got %s", layer, name,
           json_type_name(t).c_str());
  LL_CHECK(t.contains("shape"), "%s: %s is missing \"shape\"", layer, name);
  LL_CHECK(t.contains("data"), "%s: %s is missing \"data\"", layer, name);
  const json& s = t["shape"];
  LL_CHECK(s.is_array(), "%s: %s.shape must be a list of ints, got %s", layer, name, json_type_name(s).c_str());
  LL_CHECK(static_cast<int64_t>(s.size()) <= kMaxDims, "%s: %s may have at most %d dimensions, got %zu", layer, name,
           static_cast<int>(kMaxDims), s.size());
  Shape shape;
  for (const json& e : s) shape.push_back(read_int(e, layer, (std::string(name) + ".shape").c_str()));
  const int64_t n = check_tensor_shape(shape, layer, name);
  const json& d = t["data"];
  LL_CHECK(d.is_array(), "%s: %s.data must be a flat list, got %s", layer, name, json_type_name(d).c_str());
  LL_CHECK(static_cast<int64_t>(d.size()) == n, "%s: %s has shape %s (%lld values) but data has %zu values", layer,
           name, shape_to_string(shape).c_str(), static_cast<long long>(n), d.size());
  return shape;
}

Tensor read_tensor(const json& t, const char* layer, const char* name) {
  Shape shape = read_shape(t, layer, name);
  Tensor out(std::move(shape));
  const json& d = t["data"];
  const std::string field = std::string(name) + ".data";
  for (size_t i = 0; i < d.size(); ++i) out.data[i] = static_cast<float>(read_float(d[i], layer, field.c_str()));
  return out;
}

IndexTensor read_index_tensor(const json& t, const char* layer, const char* name) {
  Shape shape = read_shape(t, layer, name);
  IndexTensor out(std::move(shape));
  const json& d = t["data"];
  const std::string field = std::string(name) + ".data";
  for (size_t i = 0; i < d.size(); ++i) out.data[i] = read_int(d[i], layer, field.c_str());
  return out;
}

// ---------------------------------------------------------------------------
// Writing values
// ---------------------------------------------------------------------------

// The shortest decimal that reads back as the same float32, as a double.
json float_to_json(float v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == std::nearbyint(v) && std::fabs(v) < 1e15f) return static_cast<double>(v);
  return std::strtod(shortest_text(v).c_str(), nullptr);
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

// The keywords of one layer, read against its descriptor: a keyword the layer
// does not take is rejected up front (a TypeError in PyTorch), an absent one
// takes the descriptor's default, a required one must be there.
class Params {
 public:
  Params(const json& params, const LayerDesc& desc) : desc_(desc) {
    if (params.is_null()) return;
    LL_CHECK(params.is_object(), "%s: params must be an object, got %s", desc.name, json_type_name(params).c_str());
    params_ = &params;
    if (takes_any_keyword(desc)) return;
    for (const auto& item : params.items()) {
      LL_CHECK(find_param(desc, item.key()), "%s: unexpected keyword argument '%s'", desc.name, item.key().c_str());
    }
  }

  // The value given, or nullptr when absent (or null, unless `keep_null`).
  const json* given(const char* name, bool keep_null = false) const {
    LL_CHECK(find_param(desc_, name), "internal error: %s has no keyword %s in its descriptor", desc_.name, name);
    if (!params_ || !params_->contains(name)) return nullptr;
    const json* v = &(*params_)[name];
    return keep_null || !v->is_null() ? v : nullptr;
  }
  IntList int_list(const char* name) const {
    if (const json* v = given(name, true)) return read_int_list(*v, desc_.name, name);
    return {read_int(fallback(name), desc_.name, name)};
  }
  std::optional<IntList> optional_int_list(const char* name) const {
    if (const json* v = given(name)) return read_int_list(*v, desc_.name, name);
    return std::nullopt;
  }
  std::optional<int64_t> optional_integer(const char* name) const {
    if (const json* v = given(name)) return read_int(*v, desc_.name, name);
    return std::nullopt;
  }
  int64_t integer(const char* name) const {
    const json* v = given(name, true);
    return read_int(v ? *v : fallback(name), desc_.name, name);
  }
  bool flag(const char* name) const {
    const json* v = given(name, true);
    return read_bool(v ? *v : fallback(name), desc_.name, name);
  }
  double number(const char* name) const {
    const json* v = given(name, true);
    return read_float(v ? *v : fallback(name), desc_.name, name);
  }
  // A string keyword: one of its descriptor's choices, as the choices' own (static) text.
  std::string_view choice(const char* name) const {
    const ParamDesc& p = *find_param(desc_, name);
    const json* given_value = given(name, true);
    const json v = given_value ? *given_value : fallback(name);
    LL_CHECK(v.is_string(), "%s: %s must be a string (%s), got %s", desc_.name, name, p.rule, json_type_name(v).c_str());
    const std::string& text = v.get_ref<const std::string&>();
    for (std::string_view rest = p.choices; !rest.empty();) {
      const std::string_view c = rest.substr(0, rest.find(' '));
      if (c == text) return c;
      rest.remove_prefix(std::min(c.size() + 1, rest.size()));
    }
    fail(format("%s: %s must be %s, got '%s'", desc_.name, name, p.rule, text.c_str()));
  }
  // Every keyword of the descriptor, the given value or the default.
  Keywords all() const {
    Keywords values(desc_);
    for (const ParamDesc& p : desc_.params) {
      Keywords::Value v;
      const json* given_value = given(p.name, true);
      v.none = p.nullable() && (!given_value || given_value->is_null());
      if (!v.none) {
        switch (p.kind) {
          case ParamKind::INT:
            v.integer = integer(p.name);
            v.number = static_cast<double>(v.integer);
            break;
          case ParamKind::INT_OR_PAIR:
            fail(format("internal error: Keywords holds no int-or-pair (%s of %s)", p.name, desc_.name));
          case ParamKind::FLOAT:
            v.number = number(p.name);
            break;
          case ParamKind::BOOL:
            v.number = flag(p.name) ? 1 : 0;
            break;
          case ParamKind::STRING:
            v.text = choice(p.name);
            break;
          case ParamKind::INT_TUPLE:
          case ParamKind::INT_OR_NONE_TUPLE:
          case ParamKind::FLOAT_TUPLE:
            read_tuple(p, given_value ? *given_value : fallback(p.name), v);
            break;
          case ParamKind::VAR_KEYWORDS:
            break;
        }
      }
      values.push_back(v);
    }
    return values;
  }
  const char* layer() const { return desc_.name; }

 private:
  static bool takes_any_keyword(const LayerDesc& desc) {
    for (const ParamDesc& p : desc.params)
      if (p.kind == ParamKind::VAR_KEYWORDS) return true;
    return false;
  }
  // A tuple keyword: a lone number (one entry, `scalar`) or a list of up to
  // Keywords::kMaxItems; None entries only where the kind allows them.
  void read_tuple(const ParamDesc& p, const json& j, Keywords::Value& v) const {
    const bool floats = p.kind == ParamKind::FLOAT_TUPLE, nones = p.kind == ParamKind::INT_OR_NONE_TUPLE;
    const char* what = floats ? "a number or a list of numbers" : nones ? "an int or a list of ints and nulls"
                                                                         : "an int or a list of ints";
    v.scalar = !j.is_array();
    LL_CHECK(v.scalar || j.size() <= Keywords::kMaxItems, "%s: %s has too many entries (%zu), at most %zu", desc_.name,
             p.name, j.size(), Keywords::kMaxItems);
    LL_CHECK(!j.is_null() || !nones, "%s: %s must be %s, got null", desc_.name, p.name, what);
    const size_t n = v.scalar ? 1 : j.size();
    for (size_t i = 0; i < n; ++i) {
      const json& e = v.scalar ? j : j[i];
      if (nones && e.is_null()) {
        v.none_items |= static_cast<uint8_t>(1u << i);
      } else if (floats) {
        LL_CHECK(e.is_number() || e.is_string(), "%s: %s must be %s, got %s", desc_.name, p.name, what,
                 json_type_name(e).c_str());
        v.floats[i] = read_float(e, desc_.name, p.name);
      } else {
        LL_CHECK(is_int(e), "%s: %s must be %s, got %s", desc_.name, p.name, what, json_type_name(e).c_str());
        v.ints[i] = read_int(e, desc_.name, p.name);
      }
    }
    v.items = static_cast<uint8_t>(n);
  }

  // The descriptor's default for an absent keyword; a required one is an error.
  json fallback(const char* name) const {
    const ParamDesc& p = *find_param(desc_, name);
    LL_CHECK(!p.required(), "%s: missing required parameter %s", desc_.name, name);
    return p.default_json();
  }

  const LayerDesc& desc_;
  const json* params_ = nullptr;
};

// MaxUnpool2d applies Python's _pair, which keeps a list as it is: only a
// plain int or a list of two ints makes a pair.
void require_pair_list(const json* v, const char* layer, const char* name) {
  if (v && v->is_array()) {
    LL_CHECK(v->size() == 2, "%s: %s must be a single int or a pair of ints, got a list of %zu", layer, name,
             v->size());
  }
}

const json* tensor_field(const json& spec, const char* name) {
  if (!spec.contains(name) || spec[name].is_null()) return nullptr;
  return &spec[name];
}

// ---------------------------------------------------------------------------
// Options of each layer from its keywords
// ---------------------------------------------------------------------------

MaxPool2d::Options read_max_pool2d(const Params& p) {
  MaxPool2d::Options o;
  o.kernel_size = p.int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding");
  o.dilation = p.int_list("dilation");
  o.return_indices = p.flag("return_indices");
  o.ceil_mode = p.flag("ceil_mode");
  return o;
}

AvgPool2d::Options read_avg_pool2d(const Params& p) {
  AvgPool2d::Options o;
  o.kernel_size = p.int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding");
  o.ceil_mode = p.flag("ceil_mode");
  o.count_include_pad = p.flag("count_include_pad");
  o.divisor_override = p.optional_integer("divisor_override");
  return o;
}

MaxUnpool2d::Options read_max_unpool2d(const Params& p) {
  MaxUnpool2d::Options o;
  require_pair_list(p.given("kernel_size"), p.layer(), "kernel_size");
  require_pair_list(p.given("stride"), p.layer(), "stride");
  require_pair_list(p.given("padding"), p.layer(), "padding");
  o.kernel_size = p.int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding");
  return o;
}

Linear::Options read_linear(const Params& p) {
  Linear::Options o;
  o.in_features = p.integer("in_features");
  o.out_features = p.integer("out_features");
  o.bias = p.flag("bias");
  return o;
}

PReLU::Options read_prelu(const Params& p) {
  PReLU::Options o;
  o.num_parameters = p.integer("num_parameters");
  o.init = p.number("init");
  return o;
}

RReLU::Options read_rrelu(const Params& p) {
  RReLU::Options o;
  o.lower = p.number("lower");
  o.upper = p.number("upper");
  p.flag("inplace");
  return o;
}

double read_leaky_relu(const Params& p) {
  p.flag("inplace");
  return p.number("negative_slope");
}

BCEWithLogitsLoss::Options read_bce_with_logits_loss(const Params& p) {
  BCEWithLogitsLoss::Options o;
  if (const json* r = p.given("reduction", true)) {
    LL_CHECK(r->is_string(), "%s: reduction must be a string ('mean', 'sum' or 'none'), got %s", p.layer(),
             json_type_name(*r).c_str());
    o.reduction = parse_reduction(r->get<std::string>(), p.layer());
  }
  for (const char* unsupported : {"weight", "pos_weight", "size_average", "reduce"}) {
    LL_CHECK(!p.given(unsupported), "%s: %s is not supported by LayerLab (use reduction)", p.layer(), unsupported);
  }
  return o;
}

// The descriptor of a layer the core has (the named *_options functions below).
const LayerDesc& desc_of(const char* layer) {
  const LayerDesc* d = find_layer(layer);
  LL_CHECK(d, "internal error: no descriptor for %s", layer);
  return *d;
}

const json& params_of(const json& spec) {
  static const json kNull;
  return spec.contains("params") ? spec["params"] : kNull;
}

// ---------------------------------------------------------------------------
// One spec
// ---------------------------------------------------------------------------

// What every layer's spec has besides its keywords.
struct SpecArgs {
  const json& spec;
  const char* layer;
  Params params;
  const json* input_json;
  const json* grad_json;  // nullptr: forward only

  SpecArgs(const json& s, const LayerDesc& desc)
      : spec(s), layer(desc.name), params(params_of(s), desc), input_json(tensor_field(s, "input")),
        grad_json(tensor_field(s, "grad_output")) {
    LL_CHECK(input_json, "%s: spec needs \"input\": {\"shape\": [...], \"data\": [...]}", layer);
  }
  Tensor input() const { return read_tensor(*input_json, layer, "input"); }
  Tensor grad() const { return read_tensor(*grad_json, layer, "grad_output"); }
  const json* field(const char* name) const { return tensor_field(spec, name); }
  bool training() const {
    return spec.contains("training") && !spec["training"].is_null() ? read_bool(spec["training"], layer, "training")
                                                                    : false;
  }
  uint64_t seed() const {
    if (!spec.contains("seed") || spec["seed"].is_null()) return 0;
    const json& s = spec["seed"];
    LL_CHECK(s.is_number_integer() && (s.is_number_unsigned() || s.get<int64_t>() >= 0),
             "%s: seed must be a non-negative int, got %s", layer, json_type_name(s).c_str());
    return s.get<uint64_t>();
  }
};

// Forward, and backward when the spec has a grad_output: the layers with nothing more to report.
template <class Layer>
json run_forward_backward(const SpecArgs& a, Layer m) {
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(a.input()));
  if (a.grad_json) result["grad_input"] = tensor_to_json(m.backward(a.grad()));
  return result;
}

json run_spec(const json& spec) {
  LL_CHECK(spec.is_object(), "spec must be a JSON object with \"layer\", got %s", json_type_name(spec).c_str());
  LL_CHECK(spec.contains("layer") && spec["layer"].is_string(), "spec needs \"layer\": one of %s",
           layer_names().c_str());
  const std::string name = spec["layer"].get<std::string>();
  const LayerDesc* desc = find_layer(name);
  LL_CHECK(desc, "unknown layer '%s': expected one of %s", name.c_str(), layer_names().c_str());
  const spec_run::Runner run = spec_run::runner(name);
  LL_CHECK(run, "internal error: %s has a descriptor but no runner", desc->name);
  return run(spec, *desc);
}

}  // namespace

// ---------------------------------------------------------------------------
// Each layer's runner (the descriptors in layer_desc.cpp name them)
// ---------------------------------------------------------------------------

namespace spec_run {

json max_pool2d(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  const MaxPool2d::Options o = read_max_pool2d(a.params);
  MaxPool2d m(o);
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(a.input()));
  if (o.return_indices) result["indices"] = tensor_to_json(m.indices());
  if (a.grad_json) result["grad_input"] = tensor_to_json(m.backward(a.grad()));
  return result;
}

json avg_pool2d(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  return run_forward_backward(a, AvgPool2d(read_avg_pool2d(a.params)));
}

json max_unpool2d(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  MaxUnpool2d m(read_max_unpool2d(a.params));
  const json* idx_json = a.field("indices");
  LL_CHECK(idx_json, "%s: spec needs \"indices\" (MaxPool2d's indices, same shape as the input)", a.layer);
  std::optional<IntList> output_size;
  if (spec.contains("output_size") && !spec["output_size"].is_null()) {
    const json& os = spec["output_size"];
    LL_CHECK(os.is_array(), "%s: output_size must be a list of 2 or 4 ints, got %s", a.layer,
             json_type_name(os).c_str());
    output_size = read_int_list(os, a.layer, "output_size");
  }
  const Tensor x = a.input();
  const IndexTensor idx = read_index_tensor(*idx_json, a.layer, "indices");
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(x, idx, output_size));
  if (a.grad_json) result["grad_input"] = tensor_to_json(m.backward(a.grad()));
  return result;
}

json linear(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  const Linear::Options o = read_linear(a.params);
  Linear m(o, a.seed());
  if (const json* w = a.field("weight")) m.set_weight(read_tensor(*w, a.layer, "weight"));
  if (const json* b = a.field("bias")) m.set_bias(read_tensor(*b, a.layer, "bias"));
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(a.input()));
  if (a.grad_json) {
    result["grad_input"] = tensor_to_json(m.backward(a.grad()));
    result["grad_weight"] = tensor_to_json(m.grad_weight());
    if (o.bias) result["grad_bias"] = tensor_to_json(m.grad_bias());
  }
  return result;
}

json sigmoid(const json& spec, const LayerDesc& desc) { return run_forward_backward(SpecArgs(spec, desc), Sigmoid()); }
json tanh(const json& spec, const LayerDesc& desc) { return run_forward_backward(SpecArgs(spec, desc), Tanh()); }

json relu(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  a.params.flag("inplace");
  return run_forward_backward(a, ReLU());
}

json leaky_relu(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  return run_forward_backward(a, LeakyReLU(read_leaky_relu(a.params)));
}

json prelu(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  PReLU m(read_prelu(a.params));
  if (const json* w = a.field("weight")) m.set_weight(read_tensor(*w, a.layer, "weight"));
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(a.input()));
  if (a.grad_json) {
    result["grad_input"] = tensor_to_json(m.backward(a.grad()));
    result["grad_weight"] = tensor_to_json(m.grad_weight());
  }
  return result;
}

json rrelu(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  const bool training = a.training();
  RReLU m(read_rrelu(a.params), a.seed());
  m.train(training);
  const Tensor x = a.input();
  std::optional<Tensor> noise;
  if (const json* n = a.field("noise"); n && training) noise = read_tensor(*n, a.layer, "noise");
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(x, noise ? &*noise : nullptr));
  if (training) result["noise"] = tensor_to_json(m.noise());
  if (a.grad_json) result["grad_input"] = tensor_to_json(m.backward(a.grad()));
  return result;
}

json bce_with_logits_loss(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  BCEWithLogitsLoss m(read_bce_with_logits_loss(a.params));
  const json* target_json = a.field("target");
  LL_CHECK(target_json, "%s: spec needs \"target\": {\"shape\": [...], \"data\": [...]} (the input's shape)",
           a.layer);
  const Tensor x = a.input();
  json result = json::object();
  result["output"] = tensor_to_json(m.forward(x, read_tensor(*target_json, a.layer, "target")));
  if (a.grad_json) result["grad_input"] = tensor_to_json(m.backward(a.grad()));
  return result;
}

// Every activation the core makes from its descriptor (layers/activation.h):
// the element-wise ones of elementwise_desc.cpp, the softmax family and GLU.
json activation(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  std::unique_ptr<Activation> m = make_activation(a.params.all());
  LL_CHECK(m, "internal error: %s is not a generic activation", a.layer);
  json result = json::object();
  result["output"] = tensor_to_json(m->forward(std::make_shared<const Tensor>(a.input())));
  if (a.grad_json) result["grad_input"] = tensor_to_json(m->backward(a.grad()));
  return result;
}

namespace {

bool takes_tensor(const LayerDesc& desc, std::string_view field) {
  for (const char* t : desc.tensors)
    if (field == t) return true;
  return false;
}

// The spec's inputs of a module, as its descriptor lists them.
Module::Inputs module_inputs(const SpecArgs& a, const LayerDesc& desc) {
  Module::Inputs in;
  in.input = std::make_shared<const Tensor>(a.input());
  in.requires_grad = a.grad_json != nullptr;
  if (takes_tensor(desc, "input2")) {
    const json* x2 = a.field("input2");
    LL_CHECK(x2, "%s: spec needs \"input2\": {\"shape\": [...], \"data\": [...]}, the second input", a.layer);
    in.input2 = std::make_shared<const Tensor>(read_tensor(*x2, a.layer, "input2"));
  }
  if (takes_tensor(desc, "indices")) {
    const json* idx = a.field("indices");
    LL_CHECK(idx, "%s: spec needs \"indices\" (the max pooling's indices, same shape as the input)", a.layer);
    in.indices = std::make_shared<const IndexTensor>(read_index_tensor(*idx, a.layer, "indices"));
  }
  if (takes_tensor(desc, "output_size") && a.spec.contains("output_size") && !a.spec["output_size"].is_null()) {
    const json& os = a.spec["output_size"];
    LL_CHECK(os.is_array(), "%s: output_size must be a list of ints, got %s", a.layer, json_type_name(os).c_str());
    in.output_size = read_int_list(os, a.layer, "output_size");
  }
  if (const json* r = a.field("random_samples"); r && takes_tensor(desc, "random_samples")) {
    in.random_samples = std::make_shared<const Tensor>(read_tensor(*r, a.layer, "random_samples"));
  }
  return in;
}

}  // namespace

// Every pooling and linear module the core makes from its descriptor (layers/module.h).
json module(const json& spec, const LayerDesc& desc) {
  const SpecArgs a(spec, desc);
  std::unique_ptr<Module> m = make_module(a.params.all(), a.seed());
  LL_CHECK(m, "internal error: %s is not a module", a.layer);
  for (const char* p : {"weight", "bias"}) {
    if (const json* t = a.field(p); t && takes_tensor(desc, p)) m->set_parameter(p, read_tensor(*t, a.layer, p));
  }
  const Module::Inputs in = module_inputs(a, desc);
  json result = json::object();
  result["output"] = tensor_to_json(m->forward(in));
  if (m->returns_indices()) result["indices"] = tensor_to_json(m->indices());
  if (takes_tensor(desc, "random_samples") && !in.random_samples) {
    result["random_samples"] = tensor_to_json(m->random_samples());
  }
  if (a.grad_json) {
    result["grad_input"] = tensor_to_json(m->backward(a.grad()));
    for (const char* g : {"input2", "weight", "bias"}) {
      if (const Tensor* t = m->grad(g)) result[std::string("grad_") + g] = tensor_to_json(*t);
    }
  }
  return result;
}

Runner runner(std::string_view layer) {
  static const std::pair<const char*, Runner> kRunners[] = {
      {"MaxPool2d", max_pool2d}, {"AvgPool2d", avg_pool2d}, {"MaxUnpool2d", max_unpool2d},
      {"Linear", linear},        {"Sigmoid", sigmoid},       {"Tanh", tanh},
      {"ReLU", relu},            {"LeakyReLU", leaky_relu},  {"PReLU", prelu},
      {"RReLU", rrelu},          {"BCEWithLogitsLoss", bce_with_logits_loss},
  };
  for (const auto& [name, run] : kRunners)
    if (layer == name) return run;
  if (is_module(layer)) return module;
  return is_generic_activation(layer) ? activation : nullptr;
}

}  // namespace spec_run

namespace {

json error_json(const std::string& message) { return json{{"error", message}}; }

}  // namespace

MaxPool2d::Options max_pool2d_options(const json& params) {
  return read_max_pool2d(Params(params, desc_of("MaxPool2d")));
}
AvgPool2d::Options avg_pool2d_options(const json& params) {
  return read_avg_pool2d(Params(params, desc_of("AvgPool2d")));
}
MaxUnpool2d::Options max_unpool2d_options(const json& params) {
  return read_max_unpool2d(Params(params, desc_of("MaxUnpool2d")));
}
Linear::Options linear_options(const json& params) { return read_linear(Params(params, desc_of("Linear"))); }
PReLU::Options prelu_options(const json& params) { return read_prelu(Params(params, desc_of("PReLU"))); }
RReLU::Options rrelu_options(const json& params) { return read_rrelu(Params(params, desc_of("RReLU"))); }
BCEWithLogitsLoss::Options bce_with_logits_loss_options(const json& params) {
  return read_bce_with_logits_loss(Params(params, desc_of(BCEWithLogitsLoss::kName)));
}
double leaky_relu_options(const json& params) { return read_leaky_relu(Params(params, desc_of("LeakyReLU"))); }
Keywords read_keywords(const LayerDesc& desc, const json& params) { return Params(params, desc).all(); }

std::unique_ptr<Module> make_module(std::string_view layer, const json& params, uint64_t seed) {
  const LayerDesc* desc = find_layer(layer);
  LL_CHECK(desc && is_module(layer), "unknown module '%s'", std::string(layer).c_str());
  return make_module(read_keywords(*desc, params), seed);
}

std::unique_ptr<Activation> make_activation(std::string_view layer, const json& params) {
  const LayerDesc* desc = find_layer(layer);
  LL_CHECK(desc && is_generic_activation(layer), "unknown activation '%s'", std::string(layer).c_str());
  return make_activation(read_keywords(*desc, params));
}

void check_no_options(const json& params, const char* layer) {
  const Params p(params, desc_of(layer));
  if (find_param(desc_of(layer), "inplace")) p.flag("inplace");
}

json tensor_to_json(const Tensor& t) {
  json data = json::array();
  data.get_ref<json::array_t&>().reserve(t.data.size());
  for (float v : t.data) data.push_back(float_to_json(v));
  return json{{"shape", t.shape}, {"data", std::move(data)}};
}

json tensor_to_json(const IndexTensor& t) { return json{{"shape", t.shape}, {"data", t.data}}; }

json eval_spec(const json& spec) {
  try {
    return run_spec(spec);
  } catch (const Error& e) {
    return error_json(e.what());
  } catch (const std::bad_alloc&) {
    return error_json("out of memory while evaluating the spec");
  } catch (const std::exception& e) {
    return error_json(std::string("internal error: ") + e.what());
  }
}

EvalOutput eval_json_text(std::string_view text) {
  if (text.size() > kMaxJsonBytes) {
    return {error_json(format("spec is %zu bytes, more than the limit of %zu", text.size(), kMaxJsonBytes)).dump(-1, ' ', false, json::error_handler_t::replace), 2};
  }
  json spec;
  try {
    bool too_deep = false;
    std::string duplicate;                      // the first key that appears twice in one object
    std::vector<std::set<std::string>> keys;    // the keys seen in each open object
    json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
      if (depth > kMaxJsonDepth) too_deep = true;
      if (event == json::parse_event_t::object_start) keys.emplace_back();
      if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
      if (event == json::parse_event_t::key && !keys.empty() && parsed.is_string() &&
          !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
      }
      return !too_deep;
    };
    spec = json::parse(text.begin(), text.end(), check);
    if (too_deep) {
      return {error_json(format("malformed spec: JSON nested deeper than %d levels", kMaxJsonDepth)).dump(-1, ' ', false, json::error_handler_t::replace), 2};
    }
    if (!duplicate.empty()) {  // JSON allows it, but which value was meant?
      return {error_json("malformed spec: the key \"" + duplicate + "\" appears twice in one object")
                  .dump(-1, ' ', false, json::error_handler_t::replace), 2};
    }
  } catch (const json::exception& e) {  // parse errors, and numbers too large for a double
    return {error_json(std::string("malformed JSON: ") + e.what()).dump(-1, ' ', false, json::error_handler_t::replace), 2};
  }

  if (spec.is_array()) {
    json results = json::array();
    for (const json& item : spec) results.push_back(eval_spec(item));
    return {results.dump(-1, ' ', false, json::error_handler_t::replace), 0};
  }
  json result = eval_spec(spec);
  const int code = result.contains("error") ? 1 : 0;
  return {result.dump(-1, ' ', false, json::error_handler_t::replace), code};
}

}  // namespace ll

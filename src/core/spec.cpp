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
#include "layers/activations.h"
#include "layers/avg_pool2d.h"
#include "layers/bce_with_logits_loss.h"
#include "layers/linear.h"
#include "layers/max_pool2d.h"
#include "layers/max_unpool2d.h"
#include "layers/prelu.h"
#include "layers/rrelu.h"
#include "shape.h"

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
  char buf[32];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return std::strtod(buf, nullptr);
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

// Reads the keywords of one layer; rejects the ones it does not take.
class Params {
 public:
  Params(const json& params, const char* layer) : layer_(layer) {
    if (!params.is_null()) {
      params_ = &params;
      LL_CHECK(params_->is_object(), "%s: params must be an object, got %s", layer, json_type_name(*params_).c_str());
    }
  }

  const json* get(const char* name) {
    known_.insert(name);
    if (!params_ || !params_->contains(name)) return nullptr;
    return &(*params_)[name];
  }
  // A non-null value, or nullptr when absent or null.
  const json* get_value(const char* name) {
    const json* v = get(name);
    return (v && !v->is_null()) ? v : nullptr;
  }
  IntList int_list(const char* name, IntList fallback) {
    const json* v = get(name);
    if (!v) return fallback;
    return read_int_list(*v, layer_, name);
  }
  IntList required_int_list(const char* name) {
    const json* v = get(name);
    LL_CHECK(v, "%s: missing required parameter %s", layer_, name);
    return read_int_list(*v, layer_, name);
  }
  std::optional<IntList> optional_int_list(const char* name) {
    const json* v = get_value(name);
    if (!v) return std::nullopt;
    return read_int_list(*v, layer_, name);
  }
  int64_t integer(const char* name, int64_t fallback) {
    const json* v = get(name);
    return v ? read_int(*v, layer_, name) : fallback;
  }
  int64_t required_integer(const char* name) {
    const json* v = get(name);
    LL_CHECK(v, "%s: missing required parameter %s", layer_, name);
    return read_int(*v, layer_, name);
  }
  bool flag(const char* name, bool fallback) {
    const json* v = get(name);
    return v ? read_bool(*v, layer_, name) : fallback;
  }
  double number(const char* name, double fallback) {
    const json* v = get(name);
    return v ? read_float(*v, layer_, name) : fallback;
  }
  // Call after all get()s: an unknown keyword is a TypeError in PyTorch.
  void reject_unknown() const {
    if (!params_) return;
    for (const auto& item : params_->items()) {
      LL_CHECK(known_.count(item.key()), "%s: unexpected keyword argument '%s'", layer_, item.key().c_str());
    }
  }

 private:
  const char* layer_;
  const json* params_ = nullptr;
  std::set<std::string> known_;
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

MaxPool2d::Options read_max_pool2d(Params& p) {
  MaxPool2d::Options o;
  o.kernel_size = p.required_int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding", {0});
  o.dilation = p.int_list("dilation", {1});
  o.return_indices = p.flag("return_indices", false);
  o.ceil_mode = p.flag("ceil_mode", false);
  p.reject_unknown();
  return o;
}

AvgPool2d::Options read_avg_pool2d(Params& p, const char* layer) {
  AvgPool2d::Options o;
  o.kernel_size = p.required_int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding", {0});
  o.ceil_mode = p.flag("ceil_mode", false);
  o.count_include_pad = p.flag("count_include_pad", true);
  if (const json* d = p.get_value("divisor_override")) o.divisor_override = read_int(*d, layer, "divisor_override");
  p.reject_unknown();
  return o;
}

MaxUnpool2d::Options read_max_unpool2d(Params& p, const char* layer) {
  MaxUnpool2d::Options o;
  require_pair_list(p.get("kernel_size"), layer, "kernel_size");
  require_pair_list(p.get_value("stride"), layer, "stride");
  require_pair_list(p.get("padding"), layer, "padding");
  o.kernel_size = p.required_int_list("kernel_size");
  o.stride = p.optional_int_list("stride");
  o.padding = p.int_list("padding", {0});
  p.reject_unknown();
  return o;
}

Linear::Options read_linear(Params& p) {
  Linear::Options o;
  o.in_features = p.required_integer("in_features");
  o.out_features = p.required_integer("out_features");
  o.bias = p.flag("bias", true);
  p.reject_unknown();
  return o;
}

PReLU::Options read_prelu(Params& p) {
  PReLU::Options o;
  o.num_parameters = p.integer("num_parameters", 1);
  o.init = p.number("init", 0.25);
  p.reject_unknown();
  return o;
}

RReLU::Options read_rrelu(Params& p) {
  RReLU::Options o;
  o.lower = p.number("lower", 1.0 / 8.0);
  o.upper = p.number("upper", 1.0 / 3.0);
  p.flag("inplace", false);
  p.reject_unknown();
  return o;
}

double read_leaky_relu(Params& p) {
  const double slope = p.number("negative_slope", 0.01);
  p.flag("inplace", false);
  p.reject_unknown();
  return slope;
}

BCEWithLogitsLoss::Options read_bce_with_logits_loss(Params& p, const char* layer) {
  BCEWithLogitsLoss::Options o;
  if (const json* r = p.get("reduction")) {
    LL_CHECK(r->is_string(), "%s: reduction must be a string ('mean', 'sum' or 'none'), got %s", layer,
             json_type_name(*r).c_str());
    o.reduction = parse_reduction(r->get<std::string>(), layer);
  }
  for (const char* unsupported : {"weight", "pos_weight", "size_average", "reduce"}) {
    const json* v = p.get_value(unsupported);
    LL_CHECK(!v, "%s: %s is not supported by LayerLab (use reduction)", layer, unsupported);
  }
  p.reject_unknown();
  return o;
}

void read_no_params(Params& p, bool takes_inplace) {
  if (takes_inplace) p.flag("inplace", false);
  p.reject_unknown();
}

const json& params_of(const json& spec) {
  static const json kNull;
  return spec.contains("params") ? spec["params"] : kNull;
}

// ---------------------------------------------------------------------------
// One spec
// ---------------------------------------------------------------------------

json run_spec(const json& spec) {
  LL_CHECK(spec.is_object(), "spec must be a JSON object with \"layer\", got %s", json_type_name(spec).c_str());
  LL_CHECK(spec.contains("layer") && spec["layer"].is_string(),
           "spec needs \"layer\": one of MaxPool2d AvgPool2d MaxUnpool2d Linear Sigmoid Tanh ReLU LeakyReLU PReLU "
           "RReLU BCEWithLogitsLoss");
  const std::string layer_name = spec["layer"].get<std::string>();
  const char* layer = layer_name.c_str();

  const bool training = spec.contains("training") && !spec["training"].is_null()
                             ? read_bool(spec["training"], layer, "training")
                             : false;
  uint64_t seed = 0;
  if (spec.contains("seed") && !spec["seed"].is_null()) {
    LL_CHECK(spec["seed"].is_number_integer() && (spec["seed"].is_number_unsigned() || spec["seed"].get<int64_t>() >= 0),
             "%s: seed must be a non-negative int, got %s", layer, json_type_name(spec["seed"]).c_str());
    seed = spec["seed"].get<uint64_t>();
  }
  const json* input_json = tensor_field(spec, "input");
  LL_CHECK(input_json, "%s: spec needs \"input\": {\"shape\": [...], \"data\": [...]}", layer);
  const json* grad_json = tensor_field(spec, "grad_output");

  Params p(params_of(spec), layer);
  json result = json::object();

  auto input = [&] { return read_tensor(*input_json, layer, "input"); };
  auto grad = [&] { return read_tensor(*grad_json, layer, "grad_output"); };

  if (layer_name == "MaxPool2d") {
    const MaxPool2d::Options o = read_max_pool2d(p);
    MaxPool2d m(o);
    const Tensor x = input();
    result["output"] = tensor_to_json(m.forward(x));
    if (o.return_indices) result["indices"] = tensor_to_json(m.indices());
    if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
  } else if (layer_name == "AvgPool2d") {
    AvgPool2d m(read_avg_pool2d(p, layer));
    result["output"] = tensor_to_json(m.forward(input()));
    if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
  } else if (layer_name == "MaxUnpool2d") {
    const MaxUnpool2d::Options o = read_max_unpool2d(p, layer);
    const json* idx_json = tensor_field(spec, "indices");
    LL_CHECK(idx_json, "%s: spec needs \"indices\" (MaxPool2d's indices, same shape as the input)", layer);
    std::optional<IntList> output_size;
    if (spec.contains("output_size") && !spec["output_size"].is_null()) {
      const json& os = spec["output_size"];
      LL_CHECK(os.is_array(), "%s: output_size must be a list of 2 or 4 ints, got %s", layer,
               json_type_name(os).c_str());
      output_size = read_int_list(os, layer, "output_size");
    }
    MaxUnpool2d m(o);
    const Tensor x = input();
    const IndexTensor idx = read_index_tensor(*idx_json, layer, "indices");
    result["output"] = tensor_to_json(m.forward(x, idx, output_size));
    if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
  } else if (layer_name == "Linear") {
    const Linear::Options o = read_linear(p);
    Linear m(o, seed);
    if (const json* w = tensor_field(spec, "weight")) m.set_weight(read_tensor(*w, layer, "weight"));
    if (const json* b = tensor_field(spec, "bias")) m.set_bias(read_tensor(*b, layer, "bias"));
    result["output"] = tensor_to_json(m.forward(input()));
    if (grad_json) {
      result["grad_input"] = tensor_to_json(m.backward(grad()));
      result["grad_weight"] = tensor_to_json(m.grad_weight());
      if (o.bias) result["grad_bias"] = tensor_to_json(m.grad_bias());
    }
  } else if (layer_name == "PReLU") {
    PReLU m(read_prelu(p));
    if (const json* w = tensor_field(spec, "weight")) m.set_weight(read_tensor(*w, layer, "weight"));
    result["output"] = tensor_to_json(m.forward(input()));
    if (grad_json) {
      result["grad_input"] = tensor_to_json(m.backward(grad()));
      result["grad_weight"] = tensor_to_json(m.grad_weight());
    }
  } else if (layer_name == "RReLU") {
    RReLU m(read_rrelu(p), seed);
    m.train(training);
    const Tensor x = input();
    std::optional<Tensor> noise;
    if (const json* n = tensor_field(spec, "noise"); n && training) noise = read_tensor(*n, layer, "noise");
    result["output"] = tensor_to_json(m.forward(x, noise ? &*noise : nullptr));
    if (training) result["noise"] = tensor_to_json(m.noise());
    if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
  } else if (layer_name == "Sigmoid" || layer_name == "Tanh" || layer_name == "ReLU" || layer_name == "LeakyReLU") {
    auto run = [&](auto m) {
      result["output"] = tensor_to_json(m.forward(input()));
      if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
    };
    if (layer_name == "Sigmoid") {
      read_no_params(p, false);
      run(Sigmoid());
    } else if (layer_name == "Tanh") {
      read_no_params(p, false);
      run(Tanh());
    } else if (layer_name == "ReLU") {
      read_no_params(p, true);
      run(ReLU());
    } else {
      run(LeakyReLU(read_leaky_relu(p)));
    }
  } else if (layer_name == "BCEWithLogitsLoss") {
    BCEWithLogitsLoss m(read_bce_with_logits_loss(p, layer));
    const json* target_json = tensor_field(spec, "target");
    LL_CHECK(target_json, "%s: spec needs \"target\": {\"shape\": [...], \"data\": [...]} (the input's shape)", layer);
    const Tensor x = input();
    result["output"] = tensor_to_json(m.forward(x, read_tensor(*target_json, layer, "target")));
    if (grad_json) result["grad_input"] = tensor_to_json(m.backward(grad()));
  } else {
    fail("unknown layer '" + layer_name +
         "': expected one of MaxPool2d AvgPool2d MaxUnpool2d Linear Sigmoid Tanh ReLU LeakyReLU PReLU RReLU "
         "BCEWithLogitsLoss");
  }
  return result;
}

json error_json(const std::string& message) { return json{{"error", message}}; }

}  // namespace

MaxPool2d::Options max_pool2d_options(const json& params) {
  Params p(params, "MaxPool2d");
  return read_max_pool2d(p);
}
AvgPool2d::Options avg_pool2d_options(const json& params) {
  Params p(params, "AvgPool2d");
  return read_avg_pool2d(p, "AvgPool2d");
}
MaxUnpool2d::Options max_unpool2d_options(const json& params) {
  Params p(params, "MaxUnpool2d");
  return read_max_unpool2d(p, "MaxUnpool2d");
}
Linear::Options linear_options(const json& params) {
  Params p(params, "Linear");
  return read_linear(p);
}
PReLU::Options prelu_options(const json& params) {
  Params p(params, "PReLU");
  return read_prelu(p);
}
RReLU::Options rrelu_options(const json& params) {
  Params p(params, "RReLU");
  return read_rrelu(p);
}
BCEWithLogitsLoss::Options bce_with_logits_loss_options(const json& params) {
  Params p(params, BCEWithLogitsLoss::kName);
  return read_bce_with_logits_loss(p, BCEWithLogitsLoss::kName);
}
double leaky_relu_options(const json& params) {
  Params p(params, "LeakyReLU");
  return read_leaky_relu(p);
}
void check_no_options(const json& params, const char* layer) {
  Params p(params, layer);
  read_no_params(p, std::string(layer) == "ReLU");
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

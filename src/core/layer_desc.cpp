#include "layer_desc.h"

#include "number_text.h"

#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>


namespace ll {

using K = ParamKind;

bool ParamDesc::nullable() const { return default_py && std::string_view(default_py) == "None"; }

nlohmann::json ParamDesc::default_json() const {
  if (!default_py || nullable()) return nullptr;
  const std::string_view d = default_py;
  if (d == "True" || d == "False") return d == "True";
  if (kind == K::STRING) return std::string(d.substr(1, d.size() - 2));  // 'mean' -> mean
  if (kind == K::FLOAT) return std::strtod(default_py, nullptr);
  return std::strtoll(default_py, nullptr, 10);
}

// PyTorch 1.13's constructors, keyword for keyword. `min` is the smallest value
// the layer accepts; the slider ranges are the app's.
const std::vector<LayerDesc>& layer_descs() {
  static const std::vector<LayerDesc> kLayers = {
      {"MaxPool2d",
       {{"kernel_size", K::INT_OR_PAIR, nullptr, 1, "", 1, 16},
        {"stride", K::INT_OR_PAIR, "None", 1, "None means kernel_size", 1, 16},
        {"padding", K::INT_OR_PAIR, "0", 0, "at most half of kernel_size", 0, 8},
        {"dilation", K::INT_OR_PAIR, "1", 1, "", 1, 8},
        {"return_indices", K::BOOL, "False"},
        {"ceil_mode", K::BOOL, "False"}},
       {"input", "grad_output"}},
      {"AvgPool2d",
       {{"kernel_size", K::INT_OR_PAIR, nullptr, 1, "", 1, 16},
        {"stride", K::INT_OR_PAIR, "None", 1, "None means kernel_size", 1, 16},
        {"padding", K::INT_OR_PAIR, "0", 0, "at most half of kernel_size", 0, 8},
        {"ceil_mode", K::BOOL, "False"},
        {"count_include_pad", K::BOOL, "True"},
        {"divisor_override", K::INT, "None", -kNoBound, "not zero", 1, 16}},
       {"input", "grad_output"}},
      // PyTorch checks none of MaxUnpool2d's keywords (stride=0 works); only the output size they give.
      {"MaxUnpool2d",
       {{"kernel_size", K::INT_OR_PAIR, nullptr, -kNoBound, "", 1, 16},
        {"stride", K::INT_OR_PAIR, "None", -kNoBound, "None means kernel_size", 1, 16},
        {"padding", K::INT_OR_PAIR, "0", -kNoBound, "", 0, 8}},
       {"input", "indices", "output_size", "grad_output"}},
      {"Linear",
       {{"in_features", K::INT, nullptr, 0, "", 1, 16},
        {"out_features", K::INT, nullptr, 0, "", 1, 16},
        {"bias", K::BOOL, "True"}},
       {"input", "weight", "bias", "grad_output"}},
      {"Sigmoid", {}, {"input", "grad_output"}},
      {"Tanh", {}, {"input", "grad_output"}},
      {"ReLU", {{"inplace", K::BOOL, "False"}}, {"input", "grad_output"}},
      {"LeakyReLU",
       {{"negative_slope", K::FLOAT, "0.01", -kNoBound, "", -1, 1}, {"inplace", K::BOOL, "False"}},
       {"input", "grad_output"}},
      {"PReLU",
       {{"num_parameters", K::INT, "1", 0, "1 or the input's channels", 1, 8},
        {"init", K::FLOAT, "0.25", -kNoBound, "", -1, 1}},
       {"input", "weight", "grad_output"}},
      {"RReLU",
       {{"lower", K::FLOAT, "0.125", -kNoBound, "at most upper", 0, 1},
        {"upper", K::FLOAT, "0.3333333333333333", -kNoBound, "at least lower", 0, 1},
        {"inplace", K::BOOL, "False"}},
       {"input", "noise", "grad_output"}},
      {"BCEWithLogitsLoss",
       {{"weight", K::FLOAT, "None", -kNoBound, "not supported (use reduction)"},
        {"size_average", K::BOOL, "None", -kNoBound, "not supported (use reduction)"},
        {"reduce", K::BOOL, "None", -kNoBound, "not supported (use reduction)"},
        {"reduction", K::STRING, "'mean'", -kNoBound, "'none', 'mean' or 'sum'"},
        {"pos_weight", K::FLOAT, "None", -kNoBound, "not supported (use reduction)"}},
       {"input", "target", "grad_output"}},
  };
  return kLayers;
}

const LayerDesc* find_layer(std::string_view name) {
  for (const LayerDesc& l : layer_descs())
    if (name == l.name) return &l;
  return nullptr;
}

const ParamDesc* find_param(const LayerDesc& layer, std::string_view name) {
  for (const ParamDesc& p : layer.params)
    if (name == p.name) return &p;
  return nullptr;
}

std::string layer_names() {
  std::string out;
  for (const LayerDesc& l : layer_descs()) out += (out.empty() ? "" : " ") + std::string(l.name);
  return out;
}

std::string python_signature(const LayerDesc& layer) {
  std::string out = std::string(layer.name) + "(";
  for (size_t i = 0; i < layer.params.size(); ++i) {
    const ParamDesc& p = layer.params[i];
    out += (i ? ", " : "") + std::string(p.name);
    if (!p.required()) out += std::string("=") + p.default_py;
  }
  return out + ")";
}

namespace {

// A spec value as Python writes it: 3, (3, 2), True, None, 0.2, 'mean'.
std::string python_value(const nlohmann::json& v) {
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  if (v.is_array()) {
    std::string out = "(";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + python_value(v[i]);
    return out + ")";
  }
  if (v.is_number_float()) {  // the shortest text that reads back as the same double, as Python's repr
    std::string out = shortest_text(v.get<double>());
    if (out.find_first_of(".en") == std::string::npos) out += ".0";
    return out;
  }
  return v.dump();
}

}  // namespace

std::string python_call(const LayerDesc& layer, const nlohmann::json& keywords) {
  std::string args;
  for (const ParamDesc& p : layer.params) {
    if (!keywords.contains(p.name)) continue;
    const nlohmann::json& v = keywords[p.name];
    if (!p.required() && v == p.default_json()) continue;
    args += (args.empty() ? "" : ", ") + std::string(p.name) + "=" + python_value(v);
  }
  return std::string(layer.name) + "(" + args + ")";
}

nlohmann::json layer_descs_json() {
  static const char* kKinds[] = {"int", "int_or_pair", "float", "bool", "string"};
  nlohmann::json out = nlohmann::json::array();
  for (const LayerDesc& l : layer_descs()) {
    nlohmann::json params = nlohmann::json::array();
    for (const ParamDesc& p : l.params) {
      params.push_back({{"name", p.name},
                        {"kind", kKinds[static_cast<int>(p.kind)]},
                        {"default", p.default_json()},
                        {"default_py", p.default_py ? nlohmann::json(p.default_py) : nlohmann::json(nullptr)},
                        {"required", p.required()},
                        {"min", p.min == -kNoBound ? nlohmann::json(nullptr) : nlohmann::json(p.min)},
                        {"rule", p.rule},
                        {"ui_min", p.ui_min},
                        {"ui_max", p.ui_max}});
    }
    out.push_back({{"name", l.name}, {"params", std::move(params)}, {"tensors", l.tensors}});
  }
  return out;
}

}  // namespace ll

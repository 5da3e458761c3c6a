// layer_desc.h — one descriptor per layer, as PyTorch's native_functions.yaml
// declares each op: its name, its constructor keywords in PyTorch's positional
// order (kind, default, valid range, the app's slider range) and the spec's tensors.
// (Each layer's spec runner sits in spec.cpp, under the same name: the table
// stays free of code, so the app links the keywords without every runner.)
//
//   ParamKind / ParamDesc   one constructor keyword
//   LayerDesc               one layer: name, keywords, the spec's tensors
//   layer_descs()           every layer, in the order the CLI and the docs list them
//   find_layer(name)        a layer's descriptor, or nullptr
//   find_param(layer, name) one of its keywords, or nullptr
//   layer_names()           "MaxPool2d AvgPool2d ..." for help texts and errors
//   python_signature()      "MaxPool2d(kernel_size, stride=None, padding=0, ...)", as PyTorch's docs
//   python_call()           "MaxPool2d(kernel_size=3, stride=2)" from a spec's params
//   layer_descs_json()      the table as JSON, for the JS module
//
// The spec reader (spec.cpp) takes keywords, defaults and the unknown-keyword
// rule from here; the CLI help, the JS module's `layers` and the app read the
// same table. The layers themselves enforce the rules, with PyTorch's messages;
// a unit test checks that each `min` here is the one the layer enforces.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ll {

enum class ParamKind {
  INT,          // int
  INT_OR_PAIR,  // int or (int, int): kernel_size=3 or (3, 2)
  FLOAT,        // float
  BOOL,         // bool
  STRING,       // str (BCEWithLogitsLoss's reduction)
};

inline constexpr double kNoBound = std::numeric_limits<double>::infinity();

struct ParamDesc {
  const char* name;        // PyTorch's keyword
  ParamKind kind;
  const char* default_py;  // the default as Python writes it ("0", "None", "False", "0.01"); nullptr: required
  double min = -kNoBound;  // smallest value PyTorch accepts (each entry of a pair)
  const char* rule = "";   // a rule beyond `min`, as the error states it ("at most half of kernel_size")
  double ui_min = 0, ui_max = 0;  // the app's slider range (0, 0: no slider)

  bool required() const { return default_py == nullptr; }
  bool nullable() const;   // None is a valid value (stride=None, divisor_override=None)
  nlohmann::json default_json() const;  // the default as spec JSON (None -> null); required: null
};

struct LayerDesc {
  const char* name;                  // PyTorch's class name, also the spec's "layer"
  std::vector<ParamDesc> params;     // constructor keywords, positional order
  std::vector<const char*> tensors;  // spec fields besides "params", e.g. "input", "indices", "grad_output"
};

const std::vector<LayerDesc>& layer_descs();
const LayerDesc* find_layer(std::string_view name);
const ParamDesc* find_param(const LayerDesc& layer, std::string_view name);
std::string layer_names();  // space-separated
std::string python_signature(const LayerDesc& layer);
// "MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)": the keywords of a spec's
// params in positional order, Python spelling, those equal to their default left out.
std::string python_call(const LayerDesc& layer, const nlohmann::json& keywords);
// Every descriptor as JSON (the JS module's `layers`): [{name, params: [{name, kind,
// default, required, min, rule, ui_min, ui_max}], tensors}], min null when unbounded.
nlohmann::json layer_descs_json();

}  // namespace ll

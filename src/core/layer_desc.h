// layer_desc.h — one descriptor per layer, as PyTorch's native_functions.yaml
// declares each op: its name, its constructor keywords in PyTorch's positional
// order (kind, default, valid range, the app's slider range), the spec's tensors,
// its family, a one-line formula and, where CONTRACT section 5 leaves a choice,
// the NaN rule it follows.
// (Each layer's spec runner sits in spec.cpp, under the same name: the table
// stays free of spec code, so the app links the keywords without every runner.
// The element-wise activations are declared in elementwise_desc.cpp, one row
// each with their kernels; layer_descs() lists them after the rows here.)
//
//   ParamKind / ParamDesc   one constructor keyword
//   LayerFamily             pooling, linear, activation, loss
//   LayerDesc               one layer: name, keywords, the spec's tensors, family, formula, NaN rule
//   Keywords                the values of one layer's keywords (given or default), by name
//   layer_descs()           every layer, in the order the CLI and the docs list them
//   find_layer(name)        a layer's descriptor, or nullptr
//   find_param(layer, name) one of its keywords, or nullptr
//   layer_names()           "MaxPool2d AvgPool2d ..." for help texts and errors
//   python_signature()      "MaxPool2d(kernel_size, stride=None, padding=0, ...)", as PyTorch's docs
//   python_call()           "MaxPool2d(kernel_size=3, stride=2)" from a spec's params
//   layer_descs_json()      the table as JSON, for the JS module
//
// The spec reader (spec.cpp) takes keywords, defaults and the unknown-keyword
// rule from here; the CLI help, the JS module's `layers` (and the .d.ts generated
// from it) and the app read the same table. The layers themselves enforce the
// rules, with PyTorch's messages; a unit test checks that each `min` here is the
// one the layer enforces.
#pragma once

#include <cstdint>
#include <initializer_list>
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
  STRING,       // str (BCEWithLogitsLoss's reduction, GELU's approximate)
  // The modules of layers/module.h: tuples whose arity is the layer's spatial_dims.
  INT_TUPLE,          // int or tuple of ints: MaxPool3d's kernel_size=3 or (3, 2, 2)
  INT_OR_NONE_TUPLE,  // int or tuple of int-or-None: the adaptive output_size=(None, 7)
  FLOAT_TUPLE,        // float or tuple of floats: FractionalMaxPool's output_ratio=0.5 or (0.5, 0.7)
  VAR_KEYWORDS,       // Identity's *args, **kwargs: any keyword, ignored
};

inline constexpr double kNoBound = std::numeric_limits<double>::infinity();

struct ParamDesc {
  const char* name;        // PyTorch's keyword
  ParamKind kind;
  const char* default_py;  // the default as Python writes it ("0", "None", "False", "0.01"); nullptr: required
  double min = -kNoBound;  // smallest value PyTorch accepts (each entry of a pair)
  const char* rule = "";   // a rule beyond `min`, as the error states it ("at most half of kernel_size")
  double ui_min = 0, ui_max = 0;  // the app's slider range (0, 0: no slider)
  const char* choices = "";  // a STRING keyword's accepted values, space-separated ("none tanh"); "": its layer checks

  bool required() const { return default_py == nullptr; }
  bool nullable() const;   // None is a valid value (stride=None, divisor_override=None)
  nlohmann::json default_json() const;  // the default as spec JSON (None -> null); required: null
};

enum class LayerFamily { POOLING, LINEAR, ACTIVATION, LOSS, COUNT };
const char* family_name(LayerFamily family);  // "pooling", "linear", "activation", "loss"

// The tables are constant arrays (static data, no code to build them): each
// descriptor's lists are views of arrays that live as long as the program.
struct LayerDesc {
  const char* name;                             // PyTorch's class name, also the spec's "layer"
  std::initializer_list<ParamDesc> params;      // constructor keywords, positional order
  std::initializer_list<const char*> tensors;   // spec fields besides "params", e.g. "input", "indices", "grad_output"
  LayerFamily family;
  const char* formula = "";          // one line of plain text, as a course note writes it
  const char* nan_rule = "";         // where ATen's scalar and vectorized kernels disagree (NaN, CONTRACT 5): the rule kept
  int spatial_dims = 0;              // the arity of its tuple keywords (MaxPool3d: 3); 0 without any
};

// The values of one layer's keywords, in its descriptor's order: each the value
// given or the descriptor's default (spec.h's read_keywords checks the types).
// A STRING keyword holds one of its descriptor's choices; int-or-pairs are not held.
// A tuple keyword holds its entries as given (an int alone: one entry): how many
// entries a module takes is its own rule, as in PyTorch.
class Keywords {
 public:
  static constexpr size_t kMax = 8;       // keywords a layer may have
  static constexpr size_t kMaxItems = 3;  // entries of a tuple keyword (a module's spatial dims)
  struct Value {
    bool none = false;      // Python's None (a nullable keyword left at its default, or given null)
    double number = 0;      // FLOAT; INT and BOOL too (as 0/1)
    int64_t integer = 0;    // INT
    std::string_view text;  // STRING: one of the descriptor's choices (static text)
    uint8_t items = 0;             // INT_TUPLE, INT_OR_NONE_TUPLE, FLOAT_TUPLE: entries given
    bool scalar = false;           // ... given as a lone int or float, not as a tuple
    uint8_t none_items = 0;        // bit i: entry i is None (INT_OR_NONE_TUPLE)
    int64_t ints[kMaxItems] = {};  // INT_TUPLE, INT_OR_NONE_TUPLE
    double floats[kMaxItems] = {};  // FLOAT_TUPLE
  };
  explicit Keywords(const LayerDesc& desc) : desc_(&desc) {}
  const LayerDesc& desc() const { return *desc_; }
  void push_back(const Value& v);                   // the next keyword's value, in the descriptor's order
  const Value& operator[](const char* name) const;  // a keyword the descriptor lacks is an internal error
  bool none(const char* name) const { return (*this)[name].none; }
  double number(const char* name) const { return (*this)[name].number; }
  int64_t integer(const char* name) const { return (*this)[name].integer; }
  std::string_view text(const char* name) const { return (*this)[name].text; }

 private:
  const LayerDesc* desc_;
  Value values_[kMax];
  size_t count_ = 0;
};

const std::vector<LayerDesc>& layer_descs();
const LayerDesc* find_layer(std::string_view name);
const ParamDesc* find_param(const LayerDesc& layer, std::string_view name);
std::string layer_names();  // space-separated
std::string python_signature(const LayerDesc& layer);
// "MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)": the keywords of a spec's
// params in positional order, Python spelling, those equal to their default left out.
std::string python_call(const LayerDesc& layer, const nlohmann::json& keywords);
// Every descriptor as JSON (the JS module's `layers`): [{name, family, formula, nan_rule,
// params: [{name, kind, default, default_py, required, min, rule, choices, ui_min, ui_max}],
// tensors}], min null when unbounded, choices as space-separated text (the JS module splits it).
nlohmann::json layer_descs_json();

}  // namespace ll

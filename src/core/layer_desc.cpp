#include "layer_desc.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include <nlohmann/json.hpp>

#include "check.h"
#include "elementwise_desc.h"
#include "number_text.h"

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

const char* family_name(LayerFamily family) {
  static const char* kNames[] = {"pooling", "linear", "activation", "loss"};
  static_assert(sizeof kNames / sizeof *kNames == static_cast<size_t>(LayerFamily::COUNT), "one name per family");
  return kNames[static_cast<size_t>(family)];
}

void Keywords::push_back(const Value& v) {
  LL_CHECK(count_ < desc_->params.size() && count_ < kMax, "internal error: too many keyword values for %s",
           desc_->name);
  values_[count_++] = v;
}

const Keywords::Value& Keywords::operator[](const char* name) const {
  size_t i = 0;
  for (const ParamDesc& p : desc_->params) {
    if (std::string_view(name) == p.name && i < count_) return values_[i];
    ++i;
  }
  fail(format("internal error: %s has no value for the keyword %s", desc_->name, name));
}

namespace {

constexpr LayerFamily kPooling = LayerFamily::POOLING, kLinear = LayerFamily::LINEAR,
                      kActivation = LayerFamily::ACTIVATION, kLoss = LayerFamily::LOSS;

// The activations along a dimension (layers/activation.cpp runs them). PyTorch
// 1.13's dim=None picks dim 0 for 0-D, 1-D and 3-D inputs, else 1, and warns.
constexpr ParamDesc kLegacyDim = {"dim", K::INT, "None", -kNoBound, "None: 0 for 0-D, 1-D and 3-D inputs, else 1", -4, 3};
constexpr std::initializer_list<const char*> kInputGrad = {"input", "grad_output"};
constexpr LayerDesc kDimensionActivations[] = {
    {"Softmax", {kLegacyDim}, kInputGrad, kActivation, "Softmax(x)_i = exp(x_i) / sum_j exp(x_j), along dim"},
    {"Softmin", {kLegacyDim}, kInputGrad, kActivation, "Softmin(x)_i = exp(-x_i) / sum_j exp(-x_j), along dim"},
    {"LogSoftmax", {kLegacyDim}, kInputGrad, kActivation, "LogSoftmax(x)_i = x_i - log(sum_j exp(x_j)), along dim"},
    {"Softmax2d", {}, kInputGrad, kActivation, "Softmax over the channels (dim -3) of a 3-D or 4-D input"},
    {"GLU", {{"dim", K::INT, "-1", -kNoBound, "its size must be even", -4, 3}}, kInputGrad, kActivation,
     "GLU(x) = a * sigmoid(b), a and b the halves of x along dim"},
};

// PyTorch 1.13's constructors, keyword for keyword. `min` is the smallest value
// the layer accepts; the slider ranges are the app's.
constexpr LayerDesc kSeedLayers[] = {
    {"MaxPool2d",
     {{"kernel_size", K::INT_OR_PAIR, nullptr, 1, "", 1, 16},
      {"stride", K::INT_OR_PAIR, "None", 1, "None means kernel_size", 1, 16},
      {"padding", K::INT_OR_PAIR, "0", 0, "at most half of kernel_size", 0, 8},
      {"dilation", K::INT_OR_PAIR, "1", 1, "", 1, 8},
      {"return_indices", K::BOOL, "False"},
      {"ceil_mode", K::BOOL, "False"}},
     {"input", "grad_output"}, kPooling},
    {"AvgPool2d",
     {{"kernel_size", K::INT_OR_PAIR, nullptr, 1, "", 1, 16},
      {"stride", K::INT_OR_PAIR, "None", 1, "None means kernel_size", 1, 16},
      {"padding", K::INT_OR_PAIR, "0", 0, "at most half of kernel_size", 0, 8},
      {"ceil_mode", K::BOOL, "False"},
      {"count_include_pad", K::BOOL, "True"},
      {"divisor_override", K::INT, "None", -kNoBound, "not zero", 1, 16}},
     {"input", "grad_output"}, kPooling},
    // PyTorch checks none of MaxUnpool2d's keywords (stride=0 works); only the output size they give.
    {"MaxUnpool2d",
     {{"kernel_size", K::INT_OR_PAIR, nullptr, -kNoBound, "", 1, 16},
      {"stride", K::INT_OR_PAIR, "None", -kNoBound, "None means kernel_size", 1, 16},
      {"padding", K::INT_OR_PAIR, "0", -kNoBound, "", 0, 8}},
     {"input", "indices", "output_size", "grad_output"}, kPooling},
    {"Linear",
     {{"in_features", K::INT, nullptr, 0, "", 1, 16},
      {"out_features", K::INT, nullptr, 0, "", 1, 16},
      {"bias", K::BOOL, "True"}},
     {"input", "weight", "bias", "grad_output"}, kLinear, "y = x W^T + b"},
    {"Sigmoid", {}, {"input", "grad_output"}, kActivation, "Sigmoid(x) = 1 / (1 + exp(-x))"},
    {"Tanh", {}, {"input", "grad_output"}, kActivation, "Tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))"},
    {"ReLU", {{"inplace", K::BOOL, "False"}}, {"input", "grad_output"}, kActivation, "ReLU(x) = max(0, x)"},
    {"LeakyReLU",
     {{"negative_slope", K::FLOAT, "0.01", -kNoBound, "", -1, 1}, {"inplace", K::BOOL, "False"}},
     {"input", "grad_output"}, kActivation, "LeakyReLU(x) = x if x > 0, else negative_slope * x"},
    {"PReLU",
     {{"num_parameters", K::INT, "1", 0, "1 or the input's channels", 1, 8},
      {"init", K::FLOAT, "0.25", -kNoBound, "", -1, 1}},
     {"input", "weight", "grad_output"}, kActivation, "PReLU(x) = x if x > 0, else weight[c] * x"},
    {"RReLU",
     {{"lower", K::FLOAT, "0.125", -kNoBound, "at most upper", 0, 1},
      {"upper", K::FLOAT, "0.3333333333333333", -kNoBound, "at least lower", 0, 1},
      {"inplace", K::BOOL, "False"}},
     {"input", "noise", "grad_output"}, kActivation,
     "RReLU(x) = x if x > 0, else a * x, a ~ U(lower, upper) in training, (lower + upper) / 2 in eval"},
    {"BCEWithLogitsLoss",
     {{"weight", K::FLOAT, "None", -kNoBound, "not supported (use reduction)"},
      {"size_average", K::BOOL, "None", -kNoBound, "not supported (use reduction)"},
      {"reduce", K::BOOL, "None", -kNoBound, "not supported (use reduction)"},
      {"reduction", K::STRING, "'mean'", -kNoBound, "'none', 'mean' or 'sum'"},
      {"pos_weight", K::FLOAT, "None", -kNoBound, "not supported (use reduction)"}},
     {"input", "target", "grad_output"}, kLoss,
     "loss = -(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))), then the reduction"},
};

// The modules of PyTorch's "Pooling layers" and "Linear layers" the seed lacks,
// made from these rows by layers/module.h. Tuple keywords take an int (or float)
// or a tuple of spatial_dims entries, as PyTorch's _single/_pair/_triple.
constexpr ParamDesc kKernel = {"kernel_size", K::INT_TUPLE, nullptr, 1, "", 1, 16};
constexpr ParamDesc kStride = {"stride", K::INT_TUPLE, "None", 1, "None means kernel_size", 1, 16};
constexpr ParamDesc kPadding = {"padding", K::INT_TUPLE, "0", 0, "at most half of kernel_size", 0, 8};
constexpr ParamDesc kDilation = {"dilation", K::INT_TUPLE, "1", 1, "", 1, 8};
constexpr ParamDesc kReturnIndices = {"return_indices", K::BOOL, "False"};
constexpr ParamDesc kCeilMode = {"ceil_mode", K::BOOL, "False"};
constexpr ParamDesc kCountIncludePad = {"count_include_pad", K::BOOL, "True"};
// PyTorch checks none of MaxUnpool's keywords; only the output size they give.
constexpr ParamDesc kUnpoolKernel = {"kernel_size", K::INT_TUPLE, nullptr, -kNoBound, "", 1, 16};
constexpr ParamDesc kUnpoolStride = {"stride", K::INT_TUPLE, "None", -kNoBound, "None means kernel_size", 1, 16};
constexpr ParamDesc kUnpoolPadding = {"padding", K::INT_TUPLE, "0", -kNoBound, "", 0, 8};
constexpr ParamDesc kNormType = {"norm_type", K::FLOAT, nullptr, -kNoBound, "not zero (1/norm_type is the root)", 1, 8};
constexpr ParamDesc kAdaptiveSize = {"output_size", K::INT_OR_NONE_TUPLE, nullptr, 0, "None keeps the input's size", 1, 16};
constexpr ParamDesc kFractionalKernel = {"kernel_size", K::INT_TUPLE, nullptr, -kNoBound, "", 1, 8};
constexpr ParamDesc kFractionalSize = {"output_size", K::INT_TUPLE, "None", 0,
                                       "output_size + kernel_size - 1 at most the input size; or output_ratio", 1, 16};
constexpr ParamDesc kFractionalRatio = {"output_ratio", K::FLOAT_TUPLE, "None", -kNoBound,
                                        "strictly between 0 and 1; the output is int(input size * ratio)", 0, 1};
constexpr std::initializer_list<const char*> kPoolTensors = {"input", "grad_output"};
constexpr std::initializer_list<const char*> kUnpoolTensors = {"input", "indices", "output_size", "grad_output"};
constexpr std::initializer_list<const char*> kFractionalTensors = {"input", "random_samples", "grad_output"};
constexpr const char* kMaxFormula = "out = max over the window (kernel_size taps dilation apart, stride apart)";
constexpr const char* kAvgFormula = "out = sum over the window / its divisor (the window's size, or divisor_override)";
constexpr const char* kUnpoolFormula = "out[indices[i]] = x[i]; zeros elsewhere";
constexpr const char* kLpFormula = "out = (sum over the window of x^p)^(1/p), as (sign(a) relu(|a|) prod(k))^(1/p), a = avg(x^p)";
constexpr const char* kAdaptiveMaxFormula = "out[i] = max of x[floor(i in/out) : ceil((i+1) in/out)]";
constexpr const char* kAdaptiveAvgFormula = "out[i] = mean of x[floor(i in/out) : ceil((i+1) in/out)]";
constexpr const char* kFractionalFormula =
    "out[i] = max of x[s_i : s_i + k], s_i = int((i + u) a) - int(u a), a = (in - k) / (out - 1), u a random sample";
constexpr const char* kMaxNan = "a NaN in the window wins (the last one in scan order); ties: the first maximum";

constexpr LayerDesc kModules[] = {
    {"MaxPool1d", {kKernel, kStride, kPadding, kDilation, kReturnIndices, kCeilMode}, kPoolTensors, kPooling,
     kMaxFormula, kMaxNan, 1},
    {"MaxPool3d", {kKernel, kStride, kPadding, kDilation, kReturnIndices, kCeilMode}, kPoolTensors, kPooling,
     kMaxFormula, kMaxNan, 3},
    {"AvgPool1d", {kKernel, kStride, kPadding, kCeilMode, kCountIncludePad}, kPoolTensors, kPooling, kAvgFormula, "",
     1},
    {"AvgPool3d",
     {kKernel, kStride, kPadding, kCeilMode, kCountIncludePad,
      {"divisor_override", K::INT, "None", -kNoBound, "not zero", 1, 16}},
     kPoolTensors, kPooling, kAvgFormula, "", 3},
    {"MaxUnpool1d", {kUnpoolKernel, kUnpoolStride, kUnpoolPadding}, kUnpoolTensors, kPooling, kUnpoolFormula, "", 1},
    {"MaxUnpool3d", {kUnpoolKernel, kUnpoolStride, kUnpoolPadding}, kUnpoolTensors, kPooling, kUnpoolFormula, "", 3},
    {"LPPool1d", {kNormType, kKernel, kStride, kCeilMode}, kPoolTensors, kPooling, kLpFormula, "", 1},
    {"LPPool2d", {kNormType, kKernel, kStride, kCeilMode}, kPoolTensors, kPooling, kLpFormula, "", 2},
    {"AdaptiveMaxPool1d", {kAdaptiveSize, kReturnIndices}, kPoolTensors, kPooling, kAdaptiveMaxFormula, kMaxNan, 1},
    {"AdaptiveMaxPool2d", {kAdaptiveSize, kReturnIndices}, kPoolTensors, kPooling, kAdaptiveMaxFormula, kMaxNan, 2},
    {"AdaptiveMaxPool3d", {kAdaptiveSize, kReturnIndices}, kPoolTensors, kPooling, kAdaptiveMaxFormula, kMaxNan, 3},
    {"AdaptiveAvgPool1d", {kAdaptiveSize}, kPoolTensors, kPooling, kAdaptiveAvgFormula, "", 1},
    {"AdaptiveAvgPool2d", {kAdaptiveSize}, kPoolTensors, kPooling, kAdaptiveAvgFormula, "", 2},
    {"AdaptiveAvgPool3d", {kAdaptiveSize}, kPoolTensors, kPooling, kAdaptiveAvgFormula, "", 3},
    {"FractionalMaxPool2d", {kFractionalKernel, kFractionalSize, kFractionalRatio, kReturnIndices}, kFractionalTensors,
     kPooling, kFractionalFormula, kMaxNan, 2},
    {"FractionalMaxPool3d", {kFractionalKernel, kFractionalSize, kFractionalRatio, kReturnIndices}, kFractionalTensors,
     kPooling, kFractionalFormula, kMaxNan, 3},
    {"Identity", {{"kwargs", K::VAR_KEYWORDS, "None", -kNoBound, "any arguments, ignored"}}, kPoolTensors, kLinear,
     "y = x"},
    {"Bilinear",
     {{"in1_features", K::INT, nullptr, 1, "", 1, 8},
      {"in2_features", K::INT, nullptr, 1, "", 1, 8},
      {"out_features", K::INT, nullptr, 0, "", 1, 8},
      {"bias", K::BOOL, "True"}},
     {"input", "input2", "weight", "bias", "grad_output"}, kLinear, "y = x1^T A x2 + b, A = weight[o] for each output o"},
};

}  // namespace

// The seed's layers, then the element-wise activations, then those along a
// dimension, then the pooling and linear modules.
const std::vector<LayerDesc>& layer_descs() {
  static const std::vector<LayerDesc> kLayers = [] {
    std::vector<LayerDesc> layers(std::size(kSeedLayers) + elementwise_descs().size() +
                                  std::size(kDimensionActivations) + std::size(kModules));
    auto out = std::copy(std::begin(kSeedLayers), std::end(kSeedLayers), layers.begin());
    for (const ElementwiseDesc& e : elementwise_descs()) *out++ = e.layer;
    out = std::copy(std::begin(kDimensionActivations), std::end(kDimensionActivations), out);
    std::copy(std::begin(kModules), std::end(kModules), out);
    return layers;
  }();
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
  bool first = true;
  for (const ParamDesc& p : layer.params) {
    if (p.kind == K::VAR_KEYWORDS) return out + "*args, **kwargs)";  // Identity's
    out += (first ? "" : ", ") + std::string(p.name);
    first = false;
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
  static const char* kKinds[] = {"int",       "int_or_pair",       "float",       "bool",
                                 "string",    "int_tuple",         "int_or_none_tuple", "float_tuple",
                                 "var_keywords"};
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
                        {"choices", p.choices},
                        {"ui_min", p.ui_min},
                        {"ui_max", p.ui_max}});
    }
    out.push_back({{"name", l.name},
                   {"family", family_name(l.family)},
                   {"formula", l.formula},
                   {"nan_rule", l.nan_rule},
                   {"spatial_dims", l.spatial_dims},
                   {"params", std::move(params)},
                   {"tensors", std::vector<std::string>(l.tensors.begin(), l.tensors.end())}});
  }
  return out;
}

}  // namespace ll

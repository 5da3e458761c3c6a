// user_data.cpp — see user_data.h.
#include "user_data.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "compute.h"
#include "core/check.h"
#include "core/elementwise_desc.h"
#include "core/image.h"
#include "core/layer_desc.h"
#include "core/layers/activation.h"
#include "core/npy.h"
#include "core/paste.h"
#include "hash_state.h"
#include "labs.h"

namespace app {

namespace {

std::string shape_text(const ll::Shape& shape) {
  std::string t = "(";
  for (size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  return t + (shape.size() == 1 ? ",)" : ")");
}

// (W), (H, W), (C, H, W) or (N, C, H, W) as the pooling lab's (N, C, H, W) input, within the caps.
void set_file_input(AppState& s, const std::string& name, ll::Tensor t, std::string note) {
  for (const char* key : {"lab", "input", "n", "c", "h", "w", "cells", "grad_cells"})
    LL_CHECK(std::find(s.locked.begin(), s.locked.end(), key) == s.locked.end(),
             "%s: %s is locked by this assignment, so the input cannot be replaced", name.c_str(), key);
  const ll::Shape given = t.shape;
  ll::Shape shape = t.shape;
  LL_CHECK(!shape.empty() && shape.size() <= 4, "%s: a tensor of 1 to 4 dimensions is needed, got shape %s",
           name.c_str(), shape_text(given).c_str());
  while (shape.size() < 4) shape.insert(shape.begin(), 1);
  LL_CHECK(shape[0] <= kMaxInputN && shape[1] <= kMaxInputC && shape[2] <= kMaxInputSide && shape[3] <= kMaxInputSide,
           "%s: shape %s is over the app's caps: N <= %d, C <= %d, H and W <= %d", name.c_str(),
           shape_text(given).c_str(), kMaxInputN, kMaxInputC, kMaxInputSide);
  LL_CHECK(shape[0] >= 1 && shape[1] >= 1 && shape[2] >= 1 && shape[3] >= 1,
           "%s: every dimension must be at least 1, got shape %s", name.c_str(), shape_text(given).c_str());
  LL_CHECK(shape[0] * shape[1] * shape[2] * shape[3] <= kMaxInputElements,
           "%s: shape %s holds %lld values, over the app's cap of %lld (1 x %d x %d x %d)", name.c_str(),
           shape_text(given).c_str(), static_cast<long long>(shape[0] * shape[1] * shape[2] * shape[3]),
           static_cast<long long>(kMaxInputElements), kMaxInputC, kMaxInputSide, kMaxInputSide);
  InputParams& in = s.input;
  t.shape = shape;
  in.file = std::make_shared<const ll::Tensor>(std::move(t));
  in.file_name = name, in.file_note = std::move(note);
  in.gen = InputGen::FILE;
  in.n = static_cast<int>(shape[0]), in.c = static_cast<int>(shape[1]);
  in.h = static_cast<int>(shape[2]), in.w = static_cast<int>(shape[3]);
  in.edits.clear();
  in.grad_edits.clear();
  s.lab = Lab::POOL;
  s.dirty = true;
  s.error.clear();
  s.notice.clear();
}

// "kernel_size=3,2&stride=None": the keywords of a pasted layer as the lab's hash keys,
// every keyword not given back at PyTorch's default.
std::string keyword_hash(const ll::LayerDesc& desc, const nlohmann::json& given) {
  std::string h;
  for (const ll::ParamDesc& p : desc.params) {
    const nlohmann::json v = given.contains(p.name) ? given.at(p.name) : p.default_json();
    std::string text;
    if (v.is_null()) {
      if (p.required()) continue;
      text = "None";
    } else if (v.is_boolean()) {
      text = v.get<bool>() ? "1" : "0";
    } else if (v.is_array()) {
      for (const auto& e : v) text += (text.empty() ? "" : ",") + e.dump();
    } else if (v.is_string()) {
      text = v.get<std::string>();
    } else {
      text = v.dump();
    }
    h += "&" + std::string(p.name) + "=" + text;
  }
  return h;
}

const char* lab_of_layer(const std::string& layer) {
  if (layer == "MaxPool2d" || layer == "AvgPool2d" || layer == "MaxUnpool2d") return "pool";
  if (layer == "Linear") return "linear";
  for (int i = 0; i < kComparableActs; ++i)
    if (layer == act_layer_name(static_cast<ActLayer>(i))) return "activation";
  if (ll::is_generic_activation(layer)) return "activation";  // any other (ActLayer::GENERIC)
  return nullptr;  // a layer no lab shows yet (BCEWithLogitsLoss, ...)
}

// The tensors the current lab shows, by the names saveNpy takes.
struct Shown {
  const char* name;
  const ll::Tensor* values;  // nullptr: `indices` (int64)
};
std::vector<Shown> shown_tensors(const AppState& s) {
  const PoolResult& p = s.result;
  const LabResult& r = s.lab_result;
  switch (s.lab) {
    case Lab::POOL: {
      if (!p.valid) return {};
      std::vector<Shown> v{{"input", &p.input}, {"output", &p.output}};
      if (!p.indices.data.empty()) v.push_back({"indices", nullptr});
      if (s.layer == PoolLayer::MAX_UNPOOL2D) v.push_back({"unpooled", &p.unpooled});
      v.push_back({"grad_output", &p.grad_output});
      v.push_back({"grad_input", &p.grad_input});
      return v;
    }
    case Lab::ACTIVATION:
      if (is_dimwise(s.act)) return {{"input", &r.dim.input}, {"output", &r.dim.output}};
      return {{"input", &r.act_input}, {"output", &r.act_output}, {"grad_output", &r.act_grad_output},
              {"grad_input", &r.act_grad_input}};
    case Lab::LINEAR:
      return {{"input", &r.lin_input},        {"weight", &r.lin_weight},           {"bias", &r.lin_bias},
              {"output", &r.lin_output},      {"grad_output", &r.lin_grad_output}, {"grad_input", &r.lin_grad_input},
              {"grad_weight", &r.lin_grad_weight}, {"grad_bias", &r.lin_grad_bias}};
    case Lab::GRADIENT:
    case Lab::TRAIN:
      return {};
  }
  return {};
}

}  // namespace

void load_npy(AppState& s, const std::string& name, std::string_view bytes) {
  ll::NpyLimits limits;
  limits.max_elements = kMaxInputElements;
  ll::NpyArray a = ll::npy_read(bytes, name, limits);
  const std::string note = a.dtype == "<f4" ? std::string() : "dtype " + a.dtype + " read as float32";
  ll::Tensor t(a.shape);
  std::copy(a.data.begin(), a.data.end(), t.data.begin());
  set_file_input(s, name, std::move(t), note);
}

void load_image(AppState& s, const std::string& name, std::string_view rgba, int width, int height) {
  ll::ImageOptions options;
  options.channels = s.input.c == 1 ? 1 : 3;
  options.max_side = kMaxInputSide;
  ll::ImageTensor t;
  try {
    t = ll::image_to_tensor(rgba, width, height, options);
  } catch (const ll::Error& e) {
    ll::fail(name + ": " + e.what());
  }
  std::string note;
  if (t.downscaled)
    note = ll::format("downscaled %lld x %lld -> %lld x %lld (mean of %lld x %lld blocks)",
                      static_cast<long long>(t.source_width), static_cast<long long>(t.source_height),
                      static_cast<long long>(t.tensor.shape[3]), static_cast<long long>(t.tensor.shape[2]),
                      static_cast<long long>(t.factor), static_cast<long long>(t.factor));
  set_file_input(s, name, std::move(t.tensor), note);
}

std::string paste_text(AppState& s, std::string_view text) {
  const ll::Pasted p = ll::paste(text, kMaxInputElements);
  if (!p.is_layer) {
    ll::Tensor t(p.tensor.shape);
    std::copy(p.tensor.data.begin(), p.tensor.data.end(), t.data.begin());
    set_file_input(s, "pasted", std::move(t), "");
    return "tensor";
  }
  const ll::LayerDesc* desc = ll::find_layer(p.layer.layer);
  const char* lab = lab_of_layer(p.layer.layer);
  LL_CHECK(desc && lab, "%s: no lab shows this layer (paste a pooling, activation or Linear layer)",
           p.layer.layer.c_str());
  const std::string hash = std::string("lab=") + lab + "&layer=" + desc->name + keyword_hash(*desc, p.layer.params);
  const std::string locked = locked_change(s, hash);
  LL_CHECK(locked.empty(), "%s: %s", desc->name, locked.c_str());
  apply_hash(s, hash);
  return "layer";
}

std::string save_npy(AppState& s, const std::string& which) {
  ensure_computed(s);
  std::string names;
  for (const Shown& t : shown_tensors(s)) {
    if (which == t.name) return t.values ? ll::npy_write(*t.values) : ll::npy_write_i64(s.result.indices);
    names += (names.empty() ? "" : ", ") + std::string(t.name);
  }
  ll::fail(ll::format("saveNpy: the %s lab shows no tensor '%s' (it shows: %s)", lab_name(s.lab), which.c_str(),
                      names.empty() ? "none yet" : names.c_str()));
}

bool shown_cell(const AppState& s, const std::string& which, const std::vector<int64_t>& index, double* value) {
  for (const Shown& t : shown_tensors(s)) {
    if (which != t.name) continue;
    const ll::Shape& shape = t.values ? t.values->shape : s.result.indices.shape;
    if (index.size() != shape.size()) return false;
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (index[d] < 0 || index[d] >= shape[d]) return false;
      flat = flat * shape[d] + index[d];
    }
    *value = t.values ? static_cast<double>(t.values->data[static_cast<size_t>(flat)])
                      : static_cast<double>(s.result.indices.data[static_cast<size_t>(flat)]);
    return true;
  }
  return false;
}

std::vector<std::string> tensor_names(const AppState& s) {
  std::vector<std::string> out;
  for (const Shown& t : shown_tensors(s)) out.push_back(t.name);
  return out;
}

}  // namespace app

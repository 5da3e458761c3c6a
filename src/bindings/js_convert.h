// js_convert.h — helpers of the Embind binding: JS errors, copies between JS
// typed arrays and the core's tensors, JS option objects to JSON.
//
// Data always crosses the boundary as a copy: a typed_memory_view is only
// alive inside one call, so no view can dangle when the wasm memory grows.
#pragma once

#include <emscripten/val.h>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/check.h"
#include "core/tensor.h"

namespace ll_js {

using emscripten::val;

// Throws a JavaScript Error carrying the core's message (never a bare number).
[[noreturn]] inline void throw_js_error(const std::string& message) {
  val::global("Error").new_(message).throw_();
  __builtin_unreachable();
}

// Runs `f`, turning any C++ exception into a JavaScript Error.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw_js_error(e.what());
  }
}

// A JS value (object, array, number, undefined) as JSON, through JSON.stringify.
inline nlohmann::json to_json(const val& v) {
  if (v.isUndefined() || v.isNull()) return nullptr;
  const std::string text = val::global("JSON").call<std::string>("stringify", v);
  const std::string_view view(text);  // the spec reader's instantiation of the parser (one copy in the wasm)
  return nlohmann::json::parse(view.begin(), view.end());
}

inline ll::Shape to_shape(const val& shape, const char* what) {
  LL_CHECK(shape.isArray(), "tensor: %s must be an array of ints", what);
  const unsigned n = shape["length"].as<unsigned>();
  LL_CHECK(n <= 8, "tensor: %s may have at most 8 dimensions, got %u", what, n);
  ll::Shape s;
  for (unsigned i = 0; i < n; ++i) {
    const val e = shape[i];
    LL_CHECK(e.isNumber() && val::global("Number").call<bool>("isInteger", e),
             "tensor: %s entries must be integers", what);
    s.push_back(static_cast<int64_t>(e.as<double>()));
  }
  return s;
}

// Copies a Float32Array (or any array-like of numbers) of `n` values.
inline ll::Storage<float> copy_floats(const val& data, int64_t n, const char* what) {
  LL_CHECK(!data.isUndefined() && !data.isNull(), "tensor: %s data is missing", what);
  const val len = data["length"];
  LL_CHECK(len.isNumber() && static_cast<int64_t>(len.as<double>()) == n,
           "tensor: %s needs %lld values for its shape, got %s", what, static_cast<long long>(n),
           len.isNumber() ? std::to_string(static_cast<long long>(len.as<double>())).c_str() : "no length");
  ll::Storage<float> out(static_cast<size_t>(n));  // every value is written by set()
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", data);
  return out;
}

inline std::vector<int32_t> copy_ints(const val& data, int64_t n, const char* what) {
  LL_CHECK(!data.isUndefined() && !data.isNull(), "%s are missing", what);
  const val len = data["length"];
  LL_CHECK(len.isNumber() && static_cast<int64_t>(len.as<double>()) == n, "%s: need %lld values, got %s", what,
           static_cast<long long>(n),
           len.isNumber() ? std::to_string(static_cast<long long>(len.as<double>())).c_str() : "no length");
  std::vector<int32_t> out(static_cast<size_t>(n));
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", data);
  return out;
}

inline val shape_to_js(const ll::Shape& shape) {
  val a = val::array();
  for (size_t i = 0; i < shape.size(); ++i) a.set(i, static_cast<double>(shape[i]));
  return a;
}

inline val floats_to_js(const ll::Storage<float>& v) {
  val out = val::global("Float32Array").new_(v.size());
  out.call<void>("set", val(emscripten::typed_memory_view(v.size(), v.data())));
  return out;
}

inline val ints_to_js(const ll::Storage<int32_t>& v) {
  val out = val::global("Int32Array").new_(v.size());
  out.call<void>("set", val(emscripten::typed_memory_view(v.size(), v.data())));
  return out;
}

}  // namespace ll_js

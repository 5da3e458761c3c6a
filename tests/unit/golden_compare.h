// golden_compare.h — compares a result with a PyTorch golden under CONTRACT's
// tolerance: shapes, indices and error/no-error exactly; values within
// |a - b| <= 1e-5 + 1e-5 * |b|; NaN where PyTorch gives NaN.
#pragma once

#include <cmath>
#include <fstream>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

namespace ll_test {

using nlohmann::json;

inline double golden_value(const json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    return 12345.678;  // never matches
  }
  return v.get<double>();
}

// RReLU training without a given noise: PyTorch's random slopes cannot be
// reproduced, so check what the contract promises instead: noise in
// [lower, upper] where x <= 0, 1 where x > 0 or NaN, output = x * noise.
inline std::string check_sampled_rrelu(const json& spec, const json& actual) {
  const json& x = spec["input"]["data"];
  const json& noise = actual["noise"]["data"];
  const json& out = actual["output"]["data"];
  const json params = spec.value("params", json::object());
  const double lower = params.value("lower", 1.0 / 8), upper = params.value("upper", 1.0 / 3);
  if (noise.size() != x.size() || out.size() != x.size()) return "noise/output length differs from the input";
  for (size_t i = 0; i < x.size(); ++i) {
    const double xv = golden_value(x[i]), n = golden_value(noise[i]), y = golden_value(out[i]);
    const bool slope = xv <= 0;
    if (!slope && n != 1.0) return "noise[" + std::to_string(i) + "] should be 1";
    if (slope && (n < static_cast<float>(lower) || n > static_cast<float>(upper))) return "noise out of [lower, upper]";
    const double want = slope ? static_cast<double>(static_cast<float>(xv) * static_cast<float>(n)) : xv;
    if (!(std::isnan(want) ? std::isnan(y) : std::fabs(y - want) <= 1e-6 + 1e-6 * std::fabs(want))) {
      return "output[" + std::to_string(i) + "] != input * noise";
    }
  }
  return "";
}

// Empty string when they agree, else what differs.
inline std::string compare_result(const json& spec, const json& expected, const json& actual) {
  if (spec.value("layer", "") == "RReLU" && spec.value("training", false) && !spec.contains("noise") &&
      !expected.contains("error") && !actual.contains("error") && !expected.contains("grad_input")) {
    if (!actual.contains("noise") || !actual.contains("output")) return "missing output or noise";
    return check_sampled_rrelu(spec, actual);
  }
  if (expected.contains("error")) {
    if (!actual.contains("error")) return "PyTorch rejects this spec (" + expected["error"].dump() + "), we returned a result";
    return "";
  }
  if (actual.contains("error")) return "we rejected a spec PyTorch accepts: " + actual["error"].get<std::string>();
  for (const auto& item : expected.items()) {
    if (!actual.contains(item.key())) return "missing field " + item.key();
  }
  for (const auto& item : actual.items()) {
    if (!expected.contains(item.key())) return "unexpected field " + item.key();
  }
  for (const auto& item : expected.items()) {
    const json& e = item.value();
    const json& a = actual[item.key()];
    if (e["shape"] != a["shape"]) return item.key() + ": shape " + a["shape"].dump() + " != " + e["shape"].dump();
    if (e["data"].size() != a["data"].size()) return item.key() + ": data length differs";
    for (size_t i = 0; i < e["data"].size(); ++i) {
      const json& ev = e["data"][i];
      const json& av = a["data"][i];
      if (item.key() == "indices") {
        if (ev != av) return "indices[" + std::to_string(i) + "]: " + av.dump() + " != " + ev.dump();
        continue;
      }
      const double b = golden_value(ev), x = golden_value(av);
      const bool ok = std::isnan(b) ? std::isnan(x)
                      : std::isinf(b) ? x == b
                                      : std::fabs(x - b) <= 1e-5 + 1e-5 * std::fabs(b);
      if (!ok) return item.key() + "[" + std::to_string(i) + "]: " + av.dump() + " != " + ev.dump();
    }
  }
  return "";
}

inline json load_json_file(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

}  // namespace ll_test

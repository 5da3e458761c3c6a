// hash_state.cpp — parsing is table-driven over the known keys; nothing here throws.
#include "hash_state.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace app {

namespace {

// Limits the hash can ask for; the sliders show the same ranges, the core
// reports what PyTorch would reject inside them.
constexpr int kPairMin = -8, kPairMax = 256;
constexpr int kMaxEdits = 4096;

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::optional<long long> parse_int(std::string_view v) {
  std::string t(v);
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty() || t.size() > 20) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(t.c_str(), &end, 10);
  if (errno != 0 || end == t.c_str() || *end != '\0') return std::nullopt;
  return x;
}

int clamp_int(long long x, int lo, int hi) { return static_cast<int>(std::clamp<long long>(x, lo, hi)); }

std::optional<bool> parse_bool(std::string_view v) {
  const std::string t = lower(std::string(v));
  if (t == "1" || t == "true" || t == "yes" || t == "on") return true;
  if (t == "0" || t == "false" || t == "no" || t == "off") return false;
  return std::nullopt;
}

// "3", "3,2", "(3, 2)" or "[3,2]".
bool parse_pair(std::string_view v, PairParam* out) {
  std::string t;
  for (char c : v)
    if (c != '(' && c != ')' && c != '[' && c != ']' && c != ' ') t += c;
  const size_t comma = t.find(',');
  if (comma == std::string::npos) {
    const auto a = parse_int(t);
    if (!a) return false;
    out->h = out->w = clamp_int(*a, kPairMin, kPairMax);
    out->square = true;
    return true;
  }
  const auto a = parse_int(std::string_view(t).substr(0, comma));
  const auto b = parse_int(std::string_view(t).substr(comma + 1));
  if (!a || !b) return false;
  out->h = clamp_int(*a, kPairMin, kPairMax);
  out->w = clamp_int(*b, kPairMin, kPairMax);
  out->square = false;
  return true;
}

std::string pair_text(const PairParam& p) {
  return p.square ? std::to_string(p.h) : std::to_string(p.h) + "," + std::to_string(p.w);
}

std::string float_text(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  for (int prec = 1; prec <= 9; ++prec) {  // shortest text that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", prec, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return buf;
}

void parse_cells(std::string_view v, std::map<int64_t, float>* edits) {
  std::map<int64_t, float> out;
  size_t pos = 0;
  while (pos <= v.size() && static_cast<int>(out.size()) < kMaxEdits) {
    size_t end = v.find(',', pos);
    if (end == std::string_view::npos) end = v.size();
    const std::string_view item = v.substr(pos, end - pos);
    const size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      const auto idx = parse_int(item.substr(0, colon));
      const std::string val(item.substr(colon + 1));
      char* e = nullptr;
      const float f = val.size() < 40 ? std::strtof(val.c_str(), &e) : 0.0f;
      if (idx && *idx >= 0 && *idx < (int64_t{1} << 40) && e && e != val.c_str() && *e == '\0') out[*idx] = f;
    }
    pos = end + 1;
  }
  *edits = std::move(out);
}

}  // namespace

const char* layer_name(PoolLayer l) {
  switch (l) {
    case PoolLayer::AVG_POOL2D:
      return "AvgPool2d";
    case PoolLayer::MAX_UNPOOL2D:
      return "MaxUnpool2d";
    default:
      return "MaxPool2d";
  }
}

const char* input_gen_name(InputGen g) {
  switch (g) {
    case InputGen::RANDOM:
      return "random";
    case InputGen::CHECKERBOARD:
      return "checkerboard";
    case InputGen::GRADIENT:
      return "gradient";
    case InputGen::PICTURE:
      return "picture";
    default:
      return "ramp";
  }
}

std::string to_hash(const AppState& s) {
  const PoolParams& p = s.params;
  std::string h = std::string("layer=") + layer_name(s.layer) + "&lab=pool";
  h += "&kernel_size=" + pair_text(p.kernel_size);
  if (!p.stride_is_none) h += "&stride=" + pair_text(p.stride);
  h += "&padding=" + pair_text(p.padding);
  if (s.layer == PoolLayer::MAX_POOL2D) {
    h += "&dilation=" + pair_text(p.dilation);
    h += std::string("&return_indices=") + (p.return_indices ? "1" : "0");
  }
  if (s.layer != PoolLayer::MAX_UNPOOL2D) h += std::string("&ceil_mode=") + (p.ceil_mode ? "1" : "0");
  if (s.layer == PoolLayer::AVG_POOL2D) {
    h += std::string("&count_include_pad=") + (p.count_include_pad ? "1" : "0");
    if (p.has_divisor_override) h += "&divisor_override=" + std::to_string(p.divisor_override);
  }
  const InputParams& in = s.input;
  h += std::string("&input=") + input_gen_name(in.gen);
  h += "&n=" + std::to_string(in.n) + "&c=" + std::to_string(in.c) + "&h=" + std::to_string(in.h) +
       "&w=" + std::to_string(in.w);
  h += "&seed=" + std::to_string(in.seed);
  if (in.grad == GradGen::RANDOM) h += "&grad=random";
  if (!in.edits.empty()) {
    h += "&cells=";
    bool first = true;
    for (const auto& [i, v] : in.edits) {
      if (!first) h += ',';
      first = false;
      h += std::to_string(i) + ":" + float_text(v);
    }
  }
  h += std::string("&lang=") + (s.lang == Lang::ZH ? "zh" : "en");
  return h;
}

void apply_hash(AppState& s, std::string_view hash) {
  if (hash.size() > (size_t{1} << 20)) return;  // not a hash we wrote
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  PoolParams& p = s.params;
  InputParams& in = s.input;
  size_t pos = 0;
  while (pos < hash.size()) {
    size_t end = hash.find('&', pos);
    if (end == std::string_view::npos) end = hash.size();
    const std::string_view item = hash.substr(pos, end - pos);
    pos = end + 1;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = lower(url_decode(item.substr(0, eq)));
    const std::string val = url_decode(item.substr(eq + 1));
    const std::string lval = lower(val);

    if (key == "layer") {
      if (lval == "maxpool2d")
        s.layer = PoolLayer::MAX_POOL2D;
      else if (lval == "avgpool2d")
        s.layer = PoolLayer::AVG_POOL2D;
      else if (lval == "maxunpool2d")
        s.layer = PoolLayer::MAX_UNPOOL2D;
    } else if (key == "kernel_size") {
      parse_pair(val, &p.kernel_size);
    } else if (key == "stride") {
      if (lval == "none" || lval == "null" || lval.empty())
        p.stride_is_none = true;
      else if (parse_pair(val, &p.stride))
        p.stride_is_none = false;
    } else if (key == "padding") {
      parse_pair(val, &p.padding);
    } else if (key == "dilation") {
      parse_pair(val, &p.dilation);
    } else if (key == "ceil_mode") {
      if (auto b = parse_bool(val)) p.ceil_mode = *b;
    } else if (key == "return_indices") {
      if (auto b = parse_bool(val)) p.return_indices = *b;
    } else if (key == "count_include_pad") {
      if (auto b = parse_bool(val)) p.count_include_pad = *b;
    } else if (key == "divisor_override") {
      if (lval == "none" || lval == "null" || lval.empty()) {
        p.has_divisor_override = false;
      } else if (auto x = parse_int(val)) {
        p.has_divisor_override = true;
        p.divisor_override = clamp_int(*x, -1000000, 1000000);
      }
    } else if (key == "input") {
      if (lval == "ramp")
        in.gen = InputGen::RAMP;
      else if (lval == "random")
        in.gen = InputGen::RANDOM;
      else if (lval == "checkerboard")
        in.gen = InputGen::CHECKERBOARD;
      else if (lval == "gradient")
        in.gen = InputGen::GRADIENT;
      else if (lval == "picture")
        in.gen = InputGen::PICTURE;
    } else if (key == "n") {
      if (auto x = parse_int(val)) in.n = clamp_int(*x, 1, 2);
    } else if (key == "c") {
      if (auto x = parse_int(val)) in.c = clamp_int(*x, 1, 3);
    } else if (key == "h") {
      if (auto x = parse_int(val)) in.h = clamp_int(*x, 1, 224);
    } else if (key == "w") {
      if (auto x = parse_int(val)) in.w = clamp_int(*x, 1, 224);
    } else if (key == "seed") {
      if (auto x = parse_int(val)) in.seed = static_cast<uint32_t>(std::clamp<long long>(*x, 0, 2147483647));
    } else if (key == "grad") {
      if (lval == "ones")
        in.grad = GradGen::ONES;
      else if (lval == "random")
        in.grad = GradGen::RANDOM;
    } else if (key == "cells") {
      parse_cells(val, &in.edits);
    } else if (key == "lang") {
      if (lval == "en")
        s.lang = Lang::EN;
      else if (lval == "zh" || lval == "zh-cn")
        s.lang = Lang::ZH;
    }
    // "lab": this app has the pooling lab only; other keys are ignored.
  }
  s.dirty = true;
}

void load_hash(AppState& s, std::string_view hash) {
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  const Lang lang = s.lang;
  s.layer = PoolLayer::MAX_POOL2D;
  s.params = PoolParams{};
  s.input = InputParams{};
  s.lang = lang;  // the language survives a reload unless the hash names one
  apply_hash(s, hash.empty() ? std::string_view(kWelcomeHash) : hash);
}

}  // namespace app

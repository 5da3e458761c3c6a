// hash_state.cpp — the URL hash <-> AppState. Reading: one table of keys per lab
// (kPoolKeys, kActivationKeys, ...) plus the view keys every lab has; unknown keys are
// ignored, values out of range clamped; nothing here throws. Writing: to_hash.
#include "hash_state.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "compute.h"
#include "core/elementwise_desc.h"
#include "core/layer_desc.h"
#include "core/layers/activation.h"
#include "core/number_text.h"
#include "inspector.h"
#include "labs.h"
#include "labs/registry.h"

namespace app {

std::string float_text(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return ll::shortest_text(v);
}

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

// "&cells=12:0.5,40:-1" for hand-edited cells (flat index: value), nothing for none.
std::string cells_text(const char* key, const std::map<int64_t, float>& edits) {
  if (edits.empty()) return "";
  std::string h = std::string("&") + key + "=";
  for (const auto& [i, v] : edits) h += (h.back() == '=' ? "" : ",") + std::to_string(i) + ":" + float_text(v);
  return h;
}

std::optional<double> parse_float(std::string_view v, double lo, double hi) {
  const std::string t(v);
  if (t.empty() || t.size() > 40) return std::nullopt;
  char* end = nullptr;
  const double x = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0' || !std::isfinite(x)) return std::nullopt;
  return std::clamp(x, lo, hi);
}

std::optional<Lab> parse_lab(const std::string& v) {
  if (const LabDef* d = find_lab(v)) return d->id;
  return std::nullopt;
}

std::optional<ActLayer> parse_act_layer(const std::string& lval) {
  for (int i = 0; i < kComparableActs; ++i)
    if (lower(act_layer_name(static_cast<ActLayer>(i))) == lval) return static_cast<ActLayer>(i);
  return std::nullopt;
}

// Any other activation of the core, by name in any case: "GELU", "gelu", "Softmax".
const ll::LayerDesc* parse_generic_act(const std::string& lval) {
  for (const ll::LayerDesc& d : ll::layer_descs())
    if (ll::is_generic_activation(d.name) && lower(d.name) == lval) return &d;
  return nullptr;
}

// A keyword of some such activation (the lab keeps it for the layer that has it).
bool is_generic_act_keyword(const std::string& key) {
  for (const ll::LayerDesc& d : ll::layer_descs())
    if (ll::is_generic_activation(d.name) && ll::find_param(d, key)) return true;
  return false;
}

// logits=2,1,0.1: at most kMaxLogits finite numbers, each clamped to +-1e4.
void set_logits(const std::string& raw, std::vector<float>* out) {
  std::vector<float> v;
  for (size_t at = 0; at <= raw.size() && v.size() < static_cast<size_t>(kMaxLogits);) {
    const size_t comma = std::min(raw.find(',', at), raw.size());
    const auto x = parse_float(std::string_view(raw).substr(at, comma - at), -1e4, 1e4);
    if (!x) return;
    v.push_back(static_cast<float>(*x));
    at = comma + 1;
  }
  if (!v.empty()) *out = v;
}

std::optional<StackAct> parse_stack_act(const std::string& lval, bool allow_none) {
  for (int i = allow_none ? 0 : 1; i < stack_act_count(); ++i)
    if (lower(stack_act_name(static_cast<StackAct>(i))) == lval) return static_cast<StackAct>(i);
  if (lval == "leaky_relu") return StackAct::LEAKY_RELU;
  return std::nullopt;
}

std::string num_text(double v) { return float_text(static_cast<float>(v)); }

// A comma list of names (`compare=Sigmoid,ReLU`) as bits 1 << i of the enum values
// first..last whose name(i) matches case-insensitively; unknown names are skipped.
template <typename Enum>
unsigned parse_name_set(const std::string& lval, int first, int last, const char* (*name)(Enum)) {
  unsigned bits = 0;
  size_t pos = 0;
  while (pos <= lval.size()) {
    size_t end = lval.find(',', pos);
    if (end == std::string::npos) end = lval.size();
    const std::string item = lval.substr(pos, end - pos);
    for (int i = first; i <= last; ++i)
      if (lower(name(static_cast<Enum>(i))) == item) bits |= 1u << i;
    pos = end + 1;
  }
  return bits;
}

template <typename Enum>
std::string name_set_text(unsigned bits, int first, int last, const char* (*name)(Enum)) {
  std::string out;
  for (int i = first; i <= last; ++i)
    if (bits & (1u << i)) out += (out.empty() ? "" : ",") + std::string(name(static_cast<Enum>(i)));
  return out;
}

// n, c, h or w of the pooling lab's input, clamped to the app's caps; a clamped
// value says so in s.notice (the hash is rewritten with what is shown).
void set_input_dim(AppState& s, const std::string& key, const std::string& val) {
  const auto x = parse_int(val);
  if (!x) return;
  InputParams& in = s.input;
  const bool side = key == "h" || key == "w";
  const int hi = side ? kMaxInputSide : key == "c" ? kMaxInputC : kMaxInputN;
  int* dim = key == "n" ? &in.n : key == "c" ? &in.c : key == "h" ? &in.h : &in.w;
  *dim = clamp_int(*x, 1, hi);
  if (*dim != *x)
    s.notice += (s.notice.empty() ? "" : "; ") + key + "=" + val + " is outside 1.." + std::to_string(hi) +
                ", the app's range: " + key + "=" + std::to_string(*dim) + " is shown";
}

// ---------------------------------------------------------------------------
// The hash keys of each lab, one table per lab: a key's name and how its value
// sets the state. Values out of range are clamped, unreadable ones ignored.

struct Value {
  const std::string& raw;    // as given ("MaxPool2d", "3,2")
  const std::string& lower;  // lower-cased, for names
};

struct KeyRule {
  const char* key;
  void (*apply)(AppState& s, const Value& v);
};

void set_int(const Value& v, int lo, int hi, int* out) {
  if (auto x = parse_int(v.raw)) *out = clamp_int(*x, lo, hi);
}
template <typename T>
void set_float(const Value& v, double lo, double hi, T* out) {
  if (auto x = parse_float(v.raw, lo, hi)) *out = static_cast<T>(*x);
}
void set_bool(const Value& v, bool* out) {
  if (auto b = parse_bool(v.raw)) *out = *b;
}
void set_seed(const Value& v, uint32_t* out) {
  if (auto x = parse_int(v.raw)) *out = static_cast<uint32_t>(std::clamp<long long>(*x, 0, 2147483647));
}
void add_steps(const Value& v, int* pending) {  // steps queue up; a link's are bounded later (load_hash)
  if (auto x = parse_int(v.raw)) *pending = clamp_int(*pending + std::max<long long>(*x, 0), 0, 100000);
}
void set_none_or_pair(const Value& v, bool* is_none, PairParam* out) {  // stride=None
  if (v.lower == "none" || v.lower == "null" || v.lower.empty())
    *is_none = true;
  else if (parse_pair(v.raw, out))
    *is_none = false;
}

const KeyRule kActivationKeys[] = {
    {"layer", [](AppState& s, const Value& v) {
       if (auto l = parse_act_layer(v.lower)) {
         s.act.layer = *l;
       } else if (const ll::LayerDesc* d = parse_generic_act(v.lower)) {
         s.act.layer = ActLayer::GENERIC, s.act.generic = d->name;
         for (auto it = s.act.keywords.begin(); it != s.act.keywords.end();)  // keep only this layer's keywords
           it = ll::find_param(*d, it->first) ? std::next(it) : s.act.keywords.erase(it);
       }
     }},
    {"negative_slope", [](AppState& s, const Value& v) { set_float(v, -100, 100, &s.act.negative_slope); }},
    {"num_parameters", [](AppState& s, const Value& v) { set_int(v, -4, 8, &s.act.num_parameters); }},
    {"init", [](AppState& s, const Value& v) {
       if (auto x = parse_float(v.raw, -100, 100)) s.act.init = *x, s.act.fit.clear();
     }},
    {"lower", [](AppState& s, const Value& v) { set_float(v, -100, 100, &s.act.lower); }},
    {"upper", [](AppState& s, const Value& v) { set_float(v, -100, 100, &s.act.upper); }},
    {"training", [](AppState& s, const Value& v) { set_bool(v, &s.act.training); }},
    {"seed", [](AppState& s, const Value& v) { set_seed(v, &s.act.seed); }},
    {"xmin", [](AppState& s, const Value& v) { set_float(v, -1000, 1000, &s.act.xmin); }},
    {"xmax", [](AppState& s, const Value& v) { set_float(v, -1000, 1000, &s.act.xmax); }},
    {"compare", [](AppState& s, const Value& v) {
       s.act.compare = parse_name_set(v.lower, 0, kComparableActs - 1, act_layer_name);
     }},
    {"input", [](AppState& s, const Value& v) {
       if (v.lower == "ramp") s.act.random_input = false;
       if (v.lower == "random") s.act.random_input = true;
     }},
    {"lr", [](AppState& s, const Value& v) { set_float(v, 0, 100, &s.act.lr); }},
    {"target_slope", [](AppState& s, const Value& v) {
       if (auto x = parse_float(v.raw, -10, 10)) s.act.target_slope = static_cast<float>(*x), s.act.fit.clear();
     }},
    {"steps", [](AppState& s, const Value& v) { add_steps(v, &s.act.pending_steps); }},  // PReLU SGD steps
    {"logits", [](AppState& s, const Value& v) { set_logits(v.raw, &s.act.logits); }},
    {"temperature", [](AppState& s, const Value& v) { set_float(v, 0.01, 100, &s.act.temperature); }},
};

const KeyRule kLinearKeys[] = {
    {"in_features", [](AppState& s, const Value& v) { set_int(v, 1, 16, &s.lin.in_features); }},
    {"out_features", [](AppState& s, const Value& v) { set_int(v, 1, 16, &s.lin.out_features); }},
    {"bias", [](AppState& s, const Value& v) { set_bool(v, &s.lin.bias); }},
    {"n", [](AppState& s, const Value& v) { set_int(v, 1, 16, &s.lin.batch); }},
    {"seed", [](AppState& s, const Value& v) { set_seed(v, &s.lin.seed); }},
    {"cells", [](AppState& s, const Value& v) { parse_cells(v.raw, &s.lin.weight_edits); }},
    {"depth", [](AppState& s, const Value& v) { set_int(v, 1, 6, &s.lin.depth); }},
    {"hidden", [](AppState& s, const Value& v) { set_int(v, 1, 16, &s.lin.hidden); }},
    {"activation", [](AppState& s, const Value& v) { if (auto a = parse_stack_act(v.lower, true)) s.lin.activation = *a; }},
};

const KeyRule kGradientKeys[] = {
    {"depth", [](AppState& s, const Value& v) { set_int(v, 1, 50, &s.grad.depth); }},
    {"width", [](AppState& s, const Value& v) { set_int(v, 2, 128, &s.grad.width); }},
    {"n", [](AppState& s, const Value& v) { set_int(v, 1, 256, &s.grad.batch); }},
    {"seed", [](AppState& s, const Value& v) { set_seed(v, &s.grad.seed); }},
    {"init", [](AppState& s, const Value& v) {
       for (int i = 0; i < static_cast<int>(InitScheme::COUNT); ++i)
         if (v.lower == init_name(static_cast<InitScheme>(i))) s.grad.init = static_cast<InitScheme>(i);
       if (v.lower == "xavier") s.grad.init = InitScheme::XAVIER_UNIFORM;  // the names older links use
       if (v.lower == "kaiming") s.grad.init = InitScheme::KAIMING_UNIFORM;
     }},
    {"gain", [](AppState& s, const Value& v) { set_float(v, kMinGain, kMaxGain, &s.grad.gain); }},
    {"compare", [](AppState& s, const Value& v) {
       s.grad.compare = parse_name_set(v.lower, 1, stack_act_count() - 1, stack_act_name);
     }},
    {"activation", [](AppState& s, const Value& v) { if (auto a = parse_stack_act(v.lower, true)) s.grad.activation = *a; }},
};

// The model's keys make a new model on the next compute.
template <typename T>
void set_model_key(AppState& s, T* field, T value) {
  if (*field != value) s.train_run.reset();
  *field = value;
}

const KeyRule kTrainKeys[] = {
    {"dataset", [](AppState& s, const Value& v) {
       for (int i = 0; i < static_cast<int>(Dataset::COUNT); ++i)
         if (v.lower == dataset_name(static_cast<Dataset>(i))) set_model_key(s, &s.train.dataset, static_cast<Dataset>(i));
     }},
    {"hidden", [](AppState& s, const Value& v) {
       int h = s.train.hidden;
       set_int(v, 1, 64, &h);
       set_model_key(s, &s.train.hidden, h);
     }},
    {"activation", [](AppState& s, const Value& v) {
       if (auto a = parse_stack_act(v.lower, false)) set_model_key(s, &s.train.activation, *a);
     }},
    {"lr", [](AppState& s, const Value& v) { set_float(v, 0, 100, &s.train.lr); }},
    {"seed", [](AppState& s, const Value& v) {
       uint32_t seed = s.train.seed;
       set_seed(v, &seed);
       set_model_key(s, &s.train.seed, seed);
     }},
    {"speed", [](AppState& s, const Value& v) { set_int(v, 1, 100, &s.train.steps_per_frame); }},
    {"play", [](AppState& s, const Value& v) { set_bool(v, &s.train.playing); }},
    {"steps", [](AppState& s, const Value& v) { add_steps(v, &s.train.pending_steps); }},
};

const KeyRule kPoolKeys[] = {
    {"layer", [](AppState& s, const Value& v) {
       for (const PoolLayer l : {PoolLayer::MAX_POOL2D, PoolLayer::AVG_POOL2D, PoolLayer::MAX_UNPOOL2D})
         if (v.lower == lower(layer_name(l))) s.layer = l;
     }},
    {"kernel_size", [](AppState& s, const Value& v) { parse_pair(v.raw, &s.params.kernel_size); }},
    {"stride", [](AppState& s, const Value& v) { set_none_or_pair(v, &s.params.stride_is_none, &s.params.stride); }},
    {"padding", [](AppState& s, const Value& v) { parse_pair(v.raw, &s.params.padding); }},
    {"dilation", [](AppState& s, const Value& v) { parse_pair(v.raw, &s.params.dilation); }},
    {"ceil_mode", [](AppState& s, const Value& v) { set_bool(v, &s.params.ceil_mode); }},
    {"return_indices", [](AppState& s, const Value& v) { set_bool(v, &s.params.return_indices); }},
    {"count_include_pad", [](AppState& s, const Value& v) { set_bool(v, &s.params.count_include_pad); }},
    {"divisor_override", [](AppState& s, const Value& v) {
       PoolParams& p = s.params;
       if (v.lower == "none" || v.lower == "null" || v.lower.empty()) {
         p.has_divisor_override = false;
       } else if (auto x = parse_int(v.raw)) {
         p.has_divisor_override = true;
         p.divisor_override = clamp_int(*x, -1000000, 1000000);
       }
     }},
    {"input", [](AppState& s, const Value& v) {
       InputParams& in = s.input;
       for (const InputGen g : {InputGen::RAMP, InputGen::RANDOM, InputGen::CHECKERBOARD, InputGen::GRADIENT,
                                InputGen::PICTURE})
         if (v.lower == input_gen_name(g)) in.gen = g;
       if (v.lower == "file" && in.file) in.gen = InputGen::FILE;  // only while a file is loaded: its data is not in the URL
     }},
    {"n", [](AppState& s, const Value& v) { set_input_dim(s, "n", v.raw); }},
    {"c", [](AppState& s, const Value& v) { set_input_dim(s, "c", v.raw); }},
    {"h", [](AppState& s, const Value& v) { set_input_dim(s, "h", v.raw); }},
    {"w", [](AppState& s, const Value& v) { set_input_dim(s, "w", v.raw); }},
    {"seed", [](AppState& s, const Value& v) { set_seed(v, &s.input.seed); }},
    {"grad", [](AppState& s, const Value& v) {
       if (v.lower == "ones") s.input.grad = GradGen::ONES;
       if (v.lower == "random") s.input.grad = GradGen::RANDOM;
       if (v.lower == "onehot" || v.lower == "one_hot" || v.lower == "one-hot") s.input.grad = GradGen::ONE_HOT;
     }},
    {"cells", [](AppState& s, const Value& v) { parse_cells(v.raw, &s.input.edits); }},
    {"grad_cells", [](AppState& s, const Value& v) { parse_cells(v.raw, &s.input.grad_edits); }},
    {"plane", [](AppState& s, const Value& v) {  // the (n, c) plane shown; ensure_computed keeps it inside the input
       const size_t comma = v.raw.find(',');
       const auto b = parse_int(v.raw.substr(0, comma));
       const auto c = comma == std::string::npos ? std::optional<long long>(0) : parse_int(v.raw.substr(comma + 1));
       if (b && c) s.batch = clamp_int(*b, 0, kMaxInputN - 1), s.channel = clamp_int(*c, 0, kMaxInputC - 1);
     }},
};

// Keys of every lab: how the page shows it.
const KeyRule kViewKeys[] = {
    {"pin", [](AppState& s, const Value& v) { s.pin = parse_pin(v.lower); }},  // empty or malformed: unpinned
    {"hide", [](AppState& s, const Value& v) {
       s.hidden = HiddenPanels{};
       for (size_t a = 0; a <= v.lower.size();) {
         const size_t b = std::min(v.lower.find(',', a), v.lower.size());
         const std::string part = v.lower.substr(a, b - a);
         a = b + 1;
         if (part == "params") s.hidden.params = true;
         else if (part == "code") s.hidden.code = true;
         else if (part == "formula") s.hidden.formula = true;
         else if (part == "labs") s.hidden.labs = true;
         else if (part == "lang") s.hidden.lang = true;
       }
     }},
    {"lang", [](AppState& s, const Value& v) {
       if (v.lower == "en") s.lang = Lang::EN;
       if (v.lower == "zh" || v.lower == "zh-cn") s.lang = Lang::ZH;
     }},
};

template <size_t N>
bool apply_rule(const KeyRule (&table)[N], AppState& s, const std::string& key, const Value& v) {
  for (const KeyRule& r : table)
    if (key == r.key) return r.apply(s, v), true;
  return false;
}

// The key of the current lab's table; false when the lab has no such key.
bool apply_lab_key(AppState& s, const std::string& key, const std::string& val, const std::string& lval) {
  const Value v{val, lval};
  switch (s.lab) {
    case Lab::POOL: return apply_rule(kPoolKeys, s, key, v);
    case Lab::ACTIVATION:
      if (!apply_rule(kActivationKeys, s, key, v)) {
        // A generic layer's keyword, kept as written (the core reads and checks it).
        if (!is_generic_act_keyword(key) || val.size() > 32) return false;
        s.act.keywords[key] = val;
        return true;
      }
      if (s.act.xmax <= s.act.xmin) s.act.xmax = s.act.xmin + 1.0f;
      return true;
    case Lab::LINEAR: return apply_rule(kLinearKeys, s, key, v);
    case Lab::GRADIENT: return apply_rule(kGradientKeys, s, key, v);
    case Lab::TRAIN: return apply_rule(kTrainKeys, s, key, v);
  }
  return false;
}

// Calls f(key, value) for each key=value item of a hash, both URL-decoded, the key lower-cased.
template <typename F>
void for_each_item(std::string_view hash, F&& f) {
  for (size_t pos = 0; pos < hash.size();) {
    size_t end = hash.find('&', pos);
    if (end == std::string_view::npos) end = hash.size();
    const std::string_view item = hash.substr(pos, end - pos);
    pos = end + 1;
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos) f(lower(url_decode(item.substr(0, eq))), url_decode(item.substr(eq + 1)));
  }
}

// key -> value of a hash we wrote (each key once).
std::map<std::string, std::string> hash_values(std::string_view hash) {
  std::map<std::string, std::string> m;
  for_each_item(hash, [&](const std::string& key, const std::string& val) { m[key] = val; });
  return m;
}

constexpr size_t kMaxLocked = 64, kMaxKeyLength = 32;

// The assignment's keys, in any lab: lock (adds names), quiz, answer.
bool apply_assignment_key(AppState& s, const std::string& key, const std::string& val, const std::string& lval) {
  if (key == "lock") {
    for (size_t a = 0; a <= lval.size();) {
      size_t b = lval.find(',', a);
      if (b == std::string::npos) b = lval.size();
      std::string name = lval.substr(a, b - a);
      a = b + 1;
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      if (name.empty() || name.size() > kMaxKeyLength || s.locked.size() >= kMaxLocked || name == "lock") continue;
      if (std::find(s.locked.begin(), s.locked.end(), name) == s.locked.end()) s.locked.push_back(name);
    }
    return true;
  }
  if (key == "quiz") {
    const QuizKind kind = lval == "shape" ? QuizKind::SHAPE : lval == "value" ? QuizKind::VALUE : QuizKind::NONE;
    if (kind != s.quiz.kind) s.quiz = Quiz{}, s.quiz.kind = kind;
    return true;
  }
  if (key == "theme") {
    if (lval == "dark") s.theme = Theme::DARK;
    else if (lval == "light") s.theme = Theme::LIGHT;
    else if (lval == "auto") s.theme = Theme::AUTO;
    return true;
  }
  if (key == "bg") {  // RRGGBB (or #RRGGBB), from layerlab-embed.js; anything else clears it
    const std::string hex = !lval.empty() && lval[0] == '#' ? lval.substr(1) : lval;
    char* end = nullptr;
    const unsigned long v = hex.size() == 6 ? std::strtoul(hex.c_str(), &end, 16) : 0;
    s.host_bg = end && *end == '\0' ? std::optional<uint32_t>(static_cast<uint32_t>(v)) : std::nullopt;
    return true;
  }
  if (key == "answer") {  // setState({answer}): checked after the next recompute
    if (s.quiz.kind != QuizKind::NONE && val.size() < sizeof s.quiz.typed) {
      s.quiz.submitted = val;
      s.quiz.has_submitted = true;
      std::snprintf(s.quiz.typed, sizeof s.quiz.typed, "%s", val.c_str());
    }
    return true;
  }
  return false;
}

// "&theme=light&quiz=shape&lock=kernel_size,stride", or "".
std::string assignment_text(const AppState& s) {
  std::string t;
  if (s.theme != Theme::DARK) t += s.theme == Theme::LIGHT ? "&theme=light" : "&theme=auto";
  if (s.host_bg) {
    char bg[16];
    std::snprintf(bg, sizeof bg, "&bg=%06x", static_cast<unsigned>(*s.host_bg & 0xFFFFFF));
    t += bg;
  }
  if (s.quiz.kind != QuizKind::NONE) t += s.quiz.kind == QuizKind::SHAPE ? "&quiz=shape" : "&quiz=value";
  for (size_t i = 0; i < s.locked.size(); ++i) t += (i ? "," : "&lock=") + s.locked[i];
  return t;
}

std::string lab_hash(const AppState& s) {
  std::string h;
  if (s.lab == Lab::ACTIVATION) {
    const ActivationLab& a = s.act;
    h = std::string("lab=activation&layer=") + act_name(a);
    if (const ll::LayerDesc* d = a.layer == ActLayer::GENERIC ? generic_act_desc(a) : nullptr)
      for (const ll::ParamDesc& p : d->params)  // its keywords given, in the descriptor's order
        if (const auto it = a.keywords.find(p.name); it != a.keywords.end()) h += std::string("&") + p.name + "=" + it->second;
    if (a.layer == ActLayer::LEAKY_RELU) h += "&negative_slope=" + num_text(a.negative_slope);
    if (a.layer == ActLayer::PRELU)
      h += "&num_parameters=" + std::to_string(a.num_parameters) + "&init=" + num_text(a.init);
    if (a.layer == ActLayer::RRELU)
      h += "&lower=" + num_text(a.lower) + "&upper=" + num_text(a.upper) + "&training=" + (a.training ? "1" : "0");
    h += "&xmin=" + float_text(a.xmin) + "&xmax=" + float_text(a.xmax);
    if (a.compare) h += "&compare=" + name_set_text(a.compare, 0, kComparableActs - 1, act_layer_name);
    h += std::string("&input=") + (a.random_input ? "random" : "ramp") + "&seed=" + std::to_string(a.seed);
    if (is_dimwise(a)) {
      std::string logits;
      for (float z : a.logits) logits += (logits.empty() ? "" : ",") + float_text(z);
      h += "&logits=" + logits + "&temperature=" + float_text(a.temperature);
    }
    h += "&lr=" + float_text(a.lr) + "&target_slope=" + float_text(a.target_slope);
  } else if (s.lab == Lab::LINEAR) {
    const LinearLab& l = s.lin;
    h = "lab=linear&in_features=" + std::to_string(l.in_features) + "&out_features=" + std::to_string(l.out_features) +
        "&bias=" + (l.bias ? "1" : "0") + "&n=" + std::to_string(l.batch) + "&seed=" + std::to_string(l.seed) +
        "&depth=" + std::to_string(l.depth) + "&hidden=" + std::to_string(l.hidden) +
        "&activation=" + stack_act_name(l.activation);
    h += cells_text("cells", l.weight_edits);
  } else if (s.lab == Lab::GRADIENT) {
    const GradientLab& g = s.grad;
    h = "lab=gradient&depth=" + std::to_string(g.depth) + "&width=" + std::to_string(g.width) +
        "&activation=" + stack_act_name(g.activation) + "&init=" + init_name(g.init) + "&gain=" + num_text(g.gain) +
        "&compare=" + name_set_text(g.compare, 1, stack_act_count() - 1, stack_act_name) +
        "&n=" + std::to_string(g.batch) + "&seed=" + std::to_string(g.seed);
  } else {
    const TrainLab& t = s.train;
    h = std::string("lab=train&dataset=") + dataset_name(t.dataset) + "&hidden=" + std::to_string(t.hidden) +
        "&activation=" + stack_act_name(t.activation) + "&lr=" + float_text(t.lr) + "&seed=" + std::to_string(t.seed) +
        "&speed=" + std::to_string(t.steps_per_frame);
  }
  return h + std::string("&lang=") + (s.lang == Lang::ZH ? "zh" : "en");
}

}  // namespace

// A name from an enum-ordered table; the first for a value out of range.
template <typename Enum, size_t N>
const char* name_of(Enum e, const char* const (&names)[N]) {
  const size_t i = static_cast<size_t>(e);
  return i < N ? names[i] : names[0];
}

const char* lab_name(Lab l) { return lab_def(l).name; }

const char* layer_name(PoolLayer l) {
  static const char* const kNames[] = {"MaxPool2d", "AvgPool2d", "MaxUnpool2d"};
  return name_of(l, kNames);
}

const char* input_gen_name(InputGen g) {
  static const char* const kNames[] = {"ramp", "random", "checkerboard", "gradient", "picture", "file"};
  return name_of(g, kNames);
}

// "&hide=params,code" when an embedding page hid panels, else "".
std::string hidden_text(const HiddenPanels& h) {
  if (!h.any()) return "";
  std::string t;
  const std::pair<bool, const char*> parts[] = {
      {h.params, "params"}, {h.code, "code"}, {h.formula, "formula"}, {h.labs, "labs"}, {h.lang, "lang"}};
  for (const auto& [on, name] : parts) {
    if (!on) continue;
    t += t.empty() ? "&hide=" : ",";
    t += name;
  }
  return t;
}

std::string to_hash(const AppState& s) {
  const std::string pin = s.pin ? "&pin=" + pin_text(*s.pin) : std::string();
  if (s.lab != Lab::POOL) return lab_hash(s) + pin + hidden_text(s.hidden) + assignment_text(s);
  std::string h = std::string("layer=") + layer_name(s.layer) + "&lab=pool";
  // The layer's keywords as the core reads them (pool_keywords), in PyTorch's order from its
  // descriptor; None (stride, divisor_override) is left out.
  const nlohmann::json kw = pool_keywords(s.layer, s.params);
  for (const ll::ParamDesc& d : ll::find_layer(layer_name(s.layer))->params) {
    if (!kw.contains(d.name) || kw[d.name].is_null()) continue;
    const nlohmann::json& v = kw[d.name];
    h += std::string("&") + d.name + "=" +
         (v.is_boolean() ? (v.get<bool>() ? "1" : "0")
          : v.is_array() ? std::to_string(v[0].get<int>()) + "," + std::to_string(v[1].get<int>())
                         : std::to_string(v.get<int>()));
  }
  const InputParams& in = s.input;
  h += std::string("&input=") + input_gen_name(in.gen);
  h += "&n=" + std::to_string(in.n) + "&c=" + std::to_string(in.c) + "&h=" + std::to_string(in.h) +
       "&w=" + std::to_string(in.w);
  h += "&seed=" + std::to_string(in.seed);
  if (in.grad == GradGen::RANDOM) h += "&grad=random";
  if (in.grad == GradGen::ONE_HOT) h += "&grad=onehot";
  h += cells_text("cells", in.edits);
  h += cells_text("grad_cells", in.grad_edits);
  if (s.batch > 0 || s.channel > 0) h += "&plane=" + std::to_string(s.batch) + "," + std::to_string(s.channel);
  h += std::string("&lang=") + (s.lang == Lang::ZH ? "zh" : "en");
  return h + pin + hidden_text(s.hidden) + assignment_text(s);
}

namespace {

// Merges the keys of `hash` into the state; with `honour_locks`, keys locked
// before the call are left as they are.
void apply_keys(AppState& s, std::string_view hash, bool honour_locks) {
  if (hash.size() > (size_t{1} << 20)) return;  // not a hash we wrote
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  const std::vector<std::string> locked = honour_locks ? s.locked : std::vector<std::string>{};
  if (honour_locks) s.notice.clear();  // a new hash: its own clamps only
  const auto is_locked = [&](const std::string& key) {
    return std::find(locked.begin(), locked.end(), key) != locked.end();
  };
  // The lab first: the other keys (layer, seed, activation, ...) belong to it.
  const Lab lab_before = s.lab;
  for_each_item(hash, [&](const std::string& key, const std::string& val) {
    if (key != "lab" || is_locked(key)) return;
    if (auto l = parse_lab(lower(val))) s.lab = *l;
  });
  if (s.lab != lab_before) s.error.clear();
  for_each_item(hash, [&](const std::string& key, const std::string& val) {
    const std::string lval = lower(val);
    if (key == "lab" || is_locked(key)) return;
    if (apply_assignment_key(s, key, val, lval)) return;
    if (apply_rule(kViewKeys, s, key, Value{val, lval})) return;
    apply_lab_key(s, key, val, lval);
  });
  s.dirty = true;
  s.lab_dirty = true;
}

}  // namespace

void apply_hash(AppState& s, std::string_view hash) { apply_keys(s, hash, true); }

std::string question_key(const AppState& s) {
  std::string key;
  for (const auto& [k, v] : hash_values(to_hash(s))) {
    const bool view_only = k == "lang" || k == "theme" || k == "bg" || k == "hide" || k == "lock" || k == "quiz" || k == "plane";
    if (view_only || (k == "pin" && s.quiz.kind != QuizKind::VALUE)) continue;
    key += k + "=" + v + "&";
  }
  return key;
}

void restore_locked(AppState& s, const std::string& before) {
  if (s.locked.empty() || before.empty()) return;
  const auto was = hash_values(before), now = hash_values(to_hash(s));
  const auto value = [](const std::map<std::string, std::string>& m, const std::string& key) {
    const auto it = m.find(key);
    return it == m.end() ? std::optional<std::string>() : std::optional<std::string>(it->second);
  };
  const bool lab_locked = std::find(s.locked.begin(), s.locked.end(), "lab") != s.locked.end();
  if (value(was, "lab") != value(now, "lab") && !lab_locked) return;  // another lab: its keys are its own
  std::string undo = "lab=" + value(was, "lab").value_or("pool");
  bool changed = false;
  for (const std::string& key : s.locked) {
    const auto a = value(was, key);
    if (a == value(now, key)) continue;
    // A key to_hash leaves out has its default: None, no edits, ones.
    undo += "&" + key + "=" + a.value_or(key == "grad" ? "ones" : "");
    changed = true;
  }
  if (changed) apply_keys(s, undo, false);
}

std::string locked_change(const AppState& s, std::string_view hash) {
  if (s.locked.empty()) return "";
  AppState after = s;
  apply_keys(after, hash, false);
  const auto was = hash_values(to_hash(s)), now = hash_values(to_hash(after));
  for (const std::string& key : s.locked) {
    const auto a = was.find(key), b = now.find(key);
    const std::string old_v = a == was.end() ? "None" : a->second, new_v = b == now.end() ? "None" : b->second;
    if (old_v != new_v) return key + " is locked by this assignment (" + key + "=" + old_v + "; asked for " + new_v + ")";
  }
  return "";
}

void load_hash(AppState& s, std::string_view hash) {
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  const Lang lang = s.lang;
  s.layer = PoolLayer::MAX_POOL2D;
  s.params = PoolParams{};
  s.input = InputParams{};
  s.batch = s.channel = 0;
  s.pin.reset();  // a cell of the last state's tensors
  s.lab = Lab::POOL;
  s.act = ActivationLab{};
  s.lin = LinearLab{};
  s.grad = GradientLab{};
  s.train = TrainLab{};
  s.train_run.reset();
  s.hidden = HiddenPanels{};
  s.locked.clear();  // a URL is a new assignment: it sets the locks
  s.quiz = Quiz{};
  s.theme = Theme::DARK;
  s.host_bg.reset();
  s.lang = lang;  // the language survives a reload unless the hash names one
  apply_hash(s, hash.empty() ? std::string_view(kWelcomeHash) : hash);
  s.train.pending_steps = std::min(s.train.pending_steps, kMaxLinkSteps);  // a link queues a bounded run
  s.act.pending_steps = std::min(s.act.pending_steps, kMaxLinkSteps);
}

}  // namespace app

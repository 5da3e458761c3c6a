// inspector.cpp — the pinned cell's explanation (see inspector.h).
#include "inspector.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/kernels/pool.h"
#include "hash_state.h"
#include "labs.h"
#include "labs/registry.h"
#include "strings.h"
#include "user_data.h"

namespace app {

namespace {

std::string num(double value) { return float_text(static_cast<float>(value)); }
// A factor of a product: negative ones in parentheses.
std::string factor(double v) { return v < 0 ? "(" + num(v) + ")" : num(v); }

std::string index_text(const std::vector<int64_t>& index) {
  std::string s = "[";
  for (size_t d = 0; d < index.size(); ++d) s += (d ? ", " : "") + std::to_string(index[d]);
  return s + "]";
}

std::string range_text(int64_t lo, int64_t end, int64_t step) {
  if (end - lo <= 1) return std::to_string(lo);
  const std::string last = std::to_string(lo + (end - 1 - lo) / step * step);
  return std::to_string(lo) + ".." + last + (step > 1 ? " (" + std::to_string(step) + ")" : "");
}

// Pooling: the values of output cell (plane, oy, ox)'s window, row-major, and whether one is NaN.
std::string window_values(const PoolResult& r, const ll::PoolWindow& w, int64_t plane, bool* nan) {
  const ll::Pool2dGeometry& g = r.geom;
  const float* in = r.input.ptr() + plane * g.in_h * g.in_w;
  std::string s;
  int shown = 0;
  for (int64_t y = w.h0; y < w.h1; y += g.dilation_h)
    for (int64_t x = w.w0; x < w.w1; x += g.dilation_w) {
      const float v = in[y * g.in_w + x];
      *nan = *nan || v != v;
      if (++shown <= 25) s += (shown > 1 ? ", " : "") + num(v);
    }
  if (shown > 25) s += ", … (" + std::to_string(shown) + ")";
  return s;
}

}  // namespace

std::string pool_text(const AppState& s, const Pin& p, double value) {
  const PoolResult& r = s.result;
  const ll::Pool2dGeometry& g = r.geom;
  const std::string head = p.tensor + index_text(p.index) + " = " + num(value);
  if (p.index.size() != 4) return head;
  const int64_t C = r.input.shape[1];
  const int64_t plane = p.index[0] * C + p.index[1], y = p.index[2], x = p.index[3];
  const float* grad_out = r.grad_output.ptr();
  const bool is_avg = r.layer == PoolLayer::AVG_POOL2D, is_unpool = r.layer == PoolLayer::MAX_UNPOOL2D;
  const int64_t* idx = r.indices.data.empty() ? nullptr : r.indices.ptr() + plane * g.out_h * g.out_w;

  if (p.tensor == "output") {
    const ll::PoolWindow w = ll::max_pool2d_window(g, y, x);
    bool nan = false;
    const std::string values = window_values(r, w, plane, &nan);
    const std::string rows = range_text(w.h0, w.h1, g.dilation_h), cols = range_text(w.w0, w.w1, g.dilation_w);
    if (is_avg) {
      const int64_t d = r.divisors[static_cast<size_t>(y * g.out_w + x)];
      const char* rule = r.params.has_divisor_override ? "divisor_override"
                         : r.params.count_include_pad  ? tr(STR_PIN_DIV_INCLUDE)
                                                       : tr(STR_PIN_DIV_EXCLUDE);
      return head + "\n" + ll::format(tr(STR_PIN_AVG), rows.c_str(), cols.c_str(), values.c_str(), static_cast<long long>(d), rule);
    }
    const int64_t a = idx[y * g.out_w + x];
    return head + "\n" + ll::format(tr(nan ? STR_PIN_MAX_NAN : STR_PIN_MAX), rows.c_str(), cols.c_str(), values.c_str(),
                             static_cast<long long>(a / g.in_w), static_cast<long long>(a % g.in_w), static_cast<long long>(a));
  }
  if (p.tensor == "unpooled") {
    for (int64_t j = g.out_h * g.out_w; j-- > 0;)  // the last pooled cell pointing here wins
      if (idx && idx[j] == y * g.in_w + x)
        return head + "\n" + ll::format(tr(STR_PIN_UNPOOL), static_cast<long long>(j / g.out_w),
                                 static_cast<long long>(j % g.out_w), static_cast<long long>(idx[j]));
    return head + "\n" + tr(STR_PIN_UNPOOL_ZERO);
  }
  if (p.tensor == "grad_input" && is_unpool) {  // shaped like the pooled output: a gather
    const int64_t a = idx[y * g.out_w + x];
    return head + "\n" + ll::format(tr(STR_PIN_UNPOOL_GRAD), static_cast<long long>(a / g.in_w), static_cast<long long>(a % g.in_w),
                             static_cast<long long>(a));
  }
  const bool input_shaped = p.tensor == "input" || p.tensor == "grad_input";
  if (!input_shaped) return head;
  // The output cells whose window holds input cell (y, x), and what each sends back.
  std::string terms;
  const std::vector<int64_t> rows = ll::pool2d_outputs_reading(g, 0, y), cols = ll::pool2d_outputs_reading(g, 1, x);
  const int windows = static_cast<int>(rows.size() * cols.size());
  for (int64_t oy : rows)
    for (int64_t ox : cols) {
      const int64_t o = oy * g.out_w + ox;
      if (p.tensor == "input" || (!is_avg && idx[o] != y * g.in_w + x)) continue;
      const float go = grad_out[plane * g.out_h * g.out_w + o];
      std::string term = is_avg ? num(go) + " / " + std::to_string(r.divisors[static_cast<size_t>(o)]) : num(go);
      terms += (terms.empty() ? "" : " + ") + term + " [" + std::to_string(oy) + ", " + std::to_string(ox) + "]";
    }
  if (p.tensor == "input") return head + "\n" + ll::format(tr(STR_PIN_INPUT), windows);
  return head + "\n" + ll::format(tr(is_avg ? STR_PIN_GRAD_AVG : STR_PIN_GRAD_MAX), terms.empty() ? "0" : terms.c_str());
}

namespace {

// Linear: one output (or gradient) cell as the products it sums.
}  // namespace

std::string linear_text(const AppState& s, const Pin& p, double value) {
  const LabResult& r = s.lab_result;
  const std::string head = p.tensor + index_text(p.index) + " = " + num(value);
  const int64_t in = r.lin_weight.shape[1], out = r.lin_weight.shape[0], batch = r.lin_input.shape[0];
  const auto at = [](const ll::Tensor& t, int64_t i, int64_t j) { return factor(t.data[static_cast<size_t>(i * t.shape[1] + j)]); };
  std::string sum;
  const auto add = [&sum](const std::string& a, const std::string& b) { sum += (sum.empty() ? "" : " + ") + a + "·" + b; };
  const int64_t i0 = p.index.empty() ? 0 : p.index[0], i1 = p.index.size() > 1 ? p.index[1] : 0;
  if (p.tensor == "output") {
    for (int64_t k = 0; k < in; ++k) add(at(r.lin_input, i0, k), at(r.lin_weight, i1, k));
    if (!r.lin_bias.data.empty()) sum += " + " + num(r.lin_bias.data[static_cast<size_t>(i1)]);
    return head + "\n= x[" + std::to_string(i0) + ", :] · weight[" + std::to_string(i1) + ", :]" +
           (r.lin_bias.data.empty() ? "" : " + bias[" + std::to_string(i1) + "]") + "\n= " + sum;
  }
  if (p.tensor == "grad_input") {
    for (int64_t o = 0; o < out; ++o) add(at(r.lin_grad_output, i0, o), at(r.lin_weight, o, i1));
    return head + "\n= Σ_o grad_output[" + std::to_string(i0) + ", o] · weight[o, " + std::to_string(i1) + "]\n= " + sum;
  }
  if (p.tensor == "grad_weight") {
    for (int64_t b = 0; b < batch; ++b) add(at(r.lin_grad_output, b, i0), at(r.lin_input, b, i1));
    return head + "\n= Σ_b grad_output[b, " + std::to_string(i0) + "] · x[b, " + std::to_string(i1) + "]\n= " + sum;
  }
  if (p.tensor == "grad_bias") {
    for (int64_t b = 0; b < batch; ++b) sum += (b ? " + " : "") + at(r.lin_grad_output, b, i0);
    return head + "\n= Σ_b grad_output[b, " + std::to_string(i0) + "]\n= " + sum;
  }
  return head;
}

namespace {

// Activations: f(x) and f'(x) at the cell, from the core's output and grad_input.
}  // namespace

std::string activation_text(const AppState& s, const Pin& p, double value) {
  const LabResult& r = s.lab_result;
  const std::string head = p.tensor + index_text(p.index) + " = " + num(value);
  if (p.tensor != "output" && p.tensor != "grad_input") return head;
  double x = 0, f = 0, df = 0;
  shown_cell(s, "input", p.index, &x);
  shown_cell(s, "output", p.index, &f);
  shown_cell(s, "grad_input", p.index, &df);
  const ActivationLab& a = s.act;
  const char* formula = "";
  switch (a.layer) {
    case ActLayer::SIGMOID: formula = "1 / (1 + exp(-x))"; break;
    case ActLayer::TANH: formula = "tanh(x)"; break;
    case ActLayer::RELU: formula = "max(0, x)"; break;
    case ActLayer::LEAKY_RELU: formula = "x ≥ 0 ? x : negative_slope·x"; break;
    case ActLayer::PRELU: formula = "x ≥ 0 ? x : weight·x"; break;
    case ActLayer::RRELU: formula = a.training ? "x ≥ 0 ? x : a·x,  a ~ U(lower, upper)" : "x ≥ 0 ? x : a·x,  a = (lower + upper) / 2"; break;
    case ActLayer::GENERIC:
      if (const ll::LayerDesc* d = generic_act_desc(a)) formula = d->formula;  // the core's declaration
      break;
    case ActLayer::COUNT: break;
  }
  (void)r;
  return head + "\n" + act_name(a) + "(x) = " + formula + "\nx = " + num(x) + ":  f(x) = " + num(f) +
         ",  f′(x) = grad_input / grad_output = " + num(df) + " / 1";
}

std::optional<Pin> parse_pin(const std::string& value) {
  const size_t colon = value.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 32) return std::nullopt;
  Pin p;
  p.tensor = value.substr(0, colon);
  for (const char c : p.tensor)
    if (!(c == '_' || (c >= 'a' && c <= 'z'))) return std::nullopt;
  const std::string rest = value.substr(colon + 1);
  for (size_t a = 0; a <= rest.size() && p.index.size() <= 4;) {
    size_t b = rest.find(',', a);
    if (b == std::string::npos) b = rest.size();
    const std::string part = rest.substr(a, b - a);
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    p.index.push_back(std::stoll(part));
    a = b + 1;
  }
  if (p.index.empty() || p.index.size() > 4) return std::nullopt;
  return p;
}

std::string pin_text(const Pin& pin) {
  std::string s = pin.tensor + ":";
  for (size_t d = 0; d < pin.index.size(); ++d) s += (d ? "," : "") + std::to_string(pin.index[d]);
  return s;
}

std::string pin_explanation(const AppState& s, const Pin& pin) {
  double value = 0;
  if (!shown_cell(s, pin.tensor, pin.index, &value)) return std::string();
  if (const auto text = lab_def(s.lab).pin_text) return text(s, pin, value);
  return pin.tensor + index_text(pin.index) + " = " + num(value);
}

nlohmann::json pinned_json(const AppState& s) {
  double value = 0;
  if (!s.pin || !shown_cell(s, s.pin->tensor, s.pin->index, &value)) return nullptr;
  nlohmann::json v = value;
  if (value != value) v = "NaN";
  else if (value > 3.4e38 || value < -3.4e38) v = value > 0 ? "Infinity" : "-Infinity";
  return {{"tensor", s.pin->tensor}, {"index", s.pin->index}, {"value", v}, {"text", pin_explanation(s, *s.pin)}};
}

}  // namespace app

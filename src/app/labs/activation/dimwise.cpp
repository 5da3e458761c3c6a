// labs/activation/dimwise.cpp — Softmax, Softmin, LogSoftmax, Softmax2d and GLU in
// the activation lab (dimwise.h).
#include "app/labs/activation/dimwise.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/code_text.h"
#include "app/labs.h"
#include "app/labs/widgets.h"
#include "app/strings.h"
#include "core/elementwise_desc.h"
#include "core/layers/activations.h"
#include "core/random.h"
#include "core/spec.h"  // read_keywords

namespace app {

namespace {

bool is_softmax_family(std::string_view name) { return name == "Softmax" || name == "Softmin" || name == "LogSoftmax"; }

// A module of the core by name with spec keywords ({"dim": 1}).
std::unique_ptr<ll::Activation> module_named(const char* name, const nlohmann::json& params) {
  return ll::make_activation(ll::read_keywords(*ll::find_layer(name), params));
}

// The logits times kLargeScale through Softmax and LogSoftmax (dim=1), and the naive
// log of Softmax's output: the float32 underflow LogSoftmax avoids.
void large_logits(const ActivationLab& a, DimwiseResult& r) {
  r.large_input = ll::Tensor({1, static_cast<int64_t>(a.logits.size())});
  for (size_t i = 0; i < a.logits.size(); ++i) r.large_input.data[i] = a.logits[i] * kLargeScale;
  r.large_softmax = module_named("Softmax", {{"dim", 1}})->forward(r.large_input);
  r.large_log_softmax = module_named("LogSoftmax", {{"dim", 1}})->forward(r.large_input);
  r.naive_log.clear();
  for (float p : r.large_softmax.data) r.naive_log.push_back(std::log(p));  // the naive way, on purpose
}

// GLU's gate: sigmoid of the second half of x along its last dim (the core's Sigmoid).
void glu_gate(DimwiseResult& r) {
  const int64_t k = r.input.shape.back(), half = k / 2;
  ll::Tensor b({1, half});
  std::copy(r.input.data.begin() + half, r.input.data.begin() + 2 * half, b.data.begin());
  ll::Sigmoid sigmoid;
  r.glu_gate = sigmoid.forward(b);
}

// Values as bars from 0, an index under each and its value over it; non-finite
// values as text where their bar would be. [lo, hi] is the value range drawn.
template <typename Values>
void bars(const char* title, const Values& v, ImU32 colour, ImVec2 size, float lo, float hi) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float font = ImGui::GetFontSize(), h = std::max(size.y - 2 * font, font * 4);
  ImGui::InvisibleButton(title, ImVec2(size.x, h + font));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + h), palette().view_bg);
  lo = std::min(lo, 0.0f), hi = std::max(hi, 0.0f);
  if (hi - lo < 1e-12f) hi = lo + 1;
  const float top = p0.y + font, bottom = p0.y + h - 2;
  const auto y_of = [&](float x) { return bottom - (x - lo) / (hi - lo) * (bottom - top); };
  dl->AddLine(ImVec2(p0.x, y_of(0)), ImVec2(p0.x + size.x, y_of(0)), palette().label);
  const int n = static_cast<int>(v.size());
  const float w = size.x / static_cast<float>(std::max(n, 1));
  char text[32];
  for (int i = 0; i < n; ++i) {
    const float x0 = p0.x + w * static_cast<float>(i) + w * 0.15f, x1 = x0 + w * 0.7f;
    const float value = v[static_cast<size_t>(i)];
    std::snprintf(text, sizeof text, "%.3g", value);
    const float y = std::isfinite(value) ? y_of(std::clamp(value, lo, hi)) : y_of(0) - font;
    if (std::isfinite(value)) dl->AddRectFilled(ImVec2(x0, std::min(y, y_of(0))), ImVec2(x1, std::max(y, y_of(0))), colour);
    if (ImGui::CalcTextSize(text).x < w || !std::isfinite(value))
      dl->AddText(ImVec2(x0, std::min(y, y_of(0)) - font), palette().legend_text, text);
    std::snprintf(text, sizeof text, "%d", i);
    dl->AddText(ImVec2(x0, p0.y + h), palette().label, text);
  }
  if (ImGui::IsItemHovered() && n > 0) {
    const int i = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p0.x) / w), 0, n - 1);
    ImGui::SetTooltip("[%d] = %.9g", i, v[static_cast<size_t>(i)]);
  }
  ImGui::EndGroup();
}

template <typename Values>
std::pair<float, float> finite_range(const Values& v) {
  float lo = 0, hi = 0;
  for (float x : v)
    if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  return {lo, hi};
}

// LogSoftmax's stability: the large logits, log(softmax) and LogSoftmax, a column each.
void stability_table(const DimwiseResult& r) {
  ImGui::TextUnformatted(tr(STR_STABILITY));
  if (ImGui::BeginTable("stability", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn("x");
    ImGui::TableSetupColumn("softmax");
    ImGui::TableSetupColumn(tr(STR_NAIVE_LOG));
    ImGui::TableSetupColumn("LogSoftmax");
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < r.naive_log.size(); ++i) {
      ImGui::TableNextRow();
      const float row[] = {r.large_input.data[i], r.large_softmax.data[i], r.naive_log[i], r.large_log_softmax.data[i]};
      for (int c = 0; c < 4; ++c) {
        ImGui::TableSetColumnIndex(c);
        if (!std::isfinite(row[c])) ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
        ImGui::Text("%.7g", row[c]);
        if (!std::isfinite(row[c])) ImGui::PopStyleColor();
      }
    }
    ImGui::EndTable();
  }
  hint(tr(STR_STABILITY_NOTE));
}

}  // namespace

bool is_dimwise(const ActivationLab& a) {
  return a.layer == ActLayer::GENERIC && generic_act_desc(a) && !ll::find_elementwise(a.generic);
}

void compute_dimwise(const ActivationLab& a, DimwiseResult& r) {
  const auto module = ll::make_activation(ll::read_keywords(*generic_act_desc(a), generic_act_params(a)));
  const auto k = static_cast<int64_t>(a.logits.size());
  r.input = ll::Tensor(a.generic == "Softmax2d" ? ll::Shape{1, k, 1, 1} : ll::Shape{1, k});
  for (size_t i = 0; i < a.logits.size(); ++i) r.input.data[i] = a.logits[i] / a.temperature;
  r.output = module->forward(r.input);
  r.warning = module->warning();
  const int64_t m = r.output.numel();
  r.jacobian = ll::Tensor({m, k});
  for (int64_t i = 0; i < m; ++i) {  // row i: the gradient of output i, by the core's backward
    ll::Tensor e(r.output.shape);
    e.data[static_cast<size_t>(i)] = 1;
    const ll::Tensor g = module->backward(e);
    std::copy(g.data.begin(), g.data.end(), r.jacobian.data.begin() + i * k);
  }
  if (is_softmax_family(a.generic)) large_logits(a, r);
  if (a.generic == "GLU") glu_gate(r);
}

bool dimwise_parameters(AppState& s) {
  ActivationLab& a = s.act;
  bool changed = false;
  section(tr(STR_LOGITS));
  int k = static_cast<int>(a.logits.size());
  if (int_row("K", &k, 1, kMaxLogits, "logits")) a.logits.resize(static_cast<size_t>(k), 0.0f), changed = true;
  for (int i = 0; i < k; ++i) {
    char name[24];
    std::snprintf(name, sizeof name, "logits[%d]", i);
    changed |= float_row(name, &a.logits[static_cast<size_t>(i)], -10.0f, 10.0f, "%.3g", "logits");
  }
  {
    RowScope row("temperature", nullptr);
    ImGui::PushID("temperature");
    changed |= slider_float("##v", &a.temperature, 0.05f, 20.0f, "%.3g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    ImGui::PopID();
  }
  hint(tr(STR_TEMPERATURE_TIP));
  if (ImGui::Button(tr(STR_GEN_RAMP))) {  // k evenly spaced logits from 2 down to -2
    for (int i = 0; i < k; ++i) a.logits[static_cast<size_t>(i)] = k == 1 ? 0.0f : round2(2.0 - 4.0 * i / (k - 1));
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(STR_GEN_RANDOM))) {  // seeded, as the lab's other inputs
    ll::Rng rng(++a.seed);
    for (float& z : a.logits) z = round2(rng.uniform(-3.0, 3.0));
    changed = true;
  }
  return changed;
}

void dimwise_view(AppState& s) {
  const ActivationLab& a = s.act;
  const DimwiseResult& r = s.lab_result.dim;
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s  %s", s.error.c_str(), tr(STR_KEEP_LAST));
    ImGui::PopStyleColor();
  }
  if (r.output.data.empty()) return;
  if (!r.warning.empty()) ImGui::TextColored(palette().warn, tr(STR_TORCH_WARNS), r.warning.c_str());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const bool compact = s.layout.compact;
  const float half = compact ? avail.x : (avail.x - gap) / 2, h = compact ? avail.x * 0.5f : avail.y * 0.38f;
  const auto [ilo, ihi] = finite_range(r.input.data);
  bars(tr(STR_BARS_INPUT), r.input.data, curve_colour(0), ImVec2(half, h), ilo, ihi);
  if (!compact) ImGui::SameLine();
  char title[96];
  std::snprintf(title, sizeof title, tr(STR_BARS_OUTPUT), a.generic.c_str());
  const auto [olo, ohi] = finite_range(r.output.data);
  bars(title, r.output.data, curve_colour(1), ImVec2(half, h), olo, a.generic == "LogSoftmax" ? ohi : std::max(ohi, 1.0f));
  if (a.generic != "LogSoftmax" && a.generic != "GLU") {
    double sum = 0;
    for (float p : r.output.data) sum += p;
    ImGui::TextColored(palette().ok, tr(STR_OUTPUT_SUM), sum);
  }
  if (!compact) ImGui::BeginGroup();
  const int64_t m = r.jacobian.shape[0], k = r.jacobian.shape[1];
  const float side = compact ? avail.x : std::min(half, ImGui::GetContentRegionAvail().y - 3 * ImGui::GetFontSize());
  heat(s, 0, tr(STR_JACOBIAN), r.jacobian, static_cast<int>(m), static_cast<int>(k),
       ImVec2(side, side * static_cast<float>(m) / static_cast<float>(k) + 2 * ImGui::GetFontSize()), true,
       s.lab_result.version, nullptr, 0);
  if (a.generic == "Softmax") hint(tr(STR_JACOBIAN_NOTE));
  if (!compact) ImGui::EndGroup(), ImGui::SameLine();
  ImGui::BeginGroup();
  if (!r.naive_log.empty()) stability_table(r);
  if (!r.glu_gate.data.empty()) {
    ImGui::TextUnformatted(tr(STR_GLU_HALVES));
    const int64_t half_k = r.glu_gate.numel();
    const std::vector<float> av(r.input.data.begin(), r.input.data.begin() + half_k);
    const auto [alo, ahi] = finite_range(av);
    bars("a", av, curve_colour(2), ImVec2(half, h * 0.6f), alo, ahi);
    bars("sigmoid(b)", r.glu_gate.data, curve_colour(3), ImVec2(half, h * 0.6f), 0.0f, 1.0f);
  }
  ImGui::EndGroup();
}

// Values as JSON numbers, non-finite ones as the spec writes them ("NaN", "-Infinity").
template <typename Values>
nlohmann::json json_values(const Values& v) {
  nlohmann::json out = nlohmann::json::array();
  for (float x : v) {
    if (std::isfinite(x))
      out.push_back(static_cast<double>(x));
    else
      out.push_back(std::isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
  }
  return out;
}

void dimwise_metrics(const AppState& s, nlohmann::json& m) {
  const DimwiseResult& r = s.lab_result.dim;
  m["output"] = json_values(r.output.data);
  m["jacobian"] = json_values(r.jacobian.data);  // (M, K), row-major
  float dmax = 0;
  for (float v : r.jacobian.data) dmax = std::max(dmax, std::fabs(v));
  m["derivative_max"] = static_cast<double>(dmax);  // the Jacobian's largest entry (no curve to measure along)
  m["temperature"] = static_cast<double>(s.act.temperature);
  m["warning"] = r.warning;
  if (r.naive_log.empty()) return;
  m["large_logits_naive_log"] = json_values(r.naive_log);
  m["large_logits_log_softmax"] = json_values(r.large_log_softmax.data);
}

std::string dimwise_code(const AppState& s) {
  const ActivationLab& a = s.act;
  const DimwiseResult& r = s.lab_result.dim;
  if (r.input.data.empty()) return std::string();
  std::string code = "import torch\nimport torch.nn as nn\n\n";
  code += "# the lab's logits divided by temperature = " + py_float(a.temperature) + "\n";
  code += "x = " + literal(r.input, "    ") + "\n";
  code += "x.requires_grad_(True)\n\n";
  code += "act = " + module_call(a.generic.c_str(), generic_act_params(a)) + "\n";
  code += "out = act(x)\nprint(out)\n\n";
  code += "# the Jacobian, a backward per output (as the lab computes it)\n";
  code += "jacobian = torch.stack([torch.autograd.grad(out.flatten()[i], x, retain_graph=True)[0].flatten()\n";
  code += "                        for i in range(out.numel())])\nprint(jacobian)\n";
  if (!r.naive_log.empty()) {
    code += "\n# large logits: softmax underflows to 0 in float32, log gives -inf; log_softmax stays finite\n";
    code += "big = " + literal(r.large_input, "    ") + "\n";
    code += "print(torch.log(torch.softmax(big, dim=1)))\nprint(torch.log_softmax(big, dim=1))\n";
  }
  return code;
}

}  // namespace app

// panel_labs.cpp — the activation, Linear, gradient and training labs.
//
//   ShowLabParameters   left column: the current lab's PyTorch parameters and controls
//   ShowLabView         right side: curves, heatmaps and plots of the current lab
//
// Everything shown comes from s.lab_result / s.train_run (labs.cpp); widgets
// only change AppState and set s.lab_dirty.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "core/elementwise_desc.h"
#include "hash_state.h"
#include "heatmap.h"
#include "imgui.h"
#include "labs.h"
#include "inspector.h"
#include "app/labs/activation/dimwise.h"
#include "app/labs/widgets.h"
#include "panels.h"
#include "plot.h"
#include "strings.h"

namespace app {

namespace {

}  // namespace

namespace {

// The generic layer's keywords as its descriptor declares them: a slider over the
// descriptor's range for a number, a checkbox for a flag, a choice for a string.
// Values go back as the hash writes them; the core checks them (and says why not).
bool generic_keyword_rows(ActivationLab& a) {
  const ll::LayerDesc* d = generic_act_desc(a);
  if (!d || d->params.size() == 0) {
    ImGui::TextDisabled("%s", tr(STR_NO_PARAMETERS));
    return false;
  }
  const nlohmann::json given = generic_act_params(a);
  bool changed = false;
  for (const ll::ParamDesc& p : d->params) {
    const nlohmann::json v = given.contains(p.name) ? given[p.name] : p.default_json();
    switch (p.kind) {
      case ll::ParamKind::FLOAT: {
        double x = v.is_number() ? v.get<double>() : 0.0;
        const float lo = p.ui_min < p.ui_max ? static_cast<float>(p.ui_min) : -5.0f;
        const float hi = p.ui_min < p.ui_max ? static_cast<float>(p.ui_max) : 5.0f;
        if (double_row(p.name, &x, lo, hi)) a.keywords[p.name] = float_text(static_cast<float>(x)), changed = true;
        break;
      }
      case ll::ParamKind::INT:
      case ll::ParamKind::INT_OR_PAIR:
      case ll::ParamKind::INT_TUPLE:          // the modules of layers/module.h are not in this lab
      case ll::ParamKind::INT_OR_NONE_TUPLE:
      case ll::ParamKind::FLOAT_TUPLE:
      case ll::ParamKind::VAR_KEYWORDS: {
        int x = v.is_number_integer() ? v.get<int>() : 0;
        const int lo = p.ui_min < p.ui_max ? static_cast<int>(p.ui_min) : -8;
        const int hi = p.ui_min < p.ui_max ? static_cast<int>(p.ui_max) : 8;
        if (!p.nullable()) {
          if (int_row(p.name, &x, lo, hi)) a.keywords[p.name] = std::to_string(x), changed = true;
          break;
        }
        RowScope row(p.name, nullptr);  // dim=None: a None box, and the slider once it is a number
        bool none = v.is_null();
        ImGui::PushID(p.name);
        if (ImGui::Checkbox("None", &none)) a.keywords[p.name] = none ? "None" : "1", changed = true;
        if (!none) {
          ImGui::SameLine();
          ImGui::SetNextItemWidth(-1);
          if (slider_int("##v", &x, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp)) a.keywords[p.name] = std::to_string(x), changed = true;
        }
        ImGui::PopID();
        break;
      }
      case ll::ParamKind::BOOL: {
        RowScope row(p.name, nullptr);
        bool on = v.is_boolean() && v.get<bool>();
        ImGui::PushID(p.name);
        if (ImGui::Checkbox(on ? "True" : "False", &on)) a.keywords[p.name] = on ? "1" : "0", changed = true;
        ImGui::PopID();
        if (ImGui::IsItemHovered() && std::string_view(p.name) == "inplace") ImGui::SetTooltip("%s", tr(STR_INPLACE_TIP));
        break;
      }
      case ll::ParamKind::STRING: {
        RowScope row(p.name, nullptr);
        const std::string now = v.is_string() ? v.get<std::string>() : std::string();
        ImGui::PushID(p.name);
        if (ImGui::BeginCombo("##v", now.c_str())) {
          for (std::string_view rest = p.choices; !rest.empty();) {
            const size_t sp = rest.find(' ');
            const std::string choice(rest.substr(0, sp));
            rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
            if (ImGui::Selectable(choice.c_str(), choice == now)) a.keywords[p.name] = choice, changed = true;
          }
          ImGui::EndCombo();
        }
        ImGui::PopID();
        break;
      }
    }
  }
  if (d->formula[0]) hint(d->formula);
  return changed;
}

}  // namespace

void activation_parameters(AppState& s) {
  ActivationLab& a = s.act;
  bool changed = false;
  if (s.layout.kind != LayoutKind::NARROW) {  // narrow: in the top bar
    section(tr(STR_LAYER));
    ShowActivationLayerPicker(s);
  }
  section(tr(STR_PARAMETERS));
  switch (a.layer) {
    case ActLayer::LEAKY_RELU:
      changed |= double_row("negative_slope", &a.negative_slope, -1.0f, 1.0f);
      break;
    case ActLayer::PRELU:
      changed |= int_row("num_parameters", &a.num_parameters, 1, 8);
      if (double_row("init", &a.init, -1.0f, 1.0f)) changed = true, a.fit.clear();  // the fit restarts there
      break;
    case ActLayer::RRELU:
      changed |= double_row("lower", &a.lower, 0.0f, 1.0f);
      changed |= double_row("upper", &a.upper, 0.0f, 1.0f);
      {
        RowScope row("training", nullptr);
        changed |= ImGui::Checkbox(a.training ? "train()###tr" : "eval()###tr", &a.training);
      }
      changed |= seed_row(&a.seed);
      break;
    case ActLayer::GENERIC:
      changed |= generic_keyword_rows(a);
      if (is_dimwise(a)) {  // the logits and temperature, not a curve's range and inputs
        changed |= dimwise_parameters(s);
        show_error(s);
        if (changed) s.lab_dirty = true;
        return;
      }
      break;
    case ActLayer::SIGMOID:
    case ActLayer::TANH:
    case ActLayer::RELU:
    case ActLayer::COUNT:
      ImGui::TextDisabled("%s", tr(STR_NO_PARAMETERS));
      break;
  }
  section(tr(STR_X_RANGE));
  changed |= float_row("xmin", &a.xmin, -20.0f, 0.0f, "%.2f");
  changed |= float_row("xmax", &a.xmax, 0.0f, 20.0f, "%.2f");
  if (a.xmax <= a.xmin) a.xmax = a.xmin + 1;
  section(tr(STR_COMPARE));
  // As many columns as the widest box ("LeakyReLU") allows, at most three.
  const ImGuiStyle& st = ImGui::GetStyle();
  const float box_w = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize("LeakyReLU").x + st.ItemSpacing.x;
  const int per_row = std::clamp(static_cast<int>(ImGui::GetContentRegionAvail().x / box_w), 1, 3);
  const float left = ImGui::GetCursorPosX();
  for (int i = 0; i < kComparableActs; ++i) {
    if (i % per_row) ImGui::SameLine(left + box_w * static_cast<float>(i % per_row));
    bool on = a.compare & (1u << i);
    ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(curve_colour(i)));
    if (ImGui::Checkbox(act_layer_name(static_cast<ActLayer>(i)), &on)) {
      a.compare ^= 1u << i;
      changed = true;
    }
    ImGui::PopStyleColor();
  }
  section(tr(STR_INPUT));
  int gen = a.random_input ? 1 : 0;
  changed |= ImGui::RadioButton(tr(STR_GEN_RAMP), &gen, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton(tr(STR_GEN_RANDOM), &gen, 1);
  a.random_input = gen == 1;
  if (a.layer != ActLayer::RRELU) changed |= seed_row(&a.seed);

  if (a.layer == ActLayer::PRELU) {
    section(tr(STR_PRELU_FIT));
    ImGui::TextWrapped("%s", tr(STR_PRELU_FIT_TIP));
    if (float_row(tr(STR_TARGET_SLOPE), &a.target_slope, -1.0f, 1.0f)) a.fit.clear(), s.lab_dirty = true;
    float_row("lr", &a.lr, 0.001f, 1.0f, "%.3f");
    const int act = transport(&a.playing);
    // The widgets queue the work; ensure_computed runs it (as it runs a link's steps).
    if (act == 1) ++a.pending_steps;
    if (act == 2) a.playing = false, a.fit.clear(), s.lab_dirty = true;
    ImGui::Text(tr(STR_FIT_STATUS), a.fit_step, a.fit_slope);
  }
  show_error(s);
  if (changed) s.lab_dirty = true;
}

namespace {

// f and f' of every shown layer, the chosen one on top and thicker; a hover lists all.
void activation_curves(const AppState& s, float plot_h, float half, bool stale) {
  const ActivationLab& a = s.act;
  const LabResult& r = s.lab_result;
  const int n = static_cast<int>(r.xs.size());
  const auto colour = [stale](int layer, unsigned alpha) {
    return (stale ? (palette().label & 0x00FFFFFF) : (curve_colour(layer) & 0x00FFFFFF)) | (alpha << 24);
  };
  std::vector<PlotSeries> fs, dfs;
  const int cur = static_cast<int>(a.layer);
  const bool sampled = a.layer == ActLayer::RRELU && a.training;
  for (int i = 0; i < static_cast<int>(ActLayer::COUNT); ++i) {
    if (r.f[i].empty() || i == cur) continue;
    const char* name = act_layer_name(static_cast<ActLayer>(i));
    fs.push_back({r.xs.data(), r.f[i].data(), n, colour(i, 0xA0), 1.5f, false, name});
    dfs.push_back({r.xs.data(), r.df[i].data(), n, colour(i, 0xA0), 1.5f, i == static_cast<int>(ActLayer::RRELU) && a.training, name});
  }
  fs.push_back({r.xs.data(), r.f[cur].data(), n, colour(cur, 0xFF), sampled ? 1.5f : 2.5f, sampled, act_name(a)});
  dfs.push_back({r.xs.data(), r.df[cur].data(), n, colour(cur, 0xFF), sampled ? 1.5f : 2.5f, sampled, act_name(a)});
  PlotAxes ax;
  ax.xmin = a.xmin, ax.xmax = a.xmax, ax.x_label = "x";
  const PlotHover h1 = DrawPlot("f", tr(STR_PLOT_F), fs, ax, ImVec2(half, plot_h));
  if (!s.layout.compact) ImGui::SameLine();
  const PlotHover h2 = DrawPlot("df", tr(STR_PLOT_DF), dfs, ax, ImVec2(half, plot_h));
  if (!h1.hovered && !h2.hovered) return;
  const float x = h1.hovered ? h1.x : h2.x;
  const int i = std::clamp(static_cast<int>(std::lround((x - a.xmin) / (a.xmax - a.xmin) * (n - 1))), 0, n - 1);
  ImGui::BeginTooltip();
  ImGui::Text("x = %.4g", r.xs[static_cast<size_t>(i)]);
  for (int l = 0; l < static_cast<int>(ActLayer::COUNT); ++l) {
    if (r.f[l].empty()) continue;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(curve_colour(l)), "%-9s f = %-10.5g f' = %.5g",
                       l == static_cast<int>(ActLayer::GENERIC) ? act_name(a) : act_layer_name(static_cast<ActLayer>(l)), r.f[l][static_cast<size_t>(i)], r.df[l][static_cast<size_t>(i)]);
  }
  ImGui::EndTooltip();
}

// The derivative at the kink, the measured derivative range and the layer's own note.
void activation_notes(const AppState& s) {
  const ActivationLab& a = s.act;
  const LabResult& r = s.lab_result;
  const bool compact = s.layout.compact;
  if (compact) ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(tr(STR_KINK_NOTE), act_name(a), r.kink[0], r.kink[1], r.kink[2]);
  ImGui::PushStyleColor(ImGuiCol_Text, palette().ok);
  ImGui::Text(tr(STR_DERIV_RANGE), act_name(a), a.xmin, a.xmax, r.derivative_min, r.derivative_max);
  ImGui::PopStyleColor();
  if (a.layer == ActLayer::SIGMOID) {
    if (!compact) ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(STR_SIGMOID_NOTE));
  }
  if (a.layer == ActLayer::RRELU) {
    if (!compact) ImGui::SameLine();
    if (a.training)
      ImGui::TextDisabled(tr(STR_RRELU_TRAIN_NOTE), a.seed, a.lower, a.upper);
    else
      ImGui::TextDisabled(tr(STR_RRELU_EVAL_NOTE), (a.lower + a.upper) / 2);
  }
  if (compact) ImGui::PopTextWrapPos();
}

// PReLU's SGD fit: its weight against the target slope, the weight's gradient, the loss.
void prelu_fit_plots(const AppState& s, float pw, float ph) {
  const ActivationLab& a = s.act;
  const TrainHistory& f = a.fit;
  const int m = static_cast<int>(f.loss.size());
  const std::vector<float> target(static_cast<size_t>(std::max(m, 2)), a.target_slope);
  PlotAxes sa;
  sa.x_label = nullptr;
  DrawPlot("slope", tr(STR_FIT_SLOPE), {{nullptr, f.slope.data(), m, curve_colour(4), 2, false, "PReLU.weight"},
                                         {nullptr, target.data(), std::max(m, 2), palette().target, 1, false, tr(STR_LEGEND_TARGET)}},
           sa, ImVec2(pw, ph));
  DrawPlot("slope_grad", tr(STR_FIT_GRAD), {{nullptr, f.slope_grad.data(), m, curve_colour(1), 2, false, "weight.grad"}}, sa,
           ImVec2(pw, ph));
  PlotAxes la;
  la.log_y = true;
  la.x_label = tr(STR_STEP_AXIS);
  DrawPlot("fit_loss", tr(STR_FIT_LOSS), {{nullptr, f.loss.data(), m, curve_colour(2), 2, false, "MSE"}}, la, ImVec2(pw, ph));
}

}  // namespace

void activation_view(AppState& s) {
  const ActivationLab& a = s.act;
  const LabResult& r = s.lab_result;
  if (is_dimwise(a)) return dimwise_view(s);
  pinned_note(s);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const bool compact = s.layout.compact;  // one column: the plots one under the other
  const float plot_h = compact ? avail.x * 0.62f : avail.y * 0.46f, half = compact ? avail.x : (avail.x - gap) / 2;
  if (r.xs.empty()) return;
  // Invalid parameters: the error where the curves are, the last valid curves greyed.
  const bool stale = !s.error.empty();
  if (stale) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s  %s", s.error.c_str(), tr(STR_STALE_CURVES));
    ImGui::PopStyleColor();
  }
  activation_curves(s, plot_h, half, stale);
  activation_notes(s);

  // Tensor heatmaps (channel 0) and the PReLU fit (compact: under them).
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float share = a.layer == ActLayer::PRELU && !compact ? 0.55f : 1.0f;
  const float hw = (rest.x * share - gap) / 2, hh = compact ? hw + 2 * ImGui::GetFontSize() : (rest.y - gap) / 2;
  const ll::Tensor* ts[] = {&r.act_input, &r.act_output, &r.act_grad_output, &r.act_grad_input};
  const StringId titles[] = {STR_HM_INPUT, STR_HM_OUTPUT, STR_HM_GRAD_OUTPUT, STR_HM_GRAD_INPUT};
  const char* names[] = {"input", "output", "grad_output", "grad_input"};
  ImGui::BeginGroup();
  for (int i = 0; i < 4; ++i) {
    if (i % 2) ImGui::SameLine();
    ll::Tensor plane({8, 8});
    if (ts[i]->numel() >= 64) std::copy(ts[i]->data.begin(), ts[i]->data.begin() + 64, plane.data.begin());
    heat(s, i, tr(titles[i]), plane, 8, 8, ImVec2(hw, hh), i >= 2, r.version, names[i], 4);
  }
  ImGui::EndGroup();
  if (a.layer != ActLayer::PRELU) return;  // the SGD fit is PReLU's
  if (!compact) ImGui::SameLine();
  ImGui::BeginGroup();
  const float pw = ImGui::GetContentRegionAvail().x, ph = compact ? pw * 0.5f : (rest.y - 2 * gap) / 3;
  prelu_fit_plots(s, pw, ph);
  ImGui::EndGroup();
}

namespace {

// ---------------------------------------------------------------------------
// Linear lab

}  // namespace

void linear_parameters(AppState& s) {
  LinearLab& l = s.lin;
  bool changed = false;
  section("Linear");
  changed |= int_row("in_features", &l.in_features, 1, 16);
  changed |= int_row("out_features", &l.out_features, 1, 16);
  {
    RowScope row("bias", nullptr);
    changed |= ImGui::Checkbox(l.bias ? "True###b" : "False###b", &l.bias);
  }
  section(tr(STR_INPUT));
  changed |= int_row(tr(STR_BATCH), &l.batch, 1, 16, "n");
  changed |= seed_row(&l.seed);
  if (ImGui::Button(tr(STR_REINIT))) l.seed += 1, l.weight_edits.clear(), changed = true;
  ImGui::SameLine();
  if (ImGui::Button(tr(STR_CLEAR_EDITS))) l.weight_edits.clear(), changed = true;
  ImGui::TextDisabled("%s", tr(STR_WEIGHT_EDIT_TIP));
  section(tr(STR_COLLAPSE));
  changed |= int_row("depth", &l.depth, 1, 6);
  changed |= int_row(tr(STR_HIDDEN), &l.hidden, 1, 16, "hidden");
  changed |= combo_row("activation", &l.activation, 0, stack_act_count(), stack_act_name);
  show_error(s);
  if (changed) s.lab_dirty = true;
}

void linear_view(AppState& s) {
  LinearLab& l = s.lin;
  const LabResult& r = s.lab_result;
  if (r.lin_weight.data.empty()) return;
  pinned_note(s);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Four heatmaps a row; compact: two, each about as tall as wide.
  const bool compact = s.layout.compact;
  const int per_row = compact ? 2 : 4;
  const float w4 = (avail.x - static_cast<float>(per_row - 1) * gap) / static_cast<float>(per_row);
  const float h = compact ? w4 + 2 * ImGui::GetFontSize() : (avail.y * 0.58f - gap) / 2;
  auto next = [&](int i) {  // before heatmap i of a row group
    if (i % per_row) ImGui::SameLine();
  };
  const int in = static_cast<int>(r.lin_weight.shape[1]), out = static_cast<int>(r.lin_weight.shape[0]);
  const int batch = static_cast<int>(r.lin_input.shape[0]);
  heat(s, 0, tr(STR_HM_LIN_INPUT), r.lin_input, batch, in, ImVec2(w4, h), false, r.version, "input", 2);
  next(1);
  const HeatmapHover wh = heat(s, 1, "weight (out, in)", r.lin_weight, out, in, ImVec2(w4, h), false, r.version);
  next(2);
  heat(s, 2, "bias", r.lin_bias, 1, static_cast<int>(r.lin_bias.numel()), ImVec2(w4, h), false, r.version, "bias", 1);
  next(3);
  heat(s, 3, tr(STR_HM_LIN_OUTPUT), r.lin_output, batch, out, ImVec2(w4, h), false, r.version, "output", 2);
  heat(s, 4, "grad_output", r.lin_grad_output, batch, out, ImVec2(w4, h), true, r.version, "grad_output", 2);
  next(5);
  heat(s, 5, "grad_input", r.lin_grad_input, batch, in, ImVec2(w4, h), true, r.version, "grad_input", 2);
  next(6);
  heat(s, 6, "grad_weight", r.lin_grad_weight, out, in, ImVec2(w4, h), true, r.version, "grad_weight", 2);
  next(7);
  heat(s, 7, "grad_bias", r.lin_grad_bias, 1, static_cast<int>(r.lin_grad_bias.numel()), ImVec2(w4, h), true, r.version, "grad_bias", 1);

  if (wh.clicked && wh.in_data) {
    l.edit_index = wh.y * in + wh.x;
    l.edit_value = r.lin_weight.data[static_cast<size_t>(l.edit_index)];
    ImGui::OpenPopup("edit_weight");
  }
  if (ImGui::BeginPopup("edit_weight")) {
    ImGui::Text("weight[%d, %d]", l.edit_index / std::max(in, 1), l.edit_index % std::max(in, 1));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputFloat("##w", &l.edit_value, 0.1f, 1.0f, "%.4g", ImGuiInputTextFlags_EnterReturnsTrue);
    if (enter || ImGui::Button(tr(STR_OK))) {
      l.weight_edits[l.edit_index] = l.edit_value;
      s.lab_dirty = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(STR_CANCEL))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  // Collapse demo.
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, palette().accent);
  ImGui::SeparatorText(tr(STR_COLLAPSE));
  ImGui::PopStyleColor();
  const bool linear_only = l.activation == StackAct::NONE;
  ImGui::Text(tr(STR_COLLAPSE_STACK), l.depth, in, l.hidden, out, stack_act_name(l.activation));
  ImGui::PushStyleColor(ImGuiCol_Text, linear_only ? palette().ok : palette().error);
  ImGui::Text(tr(STR_COLLAPSE_DIFF), r.collapse_max_abs_diff, r.fused_rank, out, in);
  ImGui::TextWrapped("%s", linear_only ? tr(STR_COLLAPSE_EQUAL) : tr(STR_COLLAPSE_BROKEN));
  ImGui::PopStyleColor();
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float h2 = compact ? h : rest.y - 4;
  heat(s, 8, tr(STR_HM_FUSED_W), r.fused_weight, out, in, ImVec2(w4, h2), true, r.version);
  next(1);
  heat(s, 9, tr(STR_HM_FUSED_B), r.fused_bias, 1, out, ImVec2(w4, h2), true, r.version);
  next(2);
  heat(s, 10, tr(STR_HM_STACK), r.stack_output, 16, out, ImVec2(w4, h2), true, r.version);
  next(3);
  heat(s, 11, tr(STR_HM_FUSED_OUT), r.fused_output, 16, out, ImVec2(w4, h2), true, r.version);
}

namespace {

// ---------------------------------------------------------------------------
// Gradient lab

// Colour of a stack activation: the activation lab's colour of the same layer.
ImU32 stack_act_color(StackAct act) { return curve_colour(std::max(static_cast<int>(act) - 1, 0)); }

}  // namespace

void gradient_parameters(AppState& s) {
  GradientLab& g = s.grad;
  bool changed = false;
  section(tr(STR_STACK));
  changed |= int_row("depth", &g.depth, 1, 50);
  changed |= int_row("width", &g.width, 2, 128);
  changed |= combo_row("activation", &g.activation, 1, stack_act_count(), stack_act_name);
  changed |= combo_row("init", &g.init, 0, static_cast<int>(InitScheme::COUNT), init_name);
  {
    RowScope row("gain", nullptr);
    float gain = static_cast<float>(g.gain);
    if (slider_float("##gain", &gain, static_cast<float>(kMinGain), static_cast<float>(kMaxGain), "%.3g",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
      g.gain = gain, changed = true;
  }
  hint(tr(STR_GAIN_TIP));
  changed |= int_row(tr(STR_BATCH), &g.batch, 1, 256, "n");
  changed |= seed_row(&g.seed);
  section(tr(STR_COMPARE));
  // As many columns as the widest name allows, at most three (the four of the course note first).
  float widest = 0;
  for (int i = 1; i < stack_act_count(); ++i) widest = std::max(widest, ImGui::CalcTextSize(stack_act_name(static_cast<StackAct>(i))).x);
  const ImGuiStyle& st = ImGui::GetStyle();
  const float box_w = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + widest + st.ItemSpacing.x;
  const int per_row = std::clamp(static_cast<int>(ImGui::GetContentRegionAvail().x / box_w), 1, 3);
  const float left = ImGui::GetCursorPosX();
  for (int i = 1; i < stack_act_count(); ++i) {
    const auto act = static_cast<StackAct>(i);
    if ((i - 1) % per_row) ImGui::SameLine(left + box_w * static_cast<float>((i - 1) % per_row));
    bool on = g.compare & act_bit(act);
    ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(stack_act_color(act)));
    if (ImGui::Checkbox(stack_act_name(act), &on)) g.compare ^= act_bit(act), changed = true;
    ImGui::PopStyleColor();
  }
  ImGui::TextWrapped("%s", tr(STR_GRAD_TIP));
  show_error(s);
  if (changed) s.lab_dirty = true;
}

namespace {

const char* verdict_text(const char* verdict) {
  const std::string v = verdict;
  return tr(v == "exploding" ? STR_EXPLODING : v == "vanishing" ? STR_VANISHING : STR_STABLE);
}

std::vector<float> as_floats(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

// The gradient reaching each layer, for the chosen activation and every compared one.
void gradient_norm_plot(const AppState& s, const std::vector<float>& layer, ImVec2 size) {
  const LabResult& r = s.lab_result;
  const int L = static_cast<int>(layer.size());
  std::vector<std::vector<float>> ys;
  for (const auto& entry : r.compare_grad_norms) ys.push_back(as_floats(entry.second));
  std::vector<PlotSeries> series;
  for (size_t k = 0; k < ys.size(); ++k) {
    const StackAct act = r.compare_grad_norms[k].first;
    const bool chosen = act == s.grad.activation;
    series.push_back({layer.data(), ys[k].data(), L, stack_act_color(act), chosen ? 3.0f : 1.5f, false, stack_act_name(act)});
    if (chosen) series.push_back({layer.data(), ys[k].data(), L, stack_act_color(act), 3.0f, true, nullptr});
  }
  PlotAxes ax;
  ax.log_y = true;
  ax.x_label = tr(STR_LAYER_AXIS);
  ax.xmin = 0.5f, ax.xmax = L + 0.5f;
  const PlotHover h = DrawPlot("norms", tr(STR_GRAD_PLOT), series, ax, size);
  if (!h.hovered) return;
  const size_t i = static_cast<size_t>(std::clamp(static_cast<int>(std::lround(h.x)) - 1, 0, L - 1));
  ImGui::BeginTooltip();
  ImGui::Text(tr(STR_LAYER_TIP), static_cast<int>(i) + 1, r.weight_grad_norms[i], r.act_mean[i], r.act_std[i],
              100 * r.dead_fraction[i]);
  for (size_t k = 0; k < ys.size(); ++k)
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(stack_act_color(r.compare_grad_norms[k].first)),
                       "%-9s |grad_input| = %.3e", stack_act_name(r.compare_grad_norms[k].first), ys[k][i]);
  ImGui::EndTooltip();
}

}  // namespace

void gradient_view(AppState& s) {
  const LabResult& r = s.lab_result;
  const GradientLab& g = s.grad;
  if (r.grad_norms.empty()) return;
  const int L = static_cast<int>(r.grad_norms.size());
  std::vector<float> layer(static_cast<size_t>(L));
  for (int i = 0; i < L; ++i) layer[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  const std::vector<float> mean = as_floats(r.act_mean), sd = as_floats(r.act_std), dead = as_floats(r.dead_fraction);
  const std::string verdict = r.verdict;
  ImGui::PushStyleColor(ImGuiCol_Text, verdict == "stable" ? palette().ok : palette().error);
  ImGui::TextWrapped(tr(STR_GRAD_VERDICT), stack_act_name(g.activation), init_name(g.init), g.gain, r.grad_ratio,
                     verdict_text(r.verdict));
  ImGui::PopStyleColor();
  ImGui::TextDisabled(tr(STR_GRAD_SUMMARY), r.grad_norms.front(), r.grad_norms.back());
  if (g.activation == StackAct::RELU) {
    ImGui::SameLine();
    ImGui::TextDisabled(tr(STR_DEAD_SUMMARY), 100.0 * r.dead_total);
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  const bool compact = s.layout.compact;  // one column: the plots one under the other
  gradient_norm_plot(s, layer, ImVec2(avail.x, compact ? avail.x * 0.75f : avail.y * 0.55f));
  const float w2 = compact ? avail.x : (avail.x - ImGui::GetStyle().ItemSpacing.x) / 2;
  const float h2 = compact ? avail.x * 0.55f : ImGui::GetContentRegionAvail().y - gap;
  PlotAxes a2;
  a2.x_label = tr(STR_LAYER_AXIS);
  a2.xmin = 0.5f, a2.xmax = L + 0.5f;
  DrawPlot("stats", tr(STR_ACT_STATS), {{layer.data(), mean.data(), L, curve_colour(1), 2, false, tr(STR_LEGEND_MEAN)},
                                        {layer.data(), sd.data(), L, curve_colour(2), 2, false, tr(STR_LEGEND_STD)}},
           a2, ImVec2(w2, h2));
  if (!compact) ImGui::SameLine();
  a2.ymin = 0, a2.ymax = 1;
  DrawPlot("dead", tr(STR_DEAD_PLOT), {{layer.data(), dead.data(), L, curve_colour(3), 2, false, tr(STR_LEGEND_DEAD)},
                                       {layer.data(), dead.data(), L, curve_colour(3), 2, true, nullptr}},
           a2, ImVec2(w2, h2));
}

namespace {

// ---------------------------------------------------------------------------
// Training lab

}  // namespace

void train_parameters(AppState& s) {
  TrainLab& t = s.train;
  bool rebuild = false;
  section(tr(STR_TRAIN_DATA));
  rebuild |= combo_row("dataset", &t.dataset, 0, static_cast<int>(Dataset::COUNT), dataset_name);
  rebuild |= seed_row(&t.seed);
  section(tr(STR_MODEL));
  rebuild |= int_row(tr(STR_HIDDEN), &t.hidden, 1, 64, "hidden");
  rebuild |= combo_row("activation", &t.activation, 1, stack_act_count(), stack_act_name);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("Linear(2,%d) → %s → Linear(%d,%d) → %s → Linear(%d,1)", t.hidden, stack_act_name(t.activation),
                      t.hidden, t.hidden, stack_act_name(t.activation), t.hidden);
  ImGui::PopTextWrapPos();
  ImGui::TextDisabled("loss: BCEWithLogitsLoss()  ·  SGD");
  section(tr(STR_TRAINING));
  {
    RowScope row("lr", nullptr);
    slider_float("##lr", &t.lr, 0.001f, 10.0f, "%.3f", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
  hint(tr(STR_LR_TIP));
  int_row(tr(STR_SPEED), &t.steps_per_frame, 1, 50, "speed");
  const int act = transport(&t.playing);
  if (act == 1) ++t.pending_steps;  // run by ensure_computed, as a link's steps
  if (act == 2) t.playing = false, rebuild = true;
  if (s.train_run) {
    const TrainRun& r = *s.train_run;
    ImGui::Text(tr(STR_TRAIN_STATUS), r.step, r.last_loss, 100 * r.accuracy);
    if (t.activation == StackAct::RELU) ImGui::Text(tr(STR_TRAIN_DEAD), 100 * r.dead[0], 100 * r.dead[1]);
    ImGui::TextDisabled(tr(STR_STEP_TIME), r.step_ms);
    if (t.pending_steps > 0) ImGui::Text(tr(STR_STEPS_QUEUED), t.pending_steps);
  }
  show_error(s);
  if (rebuild) s.train_run.reset();  // a new model on the next compute
}

void train_view(AppState& s) {
  if (!s.train_run) return;
  const TrainRun& r = *s.train_run;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool compact = s.layout.compact;  // one column: the boundary, then the curves under it
  const float side = compact ? avail.x : std::min(avail.x * 0.5f, avail.y - ImGui::GetFontSize() * 1.5f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddText(o, palette().title, tr(STR_BOUNDARY));
  const ImVec2 p0(o.x, o.y + ImGui::GetFontSize() + 4);
  const float cell = side / kBoundary;
  // sigmoid(logit): blue (class 0) - white - orange (class 1).
  auto colour = [](float p, int alpha) {
    const float q = std::clamp(p, 0.0f, 1.0f);
    const float rr = q < 0.5f ? 40 + 2 * q * 180 : 220 + (q - 0.5f) * 2 * 35;
    const float gg = q < 0.5f ? 90 + 2 * q * 120 : 210 - (q - 0.5f) * 2 * 90;
    const float bb = q < 0.5f ? 200 + 2 * q * 20 : 220 - (q - 0.5f) * 2 * 180;
    return IM_COL32(static_cast<int>(rr), static_cast<int>(gg), static_cast<int>(bb), alpha);
  };
  for (int i = 0; i < kBoundary; ++i)
    for (int j = 0; j < kBoundary; ++j) {
      const float p = r.boundary[static_cast<size_t>(i * kBoundary + j)];
      dl->AddRectFilled(ImVec2(p0.x + j * cell, p0.y + i * cell), ImVec2(p0.x + (j + 1) * cell, p0.y + (i + 1) * cell),
                        colour(0.5f + (p - 0.5f) * 0.7f, 255));
    }
  for (int k = 0; k < static_cast<int>(r.labels.numel()); ++k) {
    const float x = r.points.data[static_cast<size_t>(2 * k)], y = r.points.data[static_cast<size_t>(2 * k + 1)];
    const ImVec2 c(p0.x + (x + kExtent) / (2 * kExtent) * side, p0.y + (kExtent - y) / (2 * kExtent) * side);
    const bool one = r.labels.data[static_cast<size_t>(k)] > 0.5f;
    dl->AddCircleFilled(c, 4.0f, one ? IM_COL32(255, 140, 20, 255) : IM_COL32(20, 80, 230, 255), 10);
    dl->AddCircle(c, 4.0f, palette().dot_outline, 10, 1.2f);
  }
  dl->AddRect(p0, ImVec2(p0.x + side, p0.y + side), palette().boundary_frame);
  ImGui::Dummy(ImVec2(side, side + ImGui::GetFontSize() + 4));
  if (!compact) ImGui::SameLine();
  ImGui::BeginGroup();
  const float pw = ImGui::GetContentRegionAvail().x;
  const float ph = compact ? pw * 0.5f : (avail.y - 2 * ImGui::GetStyle().ItemSpacing.y) / 3;
  const int n = static_cast<int>(r.history.loss.size());
  PlotAxes la;
  la.log_y = true;
  la.x_label = tr(STR_STEP_AXIS);
  DrawPlot("loss", tr(STR_LOSS_CURVE), {{nullptr, r.history.loss.data(), n, palette().curve[1], 2, false, "BCEWithLogitsLoss"}},
           la, ImVec2(pw, ph));
  DrawPlot("gnorm", tr(STR_GNORM_CURVE), {{nullptr, r.history.grad_norm.data(), n, palette().curve[0], 2, false, "|grad|"}},
           la, ImVec2(pw, ph));
  PlotAxes da;
  da.x_label = tr(STR_STEP_AXIS);
  da.ymin = 0, da.ymax = 1.05f;  // a layer all dead stays visible above the top grid line
  DrawPlot("dead", tr(STR_DEAD_CURVE), {{nullptr, r.history.dead[0].data(), n, curve_colour(3), 2, false, tr(STR_HIDDEN_1)},
                                        {nullptr, r.history.dead[1].data(), n, curve_colour(4), 2, false, tr(STR_HIDDEN_2)}},
           da, ImVec2(pw, ph));
  ImGui::EndGroup();
}

// The six of the course note, then every other element-wise activation of the core, as its table lists them.
void ShowActivationLayerPicker(AppState& s) {
  ActivationLab& a = s.act;
  RowScope row("layer", nullptr);
  ImGui::PushID("layer");
  if (ImGui::BeginCombo("##v", act_name(a), ImGuiComboFlags_HeightLarge)) {
    for (int i = 0; i < kComparableActs; ++i) {
      const auto l = static_cast<ActLayer>(i);
      if (ImGui::Selectable(act_layer_name(l), a.layer == l)) a.layer = l, s.lab_dirty = true;
    }
    // The core's others: the element-wise ones, then those along a dimension.
    const auto choice = [&](const ll::LayerDesc& d) {
      const bool current = a.layer == ActLayer::GENERIC && a.generic == d.name;
      if (ImGui::Selectable(d.name, current) && !current) {
        a.layer = ActLayer::GENERIC, a.generic = d.name, a.keywords.clear();
        for (const ll::ParamDesc& p : d.params)  // a required keyword (Threshold's) starts at 0
          if (p.required()) a.keywords[p.name] = "0";
        s.lab_dirty = true;
      }
      if (ImGui::IsItemHovered() && d.formula[0]) ImGui::SetTooltip("%s", d.formula);
    };
    ImGui::Separator();
    for (const ll::ElementwiseDesc& e : ll::elementwise_descs()) choice(e.layer);
    ImGui::SeparatorText(tr(STR_DIMWISE_GROUP));
    for (const ll::LayerDesc& d : ll::layer_descs())
      if (ll::is_generic_activation(d.name) && !ll::find_elementwise(d.name)) choice(d);
    ImGui::EndCombo();
  }
  ImGui::PopID();
}

}  // namespace app

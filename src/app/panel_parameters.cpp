// panel_parameters.cpp — ShowParametersPanel: layer picker, PyTorch parameters, input, view.
#include <algorithm>
#include <cstdio>

#include <utility>

#include "core/layer_desc.h"
#include "imgui.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

// One row of the parameter table: the PyTorch name (and "locked" when the hash key
// `key` is), then the widget. Returns whether the row is locked.
bool param_label(const char* name, const char* key = nullptr) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(name);
  const bool locked = lock_mark(key ? key : name);
  ImGui::TableSetColumnIndex(1);
  return locked;
}

// The "square / (h, w)" switch of an int-or-pair parameter.
bool square_toggle(PairParam& p) {
  const float w = ImGui::CalcTextSize("(h, w)").x + ImGui::GetStyle().FramePadding.x * 2;
  const bool clicked = ImGui::Button(p.square ? "k x k###sq" : "(h, w)###sq", ImVec2(w, 0));
  if (clicked) {
    p.square = !p.square;
    if (p.square) p.w = p.h;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_SQUARE_TIP));
  return clicked;
}

// The square toggle, then one slider (k x k) or an (h, w) pair of sliders.
bool pair_slider(PairParam& p, int lo, int hi) {
  bool changed = square_toggle(p);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (p.square) {
    if (slider_int("##v", &p.h, lo, hi)) {
      p.w = p.h;
      changed = true;
    }
  } else {
    int v[2] = {p.h, p.w};
    if (ImGui::SliderInt2("##hw", v, lo, hi)) {
      p.h = v[0];
      p.w = v[1];
      changed = true;
    }
  }
  return changed;
}

// An int-or-pair parameter's row.
bool pair_param(const char* name, PairParam& p, int lo, int hi) {
  ImGui::BeginDisabled(param_label(name));
  ImGui::PushID(name);
  const bool changed = pair_slider(p, lo, hi);
  ImGui::PopID();
  ImGui::EndDisabled();
  return changed;
}

bool bool_param(const char* name, bool& v, const char* tip = nullptr) {
  ImGui::BeginDisabled(param_label(name));
  ImGui::PushID(name);
  const bool changed = ImGui::Checkbox(v ? "True###v" : "False###v", &v);
  if (tip && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  ImGui::PopID();
  ImGui::EndDisabled();
  return changed;
}

// "Clear edits (3)" on the line before, while there are hand edits; true when pressed.
bool clear_edits_button(const char* label, std::map<int64_t, float>* edits) {
  if (edits->empty()) return false;
  ImGui::SameLine();
  char text[96];
  std::snprintf(text, sizeof text, "%s (%zu)", label, edits->size());
  if (!ImGui::SmallButton(text)) return false;
  edits->clear();
  return true;
}

}  // namespace

void ShowPoolLayerPicker(AppState& s) {
  const PoolLayer layers[] = {PoolLayer::MAX_POOL2D, PoolLayer::AVG_POOL2D, PoolLayer::MAX_UNPOOL2D};
  const char* labels[] = {layer_name(layers[0]), layer_name(layers[1]), layer_name(layers[2])};
  float widths[3];
  bool row_start[3];
  button_rows(labels, 3, 3, widths, row_start);
  ImGui::BeginDisabled(ui_locked("layer"));
  for (int i = 0; i < 3; ++i) {
    if (!row_start[i]) ImGui::SameLine();
    const bool active = s.layer == layers[i];
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(labels[i], ImVec2(widths[i], 0)) && !active) {
      s.layer = layers[i];
      s.dirty = true;
    }
    if (active) ImGui::PopStyleColor();
  }
  ImGui::EndDisabled();
  lock_mark("layer");
}

namespace {

// The app's slider range of a keyword of the current pooling layer, from the core's descriptor.
std::pair<int, int> ui_range(const AppState& s, const char* keyword) {
  const ll::LayerDesc* layer = ll::find_layer(layer_name(s.layer));
  const ll::ParamDesc* p = layer ? ll::find_param(*layer, keyword) : nullptr;
  return p ? std::make_pair(static_cast<int>(p->ui_min), static_cast<int>(p->ui_max)) : std::make_pair(1, 16);
}

// stride: None (kernel_size) or an int-or-pair on a row of its own.
bool stride_row(const AppState& s, PoolParams& p) {
  bool changed = false;
  ImGui::BeginDisabled(param_label("stride"));
  if (ImGui::Checkbox("None##stride", &p.stride_is_none)) changed = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_STRIDE_NONE));
  if (!p.stride_is_none) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(1);
    const auto [lo, hi] = ui_range(s, "stride");
    ImGui::PushID("stride_pair");
    changed |= pair_slider(p.stride, lo, hi);
    ImGui::PopID();
  }
  ImGui::EndDisabled();
  return changed;
}

// divisor_override: None, or an int typed in.
bool divisor_row(PoolParams& p) {
  bool changed = false;
  ImGui::BeginDisabled(param_label("divisor_override"));
  bool on = p.has_divisor_override;
  if (ImGui::Checkbox("##div_on", &on)) {
    p.has_divisor_override = on;
    changed = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_DIVISOR_NONE_TIP));
  ImGui::SameLine();
  if (on) {
    ImGui::SetNextItemWidth(-1);
    changed |= ImGui::InputInt("##div", &p.divisor_override);
  } else {
    ImGui::TextDisabled("None");
  }
  ImGui::EndDisabled();
  return changed;
}

bool begin_table(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp)) return false;
  ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("count_include_pad").x + 4);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

// The layer's PyTorch keywords, in PyTorch's order, with the core's slider ranges.
bool layer_parameters(AppState& s) {
  PoolParams& p = s.params;
  bool changed = false;
  section(tr(STR_PARAMETERS));
  if (begin_table("params")) {
    const auto range = [&](const char* k) { return ui_range(s, k); };
    changed |= pair_param("kernel_size", p.kernel_size, range("kernel_size").first, range("kernel_size").second);
    changed |= stride_row(s, p);
    changed |= pair_param("padding", p.padding, range("padding").first, range("padding").second);
    if (s.layer == PoolLayer::MAX_POOL2D)
      changed |= pair_param("dilation", p.dilation, range("dilation").first, range("dilation").second);
    if (s.layer != PoolLayer::MAX_UNPOOL2D) changed |= bool_param("ceil_mode", p.ceil_mode);
    if (s.layer == PoolLayer::MAX_POOL2D)
      changed |= bool_param("return_indices", p.return_indices, tr(STR_RETURN_INDICES_TIP));
    if (s.layer == PoolLayer::AVG_POOL2D) {
      changed |= bool_param("count_include_pad", p.count_include_pad);
      changed |= divisor_row(p);
    }
    ImGui::EndTable();
  }
  if (s.layer == PoolLayer::MAX_UNPOOL2D) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().note);
    ImGui::TextWrapped("%s", tr(STR_UNPOOL_NOTE));
    ImGui::PopStyleColor();
  }
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s", s.error.c_str());
    ImGui::PopStyleColor();
  }
  return changed;
}

// values: the generator, or the student's file (back to the file's own shape).
bool generator_row(InputParams& in) {
  const char* gens[] = {tr(STR_GEN_RAMP), tr(STR_GEN_RANDOM), tr(STR_GEN_CHECKERBOARD), tr(STR_GEN_GRADIENT),
                        tr(STR_GEN_PICTURE), in.file_name.c_str()};
  bool changed = false;
  ImGui::BeginDisabled(param_label(tr(STR_GENERATOR), "input"));
  int gen = static_cast<int>(in.gen);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::Combo("##gen", &gen, gens, in.file ? 6 : 5)) {
    in.gen = static_cast<InputGen>(gen);
    if (in.gen == InputGen::FILE) {
      in.n = static_cast<int>(in.file->shape[0]), in.c = static_cast<int>(in.file->shape[1]);
      in.h = static_cast<int>(in.file->shape[2]), in.w = static_cast<int>(in.file->shape[3]);
    }
    changed = true;
  }
  ImGui::EndDisabled();
  if (in.gen == InputGen::FILE && !in.file_note.empty()) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(1);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", in.file_note.c_str());
    ImGui::PopStyleColor();
  }
  return changed;
}

// N, C, H, W within the app's caps, and the seed.
bool shape_rows(AppState& s) {
  InputParams& in = s.input;
  bool changed = false;
  const struct { const char* name; const char* key; int* v; int hi; } dims[] = {
      {"N", "n", &in.n, kMaxInputN}, {"C", "c", &in.c, kMaxInputC}, {"H", "h", &in.h, kMaxInputSide},
      {"W", "w", &in.w, kMaxInputSide}};
  for (const auto& d : dims) {
    ImGui::BeginDisabled(param_label(d.name, d.key));
    ImGui::SetNextItemWidth(-1);
    ImGui::PushID(d.key);
    if (slider_int("##v", d.v, 1, d.hi, "%d", ImGuiSliderFlags_AlwaysClamp)) {
      changed = true;
      s.notice.clear();  // the student's own choice now, within the caps
    }
    ImGui::PopID();
    ImGui::EndDisabled();
  }
  ImGui::BeginDisabled(param_label("seed"));
  ImGui::SetNextItemWidth(-1);
  int seed = static_cast<int>(in.seed);
  if (ImGui::InputInt("##seed", &seed)) {
    in.seed = static_cast<uint32_t>(std::max(seed, 0));
    changed = true;
  }
  ImGui::EndDisabled();
  return changed;
}

// grad_output: ones, random (seed) or one-hot at the pinned cell.
bool grad_row(InputParams& in) {
  ImGui::BeginDisabled(param_label(tr(STR_GRAD_GEN), "grad"));
  int grad = static_cast<int>(in.grad);
  bool changed = ImGui::RadioButton(tr(STR_GRAD_ONES), &grad, 0);
  const auto fits = [](StringId id) {
    same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(id)).x);
  };
  fits(STR_GRAD_RANDOM);
  changed |= ImGui::RadioButton(tr(STR_GRAD_RANDOM), &grad, 1);
  fits(STR_GRAD_ONE_HOT);
  changed |= ImGui::RadioButton(tr(STR_GRAD_ONE_HOT), &grad, 2);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_GRAD_ONE_HOT_TIP));
  in.grad = static_cast<GradGen>(grad);
  ImGui::EndDisabled();
  return changed;
}

// The input tensor: values, shape, seed, grad_output, and the hand edits of both.
bool input_section(AppState& s) {
  InputParams& in = s.input;
  bool changed = false;
  section(tr(STR_INPUT));
  if (begin_table("input")) {
    changed |= generator_row(in);
    changed |= shape_rows(s);
    changed |= grad_row(in);
    ImGui::EndTable();
  }
  const bool no_edits = ui_locked("cells") && ui_locked("grad_cells");
  if (no_edits) s.edit_mode = false;
  ImGui::BeginDisabled(no_edits);
  ImGui::Checkbox(tr(STR_EDIT_MODE), &s.edit_mode);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_EDIT_TIP));
  ImGui::EndDisabled();
  ImGui::BeginDisabled(ui_locked("cells"));
  changed |= clear_edits_button(tr(STR_CLEAR_EDITS), &in.edits);
  ImGui::EndDisabled();
  lock_mark("cells");
  ImGui::BeginDisabled(ui_locked("grad_cells"));
  changed |= clear_edits_button(tr(STR_CLEAR_GRAD_EDITS), &in.grad_edits);
  ImGui::EndDisabled();
  return changed;
}

// View options (not part of the computation).
void view_section(AppState& s) {
  section(tr(STR_VIEW));
  ImGui::Checkbox(tr(STR_SHOW_NUMBERS), &s.show_numbers);
  if (s.layer == PoolLayer::AVG_POOL2D) ImGui::Checkbox(tr(STR_SHOW_DIVISORS), &s.show_divisors);
  ImGui::Checkbox(tr(STR_SCRUB), &s.scrub_on);
  if (!s.scrub_on || !s.result.valid) return;
  const int windows = static_cast<int>(s.result.geom.out_h * s.result.geom.out_w);
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) s.scrub = std::max(0, s.scrub - 1);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) s.scrub = std::min(windows - 1, s.scrub + 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  char fmt[64];
  std::snprintf(fmt, sizeof fmt, "%s%%d / %d", tr(STR_WINDOW_NUM), std::max(windows - 1, 0));
  slider_int("##scrub", &s.scrub, 0, std::max(windows - 1, 0), fmt);
}

}  // namespace

void ShowParametersPanel(AppState& s) {
  // Layer picker: three buttons, the current one highlighted (narrow: in the top bar).
  if (s.layout.kind != LayoutKind::NARROW) {
    section(tr(STR_LAYER));
    ShowPoolLayerPicker(s);
  }
  bool changed = layer_parameters(s);
  changed |= input_section(s);
  view_section(s);
  if (changed) s.dirty = true;
}

}  // namespace app

// labs/widgets.cpp — the widgets the labs' panels share (widgets.h).
#include "app/labs/widgets.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "app/heatmap.h"
#include "app/inspector.h"
#include "app/panels.h"
#include "app/strings.h"

namespace app {

// The i-th curve's colour (an activation's index, a series'): the palette's colours in turn.
ImU32 curve_colour(int i) { return palette().curve[static_cast<size_t>(i) % Palette::kCurves]; }

// A labelled row: the PyTorch name left (with the lock mark when the hash key
// `key` is locked), the widget filling the rest. Returns whether it is locked.
bool label(const char* name, const char* key) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(name);
  const bool locked = lock_mark(key ? key : name);
  ImGui::SameLine(ImGui::GetFontSize() * 8.5f);
  ImGui::SetNextItemWidth(-1);
  return locked;
}


bool int_row(const char* name, int* v, int lo, int hi, const char* key) {
  RowScope row(name, key);
  ImGui::PushID(name);
  const bool c = slider_int("##v", v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
  ImGui::PopID();
  return c;
}

bool float_row(const char* name, float* v, float lo, float hi, const char* fmt, const char* key) {
  RowScope row(name, key);
  ImGui::PushID(name);
  const bool c = slider_float("##v", v, lo, hi, fmt);
  ImGui::PopID();
  return c;
}

bool double_row(const char* name, double* v, float lo, float hi) {
  float f = static_cast<float>(*v);
  const bool c = float_row(name, &f, lo, hi);
  if (c) *v = f;
  return c;
}

bool seed_row(uint32_t* seed) {
  RowScope row("seed", nullptr);
  int v = static_cast<int>(*seed);
  ImGui::PushID("seed");
  const bool c = ImGui::InputInt("##v", &v);
  ImGui::PopID();
  if (c) *seed = static_cast<uint32_t>(std::max(v, 0));
  return c;
}

// A grey note that wraps at the panel's edge.
void hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void show_error(const AppState& s) {
  if (s.error.empty()) return;
  section(tr(STR_ERROR));
  ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
  ImGui::TextWrapped("%s", s.error.c_str());
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", tr(STR_KEEP_LAST));
}

// Play / pause, step, reset in one row; returns 1 step, 2 reset, 0 nothing.
int transport(bool* playing) {
  int action = 0;
  if (ImGui::Button(*playing ? tr(STR_PAUSE) : tr(STR_PLAY))) *playing = !*playing;
  ImGui::SameLine();
  if (ImGui::Button(tr(STR_STEP))) action = 1;
  ImGui::SameLine();
  if (ImGui::Button(tr(STR_RESET))) action = 2;
  return action;
}

// One tensor as a heatmap (2-D: rows x cols; 1-D: one row); gradients diverge around 0.
// `pin_name`: the saveNpy name of the tensor, so a click pins a cell (nullptr: not
// pinnable); `pin_dims`: its index's length (4: (1, C, H, W) at plane 0; 2; 1).
HeatmapHover heat(AppState& s, int slot, const char* title, const ll::Tensor& t, int rows, int cols, ImVec2 size,
                  bool diverging, uint64_t version, const char* pin_name, int pin_dims) {
  HeatmapData d;
  d.values = t.data.empty() ? nullptr : t.data.data();
  d.rows = t.data.empty() ? 0 : rows;
  d.cols = t.data.empty() ? 0 : cols;
  float lo = INFINITY, hi = -INFINITY;
  for (float v : t.data)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (diverging) {
    const float m = std::max({std::fabs(lo), std::fabs(hi), 1e-6f});
    lo = -m, hi = m;
  } else if (hi - lo < 1e-6f) {
    hi = lo + 1;
  }
  d.vmin = lo, d.vmax = hi, d.diverging = diverging;
  const auto pin_at = [pin_dims](int y, int x) {
    return pin_dims == 4 ? std::vector<int64_t>{0, 0, y, x} : pin_dims == 2 ? std::vector<int64_t>{y, x} : std::vector<int64_t>{x};
  };
  std::vector<CellMark> marks;
  if (pin_name && s.pin && s.pin->tensor == pin_name && s.pin->index.size() == static_cast<size_t>(pin_dims)) {
    const std::vector<int64_t>& i = s.pin->index;
    const int y = pin_dims == 1 ? 0 : static_cast<int>(i[static_cast<size_t>(pin_dims - 2)]);
    const int x = static_cast<int>(i.back());
    if (pin_dims != 4 || (i[0] == 0 && i[1] == 0)) marks.push_back({static_cast<float>(y), static_cast<float>(x), static_cast<float>(y + 1), static_cast<float>(x + 1),
                       palette().pin, 3.0f});
  }
  ImGui::BeginGroup();
  const HeatmapHover h = DrawHeatmap(title, title, d, HeatmapFrame{}, marks, s.lab_views[slot], size,
                                     (version << 8) | static_cast<uint64_t>(slot), true);
  ImGui::EndGroup();
  if (pin_name && h.clicked && h.in_data) {  // a click pins the cell, again unpins it
    const Pin pin{pin_name, pin_at(h.y, h.x)};
    if (s.pin && *s.pin == pin)
      s.pin.reset();
    else
      s.pin = pin;
  }
  return h;
}

// The pinned cell's computation, over the lab's view.
void pinned_note(const AppState& s) {
  const std::string text = s.pin ? pin_explanation(s, *s.pin) : std::string();
  if (text.empty()) return;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(palette().pinned, "%s", tr(STR_PINNED));
  ImGui::SameLine();
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
}

// ---------------------------------------------------------------------------
// Activation lab

}  // namespace app

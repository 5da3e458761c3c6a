// labs/widgets.h — the widgets the labs' panels share: labelled parameter rows
// (PyTorch's name left, the widget filling the rest, disabled while locked), a
// tensor as a heatmap that pins a cell on a click, notes, the error box, the
// play/step/reset row.
//
//   curve_colour        the i-th curve's colour of the theme
//   label, RowScope     a row's name (and lock mark); its widget, disabled while locked
//   int_row ... seed_row   a slider or field in a row; true when changed
//   combo_row           an enum's values in a combo
//   hint, show_error    a grey wrapped note; the error and "the last good result stays"
//   transport           play / pause, step, reset: 1 step, 2 reset, 0 nothing
//   heat                a tensor as a heatmap; a click pins a cell
//   pinned_note         the pinned cell's computation, over a lab's view
#pragma once

#include <cstdint>

#include "app/app_state.h"
#include "app/heatmap.h"
#include "imgui.h"
#include "app/panels.h"

namespace app {

ImU32 curve_colour(int i);
bool label(const char* name, const char* key = nullptr);

// The widget of a row, disabled while its key is locked.
class RowScope {
 public:
  RowScope(const char* name, const char* key) : locked_(label(name, key)) { ImGui::BeginDisabled(locked_); }
  ~RowScope() { ImGui::EndDisabled(); }
  RowScope(const RowScope&) = delete;
  RowScope& operator=(const RowScope&) = delete;

 private:
  bool locked_;
};

bool int_row(const char* name, int* v, int lo, int hi, const char* key = nullptr);
bool float_row(const char* name, float* v, float lo, float hi, const char* fmt = "%.3g", const char* key = nullptr);
bool double_row(const char* name, double* v, float lo, float hi);
bool seed_row(uint32_t* seed);

template <typename Enum>
bool combo_row(const char* name, Enum* v, int first, int count, const char* (*names)(Enum)) {
  RowScope row(name, nullptr);
  ImGui::PushID(name);
  bool changed = false;
  if (ImGui::BeginCombo("##v", names(*v))) {
    for (int i = first; i < count; ++i) {
      const auto e = static_cast<Enum>(i);
      if (ImGui::Selectable(names(e), e == *v)) *v = e, changed = true;
    }
    ImGui::EndCombo();
  }
  ImGui::PopID();
  return changed;
}

void hint(const char* text);
void show_error(const AppState& s);
int transport(bool* playing);
// One tensor as a heatmap (2-D: rows x cols; 1-D: one row); gradients diverge around 0.
// `pin_name`: the saveNpy name of the tensor, so a click pins a cell (nullptr: not
// pinnable); `pin_dims`: its index's length (4: (1, C, H, W) at plane 0; 2; 1).
HeatmapHover heat(AppState& s, int slot, const char* title, const ll::Tensor& t, int rows, int cols, ImVec2 size,
                  bool diverging, uint64_t version, const char* pin_name = nullptr, int pin_dims = 0);
void pinned_note(const AppState& s);

}  // namespace app

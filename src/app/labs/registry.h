// labs/registry.h — the labs, one entry each: what the shell (app.cpp, the hash,
// state(), the code and pin panels) knows of a lab, it knows through kLabs.
//
//   LabDef        one lab: its hash name, title, panels, code and pinned-cell text
//   kLabs         every lab, in Lab's order (a static_assert holds the count)
//   lab_def(lab)  the entry of one lab
//   find_lab(v)   the lab a hash's lab=... names, or nullptr
//
// Adding a lab: a value of Lab, its functions, and one row of kLabs.
#pragma once

#include <string>
#include <string_view>

#include "app/app_state.h"
#include "app/strings.h"

namespace app {

struct LabDef {
  Lab id;
  const char* name;                         // the hash's lab=..., state().lab
  StringId title;                           // the lab picker's button and the view's heading
  StringId subtitle;                        // beside LayerLab in the title bar; STR_COUNT: none (the view names the lab)
  void (*parameters)(AppState&);            // the left column (the narrow layout's drawer)
  void (*view)(AppState&);                  // beside it: heatmaps, curves, plots
  void (*layer_picker)(AppState&);          // the narrow layout's top bar; nullptr: no layer to pick
  // The pooling lab puts its formula and code under the view; the others, their code in a window over it.
  bool formula_below_view;
  std::string (*code)(const AppState&);     // state().code: the PyTorch script ("" until computed)
  // A pinned cell's computation in words (state().pinned.text); nullptr: the cell's value only.
  std::string (*pin_text)(const AppState&, const Pin&, double value);
};

extern const LabDef kLabs[];
inline constexpr int kLabCount = 5;
const LabDef& lab_def(Lab lab);
const LabDef* find_lab(std::string_view name);

}  // namespace app

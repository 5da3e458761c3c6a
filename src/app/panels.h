// panels.h — the playground's panels, each a free function over AppState.
//
//   ShowApp              lays out the windows below and runs the core when dirty
//   app_is_animating     the app needs frames without input (the platform idles otherwise)
//   ShowParametersPanel  layer picker, PyTorch parameters, input, view options
//   ShowTensorsPanel     the heatmaps with hover / scrubber highlighting
//   ShowFormulaPanel     the output-size formula with the current numbers
//   ShowCodePanel        the PyTorch code that reproduces the state, with Copy
//   <lab>_parameters     the activation / Linear / gradient / train lab's controls (panel_labs.cpp)
//   <lab>_view           that lab's curves, heatmaps and plots
//   <lab>_code           that lab's PyTorch script (panel_code.cpp)
//   button_rows          button rows and item flow that follow the panel's width (app.cpp)
#pragma once

#include <string>
#include <vector>

#include "app_state.h"
#include "imgui.h"
#include "theme.h"

namespace app {

void ShowApp(AppState& s);
// Whether the next frame must be drawn even without input: training or a PReLU
// fit playing, queued steps, a computation or the core's warm-up still to come.
bool app_is_animating(const AppState& s);
void ShowParametersPanel(AppState& s);
// The layer choice of the pooling and activation labs (the narrow layout puts it in its top bar).
void ShowPoolLayerPicker(AppState& s);
void ShowActivationLayerPicker(AppState& s);
void ShowTensorsPanel(AppState& s);
void ShowFormulaPanel(AppState& s);
void ShowCodePanel(AppState& s);
// Each lab's panels and script (labs/registry.cpp lists them; the pooling lab's are above).
void activation_parameters(AppState& s);
void activation_view(AppState& s);
void linear_parameters(AppState& s);
void linear_view(AppState& s);
void gradient_parameters(AppState& s);
void gradient_view(AppState& s);
void train_parameters(AppState& s);
void train_view(AppState& s);
std::string activation_code(const AppState& s);
std::string linear_code(const AppState& s);
std::string gradient_code(const AppState& s);
std::string train_code(const AppState& s);

// Buttons in rows that fill the panel's width: as many a row as fit (at most
// `max_per_row`), each as wide as its label plus an equal share of the row's
// spare width. Fills widths[i], and row_start[i] for a button that starts a row.
void button_rows(const char* const* labels, int n, int max_per_row, float* widths, bool* row_start);
// SameLine() if an item `width` wide still fits on this line; otherwise a new line.
void same_line_if_fits(float width);
// Parameters an assignment locked (hash key `lock`): ShowApp sets the list each
// frame; a panel draws a locked key's widget inside BeginDisabled, and
// lock_mark() writes "(locked)" after its name (returns whether it is locked).
void set_ui_locks(const std::vector<std::string>* locked);
bool ui_locked(const char* key);
bool lock_mark(const char* key);
// UI characters of a language the loaded font has no glyph for (state().missing_glyphs).
int missing_glyphs(Lang lang);
// Sliders the keyboard drives: while one has the focus (ImGui's navigation, or a
// click), Left/Right step it (1, or a hundredth of the range; logarithmic: 5 %),
// and Up/Down go on moving between the parameters.
bool slider_int(const char* id, int* v, int lo, int hi, const char* fmt = "%d", ImGuiSliderFlags flags = 0);
bool slider_float(const char* id, float* v, float lo, float hi, const char* fmt = "%.3f", ImGuiSliderFlags flags = 0);

std::string pytorch_code(const AppState& s);  // the pooling lab's code panel text
// The PyTorch script of the current lab (state().code): pool, activation and
// linear define `x` and `out` and run the backward the lab shows; "" for the others.
std::string lab_code(const AppState& s);
// One line for a printed figure: the lab's module in Python and its input's shape,
// e.g. "nn.MaxPool2d(kernel_size=3, stride=2) · input 1×1×8×8".
std::string print_caption(const AppState& s);
void apply_app_style(float scale);            // the palette's colours, sizes scaled for HiDPI
void apply_palette(const Palette& p);         // ImGui's style colours from a palette

}  // namespace app

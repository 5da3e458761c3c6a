// panels.h — the playground's panels, each a free function over AppState.
//
//   ShowApp              lays out the windows below and runs the core when dirty
//   app_is_animating     the app needs frames without input (the platform idles otherwise)
//   ShowParametersPanel  layer picker, PyTorch parameters, input, view options
//   ShowTensorsPanel     the heatmaps with hover / scrubber highlighting
//   ShowFormulaPanel     the output-size formula with the current numbers
//   ShowCodePanel        the PyTorch code that reproduces the state, with Copy
//   ShowLabParameters    the activation / Linear / gradient / train lab's controls (panel_labs.cpp)
//   ShowLabView          that lab's curves, heatmaps and plots
#pragma once

#include <string>

#include "app_state.h"

namespace app {

void ShowApp(AppState& s);
// Whether the next frame must be drawn even without input: training or a PReLU
// fit playing, queued steps, a computation or the core's warm-up still to come.
bool app_is_animating(const AppState& s);
void ShowParametersPanel(AppState& s);
void ShowTensorsPanel(AppState& s);
void ShowFormulaPanel(AppState& s);
void ShowCodePanel(AppState& s);
void ShowLabParameters(AppState& s);
void ShowLabView(AppState& s);

std::string pytorch_code(const AppState& s);  // the code panel's text
void apply_app_style(float scale);            // dark theme, sizes scaled for HiDPI

}  // namespace app

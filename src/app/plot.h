// plot.h — line plots drawn with ImDrawList: axes, 1-2-5 ticks, log scale, legend, hover.
//
//   PlotSeries   one curve: x and y arrays, colour, line or dots, legend label
//   PlotAxes     the ranges (NAN: fit the data), linear or log10 y
//   DrawPlot     draws into `size` at the cursor; returns the hovered x (in data units)
#pragma once

#include <cmath>
#include <vector>

#include "imgui.h"

namespace app {

struct PlotSeries {
  const float* x = nullptr;  // nullptr: 0, 1, 2, ... (step numbers)
  const float* y = nullptr;
  int n = 0;
  ImU32 color = IM_COL32(110, 190, 255, 255);
  float thickness = 2.0f;
  bool dots = false;          // scatter instead of a polyline
  const char* label = nullptr;
};

struct PlotAxes {
  float xmin = NAN, xmax = NAN, ymin = NAN, ymax = NAN;  // NAN: from the data
  bool log_y = false;                                    // non-positive values sit on the bottom edge
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  float marker_x = NAN;                                  // a dashed vertical line (e.g. the current step)
};

struct PlotHover {
  bool hovered = false;
  float x = 0;  // data x under the pointer
};

PlotHover DrawPlot(const char* id, const char* title, const std::vector<PlotSeries>& series, const PlotAxes& axes,
                   ImVec2 size);

}  // namespace app

// heatmap.h — one 2-D tensor plane drawn as coloured cells with ImDrawList.
//
//   HeatmapData    the plane (float or int values) and its colour range
//   HeatmapFrame   cells drawn around the data: the padding ring and the overhang
//                  that only ceil_mode windows reach
//   CellMark       an outline or fill over a cell range (windows, argmax, ...)
//   DrawHeatmap    draws title, cells (a texture, so 224x224 stays cheap), grid,
//                  numbers when they fit, marks and a colour legend; handles
//                  zoom (wheel), pan (drag) and fit (double-click)
//   heatmap_drag_is_free  a drag that a scrolled column may take (touch scrolling)
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "app_state.h"
#include "imgui.h"

namespace app {

struct HeatmapData {
  const float* values = nullptr;  // rows*cols floats, or
  const int64_t* ints = nullptr;  // rows*cols ints
  int rows = 0, cols = 0;
  float vmin = 0.f, vmax = 1.f;  // colour range (finite values)
  bool diverging = false;        // blue-white-red around 0 (gradients)
};

struct HeatmapFrame {
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;  // padding ring (hatched grey)
  int extra_bottom = 0, extra_right = 0;                         // beyond the padding (dark)
  const char* pad_text = nullptr;                                // shown in padding cells ("-inf", "0")
};

// Cell coordinates are relative to the data's top-left; [y0, y1) x [x0, x1).
struct CellMark {
  float y0, x0, y1, x1;
  ImU32 color;
  float thickness;  // outline width in pixels; 0 = filled
};

struct HeatmapHover {
  bool hovered = false;  // the pointer is over a cell of the frame
  int y = 0, x = 0;      // that cell, relative to the data (may lie in the padding)
  bool in_data = false;
  bool clicked = false;  // released without dragging
  bool ctrl = false;     // Ctrl was held on click
};

// Draws into a region of `size` at the cursor. `tex_key` identifies the data
// (result version, plane): the texture is rebuilt only when it changes.
// `overlay(dl, cell_min, cell_size, y, x)` may add text to visible data cells.
// For a column that scrolls by dragging (touch): whether this frame's drag holds
// a heatmap that is not zoomed (its drag pans nothing), or a window's background.
bool heatmap_drag_is_free();
bool window_background_is_active();

HeatmapHover DrawHeatmap(const char* id, const char* title, const HeatmapData& data, const HeatmapFrame& frame,
                         const std::vector<CellMark>& marks, HeatmapView& view, ImVec2 size, uint64_t tex_key,
                         bool show_numbers,
                         const std::function<void(ImDrawList*, ImVec2, float, int, int)>& overlay = nullptr);

ImU32 heatmap_color(float v, const HeatmapData& data);  // the colour of one value
std::string format_value(float v);                      // short text for cells and tooltips

}  // namespace app

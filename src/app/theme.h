// theme.h — the app's two palettes (hash key `theme=dark|light|auto`) and the
// colour arithmetic that keeps them readable.
//
//   Palette         every colour the panels draw with, besides the heatmaps' colour maps
//   palette         the palette of the current frame (set_palette: once a frame, by ShowApp)
//   resolve_theme   dark or light for a setting, the browser's prefers-color-scheme and the host page's background
//   contrast_ratio  WCAG 2 contrast of two colours (text needs 4.5:1)
//   section         a parameter panel's section heading, in the palette's accent (app.cpp)
//
// The light theme is designed, not inverted: the heatmaps keep their colour maps
// (viridis and the diverging map read on white), the marks drawn over them keep
// their colours, and the text, lines and curves around them are darker.
#pragma once

#include <cstdint>
#include <optional>

#include "imgui.h"

namespace app {

enum class Theme { DARK, LIGHT, AUTO };

struct Palette {
  bool light = false;
  // ImGui's widgets (apply_palette) and the clear colour behind them.
  ImVec4 window_bg, child_bg, popup_bg, border, frame_bg, frame_hovered, frame_active, button, button_hovered,
      button_active, grab, grab_active, check, header, header_hovered, separator, title_bg, title_active;
  ImVec4 text, text_dim;
  ImVec4 accent;     // headings, the title, the quiz
  ImVec4 error, ok;  // an error's message; a right answer, "copied"
  ImVec4 warn;       // ceil_mode's added window (the orange of its mark)
  ImVec4 pinned;     // "Pinned" headings
  ImVec4 code_text;  // the PyTorch code
  ImVec4 note;       // grey notes under a parameter table
  // Heatmaps and plots.
  ImU32 title, label;         // a heatmap's or plot's title; its shape and axis labels
  ImU32 view_bg, region_bg;   // behind a heatmap; its padded region
  ImU32 pad_fill, pad_line;   // padding cells
  ImU32 grid;                 // lines between cells (alpha set by the cell size)
  ImU32 frame;                // a heatmap's or plot's outline
  ImU32 cell_text_dim;        // numbers in padding cells
  ImU32 plot_grid, plot_axis, legend_bg, legend_text, cursor, marker;
  // Marks: over the heatmaps, so the same in both themes, except where they sit on the panel.
  ImU32 window, tap_fill, argmax, focus, ceil, dropped_fill, dropped_line, pin, divisor_text;
  static constexpr int kCurves = 10;  // distinct plot colours; the i-th curve (a layer's index) takes curve[i % kCurves]
  ImU32 curve[kCurves];
  ImU32 target;    // the PReLU fit's target curve
  ImU32 dot_outline, boundary_frame;
};

const Palette& dark_palette();
const Palette& light_palette();
const Palette& palette();
// `host_bg`: the embedding page's background (0xRRGGBB), used as the window's
// background when the text keeps a 4.5:1 contrast on it.
void set_palette(bool light, std::optional<uint32_t> host_bg);

// Whether `theme` is light: auto follows the host page's background when the
// embed script passed it, else the browser's prefers-color-scheme.
bool resolve_theme(Theme theme, bool system_light, std::optional<uint32_t> host_bg);

double relative_luminance(ImVec4 c);  // WCAG 2, sRGB
double contrast_ratio(ImVec4 a, ImVec4 b);
ImVec4 rgb_color(uint32_t rrggbb);

// A section heading of a parameter panel: the title in the accent colour over a
// separator (drawn by app.cpp with the other ImGui helpers; the colours are here).
void section(const char* title);

}  // namespace app

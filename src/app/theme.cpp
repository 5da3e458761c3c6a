// theme.cpp — the dark and light palettes; tests/unit/test_theme.cpp checks
// that every text colour keeps 4.5:1 on the backgrounds it is drawn on.
#include "theme.h"

#include <algorithm>
#include <iterator>
#include <cmath>

namespace app {

namespace {

constexpr ImVec4 rgba(float r, float g, float b, float a = 1.0f) { return ImVec4(r, g, b, a); }

Palette make_dark() {
  Palette p;
  p.light = false;
  p.window_bg = rgba(0.09f, 0.10f, 0.12f);
  p.child_bg = rgba(0.07f, 0.08f, 0.10f);
  p.popup_bg = rgba(0.11f, 0.12f, 0.15f, 0.98f);
  p.border = rgba(0.22f, 0.24f, 0.30f);
  p.title_bg = rgba(0.11f, 0.13f, 0.17f);
  p.title_active = rgba(0.13f, 0.17f, 0.24f);
  p.frame_bg = rgba(0.16f, 0.18f, 0.23f);
  p.frame_hovered = rgba(0.22f, 0.26f, 0.34f);
  p.frame_active = rgba(0.25f, 0.31f, 0.42f);
  p.button = rgba(0.18f, 0.23f, 0.32f);
  p.button_hovered = rgba(0.25f, 0.36f, 0.52f);
  p.button_active = rgba(0.20f, 0.45f, 0.75f);
  p.grab = rgba(0.35f, 0.62f, 0.95f);
  p.grab_active = rgba(0.50f, 0.75f, 1.0f);
  p.check = rgba(0.50f, 0.80f, 1.0f);
  p.header = rgba(0.20f, 0.30f, 0.45f);
  p.header_hovered = rgba(0.25f, 0.38f, 0.56f);
  p.separator = rgba(0.25f, 0.30f, 0.40f);
  p.text = rgba(0.95f, 0.96f, 0.98f);
  p.text_dim = rgba(0.58f, 0.60f, 0.66f);
  p.accent = rgba(0.42f, 0.75f, 1.0f);
  p.error = rgba(1.0f, 0.45f, 0.45f);
  p.ok = rgba(0.45f, 0.90f, 0.55f);
  p.warn = rgba(1.0f, 0.65f, 0.0f);
  p.pinned = rgba(1.0f, 0.80f, 0.35f);
  p.code_text = rgba(0.85f, 0.90f, 0.80f);
  p.note = rgba(0.70f, 0.70f, 0.75f);
  p.title = IM_COL32(230, 230, 235, 255);
  p.label = IM_COL32(150, 150, 160, 255);
  p.view_bg = IM_COL32(22, 22, 28, 255);
  p.region_bg = IM_COL32(34, 34, 44, 255);
  p.pad_fill = IM_COL32(58, 58, 66, 255);
  p.pad_line = IM_COL32(88, 88, 98, 255);
  p.grid = IM_COL32(15, 15, 20, 255);
  p.frame = IM_COL32(70, 70, 85, 255);
  p.cell_text_dim = IM_COL32(160, 160, 170, 255);
  p.plot_grid = IM_COL32(45, 50, 62, 255);
  p.plot_axis = IM_COL32(120, 125, 140, 255);
  p.legend_bg = IM_COL32(18, 20, 26, 200);
  p.legend_text = IM_COL32(220, 220, 228, 255);
  p.cursor = IM_COL32(255, 255, 255, 110);
  p.marker = IM_COL32(255, 200, 90, 200);
  p.window = IM_COL32(0, 229, 255, 255);
  p.tap_fill = IM_COL32(0, 229, 255, 70);
  p.argmax = IM_COL32(255, 64, 64, 255);
  p.focus = IM_COL32(255, 255, 255, 255);
  p.ceil = IM_COL32(255, 165, 0, 255);
  p.dropped_fill = IM_COL32(150, 150, 150, 60);
  p.dropped_line = IM_COL32(170, 170, 170, 255);
  p.pin = IM_COL32(255, 204, 90, 255);
  p.divisor_text = IM_COL32(255, 200, 120, 255);
  const ImU32 layers[6] = {IM_COL32(110, 190, 255, 255), IM_COL32(255, 170, 80, 255), IM_COL32(120, 220, 120, 255),
                           IM_COL32(230, 110, 200, 255), IM_COL32(255, 230, 90, 255), IM_COL32(180, 150, 255, 255)};
  for (size_t i = 0; i < std::size(p.layer); ++i) p.layer[i] = layers[i];
  p.target = IM_COL32(150, 150, 160, 200);
  p.dot_outline = IM_COL32(15, 15, 20, 255);
  p.boundary_frame = IM_COL32(90, 96, 110, 255);
  return p;
}

// Light: white panels on a pale grey page, dark text; curves in the Okabe-Ito
// colours (distinct for colour-blind readers, dark enough for white).
Palette make_light() {
  Palette p = make_dark();
  p.light = true;
  p.window_bg = rgba(0.965f, 0.968f, 0.976f);
  p.child_bg = rgba(1.0f, 1.0f, 1.0f);
  p.popup_bg = rgba(1.0f, 1.0f, 1.0f, 0.99f);
  p.border = rgba(0.78f, 0.80f, 0.85f);
  p.title_bg = rgba(0.90f, 0.92f, 0.95f);
  p.title_active = rgba(0.84f, 0.88f, 0.94f);
  p.frame_bg = rgba(0.89f, 0.905f, 0.93f);
  p.frame_hovered = rgba(0.82f, 0.86f, 0.93f);
  p.frame_active = rgba(0.74f, 0.81f, 0.92f);
  p.button = rgba(0.83f, 0.88f, 0.96f);
  p.button_hovered = rgba(0.72f, 0.81f, 0.95f);
  p.button_active = rgba(0.55f, 0.70f, 0.94f);
  p.grab = rgba(0.16f, 0.45f, 0.85f);
  p.grab_active = rgba(0.10f, 0.36f, 0.75f);
  p.check = rgba(0.10f, 0.40f, 0.80f);
  p.header = rgba(0.78f, 0.85f, 0.95f);
  p.header_hovered = rgba(0.70f, 0.80f, 0.94f);
  p.separator = rgba(0.72f, 0.76f, 0.84f);
  p.text = rgba(0.08f, 0.09f, 0.11f);
  p.text_dim = rgba(0.36f, 0.38f, 0.42f);
  p.accent = rgba(0.04f, 0.36f, 0.68f);
  p.error = rgba(0.72f, 0.08f, 0.08f);
  p.ok = rgba(0.05f, 0.45f, 0.18f);
  p.warn = rgba(0.62f, 0.32f, 0.0f);
  p.pinned = rgba(0.60f, 0.38f, 0.0f);
  p.code_text = rgba(0.12f, 0.24f, 0.10f);
  p.note = rgba(0.33f, 0.35f, 0.40f);
  p.title = IM_COL32(25, 28, 34, 255);
  p.label = IM_COL32(88, 92, 104, 255);
  p.view_bg = IM_COL32(255, 255, 255, 255);
  p.region_bg = IM_COL32(236, 238, 243, 255);
  p.pad_fill = IM_COL32(214, 217, 224, 255);
  p.pad_line = IM_COL32(160, 165, 178, 255);
  p.grid = IM_COL32(255, 255, 255, 255);
  p.frame = IM_COL32(176, 181, 194, 255);
  p.cell_text_dim = IM_COL32(80, 84, 96, 255);
  p.plot_grid = IM_COL32(226, 229, 236, 255);
  p.plot_axis = IM_COL32(120, 125, 140, 255);
  p.legend_bg = IM_COL32(255, 255, 255, 220);
  p.legend_text = IM_COL32(30, 33, 40, 255);
  p.cursor = IM_COL32(0, 0, 0, 110);
  p.marker = IM_COL32(200, 120, 0, 220);
  p.window = IM_COL32(0, 190, 235, 255);
  p.tap_fill = IM_COL32(0, 190, 235, 70);
  p.ceil = IM_COL32(235, 130, 0, 255);
  p.dropped_fill = IM_COL32(120, 120, 130, 60);
  p.dropped_line = IM_COL32(110, 110, 120, 255);
  p.divisor_text = IM_COL32(255, 200, 120, 255);
  const ImU32 layers[6] = {IM_COL32(0, 114, 178, 255), IM_COL32(213, 94, 0, 255),   IM_COL32(0, 150, 110, 255),
                           IM_COL32(204, 80, 150, 255), IM_COL32(170, 130, 0, 255), IM_COL32(110, 80, 200, 255)};
  for (size_t i = 0; i < std::size(p.layer); ++i) p.layer[i] = layers[i];
  p.target = IM_COL32(110, 115, 128, 220);
  p.dot_outline = IM_COL32(255, 255, 255, 255);
  p.boundary_frame = IM_COL32(150, 156, 170, 255);
  return p;
}

Palette g_palette = make_dark();

double channel(float c) {  // sRGB -> linear
  return c <= 0.04045f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

const Palette& dark_palette() {
  static const Palette p = make_dark();
  return p;
}

const Palette& light_palette() {
  static const Palette p = make_light();
  return p;
}

const Palette& palette() { return g_palette; }

void set_palette(bool light, std::optional<uint32_t> host_bg) {
  g_palette = light ? light_palette() : dark_palette();
  if (!host_bg) return;
  const ImVec4 bg = rgb_color(*host_bg);
  if (contrast_ratio(g_palette.text_dim, bg) >= 4.5 && contrast_ratio(g_palette.accent, bg) >= 4.5)
    g_palette.window_bg = bg;  // the embed sits on the page as part of it
}

bool resolve_theme(Theme theme, bool system_light, std::optional<uint32_t> host_bg) {
  if (theme != Theme::AUTO) return theme == Theme::LIGHT;
  // Light where dark text reads better than light text: luminance above ~0.18.
  if (host_bg) return relative_luminance(rgb_color(*host_bg)) > 0.179;
  return system_light;
}

double relative_luminance(ImVec4 c) { return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z); }

double contrast_ratio(ImVec4 a, ImVec4 b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

ImVec4 rgb_color(uint32_t rrggbb) {
  return ImVec4(static_cast<float>((rrggbb >> 16) & 0xFF) / 255.0f, static_cast<float>((rrggbb >> 8) & 0xFF) / 255.0f,
                static_cast<float>(rrggbb & 0xFF) / 255.0f, 1.0f);
}

}  // namespace app

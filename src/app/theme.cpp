// theme.cpp — the dark and light palettes; tests/unit/test_theme.cpp checks
// that every text colour keeps 4.5:1 on the backgrounds it is drawn on.
#include "theme.h"

#include <algorithm>
#include <iterator>
#include <cmath>

namespace app {

namespace {

constexpr ImVec4 rgba(float r, float g, float b, float a = 1.0f) { return ImVec4(r, g, b, a); }

// Every colour of both palettes, dark then light, in one row: a colour cannot be
// given to one theme and forgotten in the other. Light: white panels on a pale grey
// page, dark text; curves in the Okabe-Ito colours (distinct for colour-blind
// readers, dark enough for white).
struct VecColour {
  ImVec4 Palette::*field;
  ImVec4 dark, light;
};
const VecColour kWidgetColours[] = {
    {&Palette::window_bg, rgba(0.09f, 0.10f, 0.12f), rgba(0.965f, 0.968f, 0.976f)},
    {&Palette::child_bg, rgba(0.07f, 0.08f, 0.10f), rgba(1.0f, 1.0f, 1.0f)},
    {&Palette::popup_bg, rgba(0.11f, 0.12f, 0.15f, 0.98f), rgba(1.0f, 1.0f, 1.0f, 0.99f)},
    {&Palette::border, rgba(0.22f, 0.24f, 0.30f), rgba(0.78f, 0.80f, 0.85f)},
    {&Palette::title_bg, rgba(0.11f, 0.13f, 0.17f), rgba(0.90f, 0.92f, 0.95f)},
    {&Palette::title_active, rgba(0.13f, 0.17f, 0.24f), rgba(0.84f, 0.88f, 0.94f)},
    {&Palette::frame_bg, rgba(0.16f, 0.18f, 0.23f), rgba(0.89f, 0.905f, 0.93f)},
    {&Palette::frame_hovered, rgba(0.22f, 0.26f, 0.34f), rgba(0.82f, 0.86f, 0.93f)},
    {&Palette::frame_active, rgba(0.25f, 0.31f, 0.42f), rgba(0.74f, 0.81f, 0.92f)},
    {&Palette::button, rgba(0.18f, 0.23f, 0.32f), rgba(0.83f, 0.88f, 0.96f)},
    {&Palette::button_hovered, rgba(0.25f, 0.36f, 0.52f), rgba(0.72f, 0.81f, 0.95f)},
    {&Palette::button_active, rgba(0.20f, 0.45f, 0.75f), rgba(0.55f, 0.70f, 0.94f)},
    {&Palette::grab, rgba(0.35f, 0.62f, 0.95f), rgba(0.16f, 0.45f, 0.85f)},
    {&Palette::grab_active, rgba(0.50f, 0.75f, 1.0f), rgba(0.10f, 0.36f, 0.75f)},
    {&Palette::check, rgba(0.50f, 0.80f, 1.0f), rgba(0.10f, 0.40f, 0.80f)},
    {&Palette::header, rgba(0.20f, 0.30f, 0.45f), rgba(0.78f, 0.85f, 0.95f)},
    {&Palette::header_hovered, rgba(0.25f, 0.38f, 0.56f), rgba(0.70f, 0.80f, 0.94f)},
    {&Palette::separator, rgba(0.25f, 0.30f, 0.40f), rgba(0.72f, 0.76f, 0.84f)},
    {&Palette::text, rgba(0.95f, 0.96f, 0.98f), rgba(0.08f, 0.09f, 0.11f)},
    {&Palette::text_dim, rgba(0.58f, 0.60f, 0.66f), rgba(0.36f, 0.38f, 0.42f)},
    {&Palette::accent, rgba(0.42f, 0.75f, 1.0f), rgba(0.04f, 0.36f, 0.68f)},
    {&Palette::error, rgba(1.0f, 0.45f, 0.45f), rgba(0.72f, 0.08f, 0.08f)},
    {&Palette::ok, rgba(0.45f, 0.90f, 0.55f), rgba(0.05f, 0.45f, 0.18f)},
    {&Palette::warn, rgba(1.0f, 0.65f, 0.0f), rgba(0.62f, 0.32f, 0.0f)},
    {&Palette::pinned, rgba(1.0f, 0.80f, 0.35f), rgba(0.60f, 0.38f, 0.0f)},
    {&Palette::code_text, rgba(0.85f, 0.90f, 0.80f), rgba(0.12f, 0.24f, 0.10f)},
    {&Palette::note, rgba(0.70f, 0.70f, 0.75f), rgba(0.33f, 0.35f, 0.40f)},
};

struct DrawColour {
  ImU32 Palette::*field;
  ImU32 dark, light;
};
const DrawColour kDrawColours[] = {
    {&Palette::title, IM_COL32(230, 230, 235, 255), IM_COL32(25, 28, 34, 255)},
    {&Palette::label, IM_COL32(150, 150, 160, 255), IM_COL32(88, 92, 104, 255)},
    {&Palette::view_bg, IM_COL32(22, 22, 28, 255), IM_COL32(255, 255, 255, 255)},
    {&Palette::region_bg, IM_COL32(34, 34, 44, 255), IM_COL32(236, 238, 243, 255)},
    {&Palette::pad_fill, IM_COL32(58, 58, 66, 255), IM_COL32(214, 217, 224, 255)},
    {&Palette::pad_line, IM_COL32(88, 88, 98, 255), IM_COL32(160, 165, 178, 255)},
    {&Palette::grid, IM_COL32(15, 15, 20, 255), IM_COL32(255, 255, 255, 255)},
    {&Palette::frame, IM_COL32(70, 70, 85, 255), IM_COL32(176, 181, 194, 255)},
    {&Palette::cell_text_dim, IM_COL32(160, 160, 170, 255), IM_COL32(80, 84, 96, 255)},
    {&Palette::plot_grid, IM_COL32(45, 50, 62, 255), IM_COL32(226, 229, 236, 255)},
    {&Palette::plot_axis, IM_COL32(120, 125, 140, 255), IM_COL32(120, 125, 140, 255)},
    {&Palette::legend_bg, IM_COL32(18, 20, 26, 200), IM_COL32(255, 255, 255, 220)},
    {&Palette::legend_text, IM_COL32(220, 220, 228, 255), IM_COL32(30, 33, 40, 255)},
    {&Palette::cursor, IM_COL32(255, 255, 255, 110), IM_COL32(0, 0, 0, 110)},
    {&Palette::marker, IM_COL32(255, 200, 90, 200), IM_COL32(200, 120, 0, 220)},
    {&Palette::window, IM_COL32(0, 229, 255, 255), IM_COL32(0, 190, 235, 255)},
    {&Palette::tap_fill, IM_COL32(0, 229, 255, 70), IM_COL32(0, 190, 235, 70)},
    {&Palette::argmax, IM_COL32(255, 64, 64, 255), IM_COL32(255, 64, 64, 255)},
    {&Palette::focus, IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255)},
    {&Palette::ceil, IM_COL32(255, 165, 0, 255), IM_COL32(235, 130, 0, 255)},
    {&Palette::dropped_fill, IM_COL32(150, 150, 150, 60), IM_COL32(120, 120, 130, 60)},
    {&Palette::dropped_line, IM_COL32(170, 170, 170, 255), IM_COL32(110, 110, 120, 255)},
    {&Palette::pin, IM_COL32(255, 204, 90, 255), IM_COL32(255, 204, 90, 255)},
    {&Palette::divisor_text, IM_COL32(255, 200, 120, 255), IM_COL32(255, 200, 120, 255)},
    {&Palette::target, IM_COL32(150, 150, 160, 200), IM_COL32(110, 115, 128, 220)},
    {&Palette::dot_outline, IM_COL32(15, 15, 20, 255), IM_COL32(255, 255, 255, 255)},
    {&Palette::boundary_frame, IM_COL32(90, 96, 110, 255), IM_COL32(150, 156, 170, 255)},
};

// The curves' colours, in turn: the six activations of the course note (Sigmoid, Tanh,
// ReLU, LeakyReLU, PReLU, RReLU), then four more for the core's other activations.
const ImU32 kLayerDark[Palette::kCurves] = {
    IM_COL32(110, 190, 255, 255), IM_COL32(255, 170, 80, 255),  IM_COL32(120, 220, 120, 255), IM_COL32(230, 110, 200, 255),
    IM_COL32(255, 230, 90, 255),  IM_COL32(180, 150, 255, 255), IM_COL32(255, 110, 110, 255), IM_COL32(90, 220, 220, 255),
    IM_COL32(215, 170, 125, 255), IM_COL32(205, 205, 215, 255)};
const ImU32 kLayerLight[Palette::kCurves] = {
    IM_COL32(0, 114, 178, 255), IM_COL32(213, 94, 0, 255),  IM_COL32(0, 150, 110, 255), IM_COL32(204, 80, 150, 255),
    IM_COL32(170, 130, 0, 255), IM_COL32(110, 80, 200, 255), IM_COL32(200, 30, 40, 255),  IM_COL32(0, 128, 140, 255),
    IM_COL32(140, 90, 40, 255), IM_COL32(80, 80, 90, 255)};

Palette make_palette(bool light) {
  Palette p;
  p.light = light;
  for (const VecColour& c : kWidgetColours) p.*c.field = light ? c.light : c.dark;
  for (const DrawColour& c : kDrawColours) p.*c.field = light ? c.light : c.dark;
  for (size_t i = 0; i < std::size(p.curve); ++i) p.curve[i] = light ? kLayerLight[i] : kLayerDark[i];
  return p;
}

Palette make_dark() { return make_palette(false); }
Palette make_light() { return make_palette(true); }

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

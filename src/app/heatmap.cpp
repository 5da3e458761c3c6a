// heatmap.cpp — DrawHeatmap: texture-backed cells, padding ring, marks, legend, zoom/pan.
#include "heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "imgui_internal.h"  // SetItemKeyOwner; the active window's move id
#include "texture.h"

namespace app {

namespace {

struct Rgb {
  float r, g, b;
};

// Viridis at 9 stops: perceptually even, readable for colour-blind students.
constexpr Rgb kViridis[] = {{68, 1, 84},    {72, 40, 120},  {62, 74, 137},  {49, 104, 142}, {38, 130, 142},
                            {31, 158, 137}, {53, 183, 121}, {110, 206, 88}, {253, 231, 37}};
// Diverging blue - grey-white - red for signed gradients.
constexpr Rgb kDiverging[] = {{59, 76, 192}, {141, 176, 254}, {221, 221, 221}, {244, 154, 123}, {180, 4, 38}};

Rgb sample(const Rgb* stops, int n, float t) {
  t = std::clamp(t, 0.0f, 1.0f) * static_cast<float>(n - 1);
  const int i = std::min(static_cast<int>(t), n - 2);
  const float f = t - static_cast<float>(i);
  return {stops[i].r + (stops[i + 1].r - stops[i].r) * f, stops[i].g + (stops[i + 1].g - stops[i].g) * f,
          stops[i].b + (stops[i + 1].b - stops[i].b) * f};
}

ImU32 to_u32(Rgb c) { return IM_COL32(static_cast<int>(c.r), static_cast<int>(c.g), static_cast<int>(c.b), 255); }

float luminance(ImU32 c) {
  const float r = static_cast<float>(c & 0xFF), g = static_cast<float>((c >> 8) & 0xFF),
              b = static_cast<float>((c >> 16) & 0xFF);
  return 0.299f * r + 0.587f * g + 0.114f * b;
}

float value_at(const HeatmapData& d, int y, int x) {
  const size_t i = static_cast<size_t>(y) * static_cast<size_t>(d.cols) + static_cast<size_t>(x);
  return d.values ? d.values[i] : static_cast<float>(d.ints[i]);
}

std::string cell_text(const HeatmapData& d, int y, int x) {
  if (d.ints) {
    return std::to_string(d.ints[static_cast<size_t>(y) * static_cast<size_t>(d.cols) + static_cast<size_t>(x)]);
  }
  return format_value(value_at(d, y, x));
}

// Diagonal hatching over [a, b]. Only the part inside the current clip rectangle
// is drawn: a band zoomed far past the window then adds a screenful of lines,
// not millions of off-screen ones that would overflow the draw list.
void hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 fill, ImU32 line, float step) {
  const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
  const ImVec2 lo(std::max(a.x, clip_min.x), std::max(a.y, clip_min.y));
  const ImVec2 hi(std::min(b.x, clip_max.x), std::min(b.y, clip_max.y));
  if (hi.x <= lo.x || hi.y <= lo.y) return;
  dl->AddRectFilled(lo, hi, fill);
  dl->PushClipRect(lo, hi, true);
  // The lines x + y = c, with c on a grid anchored at the band's corner, so they stay put while panning.
  const float origin = a.x + a.y;
  const float first = origin + std::ceil((lo.x + lo.y - origin) / step) * step;
  for (float c = first; c <= hi.x + hi.y; c += step) dl->AddLine(ImVec2(c - hi.y, hi.y), ImVec2(c - lo.y, lo.y), line, 1.0f);
  dl->PopClipRect();
}

}  // namespace

std::string format_value(float v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const float a = std::fabs(v);
  if (v == std::nearbyint(v) && a < 1e5f) {
    std::snprintf(buf, sizeof buf, "%d", static_cast<int>(v));
  } else if (a >= 1e4f || a < 1e-3f) {
    std::snprintf(buf, sizeof buf, "%.2g", static_cast<double>(v));
  } else if (a >= 100.f) {
    std::snprintf(buf, sizeof buf, "%.0f", static_cast<double>(v));
  } else if (a >= 10.f) {
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(v));
  }
  return buf;
}

ImU32 heatmap_color(float v, const HeatmapData& d) {
  if (std::isnan(v)) return IM_COL32(255, 0, 200, 255);  // magenta: NaN
  if (d.diverging) {
    const float m = std::max(std::fabs(d.vmin), std::fabs(d.vmax));
    if (std::isinf(v)) return to_u32(kDiverging[v > 0 ? 4 : 0]);
    const float t = m > 0 ? 0.5f + 0.5f * v / m : 0.5f;
    return to_u32(sample(kDiverging, 5, t));
  }
  if (std::isinf(v)) return v > 0 ? IM_COL32(255, 255, 255, 255) : IM_COL32(0, 0, 0, 255);
  const float t = d.vmax > d.vmin ? (v - d.vmin) / (d.vmax - d.vmin) : 0.5f;
  return to_u32(sample(kViridis, 9, t));
}

namespace {
int g_free_drag_frame = -1;  // the frame in which a heatmap at zoom 1 was held (its drag pans nothing)
}  // namespace

bool heatmap_drag_is_free() { return g_free_drag_frame == ImGui::GetFrameCount(); }

bool window_background_is_active() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  return g.ActiveId != 0 && g.ActiveIdWindow != nullptr && g.ActiveId == g.ActiveIdWindow->MoveId;
}

namespace {

// Where the frame (padding and overhang around the data) sits on screen this frame:
// cell side, origin, and the frame's extent in cells relative to the data.
struct Canvas {
  ImVec2 cmin, cmax, csize;  // the drawing area
  int fy0, fx0, fh, fw;      // frame: first row / column (negative: padding), rows, columns
  float base = 1, cell = 1;  // a cell's side at zoom 1, and now
  ImVec2 origin;
  const HeatmapView* view = nullptr;
  ImVec2 origin_for(float c) const {
    return ImVec2(cmin.x + std::max(0.f, (csize.x - c * static_cast<float>(fw)) * 0.5f),
                  cmin.y + std::max(0.f, (csize.y - c * static_cast<float>(fh)) * 0.5f));
  }
  // Screen position of data cell (y, x)'s top-left corner.
  ImVec2 at(float y, float x) const {
    return ImVec2(origin.x + (x - static_cast<float>(fx0) - view->pan_x) * cell,
                  origin.y + (y - static_cast<float>(fy0) - view->pan_y) * cell);
  }
};

// One texel per cell, rebuilt when the data changes (tex_key).
void update_texture(const HeatmapData& data, HeatmapView& view, uint64_t tex_key) {
  if (data.rows <= 0 || data.cols <= 0 || (view.texture != nullptr && view.tex_key == tex_key)) return;
  std::vector<uint32_t> rgba(static_cast<size_t>(data.rows) * static_cast<size_t>(data.cols));
  for (int y = 0; y < data.rows; ++y)
    for (int x = 0; x < data.cols; ++x)
      rgba[static_cast<size_t>(y) * static_cast<size_t>(data.cols) + static_cast<size_t>(x)] =
          heatmap_color(value_at(data, y, x), data);
  view.texture = texture_update(view.texture, rgba.data(), data.cols, data.rows);
  view.tex_key = tex_key;
}

// The wheel zooms about the pointer, a drag pans, a double-click fits; the view stays in the frame.
void zoom_and_pan(Canvas& c, HeatmapView& view, bool item_hovered) {
  const ImGuiIO& io = ImGui::GetIO();
  c.cell = c.base * view.zoom;
  c.origin = c.origin_for(c.cell);
  if (item_hovered && io.MouseWheel != 0.0f) {
    const float fxm = view.pan_x + (io.MousePos.x - c.origin.x) / c.cell;
    const float fym = view.pan_y + (io.MousePos.y - c.origin.y) / c.cell;
    view.zoom = std::clamp(view.zoom * std::pow(1.2f, io.MouseWheel), 1.0f, 256.0f);
    c.cell = c.base * view.zoom;
    c.origin = c.origin_for(c.cell);
    view.pan_x = fxm - (io.MousePos.x - c.origin.x) / c.cell;
    view.pan_y = fym - (io.MousePos.y - c.origin.y) / c.cell;
  }
  if (ImGui::IsItemActivated()) view.dragged = false;
  if (ImGui::IsItemActive() && view.zoom <= 1.0f) g_free_drag_frame = ImGui::GetFrameCount();
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
    view.dragged = true;
    view.pan_x -= io.MouseDelta.x / c.cell;
    view.pan_y -= io.MouseDelta.y / c.cell;
  }
  if (item_hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    view.zoom = 1.0f;
    view.pan_x = view.pan_y = 0.0f;
  }
  if (view.zoom <= 1.0f) {
    view.pan_x = view.pan_y = 0.0f;
  } else {
    const float vis_w = c.csize.x / c.cell, vis_h = c.csize.y / c.cell, fw = static_cast<float>(c.fw), fh = static_cast<float>(c.fh);
    view.pan_x = std::clamp(view.pan_x, std::min(0.f, fw - vis_w), std::max(0.f, fw - vis_w));
    view.pan_y = std::clamp(view.pan_y, std::min(0.f, fh - vis_h), std::max(0.f, fh - vis_h));
  }
}

// The overhang (dark), the hatched padding ring and the data's texture.
void draw_frame_and_cells(ImDrawList* dl, const Canvas& c, const HeatmapData& data, const HeatmapFrame& frame,
                          const HeatmapView& view) {
  const int H = data.rows, W = data.cols;
  if (frame.extra_bottom > 0 || frame.extra_right > 0)
    dl->AddRectFilled(c.at(static_cast<float>(c.fy0), static_cast<float>(c.fx0)),
                      c.at(static_cast<float>(c.fy0 + c.fh), static_cast<float>(c.fx0 + c.fw)), palette().region_bg);
  const float y0 = static_cast<float>(-frame.pad_top), x0 = static_cast<float>(-frame.pad_left);
  const float y1 = static_cast<float>(H + frame.pad_bottom), x1 = static_cast<float>(W + frame.pad_right);
  const ImU32 fill = palette().pad_fill, line = palette().pad_line;
  const float step = std::clamp(c.cell * 0.5f, 4.0f, 10.0f);
  hatch(dl, c.at(y0, x0), c.at(0, x1), fill, line, step);                                          // top
  hatch(dl, c.at(static_cast<float>(H), x0), c.at(y1, x1), fill, line, step);                      // bottom
  hatch(dl, c.at(0, x0), c.at(static_cast<float>(H), 0), fill, line, step);                        // left
  hatch(dl, c.at(0, static_cast<float>(W)), c.at(static_cast<float>(H), x1), fill, line, step);    // right
  if (view.texture && H > 0 && W > 0) dl->AddImage(view.texture, c.at(0, 0), c.at(static_cast<float>(H), static_cast<float>(W)));
}

// The cells in view, frame coordinates relative to the data: [vy0, vy1) x [vx0, vx1).
struct Visible {
  int vy0, vx0, vy1, vx1;
};
Visible visible_cells(const Canvas& c, const HeatmapView& view) {
  const int vy0 = std::max(c.fy0, static_cast<int>(std::floor(view.pan_y)) + c.fy0);
  const int vx0 = std::max(c.fx0, static_cast<int>(std::floor(view.pan_x)) + c.fx0);
  return {vy0, vx0, std::min(c.fy0 + c.fh, vy0 + static_cast<int>(c.csize.y / c.cell) + 2),
          std::min(c.fx0 + c.fw, vx0 + static_cast<int>(c.csize.x / c.cell) + 2)};
}

// Grid lines when cells are big enough to separate.
void draw_grid_lines(ImDrawList* dl, const Canvas& c, const Visible& v) {
  if (c.cell < 6.0f) return;
  const ImU32 grid = (palette().grid & 0x00FFFFFF) | (c.cell >= 14.f ? 200u : 110u) << 24;
  for (int y = v.vy0; y <= v.vy1; ++y)
    dl->AddLine(c.at(static_cast<float>(y), static_cast<float>(v.vx0)), c.at(static_cast<float>(y), static_cast<float>(v.vx1)), grid);
  for (int x = v.vx0; x <= v.vx1; ++x)
    dl->AddLine(c.at(static_cast<float>(v.vy0), static_cast<float>(x)), c.at(static_cast<float>(v.vy1), static_cast<float>(x)), grid);
}

// Numbers inside cells: at the font's size where they fit, smaller where they do
// not (down to a size still read on a projector), hidden only below that.
void draw_numbers(ImDrawList* dl, const Canvas& c, const Visible& v, const HeatmapData& data, const HeatmapFrame& frame) {
  const float font = ImGui::GetFontSize(), min_size = std::max(font * 0.55f, 7.0f);
  if (c.cell < min_size * 1.05f) return;
  const int H = data.rows, W = data.cols;
  for (int y = v.vy0; y < v.vy1; ++y) {
    for (int x = v.vx0; x < v.vx1; ++x) {
      const bool inside = y >= 0 && y < H && x >= 0 && x < W;
      const bool in_pad = !inside && y >= -frame.pad_top && y < H + frame.pad_bottom && x >= -frame.pad_left &&
                          x < W + frame.pad_right;
      std::string text;
      ImU32 color;
      if (inside) {
        text = cell_text(data, y, x);
        color = luminance(heatmap_color(value_at(data, y, x), data)) > 140 ? IM_COL32(10, 10, 10, 255)
                                                                           : IM_COL32(245, 245, 245, 255);
      } else if (in_pad && frame.pad_text) {
        text = frame.pad_text;
        color = palette().cell_text_dim;
      } else {
        continue;
      }
      const ImVec2 full = ImGui::CalcTextSize(text.c_str());  // at `font`; text scales linearly
      const float size = std::min({font, font * (c.cell - 3) / std::max(full.x, 1.0f), c.cell / 1.05f});
      if (size < min_size) continue;
      const ImVec2 ts(full.x * size / font, full.y * size / font);
      const ImVec2 p = c.at(static_cast<float>(y), static_cast<float>(x));
      dl->AddText(nullptr, size, ImVec2(p.x + (c.cell - ts.x) * 0.5f, p.y + (c.cell - ts.y) * 0.5f), color, text.c_str());
    }
  }
}

// Marks (windows, argmax, ...): filled, or outlines inset so neighbours stay apart.
void draw_marks(ImDrawList* dl, const Canvas& c, const std::vector<CellMark>& marks) {
  for (const CellMark& m : marks) {
    const ImVec2 a = c.at(m.y0, m.x0), b = c.at(m.y1, m.x1);
    if (b.x < c.cmin.x || b.y < c.cmin.y || a.x > c.cmax.x || a.y > c.cmax.y) continue;
    if (m.thickness <= 0.0f) {
      dl->AddRectFilled(a, b, m.color);
    } else {
      const float inset = std::min(m.thickness * 0.5f, c.cell * 0.2f);
      dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(b.x - inset, b.y - inset), m.color, 0.0f, 0,
                  std::min(m.thickness, std::max(1.0f, c.cell * 0.25f)));
    }
  }
}

// The cell under the pointer, and a click (a release without dragging).
HeatmapHover hover_of(const Canvas& c, const HeatmapData& data, const HeatmapView& view, bool item_hovered) {
  HeatmapHover hover;
  const ImGuiIO& io = ImGui::GetIO();
  if (item_hovered) {
    const float fx = view.pan_x + (io.MousePos.x - c.origin.x) / c.cell;
    const float fy = view.pan_y + (io.MousePos.y - c.origin.y) / c.cell;
    if (fx >= 0 && fy >= 0 && fx < static_cast<float>(c.fw) && fy < static_cast<float>(c.fh)) {
      hover.hovered = true;
      hover.x = static_cast<int>(fx) + c.fx0;
      hover.y = static_cast<int>(fy) + c.fy0;
      hover.in_data = hover.y >= 0 && hover.y < data.rows && hover.x >= 0 && hover.x < data.cols;
    }
  }
  if (ImGui::IsItemDeactivated() && !view.dragged && hover.hovered) {
    hover.clicked = true;
    hover.ctrl = io.KeyCtrl;
  }
  return hover;
}

// The colour ramp under the canvas, with its range.
void draw_legend(ImDrawList* dl, const Canvas& c, const HeatmapData& data) {
  const float font = ImGui::GetFontSize(), ly = c.cmax.y + 6, lh = font * 0.6f;
  const float m = std::max(std::fabs(data.vmin), std::fabs(data.vmax));
  const std::string lo = format_value(data.diverging ? -m : data.vmin), hi = format_value(data.diverging ? m : data.vmax);
  const float low = ImGui::CalcTextSize(lo.c_str()).x, hiw = ImGui::CalcTextSize(hi.c_str()).x;
  const float bx0 = c.cmin.x + low + 6, bx1 = c.cmax.x - hiw - 6;
  dl->AddText(ImVec2(c.cmin.x, ly + lh * 0.5f - font * 0.5f), palette().label, lo.c_str());
  dl->AddText(ImVec2(bx1 + 6, ly + lh * 0.5f - font * 0.5f), palette().label, hi.c_str());
  const int steps = 24;
  for (int i = 0; i < steps && bx1 > bx0; ++i) {
    const float t0 = static_cast<float>(i) / steps, t1 = static_cast<float>(i + 1) / steps;
    const ImU32 c0 = data.diverging ? to_u32(sample(kDiverging, 5, t0)) : to_u32(sample(kViridis, 9, t0));
    const ImU32 c1 = data.diverging ? to_u32(sample(kDiverging, 5, t1)) : to_u32(sample(kViridis, 9, t1));
    dl->AddRectFilledMultiColor(ImVec2(bx0 + (bx1 - bx0) * t0, ly), ImVec2(bx0 + (bx1 - bx0) * t1, ly + lh), c0, c1, c1, c0);
  }
}

}  // namespace

HeatmapHover DrawHeatmap(const char* id, const char* title, const HeatmapData& data, const HeatmapFrame& frame,
                         const std::vector<CellMark>& marks, HeatmapView& view, ImVec2 size, uint64_t tex_key,
                         bool show_numbers, const std::function<void(ImDrawList*, ImVec2, float, int, int)>& overlay) {
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 top = ImGui::GetCursorScreenPos();

  // Title line: the name, and the shape on the right.
  dl->AddText(top, palette().title, title);
  char shape_text[48];
  std::snprintf(shape_text, sizeof shape_text, "%d x %d", data.rows, data.cols);
  dl->AddText(ImVec2(top.x + size.x - ImGui::CalcTextSize(shape_text).x - 4, top.y), palette().label, shape_text);

  Canvas c;
  // On whole pixels: a crisp 1 px frame, and a background a software
  // rasterizer fills as a clear (platform/draw_fills.h).
  c.cmin = ImVec2(std::floor(top.x), std::floor(top.y + font + 4));
  c.cmax = ImVec2(std::floor(top.x + size.x), std::floor(top.y + size.y - (font + 8)));
  c.csize = ImVec2(std::max(c.cmax.x - c.cmin.x, 8.f), std::max(c.cmax.y - c.cmin.y, 8.f));
  c.fy0 = -frame.pad_top, c.fx0 = -frame.pad_left;
  c.fh = frame.pad_top + data.rows + frame.pad_bottom + frame.extra_bottom;
  c.fw = frame.pad_left + data.cols + frame.pad_right + frame.extra_right;
  c.base = std::max(0.01f, std::min(c.csize.x / static_cast<float>(std::max(c.fw, 1)), c.csize.y / static_cast<float>(std::max(c.fh, 1))));
  c.view = &view;
  update_texture(data, view, tex_key);

  // An invisible button over the canvas owns the mouse; the wheel zooms here, it does not scroll the window.
  ImGui::SetCursorScreenPos(c.cmin);
  ImGui::InvisibleButton("canvas", c.csize);
  ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);
  const bool item_hovered = ImGui::IsItemHovered();
  zoom_and_pan(c, view, item_hovered);
  view.cell0_x = c.at(0, 0).x, view.cell0_y = c.at(0, 0).y, view.cell_px = c.cell;

  dl->AddRectFilled(c.cmin, c.cmax, palette().view_bg);
  dl->PushClipRect(c.cmin, c.cmax, true);
  draw_frame_and_cells(dl, c, data, frame, view);
  const Visible v = visible_cells(c, view);
  draw_grid_lines(dl, c, v);
  if (show_numbers) draw_numbers(dl, c, v, data, frame);
  if (overlay && c.cell >= font * 1.05f) {
    for (int y = std::max(v.vy0, 0); y < std::min(v.vy1, data.rows); ++y)
      for (int x = std::max(v.vx0, 0); x < std::min(v.vx1, data.cols); ++x)
        overlay(dl, c.at(static_cast<float>(y), static_cast<float>(x)), c.cell, y, x);
  }
  draw_marks(dl, c, marks);
  dl->PopClipRect();
  dl->AddRect(c.cmin, c.cmax, palette().frame);
  const HeatmapHover hover = hover_of(c, data, view, item_hovered);
  draw_legend(dl, c, data);

  ImGui::SetCursorScreenPos(top);
  ImGui::Dummy(size);
  ImGui::PopID();
  return hover;
}

}  // namespace app

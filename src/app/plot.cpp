// plot.cpp — DrawPlot.
#include "plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "theme.h"

namespace app {

namespace {

// A 1-2-5 step giving about `target` ticks over `span`.
double nice_step(double span, int target) {
  const double raw = span / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

void tick_label(char* buf, size_t n, double v, double step) {
  if (std::fabs(v) < step * 1e-6) v = 0;
  if (std::fabs(v) >= 1e4 || (std::fabs(v) < 1e-3 && v != 0))
    std::snprintf(buf, n, "%.0e", v);
  else
    std::snprintf(buf, n, "%.*f", step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step))), v);
}

// The data's ranges on screen: x0..x1 and y0..y1 (y in log10 for a log axis) and
// the plot area pmin..pmax; px / py map data to pixels.
struct Frame {
  const PlotAxes& axes;
  double x0, x1, y0, y1;
  ImVec2 pmin, pmax;
  double ty(double v) const { return axes.log_y ? std::log10(std::max(v, 1e-30)) : v; }
  float px(double x) const { return static_cast<float>(pmin.x + (x - x0) / (x1 - x0) * (pmax.x - pmin.x)); }
  float py(double y) const { return static_cast<float>(pmax.y - (y - y0) / (y1 - y0) * (pmax.y - pmin.y)); }
};

// The axes' ranges: as given, else the finite data's, with a margin around fitted data.
void fit_ranges(Frame& f, const std::vector<PlotSeries>& series) {
  const PlotAxes& axes = f.axes;
  double dx0 = INFINITY, dx1 = -INFINITY, dy0 = INFINITY, dy1 = -INFINITY;
  for (const PlotSeries& s : series)
    for (int i = 0; i < s.n; ++i) {
      const double x = s.x ? s.x[i] : i, y = s.y[i];
      if (!std::isfinite(x) || !std::isfinite(y) || (axes.log_y && y <= 0)) continue;
      dx0 = std::min(dx0, x), dx1 = std::max(dx1, x);
      dy0 = std::min(dy0, f.ty(y)), dy1 = std::max(dy1, f.ty(y));
    }
  f.x0 = std::isnan(axes.xmin) ? (std::isfinite(dx0) ? dx0 : 0) : axes.xmin;
  f.x1 = std::isnan(axes.xmax) ? (std::isfinite(dx1) ? dx1 : 1) : axes.xmax;
  f.y0 = std::isnan(axes.ymin) ? (std::isfinite(dy0) ? dy0 : 0) : f.ty(axes.ymin);
  f.y1 = std::isnan(axes.ymax) ? (std::isfinite(dy1) ? dy1 : 1) : f.ty(axes.ymax);
  if (f.x1 - f.x0 < 1e-12) f.x1 = f.x0 + 1;
  if (f.y1 - f.y0 < 1e-12) f.y0 -= 0.5, f.y1 += 0.5;
  if (std::isnan(axes.ymin) || std::isnan(axes.ymax)) {
    const double m = (f.y1 - f.y0) * 0.06;
    if (std::isnan(axes.ymin)) f.y0 -= m;
    if (std::isnan(axes.ymax)) f.y1 += m;
  }
}

// Grid lines and tick labels (1-2-5 steps; a log axis in powers of ten), the axes
// through zero or the frame, the x label.
void draw_grid(ImDrawList* dl, const Frame& f) {
  const float font = ImGui::GetFontSize();
  const ImU32 grid = palette().plot_grid, label = palette().label;
  char buf[32];
  const double xs = nice_step(f.x1 - f.x0, std::max(2, static_cast<int>((f.pmax.x - f.pmin.x) / (font * 5))));
  for (double x = std::ceil(f.x0 / xs) * xs; x <= f.x1 + xs * 1e-6; x += xs) {
    dl->AddLine(ImVec2(f.px(x), f.pmin.y), ImVec2(f.px(x), f.pmax.y), grid);
    tick_label(buf, sizeof buf, x, xs);
    dl->AddText(ImVec2(f.px(x) - ImGui::CalcTextSize(buf).x / 2, f.pmax.y + 2), label, buf);
  }
  // Log scale over a decade or more: powers of ten; less than that: 1-2-5 steps of log10(y).
  const bool log_y = f.axes.log_y, decades = log_y && f.y1 - f.y0 >= 1.5;
  const double ys = decades ? std::max(1.0, std::ceil((f.y1 - f.y0) / 6))
                            : nice_step(f.y1 - f.y0, std::max(2, static_cast<int>((f.pmax.y - f.pmin.y) / (font * 2.2f))));
  for (double y = std::ceil(f.y0 / ys) * ys; y <= f.y1 + ys * 1e-6; y += ys) {
    dl->AddLine(ImVec2(f.pmin.x, f.py(y)), ImVec2(f.pmax.x, f.py(y)), grid);
    if (log_y && !decades)
      std::snprintf(buf, sizeof buf, "%.3g", std::pow(10.0, y));
    else if (log_y)
      std::snprintf(buf, sizeof buf, "1e%d", static_cast<int>(std::lround(y)));
    else
      tick_label(buf, sizeof buf, y, ys);
    dl->AddText(ImVec2(f.pmin.x - ImGui::CalcTextSize(buf).x - 4, f.py(y) - font / 2), label, buf);
  }
  const ImU32 axis = palette().plot_axis;
  if (!log_y && f.y0 < 0 && f.y1 > 0) dl->AddLine(ImVec2(f.pmin.x, f.py(0)), ImVec2(f.pmax.x, f.py(0)), axis, 1.5f);
  if (f.x0 < 0 && f.x1 > 0) dl->AddLine(ImVec2(f.px(0), f.pmin.y), ImVec2(f.px(0), f.pmax.y), axis, 1.5f);
  dl->AddRect(f.pmin, f.pmax, palette().frame);
  if (f.axes.x_label) {
    const float w = ImGui::CalcTextSize(f.axes.x_label).x;
    dl->AddText(ImVec2((f.pmin.x + f.pmax.x - w) / 2, f.pmax.y + font + 4), label, f.axes.x_label);
  }
}

// One series: a polyline broken at non-finite values, or dots; a single point as a dot.
void draw_series(ImDrawList* dl, const Frame& f, const PlotSeries& s) {
  std::vector<ImVec2> pts;
  auto flush = [&] {
    if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), s.color, 0, s.thickness);
    pts.clear();
  };
  for (int i = 0; i < s.n; ++i) {
    const double x = s.x ? s.x[i] : i, y = s.y[i];
    if (!std::isfinite(x) || !std::isfinite(y)) {
      flush();
      continue;
    }
    const ImVec2 p(f.px(x), f.py(f.axes.log_y && y <= 0 ? f.y0 : f.ty(y)));
    if (s.dots)
      dl->AddCircleFilled(p, s.thickness + 0.5f, s.color, 8);
    else
      pts.push_back(p);
  }
  const ImVec2 first = pts.empty() ? ImVec2(f.px(s.x ? s.x[0] : 0), f.py(f.ty(s.y[0]))) : pts[0];
  flush();
  if (s.n == 1 && !s.dots) dl->AddCircleFilled(first, 3, s.color);
}

// The labelled series, top right.
void draw_legend(ImDrawList* dl, const Frame& f, const std::vector<PlotSeries>& series) {
  const float font = ImGui::GetFontSize();
  float ly = f.pmin.y + 4;
  for (const PlotSeries& s : series) {
    if (!s.label) continue;
    const float lx = f.pmax.x - ImGui::CalcTextSize(s.label).x - 8;
    dl->AddRectFilled(ImVec2(lx - 22, ly - 1), ImVec2(f.pmax.x - 4, ly + font + 1), palette().legend_bg);
    dl->AddLine(ImVec2(lx - 18, ly + font / 2), ImVec2(lx - 4, ly + font / 2), s.color, 3.0f);
    dl->AddText(ImVec2(lx, ly), palette().legend_text, s.label);
    ly += font + 2;
  }
}

}  // namespace

PlotHover DrawPlot(const char* id, const char* title, const std::vector<PlotSeries>& series, const PlotAxes& axes,
                   ImVec2 size) {
  PlotHover hover;
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 cursor = ImGui::GetCursorScreenPos();
  const ImVec2 top(std::floor(cursor.x), std::floor(cursor.y));  // whole pixels: a background cleared, not shaded
  dl->AddRectFilled(top, ImVec2(std::floor(top.x + size.x), std::floor(top.y + size.y)), palette().view_bg);
  dl->AddText(ImVec2(top.x + 6, top.y + 2), palette().title, title);

  const float left = font * 3.6f, bottom = font * (axes.x_label ? 2.4f : 1.5f);
  Frame f{axes, 0, 1, 0, 1, ImVec2(top.x + left, top.y + font + 8), ImVec2(top.x + size.x - 10, top.y + size.y - bottom)};
  if (f.pmax.x - f.pmin.x < 20 || f.pmax.y - f.pmin.y < 20) {
    ImGui::Dummy(size);
    ImGui::PopID();
    return hover;
  }
  fit_ranges(f, series);
  draw_grid(dl, f);

  dl->PushClipRect(f.pmin, f.pmax, true);  // the series, clipped to the plot area
  for (const PlotSeries& s : series) draw_series(dl, f, s);
  if (std::isfinite(axes.marker_x)) {
    for (float y = f.pmin.y; y < f.pmax.y; y += 8)
      dl->AddLine(ImVec2(f.px(axes.marker_x), y), ImVec2(f.px(axes.marker_x), std::min(y + 4, f.pmax.y)), palette().marker);
  }
  // Hover: a vertical line at the pointer.
  ImGui::SetCursorScreenPos(f.pmin);
  ImGui::InvisibleButton("plot", ImVec2(f.pmax.x - f.pmin.x, f.pmax.y - f.pmin.y));
  if (ImGui::IsItemHovered()) {
    const float mx = ImGui::GetIO().MousePos.x;
    hover.hovered = true;
    hover.x = static_cast<float>(f.x0 + (mx - f.pmin.x) / (f.pmax.x - f.pmin.x) * (f.x1 - f.x0));
    dl->AddLine(ImVec2(mx, f.pmin.y), ImVec2(mx, f.pmax.y), palette().cursor);
  }
  dl->PopClipRect();
  draw_legend(dl, f, series);

  ImGui::SetCursorScreenPos(top);
  ImGui::Dummy(size);
  ImGui::PopID();
  return hover;
}

}  // namespace app

// plot.cpp — DrawPlot.
#include "plot.h"

#include <algorithm>
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

}  // namespace

PlotHover DrawPlot(const char* id, const char* title, const std::vector<PlotSeries>& series, const PlotAxes& axes,
                   ImVec2 size) {
  PlotHover hover;
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(top, ImVec2(top.x + size.x, top.y + size.y), palette().view_bg, 4.0f);
  dl->AddText(ImVec2(top.x + 6, top.y + 2), palette().title, title);

  // Data ranges.
  auto ty = [&](double v) { return axes.log_y ? std::log10(std::max(v, 1e-30)) : v; };
  double x0 = axes.xmin, x1 = axes.xmax, y0 = axes.ymin, y1 = axes.ymax;
  double dx0 = INFINITY, dx1 = -INFINITY, dy0 = INFINITY, dy1 = -INFINITY;
  for (const PlotSeries& s : series)
    for (int i = 0; i < s.n; ++i) {
      const double x = s.x ? s.x[i] : i, y = s.y[i];
      if (!std::isfinite(x) || !std::isfinite(y) || (axes.log_y && y <= 0)) continue;
      dx0 = std::min(dx0, x), dx1 = std::max(dx1, x);
      dy0 = std::min(dy0, ty(y)), dy1 = std::max(dy1, ty(y));
    }
  if (std::isnan(x0)) x0 = std::isfinite(dx0) ? dx0 : 0;
  if (std::isnan(x1)) x1 = std::isfinite(dx1) ? dx1 : 1;
  if (std::isnan(y0)) y0 = std::isfinite(dy0) ? dy0 : 0;
  else y0 = ty(y0);
  if (std::isnan(y1)) y1 = std::isfinite(dy1) ? dy1 : 1;
  else y1 = ty(y1);
  if (x1 - x0 < 1e-12) x1 = x0 + 1;
  if (y1 - y0 < 1e-12) y0 -= 0.5, y1 += 0.5;
  if (std::isnan(axes.ymin) || std::isnan(axes.ymax)) {  // a margin around fitted data
    const double m = (y1 - y0) * 0.06;
    if (std::isnan(axes.ymin)) y0 -= m;
    if (std::isnan(axes.ymax)) y1 += m;
  }

  // Plot area.
  const float left = font * 3.6f, bottom = font * (axes.x_label ? 2.4f : 1.5f);
  const ImVec2 pmin(top.x + left, top.y + font + 8), pmax(top.x + size.x - 10, top.y + size.y - bottom);
  if (pmax.x - pmin.x < 20 || pmax.y - pmin.y < 20) {
    ImGui::Dummy(size);
    ImGui::PopID();
    return hover;
  }
  auto px = [&](double x) { return static_cast<float>(pmin.x + (x - x0) / (x1 - x0) * (pmax.x - pmin.x)); };
  auto py = [&](double y) { return static_cast<float>(pmax.y - (y - y0) / (y1 - y0) * (pmax.y - pmin.y)); };
  const ImU32 grid = palette().plot_grid, label = palette().label;
  char buf[32];

  // Ticks: 1-2-5 steps (log scale: powers of ten).
  const double xs = nice_step(x1 - x0, std::max(2, static_cast<int>((pmax.x - pmin.x) / (font * 5))));
  for (double x = std::ceil(x0 / xs) * xs; x <= x1 + xs * 1e-6; x += xs) {
    dl->AddLine(ImVec2(px(x), pmin.y), ImVec2(px(x), pmax.y), grid);
    tick_label(buf, sizeof buf, x, xs);
    const float w = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(px(x) - w / 2, pmax.y + 2), label, buf);
  }
  // Log scale over a decade or more: powers of ten; less than that: 1-2-5 steps of log10(y).
  const bool decades = axes.log_y && y1 - y0 >= 1.5;
  const double ys = decades ? std::max(1.0, std::ceil((y1 - y0) / 6))
                            : nice_step(y1 - y0, std::max(2, static_cast<int>((pmax.y - pmin.y) / (font * 2.2f))));
  for (double y = std::ceil(y0 / ys) * ys; y <= y1 + ys * 1e-6; y += ys) {
    dl->AddLine(ImVec2(pmin.x, py(y)), ImVec2(pmax.x, py(y)), grid);
    if (axes.log_y && !decades)
      std::snprintf(buf, sizeof buf, "%.3g", std::pow(10.0, y));
    else if (axes.log_y)
      std::snprintf(buf, sizeof buf, "1e%d", static_cast<int>(std::lround(y)));
    else
      tick_label(buf, sizeof buf, y, ys);
    const float w = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(pmin.x - w - 4, py(y) - font / 2), label, buf);
  }
  // Axes through zero (linear scales), else the frame.
  const ImU32 axis = palette().plot_axis;
  if (!axes.log_y && y0 < 0 && y1 > 0) dl->AddLine(ImVec2(pmin.x, py(0)), ImVec2(pmax.x, py(0)), axis, 1.5f);
  if (x0 < 0 && x1 > 0) dl->AddLine(ImVec2(px(0), pmin.y), ImVec2(px(0), pmax.y), axis, 1.5f);
  dl->AddRect(pmin, pmax, palette().frame);
  if (axes.x_label) {
    const float w = ImGui::CalcTextSize(axes.x_label).x;
    dl->AddText(ImVec2((pmin.x + pmax.x - w) / 2, pmax.y + font + 4), label, axes.x_label);
  }

  // Series, clipped to the plot area.
  dl->PushClipRect(pmin, pmax, true);
  std::vector<ImVec2> pts;
  for (const PlotSeries& s : series) {
    pts.clear();
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
      const ImVec2 p(px(x), py(axes.log_y && y <= 0 ? y0 : ty(y)));
      if (s.dots)
        dl->AddCircleFilled(p, s.thickness + 0.5f, s.color, 8);
      else
        pts.push_back(p);
    }
    flush();
    if (s.n == 1 && !s.dots) dl->AddCircleFilled(pts.empty() ? ImVec2(px(s.x ? s.x[0] : 0), py(ty(s.y[0]))) : pts[0], 3, s.color);
  }
  if (std::isfinite(axes.marker_x)) {
    for (float y = pmin.y; y < pmax.y; y += 8)
      dl->AddLine(ImVec2(px(axes.marker_x), y), ImVec2(px(axes.marker_x), std::min(y + 4, pmax.y)), palette().marker);
  }

  // Hover: a vertical line at the pointer.
  ImGui::SetCursorScreenPos(pmin);
  ImGui::InvisibleButton("plot", ImVec2(pmax.x - pmin.x, pmax.y - pmin.y));
  if (ImGui::IsItemHovered()) {
    const float mx = ImGui::GetIO().MousePos.x;
    hover.hovered = true;
    hover.x = static_cast<float>(x0 + (mx - pmin.x) / (pmax.x - pmin.x) * (x1 - x0));
    dl->AddLine(ImVec2(mx, pmin.y), ImVec2(mx, pmax.y), palette().cursor);
  }
  dl->PopClipRect();

  // Legend, top right.
  float ly = pmin.y + 4;
  for (const PlotSeries& s : series) {
    if (!s.label) continue;
    const float w = ImGui::CalcTextSize(s.label).x;
    const float lx = pmax.x - w - 8;
    dl->AddRectFilled(ImVec2(lx - 22, ly - 1), ImVec2(pmax.x - 4, ly + font + 1), palette().legend_bg);
    dl->AddLine(ImVec2(lx - 18, ly + font / 2), ImVec2(lx - 4, ly + font / 2), s.color, 3.0f);
    dl->AddText(ImVec2(lx, ly), palette().legend_text, s.label);
    ly += font + 2;
  }

  ImGui::SetCursorScreenPos(top);
  ImGui::Dummy(size);
  ImGui::PopID();
  return hover;
}

}  // namespace app

// panel_tensors.cpp — ShowTensorsPanel: the heatmaps, the hover / scrubber highlights,
// the ceil_mode windows, the AvgPool2d divisors and the cell editor.
//
// Highlights follow one Focus (an output cell or an input cell) taken from the
// previous frame's hover, or from the "window #" scrubber when nothing is hovered.
// Every window, count and divisor drawn here is the core's (core/kernels/pool.h,
// core/shape.h): this file places them, it computes none of PyTorch's arithmetic.
//
//   Plane             what this frame draws from: the result, the (n, c) plane, the layer
//   ShowPlanePicker   the (n, c) plane for N > 1 or C > 1
//   ShowLegend        what the colours mean
//   make_panels       the heatmaps of the layer, in grid order
//   frame_marks       ceil_mode's added and dropped windows
//   focus_marks       the focused cell's window, argmax and the outputs it feeds
//   describe_cell     the tooltip text of one cell
//   ShowCellEditor    the popup that types a value into an input or grad_output cell
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/kernels/pool.h"
#include "core/shape.h"
#include "heatmap.h"
#include "inspector.h"
#include "imgui.h"
#include "panels.h"
#include "quiz.h"
#include "strings.h"

namespace app {

namespace {

enum class Shaped { INPUT, OUTPUT };  // which cells a heatmap's coordinates refer to

struct Panel {
  HeatmapSlot slot;
  const char* title;
  Shaped shaped;
  HeatmapData data;
  HeatmapFrame frame;
  bool avg_overlay = false;
};

// What one frame of the panel draws from: the last good result and the plane shown.
struct Plane {
  const AppState& s;
  const PoolResult& r;
  const ll::Pool2dGeometry& g;
  int C, index;                 // channels; the plane's n * C + c
  int in_h, in_w, out_h, out_w;
  size_t in_size, out_size;     // values per plane
  const float* in;              // this plane of the input, output, indices
  const float* out;
  const int64_t* idx;           // nullptr: AvgPool2d
  bool quiz, is_max, is_avg, is_unpool;
};

Plane plane_of(const AppState& s) {
  const PoolResult& r = s.result;
  const ll::Pool2dGeometry& g = r.geom;
  const int C = static_cast<int>(r.input.shape[1]);
  const int index = std::min(s.batch, static_cast<int>(r.input.shape[0]) - 1) * C + std::min(s.channel, C - 1);
  const size_t in_size = static_cast<size_t>(g.in_h * g.in_w), out_size = static_cast<size_t>(g.out_h * g.out_w);
  return {s, r, g, C, index, static_cast<int>(g.in_h), static_cast<int>(g.in_w), static_cast<int>(g.out_h),
          static_cast<int>(g.out_w), in_size, out_size, r.input.ptr() + index * in_size,
          r.output.ptr() + index * out_size, r.indices.data.empty() ? nullptr : r.indices.ptr() + index * out_size,
          quiz_pending(s), r.layer == PoolLayer::MAX_POOL2D, r.layer == PoolLayer::AVG_POOL2D,
          r.layer == PoolLayer::MAX_UNPOOL2D};
}

// The saveNpy name of the tensor a heatmap slot shows (nullptr: AvgPool2d's divisors).
const char* slot_tensor(int slot, PoolLayer layer) {
  switch (slot) {
    case HM_INPUT: return "input";
    case HM_OUTPUT: return "output";
    case HM_THIRD: return layer == PoolLayer::AVG_POOL2D ? nullptr : "indices";
    case HM_GRAD_OUTPUT: return "grad_output";
    case HM_GRAD_INPUT: return "grad_input";
    case HM_UNPOOLED: return "unpooled";
    default: return nullptr;
  }
}

float fit(float v) { return std::isfinite(v) ? v : 0.0f; }

CellMark cell_mark(int64_t y, int64_t x, ImU32 c, float t) {
  return {static_cast<float>(y), static_cast<float>(x), static_cast<float>(y + 1), static_cast<float>(x + 1), c, t};
}

// A core window as a mark over the input heatmap.
CellMark window_mark(const ll::WindowSpan& w, ImU32 c, float t) {
  return {static_cast<float>(w.h0), static_cast<float>(w.w0), static_cast<float>(w.h1), static_cast<float>(w.w1), c, t};
}

// One index of the shown plane: "n ◀ [slider] ▶"; true when it moved.
bool plane_index(const char* name, int* v, int count) {
  ImGui::PushID(name);
  const int before = *v;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(name);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) *v = std::max(*v - 1, 0);
  ImGui::SameLine(0, 2);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * (count > 9 ? 7.0f : 4.0f));
  char fmt[32];
  std::snprintf(fmt, sizeof fmt, "%%d / %d", count - 1);
  ImGui::SliderInt("##v", v, 0, count - 1, fmt, ImGuiSliderFlags_AlwaysClamp);
  ImGui::SameLine(0, 2);
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) *v = std::min(*v + 1, count - 1);
  ImGui::PopID();
  return *v != before;
}

// The (n, c) plane every heatmap shows, for inputs with N > 1 or C > 1 (URL key `plane`);
// PageUp / PageDown step through the channels.
void ShowPlanePicker(AppState& s, int N, int C) {
  if (N <= 1 && C <= 1) return;
  ImGui::TextDisabled("%s", tr(STR_PLANE_PICKER));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_PLANE_TIP));
  if (N > 1) {
    ImGui::SameLine();
    plane_index("n", &s.batch, N);
  }
  if (C > 1) {
    ImGui::SameLine(0, 16);
    plane_index("c", &s.channel, C);
    const bool keys_free = !ImGui::GetIO().WantTextInput && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
    if (keys_free && ImGui::IsKeyPressed(ImGuiKey_PageDown)) s.channel = std::min(s.channel + 1, C - 1);
    if (keys_free && ImGui::IsKeyPressed(ImGuiKey_PageUp)) s.channel = std::max(s.channel - 1, 0);
  }
}

// The error (the last result stays), and why a link's sizes were clamped.
void ShowMessages(const AppState& s) {
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s: %s", tr(STR_ERROR), s.error.c_str());
    ImGui::PopStyleColor();
    if (s.result.valid) ImGui::TextDisabled("%s", tr(STR_KEEP_LAST));
  }
  if (!s.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().warn);
    ImGui::TextWrapped("%s", s.notice.c_str());
    ImGui::PopStyleColor();
  }
}

// Last frame's hover, else the pinned output cell, else the scrubber; a value question
// outlines its own cell's window and nothing else.
Focus current_focus(const Plane& v) {
  const AppState& s = v.s;
  if (v.quiz) {
    const std::array<int64_t, 4> cell = quiz_cell(s);
    const bool here = s.quiz.kind == QuizKind::VALUE && cell[0] * v.C + cell[1] == v.index && !v.is_unpool;
    return here ? Focus{Focus::OUTPUT_CELL, static_cast<int>(cell[2]), static_cast<int>(cell[3])} : Focus{};
  }
  if (s.focus.kind != Focus::NONE) return s.focus;
  const bool pinned_here = s.pin && s.pin->index.size() == 4 && s.pin->index[0] * v.C + s.pin->index[1] == v.index;
  if (pinned_here && (s.pin->tensor == "output" || s.pin->tensor == "grad_output") && !v.is_unpool)
    return {Focus::OUTPUT_CELL, static_cast<int>(s.pin->index[2]), static_cast<int>(s.pin->index[3])};
  if (s.scrub_on && v.out_w > 0) return {Focus::OUTPUT_CELL, s.scrub / v.out_w, s.scrub % v.out_w};
  return {};
}

// The status line: what the colours mean, flowing onto a second line where the panel is narrow.
void ShowLegend(const Plane& v) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sz = ImGui::GetFontSize() * 0.8f;
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  auto key = [&](ImU32 col, bool filled, const char* text) {
    const float w = sz + 2 + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(text).x;
    if (!first) ImGui::SameLine(0, 18);
    if (!first && ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    first = false;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 a(p.x, p.y + 3), b(p.x + sz, p.y + 3 + sz);
    if (filled)
      dl->AddRectFilled(a, b, col);
    else
      dl->AddRect(a, b, col, 0, 0, 2.0f);
    ImGui::Dummy(ImVec2(sz + 2, sz));
    ImGui::SameLine();
    ImGui::TextUnformatted(text);
  };
  const ll::Pool2dGeometry& g = v.g;
  if (!v.quiz) key(palette().window, false, tr(STR_KEY_WINDOW));
  if (!v.is_avg) key(palette().argmax, false, tr(STR_KEY_ARGMAX));
  key(palette().pad_line, true, tr(STR_KEY_PADDING));
  if (g.ceil_added_h || g.ceil_added_w) key(palette().ceil, false, tr(STR_KEY_CEIL));
  if (g.ceil_dropped_h || g.ceil_dropped_w) key(palette().dropped_line, false, tr(STR_KEY_DROPPED));
  const float hint_w = ImGui::CalcTextSize(tr(STR_HINT)).x;
  ImGui::SameLine(0, 18);
  if (ImGui::GetCursorScreenPos().x + hint_w > right) ImGui::NewLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", tr(STR_HINT));
  ImGui::PopTextWrapPos();
}

// The heatmaps of this layer, in grid order (input first).
std::vector<Panel> make_panels(const Plane& v) {
  const PoolResult& r = v.r;
  const ll::Pool2dGeometry& g = v.g;
  const HeatmapData values_in{v.in, nullptr, v.in_h, v.in_w, r.value_lo, r.value_hi, false};
  const HeatmapData values_out{v.out, nullptr, v.out_h, v.out_w, r.value_lo, r.value_hi, false};
  const HeatmapData indices{nullptr, v.idx, v.out_h, v.out_w, 0.f, static_cast<float>(v.in_size - 1), false};
  const auto grad = [&](const ll::Tensor& t, size_t plane_size, int h, int w, float abs) {
    return HeatmapData{t.ptr() + v.index * plane_size, nullptr, h, w, -abs, abs, true};
  };
  HeatmapFrame in_frame;
  in_frame.pad_top = in_frame.pad_bottom = static_cast<int>(g.pad_h);
  in_frame.pad_left = in_frame.pad_right = static_cast<int>(g.pad_w);
  in_frame.extra_bottom = static_cast<int>(ll::pool2d_overhang(g, 0));
  in_frame.extra_right = static_cast<int>(ll::pool2d_overhang(g, 1));
  in_frame.pad_text = v.is_avg ? "0" : "-inf";
  HeatmapFrame out_frame;
  out_frame.extra_bottom = g.ceil_dropped_h ? 1 : 0;
  out_frame.extra_right = g.ceil_dropped_w ? 1 : 0;

  std::vector<Panel> panels;
  panels.push_back({HM_INPUT, tr(STR_HM_INPUT), Shaped::INPUT, values_in, in_frame});
  if (v.is_unpool) {
    const HeatmapData unpooled{r.unpooled.ptr() + v.index * v.in_size, nullptr, v.in_h, v.in_w, r.value_lo,
                               r.value_hi, false};
    panels.push_back({HM_UNPOOLED, tr(STR_HM_UNPOOLED), Shaped::INPUT, unpooled, HeatmapFrame{}});
    panels.push_back({HM_OUTPUT, tr(STR_HM_POOLED), Shaped::OUTPUT, values_out, out_frame});
    panels.push_back({HM_THIRD, tr(STR_HM_INDICES), Shaped::OUTPUT, indices, out_frame});
    panels.push_back({HM_GRAD_OUTPUT, tr(STR_HM_GRAD_UNPOOLED), Shaped::INPUT,
                      grad(r.grad_output, v.in_size, v.in_h, v.in_w, r.grad_out_abs), HeatmapFrame{}});
    panels.push_back({HM_GRAD_INPUT, tr(STR_HM_GRAD_POOLED), Shaped::OUTPUT,
                      grad(r.grad_input, v.out_size, v.out_h, v.out_w, r.grad_in_abs), out_frame});
  } else {
    Panel out{HM_OUTPUT, tr(STR_HM_OUTPUT), Shaped::OUTPUT, values_out, out_frame};
    out.avg_overlay = v.is_avg && v.s.show_divisors;
    panels.push_back(out);
    if (v.is_max) {
      panels.push_back({HM_THIRD, tr(r.params.return_indices ? STR_HM_INDICES : STR_HM_INDICES_HIDDEN),
                        Shaped::OUTPUT, indices, out_frame});
    } else {
      const auto [dlo, dhi] = std::minmax_element(r.divisors.begin(), r.divisors.end());
      const HeatmapData divisors{nullptr, r.divisors.data(), v.out_h, v.out_w,
                                 r.divisors.empty() ? 0.f : fit(static_cast<float>(*dlo)),
                                 r.divisors.empty() ? 0.f : fit(static_cast<float>(*dhi)), false};
      panels.push_back({HM_THIRD, tr(STR_HM_DIVISOR), Shaped::OUTPUT, divisors, out_frame});
    }
    panels.push_back({HM_GRAD_INPUT, tr(STR_HM_GRAD_INPUT), Shaped::INPUT,
                      grad(r.grad_input, v.in_size, v.in_h, v.in_w, r.grad_in_abs), in_frame});
    panels.push_back({HM_GRAD_OUTPUT, tr(STR_HM_GRAD_OUTPUT), Shaped::OUTPUT,
                      grad(r.grad_output, v.out_size, v.out_h, v.out_w, r.grad_out_abs), out_frame});
  }
  for (Panel& p : panels)
    if (p.slot != HM_INPUT) p.frame.pad_text = nullptr;  // padding values mean nothing for gradients
  if (v.quiz) panels.resize(1);
  return panels;
}

// Marks that do not depend on the focus: ceil_mode's added and dropped windows
// (none while a question is open: they tell the shape).
void frame_marks(const Plane& v, std::vector<CellMark>* in, std::vector<CellMark>* out) {
  const ll::Pool2dGeometry& g = v.g;
  if (v.quiz) return;
  // A whole row (column) of windows over the input: the frame's full width (height).
  const float fx0 = static_cast<float>(-g.pad_w), fx1 = static_cast<float>(g.in_w + g.pad_w + ll::pool2d_overhang(g, 1));
  const float fy0 = static_cast<float>(-g.pad_h), fy1 = static_cast<float>(g.in_h + g.pad_h + ll::pool2d_overhang(g, 0));
  const auto row = [&](int64_t oh) {
    const ll::WindowSpan w = ll::pool2d_window_span(g, oh, 0);
    return CellMark{static_cast<float>(w.h0), fx0, static_cast<float>(w.h1), fx1, 0, 0};
  };
  const auto col = [&](int64_t ow) {
    const ll::WindowSpan w = ll::pool2d_window_span(g, 0, ow);
    return CellMark{fy0, static_cast<float>(w.w0), fy1, static_cast<float>(w.w1), 0, 0};
  };
  const auto with = [](CellMark m, ImU32 c, float t) { return m.color = c, m.thickness = t, m; };
  const float oh = static_cast<float>(g.out_h), ow = static_cast<float>(g.out_w);
  const float drop_h = g.ceil_dropped_h ? 1.f : 0.f, drop_w = g.ceil_dropped_w ? 1.f : 0.f;
  if (g.ceil_added_h) {
    in->push_back(with(row(g.out_h - 1), palette().ceil, 2.0f));
    out->push_back({oh - 1, 0, oh, ow, palette().ceil, 2.0f});
  }
  if (g.ceil_added_w) {
    in->push_back(with(col(g.out_w - 1), palette().ceil, 2.0f));
    out->push_back({0, ow - 1, oh, ow, palette().ceil, 2.0f});
  }
  if (g.ceil_dropped_h) {  // the window after the last: the one PyTorch dropped
    in->push_back(with(row(g.out_h), palette().dropped_fill, 0.0f));
    in->push_back(with(row(g.out_h), palette().dropped_line, 1.5f));
    out->push_back({oh, 0, oh + 1, ow + drop_w, palette().dropped_line, 1.5f});
  }
  if (g.ceil_dropped_w) {
    in->push_back(with(col(g.out_w), palette().dropped_fill, 0.0f));
    in->push_back(with(col(g.out_w), palette().dropped_line, 1.5f));
    out->push_back({0, ow, oh + drop_h, ow + 1, palette().dropped_line, 1.5f});
  }
}

struct FocusMarks {
  std::vector<CellMark> in, out, unpooled;
};

// The focused output cell's window, its taps and argmax; or the focused input cell
// and the output cells it feeds (the core's windows), and those it is the argmax of.
FocusMarks focus_marks(const Plane& v, const Focus& f) {
  const ll::Pool2dGeometry& g = v.g;
  FocusMarks m;
  if (f.kind == Focus::OUTPUT_CELL && f.y >= 0 && f.y < v.out_h && f.x >= 0 && f.x < v.out_w) {
    const ll::WindowSpan w = ll::pool2d_window_span(g, f.y, f.x);
    if (g.kernel_h * g.kernel_w <= 1024)
      for (int64_t y = w.h0; y < w.h1; y += g.dilation_h)
        for (int64_t x = w.w0; x < w.w1; x += g.dilation_w) m.in.push_back(cell_mark(y, x, palette().tap_fill, 0.0f));
    m.in.push_back(window_mark(w, palette().window, 2.5f));
    if (v.idx && !v.quiz) {  // the argmax would give a value question away
      const int64_t a = v.idx[static_cast<size_t>(f.y * v.out_w + f.x)];
      m.in.push_back(cell_mark(a / v.in_w, a % v.in_w, palette().argmax, 3.0f));
      m.unpooled.push_back(cell_mark(a / v.in_w, a % v.in_w, palette().argmax, 3.0f));
    }
    m.out.push_back(cell_mark(f.y, f.x, palette().focus, 3.0f));
  } else if (f.kind == Focus::INPUT_CELL) {
    m.in.push_back(cell_mark(f.y, f.x, palette().focus, 3.0f));
    m.unpooled.push_back(cell_mark(f.y, f.x, palette().focus, 3.0f));
    const std::vector<int64_t> rows = ll::pool2d_outputs_reading(g, 0, f.y), cols = ll::pool2d_outputs_reading(g, 1, f.x);
    if (rows.size() * cols.size() <= 4096)
      for (int64_t oy : rows)
        for (int64_t ox : cols) m.out.push_back(cell_mark(oy, ox, palette().window, 2.5f));
    if (v.idx && f.y >= 0 && f.y < v.in_h && f.x >= 0 && f.x < v.in_w) {
      const int64_t flat = static_cast<int64_t>(f.y) * v.in_w + f.x;
      for (size_t k = 0; k < v.out_size; ++k)
        if (v.idx[k] == flat) m.out.push_back(cell_mark(k / v.out_w, k % v.out_w, palette().argmax, 3.0f));
    }
  }
  return m;
}

// Why PyTorch dropped ceil_mode's last window along `axis`: the core's numbers for the rule.
std::string dropped_text(const ll::Pool2dGeometry& g, int axis) {
  const ll::PoolingSize p = axis == 0 ? ll::pooling_output_size(g.in_h, g.kernel_h, g.pad_h, g.stride_h, g.dilation_h, true)
                                      : ll::pooling_output_size(g.in_w, g.kernel_w, g.pad_w, g.stride_w, g.dilation_w, true);
  return ll::format(tr(STR_INFO_DROPPED_WINDOW), static_cast<long long>(p.last_start), static_cast<long long>(p.drop_limit)) +
         "\n" + tr(STR_CEIL_RULE);
}

// An output-shaped cell: its value and where it comes from (the argmax, or the divisor and its rule).
std::string describe_output_cell(const Plane& v, int y, int x) {
  const ll::Pool2dGeometry& g = v.g;
  const PoolParams& p = v.r.params;
  if (y >= v.out_h || x >= v.out_w) return dropped_text(g, y >= v.out_h ? 0 : 1);
  const size_t k = static_cast<size_t>(y * v.out_w + x);
  std::string s;
  if (v.idx) {
    const int64_t a = v.idx[k];
    s = ll::format(tr(STR_INFO_MAX), y, x, format_value(v.out[k]).c_str(), static_cast<int>(a / v.in_w),
             static_cast<int>(a % v.in_w), static_cast<long long>(a));
  } else if (v.is_avg) {
    s = ll::format(tr(STR_INFO_AVG), y, x, format_value(v.out[k]).c_str(), static_cast<long long>(v.r.divisors[k])) + "\n";
    const ll::DivisorRegion d = ll::avg_pool2d_divisor_region(g, y, x, p.count_include_pad);
    const long long rows = d.rows, cols = d.cols;
    s += p.has_divisor_override ? ll::format(tr(STR_INFO_DIV_OVERRIDE), p.divisor_override)
         : p.count_include_pad  ? ll::format(tr(STR_INFO_DIV_INCLUDE), rows, cols, rows * cols)
                                : ll::format(tr(STR_INFO_DIV_EXCLUDE), rows, cols, rows * cols);
  }
  if ((g.ceil_added_h && y == v.out_h - 1) || (g.ceil_added_w && x == v.out_w - 1)) s += std::string("\n") + tr(STR_INFO_CEIL_WINDOW);
  return s;
}

// An input-shaped cell: its value and how many outputs read it; a padding cell; or the
// frame beyond the padding that only ceil_mode windows (or a dropped one) reach.
std::string describe_input_cell(const Plane& v, int slot, int y, int x, bool inside) {
  const ll::Pool2dGeometry& g = v.g;
  if (inside) {
    const size_t k = static_cast<size_t>(y * v.in_w + x);
    if (slot != HM_UNPOOLED) {
      const size_t n = ll::pool2d_outputs_reading(g, 0, y).size() * ll::pool2d_outputs_reading(g, 1, x).size();
      return ll::format(tr(STR_INFO_INPUT), y, x, format_value(v.in[k]).c_str(), static_cast<int>(n));
    }
    int src = -1;
    for (size_t j = 0; j < v.out_size && v.idx; ++j)
      if (v.idx[j] == static_cast<int64_t>(k)) src = static_cast<int>(j);  // the last one wins
    const float value = v.r.unpooled.data[v.index * v.in_size + k];
    return src >= 0 ? ll::format(tr(STR_INFO_UNPOOLED), y, x, format_value(value).c_str(), src / v.out_w, src % v.out_w)
                    : ll::format(tr(STR_INFO_UNPOOLED_ZERO), y, x);
  }
  if (y >= -g.pad_h && y < g.in_h + g.pad_h && x >= -g.pad_w && x < g.in_w + g.pad_w)
    return ll::format(tr(STR_INFO_PADDING), v.is_avg ? "0" : "-inf");
  if (g.ceil_dropped_h && y >= ll::pool2d_window_span(g, g.out_h, 0).h0) return dropped_text(g, 0);
  if (g.ceil_dropped_w && x >= ll::pool2d_window_span(g, 0, g.out_w).w0) return dropped_text(g, 1);
  return tr(STR_INFO_OVERHANG);
}

std::string describe_cell(const Plane& v, const Panel& p, const HeatmapHover& h) {
  return p.shaped == Shaped::OUTPUT ? describe_output_cell(v, h.y, h.x) : describe_input_cell(v, p.slot, h.y, h.x, h.in_data);
}

// AvgPool2d's divisor in the corner of each output cell ("/9"), where it fits.
std::function<void(ImDrawList*, ImVec2, float, int, int)> divisor_overlay(const Plane& v) {
  return [&v](ImDrawList* dl, ImVec2 a, float cell, int y, int x) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "/%lld", static_cast<long long>(v.r.divisors[static_cast<size_t>(y * v.out_w + x)]));
    const float scale = 0.75f;
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    if (ts.x * scale > cell - 2) return;
    dl->AddText(nullptr, ImGui::GetFontSize() * scale, ImVec2(a.x + cell - ts.x * scale - 2, a.y + cell - ts.y * scale - 1),
                palette().divisor_text, buf);
  };
}

// A click pins the cell (the inspector: state().pinned, `pin=`), again unpins it; in edit
// mode or with Ctrl a click on the input or grad_output opens the cell editor instead.
void handle_click(AppState& s, const Plane& v, const Panel& p, const HeatmapHover& h) {
  if (!h.clicked || !h.in_data) return;
  const char* edit_key = p.slot == HM_INPUT ? "cells" : p.slot == HM_GRAD_OUTPUT ? "grad_cells" : nullptr;
  if (edit_key && (s.edit_mode || h.ctrl) && !ui_locked(edit_key)) {
    const size_t cell = static_cast<size_t>(h.y * p.data.cols + h.x);
    s.edit_grad = p.slot == HM_GRAD_OUTPUT;
    s.edit_index = static_cast<int>(static_cast<size_t>(v.index * p.data.rows * p.data.cols) + cell);
    s.edit_value = p.data.values[cell];
    ImGui::OpenPopup("edit_cell");
    return;
  }
  const char* tensor = slot_tensor(p.slot, v.r.layer);
  if (!tensor) return;
  const Pin pin{tensor, {v.index / v.C, v.index % v.C, h.y, h.x}};
  if (s.pin && *s.pin == pin)
    s.pin.reset();
  else
    s.pin = pin;
  if (s.input.grad == GradGen::ONE_HOT) s.dirty = true;  // the 1 moves with the pin
}

// The popup that types one cell's value (input or grad_output), opened by handle_click.
void ShowCellEditor(AppState& s, const Plane& v) {
  if (!ImGui::BeginPopup("edit_cell")) return;
  const ll::Shape& shape = s.edit_grad ? v.r.grad_output.shape : v.r.input.shape;
  const int64_t hw = shape[2] * shape[3];
  const int64_t pl = s.edit_index / hw, k = s.edit_index % hw;
  ImGui::Text(tr(s.edit_grad ? STR_EDIT_GRAD_POPUP : STR_EDIT_POPUP), static_cast<int>(pl / v.C),
              static_cast<int>(pl % v.C), static_cast<int>(k / shape[3]), static_cast<int>(k % shape[3]));
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter = ImGui::InputFloat("##value", &s.edit_value, 0.0f, 0.0f, "%.4g", ImGuiInputTextFlags_EnterReturnsTrue);
  if (enter || ImGui::Button(tr(STR_OK))) {
    (s.edit_grad ? s.input.grad_edits : s.input.edits)[s.edit_index] = s.edit_value;
    s.dirty = true;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(STR_CANCEL))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

// The grid: 3 columns x 2 rows, the first column wider; a compact view (a narrow
// screen) has one column, each heatmap about as tall as it is wide.
struct Grid {
  ImVec2 origin, avail;
  float gap = 14.0f;
  bool one_column;
  int ncols;
  float colw[3];
  float rowh;

  explicit Grid(bool compact)
      : origin(ImGui::GetCursorScreenPos()), avail(ImGui::GetContentRegionAvail()), one_column(compact),
        ncols(compact ? 1 : 3),
        colw{compact ? avail.x : (avail.x - 2 * gap) * 0.38f, (avail.x - 2 * gap) * 0.31f, (avail.x - 2 * gap) * 0.31f},
        rowh(compact ? avail.x * 0.8f + 2 * ImGui::GetFontSize() : std::max((avail.y - gap) * 0.5f, 120.0f)) {}
  ImVec2 cell_pos(int i) const {
    float x = origin.x;
    for (int c = 0; c < i % ncols; ++c) x += colw[c] + gap;
    return ImVec2(x, origin.y + static_cast<float>(i / ncols) * (rowh + gap));
  }
};

// The sixth grid cell (MaxPool2d / AvgPool2d): the pinned cell explained, or what is
// under the pointer (one column: after the heatmaps, as tall as its text).
void ShowInfoCard(const AppState& s, const Grid& grid, size_t panels, const std::string& info) {
  const int rows_used = static_cast<int>((panels + static_cast<size_t>(grid.ncols) - 1) / static_cast<size_t>(grid.ncols));
  const ImVec2 below(grid.origin.x, grid.origin.y + static_cast<float>(rows_used) * (grid.rowh + grid.gap));
  if (panels != 5) {
    if (grid.one_column) ImGui::SetCursorScreenPos(below);
    return;
  }
  if (grid.one_column) {
    ImGui::SetCursorScreenPos(below);
    ImGui::BeginChild("info_card", ImVec2(grid.avail.x, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
  } else {
    ImGui::SetCursorScreenPos(ImVec2(grid.origin.x + grid.colw[0] + grid.colw[1] + 2 * grid.gap, grid.origin.y + grid.rowh + grid.gap));
    ImGui::BeginChild("info_card", ImVec2(grid.colw[2], grid.rowh), ImGuiChildFlags_Border);
  }
  const std::string pinned = s.pin ? pin_explanation(s, *s.pin) : std::string();
  ImGui::PushTextWrapPos(0.0f);
  if (!pinned.empty()) {
    ImGui::TextColored(palette().pinned, "%s", tr(STR_PINNED));
    ImGui::TextUnformatted(pinned.c_str());
  } else {
    ImGui::TextUnformatted(info.empty() ? tr(STR_HINT) : info.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace

void ShowTensorsPanel(AppState& s) {
  ShowQuizCard(s);
  ShowMessages(s);
  if (!s.result.valid) return;
  ShowPlanePicker(s, static_cast<int>(s.result.input.shape[0]), static_cast<int>(s.result.input.shape[1]));
  const Plane v = plane_of(s);
  const Focus focus = current_focus(v);
  ShowLegend(v);

  std::vector<Panel> panels = make_panels(v);
  std::vector<CellMark> in_marks, out_marks;
  frame_marks(v, &in_marks, &out_marks);
  const FocusMarks fm = focus_marks(v, focus);
  const Grid grid(s.layout.compact);
  Focus next;
  std::string info;
  bool hovered_any = false;
  for (size_t i = 0; i < panels.size(); ++i) {
    const Panel& p = panels[i];
    ImGui::SetCursorScreenPos(grid.cell_pos(static_cast<int>(i)));
    const char* tensor = slot_tensor(p.slot, v.r.layer);
    std::vector<CellMark> marks = p.shaped == Shaped::INPUT ? in_marks : out_marks;
    if (s.pin && tensor && s.pin->tensor == tensor && s.pin->index.size() == 4 &&
        s.pin->index[0] * v.C + s.pin->index[1] == v.index)
      marks.push_back(cell_mark(s.pin->index[2], s.pin->index[3], palette().pin, 3.0f));
    if (p.slot == HM_UNPOOLED || (v.is_unpool && p.slot == HM_GRAD_OUTPUT)) {
      marks = fm.unpooled;
    } else {
      const auto& f = p.shaped == Shaped::INPUT ? fm.in : fm.out;
      marks.insert(marks.end(), f.begin(), f.end());
    }
    // The texture's data: the result's version, the plane (< 8 x 64 = 2^9) and the slot (< 8).
    const uint64_t version = p.slot == HM_INPUT ? v.r.input_version : v.r.version;
    const uint64_t key = version << 12 | static_cast<uint64_t>(v.index) << 3 | static_cast<uint64_t>(p.slot);
    const std::string hid = "hm" + std::to_string(p.slot);
    const HeatmapHover h = DrawHeatmap(hid.c_str(), p.title, p.data, p.frame, marks, s.views[p.slot],
                                       ImVec2(grid.colw[i % static_cast<size_t>(grid.ncols)], grid.rowh), key,
                                       s.show_numbers, p.avg_overlay ? divisor_overlay(v) : nullptr);
    if (tensor) {
      const HeatmapView& hv = s.views[p.slot];
      const float k = 1.0f / s.layout.scale;
      s.layout.heatmaps.push_back({tensor, hv.cell0_x * k, hv.cell0_y * k, hv.cell_px * k, p.data.rows, p.data.cols});
    }
    if (!h.hovered) continue;
    hovered_any = true;
    info = describe_cell(v, p, h);
    if (p.shaped == Shaped::INPUT)
      next = {Focus::INPUT_CELL, h.y, h.x};
    else if (h.y < v.out_h && h.x < v.out_w)
      next = {Focus::OUTPUT_CELL, h.y, h.x};
    handle_click(s, v, p, h);
  }
  if (v.quiz) info.clear();
  if (hovered_any && !info.empty()) ImGui::SetTooltip("%s", info.c_str());
  if (!hovered_any && focus.kind == Focus::OUTPUT_CELL && focus.y < v.out_h && focus.x < v.out_w)
    info = describe_output_cell(v, focus.y, focus.x);
  ShowInfoCard(s, grid, panels.size(), info);
  if (grid.one_column) ImGui::Dummy(ImVec2(grid.avail.x, 1.0f));  // the column's content ends below the last row
  s.focus = next;
  ShowCellEditor(s, v);
}

}  // namespace app

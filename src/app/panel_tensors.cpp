// panel_tensors.cpp — ShowTensorsPanel: the heatmaps, the hover / scrubber highlights,
// the ceil_mode windows, the AvgPool2d divisors and the cell editor.
//
// Highlights follow one Focus (an output cell or an input cell) taken from the
// previous frame's hover, or from the "window #" scrubber when nothing is hovered.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

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

// Geometry facts the highlights need, from the last good result.
struct Geo {
  int in_h, in_w, out_h, out_w, kh, kw, sh, sw, ph, pw, dh, dw;
  bool ceil_row, ceil_col;        // ceil_mode added the last output row / column
  bool drop_row, drop_col;        // ceil_mode's extra row / column was dropped
  int extra_bottom, extra_right;  // input frame beyond the padding
};

Geo make_geo(const PoolResult& r) {
  const ll::Pool2dGeometry& g = r.geom;
  Geo o{};
  o.in_h = static_cast<int>(g.in_h);
  o.in_w = static_cast<int>(g.in_w);
  o.out_h = static_cast<int>(g.out_h);
  o.out_w = static_cast<int>(g.out_w);
  o.kh = static_cast<int>(g.kernel_h);
  o.kw = static_cast<int>(g.kernel_w);
  o.sh = static_cast<int>(g.stride_h);
  o.sw = static_cast<int>(g.stride_w);
  o.ph = static_cast<int>(g.pad_h);
  o.pw = static_cast<int>(g.pad_w);
  o.dh = static_cast<int>(g.dilation_h);
  o.dw = static_cast<int>(g.dilation_w);
  const auto fh = ll::pooling_output_size(g.in_h, g.kernel_h, g.pad_h, g.stride_h, g.dilation_h, false);
  const auto fw = ll::pooling_output_size(g.in_w, g.kernel_w, g.pad_w, g.stride_w, g.dilation_w, false);
  o.ceil_row = g.out_h > fh.size;
  o.ceil_col = g.out_w > fw.size;
  o.drop_row = g.ceil_dropped_h;
  o.drop_col = g.ceil_dropped_w;
  const int nh = o.out_h + (o.drop_row ? 1 : 0), nw = o.out_w + (o.drop_col ? 1 : 0);
  o.extra_bottom = std::max(0, (nh - 1) * o.sh - o.ph + o.dh * (o.kh - 1) + 1 - (o.in_h + o.ph));
  o.extra_right = std::max(0, (nw - 1) * o.sw - o.pw + o.dw * (o.kw - 1) + 1 - (o.in_w + o.pw));
  return o;
}

// Output rows (or columns) whose window has a tap at input row `i`.
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

std::vector<int> outputs_fed(int i, int out, int k, int s, int p, int d) {
  std::vector<int> rows;
  for (int o = 0; o < out; ++o) {
    const int rel = i - (o * s - p);
    if (rel >= 0 && rel % d == 0 && rel / d < k) rows.push_back(o);
  }
  return rows;
}

float fit(float v) { return std::isfinite(v) ? v : 0.0f; }

// One index of the shown plane: "n ◀ [slider] ▶"; true when it moved.
bool plane_index(const char* name, int* v, int count) {
  ImGui::PushID(name);
  int before = *v;
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

}  // namespace

void ShowTensorsPanel(AppState& s) {
  const PoolResult& r = s.result;
  ShowQuizCard(s);
  const bool quiz = quiz_pending(s);  // the question is open: only the input shows
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s: %s", tr(STR_ERROR), s.error.c_str());
    ImGui::PopStyleColor();
    if (r.valid) ImGui::TextDisabled("%s", tr(STR_KEEP_LAST));
  }
  if (!s.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().warn);
    ImGui::TextWrapped("%s", s.notice.c_str());
    ImGui::PopStyleColor();
  }
  if (!r.valid) return;

  ShowPlanePicker(s, static_cast<int>(r.input.shape[0]), static_cast<int>(r.input.shape[1]));
  const Geo g = make_geo(r);
  const bool is_max = r.layer == PoolLayer::MAX_POOL2D;
  const bool is_avg = r.layer == PoolLayer::AVG_POOL2D;
  const bool is_unpool = r.layer == PoolLayer::MAX_UNPOOL2D;
  const int C = static_cast<int>(r.input.shape[1]);
  const int plane = std::min(s.batch, static_cast<int>(r.input.shape[0]) - 1) * C + std::min(s.channel, C - 1);
  const size_t in_plane = static_cast<size_t>(g.in_h) * static_cast<size_t>(g.in_w);
  const size_t out_plane = static_cast<size_t>(g.out_h) * static_cast<size_t>(g.out_w);
  const float* in_data = r.input.ptr() + plane * in_plane;
  const float* out_data = r.output.ptr() + plane * out_plane;
  const int64_t* idx_data = r.indices.data.empty() ? nullptr : r.indices.ptr() + plane * out_plane;

  // Focus: last frame's hover, else the scrubber; a value question outlines its cell's window.
  Focus focus = s.focus;
  if (quiz) {
    const std::array<int64_t, 4> cell = quiz_cell(s);
    focus = s.quiz.kind == QuizKind::VALUE && cell[0] * C + cell[1] == plane && !is_unpool
                ? Focus{Focus::OUTPUT_CELL, static_cast<int>(cell[2]), static_cast<int>(cell[3])}
                : Focus{};
  }
  const bool pinned_here = s.pin && s.pin->index.size() == 4 && s.pin->index[0] * C + s.pin->index[1] == plane;
  if (focus.kind == Focus::NONE && pinned_here && (s.pin->tensor == "output" || s.pin->tensor == "grad_output") &&
      r.layer != PoolLayer::MAX_UNPOOL2D) {  // the pinned output cell shows its window
    focus = {Focus::OUTPUT_CELL, static_cast<int>(s.pin->index[2]), static_cast<int>(s.pin->index[3])};
  } else if (focus.kind == Focus::NONE && s.scrub_on && g.out_w > 0) {
    focus.kind = Focus::OUTPUT_CELL;
    focus.y = s.scrub / g.out_w;
    focus.x = s.scrub % g.out_w;
  }

  // Status line: what the colours mean.
  {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float sz = ImGui::GetFontSize() * 0.8f;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    bool first = true;
    auto key = [&](ImU32 col, bool filled, const char* text) {
      // The keys flow onto a second line where the panel is narrow.
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
    if (!quiz) key(palette().window, false, tr(STR_KEY_WINDOW));
    if (!is_avg) key(palette().argmax, false, tr(STR_KEY_ARGMAX));
    key(palette().pad_line, true, tr(STR_KEY_PADDING));
    if (g.ceil_row || g.ceil_col) key(palette().ceil, false, tr(STR_KEY_CEIL));
    if (g.drop_row || g.drop_col) key(palette().dropped_line, false, tr(STR_KEY_DROPPED));
    const float hint_w = ImGui::CalcTextSize(tr(STR_HINT)).x;
    ImGui::SameLine(0, 18);
    if (ImGui::GetCursorScreenPos().x + hint_w > right) ImGui::NewLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", tr(STR_HINT));
    ImGui::PopTextWrapPos();
  }

  // The heatmaps of this layer.
  HeatmapData values_in{in_data, nullptr, g.in_h, g.in_w, r.value_lo, r.value_hi, false};
  HeatmapData values_out{out_data, nullptr, g.out_h, g.out_w, r.value_lo, r.value_hi, false};
  HeatmapFrame in_frame;
  in_frame.pad_top = in_frame.pad_bottom = g.ph;
  in_frame.pad_left = in_frame.pad_right = g.pw;
  in_frame.extra_bottom = g.extra_bottom;
  in_frame.extra_right = g.extra_right;
  in_frame.pad_text = is_avg ? "0" : "-inf";
  HeatmapFrame out_frame;
  out_frame.extra_bottom = g.drop_row ? 1 : 0;
  out_frame.extra_right = g.drop_col ? 1 : 0;

  std::vector<Panel> panels;
  panels.push_back({HM_INPUT, tr(STR_HM_INPUT), Shaped::INPUT, values_in, in_frame});
  if (is_unpool) {
    const float* un = r.unpooled.ptr() + plane * in_plane;
    panels.push_back({HM_UNPOOLED,
                      tr(STR_HM_UNPOOLED),
                      Shaped::INPUT,
                      {un, nullptr, g.in_h, g.in_w, r.value_lo, r.value_hi, false},
                      HeatmapFrame{}});
    panels.push_back({HM_OUTPUT, tr(STR_HM_POOLED), Shaped::OUTPUT, values_out, out_frame});
    panels.push_back({HM_THIRD,
                      tr(STR_HM_INDICES),
                      Shaped::OUTPUT,
                      {nullptr, idx_data, g.out_h, g.out_w, 0.f, static_cast<float>(in_plane - 1), false},
                      out_frame});
    panels.push_back(
        {HM_GRAD_OUTPUT,
         tr(STR_HM_GRAD_UNPOOLED),
         Shaped::INPUT,
         {r.grad_output.ptr() + plane * in_plane, nullptr, g.in_h, g.in_w, -r.grad_out_abs, r.grad_out_abs, true},
         HeatmapFrame{}});
    panels.push_back(
        {HM_GRAD_INPUT,
         tr(STR_HM_GRAD_POOLED),
         Shaped::OUTPUT,
         {r.grad_input.ptr() + plane * out_plane, nullptr, g.out_h, g.out_w, -r.grad_in_abs, r.grad_in_abs, true},
         out_frame});
  } else {
    Panel out{HM_OUTPUT, tr(STR_HM_OUTPUT), Shaped::OUTPUT, values_out, out_frame};
    out.avg_overlay = is_avg && s.show_divisors;
    panels.push_back(out);
    if (is_max) {
      panels.push_back({HM_THIRD,
                        tr(r.params.return_indices ? STR_HM_INDICES : STR_HM_INDICES_HIDDEN),
                        Shaped::OUTPUT,
                        {nullptr, idx_data, g.out_h, g.out_w, 0.f, static_cast<float>(in_plane - 1), false},
                        out_frame});
    } else {
      float dlo = INFINITY, dhi = -INFINITY;
      for (int64_t d : r.divisors) {
        dlo = std::min(dlo, static_cast<float>(d));
        dhi = std::max(dhi, static_cast<float>(d));
      }
      panels.push_back({HM_THIRD,
                        tr(STR_HM_DIVISOR),
                        Shaped::OUTPUT,
                        {nullptr, r.divisors.data(), g.out_h, g.out_w, fit(dlo), fit(dhi), false},
                        out_frame});
    }
    panels.push_back(
        {HM_GRAD_INPUT,
         tr(STR_HM_GRAD_INPUT),
         Shaped::INPUT,
         {r.grad_input.ptr() + plane * in_plane, nullptr, g.in_h, g.in_w, -r.grad_in_abs, r.grad_in_abs, true},
         in_frame});
    panels.push_back(
        {HM_GRAD_OUTPUT,
         tr(STR_HM_GRAD_OUTPUT),
         Shaped::OUTPUT,
         {r.grad_output.ptr() + plane * out_plane, nullptr, g.out_h, g.out_w, -r.grad_out_abs, r.grad_out_abs, true},
         out_frame});
  }
  for (Panel& p : panels)
    if (p.slot != HM_INPUT) p.frame.pad_text = nullptr;  // padding values mean nothing for gradients
  if (quiz) panels.resize(1);

  // Marks that do not depend on the focus: ceil_mode's added and dropped windows.
  std::vector<CellMark> in_marks, out_marks;
  const float fx0 = static_cast<float>(-g.pw), fx1 = static_cast<float>(g.in_w + g.pw + g.extra_right);
  const float fy0 = static_cast<float>(-g.ph), fy1 = static_cast<float>(g.in_h + g.ph + g.extra_bottom);
  const float span_h = static_cast<float>(g.dh * (g.kh - 1) + 1), span_w = static_cast<float>(g.dw * (g.kw - 1) + 1);
  if (g.ceil_row) {
    const float y0 = static_cast<float>((g.out_h - 1) * g.sh - g.ph);
    in_marks.push_back({y0, fx0, y0 + span_h, fx1, palette().ceil, 2.0f});
    out_marks.push_back({static_cast<float>(g.out_h - 1), 0, static_cast<float>(g.out_h), static_cast<float>(g.out_w),
                         palette().ceil, 2.0f});
  }
  if (g.ceil_col) {
    const float x0 = static_cast<float>((g.out_w - 1) * g.sw - g.pw);
    in_marks.push_back({fy0, x0, fy1, x0 + span_w, palette().ceil, 2.0f});
    out_marks.push_back({0, static_cast<float>(g.out_w - 1), static_cast<float>(g.out_h), static_cast<float>(g.out_w),
                         palette().ceil, 2.0f});
  }
  if (g.drop_row) {
    const float y0 = static_cast<float>(g.out_h * g.sh - g.ph);
    in_marks.push_back({y0, fx0, y0 + span_h, fx1, palette().dropped_fill, 0.0f});
    in_marks.push_back({y0, fx0, y0 + span_h, fx1, palette().dropped_line, 1.5f});
    out_marks.push_back({static_cast<float>(g.out_h), 0, static_cast<float>(g.out_h + 1),
                         static_cast<float>(g.out_w + (g.drop_col ? 1 : 0)), palette().dropped_line, 1.5f});
  }
  if (g.drop_col) {
    const float x0 = static_cast<float>(g.out_w * g.sw - g.pw);
    in_marks.push_back({fy0, x0, fy1, x0 + span_w, palette().dropped_fill, 0.0f});
    in_marks.push_back({fy0, x0, fy1, x0 + span_w, palette().dropped_line, 1.5f});
    out_marks.push_back({0, static_cast<float>(g.out_w), static_cast<float>(g.out_h + (g.drop_row ? 1 : 0)),
                         static_cast<float>(g.out_w + 1), palette().dropped_line, 1.5f});
  }

  if (quiz) in_marks.clear(), out_marks.clear();  // the ceil and dropped windows tell the shape

  // Marks of the focus.
  std::vector<CellMark> focus_in, focus_out, focus_unpooled;
  auto cell_mark = [](int y, int x, ImU32 c, float t) {
    return CellMark{
        static_cast<float>(y), static_cast<float>(x), static_cast<float>(y + 1), static_cast<float>(x + 1), c, t};
  };
  if (focus.kind == Focus::OUTPUT_CELL && focus.y >= 0 && focus.y < g.out_h && focus.x >= 0 && focus.x < g.out_w) {
    const int y0 = focus.y * g.sh - g.ph, x0 = focus.x * g.sw - g.pw;
    if (static_cast<int64_t>(g.kh) * g.kw <= 1024) {
      for (int i = 0; i < g.kh; ++i)
        for (int j = 0; j < g.kw; ++j) focus_in.push_back(cell_mark(y0 + i * g.dh, x0 + j * g.dw, palette().tap_fill, 0.0f));
    }
    focus_in.push_back({static_cast<float>(y0), static_cast<float>(x0), y0 + span_h, x0 + span_w, palette().window, 2.5f});
    if (idx_data && !quiz) {  // the argmax would give a value question away
      const int64_t a = idx_data[static_cast<size_t>(focus.y * g.out_w + focus.x)];
      const int ay = static_cast<int>(a / g.in_w), ax = static_cast<int>(a % g.in_w);
      focus_in.push_back(cell_mark(ay, ax, palette().argmax, 3.0f));
      focus_unpooled.push_back(cell_mark(ay, ax, palette().argmax, 3.0f));
    }
    focus_out.push_back(cell_mark(focus.y, focus.x, palette().focus, 3.0f));
  } else if (focus.kind == Focus::INPUT_CELL) {
    focus_in.push_back(cell_mark(focus.y, focus.x, palette().focus, 3.0f));
    focus_unpooled.push_back(cell_mark(focus.y, focus.x, palette().focus, 3.0f));
    const std::vector<int> rows = outputs_fed(focus.y, g.out_h, g.kh, g.sh, g.ph, g.dh);
    const std::vector<int> cols = outputs_fed(focus.x, g.out_w, g.kw, g.sw, g.pw, g.dw);
    if (rows.size() * cols.size() <= 4096)
      for (int oy : rows)
        for (int ox : cols) focus_out.push_back(cell_mark(oy, ox, palette().window, 2.5f));
    if (idx_data && focus.y >= 0 && focus.y < g.in_h && focus.x >= 0 && focus.x < g.in_w) {
      const int64_t flat = static_cast<int64_t>(focus.y) * g.in_w + focus.x;
      for (size_t k = 0; k < out_plane; ++k)
        if (idx_data[k] == flat)
          focus_out.push_back(
              cell_mark(static_cast<int>(k) / g.out_w, static_cast<int>(k) % g.out_w, palette().argmax, 3.0f));
    }
  }

  // Grid layout: 3 columns x 2 rows, the first column wider; a compact view
  // (a narrow screen) has one column, each heatmap about as tall as it is wide.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = 14.0f;
  const bool one_column = s.layout.compact;
  const int ncols = one_column ? 1 : 3;
  const float colw[3] = {one_column ? avail.x : (avail.x - 2 * gap) * 0.38f, (avail.x - 2 * gap) * 0.31f,
                         (avail.x - 2 * gap) * 0.31f};
  const float rowh = one_column ? avail.x * 0.8f + 2 * ImGui::GetFontSize() : std::max((avail.y - gap) * 0.5f, 120.0f);
  Focus next;
  std::string info;
  bool hovered_any = false;
  auto dropped_text = [&](int axis) {
    char buf[240];
    const long long n = axis == 0 ? g.out_h : g.out_w;
    const long long st = axis == 0 ? g.sh : g.sw;
    const long long L = axis == 0 ? g.in_h : g.in_w, pad = axis == 0 ? g.ph : g.pw;
    std::snprintf(buf, sizeof buf, tr(STR_INFO_DROPPED_WINDOW), n * st, L + pad);
    return std::string(buf) + "\n" + tr(STR_CEIL_RULE);
  };
  // The text for a cell of a heatmap: what it is and where it comes from.
  auto describe = [&](bool output_shaped, int slot, int y, int x, bool inside) -> std::string {
    std::string text;
    char buf[320];
    if (output_shaped) {
      const bool dropped = y >= g.out_h || x >= g.out_w;
      if (dropped) {
        const int dropped_axis = y >= g.out_h ? 0 : 1;
        return dropped_text(dropped_axis);
      }
      const size_t k = static_cast<size_t>(y * g.out_w + x);
      if (idx_data) {
        const int64_t a = idx_data[k];
        std::snprintf(buf, sizeof buf, tr(STR_INFO_MAX), y, x, format_value(out_data[k]).c_str(),
                      static_cast<int>(a / g.in_w), static_cast<int>(a % g.in_w), static_cast<long long>(a));
        text = buf;
      } else if (is_avg) {
        const int y0 = y * g.sh - g.ph, x0 = x * g.sw - g.pw;
        double sum = 0;
        for (int yy = std::max(y0, 0); yy < std::min(y0 + g.kh, g.in_h); ++yy)
          for (int xx = std::max(x0, 0); xx < std::min(x0 + g.kw, g.in_w); ++xx)
            sum += in_data[static_cast<size_t>(yy * g.in_w + xx)];
        const long long div = static_cast<long long>(r.divisors[k]);
        std::snprintf(buf, sizeof buf, tr(STR_INFO_AVG), y, x, format_value(static_cast<float>(sum)).c_str(), div,
                      format_value(out_data[k]).c_str());
        text = buf;
        if (r.params.has_divisor_override) {
          std::snprintf(buf, sizeof buf, tr(STR_INFO_DIV_OVERRIDE), r.params.divisor_override);
        } else if (r.params.count_include_pad) {
          const long long ch = std::min(y0 + g.kh, g.in_h + g.ph) - y0, cw = std::min(x0 + g.kw, g.in_w + g.pw) - x0;
          std::snprintf(buf, sizeof buf, tr(STR_INFO_DIV_INCLUDE), ch, cw, ch * cw);
        } else {
          const long long ch = std::min(y0 + g.kh, g.in_h) - std::max(y0, 0),
                          cw = std::min(x0 + g.kw, g.in_w) - std::max(x0, 0);
          std::snprintf(buf, sizeof buf, tr(STR_INFO_DIV_EXCLUDE), ch, cw, ch * cw);
        }
        text += "\n";
        text += buf;
      }
      if ((g.ceil_row && y == g.out_h - 1) || (g.ceil_col && x == g.out_w - 1)) {
        text += "\n";
        text += tr(STR_INFO_CEIL_WINDOW);
      }
    } else {
      if (inside) {
        const size_t k = static_cast<size_t>(y * g.in_w + x);
        if (slot == HM_UNPOOLED) {
          const float v = r.unpooled.data[plane * in_plane + k];
          int src = -1;
          for (size_t j = 0; j < out_plane && idx_data; ++j)
            if (idx_data[j] == static_cast<int64_t>(k)) src = static_cast<int>(j);  // the last one wins
          if (src >= 0)
            std::snprintf(buf, sizeof buf, tr(STR_INFO_UNPOOLED), y, x, format_value(v).c_str(), src / g.out_w,
                          src % g.out_w);
          else
            std::snprintf(buf, sizeof buf, tr(STR_INFO_UNPOOLED_ZERO), y, x);
        } else {
          const size_t n = outputs_fed(y, g.out_h, g.kh, g.sh, g.ph, g.dh).size() *
                           outputs_fed(x, g.out_w, g.kw, g.sw, g.pw, g.dw).size();
          std::snprintf(buf, sizeof buf, tr(STR_INFO_INPUT), y, x, format_value(in_data[k]).c_str(),
                        static_cast<int>(n));
        }
        text = buf;
      } else if (y >= -g.ph && y < g.in_h + g.ph && x >= -g.pw && x < g.in_w + g.pw) {
        std::snprintf(buf, sizeof buf, tr(STR_INFO_PADDING), is_avg ? "0" : "-inf");
        text = buf;
      } else {
        text = tr(STR_INFO_OVERHANG);
        if (g.drop_row && y >= g.out_h * g.sh - g.ph) {
          return dropped_text(0);
        } else if (g.drop_col && x >= g.out_w * g.sw - g.pw) {
          return dropped_text(1);
        }
      }
    }

    return text;
  };

  for (size_t i = 0; i < panels.size(); ++i) {
    Panel& p = panels[i];
    const int col = static_cast<int>(i) % ncols, row = static_cast<int>(i) / ncols;
    float x = origin.x;
    for (int c = 0; c < col; ++c) x += colw[c] + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + static_cast<float>(row) * (rowh + gap)));

    std::vector<CellMark> marks = p.shaped == Shaped::INPUT ? in_marks : out_marks;
    if (s.pin && slot_tensor(p.slot, r.layer) && s.pin->tensor == slot_tensor(p.slot, r.layer) &&
        s.pin->index.size() == 4 && s.pin->index[0] * C + s.pin->index[1] == plane)
      marks.push_back(cell_mark(static_cast<int>(s.pin->index[2]), static_cast<int>(s.pin->index[3]), palette().pin, 3.0f));
    if (p.slot == HM_UNPOOLED || (is_unpool && p.slot == HM_GRAD_OUTPUT)) {
      marks = focus_unpooled;
    } else {
      const auto& f = p.shaped == Shaped::INPUT ? focus_in : focus_out;
      marks.insert(marks.end(), f.begin(), f.end());
    }

    std::function<void(ImDrawList*, ImVec2, float, int, int)> overlay;
    if (p.avg_overlay) {
      overlay = [&](ImDrawList* dl, ImVec2 a, float cell, int y, int xx) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "/%lld",
                      static_cast<long long>(r.divisors[static_cast<size_t>(y * g.out_w + xx)]));
        const float scale = 0.75f;
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        if (ts.x * scale > cell - 2) return;
        dl->AddText(nullptr, ImGui::GetFontSize() * scale,
                    ImVec2(a.x + cell - ts.x * scale - 2, a.y + cell - ts.y * scale - 1), palette().divisor_text,
                    buf);
      };
    }
    const uint64_t version = p.slot == HM_INPUT ? r.input_version : r.version;
    // The texture's data: the result's version, the plane (< 8 x 64 = 2^9) and the slot (< 8).
    const uint64_t key = version << 12 | static_cast<uint64_t>(plane) << 3 | static_cast<uint64_t>(p.slot);
    const std::string hid = "hm" + std::to_string(p.slot);
    const HeatmapHover h = DrawHeatmap(hid.c_str(), p.title, p.data, p.frame, marks, s.views[p.slot],
                                       ImVec2(colw[col], rowh), key, s.show_numbers, overlay);
    if (const char* name = slot_tensor(p.slot, r.layer)) {
      const HeatmapView& v = s.views[p.slot];
      const float k = 1.0f / s.layout.scale;
      s.layout.heatmaps.push_back({name, v.cell0_x * k, v.cell0_y * k, v.cell_px * k, p.data.rows, p.data.cols});
    }
    if (!h.hovered) continue;
    hovered_any = true;
    info = describe(p.shaped == Shaped::OUTPUT, p.slot, h.y, h.x, h.in_data);
    if (p.shaped == Shaped::INPUT)
      next = {Focus::INPUT_CELL, h.y, h.x};
    else if (h.y < g.out_h && h.x < g.out_w)
      next = {Focus::OUTPUT_CELL, h.y, h.x};

    // A click pins the cell (the inspector: state().pinned, `pin=`); again, unpins it.
    const char* tensor = slot_tensor(p.slot, r.layer);
    // Edit a cell: edit mode click or Ctrl+click on the input or on grad_output.
    const char* edit_key = p.slot == HM_INPUT ? "cells" : p.slot == HM_GRAD_OUTPUT ? "grad_cells" : nullptr;
    const bool edit = edit_key && (s.edit_mode || h.ctrl) && !ui_locked(edit_key);
    if (tensor && h.clicked && h.in_data && !edit) {
      const Pin pin{tensor, {plane / C, plane % C, h.y, h.x}};
      if (s.pin && *s.pin == pin)
        s.pin.reset();
      else
        s.pin = pin;
      if (s.input.grad == GradGen::ONE_HOT) s.dirty = true;  // the 1 moves with the pin
    }
    if (h.clicked && h.in_data && edit) {
      const size_t cell = static_cast<size_t>(h.y * p.data.cols + h.x);
      s.edit_grad = p.slot == HM_GRAD_OUTPUT;
      s.edit_index = static_cast<int>(static_cast<size_t>(plane * p.data.rows * p.data.cols) + cell);
      s.edit_value = p.data.values[cell];
      ImGui::OpenPopup("edit_cell");
    }
  }
  if (quiz) info.clear();
  if (hovered_any && !info.empty()) ImGui::SetTooltip("%s", info.c_str());
  if (!hovered_any && focus.kind == Focus::OUTPUT_CELL && focus.y < g.out_h && focus.x < g.out_w)
    info = describe(true, HM_OUTPUT, focus.y, focus.x, true);

  // The sixth grid cell (MaxPool2d / AvgPool2d): the focused cell explained in words
  // (one column: after the heatmaps, as tall as its text).
  const int rows_used = (static_cast<int>(panels.size()) + ncols - 1) / ncols;
  if (panels.size() == 5 && one_column) {
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(rows_used) * (rowh + gap)));
    ImGui::BeginChild("info_card", ImVec2(avail.x, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
  } else if (panels.size() == 5) {
    ImGui::SetCursorScreenPos(ImVec2(origin.x + colw[0] + colw[1] + 2 * gap, origin.y + rowh + gap));
    ImGui::BeginChild("info_card", ImVec2(colw[2], rowh), ImGuiChildFlags_Border);
  }
  if (panels.size() == 5) {
    // The pinned cell first; what is under the pointer while nothing is pinned.
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
  } else if (one_column) {
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(rows_used) * (rowh + gap)));
  }
  if (one_column) ImGui::Dummy(ImVec2(avail.x, 1.0f));  // the column's content ends below the last row
  s.focus = next;

  // The cell editor.
  if (ImGui::BeginPopup("edit_cell")) {
    const ll::Shape& shape = s.edit_grad ? r.grad_output.shape : r.input.shape;
    const int64_t hw = shape[2] * shape[3];
    const int64_t pl = s.edit_index / hw, k = s.edit_index % hw;
    ImGui::Text(tr(s.edit_grad ? STR_EDIT_GRAD_POPUP : STR_EDIT_POPUP), static_cast<int>(pl / C),
                static_cast<int>(pl % C), static_cast<int>(k / shape[3]), static_cast<int>(k % shape[3]));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter =
        ImGui::InputFloat("##value", &s.edit_value, 0.0f, 0.0f, "%.4g", ImGuiInputTextFlags_EnterReturnsTrue);
    if (enter || ImGui::Button(tr(STR_OK))) {
      (s.edit_grad ? s.input.grad_edits : s.input.edits)[s.edit_index] = s.edit_value;
      s.dirty = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(STR_CANCEL))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace app

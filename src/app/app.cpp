// app.cpp — ShowApp: the window layout for the screen's width (wide, medium,
// narrow; issue 19) and the dark theme.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hash_state.h"
#include "heatmap.h"
#include "imgui.h"
#include "imgui_internal.h"  // SetKeyOwner: the arrow keys of a focused slider
#include "labs.h"
#include "labs/registry.h"
#include "quiz.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                    ImGuiWindowFlags_NoSavedSettings;

void title_bar(AppState& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, palette().accent);
  ImGui::TextUnformatted(tr(STR_TITLE));
  ImGui::PopStyleColor();
  if (const StringId sub = lab_def(s.lab).subtitle; sub != STR_COUNT) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(sub));
  }
  // Right-aligned: the keys overlay's "?" and the language toggle.
  const char* toggle = tr(STR_LANG_TOGGLE);
  const float pad = ImGui::GetStyle().FramePadding.x * 2, gap = ImGui::GetStyle().ItemSpacing.x;
  const float tw = s.hidden.lang ? 0.0f : ImGui::CalcTextSize(toggle).x + pad + gap;
  ImGui::SameLine(ImGui::GetContentRegionMax().x - tw - ImGui::CalcTextSize("?").x - pad);
  if (ImGui::Button("?")) s.layout.help_open = !s.layout.help_open;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(STR_HELP_TIP));
  if (s.hidden.lang) return;
  ImGui::SameLine();
  ImGui::BeginDisabled(ui_locked("lang"));
  if (ImGui::Button(toggle)) s.lang = s.lang == Lang::EN ? Lang::ZH : Lang::EN;
  ImGui::EndDisabled();
}

// The keys overlay: `?` (or the title bar's button) opens it, `?` or Esc closes it.
void help_overlay(AppState& s) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput)
    for (const ImWchar c : io.InputQueueCharacters)
      if (c == '?') s.layout.help_open = !s.layout.help_open;
  if (s.layout.help_open && ImGui::IsKeyPressed(ImGuiKey_Escape)) s.layout.help_open = false;
  if (!s.layout.help_open) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->WorkSize.x * 0.95f, vp->WorkSize.y * 0.9f));
  ImGui::SetNextWindowFocus();
  char title[64];
  std::snprintf(title, sizeof title, "%s###help", tr(STR_HELP_TITLE));
  if (ImGui::Begin(title, &s.layout.help_open,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    const struct {
      const char* keys;
      StringId what;
    } rows[] = {{"Tab, Shift+Tab", STR_KEY_HELP_TAB}, {"↑ ↓", STR_KEY_HELP_UPDOWN},
                {"← →", STR_KEY_HELP_LEFTRIGHT},    {"Space, Enter", STR_KEY_HELP_SPACE},
                {"Ctrl+click", STR_KEY_HELP_CTRL_CLICK}, {nullptr, STR_KEY_HELP_WHEEL},
                {"Esc", STR_KEY_HELP_ESC},          {"?", STR_KEY_HELP_QUESTION}};
    const float wrap = std::min(26.0f * ImGui::GetFontSize(), vp->WorkSize.x * 0.55f);
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(palette().accent, "%s", r.keys ? r.keys : tr(STR_KEY_WHEEL));
        ImGui::TableSetColumnIndex(1);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(tr(r.what));
        ImGui::PopTextWrapPos();
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

// The lab picker (hash key `lab`): a button a lab, three (or as many as fit) a row.
void lab_picker(AppState& s) {
  const char* labels[kLabCount];
  for (int i = 0; i < kLabCount; ++i) labels[i] = tr(kLabs[i].title);
  float widths[kLabCount];
  bool row_start[kLabCount];
  button_rows(labels, kLabCount, 3, widths, row_start);
  ImGui::BeginDisabled(ui_locked("lab"));
  for (int i = 0; i < kLabCount; ++i) {
    if (!row_start[i]) ImGui::SameLine();
    const bool active = s.lab == kLabs[i].id;
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    ImGui::PushID(i);
    if (ImGui::Button(labels[i], ImVec2(widths[i], 0)) && !active) {
      s.lab = kLabs[i].id;
      s.error.clear();
      s.dirty = s.lab_dirty = true;
    }
    ImGui::PopID();
    if (active) ImGui::PopStyleColor();
  }
  ImGui::EndDisabled();
  lock_mark("lab");
}

}  // namespace

bool app_is_animating(const AppState& s) {
  const bool dirty = s.lab == Lab::POOL ? s.dirty : s.lab_dirty;  // the other lab's flag waits for its lab
  const bool copied_note = ImGui::GetTime() - s.copied_time < 2.0;  // the code panel's "Copied" fades by time
  return dirty || !s.core_warm || copied_note || (s.act.playing && s.act.layer == ActLayer::PRELU) || s.train.playing || s.train.pending_steps > 0 ||
         s.act.pending_steps > 0;
}

void button_rows(const char* const* labels, int n, int max_per_row, float* widths, bool* row_start) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x, gap = st.ItemSpacing.x;
  for (int first = 0; first < n;) {
    int last = first;  // the row is [first, last]
    float used = ImGui::CalcTextSize(labels[first]).x + 2 * st.FramePadding.x;
    while (last + 1 < n && last + 1 - first < max_per_row) {
      const float w = ImGui::CalcTextSize(labels[last + 1]).x + 2 * st.FramePadding.x;
      if (used + gap + w > avail) break;
      used += gap + w;
      ++last;
    }
    const float spare = std::max(0.0f, avail - used) / static_cast<float>(last - first + 1);
    for (int i = first; i <= last; ++i) {
      widths[i] = std::min(ImGui::CalcTextSize(labels[i]).x + 2 * st.FramePadding.x + spare, avail);
      row_start[i] = i == first;
    }
    first = last + 1;
  }
}

void same_line_if_fits(float width) {
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;  // before SameLine: this line's start
  ImGui::SameLine();
  if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
}

namespace {
const std::vector<std::string>* g_locks = nullptr;
}  // namespace

void set_ui_locks(const std::vector<std::string>* locked) { g_locks = locked; }

bool ui_locked(const char* key) {
  return g_locks && key && std::find(g_locks->begin(), g_locks->end(), key) != g_locks->end();
}

bool lock_mark(const char* key) {
  if (!ui_locked(key)) return false;
  // A padlock after the name: a shackle over a body, in the pinned colour.
  ImGui::SameLine(0, 4);
  const float h = ImGui::GetFontSize(), w = h * 0.7f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float y = p.y + (ImGui::GetFrameHeight() - h) * 0.5f;
  ImGui::Dummy(ImVec2(w, ImGui::GetFrameHeight()));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 c = ImGui::GetColorU32(palette().pinned);
  dl->PathArcTo(ImVec2(p.x + w * 0.5f, y + h * 0.45f), w * 0.3f, 3.14159f, 2 * 3.14159f, 8);
  dl->PathStroke(c, 0, 1.6f);
  dl->AddLine(ImVec2(p.x + w * 0.2f, y + h * 0.45f), ImVec2(p.x + w * 0.2f, y + h * 0.55f), c, 1.6f);
  dl->AddLine(ImVec2(p.x + w * 0.8f, y + h * 0.45f), ImVec2(p.x + w * 0.8f, y + h * 0.55f), c, 1.6f);
  dl->AddRectFilled(ImVec2(p.x, y + h * 0.52f), ImVec2(p.x + w, y + h), c, 2.0f);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", tr(STR_LOCKED), key);
  return true;
}

// Characters of the UI strings in `lang` the loaded font has no glyph for: 0
// means nothing is drawn as a missing-glyph box (-1: no atlas yet).
int missing_glyphs(Lang lang) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (!atlas || atlas->Fonts.empty() || !atlas->IsBuilt()) return -1;
  const ImFont* font = atlas->Fonts[0];
  const std::string text = ui_text(lang);
  int count = 0;
  for (const char* c = text.c_str(); *c;) {
    unsigned int cp = 0;
    const int n = ImTextCharFromUtf8(&cp, c, nullptr);
    c += n > 0 ? n : 1;
    if (cp >= 0x20 && cp != 0x7F && !font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) ++count;
  }
  return count;
}

void section(const char* title) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, palette().accent);
  ImGui::SeparatorText(title);
  ImGui::PopStyleColor();
}

namespace {
// -1, +1 or 0: Left/Right pressed while the last item has the keyboard focus.
// The keys are claimed for the item, so ImGui's navigation leaves them to it.
int arrow_step() {
  if (!ImGui::IsItemFocused() || ImGui::IsItemActive()) return 0;
  const ImGuiID id = ImGui::GetItemID();
  ImGui::SetKeyOwner(ImGuiKey_LeftArrow, id);
  ImGui::SetKeyOwner(ImGuiKey_RightArrow, id);
  if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow, id, ImGuiInputFlags_Repeat)) return -1;
  if (ImGui::IsKeyPressed(ImGuiKey_RightArrow, id, ImGuiInputFlags_Repeat)) return 1;
  return 0;
}
}  // namespace

bool slider_int(const char* id, int* v, int lo, int hi, const char* fmt, ImGuiSliderFlags flags) {
  bool changed = ImGui::SliderInt(id, v, lo, hi, fmt, flags);
  if (const int d = arrow_step()) {
    const int next = std::clamp(*v + d, lo, hi);
    changed |= next != *v;
    *v = next;
  }
  return changed;
}

bool slider_float(const char* id, float* v, float lo, float hi, const char* fmt, ImGuiSliderFlags flags) {
  bool changed = ImGui::SliderFloat(id, v, lo, hi, fmt, flags);
  if (const int d = arrow_step()) {
    const float next = flags & ImGuiSliderFlags_Logarithmic ? *v * std::pow(1.05f, static_cast<float>(d))
                                                            : *v + static_cast<float>(d) * (hi - lo) / 100.0f;
    *v = std::clamp(next, lo, hi);
    changed = true;
  }
  return changed;
}

const char* layout_kind_name(LayoutKind k) {
  switch (k) {
    case LayoutKind::WIDE: return "wide";
    case LayoutKind::MEDIUM: return "medium";
    case LayoutKind::NARROW: return "narrow";
  }
  return "wide";
}

namespace {

bool lab_has_code_window(const AppState& s);

// A panel's rectangle (device px), clipped to `clip`, as state().layout reports it (CSS px).
void record_panel(AppState& s, const char* name, ImVec2 min, ImVec2 max, ImVec2 clip_min, ImVec2 clip_max) {
  min = ImVec2(std::max(min.x, clip_min.x), std::max(min.y, clip_min.y));
  max = ImVec2(std::min(max.x, clip_max.x), std::min(max.y, clip_max.y));
  if (max.x - min.x < 1.0f || max.y - min.y < 1.0f) return;  // scrolled out of view
  const float k = 1.0f / s.layout.scale;
  s.layout.panels.push_back({name, min.x * k, min.y * k, (max.x - min.x) * k, (max.y - min.y) * k});
}

// A fixed window of the layout; returns after Begin (the caller calls End).
void begin_panel(AppState& s, const char* name, const char* title, ImVec2 pos, ImVec2 size, ImGuiWindowFlags flags) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin(title, nullptr, kFixed | flags);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  record_panel(s, name, pos, ImVec2(pos.x + size.x, pos.y + size.y), vp->Pos,
               ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y));
}

// A finger (or the mouse) dragged over the background of the current window,
// or over a heatmap that is not zoomed (heatmap.cpp), scrolls the window: touch
// screens have no wheel.
void drag_scroll() {
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) return;
  if (!ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) return;
  if (ImGui::IsAnyItemActive() && !heatmap_drag_is_free()) {
    // A press on a window's background makes the window's move id active: that is free too.
    if (!window_background_is_active()) return;
  }
  ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

// The performance overlay: what the core took for the result on screen.
// Browsers give timers a 0.1 ms grain, so a faster call reads as 0 there;
// the desktop's clock is finer than the two decimals shown.
void timings_overlay(const AppState& s) {
  if (!s.result.valid) return;
  auto ms = [](double v, char* out, size_t n) {
    if (v >= 0.01) {
      std::snprintf(out, n, "%.2f ms", v);
    } else {
      std::snprintf(out, n, v > 0 ? "< 0.01 ms" : "< 0.1 ms");
    }
  };
  char fwd[24], bwd[24], perf[96];
  ms(s.result.forward_ms, fwd, sizeof fwd);
  ms(s.result.backward_ms, bwd, sizeof bwd);
  std::snprintf(perf, sizeof perf, "forward %s  backward %s", fwd, bwd);
  const ImVec2 wpos = ImGui::GetWindowPos();
  const ImVec2 tsize = ImGui::CalcTextSize(perf);
  if (tsize.x > ImGui::GetWindowWidth() * 0.45f) return;  // no room beside the title
  ImGui::GetForegroundDrawList()->AddText(ImVec2(wpos.x + ImGui::GetWindowWidth() - tsize.x - 12.0f, wpos.y + 4.0f),
                                          ImGui::GetColorU32(ImGuiCol_TextDisabled), perf);
}

// The left column (wide and medium): title, lab picker, the lab's parameters.
void parameters_window(AppState& s, ImVec2 pos, ImVec2 size) {
  if (ImGui::GetFrameCount() <= 1) ImGui::SetNextWindowFocus();  // the keyboard starts in the parameters
  begin_panel(s, "parameters", "##parameters", pos, size, ImGuiWindowFlags_NoTitleBar);
  title_bar(s);
  if (!s.hidden.labs) lab_picker(s);
  lab_def(s.lab).parameters(s);
  if (lab_has_code_window(s)) {
    section(tr(STR_CODE));
    ImGui::Checkbox(tr(STR_SHOW_CODE), &s.layout.code_open);
  }
  // The height this panel needs: its content, or at least room for the views beside it.
  const float content = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  s.layout.needed_h = std::max(content / s.layout.scale, kMinColumnsCss);
  drag_scroll();
  ImGui::End();
}

// The code of the labs other than pooling, in a window over their view (wide and medium).
void lab_code_window(AppState& s, ImVec2 pos, ImVec2 size) {
  if (!lab_has_code_window(s) || !s.layout.code_open) return;
  ImGui::SetNextWindowPos(pos, ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
  char title[96];
  std::snprintf(title, sizeof title, "%s###labcode", tr(STR_CODE));
  if (ImGui::Begin(title, &s.layout.code_open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings))
    ShowCodePanel(s);
  ImGui::End();
}

bool lab_has_code_window(const AppState& s) { return !lab_def(s.lab).formula_below_view; }

// The view beside the parameters: the pooling lab's tensors or another lab's plots.
// `compact`: one column with heights from the width, scrolled.
void view_window(AppState& s, ImVec2 pos, ImVec2 size) {
  char title[96];
  const ImGuiWindowFlags still = ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoScrollbar;
  const ImGuiWindowFlags flags = s.layout.compact ? ImGuiWindowFlags_None : still;
  const LabDef& lab = lab_def(s.lab);
  if (!lab.formula_below_view) {
    std::snprintf(title, sizeof title, "%s  ·  lab=%s###labview", tr(lab.title), lab.name);
    begin_panel(s, "view", title, pos, size, flags);
    lab.view(s);
  } else {
    std::snprintf(title, sizeof title, "%s  ·  %s###tensors", tr(STR_TENSORS), layer_name(s.layer));
    begin_panel(s, "tensors", title, pos, size, flags);
    lab.view(s);
    timings_overlay(s);
  }
  if (s.layout.compact) drag_scroll();
  ImGui::End();
}

// Wide (>= 1100 CSS px) and medium (640-1100): parameters | view, and under the
// pooling lab's view the formula and the code, side by side (wide) or as tabs (medium).
//
//   +-------------+---------------------------------------+
//   | Parameters  | Tensors (heatmaps)                    |
//   |             +-------------------+-------------------+
//   |             | Output size       | PyTorch code      |   medium: [Output size | PyTorch code] tabs
//   +-------------+-------------------+-------------------+
void show_columns(AppState& s, ImVec2 o, ImVec2 size) {
  const bool wide = s.layout.kind == LayoutKind::WIDE;
  const float font = ImGui::GetFontSize();
  const float left_w = s.hidden.params ? 0.0f
                       : wide      ? std::min(std::max(22.0f * font, size.x * 0.25f), size.x * 0.45f)
                                   : std::clamp(size.x * 0.4f, 17.0f * font, size.x * 0.5f);
  const float right_w = size.x - left_w;
  // A view narrower than this is drawn as one column (heights from its width).
  s.layout.compact = right_w / s.layout.scale < 560.0f;
  s.layout.needed_h = kMinColumnsCss;  // the parameters panel raises it to its content
  if (!s.hidden.params) parameters_window(s, o, ImVec2(left_w, size.y));

  const bool bottom_row = lab_def(s.lab).formula_below_view && !(s.hidden.code && s.hidden.formula);
  const float bottom_h = !bottom_row ? 0.0f
                         : wide      ? std::clamp(size.y * 0.27f, 11.0f * font, 17.0f * font)
                                     : std::clamp(size.y * 0.3f, 10.0f * font, 16.0f * font);
  view_window(s, ImVec2(o.x + left_w, o.y), ImVec2(right_w, size.y - bottom_h));
  lab_code_window(s, ImVec2(o.x + left_w + right_w * 0.35f, o.y + size.y * 0.2f), ImVec2(right_w * 0.62f, size.y * 0.75f));
  if (!bottom_row) return;
  s.layout.compact = false;

  const ImVec2 bottom(o.x + left_w, o.y + size.y - bottom_h);
  if (!wide && !s.hidden.code && !s.hidden.formula) {
    begin_panel(s, "bottom", "##bottom", bottom, ImVec2(right_w, bottom_h), ImGuiWindowFlags_NoTitleBar);
    if (ImGui::BeginTabBar("bottom_tabs")) {
      if (ImGui::BeginTabItem(tr(STR_FORMULA))) {
        ImGui::BeginChild("formula_tab", ImVec2(0, 0), ImGuiChildFlags_None, ImGuiWindowFlags_HorizontalScrollbar);
        ShowFormulaPanel(s);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem(tr(STR_CODE))) {
        ShowCodePanel(s);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    ImGui::End();
    return;
  }
  char title[96];
  const float formula_w = s.hidden.code ? right_w : s.hidden.formula ? 0.0f : right_w * 0.55f;
  if (!s.hidden.formula) {
    std::snprintf(title, sizeof title, "%s###formula", tr(STR_FORMULA));
    begin_panel(s, "formula", title, bottom, ImVec2(formula_w, bottom_h), ImGuiWindowFlags_HorizontalScrollbar);
    ShowFormulaPanel(s);
    ImGui::End();
  }
  if (!s.hidden.code) {
    std::snprintf(title, sizeof title, "%s###code", tr(STR_CODE));
    begin_panel(s, "code", title, ImVec2(bottom.x + formula_w, bottom.y), ImVec2(right_w - formula_w, bottom_h),
                ImGuiWindowFlags_None);
    ShowCodePanel(s);
    ImGui::End();
  }
}

// One section of the narrow column, recorded with its visible part.
template <typename F>
void column_section(AppState& s, const char* name, const char* heading, F&& body) {
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (heading) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().accent);
    ImGui::SeparatorText(heading);
    ImGui::PopStyleColor();
  }
  body();
  const ImVec2 wmin = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
  record_panel(s, name, top, ImVec2(wmin.x + wsize.x, ImGui::GetCursorScreenPos().y), wmin,
               ImVec2(wmin.x + wsize.x, wmin.y + wsize.y));
}

// Narrow (< 640 CSS px, a phone, a course column): a bar with the title and
// the lab picker, then one scrolled column: the parameters in a drawer, the
// view one tensor per row, the formula and the code. Widgets are at least
// 40 CSS px tall for a thumb.
void show_narrow(AppState& s, ImVec2 o, ImVec2 size) {
  s.layout.compact = true;
  const ImGuiStyle& st = ImGui::GetStyle();
  const float line = ImGui::GetFrameHeightWithSpacing();
  const float bar_h = s.layout.bar_h > 0 ? s.layout.bar_h : st.WindowPadding.y * 2 + 3 * line;  // first frame: a guess
  begin_panel(s, "bar", "##bar", o, ImVec2(size.x, bar_h), ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  title_bar(s);
  if (!s.hidden.labs) lab_picker(s);
  const LabDef& lab = lab_def(s.lab);
  if (!s.hidden.params && lab.layer_picker) lab.layer_picker(s);  // the layer, without opening the drawer
  s.layout.bar_h = ImGui::GetCursorPosY() - st.ItemSpacing.y + st.WindowPadding.y;
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(o.x, o.y + bar_h));
  ImGui::SetNextWindowSize(ImVec2(size.x, size.y - bar_h));
  if (ImGui::GetFrameCount() <= 1) ImGui::SetNextWindowFocus();  // the keyboard starts in the parameters
  // The scrollbar always takes its room: with it coming and going, the width (and
  // so the heatmaps' height) would change with the height, and an embed sized to
  // its content would never settle.
  ImGui::Begin("##column", nullptr, kFixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysVerticalScrollbar);
  if (!s.hidden.params) {
    column_section(s, "parameters", nullptr, [&] {
      ImGui::SetNextItemOpen(s.layout.params_open);
      s.layout.params_open = ImGui::CollapsingHeader(tr(STR_PARAMETERS));
      if (!s.layout.params_open) return;
      lab.parameters(s);
    });
  }
  if (!lab.formula_below_view) {
    column_section(s, "view", tr(lab.title), [&] { lab.view(s); });
    if (lab_has_code_window(s) && !s.hidden.code) column_section(s, "code", tr(STR_CODE), [&] { ShowCodePanel(s); });
  } else {
    char heading[96];
    std::snprintf(heading, sizeof heading, "%s  ·  %s", tr(STR_TENSORS), layer_name(s.layer));
    column_section(s, "tensors", heading, [&] { lab.view(s); });
    if (!s.hidden.formula) column_section(s, "formula", tr(STR_FORMULA), [&] { ShowFormulaPanel(s); });
    if (!s.hidden.code) column_section(s, "code", tr(STR_CODE), [&] { ShowCodePanel(s); });
  }
  s.layout.needed_h = (bar_h + ImGui::GetCursorPosY() + st.WindowPadding.y) / s.layout.scale;  // the whole column
  drag_scroll();
  ImGui::End();
}

}  // namespace

LayoutKind layout_for_width(float css_width) {
  return css_width >= kWideMinCss ? LayoutKind::WIDE : css_width >= kMediumMinCss ? LayoutKind::MEDIUM : LayoutKind::NARROW;
}

void ShowApp(AppState& s) {
  set_language(s.lang);
  // The theme: resolved each frame (auto follows the page), ImGui's colours redone when it changes.
  s.light = resolve_theme(s.theme, s.system_light, s.host_bg);
  set_palette(s.light, s.theme == Theme::AUTO ? s.host_bg : std::nullopt);
  apply_palette(palette());
  set_ui_locks(&s.locked);
  const std::string locked_before = s.locked.empty() ? std::string() : to_hash(s);
  if (!s.core_warm && ImGui::GetFrameCount() >= 5) warm_up_core(s);  // a few frames after the first is on screen
  ensure_computed(s);
  lab_tick(s);

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  s.layout.kind = layout_for_width(vp->WorkSize.x / s.layout.scale);
  s.layout.panels.clear();
  s.layout.heatmaps.clear();
  if (s.layout.kind == LayoutKind::NARROW) {
    // Touch-sized widgets: at least 40 CSS px tall.
    const float frame_pad = std::max(ImGui::GetStyle().FramePadding.y, (40.0f * s.layout.scale - ImGui::GetFontSize()) / 2);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, frame_pad));
    ImGui::PushStyleVar(ImGuiStyleVar_GrabMinSize, 28.0f * s.layout.scale);
    show_narrow(s, vp->WorkPos, vp->WorkSize);
    ImGui::PopStyleVar(2);
  } else {
    show_columns(s, vp->WorkPos, vp->WorkSize);
  }
  s.layout.compact = false;
  help_overlay(s);
  restore_locked(s, locked_before);  // a locked parameter stays as the link set it
  ensure_computed(s);  // a widget changed something this frame: the next frame shows it
  update_quiz(s);
}

void apply_palette(const Palette& p) {
  ImVec4* c = ImGui::GetStyle().Colors;
  c[ImGuiCol_Text] = p.text;
  c[ImGuiCol_TextDisabled] = p.text_dim;
  c[ImGuiCol_WindowBg] = p.window_bg;
  c[ImGuiCol_ChildBg] = p.child_bg;
  c[ImGuiCol_PopupBg] = p.popup_bg;
  c[ImGuiCol_Border] = p.border;
  c[ImGuiCol_TitleBg] = p.title_bg;
  c[ImGuiCol_TitleBgActive] = p.title_active;
  c[ImGuiCol_FrameBg] = p.frame_bg;
  c[ImGuiCol_FrameBgHovered] = p.frame_hovered;
  c[ImGuiCol_FrameBgActive] = p.frame_active;
  c[ImGuiCol_Button] = p.button;
  c[ImGuiCol_ButtonHovered] = p.button_hovered;
  c[ImGuiCol_ButtonActive] = p.button_active;
  c[ImGuiCol_SliderGrab] = p.grab;
  c[ImGuiCol_SliderGrabActive] = p.grab_active;
  c[ImGuiCol_CheckMark] = p.check;
  c[ImGuiCol_Header] = p.header;
  c[ImGuiCol_HeaderHovered] = p.header_hovered;
  c[ImGuiCol_HeaderActive] = p.button_active;
  c[ImGuiCol_Separator] = p.separator;
  c[ImGuiCol_ScrollbarBg] = ImVec4(p.window_bg.x, p.window_bg.y, p.window_bg.z, 0.6f);
  c[ImGuiCol_Tab] = p.button;
  c[ImGuiCol_TabHovered] = p.button_hovered;
  c[ImGuiCol_TabActive] = p.button_active;
}

void apply_app_style(float scale) {
  if (palette().light) ImGui::StyleColorsLight(); else ImGui::StyleColorsDark();
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowRounding = 0.0f;
  st.WindowBorderSize = 1.0f;
  st.FrameRounding = 4.0f;
  st.GrabRounding = 4.0f;
  st.ChildRounding = 4.0f;
  st.PopupRounding = 4.0f;
  st.FramePadding = ImVec2(7, 4);
  st.ItemSpacing = ImVec2(8, 6);
  st.WindowPadding = ImVec2(12, 10);
  st.GrabMinSize = 12.0f;
  st.SeparatorTextBorderSize = 2.0f;
  apply_palette(palette());
  st.ScaleAllSizes(scale);
}

}  // namespace app

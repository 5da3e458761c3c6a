// app.cpp — ShowApp: the window layout and the dark theme.
//
//   +-------------+---------------------------------------+
//   | Parameters  | Tensors (heatmaps)                    |
//   |             |                                       |
//   |             +-------------------+-------------------+
//   |             | Output size       | PyTorch code      |
//   +-------------+-------------------+-------------------+
#include <algorithm>
#include <cstdio>

#include "hash_state.h"
#include "imgui.h"
#include "labs.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                    ImGuiWindowFlags_NoSavedSettings;

void title_bar(AppState& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.42f, 0.75f, 1.0f, 1.0f));
  ImGui::TextUnformatted(tr(STR_TITLE));
  ImGui::PopStyleColor();
  if (s.lab == Lab::POOL) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(STR_LAB_SUBTITLE));
  }
  if (s.hidden.lang) return;
  const char* toggle = tr(STR_LANG_TOGGLE);
  const float bw = ImGui::CalcTextSize(toggle).x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine(ImGui::GetContentRegionMax().x - bw);
  if (ImGui::Button(toggle)) s.lang = s.lang == Lang::EN ? Lang::ZH : Lang::EN;
}

// The lab picker (hash key `lab`): five buttons in two rows.
void lab_picker(AppState& s) {
  const Lab labs[] = {Lab::POOL, Lab::ACTIVATION, Lab::LINEAR, Lab::GRADIENT, Lab::TRAIN};
  const StringId names[] = {STR_LAB_POOL, STR_LAB_ACTIVATION, STR_LAB_LINEAR, STR_LAB_GRADIENT, STR_LAB_TRAIN};
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w3 = (ImGui::GetContentRegionAvail().x - 2 * gap) / 3;
  for (int i = 0; i < 5; ++i) {
    if (i % 3) ImGui::SameLine();
    const bool active = s.lab == labs[i];
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    ImGui::PushID(i);
    if (ImGui::Button(tr(names[i]), ImVec2(w3, 0)) && !active) {
      s.lab = labs[i];
      s.error.clear();
      s.dirty = s.lab_dirty = true;
    }
    ImGui::PopID();
    if (active) ImGui::PopStyleColor();
  }
}

}  // namespace

bool app_is_animating(const AppState& s) {
  const bool dirty = s.lab == Lab::POOL ? s.dirty : s.lab_dirty;  // the other lab's flag waits for its lab
  const bool copied_note = ImGui::GetTime() - s.copied_time < 2.0;  // the code panel's "Copied" fades by time
  return dirty || !s.core_warm || copied_note || (s.act.playing && s.act.layer == ActLayer::PRELU) || s.train.playing || s.train.pending_steps > 0 ||
         s.act.pending_steps > 0;
}

void ShowApp(AppState& s) {
  set_language(s.lang);
  if (!s.core_warm && ImGui::GetFrameCount() >= 5) warm_up_core(s);  // a few frames after the first is on screen
  ensure_computed(s);
  lab_tick(s);

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 o = vp->WorkPos, size = vp->WorkSize;
  const float font = ImGui::GetFontSize();
  // An embedding page may hide the left column and the bottom row (hash key `hide`).
  const float left_w = s.hidden.params ? 0.0f : std::min(std::max(22.0f * font, size.x * 0.25f), size.x * 0.45f);
  const bool bottom_row = !(s.hidden.code && s.hidden.formula);
  const float bottom_h = bottom_row ? std::clamp(size.y * 0.27f, 11.0f * font, 17.0f * font) : 0.0f;
  const float right_w = size.x - left_w;
  const float formula_w = right_w * 0.55f;

  char title[96];
  if (!s.hidden.params) {
    ImGui::SetNextWindowPos(o);
    ImGui::SetNextWindowSize(ImVec2(left_w, size.y));
    ImGui::Begin("##parameters", nullptr, kFixed | ImGuiWindowFlags_NoTitleBar);
    title_bar(s);
    if (!s.hidden.labs) lab_picker(s);
    if (s.lab == Lab::POOL)
      ShowParametersPanel(s);
    else
      ShowLabParameters(s);
    // Room to scroll the last widgets clear of the page's buttons over the panel's bottom-left corner.
    ImGui::Dummy(ImVec2(0.0f, 2.5f * font));
    ImGui::End();
  }

  if (s.lab != Lab::POOL) {
    const StringId names[] = {STR_LAB_POOL, STR_LAB_ACTIVATION, STR_LAB_LINEAR, STR_LAB_GRADIENT, STR_LAB_TRAIN};
    ImGui::SetNextWindowPos(ImVec2(o.x + left_w, o.y));
    ImGui::SetNextWindowSize(ImVec2(right_w, size.y));
    std::snprintf(title, sizeof title, "%s  ·  lab=%s###labview", tr(names[static_cast<int>(s.lab)]), lab_name(s.lab));
    ImGui::Begin(title, nullptr, kFixed | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoScrollbar);
    ShowLabView(s);
    ImGui::End();
    ensure_computed(s);
    return;
  }

  ImGui::SetNextWindowPos(ImVec2(o.x + left_w, o.y));
  ImGui::SetNextWindowSize(ImVec2(right_w, size.y - bottom_h));
  std::snprintf(title, sizeof title, "%s  ·  %s###tensors", tr(STR_TENSORS), layer_name(s.layer));
  ImGui::Begin(title, nullptr, kFixed | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoScrollbar);
  ShowTensorsPanel(s);
  if (s.result.valid) {
    // Performance overlay: what the core took for the result on screen.
    // Browsers give timers a 0.1 ms grain, so a faster call reads as 0 there;
    // the desktop's clock is finer than the two decimals shown.
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
    ImGui::GetForegroundDrawList()->AddText(ImVec2(wpos.x + ImGui::GetWindowWidth() - tsize.x - 12.0f, wpos.y + 4.0f),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled), perf);
  }
  ImGui::End();

  // Bottom row: the formula and the code share it, or one takes it all.
  const float formula_width = s.hidden.code ? right_w : s.hidden.formula ? 0.0f : formula_w;
  if (bottom_row && !s.hidden.formula) {
    ImGui::SetNextWindowPos(ImVec2(o.x + left_w, o.y + size.y - bottom_h));
    ImGui::SetNextWindowSize(ImVec2(formula_width, bottom_h));
    std::snprintf(title, sizeof title, "%s###formula", tr(STR_FORMULA));
    ImGui::Begin(title, nullptr, kFixed | ImGuiWindowFlags_HorizontalScrollbar);
    ShowFormulaPanel(s);
    ImGui::End();
  }
  if (bottom_row && !s.hidden.code) {
    ImGui::SetNextWindowPos(ImVec2(o.x + left_w + formula_width, o.y + size.y - bottom_h));
    ImGui::SetNextWindowSize(ImVec2(right_w - formula_width, bottom_h));
    std::snprintf(title, sizeof title, "%s###code", tr(STR_CODE));
    ImGui::Begin(title, nullptr, kFixed);
    ShowCodePanel(s);
    ImGui::End();
  }

  ensure_computed(s);  // a widget changed something this frame: the next frame shows it
}

void apply_app_style(float scale) {
  ImGui::StyleColorsDark();
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
  ImVec4* c = st.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.07f, 0.08f, 0.10f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.11f, 0.12f, 0.15f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.22f, 0.24f, 0.30f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.11f, 0.13f, 0.17f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.13f, 0.17f, 0.24f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.18f, 0.23f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.26f, 0.34f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.31f, 0.42f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.18f, 0.23f, 0.32f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.36f, 0.52f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.20f, 0.45f, 0.75f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.35f, 0.62f, 0.95f, 1.0f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.50f, 0.75f, 1.0f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.50f, 0.80f, 1.0f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.30f, 0.45f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.25f, 0.38f, 0.56f, 1.0f);
  c[ImGuiCol_Separator] = ImVec4(0.25f, 0.30f, 0.40f, 1.0f);
  st.ScaleAllSizes(scale);
}

}  // namespace app

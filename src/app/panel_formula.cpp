// panel_formula.cpp — ShowFormulaPanel: the output-size formula filled in per axis.
//
// The numbers come from shape.h's pooling_output_size(), the same function the
// kernels use; this panel only spells out the intermediate steps.
#include <cstdio>

#include "core/shape.h"
#include "core/tensor.h"
#include "imgui.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

constexpr ImVec4 kActive(0.55f, 0.85f, 1.0f, 1.0f);
constexpr ImVec4 kInactive(0.55f, 0.55f, 0.6f, 1.0f);
constexpr ImVec4 kOrange(1.0f, 0.65f, 0.0f, 1.0f);
constexpr ImVec4 kError(1.0f, 0.45f, 0.45f, 1.0f);

long long floor_div(long long a, long long b) {
  const long long q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

void axis(const char* name, const char* L_name, int L, int k, int s, int p, int d, bool ceil_mode, bool has_ceil,
          bool unpool, bool rejected) {
  ImGui::PushStyleColor(ImGuiCol_Text, kActive);
  ImGui::Text("%s", name);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::TextDisabled("%s=%d  kernel_size=%d  stride=%d  padding=%d  dilation=%d", L_name, L, k, s, p, d);
  if (s <= 0) {
    ImGui::TextColored(ImVec4(1, 0.42f, 0.42f, 1), "stride > 0");
    return;
  }
  const long long span = static_cast<long long>(L) + 2LL * p - static_cast<long long>(d) * (k - 1) - 1;
  const ll::PoolingSize fl = ll::pooling_output_size(L, k, p, s, d, false);
  const ll::PoolingSize ce = ll::pooling_output_size(L, k, p, s, d, true);
  ImGui::Indent();
  ImGui::PushStyleColor(ImGuiCol_Text, (!ceil_mode || !has_ceil) ? kActive : kInactive);
  ImGui::Text("floor((%d + 2*%d - %d*(%d-1) - 1) / %d) + 1 = floor(%lld/%d) + 1 = %lld", L, p, d, k, s, span, s,
              static_cast<long long>(fl.size));
  ImGui::PopStyleColor();
  if (has_ceil) {
    const long long raw = floor_div(span + s - 1, s) + 1;
    ImGui::PushStyleColor(ImGuiCol_Text, ceil_mode ? kActive : kInactive);
    ImGui::Text("ceil(%lld/%d) + 1 = %lld;  (%lld-1)*%d = %lld %s %s + padding = %lld  ->  %lld", span, s, raw, raw, s,
                (raw - 1) * s, ce.ceil_dropped ? ">=" : "<", L_name, static_cast<long long>(L) + p,
                static_cast<long long>(ce.size));
    ImGui::PopStyleColor();
    if (ce.ceil_dropped) {
      ImGui::PushStyleColor(ImGuiCol_Text, kInactive);
      ImGui::TextWrapped("%s %s", tr(STR_CEIL_DROPPED), tr(STR_CEIL_RULE));
      ImGui::PopStyleColor();
    } else if (ce.size > fl.size) {
      ImGui::PushStyleColor(ImGuiCol_Text, kOrange);
      ImGui::TextWrapped("%s", tr(STR_CEIL_ADDED));
      ImGui::PopStyleColor();
    } else {
      ImGui::TextDisabled("%s", tr(STR_NO_CEIL_EFFECT));
    }
  }
  if (unpool) {
    ImGui::Text("MaxUnpool2d: (%lld-1)*%d - 2*%d + %d = %lld", static_cast<long long>(fl.size), s, p, k,
                (fl.size - 1) * s - 2LL * p + k);
  }
  if (!rejected) {  // for rejected parameters the numbers above are arithmetic, not PyTorch's answer
    ImGui::Text("%s: %lld", tr(STR_PYTORCH_GIVES),
                static_cast<long long>(unpool ? L : (ceil_mode && has_ceil ? ce.size : fl.size)));
  }
  ImGui::Unindent();
}

}  // namespace

void ShowFormulaPanel(AppState& s) {
  const PoolParams& p = s.params;
  const bool max = s.layer == PoolLayer::MAX_POOL2D;
  const bool unpool = s.layer == PoolLayer::MAX_UNPOOL2D;
  const PairParam st = p.stride_is_none ? p.kernel_size : p.stride;
  const PairParam dil = max ? p.dilation : PairParam{1, 1, true};
  const bool has_ceil = !unpool;

  if (s.result.valid) {
    char buf[160];
    std::snprintf(buf, sizeof buf, tr(STR_SHAPES), ll::shape_to_string(s.result.input_shape).c_str(),
                  ll::shape_to_string(s.result.output_shape).c_str());
    ImGui::TextUnformatted(buf);
  }
  const bool rejected = !s.error.empty();
  if (rejected) {
    ImGui::PushStyleColor(ImGuiCol_Text, kError);
    ImGui::TextWrapped("%s %s", tr(STR_PYTORCH_REJECTS), s.error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::TextDisabled("out = floor((L + 2*padding - dilation*(kernel_size-1) - 1) / stride) + 1");
  axis(tr(STR_HEIGHT), "H", s.input.h, p.kernel_size.h, st.h, p.padding.h, dil.h, p.ceil_mode, has_ceil, unpool,
       rejected);
  ImGui::Spacing();
  axis(tr(STR_WIDTH), "W", s.input.w, p.kernel_size.w, st.w, p.padding.w, dil.w, p.ceil_mode, has_ceil, unpool,
       rejected);
  if (unpool) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, kInactive);
    ImGui::TextWrapped("%s", tr(STR_UNPOOL_FORMULA));
    ImGui::PopStyleColor();
  }
}

}  // namespace app

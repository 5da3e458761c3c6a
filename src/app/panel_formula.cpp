// panel_formula.cpp — ShowFormulaPanel: the output-size formula filled in per axis.
//
// The numbers come from shape.h's pooling_output_size(), the same function the
// kernels use; this panel only spells out the intermediate steps.
#include <cstdio>
#include <exception>
#include <optional>
#include <utility>

#include "core/layers/max_unpool2d.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "imgui.h"
#include "panels.h"
#include "quiz.h"
#include "strings.h"

namespace app {

namespace {


// One axis of the formula. Every number printed is the core's: pooling_output_size()
// gives the span, both sizes and whether ceil_mode's window was dropped, and
// `unpool_default` is MaxUnpool2d's default size from MaxUnpool2d::output_shape().
void axis(const char* name, const char* L_name, int L, int k, int s, int p, int d, bool show_dilation,
          bool ceil_mode, bool has_ceil, long long unpool_default, bool rejected) {
  const bool unpool = unpool_default >= 0;
  ImGui::PushStyleColor(ImGuiCol_Text, palette().accent);
  ImGui::Text("%s", name);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  if (show_dilation)
    ImGui::TextDisabled("%s=%d  kernel_size=%d  stride=%d  padding=%d  dilation=%d", L_name, L, k, s, p, d);
  else
    ImGui::TextDisabled("%s=%d  kernel_size=%d  stride=%d  padding=%d", L_name, L, k, s, p);
  if (s <= 0) {
    ImGui::TextColored(palette().error, "stride > 0");
    return;
  }
  const ll::PoolingSize fl = ll::pooling_output_size(L, k, p, s, d, false);
  const ll::PoolingSize ce = ll::pooling_output_size(L, k, p, s, d, true);
  const long long span = static_cast<long long>(fl.span);
  ImGui::Indent();
  ImGui::PushStyleColor(ImGuiCol_Text, (!ceil_mode || !has_ceil) ? palette().accent : palette().text_dim);
  if (show_dilation)
    ImGui::Text("floor((%d + 2*%d - %d*(%d-1) - 1) / %d) + 1 = floor(%lld/%d) + 1 = %lld", L, p, d, k, s, span, s,
                static_cast<long long>(fl.size));
  else
    ImGui::Text("floor((%d + 2*%d - %d) / %d) + 1 = floor(%lld/%d) + 1 = %lld", L, p, k, s, span, s,
                static_cast<long long>(fl.size));
  ImGui::PopStyleColor();
  if (has_ceil) {
    const long long raw = static_cast<long long>(ce.ceil_size);
    ImGui::PushStyleColor(ImGuiCol_Text, ceil_mode ? palette().accent : palette().text_dim);
    ImGui::Text("ceil(%lld/%d) + 1 = %lld;  (%lld-1)*%d = %lld %s %s + padding = %lld  ->  %lld", span, s, raw, raw, s,
                static_cast<long long>(ce.last_start), ce.ceil_dropped ? ">=" : "<", L_name,
                static_cast<long long>(ce.drop_limit), static_cast<long long>(ce.size));
    ImGui::PopStyleColor();
    if (ceil_mode && ce.ceil_dropped) {
      ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
      ImGui::TextWrapped("%s %s", tr(STR_CEIL_DROPPED), tr(STR_CEIL_RULE));
      ImGui::PopStyleColor();
    } else if (ce.size > fl.size) {
      ImGui::PushStyleColor(ImGuiCol_Text, palette().warn);
      ImGui::TextWrapped("%s", tr(STR_CEIL_ADDED));
      ImGui::PopStyleColor();
    } else {
      ImGui::TextDisabled("%s", tr(STR_NO_CEIL_EFFECT));
    }
  }
  if (unpool) {
    // The default comes from the pooling's parameters; the code passes output_size=x.shape, so
    // PyTorch's size is the input's: both said next to the numbers.
    ImGui::Text("MaxUnpool2d: (%lld-1)*%d - 2*%d + %d = %lld", static_cast<long long>(fl.size), s, p, k, unpool_default);
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
    ImGui::TextWrapped("%s", tr(STR_UNPOOL_DEFAULT_NOTE));
    ImGui::PopStyleColor();
  }
  if (!rejected) {  // for rejected parameters the numbers above are arithmetic, not PyTorch's answer
    ImGui::Text("%s: %lld%s", tr(STR_PYTORCH_GIVES),
                static_cast<long long>(unpool ? L : (ceil_mode && has_ceil ? ce.size : fl.size)),
                unpool ? "  (output_size=x.shape)" : "");
  }
  ImGui::Unindent();
}

// MaxUnpool2d's default output size (H, W) for the pooled size the formula shows, from the core;
// {-1, -1} when the core rejects the parameters.
std::pair<long long, long long> unpool_default_size(const PoolParams& p, const PairParam& st, int pooled_h,
                                                    int pooled_w) {
  try {
    const ll::MaxUnpool2d unpool({{p.kernel_size.h, p.kernel_size.w}, ll::IntList{st.h, st.w}, {p.padding.h, p.padding.w}});
    const ll::Shape out = unpool.output_shape({1, 1, pooled_h, pooled_w}, std::nullopt);
    return {out[2], out[3]};
  } catch (const std::exception&) {
    return {-1, -1};
  }
}

}  // namespace

void ShowFormulaPanel(AppState& s) {
  if (quiz_pending(s)) {  // the formula and the code would answer the question
    ImGui::TextDisabled("%s", tr(STR_QUIZ_FIRST));
    return;
  }
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
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    ImGui::TextWrapped("%s %s", tr(STR_PYTORCH_REJECTS), s.error.c_str());
    ImGui::PopStyleColor();
  }
  if (max)
    ImGui::TextDisabled("out = floor((L + 2*padding - dilation*(kernel_size-1) - 1) / stride) + 1");
  else
    ImGui::TextDisabled("out = floor((L + 2*padding - kernel_size) / stride) + 1");
  std::pair<long long, long long> unpool_default{-1, -1};
  if (unpool && st.h > 0 && st.w > 0) {
    const ll::PoolingSize ph = ll::pooling_output_size(s.input.h, p.kernel_size.h, p.padding.h, st.h, 1, false);
    const ll::PoolingSize pw = ll::pooling_output_size(s.input.w, p.kernel_size.w, p.padding.w, st.w, 1, false);
    if (ph.size > 0 && pw.size > 0)
      unpool_default = unpool_default_size(p, st, static_cast<int>(ph.size), static_cast<int>(pw.size));
  }
  axis(tr(STR_HEIGHT), "H", s.input.h, p.kernel_size.h, st.h, p.padding.h, dil.h, max, p.ceil_mode, has_ceil,
       unpool ? unpool_default.first : -1, rejected);
  ImGui::Spacing();
  axis(tr(STR_WIDTH), "W", s.input.w, p.kernel_size.w, st.w, p.padding.w, dil.w, max, p.ceil_mode, has_ceil,
       unpool ? unpool_default.second : -1, rejected);
  if (unpool) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
    ImGui::TextWrapped("%s", tr(STR_UNPOOL_FORMULA));
    ImGui::PopStyleColor();
  }
}

}  // namespace app

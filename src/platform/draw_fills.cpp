#include "draw_fills.h"

#include "gl.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

namespace platform {

namespace {

struct DrawnRect {
  float x0, y0, x1, y1;
};

bool overlaps(const DrawnRect& a, const DrawnRect& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

const ImDrawVert& vertex(const ImDrawList& list, const ImDrawCmd& cmd, unsigned k) {
  return list.VtxBuffer[static_cast<int>(list.IdxBuffer[static_cast<int>(cmd.IdxOffset + k)] + cmd.VtxOffset)];
}

// The rectangle indices k..k+5 of `cmd` draw, if they draw one opaque
// axis-aligned rectangle of a single colour from the font atlas's white pixel
// (the shader's texel is then (1, 1, 1, 1) and blending writes the colour):
// two triangles of three corners each that leave out opposite corners, so that
// together they cover the rectangle once.
bool opaque_rect(const ImDrawList& list, const ImDrawCmd& cmd, unsigned k, ImVec2 white, DrawnRect& r, ImU32& color) {
  if (cmd.UserCallback != nullptr || k + 6 > cmd.ElemCount) return false;
  float xs[6], ys[6];
  color = vertex(list, cmd, k).col;
  if ((color >> IM_COL32_A_SHIFT) != 0xFF) return false;
  for (unsigned q = 0; q < 6; ++q) {
    const ImDrawVert& v = vertex(list, cmd, k + q);
    if (v.col != color || v.uv.x != white.x || v.uv.y != white.y) return false;
    xs[q] = v.pos.x;
    ys[q] = v.pos.y;
  }
  r = {*std::min_element(xs, xs + 6), *std::min_element(ys, ys + 6), *std::max_element(xs, xs + 6),
       *std::max_element(ys, ys + 6)};
  if (!(r.x0 < r.x1 && r.y0 < r.y1)) return false;
  int left_out[2];  // the corner (bit 0: right, bit 1: bottom) each triangle leaves out
  for (int t = 0; t < 2; ++t) {
    int seen = 0;
    for (int q = 3 * t; q < 3 * t + 3; ++q) {
      const bool right = xs[q] == r.x1, bottom = ys[q] == r.y1;
      if ((!right && xs[q] != r.x0) || (!bottom && ys[q] != r.y0)) return false;  // not a corner
      const int corner = (right ? 1 : 0) | (bottom ? 2 : 0);
      if (seen & (1 << corner)) return false;  // degenerate
      seen |= 1 << corner;
    }
    left_out[t] = __builtin_ctz(~seen & 0xF);
  }
  return (left_out[0] ^ left_out[1]) == 3;
}

// The pixels [i0, i1) whose centres lie inside [a, b), unless a bound lies
// within 1/64 px of a centre, where rasterizers' tie rules and rounding differ.
bool covered_pixels(float a, float b, int& i0, int& i1) {
  for (const float e : {a, b}) {
    if (std::fabs(e - std::floor(e) - 0.5f) < 1.0f / 64) return false;
  }
  i0 = static_cast<int>(std::ceil(a - 0.5f));
  i1 = static_cast<int>(std::ceil(b - 0.5f));
  return true;
}

std::vector<ClearRect> g_clears;  // the current frame's, read by clear_callback

void clear_callback(const ImDrawList*, const ImDrawCmd* cmd) {
  const ClearRect& c = g_clears[static_cast<size_t>(reinterpret_cast<intptr_t>(cmd->UserCallbackData))];
  glScissor(c.x, c.y, c.w, c.h);  // the backend sets its own before each draw
  glClearColor(c.r, c.g, c.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

// The pixels (GL coordinates) the rectangle's triangles cover inside the
// scissor box the backend sets for `cmd`; false if that can't be told exactly.
bool clear_box(const ImDrawData& data, const ImDrawCmd& cmd, const DrawnRect& r, int fb_height, ClearRect& out) {
  const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
  int x0 = 0, x1 = 0, top = 0, bottom = 0;
  if (!covered_pixels((r.x0 - off.x) * scale.x, (r.x1 - off.x) * scale.x, x0, x1) ||
      !covered_pixels((r.y0 - off.y) * scale.y, (r.y1 - off.y) * scale.y, top, bottom))
    return false;
  int sx = 0, sy = 0, sw = 0, sh = 0;
  if (!backend_scissor(data, cmd.ClipRect, fb_height, sx, sy, sw, sh)) return false;  // the backend skips the command
  const int gx0 = std::max(x0, sx), gx1 = std::min(x1, sx + sw);
  const int gy0 = std::max(fb_height - bottom, sy), gy1 = std::min(fb_height - top, sy + sh);
  out.x = gx0;
  out.y = gy0;
  out.w = std::max(0, gx1 - gx0);
  out.h = std::max(0, gy1 - gy0);
  return true;
}

}  // namespace

bool backend_scissor(const ImDrawData& data, const ImVec4& clip, int fb_height, int& x, int& y, int& w, int& h) {
  const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
  const ImVec2 clip_min((clip.x - off.x) * scale.x, (clip.y - off.y) * scale.y);
  const ImVec2 clip_max((clip.z - off.x) * scale.x, (clip.w - off.y) * scale.y);
  if (!(clip_max.x > clip_min.x && clip_max.y > clip_min.y)) return false;
  // Far outside any framebuffer the casts would overflow; no pixel is there.
  constexpr float kFar = 1e7f;
  if (!(std::fabs(clip_min.x) < kFar && std::fabs(clip_min.y) < kFar && std::fabs(clip_max.x) < kFar && std::fabs(clip_max.y) < kFar))
    return false;
  x = static_cast<int>(clip_min.x);
  y = static_cast<int>(static_cast<float>(fb_height) - clip_max.y);
  w = static_cast<int>(clip_max.x - clip_min.x);
  h = static_cast<int>(clip_max.y - clip_min.y);
  return true;
}

// The fixed panels tile the canvas in the colour glClear has just written, so
// under SwiftShader their backgrounds were half the pixels a frame shades (1.0
// of 2.0 M px at 1280x800, 15 ms of the GPU process's 75 ms a frame, measured).
// A background over anything drawn before it (a window in front of another) is
// kept. ImGui draws a window's background first, as the first 6 indices of its
// first command.
void drop_backgrounds_over_clear(ImDrawData* data, ImU32 clear_color) {
  if ((clear_color >> IM_COL32_A_SHIFT) != 0xFF) return;
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  std::vector<DrawnRect> drawn;  // what each command before may have painted (vertex bounds within its clip)
  for (int i = 0; i < data->CmdListsCount; ++i) {
    ImDrawList& list = *data->CmdLists[i];
    if (list.CmdBuffer.Size == 0) continue;
    ImDrawCmd& first = list.CmdBuffer[0];
    DrawnRect bg;
    ImU32 color = 0;
    if (opaque_rect(list, first, 0, white, bg, color) && color == clear_color &&
        std::none_of(drawn.begin(), drawn.end(), [&](const DrawnRect& d) { return overlaps(d, bg); })) {
      first.IdxOffset += 6;
      first.ElemCount -= 6;
    }
    for (const ImDrawCmd& c : list.CmdBuffer) {
      if (c.UserCallback != nullptr || c.ElemCount == 0) continue;
      DrawnRect b{FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};
      for (unsigned k = 0; k < c.ElemCount; ++k) {
        const ImVec2 v = vertex(list, c, k).pos;
        b = {std::min(b.x0, v.x), std::min(b.y0, v.y), std::max(b.x1, v.x), std::max(b.y1, v.y)};
      }
      b = {std::max(b.x0, c.ClipRect.x), std::max(b.y0, c.ClipRect.y), std::min(b.x1, c.ClipRect.z),
           std::min(b.y1, c.ClipRect.w)};
      if (b.x0 < b.x1 && b.y0 < b.y1) drawn.push_back(b);
    }
  }
}

int fills_as_clears(ImDrawData* data, int fb_height, int min_pixels) {
  g_clears.clear();
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  const ImTextureID atlas = ImGui::GetIO().Fonts->TexID;
  ImVector<ImDrawCmd> out;
  for (int i = 0; i < data->CmdListsCount; ++i) {
    ImDrawList& list = *data->CmdLists[i];
    out.resize(0);
    bool changed = false;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback != nullptr || cmd.TextureId != atlas) {
        out.push_back(cmd);
        continue;
      }
      unsigned start = 0;  // of the part of `cmd` not yet emitted
      for (unsigned k = 0; k + 6 <= cmd.ElemCount; k += 3) {
        DrawnRect r;
        ImU32 color = 0;
        ClearRect box;
        if (!opaque_rect(list, cmd, k, white, r, color) ||
            (r.x1 - r.x0) * (r.y1 - r.y0) * data->FramebufferScale.x * data->FramebufferScale.y < static_cast<float>(min_pixels) ||
            !clear_box(*data, cmd, r, fb_height, box))
          continue;
        if (k > start) {
          ImDrawCmd part = cmd;
          part.IdxOffset = cmd.IdxOffset + start;
          part.ElemCount = k - start;
          out.push_back(part);
        }
        if (box.w > 0 && box.h > 0) {
          const ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
          box.r = c.x;
          box.g = c.y;
          box.b = c.z;
          out.push_back(clear_command(cmd, box));
        }
        changed = true;
        start = k + 6;
        k += 3;  // with the loop's 3: past the rectangle
      }
      if (start == 0) {
        out.push_back(cmd);
      } else if (start < cmd.ElemCount) {
        ImDrawCmd rest = cmd;
        rest.IdxOffset = cmd.IdxOffset + start;
        rest.ElemCount = cmd.ElemCount - start;
        out.push_back(rest);
      }
    }
    if (changed) list.CmdBuffer.swap(out);
  }
  return static_cast<int>(g_clears.size());
}

const ClearRect* clear_of(const ImDrawCmd& cmd) {
  if (cmd.UserCallback != clear_callback) return nullptr;
  const size_t i = static_cast<size_t>(reinterpret_cast<intptr_t>(cmd.UserCallbackData));
  return i < g_clears.size() ? &g_clears[i] : nullptr;
}

ImDrawCmd clear_command(const ImDrawCmd& like, const ClearRect& box) {
  ImDrawCmd clear = like;
  clear.ElemCount = 0;
  clear.UserCallback = clear_callback;
  clear.UserCallbackData = reinterpret_cast<void*>(static_cast<intptr_t>(g_clears.size()));
  g_clears.push_back(box);
  return clear;
}

}  // namespace platform

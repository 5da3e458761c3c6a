#include "retained_frame.h"

#include "gl.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "backends/imgui_impl_opengl3.h"
#include "draw_fills.h"

namespace platform {

namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

uint64_t bits(float f) {
  uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

uint64_t mix_floats(uint64_t h, std::initializer_list<float> fs) {
  for (const float f : fs) h = mix(h, bits(f));
  return h;
}

// The float c for which the backend's (c - off) * scale is exactly `target`
// (a scissor edge on a whole pixel), if there is one within a few ulps.
bool clip_coordinate(float target, float off, float scale, float& out) {
  float up = target / scale + off, down = up;
  for (int i = 0; i < 4; ++i) {
    if ((up - off) * scale == target) {
      out = up;
      return true;
    }
    if ((down - off) * scale == target) {
      out = down;
      return true;
    }
    up = std::nextafter(up, FLT_MAX);
    down = std::nextafter(down, -FLT_MAX);
  }
  return false;
}

// Framebuffer pixel bounds (floor, ceil) of a float coordinate, kept within [0, limit].
int pixel_floor(float v, int limit) { return static_cast<int>(std::floor(std::fmax(0.0f, std::fmin(v, static_cast<float>(limit))))); }
int pixel_ceil(float v, int limit) { return static_cast<int>(std::ceil(std::fmax(0.0f, std::fmin(v, static_cast<float>(limit))))); }

}  // namespace

// The backend's scissor box for `cmd` (draw_fills.h), as a box; false if it skips the command.
bool RetainedFrame::scissor_of(const ImDrawData& data, const ImDrawCmd& cmd, Box& out) const {
  int x = 0, y = 0, w = 0, h = 0;
  if (!backend_scissor(data, cmd.ClipRect, h_, x, y, w, h)) return false;
  out = {x, h_ - (y + h), x + w, h_ - y};
  return true;
}

bool RetainedFrame::ensure_target(int w, int h) {
  if (fbo_ != 0 && w == w_ && h == h_) return true;
  release();
  GLint last_texture = 0, last_fbo = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &last_fbo);
  GLuint tex = 0, fbo = 0;
  glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glGenFramebuffers(1, &fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
  const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(last_fbo));
  fbo_ = fbo;
  color_ = tex;
  if (!complete) {
    release();
    usable_ = false;
    return false;
  }
  w_ = w;
  h_ = h;
  cols_ = (w + kTile - 1) / kTile;
  rows_ = (h + kTile - 1) / kTile;
  valid_ = false;
  return true;
}

void RetainedFrame::release() {
  if (fbo_ != 0) {
    const GLuint fbo = fbo_;
    glDeleteFramebuffers(1, &fbo);
  }
  if (color_ != 0) {
    const GLuint tex = color_;
    glDeleteTextures(1, &tex);
  }
  fbo_ = color_ = 0;
  w_ = h_ = 0;
  valid_ = false;
}

// Each tile's hash folds in, in draw order, everything that can change one of
// its pixels: the clear colour and the projection, then each clear and each
// triangle whose pixel bounds meet the tile, with the command's scissor, texture
// and that texture's upload count. False for a callback whose drawing can't be
// told (the frame is then redrawn whole).
bool RetainedFrame::hash_tiles(const ImDrawData& data, ImVec4 clear) {
  const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
  const uint64_t seed = mix_floats(0x4c617965724c6162ULL, {clear.x, clear.y, clear.z, clear.w, off.x, off.y, data.DisplaySize.x,
                                                          data.DisplaySize.y, scale.x, scale.y});
  hashes_.assign(static_cast<size_t>(cols_) * static_cast<size_t>(rows_), seed);
  const auto packed = [](const Box& b) {
    return static_cast<uint64_t>(b.x0) | static_cast<uint64_t>(b.y0) << 16 | static_cast<uint64_t>(b.x1) << 32 |
           static_cast<uint64_t>(b.y1) << 48;
  };
  const auto fold = [&](const Box& b, uint64_t h) {
    for (int ty = b.y0 / kTile; ty <= (b.y1 - 1) / kTile; ++ty)
      for (int tx = b.x0 / kTile; tx <= (b.x1 - 1) / kTile; ++tx) {
        uint64_t& t = hashes_[static_cast<size_t>(ty) * static_cast<size_t>(cols_) + static_cast<size_t>(tx)];
        t = mix(t, h);
      }
  };
  triangle_boxes_.resize(static_cast<size_t>(data.CmdListsCount));
  for (int i = 0; i < data.CmdListsCount; ++i) {
    const ImDrawList& list = *data.CmdLists[i];
    std::vector<Box>& boxes = triangle_boxes_[static_cast<size_t>(i)];
    boxes.assign(static_cast<size_t>(list.IdxBuffer.Size / 3), Box{0, 0, 0, 0});
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback == ImDrawCallback_ResetRenderState) continue;
      if (cmd.UserCallback != nullptr) {
        const ClearRect* c = clear_of(cmd);
        if (c == nullptr) return false;
        const Box b{std::max(0, c->x), std::max(0, h_ - (c->y + c->h)), std::min(w_, c->x + c->w), std::min(h_, h_ - c->y)};
        if (b.x0 < b.x1 && b.y0 < b.y1) fold(b, mix(mix_floats(seed, {c->r, c->g, c->b}), packed(b)));
        continue;
      }
      if (cmd.IdxOffset % 3 != 0) return false;
      Box s;
      if (!scissor_of(data, cmd, s)) continue;  // the backend draws nothing
      s = {std::max(0, s.x0), std::max(0, s.y0), std::min(w_, s.x1), std::min(h_, s.y1)};
      if (s.x0 >= s.x1 || s.y0 >= s.y1) continue;
      const auto version = texture_versions_.find(cmd.TextureId);
      uint64_t cmd_seed = mix(seed, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(cmd.TextureId)));
      cmd_seed = mix(cmd_seed, version == texture_versions_.end() ? 0 : version->second);
      cmd_seed = mix(cmd_seed, packed(s));
      for (unsigned k = 0; k + 3 <= cmd.ElemCount; k += 3) {
        const unsigned first = cmd.IdxOffset + k;
        float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
        uint64_t h = cmd_seed;
        for (unsigned q = 0; q < 3; ++q) {
          const ImDrawVert& v = list.VtxBuffer[static_cast<int>(list.IdxBuffer[static_cast<int>(first + q)] + cmd.VtxOffset)];
          h = mix(h, bits(v.pos.x) | bits(v.pos.y) << 32);
          h = mix(h, bits(v.uv.x) | bits(v.uv.y) << 32);
          h = mix(h, v.col);
          const float x = (v.pos.x - off.x) * scale.x, y = (v.pos.y - off.y) * scale.y;
          x0 = std::fmin(x0, x);
          y0 = std::fmin(y0, y);
          x1 = std::fmax(x1, x);
          y1 = std::fmax(y1, y);
        }
        // Every pixel whose centre the triangle can cover, within the scissor.
        const Box b{std::max(s.x0, pixel_floor(x0, w_)), std::max(s.y0, pixel_floor(y0, h_)),
                    std::min(s.x1, pixel_ceil(x1, w_)), std::min(s.y1, pixel_ceil(y1, h_))};
        if (b.x0 >= b.x1 || b.y0 >= b.y1) continue;
        boxes[first / 3] = b;
        fold(b, h);
      }
    }
  }
  return true;
}

// The changed tiles as boxes: runs along each row, a run continued downwards
// while the rows below have the same run.
std::vector<RetainedFrame::Box> RetainedFrame::changed_boxes() const {
  std::vector<Box> boxes;
  for (int ty = 0; ty < rows_; ++ty) {
    for (int tx = 0; tx < cols_;) {
      const auto changed = [&](int x) {
        const size_t t = static_cast<size_t>(ty) * static_cast<size_t>(cols_) + static_cast<size_t>(x);
        return hashes_[t] != last_[t];
      };
      if (!changed(tx)) {
        ++tx;
        continue;
      }
      int end = tx + 1;
      while (end < cols_ && changed(end)) ++end;
      const Box run{tx * kTile, ty * kTile, std::min(w_, end * kTile), std::min(h_, (ty + 1) * kTile)};
      const auto above = std::find_if(boxes.begin(), boxes.end(),
                                      [&](const Box& b) { return b.x0 == run.x0 && b.x1 == run.x1 && b.y1 == run.y0; });
      if (above != boxes.end()) {
        above->y1 = run.y1;
      } else {
        boxes.push_back(run);
      }
      tx = end;
    }
  }
  if (boxes.size() > static_cast<size_t>(kMaxBoxes)) {
    Box all = boxes[0];
    for (const Box& b : boxes) all = {std::min(all.x0, b.x0), std::min(all.y0, b.y0), std::max(all.x1, b.x1), std::max(all.y1, b.y1)};
    boxes.assign(1, all);
  }
  return boxes;
}

// Draws every command once per box it meets, scissored to the box and with
// only the triangles that can reach it; the boxes don't overlap, so each pixel
// sees the commands of one box, in their order. False, with nothing drawn, if
// a scissor can't be expressed exactly as the backend computes it.
bool RetainedFrame::draw_clipped(ImDrawData* data, const std::vector<Box>& boxes) {
  struct Clipped {
    ImDrawList* list = nullptr;
    ImVector<ImDrawCmd> cmds;
    ImVector<ImDrawIdx> idx;
  };
  std::vector<Clipped> clipped;
  clipped.reserve(static_cast<size_t>(data->CmdListsCount));  // ImVector has no move: never reallocate
  const ImVec2 off = data->DisplayPos, scale = data->FramebufferScale;
  for (int i = 0; i < data->CmdListsCount; ++i) {
    ImDrawList& list = *data->CmdLists[i];
    const std::vector<Box>& tris = triangle_boxes_[static_cast<size_t>(i)];
    Clipped& c = clipped.emplace_back();
    c.list = &list;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
        c.cmds.push_back(cmd);
        continue;
      }
      if (cmd.UserCallback != nullptr) {  // a clear (hash_tiles saw no other callback)
        const ClearRect whole = *clear_of(cmd);
        for (const Box& b : boxes) {
          ClearRect part = whole;
          const int gx1 = std::min(whole.x + whole.w, b.x1), gy1 = std::min(whole.y + whole.h, h_ - b.y0);
          part.x = std::max(whole.x, b.x0);
          part.y = std::max(whole.y, h_ - b.y1);
          part.w = gx1 - part.x;
          part.h = gy1 - part.y;
          if (part.w > 0 && part.h > 0) c.cmds.push_back(clear_command(cmd, part));
        }
        continue;
      }
      Box s;
      if (!scissor_of(*data, cmd, s)) continue;
      for (const Box& b : boxes) {
        const Box r{std::max(s.x0, b.x0), std::max(s.y0, b.y0), std::min(s.x1, b.x1), std::min(s.y1, b.y1)};
        if (r.x0 >= r.x1 || r.y0 >= r.y1) continue;
        ImDrawCmd part = cmd;
        if (!clip_coordinate(static_cast<float>(r.x0), off.x, scale.x, part.ClipRect.x) ||
            !clip_coordinate(static_cast<float>(r.y0), off.y, scale.y, part.ClipRect.y) ||
            !clip_coordinate(static_cast<float>(r.x1), off.x, scale.x, part.ClipRect.z) ||
            !clip_coordinate(static_cast<float>(r.y1), off.y, scale.y, part.ClipRect.w))
          return false;
        part.IdxOffset = static_cast<unsigned>(c.idx.Size);
        for (unsigned k = 0; k + 3 <= cmd.ElemCount; k += 3) {
          const unsigned first = cmd.IdxOffset + k;
          const Box& t = tris[first / 3];
          if (t.x0 >= r.x1 || r.x0 >= t.x1 || t.y0 >= r.y1 || r.y0 >= t.y1) continue;
          for (unsigned q = 0; q < 3; ++q) c.idx.push_back(list.IdxBuffer[static_cast<int>(first + q)]);
        }
        part.ElemCount = static_cast<unsigned>(c.idx.Size) - part.IdxOffset;
        if (part.ElemCount > 0) c.cmds.push_back(part);
      }
    }
    if (c.cmds.empty()) clipped.pop_back();
  }
  ImDrawData only = *data;
  only.CmdLists.resize(0);
  for (Clipped& c : clipped) {
    c.list->CmdBuffer.swap(c.cmds);
    c.list->IdxBuffer.swap(c.idx);
    only.CmdLists.push_back(c.list);
  }
  only.CmdListsCount = only.CmdLists.Size;
  ImGui_ImplOpenGL3_RenderDrawData(&only);
  for (Clipped& c : clipped) {
    c.list->CmdBuffer.swap(c.cmds);
    c.list->IdxBuffer.swap(c.idx);
  }
  return true;
}

double RetainedFrame::draw(ImDrawData* data, int fb_w, int fb_h, ImVec4 clear, bool present_unchanged) {
  if (fb_w <= 0 || fb_h <= 0) return 0.0;
  const auto clear_boxes = [&](const std::vector<Box>& boxes) {
    glEnable(GL_SCISSOR_TEST);
    glClearColor(clear.x, clear.y, clear.z, clear.w);
    for (const Box& b : boxes) {
      glScissor(b.x0, h_ - b.y1, b.x1 - b.x0, b.y1 - b.y0);
      glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);
  };
  if (!usable_ || !ensure_target(fb_w, fb_h)) {  // the window's framebuffer, whole, as without this
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(clear.x, clear.y, clear.z, clear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(data);
    return 1.0;
  }
  const bool seen = hash_tiles(*data, clear);
  const std::vector<Box> whole{{0, 0, w_, h_}};
  std::vector<Box> boxes = valid_ && seen && !redraw_all_ ? changed_boxes() : whole;
  if (!boxes.empty()) {
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glViewport(0, 0, w_, h_);
    clear_boxes(boxes);
    if (boxes.size() != 1 || boxes[0].x0 != 0 || boxes[0].y0 != 0 || boxes[0].x1 != w_ || boxes[0].y1 != h_) {
      if (!draw_clipped(data, boxes)) {
        boxes = whole;
        clear_boxes(boxes);
        ImGui_ImplOpenGL3_RenderDrawData(data);
      }
    } else {
      ImGui_ImplOpenGL3_RenderDrawData(data);
    }
    valid_ = seen;
    last_.swap(hashes_);
  }
  if (!boxes.empty() || present_unchanged) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    // Chromium clears a drawing buffer it has shown at the next clear or draw
    // into it, and a blit is neither: the cleared buffer would replace the copy
    // (a print's still, drawn at rest, came out blank). One cleared pixel is one.
    glEnable(GL_SCISSOR_TEST);
    glScissor(0, 0, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
    glBlitFramebuffer(0, 0, w_, h_, 0, 0, w_, h_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  long pixels = 0;
  for (const Box& b : boxes) pixels += static_cast<long>(b.x1 - b.x0) * (b.y1 - b.y0);
  return static_cast<double>(pixels) / (static_cast<double>(w_) * h_);
}

}  // namespace platform

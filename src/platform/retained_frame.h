// retained_frame.h — each frame drawn only where it differs from the last one.
//
// Under SwiftShader a frame costs the GPU process CPU time for every triangle
// and pixel ImGui draws, and a student dragging a slider changes a sixth of the
// canvas a frame (the value, the output, the formula). The frame is drawn into
// a texture kept from frame to frame; the screen is cut into tiles, each tile
// remembers a hash of everything drawn over it (clear colour, triangles in
// order, their scissor and texture, that texture's uploads), and only the tiles
// whose hash changed are cleared and drawn again, each draw command clipped to
// them. The texture is then copied to the window. The bytes are those of a
// whole redraw: a pixel's value depends only on what is drawn over it.
//
//   RetainedFrame::draw             hash the tiles, redraw the changed ones, copy to the window
//   RetainedFrame::texture_changed  a texture's pixels were replaced (tiles showing it are redrawn)
//   RetainedFrame::invalidate       the next frame is redrawn whole (a font atlas rebuilt)
//   RetainedFrame::set_redraw_all   every frame redrawn whole, through the same texture (exactness tests)
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "imgui.h"

namespace platform {

class RetainedFrame {
 public:
  static constexpr int kTile = 32;      // framebuffer pixels on a tile's side
  static constexpr int kMaxBoxes = 48;  // more changed boxes than this: one box around them all

  // Draws `data` (after draw_fills' passes) over `clear`; returns the fraction
  // of the framebuffer redrawn (0 when nothing changed). The window gets the
  // frame unless nothing changed and `present_unchanged` is false (a WebGL
  // canvas not drawn into keeps showing the last frame).
  double draw(ImDrawData* data, int fb_w, int fb_h, ImVec4 clear, bool present_unchanged);
  void texture_changed(ImTextureID id) { ++texture_versions_[id]; }
  void set_redraw_all(bool on) { redraw_all_ = on; }  // every frame whole (exactness tests compare against it)
  void invalidate() { valid_ = false; }
  void release();  // the GL objects (before the context goes)

 private:
  struct Box {
    int x0, y0, x1, y1;  // framebuffer pixels, origin top-left, half-open
  };
  bool ensure_target(int w, int h);
  bool scissor_of(const ImDrawData& data, const ImDrawCmd& cmd, Box& out) const;
  bool hash_tiles(const ImDrawData& data, ImVec4 clear);
  std::vector<Box> changed_boxes() const;
  bool draw_clipped(ImDrawData* data, const std::vector<Box>& boxes);

  unsigned fbo_ = 0, color_ = 0;  // the kept frame
  int w_ = 0, h_ = 0, cols_ = 0, rows_ = 0;
  bool valid_ = false;    // the texture holds the last frame of `last_`
  bool usable_ = true;    // false if the framebuffer could not be made: draw straight to the window
  bool redraw_all_ = false;
  std::vector<uint64_t> hashes_, last_;                 // per tile, this frame's and the last drawn one's
  std::vector<std::vector<Box>> triangle_boxes_;        // per draw list, per triangle: pixels it may touch
  std::unordered_map<ImTextureID, uint64_t> texture_versions_;
};

}  // namespace platform

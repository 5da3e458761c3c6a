// draw_fills.h — the same frame with fewer shaded pixels, for software rasterizers.
//
// Under SwiftShader (Chromium without a GPU) and llvmpipe a frame's cost is the
// pixels ImGui's one shader shades: a textured, blended triangle per pixel,
// even for a flat opaque rectangle. These rewrite ImGui's draw data before the
// backend renders it, so that the framebuffer ends up with the same bytes:
//
//   drop_backgrounds_over_clear   a window background in the clear colour over nothing drawn yet: not drawn
//   fills_as_clears               any other opaque axis-aligned rectangle: a scissored glClear at its place
//                                 in the draw order (a fill, not a shading, in every rasterizer)
#pragma once

#include "imgui.h"

namespace platform {

void drop_backgrounds_over_clear(ImDrawData* data, ImU32 clear_color);

// Replaces each opaque rectangle of at least `min_pixels` (two triangles from
// the font atlas's white pixel, alpha 255, axis-aligned, no edge near a pixel
// centre) by a callback command that clears the pixels the two triangles cover,
// clipped as the backend clips the command, to the rectangle's colour. The
// commands around it are split; the order of everything drawn is unchanged.
// Returns how many were replaced. The callbacks read a table this fills, valid
// until the next call.
int fills_as_clears(ImDrawData* data, int fb_height, int min_pixels);

// The scissor box imgui_impl_opengl3 sets for a command clipped to `clip`,
// computed as it does (GL window coordinates); false if it skips the command.
bool backend_scissor(const ImDrawData& data, const ImVec4& clip, int fb_height, int& x, int& y, int& w, int& h);

// A clear a callback command does: GL window coordinates (origin bottom-left).
struct ClearRect {
  int x, y, w, h;
  float r, g, b;
};
const ClearRect* clear_of(const ImDrawCmd& cmd);  // the clear `cmd` does, or null if it is not one of these
ImDrawCmd clear_command(const ImDrawCmd& like, const ClearRect& box);  // a command that clears `box`

}  // namespace platform

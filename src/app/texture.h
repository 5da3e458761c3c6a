// texture.h — RGBA8 textures for the heatmaps.
//
// Declared here, implemented by the platform layer (OpenGL 3.3 on the desktop,
// WebGL2 in the browser), so src/app never includes a GL header. The returned
// handle is an ImTextureID for ImDrawList::AddImage.
#pragma once

#include <cstdint>

namespace app {

// Uploads `rgba` (width*height pixels, row-major, R in the low byte) into
// `texture`, creating it when null; nearest-neighbour sampling. Returns the handle.
void* texture_update(void* texture, const uint32_t* rgba, int width, int height);
void texture_delete(void* texture);  // null is ignored

}  // namespace app

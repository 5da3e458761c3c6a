// png_write.h — a minimal PNG writer (8-bit RGB, zlib-compressed) for --screenshot.
#pragma once

#include <cstdint>
#include <string>

namespace platform {

// Writes `rgb` (width*height*3 bytes, top row first). Returns false on I/O or zlib failure.
bool write_png_rgb(const std::string& path, const uint8_t* rgb, int width, int height);

}  // namespace platform

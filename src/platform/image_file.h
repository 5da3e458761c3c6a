// image_file.h — the desktop app's image decoder for dropped files (the web page
// lets the browser decode them, web/shell/image.js).
//
//   decode_image_file   PNG / JPEG (stb_image) or WebP (libwebp) bytes -> RGBA8 pixels
#pragma once

#include <string>
#include <string_view>

namespace platform {

struct DecodedImage {
  std::string rgba;  // width * height * 4 bytes, row-major, as stored (no colour management)
  int width = 0, height = 0;
};

// The same cap per side as the web page's decoder.
constexpr int kMaxImageSide = 8192;

// Recognises the format by its magic bytes; throws ll::Error naming `name` and the rule.
DecodedImage decode_image_file(const std::string& name, std::string_view bytes);

}  // namespace platform

// image_file.cpp — PNG and JPEG through stb_image, WebP through libwebp (Debian's
// libstb-dev and libwebp-dev); see image_file.h.
#include "image_file.h"

#include <cstring>
#include <memory>

#include "core/check.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#include <stb/stb_image.h>
#include <webp/decode.h>

namespace platform {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic, size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

void check_size(const std::string& name, int width, int height) {
  LL_CHECK(width > 0 && height > 0, "%s: the image has no pixels (%d x %d)", name.c_str(), width, height);
  LL_CHECK(width <= kMaxImageSide && height <= kMaxImageSide, "%s: %d x %d pixels is over the cap of %d per side",
           name.c_str(), width, height, kMaxImageSide);
}

DecodedImage decode_stb(const std::string& name, std::string_view bytes) {
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int len = static_cast<int>(std::min<size_t>(bytes.size(), 0x7fffffff));
  int w = 0, h = 0, channels = 0;
  LL_CHECK(stbi_info_from_memory(data, len, &w, &h, &channels), "%s: not a PNG or JPEG this app can decode (%s)",
           name.c_str(), stbi_failure_reason());
  check_size(name, w, h);
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, len, &w, &h, &channels, 4),
                                                   stbi_image_free);
  LL_CHECK(pixels != nullptr, "%s: the image data is broken (%s)", name.c_str(), stbi_failure_reason());
  DecodedImage out;
  out.width = w, out.height = h;
  out.rgba.assign(reinterpret_cast<const char*>(pixels.get()), static_cast<size_t>(w) * h * 4);
  return out;
}

DecodedImage decode_webp(const std::string& name, std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  int w = 0, h = 0;
  LL_CHECK(WebPGetInfo(data, bytes.size(), &w, &h), "%s: not a WebP image this app can decode", name.c_str());
  check_size(name, w, h);
  std::unique_ptr<uint8_t, void (*)(void*)> pixels(WebPDecodeRGBA(data, bytes.size(), &w, &h), WebPFree);
  LL_CHECK(pixels != nullptr, "%s: the WebP data is broken", name.c_str());
  DecodedImage out;
  out.width = w, out.height = h;
  out.rgba.assign(reinterpret_cast<const char*>(pixels.get()), static_cast<size_t>(w) * h * 4);
  return out;
}

}  // namespace

DecodedImage decode_image_file(const std::string& name, std::string_view bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n") || starts_with(bytes, "\xff\xd8\xff")) return decode_stb(name, bytes);
  if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) return decode_webp(name, bytes);
  ll::fail(name + ": not a PNG, JPEG or WebP image (LayerLab opens .npy, PNG, JPEG and WebP files)");
}

}  // namespace platform

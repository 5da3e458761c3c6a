// png_write.cpp — signature, IHDR, one IDAT (zlib compress2), IEND; CRCs from zlib.
#include "png_write.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace platform {

namespace {

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put_chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  const uLong crc = crc32(0L, out.data() + start, static_cast<uInt>(out.size() - start));
  put_u32(out, static_cast<uint32_t>(crc));
}

}  // namespace

bool write_png_rgb(const std::string& path, const uint8_t* rgb, int width, int height) {
  if (width <= 0 || height <= 0) return false;
  // Each scanline: filter byte 0 (None), then the pixels.
  const size_t row = static_cast<size_t>(width) * 3;
  std::vector<uint8_t> raw((row + 1) * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    raw[static_cast<size_t>(y) * (row + 1)] = 0;
    std::copy(rgb + static_cast<size_t>(y) * row, rgb + static_cast<size_t>(y + 1) * row,
              raw.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(y) * (row + 1) + 1));
  }
  uLongf zsize = compressBound(static_cast<uLong>(raw.size()));
  std::vector<uint8_t> z(zsize);
  if (compress2(z.data(), &zsize, raw.data(), static_cast<uLong>(raw.size()), 6) != Z_OK) return false;
  z.resize(zsize);

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  put_u32(ihdr, static_cast<uint32_t>(width));
  put_u32(ihdr, static_cast<uint32_t>(height));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit, RGB, deflate, adaptive filters, no interlace
  put_chunk(png, "IHDR", ihdr);
  put_chunk(png, "IDAT", z);
  put_chunk(png, "IEND", {});

  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(png.data(), 1, png.size(), f) == png.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace platform

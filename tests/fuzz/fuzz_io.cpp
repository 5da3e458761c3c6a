// libFuzzer target: arbitrary bytes through the file and paste readers (npy.h,
// paste.h, image.h). Any crash, sanitizer report, exception other than
// ll::Error or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "core/image.h"
#include "core/npy.h"
#include "core/paste.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    ll::npy_read(bytes, "fuzz.npy");
  } catch (const ll::Error&) {
  }
  try {
    ll::paste(bytes, 4096);
  } catch (const ll::Error&) {
  }
  if (size >= 2) {
    try {
      ll::ImageOptions o;
      o.channels = data[0] & 1 ? 1 : 3;
      o.max_side = 1 + data[1] % 8;
      ll::image_to_tensor(bytes.substr(2), 1 + data[0] % 7, static_cast<int64_t>((size - 2) / 4 / (1 + data[0] % 7)), o);
    } catch (const ll::Error&) {
    }
  }
  return 0;
}

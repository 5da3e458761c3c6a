// libFuzzer target: arbitrary bytes through the JSON spec path (what
// layerlab-cli eval and ll.eval run). Any crash, sanitizer report, uncaught
// exception or hang is a bug; every rejection must be an {"error": ...}.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ll::EvalOutput out = ll::eval_json_text(text);
  if (out.exit_code < 0 || out.exit_code > 2 || out.text.empty() || (out.text[0] != '{' && out.text[0] != '[')) {
    __builtin_trap();
  }
  return 0;
}

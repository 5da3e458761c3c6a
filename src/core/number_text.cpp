#include "number_text.h"

#include <cstdio>
#include <cstdlib>

namespace ll {

namespace {

template <typename T, typename Read>
std::string shortest(T v, int max_digits, Read read) {
  char buf[40];
  for (int digits = 1; digits <= max_digits; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(v));
    if (read(buf) == v) break;
  }
  return buf;
}

}  // namespace

std::string shortest_text(float v) {  // 9 significant digits always read back a float
  return shortest(v, 9, [](const char* s) { return std::strtof(s, nullptr); });
}

std::string shortest_text(double v) {  // 17 a double
  return shortest(v, 17, [](const char* s) { return std::strtod(s, nullptr); });
}

}  // namespace ll

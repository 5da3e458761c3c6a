// check.h — argument checks that become user-facing errors.
//
// Every failed check throws ll::Error with a message of the form
//   "Layer: rule, got name=value, ..."
// which the CLI, the WebAssembly module and the app show verbatim.
// User input is never checked with assert().
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

namespace ll {

// The one exception type the core throws for bad arguments or tensors.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// printf-style formatting into a std::string (messages are short).
template <typename... Args>
std::string format(const char* fmt, Args... args) {
  if constexpr (sizeof...(Args) == 0) {
    return fmt;
  } else {
    int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, args...);
    return out;
  }
}

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

}  // namespace ll

// LL_CHECK(cond, "MaxPool2d: stride must be greater than zero, got stride=%lld", (long long)s)
#define LL_CHECK(cond, ...)                      \
  do {                                           \
    if (!(cond)) ::ll::fail(::ll::format(__VA_ARGS__)); \
  } while (0)

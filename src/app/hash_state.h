// hash_state.h — AppState <-> URL hash, the one place the state is (de)serialised.
//
//   to_hash        "layer=MaxPool2d&lab=pool&kernel_size=3&..." (no leading '#')
//   apply_hash     merges the keys of a hash into the state (setState semantics)
//   load_hash      PyTorch defaults first, then apply_hash (a URL being opened)
//
// Keys (CONTRACT section 4): layer, lab, kernel_size, stride, padding,
// dilation, ceil_mode, return_indices, count_include_pad, divisor_override,
// input, n, c, h, w, seed, lang; and the app's own grad (ones|random) and
// cells (hand-edited inputs, "flat_index:value,..."). Unknown keys are
// ignored, bad values are ignored, out-of-range numbers are clamped.
#pragma once

#include <string>
#include <string_view>

#include "app_state.h"

namespace app {

std::string to_hash(const AppState& s);
void apply_hash(AppState& s, std::string_view hash);
void load_hash(AppState& s, std::string_view hash);

// The page with an empty hash opens on this state.
inline constexpr const char* kWelcomeHash = "layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=ramp&h=9&w=9";

}  // namespace app

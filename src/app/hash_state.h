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
//
// An assignment, in any lab: lock (comma list of keys the student cannot
// change), quiz (shape|value: predict before the output shows), theme
// (dark|light|auto) with bg (RRGGBB, the host page's background) and the
// action answer=TEXT (setState: submits a quiz answer; never written back).
//
// The other labs (lab=activation|linear|gradient|train) read `lab` first and
// then their own keys:
//   activation  layer, negative_slope, num_parameters, init, lower, upper, training,
//               xmin, xmax, compare (e.g. Tanh,ReLU), input (ramp|random), seed, lr, target_slope
//   linear      in_features, out_features, bias, n, seed, cells (weight edits), depth, hidden, activation
//   gradient    depth, width, activation, init (default|xavier|kaiming), n, seed
//   train       dataset (spirals|circles|xor), hidden, activation, lr, seed, speed, play, and the
//               action steps=K (runs K SGD steps; never written back)
#pragma once

#include <string>
#include <string_view>

#include "app_state.h"

namespace app {

std::string to_hash(const AppState& s);
// The shortest text that reads back to the same float32, as Python prints it ("nan", "inf").
std::string float_text(float v);
const char* lab_name(Lab l);  // "pool" | "activation" | ...
// Keys listed in s.locked (hash key `lock`) are left as they are.
void apply_hash(AppState& s, std::string_view hash);
// Defaults first (no locks, no quiz), then every key of the hash.
void load_hash(AppState& s, std::string_view hash);
// Puts back each locked key whose value changed since `before` (to_hash of the
// state when the frame began): widgets, keys and drops cannot move it.
void restore_locked(AppState& s, const std::string& before);
// The state a quiz question is about: every key but the view's (lang, theme, ...).
std::string question_key(const AppState& s);
// "" when applying `hash` leaves every locked key as it is, else a message naming the first one it would change.
std::string locked_change(const AppState& s, std::string_view hash);

// The page with an empty hash opens on this state.
inline constexpr const char* kWelcomeHash = "layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=ramp&h=9&w=9";

}  // namespace app

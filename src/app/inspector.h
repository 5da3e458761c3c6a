// inspector.h — the pinned cell (hash key `pin=TENSOR:i,j,k,l`, state().pinned):
// a cell of a tensor the lab shows, and the float32 computation that made it,
// with its numbers. Every number is read from the core's tensors (inputs,
// outputs, indices, divisors, geometry); nothing is computed again here.
//
//   parse_pin / pin_text    the hash value <-> Pin
//   pin_explanation         the inspector's text for the pinned cell ("" if it is not shown)
//   pinned_json             state().pinned: null or {tensor, index, value, text}
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "app_state.h"

namespace app {

std::optional<Pin> parse_pin(const std::string& value);  // "output:0,0,1,2"; nullopt if malformed
std::string pin_text(const Pin& pin);
std::string pin_explanation(const AppState& s, const Pin& pin);
nlohmann::json pinned_json(const AppState& s);
// Each lab's text for a pinned cell of `value` (labs/registry.cpp lists them).
std::string pool_text(const AppState& s, const Pin& p, double value);
std::string linear_text(const AppState& s, const Pin& p, double value);
std::string activation_text(const AppState& s, const Pin& p, double value);

}  // namespace app

// number_text.h — the one shortest round-trip printer of the project.
//
//   shortest_text(float)   "0.1", "3", "1e-05": the fewest digits strtof reads back as exactly v
//   shortest_text(double)  the same for strtod (Python's repr of a float keyword, a gain)
//
// printf's %g spelling; finite values only (callers spell NaN and infinities in their
// own language: "NaN" in spec JSON, "nan" in the URL, float('nan') in Python).
#pragma once

#include <string>

namespace ll {

std::string shortest_text(float v);
std::string shortest_text(double v);

}  // namespace ll

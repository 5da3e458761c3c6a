// spec.h — the JSON spec of CONTRACT section 2, shared by layerlab-cli and ll.eval.
//
//   eval_spec        one parsed spec -> result object, or {"error": message}
//   eval_json_text   text -> result text and exit status (object, batch, malformed)
//   tensor_to_json   {"shape": [...], "data": [...]}, non-finite values as strings
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "tensor.h"

namespace ll {

// Never throws: every failure becomes {"error": "..."}.
nlohmann::json eval_spec(const nlohmann::json& spec);

struct EvalOutput {
  std::string text;  // one line of JSON
  int exit_code;     // 0 ok (and any batch), 1 a single spec failed, 2 malformed JSON
};

// Parses with limits (size, nesting depth) and evaluates an object or an array of objects.
EvalOutput eval_json_text(std::string_view text);

nlohmann::json tensor_to_json(const Tensor& t);
nlohmann::json tensor_to_json(const IndexTensor& t);

inline constexpr size_t kMaxJsonBytes = size_t{512} << 20;  // longest accepted spec text
inline constexpr int kMaxJsonDepth = 32;                    // deepest accepted nesting

}  // namespace ll

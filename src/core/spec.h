// spec.h — the JSON spec of CONTRACT section 2, shared by layerlab-cli and ll.eval.
//
//   eval_spec        one parsed spec -> result object, or {"error": message}
//   eval_json_text   text -> result text and exit status (object, batch, malformed)
//   *_options        layer options from PyTorch keywords (also used by the bindings)
//   read_keywords    any layer's keywords as values (the generic activations)
//   make_activation  a generic activation from its name and keywords (bindings, paste)
//   make_module      a pooling or linear module from its name and keywords (bindings)
//   tensor_to_json   {"shape": [...], "data": [...]}, non-finite values as strings
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "layer_desc.h"
#include "layers/activation.h"
#include "layers/avg_pool2d.h"
#include "layers/bce_with_logits_loss.h"
#include "layers/linear.h"
#include "layers/max_pool2d.h"
#include "layers/max_unpool2d.h"
#include "layers/module.h"
#include "layers/prelu.h"
#include "layers/rrelu.h"
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

// Layer options from an object of PyTorch constructor keywords (null: all
// defaults); unknown keywords and wrong types throw ll::Error. The CLI and the
// WebAssembly classes both read options through these.
MaxPool2d::Options max_pool2d_options(const nlohmann::json& params);
AvgPool2d::Options avg_pool2d_options(const nlohmann::json& params);
MaxUnpool2d::Options max_unpool2d_options(const nlohmann::json& params);
Linear::Options linear_options(const nlohmann::json& params);
PReLU::Options prelu_options(const nlohmann::json& params);
RReLU::Options rrelu_options(const nlohmann::json& params);
double leaky_relu_options(const nlohmann::json& params);           // negative_slope
BCEWithLogitsLoss::Options bce_with_logits_loss_options(const nlohmann::json& params);  // reduction
void check_no_options(const nlohmann::json& params, const char* layer);  // Sigmoid, Tanh, ReLU
// Every keyword of a layer, given or default, types checked (and a STRING's choices).
Keywords read_keywords(const LayerDesc& desc, const nlohmann::json& params);
// A generic activation (layers/activation.h) by name, from its keywords.
std::unique_ptr<Activation> make_activation(std::string_view layer, const nlohmann::json& params);
// A pooling or linear module (layers/module.h) by name, from its keywords; `seed` draws
// Bilinear's initial parameters and FractionalMaxPool's samples.
std::unique_ptr<Module> make_module(std::string_view layer, const nlohmann::json& params, uint64_t seed = 0);

nlohmann::json tensor_to_json(const Tensor& t);
nlohmann::json tensor_to_json(const IndexTensor& t);

inline constexpr size_t kMaxJsonBytes = size_t{512} << 20;  // longest accepted spec text
inline constexpr int kMaxJsonDepth = 32;                    // deepest accepted nesting

}  // namespace ll

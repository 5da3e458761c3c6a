// code_text.h — Python text for the code panels (panel_code.cpp): the labs' units
// write their scripts with these.
//
//   py_float      a float32 as Python reads it back exactly ("0.1", "float('nan')")
//   literal       torch.tensor([...]) of a tensor, one row of its last dim per line
//   module_call   "nn.Softmax(dim=1)": a layer's keywords in PyTorch's order, defaults left out
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.h"

namespace app {

std::string py_float(float v);
std::string literal(const ll::Tensor& t, const std::string& indent);
std::string module_call(const char* layer, const nlohmann::json& keywords);

}  // namespace app

// paste.h — text a student pastes from PyTorch: a layer expression or a tensor.
//
//   PastedLayer    the layer's name + its keywords as a spec "params" object
//   PastedTensor   shape + float32 values
//   parse_layer    "nn.MaxPool2d(3, stride=2)", "F.max_pool2d(x, 3, 2)" -> PastedLayer
//   parse_tensor   "torch.tensor([[1., 2.]])", "np.array(...)", "[[1, 2]]", CSV or whitespace rows
//   paste          decides which of the two the text is
//
// Arguments bind through the layer descriptors (layer_desc.h) as Python binds
// them, with Python's TypeError wording; the keywords are then read by the
// spec's *_options (and pooling's geometry check), so a bad value gives the
// core's usual message. Malformed text names the column. Throws ll::Error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensor.h"

namespace ll {

struct PastedLayer {
  std::string layer;       // the descriptor's name, e.g. "MaxPool2d"
  nlohmann::json params;   // {"kernel_size": 3, "stride": 2}: only the keywords given
};

struct PastedTensor {
  Shape shape;
  std::vector<float> data;
};

struct Pasted {
  bool is_layer = false;
  PastedLayer layer;
  PastedTensor tensor;
};

PastedLayer parse_layer(std::string_view text);
PastedTensor parse_tensor(std::string_view text, int64_t max_elements = int64_t{1} << 20);
Pasted paste(std::string_view text, int64_t max_elements = int64_t{1} << 20);

}  // namespace ll

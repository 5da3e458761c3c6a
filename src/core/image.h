// image.h — decoded RGBA8 pixels -> a 1xCxHxW float32 tensor, as torchvision would.
//
//   ImageOptions    channels (3: RGB, 1: grayscale) and the largest side kept
//   ImageTensor     the tensor plus whether (and from what size) it was downscaled
//   image_to_tensor RGBA8 bytes -> ImageTensor; throws ll::Error naming the rule
//
// Decoding (PNG, JPEG) happens in the platform layer; alpha is dropped, as
// PIL's convert('RGB') does.
#pragma once

#include <cstdint>
#include <string_view>

#include "tensor.h"

namespace ll {

struct ImageOptions {
  int channels = 3;        // 3 keeps R, G, B; 1 is torchvision's rgb_to_grayscale
  int64_t max_side = 224;  // a larger side is downscaled by an integer factor to fit
};

struct ImageTensor {
  Tensor tensor;               // 1 x C x H x W, values in [0, 1]
  bool downscaled = false;
  int64_t source_width = 0, source_height = 0;
  int64_t factor = 1;          // each output pixel averages a factor x factor block
};

ImageTensor image_to_tensor(std::string_view rgba, int64_t width, int64_t height, const ImageOptions& options = {});

}  // namespace ll

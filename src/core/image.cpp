#include "image.h"

#include <vector>

#include "check.h"

namespace ll {

// Values: torchvision's ToTensor is img.float().div(255) in float32, so each
// byte b becomes exactly float(b) / 255.0f.
//
// Downscaling: the factor f = ceil(max(W, H) / max_side) and each output pixel
// is the mean of its f x f block of ToTensor values, the last row and column
// of blocks averaging only the pixels they cover. That is
// F.avg_pool2d(ToTensor(img), f, ceil_mode=True) (padding 0, so the divisor is
// the clipped window), the same blocks as PIL's Image.reduce(f) and cv2's
// INTER_AREA at an integer factor -- without their rounding back to bytes.
//
// Grayscale: torchvision.transforms.functional.rgb_to_grayscale on a float
// tensor, (0.2989 * r + 0.587 * g + 0.114 * b) in float32, left to right:
// each product and sum rounded to float32, after the downscale (as
// Resize then Grayscale on the tensor). That is torchvision 0.14's (the PyTorch
// 1.13 release) _functional_tensor expression; newer torchvision's
// r.mul(0.2989).add_(g, alpha=0.587).add_(b, alpha=0.114) may fuse a
// multiply-add and differ by an ulp.
ImageTensor image_to_tensor(std::string_view rgba, int64_t width, int64_t height, const ImageOptions& options) {
  LL_CHECK(width > 0 && height > 0, "image: width and height must be positive, got %lldx%lld",
           static_cast<long long>(width), static_cast<long long>(height));
  LL_CHECK(width <= 65536 && height <= 65536, "image: at most 65536 pixels a side, got %lldx%lld",
           static_cast<long long>(width), static_cast<long long>(height));
  LL_CHECK(static_cast<uint64_t>(rgba.size()) == static_cast<uint64_t>(width * height * 4),
           "image: %lldx%lld RGBA needs %lld bytes, got %zu", static_cast<long long>(width),
           static_cast<long long>(height), static_cast<long long>(width * height * 4), rgba.size());
  LL_CHECK(options.channels == 1 || options.channels == 3, "image: channels must be 1 or 3, got %d", options.channels);
  LL_CHECK(options.max_side >= 1, "image: max_side must be at least 1, got %lld",
           static_cast<long long>(options.max_side));

  const int64_t side = width > height ? width : height;
  const int64_t f = (side + options.max_side - 1) / options.max_side;
  const int64_t ow = (width + f - 1) / f, oh = (height + f - 1) / f;
  const auto* px = reinterpret_cast<const unsigned char*>(rgba.data());

  // R, G, B planes of ToTensor values, block-averaged.
  std::vector<float> rgb(static_cast<size_t>(3 * ow * oh));
  for (int64_t y = 0; y < oh; ++y) {
    for (int64_t x = 0; x < ow; ++x) {
      const int64_t y1 = (y + 1) * f < height ? (y + 1) * f : height;
      const int64_t x1 = (x + 1) * f < width ? (x + 1) * f : width;
      double sum[3] = {0, 0, 0};
      for (int64_t sy = y * f; sy < y1; ++sy)
        for (int64_t sx = x * f; sx < x1; ++sx)
          for (int c = 0; c < 3; ++c) sum[c] += static_cast<float>(px[(sy * width + sx) * 4 + c]) / 255.0f;
      const double count = static_cast<double>((y1 - y * f) * (x1 - x * f));
      for (int c = 0; c < 3; ++c)
        rgb[static_cast<size_t>((c * oh + y) * ow + x)] =
            f == 1 ? static_cast<float>(sum[c]) : static_cast<float>(sum[c] / count);
    }
  }

  ImageTensor out;
  out.source_width = width;
  out.source_height = height;
  out.factor = f;
  out.downscaled = f > 1;
  if (options.channels == 3) {
    out.tensor = Tensor({1, 3, oh, ow});
    out.tensor.data.assign(rgb.begin(), rgb.end());
  } else {
    out.tensor = Tensor({1, 1, oh, ow});
    const size_t n = static_cast<size_t>(ow * oh);
    for (size_t i = 0; i < n; ++i) {
      const float r = rgb[i], g = rgb[n + i], b = rgb[2 * n + i];
      float l = 0.2989f * r;
      l = l + 0.587f * g;
      l = l + 0.114f * b;
      out.tensor.data[i] = l;
    }
  }
  return out;
}

}  // namespace ll

// image.h: ToTensor values, rgb_to_grayscale and the block-average downscale,
// hand-computed.
#include <gtest/gtest.h>

#include <string>

#include "core/check.h"
#include "core/image.h"

namespace {

std::string rgba(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s += static_cast<char>(b);
  return s;
}

}  // namespace

TEST(Image, RgbIsByteOver255) {
  // 2x1: (255, 0, 51, alpha 9), (1, 128, 254, 255)
  const ll::ImageTensor t = ll::image_to_tensor(rgba({255, 0, 51, 9, 1, 128, 254, 255}), 2, 1);
  EXPECT_EQ(t.tensor.shape, (ll::Shape{1, 3, 1, 2}));
  EXPECT_FALSE(t.downscaled);
  const std::vector<float> want = {1.0f, 1.0f / 255.0f, 0.0f, 128.0f / 255.0f, 51.0f / 255.0f, 254.0f / 255.0f};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(t.tensor.data[i], want[i]) << i;  // planar R, G, B
  EXPECT_EQ(t.tensor.data[4], 0.2f);  // 51/255 is float32's nearest to 0.2
}

TEST(Image, GrayscaleIsTorchvisionsFormula) {
  ll::ImageOptions gray;
  gray.channels = 1;
  const ll::ImageTensor w = ll::image_to_tensor(rgba({255, 255, 255, 255}), 1, 1, gray);
  EXPECT_EQ(w.tensor.shape, (ll::Shape{1, 1, 1, 1}));
  // 0.2989f + 0.587f + 0.114f in float32 = 0.9999f, not 1 (torchvision gives 0.9999 too).
  EXPECT_EQ(w.tensor.data[0], (0.2989f * 1.0f + 0.587f * 1.0f) + 0.114f * 1.0f);
  EXPECT_NEAR(w.tensor.data[0], 0.9999f, 1e-7f);
  const ll::ImageTensor r = ll::image_to_tensor(rgba({255, 0, 0, 255}), 1, 1, gray);
  EXPECT_EQ(r.tensor.data[0], 0.2989f);
  const float g = 100.0f / 255.0f;
  const ll::ImageTensor m = ll::image_to_tensor(rgba({0, 100, 255, 0}), 1, 1, gray);
  EXPECT_EQ(m.tensor.data[0], 0.587f * g + 0.114f);
}

TEST(Image, DownscaleAveragesBlocks) {
  ll::ImageOptions o;
  o.max_side = 2;
  // 5x1 gray ramp, bytes 0 51 102 153 204: factor ceil(5/2) = 3, blocks {0,51,102}, {153,204}.
  std::string px;
  for (int v : {0, 51, 102, 153, 204}) px += rgba({v, v, v, 255});
  const ll::ImageTensor t = ll::image_to_tensor(px, 5, 1, o);
  EXPECT_TRUE(t.downscaled);
  EXPECT_EQ(t.factor, 3);
  EXPECT_EQ(t.source_width, 5);
  EXPECT_EQ(t.source_height, 1);
  EXPECT_EQ(t.tensor.shape, (ll::Shape{1, 3, 1, 2}));
  EXPECT_NEAR(t.tensor.data[0], 51.0f / 255.0f, 1e-7f);     // (0 + .2 + .4) / 3
  EXPECT_NEAR(t.tensor.data[1], 178.5f / 255.0f, 1e-7f);    // the partial block: (153 + 204) / 2 / 255
  // 4x4 to 2x2 (max_side 2): each output the mean of a 2x2 block.
  std::string sq;
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) sq += rgba({(y / 2) * 100 + (x / 2) * 10 + (x % 2) * 2, 0, 0, 255});
  const ll::ImageTensor s = ll::image_to_tensor(sq, 4, 4, o);
  EXPECT_EQ(s.tensor.shape, (ll::Shape{1, 3, 2, 2}));
  EXPECT_NEAR(s.tensor.data[0], 1.0f / 255.0f, 1e-7f);
  EXPECT_NEAR(s.tensor.data[3], 111.0f / 255.0f, 1e-7f);
  // The default cap, 224: a 448x10 image becomes 224x5.
  const ll::ImageTensor big = ll::image_to_tensor(std::string(448 * 10 * 4, '\x10'), 448, 10);
  EXPECT_EQ(big.tensor.shape, (ll::Shape{1, 3, 5, 224}));
  EXPECT_EQ(big.tensor.data[0], 16.0f / 255.0f);
  EXPECT_FALSE(ll::image_to_tensor(std::string(224 * 4, 'a'), 224, 1).downscaled);
}

TEST(Image, Errors) {
  auto err = [](std::string_view px, int64_t w, int64_t h, int channels = 3) {
    ll::ImageOptions o;
    o.channels = channels;
    try {
      ll::image_to_tensor(px, w, h, o);
    } catch (const ll::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err("abc", 1, 1), "image: 1x1 RGBA needs 4 bytes, got 3");
  EXPECT_EQ(err("", 0, 1), "image: width and height must be positive, got 0x1");
  EXPECT_EQ(err("abcd", 1, 1, 2), "image: channels must be 1 or 3, got 2");
  EXPECT_NE(err("", 1 << 20, 1 << 20), "");
}

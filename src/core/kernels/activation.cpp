#include "activation.h"

#include <cmath>
#include <vector>

namespace ll {

void sigmoid_forward(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i]));
}

void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i]) * y[i];
}

void tanh_forward(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

void tanh_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i] * y[i]);
}

void relu_forward(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = (x[i] < 0.0f) ? 0.0f : x[i];  // NaN < 0 is false: NaN stays
}

void relu_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = (y[i] <= 0.0f) ? 0.0f : g[i];  // ATen's threshold_backward on the result
}

void leaky_relu_forward(const float* x, float* y, int64_t n, float negative_slope) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : x[i] * negative_slope;
}

void leaky_relu_backward(const float* x, const float* g, float* dx, int64_t n, float negative_slope) {
  for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? g[i] : g[i] * negative_slope;
}

void prelu_forward(const float* x, const float* weight, float* y, int64_t outer, int64_t channels, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const float w = weight[c];
      const int64_t base = (o * channels + c) * inner;
      for (int64_t i = base; i < base + inner; ++i) y[i] = x[i] > 0.0f ? x[i] : w * x[i];
    }
  }
}

void prelu_backward(const float* x, const float* weight, const float* g, float* dx, float* grad_weight,
                    int64_t outer, int64_t channels, int64_t inner) {
  std::vector<double> acc(static_cast<size_t>(channels), 0.0);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const float w = weight[c];
      const int64_t base = (o * channels + c) * inner;
      double sum = 0.0;
      for (int64_t i = base; i < base + inner; ++i) {
        const bool pos = x[i] > 0.0f;
        dx[i] = pos ? g[i] : w * g[i];
        sum += pos ? 0.0 : static_cast<double>(x[i] * g[i]);
      }
      acc[static_cast<size_t>(c)] += sum;
    }
  }
  for (int64_t c = 0; c < channels; ++c) grad_weight[c] = static_cast<float>(acc[static_cast<size_t>(c)]);
}

void rrelu_with_noise_forward(const float* x, const float* noise, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] <= 0.0f ? x[i] * noise[i] : x[i];
}

void mul_backward(const float* factor, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * factor[i];
}

}  // namespace ll

#include "activation.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace ll {

namespace {

// Branch-free select-and-multiply loops: the compiler vectorises them (SSE
// natively, SIMD128 in WebAssembly). x * 1 == x exactly, so multiplying by a
// selected factor gives the same bits as selecting x or x * slope.

// e^x for float, vectorisable: x = n ln2 + r, |r| <= ln2/2, degree-6
// polynomial for e^r (error about 1 ulp), scaled by 2^n through the exponent
// bits. Overflow gives +inf, deep underflow 0 (PyTorch gives a subnormal
// < 1.2e-38 there), NaN stays NaN.
inline float exp_fast(float x) {
  float xc = x > -87.0f ? x : -87.0f;  // NaN goes to -87 here and is restored at the end
  xc = xc < 88.0f ? xc : 88.0f;
  // Round to nearest by adding and removing 1.5 * 2^23 (|xc * log2 e| < 2^22).
  const float n = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = xc - n * 0.693359375f;   // ln2 split in two for an exact product
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const uint32_t bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;  // n in [-126, 127]
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  float y = p * scale;
  y = x > 88.72283935546875f ? std::numeric_limits<float>::infinity() : y;
  y = x < -87.0f ? 0.0f : y;
  return x != x ? x : y;
}

// tanh: an odd polynomial near 0 (where 1 - 2/(e^2x + 1) would cancel), the
// exponential form elsewhere; within a few ulp of PyTorch's result.
inline float tanh_fast(float x) {
  const float a = std::fabs(x);
  const float x2 = x * x;
  float p = 2.18694885e-2f;  // 62/2835
  p = p * x2 + -5.39682540e-2f;  // -17/315
  p = p * x2 + 1.33333333e-1f;   // 2/15
  p = p * x2 + -3.33333333e-1f;  // -1/3
  const float small = x + x * x2 * p;
  const float e = exp_fast(2.0f * a);
  const float big = 1.0f - 2.0f / (e + 1.0f);
  const float r = a < 0.125f ? small : std::copysign(big, x);
  return x != x ? x : r;
}

}  // namespace

void sigmoid_forward(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + exp_fast(-x[i]));
}

void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i]) * y[i];
}

void tanh_forward(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = tanh_fast(x[i]);
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
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] * (x[i] > 0.0f ? 1.0f : negative_slope);
}

void leaky_relu_backward(const float* x, const float* g, float* dx, int64_t n, float negative_slope) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (x[i] > 0.0f ? 1.0f : negative_slope);
}

void prelu_forward(const float* x, const float* weight, float* y, int64_t outer, int64_t channels, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (o * channels + c) * inner;
      leaky_relu_forward(x + base, y + base, inner, weight[c]);  // PReLU is a leaky ReLU per channel
    }
  }
}

void prelu_backward(const float* x, const float* weight, const float* g, float* dx, float* grad_weight,
                    int64_t outer, int64_t channels, int64_t inner) {
  std::vector<double> acc(static_cast<size_t>(channels), 0.0);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (o * channels + c) * inner;
      leaky_relu_backward(x + base, g + base, dx + base, inner, weight[c]);
      double sum = 0.0;
      for (int64_t i = base; i < base + inner; ++i) sum += x[i] > 0.0f ? 0.0 : static_cast<double>(x[i] * g[i]);
      acc[static_cast<size_t>(c)] += sum;
    }
  }
  for (int64_t c = 0; c < channels; ++c) grad_weight[c] = static_cast<float>(acc[static_cast<size_t>(c)]);
}

void rrelu_with_noise_forward(const float* x, const float* noise, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] * (x[i] <= 0.0f ? noise[i] : 1.0f);
}

void mul_backward(const float* factor, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * factor[i];
}

}  // namespace ll

#include "activation.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "simd.h"

namespace ll {

namespace {

using simd::V4f;
using simd::V4i;

// e^x for float, four lanes: x = n ln2 + r, |r| <= ln2/2, degree-6
// polynomial for e^r (error about 1 ulp), scaled by 2^n through the exponent
// bits. Overflow gives +inf, deep underflow 0 (PyTorch gives a subnormal
// < 1.2e-38 there), NaN stays NaN.
inline V4f exp4(V4f x) {
  const V4f lo = simd::splat4f(-87.0f), hi = simd::splat4f(88.0f);
  V4f xc = simd::select4(x > lo, x, lo);  // NaN goes to -87 here and is restored at the end
  xc = simd::select4(xc < hi, xc, hi);
  // Round to nearest by adding and removing 1.5 * 2^23 (|xc * log2 e| < 2^22).
  const V4f shifter = simd::splat4f(12582912.0f);
  const V4f n = (xc * simd::splat4f(1.44269504088896341f) + shifter) - shifter;
  V4f r = xc - n * simd::splat4f(0.693359375f);  // ln2 split in two for an exact product
  r = r - n * simd::splat4f(-2.12194440e-4f);
  V4f p = simd::splat4f(1.9875691500e-4f);
  p = p * r + simd::splat4f(1.3981999507e-3f);
  p = p * r + simd::splat4f(8.3334519073e-3f);
  p = p * r + simd::splat4f(4.1665795894e-2f);
  p = p * r + simd::splat4f(1.6666665459e-1f);
  p = p * r + simd::splat4f(5.0000001201e-1f);
  p = p * r * r + r + simd::splat4f(1.0f);
  const V4i bits = (__builtin_convertvector(n, V4i) + simd::splat4i(127)) << 23;  // n in [-126, 127]
  V4f y = p * reinterpret_cast<V4f>(bits);
  y = simd::select4(x > simd::splat4f(88.72283935546875f), simd::splat4f(std::numeric_limits<float>::infinity()), y);
  y = simd::select4(x < lo, simd::splat4f(0.0f), y);
  return simd::select4(x != x, x, y);
}

// tanh: an odd polynomial near 0 (where 1 - 2/(e^2x + 1) would cancel), the
// exponential form elsewhere; within a few ulp of PyTorch's result.
inline V4f tanh4(V4f x) {
  const V4i sign = simd::splat4i(INT32_MIN);
  const V4f a = reinterpret_cast<V4f>(reinterpret_cast<V4i>(x) & ~sign);
  const V4f x2 = x * x;
  V4f p = simd::splat4f(2.18694885e-2f);          // 62/2835
  p = p * x2 + simd::splat4f(-5.39682540e-2f);  // -17/315
  p = p * x2 + simd::splat4f(1.33333333e-1f);   // 2/15
  p = p * x2 + simd::splat4f(-3.33333333e-1f);  // -1/3
  const V4f small = x + x * x2 * p;
  const V4f e = exp4(simd::splat4f(2.0f) * a);
  const V4f big = simd::splat4f(1.0f) - simd::splat4f(2.0f) / (e + simd::splat4f(1.0f));
  const V4f signed_big =
      reinterpret_cast<V4f>((reinterpret_cast<V4i>(big) & ~sign) | (reinterpret_cast<V4i>(x) & sign));  // copysign
  const V4f r = simd::select4(a < simd::splat4f(0.125f), small, signed_big);
  return simd::select4(x != x, x, r);
}

inline V4f sigmoid4(V4f x) { return simd::splat4f(1.0f) / (simd::splat4f(1.0f) + exp4(-x)); }

// y[i] = f(x[i]) four at a time; the last n % 4 go through a padded vector,
// so every element sees the same arithmetic.
template <typename F>
void map4(const float* x, float* y, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) simd::store4(y + i, f(simd::load4(x + i)));
  if (i < n) {
    float in[4] = {0.0f, 0.0f, 0.0f, 0.0f}, out[4];
    std::memcpy(in, x + i, static_cast<size_t>(n - i) * sizeof(float));
    simd::store4(out, f(simd::load4(in)));
    std::memcpy(y + i, out, static_cast<size_t>(n - i) * sizeof(float));
  }
}

}  // namespace

void sigmoid_forward(const float* x, float* y, int64_t n) { map4(x, y, n, sigmoid4); }

void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i]) * y[i];
}

void tanh_forward(const float* x, float* y, int64_t n) { map4(x, y, n, tanh4); }

void tanh_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i] * y[i]);
}

// Branch-free select-and-multiply loops: the compiler vectorises them (SSE
// natively, SIMD128 in WebAssembly). x * 1 == x exactly, so multiplying by a
// selected factor gives the same bits as selecting x or x * slope.
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

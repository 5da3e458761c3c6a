#include "elementwise.h"

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

// y[i] = f(x[i]) and dx[i] = f(x[i], g[i]); f holds the kernel's constants by
// value, so the compiler keeps them in registers (the outputs cannot alias them).
template <typename F>
void map(const float* x, float* y, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}
template <typename F>
void map(const float* x, const float* g, float* dx, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) dx[i] = f(x[i], g[i]);
}

// ATen's GELU constants, computed in double and rounded once, as its scalar_t kBeta/kAlpha.
constexpr double kSqrt2 = 1.41421356237309504880, kSqrt1_2 = 0.70710678118654752440,
                 k2_SqrtPi = 1.12837916709551257390;
constexpr float kGeluAlpha = static_cast<float>(kSqrt1_2);                  // 1 / sqrt 2
constexpr float kGeluPdf = static_cast<float>(k2_SqrtPi * kSqrt1_2 * 0.5);  // 1 / sqrt(2 pi)
constexpr float kGeluBeta = static_cast<float>(kSqrt2 * k2_SqrtPi * 0.5);   // sqrt(2 / pi)
constexpr float kGeluKappa = 0.044715f;

}  // namespace

void elu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [neg = k.a, pos = k.b, in = k.c](float v) { return v <= 0.f ? (std::exp(v * in) - 1.f) * neg : v * pos; });
}
void elu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  map(x, g, dx, n, [neg = k.a, pos = k.b, in = k.c](float v, float gv) {
    return v <= 0.f ? gv * in * neg * std::exp(v * in) : gv * pos;
  });
}

void gelu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  if (k.a == 0.f) {
    map(x, y, n, [](float v) { return v * 0.5f * (1.f + std::erf(v * kGeluAlpha)); });
  } else {
    map(x, y, n, [](float v) {
      const float inner = kGeluBeta * (v + kGeluKappa * (v * v * v));
      return 0.5f * v * (1.f + std::tanh(inner));
    });
  }
}
void gelu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  if (k.a == 0.f) {
    map(x, g, dx, n, [](float v, float gv) {
      const float cdf = 0.5f * (1.f + std::erf(v * kGeluAlpha));
      const float pdf = kGeluPdf * std::exp(v * v * -0.5f);
      return gv * (cdf + v * pdf);
    });
  } else {
    map(x, g, dx, n, [](float v, float gv) {
      const float v2 = v * v;
      const float t = std::tanh(kGeluBeta * (v + kGeluKappa * (v2 * v)));
      const float left = 0.5f * v, right = 1.f + t;
      const float right_derivative = left * (1.f - t * t) * (kGeluBeta * (1.f + 3.f * kGeluKappa * v2));
      return gv * (0.5f * right + right_derivative);
    });
  }
}

void silu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return v / (1.f + std::exp(-v)); });
}
void silu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) {
    const float s = 1.f / (1.f + std::exp(-v));
    return gv * s * (1.f + v * (1.f - s));
  });
}

void mish_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return v * std::tanh(std::log1p(std::exp(v))); });
}
void mish_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) {
    const float s = 1.f / (1.f + std::exp(-v));
    const float t = std::tanh(std::log1p(std::exp(v)));
    return gv * (t + v * s * (1.f - t * t));
  });
}

void softplus_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [beta = k.a, threshold = k.b](float v) {
    return v * beta > threshold ? v : std::log1p(std::exp(v * beta)) / beta;
  });
}
void softplus_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  map(x, g, dx, n, [beta = k.a, threshold = k.b](float v, float gv) {
    const float z = std::exp(v * beta);
    return v * beta > threshold ? gv : gv * z / (z + 1.f);
  });
}

// PyTorch's softsign is x / (x.abs() + 1): autograd adds div's g / a and, through
// abs, -g * ((x / a) / a) * sgn(x). At +-inf, inf / inf makes both NaN.
void softsign_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return v / (std::fabs(v) + 1.f); });
}
void softsign_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) {
    const float a = std::fabs(v) + 1.f;
    const float sgn = static_cast<float>((0.f < v) - (v < 0.f));
    return gv / a + -gv * (v / a / a) * sgn;
  });
}

void softshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [l = k.a](float v) { return v > l ? v - l : (v < -l ? v + l : 0.f); });
}
void hardshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [l = k.a](float v) { return v >= -l && v <= l ? 0.f : v; });
}
void shrink_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  map(x, g, dx, n, [l = k.a](float v, float gv) { return v >= -l && v <= l ? 0.f : gv; });
}

// std::min(std::max(x, lo), hi) as ATen's clamp: a NaN x stays NaN.
void hardtanh_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [lo = k.a, hi = k.b](float v) { return std::min(std::max(v, lo), hi); });
}
void hardtanh_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  map(x, g, dx, n, [lo = k.a, hi = k.b](float v, float gv) { return v <= lo || v >= hi ? 0.f : gv; });
}

void hardsigmoid_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return std::min(std::max(v + 3.f, 0.f), 6.f) / 6.f; });
}
void hardsigmoid_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) { return v > -3.f && v < 3.f ? gv * (1.f / 6.f) : 0.f; });
}

// x * (...) / 6 in that order: -inf * 0 is NaN, as in PyTorch.
void hardswish_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return v * std::min(std::max(v + 3.f, 0.f), 6.f) / 6.f; });
}
void hardswish_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) { return v < -3.f ? 0.f : (v <= 3.f ? gv * (v / 3.f + 0.5f) : gv); });
}

// ATen's forward writes exp(-|x|) to a buffer for backward; it is recomputed here.
void logsigmoid_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return std::min(v, 0.f) - std::log1p(std::exp(-std::fabs(v))); });
}
void logsigmoid_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) {
    const float b = std::exp(-std::fabs(v));
    const bool negative = v < 0.f;
    return ((negative ? 1.f : 0.f) - (negative ? 1.f : -1.f) * (b / (1.f + b))) * gv;
  });
}

// PyTorch's tanhshrink is x - x.tanh(): autograd adds g (from x) and
// tanh_backward(-g, tanh x) = -g * (1 - t^2).
void tanhshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs&) {
  map(x, y, n, [](float v) { return v - std::tanh(v); });
}
void tanhshrink_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs&) {
  map(x, g, dx, n, [](float v, float gv) {
    const float t = std::tanh(v);
    return gv + -gv * (1.f - t * t);
  });
}

void threshold_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k) {
  map(x, y, n, [threshold = k.a, value = k.b](float v) { return v <= threshold ? value : v; });
}
void threshold_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k) {
  map(x, g, dx, n, [threshold = k.a](float v, float gv) { return v <= threshold ? 0.f : gv; });
}

}  // namespace ll

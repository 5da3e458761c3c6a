#include "softmax.h"

#include <algorithm>
#include <cmath>

namespace ll {

void softmax_forward(const float* x, float* y, int64_t outer, int64_t size, int64_t inner, bool log, bool negate) {
  if (size == 0) return;
  const float sign = negate ? -1.f : 1.f;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float* xs = x + o * size * inner + i;
      float* ys = y + o * size * inner + i;
      float max = sign * xs[0];  // ATen's std::max: a NaN after the first is skipped, its exp makes the sum NaN
      for (int64_t d = 1; d < size; ++d) max = std::max(max, sign * xs[d * inner]);
      double sum = 0;
      for (int64_t d = 0; d < size; ++d) {
        const float e = std::exp(sign * xs[d * inner] - max);
        if (!log) ys[d * inner] = e;
        sum += e;
      }
      if (log) {
        const float log_sum = static_cast<float>(std::log(sum));
        for (int64_t d = 0; d < size; ++d) ys[d * inner] = (sign * xs[d * inner] - max) - log_sum;
      } else {
        for (int64_t d = 0; d < size; ++d) ys[d * inner] = static_cast<float>(ys[d * inner] / sum);
      }
    }
  }
}

void softmax_backward(const float* y, const float* g, float* dx, int64_t outer, int64_t size, int64_t inner, bool log,
                      bool negate) {
  const float sign = negate ? -1.f : 1.f;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * size * inner + i;
      double sum = 0;
      for (int64_t d = 0; d < size; ++d) {
        const int64_t j = base + d * inner;
        sum += log ? static_cast<double>(g[j]) : static_cast<double>(g[j] * y[j]);
      }
      const float s = static_cast<float>(sum);
      for (int64_t d = 0; d < size; ++d) {
        const int64_t j = base + d * inner;
        dx[j] = sign * (log ? g[j] - std::exp(y[j]) * s : (g[j] - s) * y[j]);
      }
    }
  }
}

// ATen's glu kernel: a * (1 / (1 + exp(-b))); its backward takes sigmoid(b) from
// at::sigmoid, 1 / (1 + exp(-b)) as well.
void glu_forward(const float* x, float* y, int64_t outer, int64_t half, int64_t inner) {
  const int64_t n = half * inner;
  for (int64_t o = 0; o < outer; ++o) {
    const float* a = x + o * 2 * n;
    const float* b = a + n;
    float* yo = y + o * n;
    for (int64_t i = 0; i < n; ++i) yo[i] = a[i] * (1.f / (1.f + std::exp(-b[i])));
  }
}

void glu_backward(const float* x, const float* g, float* dx, int64_t outer, int64_t half, int64_t inner) {
  const int64_t n = half * inner;
  for (int64_t o = 0; o < outer; ++o) {
    const float* a = x + o * 2 * n;
    const float* b = a + n;
    const float* go = g + o * n;
    float* da = dx + o * 2 * n;
    float* db = da + n;
    for (int64_t i = 0; i < n; ++i) {
      const float s = 1.f / (1.f + std::exp(-b[i]));
      db[i] = (1.f - s) * s * a[i] * go[i];
      da[i] = s * go[i];
    }
  }
}

}  // namespace ll

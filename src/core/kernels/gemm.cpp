#include "gemm.h"

#include <algorithm>
#include <vector>

namespace ll {

namespace {

// c[i, :] += a[i, p] * b[p, :] over a block: the inner loop is a contiguous
// axpy the compiler vectorises without reassociating any sum.
void gemm_nn_accumulate(const float* a, const float* b, float* c, int64_t m, int64_t n, int64_t k) {
  constexpr int64_t kBlockK = 256;
  constexpr int64_t kBlockN = 512;
  for (int64_t n0 = 0; n0 < n; n0 += kBlockN) {
    const int64_t n1 = std::min(n, n0 + kBlockN);
    for (int64_t k0 = 0; k0 < k; k0 += kBlockK) {
      const int64_t k1 = std::min(k, k0 + kBlockK);
      for (int64_t i = 0; i < m; ++i) {
        float* ci = c + i * n;
        const float* ai = a + i * k;
        for (int64_t p = k0; p < k1; ++p) {
          const float s = ai[p];
          const float* bp = b + p * n;
          for (int64_t j = n0; j < n1; ++j) ci[j] += s * bp[j];
        }
      }
    }
  }
}

}  // namespace

void linear_forward(const float* x, const float* weight, const float* bias, float* y, int64_t m, int64_t n,
                    int64_t k) {
  // Wᵀ once, so that every row of y is a sum of contiguous rows.
  std::vector<float> wt(static_cast<size_t>(n * k));
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < k; ++c) wt[static_cast<size_t>(c * n + r)] = weight[r * k + c];
  }
  std::fill(y, y + m * n, 0.0f);
  gemm_nn_accumulate(x, wt.data(), y, m, n, k);
  if (bias) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) y[i * n + j] += bias[j];
    }
  }
}

void linear_backward_input(const float* g, const float* weight, float* dx, int64_t m, int64_t n, int64_t k) {
  std::fill(dx, dx + m * k, 0.0f);
  gemm_nn_accumulate(g, weight, dx, m, k, n);
}

void linear_backward_weight(const float* g, const float* x, float* dw, float* db, int64_t m, int64_t n, int64_t k) {
  std::vector<float> gt(static_cast<size_t>(n * m));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) gt[static_cast<size_t>(j * m + i)] = g[i * n + j];
  }
  std::fill(dw, dw + n * k, 0.0f);
  gemm_nn_accumulate(gt.data(), x, dw, n, k, m);
  if (db) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int64_t i = 0; i < m; ++i) sum += gt[static_cast<size_t>(j * m + i)];
      db[j] = static_cast<float>(sum);
    }
  }
}

}  // namespace ll

// kernels/gemm.h — the three products of Linear, row-major float32.
//
//   linear_forward        y[M,N]  = x[M,K] · W[N,K]ᵀ (+ b[N])
//   LinearWeight          Wᵀ packed once for linear_forward, kept while W is unchanged
//   linear_backward_input dx[M,K] = g[M,N] · W[N,K]
//   linear_backward_weight dW[N,K] = g[M,N]ᵀ · x[M,K],  db[N] = Σ_m g[m,n]
#pragma once

#include <cstdint>
#include <vector>

namespace ll {

// Wᵀ in the blocked panels the forward's product reads. Packing is a strided
// pass over all of W, about a tenth of a 256-row forward; a layer packs once
// per weight (as XNNPACK's fully-connected operator does at creation) and
// drops the packing when the weight changes.
struct LinearWeight {
  std::vector<float> panels;
  int64_t n = 0, k = 0;
};
LinearWeight pack_linear_weight(const float* weight, int64_t n, int64_t k);

void linear_forward(const float* x, const LinearWeight& weight, const float* bias, float* y,
                    int64_t m);  // bias may be null; the same results as packing W on every call
void linear_backward_input(const float* g, const float* weight, float* dx, int64_t m, int64_t n, int64_t k);
void linear_backward_weight(const float* g, const float* x, float* dw, float* db, int64_t m, int64_t n,
                            int64_t k);  // db may be null

}  // namespace ll

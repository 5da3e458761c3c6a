// kernels/gemm.h — the three products of Linear, row-major float32.
//
//   linear_forward        y[M,N]  = x[M,K] · W[N,K]ᵀ (+ b[N])
//   linear_backward_input dx[M,K] = g[M,N] · W[N,K]
//   linear_backward_weight dW[N,K] = g[M,N]ᵀ · x[M,K],  db[N] = Σ_m g[m,n]
#pragma once

#include <cstdint>

namespace ll {

void linear_forward(const float* x, const float* weight, const float* bias, float* y, int64_t m, int64_t n,
                    int64_t k);  // bias may be null
void linear_backward_input(const float* g, const float* weight, float* dx, int64_t m, int64_t n, int64_t k);
void linear_backward_weight(const float* g, const float* x, float* dw, float* db, int64_t m, int64_t n,
                            int64_t k);  // db may be null

}  // namespace ll

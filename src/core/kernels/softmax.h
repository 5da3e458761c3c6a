// kernels/softmax.h — the activations along a dimension: softmax, log-softmax and
// GLU. The input is viewed as (outer, size, inner), the dimension in the middle.
//
//   softmax      y = exp(x - max) / sum exp(x - max)        dx = y * (g - sum(g * y))
//   log_softmax  y = (x - max) - log(sum exp(x - max))      dx = g - exp(y) * sum(g)
//   glu          y = a * sigmoid(b), a | b the halves       da = sigmoid(b) * g, db = (1 - s) * s * a * g
//
// As ATen 1.13 computes them: the max subtracted first (so +-1e4 is exact), a
// NaN or +inf anywhere in a slice makes the whole slice NaN, as does a slice
// of -inf only. Sums are accumulated in double (ATen sums floats in vector
// lanes, or in double on its scalar path; the results agree within 1e-6).
// `negate` runs on -x (Softmin), backward then returning -dx.
#pragma once

#include <cstdint>

namespace ll {

void softmax_forward(const float* x, float* y, int64_t outer, int64_t size, int64_t inner, bool log, bool negate);
// y: the forward's output.
void softmax_backward(const float* y, const float* g, float* dx, int64_t outer, int64_t size, int64_t inner, bool log,
                      bool negate);

// x: (outer, 2 * half, inner); y and g: (outer, half, inner).
void glu_forward(const float* x, float* y, int64_t outer, int64_t half, int64_t inner);
void glu_backward(const float* x, const float* g, float* dx, int64_t outer, int64_t half, int64_t inner);

}  // namespace ll

// kernels/elementwise.h — the element-wise activations of elementwise_desc.cpp,
// forward and backward, as ATen 1.13's scalar CPU kernels compute them in float
// (the same operations in the same order: exp(x) - 1, not expm1; Softplus's
// log1p(exp(x * beta)) overflowing to inf below its threshold; 0 * inf = NaN).
//
// Every kernel takes its constants in ElementwiseArgs (set from the layer's
// keywords by its row in elementwise_desc.cpp). Backward is computed from the
// input x, as PyTorch's autograd does for the out-of-place modules.
//
//   elu          x <= 0 ? (exp(x * c) - 1) * a : x * b      dx = x <= 0 ? g * c * a * exp(x * c) : g * b
//                (a = alpha * scale, b = scale, c = input_scale: ELU, CELU, SELU)
//   gelu         a = 0: x/2 (1 + erf(x / sqrt 2));  a = 1: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
//   silu         x / (1 + exp(-x))
//   mish         x * tanh(log1p(exp(x)))
//   softplus     x * a > b ? x : log1p(exp(x * a)) / a      (a = beta, b = threshold)
//   softsign     x / (|x| + 1)          dx = g / a - g * (x / a / a) * sgn(x), a = |x| + 1 (autograd's div and abs)
//   softshrink   x > a ? x - a : x < -a ? x + a : 0          (a = lambd; NaN -> 0)
//   hardshrink   -a <= x <= a ? 0 : x
//   shrink       backward of both: -a <= x <= a ? 0 : g
//   hardtanh     min(max(x, a), b)                           dx = x <= a || x >= b ? 0 : g
//   hardsigmoid  min(max(x + 3, 0), 6) / 6                   dx = -3 < x < 3 ? g / 6 : 0
//   hardswish    x * min(max(x + 3, 0), 6) / 6               dx = x < -3 ? 0 : x <= 3 ? g (x/3 + 1/2) : g
//   logsigmoid   min(x, 0) - log1p(exp(-|x|))
//   tanhshrink   x - tanh(x)
//   threshold    x <= a ? b : x                              dx = x <= a ? 0 : g
//
// Where ATen's scalar and vectorized kernels disagree, these follow the scalar
// one (what PyTorch gives for tensors under 16 elements, and for the tail of
// longer ones): a NaN input takes the branch whose comparison is false (CONTRACT
// 5); Hardswish's backward at exactly x = 3 is g * 1.5 (the vectorized kernel's
// x >= 3 gives g); and Softplus with a threshold above 87.5 gives about x for
// 87.5 < x * beta <= 88.7 (the vectorized log1p, Sleef's, returns inf above 1e38).
#pragma once

#include <cstdint>

namespace ll {

struct ElementwiseArgs {
  float a = 0, b = 0, c = 0;  // a kernel's constants, named in the table above
};

using ElementwiseForward = void (*)(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
using ElementwiseBackward = void (*)(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);

void elu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void elu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void gelu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void gelu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void silu_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void silu_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void mish_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void mish_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void softplus_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void softplus_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void softsign_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void softsign_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void softshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void hardshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void shrink_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void hardtanh_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void hardtanh_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void hardsigmoid_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void hardsigmoid_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void hardswish_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void hardswish_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void logsigmoid_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void logsigmoid_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void tanhshrink_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void tanhshrink_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);
void threshold_forward(const float* x, float* y, int64_t n, const ElementwiseArgs& k);
void threshold_backward(const float* x, const float* g, float* dx, int64_t n, const ElementwiseArgs& k);

}  // namespace ll

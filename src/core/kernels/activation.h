// kernels/activation.h — elementwise activations, forward and backward.
//
// Formulas and NaN handling follow ATen 1.13's CPU kernels:
//   sigmoid    y = 1 / (1 + exp(-x))          dx = g * (1 - y) * y
//   tanh       y = tanh(x)                    dx = g * (1 - y * y)
//   relu       y = max(x, 0), NaN kept        dx = y > 0 ? g : 0 (NaN passes g)
//   leaky      y = x > 0 ? x : x * slope      dx = x > 0 ? g : g * slope
//   prelu      per-channel slope, see below
//   rrelu      training: y = x <= 0 ? x * noise : x, dx = g * noise
//
// Sigmoid and tanh are SIMD approximations within 4e-7 (relative) of the
// exact values; the rest are exact.
//
// Forward writes what backward needs as it goes, so no layer copies tensors:
// sigmoid and tanh a second copy of y; ReLU and LeakyReLU one bit per element
// (bit i % 32 of mask word i / 32; mask_words(n) words), since their backward
// only asks which side of zero x was on.
#pragma once

#include <cstdint>

namespace ll {

inline int64_t mask_words(int64_t n) { return (n + 31) / 32; }

void sigmoid_forward(const float* x, float* y, float* y_saved, int64_t n);
void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n);
void tanh_forward(const float* x, float* y, float* y_saved, int64_t n);
void tanh_backward(const float* y, const float* g, float* dx, int64_t n);
// blocked: bit set where x <= 0, i.e. where the gradient stops (it passes at x > 0 and NaN).
void relu_forward(const float* x, float* y, uint32_t* blocked, int64_t n);
void relu_backward(const uint32_t* blocked, const float* g, float* dx, int64_t n);
// positive: bit set where x > 0 (NaN takes the slope).
void leaky_relu_forward(const float* x, float* y, uint32_t* positive, int64_t n, float negative_slope);
void leaky_relu_backward(const uint32_t* positive, const float* g, float* dx, int64_t n, float negative_slope);
// The same from x itself (PReLU and RReLU in eval mode keep x).
void leaky_relu_backward_from_input(const float* x, const float* g, float* dx, int64_t n, float negative_slope);

// x viewed as (outer, channels, inner); weight has `channels` entries.
// x_saved receives a copy of x (backward needs the values for grad_weight), unless
// it is nullptr (the caller keeps x itself).
// With one channel this is a leaky ReLU that keeps x.
void prelu_forward(const float* x, const float* weight, float* y, float* x_saved, int64_t outer, int64_t channels,
                   int64_t inner);
// grad_weight[c] = sum over outer, inner of (x > 0 ? 0 : x * g), summed in double.
void prelu_backward(const float* x, const float* weight, const float* g, float* dx, float* grad_weight,
                    int64_t outer, int64_t channels, int64_t inner);

// Multiplies where x <= 0 by noise; noise is 1 elsewhere (and at NaN).
void rrelu_with_noise_forward(const float* x, const float* noise, float* y, int64_t n);
void mul_backward(const float* factor, const float* g, float* dx, int64_t n);  // dx = g * factor

}  // namespace ll

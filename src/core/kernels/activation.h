// kernels/activation.h — elementwise activations, forward and backward.
//
// Formulas and NaN handling follow ATen 1.13's CPU kernels:
//   sigmoid    y = 1 / (1 + exp(-x))          dx = g * (1 - y) * y
//   tanh       y = tanh(x)                    dx = g * (1 - y * y)
//   relu       y = max(x, 0), NaN kept        dx = y > 0 ? g : 0 (NaN passes g)
//   leaky      y = x > 0 ? x : x * slope      dx = x > 0 ? g : g * slope
//   prelu      per-channel slope, see below
//   rrelu      training: y = x <= 0 ? x * noise : x, dx = g * noise
#pragma once

#include <cstdint>

namespace ll {

void sigmoid_forward(const float* x, float* y, int64_t n);
void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n);
void tanh_forward(const float* x, float* y, int64_t n);
void tanh_backward(const float* y, const float* g, float* dx, int64_t n);
void relu_forward(const float* x, float* y, int64_t n);
void relu_backward(const float* y, const float* g, float* dx, int64_t n);
void leaky_relu_forward(const float* x, float* y, int64_t n, float negative_slope);
void leaky_relu_backward(const float* x, const float* g, float* dx, int64_t n, float negative_slope);

// x viewed as (outer, channels, inner); weight has `channels` entries.
void prelu_forward(const float* x, const float* weight, float* y, int64_t outer, int64_t channels, int64_t inner);
// grad_weight[c] = sum over outer, inner of (x > 0 ? 0 : x * g), summed in double.
void prelu_backward(const float* x, const float* weight, const float* g, float* dx, float* grad_weight,
                    int64_t outer, int64_t channels, int64_t inner);

// Multiplies where x <= 0 by noise; noise is 1 elsewhere (and at NaN).
void rrelu_with_noise_forward(const float* x, const float* noise, float* y, int64_t n);
void mul_backward(const float* factor, const float* g, float* dx, int64_t n);  // dx = g * factor

}  // namespace ll

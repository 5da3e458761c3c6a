#include "activation.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "simd.h"

namespace ll {

namespace {

using simd::V4f;
using simd::V4i;

// The vector forms hold their constants as members built by simd::keep4, so a
// functor constructed before a loop keeps them in registers (see simd.h).
// They transform kLanes independent vectors step by step: each form is one
// long chain of dependent operations, and V8 schedules instructions in the
// order it gets them, so several chains side by side are what keeps the
// multipliers busy (one chain per vector ran at a third of the throughput).
constexpr int kLanes = 4;
using Block = V4f[kLanes];

// sigmoid(x) = 1 / (1 + e^-x) with e^-x = 2^n e^-s, n = round(-x log2 e),
// s = x + n ln2 (|s| <= ln2/2, ln2 in two parts so n * ln2_hi is exact) and
// e^-s from a degree-5 minimax polynomial for e^r on [-ln2/2, ln2/2]
// (relative error 1.1e-7), odd terms negated. x is clamped to [-88, 87.3]
// first, so that n stays in [-126, 127] and 2^n is a normal float; beyond
// that range the result is 0 or 1 to within 6e-39. min4/max4 keep NaN, which
// then propagates through the arithmetic.
struct Sigmoid4 {
  const V4f hi = simd::keep4(87.3f), lo = simd::keep4(-88.0f);
  // 1.5 * 2^23 + 127: adding it rounds to an integer and leaves n + 127 in
  // the low mantissa bits, which shifted left by 23 are the bits of 2^n.
  const V4f shifter = simd::keep4(12582912.0f + 127.0f), neg_log2e = simd::keep4(-1.44269504088896341f);
  const V4f ln2_hi = simd::keep4(0.693359375f), ln2_lo = simd::keep4(-2.12194440e-4f);
  const V4f c5 = simd::keep4(-8.31253e-3f), c4 = simd::keep4(4.189011e-2f), c3 = simd::keep4(-1.6667114e-1f),
            c2 = simd::keep4(4.9999232e-1f), one = simd::keep4(1.0f);

  void operator()(Block& v) const {
    V4f t[kLanes], s[kLanes], p[kLanes];
    for (int i = 0; i < kLanes; ++i) v[i] = simd::max4(simd::min4(v[i], hi), lo);
    for (int i = 0; i < kLanes; ++i) t[i] = v[i] * neg_log2e + shifter;
    for (int i = 0; i < kLanes; ++i) s[i] = t[i] - shifter;  // n
    for (int i = 0; i < kLanes; ++i) s[i] = (v[i] + s[i] * ln2_hi) + s[i] * ln2_lo;
    for (int i = 0; i < kLanes; ++i) p[i] = c5 * s[i] + c4;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * s[i] + c3;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * s[i] + c2;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * (s[i] * s[i]) - s[i] + one;  // e^-s
    for (int i = 0; i < kLanes; ++i) {
      const V4f two_n = reinterpret_cast<V4f>(reinterpret_cast<V4i>(t[i]) << 23);
      v[i] = one / (one + p[i] * two_n);
    }
  }
};

// tanh(x) as Eigen's rational minimax (generic_fast_tanh_float): x times an
// even degree-12 over an even degree-6 polynomial, x clamped to +-7.905, where
// the quotient rounds to +-1. Relative error below 4e-7 everywhere, no
// cancellation near 0, -0 and NaN kept.
struct Tanh4 {
  const V4f hi = simd::keep4(7.90531110763549805f), lo = simd::keep4(-7.90531110763549805f);
  const V4f a13 = simd::keep4(-2.76076847742355e-16f), a11 = simd::keep4(2.00018790482477e-13f),
            a9 = simd::keep4(-8.60467152213735e-11f), a7 = simd::keep4(5.12229709037114e-08f),
            a5 = simd::keep4(1.48572235717979e-05f), a3 = simd::keep4(6.37261928875436e-04f),
            a1 = simd::keep4(4.89352455891786e-03f);
  const V4f b6 = simd::keep4(1.19825839466702e-06f), b4 = simd::keep4(1.18534705686654e-04f),
            b2 = simd::keep4(2.26843463243900e-03f), b0 = simd::keep4(4.89352518554385e-03f);

  void operator()(Block& v) const {
    V4f x2[kLanes], p[kLanes], q[kLanes];
    for (int i = 0; i < kLanes; ++i) v[i] = simd::max4(simd::min4(v[i], hi), lo);
    for (int i = 0; i < kLanes; ++i) x2[i] = v[i] * v[i];
    for (int i = 0; i < kLanes; ++i) p[i] = a13 * x2[i] + a11;
    for (int i = 0; i < kLanes; ++i) q[i] = b6 * x2[i] + b4;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * x2[i] + a9;
    for (int i = 0; i < kLanes; ++i) q[i] = q[i] * x2[i] + b2;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * x2[i] + a7;
    for (int i = 0; i < kLanes; ++i) q[i] = q[i] * x2[i] + b0;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * x2[i] + a5;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * x2[i] + a3;
    for (int i = 0; i < kLanes; ++i) p[i] = p[i] * x2[i] + a1;
    for (int i = 0; i < kLanes; ++i) v[i] = v[i] * (p[i] / q[i]);  // p / q first: no underflow for subnormal x
  }
};

// y[i] = y_saved[i] = f(x[i]), kLanes vectors at a time; the last elements
// go through a padded block, so every element sees the same arithmetic.
template <typename F>
void map_saved(const float* x, float* y, float* y_saved, int64_t n, const F& f) {
  constexpr int64_t kBlock = 4 * kLanes;
  int64_t i = 0;
  Block v;
  for (; i + kBlock <= n; i += kBlock) {
    for (int j = 0; j < kLanes; ++j) v[j] = simd::load4(x + i + 4 * j);
    f(v);
    for (int j = 0; j < kLanes; ++j) simd::store4(y + i + 4 * j, v[j]);
    for (int j = 0; j < kLanes; ++j) simd::store4(y_saved + i + 4 * j, v[j]);
  }
  if (i < n) {
    float buf[kBlock] = {};
    const size_t rest = static_cast<size_t>(n - i) * sizeof(float);
    std::memcpy(buf, x + i, rest);
    for (int j = 0; j < kLanes; ++j) v[j] = simd::load4(buf + 4 * j);
    f(v);
    for (int j = 0; j < kLanes; ++j) simd::store4(buf + 4 * j, v[j]);
    std::memcpy(y + i, buf, rest);
    std::memcpy(y_saved + i, buf, rest);
  }
}

// y[i] = f(x[i], m) and bit i of the mask = lane of m, 32 elements per mask
// word; the tail runs through a zero-padded block.
template <typename F>
void map4_masked(const float* x, float* y, uint32_t* mask, int64_t n, const F& f) {
  auto block = [&f](const float* xb, float* yb) {
    V4i m[8];
    for (int j = 0; j < 8; ++j) simd::store4(yb + 4 * j, f(simd::load4(xb + 4 * j), m[j]));
    return static_cast<uint32_t>(simd::bits16(m[0], m[1], m[2], m[3])) |
           static_cast<uint32_t>(simd::bits16(m[4], m[5], m[6], m[7])) << 16;
  };
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) mask[i / 32] = block(x + i, y + i);
  if (i < n) {
    float in[32] = {}, out[32];
    std::memcpy(in, x + i, static_cast<size_t>(n - i) * sizeof(float));
    mask[i / 32] = block(in, out);
    std::memcpy(y + i, out, static_cast<size_t>(n - i) * sizeof(float));
  }
}

// dx[i] = f(m, g[i]) with m the lane masks rebuilt from the mask bits.
template <typename F>
void unmask4(const uint32_t* mask, const float* g, float* dx, int64_t n, const F& f) {
  const V4i lane_bit = simd::keep4(V4i{1, 2, 4, 8});
  auto block = [&](uint32_t word, const float* gb, float* db) {
    for (int j = 0; j < 8; ++j) {
      const V4i m = (simd::splat4i(static_cast<int32_t>(word >> (4 * j))) & lane_bit) != 0;
      simd::store4(db + 4 * j, f(m, simd::load4(gb + 4 * j)));
    }
  };
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) block(mask[i / 32], g + i, dx + i);
  if (i < n) {
    float in[32] = {}, out[32];
    std::memcpy(in, g + i, static_cast<size_t>(n - i) * sizeof(float));
    block(mask[i / 32], in, out);
    std::memcpy(dx + i, out, static_cast<size_t>(n - i) * sizeof(float));
  }
}

}  // namespace

void sigmoid_forward(const float* x, float* y, float* y_saved, int64_t n) { map_saved(x, y, y_saved, n, Sigmoid4{}); }

void sigmoid_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i]) * y[i];
}

void tanh_forward(const float* x, float* y, float* y_saved, int64_t n) { map_saved(x, y, y_saved, n, Tanh4{}); }

void tanh_backward(const float* y, const float* g, float* dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (1.0f - y[i] * y[i]);
}

// ATen's threshold_backward tests the result, y <= 0; x <= 0 is the same set
// (y is 0 exactly where x < 0, x itself elsewhere: -0 and NaN included).
void relu_forward(const float* x, float* y, uint32_t* blocked, int64_t n) {
  const V4f zero = simd::keep4(0.0f);
  map4_masked(x, y, blocked, n, [zero](V4f v, V4i& m) {
    m = v <= zero;
    return simd::max4(v, zero);  // v < 0 ? 0 : v: NaN stays, and -0 too
  });
}

void relu_backward(const uint32_t* blocked, const float* g, float* dx, int64_t n) {
  unmask4(blocked, g, dx, n, [](V4i m, V4f v) { return reinterpret_cast<V4f>(reinterpret_cast<V4i>(v) & ~m); });
}

// x * 1 == x exactly, so multiplying by a selected factor gives the same bits
// as selecting x or x * slope.
void leaky_relu_forward(const float* x, float* y, uint32_t* positive, int64_t n, float negative_slope) {
  const V4f zero = simd::keep4(0.0f), one = simd::keep4(1.0f), slope = simd::keep4(negative_slope);
  map4_masked(x, y, positive, n, [=](V4f v, V4i& m) {
    m = v > zero;
    return v * simd::select4(m, one, slope);
  });
}

void leaky_relu_backward(const uint32_t* positive, const float* g, float* dx, int64_t n, float negative_slope) {
  const V4f one = simd::keep4(1.0f), slope = simd::keep4(negative_slope);
  unmask4(positive, g, dx, n, [=](V4i m, V4f v) { return v * simd::select4(m, one, slope); });
}

void leaky_relu_backward_from_input(const float* x, const float* g, float* dx, int64_t n, float negative_slope) {
  for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * (x[i] > 0.0f ? 1.0f : negative_slope);
}

namespace {
// One channel of PReLU's forward, y = x * (x > 0 ? 1 : slope); kSave also copies
// x for backward (12 bytes an element moved instead of 8). The factor's bits are
// s ^ (m & (s ^ one)), two operations on the compare's mask m, where a select
// takes three; with the load, multiply and store, 6 instructions a vector
// instead of 7.5 (V8's x64 code, measured with --print-wasm-code). Eight vectors
// a step with constant offsets from one pointer, as ReLU's loop: V8 folds the
// offsets into the loads and stores and tests the loop once per 32 elements.
template <bool kSave>
void prelu_channel(const float* xc, float* yc, float* sc, float weight, int64_t inner) {
  const V4f zero = simd::keep4(0.0f);
  const V4i s = simd::keep4(reinterpret_cast<V4i>(simd::splat4f(weight)));
  const V4i flip = simd::keep4(s ^ reinterpret_cast<V4i>(simd::splat4f(1.0f)));
  auto f = [=](V4f v) {
    V4i m = v > zero;
    m = simd::keep4(m);  // opaque: LLVM would turn m & flip back into a select (of flip and 0)
    return v * reinterpret_cast<V4f>(s ^ (m & flip));
  };
  int64_t i = 0;
  for (; i + 32 <= inner; i += 32) {
    const float* xb = xc + i;
    float* yb = yc + i;
    for (int j = 0; j < 8; ++j) {
      const V4f v = simd::load4(xb + 4 * j);
      if (kSave) simd::store4(sc + i + 4 * j, v);
      simd::store4(yb + 4 * j, f(v));
    }
  }
  for (; i + 4 <= inner; i += 4) {
    const V4f v = simd::load4(xc + i);
    if (kSave) simd::store4(sc + i, v);
    simd::store4(yc + i, f(v));
  }
  for (; i < inner; ++i) {
    if (kSave) sc[i] = xc[i];
    yc[i] = xc[i] * (xc[i] > 0.0f ? 1.0f : weight);
  }
}
}  // namespace

void prelu_forward(const float* x, const float* weight, float* y, float* x_saved, int64_t outer, int64_t channels,
                   int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {  // a leaky ReLU per channel
      const int64_t base = (o * channels + c) * inner;
      if (x_saved)
        prelu_channel<true>(x + base, y + base, x_saved + base, weight[c], inner);
      else
        prelu_channel<false>(x + base, y + base, nullptr, weight[c], inner);
    }
  }
}

void prelu_backward(const float* x, const float* weight, const float* g, float* dx, float* grad_weight,
                    int64_t outer, int64_t channels, int64_t inner) {
  std::vector<double> acc(static_cast<size_t>(channels), 0.0);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (o * channels + c) * inner;
      leaky_relu_backward_from_input(x + base, g + base, dx + base, inner, weight[c]);
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

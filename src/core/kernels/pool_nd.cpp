// kernels/pool_nd.cpp — pool.h's "Any rank" section: the 1-, 2- and 3-D kernels
// of every pooling module but MaxPool2d, AvgPool2d and MaxUnpool2d. Plain loops in
// ATen's order (DilatedMaxPool3d.cpp, AveragePool3d.cpp, AdaptiveAvgPoolKernel.cpp,
// AdaptiveMaxPoolKernel.cpp, FractionalMaxPool2d/3d.cpp), compiled for size.
#include <algorithm>
#include <cmath>
#include <limits>

#include "pool.h"

namespace ll {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Calls visit(plane, flat output index, o[3]) for every output cell, in order.
template <class Visit>
void for_each_output(const PoolGeometry& g, Visit visit) {
  int64_t flat = 0;
  for (int64_t p = 0; p < g.planes; ++p)
    for (int64_t od = 0; od < g.out[0]; ++od)
      for (int64_t oh = 0; oh < g.out[1]; ++oh)
        for (int64_t ow = 0; ow < g.out[2]; ++ow) {
          const int64_t o[3] = {od, oh, ow};
          visit(p, flat++, o);
        }
}

int64_t flat_index(const PoolGeometry& g, int64_t d, int64_t h, int64_t w) { return (d * g.in[1] + h) * g.in[2] + w; }

// Calls tap(flat index in the volume) for every tap of the window, depth first.
template <class Tap>
void for_each_tap(const PoolGeometry& g, const AxisWindow w[3], Tap tap) {
  for (int64_t d = w[0].first; d < w[0].end; d += w[0].step)
    for (int64_t h = w[1].first; h < w[1].end; h += w[1].step)
      for (int64_t x = w[2].first; x < w[2].end; x += w[2].step) tap(flat_index(g, d, h, x));
}

// ATen's max scan: greater, or NaN, takes the place; starts at -inf on the first tap.
void window_max(const PoolGeometry& g, const float* in, const AxisWindow w[3], float* value, int64_t* index) {
  float best = kNegInf;
  int64_t at = flat_index(g, w[0].first, w[1].first, w[2].first);
  for_each_tap(g, w, [&](int64_t i) {
    const float v = in[i];
    if (v > best || v != v) best = v, at = i;
  });
  *value = best;
  *index = at;
}

AxisWindow adaptive_axis(const PoolGeometry& g, int axis, int64_t o) {
  const AdaptiveWindow w = adaptive_window(o, g.in[axis], g.out[axis]);
  return {w.start, w.end, 1};
}

}  // namespace

AxisWindow max_pool_window(const PoolGeometry& g, int axis, int64_t o) {
  const int64_t d = g.dilation[axis];
  int64_t first = o * g.stride[axis] - g.pad[axis];
  const int64_t end = std::min(first + (g.kernel[axis] - 1) * d + 1, g.in[axis]);
  if (first < 0) first += ((-first + d - 1) / d) * d;  // step over the taps in the padding
  return {first, end, d};
}

AxisWindow avg_pool_window(const PoolGeometry& g, int axis, int64_t o, int64_t* padded) {
  const int64_t start = o * g.stride[axis] - g.pad[axis];
  const int64_t end = std::min(start + g.kernel[axis], g.in[axis] + g.pad[axis]);
  if (padded) *padded = end - start;
  return {std::max<int64_t>(start, 0), std::min(end, g.in[axis]), 1};
}

int64_t avg_pool_divisor(const PoolGeometry& g, const int64_t o[3], bool count_include_pad,
                         std::optional<int64_t> divisor_override) {
  if (divisor_override) return *divisor_override;
  int64_t padded_count = 1, count = 1;
  for (int a = 0; a < 3; ++a) {
    int64_t padded = 0;
    const AxisWindow w = avg_pool_window(g, a, o[a], &padded);
    padded_count *= padded;
    count *= w.end - w.first;
  }
  return count_include_pad ? padded_count : count;
}

std::vector<int64_t> fractional_intervals(float sample, int64_t in, int64_t out, int64_t kernel) {
  std::vector<int64_t> starts(static_cast<size_t>(std::max<int64_t>(out, 0)));
  if (out > 1) {
    const float alpha = static_cast<float>(in - kernel) / static_cast<float>(out - 1);
    for (int64_t i = 0; i + 1 < out; ++i) {
      starts[static_cast<size_t>(i)] =
          static_cast<int>((static_cast<float>(static_cast<int>(i)) + sample) * alpha) - static_cast<int>(sample * alpha);
    }
  }
  if (out > 0) starts.back() = in - kernel;
  return starts;
}

void max_pool_forward(const PoolGeometry& g, const float* input, float* output, int64_t* indices) {
  const int64_t volume = g.in_volume();
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {max_pool_window(g, 0, o[0]), max_pool_window(g, 1, o[1]), max_pool_window(g, 2, o[2])};
    window_max(g, input + p * volume, w, output + flat, indices + flat);
  });
}

void adaptive_max_pool_forward(const PoolGeometry& g, const float* input, float* output, int64_t* indices) {
  const int64_t volume = g.in_volume();
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {adaptive_axis(g, 0, o[0]), adaptive_axis(g, 1, o[1]), adaptive_axis(g, 2, o[2])};
    window_max(g, input + p * volume, w, output + flat, indices + flat);
  });
}

void fractional_max_pool_forward(const PoolGeometry& g, const int64_t kernel[3], const float* samples, const float* input,
                                 float* output, int64_t* indices) {
  const int64_t volume = g.in_volume(), out_volume = g.out_volume();
  for (int64_t p = 0; p < g.planes; ++p) {
    std::vector<int64_t> starts[3];
    for (int a = 0; a < 3; ++a) {
      // ATen's sample order: 2-D (width, height), 3-D (depth, height, width).
      const int s = g.dims == 2 ? 2 - a : a - (3 - g.dims);
      const float u = a < 3 - g.dims ? 0.0f : samples[p * g.dims + s];
      starts[a] = a < 3 - g.dims ? std::vector<int64_t>{0} : fractional_intervals(u, g.in[a], g.out[a], kernel[a]);
    }
    int64_t flat = p * out_volume;
    for (int64_t od = 0; od < g.out[0]; ++od)
      for (int64_t oh = 0; oh < g.out[1]; ++oh)
        for (int64_t ow = 0; ow < g.out[2]; ++ow, ++flat) {
          const int64_t o[3] = {od, oh, ow};
          AxisWindow w[3];
          for (int a = 0; a < 3; ++a) {
            const int64_t first = starts[a][static_cast<size_t>(o[a])];
            w[a] = {first, first + kernel[a], 1};
          }
          window_max(g, input + p * volume, w, output + flat, indices + flat);
        }
  }
}

void max_pool_backward(const PoolGeometry& g, const float* grad_output, const int64_t* indices, float* grad_input) {
  const int64_t volume = g.in_volume(), out_volume = g.out_volume();
  std::fill(grad_input, grad_input + g.planes * volume, 0.0f);
  for (int64_t p = 0; p < g.planes; ++p) {
    float* gi = grad_input + p * volume;
    for (int64_t o = p * out_volume; o < (p + 1) * out_volume; ++o) {
      // A window without a tap inside the input points outside it (ATen then writes out of bounds).
      if (indices[o] >= 0 && indices[o] < volume) gi[indices[o]] += grad_output[o];
    }
  }
}

void avg_pool_forward(const PoolGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                      const float* input, float* output) {
  const int64_t volume = g.in_volume();
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {avg_pool_window(g, 0, o[0], nullptr), avg_pool_window(g, 1, o[1], nullptr),
                             avg_pool_window(g, 2, o[2], nullptr)};
    const float* in = input + p * volume;
    float sum = 0.0f;
    for_each_tap(g, w, [&](int64_t i) { sum += in[i]; });
    output[flat] = sum / static_cast<float>(avg_pool_divisor(g, o, count_include_pad, divisor_override));
  });
}

void avg_pool_backward(const PoolGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                       const float* grad_output, float* grad_input) {
  const int64_t volume = g.in_volume();
  std::fill(grad_input, grad_input + g.planes * volume, 0.0f);
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {avg_pool_window(g, 0, o[0], nullptr), avg_pool_window(g, 1, o[1], nullptr),
                             avg_pool_window(g, 2, o[2], nullptr)};
    const float delta =
        grad_output[flat] / static_cast<float>(avg_pool_divisor(g, o, count_include_pad, divisor_override));
    float* gi = grad_input + p * volume;
    for_each_tap(g, w, [&](int64_t i) { gi[i] += delta; });
  });
}

void adaptive_avg_pool_forward(const PoolGeometry& g, const float* input, float* output) {
  const int64_t volume = g.in_volume();
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {adaptive_axis(g, 0, o[0]), adaptive_axis(g, 1, o[1]), adaptive_axis(g, 2, o[2])};
    const float* in = input + p * volume;
    float sum = 0.0f;
    for_each_tap(g, w, [&](int64_t i) { sum += in[i]; });
    // ATen: sum / kT / kH / kW (2-D: sum / kH / kW; dividing by an unused axis's 1 is exact).
    for (int a = 0; a < 3; ++a) sum /= static_cast<float>(w[a].end - w[a].first);
    output[flat] = sum;
  });
}

void adaptive_avg_pool_backward(const PoolGeometry& g, const float* grad_output, float* grad_input) {
  const int64_t volume = g.in_volume();
  std::fill(grad_input, grad_input + g.planes * volume, 0.0f);
  for_each_output(g, [&](int64_t p, int64_t flat, const int64_t o[3]) {
    const AxisWindow w[3] = {adaptive_axis(g, 0, o[0]), adaptive_axis(g, 1, o[1]), adaptive_axis(g, 2, o[2])};
    float delta = grad_output[flat];
    for (int a = 0; a < 3; ++a) delta /= static_cast<float>(w[a].end - w[a].first);
    float* gi = grad_input + p * volume;
    for_each_tap(g, w, [&](int64_t i) { gi[i] += delta; });
  });
}

}  // namespace ll

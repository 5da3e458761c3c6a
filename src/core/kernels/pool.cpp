#include "pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace ll {

PoolWindow max_pool2d_window(const Pool2dGeometry& g, int64_t oh, int64_t ow) {
  PoolWindow w;
  w.h0 = oh * g.stride_h - g.pad_h;
  w.w0 = ow * g.stride_w - g.pad_w;
  w.h1 = std::min(w.h0 + (g.kernel_h - 1) * g.dilation_h + 1, g.in_h);
  w.w1 = std::min(w.w0 + (g.kernel_w - 1) * g.dilation_w + 1, g.in_w);
  // Step over the taps that fall in the left/top padding.
  if (w.h0 < 0) w.h0 += ((-w.h0 + g.dilation_h - 1) / g.dilation_h) * g.dilation_h;
  if (w.w0 < 0) w.w0 += ((-w.w0 + g.dilation_w - 1) / g.dilation_w) * g.dilation_w;
  return w;
}

namespace {

// Output columns [first, last] whose tap at window offset `tap_offset`
// (= kw * dilation - padding) falls inside [0, in_w): ow * stride + tap_offset in range.
struct ColumnRange {
  int64_t first, last;
};
ColumnRange columns_in_bounds(int64_t out_w, int64_t in_w, int64_t stride, int64_t tap_offset) {
  // ceil((-tap_offset) / stride) and floor((in_w - 1 - tap_offset) / stride), clipped to [0, out_w - 1].
  const int64_t lo_num = -tap_offset;
  int64_t first = lo_num <= 0 ? 0 : (lo_num + stride - 1) / stride;
  const int64_t hi_num = in_w - 1 - tap_offset;
  int64_t last = hi_num < 0 ? -1 : std::min(out_w - 1, hi_num / stride);
  return {first, last};
}

}  // namespace

// One output row at a time, one window tap at a time across the row: every
// output cell still visits its taps in ATen's row-major order (so ties, NaN
// and the -inf start match), but the inner loop runs over contiguous outputs
// without branches and vectorises.
void max_pool2d_forward(const Pool2dGeometry& g, const float* input, float* output, int64_t* indices) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* out = output + p * out_plane + oh * g.out_w;
      int64_t* idx = indices + p * out_plane + oh * g.out_w;
      // Start: -inf at the first in-bounds tap of each window (ATen's maxindex init).
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const PoolWindow w = max_pool2d_window(g, oh, ow);
        out[ow] = -std::numeric_limits<float>::infinity();
        idx[ow] = w.h0 * g.in_w + w.w0;
      }
      const PoolWindow rows = max_pool2d_window(g, oh, 0);
      for (int64_t ih = rows.h0; ih < rows.h1; ih += g.dilation_h) {
        const float* row = in + ih * g.in_w;
        for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
          const int64_t offset = kw * g.dilation_w - g.pad_w;
          const ColumnRange c = columns_in_bounds(g.out_w, g.in_w, g.stride_w, offset);
          const int64_t sw = g.stride_w;
          for (int64_t ow = c.first; ow <= c.last; ++ow) {
            const int64_t iw = ow * sw + offset;
            const float v = row[iw];
            // Strictly greater: ties keep the first; NaN always wins, so the last NaN is kept.
            const bool take = v > out[ow] || v != v;
            out[ow] = take ? v : out[ow];
            idx[ow] = take ? ih * g.in_w + iw : idx[ow];
          }
        }
      }
    }
  }
}

void max_pool2d_backward(const Pool2dGeometry& g, const float* grad_output, const int64_t* indices,
                         float* grad_input) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  std::fill(grad_input, grad_input + g.planes * in_plane, 0.0f);
  for (int64_t p = 0; p < g.planes; ++p) {
    float* gi = grad_input + p * in_plane;
    const float* go = grad_output + p * out_plane;
    const int64_t* idx = indices + p * out_plane;
    for (int64_t o = 0; o < out_plane; ++o) {
      // A window with no in-bounds tap (possible with large dilation) points
      // outside the plane; ATen would write out of bounds there, we skip it.
      if (idx[o] >= 0 && idx[o] < in_plane) gi[idx[o]] += go[o];
    }
  }
}

namespace {

struct AvgWindow {
  int64_t h0, h1, w0, w1;  // clipped to the input
  int64_t divisor;
};

AvgWindow avg_window(const Pool2dGeometry& g, int64_t oh, int64_t ow, bool count_include_pad,
                     std::optional<int64_t> divisor_override) {
  int64_t h0 = oh * g.stride_h - g.pad_h;
  int64_t w0 = ow * g.stride_w - g.pad_w;
  int64_t h1 = std::min(h0 + g.kernel_h, g.in_h + g.pad_h);
  int64_t w1 = std::min(w0 + g.kernel_w, g.in_w + g.pad_w);
  const int64_t padded_count = (h1 - h0) * (w1 - w0);
  h0 = std::max<int64_t>(h0, 0);
  w0 = std::max<int64_t>(w0, 0);
  h1 = std::min(h1, g.in_h);
  w1 = std::min(w1, g.in_w);
  AvgWindow a{h0, h1, w0, w1, 0};
  if (divisor_override) {
    a.divisor = *divisor_override;
  } else {
    a.divisor = count_include_pad ? padded_count : (h1 - h0) * (w1 - w0);
  }
  return a;
}

}  // namespace

int64_t avg_pool2d_divisor(const Pool2dGeometry& g, int64_t oh, int64_t ow, bool count_include_pad,
                           std::optional<int64_t> divisor_override) {
  return avg_window(g, oh, ow, count_include_pad, divisor_override).divisor;
}

// Like max_pool2d_forward: sums each window in ATen's row-major order, one tap
// at a time across the output row, then divides.
void avg_pool2d_forward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                        const float* input, float* output) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  std::vector<float> divisor(static_cast<size_t>(g.out_w));
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* out = output + p * out_plane + oh * g.out_w;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        out[ow] = 0.0f;
        divisor[static_cast<size_t>(ow)] =
            static_cast<float>(avg_window(g, oh, ow, count_include_pad, divisor_override).divisor);
      }
      const AvgWindow rows = avg_window(g, oh, 0, count_include_pad, divisor_override);
      for (int64_t ih = rows.h0; ih < rows.h1; ++ih) {
        const float* row = in + ih * g.in_w;
        for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
          // Taps in the padding (or past it, in a ceil_mode window) add nothing.
          const ColumnRange c = columns_in_bounds(g.out_w, g.in_w, g.stride_w, kw - g.pad_w);
          for (int64_t ow = c.first; ow <= c.last; ++ow) out[ow] += row[ow * g.stride_w + kw - g.pad_w];
        }
      }
      for (int64_t ow = 0; ow < g.out_w; ++ow) out[ow] /= divisor[static_cast<size_t>(ow)];
    }
  }
}

void avg_pool2d_backward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                         const float* grad_output, float* grad_input) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  std::fill(grad_input, grad_input + g.planes * in_plane, 0.0f);
  for (int64_t p = 0; p < g.planes; ++p) {
    float* gi = grad_input + p * in_plane;
    const float* go = grad_output + p * out_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const AvgWindow a = avg_window(g, oh, ow, count_include_pad, divisor_override);
        const float delta = go[oh * g.out_w + ow] / static_cast<float>(a.divisor);
        for (int64_t ih = a.h0; ih < a.h1; ++ih) {
          for (int64_t iw = a.w0; iw < a.w1; ++iw) gi[ih * g.in_w + iw] += delta;
        }
      }
    }
  }
}

void max_unpool2d_forward(int64_t planes, int64_t in_plane, int64_t out_plane, const float* input,
                          const int64_t* indices, float* output) {
  std::fill(output, output + planes * out_plane, 0.0f);
  for (int64_t p = 0; p < planes; ++p) {
    float* out = output + p * out_plane;
    const float* in = input + p * in_plane;
    const int64_t* idx = indices + p * in_plane;
    for (int64_t i = 0; i < in_plane; ++i) out[idx[i]] = in[i];
  }
}

void max_unpool2d_backward(int64_t planes, int64_t in_plane, int64_t out_plane, const float* grad_output,
                           const int64_t* indices, float* grad_input) {
  for (int64_t p = 0; p < planes; ++p) {
    const float* go = grad_output + p * out_plane;
    float* gi = grad_input + p * in_plane;
    const int64_t* idx = indices + p * in_plane;
    for (int64_t i = 0; i < in_plane; ++i) gi[i] = go[idx[i]];
  }
}

}  // namespace ll

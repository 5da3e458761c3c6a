#include "pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "simd.h"

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

using simd::V4f;
using simd::V4i;

// Scratch reused across calls (no allocation per call once it has grown).
template <typename T>
T* scratch(std::vector<T>& buffer, int64_t size) {
  if (buffer.size() < static_cast<size_t>(size)) buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

// Where a 1-D max window looks: first in-bounds tap `start` (or, with no tap
// in bounds, the tap ATen reports), `taps` taps `dilation` apart.
struct Taps {
  int32_t start, taps;
};

Taps window_taps(int64_t start, int64_t end, int64_t dilation) {
  const int64_t taps = start < end ? (end - start + dilation - 1) / dilation : 0;
  return {static_cast<int32_t>(start), static_cast<int32_t>(taps)};
}

// The max-with-index step of ATen's scan: v replaces the running max when it
// is strictly greater (ties keep the first) or NaN (so the last NaN is kept).
inline V4i takes(V4f v, V4f current) { return (v > current) | (v != v); }

// Horizontal stage for one input row: for every output column, the max of the
// row's taps and the column it came from, scanning the taps left to right.
// Scalar version, for the border columns and strides without a vector loop.
void max_pool_row_scalar(const Taps* cols, int64_t from, int64_t to, int64_t dilation, const float* row, float* hv,
                         int32_t* hc) {
  const int32_t dil = static_cast<int32_t>(dilation);
  for (int64_t ow = from; ow < to; ++ow) {
    const Taps t = cols[ow];
    float best = -std::numeric_limits<float>::infinity();
    int32_t at = t.start;
    for (int32_t q = 0, iw = t.start; q < t.taps; ++q, iw += dil) {
      const float v = row[iw];
      if (v > best || v != v) {
        best = v;
        at = iw;
      }
    }
    hv[ow] = best;
    hc[ow] = at;
  }
}

// Vector version for columns [from, to) (a multiple of 4) whose taps all lie
// in bounds, including the extra lanes the stride-2 loads read.
void max_pool_row_vector(const Taps* cols, int64_t from, int64_t to, int64_t kernel, int64_t stride, int64_t dilation,
                         const float* row, float* hv, int32_t* hc) {
  const int32_t dil = static_cast<int32_t>(dilation);
  const V4i lane = stride == 1 ? V4i{0, 1, 2, 3} : V4i{0, 2, 4, 6};
  for (int64_t ow = from; ow < to; ow += 4) {
    const float* p = row + cols[ow].start;
    auto taps_at = [&](const float* q) {
      return stride == 1 ? simd::load4(q) : simd::even4(simd::load4(q), simd::load4(q + 4));
    };
    V4f best = taps_at(p);
    V4i tap = simd::splat4i(0);
    for (int32_t q = 1; q < kernel; ++q) {
      const V4f v = taps_at(p + q * dil);
      const V4i m = takes(v, best);
      best = simd::select4(m, v, best);
      tap = simd::select4(m, simd::splat4i(q), tap);
    }
    simd::store4(hv + ow, best);
    simd::store4(hc + ow, simd::splat4i(cols[ow].start) + lane + tap * simd::splat4i(dil));
  }
}

// Specialisation of max_pool_row_vector for the common 3-tap, stride-2,
// dilation-1 window: three overlapping deinterleaves from three loads.
void max_pool_row_k3s2(const Taps* cols, int64_t vec_first, int64_t vec_end, const float* row, float* hv,
                       int32_t* hc) {
  for (int64_t ow = vec_first; ow < vec_end; ow += 4) {
    const float* p = row + cols[ow].start;
    const V4f a = simd::load4(p), b = simd::load4(p + 4), c = simd::load4(p + 8);
    const V4f t0 = simd::even4(a, b), t1 = simd::odd4(a, b), t2 = simd::shift4_1(t0, c);
    V4f best = t0;
    V4i col = simd::splat4i(cols[ow].start) + V4i{0, 2, 4, 6};
    V4i m = takes(t1, best);
    best = simd::select4(m, t1, best);
    V4i tap = m & simd::splat4i(1);
    m = takes(t2, best);
    best = simd::select4(m, t2, best);
    tap = simd::select4(m, simd::splat4i(2), tap);
    simd::store4(hv + ow, best);
    simd::store4(hc + ow, col + tap);
  }
}

}  // namespace

// Separable scan: every input row is reduced over the window's columns once
// (max and column), then each output row combines its window's rows in order.
// Equivalent to ATen's row-major scan of the window: within a row the first
// max (or the last NaN) wins, across rows a later row wins only when strictly
// greater (or NaN). A window with no tap in bounds gives -inf at ATen's index.
void max_pool2d_forward(const Pool2dGeometry& g, const float* input, float* output, int64_t* indices) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t out_w = g.out_w;
  thread_local std::vector<Taps> col_buf, row_buf;
  thread_local std::vector<float> hv_buf;
  thread_local std::vector<int32_t> hc_buf;
  Taps* cols = scratch(col_buf, out_w + 4);
  Taps* rows = scratch(row_buf, g.out_h);
  for (int64_t ow = 0; ow < out_w; ++ow) {
    const PoolWindow w = max_pool2d_window(g, 0, ow);
    cols[ow] = window_taps(w.w0, w.w1, g.dilation_w);
  }
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    const PoolWindow w = max_pool2d_window(g, oh, 0);
    rows[oh] = window_taps(w.h0, w.h1, g.dilation_h);
  }
  // Vector columns: a run of whole windows whose vector loads stay inside the row.
  const int64_t span = (g.kernel_w - 1) * g.dilation_w + 1;  // columns one window covers
  int64_t vec_first = 0;
  while (vec_first < out_w && vec_first * g.stride_w - g.pad_w < 0) ++vec_first;
  int64_t vec_end = vec_first;
  const bool k3s2 = g.kernel_w == 3 && g.stride_w == 2 && g.dilation_w == 1;
  if (g.stride_w <= 2) {
    // 4 outputs read `reach` columns from the first window's start: 4 * stride
    // (a stride-2 tap loads 8) plus the window's extent; 12 for k3s2.
    const int64_t reach = k3s2 ? 12 : 4 * g.stride_w + (g.kernel_w - 1) * g.dilation_w;
    while (vec_end + 4 <= out_w && (vec_end * g.stride_w - g.pad_w) + reach <= g.in_w &&
           (vec_end + 3) * g.stride_w - g.pad_w + span <= g.in_w) {
      vec_end += 4;
    }
  }
  // Horizontal results for each input row a window of this plane reads.
  float* hv = scratch(hv_buf, g.in_h * out_w);
  int32_t* hc = scratch(hc_buf, g.in_h * out_w + out_w);
  int32_t* idx32 = hc + g.in_h * out_w;
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t ih = 0; ih < g.in_h; ++ih) {
      float* v = hv + ih * out_w;
      int32_t* c = hc + ih * out_w;
      const float* row = in + ih * g.in_w;
      max_pool_row_scalar(cols, 0, vec_first, g.dilation_w, row, v, c);
      if (k3s2) {
        max_pool_row_k3s2(cols, vec_first, vec_end, row, v, c);
      } else {
        max_pool_row_vector(cols, vec_first, vec_end, g.kernel_w, g.stride_w, g.dilation_w, row, v, c);
      }
      max_pool_row_scalar(cols, vec_end, out_w, g.dilation_w, row, v, c);
    }
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* out = output + p * out_plane + oh * out_w;
      int64_t* idx = indices + p * out_plane + oh * out_w;
      const Taps r = rows[oh];
      if (r.taps == 0) {  // no row in bounds: -inf at the first tap ATen would visit
        for (int64_t ow = 0; ow < out_w; ++ow) {
          out[ow] = -std::numeric_limits<float>::infinity();
          idx[ow] = static_cast<int64_t>(r.start) * g.in_w + cols[ow].start;
        }
        continue;
      }
      const float* v0 = hv + static_cast<int64_t>(r.start) * out_w;
      const int32_t* c0 = hc + static_cast<int64_t>(r.start) * out_w;
      int64_t ow = 0;
      for (; ow + 4 <= out_w; ow += 4) {
        V4f best = simd::load4(v0 + ow);
        V4i at = simd::load4(c0 + ow) + simd::splat4i(static_cast<int32_t>(r.start * g.in_w));
        for (int32_t q = 1; q < r.taps; ++q) {
          const int64_t ih = r.start + q * g.dilation_h;
          const V4f v = simd::load4(hv + ih * out_w + ow);
          const V4i m = takes(v, best);
          best = simd::select4(m, v, best);
          at = simd::select4(m, simd::load4(hc + ih * out_w + ow) + simd::splat4i(static_cast<int32_t>(ih * g.in_w)), at);
        }
        simd::store4(out + ow, best);
        simd::store4(idx32 + ow, at);
      }
      for (; ow < out_w; ++ow) {
        float best = v0[ow];
        int32_t at = c0[ow] + static_cast<int32_t>(r.start * g.in_w);
        for (int32_t q = 1; q < r.taps; ++q) {
          const int64_t ih = r.start + q * g.dilation_h;
          const float v = hv[ih * out_w + ow];
          if (v > best || v != v) {
            best = v;
            at = hc[ih * out_w + ow] + static_cast<int32_t>(ih * g.in_w);
          }
        }
        out[ow] = best;
        idx32[ow] = at;
      }
      for (int64_t o = 0; o < out_w; ++o) idx[o] = idx32[o];  // widened once, vectorised
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

// Sums each window in ATen's row-major order (from 0.0f, one tap at a time)
// and divides by its divisor, with the taps of 4 adjacent output cells in the
// lanes of a vector wherever their windows are whole (stride 1 or 2); border
// cells and other strides run the same sums scalar.
void avg_pool2d_forward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                        const float* input, float* output) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t out_w = g.out_w;
  // Divisors and windows depend on (oh, ow) only: computed once per call.
  thread_local std::vector<float> divisor_buf;
  thread_local std::vector<AvgWindow> col_buf, row_buf;
  float* divisor = scratch(divisor_buf, out_plane);
  AvgWindow* cols = scratch(col_buf, out_w);
  AvgWindow* rows = scratch(row_buf, g.out_h);
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < out_w; ++ow) {
      divisor[oh * out_w + ow] =
          static_cast<float>(avg_window(g, oh, ow, count_include_pad, divisor_override).divisor);
    }
    rows[oh] = avg_window(g, oh, 0, count_include_pad, divisor_override);
  }
  for (int64_t ow = 0; ow < out_w; ++ow) cols[ow] = avg_window(g, 0, ow, count_include_pad, divisor_override);
  // Vector columns: windows unclipped and 4 of them (plus a stride-2 load's
  // extra lanes) inside the row.
  int64_t vec_first = 0;
  while (vec_first < out_w && vec_first * g.stride_w - g.pad_w < 0) ++vec_first;
  int64_t vec_end = vec_first;
  if (g.stride_w <= 2) {
    const int64_t reach = 4 * g.stride_w + g.kernel_w - 1;
    while (vec_end + 4 <= out_w && vec_end * g.stride_w - g.pad_w + reach <= g.in_w) vec_end += 4;
  }
  const bool s2 = g.stride_w == 2;
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* out = output + p * out_plane + oh * out_w;
      const float* div = divisor + oh * out_w;
      const AvgWindow r = rows[oh];
      auto scalar = [&](int64_t ow) {
        const AvgWindow c = cols[ow];
        float sum = 0.0f;
        for (int64_t ih = r.h0; ih < r.h1; ++ih) {
          for (int64_t iw = c.w0; iw < c.w1; ++iw) sum += in[ih * g.in_w + iw];
        }
        out[ow] = sum / div[ow];
      };
      for (int64_t ow = 0; ow < vec_first; ++ow) scalar(ow);
      if (s2 && g.kernel_w == 2) {  // the common 2-wide, stride-2 window: one deinterleave per row
        for (int64_t ow = vec_first; ow < vec_end; ow += 4) {
          const float* base = in + ow * 2 - g.pad_w;
          V4f sum = simd::splat4f(0.0f);
          for (int64_t ih = r.h0; ih < r.h1; ++ih) {
            const V4f a = simd::load4(base + ih * g.in_w), b = simd::load4(base + ih * g.in_w + 4);
            sum += simd::even4(a, b);
            sum += simd::odd4(a, b);
          }
          simd::store4(out + ow, sum / simd::load4(div + ow));
        }
      } else {
        for (int64_t ow = vec_first; ow < vec_end; ow += 4) {
          const float* base = in + ow * g.stride_w - g.pad_w;
          V4f sum = simd::splat4f(0.0f);
          for (int64_t ih = r.h0; ih < r.h1; ++ih) {
            const float* row = base + ih * g.in_w;
            for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
              sum += s2 ? simd::even4(simd::load4(row + kw), simd::load4(row + kw + 4)) : simd::load4(row + kw);
            }
          }
          simd::store4(out + ow, sum / simd::load4(div + ow));
        }
      }
      for (int64_t ow = vec_end; ow < out_w; ++ow) scalar(ow);
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

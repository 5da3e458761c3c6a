#include "pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "simd.h"

namespace ll {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Scratch reused across calls (no allocation per call once it has grown).
template <typename T>
T* scratch(std::vector<T>& buffer, int64_t size) {
  if (buffer.size() < static_cast<size_t>(size)) buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

// Vector stores: about twice as fast as the libc memset wasm links.
void fill_zero(float* p, int64_t n) {
  const simd::V4f zero = simd::splat4f(0.0f);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    simd::store4(p + i, zero);
    simd::store4(p + i + 4, zero);
    simd::store4(p + i + 8, zero);
    simd::store4(p + i + 12, zero);
  }
  for (; i < n; ++i) p[i] = 0.0f;
}

}  // namespace

WindowSpan pool2d_window_span(const Pool2dGeometry& g, int64_t oh, int64_t ow) {
  const int64_t h0 = oh * g.stride_h - g.pad_h, w0 = ow * g.stride_w - g.pad_w;
  return {h0, h0 + (g.kernel_h - 1) * g.dilation_h + 1, w0, w0 + (g.kernel_w - 1) * g.dilation_w + 1};
}

std::vector<int64_t> pool2d_outputs_reading(const Pool2dGeometry& g, int axis, int64_t i) {
  std::vector<int64_t> out;
  const int64_t n = axis == 0 ? g.out_h : g.out_w, k = axis == 0 ? g.kernel_h : g.kernel_w;
  const int64_t d = axis == 0 ? g.dilation_h : g.dilation_w;
  for (int64_t o = 0; o < n; ++o) {
    const WindowSpan w = pool2d_window_span(g, axis == 0 ? o : 0, axis == 0 ? 0 : o);
    const int64_t rel = i - (axis == 0 ? w.h0 : w.w0);
    if (rel >= 0 && rel % d == 0 && rel / d < k) out.push_back(o);
  }
  return out;
}

int64_t pool2d_overhang(const Pool2dGeometry& g, int axis) {
  const bool dropped = axis == 0 ? g.ceil_dropped_h : g.ceil_dropped_w;
  const int64_t last = (axis == 0 ? g.out_h : g.out_w) - (dropped ? 0 : 1);
  const WindowSpan w = pool2d_window_span(g, axis == 0 ? last : 0, axis == 0 ? 0 : last);
  const int64_t end = axis == 0 ? w.h1 : w.w1, padded = axis == 0 ? g.in_h + g.pad_h : g.in_w + g.pad_w;
  return std::max<int64_t>(0, end - padded);
}

PoolWindow max_pool2d_window(const Pool2dGeometry& g, int64_t oh, int64_t ow) {
  const WindowSpan span = pool2d_window_span(g, oh, ow);
  PoolWindow w;
  w.h0 = span.h0;
  w.w0 = span.w0;
  w.h1 = std::min(span.h1, g.in_h);
  w.w1 = std::min(span.w1, g.in_w);
  // Step over the taps that fall in the left/top padding.
  if (w.h0 < 0) w.h0 += ((-w.h0 + g.dilation_h - 1) / g.dilation_h) * g.dilation_h;
  if (w.w0 < 0) w.w0 += ((-w.w0 + g.dilation_w - 1) / g.dilation_w) * g.dilation_w;
  return w;
}

namespace {

using simd::V4f;
using simd::V4i;

// One step of ATen's scan for four cells: a tap replaces the running max
// when strictly greater (ties keep the earlier tap) or NaN (the last NaN
// wins). Without NaN in the plane, the running max is simply pmax.
template <bool kNaN>
inline V4i takes(V4f v, V4f best) {
  return kNaN ? (v > best) | (v != v) : (v > best);
}
template <bool kNaN>
inline V4f updated(V4i m, V4f v, V4f best) {
  return kNaN ? simd::select4(m, v, best) : simd::max4(best, v);
}

// Whether a plane holds a NaN (or, rarely, sums to one: ±inf together or an
// overflow), which only sends it through the NaN-exact scan.
bool may_hold_nan(const float* x, int64_t n) {
  V4f a = simd::splat4f(0.0f), b = a, c = a, d = a;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a += simd::load4(x + i);
    b += simd::load4(x + i + 4);
    c += simd::load4(x + i + 8);
    d += simd::load4(x + i + 12);
  }
  float tail = 0.0f;
  for (; i < n; ++i) tail += x[i];
  const V4f s = (a + b) + (c + d);
  return s[0] != s[0] || s[1] != s[1] || s[2] != s[2] || s[3] != s[3] || tail != tail;
}

// The horizontal stage of the separable scan, for the row geometry of a call.
//
// For each output column, the max over the window's taps in one input row
// and the column it came from, four output columns per vector. The row is
// first copied between -inf margins (`padded`), so every vector reads the
// same way; a -inf tap never replaces the running max. Vectors whose first
// tap lies in the left margin start, as ATen does, from -inf at the first
// in-bounds column (`first`), which is what an all -inf window reports.
// Hot index arithmetic is in ptrdiff_t (32 bits in wasm32, where int64_t
// arithmetic costs conversions on every address); sizes are capped far below.
struct RowScan {
  ptrdiff_t in_w, out_w4;     // input row length; output columns rounded up to 4
  ptrdiff_t kernel, stride, dilation, pad;
  bool k3s2;                  // kernel 3, stride 2, dilation 1: three shared loads
  ptrdiff_t from_first_tap;   // vectors from here on start at their first tap
  ptrdiff_t direct_end;       // k3s2: vectors [from_first_tap, direct_end) read the row itself
  const int32_t* first;       // first in-bounds column of each output column
  float* padded;              // pad -inf, the row, -inf up to what the last vector reads

  // Floats the vector of output columns ow..ow+3 reads from its first tap on.
  static constexpr ptrdiff_t kK3s2Reach = 12;  // three loads of 4
  static ptrdiff_t reach(ptrdiff_t kernel, ptrdiff_t stride, ptrdiff_t dilation) {
    return kernel == 3 && stride == 2 && dilation == 1 ? kK3s2Reach : (kernel - 1) * dilation + 4 * stride;
  }

  template <bool kNaN, bool kFromFirstTap>
  void vector(ptrdiff_t ow, float* hv, int32_t* hc) const {
    const float* src = padded + ow * stride;  // column ow * stride - pad
    const V4i lane = stride == 1 ? V4i{0, 1, 2, 3} : V4i{0, 2, 4, 6};
    const V4i cols0 = simd::splat4i(static_cast<int32_t>(ow * stride - pad)) + lane;
    V4f best;
    V4i col;
    auto step = [&](V4f v, V4i c) {
      const V4i m = takes<kNaN>(v, best);
      best = updated<kNaN>(m, v, best);
      col = simd::max4i(col, m & c);
    };
    if (k3s2) {
      const V4f a = simd::load4(src), b = simd::load4(src + 4), c = simd::load4(src + 8);
      const V4f t0 = simd::even4(a, b), t1 = simd::odd4(a, b), t2 = simd::shift4_1(t0, c);
      if (kFromFirstTap) {
        best = t0;
        col = cols0;
      } else {
        best = simd::splat4f(kNegInf);
        col = simd::load4(first + ow);
        step(t0, cols0);
      }
      step(t1, cols0 + simd::splat4i(1));
      step(t2, cols0 + simd::splat4i(2));
    } else {
      auto tap = [&](ptrdiff_t q) {
        const float* x = src + q * dilation;
        return stride == 1 ? simd::load4(x) : simd::even4(simd::load4(x), simd::load4(x + 4));
      };
      ptrdiff_t t = 0;
      if (kFromFirstTap) {
        best = tap(0);
        col = cols0;
        t = 1;
      } else {
        best = simd::splat4f(kNegInf);
        col = simd::load4(first + ow);
      }
      for (; t < kernel; ++t) step(tap(t), cols0 + simd::splat4i(static_cast<int32_t>(t * dilation)));
    }
    simd::store4(hv + ow, best);
    simd::store4(hc + ow, col);
  }

  // One input row. The NaN-free k3s2 path also returns the sum of the row's
  // values (NaN if the row holds one), so that the plane needs no separate
  // NaN check; other paths return 0.
  template <bool kNaN>
  V4f run(const float* row, float* hv, int32_t* hc) const {
    const ptrdiff_t split = std::min(from_first_tap, out_w4);
    if (!kNaN && k3s2) {
      // Only the stretches the border vectors read go through `padded`.
      const ptrdiff_t left_end = std::min(in_w, (split - 4) * 2 - pad + kK3s2Reach);
      const ptrdiff_t right_begin = std::max<ptrdiff_t>(0, direct_end * 2 - pad);
      float border_sum = 0.0f;
      for (ptrdiff_t i = 0; i < left_end; ++i) border_sum += padded[pad + i] = row[i];
      for (ptrdiff_t i = right_begin; i < in_w; ++i) border_sum += padded[pad + i] = row[i];
      V4f sum = simd::splat4f(0.0f);
      k3s2_first_max(padded, 0, split, true, hv, hc, nullptr);
      k3s2_first_max(row - pad, split, direct_end, false, hv, hc, &sum);
      k3s2_first_max(padded, direct_end, out_w4, false, hv, hc, nullptr);
      return sum + simd::splat4f(border_sum);
    }
    float* dst = padded + pad;
    ptrdiff_t i = 0;
    for (; i + 4 <= in_w; i += 4) simd::store4(dst + i, simd::load4(row + i));
    for (; i < in_w; ++i) dst[i] = row[i];
    for (ptrdiff_t ow = 0; ow < split; ow += 4) vector<kNaN, false>(ow, hv, hc);
    for (ptrdiff_t ow = split; ow < out_w4; ow += 4) vector<kNaN, true>(ow, hv, hc);
    return simd::splat4f(0.0f);
  }

  // The common window without NaN, output columns [from, to), as one tight
  // loop: the max is a pmax chain, and the column is that of the first tap
  // equal to it, 2 + (e0 | e1) + e0 taps from the first (e: -1/0 equality
  // masks). `base` points at column -pad of the row or of `padded`. A window
  // starting in the padding whose in-bounds taps are all -inf finds the -inf
  // padding tap first; `clip` lifts it to the first in-bounds column. With
  // `sum`, adds the eight columns each vector steps over (all of the row's
  // columns these vectors cover) to it.
  void k3s2_first_max(const float* base, ptrdiff_t from, ptrdiff_t to, bool clip, float* hv, int32_t* hc,
                      V4f* sum) const {
    V4f acc = simd::splat4f(0.0f);
    const float* src = base + from * 2;
    V4i last_col = simd::splat4i(static_cast<int32_t>(from * 2 - pad + 2)) + V4i{0, 2, 4, 6};
    const V4i eight = simd::keep4(simd::splat4i(8));
    for (ptrdiff_t ow = from; ow < to; ow += 4, src += 8) {
      const V4f a = simd::load4(src), b = simd::load4(src + 4), c = simd::load4(src + 8);
      const V4f t0 = simd::even4(a, b), t1 = simd::odd4(a, b), t2 = simd::shift4_1(t0, c);
      const V4f best = simd::max4(simd::max4(t0, t1), t2);
      const V4i e0 = t0 == best, e1 = t1 == best;
      V4i col = last_col + (e0 | e1) + e0;
      if (clip) col = simd::max4i(col, simd::load4(first + ow));
      simd::store4(hv + ow, best);
      simd::store4(hc + ow, col);
      last_col += eight;
      if (sum) acc += a + b;
    }
    if (sum) *sum += acc;
  }
};

// An output row's window in the vertical direction: its first in-bounds
// input row and how many of its rows (dilation apart) are in bounds.
struct RowTaps {
  int32_t first, taps;
};

// The vertical stage for one output row: the horizontal results of its
// window's in-bounds rows (`taps` rows, `row_step` rows apart, the first at
// `hv`/`hc`), combined top to bottom. `base` is the flat offset of the first
// row, `step` the offset between rows.
template <bool kNaN>
void combine_rows(const float* hv, const int32_t* hc, ptrdiff_t row_step, int taps, int32_t base, int32_t step,
                  ptrdiff_t out_w, ptrdiff_t out_w4, float* out, int32_t* idx) {
  ptrdiff_t ow = 0;
  if (!kNaN && taps == 3) {  // the max as a pmax chain; the first row holding it
    const float *v0 = hv, *v1 = hv + row_step, *v2 = hv + 2 * row_step;
    const int32_t *c0 = hc, *c1 = hc + row_step, *c2 = hc + 2 * row_step;
    const V4i o0 = simd::keep4(simd::splat4i(base)), o1 = simd::keep4(simd::splat4i(base + step)),
              o2 = simd::keep4(simd::splat4i(base + 2 * step));
    for (; ow + 4 <= out_w; ow += 4) {
      const V4f x0 = simd::load4(v0 + ow), x1 = simd::load4(v1 + ow), x2 = simd::load4(v2 + ow);
      const V4f best = simd::max4(simd::max4(x0, x1), x2);
      const V4i at = simd::select4(x0 == best, simd::load4(c0 + ow) + o0,
                                   simd::select4(x1 == best, simd::load4(c1 + ow) + o1, simd::load4(c2 + ow) + o2));
      simd::store4(out + ow, best);
      simd::store4(idx + ow, at);
    }
  }
  for (; ow < out_w4; ow += 4) {
    const float* v = hv + ow;
    const int32_t* c = hc + ow;
    V4f best = simd::load4(v);
    V4i at = simd::load4(c) + simd::splat4i(base);
    int32_t offset = base;
    for (int q = 1; q < taps; ++q) {
      v += row_step;
      c += row_step;
      offset += step;
      const V4f x = simd::load4(v);
      const V4i m = takes<kNaN>(x, best);
      best = updated<kNaN>(m, x, best);
      at = simd::max4i(at, m & (simd::load4(c) + simd::splat4i(offset)));
    }
    if (ow + 4 <= out_w) {
      simd::store4(out + ow, best);
      simd::store4(idx + ow, at);
    } else {
      for (ptrdiff_t l = 0; l < out_w - ow; ++l) {
        out[ow + l] = best[l];
        idx[ow + l] = at[l];
      }
    }
  }
}

}  // namespace

// ATen's loop, cell by cell.
void max_pool2d_forward_reference(const Pool2dGeometry& g, const float* input, float* output, int32_t* indices) {
  const int64_t in_plane = g.in_h * g.in_w;
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const PoolWindow w = max_pool2d_window(g, oh, ow);
        float best = kNegInf;
        int64_t at = w.h0 * g.in_w + w.w0;
        for (int64_t ih = w.h0; ih < w.h1; ih += g.dilation_h) {
          for (int64_t iw = w.w0; iw < w.w1; iw += g.dilation_w) {
            const float v = in[ih * g.in_w + iw];
            if (v > best || v != v) {
              best = v;
              at = ih * g.in_w + iw;
            }
          }
        }
        output[(p * g.out_h + oh) * g.out_w + ow] = best;
        indices[(p * g.out_h + oh) * g.out_w + ow] = static_cast<int32_t>(at);
      }
    }
  }
}

// Separable scan: every input row is reduced over the window's columns once
// (max and column), then each output row combines its window's rows in order.
// This is ATen's row-major scan of the window: within a row the first max
// (or the last NaN) wins; across rows a later row wins only when strictly
// greater (or NaN). In the NaN-exact scan indices grow along both scans, so
// `max` tracks them; without NaN the index is that of the first tap, then the
// first row, equal to the max. Geometries with a window that has no tap
// inside the input (ATen then reports -inf at an index past the window), or
// with stride_w > 2, take the cell-by-cell loop.
bool max_pool2d_vector_path(const Pool2dGeometry& g) {
  if (g.stride_w > 2) return false;
  for (int64_t ow = 0; ow < g.out_w; ++ow) {
    const PoolWindow w = max_pool2d_window(g, 0, ow);
    if (w.w0 >= w.w1) return false;
  }
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    const PoolWindow w = max_pool2d_window(g, oh, 0);
    if (w.h0 >= w.h1) return false;
  }
  return true;
}

void max_pool2d_forward(const Pool2dGeometry& g, const float* input, float* output, int32_t* indices) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t out_w = g.out_w, out_w4 = (g.out_w + 3) / 4 * 4;
  if (out_plane == 0) return;
  if (!max_pool2d_vector_path(g)) {
    max_pool2d_forward_reference(g, input, output, indices);
    return;
  }
  thread_local std::vector<int32_t> first_buf, hc_buf;
  thread_local std::vector<RowTaps> row_buf;
  thread_local std::vector<float> hv_buf, padded_buf;
  int32_t* first = scratch(first_buf, out_w4);
  RowTaps* rows = scratch(row_buf, g.out_h);
  for (int64_t ow = 0; ow < out_w4; ++ow) first[ow] = static_cast<int32_t>(max_pool2d_window(g, 0, std::min(ow, out_w - 1)).w0);
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    const PoolWindow w = max_pool2d_window(g, oh, 0);
    rows[oh] = {static_cast<int32_t>(w.h0), static_cast<int32_t>((w.h1 - w.h0 + g.dilation_h - 1) / g.dilation_h)};
  }

  auto d = [](int64_t v) { return static_cast<ptrdiff_t>(v); };
  RowScan scan{d(g.in_w), d(out_w4), d(g.kernel_w), d(g.stride_w), d(g.dilation_w), d(g.pad_w), false, 0, 0, first, nullptr};
  scan.k3s2 = g.kernel_w == 3 && g.stride_w == 2 && g.dilation_w == 1;
  while (scan.from_first_tap < out_w4 && scan.from_first_tap * g.stride_w - g.pad_w < 0) scan.from_first_tap += 4;
  scan.direct_end = std::min(scan.from_first_tap, scan.out_w4);
  while (scan.direct_end < scan.out_w4 && scan.direct_end * 2 - scan.pad + RowScan::kK3s2Reach <= scan.in_w) {
    scan.direct_end += 4;
  }
  const int64_t padded_size = std::max<int64_t>(
      g.pad_w + g.in_w, (out_w4 - 4) * g.stride_w + RowScan::reach(scan.kernel, scan.stride, scan.dilation));
  scan.padded = scratch(padded_buf, padded_size);
  std::fill(scan.padded, scan.padded + padded_size, kNegInf);  // the margins; rows go in between

  float* hv = scratch(hv_buf, g.in_h * out_w4);
  int32_t* hc = scratch(hc_buf, g.in_h * out_w4);
  const ptrdiff_t row_step = static_cast<ptrdiff_t>(g.dilation_h * out_w4);  // between a window's rows, in hv/hc
  const int32_t step = static_cast<int32_t>(g.dilation_h * g.in_w);           // the same, in the input plane
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    // The k3s2 rows sum their values as they go; other geometries look for
    // NaN first. A NaN (or, rarely, a sum that overflows into one) sends the
    // plane's rows through the NaN-exact scan again.
    bool nan = !scan.k3s2 && may_hold_nan(in, in_plane);
    if (!nan) {
      V4f sum = simd::splat4f(0.0f);
      for (int64_t ih = 0; ih < g.in_h; ++ih) sum += scan.run<false>(in + ih * g.in_w, hv + ih * out_w4, hc + ih * out_w4);
      nan = simd::bits4(sum != sum) != 0;
    }
    if (nan) {
      for (int64_t ih = 0; ih < g.in_h; ++ih) scan.run<true>(in + ih * g.in_w, hv + ih * out_w4, hc + ih * out_w4);
    }
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const int32_t r0 = rows[oh].first, taps = rows[oh].taps;
      const int32_t base = static_cast<int32_t>(r0 * g.in_w);
      float* out = output + p * out_plane + oh * out_w;
      int32_t* idx = indices + p * out_plane + oh * out_w;
      if (nan) {
        combine_rows<true>(hv + r0 * out_w4, hc + r0 * out_w4, row_step, taps, base, step, out_w, out_w4, out, idx);
      } else {
        combine_rows<false>(hv + r0 * out_w4, hc + r0 * out_w4, row_step, taps, base, step, out_w, out_w4, out, idx);
      }
    }
  }
}

namespace {

// The values-only scan of a row whose windows are k3s2 (kernel 3, stride 2,
// dilation 1) along it, four output columns per block. Block j reads the
// row's columns 2j..2j+7 as two vectors and splits them into even columns E
// (2j, 2j+2, ...) and odd columns O; with padding 1 output column j's window
// is (O[j-1], E[j], O[j]), with padding 0 it is (E[j], O[j], E[j+1]). pmax
// keeps its first operand on ties, so a chain in row-major tap order gives
// ATen's first maximum, -0 and +0 included; NaN is not carried (pmax drops
// it in its second operand), so the block also adds the eight columns to
// `sum`, which turns NaN if the row holds one.
struct ValueRow {
  ptrdiff_t in_w, out_w, out_w4, pad;  // pad is 0 or 1
  ptrdiff_t full_end;                  // blocks [0, full_end) read the row itself, the rest `tail`
  ptrdiff_t checked_end;               // the columns a window reaches past the blocks' eight: [2 * out_w4, this)
  ptrdiff_t tail_size;
  float* tail;                         // two of: -inf, the row's columns from 2 * full_end - 4 on, -inf

  // Padding 1 carries O from block to block (-inf before the first).
  template <int kPad>
  static V4f block(const float* src, V4f& carry, V4f& sum) {
    const V4f a = simd::load4(src), b = simd::load4(src + 4);
    const V4f e = simd::even4(a, b), o = simd::odd4(a, b);
    sum += a + b;
    if (kPad == 1) {
      const V4f before = LL_SHUFFLE4(carry, o, 3, 4, 5, 6);
      carry = o;
      return simd::max4(simd::max4(before, e), o);
    }
    return simd::max4(simd::max4(e, o), simd::shift4_1(e, simd::load4(src + 8)));
  }

  // Copies the row's last columns between the tail's -inf margins; adds the
  // columns the last window reaches beyond the blocks to `sum`.
  const float* prepare(const float* row, int slot, V4f& sum) const {
    float extra = 0.0f;
    for (ptrdiff_t c = 2 * out_w4; c < checked_end; ++c) extra += row[c];
    sum += simd::splat4f(extra);
    if (full_end == out_w4) return row;
    float* t = tail + slot * tail_size;
    for (ptrdiff_t c = std::max<ptrdiff_t>(0, 2 * full_end - 4); c < in_w; ++c) t[c - (2 * full_end - 4)] = row[c];
    return t + 4;  // column 2 * full_end
  }

  // The horizontal maxima of one row into h (out_w4 values).
  template <int kPad>
  // `sum` is accumulated in a local: through the reference it would be a
  // load and a store per block (the stores to h may alias it).
  void run(const float* row, float* h, V4f& sum_out) const {
    V4f sum = simd::splat4f(0.0f);
    const float* t = prepare(row, 0, sum);
    V4f carry = simd::splat4f(kNegInf);
    ptrdiff_t j = 0;
    for (; j < full_end; j += 4) simd::store4(h + j, block<kPad>(row + 2 * j, carry, sum));
    for (; j < out_w4; j += 4) simd::store4(h + j, block<kPad>(t + 2 * (j - full_end), carry, sum));
    sum_out += sum;
  }

  // An output row whose window is k3s2 down the columns too: the maxima of its
  // top row (`top`, scanned before) and of its two other rows, scanned here;
  // the bottom row's maxima go to `bottom`, the next output row's top.
  template <int kPad>
  void run2(const float* row1, const float* row2, const float* top, float* bottom, float* out, V4f& sum_out) const {
    V4f sum = simd::splat4f(0.0f);
    const float* t1 = prepare(row1, 0, sum);
    const float* t2 = prepare(row2, 1, sum);
    V4f carry1 = simd::splat4f(kNegInf), carry2 = carry1;
    auto combine = [&](ptrdiff_t j, const float* s1, const float* s2) {
      const V4f h1 = block<kPad>(s1, carry1, sum), h2 = block<kPad>(s2, carry2, sum);
      const V4f best = simd::max4(simd::max4(simd::load4(top + j), h1), h2);
      simd::store4(bottom + j, h2);
      return best;
    };
    ptrdiff_t j = 0;
    const ptrdiff_t whole = std::min(full_end, out_w / 4 * 4);
    for (; j < whole; j += 4) simd::store4(out + j, combine(j, row1 + 2 * j, row2 + 2 * j));
    for (; j < out_w4; j += 4) {
      const V4f best = j < full_end ? combine(j, row1 + 2 * j, row2 + 2 * j)
                                    : combine(j, t1 + 2 * (j - full_end), t2 + 2 * (j - full_end));
      if (j + 4 <= out_w) {
        simd::store4(out + j, best);
      } else {
        for (ptrdiff_t l = 0; l < out_w - j; ++l) out[j + l] = best[l];
      }
    }
    sum_out += sum;
  }
};

}  // namespace

bool max_pool2d_values_path(const Pool2dGeometry& g) {
  return g.kernel_w == 3 && g.stride_w == 2 && g.dilation_w == 1 && max_pool2d_vector_path(g);
}

// Rows are scanned once each (their maxima kept per plane in `hv`), then each
// output row takes the pmax of its window's rows, top to bottom. The k3s2
// window down the columns fuses both: its output row scans its two new rows
// and meets the top row's maxima from the row before. A plane whose sum
// turns NaN runs through max_pool2d_forward again, whose scan is NaN-exact.
void max_pool2d_forward_values(const Pool2dGeometry& g, const float* input, float* output) {
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
  if (out_plane == 0) return;
  thread_local std::vector<int32_t> idx_buf;
  if (!max_pool2d_values_path(g)) {
    max_pool2d_forward(g, input, output, scratch(idx_buf, g.planes * out_plane));
    return;
  }
  auto d = [](int64_t v) { return static_cast<ptrdiff_t>(v); };
  ValueRow scan{d(g.in_w), d(g.out_w), d((g.out_w + 3) / 4 * 4), d(g.pad_w), 0, 0, 0, nullptr};
  // A block reads columns [2j, 2j + 8), padding 0 also [2j + 8, 2j + 12) for column 2j + 8.
  while (scan.full_end < scan.out_w4 && 2 * scan.full_end + (scan.pad == 0 ? 12 : 8) <= scan.in_w) scan.full_end += 4;
  scan.checked_end = std::min(scan.in_w, 2 * (scan.out_w - 1) - scan.pad + 3);
  thread_local std::vector<float> tail_buf, hv_buf;
  scan.tail_size = 2 * (scan.out_w4 - scan.full_end) + 16;
  scan.tail = scratch(tail_buf, 2 * scan.tail_size);
  std::fill(scan.tail, scan.tail + 2 * scan.tail_size, kNegInf);
  float* hv = scratch(hv_buf, g.in_h * scan.out_w4);
  const bool k3s2_down = g.kernel_h == 3 && g.stride_h == 2 && g.dilation_h == 1;
  Pool2dGeometry plane = g;
  plane.planes = 1;
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    float* out_p = output + p * out_plane;
    V4f sum = simd::splat4f(0.0f);
    int64_t scanned = 0;  // rows [0, scanned) have their maxima in hv
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const PoolWindow w = max_pool2d_window(g, oh, 0);
      const int64_t taps = (w.h1 - w.h0 + g.dilation_h - 1) / g.dilation_h;
      float* out = out_p + oh * g.out_w;
      if (k3s2_down && taps == 3 && scanned == w.h0 + 1) {
        const float *row1 = in + (w.h0 + 1) * g.in_w, *row2 = row1 + g.in_w;
        const float* top = hv + w.h0 * scan.out_w4;
        float* bottom = hv + (w.h0 + 2) * scan.out_w4;
        if (scan.pad == 1) {
          scan.run2<1>(row1, row2, top, bottom, out, sum);
        } else {
          scan.run2<0>(row1, row2, top, bottom, out, sum);
        }
        scanned = w.h0 + 3;
        continue;
      }
      for (; scanned < w.h1; ++scanned) {
        const float* row = in + scanned * g.in_w;
        float* h = hv + scanned * scan.out_w4;
        if (scan.pad == 1) {
          scan.run<1>(row, h, sum);
        } else {
          scan.run<0>(row, h, sum);
        }
      }
      for (ptrdiff_t j = 0; j < scan.out_w4; j += 4) {
        V4f best = simd::load4(hv + w.h0 * scan.out_w4 + j);
        for (int64_t q = 1; q < taps; ++q) best = simd::max4(best, simd::load4(hv + (w.h0 + q * g.dilation_h) * scan.out_w4 + j));
        if (j + 4 <= scan.out_w) {
          simd::store4(out + j, best);
        } else {
          for (ptrdiff_t l = 0; l < scan.out_w - j; ++l) out[j + l] = best[l];
        }
      }
    }
    if (simd::bits4(sum != sum) != 0) max_pool2d_forward(plane, in, out_p, scratch(idx_buf, out_plane));
  }
}

void max_pool2d_backward(const Pool2dGeometry& g, const float* grad_output, const int32_t* indices,
                         float* grad_input) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  fill_zero(grad_input, g.planes * in_plane);
  for (int64_t p = 0; p < g.planes; ++p) {
    float* gi = grad_input + p * in_plane;
    const float* go = grad_output + p * out_plane;
    const int32_t* idx = indices + p * out_plane;
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
  const WindowSpan span = pool2d_window_span(g, oh, ow);  // AvgPool2d's dilation is 1
  int64_t h0 = span.h0, w0 = span.w0;
  int64_t h1 = std::min(span.h1, g.in_h + g.pad_h);
  int64_t w1 = std::min(span.w1, g.in_w + g.pad_w);
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

DivisorRegion avg_pool2d_divisor_region(const Pool2dGeometry& g, int64_t oh, int64_t ow, bool count_include_pad) {
  if (count_include_pad) {  // the window clipped to the padded input
    const WindowSpan span = pool2d_window_span(g, oh, ow);
    return {std::min(span.h1, g.in_h + g.pad_h) - span.h0, std::min(span.w1, g.in_w + g.pad_w) - span.w0};
  }
  const AvgWindow a = avg_window(g, oh, ow, false, std::nullopt);
  return {a.h1 - a.h0, a.w1 - a.w0};
}

namespace {

// Divisors and windows depend on (oh, ow) only: forward and backward build
// them once per call (scratch reused across calls).
struct AvgTables {
  const float* divisor;    // out_h * out_w, row-major
  const AvgWindow* rows;   // per output row: its window's rows (h0, h1)
  const AvgWindow* cols;   // per output column: its window's columns (w0, w1)
};

AvgTables avg_tables(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override) {
  thread_local std::vector<float> divisor_buf;
  thread_local std::vector<AvgWindow> col_buf, row_buf;
  float* divisor = scratch(divisor_buf, g.out_h * g.out_w);
  AvgWindow* cols = scratch(col_buf, g.out_w);
  AvgWindow* rows = scratch(row_buf, g.out_h);
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      divisor[oh * g.out_w + ow] =
          static_cast<float>(avg_window(g, oh, ow, count_include_pad, divisor_override).divisor);
    }
    rows[oh] = avg_window(g, oh, 0, count_include_pad, divisor_override);
  }
  for (int64_t ow = 0; ow < g.out_w; ++ow) cols[ow] = avg_window(g, 0, ow, count_include_pad, divisor_override);
  return {divisor, rows, cols};
}

}  // namespace

// Sums each window in ATen's row-major order (from 0.0f, one tap at a time)
// and divides by its divisor, with the taps of 4 adjacent output cells in the
// lanes of a vector wherever their windows are whole (stride 1 or 2); border
// cells and other strides run the same sums scalar.
void avg_pool2d_forward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                        const float* input, float* output) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t out_w = g.out_w;
  const AvgTables t = avg_tables(g, count_include_pad, divisor_override);
  // Vector columns: windows unclipped and 4 of them (plus a stride-2 load's
  // extra lanes) inside the row.
  int64_t vec_first = 0;
  while (vec_first < out_w && vec_first * g.stride_w - g.pad_w < 0) ++vec_first;
  int64_t vec_end = vec_first;
  const bool s2 = g.stride_w == 2;
  if (g.stride_w <= 2) {
    // Floats a vector of 4 windows reads: two loads of 4 for the 2-wide
    // stride-2 window, else the window's last tap plus a stride-1 load of 4
    // or a stride-2 pair of loads.
    const int64_t reach = s2 && g.kernel_w == 2 ? 8 : (g.kernel_w - 1) + 4 * g.stride_w;
    while (vec_end + 4 <= out_w && vec_end * g.stride_w - g.pad_w + reach <= g.in_w) vec_end += 4;
  }
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* in = input + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* out = output + p * out_plane + oh * out_w;
      const float* div = t.divisor + oh * out_w;
      const AvgWindow r = t.rows[oh];
      auto scalar = [&](int64_t ow) {
        const AvgWindow c = t.cols[ow];
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

// ATen's order: output cells row-major, each adding grad / divisor to its
// window's in-bounds inputs row-major (the order of float additions where
// windows overlap). Windows and divisors are computed once per call.
void avg_pool2d_backward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                         const float* grad_output, float* grad_input) {
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const AvgTables t = avg_tables(g, count_include_pad, divisor_override);
  fill_zero(grad_input, g.planes * in_plane);
  for (int64_t p = 0; p < g.planes; ++p) {
    float* gi = grad_input + p * in_plane;
    const float* go = grad_output + p * out_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const AvgWindow r = t.rows[oh];
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const AvgWindow c = t.cols[ow];
        const float delta = go[oh * g.out_w + ow] / t.divisor[oh * g.out_w + ow];
        for (int64_t ih = r.h0; ih < r.h1; ++ih) {
          float* row = gi + ih * g.in_w;
          for (int64_t iw = c.w0; iw < c.w1; ++iw) row[iw] += delta;
        }
      }
    }
  }
}

void max_unpool2d_forward(int64_t planes, int64_t in_plane, int64_t out_plane, const float* input,
                          const int64_t* indices, float* output) {
  fill_zero(output, planes * out_plane);
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

// kernels/pool.h — pooling kernels over contiguous float data: the 2-D fast
// kernels over (planes, H, W) of MaxPool2d, AvgPool2d and MaxUnpool2d, and the
// 1-, 2- and 3-D ones over PoolGeometry's (planes, D, H, W) of every other
// pooling module (section "Any rank", compiled for size: plain loops).
//
// Plain loops over raw pointers; arguments were checked by the layer.
// The loop structure follows ATen's CPU kernels (MaxPoolKernel.cpp,
// AvgPoolKernel.cpp, MaxUnpoolKernel.cpp) so that ties, NaN and the order of
// float accumulation match PyTorch 1.13.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "../shape.h"

namespace ll {

// Output cell (oh, ow)'s window before clipping: its first tap (negative in the
// top/left padding) and one past its last, d(k-1)+1 apart; the kernels start here.
struct WindowSpan {
  int64_t h0, h1, w0, w1;
};
WindowSpan pool2d_window_span(const Pool2dGeometry& g, int64_t oh, int64_t ow);

// Window of output cell (oh, ow) clipped to the input, as ATen clips it.
struct PoolWindow {
  int64_t h0, h1, w0, w1;  // first in-bounds tap and exclusive end, per axis
};
PoolWindow max_pool2d_window(const Pool2dGeometry& g, int64_t oh, int64_t ow);

// Output indices along `axis` (0: rows, 1: columns) whose window has a tap at input
// index i: the cells input i feeds, and that send its gradient back.
std::vector<int64_t> pool2d_outputs_reading(const Pool2dGeometry& g, int axis, int64_t i);

// How far the last window along `axis` (or the one ceil_mode dropped) reaches past
// the padded input; 0 when it ends inside.
int64_t pool2d_overhang(const Pool2dGeometry& g, int axis);

// The rows x cols AvgPool2d's divisor counts for (oh, ow) without divisor_override:
// the window clipped to the padded input (count_include_pad) or to the input.
struct DivisorRegion {
  int64_t rows, cols;
};
DivisorRegion avg_pool2d_divisor_region(const Pool2dGeometry& g, int64_t oh, int64_t ow, bool count_include_pad);

// AvgPool2d's divisor for output cell (oh, ow): divisor_override if set, else
// the window clipped to the padded input (count_include_pad) or to the input.
int64_t avg_pool2d_divisor(const Pool2dGeometry& g, int64_t oh, int64_t ow, bool count_include_pad,
                           std::optional<int64_t> divisor_override);

// indices: the argmax of each output cell, flat per (N, C) plane. int32 is
// enough (a plane is capped at 2^24 elements) and halves what forward writes
// and backward reads; the layer widens to PyTorch's int64 only when asked.
void max_pool2d_forward(const Pool2dGeometry& g, const float* input, float* output, int32_t* indices);
// Whether max_pool2d_forward takes its vector path for `g` (stride_w <= 2 and
// every window has a tap inside the input); otherwise it runs the reference.
bool max_pool2d_vector_path(const Pool2dGeometry& g);
// ATen's cell-by-cell loop: the same results, slower; the fallback for
// geometries the vector path does not take, and its reference in tests.
void max_pool2d_forward_reference(const Pool2dGeometry& g, const float* input, float* output, int32_t* indices);
// The output values alone, the same bits as max_pool2d_forward's; for when
// nobody asked for the argmax (yet).
void max_pool2d_forward_values(const Pool2dGeometry& g, const float* input, float* output);
// Whether max_pool2d_forward_values takes its own scan for `g` (the k3s2
// window along rows, on the vector path); otherwise it runs max_pool2d_forward.
bool max_pool2d_values_path(const Pool2dGeometry& g);
void max_pool2d_backward(const Pool2dGeometry& g, const float* grad_output, const int32_t* indices,
                         float* grad_input);  // grad_input zeroed here, then accumulated

void avg_pool2d_forward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                        const float* input, float* output);
void avg_pool2d_backward(const Pool2dGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                         const float* grad_output, float* grad_input);

// Indices were checked to lie in [0, out_plane). Later duplicates win.
void max_unpool2d_forward(int64_t planes, int64_t in_plane, int64_t out_plane, const float* input,
                          const int64_t* indices, float* output);
// A gather: grad_input[i] = grad_output[indices[i]] within each plane.
void max_unpool2d_backward(int64_t planes, int64_t in_plane, int64_t out_plane, const float* grad_output,
                           const int64_t* indices, float* grad_input);

// ---------------------------------------------------------------------------
// Any rank (PoolGeometry: axes depth, height, width; indices flat per volume)
// ---------------------------------------------------------------------------

// One axis of one output cell's window, clipped to the input: taps first, first
// + step, ... below end. The kernels scan depth, then height, then width.
struct AxisWindow {
  int64_t first, end, step;
};
// MaxPool's: taps o*stride - pad + j*dilation inside [0, in).
AxisWindow max_pool_window(const PoolGeometry& g, int axis, int64_t o);
// AvgPool's: [o*stride - pad, + kernel) clipped to the input; `padded` is its
// length clipped to the padded input instead (count_include_pad's count).
AxisWindow avg_pool_window(const PoolGeometry& g, int axis, int64_t o, int64_t* padded);
// AvgPool's divisor of output cell o[3]: divisor_override, else the product of
// the padded lengths (count_include_pad) or of the clipped ones.
int64_t avg_pool_divisor(const PoolGeometry& g, const int64_t o[3], bool count_include_pad,
                         std::optional<int64_t> divisor_override);

// FractionalMaxPool's window starts along one axis, ATen's generate_intervals in
// float: a = (in - k) / (out - 1); start[i] = int((i + u) a) - int(u a); the last
// starts at in - k.
std::vector<int64_t> fractional_intervals(float sample, int64_t in, int64_t out, int64_t kernel);

// Max over each window in scan order: a tap wins if greater than the best so far
// or NaN (ATen's rule: the first maximum, the last NaN); an empty or all -inf
// window gives -inf at its first tap.
void max_pool_forward(const PoolGeometry& g, const float* input, float* output, int64_t* indices);
void adaptive_max_pool_forward(const PoolGeometry& g, const float* input, float* output, int64_t* indices);
// samples: g.dims per plane, ATen's order (2-D: width, height; 3-D: depth, height, width).
void fractional_max_pool_forward(const PoolGeometry& g, const int64_t kernel[3], const float* samples, const float* input,
                                 float* output, int64_t* indices);
// Every max pooling's backward: grad_input zeroed, then grad_output added at each
// index (in range) in output order.
void max_pool_backward(const PoolGeometry& g, const float* grad_output, const int64_t* indices, float* grad_input);

void avg_pool_forward(const PoolGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                      const float* input, float* output);
void avg_pool_backward(const PoolGeometry& g, bool count_include_pad, std::optional<int64_t> divisor_override,
                       const float* grad_output, float* grad_input);
// The window's sum / k_d / k_h / k_w, ATen's order of the divisions.
void adaptive_avg_pool_forward(const PoolGeometry& g, const float* input, float* output);
void adaptive_avg_pool_backward(const PoolGeometry& g, const float* grad_output, float* grad_input);

}  // namespace ll

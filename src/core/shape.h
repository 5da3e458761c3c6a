// shape.h — size limits and the output-size arithmetic every layer shares.
//
//   Limits                 the caps on tensor sizes and work per call
//   check_tensor_shape     rejects negative, too many or too large dimensions
//   pooling_output_size    PyTorch's pooling_output_shape, ceil_mode rule included
//   PoolGeometry           a checked 1-, 2- or 3-D pooling configuration for one input
//   Pool2dGeometry         the same for MaxPool2d/AvgPool2d, as their fast kernels take it
//   adaptive_window        PyTorch's adaptive pooling window of one output index
//
// The ceil_mode rule lives here and nowhere else: the kernels, the CLI and the
// playground's formula panel all call pooling_output_size().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tensor.h"

namespace ll {

// Caps shared by the CLI, the WebAssembly module and the app.
inline constexpr int64_t kMaxElements = int64_t{1} << 24;  // per tensor: 16 Mi values (64 MiB of float32)
inline constexpr int64_t kMaxDims = 8;                     // tensor rank
inline constexpr int64_t kMaxWork = int64_t{1} << 28;      // inner-loop steps of one call: Linear 256x1024x1024
inline constexpr int64_t kMaxParam = 2147483647;           // int parameters are int32 in ATen

using IntList = std::vector<int64_t>;  // an int-or-pair parameter: {k} or {kh, kw}

// Throws "<layer>: <what> ..." if a dimension is negative, the rank exceeds
// kMaxDims or the product of the non-zero sizes exceeds kMaxElements (so even
// an empty tensor cannot carry a huge plane). Returns the element count.
int64_t check_tensor_shape(const Shape& shape, const char* layer, const char* what);

// Throws if `work` inner-loop steps exceed kMaxWork.
void check_work(double work, const char* layer);

struct PoolingSize {
  int64_t size;          // the output length PyTorch computes
  int64_t floor_size;    // what ceil_mode=False would give
  int64_t span;          // L + 2p - d(k-1) - 1, the numerator of the formula
  int64_t ceil_size;     // floor((span + s-1) / s) + 1, before the drop (= size unless ceil_dropped)
  int64_t last_start;    // (ceil_size - 1) * s: where ceil_mode's last window starts, and
  int64_t drop_limit;    // L + p: the drop rule, last_start >= drop_limit
  bool ceil_dropped;     // ceil_mode added a window, then dropped it because it
                         // would start in the right padding
};

// out = floor((L + 2p - d(k-1) - 1 + (ceil ? s-1 : 0)) / s) + 1, then with
// ceil_mode out -= 1 if (out-1)*s >= L + p. Arguments must be int32-ranged
// (stride > 0); the result may be < 1, which the caller rejects.
PoolingSize pooling_output_size(int64_t input_size, int64_t kernel_size, int64_t padding,
                                int64_t stride, int64_t dilation, bool ceil_mode);

// The arguments of a sliding-window pooling, as PyTorch's keywords give them:
// each list holds one entry (every axis) or one per spatial axis.
struct PoolArgs {
  IntList kernel_size;
  std::optional<IntList> stride;  // None (or empty) means kernel_size
  IntList padding{0};
  IntList dilation{1};
  bool ceil_mode = false;
};

// One checked pooling configuration over contiguous (N, C, *spatial) or
// (C, *spatial) with 1, 2 or 3 spatial dims. The axes are always (depth,
// height, width): a 2-D pooling leaves depth unused, a 1-D one depth and
// height; an unused axis has size, kernel, stride and dilation 1 and padding 0,
// so one loop nest serves every rank and an index flat over the volume is
// PyTorch's index flat per (N, C) plane (or volume).
struct PoolGeometry {
  int dims = 2;                                   // spatial dims of the layer
  int64_t planes = 0;                             // N*C
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1};  // per axis (depth, height, width)
  int64_t kernel[3] = {1, 1, 1}, stride[3] = {1, 1, 1}, pad[3] = {0, 0, 0}, dilation[3] = {1, 1, 1};
  bool ceil_mode = false;
  Shape output_shape;
  int64_t in_volume() const { return in[0] * in[1] * in[2]; }
  int64_t out_volume() const { return out[0] * out[1] * out[2]; }
};

// A `dims`-D pooling's input (dims + 1 or dims + 2 dimensions, every size but
// the batch's non-zero) and spatial axes, checked as PyTorch checks it; the
// spatial sizes land in the last `dims` of g.in. Throws naming `layer`.
// `first_checked`: the first dimension that must be non-zero, -1 for the channel's
// (FractionalMaxPool's ATen checks from dimension 1 on, batched or not).
PoolGeometry pool_input_geometry(const char* layer, int dims, const Shape& input_shape, int first_checked = -1);

// The check and shape stages of MaxPool1d/2d/3d, AvgPool1d/2d/3d and LPPool:
// list lengths (1 or dims), kernel, stride and dilation > 0, 0 <= padding <=
// kernel / 2 (dilation ignored, as PyTorch), each output size from
// pooling_output_size at least 1 (at least 0 with `allow_empty_output`: 1.13's
// max_pool1d without autograd).
PoolGeometry pool_geometry(const char* layer, int dims, const Shape& input_shape, const PoolArgs& args,
                           bool allow_empty_output = false);

// PyTorch's adaptive pooling window of output index i along an axis of `in`
// inputs and `out` outputs: start = floor(i * in / out), end = ceil((i + 1) * in / out).
// Windows may overlap (7 -> 3: [0, 3), [2, 5), [4, 7)).
struct AdaptiveWindow {
  int64_t start, end;
};
AdaptiveWindow adaptive_window(int64_t i, int64_t in, int64_t out);

// One checked 2-D pooling configuration over contiguous (N,C,H,W) or (C,H,W).
struct Pool2dGeometry {
  int64_t planes = 0;  // N*C
  int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1;
  bool ceil_mode = false;
  bool ceil_added_h = false, ceil_added_w = false;      // ceil_mode gave one more output than floor would
  bool ceil_dropped_h = false, ceil_dropped_w = false;  // ... and then dropped it (PoolingSize::ceil_dropped)
  Shape output_shape;
};

// The check and shape stages of MaxPool2d (dilation given) and AvgPool2d
// (dilation {1}): validates the int-or-pair parameters and the input shape
// exactly as PyTorch 1.13 does, with messages naming `layer`.
Pool2dGeometry pool2d_geometry(const char* layer, const Shape& input_shape, const IntList& kernel_size,
                               const std::optional<IntList>& stride, const IntList& padding,
                               const IntList& dilation, bool ceil_mode);

// "3" or "(3, 2)" for messages.
std::string int_list_to_string(const IntList& v);

}  // namespace ll

// shape.h — size limits and the output-size arithmetic every layer shares.
//
//   Limits                 the caps on tensor sizes and work per call
//   check_tensor_shape     rejects negative, too many or too large dimensions
//   pooling_output_size    PyTorch's pooling_output_shape, ceil_mode rule included
//   Pool2dGeometry         a checked MaxPool2d/AvgPool2d configuration for one input
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

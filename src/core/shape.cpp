#include "shape.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>

#include "check.h"

namespace ll {

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string int_list_to_string(const IntList& v) {
  if (v.size() == 1) return std::to_string(v[0]);
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(v[i]);
  }
  return s + ")";
}

int64_t check_tensor_shape(const Shape& shape, const char* layer, const char* what) {
  LL_CHECK(static_cast<int64_t>(shape.size()) <= kMaxDims, "%s: %s may have at most %" PRId64 " dimensions, got %zu",
           layer, what, kMaxDims, shape.size());
  int64_t n = 1;
  for (int64_t s : shape) {
    LL_CHECK(s >= 0, "%s: %s sizes must be non-negative, got shape %s", layer, what, shape_to_string(shape).c_str());
  }
  // The non-zero sizes are capped too, so that no size derived from an empty
  // tensor's shape (a plane, a row) can overflow.
  bool empty = false;
  for (int64_t s : shape) {
    if (s == 0) {
      empty = true;
      continue;
    }
    LL_CHECK(s <= kMaxElements && n <= kMaxElements / s,
             "%s: %s with shape %s exceeds the size limit of %" PRId64 " elements", layer, what,
             shape_to_string(shape).c_str(), kMaxElements);
    n *= s;
  }
  return empty ? 0 : n;
}

void check_work(double work, const char* layer) {
  LL_CHECK(work <= static_cast<double>(kMaxWork),
           "%s: this configuration needs about %.3g inner-loop steps, more than the limit of %.3g", layer, work,
           static_cast<double>(kMaxWork));
}

namespace {

int64_t floor_div(int64_t a, int64_t b) {  // b > 0
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

PoolingSize pooling_output_size(int64_t input_size, int64_t kernel_size, int64_t padding, int64_t stride,
                                int64_t dilation, bool ceil_mode) {
  PoolingSize r{};
  r.span = input_size + 2 * padding - dilation * (kernel_size - 1) - 1;
  r.floor_size = floor_div(r.span, stride) + 1;
  r.ceil_size = floor_div(r.span + stride - 1, stride) + 1;
  r.size = r.floor_size;
  r.last_start = (r.ceil_size - 1) * stride;
  r.drop_limit = input_size + padding;
  if (ceil_mode) {
    r.size = r.ceil_size;
    // The last window must start inside the input or the left padding.
    if (r.last_start >= r.drop_limit) {
      --r.size;
      r.ceil_dropped = true;
    }
  }
  return r;
}

namespace {

// "H x W"-style sizes of the spatial axes of g, for messages: "5x5".
std::string spatial_text(const PoolGeometry& g, const int64_t* v) {
  std::string s;
  for (int a = 3 - g.dims; a < 3; ++a) s += (s.empty() ? "" : "x") + std::to_string(v[a]);
  return s;
}

// A keyword list of 1 or `dims` entries spread over the last `dims` axes of `out`.
void expand_axes(const char* layer, const char* name, const IntList& v, int dims, int64_t* out) {
  LL_CHECK(v.size() == 1 || v.size() == static_cast<size_t>(dims),
           "%s: %s must be a single int or a tuple of %d ints, got %zu values", layer, name, dims, v.size());
  for (int64_t x : v) {
    LL_CHECK(x >= -kMaxParam - 1 && x <= kMaxParam, "%s: %s must fit in a 32-bit int, got %s=%s", layer, name, name,
             int_list_to_string(v).c_str());
  }
  for (int i = 0; i < dims; ++i) out[3 - dims + i] = v[v.size() == 1 ? 0 : static_cast<size_t>(i)];
}

const char* rank_text(int dims) {
  static const char* kText[] = {"", "2-D (C, L) or 3-D (N, C, L)", "3-D (C, H, W) or 4-D (N, C, H, W)",
                                "4-D (C, D, H, W) or 5-D (N, C, D, H, W)"};
  return kText[dims];
}

}  // namespace

PoolGeometry pool_input_geometry(const char* layer, int dims, const Shape& input_shape, int first_checked) {
  PoolGeometry g;
  g.dims = dims;
  const int64_t ndim = static_cast<int64_t>(input_shape.size());
  LL_CHECK(ndim == dims + 1 || ndim == dims + 2, "%s: input must be %s, got %" PRId64 "-D shape %s", layer,
           rank_text(dims), ndim, shape_to_string(input_shape).c_str());
  check_tensor_shape(input_shape, layer, "input");
  for (int64_t d = first_checked < 0 ? ndim - dims - 1 : first_checked; d < ndim; ++d) {
    LL_CHECK(input_shape[static_cast<size_t>(d)] > 0,
             "%s: input must have non-zero sizes except the batch N, got shape %s", layer,
             shape_to_string(input_shape).c_str());
  }
  g.planes = 1;
  for (int64_t d = 0; d < ndim - dims; ++d) g.planes *= input_shape[static_cast<size_t>(d)];
  for (int i = 0; i < dims; ++i) g.in[3 - dims + i] = input_shape[static_cast<size_t>(ndim - dims + i)];
  g.output_shape = input_shape;
  return g;
}

PoolGeometry pool_geometry(const char* layer, int dims, const Shape& input_shape, const PoolArgs& args,
                           bool allow_empty_output) {
  PoolGeometry k;  // the keywords first, as PyTorch reads them
  k.dims = dims;
  expand_axes(layer, "kernel_size", args.kernel_size, dims, k.kernel);
  if (args.stride && !args.stride->empty()) {
    expand_axes(layer, "stride", *args.stride, dims, k.stride);
  } else {
    std::copy(k.kernel, k.kernel + 3, k.stride);
  }
  expand_axes(layer, "padding", args.padding, dims, k.pad);
  expand_axes(layer, "dilation", args.dilation, dims, k.dilation);
  PoolGeometry g = pool_input_geometry(layer, dims, input_shape);
  std::copy(k.kernel, k.kernel + 3, g.kernel);
  std::copy(k.stride, k.stride + 3, g.stride);
  std::copy(k.pad, k.pad + 3, g.pad);
  std::copy(k.dilation, k.dilation + 3, g.dilation);
  g.ceil_mode = args.ceil_mode;
  const std::string kernel_text = int_list_to_string(args.kernel_size), pad_text = int_list_to_string(args.padding);
  for (int a = 0; a < 3; ++a) {
    LL_CHECK(g.kernel[a] > 0, "%s: kernel_size must be greater than zero, got kernel_size=%s", layer,
             kernel_text.c_str());
    LL_CHECK(g.stride[a] > 0, "%s: stride must be greater than zero, got stride=%s", layer,
             spatial_text(g, g.stride).c_str());
    LL_CHECK(g.dilation[a] > 0, "%s: dilation must be greater than zero, got dilation=%s", layer,
             int_list_to_string(args.dilation).c_str());
    LL_CHECK(g.pad[a] >= 0, "%s: padding must be non-negative, got padding=%s", layer, pad_text.c_str());
    LL_CHECK(g.pad[a] <= g.kernel[a] / 2,
             "%s: padding must be at most half of kernel_size, got padding=%s, kernel_size=%s", layer,
             pad_text.c_str(), kernel_text.c_str());
  }
  const size_t first = input_shape.size() - static_cast<size_t>(dims);
  for (int a = 3 - dims; a < 3; ++a) {
    g.out[a] = pooling_output_size(g.in[a], g.kernel[a], g.pad[a], g.stride[a], g.dilation[a], g.ceil_mode).size;
    g.output_shape[first + static_cast<size_t>(a - (3 - dims))] = std::max<int64_t>(g.out[a], 0);
  }
  const bool too_small = std::any_of(g.out, g.out + 3, [&](int64_t o) { return o < (allow_empty_output ? 0 : 1); });
  // AvgPool and LPPool take no dilation (args.dilation stays {1}): their message does not name one.
  const bool dilated = args.dilation.size() != 1 || args.dilation[0] != 1;
  LL_CHECK(!too_small,
           "%s: output size is too small, input %s with kernel_size=%s, stride=%s, padding=%s%s gives %s", layer,
           spatial_text(g, g.in).c_str(), kernel_text.c_str(), spatial_text(g, g.stride).c_str(), pad_text.c_str(),
           dilated ? (", dilation=" + int_list_to_string(args.dilation)).c_str() : "", spatial_text(g, g.out).c_str());
  check_tensor_shape(g.output_shape, layer, "output");
  double work = static_cast<double>(g.planes);  // kernels visit the taps inside the input only
  for (int a = 0; a < 3; ++a) work *= static_cast<double>(g.out[a]) * static_cast<double>(std::min(g.kernel[a], g.in[a]));
  check_work(work, layer);
  return g;
}

AdaptiveWindow adaptive_window(int64_t i, int64_t in, int64_t out) {
  return {(i * in) / out, ((i + 1) * in + out - 1) / out};
}

// MaxPool2d's and AvgPool2d's fast kernels take the 2-D view of pool_geometry.
Pool2dGeometry pool2d_geometry(const char* layer, const Shape& input_shape, const IntList& kernel_size,
                               const std::optional<IntList>& stride, const IntList& padding,
                               const IntList& dilation, bool ceil_mode) {
  LL_CHECK(kernel_size.size() == 1 || kernel_size.size() == 2,
           "%s: kernel_size must be a single int or a pair of ints, got %zu values", layer, kernel_size.size());
  const PoolGeometry n = pool_geometry(layer, 2, input_shape, {kernel_size, stride, padding, dilation, ceil_mode});
  Pool2dGeometry g;
  g.planes = n.planes;
  g.in_h = n.in[1], g.in_w = n.in[2], g.out_h = n.out[1], g.out_w = n.out[2];
  g.kernel_h = n.kernel[1], g.kernel_w = n.kernel[2], g.stride_h = n.stride[1], g.stride_w = n.stride[2];
  g.pad_h = n.pad[1], g.pad_w = n.pad[2], g.dilation_h = n.dilation[1], g.dilation_w = n.dilation[2];
  g.ceil_mode = ceil_mode;
  const PoolingSize oh = pooling_output_size(g.in_h, g.kernel_h, g.pad_h, g.stride_h, g.dilation_h, ceil_mode);
  const PoolingSize ow = pooling_output_size(g.in_w, g.kernel_w, g.pad_w, g.stride_w, g.dilation_w, ceil_mode);
  g.ceil_added_h = oh.size > oh.floor_size;
  g.ceil_added_w = ow.size > ow.floor_size;
  g.ceil_dropped_h = oh.ceil_dropped;
  g.ceil_dropped_w = ow.ceil_dropped;
  g.output_shape = n.output_shape;
  return g;
}

}  // namespace ll

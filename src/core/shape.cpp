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

// Expands an int-or-pair parameter to (h, w) after checking its length and range.
void expand_pair(const char* layer, const char* name, const IntList& v, int64_t* h, int64_t* w) {
  LL_CHECK(v.size() == 1 || v.size() == 2, "%s: %s must be a single int or a pair of ints, got %zu values", layer, name,
           v.size());
  for (int64_t x : v) {
    LL_CHECK(x >= -kMaxParam - 1 && x <= kMaxParam, "%s: %s must fit in a 32-bit int, got %s=%s", layer, name, name,
             int_list_to_string(v).c_str());
  }
  *h = v[0];
  *w = v.size() == 2 ? v[1] : v[0];
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

Pool2dGeometry pool2d_geometry(const char* layer, const Shape& input_shape, const IntList& kernel_size,
                               const std::optional<IntList>& stride, const IntList& padding,
                               const IntList& dilation, bool ceil_mode) {
  Pool2dGeometry g;
  expand_pair(layer, "kernel_size", kernel_size, &g.kernel_h, &g.kernel_w);
  if (stride && !stride->empty()) {
    expand_pair(layer, "stride", *stride, &g.stride_h, &g.stride_w);
  } else {
    g.stride_h = g.kernel_h;
    g.stride_w = g.kernel_w;
  }
  expand_pair(layer, "padding", padding, &g.pad_h, &g.pad_w);
  expand_pair(layer, "dilation", dilation, &g.dilation_h, &g.dilation_w);
  g.ceil_mode = ceil_mode;

  const int64_t ndim = static_cast<int64_t>(input_shape.size());
  LL_CHECK(ndim == 3 || ndim == 4, "%s: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got %" PRId64 "-D shape %s",
           layer, ndim, shape_to_string(input_shape).c_str());
  check_tensor_shape(input_shape, layer, "input");

  LL_CHECK(g.kernel_h > 0 && g.kernel_w > 0, "%s: kernel_size must be greater than zero, got kernel_size=%s", layer,
           int_list_to_string(kernel_size).c_str());
  LL_CHECK(g.stride_h > 0 && g.stride_w > 0, "%s: stride must be greater than zero, got stride=%s", layer,
           int_list_to_string({g.stride_h, g.stride_w}).c_str());
  LL_CHECK(g.dilation_h > 0 && g.dilation_w > 0, "%s: dilation must be greater than zero, got dilation=%s", layer,
           int_list_to_string(dilation).c_str());
  LL_CHECK(g.pad_h >= 0 && g.pad_w >= 0, "%s: padding must be non-negative, got padding=%s", layer,
           int_list_to_string(padding).c_str());
  LL_CHECK(g.pad_h <= g.kernel_h / 2 && g.pad_w <= g.kernel_w / 2,
           "%s: padding must be at most half of kernel_size, got padding=%s, kernel_size=%s", layer,
           int_list_to_string(padding).c_str(), int_list_to_string(kernel_size).c_str());

  const int64_t n = ndim == 4 ? input_shape[0] : 1;
  const int64_t c = input_shape[static_cast<size_t>(ndim - 3)];
  g.in_h = input_shape[static_cast<size_t>(ndim - 2)];
  g.in_w = input_shape[static_cast<size_t>(ndim - 1)];
  LL_CHECK(c > 0 && g.in_h > 0 && g.in_w > 0,
           "%s: input must have non-zero C, H and W (only the batch N may be 0), got shape %s", layer,
           shape_to_string(input_shape).c_str());

  const PoolingSize oh = pooling_output_size(g.in_h, g.kernel_h, g.pad_h, g.stride_h, g.dilation_h, ceil_mode);
  const PoolingSize ow = pooling_output_size(g.in_w, g.kernel_w, g.pad_w, g.stride_w, g.dilation_w, ceil_mode);
  g.out_h = oh.size;
  g.out_w = ow.size;
  g.ceil_added_h = oh.size > oh.floor_size;
  g.ceil_added_w = ow.size > ow.floor_size;
  g.ceil_dropped_h = oh.ceil_dropped;
  g.ceil_dropped_w = ow.ceil_dropped;
  // AvgPool2d takes no dilation: its message does not name one.
  const std::string dilation_text =
      std::strcmp(layer, "AvgPool2d") == 0 ? "" : ", dilation=" + int_list_to_string(dilation);
  LL_CHECK(g.out_h >= 1 && g.out_w >= 1,
           "%s: output size is too small, input %" PRId64 "x%" PRId64 " with kernel_size=%s, stride=%s, padding=%s%s "
           "gives %" PRId64 "x%" PRId64,
           layer, g.in_h, g.in_w, int_list_to_string(kernel_size).c_str(),
           int_list_to_string({g.stride_h, g.stride_w}).c_str(), int_list_to_string(padding).c_str(),
           dilation_text.c_str(), g.out_h, g.out_w);

  g.planes = n * c;
  g.output_shape = input_shape;
  g.output_shape[static_cast<size_t>(ndim - 2)] = g.out_h;
  g.output_shape[static_cast<size_t>(ndim - 1)] = g.out_w;
  check_tensor_shape(g.output_shape, layer, "output");
  // Kernels only visit the taps that fall inside the input.
  check_work(static_cast<double>(g.planes) * static_cast<double>(g.out_h) * static_cast<double>(g.out_w) *
                 static_cast<double>(std::min(g.kernel_h, g.in_h)) * static_cast<double>(std::min(g.kernel_w, g.in_w)),
             layer);
  return g;
}

}  // namespace ll

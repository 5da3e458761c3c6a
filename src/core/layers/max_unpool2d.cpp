#include "max_unpool2d.h"

#include <cinttypes>

#include "../kernels/pool.h"
#include "common.h"

namespace ll {

namespace {

constexpr const char* kLayer = "MaxUnpool2d";

// Python's _pair: an int becomes (v, v); a list must already hold two values.
void unpool_pair(const char* name, const IntList& v, int64_t out[2]) {
  LL_CHECK(v.size() == 1 || v.size() == 2, "%s: %s must be a single int or a pair of ints, got %zu values", kLayer,
           name, v.size());
  out[0] = v[0];
  out[1] = v.size() == 2 ? v[1] : v[0];
}

}  // namespace

Shape MaxUnpool2d::output_shape(const Shape& input_shape, const std::optional<IntList>& output_size) const {
  int64_t kernel[2], stride[2], padding[2];
  unpool_pair("kernel_size", options_.kernel_size, kernel);
  unpool_pair("stride", options_.stride && !options_.stride->empty() ? *options_.stride : options_.kernel_size,
              stride);
  unpool_pair("padding", options_.padding, padding);

  const int64_t ndim = static_cast<int64_t>(input_shape.size());
  LL_CHECK(ndim == 3 || ndim == 4, "%s: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got %" PRId64 "-D shape %s",
           kLayer, ndim, shape_to_string(input_shape).c_str());
  for (int64_t d = 1; d < ndim; ++d) {
    LL_CHECK(input_shape[static_cast<size_t>(d)] > 0,
             "%s: input must have non-zero size in every non-batch dimension, got shape %s", kLayer,
             shape_to_string(input_shape).c_str());
  }

  // default = (in - 1) * stride + kernel - 2 * padding, overflow-checked.
  int64_t def[2];
  for (int d = 0; d < 2; ++d) {
    const int64_t in = input_shape[static_cast<size_t>(ndim - 2 + d)];
    int64_t t = 0;
    bool overflow = __builtin_mul_overflow(in - 1, stride[d], &t);
    overflow |= __builtin_add_overflow(t, kernel[d], &t);
    int64_t two_p = 0;
    overflow |= __builtin_mul_overflow(padding[d], int64_t{2}, &two_p);
    overflow |= __builtin_sub_overflow(t, two_p, &def[d]);
    LL_CHECK(!overflow, "%s: the default output size overflows, got kernel_size=%s, stride=%s, padding=%s", kLayer,
             int_list_to_string(options_.kernel_size).c_str(), int_list_to_string({stride[0], stride[1]}).c_str(),
             int_list_to_string(options_.padding).c_str());
  }

  int64_t out[2] = {def[0], def[1]};
  if (output_size) {
    const IntList& os = *output_size;
    LL_CHECK(os.size() == 2 || os.size() == 4, "%s: output_size must have 2 or 4 entries, got %zu", kLayer, os.size());
    for (int d = 0; d < 2; ++d) {
      const int64_t want = os[os.size() - 2 + static_cast<size_t>(d)];
      // Strictly between default - stride and default + stride; a bound that
      // overflows int64 is no bound.
      int64_t lo = 0, hi = 0;
      const bool lo_ok = __builtin_sub_overflow(def[d], stride[d], &lo) || lo < want;
      const bool hi_ok = __builtin_add_overflow(def[d], stride[d], &hi) || want < hi;
      LL_CHECK(lo_ok && hi_ok,
               "%s: output_size[%d] must lie strictly between %lld and %lld (default size %lld -/+ stride %lld), got %lld",
               kLayer, d, static_cast<long long>(lo), static_cast<long long>(hi), static_cast<long long>(def[d]),
               static_cast<long long>(stride[d]), static_cast<long long>(want));
      out[d] = want;
    }
  }
  LL_CHECK(out[0] >= 0 && out[1] >= 0, "%s: output size must be non-negative, got %lldx%lld", kLayer,
           static_cast<long long>(out[0]), static_cast<long long>(out[1]));

  Shape shape = input_shape;
  shape[static_cast<size_t>(ndim - 2)] = out[0];
  shape[static_cast<size_t>(ndim - 1)] = out[1];
  check_tensor_shape(shape, kLayer, "output");
  return shape;
}

Tensor MaxUnpool2d::forward(const Tensor& input, const IndexTensor& indices,
                            const std::optional<IntList>& output_size) {
  check_tensor(kLayer, "input", input);
  check_tensor(kLayer, "indices", indices);
  const Shape out_shape = output_shape(input.shape, output_size);
  LL_CHECK(indices.shape == input.shape, "%s: indices must have the input's shape %s, got %s", kLayer,
           shape_to_string(input.shape).c_str(), shape_to_string(indices.shape).c_str());

  const size_t nd = out_shape.size();
  const int64_t out_plane = out_shape[nd - 2] * out_shape[nd - 1];
  const int64_t in_plane = input.shape[nd - 2] * input.shape[nd - 1];
  const int64_t planes = in_plane == 0 ? 0 : input.numel() / in_plane;
  Tensor output = Tensor::uninitialized(out_shape);  // zeroed by the kernel
  if (output.numel() != 0) {  // PyTorch skips the kernel, and the index check, for an empty output
    for (int64_t i = 0; i < indices.numel(); ++i) {
      const int64_t v = indices.data[static_cast<size_t>(i)];
      LL_CHECK(v >= 0 && v < out_plane,
               "%s: found an invalid max index %lld, indices must lie in [0, %lld) for output planes of %lldx%lld",
               kLayer, static_cast<long long>(v), static_cast<long long>(out_plane),
               static_cast<long long>(out_shape[nd - 2]), static_cast<long long>(out_shape[nd - 1]));
    }
    max_unpool2d_forward(planes, in_plane, out_plane, input.ptr(), indices.ptr(), output.ptr());
  }
  input_shape_ = input.shape;
  output_shape_ = out_shape;
  indices_ = indices;
  have_forward_ = true;
  return output;
}

Tensor MaxUnpool2d::backward(const Tensor& grad_output) const {
  check_grad_output(kLayer, output_shape_, grad_output, have_forward_);
  Tensor grad_input(input_shape_);
  const size_t nd = output_shape_.size();
  const int64_t out_plane = output_shape_[nd - 2] * output_shape_[nd - 1];
  const int64_t in_plane = input_shape_[nd - 2] * input_shape_[nd - 1];
  // Forward accepts an empty output without looking at the indices; the
  // backward gather then has nothing to read from (PyTorch raises there too).
  LL_CHECK(out_plane != 0 || grad_input.numel() == 0,
           "%s: backward needs a non-empty output to gather from, got output shape %s", kLayer,
           shape_to_string(output_shape_).c_str());
  if (out_plane != 0 && in_plane != 0) {
    max_unpool2d_backward(grad_input.numel() / in_plane, in_plane, out_plane, grad_output.ptr(), indices_.ptr(),
                          grad_input.ptr());
  }
  return grad_input;
}

}  // namespace ll

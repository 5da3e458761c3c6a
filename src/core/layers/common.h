// layers/common.h — checks every layer shares.
#pragma once

#include "../check.h"
#include "../shape.h"
#include "../tensor.h"

namespace ll {

// Backward needs a gradient shaped like the last forward's output.
inline void check_grad_output(const char* layer, const Shape& output_shape, const Tensor& grad_output,
                              bool have_forward) {
  LL_CHECK(have_forward, "%s: backward needs a forward call first", layer);
  LL_CHECK(grad_output.shape == output_shape, "%s: grad_output must have the output's shape %s, got %s", layer,
           shape_to_string(output_shape).c_str(), shape_to_string(grad_output.shape).c_str());
}

// A tensor whose data length disagrees with its shape never reaches a kernel.
template <typename T>
void check_tensor(const char* layer, const char* what, const BasicTensor<T>& t) {
  const int64_t n = check_tensor_shape(t.shape, layer, what);
  LL_CHECK(n == t.numel(), "%s: %s has shape %s (%lld values) but %lld values were given", layer, what,
           shape_to_string(t.shape).c_str(), static_cast<long long>(n), static_cast<long long>(t.numel()));
}

}  // namespace ll

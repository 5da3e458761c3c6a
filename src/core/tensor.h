// tensor.h — a dense, contiguous, row-major tensor: shape + storage, nothing else.
//
//   Shape         dimension sizes, outermost first
//   BasicTensor   shape + flat data; strides are derived, never stored
//   Tensor        float32 values (inputs, outputs, gradients, parameters)
//   IndexTensor   int64 values (MaxPool2d indices, flat per (N, C) plane)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ll {

using Shape = std::vector<int64_t>;

// Product of the sizes; the caller has checked them (see shape.h).
inline int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

std::string shape_to_string(const Shape& shape);  // "[1, 3, 5, 5]"

template <typename T>
struct BasicTensor {
  Shape shape;
  std::vector<T> data;

  BasicTensor() = default;
  explicit BasicTensor(Shape s) : shape(std::move(s)), data(static_cast<size_t>(shape_numel(shape))) {}
  BasicTensor(Shape s, std::vector<T> d) : shape(std::move(s)), data(std::move(d)) {}

  int64_t dim() const { return static_cast<int64_t>(shape.size()); }
  int64_t numel() const { return static_cast<int64_t>(data.size()); }
  int64_t size(int64_t d) const { return shape[static_cast<size_t>(d < 0 ? d + dim() : d)]; }
  std::vector<int64_t> strides() const {
    std::vector<int64_t> st(shape.size(), 1);
    for (size_t i = shape.size(); i-- > 1;) st[i - 1] = st[i] * shape[i];
    return st;
  }
  T* ptr() { return data.data(); }
  const T* ptr() const { return data.data(); }
};

using Tensor = BasicTensor<float>;
using IndexTensor = BasicTensor<int64_t>;

}  // namespace ll

// tensor.h — a dense, contiguous, row-major tensor: shape + storage, nothing else.
//
//   Shape         dimension sizes, outermost first
//   Storage       std::vector whose new elements start uninitialised (see below)
//   BasicTensor   shape + flat data; strides are derived, never stored
//   Tensor        float32 values (inputs, outputs, gradients, parameters)
//   IndexTensor   int64 values (MaxPool2d indices, flat per (N, C) plane)
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
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

// An allocator whose value-less construct() default-initialises: a vector of
// floats grown by resize(n) or built with (n) is left unwritten. Kernels write
// every element of their outputs, so zero-filling them first would be a whole
// extra pass over memory (as long as the kernel itself, for the activations).
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  // Elements are numbers: nothing to destroy. Without this, vector's element
  // loop survives in the wasm build (Emscripten's exception lowering keeps a
  // check per element), a pass over every freed tensor.
  template <typename U>
  void destroy(U*) noexcept {
    static_assert(std::is_trivially_destructible<U>::value, "Storage holds numbers only");
  }
};

template <typename T>
using Storage = std::vector<T, UninitializedAllocator<T>>;

template <typename T>
struct BasicTensor {
  Shape shape;
  Storage<T> data;

  BasicTensor() = default;
  explicit BasicTensor(Shape s) : shape(std::move(s)), data(static_cast<size_t>(shape_numel(shape)), T{}) {}  // zeros
  BasicTensor(Shape s, Storage<T> d) : shape(std::move(s)), data(std::move(d)) {}
  // For a kernel's output: every element must be written before it is read.
  static BasicTensor uninitialized(Shape s) {
    BasicTensor t;
    t.data = Storage<T>(static_cast<size_t>(shape_numel(s)));
    t.shape = std::move(s);
    return t;
  }

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

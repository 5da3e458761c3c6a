// layers/activations.h — the parameter-free and one-parameter activations:
// torch.nn.Sigmoid, Tanh, ReLU and LeakyReLU. Any shape, 0-D included.
// (PReLU and RReLU carry state and live in their own files.)
#pragma once

#include <vector>

#include "../kernels/activation.h"
#include "common.h"

namespace ll {

// Forward caches what backward needs, written by the forward kernel itself
// (no copy of a tensor): `Saved` values, Derived::saved_size(n) of them.
template <typename Derived, typename Saved>
class Elementwise {
 public:
  Tensor forward(const Tensor& input) {
    check_tensor(Derived::kName, "input", input);
    Tensor output = Tensor::uninitialized(input.shape);
    saved_.resize(static_cast<size_t>(Derived::saved_size(input.numel())));
    static_cast<Derived*>(this)->run_forward(input.ptr(), output.ptr(), saved_.data(), input.numel());
    shape_ = input.shape;
    have_forward_ = true;
    return output;
  }
  Tensor backward(const Tensor& grad_output) const {
    check_grad_output(Derived::kName, shape_, grad_output, have_forward_);
    Tensor grad_input = Tensor::uninitialized(shape_);
    static_cast<const Derived*>(this)->run_backward(saved_.data(), grad_output.ptr(), grad_input.ptr(),
                                                    grad_input.numel());
    return grad_input;
  }

 private:
  Shape shape_;               // of the last forward's input (and output)
  std::vector<Saved> saved_;  // see Derived::saved_size
  bool have_forward_ = false;
};

class Sigmoid : public Elementwise<Sigmoid, float> {
 public:
  static constexpr const char* kName = "Sigmoid";
  static int64_t saved_size(int64_t n) { return n; }  // the output
  void run_forward(const float* x, float* y, float* saved, int64_t n) const { sigmoid_forward(x, y, saved, n); }
  void run_backward(const float* y, const float* g, float* dx, int64_t n) const { sigmoid_backward(y, g, dx, n); }
};

class Tanh : public Elementwise<Tanh, float> {
 public:
  static constexpr const char* kName = "Tanh";
  static int64_t saved_size(int64_t n) { return n; }  // the output
  void run_forward(const float* x, float* y, float* saved, int64_t n) const { tanh_forward(x, y, saved, n); }
  void run_backward(const float* y, const float* g, float* dx, int64_t n) const { tanh_backward(y, g, dx, n); }
};

class ReLU : public Elementwise<ReLU, uint32_t> {
 public:
  static constexpr const char* kName = "ReLU";
  static int64_t saved_size(int64_t n) { return mask_words(n); }  // where the gradient stops
  void run_forward(const float* x, float* y, uint32_t* blocked, int64_t n) const { relu_forward(x, y, blocked, n); }
  void run_backward(const uint32_t* blocked, const float* g, float* dx, int64_t n) const {
    relu_backward(blocked, g, dx, n);
  }
};

class LeakyReLU : public Elementwise<LeakyReLU, uint32_t> {
 public:
  static constexpr const char* kName = "LeakyReLU";
  static int64_t saved_size(int64_t n) { return mask_words(n); }  // where x > 0
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(static_cast<float>(negative_slope)) {}
  float negative_slope() const { return negative_slope_; }
  void run_forward(const float* x, float* y, uint32_t* positive, int64_t n) const {
    leaky_relu_forward(x, y, positive, n, negative_slope_);
  }
  void run_backward(const uint32_t* positive, const float* g, float* dx, int64_t n) const {
    leaky_relu_backward(positive, g, dx, n, negative_slope_);
  }

 private:
  float negative_slope_;  // slope for x <= 0
};

}  // namespace ll

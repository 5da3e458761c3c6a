// layers/activations.h — the parameter-free and one-parameter activations:
// torch.nn.Sigmoid, Tanh, ReLU and LeakyReLU. Any shape, 0-D included.
// (PReLU and RReLU carry state and live in their own files.)
#pragma once

#include "../kernels/activation.h"
#include "common.h"

namespace ll {

// Forward caches what backward needs: the output (Sigmoid, Tanh, ReLU) or the input (LeakyReLU).
template <typename Derived>
class Elementwise {
 public:
  Tensor forward(const Tensor& input) {
    check_tensor(Derived::kName, "input", input);
    Tensor output(input.shape);
    static_cast<Derived*>(this)->run_forward(input.ptr(), output.ptr(), input.numel());
    saved_ = Derived::kSavesOutput ? output : input;
    have_forward_ = true;
    return output;
  }
  Tensor backward(const Tensor& grad_output) const {
    check_grad_output(Derived::kName, saved_.shape, grad_output, have_forward_);
    Tensor grad_input(saved_.shape);
    static_cast<const Derived*>(this)->run_backward(saved_.ptr(), grad_output.ptr(), grad_input.ptr(),
                                                    saved_.numel());
    return grad_input;
  }

 private:
  Tensor saved_;
  bool have_forward_ = false;
};

class Sigmoid : public Elementwise<Sigmoid> {
 public:
  static constexpr const char* kName = "Sigmoid";
  static constexpr bool kSavesOutput = true;
  void run_forward(const float* x, float* y, int64_t n) const { sigmoid_forward(x, y, n); }
  void run_backward(const float* y, const float* g, float* dx, int64_t n) const { sigmoid_backward(y, g, dx, n); }
};

class Tanh : public Elementwise<Tanh> {
 public:
  static constexpr const char* kName = "Tanh";
  static constexpr bool kSavesOutput = true;
  void run_forward(const float* x, float* y, int64_t n) const { tanh_forward(x, y, n); }
  void run_backward(const float* y, const float* g, float* dx, int64_t n) const { tanh_backward(y, g, dx, n); }
};

class ReLU : public Elementwise<ReLU> {
 public:
  static constexpr const char* kName = "ReLU";
  static constexpr bool kSavesOutput = true;
  void run_forward(const float* x, float* y, int64_t n) const { relu_forward(x, y, n); }
  void run_backward(const float* y, const float* g, float* dx, int64_t n) const { relu_backward(y, g, dx, n); }
};

class LeakyReLU : public Elementwise<LeakyReLU> {
 public:
  static constexpr const char* kName = "LeakyReLU";
  static constexpr bool kSavesOutput = false;
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(static_cast<float>(negative_slope)) {}
  float negative_slope() const { return negative_slope_; }
  void run_forward(const float* x, float* y, int64_t n) const { leaky_relu_forward(x, y, n, negative_slope_); }
  void run_backward(const float* x, const float* g, float* dx, int64_t n) const {
    leaky_relu_backward(x, g, dx, n, negative_slope_);
  }

 private:
  float negative_slope_;  // slope for x <= 0
};

}  // namespace ll

#include "activation.h"

#include <optional>

#include "../elementwise_desc.h"
#include "../kernels/softmax.h"

namespace ll {

Tensor Activation::forward(const Tensor& input) { return forward(std::make_shared<const Tensor>(input)); }

Tensor Activation::forward(std::shared_ptr<const Tensor> input) {
  check_tensor(name(), "input", *input);
  Shape out = output_shape(input->shape);
  Tensor y = Tensor::uninitialized(out);
  run_forward(*input, y);
  input_ = std::move(input);
  output_shape_ = std::move(out);
  return y;
}

Tensor Activation::backward(const Tensor& grad_output) const {
  check_grad_output(name(), output_shape_, grad_output, input_ != nullptr);
  Tensor grad_input = Tensor::uninitialized(input_->shape);
  run_backward(*input_, grad_output, grad_input);
  return grad_input;
}

int64_t softmax_legacy_dim(int64_t input_dims) { return input_dims == 0 || input_dims == 1 || input_dims == 3 ? 0 : 1; }

namespace {

class ElementwiseActivation final : public Activation {
 public:
  ElementwiseActivation(const LayerDesc& desc, const ElementwiseDesc& row, ElementwiseArgs args)
      : Activation(desc), row_(row), args_(args) {}

 private:
  Shape output_shape(const Shape& input) const override { return input; }
  void run_forward(const Tensor& x, Tensor& y) const override { row_.forward(x.ptr(), y.ptr(), x.numel(), args_); }
  void run_backward(const Tensor& x, const Tensor& g, Tensor& dx) const override {
    row_.backward(x.ptr(), g.ptr(), dx.ptr(), x.numel(), args_);
  }

  const ElementwiseDesc& row_;
  const ElementwiseArgs args_;
};

// A dim of an input of `dims` dimensions (a 0-D input counts as one), PyTorch's
// maybe_wrap_dim: in [-dims, dims - 1], negative counted from the end.
int64_t wrap_dim(const char* layer, int64_t dim, int64_t dims) {
  const int64_t range = std::max<int64_t>(dims, 1);
  LL_CHECK(dim >= -range && dim < range, "%s: dim out of range (expected to be in range of [%lld, %lld], but got %lld)",
           layer, static_cast<long long>(-range), static_cast<long long>(range - 1), static_cast<long long>(dim));
  return dim < 0 ? dim + range : dim;
}

// The input as (outer, size, inner) around dimension d (wrapped).
struct Split {
  int64_t outer = 1, size = 1, inner = 1;
};
Split split_at(const Shape& shape, int64_t d) {
  Split s;
  for (size_t i = 0; i < shape.size(); ++i) {
    const int64_t n = shape[i];
    if (static_cast<int64_t>(i) < d) s.outer *= n;
    if (static_cast<int64_t>(i) == d) s.size = n;
    if (static_cast<int64_t>(i) > d) s.inner *= n;
  }
  return s;
}

struct SoftmaxRow {
  const char* layer;
  const char* function;  // F.softmax's name in PyTorch's warning
  bool log, negate;
  bool channels;  // Softmax2d: dim -3 of a 3-D or 4-D input, no keyword
};
constexpr SoftmaxRow kSoftmaxRows[] = {
    {"Softmax", "softmax", false, false, false},
    {"Softmin", "softmin", false, true, false},
    {"LogSoftmax", "log_softmax", true, false, false},
    {"Softmax2d", "softmax", false, false, true},
};

const SoftmaxRow* find_softmax(std::string_view name) {
  for (const SoftmaxRow& r : kSoftmaxRows)
    if (name == r.layer) return &r;
  return nullptr;
}

// Softmax, Softmin, LogSoftmax (dim, or PyTorch's legacy choice for None) and
// Softmax2d (dim -3 of a 3-D or 4-D input). Backward recomputes the output.
class SoftmaxActivation final : public Activation {
 public:
  SoftmaxActivation(const LayerDesc& desc, const SoftmaxRow& row, std::optional<int64_t> dim)
      : Activation(desc), row_(row), dim_(dim) {}

  std::string warning() const override {
    if (dim_ || row_.channels) return "";
    return format("Implicit dimension choice for %s has been deprecated. Change the call to include dim=X as an "
                  "argument.", row_.function);
  }

 private:
  int64_t dim_of(const Shape& input) const {
    const int64_t dims = static_cast<int64_t>(input.size());
    if (row_.channels) {
      LL_CHECK(dims == 3 || dims == 4, "Softmax2d: input must be 3-D or 4-D, got %lld-D", static_cast<long long>(dims));
      return dims - 3;
    }
    return wrap_dim(name(), dim_ ? *dim_ : softmax_legacy_dim(dims), dims);
  }
  Shape output_shape(const Shape& input) const override {
    dim_of(input);
    return input;
  }
  void run_forward(const Tensor& x, Tensor& y) const override {
    const Split s = split_at(x.shape, dim_of(x.shape));
    softmax_forward(x.ptr(), y.ptr(), s.outer, s.size, s.inner, row_.log, row_.negate);
  }
  void run_backward(const Tensor& x, const Tensor& g, Tensor& dx) const override {
    Tensor y = Tensor::uninitialized(x.shape);
    run_forward(x, y);
    const Split s = split_at(x.shape, dim_of(x.shape));
    softmax_backward(y.ptr(), g.ptr(), dx.ptr(), s.outer, s.size, s.inner, row_.log, row_.negate);
  }

  const SoftmaxRow& row_;
  const std::optional<int64_t> dim_;  // nullopt: None
};

// GLU halves the input along dim: a * sigmoid(b).
class GluActivation final : public Activation {
 public:
  GluActivation(const LayerDesc& desc, int64_t dim) : Activation(desc), dim_(dim) {}

 private:
  int64_t dim_of(const Shape& input) const {
    LL_CHECK(!input.empty(), "GLU: input must have at least one dimension to halve, got a 0-D input");
    const int64_t d = wrap_dim(name(), dim_, static_cast<int64_t>(input.size()));
    LL_CHECK(input[static_cast<size_t>(d)] % 2 == 0, "GLU: halving dimension must be even, got dim=%lld of size %lld",
             static_cast<long long>(d), static_cast<long long>(input[static_cast<size_t>(d)]));
    return d;
  }
  Shape output_shape(const Shape& input) const override {
    Shape out = input;
    out[static_cast<size_t>(dim_of(input))] /= 2;
    return out;
  }
  void run_forward(const Tensor& x, Tensor& y) const override {
    const Split s = split_at(x.shape, dim_of(x.shape));
    glu_forward(x.ptr(), y.ptr(), s.outer, s.size / 2, s.inner);
  }
  void run_backward(const Tensor& x, const Tensor& g, Tensor& dx) const override {
    const Split s = split_at(x.shape, dim_of(x.shape));
    glu_backward(x.ptr(), g.ptr(), dx.ptr(), s.outer, s.size / 2, s.inner);
  }

  const int64_t dim_;
};

// Each INT or FLOAT keyword at least its descriptor's `min` (NaN fails, as in PyTorch).
void check_minimums(const Keywords& k) {
  for (const ParamDesc& p : k.desc().params) {
    if (p.min == -kNoBound || k.none(p.name)) continue;
    const double v = k.number(p.name);
    LL_CHECK(v >= p.min, "%s: %s must be greater than or equal to %g, got %s=%g", k.desc().name, p.name, p.min, p.name,
             v);
  }
}

}  // namespace

std::unique_ptr<Activation> make_activation(const Keywords& k) {
  const LayerDesc& desc = k.desc();
  if (!is_generic_activation(desc.name)) return nullptr;
  check_minimums(k);
  if (const ElementwiseDesc* e = find_elementwise(desc.name)) {
    return std::make_unique<ElementwiseActivation>(desc, *e, e->args ? e->args(k) : ElementwiseArgs{});
  }
  if (const SoftmaxRow* r = find_softmax(desc.name)) {
    const bool has_dim = find_param(desc, "dim") && !k.none("dim");
    return std::make_unique<SoftmaxActivation>(desc, *r, has_dim ? std::optional<int64_t>(k.integer("dim")) : std::nullopt);
  }
  return std::make_unique<GluActivation>(desc, k.integer("dim"));
}

bool is_generic_activation(std::string_view name) {
  return find_elementwise(name) || find_softmax(name) || name == "GLU";
}

}  // namespace ll

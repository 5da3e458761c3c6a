#include "module.h"

#include <cinttypes>
#include <cmath>

#include "../kernels/pool.h"
#include "../random.h"

namespace ll {

Tensor Module::forward(std::shared_ptr<const Tensor> input) {
  Inputs in;
  in.input = std::move(input);
  return forward(in);
}

Tensor Module::forward(const Inputs& inputs) {
  LL_CHECK(inputs.input != nullptr, "%s: input is missing", name());
  check_tensor(name(), "input", *inputs.input);
  have_forward_ = have_grads_ = false;
  Shape out = output_shape(inputs);
  Tensor y = Tensor::uninitialized(out);
  run_forward(inputs, y);
  inputs_ = inputs;
  output_shape_ = std::move(out);
  have_forward_ = true;
  return y;
}

Tensor Module::backward(const Tensor& grad_output) {
  check_grad_output(name(), output_shape_, grad_output, have_forward_);
  Tensor grad_input = Tensor::uninitialized(inputs_.input->shape);
  run_backward(grad_output, grad_input);
  have_grads_ = true;
  return grad_input;
}

void Module::set_parameter(std::string_view name, Tensor) {
  fail(format("%s: has no parameter %s", this->name(), std::string(name).c_str()));
}

const Tensor* Module::grad(std::string_view name) const {
  if (!have_grads_) return nullptr;
  if (name == "input2" && !grad_input2_.shape.empty()) return &grad_input2_;
  if (name == "weight" && !grad_weight_.shape.empty()) return &grad_weight_;
  if (name == "bias" && !grad_bias_.shape.empty()) return &grad_bias_;
  return nullptr;
}

namespace {

// A tuple keyword's entries, as given.
IntList entries(const Keywords::Value& v) { return IntList(v.ints, v.ints + v.items); }

// A tuple keyword must be one value or `count` of them (PyTorch's _single/_pair/_triple then its op's check).
void check_arity(const char* layer, const char* name, const Keywords::Value& v, int count) {
  LL_CHECK(v.scalar || v.items == count, "%s: %s must be a single value or a tuple of %d, got %d values", layer, name,
           count, static_cast<int>(v.items));
}

// The value of one entry of a tuple keyword along axis a (of the last `dims` of 3).
int64_t entry_at(const Keywords::Value& v, int dims, int a) {
  return v.scalar ? v.ints[0] : v.ints[a - (3 - dims)];
}

// ATen's pow(Tensor, Scalar) of a float tensor: exponents 0, 1, 0.5, -0.5, -1, 2,
// 3, -2 are special-cased (sqrt(-inf) is NaN where pow gives inf), others are
// std::pow in double.
float pow_scalar(float x, double e) {
  if (e == 0.0) return 1.0f;
  if (e == 1.0) return x;
  if (e == 0.5) return std::sqrt(x);
  if (e == -0.5) return 1.0f / std::sqrt(x);
  if (e == -1.0) return 1.0f / x;
  if (e == 2.0) return x * x;
  if (e == 3.0) return x * x * x;
  if (e == -2.0) return 1.0f / (x * x);
  return static_cast<float>(std::pow(static_cast<double>(x), e));
}

float sign_of(float x) { return x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f; }  // torch.sign: 0 at NaN

// ---------------------------------------------------------------------------
// MaxPool1d/3d, AvgPool1d/3d, LPPool1d/2d: a sliding window over 1, 2 or 3 dims
// ---------------------------------------------------------------------------

enum class Reduce { MAX, AVG, LP };

class SlidingPool final : public Module {
 public:
  SlidingPool(const LayerDesc& desc, Reduce reduce, const Keywords& k) : Module(desc), reduce_(reduce) {
    const int dims = desc.spatial_dims;
    args_.kernel_size = entries(k["kernel_size"]);
    if (!k.none("stride")) args_.stride = entries(k["stride"]);
    args_.ceil_mode = k.number("ceil_mode") != 0;
    if (reduce != Reduce::LP) args_.padding = entries(k["padding"]);
    if (reduce == Reduce::MAX) {
      args_.dilation = entries(k["dilation"]);
      return_indices_ = k.number("return_indices") != 0;
    }
    if (reduce == Reduce::AVG) {
      count_include_pad_ = k.number("count_include_pad") != 0;
      if (find_param(desc, "divisor_override") && !k.none("divisor_override")) {
        divisor_override_ = k.integer("divisor_override");
        LL_CHECK(*divisor_override_ != 0, "%s: divisor_override must not be zero, got 0", name());
      }
    }
    if (reduce == Reduce::LP) {
      // PyTorch's lp_pool: 1/norm_type is the root, and the average is multiplied by
      // kernel_size (1-D: the int itself) or kw * kh (2-D: the unpacked pair).
      norm_type_ = k.number("norm_type");
      LL_CHECK(norm_type_ != 0, "%s: norm_type must not be zero (the root is 1/norm_type), got 0", name());
      const Keywords::Value& kernel = k["kernel_size"];
      LL_CHECK(kernel.scalar || (dims == 2 && kernel.items == 2),
               "%s: kernel_size must be %s, got a tuple of %d", name(), dims == 1 ? "a single int" : "an int or a pair",
               static_cast<int>(kernel.items));
    }
  }
  bool returns_indices() const override { return return_indices_; }

 private:
  Shape output_shape(const Inputs& in) override {
    const bool empty_ok = reduce_ == Reduce::MAX && desc_.spatial_dims == 1 && !in.requires_grad && !return_indices_;
    g_ = pool_geometry(name(), desc_.spatial_dims, in.input->shape, args_, empty_ok);
    // avg_pool3d alone also wants the input at least the kernel, padding or not (pool3d_shape_check).
    for (int a = 0; a < 3 && reduce_ == Reduce::AVG && desc_.spatial_dims == 3; ++a) {
      LL_CHECK(g_.in[a] >= g_.kernel[a], "%s: input (%lldx%lldx%lld) must be at least kernel_size (%lldx%lldx%lld)",
               name(), static_cast<long long>(g_.in[0]), static_cast<long long>(g_.in[1]),
               static_cast<long long>(g_.in[2]), static_cast<long long>(g_.kernel[0]),
               static_cast<long long>(g_.kernel[1]), static_cast<long long>(g_.kernel[2]));
    }
    return g_.output_shape;
  }
  void run_forward(const Inputs& in, Tensor& y) override {
    switch (reduce_) {
      case Reduce::MAX:
        indices_ = IndexTensor::uninitialized(y.shape);
        max_pool_forward(g_, in.input->ptr(), y.ptr(), indices_.ptr());
        break;
      case Reduce::AVG:
        avg_pool_forward(g_, count_include_pad_, divisor_override_, in.input->ptr(), y.ptr());
        break;
      case Reduce::LP:
        lp_forward(*in.input, y);
        break;
    }
  }
  void run_backward(const Tensor& g, Tensor& dx) override {
    switch (reduce_) {
      case Reduce::MAX:
        max_pool_backward(g_, g.ptr(), indices_.ptr(), dx.ptr());
        break;
      case Reduce::AVG:
        avg_pool_backward(g_, count_include_pad_, divisor_override_, g.ptr(), dx.ptr());
        break;
      case Reduce::LP:
        lp_backward(*inputs_.input, g, dx);
        break;
    }
  }
  float window_elements() const { return static_cast<float>(g_.kernel[0] * g_.kernel[1] * g_.kernel[2]); }

  // F.lp_pool: a = avg_pool(x.pow(p)); out = (sign(a) * relu(|a|)).mul(k).pow(1/p).
  void lp_forward(const Tensor& x, Tensor& y) {
    Tensor xp = Tensor::uninitialized(x.shape);
    for (int64_t i = 0; i < x.numel(); ++i) xp.data[i] = pow_scalar(x.data[i], norm_type_);
    avg_ = Tensor::uninitialized(y.shape);
    avg_pool_forward(g_, true, std::nullopt, xp.ptr(), avg_.ptr());
    const float k = window_elements();
    for (int64_t i = 0; i < y.numel(); ++i) {
      const float a = avg_.data[i];
      y.data[i] = pow_scalar(sign_of(a) * std::max(std::fabs(a), 0.0f) * k, 1.0 / norm_type_);  // max keeps a NaN
    }
  }
  // Autograd's chain through the same steps: pow's grad * (e * z.pow(e - 1)), mul's
  // grad * k, relu's (0 where relu(|a|) <= 0) times sign(a) (abs), avg_pool's, and
  // x.pow(p)'s grad * (p * x.pow(p - 1)).
  void lp_backward(const Tensor& x, const Tensor& g, Tensor& dx) {
    const double root = 1.0 / norm_type_;
    const float k = window_elements();
    Tensor ga = Tensor::uninitialized(g.shape);
    for (int64_t i = 0; i < g.numel(); ++i) {
      const float a = avg_.data[i], r = std::max(std::fabs(a), 0.0f), s = sign_of(a);
      const float z = s * r * k;
      const float gz = g.data[i] * (static_cast<float>(root) * pow_scalar(z, root - 1.0));
      const float gr = (gz * k) * s;
      ga.data[i] = (r <= 0.0f ? 0.0f : gr) * s;
    }
    Tensor gxp = Tensor::uninitialized(x.shape);
    avg_pool_backward(g_, true, std::nullopt, ga.ptr(), gxp.ptr());
    for (int64_t i = 0; i < x.numel(); ++i) {
      dx.data[i] = gxp.data[i] * (static_cast<float>(norm_type_) * pow_scalar(x.data[i], norm_type_ - 1.0));
    }
  }

  const Reduce reduce_;
  PoolArgs args_;
  bool return_indices_ = false, count_include_pad_ = true;
  std::optional<int64_t> divisor_override_;
  double norm_type_ = 1;
  PoolGeometry g_;
  Tensor avg_;  // LPPool: the last forward's avg_pool(x.pow(p))
};

// ---------------------------------------------------------------------------
// AdaptiveMaxPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d
// ---------------------------------------------------------------------------

class AdaptivePool final : public Module {
 public:
  AdaptivePool(const LayerDesc& desc, bool max, const Keywords& k)
      : Module(desc), max_(max), size_(k["output_size"]) {
    check_arity(name(), "output_size", size_, desc.spatial_dims);
    LL_CHECK(desc.spatial_dims > 1 || size_.none_items == 0, "%s: output_size must be an int, got None", name());
    if (max) return_indices_ = k.number("return_indices") != 0;
  }
  bool returns_indices() const override { return return_indices_; }

 private:
  // output_size per axis; None keeps the input's size.
  Shape output_shape(const Inputs& in) override {
    const int dims = desc_.spatial_dims;
    const Shape& shape = in.input->shape;
    // F.adaptive_*_pool2d/3d fill None from the input's sizes, which needs more dimensions than entries.
    LL_CHECK(dims == 1 || size_.scalar || static_cast<int>(shape.size()) > dims,
             "%s: input must have at least %d dimensions for a tuple output_size, got shape %s", name(), dims + 1,
             shape_to_string(shape).c_str());
    if (is_mean(shape)) return mean_shape(shape);
    g_ = pool_input_geometry(name(), dims, shape);
    double work = static_cast<double>(g_.planes);
    for (int a = 3 - dims; a < 3; ++a) {
      const int i = size_.scalar ? 0 : a - (3 - dims);
      g_.out[a] = (size_.none_items >> i) & 1 ? g_.in[a] : entry_at(size_, dims, a);
      g_.output_shape[g_.output_shape.size() - static_cast<size_t>(3 - a)] = g_.out[a];
      work *= static_cast<double>(g_.out[a]) * static_cast<double>(g_.in[a] / std::max<int64_t>(g_.out[a], 1) + 2);
    }
    check_tensor_shape(g_.output_shape, name(), "output");
    check_work(work, name());
    return g_.output_shape;
  }
  // ATen's adaptive_avg_pool2d/3d with every output size 1 is input.mean over the
  // spatial dims: any input of at least that rank (1-D: 2-D or 3-D), empty sizes too (NaN).
  bool is_mean(const Shape& shape) const {
    const int dims = desc_.spatial_dims, rank = static_cast<int>(shape.size());
    if (max_ || rank < dims || (dims == 1 && rank > 3) || (dims == 1 && rank < 2)) return false;
    for (int i = 0; i < dims; ++i) {
      const bool none = (size_.none_items >> (size_.scalar ? 0 : i)) & 1;
      const int64_t size = none ? shape[static_cast<size_t>(rank - dims + i)] : size_.ints[size_.scalar ? 0 : i];
      if (size != 1) return false;
    }
    return true;
  }
  Shape mean_shape(const Shape& shape) {
    const int dims = desc_.spatial_dims, rank = static_cast<int>(shape.size());
    check_tensor_shape(shape, name(), "input");
    g_ = PoolGeometry();
    g_.dims = dims;
    g_.planes = 1;
    for (int d = 0; d < rank - dims; ++d) g_.planes *= shape[static_cast<size_t>(d)];
    for (int i = 0; i < dims; ++i) g_.in[3 - dims + i] = shape[static_cast<size_t>(rank - dims + i)];
    g_.output_shape = shape;
    for (int i = 0; i < dims; ++i) g_.output_shape[static_cast<size_t>(rank - dims + i)] = 1;
    return g_.output_shape;
  }
  void run_forward(const Inputs& in, Tensor& y) override {
    if (!max_) return adaptive_avg_pool_forward(g_, in.input->ptr(), y.ptr());
    indices_ = IndexTensor::uninitialized(y.shape);
    adaptive_max_pool_forward(g_, in.input->ptr(), y.ptr(), indices_.ptr());
  }
  void run_backward(const Tensor& g, Tensor& dx) override {
    // ATen's 2-D backward (1-D runs it too) rejects a grad_output empty beyond the batch.
    for (int a = 1; a < 3 && desc_.spatial_dims < 3; ++a) {
      LL_CHECK(g_.out[a] > 0, "%s: backward needs a non-empty output, got output_size %lld", name(),
               static_cast<long long>(g_.out[a]));
    }
    if (max_) return max_pool_backward(g_, g.ptr(), indices_.ptr(), dx.ptr());
    adaptive_avg_pool_backward(g_, g.ptr(), dx.ptr());
  }

  const bool max_;
  const Keywords::Value size_;
  bool return_indices_ = false;
  PoolGeometry g_;
};

// ---------------------------------------------------------------------------
// MaxUnpool1d/3d: F.max_unpool1d/3d's _unpool_output_default_size, then
// max_unpool2d/3d's checks (MaxUnpool2d's rules, CONTRACT 5)
// ---------------------------------------------------------------------------

class Unpool final : public Module {
 public:
  Unpool(const LayerDesc& desc, const Keywords& k)
      : Module(desc), kernel_(k["kernel_size"]), stride_(k.none("stride") ? kernel_ : k["stride"]),
        padding_(k["padding"]) {
    const int dims = desc.spatial_dims;
    // The kernel's length is the output size's; stride and padding are indexed up to it
    // (max_unpool3d also wants exactly three of each, and a positive stride).
    check_arity(name(), "kernel_size", kernel_, dims);
    for (const auto& [what, v] : {std::pair{"stride", &stride_}, std::pair{"padding", &padding_}}) {
      LL_CHECK(v->scalar || v->items == dims || (dims == 1 && v->items > 1),
               "%s: %s must be a single int or a tuple of %d, got %d values", name(), what, dims,
               static_cast<int>(v->items));
    }
    for (int a = 3 - dims; a < 3 && dims == 3; ++a) {
      LL_CHECK(entry_at(stride_, dims, a) > 0, "%s: stride must be greater than zero, got stride=%lld", name(),
               static_cast<long long>(entry_at(stride_, dims, a)));
    }
  }

 private:
  Shape output_shape(const Inputs& in) override {
    const int dims = desc_.spatial_dims;
    LL_CHECK(in.indices, "%s: needs indices (the max pooling's, the input's shape)", name());
    check_tensor(name(), "indices", *in.indices);
    g_ = pool_input_geometry(name(), dims, in.input->shape);
    const bool given = in.output_size.has_value();
    IntList want = given ? *in.output_size : IntList();
    if (want.size() == static_cast<size_t>(dims + 2)) want.erase(want.begin(), want.begin() + 2);
    LL_CHECK(!given || want.size() == static_cast<size_t>(dims), "%s: output_size must have %d or %d entries, got %zu",
             name(), dims, dims + 2, given ? in.output_size->size() : size_t{0});
    for (int a = 3 - dims; a < 3; ++a) g_.out[a] = unpooled_size(a, given ? &want : nullptr);
    for (int a = 3 - dims; a < 3; ++a) g_.output_shape[g_.output_shape.size() - static_cast<size_t>(3 - a)] = g_.out[a];
    check_tensor_shape(g_.output_shape, name(), "output");
    LL_CHECK(in.indices->shape == in.input->shape, "%s: indices must have the input's shape %s, got %s", name(),
             shape_to_string(in.input->shape).c_str(), shape_to_string(in.indices->shape).c_str());
    const int64_t volume = g_.out_volume();
    for (int64_t i = 0; volume != 0 && i < in.indices->numel(); ++i) {  // PyTorch skips an empty output
      const int64_t v = in.indices->data[static_cast<size_t>(i)];
      LL_CHECK(v >= 0 && v < volume, "%s: found an invalid max index %lld, indices must lie in [0, %lld)", name(),
               static_cast<long long>(v), static_cast<long long>(volume));
    }
    return g_.output_shape;
  }
  // default = (in - 1) * stride + kernel - 2 * padding; a given size must lie
  // strictly between default - stride and default + stride.
  int64_t unpooled_size(int a, const IntList* want) const {
    const int dims = desc_.spatial_dims;
    const int64_t s = entry_at(stride_, dims, a);
    const int64_t def = (g_.in[a] - 1) * s + entry_at(kernel_, dims, a) - 2 * entry_at(padding_, dims, a);
    int64_t out = def;
    if (want) {
      out = (*want)[static_cast<size_t>(a - (3 - dims))];
      LL_CHECK(def - s < out && out < def + s,
               "%s: output_size must lie strictly between %lld and %lld (default size %lld -/+ stride %lld), got %lld",
               name(), static_cast<long long>(def - s), static_cast<long long>(def + s), static_cast<long long>(def),
               static_cast<long long>(s), static_cast<long long>(out));
    }
    LL_CHECK(out >= 0, "%s: output size must be non-negative, got %lld", name(), static_cast<long long>(out));
    return out;
  }
  void run_forward(const Inputs& in, Tensor& y) override {
    if (y.numel() == 0) return;
    max_unpool2d_forward(g_.planes, g_.in_volume(), g_.out_volume(), in.input->ptr(), in.indices->ptr(), y.ptr());
  }
  void run_backward(const Tensor& g, Tensor& dx) override {
    LL_CHECK(g_.out_volume() != 0 || dx.numel() == 0, "%s: backward needs a non-empty output to gather from", name());
    if (dx.numel() == 0) return;
    max_unpool2d_backward(g_.planes, g_.in_volume(), g_.out_volume(), g.ptr(), inputs_.indices->ptr(), dx.ptr());
  }

  const Keywords::Value kernel_, stride_, padding_;
  PoolGeometry g_;
};

// ---------------------------------------------------------------------------
// FractionalMaxPool2d/3d
// ---------------------------------------------------------------------------

class FractionalPool final : public Module {
 public:
  FractionalPool(const LayerDesc& desc, const Keywords& k, uint64_t seed)
      : Module(desc), size_(k["output_size"]), ratio_(k["output_ratio"]), sized_(!k.none("output_size")),
        return_indices_(k.number("return_indices") != 0), seed_(seed) {
    const int dims = desc.spatial_dims;
    LL_CHECK(sized_ || !k.none("output_ratio"),
             "%s: requires specifying either an output size, or a pooling ratio (output_size or output_ratio)", name());
    LL_CHECK(!sized_ || k.none("output_ratio"), "%s: only one of output_size and output_ratio may be specified",
             name());
    const Keywords::Value& kernel = k["kernel_size"];
    check_arity(name(), "kernel_size", kernel, dims);
    for (int a = 3 - dims; a < 3; ++a) kernel_[a] = entry_at(kernel, dims, a);
    check_arity(name(), sized_ ? "output_size" : "output_ratio", sized_ ? size_ : ratio_, dims);
    for (int i = 0; !sized_ && i < ratio_.items; ++i) {
      LL_CHECK(ratio_.floats[i] > 0 && ratio_.floats[i] < 1, "%s: output_ratio must be between 0 and 1, got %g",
               name(), ratio_.floats[i]);
    }
  }
  bool returns_indices() const override { return return_indices_; }

 private:
  Shape output_shape(const Inputs& in) override {
    const int dims = desc_.spatial_dims;
    const Shape& shape = in.input->shape;
    g_ = pool_input_geometry(name(), dims, shape, /*first_checked=*/1);  // ATen checks sizes from dim 1 on
    for (int a = 3 - dims; a < 3; ++a) {
      const int i = a - (3 - dims);
      g_.out[a] = sized_ ? entry_at(size_, dims, a)
                         : static_cast<int64_t>(static_cast<double>(g_.in[a]) * ratio_.floats[ratio_.scalar ? 0 : i]);
      // 2-D: output + kernel - 1 <= input; 3-D: strictly less (ATen 1.13's own checks).
      const int64_t reach = g_.out[a] + kernel_[a] - 1;
      LL_CHECK(dims == 2 ? reach <= g_.in[a] : reach < g_.in[a],
               "%s: kernel_size %lld too large relative to input size %lld for output size %lld (output_size + "
               "kernel_size - 1 must be %s the input size)",
               name(), static_cast<long long>(kernel_[a]), static_cast<long long>(g_.in[a]),
               static_cast<long long>(g_.out[a]), dims == 2 ? "at most" : "less than");
      g_.output_shape[shape.size() - static_cast<size_t>(dims - i)] = g_.out[a];
    }
    check_tensor_shape(g_.output_shape, name(), "output");
    check_work(static_cast<double>(g_.out_volume()) * static_cast<double>(g_.planes) *
                   static_cast<double>(std::max<int64_t>(kernel_[0] * kernel_[1] * kernel_[2], 1)),
               name());
    samples_ = samples_for(in, shape);
    return g_.output_shape;
  }
  // PyTorch's _random_samples ([N, C, dims], N = 1 unbatched), or drawn from the seed.
  Tensor samples_for(const Inputs& in, const Shape& shape) const {
    const int dims = desc_.spatial_dims;
    const bool batched = shape.size() == static_cast<size_t>(dims + 2);
    const Shape want = {batched ? shape[0] : 1, shape[batched ? 1 : 0], dims};
    if (in.random_samples) {
      check_tensor(name(), "random_samples", *in.random_samples);
      LL_CHECK(in.random_samples->shape == want, "%s: random_samples must have shape %s, got %s", name(),
               shape_to_string(want).c_str(), shape_to_string(in.random_samples->shape).c_str());
      return *in.random_samples;
    }
    Tensor drawn(want);
    Rng rng(seed_);
    for (float& u : drawn.data) u = static_cast<float>(rng.uniform());
    return drawn;
  }
  void run_forward(const Inputs& in, Tensor& y) override {
    indices_ = IndexTensor::uninitialized(y.shape);
    fractional_max_pool_forward(g_, kernel_, samples_.ptr(), in.input->ptr(), y.ptr(), indices_.ptr());
  }
  void run_backward(const Tensor& g, Tensor& dx) override {
    // ATen's backward asserts that each argmax lies in the input: an empty window
    // (kernel_size 0) reports its start, past the end for the last one.
    for (int64_t i = 0; i < indices_.numel(); ++i) {
      LL_CHECK(indices_.data[i] >= 0 && indices_.data[i] < g_.in_volume(),
               "%s: backward through a window without input (kernel_size %lldx%lldx%lld): its index %lld lies "
               "outside the input", name(), static_cast<long long>(kernel_[0]), static_cast<long long>(kernel_[1]),
               static_cast<long long>(kernel_[2]), static_cast<long long>(indices_.data[i]));
    }
    max_pool_backward(g_, g.ptr(), indices_.ptr(), dx.ptr());
  }

  const Keywords::Value size_, ratio_;
  const bool sized_, return_indices_;
  const uint64_t seed_;
  int64_t kernel_[3] = {1, 1, 1};
  PoolGeometry g_;
};

// ---------------------------------------------------------------------------
// Identity, Bilinear
// ---------------------------------------------------------------------------

class IdentityModule final : public Module {
 public:
  explicit IdentityModule(const LayerDesc& desc) : Module(desc) {}

 private:
  Shape output_shape(const Inputs& in) override { return in.input->shape; }
  void run_forward(const Inputs& in, Tensor& y) override { y.data = in.input->data; }
  void run_backward(const Tensor& g, Tensor& dx) override { dx.data = g.data; }
};

// y[..., o] = sum_i sum_j x1[..., i] weight[o, i, j] x2[..., j] + bias[o]
class BilinearModule final : public Module {
 public:
  BilinearModule(const LayerDesc& desc, const Keywords& k, uint64_t seed)
      : Module(desc), in1_(k.integer("in1_features")), in2_(k.integer("in2_features")),
        out_(k.integer("out_features")), has_bias_(k.number("bias") != 0) {
    check_tensor_shape({out_, in1_, in2_}, name(), "weight");
    weight_ = Tensor({out_, in1_, in2_});
    const double bound = 1.0 / std::sqrt(static_cast<double>(in1_));  // PyTorch: 1 / sqrt(weight.size(1))
    Rng rng(seed);
    for (float& w : weight_.data) w = static_cast<float>(rng.uniform(-bound, bound));
    if (has_bias_) {
      bias_ = Tensor({out_});
      for (float& b : bias_.data) b = static_cast<float>(rng.uniform(-bound, bound));
    }
  }
  const Tensor* parameter(std::string_view name) const override {
    return name == "weight" ? &weight_ : name == "bias" && has_bias_ ? &bias_ : nullptr;
  }
  void set_parameter(std::string_view name, Tensor value) override {
    const Tensor* now = parameter(name);
    LL_CHECK(now, "%s: %s was given but the layer has %s", this->name(), std::string(name).c_str(),
             name == "bias" ? "bias=False" : "no such parameter");
    check_tensor(this->name(), std::string(name).c_str(), value);
    LL_CHECK(value.shape == now->shape, "%s: %s must have shape %s, got %s", this->name(), std::string(name).c_str(),
             shape_to_string(now->shape).c_str(), shape_to_string(value.shape).c_str());
    (name == "weight" ? weight_ : bias_) = std::move(value);
  }

 private:
  Shape output_shape(const Inputs& in) override {
    LL_CHECK(in.input2, "%s: needs input2, the second input", name());
    check_tensor(name(), "input2", *in.input2);
    const Shape &a = in.input->shape, &b = in.input2->shape;
    LL_CHECK(!a.empty() && !b.empty(), "%s: inputs must have at least one dimension, got %s and %s", name(),
             shape_to_string(a).c_str(), shape_to_string(b).c_str());
    LL_CHECK(a.size() == b.size(), "%s: input dimensions do not match, got %zu and %zu", name(), a.size(), b.size());
    for (size_t d = 0; d + 1 < a.size(); ++d) {
      LL_CHECK(a[d] == b[d], "%s: input batch dimensions do not match at dim %zu, got %lld and %lld", name(), d,
               static_cast<long long>(a[d]), static_cast<long long>(b[d]));
    }
    LL_CHECK(a.back() == in1_ && b.back() == in2_,
             "%s: input sizes must be in1_features=%lld and in2_features=%lld, got %lld and %lld", name(),
             static_cast<long long>(in1_), static_cast<long long>(in2_), static_cast<long long>(a.back()),
             static_cast<long long>(b.back()));
    Shape out = a;
    out.back() = out_;
    check_tensor_shape(out, name(), "output");
    rows_ = in1_ == 0 ? 0 : in.input->numel() / in1_;
    check_work(static_cast<double>(rows_) * static_cast<double>(out_ * in1_) * static_cast<double>(in2_), name());
    return out;
  }
  void run_forward(const Inputs& in, Tensor& y) override {
    const float *x1 = in.input->ptr(), *x2 = in.input2->ptr(), *w = weight_.ptr();
    for (int64_t r = 0; r < rows_; ++r)
      for (int64_t o = 0; o < out_; ++o) {
        // ATen's _trilinear: x1 contracted with the weight over i first, then with x2 over j.
        float acc = 0.0f;
        for (int64_t j = 0; j < in2_; ++j) {
          float t = 0.0f;
          for (int64_t i = 0; i < in1_; ++i) t += x1[r * in1_ + i] * w[(o * in1_ + i) * in2_ + j];
          acc += t * x2[r * in2_ + j];
        }
        y.data[r * out_ + o] = has_bias_ ? acc + bias_.data[o] : acc;
      }
  }
  void run_backward(const Tensor& g, Tensor& dx1) override {
    const float *x1 = inputs_.input->ptr(), *x2 = inputs_.input2->ptr(), *w = weight_.ptr(), *go = g.ptr();
    grad_input2_ = Tensor(inputs_.input2->shape);
    grad_weight_ = Tensor(weight_.shape);
    std::fill(dx1.data.begin(), dx1.data.end(), 0.0f);
    for (int64_t r = 0; r < rows_; ++r)
      for (int64_t o = 0; o < out_; ++o) {
        const float gr = go[r * out_ + o];
        for (int64_t i = 0; i < in1_; ++i)
          for (int64_t j = 0; j < in2_; ++j) {
            const float wv = w[(o * in1_ + i) * in2_ + j];
            dx1.data[r * in1_ + i] += gr * wv * x2[r * in2_ + j];
            grad_input2_.data[r * in2_ + j] += gr * x1[r * in1_ + i] * wv;
            grad_weight_.data[(o * in1_ + i) * in2_ + j] += gr * x1[r * in1_ + i] * x2[r * in2_ + j];
          }
      }
    if (!has_bias_) return;
    grad_bias_ = Tensor({out_});
    for (int64_t r = 0; r < rows_; ++r)
      for (int64_t o = 0; o < out_; ++o) grad_bias_.data[o] += go[r * out_ + o];
  }

  const int64_t in1_, in2_, out_;
  const bool has_bias_;
  Tensor weight_, bias_;
  int64_t rows_ = 0;
};

// ---------------------------------------------------------------------------
// The table: which class makes each module
// ---------------------------------------------------------------------------

enum class Kind { MAX, AVG, LP, ADAPTIVE_MAX, ADAPTIVE_AVG, UNPOOL, FRACTIONAL, IDENTITY, BILINEAR };

constexpr std::pair<const char*, Kind> kKinds[] = {
    {"MaxPool1d", Kind::MAX},          {"MaxPool3d", Kind::MAX},
    {"AvgPool1d", Kind::AVG},          {"AvgPool3d", Kind::AVG},
    {"LPPool1d", Kind::LP},            {"LPPool2d", Kind::LP},
    {"AdaptiveMaxPool1d", Kind::ADAPTIVE_MAX}, {"AdaptiveMaxPool2d", Kind::ADAPTIVE_MAX},
    {"AdaptiveMaxPool3d", Kind::ADAPTIVE_MAX}, {"AdaptiveAvgPool1d", Kind::ADAPTIVE_AVG},
    {"AdaptiveAvgPool2d", Kind::ADAPTIVE_AVG}, {"AdaptiveAvgPool3d", Kind::ADAPTIVE_AVG},
    {"MaxUnpool1d", Kind::UNPOOL},     {"MaxUnpool3d", Kind::UNPOOL},
    {"FractionalMaxPool2d", Kind::FRACTIONAL}, {"FractionalMaxPool3d", Kind::FRACTIONAL},
    {"Identity", Kind::IDENTITY},      {"Bilinear", Kind::BILINEAR},
};

const Kind* kind_of(std::string_view name) {
  for (const auto& [n, kind] : kKinds)
    if (name == n) return &kind;
  return nullptr;
}

// Each INT, FLOAT and int-tuple entry at least its descriptor's `min` (None entries skipped).
void check_minimums(const Keywords& k) {
  for (const ParamDesc& p : k.desc().params) {
    if (p.min == -kNoBound || p.kind == ParamKind::VAR_KEYWORDS || k.none(p.name)) continue;
    const Keywords::Value& v = k[p.name];
    const bool tuple = p.kind == ParamKind::INT_TUPLE || p.kind == ParamKind::INT_OR_NONE_TUPLE;
    for (int i = 0; i < (tuple ? v.items : 1); ++i) {
      if ((v.none_items >> i) & 1) continue;
      const double x = tuple ? static_cast<double>(v.ints[i]) : v.number;
      LL_CHECK(x >= p.min, "%s: %s must be greater than or equal to %g, got %s=%g", k.desc().name, p.name, p.min,
               p.name, x);
    }
  }
}

}  // namespace

std::unique_ptr<Module> make_module(const Keywords& k, uint64_t seed) {
  const LayerDesc& desc = k.desc();
  const Kind* kind = kind_of(desc.name);
  if (!kind) return nullptr;
  check_minimums(k);
  switch (*kind) {
    case Kind::MAX: return std::make_unique<SlidingPool>(desc, Reduce::MAX, k);
    case Kind::AVG: return std::make_unique<SlidingPool>(desc, Reduce::AVG, k);
    case Kind::LP: return std::make_unique<SlidingPool>(desc, Reduce::LP, k);
    case Kind::ADAPTIVE_MAX: return std::make_unique<AdaptivePool>(desc, true, k);
    case Kind::ADAPTIVE_AVG: return std::make_unique<AdaptivePool>(desc, false, k);
    case Kind::UNPOOL: return std::make_unique<Unpool>(desc, k);
    case Kind::FRACTIONAL: return std::make_unique<FractionalPool>(desc, k, seed);
    case Kind::IDENTITY: return std::make_unique<IdentityModule>(desc);
    case Kind::BILINEAR: return std::make_unique<BilinearModule>(desc, k, seed);
  }
  return nullptr;
}

bool is_module(std::string_view name) { return kind_of(name) != nullptr; }

}  // namespace ll

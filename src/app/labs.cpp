// labs.cpp — ensure_lab_computed, the training loops and state().metrics of the four new labs.
#include "labs.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/elementwise_desc.h"
#include "core/layers/activation.h"
#include "core/spec.h"
#include "core/layers/prelu.h"
#include "core/layers/rrelu.h"
#include "core/random.h"

namespace app {

namespace {

constexpr int kCurvePoints = 241;  // odd: a symmetric range puts x = 0 on the grid
constexpr int kTensorSide = 8;
constexpr int kFitPoints = 41;     // PReLU fit data over [-3, 3]
constexpr size_t kMaxHistory = 20000;

ll::Tensor filled(const ll::Shape& shape, float v) {
  ll::Tensor t(shape);
  std::fill(t.data.begin(), t.data.end(), v);
  return t;
}

// Runs activation layer `l` with the lab's parameters: forward, then backward with `grad_output`.
struct ActRun {
  ll::Tensor output, grad_input;
};
ActRun run_activation(const ActivationLab& a, ActLayer l, const ll::Tensor& x, const ll::Tensor& grad_output) {
  ActRun r;
  auto run = [&](auto& layer) {
    r.output = layer.forward(x);
    r.grad_input = layer.backward(grad_output);
  };
  switch (l) {
    case ActLayer::SIGMOID: {
      ll::Sigmoid m;
      run(m);
      break;
    }
    case ActLayer::TANH: {
      ll::Tanh m;
      run(m);
      break;
    }
    case ActLayer::RELU: {
      ll::ReLU m;
      run(m);
      break;
    }
    case ActLayer::LEAKY_RELU: {
      ll::LeakyReLU m(a.negative_slope);
      run(m);
      break;
    }
    case ActLayer::PRELU: {
      ll::PReLU m({a.num_parameters, static_cast<double>(a.fit_slope)});  // init, or the weight SGD learned
      run(m);
      break;
    }
    case ActLayer::GENERIC: {
      const ll::LayerDesc* d = generic_act_desc(a);
      LL_CHECK(d, "activation lab: the core has no element-wise activation '%s'", a.generic.c_str());
      const std::unique_ptr<ll::Activation> m = ll::make_activation(ll::read_keywords(*d, generic_act_params(a)));
      r.output = m->forward(x);
      r.grad_input = m->backward(grad_output);
      break;
    }
    case ActLayer::RRELU: {
      ll::RReLU m({a.lower, a.upper}, a.seed);
      m.train(a.training);
      r.output = m.forward(x);
      r.grad_input = m.backward(grad_output);
      break;
    }
    case ActLayer::COUNT:
      break;
  }
  return r;
}

// The curve input: the x grid, as (1, C, N) for PReLU with C channels (all equal), else (N).
ll::Tensor curve_input(const ActivationLab& a, ActLayer l, const std::vector<float>& xs) {
  const int channels = l == ActLayer::PRELU ? std::max(a.num_parameters, 1) : 1;
  ll::Tensor x(l == ActLayer::PRELU ? ll::Shape{1, channels, static_cast<int64_t>(xs.size())}
                                    : ll::Shape{static_cast<int64_t>(xs.size())});
  for (int c = 0; c < channels; ++c) std::copy(xs.begin(), xs.end(), x.data.begin() + c * static_cast<long>(xs.size()));
  return x;
}

void compute_activation(AppState& s, LabResult& r) {
  const ActivationLab& a = s.act;
  r.xs.resize(kCurvePoints);
  for (int i = 0; i < kCurvePoints; ++i)
    r.xs[static_cast<size_t>(i)] = a.xmin + (a.xmax - a.xmin) * (static_cast<float>(i) / (kCurvePoints - 1));
  for (int li = 0; li < static_cast<int>(ActLayer::COUNT); ++li) {
    const auto l = static_cast<ActLayer>(li);
    if (l != a.layer && !(a.compare & (1u << li))) continue;
    const ll::Tensor x = curve_input(a, l, r.xs);
    const ActRun run = run_activation(a, l, x, filled(x.shape, 1.0f));  // f' = backward of ones
    r.f[li].assign(run.output.data.begin(), run.output.data.begin() + kCurvePoints);
    r.df[li].assign(run.grad_input.data.begin(), run.grad_input.data.begin() + kCurvePoints);
  }
  const auto& d = r.df[static_cast<int>(a.layer)];
  r.derivative_max = *std::max_element(d.begin(), d.end());
  r.derivative_min = *std::min_element(d.begin(), d.end());
  {  // the chosen layer at -1, 0 and 1, with the parameters its curve is drawn with
    ll::Tensor x3 = curve_input(a, a.layer, {-1.0f, 0.0f, 1.0f});
    const ActRun at = run_activation(a, a.layer, x3, filled(x3.shape, 1.0f));
    for (int i = 0; i < 3; ++i) r.curve_at[i] = at.output.data[static_cast<size_t>(i)];
  }
  {  // PyTorch's choices where the derivative is not defined: the kink at 0, and NaN
    ll::Tensor xk = curve_input(a, a.layer, {0.0f, std::numeric_limits<float>::quiet_NaN()});
    const ActRun at = run_activation(a, a.layer, xk, filled(xk.shape, 1.0f));
    r.kink[0] = at.grad_input.data[0], r.kink[1] = at.output.data[1], r.kink[2] = at.grad_input.data[1];
  }

  const int channels = a.layer == ActLayer::PRELU ? std::max(a.num_parameters, 1) : 1;
  r.act_input = ll::Tensor({1, channels, kTensorSide, kTensorSide});
  ll::Rng rng(a.seed);
  const int plane = kTensorSide * kTensorSide;
  for (int c = 0; c < channels; ++c)
    for (int i = 0; i < plane; ++i)
      r.act_input.data[static_cast<size_t>(c * plane + i)] =
          a.random_input ? round2(rng.uniform(a.xmin, a.xmax))
                         : round2(a.xmin + (a.xmax - a.xmin) * static_cast<double>(i) / (plane - 1));
  r.act_grad_output = filled(r.act_input.shape, 1.0f);
  const ActRun run = run_activation(a, a.layer, r.act_input, r.act_grad_output);
  r.act_output = run.output;
  r.act_grad_input = run.grad_input;
}

// Numerical rank by Gaussian elimination with full pivoting (double).
int numerical_rank(std::vector<double> m, int rows, int cols) {
  double scale = 0;
  for (double v : m) scale = std::max(scale, std::fabs(v));
  if (scale == 0) return 0;
  const double tol = scale * 1e-9 * std::max(rows, cols);
  int rank = 0;
  std::vector<bool> row_used(static_cast<size_t>(rows)), col_used(static_cast<size_t>(cols));
  for (;;) {
    int pr = -1, pc = -1;
    double best = tol;
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j)
        if (!row_used[static_cast<size_t>(i)] && !col_used[static_cast<size_t>(j)] &&
            std::fabs(m[static_cast<size_t>(i * cols + j)]) > best) {
          best = std::fabs(m[static_cast<size_t>(i * cols + j)]);
          pr = i, pc = j;
        }
    if (pr < 0) return rank;
    ++rank;
    row_used[static_cast<size_t>(pr)] = col_used[static_cast<size_t>(pc)] = true;
    for (int i = 0; i < rows; ++i) {
      if (row_used[static_cast<size_t>(i)]) continue;
      const double f = m[static_cast<size_t>(i * cols + pc)] / m[static_cast<size_t>(pr * cols + pc)];
      for (int j = 0; j < cols; ++j) m[static_cast<size_t>(i * cols + j)] -= f * m[static_cast<size_t>(pr * cols + j)];
    }
  }
}

void compute_linear(AppState& s, LabResult& r) {
  const LinearLab& p = s.lin;
  ll::Linear lin({p.in_features, p.out_features, p.bias}, p.seed);
  ll::Tensor w = lin.weight();
  for (const auto& [i, v] : p.weight_edits)
    if (i >= 0 && i < w.numel()) w.data[static_cast<size_t>(i)] = v;
  lin.set_weight(w);
  r.lin_input = ll::Tensor({p.batch, p.in_features});
  ll::Rng rng(static_cast<uint64_t>(p.seed) + 1);
  for (float& v : r.lin_input.data) v = round2(rng.uniform(-1.0, 1.0));
  r.lin_output = lin.forward(r.lin_input);
  r.lin_grad_output = filled(r.lin_output.shape, 1.0f);
  r.lin_grad_input = lin.backward(r.lin_grad_output);
  r.lin_weight = lin.weight();
  r.lin_bias = p.bias ? lin.bias() : ll::Tensor({0});
  r.lin_grad_weight = lin.grad_weight();
  r.lin_grad_bias = p.bias ? lin.grad_bias() : ll::Tensor({0});

  // Collapse demo: in -> hidden -> ... -> hidden -> out, `depth` Linear layers.
  std::vector<int> sizes{p.in_features};
  for (int i = 1; i < p.depth; ++i) sizes.push_back(p.hidden);
  sizes.push_back(p.out_features);
  Stack stack;
  stack.build(sizes, p.bias, p.activation, false, InitScheme::DEFAULT, static_cast<uint64_t>(p.seed) * 7919 + 17);
  // Fused: W = W_k ... W_1, b = W_k(...(W_2 b_1 + b_2)...) + b_k, in double.
  int rows = sizes[1], cols = sizes[0];
  std::vector<double> W(stack.linears[0].weight().data.begin(), stack.linears[0].weight().data.end());
  std::vector<double> b(static_cast<size_t>(rows), 0.0);
  if (p.bias) b.assign(stack.linears[0].bias().data.begin(), stack.linears[0].bias().data.end());
  for (size_t k = 1; k < stack.linears.size(); ++k) {
    const ll::Tensor& Wk = stack.linears[k].weight();
    const int out = static_cast<int>(Wk.shape[0]);
    std::vector<double> W2(static_cast<size_t>(out * cols), 0.0), b2(static_cast<size_t>(out), 0.0);
    for (int i = 0; i < out; ++i) {
      for (int m = 0; m < rows; ++m) {
        const double a = Wk.data[static_cast<size_t>(i * rows + m)];
        for (int j = 0; j < cols; ++j) W2[static_cast<size_t>(i * cols + j)] += a * W[static_cast<size_t>(m * cols + j)];
        b2[static_cast<size_t>(i)] += a * b[static_cast<size_t>(m)];
      }
      if (p.bias) b2[static_cast<size_t>(i)] += stack.linears[k].bias().data[static_cast<size_t>(i)];
    }
    W = std::move(W2), b = std::move(b2), rows = out;
  }
  r.fused_weight = ll::Tensor({rows, cols}, ll::Storage<float>(W.begin(), W.end()));
  r.fused_bias = ll::Tensor({rows}, ll::Storage<float>(b.begin(), b.end()));
  r.fused_rank = numerical_rank(W, rows, cols);
  ll::Linear fused({cols, rows, true});
  fused.set_weight(r.fused_weight);
  fused.set_bias(r.fused_bias);
  ll::Tensor x({16, p.in_features});
  ll::Rng xr(static_cast<uint64_t>(p.seed) + 2);
  for (float& v : x.data) v = static_cast<float>(xr.uniform(-1.0, 1.0));
  r.stack_output = stack.forward(x);
  r.fused_output = fused.forward(x);
  double diff = 0;
  for (size_t i = 0; i < r.stack_output.data.size(); ++i)
    diff = std::max(diff, std::fabs(static_cast<double>(r.stack_output.data[i]) - r.fused_output.data[i]));
  r.collapse_max_abs_diff = diff;
}

// Units (columns of a (batch, units) output) that are exactly 0 for every sample: dead.
int64_t dead_units(const ll::Tensor& a) {
  const int64_t batch = a.shape[0], width = a.shape[1];
  int64_t dead = 0;
  for (int64_t u = 0; u < width; ++u) {
    bool all_zero = true;
    for (int64_t b = 0; b < batch && all_zero; ++b) all_zero = a.data[static_cast<size_t>(b * width + u)] == 0.0f;
    dead += all_zero;
  }
  return dead;
}

// The chosen activation's stack: norms, activation statistics and dead units per block.
void measure_stack(const GradientLab& g, const Stack& stack, LabResult& r) {
  r.grad_norms = stack.grad_input_norms;
  r.weight_grad_norms.clear(), r.act_mean.clear(), r.act_std.clear(), r.dead_fraction.clear();
  int64_t dead = 0, units = 0;
  for (size_t l = 0; l < stack.linears.size(); ++l) {
    double sq = 0;
    for (float v : stack.linears[l].grad_weight().data) sq += static_cast<double>(v) * v;
    r.weight_grad_norms.push_back(std::sqrt(sq));
    const ll::Tensor& a = stack.block_outputs[l];
    double sum = 0, sum2 = 0;
    for (float v : a.data) sum += v, sum2 += static_cast<double>(v) * v;
    const double n = static_cast<double>(std::max<int64_t>(a.numel(), 1));
    r.act_mean.push_back(sum / n);
    r.act_std.push_back(std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n))));
    const int64_t layer_dead = dead_units(a);
    r.dead_fraction.push_back(static_cast<double>(layer_dead) / g.width);
    dead += layer_dead, units += g.width;
  }
  r.dead_total = units ? static_cast<double>(dead) / static_cast<double>(units) : 0.0;
}

// Every compared activation runs on the same weights (same seed, init and gain)
// and the same batch; loss = output.mean(), so each output's gradient is 1 / numel.
void compute_gradient(AppState& s, LabResult& r) {
  const GradientLab& g = s.grad;
  ll::Tensor x({g.batch, g.width});
  ll::Rng rng(static_cast<uint64_t>(g.seed) + 1);
  for (float& v : x.data) v = static_cast<float>(rng.normal());
  r.compare_grad_norms.clear();
  for (int i = 0; i < stack_act_count(); ++i) {  // none (a linear stack) only when chosen
    const auto act = static_cast<StackAct>(i);
    if (act != g.activation && (act == StackAct::NONE || !(g.compare & act_bit(act)))) continue;
    Stack stack;
    stack.build(std::vector<int>(static_cast<size_t>(g.depth) + 1, g.width), true, act, true, g.init, g.seed, g.gain);
    const ll::Tensor y = stack.forward(x);
    stack.backward(filled(y.shape, 1.0f / static_cast<float>(std::max<int64_t>(y.numel(), 1))));
    r.compare_grad_norms.emplace_back(act, stack.grad_input_norms);
    if (act == g.activation) measure_stack(g, stack, r);
  }
  const double first = r.grad_norms.front(), last = r.grad_norms.back();
  r.grad_ratio = first == 0 ? 0.0 : first / last;  // nothing reaches the first layer: vanished
  r.verdict = grad_verdict(r.grad_ratio);
}

// Two classes of 100 points each, seeded.
void make_dataset(Dataset d, uint32_t seed, ll::Tensor* points, ll::Tensor* labels) {
  constexpr int kPerClass = 100;
  *points = ll::Tensor({2 * kPerClass, 2});
  *labels = ll::Tensor({2 * kPerClass, 1});
  ll::Rng rng(ll::dataset_seed(static_cast<uint64_t>(seed)));
  for (int c = 0; c < 2; ++c) {
    for (int i = 0; i < kPerClass; ++i) {
      const int k = c * kPerClass + i;
      double x = 0, y = 0;
      int label = c;
      if (d == Dataset::SPIRALS) {
        const double t = static_cast<double>(i) / kPerClass;
        const double r = 0.1 + 1.3 * t, angle = 3.5 * t * 3.14159265358979 + c * 3.14159265358979;
        x = r * std::cos(angle) + rng.normal() * 0.04;
        y = r * std::sin(angle) + rng.normal() * 0.04;
      } else if (d == Dataset::CIRCLES) {
        const double r = c == 1 ? rng.uniform(0.0, 0.55) : rng.uniform(0.9, 1.35);
        const double angle = rng.uniform(0.0, 6.283185307179586);
        x = r * std::cos(angle), y = r * std::sin(angle);
      } else {
        x = rng.uniform(-1.3, 1.3), y = rng.uniform(-1.3, 1.3);
        label = x * y > 0 ? 1 : 0;
      }
      points->data[static_cast<size_t>(2 * k)] = static_cast<float>(x);
      points->data[static_cast<size_t>(2 * k + 1)] = static_cast<float>(y);
      labels->data[static_cast<size_t>(k)] = static_cast<float>(label);
    }
  }
}

float current_loss(TrainRun& t) {
  const ll::Tensor logits = t.model.forward(t.points);
  int correct = 0;
  for (size_t i = 0; i < logits.data.size(); ++i) correct += (logits.data[i] > 0) == (t.labels.data[i] > 0.5f);
  t.accuracy = logits.data.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(logits.data.size());
  for (int l = 0; l < 2; ++l) {
    const ll::Tensor& h = t.model.block_outputs[static_cast<size_t>(l)];
    t.dead[l] = static_cast<float>(dead_units(h)) / static_cast<float>(std::max<int64_t>(h.shape[1], 1));
  }
  return t.loss.forward(logits, t.labels).data[0];
}

void update_boundary(TrainRun& t) {
  ll::Tensor grid({kBoundary * kBoundary, 2});
  for (int i = 0; i < kBoundary; ++i)
    for (int j = 0; j < kBoundary; ++j) {
      const size_t k = static_cast<size_t>(i * kBoundary + j);
      grid.data[2 * k] = -kExtent + 2 * kExtent * (static_cast<float>(j) + 0.5f) / kBoundary;
      grid.data[2 * k + 1] = kExtent - 2 * kExtent * (static_cast<float>(i) + 0.5f) / kBoundary;  // row 0 on top
    }
  ll::Sigmoid sigmoid;
  const ll::Tensor boundary = sigmoid.forward(t.model.forward(grid));
  t.boundary.assign(boundary.data.begin(), boundary.data.end());
  ++t.boundary_version;
}

void ensure_train_run(AppState& s) {
  if (!s.train_run) train_reset(s);
}

}  // namespace

// ---------------------------------------------------------------------------

Activation::Activation(StackAct kind) : kind_(kind) {
  if (const ll::LayerDesc* d = stack_act_desc(kind))
    generic_ = ll::make_activation(ll::read_keywords(*d, nlohmann::json::object()));  // PyTorch's defaults
}

ll::Tensor Activation::forward(const ll::Tensor& x) {
  return apply(x, [&](auto& layer) { return layer.forward(x); });
}

ll::Tensor Activation::backward(const ll::Tensor& g) {
  return apply(g, [&](auto& layer) { return layer.backward(g); });
}

void Stack::build(const std::vector<int>& sizes, bool bias, StackAct act, bool act_after_last, InitScheme init,
                  uint64_t seed, double gain) {
  linears.clear(), acts.clear(), block_outputs.clear(), grad_input_norms.clear();
  ll::Rng rng(seed * 31 + 7);
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    ll::Linear lin({sizes[i], sizes[i + 1], bias}, ll::layer_seed(seed, i));
    const double fan_in = std::max(sizes[i], 1), fan_out = std::max(sizes[i + 1], 1);
    if (init != InitScheme::DEFAULT || gain != 1.0) {
      // torch.nn.init: xavier_uniform_(w, gain): U(-a, a), a = gain sqrt(6 / (fan_in + fan_out));
      // kaiming_uniform_(w, nonlinearity='relu'): bound sqrt(6 / fan_in); kaiming_normal_(w,
      // nonlinearity='relu'): std sqrt(2 / fan_in); normal_(w, 0, gain). The default (PyTorch's
      // Linear init) and the kaiming inits are then multiplied by gain. Biases start at 0.
      ll::Tensor w = lin.weight();
      for (float& v : w.data) {
        switch (init) {
          case InitScheme::XAVIER_UNIFORM: {
            const double a = gain * std::sqrt(6.0 / (fan_in + fan_out));
            v = static_cast<float>(rng.uniform(-a, a));
            break;
          }
          case InitScheme::KAIMING_UNIFORM: {
            const double a = std::sqrt(6.0 / fan_in);
            v = static_cast<float>(gain * rng.uniform(-a, a));
            break;
          }
          case InitScheme::KAIMING_NORMAL:
            v = static_cast<float>(gain * std::sqrt(2.0 / fan_in) * rng.normal());
            break;
          case InitScheme::NORMAL:
            v = static_cast<float>(gain * rng.normal());
            break;
          case InitScheme::DEFAULT:
          case InitScheme::COUNT:
            v = static_cast<float>(gain * v);
            break;
        }
      }
      lin.set_weight(w);
      if (bias && init != InitScheme::DEFAULT) lin.set_bias(filled({sizes[i + 1]}, 0.0f));
    }
    linears.push_back(std::move(lin));
    const bool last = i + 2 == sizes.size();
    acts.emplace_back(last && !act_after_last ? StackAct::NONE : act);
  }
}

ll::Tensor Stack::forward(const ll::Tensor& x) {
  block_outputs.resize(linears.size());
  ll::Tensor h = x;
  for (size_t i = 0; i < linears.size(); ++i) {
    h = acts[i].forward(linears[i].forward(h));
    block_outputs[i] = h;
  }
  return h;
}

ll::Tensor Stack::backward(const ll::Tensor& grad_output) {
  ll::Tensor g = grad_output;
  grad_input_norms.assign(linears.size(), 0.0);
  for (size_t i = linears.size(); i-- > 0;) {
    g = linears[i].backward(acts[i].backward(g));
    double sq = 0;
    for (float v : g.data) sq += static_cast<double>(v) * v;
    grad_input_norms[i] = std::sqrt(sq);
  }
  return g;
}

double Stack::grad_norm() const {
  double sq = 0;
  for (const ll::Linear& l : linears) {
    for (float v : l.grad_weight().data) sq += static_cast<double>(v) * v;
    for (float v : l.grad_bias().data) sq += static_cast<double>(v) * v;
  }
  return std::sqrt(sq);
}

void Stack::sgd_step(float lr) {
  for (ll::Linear& l : linears) {
    ll::Tensor w = l.weight();
    const ll::Tensor& gw = l.grad_weight();
    for (size_t i = 0; i < w.data.size(); ++i) w.data[i] -= lr * gw.data[i];
    l.set_weight(std::move(w));
    if (l.options().bias) {
      ll::Tensor b = l.bias();
      const ll::Tensor& gb = l.grad_bias();
      for (size_t i = 0; i < b.data.size(); ++i) b.data[i] -= lr * gb.data[i];
      l.set_bias(std::move(b));
    }
  }
}

const char* act_layer_name(ActLayer l) {
  static const char* const kNames[] = {"Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "RReLU", "activation"};
  static_assert(std::size(kNames) == static_cast<size_t>(ActLayer::COUNT), "a name per ActLayer");
  return kNames[static_cast<size_t>(l)];
}

const char* act_name(const ActivationLab& a) {
  return a.layer == ActLayer::GENERIC ? a.generic.c_str() : act_layer_name(a.layer);
}

const ll::LayerDesc* generic_act_desc(const ActivationLab& a) {
  return ll::is_generic_activation(a.generic) ? ll::find_layer(a.generic) : nullptr;
}

// The generic layer's keywords as spec JSON, each given one read as its kind says
// (a value that is not of that kind stays text, for the core to reject by name).
nlohmann::json generic_act_params(const ActivationLab& a) {
  nlohmann::json params = nlohmann::json::object();
  const ll::LayerDesc* d = generic_act_desc(a);
  if (!d) return params;
  for (const ll::ParamDesc& p : d->params) {
    const auto it = a.keywords.find(p.name);
    if (it == a.keywords.end()) continue;
    const std::string& v = it->second;
    if (p.nullable() && (v == "None" || v == "none")) {  // dim=None
      params[p.name] = nullptr;
      continue;
    }
    char* end = nullptr;
    switch (p.kind) {
      case ll::ParamKind::BOOL: params[p.name] = v == "1" || v == "true" || v == "True"; break;
      case ll::ParamKind::INT:
      case ll::ParamKind::INT_OR_PAIR:
      case ll::ParamKind::INT_TUPLE:          // the modules of layers/module.h are not in this lab
      case ll::ParamKind::INT_OR_NONE_TUPLE:
      case ll::ParamKind::FLOAT_TUPLE:
      case ll::ParamKind::VAR_KEYWORDS: {
        const long long i = std::strtoll(v.c_str(), &end, 10);
        params[p.name] = end != v.c_str() && *end == '\0' ? nlohmann::json(i) : nlohmann::json(v);
        break;
      }
      case ll::ParamKind::FLOAT: {
        const double x = std::strtod(v.c_str(), &end);
        params[p.name] = end != v.c_str() && *end == '\0' ? nlohmann::json(x) : nlohmann::json(v);
        break;
      }
      case ll::ParamKind::STRING: params[p.name] = v; break;
    }
  }
  return params;
}

namespace {

// The core's element-wise activations a stack can take as they are (no required keyword).
const std::vector<const ll::LayerDesc*>& stack_generics() {
  static const std::vector<const ll::LayerDesc*> kList = [] {
    std::vector<const ll::LayerDesc*> v;
    for (const ll::ElementwiseDesc& e : ll::elementwise_descs()) {
      bool required = false;
      for (const ll::ParamDesc& p : e.layer.params) required |= p.required();
      if (!required) v.push_back(&e.layer);
    }
    return v;
  }();
  return kList;
}

}  // namespace

int stack_act_count() {
  return static_cast<int>(StackAct::COUNT) + static_cast<int>(stack_generics().size());
}

const ll::LayerDesc* stack_act_desc(StackAct a) {
  const int k = static_cast<int>(a) - static_cast<int>(StackAct::COUNT);
  return k >= 0 && k < static_cast<int>(stack_generics().size()) ? stack_generics()[static_cast<size_t>(k)] : nullptr;
}

const char* stack_act_name(StackAct a) {
  static const char* const kNames[] = {"none", "Sigmoid", "Tanh", "ReLU", "LeakyReLU"};
  static_assert(std::size(kNames) == static_cast<size_t>(StackAct::COUNT), "a name per StackAct");
  if (const ll::LayerDesc* d = stack_act_desc(a)) return d->name;
  const int i = static_cast<int>(a);
  return i >= 0 && i < static_cast<int>(std::size(kNames)) ? kNames[i] : "none";
}

const char* init_name(InitScheme i) {
  static const char* kNames[] = {"default", "xavier_uniform", "kaiming_uniform", "kaiming_normal", "normal"};
  const int k = static_cast<int>(i);
  return k >= 0 && k < static_cast<int>(std::size(kNames)) ? kNames[k] : "default";
}

const char* grad_verdict(double first_over_last) {
  if (std::isnan(first_over_last) || first_over_last > 1e2) return "exploding";  // NaN: the forward overflowed
  return first_over_last < 1e-2 ? "vanishing" : "stable";
}

const char* dataset_name(Dataset d) {
  static const char* const kNames[] = {"spirals", "circles", "xor"};
  static_assert(std::size(kNames) == static_cast<size_t>(Dataset::COUNT), "a name per dataset");
  return kNames[static_cast<size_t>(d)];
}

void ensure_lab_computed(AppState& s) {
  if (s.lab == Lab::TRAIN) {
    try {
      ensure_train_run(s);
      run_pending_steps(s, kStepSliceMs);
      s.error.clear();
    } catch (const std::exception& e) {
      s.error = e.what();
    }
    s.lab_dirty = false;
    return;
  }
  if (s.lab == Lab::ACTIVATION) run_pending_steps(s, kStepSliceMs);
  if (!s.lab_dirty) return;
  s.lab_dirty = false;
  LabResult r;
  try {
    if (s.lab == Lab::ACTIVATION) {
      if (s.act.fit.loss.empty()) prelu_fit_reset(s);  // first: the curves use its weight
      if (is_dimwise(s.act))
        compute_dimwise(s.act, r.dim);
      else
        compute_activation(s, r);
    } else if (s.lab == Lab::LINEAR) {
      compute_linear(s, r);
    } else if (s.lab == Lab::GRADIENT) {
      compute_gradient(s, r);
    }
  } catch (const std::exception& e) {
    s.error = e.what();  // ll::Error: the core's message; the last good result stays
    return;
  }
  r.version = s.lab_result.version + 1;
  s.lab_result = std::move(r);
  s.error.clear();
}

void run_pending_steps(AppState& s, double budget_ms) {
  if (s.lab == Lab::ACTIVATION && s.act.pending_steps > 0) {
    if (s.act.fit.loss.empty()) prelu_fit_reset(s);
    const auto t0 = std::chrono::steady_clock::now();
    do {
      prelu_fit_steps(s, 1);
      --s.act.pending_steps;
    } while (s.act.pending_steps > 0 &&
             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() < budget_ms);
    s.lab_dirty = true;  // the curves follow the learned weight
    return;
  }
  if (s.lab != Lab::TRAIN || s.train.pending_steps <= 0) return;
  s.train.pending_steps -= train_steps(s, s.train.pending_steps, budget_ms);
}

void train_reset(AppState& s) {
  auto t = std::make_shared<TrainRun>();
  make_dataset(s.train.dataset, s.train.seed, &t->points, &t->labels);
  t->model.build({2, s.train.hidden, s.train.hidden, 1}, true, s.train.activation, false, InitScheme::DEFAULT,
                 s.train.seed);
  t->last_loss = current_loss(*t);
  update_boundary(*t);
  s.train_run = std::move(t);
}

int train_steps(AppState& s, int k, double budget_ms) {
  ensure_train_run(s);
  TrainRun& t = *s.train_run;
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed_ms = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  const ll::Tensor one(ll::Shape{}, {1.0f});
  int done = 0;
  for (; done < k && (done == 0 || elapsed_ms() < budget_ms); ++done) {
    const float l = current_loss(t);           // forward (model and loss)
    t.model.backward(t.loss.backward(one));    // loss.backward() then the MLP
    const double gn = t.model.grad_norm();
    t.model.sgd_step(s.train.lr);
    ++t.step;
    if (t.history.loss.size() < kMaxHistory) {
      t.history.loss.push_back(l);
      t.history.grad_norm.push_back(static_cast<float>(gn));
      for (int j = 0; j < 2; ++j) t.history.dead[j].push_back(t.dead[j]);  // of the forward above
    }
  }
  t.last_loss = current_loss(t);
  update_boundary(t);
  t.step_ms = elapsed_ms();
  return done;
}

void prelu_fit_reset(AppState& s) {
  s.act.fit.clear();
  s.act.fit_step = 0;
  s.act.fit_slope = static_cast<float>(s.act.init);
  prelu_fit_steps(s, 0);  // records step 0
  s.lab_dirty = true;     // the curves go back to init
}

// Data: x on [-3, 3], target LeakyReLU(target_slope)(x); loss = mean((PReLU(x) - target)^2).
// The history holds (slope, its gradient, loss) at step 0 and after each update.
void prelu_fit_steps(AppState& s, int k) {
  ActivationLab& a = s.act;
  ll::Tensor x({kFitPoints});
  for (int i = 0; i < kFitPoints; ++i) x.data[static_cast<size_t>(i)] = -3.0f + 6.0f * i / (kFitPoints - 1);
  ll::LeakyReLU target_layer(a.target_slope);
  const ll::Tensor target = target_layer.forward(x);
  float grad = 0;
  auto evaluate = [&] {
    ll::PReLU prelu({1, 0.25});
    prelu.set_weight(ll::Tensor({1}, {a.fit_slope}));
    const ll::Tensor y = prelu.forward(x);
    ll::Tensor g(y.shape);
    double loss = 0;
    for (size_t j = 0; j < y.data.size(); ++j) {
      const double d = static_cast<double>(y.data[j]) - target.data[j];
      loss += d * d / kFitPoints;
      g.data[j] = static_cast<float>(2.0 * d / kFitPoints);  // d loss / d y
    }
    prelu.backward(g);
    grad = prelu.grad_weight().data[0];
    if (a.fit.loss.size() < kMaxHistory) {
      a.fit.loss.push_back(static_cast<float>(loss));
      a.fit.slope.push_back(a.fit_slope);
      a.fit.slope_grad.push_back(grad);
    }
  };
  if (a.fit.loss.empty()) {
    evaluate();
  } else {
    grad = a.fit.slope_grad.back();
  }
  for (int i = 0; i < k; ++i) {
    a.fit_slope -= a.lr * grad;
    ++a.fit_step;
    evaluate();
  }
}

void lab_tick(AppState& s) {
  if (s.lab == Lab::ACTIVATION && s.act.playing && s.act.layer == ActLayer::PRELU) {
    prelu_fit_steps(s, 1);
    s.lab_dirty = true;  // the curves follow the learned weight
  }
  if (s.lab == Lab::TRAIN && s.train.playing) {
    try {
      train_steps(s, s.train.steps_per_frame, kStepSliceMs);
    } catch (const std::exception& e) {
      s.error = e.what();
      s.train.playing = false;
    }
  }
}

nlohmann::json lab_metrics(const AppState& s) {
  using nlohmann::json;
  const LabResult& r = s.lab_result;
  json m = json::object();
  switch (s.lab) {
    case Lab::ACTIVATION:
      if (is_dimwise(s.act)) {
        dimwise_metrics(s, m);
        break;
      }
      m["derivative_max"] = r.derivative_max;
      m["curve_at"] = {{"-1", r.curve_at[0]}, {"0", r.curve_at[1]}, {"1", r.curve_at[2]}};
      m["grad_at_0"] = r.kink[0];  // PyTorch's f'(0) (a kink for the ReLUs); f'(nan) as a string, JSON has no NaN
      m["grad_at_nan"] = std::isnan(r.kink[2]) ? json("nan") : json(r.kink[2]);
      if (s.act.layer == ActLayer::PRELU) m["weight"] = s.act.fit_slope;
      m["pending_steps"] = s.act.pending_steps;
      m["derivative_min"] = r.derivative_min;
      m["xmin"] = s.act.xmin, m["xmax"] = s.act.xmax;
      m["prelu_fit"] = {{"step", s.act.fit_step},
                        {"slope", s.act.fit_slope},
                        {"target_slope", s.act.target_slope},
                        {"loss", s.act.fit.loss.empty() ? json(nullptr) : json(s.act.fit.loss.back())}};
      break;
    case Lab::LINEAR:
      m["collapse_max_abs_diff"] = r.collapse_max_abs_diff;
      m["fused_rank"] = r.fused_rank;
      m["depth"] = s.lin.depth;
      m["activation"] = stack_act_name(s.lin.activation);
      m["fused_shape"] = r.fused_weight.shape;
      break;
    case Lab::GRADIENT:
      m["grad_norms"] = r.grad_norms;
      m["weight_grad_norms"] = r.weight_grad_norms;
      m["grad_ratio"] = std::isfinite(r.grad_ratio) ? json(r.grad_ratio) : json(nullptr);
      m["verdict"] = r.verdict;
      m["gain"] = s.grad.gain;
      m["compare_grad_norms"] = json::object();
      for (const auto& [act, norms] : r.compare_grad_norms) m["compare_grad_norms"][stack_act_name(act)] = norms;
      m["act_mean"] = r.act_mean;
      m["act_std"] = r.act_std;
      m["dead_fraction_per_layer"] = r.dead_fraction;
      m["dead_fraction"] = r.dead_total;
      m["depth"] = s.grad.depth, m["width"] = s.grad.width;
      m["activation"] = stack_act_name(s.grad.activation);
      m["init"] = init_name(s.grad.init);
      break;
    case Lab::TRAIN:
      if (s.train_run) {
        m["step"] = s.train_run->step;
        m["loss"] = s.train_run->last_loss;
        m["grad_norm"] = s.train_run->history.grad_norm.empty() ? json(nullptr)
                                                                : json(s.train_run->history.grad_norm.back());
        m["step_ms"] = s.train_run->step_ms;
        m["accuracy"] = s.train_run->accuracy;
        m["dead_fraction"] = {s.train_run->dead[0], s.train_run->dead[1]};  // per hidden layer, now
        json hist = json::array();
        const TrainHistory& h = s.train_run->history;
        for (size_t i = 0; i < h.dead[0].size(); ++i) hist.push_back({h.dead[0][i], h.dead[1][i]});
        m["dead_history"] = hist;  // per step: [layer 1, layer 2] before that step's update
      }
      m["pending_steps"] = s.train.pending_steps;  // queued steps still to run, a slice per frame
      m["playing"] = s.train.playing;
      m["dataset"] = dataset_name(s.train.dataset);
      break;
    case Lab::POOL:
      break;  // the pooling lab's state() has no metrics
  }
  return m;
}

}  // namespace app

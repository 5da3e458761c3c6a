// compute.cpp — generators, ensure_computed (the pooling lab's core calls; the other labs run
// the core in labs.cpp) and state_json.
#include "compute.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <utility>

#include "core/check.h"
#include "core/layers/activations.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/linear.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/max_unpool2d.h"
#include "core/layers/prelu.h"
#include "core/random.h"
#include "core/spec.h"
#include "hash_state.h"
#include "inspector.h"
#include "panels.h"
#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8
#include "labs.h"
#include "strings.h"

namespace app {

namespace {

nlohmann::json pair_json(const PairParam& p) {
  if (p.square) return p.h;
  return nlohmann::json::array({p.h, p.w});
}

}  // namespace

nlohmann::json pool_keywords(PoolLayer layer, const PoolParams& p) {
  nlohmann::json kw = {{"kernel_size", pair_json(p.kernel_size)},
                       {"stride", p.stride_is_none ? nlohmann::json(nullptr) : pair_json(p.stride)},
                       {"padding", pair_json(p.padding)}};
  if (layer == PoolLayer::MAX_POOL2D) {
    kw["dilation"] = pair_json(p.dilation);
    kw["return_indices"] = p.return_indices;
    kw["ceil_mode"] = p.ceil_mode;
  } else if (layer == PoolLayer::AVG_POOL2D) {
    kw["ceil_mode"] = p.ceil_mode;
    kw["count_include_pad"] = p.count_include_pad;
    kw["divisor_override"] = p.has_divisor_override ? nlohmann::json(p.divisor_override) : nlohmann::json(nullptr);
  }
  return kw;
}

float picture_value(int y, int x, int h, int w) {
  const float v = (static_cast<float>(y) + 0.5f) / static_cast<float>(h);
  const float u = (static_cast<float>(x) + 0.5f) / static_cast<float>(w);
  const float r2 = (u - 0.5f) * (u - 0.5f) + (v - 0.5f) * (v - 0.5f);
  const float e1 = (u - 0.35f) * (u - 0.35f) + (v - 0.38f) * (v - 0.38f);
  const float e2 = (u - 0.65f) * (u - 0.65f) + (v - 0.38f) * (v - 0.38f);
  const bool eyes = e1 < 0.0049f || e2 < 0.0049f;
  const bool mouth = r2 > 0.04f && r2 < 0.0676f && v > 0.58f;
  if (eyes || mouth) return 1.0f;
  return r2 < 0.16f ? 0.6f : 0.0f;
}

void check_input_size(const InputParams& in) {
  const int64_t numel = int64_t{in.n} * in.c * in.h * in.w;
  LL_CHECK(numel <= kMaxInputElements,
           "input: shape (%d, %d, %d, %d) holds %lld values, over the app's cap of %lld (1 x %d x %d x %d); "
           "make N, C, H or W smaller",
           in.n, in.c, in.h, in.w, static_cast<long long>(numel), static_cast<long long>(kMaxInputElements),
           kMaxInputC, kMaxInputSide, kMaxInputSide);
}

ll::Tensor make_input(const InputParams& in) {
  ll::Tensor x({in.n, in.c, in.h, in.w});
  if (in.gen == InputGen::FILE && in.file && in.file->shape == x.shape) {
    x.data = in.file->data;
    for (const auto& [i, v] : in.edits)
      if (i >= 0 && i < x.numel()) x.data[static_cast<size_t>(i)] = v;
    return x;
  }
  const int64_t plane = static_cast<int64_t>(in.h) * in.w;
  ll::Rng rng(in.seed);
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int y = static_cast<int>((i % plane) / in.w), xx = static_cast<int>(i % in.w);
    float v = 0.0f;
    switch (in.gen) {
      case InputGen::RAMP:
      case InputGen::FILE:  // a file whose shape the sliders changed: the ramp
        v = static_cast<float>(i);
        break;
      case InputGen::RANDOM:
        v = round2(rng.uniform());
        break;
      case InputGen::CHECKERBOARD:
        v = static_cast<float>((y + xx) % 2);
        break;
      case InputGen::GRADIENT:
        v = in.h + in.w > 2 ? static_cast<float>(y + xx) / static_cast<float>(in.h + in.w - 2) : 0.0f;
        break;
      case InputGen::PICTURE:
        v = picture_value(y, xx, in.h, in.w);
        break;
    }
    x.data[static_cast<size_t>(i)] = v;
  }
  for (const auto& [i, v] : in.edits)
    if (i >= 0 && i < x.numel()) x.data[static_cast<size_t>(i)] = v;
  return x;
}

std::vector<int64_t> one_hot_cell(const AppState& s) {
  const char* grad_of = s.layer == PoolLayer::MAX_UNPOOL2D ? "unpooled" : "output";
  if (s.pin && (s.pin->tensor == grad_of || s.pin->tensor == "grad_output")) return s.pin->index;
  return {};
}

ll::Tensor make_grad_output(const ll::Shape& shape, const InputParams& in, const std::vector<int64_t>& hot) {
  ll::Tensor g(shape);  // zeros
  if (in.grad == GradGen::ONE_HOT) {
    int64_t flat = 0;
    bool inside = hot.size() == shape.size();
    for (size_t d = 0; inside && d < shape.size(); ++d) {
      inside = hot[d] >= 0 && hot[d] < shape[d];
      flat = flat * shape[d] + (inside ? hot[d] : 0);
    }
    if (g.numel() > 0) g.data[static_cast<size_t>(inside ? flat : 0)] = 1.0f;
  } else if (in.grad == GradGen::ONES) {
    for (float& v : g.data) v = 1.0f;
  } else {
    ll::Rng rng(static_cast<uint64_t>(in.seed) + 1);
    for (float& v : g.data) v = round2(rng.uniform(-1.0, 1.0));
  }
  for (const auto& [i, v] : in.grad_edits)
    if (i >= 0 && i < g.numel()) g.data[static_cast<size_t>(i)] = v;
  return g;
}

namespace {

// Runs f and adds its wall time in milliseconds to *ms.
template <typename F>
auto timed(double* ms, F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  auto out = f();
  *ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace

void warm_up_core(AppState& s) {
  ll::Tensor x({1, 3, 64, 64});
  for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = static_cast<float>((i * 7919) % 101) / 50.0f - 1.0f;
  for (int pass = 0; pass < 3; ++pass) {
    ll::MaxPool2d max_pool({{3}, ll::IntList{2}, {1}, {1}, true, false});
    const ll::Tensor pooled = max_pool.forward(x);
    max_pool.backward(pooled);
    ll::MaxUnpool2d unpool({{3}, ll::IntList{2}, {1}});
    const ll::Tensor unpooled = unpool.forward(pooled, max_pool.indices(), ll::IntList{64, 64});
    unpool.backward(unpooled);
    for (int k = 2; k <= 3; ++k) {
      ll::AvgPool2d avg_pool({{k}, ll::IntList{2}, {k / 2}, false, true, std::nullopt});
      avg_pool.backward(avg_pool.forward(x));
    }
    ll::ReLU relu;
    relu.backward(relu.forward(x));
    ll::LeakyReLU leaky(0.01);
    leaky.backward(leaky.forward(x));
    ll::Sigmoid sigmoid;
    sigmoid.backward(sigmoid.forward(x));
    ll::Tanh tanh_layer;
    tanh_layer.backward(tanh_layer.forward(x));
    ll::PReLU prelu({3, 0.25});
    prelu.backward(prelu.forward(x));
    ll::Linear linear({64, 64, true});
    linear.backward(linear.forward(x));
  }
  s.core_warm = true;
  s.dirty = true;
  s.lab_dirty = true;
}

namespace {

// AvgPool2d forward and backward, and each output cell's divisor as the layer computes it.
void run_avg_pool(const AppState& s, const nlohmann::json& keywords, PoolResult& r) {
  ll::AvgPool2d pool(ll::avg_pool2d_options(keywords));
  r.output = timed(&r.forward_ms, [&] { return pool.forward(r.input); });
  r.geom = pool.geometry(r.input.shape);
  r.divisors.resize(static_cast<size_t>(r.geom.out_h * r.geom.out_w));
  for (int64_t oh = 0; oh < r.geom.out_h; ++oh)
    for (int64_t ow = 0; ow < r.geom.out_w; ++ow)
      r.divisors[static_cast<size_t>(oh * r.geom.out_w + ow)] = pool.divisor(r.geom, oh, ow);
  r.grad_output = make_grad_output(r.output.shape, s.input, one_hot_cell(s));
  r.grad_input = timed(&r.backward_ms, [&] { return pool.backward(r.grad_output); });
  r.output_shape = r.output.shape;
}

// MaxPool2d forward and backward; for MaxUnpool2d the round trip that pools with the
// same kernel_size, stride and padding first, then unpools to the input's size.
void run_max_pool(const AppState& s, const nlohmann::json& keywords, PoolResult& r) {
  nlohmann::json pool_kw = keywords;
  if (s.layer == PoolLayer::MAX_UNPOOL2D) pool_kw["return_indices"] = true;
  ll::MaxPool2d pool(ll::max_pool2d_options(pool_kw));
  // The app shows the argmax, so the forward's time includes finding it (a values-only
  // forward defers that to indices()).
  r.output = timed(&r.forward_ms, [&] {
    ll::Tensor y = pool.forward(r.input);
    r.indices = pool.indices();
    return y;
  });
  r.geom = pool.geometry(r.input.shape);
  if (s.layer == PoolLayer::MAX_POOL2D) {
    r.grad_output = make_grad_output(r.output.shape, s.input, one_hot_cell(s));
    r.grad_input = timed(&r.backward_ms, [&] { return pool.backward(r.grad_output); });
    r.output_shape = r.output.shape;
    return;
  }
  ll::MaxUnpool2d unpool(ll::max_unpool2d_options(keywords));
  r.unpooled = timed(&r.forward_ms, [&] { return unpool.forward(r.output, r.indices, ll::IntList{s.input.h, s.input.w}); });
  r.grad_output = make_grad_output(r.unpooled.shape, s.input, one_hot_cell(s));
  r.grad_input = timed(&r.backward_ms, [&] { return unpool.backward(r.grad_output); });
  r.output_shape = r.unpooled.shape;
}

// The finite range of some tensors: [lo, hi], or `fallback` when nothing is finite.
std::pair<float, float> finite_range(std::initializer_list<const ll::Tensor*> tensors, std::pair<float, float> fallback) {
  float lo = INFINITY, hi = -INFINITY;
  for (const ll::Tensor* t : tensors)
    for (float v : t->data)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  return std::isfinite(lo) ? std::make_pair(lo, hi) : fallback;
}
float abs_max(const ll::Tensor& t) {
  const auto [lo, hi] = finite_range({&t}, {1.0f, 1.0f});
  return std::max(std::fabs(lo), std::fabs(hi));
}

// The heatmaps' colour ranges, and whether the input's texture can stay.
void finish_result(const AppState& s, PoolResult& r) {
  std::tie(r.value_lo, r.value_hi) = finite_range({&r.input, &r.output, &r.unpooled}, {0.0f, 1.0f});
  r.grad_out_abs = abs_max(r.grad_output);
  r.grad_in_abs = abs_max(r.grad_input);
  r.valid = true;
  r.version = s.result.version + 1;
  // A new kernel_size leaves the input as it was: its heatmap keeps its texture
  // (a 224 x 224 plane is a fifth of a frame's texture work while a slider drags).
  const ll::Tensor& old_in = s.result.input;
  const bool same_input = s.result.valid && old_in.shape == r.input.shape && s.result.value_lo == r.value_lo &&
                          s.result.value_hi == r.value_hi &&
                          std::memcmp(old_in.ptr(), r.input.ptr(), r.input.data.size() * sizeof(float)) == 0;
  r.input_version = same_input ? s.result.input_version : s.result.input_version + 1;
}

}  // namespace

void ensure_computed(AppState& s) {
  if (s.lab != Lab::POOL) {
    ensure_lab_computed(s);
    return;
  }
  if (!s.dirty) return;
  s.dirty = false;
  PoolResult r;
  try {
    r.layer = s.layer;
    r.params = s.params;
    check_input_size(s.input);
    r.input = make_input(s.input);
    r.input_shape = r.input.shape;
    const nlohmann::json keywords = pool_keywords(s.layer, s.params);
    switch (s.layer) {
      case PoolLayer::AVG_POOL2D: run_avg_pool(s, keywords, r); break;
      case PoolLayer::MAX_POOL2D:
      case PoolLayer::MAX_UNPOOL2D: run_max_pool(s, keywords, r); break;  // unpooling pools first
    }
  } catch (const ll::Error& e) {
    s.error = e.what();
    return;
  } catch (const std::exception& e) {
    s.error = std::string("LayerLab: ") + e.what();
    return;
  }
  finish_result(s, r);
  s.result = std::move(r);
  s.error.clear();
  s.batch = std::min(s.batch, s.input.n - 1);
  s.channel = std::min(s.channel, s.input.c - 1);
  const int windows = static_cast<int>(s.result.geom.out_h * s.result.geom.out_w);
  s.scrub = std::clamp(s.scrub, 0, std::max(windows - 1, 0));
}

namespace {

// state() of the labs other than pooling: the same fields, `layer` and
// `params` describing the lab's main layer, and `metrics`.
nlohmann::json lab_state_json(const AppState& s) {
  using nlohmann::json;
  json j = json::object();
  json params = json::object();
  json input_shape = nullptr, output_shape = nullptr;
  const LabResult& r = s.lab_result;
  switch (s.lab) {
    case Lab::ACTIVATION: {
      const ActivationLab& a = s.act;
      j["layer"] = act_name(a);
      if (a.layer == ActLayer::GENERIC) params = generic_act_params(a);
      if (a.layer == ActLayer::LEAKY_RELU) params["negative_slope"] = a.negative_slope;
      if (a.layer == ActLayer::PRELU) params["num_parameters"] = a.num_parameters, params["init"] = a.init;
      if (a.layer == ActLayer::RRELU) params["lower"] = a.lower, params["upper"] = a.upper;
      j["training"] = a.layer == ActLayer::RRELU && a.training;
      json cmp = json::array();
      for (int i = 0; i < kComparableActs; ++i)
        if (a.compare & (1u << i)) cmp.push_back(act_layer_name(static_cast<ActLayer>(i)));
      j["compare"] = cmp;
      if (!r.act_input.data.empty()) input_shape = r.act_input.shape, output_shape = r.act_output.shape;
      break;
    }
    case Lab::LINEAR:
      j["layer"] = "Linear";
      params["in_features"] = s.lin.in_features, params["out_features"] = s.lin.out_features;
      params["bias"] = s.lin.bias;
      if (!r.lin_input.data.empty()) input_shape = r.lin_input.shape, output_shape = r.lin_output.shape;
      break;
    case Lab::GRADIENT:
      j["layer"] = "Sequential";
      params["depth"] = s.grad.depth, params["width"] = s.grad.width;
      params["activation"] = stack_act_name(s.grad.activation), params["init"] = init_name(s.grad.init);
      params["gain"] = s.grad.gain;
      j["compare"] = json::array();
      for (int i = 1; i < stack_act_count(); ++i)
        if (s.grad.compare & act_bit(static_cast<StackAct>(i))) j["compare"].push_back(stack_act_name(static_cast<StackAct>(i)));
      input_shape = json::array({s.grad.batch, s.grad.width});
      output_shape = input_shape;
      break;
    case Lab::POOL:
      break;  // pool_state_json writes the pooling lab's
    case Lab::TRAIN:
      j["layer"] = "Sequential";
      params["hidden"] = s.train.hidden, params["activation"] = stack_act_name(s.train.activation);
      params["lr"] = s.train.lr, params["loss"] = "BCEWithLogitsLoss";
      if (s.train_run) input_shape = s.train_run->points.shape, output_shape = json::array({s.train_run->points.shape[0], 1});
      break;
  }
  j["lab"] = lab_name(s.lab);
  j["params"] = params;
  j["input_shape"] = input_shape;
  j["output_shape"] = output_shape;
  j["metrics"] = lab_metrics(s);
  return j;
}

}  // namespace

void FrameTimes::record(double start, double end, double redrawn_fraction) {
  redrawn[draws % kFrames] = static_cast<float>(redrawn_fraction);
  draw_ms[draws++ % kFrames] = static_cast<float>((end - start) * 1000.0);
  // Frames that follow each other (an animation, a drag); a gap of a quarter
  // second or more is the app at rest, not a slow frame.
  if (last_end >= 0 && end - last_end < 0.25) interval_ms[intervals++ % kFrames] = static_cast<float>((end - last_end) * 1000.0);
  last_end = end;
}

namespace {
double median_of(const float* v, int count) {
  if (count <= 0) return 0.0;
  std::vector<float> a(v, v + std::min(count, FrameTimes::kFrames));
  std::nth_element(a.begin(), a.begin() + static_cast<long>(a.size() / 2), a.end());
  return a[a.size() / 2];
}
}  // namespace

double FrameTimes::median_draw_ms() const { return median_of(draw_ms, draws); }
double FrameTimes::median_interval_ms() const { return median_of(interval_ms, intervals); }
double FrameTimes::median_redrawn() const { return median_of(redrawn, draws); }

// The keys every lab's state() has.
static std::string finish_state_json(nlohmann::json& j, const AppState& s) {
  using nlohmann::json;
  j["missing_glyphs"] = missing_glyphs(s.lang);
  j["lang"] = s.lang == Lang::ZH ? "zh" : "en";
  j["error"] = s.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.error);
  j["notice"] = s.notice.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.notice);
  j["hash"] = to_hash(s);
  j["frames_drawn"] = s.frames_drawn;
  // frame_ms: the median time of the last 60 frames' drawing; frame_interval_ms:
  // the median time from one frame to the next while they follow each other;
  // redrawn: the median fraction of the canvas a frame drew again.
  if (!j.contains("timings")) j["timings"] = json::object();
  j["timings"]["frame_ms"] = s.frame_times.median_draw_ms();
  j["timings"]["frame_interval_ms"] = s.frame_times.median_interval_ms();
  j["timings"]["redrawn"] = s.frame_times.median_redrawn();
  j["pinned"] = pinned_json(s);
  j["theme"] = s.light ? "light" : "dark";
  j["theme_setting"] = s.theme == Theme::AUTO ? "auto" : s.theme == Theme::LIGHT ? "light" : "dark";
  j["locked"] = s.locked;
  if (s.quiz.kind == QuizKind::NONE) {
    j["quiz"] = nullptr;
  } else {
    json q = {{"kind", s.quiz.kind == QuizKind::SHAPE ? "shape" : "value"}, {"answered", s.quiz.answered},
              {"correct", s.quiz.correct}};
    if (s.quiz.answered) q["given"] = s.quiz.given, q["expected"] = s.quiz.expected;
    j["quiz"] = q;
  }
  const std::string code = lab_code(s);
  j["code"] = code.empty() ? json(nullptr) : json(code);
  json panels = json::array();
  for (const PanelRect& r : s.layout.panels) panels.push_back({{"name", r.name}, {"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  json heatmaps = json::array();
  for (const HeatmapRect& h : s.layout.heatmaps)
    heatmaps.push_back({{"tensor", h.tensor}, {"x", h.x}, {"y", h.y}, {"cell", h.cell}, {"rows", h.rows}, {"cols", h.cols}});
  j["layout"] = {{"kind", layout_kind_name(s.layout.kind)}, {"panels", panels}, {"heatmaps", heatmaps},
                 {"help", s.layout.help_open}, {"height", std::round(s.layout.needed_h)}};
  return j.dump();
}

std::string state_json(const AppState& s) {
  using nlohmann::json;
  if (s.lab != Lab::POOL) {
    json j = lab_state_json(s);
    return finish_state_json(j, s);
  }
  json params = pool_keywords(s.layer, s.params);
  if (params["stride"].is_null()) params["stride"] = params["kernel_size"];  // state() reports the stride in effect
  json j = json::object();
  j["layer"] = layer_name(s.layer);
  j["lab"] = "pool";
  j["metrics"] = json::object();
  j["params"] = params;
  j["input"] = input_gen_name(s.input.gen);
  if (s.input.file)
    j["input_file"] = {{"name", s.input.file_name}, {"note", s.input.file_note}, {"shape", s.input.file->shape}};
  j["input_shape"] = json::array({s.input.n, s.input.c, s.input.h, s.input.w});
  j["plane"] = json::array({s.batch, s.channel});  // the (n, c) plane the heatmaps show
  j["output_shape"] = s.result.valid ? json(s.result.output_shape) : json(nullptr);
  // Small results also as numbers (the page's text description shows them as a table):
  // the first (N, C) plane of the layer's output, row-major, rounded to 2 decimals.
  if (s.result.valid) {
    const ll::Tensor& out = s.layer == PoolLayer::MAX_UNPOOL2D ? s.result.unpooled : s.result.output;
    const size_t nd = out.shape.size();
    const int64_t plane = nd >= 2 ? out.shape[nd - 2] * out.shape[nd - 1] : 0;
    if (plane > 0 && plane <= 64 && out.numel() >= plane) {
      json values = json::array();
      for (int64_t i = 0; i < plane; ++i) {
        const float v = out.data[static_cast<size_t>(i)];
        if (std::isfinite(v)) values.push_back(round2(v));
        else values.push_back(std::isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
      }
      j["output_values"] = values;
    }
  }
  if (s.result.valid) {
    j["timings"] = {{"forward_ms", s.result.forward_ms}, {"backward_ms", s.result.backward_ms}, {"warm", s.core_warm}};
  }
  return finish_state_json(j, s);
}

}  // namespace app

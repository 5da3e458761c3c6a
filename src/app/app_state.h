// app_state.h — everything the playground knows, in one plain struct.
//
//   PairParam      an int-or-pair PyTorch parameter with its "square / (h, w)" toggle
//   PoolParams     the PyTorch keyword parameters of the pooling lab
//   InputParams    the input tensor: shape, generator, seed, hand-edited cells
//   PoolResult     the last good forward/backward (kept when the parameters turn invalid)
//   HeatmapView    zoom/pan of one heatmap (UI-only, not in the URL hash)
//   Lab            which lab the page shows (hash key `lab`)
//   ActivationLab  activation lab: layer + PyTorch parameters, x-range, overlays, PReLU fit
//   LinearLab      Linear lab: one Linear with a batch, and the collapse demo (depth, activation)
//   GradientLab    a deep stack of Linear + activation blocks: per-layer gradient norms
//   TrainLab       a tiny MLP trained by SGD on 2-D toy data in the frame loop
//   LabResult      what the lab panels draw and state().metrics reports (labs.cpp fills it)
//   Quiz           a teacher's question (hash key `quiz`): predict, then see
//   AppState       all of the above; panels read and write it, hash_state.cpp (de)serialises it
//
// The core recomputes only when `dirty` is set: every widget that changes a
// parameter sets it, and apply_hash() sets it. ensure_computed() clears it.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/shape.h"
#include "app/labs/activation/dimwise.h"
#include "core/tensor.h"
#include "theme.h"

namespace app {

// A generated input value rounded to two decimals: what the panels print is the value.
inline float round2(double v) { return static_cast<float>(std::round(v * 100.0) / 100.0); }

enum class PoolLayer { MAX_POOL2D, AVG_POOL2D, MAX_UNPOOL2D };
enum class InputGen { RAMP, RANDOM, CHECKERBOARD, GRADIENT, PICTURE, FILE };  // FILE: InputParams::file
enum class GradGen { ONES, RANDOM, ONE_HOT };  // ONE_HOT: 1 at the pinned output cell, 0 elsewhere
enum class Lang { EN, ZH };

struct PairParam {
  int h = 1, w = 1;
  bool square = true;  // shown and serialised as one int when true (h == w then)

  ll::IntList to_list() const { return square ? ll::IntList{h} : ll::IntList{h, w}; }
  bool operator==(const PairParam& o) const { return h == o.h && w == o.w && square == o.square; }
};

struct PoolParams {
  PairParam kernel_size{3, 3, true};  // no PyTorch default; the lab's is 3
  bool stride_is_none = true;         // stride=None -> kernel_size (PyTorch's default)
  PairParam stride{2, 2, true};       // used when stride_is_none is false
  PairParam padding{0, 0, true};      // default 0
  PairParam dilation{1, 1, true};     // MaxPool2d only, default 1
  bool ceil_mode = false;             // default False
  bool return_indices = false;        // MaxPool2d only, default False
  bool count_include_pad = true;      // AvgPool2d only, default True
  bool has_divisor_override = false;  // AvgPool2d only, default None
  int divisor_override = 1;
};

struct InputParams {
  InputGen gen = InputGen::RAMP;
  int n = 1, c = 1, h = 8, w = 8;
  uint32_t seed = 0;
  std::map<int64_t, float> edits;  // flat index into (N, C, H, W) -> hand-typed value
  GradGen grad = GradGen::ONES;    // grad_output generator (same seed)
  std::map<int64_t, float> grad_edits;  // flat index into grad_output -> hand-typed value, over the generator
  // The student's own tensor (loadFile, drop, paste): gen FILE uses it while its shape is (n, c, h, w).
  std::shared_ptr<const ll::Tensor> file;
  std::string file_name;  // "photo.png", "x.npy", "pasted"
  std::string file_note;  // what was done to it ("downscaled 640 x 480 -> 213 x 160"), or empty
};

// The app's caps on the pooling lab's input (the hash's ranges of n, c, h, w, and
// a file's or a paste's shape), and on its values in all: 1 x 64 x 224 x 224, the
// course's 64-channel feature map at full size (8 x 64 x 224 x 224 would be 100 MB
// a tensor), so N = 8 and C = 64 come together at H x W up to 79 x 79.
constexpr int kMaxInputN = 8, kMaxInputC = 64, kMaxInputSide = 224;
constexpr int64_t kMaxInputElements = int64_t{kMaxInputC} * kMaxInputSide * kMaxInputSide;

// The last successful computation. For MaxUnpool2d the round trip is
// input -> MaxPool2d (output, indices) -> MaxUnpool2d (unpooled).
struct PoolResult {
  bool valid = false;
  uint64_t version = 0;  // bumped on each recompute; heatmaps re-upload textures on change
  uint64_t input_version = 0;  // bumped only when the input's values or the colour range changed
  PoolLayer layer = PoolLayer::MAX_POOL2D;
  PoolParams params;                        // the parameters that produced this result
  ll::Pool2dGeometry geom;                  // of the pooling (MaxPool2d / AvgPool2d / the round trip's pool)
  ll::Tensor input;                         // (N, C, H, W)
  ll::Tensor output;                        // pooled
  ll::IndexTensor indices;                  // MaxPool2d argmax, flat per plane (also for the round trip)
  std::vector<int64_t> divisors;            // AvgPool2d: out_h * out_w divisors
  ll::Tensor unpooled;                      // MaxUnpool2d output (input's shape)
  ll::Tensor grad_output;                   // shaped like the layer's output (unpooled for MaxUnpool2d)
  ll::Tensor grad_input;                    // shaped like the layer's input (output for MaxUnpool2d)
  ll::Shape input_shape, output_shape;      // of the layer named in the hash
  float value_lo = 0, value_hi = 1;         // finite range of input, output and unpooled (shared colours)
  float grad_out_abs = 1, grad_in_abs = 1;  // largest finite |value| of the gradients
  double forward_ms = 0, backward_ms = 0;  // the core's time for this result (state().timings, overlay)
};

struct HeatmapView {
  float zoom = 1.0f;                    // 1 = fit the region
  float pan_x = 0, pan_y = 0;           // offset in cells of the view's top-left
  uint64_t tex_version = ~uint64_t{0};  // result version + plane the texture was built from
  uint64_t tex_key = 0;
  void* texture = nullptr;  // ImTextureID made by the platform (texture.h)
  bool dragged = false;     // the current press moved the view (so it is not a click)
  float cell0_x = 0, cell0_y = 0, cell_px = 0;  // last frame: data cell (0, 0)'s top-left and a cell's side (device px)
};

enum HeatmapSlot { HM_INPUT, HM_OUTPUT, HM_THIRD, HM_GRAD_OUTPUT, HM_GRAD_INPUT, HM_UNPOOLED, HM_COUNT };

// What the pointer (or the window scrubber) points at, in cell coordinates.
struct Focus {
  enum Kind { NONE, OUTPUT_CELL, INPUT_CELL } kind = NONE;
  int y = 0, x = 0;
};

enum class Lab { POOL, ACTIVATION, LINEAR, GRADIENT, TRAIN };  // labs/registry.h: a row of kLabs each, in this order

// The activation lab's six layers, and the activations a stack can put between Linear layers.
// GENERIC: any other element-wise activation of the core's table (core/elementwise_desc.h),
// named by ActivationLab::generic, its keywords read from its descriptor: a layer added
// to the core appears in the lab with no edit here. The six have the lab's own tools
// (PReLU's fit, RReLU's train/eval, the comparison overlays).
enum class ActLayer { SIGMOID, TANH, RELU, LEAKY_RELU, PRELU, RRELU, GENERIC, COUNT };
inline constexpr int kComparableActs = static_cast<int>(ActLayer::GENERIC);  // the six the overlays compare
// A stack's activation: the four of the course note, then, from COUNT on, each
// element-wise activation of the core that needs no keyword (stack_act_count() in
// all; labs.h): COUNT + k is the k-th of them, at its PyTorch defaults.
enum class StackAct : int { NONE, SIGMOID, TANH, RELU, LEAKY_RELU, COUNT };
// How the gradient lab's Linear weights start (torch.nn.init names); the training
// and Linear labs use PyTorch's default.
enum class InitScheme { DEFAULT, XAVIER_UNIFORM, KAIMING_UNIFORM, KAIMING_NORMAL, NORMAL, COUNT };
enum class Dataset { SPIRALS, CIRCLES, XOR, COUNT };

// Step-by-step curves of a training loop (PReLU fit, MLP training).
struct TrainHistory {
  std::vector<float> loss, grad_norm, slope, slope_grad;  // one entry per step
  std::vector<float> dead[2];  // MLP training: dead share of each hidden layer, one entry per step
  void clear() { loss.clear(), grad_norm.clear(), slope.clear(), slope_grad.clear(), dead[0].clear(), dead[1].clear(); }
};

struct ActivationLab {
  ActLayer layer = ActLayer::SIGMOID;
  std::string generic = "GELU";                 // ActLayer::GENERIC: the layer's PyTorch name
  std::map<std::string, std::string> keywords;  // ActLayer::GENERIC: keywords given, as the hash writes them
  double negative_slope = 0.01;      // LeakyReLU, default 0.01
  int num_parameters = 1;            // PReLU, default 1
  double init = 0.25;                // PReLU, default 0.25
  double lower = 1.0 / 8.0;          // RReLU, default 1/8
  double upper = 1.0 / 3.0;          // RReLU, default 1/3
  bool training = false;             // RReLU: train() samples slopes, eval() uses (lower+upper)/2
  uint32_t seed = 0;                 // RReLU noise and the random tensor input
  float xmin = -6.0f, xmax = 6.0f;   // plotted range (also the tensor input's range)
  uint32_t compare = 0;              // bit i: overlay ActLayer i
  bool random_input = false;         // tensor input: ramp over [xmin, xmax] or seeded uniform
  // PReLU learning: fit PReLU(init) to LeakyReLU(target_slope) data by SGD on its weight.
  float target_slope = 0.2f;
  float lr = 0.1f;
  bool playing = false;
  int fit_step = 0;
  float fit_slope = 0.25f;             // the PReLU weight now: init, then what SGD learned (the curves use it)
  int pending_steps = 0;               // setState({steps: K}) queued SGD steps, run in slices
  TrainHistory fit;
  // The modules along a dimension (labs/activation/dimwise.h): the logits they get,
  // divided by the temperature (hash keys logits=2,1,0.1 and temperature).
  std::vector<float> logits = {2.0f, 1.0f, 0.1f, -1.0f, 0.5f};
  float temperature = 1.0f;
};

struct LinearLab {
  int in_features = 4, out_features = 3;
  bool bias = true;
  int batch = 2;                           // rows of the input
  uint32_t seed = 0;                       // weight init (PyTorch's uniform bound) and input
  std::map<int64_t, float> weight_edits;   // flat (out, in) index -> typed value
  int depth = 3;                           // collapse demo: stacked Linear layers
  int hidden = 4;                          // their width between in_features and out_features
  StackAct activation = StackAct::NONE;    // between the stacked layers
  int edit_index = -1;                     // weight cell being edited (popup)
  float edit_value = 0;
};

// Bit of StackAct `a` in GradientLab::compare (stack_act_count() <= 32: tests/unit/test_app.cpp).
constexpr unsigned act_bit(StackAct a) { return 1u << static_cast<int>(a); }

constexpr double kMinGain = 0.01, kMaxGain = 10.0;  // GradientLab::gain

struct GradientLab {
  int depth = 20, width = 32, batch = 64;
  InitScheme init = InitScheme::DEFAULT;
  double gain = 1.0;  // weight scale: xavier_uniform_'s gain, normal_'s std, a factor on the others
  StackAct activation = StackAct::SIGMOID;
  // Activations plotted next to the chosen one, from the same weights and batch.
  unsigned compare = act_bit(StackAct::SIGMOID) | act_bit(StackAct::TANH) | act_bit(StackAct::RELU) |
                     act_bit(StackAct::LEAKY_RELU);
  uint32_t seed = 0;
};

struct TrainLab {
  Dataset dataset = Dataset::CIRCLES;
  int hidden = 16;                       // width of the two hidden layers
  StackAct activation = StackAct::TANH;
  float lr = 0.5f;
  uint32_t seed = 0;
  int steps_per_frame = 5;               // while playing
  bool playing = false;
  int pending_steps = 0;                 // setState({steps: K}) before the model exists
};

// Filled by ensure_lab_computed (labs.cpp); drawn by the lab panels, reported as state().metrics.
struct LabResult {
  uint64_t version = 0;  // bumped on each recompute (heatmap textures)
  // activation lab
  std::vector<float> xs;                                            // plotted x grid
  std::vector<float> f[static_cast<int>(ActLayer::COUNT)];          // f(x) per layer (empty: not shown)
  std::vector<float> df[static_cast<int>(ActLayer::COUNT)];         // f'(x) from backward with ones
  float derivative_max = 0, derivative_min = 0;
  float curve_at[3] = {0, 0, 0};                                    // the chosen layer's f(-1), f(0), f(1)
  float kink[3] = {0, 0, 0};                                        // its f'(0), f(nan), f'(nan)
  ll::Tensor act_input, act_output, act_grad_output, act_grad_input;  // (1, C, 8, 8)
  DimwiseResult dim;                                                 // a module along a dimension
  // linear lab
  ll::Tensor lin_input, lin_weight, lin_bias, lin_output, lin_grad_output, lin_grad_input, lin_grad_weight,
      lin_grad_bias;
  ll::Tensor fused_weight, fused_bias, stack_output, fused_output;
  double collapse_max_abs_diff = 0;
  int fused_rank = 0;
  // gradient lab, per block, first first
  std::vector<double> grad_norms;         // |grad_input| of each Linear: the gradient flowing back
  std::vector<double> weight_grad_norms;  // |grad_weight| of each Linear
  std::vector<double> act_mean, act_std, dead_fraction;
  double dead_total = 0;
  double grad_ratio = 0;         // grad_norms first / last
  const char* verdict = "";      // grad_verdict(grad_ratio)
  std::vector<std::pair<StackAct, std::vector<double>>> compare_grad_norms;  // the chosen one included
};

struct TrainRun;  // labs.h: data set, model, history of the training lab

// Panels an embedding page may hide (hash key `hide=params,code,formula,labs,lang`).
struct HiddenPanels {
  bool params = false;   // the left column: layer, parameters, input
  bool code = false;     // the PyTorch code panel
  bool formula = false;  // the output-size formula panel
  bool labs = false;     // the lab picker
  bool lang = false;     // the language toggle
  bool any() const { return params || code || formula || labs || lang; }
};

// The screen the app is laid out for (issue 19): chosen each frame from the
// canvas's width in CSS px, so an embed picks its own from its own width.
enum class LayoutKind { WIDE, MEDIUM, NARROW };
constexpr float kWideMinCss = 1100.0f;   // wide: parameters | tensors, formula and code under them
constexpr float kMediumMinCss = 640.0f;  // medium: formula and code as tabs; narrow: one column
constexpr float kMinColumnsCss = 560.0f;  // wide and medium need at least this height for their views

// A panel on screen, in CSS px of the canvas (state().layout.panels).
struct PanelRect {
  const char* name;
  float x, y, w, h;
};

// A pooling heatmap as drawn (state().layout.heatmaps): where its data cell (0, 0) is, in CSS px.
struct HeatmapRect {
  const char* tensor;  // saveNpy's name
  float x, y, cell;    // cell (0, 0)'s top-left and a cell's side
  int rows, cols;
};

struct UiLayout {
  LayoutKind kind = LayoutKind::WIDE;
  float scale = 1.0f;      // device px per CSS px (the platform's devicePixelRatio)
  bool compact = false;    // the view being drawn is narrow: one column, heights from its width
  bool params_open = false; // narrow: the parameters drawer (closed: the view comes first)
  float bar_h = 0.0f;       // narrow: the top bar's height, measured on the last frame
  float needed_h = 0.0f;    // CSS px the layout needs to show everything without scrolling (layerlab:resize)
  bool help_open = false;   // the keys overlay (`?`)
  bool code_open = false;   // the code window of the labs other than pooling
  std::vector<PanelRect> panels;  // this frame's, in drawing order
  std::vector<HeatmapRect> heatmaps;  // this frame's pooling heatmaps
};

// A pinned cell (hash key `pin`): a tensor the lab shows, by saveNpy's name, and
// one index per dimension.
struct Pin {
  std::string tensor;
  std::vector<int64_t> index;
  bool operator==(const Pin& o) const { return tensor == o.tensor && index == o.index; }
};

// The last frames' cost (state().timings): what drawing took, and the time from
// one drawn frame to the next while frames follow each other.
struct FrameTimes {
  static constexpr int kFrames = 60;
  float draw_ms[kFrames] = {};
  float interval_ms[kFrames] = {};
  float redrawn[kFrames] = {};   // the fraction of the canvas each frame drew again (the rest was kept)
  int draws = 0, intervals = 0;  // how many were recorded (the rings wrap)
  double last_end = -1.0;        // seconds, the end of the last drawn frame
  void record(double start, double end, double redrawn_fraction);
  double median_draw_ms() const;
  double median_interval_ms() const;
  double median_redrawn() const;
};

// A teacher's assignment question (hash key `quiz`, pooling lab): the output's
// shape, or the value of the pinned output cell, is hidden until the student
// answers (the Check button or setState({answer})). Changing the parameters
// asks a new question.
enum class QuizKind { NONE, SHAPE, VALUE };
struct Quiz {
  QuizKind kind = QuizKind::NONE;
  char typed[64] = {};      // the answer box
  std::string submitted;    // an answer not yet checked (checked after the next recompute)
  bool has_submitted = false;
  bool answered = false, correct = false;
  bool unreadable = false;  // the last answer was not numbers
  std::string question;     // question_key() of the state the answer was given for
  std::string given;        // the student's answer, as typed
  std::string expected;     // PyTorch's answer ("(1, 1, 3, 3)" or "4.5")
};

struct AppState {
  int frames_drawn = 0;  // frames rendered since load (the platform counts them; state().frames_drawn)
  FrameTimes frame_times;
  Lab lab = Lab::POOL;
  HiddenPanels hidden;
  // Hash keys the student cannot change (hash key `lock`): a URL sets them,
  // setState may add to them; widgets show them disabled.
  std::vector<std::string> locked;
  Quiz quiz;
  Theme theme = Theme::DARK;         // hash key `theme`
  std::optional<uint32_t> host_bg;   // hash key `bg=RRGGBB`: the embedding page's background (auto)
  bool system_light = false;         // the browser's prefers-color-scheme (the platform sets it)
  bool light = false;                // the theme this frame is drawn in (ShowApp resolves it)
  UiLayout layout;
  std::optional<Pin> pin;  // the cell inspector's cell
  ActivationLab act;
  LinearLab lin;
  GradientLab grad;
  TrainLab train;
  LabResult lab_result;
  bool lab_dirty = true;
  std::shared_ptr<TrainRun> train_run;  // made on first use, reset by the train lab's keys
  HeatmapView lab_views[16];  // heatmaps of the labs other than pooling

  PoolLayer layer = PoolLayer::MAX_POOL2D;
  PoolParams params;
  InputParams input;
  Lang lang = Lang::EN;

  bool dirty = true;  // parameters changed since the last recompute
  bool core_warm = false;  // warm_up_core() has run (timings after it are of optimised code)
  PoolResult result;  // last good result
  std::string error;  // empty, or the core's message for the current parameters
  std::string notice; // why the last hash's n, c, h or w was clamped to the caps, or why a
                      // file dropped on the desktop app was not opened; or empty

  // view state (not serialised)
  int batch = 0, channel = 0;  // plane shown in every heatmap
  bool scrub_on = false;       // the "window #" scrubber highlights a window
  int scrub = 0;               // window number, row-major over the output
  bool edit_mode = false;      // clicking an input cell edits it
  bool show_numbers = true;    // numbers inside the cells when they fit
  bool show_divisors = true;   // AvgPool2d overlay on the output
  Focus focus;                 // from the previous frame's hover
  Focus next_focus;            // collected while drawing this frame
  int edit_index = -1;         // flat index being edited (popup), into the input or grad_output
  bool edit_grad = false;      // the popup edits grad_output
  float edit_value = 0.0f;
  HeatmapView views[HM_COUNT];
  double copied_time = -10.0;
};

// Runs the core if `s.dirty`; on an ll::Error keeps s.result and sets s.error.
void ensure_computed(AppState& s);

// Runs every layer's forward and backward a few times on small inputs. A
// browser starts WebAssembly in its baseline compiler and optimises a
// function only after it has run for a while, so without this the first
// change of a parameter would wait for baseline code (several times slower).
// Then marks the current result for recomputation, so its timings are those
// of the optimised code.
void warm_up_core(AppState& s);

// The current layer's PyTorch keyword arguments, as the page's state().params.
std::string state_json(const AppState& s);

const char* layer_name(PoolLayer l);     // "MaxPool2d" ...
const char* layout_kind_name(LayoutKind k);  // "wide" ...
const char* input_gen_name(InputGen g);  // "ramp" ...

}  // namespace app

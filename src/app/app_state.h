// app_state.h — everything the playground knows, in one plain struct.
//
//   PairParam      an int-or-pair PyTorch parameter with its "square / (h, w)" toggle
//   PoolParams     the PyTorch keyword parameters of the pooling lab
//   InputParams    the input tensor: shape, generator, seed, hand-edited cells
//   PoolResult     the last good forward/backward (kept when the parameters turn invalid)
//   HeatmapView    zoom/pan of one heatmap (UI-only, not in the URL hash)
//   AppState       all of the above; panels read and write it, hash_state.cpp (de)serialises it
//
// The core recomputes only when `dirty` is set: every widget that changes a
// parameter sets it, and apply_hash() sets it. ensure_computed() clears it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/shape.h"
#include "core/tensor.h"

namespace app {

enum class PoolLayer { MAX_POOL2D, AVG_POOL2D, MAX_UNPOOL2D };
enum class InputGen { RAMP, RANDOM, CHECKERBOARD, GRADIENT, PICTURE };
enum class GradGen { ONES, RANDOM };
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
};

// The last successful computation. For MaxUnpool2d the round trip is
// input -> MaxPool2d (output, indices) -> MaxUnpool2d (unpooled).
struct PoolResult {
  bool valid = false;
  uint64_t version = 0;  // bumped on each recompute; heatmaps re-upload textures on change
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
};

struct HeatmapView {
  float zoom = 1.0f;                    // 1 = fit the region
  float pan_x = 0, pan_y = 0;           // offset in cells of the view's top-left
  uint64_t tex_version = ~uint64_t{0};  // result version + plane the texture was built from
  uint64_t tex_key = 0;
  void* texture = nullptr;  // ImTextureID made by the platform (texture.h)
  bool dragged = false;     // the current press moved the view (so it is not a click)
};

enum HeatmapSlot { HM_INPUT, HM_OUTPUT, HM_THIRD, HM_GRAD_OUTPUT, HM_GRAD_INPUT, HM_UNPOOLED, HM_COUNT };

// What the pointer (or the window scrubber) points at, in cell coordinates.
struct Focus {
  enum Kind { NONE, OUTPUT_CELL, INPUT_CELL } kind = NONE;
  int y = 0, x = 0;
};

struct AppState {
  PoolLayer layer = PoolLayer::MAX_POOL2D;
  PoolParams params;
  InputParams input;
  Lang lang = Lang::EN;

  bool dirty = true;  // parameters changed since the last recompute
  PoolResult result;  // last good result
  std::string error;  // empty, or the core's message for the current parameters

  // view state (not serialised)
  int batch = 0, channel = 0;  // plane shown in every heatmap
  bool scrub_on = false;       // the "window #" scrubber highlights a window
  int scrub = 0;               // window number, row-major over the output
  bool edit_mode = false;      // clicking an input cell edits it
  bool show_numbers = true;    // numbers inside the cells when they fit
  bool show_divisors = true;   // AvgPool2d overlay on the output
  Focus focus;                 // from the previous frame's hover
  Focus next_focus;            // collected while drawing this frame
  int edit_index = -1;         // flat input index being edited (popup)
  float edit_value = 0.0f;
  HeatmapView views[HM_COUNT];
  std::string copied_note;  // "copied" feedback in the code panel
  double copied_time = -10.0;
};

// Runs the core if `s.dirty`; on an ll::Error keeps s.result and sets s.error.
void ensure_computed(AppState& s);

// The current layer's PyTorch keyword arguments, as the page's state().params.
std::string state_json(const AppState& s);

const char* layer_name(PoolLayer l);     // "MaxPool2d" ...
const char* input_gen_name(InputGen g);  // "ramp" ...

}  // namespace app

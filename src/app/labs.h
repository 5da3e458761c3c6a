// labs.h — the activation, Linear, gradient and training labs' computations.
//
//   Activation        one of Sigmoid / Tanh / ReLU / LeakyReLU from the core, chosen at run time
//   Stack             Linear (+ activation) blocks in sequence: forward, backward, SGD
//   TrainRun          the training lab: data set, MLP, BCEWithLogitsLoss, history, decision boundary
//   ensure_lab_computed   recomputes the current lab's LabResult when s.lab_dirty
//   lab_tick          per frame: SGD steps of a playing PReLU fit / MLP training
//   train_steps / prelu_fit_steps / *_reset   the step and reset buttons (and setState({steps}), in slices)
//   lab_metrics       state().metrics of the current lab
//
// Every value the labs show comes from the core's layers (forward, and backward
// with a grad_output); the app only arranges inputs and reads results.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "app_state.h"
#include "core/layers/activations.h"
#include "core/layers/bce_with_logits_loss.h"
#include "core/layers/linear.h"
#include "core/layer_desc.h"
#include "core/layers/activation.h"

namespace app {

class Activation {
 public:
  explicit Activation(StackAct kind = StackAct::NONE);
  ll::Tensor forward(const ll::Tensor& x);
  ll::Tensor backward(const ll::Tensor& g);
  StackAct kind() const { return kind_; }

 private:
  // f(the layer of kind_); `t` itself for none (the identity).
  template <typename F>
  ll::Tensor apply(const ll::Tensor& t, F&& f) {
    switch (kind_) {
      case StackAct::SIGMOID: return f(sigmoid_);
      case StackAct::TANH: return f(tanh_);
      case StackAct::RELU: return f(relu_);
      case StackAct::LEAKY_RELU: return f(leaky_);
      case StackAct::NONE: return t;
      case StackAct::COUNT: break;
    }
    return generic_ ? f(*generic_) : t;  // past COUNT: the core's own
  }
  StackAct kind_;
  std::shared_ptr<ll::Activation> generic_;  // kind_ past COUNT
  ll::Sigmoid sigmoid_;
  ll::Tanh tanh_;
  ll::ReLU relu_;
  ll::LeakyReLU leaky_{0.01};
};

// sizes[0] -> sizes[1] -> ... -> sizes.back(); the activation follows every Linear
// except the last one unless `act_after_last`.
struct Stack {
  std::vector<ll::Linear> linears;
  std::vector<Activation> acts;
  std::vector<ll::Tensor> block_outputs;  // after each block's activation (or Linear), last forward
  std::vector<double> grad_input_norms;   // |grad_input| of each Linear, last backward

  // The weights: PyTorch's default init, or `init` (biases 0), scaled by `gain`.
  void build(const std::vector<int>& sizes, bool bias, StackAct act, bool act_after_last, InitScheme init,
             uint64_t seed, double gain = 1.0);
  ll::Tensor forward(const ll::Tensor& x);
  ll::Tensor backward(const ll::Tensor& grad_output);  // fills each Linear's grad_weight / grad_bias
  double grad_norm() const;                            // of all parameters, after backward
  void sgd_step(float lr);
};

struct TrainRun {
  ll::Tensor points, labels;  // (N, 2), (N, 1) with 0/1
  Stack model;
  ll::BCEWithLogitsLoss loss;
  int step = 0;
  float last_loss = 0;     // at the current parameters
  double accuracy = 0;     // share of points on the right side of logit 0
  float dead[2] = {0, 0};  // share of each hidden layer's units that output 0 for every point
  TrainHistory history;
  std::vector<float> boundary;  // sigmoid(logit) on a kBoundary x kBoundary grid over [-kExtent, kExtent]^2
  uint64_t boundary_version = 0;
  double step_ms = 0;  // wall time of the last frame's training steps
};

// Queued steps (setState({steps}), a link) and a playing run's steps per frame
// run in slices of this much work per call, so no link or message holds the
// page's main thread: what is left runs on the next frames.
constexpr double kStepSliceMs = 8.0;
// setState({steps: K}) runs its steps at once within this much time (the rest
// in slices), so a few dozen steps are done when setState returns.
constexpr double kSetStateStepMs = 100.0;
// `steps=` in a URL being opened queues at most this many (setState may queue
// up to TrainLab's cap, run in slices all the same).
constexpr int kMaxLinkSteps = 1000;

constexpr int kBoundary = 48;
constexpr float kExtent = 1.6f;

const char* act_layer_name(ActLayer l);   // "Sigmoid" ... "RReLU"; "activation" for GENERIC
const char* act_name(const ActivationLab& a);  // the lab's layer by PyTorch's name: "Tanh", "GELU", ...
// ActLayer::GENERIC: the layer's descriptor (nullptr if the core has no such
// element-wise activation) and its keywords as spec params.
const ll::LayerDesc* generic_act_desc(const ActivationLab& a);
nlohmann::json generic_act_params(const ActivationLab& a);
const char* stack_act_name(StackAct a);   // "none", "Sigmoid", ..., "GELU", ...
int stack_act_count();                    // StackAct values: COUNT + the core's keyword-free element-wise ones
// The element-wise activation a value past COUNT stands for (nullptr for the four and none).
const ll::LayerDesc* stack_act_desc(StackAct a);
const char* init_name(InitScheme i);      // "default" | "xavier_uniform" | "kaiming_uniform" | "kaiming_normal" | "normal"
// "vanishing" (first / last gradient < 1e-2), "exploding" (> 1e2, or not finite) or "stable".
const char* grad_verdict(double first_over_last);
const char* dataset_name(Dataset d);      // "spirals" | "circles" | "xor"

void ensure_lab_computed(AppState& s);
void lab_tick(AppState& s);
void train_reset(AppState& s);
// Runs up to k SGD steps, stopping early once budget_ms of wall time is spent
// (always at least one); returns how many ran.
int train_steps(AppState& s, int k, double budget_ms = kStepSliceMs);
// The queued steps of the train lab, for at most budget_ms (throws ll::Error as train_steps).
void run_pending_steps(AppState& s, double budget_ms);
void prelu_fit_reset(AppState& s);
void prelu_fit_steps(AppState& s, int k);
nlohmann::json lab_metrics(const AppState& s);

}  // namespace app

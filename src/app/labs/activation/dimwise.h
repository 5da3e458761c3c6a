// labs/activation/dimwise.h — the activation lab's view of the modules that act
// along a dimension (Softmax, Softmin, LogSoftmax, Softmax2d, GLU): a logits vector
// beside its output as bars, the temperature as a scale on the logits, the
// Jacobian from the core's backward as a heatmap, LogSoftmax's stability on large
// logits, GLU's two halves. Every number comes from the core's layers.
//
//   DimwiseResult        what the view shows (in LabResult)
//   is_dimwise           whether the lab's layer is one of these modules
//   compute_dimwise      forward, the Jacobian (one backward per output), the large-logit example
//   dimwise_parameters   the logits, the temperature, a generator
//   dimwise_view         bars, Jacobian, the stability table or GLU's halves
//   dimwise_metrics      state().metrics
//   dimwise_code         the PyTorch script
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.h"

namespace app {

struct AppState;
struct ActivationLab;

inline constexpr int kMaxLogits = 16;       // entries of the logits vector
inline constexpr float kLargeScale = 1000;  // the stability example: the logits times this

struct DimwiseResult {
  ll::Tensor input;     // logits / temperature: (1, K); Softmax2d (1, K, 1, 1), K channels of one pixel
  ll::Tensor output;    // the module's output
  ll::Tensor jacobian;  // (M, K): row i is grad_input for grad_output = e_i (M outputs)
  std::string warning;  // PyTorch 1.13's UserWarning of this call (dim=None), or ""
  // The stability example (Softmax, Softmin, LogSoftmax): logits x kLargeScale,
  // Softmax's output, log() of it taken naively, and LogSoftmax's output.
  ll::Tensor large_input, large_softmax, large_log_softmax;
  std::vector<float> naive_log;
  ll::Tensor glu_gate;  // GLU: sigmoid(b), b the second half (the core's Sigmoid)
};

bool is_dimwise(const ActivationLab& a);
void compute_dimwise(const ActivationLab& a, DimwiseResult& r);
bool dimwise_parameters(AppState& s);  // true when a value changed
void dimwise_view(AppState& s);
void dimwise_metrics(const AppState& s, nlohmann::json& m);
std::string dimwise_code(const AppState& s);

}  // namespace app

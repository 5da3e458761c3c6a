// compute.h — the lab's data: input generators and the calls into the core.
//
//   check_input_size    throws if the input is over the app's cap of values
//   make_input          the (N, C, H, W) input of a generator, hand edits applied
//   make_grad_output    ones, seeded uniform values in [-1, 1) with 2 decimals, or one-hot; hand edits applied
//   pool_keywords       the pooling lab's parameters as the layer's PyTorch keywords
//   ensure_computed     (app_state.h) runs forward + backward when the state is dirty
#pragma once

#include <nlohmann/json.hpp>

#include "app_state.h"
#include "core/tensor.h"

namespace app {

// "input: shape (8, 64, 224, 224) holds ... values, over the app's cap ..." (kMaxInputElements).
void check_input_size(const InputParams& in);
ll::Tensor make_input(const InputParams& in);
// `hot`: ONE_HOT's cell (N, C, H, W) in `shape`; without a pin there, the first cell.
ll::Tensor make_grad_output(const ll::Shape& shape, const InputParams& in, const std::vector<int64_t>& hot = {});
// ONE_HOT's cell for the pooling lab: the pinned output (or grad_output) cell.
std::vector<int64_t> one_hot_cell(const AppState& s);

// The keywords `layer` takes, from the lab's parameters, as a spec's params
// (stride=None as null): the one mapping from PoolParams to PyTorch. The core
// reads options from it (ll::*_options), the code panel prints it
// (ll::python_call), state() reports it.
nlohmann::json pool_keywords(PoolLayer layer, const PoolParams& p);

// The picture generator's value at (y, x) of an h x w plane: a smiley.
float picture_value(int y, int x, int h, int w);

}  // namespace app

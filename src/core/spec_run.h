// spec_run.h — the runner of each layer's spec (spec.cpp), one per descriptor of
// layer_desc.cpp under the same name. Each reads the keywords and tensors its
// LayerDesc lists, runs forward (and backward with a grad_output) and returns
// the result object; throws ll::Error.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace ll {

struct LayerDesc;

namespace spec_run {

using Runner = nlohmann::json (*)(const nlohmann::json& spec, const LayerDesc& desc);
Runner runner(std::string_view layer);  // nullptr for a name without one

nlohmann::json max_pool2d(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json avg_pool2d(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json max_unpool2d(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json linear(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json sigmoid(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json tanh(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json relu(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json leaky_relu(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json prelu(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json rrelu(const nlohmann::json& spec, const LayerDesc& desc);
nlohmann::json bce_with_logits_loss(const nlohmann::json& spec, const LayerDesc& desc);
// Every generic activation (layers/activation.h): runner() returns it for their names.
nlohmann::json activation(const nlohmann::json& spec, const LayerDesc& desc);
// Every pooling and linear module of layers/module.h: runner() returns it for their names.
nlohmann::json module(const nlohmann::json& spec, const LayerDesc& desc);

}  // namespace spec_run
}  // namespace ll

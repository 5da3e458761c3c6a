// panel_code.cpp — ShowCodePanel and pytorch_code(): Python that reproduces the state.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compute.h"
#include "core/layer_desc.h"
#include "hash_state.h"
#include "imgui.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

constexpr int64_t kLiteralMax = 256;  // tensors up to this many values are written out

std::string py_float(float v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  char buf[32];
  for (int prec = 1; prec <= 9; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return buf;
}

std::string shape_args(const ll::Shape& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out;
}

// torch.tensor([...]) with one row of the last dimension per line.
std::string literal(const ll::Tensor& t, const std::string& indent) {
  std::string out = "torch.tensor(";
  const std::vector<int64_t> st = t.strides();
  const size_t nd = t.shape.size();
  for (int64_t i = 0; i < t.numel(); ++i) {
    size_t opens = 0;  // brackets that start at element i: one per dim whose block starts here
    for (size_t d = 0; d < nd; ++d)
      if (i % (st[d] * t.shape[d]) == 0) ++opens;
    if (i > 0) {
      out += ",";
      if (opens > 0)
        out += "\n" + indent + std::string(13 + nd - opens, ' ');
      else
        out += " ";
    }
    out += std::string(opens, '[');
    out += py_float(t.data[static_cast<size_t>(i)]);
    size_t closes = 0;
    for (size_t d = 0; d < nd; ++d)
      if ((i + 1) % (st[d] * t.shape[d]) == 0) ++closes;
    out += std::string(closes, ']');
  }
  return out + ", dtype=torch.float32)";
}

std::string input_code(const InputParams& in) {
  const ll::Shape shape{in.n, in.c, in.h, in.w};
  const int64_t numel = static_cast<int64_t>(in.n) * in.c * in.h * in.w;
  const std::string nchw = shape_args(shape);
  const std::string H = std::to_string(in.h), W = std::to_string(in.w);
  std::string code;
  const bool literal_input =
      numel <= kLiteralMax && (in.gen == InputGen::RANDOM || in.gen == InputGen::PICTURE ||
                               in.gen == InputGen::FILE || !in.edits.empty());
  if (literal_input) {
    code += "# input: " + (in.gen == InputGen::FILE ? in.file_name : std::string(input_gen_name(in.gen))) +
            (in.edits.empty() ? "" : " + hand-edited cells") + "\n";
    return code + "x = " + literal(make_input(in), "    ") + "\n";
  }
  switch (in.gen) {
    case InputGen::FILE:
      code += "# " + in.file_name + ", saved from LayerLab with layerlab.saveNpy('input')\n";
      code += "import numpy as np\n";
      code += "x = torch.from_numpy(np.load('input.npy'))\n";
      break;
    case InputGen::RAMP:
      code += "x = torch.arange(" + std::to_string(numel) + ", dtype=torch.float32).reshape(" + nchw + ")\n";
      break;
    case InputGen::CHECKERBOARD:
      code += "x = ((torch.arange(" + H + ").view(" + H + ", 1) + torch.arange(" + W + ")) % 2).float()\n";
      code += "x = x.expand(" + nchw + ").clone()\n";
      break;
    case InputGen::GRADIENT:
      if (in.h + in.w > 2) {
        code += "x = (torch.arange(" + H + ").view(" + H + ", 1) + torch.arange(" + W + ")) / " +
                std::to_string(in.h + in.w - 2) + "\n";
      } else {
        code += "x = torch.zeros(1, 1)\n";
      }
      code += "x = x.expand(" + nchw + ").clone()\n";
      break;
    case InputGen::PICTURE:
      code += "# the smiley picture\n";
      code += "v = ((torch.arange(" + H + ") + 0.5) / " + H + ").view(" + H + ", 1)\n";
      code += "u = (torch.arange(" + W + ") + 0.5) / " + W + "\n";
      code += "r2 = (u - 0.5)**2 + (v - 0.5)**2\n";
      code += "eyes = ((u - 0.35)**2 + (v - 0.38)**2 < 0.0049) | ((u - 0.65)**2 + (v - 0.38)**2 < 0.0049)\n";
      code += "mouth = (r2 > 0.04) & (r2 < 0.0676) & (v > 0.58)\n";
      code += "x = torch.where(eyes | mouth, 1.0, torch.where(r2 < 0.16, 0.6, 0.0))\n";
      code += "x = x.expand(" + nchw + ").clone()\n";
      break;
    case InputGen::RANDOM:
      code += "# LayerLab's seeded generator (SplitMix64, 2 decimals) is not torch's:\n";
      code += "# torch.manual_seed gives other values with the same shape\n";
      code += "torch.manual_seed(" + std::to_string(in.seed) + ")\n";
      code += "x = (torch.rand(" + nchw + ") * 100).round() / 100\n";
      break;
  }
  int shown = 0;
  for (const auto& [i, v] : in.edits) {
    if (i >= numel) continue;
    if (++shown > 64) {
      code += "# ... " + std::to_string(in.edits.size() - 64) + " more hand-edited cells\n";
      break;
    }
    const int64_t plane = static_cast<int64_t>(in.h) * in.w;
    char buf[96];
    std::snprintf(buf, sizeof buf, "x[%lld, %lld, %lld, %lld] = %s\n", static_cast<long long>(i / plane / in.c),
                  static_cast<long long>((i / plane) % in.c), static_cast<long long>((i % plane) / in.w),
                  static_cast<long long>(i % in.w), py_float(v).c_str());
    code += buf;
  }
  return code;
}

std::string grad_code(const AppState& s, const char* like) {
  if (s.input.grad == GradGen::ONES) return std::string("grad_output = torch.ones_like(") + like + ")\n";
  if (s.result.valid && !s.result.grad_output.data.empty() && s.result.grad_output.numel() <= kLiteralMax &&
      s.error.empty())
    return "grad_output = " + literal(s.result.grad_output, "              ") + "\n";
  return "# LayerLab's seeded values differ from torch's\ntorch.manual_seed(" + std::to_string(s.input.seed + 1) +
         ")\ngrad_output = ((torch.rand_like(" + like + ") * 2 - 1) * 100).round() / 100\n";
}

}  // namespace

// nn.Layer(keywords) for the lab's parameters, in PyTorch's order, defaults left out.
std::string module_call(const char* layer, const nlohmann::json& keywords) {
  return "nn." + ll::python_call(*ll::find_layer(layer), keywords);
}

std::string pytorch_code(const AppState& s) {
  const nlohmann::json keywords = pool_keywords(s.layer, s.params);
  std::string code = "import torch\nimport torch.nn as nn\n\n";
  code += input_code(s.input);
  if (s.layer == PoolLayer::MAX_UNPOOL2D) {
    nlohmann::json pool_kw = keywords;
    pool_kw["return_indices"] = true;
    code += "\npool = " + module_call("MaxPool2d", pool_kw) + "\n";
    code += "unpool = " + module_call("MaxUnpool2d", keywords) + "\n";
    code += "pooled, indices = pool(x)\n";
    code += "pooled = pooled.detach().requires_grad_(True)\n";
    code += "y = unpool(pooled, indices, output_size=x.shape)\n";
    code += "print(indices)\nprint(y)                # the reconstruction\n\n";
    code += grad_code(s, "y");
    code += "y.backward(grad_output)\nprint(pooled.grad)      # grad_input: a gather at the indices\n";
    return code;
  }
  code += "x.requires_grad_(True)\n\n";
  const bool max = s.layer == PoolLayer::MAX_POOL2D;
  code += "pool = " + module_call(max ? "MaxPool2d" : "AvgPool2d", keywords) + "\n";
  code += max && s.params.return_indices ? "out, indices = pool(x)\n" : "out = pool(x)\n";
  code += "print(out.shape)";
  if (s.result.valid && s.error.empty())
    code += "        # torch.Size(" + ll::shape_to_string(s.result.output_shape) + ")";
  code += "\nprint(out)\n";
  if (max && s.params.return_indices) code += "print(indices)\n";
  code += "\n" + grad_code(s, "out");
  code += "out.backward(grad_output)\nprint(x.grad)           # grad_input\n";
  return code;
}

void ShowCodePanel(AppState& s) {
  static std::string code, code_key;
  // Rebuild only when the state changed: the hash covers everything the code shows.
  const std::string key = to_hash(s) + "#" + std::to_string(s.result.version);
  if (key != code_key) {
    code = pytorch_code(s);
    code_key = key;
  }
  if (ImGui::Button(tr(STR_COPY))) {
    ImGui::SetClipboardText(code.c_str());
    s.copied_time = ImGui::GetTime();
  }
  if (ImGui::GetTime() - s.copied_time < 2.0) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.5f, 0.9f, 0.5f, 1.0f), "%s", tr(STR_COPIED));
  }
  // In a scrolled column the code is as tall as its text; in a fixed panel it fills it.
  ImGui::BeginChild("code", ImVec2(0, 0), ImGuiChildFlags_Border | (s.layout.compact ? ImGuiChildFlags_AutoResizeY : 0),
                    ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.9f, 0.8f, 1.0f));
  ImGui::TextUnformatted(code.c_str(), code.c_str() + code.size());
  ImGui::PopStyleColor();
  ImGui::EndChild();
}

}  // namespace app

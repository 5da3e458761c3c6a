// panel_code.cpp — ShowCodePanel and pytorch_code(): Python that reproduces the state.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <numeric>
#include <string>

#include "code_text.h"
#include "compute.h"
#include "core/layer_desc.h"
#include "core/number_text.h"
#include "labs/registry.h"
#include "core/random.h"
#include "hash_state.h"
#include "imgui.h"
#include "labs.h"
#include "panels.h"
#include "quiz.h"
#include "strings.h"

namespace app {

// code_text.h: Python literals (the other labs' units write code with them too).
std::string py_float(float v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  return float_text(v);
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

namespace {

const std::string kLayerStride = std::to_string(ll::kLayerSeedStride);  // the stacks' seeds (core/random.h)

constexpr int64_t kLiteralMax = 256;  // tensors up to this many values are written out

// LayerLab's seeded values in Python: the same SplitMix64 stream (src/core/random.h)
// and the same rounding to 2 decimals, so a script reproduces them exactly at any size.
constexpr const char* kLayerLabRand =
    "import math\n\n"
    "def layerlab_rand(seed, *shape, lo=0.0, hi=1.0):\n"
    "    \"\"\"LayerLab's seeded values (SplitMix64, rounded to 2 decimals), not torch.rand's.\"\"\"\n"
    "    mask, state, values = (1 << 64) - 1, seed, []\n"
    "    for _ in range(math.prod(shape)):\n"
    "        state = (state + 0x9E3779B97F4A7C15) & mask\n"
    "        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask\n"
    "        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask\n"
    "        u = lo + (hi - lo) * (((z ^ (z >> 31)) >> 11) * 2.0**-53)\n"
    "        r = math.floor(abs(u) * 100.0)\n"
    "        r += abs(u) * 100.0 - r >= 0.5                  # C's round(): halves away from 0\n"
    "        values.append(math.copysign(r / 100.0, u))\n"
    "    return torch.tensor(values, dtype=torch.float32).reshape(shape)\n\n";

// The gradient and train labs draw their weights, inputs and data from LayerLab's
// generator; these Python lines draw the same numbers (as layerlab_rand does).
constexpr const char* kLayerLabRng =
    "class LayerLabRng:\n"
    "    \"\"\"LayerLab's seeded generator (SplitMix64), so the weights and data are the lab's own.\"\"\"\n"
    "    def __init__(self, seed):\n"
    "        self.state = seed % 2**64\n"
    "    def uniform(self, lo=0.0, hi=1.0):\n"
    "        mask = 2**64 - 1\n"
    "        self.state = (self.state + 0x9E3779B97F4A7C15) & mask\n"
    "        z = ((self.state ^ (self.state >> 30)) * 0xBF58476D1CE4E5B9) & mask\n"
    "        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask\n"
    "        return lo + (hi - lo) * (((z ^ (z >> 31)) >> 11) * 2.0**-53)\n"
    "    def normal(self):  # Box-Muller\n"
    "        u1 = 1.0 - self.uniform()\n"
    "        u2 = self.uniform()\n"
    "        return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * u2)\n\n"
    "def layerlab_linear(fan_in, fan_out, seed, bias=True):\n"
    "    \"\"\"nn.Linear with PyTorch's default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from LayerLab's seed.\"\"\"\n"
    "    lin, rng, bound = nn.Linear(fan_in, fan_out, bias=bias), LayerLabRng(seed), 1.0 / math.sqrt(fan_in)\n"
    "    w = [rng.uniform(-bound, bound) for _ in range(fan_out * fan_in)]\n"
    "    with torch.no_grad():\n"
    "        lin.weight.copy_(torch.tensor(w).reshape(fan_out, fan_in))\n"
    "        if bias:\n"
    "            lin.bias.copy_(torch.tensor([rng.uniform(-bound, bound) for _ in range(fan_out)]))\n"
    "    return lin\n\n";

// The shortest text Python reads back as exactly `v` (the gain is a double).
std::string double_text(double v) { return ll::shortest_text(v); }

std::string shape_args(const ll::Shape& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out;
}


// "0, 1, 2, 3": the index of flat element `flat` of a tensor of `shape`.
std::string index_at(const ll::Shape& shape, int64_t flat) {
  std::string at;
  for (size_t d = shape.size(), rest = static_cast<size_t>(flat); d-- > 0; rest /= static_cast<size_t>(shape[d]))
    at = std::to_string(rest % static_cast<size_t>(shape[d])) + (at.empty() ? "" : ", ") + at;
  return at;
}

// "x[0, 1, 2, 3] = 0.5" for each hand-edited cell (flat index into `shape`) that lies inside it.
std::string cell_lines(const char* name, const ll::Shape& shape, const std::map<int64_t, float>& edits) {
  if (shape.empty()) return "";
  const int64_t numel = std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
  std::string code;
  int shown = 0;
  for (const auto& [i, v] : edits) {
    if (i >= numel) continue;
    if (++shown > 64) {
      code += "# ... " + std::to_string(edits.size() - 64) + " more hand-edited cells\n";
      break;
    }
    code += std::string(name) + "[" + index_at(shape, i) + "] = " + py_float(v) + "\n";
  }
  return code;
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
      code += kLayerLabRand;
      code += "x = layerlab_rand(" + std::to_string(in.seed) + ", " + nchw + ")\n";
      break;
  }
  return code + cell_lines("x", shape, in.edits);
}

// grad_output as the generator makes it, then the hand-edited cells.
std::string grad_code(const AppState& s, const char* like) {
  const ll::Shape& shape = s.result.grad_output.shape;
  const std::string edits = cell_lines("grad_output", shape, s.input.grad_edits);
  if (s.input.grad == GradGen::ONES) return std::string("grad_output = torch.ones_like(") + like + ")\n" + edits;
  if (s.input.grad == GradGen::ONE_HOT) {  // the 1 where the core put it
    InputParams generated = s.input;
    generated.grad_edits.clear();
    const ll::Tensor g = make_grad_output(shape, generated, one_hot_cell(s));
    const auto hot = std::find(g.data.begin(), g.data.end(), 1.0f) - g.data.begin();
    return std::string("grad_output = torch.zeros_like(") + like + ")\ngrad_output[" + index_at(shape, hot) +
           "] = 1   # one-hot: the pinned cell\n" + edits;
  }
  if (s.result.valid && !s.result.grad_output.data.empty() && s.result.grad_output.numel() <= kLiteralMax &&
      s.error.empty())
    return "grad_output = " + literal(s.result.grad_output, "              ") + "\n";
  const InputParams& in = s.input;
  const bool defined = in.gen == InputGen::RANDOM && static_cast<int64_t>(in.n) * in.c * in.h * in.w > kLiteralMax;
  const std::string def = defined ? "" : kLayerLabRand;  // input_code wrote it already
  return def + "grad_output = layerlab_rand(" + std::to_string(static_cast<uint64_t>(s.input.seed) + 1) + ", *" + like +
         ".shape, lo=-1.0, hi=1.0)\n" + edits;
}

// The activation lab's module call: nn.Sigmoid() ... nn.RReLU(lower, upper).
std::string activation_module(const ActivationLab& a) {
  nlohmann::json kw = nlohmann::json::object();
  if (a.layer == ActLayer::LEAKY_RELU) kw["negative_slope"] = a.negative_slope;
  if (a.layer == ActLayer::PRELU) kw["num_parameters"] = a.num_parameters, kw["init"] = a.init;
  if (a.layer == ActLayer::RRELU) kw["lower"] = a.lower, kw["upper"] = a.upper;
  if (a.layer == ActLayer::GENERIC) return module_call(act_name(a), generic_act_params(a));
  return module_call(act_layer_name(a.layer), kw);
}

// The backward the labs show, with ones as grad_output, and the prints.
std::string backward_ones(const char* grads) {
  return std::string("\nout.backward(torch.ones_like(out))\nprint(out)\n") + grads;
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
    code += "out = unpool(pooled, indices, output_size=x.shape)\n";
    code += "print(indices)\nprint(out)              # the reconstruction\n\n";
    code += grad_code(s, "out");
    code += "out.backward(grad_output)\nprint(pooled.grad)      # grad_input: a gather at the indices\n";
    return code;
  }
  code += "x.requires_grad_(True)\n\n";
  const bool max = s.layer == PoolLayer::MAX_POOL2D;
  code += "pool = " + module_call(layer_name(s.layer), keywords) + "\n";
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

std::string activation_code(const AppState& s) {
  if (is_dimwise(s.act)) return dimwise_code(s);
  if (s.lab_result.act_input.data.empty()) return std::string();  // not computed yet
  const ActivationLab& a = s.act;
  const LabResult& r = s.lab_result;
  std::string code = "import torch\nimport torch.nn as nn\n\n";
  code += std::string("# the lab's input: ") + (a.random_input ? "seeded values" : "a ramp") + " over [xmin, xmax] = [" +
          py_float(a.xmin) + ", " + py_float(a.xmax) + "]\n";
  code += "x = " + literal(r.act_input, "    ") + "\n";
  code += "x.requires_grad_(True)\n\n";
  code += "act = " + activation_module(a) + "\n";
  if (a.layer == ActLayer::PRELU && static_cast<double>(a.fit_slope) != static_cast<double>(static_cast<float>(a.init))) {
    code += "with torch.no_grad():\n    act.weight.fill_(" + py_float(a.fit_slope) + ")   # the weight SGD learned\n";
  }
  if (a.layer == ActLayer::RRELU && a.training) {
    code += "act.train()   # slopes sampled in [lower, upper): torch's noise is not LayerLab's seeded one\n";
  } else if (a.layer == ActLayer::RRELU) {
    code += "act.eval()    # the slope (lower + upper) / 2\n";
  }
  code += "out = act(x)\n";
  return code + backward_ones("print(x.grad)           # grad_input\n");
}

// The Linear lab's collapse demo: `depth` stacked Linear layers (LayerLab's seeded
// init) and the one Linear they equal, W = W_k ... W_1, b = W_k(...(W_2 b_1 + b_2)...) + b_k.
std::string collapse_code(const LinearLab& l) {
  std::vector<int> sizes{l.in_features};
  for (int i = 1; i < l.depth; ++i) sizes.push_back(l.hidden);
  sizes.push_back(l.out_features);
  const std::string seed = std::to_string(static_cast<uint64_t>(l.seed) * 7919 + 17);
  const std::string act = l.activation == StackAct::NONE ? "" : std::string("nn.") + stack_act_name(l.activation) + "()";
  std::string code = "\n# The collapse demo: " + std::to_string(l.depth) + " stacked nn.Linear layers" +
                     (act.empty() ? " with nothing between them" : " with " + act + " between them") + "\n";
  code += "import math\n\n";
  code += kLayerLabRng;
  code += "layers = []\n";
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    if (i > 0 && !act.empty()) code += "layers.append(" + act + ")\n";
    code += "layers.append(layerlab_linear(" + std::to_string(sizes[i]) + ", " + std::to_string(sizes[i + 1]) +
            ", seed=" + seed + " * " + kLayerStride + " + " + std::to_string(i) + (l.bias ? "" : ", bias=False") + "))\n";
  }
  code += "stack = nn.Sequential(*layers)\n";
  code += "W, b = torch.eye(" + std::to_string(l.in_features) + ", dtype=torch.float64), torch.zeros(" +
          std::to_string(l.in_features) + ", dtype=torch.float64)\n";
  code += "for lin in stack[::" + std::string(act.empty() ? "1" : "2") + "]:   # the Linear layers, first first\n";
  code += "    W, b = lin.weight.double() @ W, lin.weight.double() @ b" + std::string(l.bias ? " + lin.bias.double()" : "") + "\n";
  code += "fused = nn.Linear(" + std::to_string(l.in_features) + ", " + std::to_string(l.out_features) + ")\n";
  code += "with torch.no_grad():\n    fused.weight.copy_(W.float())\n    fused.bias.copy_(b.float())\n";
  code += "rng = LayerLabRng(" + std::to_string(static_cast<uint64_t>(l.seed) + 2) + ")\n";
  code += "x2 = torch.tensor([rng.uniform(-1.0, 1.0) for _ in range(" + std::to_string(16 * l.in_features) +
          ")]).reshape(16, " + std::to_string(l.in_features) + ")\n";
  code += "with torch.no_grad():\n";
  code += "    collapse_max_abs_diff = (stack(x2) - fused(x2)).abs().max().item()\n";
  code += "fused_rank = torch.linalg.matrix_rank(W).item()\n";
  code += "print('max |stack(x) - fused(x)|', collapse_max_abs_diff)   # float32 rounding" +
          std::string(act.empty() ? ": the stack is one Linear" : "? no: the activation breaks the collapse") + "\n";
  code += "print('rank of W', fused_rank)\n";
  return code;
}

std::string linear_code(const AppState& s) {
  if (s.lab_result.lin_weight.data.empty()) return std::string();  // not computed yet
  const LinearLab& l = s.lin;
  const LabResult& r = s.lab_result;
  nlohmann::json kw = {{"in_features", l.in_features}, {"out_features", l.out_features}, {"bias", l.bias}};
  std::string code = "import torch\nimport torch.nn as nn\n\n";
  code += "lin = " + module_call("Linear", kw) + "\n";
  code += "with torch.no_grad():   # the lab's weights (PyTorch's init from LayerLab's seed, and cells typed in)\n";
  code += "    lin.weight.copy_(" + literal(r.lin_weight, "                     ") + ")\n";
  if (l.bias) code += "    lin.bias.copy_(" + literal(r.lin_bias, "                   ") + ")\n";
  code += "\nx = " + literal(r.lin_input, "    ") + "\n";
  code += "x.requires_grad_(True)\nout = lin(x)\n";
  code += backward_ones(l.bias ? "print(x.grad)           # grad_input\nprint(lin.weight.grad)\nprint(lin.bias.grad)\n"
                               : "print(x.grad)           # grad_input\nprint(lin.weight.grad)\n");
  return code + collapse_code(l);
}

// The gradient lab's init as Python: the weight of one layer from `rng`, as torch.nn.init
// draws it (Stack::build); empty for PyTorch's default init at gain 1.
std::string init_code(const GradientLab& g) {
  const std::string gain = double_text(g.gain);
  const char* head = "        fan_out, fan_in = lin.weight.shape\n";
  switch (g.init) {
    case InitScheme::XAVIER_UNIFORM:
      return std::string("        # nn.init.xavier_uniform_(lin.weight, gain=") + gain + "); nn.init.zeros_(lin.bias)\n" + head +
             "        a = " + gain + " * math.sqrt(6.0 / (fan_in + fan_out))\n"
             "        w = [init_rng.uniform(-a, a) for _ in range(fan_out * fan_in)]\n";
    case InitScheme::KAIMING_UNIFORM:
      return std::string("        # nn.init.kaiming_uniform_(lin.weight, nonlinearity='relu') * ") + gain + "; zeros_(lin.bias)\n" +
             head + "        a = math.sqrt(6.0 / fan_in)\n"
             "        w = [" + gain + " * init_rng.uniform(-a, a) for _ in range(fan_out * fan_in)]\n";
    case InitScheme::KAIMING_NORMAL:
      return std::string("        # nn.init.kaiming_normal_(lin.weight, nonlinearity='relu') * ") + gain + "; zeros_(lin.bias)\n" +
             head + "        std = " + gain + " * math.sqrt(2.0 / fan_in)\n"
             "        w = [std * init_rng.normal() for _ in range(fan_out * fan_in)]\n";
    case InitScheme::NORMAL:
      return std::string("        # nn.init.normal_(lin.weight, 0, ") + gain + "); nn.init.zeros_(lin.bias)\n" + head +
             "        w = [" + gain + " * init_rng.normal() for _ in range(fan_out * fan_in)]\n";
    case InitScheme::DEFAULT:
    case InitScheme::COUNT:
      break;
  }
  return g.gain == 1.0 ? "" : "        w = (lin.weight.double() * " + gain + ").float()   # PyTorch's init, times gain\n";
}

// The activation module of a stack ("nn.Identity()" for none).
std::string stack_module(StackAct a) {
  return a == StackAct::NONE ? "nn.Identity()" : std::string("nn.") + stack_act_name(a) + "()";
}

// The deep stack: depth x (Linear(width, width), activation), loss = out.mean(),
// and each block's input gradient norm, for the chosen activation and the compared ones.
std::string gradient_code(const AppState& s) {
  const GradientLab& g = s.grad;
  const std::string seed = std::to_string(g.seed), width = std::to_string(g.width);
  std::string code = "import copy\nimport math\nimport torch\nimport torch.nn as nn\n\n";
  code += kLayerLabRng;
  code += "# " + std::to_string(g.depth) + " blocks of nn.Linear(" + width + ", " + width + ") + activation, init=" +
          init_name(g.init) + ", gain=" + double_text(g.gain) + "\n";
  code += "init_rng = LayerLabRng(" + seed + " * 31 + 7)\nlinears = []\n";
  code += "for i in range(" + std::to_string(g.depth) + "):\n";
  code += "    lin = layerlab_linear(" + width + ", " + width + ", seed=" + seed + " * " + kLayerStride + " + i)\n";
  const std::string init = init_code(g);
  if (!init.empty()) {
    code += "    with torch.no_grad():\n" + init;
    code += g.init == InitScheme::DEFAULT ? "        lin.weight.copy_(w)\n"
                                          : "        lin.weight.copy_(torch.tensor(w).reshape(fan_out, fan_in))\n"
                                            "        lin.bias.zero_()\n";
  }
  code += "    linears.append(lin)\n\n";
  code += "rng = LayerLabRng(" + seed + " + 1)\n";
  code += "x = torch.tensor([rng.normal() for _ in range(" + std::to_string(g.batch * g.width) + ")]).reshape(" +
          std::to_string(g.batch) + ", " + width + ")\n\n";
  code += "def run(act):\n"
          "    \"\"\"The stack with `act` after every Linear; loss = out.mean(); each block's input gradient norm.\"\"\"\n"
          "    h, inputs = x.clone().requires_grad_(True), []\n"
          "    for lin in copy.deepcopy(linears):\n"
          "        h.retain_grad()\n"
          "        inputs.append(h)\n"
          "        h = act(lin(h))\n"
          "    h.mean().backward()\n"
          "    return h, [t.grad.double().norm().item() for t in inputs]\n\n";
  for (int i = 1; i < stack_act_count(); ++i) {
    const auto act = static_cast<StackAct>(i);
    if (act == g.activation || !(g.compare & act_bit(act))) continue;
    code += std::string("print('") + stack_act_name(act) + "', run(" + stack_module(act) + ")[1])\n";
  }
  code += "out, grad_norms = run(" + stack_module(g.activation) + ")\n";
  code += "print('grad_norms', grad_norms)   # first block first\n";
  code += "print('first / last', grad_norms[0] / grad_norms[-1])\n";
  return code;
}

// The train lab: its dataset and MLP from LayerLab's seed, BCEWithLogitsLoss and
// plain SGD for as many steps as the lab has run.
std::string train_code(const AppState& s) {
  const TrainLab& t = s.train;
  const std::string seed = std::to_string(t.seed), hidden = std::to_string(t.hidden);
  std::string code = "import math\nimport torch\nimport torch.nn as nn\n\n";
  code += kLayerLabRng;
  code += "# the lab's data: 2 classes x 100 points (" + std::string(dataset_name(t.dataset)) + ")\n";
  code += "rng, points, labels = LayerLabRng(" + seed + " * " + std::to_string(ll::kDatasetSeedStride) + " + " + std::to_string(ll::kDatasetSeedOffset) + "), [], []\n";
  code += "for c in range(2):\n    for i in range(100):\n";
  switch (t.dataset) {
    case Dataset::SPIRALS:
      code += "        t = i / 100\n"
              "        r, angle = 0.1 + 1.3 * t, 3.5 * t * 3.14159265358979 + c * 3.14159265358979\n"
              "        px = r * math.cos(angle) + rng.normal() * 0.04\n"
              "        py = r * math.sin(angle) + rng.normal() * 0.04\n"
              "        label = c\n";
      break;
    case Dataset::CIRCLES:
      code += "        r = rng.uniform(0.0, 0.55) if c == 1 else rng.uniform(0.9, 1.35)\n"
              "        angle = rng.uniform(0.0, 6.283185307179586)\n"
              "        px, py, label = r * math.cos(angle), r * math.sin(angle), c\n";
      break;
    case Dataset::XOR:
      code += "        px = rng.uniform(-1.3, 1.3)\n"
              "        py = rng.uniform(-1.3, 1.3)\n"
              "        label = 1 if px * py > 0 else 0\n";
      break;
    case Dataset::COUNT:
      break;
  }
  code += "        points.append([px, py])\n        labels.append([float(label)])\n";
  code += "x, y = torch.tensor(points), torch.tensor(labels)\n\n";
  const std::string act = stack_module(t.activation);
  code += "model = nn.Sequential(layerlab_linear(2, " + hidden + ", seed=" + seed + " * " + kLayerStride + "), " + act +
          ",\n                      layerlab_linear(" + hidden + ", " + hidden + ", seed=" + seed + " * " + kLayerStride + " + 1), " +
          act + ",\n                      layerlab_linear(" + hidden + ", 1, seed=" + seed + " * " + kLayerStride + " + 2))\n";
  code += "loss_fn = nn.BCEWithLogitsLoss()\nlr = " + py_float(t.lr) + "\n";
  const int steps = s.train_run ? s.train_run->step : 0;
  code += "for step in range(" + std::to_string(steps) + "):   # the steps the lab has run\n"
          "    model.zero_grad()\n"
          "    loss_fn(model(x), y).backward()\n"
          "    with torch.no_grad():   # plain SGD: p -= lr * p.grad\n"
          "        for p in model.parameters():\n"
          "            p -= lr * p.grad\n\n";
  code += "out = model(x)   # the logits\nloss = loss_fn(out, y).item()\n";
  code += "print('loss', loss, 'accuracy', ((out > 0) == (y > 0.5)).float().mean().item())\n";
  return code;
}

std::string lab_code(const AppState& s) { return lab_def(s.lab).code(s); }

namespace {

std::string dims_text(const ll::Shape& shape) {  // "1×1×8×8"
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "×" : "") + std::to_string(shape[i]);
  return out;
}

// nn.Linear(a, b), act, nn.Linear(b, c), ... for the gradient and train labs' stacks.
std::string stack_text(const std::vector<int>& sizes, StackAct act) {
  std::string out;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    if (i) out += ", ";
    out += "nn.Linear(" + std::to_string(sizes[i]) + ", " + std::to_string(sizes[i + 1]) + ")";
    if (i + 2 < sizes.size() && act != StackAct::NONE) out += std::string(", nn.") + stack_act_name(act) + "()";
  }
  return out;
}

}  // namespace

std::string print_caption(const AppState& s) {
  const LabResult& r = s.lab_result;
  switch (s.lab) {
    case Lab::POOL: {
      const nlohmann::json keywords = pool_keywords(s.layer, s.params);
      std::string module = module_call(layer_name(s.layer), keywords);
      if (s.layer == PoolLayer::MAX_UNPOOL2D) {
        nlohmann::json pool_kw = keywords;
        pool_kw["return_indices"] = true;
        module = module_call("MaxPool2d", pool_kw) + " → " + module;
      }
      return module + " · input " + dims_text({s.input.n, s.input.c, s.input.h, s.input.w});
    }
    case Lab::ACTIVATION:
      return activation_module(s.act) + (r.act_input.data.empty() ? "" : " · input " + dims_text(r.act_input.shape));
    case Lab::LINEAR: {
      const LinearLab& l = s.lin;
      const nlohmann::json kw = {{"in_features", l.in_features}, {"out_features", l.out_features}, {"bias", l.bias}};
      return module_call("Linear", kw) + " · input " + dims_text({l.batch, l.in_features});
    }
    case Lab::GRADIENT: {
      const GradientLab& g = s.grad;
      std::string act = g.activation == StackAct::NONE ? "" : std::string(", nn.") + stack_act_name(g.activation) + "()";
      return "nn.Sequential(" + std::to_string(g.depth) + " × [nn.Linear(" + std::to_string(g.width) + ", " +
             std::to_string(g.width) + ")" + act + "]) · init=" + init_name(g.init) + ", gain=" +
             py_float(static_cast<float>(g.gain)) + " · input " + dims_text({g.batch, g.width});
    }
    case Lab::TRAIN: {
      const TrainLab& t = s.train;
      std::string caption = "nn.Sequential(" + stack_text({2, t.hidden, t.hidden, 1}, t.activation) +
                            ") · nn.BCEWithLogitsLoss(), lr=" + py_float(t.lr);
      if (s.train_run) caption += " · input " + dims_text(s.train_run->points.shape);
      return caption;
    }
  }
  return std::string();  // not reached: every lab returns above
}

void ShowCodePanel(AppState& s) {
  if (quiz_pending(s)) {  // the formula and the code would answer the question
    ImGui::TextDisabled("%s", tr(STR_QUIZ_FIRST));
    return;
  }
  static std::string code, code_key;
  // Rebuild only when the state changed: the hash covers everything the code shows.
  const std::string key = to_hash(s) + "#" + std::to_string(s.result.version) + "#" +
                          std::to_string(s.lab_result.version) + "#" +
                          std::to_string(s.train_run ? s.train_run->step : 0);
  if (key != code_key) {
    code = lab_code(s);
    code_key = key;
  }
  if (ImGui::Button(tr(STR_COPY))) {
    ImGui::SetClipboardText(code.c_str());
    s.copied_time = ImGui::GetTime();
  }
  if (ImGui::GetTime() - s.copied_time < 2.0) {
    ImGui::SameLine();
    ImGui::TextColored(palette().ok, "%s", tr(STR_COPIED));
  }
  // In a scrolled column the code is as tall as its text; in a fixed panel it fills it.
  ImGui::BeginChild("code", ImVec2(0, 0), ImGuiChildFlags_Border | (s.layout.compact ? ImGuiChildFlags_AutoResizeY : 0),
                    ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushStyleColor(ImGuiCol_Text, palette().code_text);
  ImGui::TextUnformatted(code.c_str(), code.c_str() + code.size());
  ImGui::PopStyleColor();
  ImGui::EndChild();
}

}  // namespace app

// The app's logic without a browser or a window: src/app linked with ImGui's core
// alone. A failure names the function and the state, where the Chromium suites
// could only say that a page differed.
//
//   CodeGoldens  state().code of each state of tests/golden/code/cases.json is the
//                script PyTorch 1.13 ran, and the core's output (save_npy) and the
//                lab's metrics are what it printed
//   HashKeys     every key of every lab survives load_hash -> to_hash -> load_hash
//   LabMetrics   the numbers a lab reports, against what the lesson says of them
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/hash_state.h"
#include "app/labs.h"
#include "app/texture.h"
#include "app/user_data.h"
#include "core/elementwise_desc.h"
#include "core/spec.h"
#include "imgui.h"

// The platform's textures (src/platform), of which headless tests draw none.
namespace app {
void* texture_update(void* texture, const uint32_t*, int, int) { return texture ? texture : reinterpret_cast<void*>(1); }
void texture_delete(void*) {}
}  // namespace app

namespace {

using nlohmann::json;

// An ImGui context for the duration of a test (the panels' helpers ask it for the time and the font).
class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGui::GetIO().Fonts->Build();
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // A state opened from `hash` with its queued steps run and its result computed, as a page shows it.
  static app::AppState opened(const std::string& hash) {
    app::AppState s;
    app::load_hash(s, hash);
    for (int i = 0; i < 1000; ++i) {
      app::ensure_computed(s);
      if (s.act.pending_steps <= 0 && s.train.pending_steps <= 0) break;
      app::run_pending_steps(s, 1e6);
    }
    app::ensure_computed(s);
    return s;
  }
};

// The float32 values of a little-endian .npy (v1.0 header, '<f4').
std::vector<float> npy_floats(const std::string& bytes) {
  const size_t header = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  EXPECT_NE(bytes.find("'descr': '<f4'"), std::string::npos);
  std::vector<float> out((bytes.size() - 10 - header) / 4);
  std::memcpy(out.data(), bytes.data() + 10 + header, out.size() * 4);
  return out;
}

json load_code_goldens() {
  std::ifstream in(LL_CODE_GOLDENS);
  return json::parse(in);
}

TEST_F(AppTest, CodeGoldens) {
  const json cases = load_code_goldens();
  ASSERT_GE(cases.size(), 30u);
  for (const json& c : cases) {
    const std::string hash = c["hash"];
    SCOPED_TRACE(hash);
    app::AppState s = opened(hash);
    const json st = json::parse(app::state_json(s));
    ASSERT_TRUE(st["error"].is_null()) << st["error"];
    EXPECT_EQ(st["code"].get<std::string>(), c["code"].get<std::string>());
    const bool metric_lab = hash.find("lab=gradient") != std::string::npos || hash.find("lab=train") != std::string::npos;
    if (!metric_lab) {  // the script's `out`, from the core: the unpooled tensor for MaxUnpool2d
      const std::string which = hash.find("layer=MaxUnpool2d") != std::string::npos ? "unpooled" : "output";
      const std::vector<float> got = npy_floats(app::save_npy(s, which));
      ASSERT_EQ(got.size(), c["output"].size());
      for (size_t i = 0; i < got.size(); ++i) {
        const double want = c["output"][i].get<double>();
        EXPECT_LE(std::fabs(got[i] - want), 1e-5 + 1e-5 * std::fabs(want)) << which << "[" << i << "]";
      }
    }
    if (!c.contains("metrics")) continue;
    for (const auto& [name, value] : c["metrics"].items()) {  // relative: a vanishing stack's norms are tiny
      const json want = value.is_array() ? value : json::array({value});
      const json got = st["metrics"][name].is_array() ? st["metrics"][name] : json::array({st["metrics"][name]});
      ASSERT_EQ(got.size(), want.size()) << name;
      for (size_t i = 0; i < want.size(); ++i) {
        const double w = want[i].get<double>(), g = got[i].get<double>();
        EXPECT_LE(std::fabs(g - w), 1e-4 * std::fabs(w)) << name << "[" << i << "]";
      }
    }
  }
}

// Each lab's keys with values other than their defaults: what to_hash writes of
// them must read back to the same state (to_hash is the state's one serialisation).
const char* const kEveryKey[] = {
    "layer=MaxPool2d&kernel_size=3,2&stride=2,1&padding=1,0&dilation=2,1&ceil_mode=1&return_indices=1&input=random"
    "&n=2&c=3&h=11&w=9&seed=7&lang=zh&grad=random&cells=0:9,5:-2.5&grad_cells=1:-2.5&pin=output:0,1,1,2&plane=1,2"
    "&theme=light&quiz=shape&lock=kernel_size,stride",
    "layer=AvgPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&count_include_pad=0&divisor_override=4"
    "&input=checkerboard&h=7&w=7&grad=onehot",
    "layer=MaxUnpool2d&kernel_size=2&stride=2&padding=0&input=gradient&h=8&w=8&theme=dark",
    "lab=activation&layer=LeakyReLU&negative_slope=0.2&xmin=-3&xmax=4&compare=Tanh,ReLU&input=random&seed=4",
    "lab=activation&layer=PReLU&num_parameters=3&init=0.1&lr=0.05&target_slope=0.3",
    "lab=activation&layer=RReLU&lower=0.1&upper=0.4&training=1&seed=9",
    "lab=activation&layer=GELU&approximate=tanh&xmin=-4&xmax=4",
    "lab=activation&layer=Threshold&threshold=0.5&value=-1&inplace=1",
    "lab=activation&layer=Softmax&dim=1&logits=3,-1.5,0.25&temperature=0.5",
    "lab=linear&in_features=7&out_features=5&bias=0&n=4&seed=9&cells=0:1.5,4:-2&depth=4&hidden=2&activation=ReLU",
    "lab=gradient&depth=8&width=16&activation=Tanh&init=xavier_uniform&gain=2&n=8&seed=5&compare=Sigmoid,ReLU",
    "lab=train&dataset=spirals&hidden=8&activation=ReLU&lr=0.1&seed=3&speed=10",
};

TEST_F(AppTest, HashKeys) {
  for (const char* hash : kEveryKey) {
    SCOPED_TRACE(hash);
    app::AppState a;
    app::load_hash(a, hash);
    const std::string written = app::to_hash(a);
    app::AppState b;
    app::load_hash(b, written);
    EXPECT_EQ(app::to_hash(b), written);
    // Every key given (but the view's defaults the writer leaves out) is in what was written, with its value.
    for (std::string_view rest = hash; !rest.empty();) {
      const size_t amp = rest.find('&');
      const std::string_view kv = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      const std::string key(kv.substr(0, kv.find('=')));
      if (key == "theme" && kv == "theme=dark") continue;  // the default
      EXPECT_NE(("&" + written + "&").find("&" + std::string(kv) + "&"), std::string::npos)
          << "'" << kv << "' not written back: " << written;
    }
  }
}

TEST_F(AppTest, LabMetrics) {
  // Stacked Linear layers without an activation collapse into one: the fused layer gives the same output.
  json m = json::parse(app::state_json(opened("lab=linear&depth=4&hidden=2&in_features=5&out_features=4")))["metrics"];
  EXPECT_LT(m["collapse_max_abs_diff"].get<double>(), 1e-5);
  EXPECT_LE(m["fused_rank"].get<int>(), 2);  // through a width-2 layer: rank at most 2
  // Sigmoid in a deep stack with PyTorch's default init: the gradient vanishes toward the first layer.
  m = json::parse(app::state_json(opened("lab=gradient&depth=20&activation=Sigmoid")))["metrics"];
  ASSERT_EQ(m["grad_norms"].size(), 20u);
  EXPECT_LT(m["grad_norms"][0].get<double>(), m["grad_norms"][19].get<double>() * 1e-3);
  EXPECT_EQ(m["verdict"], "vanishing");
  // The activation lab's derivative_max: Sigmoid's is 1/4, at 0.
  m = json::parse(app::state_json(opened("lab=activation&layer=Sigmoid")))["metrics"];
  EXPECT_NEAR(m["derivative_max"].get<double>(), 0.25, 1e-6);
}

// Every element-wise activation of the core is in the activation lab with no app
// code of its own: its curve, its keywords in the hash and its PyTorch call.
TEST_F(AppTest, EveryElementwiseActivationInTheLab) {
  int shown = 0;
  for (const ll::ElementwiseDesc& e : ll::elementwise_descs()) {
    std::string hash = std::string("lab=activation&layer=") + e.layer.name;
    for (const ll::ParamDesc& p : e.layer.params)
      if (p.required()) hash += std::string("&") + p.name + "=0.5";
    SCOPED_TRACE(hash);
    const json st = json::parse(app::state_json(opened(hash)));
    ASSERT_TRUE(st["error"].is_null()) << st["error"];
    EXPECT_EQ(st["layer"], e.layer.name);
    // f(-1), f(0), f(1) from the drawn curve are the core's own values for those inputs.
    const json want = ll::eval_spec({{"layer", e.layer.name}, {"params", st["params"]},
                                     {"input", {{"shape", {3}}, {"data", {-1.0, 0.0, 1.0}}}}});
    ASSERT_FALSE(want.contains("error")) << want;
    const auto f32 = [](const json& v) { return static_cast<float>(v.get<double>()); };  // the same float32
    EXPECT_EQ(f32(st["metrics"]["curve_at"]["-1"]), f32(want["output"]["data"][0]));
    EXPECT_EQ(f32(st["metrics"]["curve_at"]["1"]), f32(want["output"]["data"][2]));
    EXPECT_NE(st["code"].get<std::string>().find(std::string("nn.") + e.layer.name + "("), std::string::npos);
    ++shown;
  }
  EXPECT_GE(shown, 17);
  // GELU's approximate='tanh' reaches the core, the code and the hash.
  app::AppState s = opened("lab=activation&layer=gelu&approximate=tanh");
  EXPECT_EQ(app::to_hash(s).find("layer=GELU&approximate=tanh") != std::string::npos, true) << app::to_hash(s);
  const json st = json::parse(app::state_json(s));
  EXPECT_NE(st["code"].get<std::string>().find("nn.GELU(approximate='tanh')"), std::string::npos);
  EXPECT_NEAR(st["metrics"]["curve_at"]["1"].get<double>(), 0.8411920070648193, 1e-7);  // 0.5(1 + tanh(0.79788(1 + 0.044715)))
  // A keyword PyTorch rejects is the core's error, naming the layer, and the lab keeps going.
  const json bad = json::parse(app::state_json(opened("lab=activation&layer=GELU&approximate=fast")));
  ASSERT_TRUE(bad["error"].is_string());
  EXPECT_NE(bad["error"].get<std::string>().find("GELU"), std::string::npos);
}

// The modules along a dimension in the activation lab: the output and the Jacobian
// are the core's (checked here against Softmax's own formulas), dim=None gives
// PyTorch 1.13's warning, LogSoftmax stays finite where log(softmax) is -inf, and
// GLU's odd size is the core's error.
TEST_F(AppTest, SoftmaxViewFromTheCore) {
  json st = json::parse(app::state_json(opened("lab=activation&layer=Softmax&logits=2,1,0.1,-1&temperature=0.5")));
  ASSERT_TRUE(st["error"].is_null()) << st["error"];
  const json& m = st["metrics"];
  ASSERT_EQ(m["output"].size(), 4u);
  std::vector<double> p;
  double sum = 0, denom = 0;
  for (double z : {2.0, 1.0, 0.1, -1.0}) denom += std::exp(z / 0.5);
  for (size_t i = 0; i < 4; ++i) {
    p.push_back(m["output"][i].get<double>());
    sum += p.back();
    EXPECT_NEAR(p[i], std::exp(std::vector<double>{2.0, 1.0, 0.1, -1.0}[i] / 0.5) / denom, 1e-6);
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
  for (size_t i = 0; i < 4; ++i)  // diag(p) - p p^T
    for (size_t j = 0; j < 4; ++j)
      EXPECT_NEAR(m["jacobian"][i * 4 + j].get<double>(), (i == j ? p[i] : 0.0) - p[i] * p[j], 1e-6);
  EXPECT_NE(m["warning"].get<std::string>().find("Implicit dimension choice for softmax"), std::string::npos);
  EXPECT_EQ(m["large_logits_naive_log"][1], "-Infinity");
  EXPECT_NEAR(m["large_logits_log_softmax"][1].get<double>(), -1000.0, 1e-3);
  EXPECT_NE(st["code"].get<std::string>().find("nn.Softmax()"), std::string::npos);
  EXPECT_NE(st["code"].get<std::string>().find("torch.log_softmax(big, dim=1)"), std::string::npos);

  st = json::parse(app::state_json(opened("lab=activation&layer=Softmax&dim=1")));
  EXPECT_EQ(st["metrics"]["warning"], "");
  EXPECT_NE(st["code"].get<std::string>().find("nn.Softmax(dim=1)"), std::string::npos);

  st = json::parse(app::state_json(opened("lab=activation&layer=GLU&logits=1,2,-1,0,3,-2")));
  ASSERT_TRUE(st["error"].is_null()) << st["error"];
  EXPECT_NEAR(st["metrics"]["output"][0].get<double>(), 1.0 / (1.0 + std::exp(0.0)), 1e-6);  // 1 * sigmoid(0)
  st = json::parse(app::state_json(opened("lab=activation&layer=GLU&logits=1,2,3")));
  ASSERT_TRUE(st["error"].is_string());
  EXPECT_NE(st["error"].get<std::string>().find("GLU"), std::string::npos);
}

// The stacks (Linear lab's collapse, gradient lab, train lab) take the core's
// keyword-free element-wise activations too, at PyTorch's defaults.
TEST_F(AppTest, StacksTakeTheCoresActivations) {
  ASSERT_LE(app::stack_act_count(), 32);  // GradientLab::compare is a 32-bit set
  ASSERT_GE(app::stack_act_count(), static_cast<int>(app::StackAct::COUNT) + 16);
  json m = json::parse(app::state_json(opened("lab=gradient&depth=12&activation=GELU&compare=SiLU,SELU")))["metrics"];
  ASSERT_EQ(m["grad_norms"].size(), 12u);
  EXPECT_EQ(m["activation"], "GELU");
  EXPECT_TRUE(m["compare_grad_norms"].contains("SiLU")) << m["compare_grad_norms"].dump();
  EXPECT_TRUE(m["compare_grad_norms"].contains("SELU"));
  const json st = json::parse(app::state_json(opened("lab=train&activation=Mish&steps=5")));
  ASSERT_TRUE(st["error"].is_null()) << st["error"];
  EXPECT_NE(st["code"].get<std::string>().find("nn.Mish()"), std::string::npos);
  EXPECT_EQ(st["metrics"]["step"], 5);
}

}  // namespace

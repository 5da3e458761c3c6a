// The JSON spec: schema, errors and exit codes of CONTRACT section 2.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/layer_desc.h"
#include "core/spec.h"
#include "core/spec_run.h"

using nlohmann::json;

namespace {

json eval(const std::string& text) { return json::parse(ll::eval_json_text(text).text); }

}  // namespace

TEST(Spec, NonFiniteValuesAreStringsBothWays) {
  const json r = eval(R"({"layer":"ReLU","input":{"shape":[3],"data":["NaN","Infinity","-Infinity"]}})");
  EXPECT_EQ(r["output"]["data"], json::parse(R"(["NaN","Infinity",0.0])"));
}

TEST(Spec, FloatsPrintShortestRoundTrip) {
  const json r = eval(R"({"layer":"LeakyReLU","params":{"negative_slope":0.1},"input":{"shape":[1],"data":[-3]}})");
  EXPECT_EQ(r["output"]["data"][0].dump(), "-0.3");
}

TEST(Spec, ExitCodes) {
  EXPECT_EQ(ll::eval_json_text(R"({"layer":"ReLU","input":{"shape":[],"data":[1]}})").exit_code, 0);
  EXPECT_EQ(ll::eval_json_text(R"({"layer":"Nope","input":{"shape":[],"data":[1]}})").exit_code, 1);
  EXPECT_EQ(ll::eval_json_text(R"({"layer":)").exit_code, 2);
  EXPECT_EQ(ll::eval_json_text(R"([{"layer":"Nope"}, {"layer":"ReLU","input":{"shape":[],"data":[1]}}])").exit_code, 0);
  EXPECT_EQ(ll::eval_json_text(std::string(100, '[') + std::string(100, ']')).exit_code, 2);
  // A key twice in one object is ambiguous: rejected, naming the key.
  const ll::EvalOutput dup = ll::eval_json_text(R"({"layer":"ReLU","layer":"Tanh","input":{"shape":[],"data":[1]}})");
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_EQ(json::parse(dup.text)["error"], "malformed spec: the key \"layer\" appears twice in one object");
  EXPECT_EQ(ll::eval_json_text(R"([{"layer":"ReLU","input":{"shape":[],"data":[1]}},{"layer":"ReLU","input":{"shape":[],"data":[2]}}])").exit_code, 0);
  // Found by fuzz_spec: a number too large for a double is malformed JSON, not a crash.
  EXPECT_EQ(ll::eval_json_text(R"({"layer":"ReLU","input":{"shape":[1],"data":[1e+400200408773]}})").exit_code, 2);
}

TEST(Spec, BatchGivesOneResultPerItem) {
  const json r = eval(R"([{"layer":"Nope"}, 5, {"layer":"ReLU","input":{"shape":[],"data":[-1]}}])");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].contains("error"));
  EXPECT_TRUE(r[1].contains("error"));
  EXPECT_EQ(r[2]["output"]["data"][0], 0.0);
}

TEST(Spec, ErrorsNameTheLayerTheRuleAndTheValues) {
  const json r = eval(R"({"layer":"MaxPool2d","params":{"kernel_size":3,"padding":2},
                          "input":{"shape":[1,1,5,5],"data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}})");
  EXPECT_EQ(r["error"], "MaxPool2d: padding must be at most half of kernel_size, got padding=2, kernel_size=3");
  const json k = eval(R"({"layer":"AvgPool2d","params":{"kernel_size":2,"dilation":2},"input":{"shape":[1,2,2],"data":[1,2,3,4]}})");
  EXPECT_EQ(k["error"], "AvgPool2d: unexpected keyword argument 'dilation'");
  const json d = eval(R"({"layer":"ReLU","input":{"shape":[2,2],"data":[1,2,3]}})");
  EXPECT_NE(d["error"].get<std::string>().find("ReLU"), std::string::npos);
  const json g = eval(R"({"layer":"Tanh","input":{"shape":[2],"data":[1,2]},"grad_output":{"shape":[3],"data":[1,2,3]}})");
  EXPECT_EQ(g["error"], "Tanh: grad_output must have the output's shape [2], got [3]");
}

TEST(Spec, OnlyTheFieldsThatApply) {
  const json r = eval(R"({"layer":"Linear","params":{"in_features":2,"out_features":1,"bias":false},
                          "weight":{"shape":[1,2],"data":[1,2]},
                          "input":{"shape":[2],"data":[3,4]},"grad_output":{"shape":[1],"data":[1]}})");
  EXPECT_EQ(r["output"]["data"][0], 11.0);
  EXPECT_TRUE(r.contains("grad_weight"));
  EXPECT_FALSE(r.contains("grad_bias"));
  EXPECT_FALSE(r.contains("indices"));
}

TEST(Spec, HostileInputIsAnErrorNotACrash) {
  for (const char* text : {
           R"({"layer":"MaxPool2d","params":{"kernel_size":9223372036854775807},"input":{"shape":[1,1,1],"data":[1]}})",
           R"({"layer":"MaxPool2d","params":{"kernel_size":2,"dilation":2147483647},"input":{"shape":[1,1,1],"data":[1]}})",
           R"({"layer":"ReLU","input":{"shape":[9223372036854775807,9223372036854775807],"data":[]}})",
           R"({"layer":"MaxUnpool2d","params":{"kernel_size":2,"stride":9223372036854775807},"input":{"shape":[1,2,2],"data":[1,2,3,4]},"indices":{"shape":[1,2,2],"data":[0,0,0,0]}})",
           R"({"layer":"Linear","params":{"in_features":100000,"out_features":100000},"input":{"shape":[1],"data":[1]}})",
           R"({"layer":"PReLU","params":{"num_parameters":-5},"input":{"shape":[1],"data":[1]}})",
           R"({"layer":"ReLU","input":{"shape":"x","data":[1]}})",
           R"({"layer":"ReLU","input":{"shape":[1],"data":[{}]}})",
           R"({"layer":"ReLU","params":[],"input":{"shape":[1],"data":[1]}})",
           // Found by fuzz_layers: an empty weight must not let a huge bias through.
           R"({"layer":"Linear","params":{"in_features":0,"out_features":4611686018427387904},"input":{"shape":[0],"data":[]}})",
       }) {
    const ll::EvalOutput out = ll::eval_json_text(text);
    EXPECT_EQ(out.exit_code, 1) << text;
    EXPECT_NE(out.text.find("\"error\""), std::string::npos) << text;
  }
}

// Every descriptor has its runner, and a spec of each layer reaches it (an
// unknown keyword is rejected by the descriptor, naming the layer).
TEST(Spec, EveryDescriptorHasARunner) {
  for (const ll::LayerDesc& d : ll::layer_descs()) {
    EXPECT_NE(ll::spec_run::runner(d.name), nullptr) << d.name;
    const nlohmann::json r = ll::eval_spec({{"layer", d.name}, {"params", {{"bogus", 1}}}});
    const bool any_keyword = std::any_of(d.params.begin(), d.params.end(),
                                         [](const ll::ParamDesc& p) { return p.kind == ll::ParamKind::VAR_KEYWORDS; });
    if (any_keyword) {  // Identity(*args, **kwargs) takes it; the spec then lacks its input
      EXPECT_EQ(r.value("error", "").rfind(std::string(d.name) + ": spec needs \"input\"", 0), 0u) << r.dump();
      continue;
    }
    EXPECT_EQ(r.value("error", ""), std::string(d.name) + ": unexpected keyword argument 'bogus'");
  }
  EXPECT_EQ(ll::spec_run::runner("Conv2d"), nullptr);
  EXPECT_EQ(ll::python_call(*ll::find_layer("MaxPool2d"),
                            {{"kernel_size", 3}, {"stride", nullptr}, {"padding", 1}, {"dilation", 1},
                             {"return_indices", false}, {"ceil_mode", true}}),
            "MaxPool2d(kernel_size=3, padding=1, ceil_mode=True)");
  EXPECT_EQ(ll::python_call(*ll::find_layer("LeakyReLU"), {{"negative_slope", 0.2}}), "LeakyReLU(negative_slope=0.2)");
}

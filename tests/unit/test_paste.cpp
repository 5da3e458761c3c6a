// paste.h: PyTorch lines students paste, bound through the descriptors, with
// Python's error wording; tensors in torch/numpy/list/CSV forms; fuzz safety.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/check.h"
#include "core/paste.h"

using nlohmann::json;

namespace {

std::string err(const std::string& text) {
  try {
    ll::paste(text, 1000);
  } catch (const ll::Error& e) {
    return e.what();
  }
  return "";
}

void expect_layer(const std::string& text, const std::string& layer, const char* params) {
  const ll::Pasted p = ll::paste(text);
  ASSERT_TRUE(p.is_layer) << text;
  EXPECT_EQ(p.layer.layer, layer) << text;
  EXPECT_EQ(p.layer.params, json::parse(params)) << text;
}

}  // namespace

TEST(Paste, LayerLines) {
  expect_layer("nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)", "MaxPool2d",
               R"({"kernel_size":3,"stride":2,"padding":1,"ceil_mode":true})");
  expect_layer("torch.nn.AvgPool2d((3, 2), divisor_override=2)", "AvgPool2d",
               R"({"kernel_size":[3,2],"divisor_override":2})");
  expect_layer("MaxPool2d(kernel_size=2)", "MaxPool2d", R"({"kernel_size":2})");
  expect_layer("nn.LeakyReLU(0.2)", "LeakyReLU", R"({"negative_slope":0.2})");
  expect_layer("nn.Linear(4, 3, bias=False)", "Linear", R"({"in_features":4,"out_features":3,"bias":false})");
  expect_layer("nn.PReLU(num_parameters=1, init=0.25)", "PReLU", R"({"num_parameters":1,"init":0.25})");
  expect_layer("nn.RReLU(0.1, 0.3)", "RReLU", R"({"lower":0.1,"upper":0.3})");
  expect_layer("nn.ReLU()", "ReLU", "{}");
  expect_layer("nn.Sigmoid()", "Sigmoid", "{}");
  expect_layer("nn.Tanh()", "Tanh", "{}");
  expect_layer("nn.MaxUnpool2d(2, stride=2)", "MaxUnpool2d", R"({"kernel_size":2,"stride":2})");
  // Functional forms: the input first, then the function's own positional order.
  expect_layer("F.max_pool2d(x, 3, 2)", "MaxPool2d", R"({"kernel_size":3,"stride":2})");
  expect_layer("F.max_pool2d(x, 2, 2, 0, 1, True)", "MaxPool2d",
               R"({"kernel_size":2,"stride":2,"padding":0,"dilation":1,"ceil_mode":true})");
  expect_layer("torch.nn.functional.avg_pool2d(x, 2)", "AvgPool2d", R"({"kernel_size":2})");
  expect_layer("F.relu(x)", "ReLU", "{}");
  expect_layer("F.leaky_relu(x, 0.2)", "LeakyReLU", R"({"negative_slope":0.2})");
  expect_layer("torch.sigmoid(x)", "Sigmoid", "{}");
  expect_layer("torch.tanh(input=x)", "Tanh", "{}");
  // Variants: spacing, lists, trailing commas, literal spellings, inplace.
  expect_layer("  nn.MaxPool2d( [3,2] , stride = (1, 1), )  ", "MaxPool2d", R"({"kernel_size":[3,2],"stride":[1,1]})");
  expect_layer("nn.LeakyReLU(negative_slope=.5, inplace=True)", "LeakyReLU", R"({"negative_slope":0.5,"inplace":true})");
  expect_layer("nn.LeakyReLU(-2)", "LeakyReLU", R"({"negative_slope":-2})");
  expect_layer("nn.LeakyReLU(1e-3)", "LeakyReLU", R"({"negative_slope":0.001})");
  expect_layer("nn.PReLU(init=1.)", "PReLU", R"({"init":1.0})");
  expect_layer("nn.MaxPool2d(2, None)", "MaxPool2d", R"({"kernel_size":2,"stride":null})");
  expect_layer("nn.ReLU(inplace=True)", "ReLU", R"({"inplace":true})");
}

TEST(Paste, BindingErrorsReadAsPython) {
  EXPECT_EQ(err("nn.MaxPool2d(kernal_size=2)"), "MaxPool2d got an unexpected keyword argument 'kernal_size'");
  EXPECT_EQ(err("nn.MaxPool2d(stride=2)"), "MaxPool2d() missing 1 required positional argument: 'kernel_size'");
  EXPECT_EQ(err("nn.Linear()"), "Linear() missing 2 required positional arguments: 'in_features' and 'out_features'");
  EXPECT_EQ(err("nn.MaxPool2d(2, 2, stride=2)"), "MaxPool2d got multiple values for argument 'stride'");
  EXPECT_EQ(err("nn.MaxPool2d(2, stride=1, stride=2)"), "MaxPool2d got multiple values for argument 'stride'");
  EXPECT_NE(err("nn.ReLU(True, 1)").find("ReLU: too many positional arguments"), std::string::npos);
  EXPECT_NE(err("nn.Sigmoid(1)").find("too many positional arguments"), std::string::npos);
  EXPECT_EQ(err("nn.Conv2d(3, 8, 3)").rfind("nn.Conv2d is not a LayerLab layer (LayerLab has: MaxPool2d, ", 0), 0u);
  EXPECT_NE(err("F.conv2d(x, w)").find("is not a LayerLab layer"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d(stride=2, 3)").find("positional argument follows keyword argument"), std::string::npos);
  EXPECT_EQ(err("F.relu()"), "relu() missing 1 required positional argument: 'input'");
}

TEST(Paste, ValuesAreValidatedByTheCore) {
  EXPECT_NE(err("nn.MaxPool2d(3, padding=2)").find("MaxPool2d: padding"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d(0)"), "");
  EXPECT_NE(err("nn.MaxPool2d(2.5)").find("MaxPool2d: kernel_size must be an int"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d(2, ceil_mode=1)").find("ceil_mode must be true or false"), std::string::npos);
  EXPECT_NE(err("nn.AvgPool2d(2, divisor_override=0)").find("divisor_override"), std::string::npos);
  EXPECT_NE(err("nn.RReLU(0.5, 0.1)").find("lower"), std::string::npos);
  EXPECT_NE(err("nn.Linear(4, x)").find("'x' at column 14"), std::string::npos);
}

TEST(Paste, MalformedTextNamesTheColumn) {
  EXPECT_EQ(err("nn.MaxPool2d(3, stride=2"), "expected ')' at column 25 (the text ends there)");
  EXPECT_NE(err("nn.MaxPool2d(3, stride=2").find("column 25"), std::string::npos);
  EXPECT_EQ(err("nn.MaxPool2d 3"), "expected '(' at column 14, got '3'");
  EXPECT_NE(err("nn.MaxPool2d(3))").find("end of the text at column 16"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d(3,, 2)").find("column 16"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d(stride==2)").find("column"), std::string::npos);
  EXPECT_NE(err("nn.LeakyReLU('0.2)").find("unterminated string"), std::string::npos);
  EXPECT_NE(err("nn.LeakyReLU(1.2.3)").find("malformed number"), std::string::npos);
  EXPECT_NE(err("nn.MaxPool2d((3, 2)"), "");
  EXPECT_NE(err("nn.MaxPool2d(3 2)").find("column 16"), std::string::npos);
  EXPECT_NE(err("[[1, 2], [3, 4]"), "");
  EXPECT_NE(err("torch.tensor([1, 2]"), "");
  EXPECT_NE(err("nn.MaxPool2d(99999999999999999999999)").find("out of range"), std::string::npos);
  EXPECT_NE(err(""), "");
}

TEST(Paste, Tensors) {
  ll::PastedTensor t = ll::parse_tensor("torch.tensor([[1., 2.], [3., float('nan')]])");
  EXPECT_EQ(t.shape, (ll::Shape{2, 2}));
  EXPECT_EQ(t.data[0], 1.0f);
  EXPECT_EQ(t.data[2], 3.0f);
  EXPECT_TRUE(std::isnan(t.data[3]));
  t = ll::parse_tensor("torch.tensor([1, 2], dtype=torch.float32)");
  EXPECT_EQ(t.data, (std::vector<float>{1, 2}));
  EXPECT_EQ(ll::parse_tensor("np.array([[1, 2], [3, 4]])").shape, (ll::Shape{2, 2}));
  EXPECT_EQ(ll::parse_tensor("numpy.array([[[1], [2]]])").shape, (ll::Shape{1, 2, 1}));
  EXPECT_EQ(ll::parse_tensor("[[1, 2], [3, 4]]").data, (std::vector<float>{1, 2, 3, 4}));
  t = ll::parse_tensor("[float('inf'), -float('inf'), math.nan, -0.0, .5, 1e-3, np.inf]");
  EXPECT_TRUE(std::isinf(t.data[0]) && t.data[0] > 0);
  EXPECT_TRUE(std::isinf(t.data[1]) && t.data[1] < 0);
  EXPECT_TRUE(std::isnan(t.data[2]));
  EXPECT_TRUE(std::signbit(t.data[3]));
  EXPECT_EQ(t.data[4], 0.5f);
  EXPECT_EQ(t.data[5], 0.001f);
  t = ll::parse_tensor("1,2,3\n4,5,6\n");
  EXPECT_EQ(t.shape, (ll::Shape{2, 3}));
  EXPECT_EQ(t.data[5], 6.0f);
  t = ll::parse_tensor("1 2 3\n4 5 6");
  EXPECT_EQ(t.shape, (ll::Shape{2, 3}));
  const ll::Pasted p = ll::paste("[[1, 2]]");
  EXPECT_FALSE(p.is_layer);
  EXPECT_EQ(p.tensor.shape, (ll::Shape{1, 2}));
}

TEST(Paste, TensorErrors) {
  EXPECT_NE(err("[[1, 2], [3, 4, 5]]").find("row 2 has 3 values, row 1 has 2"), std::string::npos);
  EXPECT_EQ(err("1,2\n3,4,5"), "row 2 has 3 values, row 1 has 2");
  EXPECT_NE(err("[[[[[1]]]]]").find("at most 4 dimensions"), std::string::npos);
  EXPECT_NE(err("[1, [2]]"), "");
  EXPECT_NE(err("[[1], 2]"), "");
  EXPECT_NE(err("1, 2, x"), "");
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) many += "1,";
  EXPECT_NE(err(many + "]").find("more than 1000 values"), std::string::npos);
  EXPECT_NE(err("torch.zeros(3)").find("torch.zeros is not a LayerLab layer"), std::string::npos);
  EXPECT_THROW(ll::parse_tensor("torch.zeros(3)"), ll::Error);
  EXPECT_NE(err("[float('one')]").find("could not convert string to float"), std::string::npos);
}

TEST(Paste, NeverCrashesOnRandomText) {
  const std::string alphabet = "nn.MaxPool2d(3, stride=2)[]().,=-+e_'\"xTrueFalseNone0123456789 \n\tfloat('nan')";
  std::mt19937 rng(1);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    try {
      ll::paste(s, 1000);
    } catch (const ll::Error&) {
    }
  }
  // Deep nesting is an error, not a stack overflow.
  EXPECT_NE(err(std::string(100000, '[')), "");
  EXPECT_NE(err("nn.MaxPool2d(" + std::string(100000, '(')), "");
}

// The activations made from descriptors paste like the others: positional keywords
// in PyTorch's order, and their rules checked as the core checks them.
TEST(Paste, GenericActivations) {
  expect_layer("nn.GELU(approximate='tanh')", "GELU", R"({"approximate":"tanh"})");
  expect_layer("torch.nn.Threshold(0.5, 2.0)", "Threshold", R"({"threshold":0.5,"value":2.0})");
  expect_layer("nn.Hardtanh(-2, 2)", "Hardtanh", R"({"min_val":-2,"max_val":2})");
  EXPECT_EQ(err("nn.GELU(approximate='erf')"), "GELU: approximate must be 'none' or 'tanh', got 'erf'");
  EXPECT_EQ(err("nn.Hardtanh(1, 1)"), "Hardtanh: max_val must be greater than min_val, got min_val=1, max_val=1");
  EXPECT_EQ(err("nn.Threshold(0.5)"), "Threshold() missing 1 required positional argument: 'value'");
  // Their functional forms, named as torch.nn.functional names them, keywords in the module's order.
  expect_layer("F.silu(x)", "SiLU", "{}");
  expect_layer("F.gelu(x, approximate='tanh')", "GELU", R"({"approximate":"tanh"})");
  expect_layer("torch.softmax(x, dim=1)", "Softmax", R"({"dim":1})");
  expect_layer("F.log_softmax(logits, -1)", "LogSoftmax", R"({"dim":-1})");
  expect_layer("nn.Softmax(dim=-1)", "Softmax", R"({"dim":-1})");
  expect_layer("F.softplus(x, beta=2)", "Softplus", R"({"beta":2})");
  expect_layer("F.glu(x)", "GLU", "{}");
  EXPECT_EQ(err("F.softmax2d(x)").rfind("F.softmax2d is not a LayerLab layer", 0), 0u);  // torch has no such function
  EXPECT_EQ(err("F.silu()"), "silu() missing 1 required positional argument: 'input'");
}

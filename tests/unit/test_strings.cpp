// test_strings.cpp — the Chinese column of the UI string table holds no English.
//
// A Chinese string may keep PyTorch's names (layers and keywords from the layer
// descriptors, tensor and API names listed below), numbers and printf formats;
// any other Latin word is an untranslated string and fails the test.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <set>
#include <string>

#include "app/app_state.h"
#include "app/strings.h"
#include "core/layer_desc.h"

namespace {

// PyTorch's names the UI shows as they are in both languages (beyond the descriptors).
const std::set<std::string>& pytorch_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n = {
        "input", "output", "indices", "grad_output", "grad_input", "grad_weight", "grad_bias", "weight", "bias",
        "grad", "argmax", "forward", "backward", "train", "eval", "seed", "loss", "lr", "SGD", "logit",
        "sigmoid", "max", "rank", "stack", "fused", "unpooled", "pooled", "output_size", "shape", "numel",
        "torch", "nn", "requires_grad", "mean", "std", "zeros_", "normal_", "xavier_uniform_", "gain",
        "kaiming", "default", "x", "y", "k", "W", "b", "H", "W_k", "W_1", "out", "in", "None", "True", "False",
        "padding", "PyTorch", "LayerLab", "English", "U", "f", "Ctrl", "ReLU", "init", "N", "C", "h", "w",
        "in_features", "out_features", "float32", "NaN", "nan", "inf", "depth", "width", "i", "j", "flatten",
        "min", "abs", "OK", "e", "T", "ms", "kaiming_", "n", "c", "PageUp", "PageDown",  // W^T, a unit, kaiming_*, keys
        "logits", "temperature",                                                        // the softmax view's keys
        "d", "out_i", "x_j", "diag", "p", "log", "exp", "sum", "softmax", "a"};          // and its formulas
    for (const ll::LayerDesc& l : ll::layer_descs()) {
      n.insert(l.name);
      for (const ll::ParamDesc& p : l.params) n.insert(p.name);
    }
    for (const char* extra : {"Sigmoid", "Tanh", "LeakyReLU", "PReLU", "RReLU", "Linear", "MaxPool2d", "AvgPool2d",
                              "MaxUnpool2d", "BCEWithLogitsLoss", "Sequential"})
      n.insert(extra);
    return n;
  }();
  return names;
}

// The Latin words of `s` that are not PyTorch names, formats or numbers.
std::string english_words(const std::string& s) {
  std::string found;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {  // a printf format: %d, %.3g, %-9s, %lld, %%
      ++i;
      while (i < s.size() && std::strchr("-+ #.0123456789lh", s[i])) ++i;
      if (i < s.size()) ++i;
      continue;
    }
    if (std::isalpha(c) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      const std::string word = s.substr(i, j - i);
      if (!pytorch_names().count(word)) found += (found.empty() ? "" : " ") + word;
      i = j;
      continue;
    }
    ++i;
  }
  return found;
}

TEST(Strings, ChineseColumnHasNoEnglishWords) {
  int checked = 0;
  for (int id = 0; id < app::STR_COUNT; ++id) {
    if (id == app::STR_LANG_TOGGLE) continue;  // the button names the other language: "English"
    const std::string zh = app::tr(static_cast<app::StringId>(id), app::Lang::ZH);
    EXPECT_EQ(english_words(zh), "") << "string " << id << " in Chinese: \"" << zh << "\"\n  English: \""
                                     << app::tr(static_cast<app::StringId>(id), app::Lang::EN) << "\"";
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(Strings, TheCheckFindsEnglish) {
  EXPECT_EQ(english_words("目标 slope %.3g"), "slope");
  EXPECT_EQ(english_words("第 %d 层：|grad_weight| = %.3e"), "");
  EXPECT_EQ(english_words("MaxPool2d(kernel_size=3) 的输出"), "");
  EXPECT_EQ(english_words("none"), "none");
}

}  // namespace

// The table's rows must follow the StringId enum: a row out of order reads as "?".
TEST(Strings, EveryIdHasItsOwnRow) {
  for (int id = 0; id < app::STR_COUNT; ++id) {
    EXPECT_STRNE(app::tr(static_cast<app::StringId>(id), app::Lang::EN), "?") << "StringId " << id;
    EXPECT_STRNE(app::tr(static_cast<app::StringId>(id), app::Lang::ZH), "?") << "StringId " << id;
  }
}

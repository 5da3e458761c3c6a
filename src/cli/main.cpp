// layerlab-cli — the core from the command line: `layerlab-cli eval [FILE|-]`.
// Thin by design: read the text, hand it to spec.h, print the answer.

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "core/spec.h"
#include "core/version.h"

namespace {

const char kHelp[] =
    "layerlab-cli " LL_VERSION " — PyTorch 1.13 layers (float32, CPU) from a JSON spec\n"
    "\n"
    "usage:\n"
    "  layerlab-cli eval [FILE|-]   evaluate a spec (an object) or a batch (an array of specs)\n"
    "  layerlab-cli --help | --version\n"
    "\n"
    "A spec names a layer, its PyTorch constructor keywords and the tensors:\n"
    "  {\"layer\": \"MaxPool2d\", \"params\": {\"kernel_size\": 2, \"ceil_mode\": true, \"return_indices\": true},\n"
    "   \"input\": {\"shape\": [1, 1, 3, 3], \"data\": [1, 2, 3, 4, 5, 6, 7, 8, \"NaN\"]},\n"
    "   \"grad_output\": {\"shape\": [1, 1, 2, 2], \"data\": [1, 1, 1, 1]}}\n"
    "gives\n"
    "  {\"grad_input\":{...},\"indices\":{\"data\":[4,5,7,8],...},\"output\":{\"data\":[5.0,6.0,8.0,\"NaN\"],...}}\n"
    "\n"
    "layers: MaxPool2d AvgPool2d MaxUnpool2d Linear Sigmoid Tanh ReLU LeakyReLU PReLU RReLU\n"
    "other keys: training, seed, indices, output_size, weight, bias, noise, grad_output\n"
    "non-finite values are the strings \"NaN\", \"Infinity\", \"-Infinity\".\n"
    "\n"
    "exit status: 0 ok (a batch always), 1 the spec was rejected ({\"error\": ...}), 2 malformed JSON or usage.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help"))) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (argc >= 2 && !std::strcmp(argv[1], "--version")) {
    std::puts(LL_VERSION);
    return 0;
  }
  if (argc < 2 || std::strcmp(argv[1], "eval") != 0 || argc > 3) {
    std::fputs(kHelp, stderr);
    return 2;
  }

  std::string text;
  const bool from_stdin = argc == 2 || !std::strcmp(argv[2], "-");
  if (from_stdin) {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
      std::fputs("{\"error\":\"cannot read the spec file\"}\n", stdout);
      std::fprintf(stderr, "layerlab-cli: cannot read %s\n", argv[2]);
      return 2;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  const ll::EvalOutput out = ll::eval_json_text(text);
  std::fwrite(out.text.data(), 1, out.text.size(), stdout);
  std::fputc('\n', stdout);
  return out.exit_code;
}

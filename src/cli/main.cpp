// layerlab-cli — the core from the command line: `layerlab-cli eval [FILE|-]`.
// Thin by design: read the text, hand it to spec.h, print the answer.

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "core/layer_desc.h"
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
    "other keys: training, seed (RReLU, Linear's initial weights); tensors as {\"shape\": [...], \"data\": [...]},\n"
    "non-finite values as the strings \"NaN\", \"Infinity\", \"-Infinity\".\n"
    "\n"
    "exit status: 0 ok (a batch always), 1 the spec was rejected ({\"error\": ...}), 2 malformed JSON or usage.\n";

// The help: the text above with every layer's PyTorch signature and the
// tensors its spec takes, from the core's layer descriptors.
std::string help_text() {
  std::string layers = "layers (params: PyTorch's keywords and defaults; then the spec's tensors):\n";
  for (const ll::LayerDesc& l : ll::layer_descs()) {
    layers += "  " + ll::python_signature(l) + "\n     ";
    for (const char* t : l.tensors) layers += std::string(" ") + t;
    layers += "\n";
  }
  std::string help = kHelp;
  help.insert(help.find("other keys:"), layers + "\n");
  return help;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help"))) {
    std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (argc >= 2 && !std::strcmp(argv[1], "--version")) {
    std::puts(LL_VERSION);
    return 0;
  }
  if (argc < 2 || std::strcmp(argv[1], "eval") != 0 || argc > 3) {
    std::fputs(help_text().c_str(), stderr);
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

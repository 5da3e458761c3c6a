// user_data.h — the student's own data in and out of the pooling lab, and PyTorch pasted in.
//
//   load_npy       a .npy file's bytes -> the input (1-4-D, reshaped to N, C, H, W)
//   load_image     decoded RGBA8 pixels -> the input, as torchvision's ToTensor (C 1 or 3)
//   paste_text     a PyTorch layer line -> that lab's parameters; a tensor -> the input
//   save_npy       a shown tensor -> .npy bytes numpy.load reads back bit-exactly
//   tensor_names   the names save_npy takes in the current lab
//
// The parsing is the core's (core/npy.h, core/image.h, core/paste.h); this file only
// maps results onto AppState. Every failure throws ll::Error naming the file or the
// text and the rule, and changes nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app_state.h"

namespace app {

void load_npy(AppState& s, const std::string& name, std::string_view bytes);
void load_image(AppState& s, const std::string& name, std::string_view rgba, int width, int height);
// Returns "layer" or "tensor": what the text was taken as.
std::string paste_text(AppState& s, std::string_view text);
std::string save_npy(AppState& s, const std::string& which);
std::vector<std::string> tensor_names(const AppState& s);
// The value of one cell of a shown tensor, with one index per dimension; false
// when the lab shows no tensor `which` or the index is outside its shape.
bool shown_cell(const AppState& s, const std::string& which, const std::vector<int64_t>& index, double* value);

}  // namespace app

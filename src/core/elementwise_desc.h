// elementwise_desc.h — the element-wise activations, one declaration each: the
// layer's descriptor (keywords, family, formula, NaN rule), how its keywords
// become its kernel's constants (with PyTorch's checks), and its kernel pair.
//
// Adding one is its kernels in kernels/elementwise.{h,cpp}, its row in
// elementwise_desc.cpp and its entry in tests/golden/generate.py: layer_descs()
// lists it, the spec runs it (spec_run::activation), the JS module makes its
// class and the .d.ts declares it, all from the row.
//
//   ElementwiseDesc      one row
//   elementwise_descs()  every row, in the order the CLI lists them
//   find_elementwise()   a row by its layer's name, or nullptr
#pragma once

#include <initializer_list>
#include <string_view>

#include "kernels/elementwise.h"
#include "layer_desc.h"

namespace ll {

struct ElementwiseDesc {
  LayerDesc layer;
  // The kernel's constants from the keyword values; throws ll::Error where
  // PyTorch rejects them (beyond each keyword's `min` and `choices`, which the
  // generic layer checks). nullptr: the kernel takes no constants.
  ElementwiseArgs (*args)(const Keywords& keywords);
  ElementwiseForward forward;
  ElementwiseBackward backward;
};

std::initializer_list<ElementwiseDesc> elementwise_descs();  // a view of the constant table
const ElementwiseDesc* find_elementwise(std::string_view name);

}  // namespace ll

#include "registry.h"

#include <iterator>

#include "app/inspector.h"
#include "app/panels.h"

namespace app {

constexpr LabDef kLabs[] = {
    {Lab::POOL, "pool", STR_LAB_POOL, STR_LAB_SUBTITLE, ShowParametersPanel, ShowTensorsPanel, ShowPoolLayerPicker, true, pytorch_code,
     pool_text},
    {Lab::ACTIVATION, "activation", STR_LAB_ACTIVATION, STR_COUNT, activation_parameters, activation_view,
     ShowActivationLayerPicker, false, activation_code, activation_text},
    {Lab::LINEAR, "linear", STR_LAB_LINEAR, STR_COUNT, linear_parameters, linear_view, nullptr, false, linear_code, linear_text},
    {Lab::GRADIENT, "gradient", STR_LAB_GRADIENT, STR_COUNT, gradient_parameters, gradient_view, nullptr, false, gradient_code,
     nullptr},
    {Lab::TRAIN, "train", STR_LAB_TRAIN, STR_COUNT, train_parameters, train_view, nullptr, false, train_code, nullptr},
};
static_assert(std::size(kLabs) == kLabCount, "a row of kLabs per Lab");
constexpr bool in_lab_order() {
  for (int i = 0; i < kLabCount; ++i)
    if (static_cast<int>(kLabs[i].id) != i) return false;
  return true;
}
static_assert(in_lab_order(), "kLabs lists the labs in Lab's order");

const LabDef& lab_def(Lab lab) {
  return kLabs[static_cast<size_t>(lab)];
}

const LabDef* find_lab(std::string_view name) {
  for (const LabDef& d : kLabs)
    if (name == d.name) return &d;
  return nullptr;
}

}  // namespace app

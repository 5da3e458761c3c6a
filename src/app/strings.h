// strings.h — every user-facing UI string, English and Simplified Chinese, in one table.
//
// PyTorch names (kernel_size, ceil_mode, ...) stay unchanged in both languages.
// tr(id) returns the string in the current language (set_language()).
// all_ui_text() concatenates both columns so the platform can build a font
// atlas holding every glyph the UI can show.
#pragma once

#include <string>

namespace app {

enum StringId : int {
  STR_TITLE,
  STR_LAB_SUBTITLE,
  STR_LANG_TOGGLE,
  STR_LAYER,
  STR_PARAMETERS,
  STR_SQUARE_TIP,
  STR_STRIDE_NONE,
  STR_DIVISOR_NONE_TIP,
  STR_RETURN_INDICES_TIP,
  STR_UNPOOL_NOTE,
  STR_INPUT,
  STR_GENERATOR,
  STR_GEN_RAMP,
  STR_GEN_RANDOM,
  STR_GEN_CHECKERBOARD,
  STR_GEN_GRADIENT,
  STR_GEN_PICTURE,
  STR_EDIT_MODE,
  STR_EDIT_TIP,
  STR_CLEAR_EDITS,
  STR_GRAD_GEN,
  STR_GRAD_ONES,
  STR_GRAD_RANDOM,
  STR_VIEW,
  STR_SHOW_NUMBERS,
  STR_SHOW_DIVISORS,
  STR_SCRUB,
  STR_WINDOW_NUM,
  STR_TENSORS,
  STR_HM_INPUT,
  STR_HM_OUTPUT,
  STR_HM_INDICES,
  STR_HM_INDICES_HIDDEN,
  STR_HM_DIVISOR,
  STR_HM_GRAD_OUTPUT,
  STR_HM_GRAD_INPUT,
  STR_HM_POOLED,
  STR_HM_UNPOOLED,
  STR_HM_GRAD_UNPOOLED,
  STR_HM_GRAD_POOLED,
  STR_HINT,
  STR_FORMULA,
  STR_HEIGHT,
  STR_WIDTH,
  STR_FLOOR_RESULT,
  STR_CEIL_RESULT,
  STR_PYTORCH_GIVES,
  STR_CEIL_ADDED,
  STR_CEIL_DROPPED,
  STR_CEIL_RULE,
  STR_NO_CEIL_EFFECT,
  STR_UNPOOL_FORMULA,
  STR_CODE,
  STR_COPY,
  STR_COPIED,
  STR_ERROR,
  STR_KEEP_LAST,
  STR_INFO_MAX,
  STR_INFO_AVG,
  STR_INFO_DIV_INCLUDE,
  STR_INFO_DIV_EXCLUDE,
  STR_INFO_DIV_OVERRIDE,
  STR_INFO_INPUT,
  STR_INFO_PADDING,
  STR_INFO_OVERHANG,
  STR_INFO_CEIL_WINDOW,
  STR_INFO_DROPPED_WINDOW,
  STR_INFO_UNPOOLED,
  STR_INFO_UNPOOLED_ZERO,
  STR_EDIT_POPUP,
  STR_OK,
  STR_CANCEL,
  STR_SHAPES,
  STR_LEGEND_MISSING,
  STR_KEY_WINDOW,
  STR_KEY_ARGMAX,
  STR_KEY_PADDING,
  STR_KEY_CEIL,
  STR_KEY_DROPPED,
  STR_COUNT
};

enum class Lang;
void set_language(Lang lang);
const char* tr(StringId id);             // in the current language
const char* tr(StringId id, Lang lang);  // in a given language
std::string all_ui_text();               // every string of both languages, for the font atlas

}  // namespace app

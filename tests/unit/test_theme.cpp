// test_theme.cpp — both palettes keep text readable (WCAG 2: 4.5:1) on every
// background it is drawn on, and `theme=auto` picks the theme a host page needs.
#include <gtest/gtest.h>

#include "app/theme.h"

namespace {

using app::contrast_ratio;
using app::Palette;

ImVec4 u32(ImU32 c) {
  return ImVec4(static_cast<float>(c & 0xFF) / 255.0f, static_cast<float>((c >> 8) & 0xFF) / 255.0f,
                static_cast<float>((c >> 16) & 0xFF) / 255.0f, 1.0f);
}

void expect_readable(const Palette& p, const char* theme) {
  const ImVec4 backgrounds[] = {p.window_bg, p.child_bg, p.popup_bg};
  const std::pair<const char*, ImVec4> texts[] = {{"text", p.text},       {"text_dim", p.text_dim}, {"accent", p.accent},
                                                  {"error", p.error},     {"ok", p.ok},             {"warn", p.warn},             {"pinned", p.pinned},
                                                  {"code_text", p.code_text}, {"note", p.note}};
  for (const ImVec4& bg : backgrounds)
    for (const auto& [name, c] : texts) EXPECT_GE(contrast_ratio(c, bg), 4.5) << theme << " " << name;
  // Text on widgets (buttons, fields) and the labels drawn on heatmap and plot panels.
  for (const ImVec4& bg : {p.button, p.frame_bg}) EXPECT_GE(contrast_ratio(p.text, bg), 4.5) << theme;
  for (ImU32 c : {p.title, p.label, p.legend_text}) EXPECT_GE(contrast_ratio(u32(c), u32(p.view_bg)), 4.5) << theme;
  // Curves stay visible on the plot (3:1, WCAG's rule for graphics).
  for (ImU32 c : p.curve) EXPECT_GE(contrast_ratio(u32(c), u32(p.view_bg)), 3.0) << theme;
}

TEST(Theme, TextContrastAtLeast45InBothPalettes) {
  expect_readable(app::dark_palette(), "dark");
  expect_readable(app::light_palette(), "light");
}

TEST(Theme, LightIsLight) {
  EXPECT_GT(app::relative_luminance(app::light_palette().window_bg), 0.8);
  EXPECT_LT(app::relative_luminance(app::dark_palette().window_bg), 0.02);
}

TEST(Theme, AutoFollowsTheHostBackgroundThenTheSystem) {
  using app::Theme;
  EXPECT_TRUE(app::resolve_theme(Theme::AUTO, false, 0xFFFFFF));   // a white course page
  EXPECT_TRUE(app::resolve_theme(Theme::AUTO, false, 0xF5F0E6));   // cream
  EXPECT_FALSE(app::resolve_theme(Theme::AUTO, true, 0x1E1E1E));   // a dark page wins over the system
  EXPECT_FALSE(app::resolve_theme(Theme::AUTO, true, 0x3A5F8A));   // mid blue: white text reads better
  EXPECT_TRUE(app::resolve_theme(Theme::AUTO, true, std::nullopt));
  EXPECT_FALSE(app::resolve_theme(Theme::AUTO, false, std::nullopt));
  EXPECT_FALSE(app::resolve_theme(Theme::DARK, true, 0xFFFFFF));
  EXPECT_TRUE(app::resolve_theme(Theme::LIGHT, false, 0x000000));
}

TEST(Theme, HostBackgroundUsedOnlyWhereTextStaysReadable) {
  app::set_palette(true, 0xFFFDF5);
  EXPECT_NEAR(app::palette().window_bg.x, 1.0f, 1e-6f);
  app::set_palette(true, 0xB0B0B0);  // too dark for the light theme's dim text: its own background
  EXPECT_EQ(app::palette().window_bg.x, app::light_palette().window_bg.x);
  app::set_palette(false, std::nullopt);
  EXPECT_EQ(app::palette().window_bg.x, app::dark_palette().window_bg.x);
}

}  // namespace

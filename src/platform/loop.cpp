// loop.cpp — the playground's main loop, the same on the desktop and the web
// (platform.h): window and GL context, ImGui and its GLFW + OpenGL 3 backends,
// fonts at the device's scale, and each frame poll -> new frame -> build UI ->
// render -> swap, drawn only while something happens.
//
//   loop, wake           the one Loop; something happened: draw for kSettleSeconds
//   load_fonts           the platform's UI font (Noto Sans CJK or the page's ui.ttf), glyphs of the UI strings
//   set_ui_scale         style sizes and font atlas for a device-pixel ratio
//   fonts_follow_language the atlas rebuilt with the glyphs of a language just chosen
//   frame_wanted         idle at rest: draw on input, an animation, a page call
//   frame, draw_frame    poll -> new frame -> build UI -> render -> swap
//   input_pending        input events not yet taken in by a frame
//   release_widgets      a state from outside wins over a widget in use
//   run, shutdown        window, ImGui and backends, the platform's loop; and back
#include "gl.h"

#include <cstdio>
#include <string>

#include "app/app_state.h"
#include "app/hash_state.h"
#include "app/panels.h"
#include "app/strings.h"
#include "app/texture.h"
#include "app/theme.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "draw_fills.h"
#include "imgui.h"
#include "imgui_internal.h"  // the input event queue (input_pending), ClearActiveID (release_widgets)
#include "platform.h"

namespace platform {

namespace {

Loop g_loop;

constexpr int kWindowW = 1280, kWindowH = 800;
// A rectangle this large becomes a scissored clear (draw_fills.h); smaller ones
// are not worth splitting a draw command for.
constexpr int kClearMinPixels = 512;
constexpr double kSettleSeconds = 1.0;  // ImGui's hover and tooltip timers, a last slider step
constexpr float kFontPx = 16.0f;

bool file_exists(const char* path) {
  if (FILE* f = std::fopen(path, "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

void load_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  static ImVector<ImWchar> ranges;  // must outlive the atlas build
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  g_loop.fonts_lang = g_loop.state.lang;
  const std::string ui_text = app::ui_text(g_loop.fonts_lang);
  builder.AddText(ui_text.c_str());
  static const ImWchar extra[] = {0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x3000, 0x303F, 0xFF00, 0xFFEF, 0};
  builder.AddRanges(extra);
  builder.BuildRanges(&ranges);
  const FontFiles files = ui_font_files();
  for (const char* path : files.paths) {
    if (!file_exists(path)) continue;
    ImFontConfig cfg;
    cfg.FontNo = files.face;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    if (io.Fonts->AddFontFromFileTTF(path, kFontPx * scale, &cfg, ranges.Data)) return;
  }
  ImFontConfig cfg;  // fallback: ImGui's built-in font (no CJK glyphs)
  cfg.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&cfg);
}

// The window and its GL context; ImGui's GLSL version, or null if there is none.
const char* open_window(Loop& p) {
  const char* glsl_version = window_hints();
  p.window = glfwCreateWindow(kWindowW, kWindowH, "LayerLab", nullptr, nullptr);
  if (!p.window) {
    std::fprintf(stderr, "layerlab: cannot create a window with OpenGL 3.3\n");
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(p.window);
  glfwSwapInterval(p.max_frames > 0 ? 0 : 1);
  return glsl_version;
}

// Input wakes the loop; ImGui's GLFW backend installs its callbacks after
// these and calls them on.
void wake_on_input(GLFWwindow* window) {
  glfwSetCursorPosCallback(window, [](GLFWwindow*, double, double) { wake(); });
  glfwSetMouseButtonCallback(window, [](GLFWwindow*, int, int, int) { wake(); });
  glfwSetScrollCallback(window, [](GLFWwindow*, double, double) { wake(); });
  glfwSetKeyCallback(window, [](GLFWwindow*, int, int, int, int) { wake(); });
  glfwSetCharCallback(window, [](GLFWwindow*, unsigned int) { wake(); });
  glfwSetCursorEnterCallback(window, [](GLFWwindow*, int) { wake(); });
  glfwSetWindowFocusCallback(window, [](GLFWwindow*, int) { wake(); });
  glfwSetWindowSizeCallback(window, [](GLFWwindow*, int, int) { wake(); });
}

// ImGui's context, style and font atlas: CPU work, done before the window opens
// (in a new browser the first GL context waits for the GPU process to start).
void create_imgui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; state lives in the hash
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  set_ui_scale(initial_ui_scale());
}

void init_backends(Loop& p, const char* glsl_version) {
  wake_on_input(p.window);
  wake();
  ImGui_ImplGlfw_InitForOpenGL(p.window, true);
  ImGui_ImplOpenGL3_Init(glsl_version);
  p.backend_ready = true;
  install_callbacks(p.window);  // after the backend's own, which they replace or add to
}

}  // namespace

Loop& loop() { return g_loop; }

// Something happened: draw every frame for a while (and restart a paused web loop).
void wake() {
  g_loop.awake_until = glfwGetTime() + kSettleSeconds;
  on_wake();
}

// The UI's scale (device px per CSS px): the theme's sizes and the font atlas
// are rebuilt for it. Called before the first frame and between frames.
void set_ui_scale(float scale) {
  g_loop.state.layout.scale = scale;
  ImGui::GetStyle() = ImGuiStyle();
  app::apply_app_style(scale);
  ImGui::GetIO().Fonts->Clear();
  load_fonts(scale);
  ImGui::GetIO().Fonts->Build();  // now, not in the next frame (the first: before the window opens)
  if (g_loop.backend_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  g_loop.retained.invalidate();  // the atlas's texture may have the old one's name
  wake();  // the next frames draw at the new scale
}

// The atlas holds the glyphs of the language it was built for (English has no Han
// characters but the "中文" of its language switch): a new language rebuilds it.
void fonts_follow_language() {
  if (g_loop.state.lang != g_loop.fonts_lang) set_ui_scale(g_loop.state.layout.scale);
}

// Whether this frame is drawn: always under --frames; otherwise while awake or
// animating; never while out of view. (A frame not drawn leaves the last one on
// the canvas: WebGL presents only what was drawn.)
bool frame_wanted() {
  const Loop& p = g_loop;
  if (p.max_frames > 0 || p.state.frames_drawn == 0) return true;  // the first frame resolves layerlab.ready
  if (!p.visible) return false;
  return glfwGetTime() < p.awake_until || app::app_is_animating(p.state);
}

// One iteration of the main loop; the platform's run_loop calls it (natively in
// a while loop, on the web from the browser's animation frames).
bool frame() {
  glfwPollEvents();
  if (!frame_wanted()) return false;
  draw_frame();
  return true;
}

void draw_frame() {
  Loop& p = g_loop;
  const double start = glfwGetTime();
  if (p.mouse_x >= 0) ImGui::GetIO().AddMousePosEvent(p.mouse_x, p.mouse_y);
  const bool first = p.state.frames_drawn == 0;
  fonts_follow_language();
  ImGui_ImplOpenGL3_NewFrame();  // the first compiles the shaders and uploads the font atlas
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  if (first) trace("first-new-frame");
  app::ShowApp(p.state);
  ImGui::Render();
  if (first) trace("first-ui-built");

  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(p.window, &fb_w, &fb_h);
  const ImVec4 bg(app::palette().window_bg.x, app::palette().window_bg.y, app::palette().window_bg.z, 1.0f);
  ImDrawData* data = ImGui::GetDrawData();
  if (!p.plain_fills) {
    drop_backgrounds_over_clear(data, ImGui::ColorConvertFloat4ToU32(bg));
    fills_as_clears(data, fb_h, kClearMinPixels);
  }
  // A swapped window buffer is undefined; a canvas not drawn into keeps its frame.
  const bool present_unchanged = !kWindowKeepsFrame || p.present_always;
  const double redrawn = p.retained.draw(data, fb_w, fb_h, bg, present_unchanged);
  if (first) trace("first-drawn");
  p.present_always = false;
  ++p.state.frames_drawn;
  p.state.frame_times.record(start, glfwGetTime(), redrawn);
  const bool last = p.max_frames > 0 && p.state.frames_drawn >= p.max_frames;
  frame_drawn(last);
  if (last) p.done = true;
  glfwSwapBuffers(p.window);
}

// Whether input events wait for the next frame (ImGui takes a press and its
// release in separate frames).
bool input_pending() { return ImGui::GetCurrentContext()->InputEventsQueue.Size > 0; }

// A state from outside (a link, setState, a message) wins over a widget in use:
// a slider being dragged or typed into, or a key held on it, would otherwise
// write its value back. Every button and key counts as released.
void release_widgets() {
  if (!g_loop.backend_ready) return;
  ImGui::ClearActiveID();
  ImGui::GetIO().ClearEventsQueue();
  ImGui::GetIO().ClearInputKeys();
}

int run(const std::string& hash) {
  Loop& p = g_loop;
  app::load_hash(p.state, hash);
  trace("main");
  glfwSetErrorCallback([](int code, const char* msg) { std::fprintf(stderr, "GLFW error %d: %s\n", code, msg); });
  if (!glfwInit()) return 1;
  create_imgui();
  trace("fonts");
  const char* glsl_version = open_window(p);
  if (!glsl_version) return 1;
  trace("window");
  init_backends(p, glsl_version);
  return run_loop();
}

void shutdown() {
  Loop& p = g_loop;
  for (app::HeatmapView& v : p.state.views) app::texture_delete(v.texture);
  for (app::HeatmapView& v : p.state.lab_views) app::texture_delete(v.texture);
  p.retained.release();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(p.window);
  glfwTerminate();
}

}  // namespace platform

// main.cpp — the playground's window, GL context and main loop, desktop and web.
//
//   gl headers / LL_EXPORT     web or desktop: src/platform is the only place that knows (#ifdef __EMSCRIPTEN__)
//   texture_update             app/texture.h on OpenGL 3.3 and WebGL2 (same calls)
//   load_fonts                 Noto Sans CJK (desktop) or /ui.ttf (web), glyphs of the UI strings
//   frame                      poll -> new frame -> build UI -> render -> swap
//   main                       args (hash, --frames N, --screenshot FILE.png, --drop, --state), init, loop
//   drop_files                 desktop: a dropped .npy or image becomes the input
//   frame_wanted               idle at rest: draw on input, an animation, a page call
//   layerlab_* (extern "C")    the page's hooks: state JSON, set/get hash, frames drawn, visibility, print
#ifndef __EMSCRIPTEN__
#define GL_GLEXT_PROTOTYPES 1  // glGenerateMipmap (OpenGL 3.0), which Linux's libGL exports
#define GLFW_INCLUDE_GLEXT
#endif
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cfloat>
#include <fstream>
#include <iterator>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <malloc.h>
#define LL_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#include <GL/gl.h>

#include "image_file.h"
#include "png_write.h"
#define LL_EXPORT extern "C"
#endif

#include "app/app_state.h"
#include "core/check.h"
#include "app/hash_state.h"
#include "app/labs.h"
#include "app/panels.h"
#include "app/quiz.h"
#include "app/strings.h"
#include "app/texture.h"
#include "app/user_data.h"
#include "draw_fills.h"
#include "retained_frame.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "imgui_internal.h"  // the input event queue (layerlab_state_json)

namespace {

struct Platform {
  GLFWwindow* window = nullptr;
  app::AppState state;
  int max_frames = 0;                // --frames: stop after this many (0 = run until closed)
  std::string screenshot;            // --screenshot: PNG of the last frame
  std::string drop;                  // --drop: a file opened as if dropped, before the first frame
  std::string state_out;             // --state: state() written here on exit
  float mouse_x = -1, mouse_y = -1;  // --mouse X,Y: a pointer parked there (hover tests)
  bool plain_fills = false;          // --plain-fills, ?fills=plain: draw every rectangle as ImGui does (draw_fills.h)
  platform::RetainedFrame retained;  // each frame drawn where it changed (retained_frame.h); --redraw-all, ?redraw=all: whole
  bool present_always = false;       // the next frame reaches the window even if nothing changed (print)
  bool done = false;
  int exit_code = 0;
  // Idle at rest: frames are drawn while something happens (input, a resize, a
  // state set from the page, an animation) and for kSettleSeconds after it,
  // then none until the next event; an embed scrolled out of view draws none.
  double awake_until = 0;  // glfwGetTime() until which every frame is drawn
  bool visible = true;
  int quiet_frames = 0;    // main-loop iterations in a row that drew nothing
  bool paused = false;     // web: the main loop stopped at rest (no requestAnimationFrame at all)
  bool backend_ready = false;  // ImGui's OpenGL backend is initialised (it owns the font texture)
  std::string json, hash;  // buffers returned to JavaScript
  std::string io_bytes;    // layerlab_save_npy's file, or the error of the last I/O call
};

Platform g_platform;

constexpr int kWindowW = 1280, kWindowH = 800;
// A rectangle this large becomes a scissored clear (draw_fills.h); smaller ones
// are not worth splitting a draw command for.
constexpr int kClearMinPixels = 512;
constexpr double kSettleSeconds = 1.0;  // ImGui's hover and tooltip timers, a last slider step
#ifndef __EMSCRIPTEN__
constexpr double kIdleWaitSeconds = 0.5;  // desktop: how long to sleep in glfwWaitEventsTimeout at rest
#endif

// Something happened: draw every frame for a while (and restart a paused web loop).
void wake() {
  g_platform.awake_until = glfwGetTime() + kSettleSeconds;
#ifdef __EMSCRIPTEN__
  if (g_platform.paused) {
    g_platform.paused = false;
    emscripten_resume_main_loop();
  }
#endif
}
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
#ifdef __EMSCRIPTEN__
  const char* candidates[] = {"/ui.ttf"};  // the page writes fonts/ui.ttf here before main()
  const int font_no = 0;
#else
  const char* candidates[] = {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                              "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc"};
  const int font_no = 2;  // Noto Sans CJK SC in the collection
#endif
  static ImVector<ImWchar> ranges;  // must outlive the atlas build
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  const std::string ui_text = app::all_ui_text();
  builder.AddText(ui_text.c_str());
  static const ImWchar extra[] = {0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x3000, 0x303F, 0xFF00, 0xFFEF, 0};
  builder.AddRanges(extra);
  builder.BuildRanges(&ranges);
  for (const char* path : candidates) {
    if (!file_exists(path)) continue;
    ImFontConfig cfg;
    cfg.FontNo = font_no;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    if (io.Fonts->AddFontFromFileTTF(path, kFontPx * scale, &cfg, ranges.Data)) return;
  }
  ImFontConfig cfg;  // fallback: ImGui's built-in font (no CJK glyphs)
  cfg.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&cfg);
}

// The UI's scale (device px per CSS px): the theme's sizes and the font atlas
// are rebuilt for it. Called before the first frame and between frames.
void set_ui_scale(float scale) {
  g_platform.state.layout.scale = scale;
  ImGui::GetStyle() = ImGuiStyle();
  app::apply_app_style(scale);
  ImGui::GetIO().Fonts->Clear();
  load_fonts(scale);
  if (g_platform.backend_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  g_platform.retained.invalidate();  // the atlas's texture may have the old one's name
  wake();  // the next frames draw at the new scale
}

#ifdef __EMSCRIPTEN__
// Emscripten's glfwSetWindowSize asks for fullscreen when the size equals the
// screen's (a full-screen page, a projector, a phone) and leaves fullscreen on
// every other call (library_glfw.js): set the canvas's backing store and GLFW's
// window size directly instead.
EM_JS(void, web_set_canvas_size, (int width, int height), {
  Browser.setCanvasSize(width, height, true);
  if (GLFW.active) {
    GLFW.active.width = width;
    GLFW.active.height = height;
  }
});

// The canvas is sized by CSS; its backing store follows CSS size x devicePixelRatio,
// and the UI's fonts and sizes follow devicePixelRatio (browser zoom, a window
// moved to another screen), so text stays crisp at every ratio.
void fit_canvas(GLFWwindow* window) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double dpr = emscripten_get_device_pixel_ratio();
  if (dpr > 0 && static_cast<float>(dpr) != g_platform.state.layout.scale) set_ui_scale(static_cast<float>(dpr));
  const int w = static_cast<int>(css_w * dpr + 0.5), h = static_cast<int>(css_h * dpr + 0.5);
  int cw = 0, ch = 0;
  glfwGetWindowSize(window, &cw, &ch);
  if (w > 0 && h > 0 && (w != cw || h != ch)) {
    web_set_canvas_size(w, h);
    wake();
  }
}

// After each drawn frame the page syncs the URL hash and resolves `ready`
// (web/shell.js), once this frame's wasm call has returned.
EM_JS(void, web_frame_drawn, (), {
  if (Module.onFrameDrawn) Promise.resolve().then(Module.onFrameDrawn);
});

EM_JS(void, web_copy_text, (const char* text), {
  const s = UTF8ToString(text);
  if (navigator.clipboard) navigator.clipboard.writeText(s).catch(function(){});
});

void web_set_clipboard(void*, const char* text) { web_copy_text(text); }

// The wheel as ImGui's backend reads it (100 px, 3 lines or 1/80 page a step).
EM_BOOL web_wheel(int, const EmscriptenWheelEvent* ev, void*) {
  const float step = ev->deltaMode == DOM_DELTA_PIXEL ? 1.0f / 100.0f : ev->deltaMode == DOM_DELTA_LINE ? 1.0f / 3.0f : 80.0f;
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(ev->deltaX) * -step, static_cast<float>(ev->deltaY) * -step);
  wake();
  return EM_TRUE;
}
#else
void save_screenshot(const std::string& path) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(g_platform.window, &w, &h);
  std::vector<uint8_t> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  std::vector<uint8_t> flipped(pixels.size());  // GL's first row is the bottom one
  const size_t row = static_cast<size_t>(w) * 3;
  for (int y = 0; y < h; ++y)
    std::memcpy(flipped.data() + static_cast<size_t>(y) * row, pixels.data() + static_cast<size_t>(h - 1 - y) * row,
                row);
  if (!platform::write_png_rgb(path, flipped.data(), w, h)) {
    std::fprintf(stderr, "layerlab: cannot write %s\n", path.c_str());
    g_platform.exit_code = 1;
  }
}
#endif

// One iteration of the main loop; the same body runs natively and under emscripten_set_main_loop_arg.
// Whether this frame is drawn: always under --frames; otherwise while awake or
// animating; never while out of view. (A frame not drawn leaves the last one on
// the canvas: WebGL presents only what was drawn.)
bool frame_wanted(const Platform& p) {
  if (p.max_frames > 0 || p.state.frames_drawn == 0) return true;  // the first frame resolves layerlab.ready
  if (!p.visible) return false;
  return glfwGetTime() < p.awake_until || app::app_is_animating(p.state);
}

void draw_frame(Platform& p);

void frame(void* arg) {
  Platform& p = *static_cast<Platform*>(arg);
  glfwPollEvents();
#ifdef __EMSCRIPTEN__
  fit_canvas(p.window);
#endif
  if (!frame_wanted(p)) {
#ifdef __EMSCRIPTEN__
    // At rest even the empty requestAnimationFrame loop costs a tenth of a core:
    // stop it; input, a page call or a resize (wake) starts it again.
    if (++p.quiet_frames >= 3) {
      p.paused = true;
      emscripten_pause_main_loop();
    }
#endif
    return;
  }
  p.quiet_frames = 0;
  draw_frame(p);
}

// Whether input events wait for the next frame (ImGui takes a press and its
// release in separate frames).
bool input_pending() { return ImGui::GetCurrentContext()->InputEventsQueue.Size > 0; }

void draw_frame(Platform& p) {
  const double start = glfwGetTime();
  if (p.mouse_x >= 0) ImGui::GetIO().AddMousePosEvent(p.mouse_x, p.mouse_y);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  app::ShowApp(p.state);
  ImGui::Render();

  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(p.window, &fb_w, &fb_h);
  const ImVec4 bg(app::palette().window_bg.x, app::palette().window_bg.y, app::palette().window_bg.z, 1.0f);
  ImDrawData* data = ImGui::GetDrawData();
  if (!p.plain_fills) {
    platform::drop_backgrounds_over_clear(data, ImGui::ColorConvertFloat4ToU32(bg));
    platform::fills_as_clears(data, fb_h, kClearMinPixels);
  }
#ifdef __EMSCRIPTEN__
  const bool present_unchanged = p.present_always;  // a canvas not drawn into keeps its frame
#else
  const bool present_unchanged = true;  // a swapped window buffer is undefined
#endif
  const double redrawn = p.retained.draw(data, fb_w, fb_h, bg, present_unchanged);
  p.present_always = false;
  ++p.state.frames_drawn;
  p.state.frame_times.record(start, glfwGetTime(), redrawn);
#ifdef __EMSCRIPTEN__
  web_frame_drawn();
#endif
  if (p.max_frames > 0 && p.state.frames_drawn >= p.max_frames) {
#ifndef __EMSCRIPTEN__
    if (!p.screenshot.empty()) save_screenshot(p.screenshot);
#endif
    p.done = true;
  }
  glfwSwapBuffers(p.window);
}

int usage(const char* argv0, int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: %s ['#layer=MaxPool2d&kernel_size=3&...' | '#lab=activation&...'] [--frames N] [--screenshot FILE.png]\n"
               "  the first argument is a URL hash state (the leading '#' is optional)\n"
               "  --frames N            draw N frames, then exit 0\n"
               "  --screenshot FILE     with --frames: save the last frame as PNG\n"
               "  --plain-fills         draw every rectangle as ImGui does (no scissored clears; exactness tests)\n"
               "  --redraw-all          draw every frame whole, not only where it changed (exactness tests)\n"
               "  --mouse X,Y           keep the pointer at (X, Y) in window pixels (hover tests)\n"
               "  --drop FILE           open FILE as if dropped on the window (.npy, PNG, JPEG, WebP)\n"
               "  --state FILE.json     on exit, write state() (the page's JSON) to FILE.json\n",
               argv0);
  return code;
}

}  // namespace

// app/texture.h on OpenGL 3.3 / WebGL2.
namespace app {

void* texture_update(void* texture, const uint32_t* rgba, int width, int height) {
  GLuint id = static_cast<GLuint>(reinterpret_cast<uintptr_t>(texture));
  if (id == 0) glGenTextures(1, &id);
  g_platform.retained.texture_changed(reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  GLint last = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last);
  glBindTexture(GL_TEXTURE_2D, id);
  // Magnified, each cell is a crisp square; minified (a 224-wide plane in fewer
  // pixels), cells average through mipmaps instead of aliasing into moire.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  glGenerateMipmap(GL_TEXTURE_2D);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last));
  return reinterpret_cast<void*>(static_cast<uintptr_t>(id));
}

void texture_delete(void* texture) {
  const GLuint id = static_cast<GLuint>(reinterpret_cast<uintptr_t>(texture));
  if (id == 0) return;
  g_platform.retained.texture_changed(texture);  // a texture made next may get its name
  glDeleteTextures(1, &id);
}

}  // namespace app

// ---- the page's hooks (window.layerlab in web/index.html) ----

LL_EXPORT const char* layerlab_state_json() {
  // A click the page has delivered but no frame has seen yet is part of the
  // state the caller asks for: draw the frames that take it in first.
  for (int i = 0; i < 4 && g_platform.backend_ready && input_pending(); ++i) draw_frame(g_platform);
  app::ensure_computed(g_platform.state);
  app::update_quiz(g_platform.state);  // setState({answer}) is checked against the new result
  app::AppState& s = g_platform.state;
  s.light = app::resolve_theme(s.theme, s.system_light, s.host_bg);  // a theme set since the last frame
  g_platform.json = app::state_json(g_platform.state);
  return g_platform.json.c_str();
}

// The page passes strings with their length, copied into malloc'ed memory
// (web/shell.js), never on the stack.
// A state from outside (a link, setState, a message) wins over a widget in use:
// a slider being dragged or typed into, or a key held on it, would otherwise
// write its value back. Every button and key counts as released.
static void release_widgets() {
  if (!g_platform.backend_ready) return;
  ImGui::ClearActiveID();
  ImGui::GetIO().ClearEventsQueue();
  ImGui::GetIO().ClearInputKeys();
}

LL_EXPORT void layerlab_set_hash(const char* hash, int length) {  // setState: merge the keys
  release_widgets();
  if (hash && length >= 0) app::apply_hash(g_platform.state, std::string_view(hash, static_cast<size_t>(length)));
  try {
    app::run_pending_steps(g_platform.state, app::kSetStateStepMs);  // setState({steps: K}) runs them now
  } catch (const std::exception& e) {
    g_platform.state.notice = e.what();  // shown above the tensors until the next change
  }
  wake();
}

LL_EXPORT void layerlab_load_hash(const char* hash, int length) {  // a URL being opened: defaults, then the keys
  release_widgets();
  app::load_hash(g_platform.state,
                 hash && length >= 0 ? std::string_view(hash, static_cast<size_t>(length)) : std::string_view());
  wake();
}

LL_EXPORT void layerlab_wake() { wake(); }

LL_EXPORT int layerlab_quiz_state() {  // 0 no quiz, 1 open, 2 answered (the page re-describes on a change)
  const app::Quiz& q = g_platform.state.quiz;
  return q.kind == app::QuizKind::NONE ? 0 : q.answered ? 2 : 1;
}

LL_EXPORT void layerlab_set_color_scheme(int light) {  // the page's prefers-color-scheme (theme=auto)
  g_platform.state.system_light = light != 0;
  wake();
}  // the page: a resize, a zoom (devicePixelRatio)

LL_EXPORT void layerlab_set_visible(int visible) {  // the page's IntersectionObserver: 0 while out of view
  g_platform.visible = visible != 0;
  if (g_platform.visible) wake();
}

// Print (web/shell.js, beforeprint): a frame drawn now, paused main loop or not, so the
// page can copy the canvas in the same task (WebGL keeps a frame only until it is shown).
LL_EXPORT void layerlab_draw_now() {
  if (!g_platform.backend_ready) return;
#ifdef __EMSCRIPTEN__
  fit_canvas(g_platform.window);
#endif
  g_platform.present_always = true;
  draw_frame(g_platform);
}

// The printed figure's caption (app::print_caption).
LL_EXPORT const char* layerlab_print_caption() {
  app::ensure_computed(g_platform.state);
  g_platform.json = app::print_caption(g_platform.state);
  return g_platform.json.c_str();
}

LL_EXPORT const char* layerlab_get_hash() {
  g_platform.hash = app::to_hash(g_platform.state);
  return g_platform.hash.c_str();
}

LL_EXPORT int layerlab_frames_drawn() { return g_platform.state.frames_drawn; }

// The CSS px of height the layout needs to show everything (an embed's layerlab:resize).
LL_EXPORT int layerlab_needed_height() { return static_cast<int>(g_platform.state.layout.needed_h + 0.5f); }

#ifdef __EMSCRIPTEN__
// Bytes malloc has handed out and not had back (scripts/soak watches it stay flat).
LL_EXPORT int layerlab_heap_bytes() { return static_cast<int>(mallinfo().uordblks); }
#endif

#ifndef __EMSCRIPTEN__
// Desktop: a .npy or an image (PNG, JPEG, WebP) dropped on the window becomes the
// pooling lab's input, through the same app calls as the page's loadFile. An error is
// the notice above the tensors (state().notice); nothing else changes.
void drop_files(int count, const char** paths) {
  if (count < 1 || !paths || !paths[0]) return;
  const std::string path = paths[0];
  const std::string name = path.substr(path.find_last_of('/') + 1);
  try {
    std::ifstream f(path, std::ios::binary);
    LL_CHECK(f.good(), "%s: cannot be read", name.c_str());
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) {
      app::load_npy(g_platform.state, name, bytes);
    } else {
      const platform::DecodedImage img = platform::decode_image_file(name, bytes);
      app::load_image(g_platform.state, name, img.rgba, img.width, img.height);
    }
  } catch (const std::exception& e) {
    g_platform.state.notice = e.what();  // shown above the tensors until the next change
  }
  wake();
}
#endif

// The student's data (web/shell.js: loadFile, saveNpy, paste). Each returns 1 on
// success, 0 with the error's message in layerlab_io_bytes(); nothing changes on error.
namespace {
template <typename F>
int io_call(F&& f) {
  try {
    f();
    wake();
    return 1;
  } catch (const std::exception& e) {
    g_platform.io_bytes = e.what();
    return 0;
  }
}
std::string text_arg(const char* p, int n) { return p && n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string(); }
}  // namespace

LL_EXPORT int layerlab_load_npy(const char* name, int name_len, const char* bytes, int len) {
  return io_call([&] { app::load_npy(g_platform.state, text_arg(name, name_len), std::string_view(bytes, len > 0 ? len : 0)); });
}

LL_EXPORT int layerlab_load_image(const char* name, int name_len, const char* rgba, int len, int width, int height) {
  return io_call([&] {
    app::load_image(g_platform.state, text_arg(name, name_len), std::string_view(rgba, len > 0 ? len : 0), width, height);
  });
}

LL_EXPORT int layerlab_paste(const char* text, int len) {  // "layer" or "tensor" in layerlab_io_bytes()
  std::string applied;
  const int ok = io_call([&] { applied = app::paste_text(g_platform.state, text_arg(text, len)); });
  if (ok) g_platform.io_bytes = applied;
  return ok;
}

LL_EXPORT int layerlab_save_npy(const char* which, int len) {  // the .npy in layerlab_io_bytes()
  return io_call([&] { g_platform.io_bytes = app::save_npy(g_platform.state, text_arg(which, len)); });
}

LL_EXPORT const char* layerlab_io_bytes() { return g_platform.io_bytes.data(); }
LL_EXPORT int layerlab_io_size() { return static_cast<int>(g_platform.io_bytes.size()); }

// Ctrl+V on the page (web/shell.js): 1 if a text field of the app has the
// keyboard (the text is typed into it), 0 if the page should paste it as PyTorch.
LL_EXPORT int layerlab_type_text(const char* text, int length) {
  if (!g_platform.backend_ready || !ImGui::GetIO().WantTextInput) return 0;
  ImGui::GetIO().AddInputCharactersUTF8(text_arg(text, length).c_str());
  wake();
  return 1;
}

int main(int argc, char** argv) {
  Platform& p = g_platform;
  std::string hash;
  bool have_hash = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") return usage(argv[0], 0);
    if (a == "--frames" && i + 1 < argc) {
      p.max_frames = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--screenshot" && i + 1 < argc) {
      p.screenshot = argv[++i];
#ifndef __EMSCRIPTEN__
    } else if (a == "--drop" && i + 1 < argc) {
      p.drop = argv[++i];
    } else if (a == "--state" && i + 1 < argc) {
      p.state_out = argv[++i];
#endif
    } else if (a == "--plain-fills") {
      p.plain_fills = true;
    } else if (a == "--redraw-all") {
      p.retained.set_redraw_all(true);
    } else if (a == "--mouse" && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%f,%f", &p.mouse_x, &p.mouse_y) != 2) return usage(argv[0], 2);
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "layerlab: unknown option %s\n", a.c_str());
      return usage(argv[0], 2);
    } else if (!have_hash) {
      hash = a;
      have_hash = true;
    }
  }
  if (!p.screenshot.empty() && p.max_frames == 0) p.max_frames = 3;
#ifdef __EMSCRIPTEN__
  p.plain_fills = EM_ASM_INT({ return new URLSearchParams(location.search).get('fills') === 'plain'; }) != 0;
  p.retained.set_redraw_all(EM_ASM_INT({ return new URLSearchParams(location.search).get('redraw') === 'all'; }) != 0);
#endif
  app::load_hash(p.state, hash);

  glfwSetErrorCallback([](int code, const char* msg) { std::fprintf(stderr, "GLFW error %d: %s\n", code, msg); });
  if (!glfwInit()) return 1;
#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
#else
  const char* glsl_version = "#version 330";
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
#endif
  p.window = glfwCreateWindow(kWindowW, kWindowH, "LayerLab", nullptr, nullptr);
  if (!p.window) {
    std::fprintf(stderr, "layerlab: cannot create a window with OpenGL 3.3\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(p.window);
  glfwSwapInterval(p.max_frames > 0 ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; state lives in the hash
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
#ifdef __EMSCRIPTEN__
  set_ui_scale(static_cast<float>(emscripten_get_device_pixel_ratio()));
  fit_canvas(p.window);
#else
  float sx = 1.0f, sy = 1.0f;
  glfwGetWindowContentScale(p.window, &sx, &sy);
  set_ui_scale(sx > 0.5f ? sx : 1.0f);
#endif
  // Input wakes the loop; ImGui's GLFW backend installs its callbacks after
  // these and calls them on.
  glfwSetCursorPosCallback(p.window, [](GLFWwindow*, double, double) { wake(); });
  glfwSetMouseButtonCallback(p.window, [](GLFWwindow*, int, int, int) { wake(); });
  glfwSetScrollCallback(p.window, [](GLFWwindow*, double, double) { wake(); });
  glfwSetKeyCallback(p.window, [](GLFWwindow*, int, int, int, int) { wake(); });
  glfwSetCharCallback(p.window, [](GLFWwindow*, unsigned int) { wake(); });
  glfwSetCursorEnterCallback(p.window, [](GLFWwindow*, int) { wake(); });
  glfwSetWindowFocusCallback(p.window, [](GLFWwindow*, int) { wake(); });
  glfwSetWindowSizeCallback(p.window, [](GLFWwindow*, int, int) { wake(); });
#ifndef __EMSCRIPTEN__
  glfwSetDropCallback(p.window, [](GLFWwindow*, int count, const char** paths) { drop_files(count, paths); });
  if (!p.drop.empty()) {
    const char* path = p.drop.c_str();
    drop_files(1, &path);
  }
#endif
  wake();
  ImGui_ImplGlfw_InitForOpenGL(p.window, true);
#ifdef __EMSCRIPTEN__
  // ImGui's backend listens for the wheel on the document, where browsers make
  // listeners passive (every zoom warned "Unable to preventDefault"): the canvas.
  emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, false, web_wheel);
#endif
  ImGui_ImplOpenGL3_Init(glsl_version);
  p.backend_ready = true;
#ifdef __EMSCRIPTEN__
  io.SetClipboardTextFn = web_set_clipboard;
  emscripten_set_main_loop_arg(frame, &p, 0, true);
#else
  while (!p.done && !glfwWindowShouldClose(p.window)) {
    frame(&p);
    // At rest, sleep until an event or the next heartbeat instead of spinning.
    if (p.max_frames == 0 && !frame_wanted(p)) glfwWaitEventsTimeout(kIdleWaitSeconds);
  }
  if (!p.state_out.empty()) {
    std::ofstream out(p.state_out);
    out << app::state_json(p.state) << "\n";
  }
  for (app::HeatmapView& v : p.state.views) app::texture_delete(v.texture);
  for (app::HeatmapView& v : p.state.lab_views) app::texture_delete(v.texture);
  p.retained.release();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(p.window);
  glfwTerminate();
#endif
  return p.exit_code;
}

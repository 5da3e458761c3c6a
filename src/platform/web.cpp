// web.cpp — the playground in a web page: Emscripten's GLFW + WebGL2 (platform.h),
// and the hooks the page calls (web/shell/hooks.js wraps them for window.layerlab).
//
//   fit_canvas           the canvas's backing store at CSS size x devicePixelRatio; the UI scale follows
//   web_wheel            the wheel on the canvas, as ImGui's backend reads it
//   web_frame            one iteration; the main loop paused at rest, resumed by wake()
//   main                 the page's hash (its only argument) and ?fills= / ?redraw= of the page's URL
//   the platform calls   window_hints, ui_font_files, initial_ui_scale, install_callbacks,
//                        on_wake, kWindowKeepsFrame, frame_drawn, run_loop
//   layerlab_* hooks     state JSON, set/get hash, frames drawn, visibility, print, the student's files
#include "gl.h"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <malloc.h>

#include <exception>
#include <string>
#include <string_view>

#include "app/app_state.h"
#include "app/hash_state.h"
#include "app/labs.h"
#include "app/panels.h"
#include "app/quiz.h"
#include "app/theme.h"
#include "app/user_data.h"
#include "imgui.h"
#include "platform.h"

#define LL_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE

namespace platform {

namespace {

struct Web {
  int quiet_frames = 0;    // main-loop iterations in a row that drew nothing
  bool paused = false;     // the main loop stopped at rest (no requestAnimationFrame at all)
  std::string json, hash;  // buffers returned to JavaScript
  std::string io_bytes;    // layerlab_save_npy's file, or the error of the last I/O call
};

Web g_web;

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

// After each drawn frame the page syncs the URL hash and resolves `ready`
// (web/shell.js), once this frame's wasm call has returned.
EM_JS(void, web_frame_drawn, (), {
  if (Module.onFrameDrawn) Promise.resolve().then(Module.onFrameDrawn);
});

EM_JS(void, web_copy_text, (const char* text), {
  const s = UTF8ToString(text);
  if (navigator.clipboard) navigator.clipboard.writeText(s).catch(function(){});
});

EM_JS(void, web_trace, (const char* name), {
  if (typeof performance !== 'undefined' && performance.mark) performance.mark('layerlab:' + UTF8ToString(name));
});

void web_set_clipboard(void*, const char* text) { web_copy_text(text); }

// The canvas is sized by CSS; its backing store follows CSS size x devicePixelRatio,
// and the UI's fonts and sizes follow devicePixelRatio (browser zoom, a window
// moved to another screen), so text stays crisp at every ratio.
void fit_canvas() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double dpr = emscripten_get_device_pixel_ratio();
  if (dpr > 0 && static_cast<float>(dpr) != loop().state.layout.scale) set_ui_scale(static_cast<float>(dpr));
  const int w = static_cast<int>(css_w * dpr + 0.5), h = static_cast<int>(css_h * dpr + 0.5);
  int cw = 0, ch = 0;
  glfwGetWindowSize(loop().window, &cw, &ch);
  if (w > 0 && h > 0 && (w != cw || h != ch)) {
    web_set_canvas_size(w, h);
    wake();
  }
}

// The wheel as ImGui's backend reads it (100 px, 3 lines or 1/80 page a step).
EM_BOOL web_wheel(int, const EmscriptenWheelEvent* ev, void*) {
  const float step = ev->deltaMode == DOM_DELTA_PIXEL ? 1.0f / 100.0f : ev->deltaMode == DOM_DELTA_LINE ? 1.0f / 3.0f : 80.0f;
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(ev->deltaX) * -step, static_cast<float>(ev->deltaY) * -step);
  wake();
  return EM_TRUE;
}

// One iteration of emscripten_set_main_loop_arg. At rest even the empty
// requestAnimationFrame loop costs a tenth of a core: after a few quiet
// iterations it stops; input, a page call or a resize (wake) starts it again.
void web_frame(void*) {
  fit_canvas();
  if (frame()) {
    g_web.quiet_frames = 0;
  } else if (++g_web.quiet_frames >= 3) {
    g_web.paused = true;
    emscripten_pause_main_loop();
  }
}

// The student's data (loadFile, saveNpy, paste). Each returns 1 on success, 0
// with the error's message in layerlab_io_bytes(); nothing changes on error.
template <typename F>
int io_call(F&& f) {
  try {
    f();
    wake();
    return 1;
  } catch (const std::exception& e) {
    g_web.io_bytes = e.what();
    return 0;
  }
}

// The page passes strings with their length, copied into malloc'ed memory
// (web/shell/hooks.js), never on the stack.
std::string text_arg(const char* p, int n) { return p && n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string(); }
std::string_view bytes_arg(const char* p, int n) { return std::string_view(p, n > 0 ? static_cast<size_t>(n) : 0); }

}  // namespace

// ---------------------------------------------------------------- the platform calls (platform.h)

const char* window_hints() {
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  return "#version 300 es";
}

void trace(const char* name) { web_trace(name); }

FontFiles ui_font_files() { return {{"/ui.ttf"}, 0}; }  // the page writes fonts/ui.ttf here before main()

float initial_ui_scale() { return static_cast<float>(emscripten_get_device_pixel_ratio()); }

void install_callbacks(GLFWwindow*) {
  // ImGui's backend listens for the wheel on the document, where browsers make
  // listeners passive (every zoom warned "Unable to preventDefault"): the canvas.
  emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, false, web_wheel);
  ImGui::GetIO().SetClipboardTextFn = web_set_clipboard;
}

void on_wake() {
  if (g_web.paused) {
    g_web.paused = false;
    emscripten_resume_main_loop();
  }
}

const bool kWindowKeepsFrame = true;  // a canvas not drawn into keeps showing its frame

void frame_drawn(bool) { web_frame_drawn(); }

int run_loop() {
  fit_canvas();  // the canvas's backing store before the first frame
  emscripten_set_main_loop_arg(web_frame, nullptr, 0, true);
  return loop().exit_code;  // not reached: the browser runs the loop
}

}  // namespace platform

// ---------------------------------------------------------------- the page's hooks (web/shell/hooks.js)

using platform::g_web;
using platform::loop;

LL_EXPORT const char* layerlab_state_json() {
  platform::Loop& p = loop();
  // A click the page has delivered but no frame has seen yet is part of the
  // state the caller asks for: draw the frames that take it in first.
  for (int i = 0; i < 4 && p.backend_ready && platform::input_pending(); ++i) platform::draw_frame();
  if (p.backend_ready) platform::fonts_follow_language();  // missing_glyphs counts the new language's
  app::ensure_computed(p.state);
  app::update_quiz(p.state);  // setState({answer}) is checked against the new result
  app::AppState& s = p.state;
  s.light = app::resolve_theme(s.theme, s.system_light, s.host_bg);  // a theme set since the last frame
  g_web.json = app::state_json(s);
  return g_web.json.c_str();
}

LL_EXPORT void layerlab_set_hash(const char* hash, int length) {  // setState: merge the keys
  platform::release_widgets();
  if (hash && length >= 0) app::apply_hash(loop().state, std::string_view(hash, static_cast<size_t>(length)));
  try {
    app::run_pending_steps(loop().state, app::kSetStateStepMs);  // setState({steps: K}) runs them now
  } catch (const std::exception& e) {
    loop().state.notice = e.what();  // shown above the tensors until the next change
  }
  platform::wake();
}

LL_EXPORT void layerlab_load_hash(const char* hash, int length) {  // a URL being opened: defaults, then the keys
  platform::release_widgets();
  app::load_hash(loop().state, hash && length >= 0 ? std::string_view(hash, static_cast<size_t>(length)) : std::string_view());
  platform::wake();
}

LL_EXPORT void layerlab_wake() { platform::wake(); }  // the page: a resize, a zoom (devicePixelRatio)

LL_EXPORT int layerlab_quiz_state() {  // 0 no quiz, 1 open, 2 answered (the page re-describes on a change)
  const app::Quiz& q = loop().state.quiz;
  return q.kind == app::QuizKind::NONE ? 0 : q.answered ? 2 : 1;
}

LL_EXPORT void layerlab_set_color_scheme(int light) {  // the page's prefers-color-scheme (theme=auto)
  loop().state.system_light = light != 0;
  platform::wake();
}

LL_EXPORT void layerlab_set_visible(int visible) {  // the page's IntersectionObserver: 0 while out of view
  loop().visible = visible != 0;
  if (loop().visible) platform::wake();
}

// Print (beforeprint): a frame drawn now, paused main loop or not, so the page
// can copy the canvas in the same task (WebGL keeps a frame only until it is shown).
LL_EXPORT void layerlab_draw_now() {
  if (!loop().backend_ready) return;
  platform::fit_canvas();
  loop().present_always = true;
  platform::draw_frame();
}

// The printed figure's caption (app::print_caption).
LL_EXPORT const char* layerlab_print_caption() {
  app::ensure_computed(loop().state);
  g_web.json = app::print_caption(loop().state);
  return g_web.json.c_str();
}

LL_EXPORT const char* layerlab_get_hash() {
  g_web.hash = app::to_hash(loop().state);
  return g_web.hash.c_str();
}

LL_EXPORT int layerlab_frames_drawn() { return loop().state.frames_drawn; }

// The CSS px of height the layout needs to show everything (an embed's layerlab:resize).
LL_EXPORT int layerlab_needed_height() { return static_cast<int>(loop().state.layout.needed_h + 0.5f); }

// Bytes malloc has handed out and not had back (scripts/soak watches it stay flat).
LL_EXPORT int layerlab_heap_bytes() { return static_cast<int>(mallinfo().uordblks); }

LL_EXPORT int layerlab_load_npy(const char* name, int name_len, const char* bytes, int len) {
  return platform::io_call(
      [&] { app::load_npy(loop().state, platform::text_arg(name, name_len), platform::bytes_arg(bytes, len)); });
}

LL_EXPORT int layerlab_load_image(const char* name, int name_len, const char* rgba, int len, int width, int height) {
  return platform::io_call([&] {
    app::load_image(loop().state, platform::text_arg(name, name_len), platform::bytes_arg(rgba, len), width, height);
  });
}

LL_EXPORT int layerlab_paste(const char* text, int len) {  // "layer" or "tensor" in layerlab_io_bytes()
  std::string applied;
  const int ok = platform::io_call([&] { applied = app::paste_text(loop().state, platform::text_arg(text, len)); });
  if (ok) g_web.io_bytes = applied;
  return ok;
}

LL_EXPORT int layerlab_save_npy(const char* which, int len) {  // the .npy in layerlab_io_bytes()
  return platform::io_call([&] { g_web.io_bytes = app::save_npy(loop().state, platform::text_arg(which, len)); });
}

LL_EXPORT const char* layerlab_io_bytes() { return g_web.io_bytes.data(); }
LL_EXPORT int layerlab_io_size() { return static_cast<int>(g_web.io_bytes.size()); }

// Ctrl+V on the page: 1 if a text field of the app has the keyboard (the text is
// typed into it), 0 if the page should paste it as PyTorch.
LL_EXPORT int layerlab_type_text(const char* text, int length) {
  if (!loop().backend_ready || !ImGui::GetIO().WantTextInput) return 0;
  ImGui::GetIO().AddInputCharactersUTF8(platform::text_arg(text, length).c_str());
  platform::wake();
  return 1;
}

// The page passes its URL's hash as the only argument (web/shell.js); ?fills=plain
// and ?redraw=all in its query are the desktop's --plain-fills and --redraw-all.
int main(int argc, char** argv) {
  platform::Loop& p = loop();
  p.plain_fills = EM_ASM_INT({ return new URLSearchParams(location.search).get('fills') === 'plain'; }) != 0;
  p.retained.set_redraw_all(EM_ASM_INT({ return new URLSearchParams(location.search).get('redraw') === 'all'; }) != 0);
  return platform::run(argc > 1 ? argv[1] : "");
}

// platform.h — the playground's main loop, and what it needs from a platform.
//
// hello_imgui's split: one loop for both platforms (loop.cpp), and one file per
// platform behind a few calls, chosen by CMake (web.cpp or desktop.cpp). Neither
// half asks which platform it is on.
//
//   [loop.cpp: the shared loop]
//   Loop, loop()           the window, the app's state and the loop's flags; the one instance
//   run                    window, GL context, ImGui and its backends, then the platform's loop
//   shutdown               the reverse of run's set-up (desktop, on exit)
//   frame                  one iteration: poll -> new frame -> build UI -> render -> swap (if wanted)
//   draw_frame             new frame -> build UI -> render -> swap, whether wanted or not
//   frame_wanted           idle at rest: draw on input, an animation, a page call
//   wake                   something happened: draw every frame for a while
//   set_ui_scale           fonts and style sizes for a device-pixel ratio
//   fonts_follow_language  the font atlas rebuilt for a language just chosen (its glyphs only)
//   input_pending          input events waiting for a frame (a press and its release take two)
//   release_widgets        a state from outside wins over a widget in use
//
//   [web.cpp or desktop.cpp: a platform]
//   main                   reads the arguments (a hash; desktop: the flags), then run()
//   window_hints           the GL context to ask GLFW for; ImGui's GLSL version
//   ui_font_files          the UI font's files to try
//   initial_ui_scale       device px per CSS px before the window opens
//   install_callbacks      after ImGui's backends: the platform's own input (web: wheel, clipboard; desktop: drop)
//   on_wake                wake() was called (web: restart a paused main loop)
//   kWindowKeepsFrame      a frame not drawn into keeps showing the last one (a WebGL canvas does)
//   frame_drawn            after each drawn frame, before the swap (web: tell the page; desktop: screenshot)
//   run_loop               call frame() until the end (web: the browser's animation frames)
//   trace                  a named point of the start-up (web: performance.mark('layerlab:NAME'); desktop: none)
#pragma once

#include <string>
#include <vector>

#include "app/app_state.h"
#include "retained_frame.h"

struct GLFWwindow;

namespace platform {

// ---------------------------------------------------------------- the shared loop (loop.cpp)

struct Loop {
  GLFWwindow* window = nullptr;
  app::AppState state;
  int max_frames = 0;                // --frames: stop after this many (0 = run until closed)
  float mouse_x = -1, mouse_y = -1;  // --mouse X,Y: a pointer parked there (hover tests)
  bool plain_fills = false;          // --plain-fills, ?fills=plain: draw every rectangle as ImGui does (draw_fills.h)
  RetainedFrame retained;            // each frame drawn where it changed (retained_frame.h); --redraw-all, ?redraw=all: whole
  bool present_always = false;       // the next frame reaches the window even if nothing changed (print)
  bool done = false;                 // the last of --frames is drawn
  int exit_code = 0;
  // Idle at rest: frames are drawn while something happens (input, a resize, a
  // state set from the page, an animation) and for kSettleSeconds after it,
  // then none until the next event; an embed scrolled out of view draws none.
  double awake_until = 0;      // glfwGetTime() until which every frame is drawn
  bool visible = true;         // the page's IntersectionObserver (web)
  bool backend_ready = false;  // ImGui's OpenGL backend is initialised (it owns the font texture)
  app::Lang fonts_lang = app::Lang::EN;  // the language whose glyphs the font atlas holds
};

Loop& loop();
int run(const std::string& hash);  // the state's hash, then the window and the loop; main()'s exit code
void shutdown();
bool frame();                      // one iteration of the loop; true if it drew a frame
void draw_frame();
bool frame_wanted();
void wake();
void set_ui_scale(float scale);
void fonts_follow_language();
bool input_pending();
void release_widgets();

// ---------------------------------------------------------------- a platform (web.cpp or desktop.cpp)

struct FontFiles {
  std::vector<const char*> paths;  // the first that loads is used
  int face = 0;                    // the face in a collection (.ttc)
};

const char* window_hints();
void trace(const char* name);
FontFiles ui_font_files();
float initial_ui_scale();
void install_callbacks(GLFWwindow* window);
void on_wake();
extern const bool kWindowKeepsFrame;
void frame_drawn(bool last);  // last: the last of --frames
int run_loop();

}  // namespace platform

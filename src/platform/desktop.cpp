// desktop.cpp — the playground as a desktop program: GLFW + OpenGL 3.3 (platform.h).
//
//   main, parse_args     a URL hash state and the flags: --frames --screenshot --plain-fills
//                        --redraw-all --mouse --drop --state
//   save_screenshot      --screenshot: the last frame as PNG
//   drop_files           a dropped .npy or image becomes the input
//   run_loop             frames until the window closes (or --frames ends), asleep at rest
//   the platform calls   window_hints, ui_font_files, initial_ui_scale, install_callbacks,
//                        on_wake, kWindowKeepsFrame, frame_drawn
#include "gl.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/user_data.h"
#include "core/check.h"
#include "image_file.h"
#include "platform.h"
#include "png_write.h"

namespace platform {

namespace {

struct Desktop {
  std::string screenshot;  // --screenshot: PNG of the last frame
  std::string drop;        // --drop: a file opened as if dropped, before the first frame
  std::string state_out;   // --state: state() written here on exit
};

Desktop g_desktop;

constexpr double kIdleWaitSeconds = 0.5;  // how long to sleep in glfwWaitEventsTimeout at rest

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

// The flags into the loop and g_desktop, the hash into `hash`. Returns -1 to go
// on, else the exit code (--help, a bad flag).
int parse_args(int argc, char** argv, std::string& hash) {
  Loop& p = loop();
  bool have_hash = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--help" || a == "-h") return usage(argv[0], 0);
    if (a == "--frames" && has_value) {
      p.max_frames = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--screenshot" && has_value) {
      g_desktop.screenshot = argv[++i];
    } else if (a == "--drop" && has_value) {
      g_desktop.drop = argv[++i];
    } else if (a == "--state" && has_value) {
      g_desktop.state_out = argv[++i];
    } else if (a == "--plain-fills") {
      p.plain_fills = true;
    } else if (a == "--redraw-all") {
      p.retained.set_redraw_all(true);
    } else if (a == "--mouse" && has_value) {
      if (std::sscanf(argv[++i], "%f,%f", &p.mouse_x, &p.mouse_y) != 2) return usage(argv[0], 2);
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "layerlab: unknown option %s\n", a.c_str());
      return usage(argv[0], 2);
    } else if (!have_hash) {
      hash = a;
      have_hash = true;
    }
  }
  if (!g_desktop.screenshot.empty() && p.max_frames == 0) p.max_frames = 3;
  return -1;
}

void save_screenshot(const std::string& path) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(loop().window, &w, &h);
  std::vector<uint8_t> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  std::vector<uint8_t> flipped(pixels.size());  // GL's first row is the bottom one
  const size_t row = static_cast<size_t>(w) * 3;
  for (int y = 0; y < h; ++y)
    std::memcpy(flipped.data() + static_cast<size_t>(y) * row, pixels.data() + static_cast<size_t>(h - 1 - y) * row,
                row);
  if (!write_png_rgb(path, flipped.data(), w, h)) {
    std::fprintf(stderr, "layerlab: cannot write %s\n", path.c_str());
    loop().exit_code = 1;
  }
}

// A .npy or an image (PNG, JPEG, WebP) dropped on the window becomes the pooling
// lab's input, through the same app calls as the page's loadFile. An error is the
// notice above the tensors (state().notice); nothing else changes.
void drop_files(int count, const char** paths) {
  if (count < 1 || !paths || !paths[0]) return;
  const std::string path = paths[0];
  const std::string name = path.substr(path.find_last_of('/') + 1);
  app::AppState& s = loop().state;
  try {
    std::ifstream f(path, std::ios::binary);
    LL_CHECK(f.good(), "%s: cannot be read", name.c_str());
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) {
      app::load_npy(s, name, bytes);
    } else {
      const DecodedImage img = decode_image_file(name, bytes);
      app::load_image(s, name, img.rgba, img.width, img.height);
    }
  } catch (const std::exception& e) {
    s.notice = e.what();  // shown above the tensors until the next change
  }
  wake();
}

}  // namespace

// ---------------------------------------------------------------- the platform calls (platform.h)

const char* window_hints() {
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  return "#version 330";
}

void trace(const char*) {}  // the desktop's start-up is measured by its own --frames runs

FontFiles ui_font_files() {
  return {{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc"},
          2};  // Noto Sans CJK SC in the collection
}

float initial_ui_scale() {  // the primary monitor's: the window opens there
  float sx = 1.0f, sy = 1.0f;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) glfwGetMonitorContentScale(monitor, &sx, &sy);
  return sx > 0.5f ? sx : 1.0f;
}

void install_callbacks(GLFWwindow* window) {
  glfwSetDropCallback(window, [](GLFWwindow*, int count, const char** paths) { drop_files(count, paths); });
  if (!g_desktop.drop.empty()) {
    const char* path = g_desktop.drop.c_str();
    drop_files(1, &path);
  }
}

void on_wake() {}

const bool kWindowKeepsFrame = false;  // a swapped window buffer is undefined: every frame is presented

void frame_drawn(bool last) {
  if (last && !g_desktop.screenshot.empty()) save_screenshot(g_desktop.screenshot);
}

int run_loop() {
  Loop& p = loop();
  while (!p.done && !glfwWindowShouldClose(p.window)) {
    frame();
    // At rest, sleep until an event or the next heartbeat instead of spinning.
    if (p.max_frames == 0 && !frame_wanted()) glfwWaitEventsTimeout(kIdleWaitSeconds);
  }
  if (!g_desktop.state_out.empty()) {
    std::ofstream out(g_desktop.state_out);
    out << app::state_json(p.state) << "\n";
  }
  shutdown();
  return p.exit_code;
}

}  // namespace platform

int main(int argc, char** argv) {
  std::string hash;
  const int code = platform::parse_args(argc, argv, hash);
  if (code >= 0) return code;
  return platform::run(hash);
}

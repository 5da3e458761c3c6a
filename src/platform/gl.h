// gl.h — GLFW and the OpenGL headers: OpenGL 3.3 on the desktop, OpenGL ES 3.0
// (WebGL2) in the browser. The one place in src/platform that asks which.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLFW/glfw3.h>
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1  // glGenerateMipmap, framebuffer objects (OpenGL 3.0), which Linux's libGL exports
#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#endif

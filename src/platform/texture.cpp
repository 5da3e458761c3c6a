// texture.cpp — app/texture.h (the heatmaps' RGBA8 textures) on OpenGL 3.3 and
// WebGL2: the same calls on both.
#include "gl.h"

#include <cstdint>

#include "app/texture.h"
#include "platform.h"

namespace app {

void* texture_update(void* texture, const uint32_t* rgba, int width, int height) {
  GLuint id = static_cast<GLuint>(reinterpret_cast<uintptr_t>(texture));
  if (id == 0) glGenTextures(1, &id);
  platform::loop().retained.texture_changed(reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
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
  platform::loop().retained.texture_changed(texture);  // a texture made next may get its name
  glDeleteTextures(1, &id);
}

}  // namespace app

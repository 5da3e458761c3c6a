// image.js — an image file as the browser decodes it, for layerlab.loadFile.
//
//   decodeImage   PNG / JPEG / WebP bytes -> {data: RGBA8 Uint8Array, width, height}

const MAX_IMAGE_SIDE = 8192;  // the desktop's decoder has the same cap (src/platform/image_file.h)

// Pixels exactly as stored: no colour-space conversion, no premultiplied alpha.
export function decodeImage(name, bytes) {
  if (typeof createImageBitmap !== 'function') return Promise.reject(new Error(name + ': this browser cannot decode images'));
  return createImageBitmap(new Blob([bytes]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' })
    .catch(() => { throw new Error(name + ': not a PNG, JPEG or WebP image this browser can decode'); })
    .then((bitmap) => {
      if (bitmap.width > MAX_IMAGE_SIDE || bitmap.height > MAX_IMAGE_SIDE) {
        throw new Error(name + ': ' + bitmap.width + ' x ' + bitmap.height + ' pixels is over the cap of ' +
                        MAX_IMAGE_SIDE + ' per side');
      }
      const c = document.createElement('canvas');
      c.width = bitmap.width;
      c.height = bitmap.height;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: bitmap.width, height: bitmap.height };
    });
}

// hooks.js — the app's C hooks (src/platform/web.cpp, layerlab_*) as JavaScript
// functions, once the module runs. Strings and bytes go into the module through the
// heap with their exact length, never through cwrap's 'string' (a copy onto the
// stack that nothing bounds).
//
//   MAX_STATE_BYTES   the longest state text (hash, setState, message) the app is handed
//   tooLong           the error for a longer one, refused here before any call
//   bindHooks         the running module -> {stateJson, setHash, loadHash, getHash, ..., saveNpy}

// In UTF-8 bytes, as the app counts them.
export const MAX_STATE_BYTES = 1 << 20;

export function tooLong(what, text) {
  return new Error(`layerlab: ${what} is too long (${text.length} characters; at most ${MAX_STATE_BYTES} bytes of UTF-8)`);
}

// fn(pointer, bytes) on a copy of `text`; returns false, calling nothing, for a
// text over MAX_STATE_BYTES.
function withHeapString(Module, fn) {
  return (text) => {
    if (text.length > MAX_STATE_BYTES) return false;
    const bytes = Module.lengthBytesUTF8(text);
    if (bytes > MAX_STATE_BYTES) return false;
    const ptr = Module._malloc(bytes + 1);
    if (!ptr) return false;
    try {
      Module.stringToUTF8(text, ptr, bytes + 1);
      fn(ptr, bytes);
    } finally {
      Module._free(ptr);
    }
    return true;
  };
}

// A string and a byte array on the heap for one call (freed after it).
function withHeap(Module, text, bytes, fn) {
  const tl = Module.lengthBytesUTF8(text);
  const tp = Module._malloc(tl + 1), bp = Module._malloc(Math.max(bytes.length, 1));
  try {
    if (!tp || !bp) throw new Error(`layerlab: out of memory for a ${bytes.length}-byte file`);
    Module.stringToUTF8(text, tp, tl + 1);
    Module.HEAPU8.set(bytes, bp);
    fn(tp, tl, bp, bytes.length);
  } finally {
    Module._free(tp);
    Module._free(bp);
  }
}

// The student's data: each C call returns 1, or 0 with the message in layerlab_io_bytes().
function fileHooks(Module) {
  const none = new Uint8Array(0);
  const ioText = () => Module.UTF8ToString(Module._layerlab_io_bytes(), Module._layerlab_io_size());
  const io = (ok) => { if (!ok) throw new Error(ioText()); };
  return {
    loadNpy(name, bytes) {
      withHeap(Module, name, bytes, (n, nl, b, bl) => io(Module._layerlab_load_npy(n, nl, b, bl)));
    },
    loadImage(name, rgba, width, height) {
      withHeap(Module, name, rgba, (n, nl, b, bl) => io(Module._layerlab_load_image(n, nl, b, bl, width, height)));
    },
    paste(text) {
      if (text.length > MAX_STATE_BYTES) throw tooLong('the pasted text', text);
      withHeap(Module, text, none, (t, tl) => io(Module._layerlab_paste(t, tl)));
      return ioText();
    },
    saveNpy(which) {
      withHeap(Module, which, none, (w, wl) => io(Module._layerlab_save_npy(w, wl)));
      return Module.HEAPU8.slice(Module._layerlab_io_bytes(), Module._layerlab_io_bytes() + Module._layerlab_io_size());
    },
    typeText(text) {  // Ctrl+V: true if an app text field took it
      let ok = 0;
      withHeap(Module, text, none, (t, tl) => { ok = Module._layerlab_type_text(t, tl); });
      return ok === 1;
    },
  };
}

export function bindHooks(Module) {
  return {
    stateJson: Module.cwrap('layerlab_state_json', 'string', []),
    setHash: withHeapString(Module, Module._layerlab_set_hash),
    loadHash: withHeapString(Module, Module._layerlab_load_hash),
    getHash: Module.cwrap('layerlab_get_hash', 'string', []),
    framesDrawn: Module.cwrap('layerlab_frames_drawn', 'number', []),
    quizState: Module.cwrap('layerlab_quiz_state', 'number', []),
    neededHeight: Module.cwrap('layerlab_needed_height', 'number', []),
    heapBytes: Module.cwrap('layerlab_heap_bytes', 'number', []),
    wasmBytes: () => Module.HEAPU8.byteLength,
    setVisible: Module.cwrap('layerlab_set_visible', null, ['number']),
    setColorScheme: Module.cwrap('layerlab_set_color_scheme', null, ['number']),
    wake: Module.cwrap('layerlab_wake', null, []),
    drawNow: Module.cwrap('layerlab_draw_now', null, []),
    printCaption: Module.cwrap('layerlab_print_caption', 'string', []),
    ...fileHooks(Module),
  };
}

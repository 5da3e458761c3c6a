// bridge.js — window.layerlab (CONTRACT §4, §4b) and the URL hash kept in step with
// the app: the app's state -> the URL after each frame, the URL -> the app on hashchange.
//
//   layerlab, ready        window.layerlab: ready, state, setState, loadFile, saveNpy, paste, eval
//   settleReady, failReady `ready` resolved after the first frame, or rejected (no WebGL2, no app)
//   attach, hooks          the running app's hooks (hooks.js); null while it loads
//   currentHash            the URL's hash, raw
//   syncHash               the app's state -> the URL, the description, the change listeners
//   lastHash               the hash last written or applied
//   onChange               a listener of changes (embed.js tells the host page)
//   setHashSuffix          what the URL keeps after the app's own keys (embed.js: allow=)
//   listenToHash           the URL -> the app, when the user edits it or follows a link
import { renderDescription } from './describe.js';
import { decodeImage } from './image.js';
import { tooLong } from './hooks.js';

const canvas = document.getElementById('canvas');

let api = null;          // the app's hooks, once the module runs
let last = null;         // the hash we last wrote or applied
let lastQuiz = 0;        // the quiz's state then (0 none, 1 open, 2 answered)
let suffix = '';         // kept after the app's hash
let corePromise = null;  // the core ES module, loaded on the first eval()
const listeners = [];    // change callbacks (postMessage to the host page)

let readyResolve, readyReject;
export const ready = new Promise((res, rej) => { readyResolve = res; readyReject = rej; });
ready.catch(() => {});  // a missing WebGL2 is shown on the page, not as an unhandled rejection

const notReady = () => new Error('layerlab: not ready yet (await layerlab.ready)');

function hashFromPartial(partial) {
  const parts = [];
  Object.keys(partial || {}).forEach((k) => {
    let v = partial[k];
    if (typeof v === 'boolean') v = v ? '1' : '0';
    else if (Array.isArray(v)) v = v.join(',');
    else if (v === null || v === undefined) v = 'None';
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
  });
  return parts.join('&');
}

// CONTRACT §4b: the student's own data. A .npy, or an image decoded by the
// browser, becomes the pooling lab's input; errors name the file and the rule.
function loadFile(name, bytes) {
  return Promise.resolve().then(() => {
    if (!api) throw notReady();
    name = String(name);
    bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (/\.npy$/i.test(name)) return api.loadNpy(name, bytes);
    if (!/\.(png|jpe?g|webp)$/i.test(name)) {
      throw new Error(name + ': LayerLab opens .npy, PNG, JPEG and WebP files');
    }
    return decodeImage(name, bytes).then((img) => api.loadImage(name, img.data, img.width, img.height));
  }).then(() => {
    syncHash();
    return { ok: true, shape: layerlab.state().input_shape };
  });
}

export const layerlab = {
  ready,
  state() {
    if (!api) return null;
    const st = JSON.parse(api.stateJson());
    // The module's memory: what malloc holds, and the wasm memory's size (it only grows).
    st.memory = { heap_bytes: api.heapBytes(), wasm_bytes: api.wasmBytes() };
    // The app's panels are in CSS px of its canvas; state() gives them in CSS px of the page.
    if (st.layout) {
      const box = canvas.getBoundingClientRect();
      st.layout.panels.forEach((p) => { p.x += box.left + window.scrollX; p.y += box.top + window.scrollY; });
    }
    return st;
  },
  setState(partial) {
    if (!api) throw notReady();
    const h = hashFromPartial(partial);
    if (!api.setHash(h)) throw tooLong('the state', h);
    syncHash();
    return layerlab.state();
  },
  loadFile,
  saveNpy(which) {
    if (!api) throw notReady();
    return api.saveNpy(String(which));
  },
  paste(text) {
    if (!api) throw notReady();
    try {
      const applied = api.paste(String(text));
      syncHash();
      return { ok: true, applied };
    } catch (e) {
      return { ok: false, error: e.message };
    }
  },
  eval(spec) {
    if (!corePromise) corePromise = import('../layerlab-core.mjs').then((m) => m.default());
    return corePromise.then((ll) => ll.eval(spec));
  },
};

export function settleReady() { readyResolve(layerlab); }
export function failReady(error) { readyReject(error); }

export function attach(hooks) {
  api = hooks;
  return api;
}
export function hooks() { return api; }
export function lastHash() { return last; }
export function onChange(listener) { listeners.push(listener); }
export function setHashSuffix(text) { suffix = text; }

// Raw: the app decodes each key and value itself (a malformed escape stays literal).
export function currentHash() { return location.hash.replace(/^#/, ''); }

// The app's state -> the URL (no history entry per slider step).
export function syncHash() {
  if (!api) return;
  const h = api.getHash(), quiz = api.quizState();
  if (h !== last || quiz !== lastQuiz) {  // an answered quiz shows the output: describe it
    last = h;
    lastQuiz = quiz;
    history.replaceState(null, '', '#' + h + suffix);
    const st = layerlab.state();
    document.documentElement.dataset.theme = st.theme;
    renderDescription(st);
    listeners.forEach((f) => f(st, h));
  }
}

// A hash too long to be one of ours is refused and replaced by the current state.
export function listenToHash() {
  window.addEventListener('hashchange', () => {
    if (!api) return;
    const h = currentHash();
    if (h !== last) {
      if (!api.loadHash(h)) console.warn(tooLong('the URL hash', h).message);
      last = null;
      syncHash();
    }
  });
}

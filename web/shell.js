// shell.js — the page side of LayerLab (index.html and embed.html), an ES module: starts
// the WebAssembly app on the canvas and wires the page's concerns, one module each
// under shell/. No inline script, no eval, no bundler: works under a strict
// Content-Security-Policy.
//
//   shell/bridge.js    window.layerlab (CONTRACT §4), the URL hash kept in step with the app
//   shell/hooks.js     the app's C hooks as JavaScript functions
//   shell/describe.js  the state as text in an ARIA live region
//   shell/image.js     an image file decoded by the browser
//   shell/input.js     keys to the focused canvas only; touch as the mouse
//   shell/tools.js     Describe, Copy link, Open file, drop, Ctrl+V
//   shell/embed.js     embed.html <-> its host page (postMessage)
//   shell/print.js     a still of the canvas and a caption when the page prints
//
// This file: start-up. The downloads begin at once; a browser without WebGL2 gets
// the page's message; otherwise the app runs with the page's hash, and each frame
// it draws syncs the URL (the first resolves layerlab.ready).
import { attach, currentHash, failReady, hooks, layerlab, listenToHash, settleReady, syncHash } from './shell/bridge.js';
import { announceHeight, embedded, installEmbed } from './shell/embed.js';
import { bindHooks, MAX_STATE_BYTES, tooLong } from './shell/hooks.js';
import { installKeys, installTouch } from './shell/input.js';
import { installPrint } from './shell/print.js';
import { installTools } from './shell/tools.js';

const canvas = document.getElementById('canvas');
const loading = document.getElementById('loading');

function fail(message) {
  document.getElementById('loading-text').textContent = message;
  loading.querySelector('.spinner').classList.add('hidden');
  failReady(new Error(message));
}
const failedToStart = (e) => fail('LayerLab failed to start: ' + (e && e.message ? e.message : e));

// performance.mark('layerlab:NAME'): where a load's time goes (bench/startup.mjs reads
// these and the app's own, made by platform::trace).
const mark = (name) => { if (performance.mark) performance.mark('layerlab:' + name); };

// Downloads start first, and the app's wasm compiles off the main thread
// while its script and font arrive.
function compileWasm(url) {
  const viaArrayBuffer = () => fetch(url).then((r) => {
    if (!r.ok) throw new Error('could not load ' + url + ' (HTTP ' + r.status + ')');
    return r.arrayBuffer();
  }).then((bytes) => WebAssembly.compile(bytes));
  if (typeof WebAssembly.compileStreaming !== 'function') return viaArrayBuffer();
  // compileStreaming needs the server to send application/wasm; otherwise compile from bytes.
  return WebAssembly.compileStreaming(fetch(url)).catch(viaArrayBuffer);
}

function startDownloads() {
  const wasmModule = compileWasm('layerlab.wasm');
  wasmModule.then(() => mark('compiled'), () => {});  // reported when the app starts
  // The subset UI font (Latin + the Chinese of the UI) goes into the module's
  // file system before main() runs; without it the app uses ImGui's own font.
  const font = fetch('fonts/ui.ttf')
    .then((r) => (r.ok ? r.arrayBuffer() : null))
    .catch(() => null);
  const script = new Promise((resolve) => {  // never settles if the script fails
    const s = document.createElement('script');
    s.src = 'layerlab.js';
    s.onload = () => { mark('script'); resolve(); };
    s.onerror = () => { fail('Could not load layerlab.js'); };
    document.body.appendChild(s);
  });
  return { wasmModule, font, script };
}

// No WebGL2: the message instead of the app. A browser without the API is
// told at once; one that has it but cannot make a context (disabled,
// blocklisted) fires webglcontextcreationerror when the app asks for one.
// (No context up front: in a new browser the first context waits most of a second
// for the GPU process to start, a wait that the downloads, the compile and the
// app's own set-up spend better; the app asks for its context after them.)
function noWebGL() {
  loading.classList.add('hidden');
  document.getElementById('nowebgl').style.display = 'flex';
  failReady(new Error('WebGL2 is not available'));
}

// The canvas backing store follows its CSS size times devicePixelRatio.
function fitCanvas() {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
}

// After each frame the app draws (the UI changes the state only in one):
// the first resolves `ready`, each syncs the URL hash. The app's own loop
// stops at rest, so nothing here runs per animation frame.
function frameDrawn() {
  if (!hooks()) return;
  if (!loading.classList.contains('hidden')) {
    mark('first-frame');
    loading.classList.add('hidden');
    settleReady();
  }
  try { syncHash(); } catch (e) { console.error(e); }
  announceHeight();
}

// main() gets the hash on the stack: only one short enough to be ours.
function startHash() {
  const hash = currentHash();
  if (hash.length > MAX_STATE_BYTES || new TextEncoder().encode(hash).length > MAX_STATE_BYTES) {
    console.warn(tooLong('the URL hash', hash).message);
    return '';
  }
  return hash;
}

function createApp(wasmModule, font) {
  const hash = startHash();
  return window.createLayerLabApp({
    canvas,
    arguments: hash ? [hash] : [],
    preRun: [(Module) => {
      mark('runtime');
      if (font) Module.FS.writeFile('/ui.ttf', new Uint8Array(font));
    }],
    // The module compiled above, instead of a second download.
    instantiateWasm(imports, receive) {
      wasmModule.then((module) => WebAssembly.instantiate(module, imports).then((instance) => {
        mark('instantiated');
        receive(instance, module);
      }))
        .catch(failedToStart);
      return {};
    },
    onFrameDrawn: frameDrawn,
    print: (t) => { console.log(t); },
    printErr: (t) => { console.warn(t); },
  });
}

// theme=auto follows the browser's prefers-color-scheme (the app resolves the theme;
// the page's own strip follows what it resolved).
function followColorScheme(api) {
  const scheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: light)') : null;
  if (!scheme) return;
  const onScheme = () => {
    api.setColorScheme(scheme.matches ? 1 : 0);
    document.documentElement.dataset.theme = layerlab.state().theme;
  };
  if (scheme.addEventListener) scheme.addEventListener('change', onScheme);
  else scheme.addListener(onScheme);
  onScheme();
}

// The module runs: the page's calls go to it.
function connect(Module) {
  const api = attach(bindHooks(Module));
  window.addEventListener('resize', () => { api.wake(); });  // the app re-reads the canvas size
  // An instance scrolled out of view draws nothing (a lesson page may hold many).
  if ('IntersectionObserver' in window) {
    new IntersectionObserver((entries) => {
      api.setVisible(entries[entries.length - 1].isIntersecting ? 1 : 0);
    }).observe(canvas);
  }
  followColorScheme(api);
  if (!embedded) canvas.focus();
  if (api.framesDrawn() > 0) frameDrawn();  // a first frame drawn before the hooks existed
}

function main() {
  installKeys(canvas);
  window.layerlab = layerlab;
  const downloads = startDownloads();
  if (typeof WebGL2RenderingContext === 'undefined') {
    noWebGL();
    return;
  }
  canvas.addEventListener('webglcontextcreationerror', noWebGL);
  window.addEventListener('resize', fitCanvas);
  fitCanvas();
  listenToHash();
  installTouch(canvas);
  installTools();
  installEmbed();
  installPrint(canvas);
  Promise.all([downloads.script, downloads.font])
    .then(([, font]) => createApp(downloads.wasmModule, font))
    .then(connect)
    .catch(failedToStart);
}

main();

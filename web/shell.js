// shell.js — the page side of LayerLab (index.html and embed.html): starts the
// WebAssembly app on the canvas, keeps the URL hash and the app in sync,
// defines window.layerlab (CONTRACT section 4), describes the state in an ARIA
// live region, and in embed.html talks to the host page through postMessage.
// No inline script, no eval: works under a strict Content-Security-Policy.
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var loading = document.getElementById('loading');
  var describe = document.getElementById('describe');
  var embedded = document.body.getAttribute('data-embed') === '1';
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });

  var readyResolve, readyReject;
  var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
  ready.catch(function () {});  // a missing WebGL2 is shown on the page, not as an unhandled rejection
  var api = null;          // cwrapped C functions, once the module runs
  var lastHash = null;     // the hash we last wrote or applied
  var corePromise = null;  // the core ES module, loaded on the first eval()
  var listeners = [];      // change callbacks (postMessage to the host page)

  function hashFromPartial(partial) {
    var parts = [];
    Object.keys(partial || {}).forEach(function (k) {
      var v = partial[k];
      if (typeof v === 'boolean') v = v ? '1' : '0';
      else if (Array.isArray(v)) v = v.join(',');
      else if (v === null || v === undefined) v = 'None';
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
    });
    return parts.join('&');
  }

  // window.layerlab: CONTRACT section 4.
  window.layerlab = {
    ready: ready,
    state: function () { return api ? JSON.parse(api.stateJson()) : null; },
    setState: function (partial) {
      if (!api) throw new Error('layerlab: not ready yet (await layerlab.ready)');
      api.setHash(hashFromPartial(partial));
      syncHash();
      return window.layerlab.state();
    },
    eval: function (spec) {
      if (!corePromise) {
        corePromise = import('./layerlab-core.mjs').then(function (m) { return m.default(); });
      }
      return corePromise.then(function (ll) { return ll.eval(spec); });
    }
  };

  function fail(message) {
    document.getElementById('loading-text').textContent = message;
    loading.querySelector('.spinner').classList.add('hidden');
    readyReject(new Error(message));
  }

  // Downloads start first, and the app's wasm compiles off the main thread
  // while its script and font arrive.
  function compileWasm(url) {
    var viaArrayBuffer = function () {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error('could not load ' + url + ' (HTTP ' + r.status + ')');
        return r.arrayBuffer();
      }).then(function (bytes) { return WebAssembly.compile(bytes); });
    };
    if (typeof WebAssembly.compileStreaming !== 'function') return viaArrayBuffer();
    // compileStreaming needs the server to send application/wasm; otherwise compile from bytes.
    return WebAssembly.compileStreaming(fetch(url)).catch(viaArrayBuffer);
  }
  var wasmModule = compileWasm('layerlab.wasm');
  wasmModule.catch(function () {});  // reported when the app starts
  // The subset UI font (Latin + the Chinese of the UI) goes into the module's
  // file system before main() runs; without it the app uses ImGui's own font.
  var fontPromise = fetch('fonts/ui.ttf')
    .then(function (r) { return r.ok ? r.arrayBuffer() : null; })
    .catch(function () { return null; });
  var scriptLoaded = new Promise(function (resolve) {  // never settles if the script fails
    var script = document.createElement('script');
    script.src = 'layerlab.js';
    script.onload = resolve;
    script.onerror = function () { fail('Could not load layerlab.js'); };
    document.body.appendChild(script);
  });

  // No WebGL2: the message instead of the app. A browser without the API is
  // told at once; one that has it but cannot make a context (disabled,
  // blocklisted) fires webglcontextcreationerror when the app asks for one.
  // (No probe context up front: creating a context is most of a second on a
  // cold start, and the app's own one would be a second such wait.)
  function noWebGL() {
    loading.classList.add('hidden');
    document.getElementById('nowebgl').style.display = 'flex';
    readyReject(new Error('WebGL2 is not available'));
  }
  if (typeof WebGL2RenderingContext === 'undefined') {
    noWebGL();
    return;
  }
  canvas.addEventListener('webglcontextcreationerror', noWebGL);

  // The canvas backing store follows its CSS size times devicePixelRatio.
  function fitCanvas() {
    var dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    var h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  }
  window.addEventListener('resize', fitCanvas);
  fitCanvas();

  // Raw: the app decodes each key and value itself (a malformed escape stays literal).
  function currentHash() { return location.hash.replace(/^#/, ''); }

  // ---------------------------------------------------------------- description
  var T = {
    en: { layer: 'Layer', params: 'Parameters', input: 'input shape', output: 'output shape', error: 'Error',
          none: 'none', values: 'output values (first channel)' },
    zh: { layer: '层', params: '参数', input: '输入形状', output: '输出形状', error: '错误', none: '无',
          values: '输出数值（第一个通道）' }
  };
  function text(tag, content, cls) {
    var e = document.createElement(tag);
    e.textContent = content;
    if (cls) e.className = cls;
    return e;
  }
  function shapeText(s) { return s ? '[' + s.join(', ') + ']' : '—'; }
  function renderDescription(st) {
    if (!describe || !st) return;
    var t = T[st.lang] || T.en;
    describe.textContent = '';
    describe.setAttribute('lang', st.lang === 'zh' ? 'zh-CN' : 'en');
    describe.appendChild(text('p', t.layer + ': ' + st.layer + (st.lab ? ' (' + st.lab + ')' : '')));
    var params = Object.keys(st.params || {}).map(function (k) {
      return k + '=' + JSON.stringify(st.params[k]);
    }).join(', ');
    describe.appendChild(text('p', t.params + ': ' + (params || t.none)));
    describe.appendChild(text('p', t.input + ' ' + shapeText(st.input_shape) + ' → ' + t.output + ' ' +
                              shapeText(st.output_shape)));
    if (st.error) describe.appendChild(text('p', t.error + ': ' + st.error, 'error'));
    var v = st.output_values;  // small outputs only (see the app's state JSON)
    if (v && st.output_shape && st.output_shape.length >= 2) {
      var w = st.output_shape[st.output_shape.length - 1];
      var table = document.createElement('table');
      table.appendChild(text('caption', t.values));
      for (var r = 0; r * w < v.length; r++) {
        var tr = document.createElement('tr');
        for (var c = 0; c < w && r * w + c < v.length; c++) tr.appendChild(text('td', String(v[r * w + c])));
        table.appendChild(tr);
      }
      describe.appendChild(table);
    }
  }

  // ---------------------------------------------------------------- hash sync
  // The app's state -> the URL (no history entry per slider step).
  function syncHash() {
    if (!api) return;
    var h = api.getHash();
    if (h !== lastHash) {
      lastHash = h;
      history.replaceState(null, '', '#' + h);
      var st = window.layerlab.state();
      renderDescription(st);
      listeners.forEach(function (f) { f(st, h); });
    }
  }

  // The URL -> the app's state, when the user edits it or follows a link.
  window.addEventListener('hashchange', function () {
    if (!api) return;
    var h = currentHash();
    if (h !== lastHash) {
      api.loadHash(h);
      lastHash = null;
      syncHash();
    }
  });

  // ---------------------------------------------------------------- touch
  // Emscripten's GLFW listens for mouse events only: a finger or pen becomes the
  // mouse (tap = click, drag = drag for pan and sliders). The touch events'
  // default is cancelled so the browser adds no compatibility clicks of its own.
  var MOUSE = { pointerdown: 'mousedown', pointermove: 'mousemove', pointerup: 'mouseup', pointercancel: 'mouseup' };
  Object.keys(MOUSE).forEach(function (type) {
    canvas.addEventListener(type, function (e) {
      if (e.pointerType === 'mouse') return;
      if (type === 'pointerdown') canvas.setPointerCapture(e.pointerId);
      var init = {
        bubbles: true, cancelable: true, clientX: e.clientX, clientY: e.clientY, screenX: e.screenX,
        screenY: e.screenY, button: 0, buttons: type === 'pointerup' || type === 'pointercancel' ? 0 : 1
      };
      // GLFW takes the cursor position from mousemove only: move there first.
      if (type !== 'pointermove') canvas.dispatchEvent(new MouseEvent('mousemove', init));
      canvas.dispatchEvent(new MouseEvent(MOUSE[type], init));
    });
  });
  ['touchstart', 'touchmove', 'touchend'].forEach(function (type) {
    canvas.addEventListener(type, function (e) { e.preventDefault(); }, { passive: false });
  });

  // ---------------------------------------------------------------- tools
  var copyButton = document.getElementById('copy-link');
  if (copyButton) {
    copyButton.addEventListener('click', function () {
      var url = embedded ? new URL('index.html' + location.hash, location.href).href : location.href;
      var done = function () { copyButton.textContent = copyButton.getAttribute('data-done'); };
      if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, function () {});
    });
  }
  var describeButton = document.getElementById('describe-toggle');
  if (describeButton && describe) {
    describeButton.addEventListener('click', function () {
      var hidden = describe.classList.toggle('visually-hidden');
      describeButton.setAttribute('aria-expanded', hidden ? 'false' : 'true');
      if (!hidden) describe.focus();
    });
  }

  // ---------------------------------------------------------------- postMessage (embed.html)
  // The host page may set and read the state; only origins on the allow-list
  // (hash key `allow`, comma-separated; default: this page's own origin) are heard.
  if (embedded) {
    var allowed = [location.origin];
    var m = /(?:^|&)allow=([^&]*)/.exec(location.hash.replace(/^#/, ''));
    if (m) {
      m[1].split(/,|%2C/i).forEach(function (o) {
        try { allowed.push(new URL(decodeURIComponent(o)).origin); } catch (e) { /* not an origin: ignored */ }
      });
    }
    window.addEventListener('message', function (event) {
      if (allowed.indexOf(event.origin) < 0 || !event.data || typeof event.data !== 'object') return;
      var msg = event.data;
      ready.then(function () {
        if (msg.type === 'layerlab:setState' && msg.state && typeof msg.state === 'object') {
          window.layerlab.setState(msg.state);
        }
        if (msg.type === 'layerlab:setState' || msg.type === 'layerlab:getState') {
          event.source.postMessage({ type: 'layerlab:state', id: msg.id, state: window.layerlab.state(),
                                     hash: lastHash }, event.origin);
        }
      });
    });
    if (window.parent !== window) {
      listeners.push(function (st, h) {
        allowed.forEach(function (origin) {
          window.parent.postMessage({ type: 'layerlab:change', state: st, hash: h }, origin);
        });
      });
    }
  }

  // ---------------------------------------------------------------- start
  function tick() {
    if (api) {
      if (api.framesDrawn() > 0 && !loading.classList.contains('hidden')) {
        loading.classList.add('hidden');
        readyResolve(window.layerlab);
      }
      syncHash();
    }
    requestAnimationFrame(tick);
  }

  Promise.all([scriptLoaded, fontPromise]).then(function (loaded) {
    var font = loaded[1];
    var hash = currentHash();
    return createLayerLabApp({
      canvas: canvas,
      arguments: hash ? [hash] : [],
      preRun: [function (Module) {
        if (font) Module.FS.writeFile('/ui.ttf', new Uint8Array(font));
      }],
      // The module compiled above, instead of a second download.
      instantiateWasm: function (imports, receive) {
        wasmModule.then(function (module) {
          return WebAssembly.instantiate(module, imports).then(function (instance) { receive(instance, module); });
        }).catch(function (e) {
          fail('LayerLab failed to start: ' + (e && e.message ? e.message : e));
        });
        return {};
      },
      print: function (t) { console.log(t); },
      printErr: function (t) { console.warn(t); }
    });
  }).then(function (Module) {
    api = {
      stateJson: Module.cwrap('layerlab_state_json', 'string', []),
      setHash: Module.cwrap('layerlab_set_hash', null, ['string']),
      loadHash: Module.cwrap('layerlab_load_hash', null, ['string']),
      getHash: Module.cwrap('layerlab_get_hash', 'string', []),
      framesDrawn: Module.cwrap('layerlab_frames_drawn', 'number', [])
    };
    if (!embedded) canvas.focus();
    requestAnimationFrame(tick);
  }).catch(function (e) {
    fail('LayerLab failed to start: ' + (e && e.message ? e.message : e));
  });
})();

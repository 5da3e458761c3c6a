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
  // Keys belong to the app only while the canvas has focus, and Tab (Shift+Tab)
  // always leaves it for the page's buttons, as on any page. Emscripten's GLFW
  // takes every key event on the window (capture phase) and cancels it; these
  // listeners, registered first, keep the others from it.
  // The canvas shows a focus ring only to keyboard users (Tab), not after a click.
  window.addEventListener('keydown', function (e) { if (e.key === 'Tab') document.body.classList.add('keyboard'); }, true);
  window.addEventListener('pointerdown', function () { document.body.classList.remove('keyboard'); }, true);
  ['keydown', 'keypress', 'keyup'].forEach(function (type) {
    window.addEventListener(type, function (e) {
      var tab = e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey;
      if (tab || document.activeElement !== canvas) e.stopImmediatePropagation();
    }, true);
  });

  var readyResolve, readyReject;
  var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
  ready.catch(function () {});  // a missing WebGL2 is shown on the page, not as an unhandled rejection
  var api = null;          // cwrapped C functions, once the module runs
  var lastHash = null;     // the hash we last wrote or applied
  var corePromise = null;  // the core ES module, loaded on the first eval()
  var listeners = [];      // change callbacks (postMessage to the host page)

  // The longest state text (hash, setState, message) the app is handed, in UTF-8
  // bytes as the app counts them; longer ones are refused here, before any call.
  var MAX_STATE_BYTES = 1 << 20;
  function tooLong(what, text) {
    return new Error('layerlab: ' + what + ' is too long (' + text.length + ' characters; at most ' +
                     MAX_STATE_BYTES + ' bytes of UTF-8)');
  }

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
    state: function () {
      if (!api) return null;
      var st = JSON.parse(api.stateJson());
      // The module's memory: what malloc holds, and the wasm memory's size (it only grows).
      st.memory = { heap_bytes: api.heapBytes(), wasm_bytes: api.wasmBytes() };
      // The app's panels are in CSS px of its canvas; state() gives them in CSS px of the page.
      if (st.layout) {
        var box = canvas.getBoundingClientRect();
        st.layout.panels.forEach(function (p) { p.x += box.left + window.scrollX; p.y += box.top + window.scrollY; });
      }
      return st;
    },
    setState: function (partial) {
      if (!api) throw new Error('layerlab: not ready yet (await layerlab.ready)');
      var h = hashFromPartial(partial);
      if (!api.setHash(h)) throw tooLong('the state', h);
      syncHash();
      return window.layerlab.state();
    },
    // CONTRACT section 4b: the student's own data. A .npy, or an image decoded by the
    // browser, becomes the pooling lab's input; errors name the file and the rule.
    loadFile: function (name, bytes) {
      return Promise.resolve().then(function () {
        if (!api) throw new Error('layerlab: not ready yet (await layerlab.ready)');
        name = String(name);
        bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
        if (/\.npy$/i.test(name)) return api.loadNpy(name, bytes);
        if (!/\.(png|jpe?g|webp)$/i.test(name)) {
          throw new Error(name + ': LayerLab opens .npy, PNG, JPEG and WebP files');
        }
        return decodeImage(name, bytes).then(function (img) {
          return api.loadImage(name, img.data, img.width, img.height);
        });
      }).then(function () {
        syncHash();
        return { ok: true, shape: window.layerlab.state().input_shape };
      });
    },
    saveNpy: function (which) {
      if (!api) throw new Error('layerlab: not ready yet (await layerlab.ready)');
      return api.saveNpy(String(which));
    },
    paste: function (text) {
      if (!api) throw new Error('layerlab: not ready yet (await layerlab.ready)');
      try {
        var applied = api.paste(String(text));
        syncHash();
        return { ok: true, applied: applied };
      } catch (e) {
        return { ok: false, error: e.message };
      }
    },
    eval: function (spec) {
      if (!corePromise) {
        corePromise = import('./layerlab-core.mjs').then(function (m) { return m.default(); });
      }
      return corePromise.then(function (ll) { return ll.eval(spec); });
    }
  };

  // Pixels exactly as stored: no colour-space conversion, no premultiplied alpha.
  var MAX_IMAGE_SIDE = 8192;
  function decodeImage(name, bytes) {
    if (typeof createImageBitmap !== 'function') return Promise.reject(new Error(name + ': this browser cannot decode images'));
    return createImageBitmap(new Blob([bytes]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' })
      .catch(function () { throw new Error(name + ': not a PNG, JPEG or WebP image this browser can decode'); })
      .then(function (bitmap) {
        if (bitmap.width > MAX_IMAGE_SIDE || bitmap.height > MAX_IMAGE_SIDE) {
          throw new Error(name + ': ' + bitmap.width + ' x ' + bitmap.height + ' pixels is over the cap of ' +
                          MAX_IMAGE_SIDE + ' per side');
        }
        var c = document.createElement('canvas');
        c.width = bitmap.width;
        c.height = bitmap.height;
        var ctx = c.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(bitmap, 0, 0);
        var data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: bitmap.width, height: bitmap.height };
      });
  }

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
  // A parameter as PyTorch's repr writes it: True/False/None, (3, 2) for a pair,
  // floats to 4 decimals as torch.set_printoptions' default (0.89, not 0.8899999856948853).
  function pythonValue(v) {
    if (v === true) return 'True';
    if (v === false) return 'False';
    if (v === null || v === undefined) return 'None';
    if (Array.isArray(v)) return '(' + v.map(pythonValue).join(', ') + ')';
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return String(v);
      var r = String(Number(v.toFixed(4)));
      return /[.e]/.test(r) ? r : r + '.0';
    }
    return "'" + String(v) + "'";
  }
  function shapeText(s) { return s ? '[' + s.join(', ') + ']' : '—'; }
  function renderDescription(st) {
    if (!describe || !st) return;
    var t = T[st.lang] || T.en;
    describe.textContent = '';
    describe.setAttribute('lang', st.lang === 'zh' ? 'zh-CN' : 'en');
    describe.appendChild(text('p', t.layer + ': ' + st.layer + (st.lab ? ' (' + st.lab + ')' : '')));
    var params = Object.keys(st.params || {}).map(function (k) {
      return k + '=' + pythonValue(st.params[k]);
    }).join(', ');
    describe.appendChild(text('p', t.params + ': ' + (params || t.none)));
    // An open quiz question (quiz=shape|value): the output is what the student predicts.
    var open = st.quiz && !st.quiz.answered;
    describe.appendChild(text('p', t.input + ' ' + shapeText(st.input_shape) + ' → ' + t.output + ' ' +
                              (open ? '?' : shapeText(st.output_shape))));
    if (st.error) describe.appendChild(text('p', t.error + ': ' + st.error, 'error'));
    var v = open ? null : st.output_values;  // small outputs only (see the app's state JSON)
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
  var lastQuiz = 0;
  function syncHash() {
    if (!api) return;
    var h = api.getHash(), quiz = api.quizState();
    if (h !== lastHash || quiz !== lastQuiz) {  // an answered quiz shows the output: describe it
      lastHash = h;
      lastQuiz = quiz;
      history.replaceState(null, '', '#' + h + allowSuffix);
      var st = window.layerlab.state();
      document.documentElement.dataset.theme = st.theme;
      renderDescription(st);
      listeners.forEach(function (f) { f(st, h); });
    }
  }

  // The URL -> the app's state, when the user edits it or follows a link.
  // A hash too long to be one of ours is refused and replaced by the current state.
  window.addEventListener('hashchange', function () {
    if (!api) return;
    var h = currentHash();
    if (h !== lastHash) {
      if (!api.loadHash(h)) console.warn(tooLong('the URL hash', h).message);
      lastHash = null;
      syncHash();
    }
  });

  // ---------------------------------------------------------------- touch
  // Emscripten's GLFW listens for mouse events only: a finger or pen becomes the
  // mouse. One finger: tap = click, drag = drag (sliders, panning a zoomed
  // heatmap, scrolling a narrow layout's column). Two fingers: the mouse is held
  // at their midpoint (pan) and their spread turns the wheel there (pinch to
  // zoom a heatmap: the app takes 100 px of wheel as one 1.2x step). The touch
  // events' default is cancelled so the browser adds no clicks or zoom of its own.
  var MOUSE = { pointerdown: 'mousedown', pointermove: 'mousemove', pointerup: 'mouseup', pointercancel: 'mouseup' };
  var touches = new Map();  // pointerId -> {x, y}, fingers and pens on the canvas
  var pinch = null;         // {x, y, d}: the two fingers' midpoint and spread
  var held = false;         // the emulated mouse button is down
  var chorded = false;      // a two-finger gesture ran: the last finger's lift presses nothing
  function mouse(type, x, y, buttons) {
    var init = { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: buttons };
    // GLFW takes the cursor position from mousemove only: move there first.
    if (type !== 'mousemove') canvas.dispatchEvent(new MouseEvent('mousemove', init));
    canvas.dispatchEvent(new MouseEvent(type, init));
  }
  function twoFingers() {
    var p = Array.from(touches.values());
    return { x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2, d: Math.max(1, Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y)) };
  }
  // Any press on the canvas gives it the focus (a finger's too: its synthetic
  // mouse events would not), so the keys then go to the app.
  canvas.addEventListener('pointerdown', function () { canvas.focus({ preventScroll: true }); });
  Object.keys(MOUSE).forEach(function (type) {
    canvas.addEventListener(type, function (e) {
      if (e.pointerType === 'mouse') return;
      var down = type === 'pointerdown', up = type === 'pointerup' || type === 'pointercancel';
      if (!down && !touches.has(e.pointerId)) return;  // a pointer that never pressed here
      if (down) {
        try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is already gone */ }
      }
      if (up) touches.delete(e.pointerId); else touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (touches.size >= 2) {
        var g = twoFingers();
        if (!pinch) {  // a second finger: the first one's press becomes the pair's
          if (held) mouse('mouseup', -1e4, -1e4, 0);  // released off every widget: no click
          mouse('mousedown', g.x, g.y, 1);
          held = true;
          chorded = true;
        } else {
          mouse('mousemove', g.x, g.y, 1);
          var steps = Math.log(g.d / pinch.d) / Math.log(1.2);
          if (Math.abs(steps) > 0.01) {
            canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: g.x, clientY: g.y,
                                                           deltaY: -100 * steps, deltaMode: 0 }));
          }
        }
        pinch = g;
        return;
      }
      if (pinch) {  // back to one finger (or none): the pair's press ends where it was
        mouse('mouseup', pinch.x, pinch.y, 0);
        held = false;
        pinch = null;
        return;
      }
      if (chorded) {  // the remaining finger of a pinch presses nothing
        if (touches.size === 0) chorded = false;
        return;
      }
      mouse(MOUSE[type], e.clientX, e.clientY, up ? 0 : 1);
      held = !up;
    });
  });
  // Emscripten's GLFW would read each touch as a press of its own (on the
  // canvas, capture phase): the touch events stop here, before it, and the
  // pointer events above speak for the fingers.
  ['touchstart', 'touchmove', 'touchend', 'touchcancel'].forEach(function (type) {
    window.addEventListener(type, function (e) {
      if (e.target !== canvas) return;
      e.preventDefault();
      e.stopImmediatePropagation();
    }, { capture: true, passive: false });
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
  var fileStatus = document.getElementById('file-status');
  function openFiles(files) {
    if (!files || !files.length) return;
    var file = files[0];
    file.arrayBuffer().then(function (buf) {
      return window.layerlab.loadFile(file.name, new Uint8Array(buf));
    }).then(function (r) {
      if (fileStatus) fileStatus.textContent = file.name + ' → input ' + r.shape.join('×'), fileStatus.classList.remove('error');
    }, function (e) {
      if (fileStatus) fileStatus.textContent = e.message, fileStatus.classList.add('error');
    });
  }
  var fileInput = document.getElementById('file-input');
  var openButton = document.getElementById('open-file');
  if (fileInput && openButton) {
    openButton.addEventListener('click', function () { fileInput.click(); });
    fileInput.addEventListener('change', function () { openFiles(fileInput.files); fileInput.value = ''; });
  }
  // Drop a file on the page; captured before GLFW's own drop handler on the canvas.
  window.addEventListener('dragover', function (e) { e.preventDefault(); e.stopImmediatePropagation(); }, true);
  window.addEventListener('drop', function (e) {
    e.preventDefault();
    e.stopImmediatePropagation();
    if (api) openFiles(e.dataTransfer && e.dataTransfer.files);
  }, true);
  // Ctrl+V with the playground focused: into the app's text field if one has the
  // keyboard, else as PyTorch (a layer line or a tensor), as layerlab.paste.
  document.addEventListener('paste', function (e) {
    if (!api || document.activeElement !== canvas || !e.clipboardData) return;
    var text = e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    if (text.length <= MAX_STATE_BYTES && api.typeText(text)) return;
    var r = window.layerlab.paste(text);
    if (fileStatus) {
      fileStatus.textContent = r.ok ? 'Ctrl+V → ' + r.applied + ' · 已粘贴' : r.error;
      fileStatus.classList.toggle('error', !r.ok);
    }
  });
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
  // are heard: this page's own origin plus every `allow=` key of the hash
  // (comma-separated http: or https: origins; an opaque origin such as a
  // sandboxed or data: frame's 'null' is never one). The allow= keys stay in
  // the hash this page writes back, so a reload of the frame still hears its host.
  function allowedOrigins(hash) {
    var origins = [location.origin];
    hash.split('&').forEach(function (item) {
      var eq = item.indexOf('=');
      if (eq < 0 || item.slice(0, eq).toLowerCase() !== 'allow') return;
      item.slice(eq + 1).split(/,|%2C/i).forEach(function (o) {
        var url;
        try { url = new URL(decodeURIComponent(o)); } catch (e) { return; }  // not a URL: ignored
        if ((url.protocol === 'http:' || url.protocol === 'https:') && origins.indexOf(url.origin) < 0) {
          origins.push(url.origin);
        }
      });
    });
    return origins;
  }
  var allowed = embedded ? allowedOrigins(currentHash()) : [];
  var allowSuffix = allowed.length > 1
    ? '&allow=' + allowed.slice(1).map(encodeURIComponent).join(',') : '';

  // A reply or a change announcement that cannot be posted (the window went
  // away, an origin that no longer matches) is dropped, never thrown.
  function post(target, message, origin) {
    try { target.postMessage(message, origin); } catch (e) { console.warn('layerlab: postMessage failed: ' + e.message); }
  }
  if (embedded) {
    window.addEventListener('message', function (event) {
      if (allowed.indexOf(event.origin) < 0 || !event.data || typeof event.data !== 'object') return;
      var msg = event.data;
      ready.then(function () {
        var error = null;
        if (msg.type === 'layerlab:setState' && msg.state && typeof msg.state === 'object') {
          try { window.layerlab.setState(msg.state); } catch (e) { error = e.message; }
        }
        if ((msg.type === 'layerlab:setState' || msg.type === 'layerlab:getState') && event.source) {
          var reply = { type: 'layerlab:state', id: msg.id, state: window.layerlab.state(), hash: lastHash };
          if (error) reply.error = error;
          post(event.source, reply, event.origin);
        }
      });
    });
    if (window.parent !== window) {
      listeners.push(function (st, h) {
        allowed.forEach(function (origin) {
          post(window.parent, { type: 'layerlab:change', state: st, hash: h }, origin);
        });
      });
    }
  }

  // ---------------------------------------------------------------- print
  // A printed or PDF lesson keeps the figure. On beforeprint, and when the print media
  // query starts to match (a browser that prints without the event, emulated print
  // media), the app draws a frame now and the canvas is copied in the same task (a WebGL
  // canvas keeps no frame once it is shown) into an <img> that only print media shows,
  // captioned with the lab's module in Python (the app's print_caption). An embed's
  // frame does the same in its own document, which prints inside the host page.
  var printFigure = null;
  function preparePrint() {
    if (!api) return;  // still loading: nothing to show yet
    if (!printFigure) {
      printFigure = document.createElement('figure');
      printFigure.id = 'print-figure';
      printFigure.appendChild(document.createElement('img'));
      printFigure.appendChild(document.createElement('figcaption'));
      canvas.parentNode.insertBefore(printFigure, canvas.nextSibling);
    }
    var caption = api.printCaption();
    api.drawNow();
    var img = printFigure.querySelector('img');
    img.src = canvas.toDataURL('image/png');
    img.alt = 'LayerLab: ' + caption;
    printFigure.querySelector('figcaption').textContent = caption;
  }
  function endPrint() {
    if (printFigure) printFigure.parentNode.removeChild(printFigure);
    printFigure = null;
  }
  window.addEventListener('beforeprint', preparePrint);
  window.addEventListener('afterprint', endPrint);
  var printMedia = window.matchMedia ? window.matchMedia('print') : null;
  if (printMedia) {
    var onPrintMedia = function (e) { if (e.matches) preparePrint(); else endPrint(); };
    if (printMedia.addEventListener) printMedia.addEventListener('change', onPrintMedia);
    else if (printMedia.addListener) printMedia.addListener(onPrintMedia);  // Safari before 14
  }

  // ---------------------------------------------------------------- start
  // After each frame the app draws (the UI changes the state only in one):
  // the first resolves `ready`, each syncs the URL hash. The app's own loop
  // stops at rest, so nothing here runs per animation frame.
  function frameDrawn() {
    if (!api) return;
    if (!loading.classList.contains('hidden')) {
      loading.classList.add('hidden');
      readyResolve(window.layerlab);
    }
    try { syncHash(); } catch (e) { console.error(e); }
    if (embedded && window.parent !== window) postHeight();
  }

  // An embed tells its host page the height its layout needs (the canvas's
  // and the tools strip's); layerlab-embed.js sizes the iframe to it. A plain
  // <iframe> ignores the message and keeps its own height.
  var postedHeight = 0;
  function postHeight() {
    var tools = document.getElementById('tools');
    var height = api.neededHeight() + (tools ? tools.offsetHeight : 0);
    if (!(height > 0) || Math.abs(height - postedHeight) < 1) return;
    postedHeight = height;
    allowed.forEach(function (origin) { post(window.parent, { type: 'layerlab:resize', height: height }, origin); });
  }

  Promise.all([scriptLoaded, fontPromise]).then(function (loaded) {
    var font = loaded[1];
    // main() gets the hash on the stack: only one short enough to be ours.
    var hash = currentHash();
    if (hash.length > MAX_STATE_BYTES || new TextEncoder().encode(hash).length > MAX_STATE_BYTES) {
      console.warn(tooLong('the URL hash', hash).message);
      hash = '';
    }
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
      onFrameDrawn: frameDrawn,
      print: function (t) { console.log(t); },
      printErr: function (t) { console.warn(t); }
    });
  }).then(function (Module) {
    // Strings go into the module through the heap with their exact length, never
    // through cwrap's 'string' (a copy onto the stack that nothing bounds).
    // Returns false, calling nothing, for a text over MAX_STATE_BYTES.
    function withHeapString(fn) {
      return function (text) {
        if (text.length > MAX_STATE_BYTES) return false;
        var bytes = Module.lengthBytesUTF8(text);
        if (bytes > MAX_STATE_BYTES) return false;
        var ptr = Module._malloc(bytes + 1);
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
    api = {
      stateJson: Module.cwrap('layerlab_state_json', 'string', []),
      setHash: withHeapString(Module._layerlab_set_hash),
      loadHash: withHeapString(Module._layerlab_load_hash),
      getHash: Module.cwrap('layerlab_get_hash', 'string', []),
      framesDrawn: Module.cwrap('layerlab_frames_drawn', 'number', []),
      quizState: Module.cwrap('layerlab_quiz_state', 'number', []),
      neededHeight: Module.cwrap('layerlab_needed_height', 'number', []),
      typeText: function (text) {
        var ok = 0;
        withHeap(text, new Uint8Array(0), function (t, tl) { ok = Module._layerlab_type_text(t, tl); });
        return ok === 1;
      },
      heapBytes: Module.cwrap('layerlab_heap_bytes', 'number', []),
      wasmBytes: function () { return Module.HEAPU8.byteLength; },
      setVisible: Module.cwrap('layerlab_set_visible', null, ['number']),
      wake: Module.cwrap('layerlab_wake', null, []),
      drawNow: Module.cwrap('layerlab_draw_now', null, []),
      printCaption: Module.cwrap('layerlab_print_caption', 'string', []),
      // The I/O calls: 1, or 0 with the message in layerlab_io_bytes().
      ioText: function () { return Module.UTF8ToString(Module._layerlab_io_bytes(), Module._layerlab_io_size()); },
      io: function (ok) { if (!ok) throw new Error(api.ioText()); },
      loadNpy: function (name, bytes) {
        withHeap(name, bytes, function (n, nl, b, bl) { api.io(Module._layerlab_load_npy(n, nl, b, bl)); });
      },
      loadImage: function (name, rgba, width, height) {
        withHeap(name, rgba, function (n, nl, b, bl) { api.io(Module._layerlab_load_image(n, nl, b, bl, width, height)); });
      },
      paste: function (text) {
        if (text.length > MAX_STATE_BYTES) throw tooLong('the pasted text', text);
        withHeap(text, new Uint8Array(0), function (t, tl) { api.io(Module._layerlab_paste(t, tl)); });
        return api.ioText();
      },
      saveNpy: function (which) {
        withHeap(which, new Uint8Array(0), function (w, wl) { api.io(Module._layerlab_save_npy(w, wl)); });
        return Module.HEAPU8.slice(Module._layerlab_io_bytes(), Module._layerlab_io_bytes() + Module._layerlab_io_size());
      }
    };
    // A string and a byte array on the heap for one call (freed after it).
    function withHeap(text, bytes, fn) {
      var tl = Module.lengthBytesUTF8(text);
      var tp = Module._malloc(tl + 1), bp = Module._malloc(Math.max(bytes.length, 1));
      try {
        if (!tp || !bp) throw new Error('layerlab: out of memory for a ' + bytes.length + '-byte file');
        Module.stringToUTF8(text, tp, tl + 1);
        Module.HEAPU8.set(bytes, bp);
        fn(tp, tl, bp, bytes.length);
      } finally {
        Module._free(tp);
        Module._free(bp);
      }
    }
    window.addEventListener('resize', function () { api.wake(); });  // the app re-reads the canvas size
    // An instance scrolled out of view draws nothing (a lesson page may hold many).
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        api.setVisible(entries[entries.length - 1].isIntersecting ? 1 : 0);
      }).observe(canvas);
    }
    // theme=auto follows the browser's prefers-color-scheme (the app resolves the theme;
    // the page's own strip follows what it resolved).
    var scheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: light)') : null;
    if (scheme) {
      var setScheme = Module.cwrap('layerlab_set_color_scheme', null, ['number']);
      var onScheme = function () {
        setScheme(scheme.matches ? 1 : 0);
        document.documentElement.dataset.theme = window.layerlab.state().theme;
      };
      if (scheme.addEventListener) scheme.addEventListener('change', onScheme);
      else scheme.addListener(onScheme);
      onScheme();
    }
    if (!embedded) canvas.focus();
    if (api.framesDrawn() > 0) frameDrawn();  // a first frame drawn before api existed
  }).catch(function (e) {
    fail('LayerLab failed to start: ' + (e && e.message ? e.message : e));
  });
})();

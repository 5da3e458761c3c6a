
// ---------------------------------------------------------------------------
// The public factory: loads the wasm (from disk under node) and adds the
// JavaScript-side API (version, eval) on top of the Embind classes.

// JSON for the core: typed arrays as arrays, NaN and ±Infinity as the strings
// the spec uses (JSON.stringify would turn them into null).
function specReplacer(key, value) {
  if (ArrayBuffer.isView(value)) return Array.from(value);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : (value > 0 ? 'Infinity' : '-Infinity');
  }
  return value;
}

export default async function createLayerLab(options = {}) {
  const moduleOptions = Object.assign({}, options);
  if (__llIsNode && !moduleOptions.wasmBinary) {
    moduleOptions.wasmBinary = require('fs').readFileSync(new URL('./layerlab-core.wasm', import.meta.url));
  }
  // Emscripten's node runtime installs process-wide handlers that rethrow any
  // unhandled rejection; a library must not change how the host process fails.
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = __llIsNode ? events.map((e) => process.listeners(e)) : [];
  const ll = await createLayerLabModule(moduleOptions);
  if (__llIsNode) {
    events.forEach((e, i) => process.listeners(e).filter((l) => !before[i].includes(l))
      .forEach((l) => process.removeListener(e, l)));
  }
  ll.version = ll._version();
  ll.layers = JSON.parse(ll._layersJson());
  for (const l of ll.layers) for (const p of l.params) p.choices = p.choices ? p.choices.split(' ') : [];
  // A layer without an Embind class of its own is made by the core from its descriptor:
  // an activation by ll._Activation (new ll.GELU({approximate: 'tanh'})), a pooling or
  // linear module by ll._Module (new ll.MaxPool1d({kernel_size: 3}), new ll.Bilinear(o, seed)).
  const M = ll._Module.prototype;  // the .d.ts's Module over module_bindings.cpp's few functions
  M.forward = function forward(x, second = null, outputSize = null) { return this._forward(x, second, outputSize); };
  M.setWeight = function setWeight(t) { this._set('weight', t); };
  M.setBias = function setBias(t) { this._set('bias', t); };
  for (const [method, field] of [['weight', 'weight'], ['bias', 'bias'], ['gradWeight', 'grad_weight'],
    ['gradBias', 'grad_bias'], ['gradInput2', 'grad_input2']]) {
    M[method] = function () { return this._tensor(field); };
  }
  for (const { name, family } of ll.layers) {
    if (typeof ll[name] !== 'function') {
      ll[name] = family === 'activation'
        ? { [name]: function (options) { return new ll._Activation(name, options ?? null); } }[name]
        : { [name]: function (options, seed) { return new ll._Module(name, options ?? null, seed ?? 0); } }[name];
    }
  }
  ll.eval = function evalSpec(spec) {
    if (spec === null || typeof spec !== 'object') throw new Error('eval: spec must be an object or an array of objects');
    const out = ll._evalText(JSON.stringify(spec, specReplacer));
    const result = JSON.parse(out.text);
    if (out.code !== 0) throw new Error(result.error);
    return result;
  };
  return ll;
}

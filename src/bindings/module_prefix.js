// layerlab-core.mjs — LayerLab's core (PyTorch 1.13 layers) as an ES module.
// Works in browsers and in node 20. Usage:
//   import createLayerLab from './layerlab-core.mjs';
//   const ll = await createLayerLab();
// See layerlab-core.d.ts for every call and who must call delete().
//
// Emscripten's node path uses `require` and `__dirname`, which an ES module
// lacks; they are provided here for node only.
const __llIsNode = typeof process === 'object' && typeof process.versions === 'object' &&
    typeof process.versions.node === 'string';
const require = __llIsNode ? (await import('module')).createRequire(import.meta.url) : undefined;
const __dirname = __llIsNode ? (await import('path')).dirname((await import('url')).fileURLToPath(import.meta.url)) : '';

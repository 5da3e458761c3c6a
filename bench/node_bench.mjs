// LayerLab's WebAssembly core vs @tensorflow/tfjs-backend-wasm and
// onnxruntime-web, in node, single thread, float32, same inputs.
// Timing rule for all: 5 warm-up runs, then 25 timed runs, median in ms. The
// libraries take turns in rounds of 5 runs (each round after one untimed run,
// so its data is in cache as in a loop of one library), so a change of the
// machine's speed during the benchmark (this shared machine has them) hits
// all of them alike.
// Outputs are cross-checked between peers (max |difference|).
//   node bench/node_bench.mjs            (scripts/bench runs it)
//   LL_CORE_MODULE=/path/to/layerlab-core.mjs node bench/node_bench.mjs   (another build of the core)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';

import { onnxModel } from './onnx_model.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE_MODULE = path.resolve(process.env.LL_CORE_MODULE ?? path.join(ROOT, 'build/web/layerlab-core.mjs'));
const { default: createLayerLab } = await import(CORE_MODULE);
const ll = await createLayerLab();

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths(path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm');
await tf.ready();
// tfjs-core's node bundle registers no gradients (the tfjs union package does);
// these are tfjs's own, from tfjs-core/src/gradients, for the training-step rows.
{
  const one = () => tf.scalar(1);
  const grads = {
    Relu: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.cast(tf.step(x), 'float32')) }) },
    Sigmoid: { outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy, tf.mul(y, tf.sub(one(), y))) }) },
    Tanh: { outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(one(), tf.square(y)), dy) }) },
    LeakyRelu: { inputsToSave: ['x'], gradFunc: (dy, [x], { alpha }) => ({ x: () => tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha)) }) },
    Prelu: { inputsToSave: ['x', 'alpha'], gradFunc: (dy, [x, alpha]) => {
      const mask = tf.greater(x, 0);
      return { x: () => tf.where(mask, dy, tf.mul(dy, alpha)),
               alpha: () => tf.reshape(tf.sum(tf.where(mask, tf.zerosLike(dy), tf.mul(dy, x)), [0, 1, 2]), alpha.shape) };
    } },
  };
  for (const [kernelName, g] of Object.entries(grads)) tf.registerGradient({ kernelName, ...g });
}
ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true;

// tfjs-backend-wasm's Emscripten runtime rethrows every unhandled rejection
// process-wide; report them instead of dying in the middle of a table.
function reportRejections() {
  for (const e of ['unhandledRejection', 'uncaughtException']) process.removeAllListeners(e);
  process.on('unhandledRejection', (r) => console.error('unhandled rejection:', r));
}
reportRejections();

const WARMUP = 5, ROUNDS = 5, PER_ROUND = 5, RUNS = ROUNDS * PER_ROUND;
// fns: {ll, tfjs, ort} -> a run (sync, or async for onnxruntime), or null.
// Returns the median ms of each, null where there is no run.
async function measure(fns) {
  const names = Object.keys(fns).filter((k) => fns[k]);
  const once = async (k) => {
    const t0 = performance.now();
    const r = fns[k]();
    if (r && typeof r.then === 'function') await r;
    return performance.now() - t0;
  };
  for (const k of names) for (let i = 0; i < WARMUP; i++) await once(k);
  const t = Object.fromEntries(names.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const k of names) {
      await once(k);
      for (let i = 0; i < PER_ROUND; i++) t[k].push(await once(k));
    }
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return Object.fromEntries(Object.keys(fns).map((k) => [k, fns[k] ? median(t[k]) : null]));
}

let seed = 1;
const rand = (n) => Float32Array.from({ length: n }, () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 31 - 1; });
const numel = (s) => s.reduce((a, b) => a * b, 1);
// NCHW <-> NHWC for tfjs.
function toNHWC(d, [n, c, h, w]) { const o = new Float32Array(d.length); for (let a = 0; a < n; a++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) o[((a * h + y) * w + x) * c + ch] = d[((a * c + ch) * h + y) * w + x]; return o; }
function toNCHW(d, [n, c, h, w]) { const o = new Float32Array(d.length); for (let a = 0; a < n; a++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) o[((a * c + ch) * h + y) * w + x] = d[((a * h + y) * w + x) * c + ch]; return o; }
function maxDiff(a, b) { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; }

async function ortSession(model) {
  const s = await ort.InferenceSession.create(onnxModel(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  reportRejections();
  return s;
}

const IMG = [1, 64, 112, 112];
const rows = [];
function row(name, work, llMs, tfMs, ortMs, diffs) { rows.push({ name, work, llMs, tfMs, ortMs, diffs }); }

// ---------------------------------------------------------------- pooling
{
  const xd = rand(numel(IMG));
  const x = ll.tensor(IMG, xd);
  const pool = new ll.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 });
  let y = pool.forward(x);
  const llOut = y.toArray();
  const xt = tf.tensor4d(toNHWC(xd, IMG), [1, 112, 112, 64]);
  const tfOut = toNCHW(tf.maxPool(xt, 3, 2, 1).dataSync(), [1, 64, 56, 56]);
  const s = await ortSession({ nodes: [{ op: 'MaxPool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } }],
    inputs: [{ name: 'x', shape: IMG }], outputs: [{ name: 'y', shape: [1, 64, 56, 56] }] });
  const feeds = { x: new ort.Tensor('float32', xd, IMG) };
  const ortOut = (await s.run(feeds)).y.data;
  const m = await measure({ ll: () => { y.delete(); y = pool.forward(x); }, tfjs: () => tf.maxPool(xt, 3, 2, 1).dispose(),
                            ort: () => s.run(feeds) });
  row('MaxPool2d k3 s2 p1 fwd, 1×64×112×112', { bytes: 4 * numel(IMG) + 4 * llOut.length }, m.ll, m.tfjs, m.ort,
    { tfjs: maxDiff(llOut, tfOut), ort: maxDiff(llOut, ortOut) });

  // backward
  const g = ll.tensor(y.shape, rand(llOut.length));
  let gx = pool.backward(g);
  const gt = tf.tensor4d(toNHWC(g.toArray(), [1, 64, 56, 56]), [1, 56, 56, 64]);
  // tfjs's MaxPoolGrad kernel (what its autograd runs), if this backend has it.
  const yt = tf.maxPool(xt, 3, 2, 1);
  const grad = () => tf.engine().runKernel('MaxPoolGrad', { dy: gt, input: xt, output: yt },
                                             { filterSize: 3, strides: 2, pad: 1 });
  let tfGrad = null, tfDiff = null;
  try {
    tfDiff = maxDiff(gx.toArray(), toNCHW(grad().dataSync(), IMG));
    tfGrad = () => grad().dispose();
  } catch (e) { console.error(`tfjs MaxPoolGrad: ${e.message.split('\n')[0]}`); }
  const mb = await measure({ ll: () => { gx.delete(); gx = pool.backward(g); }, tfjs: tfGrad, ort: null });
  row('MaxPool2d backward (same)', { bytes: 4 * numel(IMG) + 8 * llOut.length }, mb.ll, mb.tfjs, null, { tfjs: tfDiff });
  // One training step: forward, then backward through its argmax.
  const ms = await measure({
    ll: () => { y.delete(); gx.delete(); y = pool.forward(x); gx = pool.backward(g); },
    tfjs: tfGrad && (() => { const yt2 = tf.maxPool(xt, 3, 2, 1); tf.engine().runKernel('MaxPoolGrad', { dy: gt, input: xt, output: yt2 }, { filterSize: 3, strides: 2, pad: 1 }).dispose(); yt2.dispose(); }),
    ort: null });
  row('MaxPool2d forward + backward (one step)', { bytes: 8 * numel(IMG) + 12 * llOut.length }, ms.ll, ms.tfjs, null, { tfjs: tfDiff });
  for (const o of [x, y, g, gx, pool, xt, gt]) (o.delete ?? o.dispose).call(o);

  // AvgPool2d
  const AS = [1, 64, 56, 56];
  const ad = rand(numel(AS));
  const a = ll.tensor(AS, ad);
  const avg = new ll.AvgPool2d({ kernel_size: 2, stride: 2 });
  let ay = avg.forward(a);
  const aOut = ay.toArray();
  const at = tf.tensor4d(toNHWC(ad, AS), [1, 56, 56, 64]);
  const tfAOut = toNCHW(tf.avgPool(at, 2, 2, 'valid').dataSync(), [1, 64, 28, 28]);
  const sa = await ortSession({ nodes: [{ op: 'AveragePool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } }],
    inputs: [{ name: 'x', shape: AS }], outputs: [{ name: 'y', shape: [1, 64, 28, 28] }] });
  const fa = { x: new ort.Tensor('float32', ad, AS) };
  const ortAOut = (await sa.run(fa)).y.data;
  const ma = await measure({ ll: () => { ay.delete(); ay = avg.forward(a); }, tfjs: () => tf.avgPool(at, 2, 2, 'valid').dispose(),
                             ort: () => sa.run(fa) });
  row('AvgPool2d k2 s2 fwd, 1×64×56×56', { bytes: 4 * ad.length * 1.25 }, ma.ll, ma.tfjs, ma.ort,
    { tfjs: maxDiff(aOut, tfAOut), ort: maxDiff(aOut, ortAOut) });
  // One training step (tfjs: its AvgPoolGrad kernel, if this backend has it).
  const ag = ll.tensor(ay.shape, rand(aOut.length));
  let agx = avg.backward(ag);
  const agt = tf.tensor4d(toNHWC(ag.toArray(), [1, 64, 28, 28]), [1, 28, 28, 64]);
  let tfAStep = null, tfADiff = null;
  try {
    const agrad = () => tf.engine().runKernel('AvgPoolGrad', { dy: agt, input: at }, { filterSize: 2, strides: 2, pad: 'valid' });
    tfADiff = maxDiff(agx.toArray(), toNCHW(agrad().dataSync(), AS));
    tfAStep = () => { tf.avgPool(at, 2, 2, 'valid').dispose(); agrad().dispose(); };
  } catch (e) { console.error(`tfjs AvgPoolGrad: ${e.message.split('\n')[0]}`); }
  const mas = await measure({ ll: () => { ay.delete(); agx.delete(); ay = avg.forward(a); agx = avg.backward(ag); }, tfjs: tfAStep, ort: null });
  row('AvgPool2d forward + backward (one step)', { bytes: 4 * ad.length * 2.5 }, mas.ll, mas.tfjs, null, { tfjs: tfADiff });
  for (const o of [a, ay, avg, at, ag, agx, agt]) (o.delete ?? o.dispose).call(o);
}

// ---------------------------------------------------------------- linear
{
  const M = 256, K = 1024, N = 1024;
  const xd = rand(M * K), wd = rand(N * K).map((v) => v / 32), bd = rand(N).map((v) => v / 32), gd = rand(M * N);
  const lin = new ll.Linear({ in_features: K, out_features: N });
  const w = ll.tensor([N, K], wd), b = ll.tensor([N], bd), x = ll.tensor([M, K], xd), g = ll.tensor([M, N], gd);
  lin.setWeight(w); lin.setBias(b);
  let y = lin.forward(x);
  const llOut = y.toArray();
  let gx = lin.backward(g);
  const llGx = gx.toArray();
  const gwT = lin.gradWeight(); const llGw = gwT.toArray(); gwT.delete();
  // tfjs is given its fastest form of the same products: its matMul with a
  // transposed operand is 15-50x slower than without (measured here), so the
  // weight is held in both layouts (a Dense kernel is [in, out]) and grad_output
  // is transposed explicitly, inside the timing.
  const xt = tf.tensor2d(xd, [M, K]), wt = tf.tensor2d(wd, [N, K]), bt = tf.tensor1d(bd), gt = tf.tensor2d(gd, [M, N]);
  const kernel = tf.transpose(wt);  // [K, N]
  const tfLinear = () => tf.tidy(() => tf.add(tf.matMul(xt, kernel), bt));
  const tfOut = tfLinear().dataSync();
  const tfBackward = () => tf.tidy(() => [tf.matMul(gt, wt), tf.matMul(tf.transpose(gt), xt)]);
  const [tfGxT, tfGwT] = tfBackward();
  const tfGx = tfGxT.dataSync(), tfGw = tfGwT.dataSync();
  tf.dispose([tfGxT, tfGwT]);
  const sf = await ortSession({ nodes: [{ op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['y'], attrs: { transB: 1 } }],
    inputs: [{ name: 'x', shape: [M, K] }], outputs: [{ name: 'y', shape: [M, N] }],
    inits: [{ name: 'W', shape: [N, K], data: wd }, { name: 'b', shape: [N], data: bd }] });
  const ff = { x: new ort.Tensor('float32', xd, [M, K]) };
  const ortOut = (await sf.run(ff)).y.data;
  const sb = await ortSession({ nodes: [
      { op: 'MatMul', inputs: ['g', 'W'], outputs: ['gx'] },
      { op: 'Gemm', inputs: ['g', 'x'], outputs: ['gw'], attrs: { transA: 1 } }],
    inputs: [{ name: 'g', shape: [M, N] }, { name: 'x', shape: [M, K] }],
    outputs: [{ name: 'gx', shape: [M, K] }, { name: 'gw', shape: [N, K] }],
    inits: [{ name: 'W', shape: [N, K], data: wd }] });
  const fb = { g: new ort.Tensor('float32', gd, [M, N]), x: new ort.Tensor('float32', xd, [M, K]) };
  const ortBOut = await sb.run(fb);
  const lf = await measure({ ll: () => { y.delete(); y = lin.forward(x); }, tfjs: () => tfLinear().dispose(), ort: () => sf.run(ff) });
  const lb = await measure({ ll: () => { gx.delete(); gx = lin.backward(g); }, tfjs: () => tf.dispose(tfBackward()),
                             ort: () => sb.run(fb) });
  const ls = await measure({ ll: () => { y.delete(); gx.delete(); y = lin.forward(x); gx = lin.backward(g); },
                             tfjs: () => { tfLinear().dispose(); tf.dispose(tfBackward()); },
                             ort: async () => { await sf.run(ff); await sb.run(fb); } });
  const flops = 2 * M * N * K;
  row('Linear fwd, x 256×1024, W 1024×1024', { flops }, lf.ll, lf.tfjs, lf.ort,
    { tfjs: maxDiff(llOut, tfOut), ort: maxDiff(llOut, ortOut) });
  row('Linear backward (input + weight grads)', { flops: 2 * flops }, lb.ll, lb.tfjs, lb.ort,
    { tfjs: Math.max(maxDiff(llGx, tfGx), maxDiff(llGw, tfGw)), ort: Math.max(maxDiff(llGx, ortBOut.gx.data), maxDiff(llGw, ortBOut.gw.data)) });
  row('Linear forward + backward (one step)', { flops: 3 * flops }, ls.ll, ls.tfjs, ls.ort, {});
  for (const o of [lin, w, b, x, g, y, gx, xt, wt, bt, gt, kernel]) (o.delete ?? o.dispose).call(o);
}

// ---------------------------------------------------------------- activations
{
  const xd = rand(numel(IMG));
  const x = ll.tensor(IMG, xd);
  const xt = tf.tensor4d(toNHWC(xd, IMG), [1, 112, 112, 64]);
  const alpha = tf.fill([64], 0.25);
  const gd = rand(numel(IMG));
  const g = ll.tensor(IMG, gd);
  const gt = tf.tensor4d(toNHWC(gd, IMG), [1, 112, 112, 64]);
  const acts = [
    ['Tanh fwd, 1×64×112×112', () => new ll.Tanh(), (t) => tf.tanh(t), { op: 'Tanh' }],
    ['Sigmoid fwd', () => new ll.Sigmoid(), (t) => tf.sigmoid(t), { op: 'Sigmoid' }],
    ['LeakyReLU(0.01) fwd', () => new ll.LeakyReLU({ negative_slope: 0.01 }), (t) => tf.leakyRelu(t, 0.01), { op: 'LeakyRelu', attrs: { alpha: 0.01 } }],
    ['ReLU fwd', () => new ll.ReLU(), (t) => tf.relu(t), { op: 'Relu' }],
    ['PReLU(64) fwd', () => new ll.PReLU({ num_parameters: 64 }), (t) => tf.prelu(t, alpha), { op: 'PRelu', slope: true }],
  ];
  for (const [name, make, tfOp, onnx] of acts) {
    const layer = make();
    let y = layer.forward(x);
    const llOut = y.toArray();
    const tfOut = toNCHW(tfOp(xt).dataSync(), IMG);
    const s = await ortSession({
      nodes: [{ op: onnx.op, inputs: onnx.slope ? ['x', 'slope'] : ['x'], outputs: ['y'], attrs: onnx.attrs }],
      inputs: [{ name: 'x', shape: IMG }], outputs: [{ name: 'y', shape: IMG }],
      inits: onnx.slope ? [{ name: 'slope', shape: [64, 1, 1], data: new Float32Array(64).fill(0.25) }] : [] });
    const feeds = { x: new ort.Tensor('float32', xd, IMG) };
    const ortOut = (await s.run(feeds)).y.data;
    const ma = await measure({ ll: () => { y.delete(); y = layer.forward(x); }, tfjs: () => tfOp(xt).dispose(), ort: () => s.run(feeds) });
    row(name, { bytes: 8 * xd.length }, ma.ll, ma.tfjs, ma.ort, { tfjs: maxDiff(llOut, tfOut), ort: maxDiff(llOut, ortOut) });
    // One training step: forward, then backward (tfjs: its gradient of the same op, if it has one);
    // the rate counts x, y, grad_output and grad_input, what any step moves at least.
    let gx = layer.backward(g);
    let tfStep = null, tfDiff = null;
    try {
      // tf.grad runs the forward itself; PReLU's step includes the weight's gradient, as LayerLab's does.
      const vjp = onnx.slope ? ((f) => (t, dy) => f([t, alpha], dy)[0])(tf.grads((t, a) => tf.prelu(t, a))) : tf.grad(tfOp);
      tfDiff = maxDiff(gx.toArray(), toNCHW(vjp(xt, gt).dataSync(), IMG));
      tfStep = () => tf.tidy(() => { vjp(xt, gt); });
    } catch (e) { console.error(`tfjs gradient of ${name}: ${e.message.split('\n')[0]}`); }
    const mt = await measure({ ll: () => { y.delete(); gx.delete(); y = layer.forward(x); gx = layer.backward(g); }, tfjs: tfStep, ort: null });
    row(`${name.split(' ')[0]} forward + backward (one step)`, { bytes: 16 * xd.length }, mt.ll, mt.tfjs, null, { tfjs: tfDiff });
    y.delete(); gx.delete(); layer.delete();
  }

  // MaxUnpool2d: 1×64×56×56 -> 1×64×112×112 through MaxPool2d's indices.
  const pool = new ll.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1, return_indices: true });
  const p = pool.forward(x);
  const idx = pool.indices();
  const un = new ll.MaxUnpool2d({ kernel_size: 3, stride: 2, padding: 1 });
  let u = un.forward(p, idx, [112, 112]);
  const llOut = u.toArray();
  const s = await ortSession({ nodes: [{ op: 'MaxUnpool', inputs: ['x', 'i', 'shape'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } }],
    inputs: [{ name: 'x', shape: [1, 64, 56, 56] }, { name: 'i', shape: [1, 64, 56, 56], type: 'int64' }, { name: 'shape', shape: [4], type: 'int64' }],
    outputs: [{ name: 'y', shape: IMG }] }).catch((e) => e);
  let ortRun = null, ortDiff = null;
  if (!(s instanceof Error)) {
    // ONNX indices are flat over the whole tensor, PyTorch's per (N, C) plane.
    const flat = BigInt64Array.from(idx, (v, i) => BigInt(v + Math.floor(i / (56 * 56)) * 112 * 112));
    const feeds = { x: new ort.Tensor('float32', p.toArray(), [1, 64, 56, 56]), i: new ort.Tensor('int64', flat, [1, 64, 56, 56]),
                    shape: new ort.Tensor('int64', BigInt64Array.from([1n, 64n, 112n, 112n]), [4]) };
    try {
      ortDiff = maxDiff(llOut, (await s.run(feeds)).y.data);
      ortRun = () => s.run(feeds);
    } catch { /* MaxUnpool is missing from some onnxruntime-web builds */ }
  }
  const mu = await measure({ ll: () => { u.delete(); u = un.forward(p, idx, [112, 112]); }, tfjs: null, ort: ortRun });
  row('MaxUnpool2d k3 s2 p1 fwd, 1×64×56×56 → 112×112', { bytes: 12 * p.toArray().length + 4 * numel(IMG) }, mu.ll, null, mu.ort,
    { ort: ortDiff });
  // One training step: MaxUnpool2d's backward is a gather through the same indices.
  let ugx = un.backward(g);
  const mus = await measure({ ll: () => { u.delete(); ugx.delete(); u = un.forward(p, idx, [112, 112]); ugx = un.backward(g); },
                              tfjs: null, ort: null });
  row('MaxUnpool2d forward + backward (one step)', { bytes: 24 * p.toArray().length + 8 * numel(IMG) }, mus.ll, null, null, {});
  for (const o of [pool, p, un, u, ugx, x, xt, alpha, g, gt]) (o.delete ?? o.dispose).call(o);
}

// ---------------------------------------------------------------- report
const fmt = (v, d = 3) => (v == null ? '—' : v.toFixed(d));
const rate = (r) => (r.work.flops ? `${fmt(r.work.flops / r.llMs / 1e6, 1)} GFLOP/s` : `${fmt(r.work.bytes / r.llMs / 1e6, 1)} GB/s`);
const ratio = (peer, mine) => (peer == null ? '—' : `${fmt(peer / mine, 2)}×`);
console.log(`LayerLab ${ll.version} wasm vs tfjs-backend-wasm ${tf.version_core} and onnxruntime-web ${ort.env.versions.web}; node ${process.version}; median of ${RUNS} runs after ${WARMUP} warm-up, ms`);
console.log('| workload | LayerLab | rate | tfjs-wasm | ort-web | tfjs/LayerLab | ort/LayerLab | max|diff| vs tfjs, ort |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${fmt(r.llMs)} | ${rate(r)} | ${fmt(r.tfMs)} | ${fmt(r.ortMs)} | ${ratio(r.tfMs, r.llMs)} | ${ratio(r.ortMs, r.llMs)} | ${r.diffs.tfjs == null ? '—' : r.diffs.tfjs.toExponential(1)}, ${r.diffs.ort == null ? '—' : r.diffs.ort.toExponential(1)} |`);
}

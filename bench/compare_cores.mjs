// Two (or more) builds of the core on the LayerLab side of the node bench's pooling and
// activation rows, in one process, taking turns in rounds of 5 runs (20 rounds, median ms):
// this machine's speed drifts by 2x between runs, so two builds are only comparable this way.
// Run it twice with the builds swapped; the order within a round biases by a few percent.
//   node bench/compare_cores.mjs /tmp/old/layerlab-core.mjs build/web/layerlab-core.mjs
//   ONLY=maxpool node bench/compare_cores.mjs A.mjs B.mjs      (rows whose name contains it)
import path from 'node:path';
const mods = [];
for (const m of process.argv.slice(2)) mods.push(await (await import(path.resolve(m))).default());
const IMG = [1, 64, 112, 112], n = 64 * 112 * 112;
let seed = 1;
const rand = (k) => Float32Array.from({ length: k }, () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 31 - 1; });
const xd = rand(n), gd = rand(n), gp = rand(64 * 56 * 56), ad = rand(64 * 56 * 56);
const work = {};  // name -> [fn per module]
const add = (name, i, fn) => { (work[name] ??= [])[i] = fn; };
mods.forEach((ll, i) => {
  const x = ll.tensor(IMG, xd), g = ll.tensor(IMG, gd), gpool = ll.tensor([1, 64, 56, 56], gp);
  const pool = new ll.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1, return_indices: true });
  let y = pool.forward(x), gx = pool.backward(gpool);
  add('maxpool fwd', i, () => { y.delete(); y = pool.forward(x); });
  add('maxpool bwd', i, () => { gx.delete(); gx = pool.backward(gpool); });
  add('maxpool step', i, () => { y.delete(); gx.delete(); y = pool.forward(x); gx = pool.backward(gpool); });
  const idx = pool.indices(); const un = new ll.MaxUnpool2d({ kernel_size: 3, stride: 2, padding: 1 });
  let u = un.forward(y, idx, [112, 112]);
  add('maxunpool fwd', i, () => { u.delete(); u = un.forward(y, idx, [112, 112]); });
  const a = ll.tensor([1, 64, 56, 56], ad), avg = new ll.AvgPool2d({ kernel_size: 2, stride: 2 });
  let ay = avg.forward(a);
  add('avgpool fwd', i, () => { ay.delete(); ay = avg.forward(a); });
  for (const [name, make] of [['tanh', () => new ll.Tanh()], ['sigmoid', () => new ll.Sigmoid()], ['leaky', () => new ll.LeakyReLU({ negative_slope: 0.01 })],
                              ['relu', () => new ll.ReLU()], ['prelu', () => new ll.PReLU({ num_parameters: 64 })]]) {
    const layer = make(); let ly = layer.forward(x), lg = layer.backward(g);
    add(name + ' fwd', i, () => { ly.delete(); ly = layer.forward(x); });
    add(name + ' step', i, () => { ly.delete(); lg.delete(); ly = layer.forward(x); lg = layer.backward(g); });
  }
});
const once = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
console.log('| workload | ' + mods.map((_, i) => `core${i}`).join(' | ') + ' | core0/core1 |');
console.log('|---|' + mods.map(() => '---|').join('') + '---|');
for (const [name, fns] of Object.entries(work).filter(([k]) => k.includes(process.env.ONLY ?? ''))) {
  const t = fns.map(() => []);
  fns.forEach((f) => { for (let k = 0; k < 5; k++) f(); });
  for (let r = 0; r < 20; r++) fns.forEach((f, i) => { f(); for (let k = 0; k < 5; k++) t[i].push(once(f)); });
  const m = t.map(med);
  console.log(`| ${name} | ${m.map((v) => v.toFixed(3)).join(' | ')} | ${(m[0] / m[1]).toFixed(2)}× |`);
}

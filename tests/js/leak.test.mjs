// 10 000 forward + backward calls with proper delete() leave the heap flat
// (malloc's allocated bytes, not the heap's size, which only grows).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MODULE } from './compare.mjs';

const { default: createLayerLab } = await import(MODULE);
const ll = await createLayerLab();

const layers = () => [
  ['MaxPool2d', new ll.MaxPool2d({ kernel_size: 3, stride: 2, padding: 1, return_indices: true }), [1, 3, 16, 16]],
  ['AvgPool2d', new ll.AvgPool2d({ kernel_size: 2, ceil_mode: true }), [1, 3, 15, 15]],
  ['Linear', new ll.Linear({ in_features: 16, out_features: 8 }), [4, 16]],
  ['Sigmoid', new ll.Sigmoid(), [2, 3, 8, 8]],
  ['Tanh', new ll.Tanh(), [2, 3, 8, 8]],
  ['ReLU', new ll.ReLU(), [2, 3, 8, 8]],
  ['LeakyReLU', new ll.LeakyReLU({ negative_slope: 0.1 }), [2, 3, 8, 8]],
  ['PReLU', new ll.PReLU({ num_parameters: 3 }), [2, 3, 8, 8]],
  ['RReLU', new ll.RReLU({}, 1), [2, 3, 8, 8]],
  ['BCEWithLogitsLoss', new ll.BCEWithLogitsLoss({ reduction: 'mean' }), [4, 5]],
  ['GELU', new ll.GELU({ approximate: 'tanh' }), [2, 3, 8, 8]],
  ['Hardtanh', new ll.Hardtanh({ min_val: -2, max_val: 2 }), [2, 3, 8, 8]],
  ['Threshold', new ll.Threshold({ threshold: 0.1, value: 20 }), [2, 3, 8, 8]],
];

function step(layer, name, shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = ll.tensor(shape, Float32Array.from({ length: n }, (_, i) => Math.sin(i)));
  if (name === 'RReLU') layer.train(true);
  const target = name === 'BCEWithLogitsLoss' ? ll.tensor(shape, new Float32Array(n).fill(1)) : null;
  const y = target ? layer.forward(x, target) : layer.forward(x);
  if (target) target.delete();
  const g = ll.tensor(y.shape, new Float32Array(y.toArray().length).fill(1));
  const gx = layer.backward(g);
  if (name === 'MaxPool2d') {
    const un = new ll.MaxUnpool2d({ kernel_size: 3, stride: 2, padding: 1 });
    const r = un.forward(y, layer.indices(), [16, 16]);
    const rgo = ll.tensor(r.shape, r.toArray());
    const rg = un.backward(rgo);
    for (const o of [rgo, rg, r, un]) o.delete();
  }
  if (name === 'Linear' || name === 'PReLU') layer.gradWeight().delete();
  for (const t of [x, y, g, gx]) t.delete();
}

test('every layer class: the heap stays flat over 10 000 forward+backward calls', () => {
  const all = layers();
  for (let i = 0; i < 100; i++) for (const [name, layer, shape] of all) step(layer, name, shape);  // warm-up
  const before = ll.heapUsed();
  for (let i = 0; i < 10000; i++) {
    const [name, layer, shape] = all[i % all.length];
    step(layer, name, shape);
  }
  // Creating and deleting layers must not leak either.
  for (let i = 0; i < 1000; i++) for (const [, layer] of layers()) layer.delete();
  const after = ll.heapUsed();
  for (const [, layer] of all) layer.delete();
  // malloc's count of allocated bytes can end a word apart, as freed chunks are
  // reused in a different order (measured: +8 after one pass, -8 after the next);
  // a leak of even one 8-byte allocation per call would be 10 000 times that.
  assert.ok(after <= before + 64, `allocated bytes grew from ${before} to ${after}`);
});

test('the leak check can fail: a forgotten delete() shows up', () => {
  const before = ll.heapUsed();
  const t = ll.tensor([1000], new Float32Array(1000));
  assert.ok(ll.heapUsed() >= before + 4000);
  t.delete();
  assert.equal(ll.heapUsed(), before);
});

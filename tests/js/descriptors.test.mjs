// The core's layer descriptors against what is written elsewhere: the .d.ts,
// the module's classes, and the rules the layers enforce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.resolve(ROOT, process.env.LL_WEB_DIR ?? 'build/web');
const { default: createLayerLab } = await import(path.join(WEB, 'layerlab-core.mjs'));
const ll = await createLayerLab();
const dts = readFileSync(path.join(WEB, 'layerlab-core.d.ts'), 'utf8');
const names = ll.layers.map((l) => l.name);

test('the .d.ts Spec.layer union is exactly the descriptors\' layers', () => {
  const union = /layer:((?:\s*\|?\s*'\w+')+)/.exec(dts)[1];
  assert.deepEqual([...union.matchAll(/'(\w+)'/g)].map((m) => m[1]), names);
});

test('every layer has a class in the module and in the .d.ts, with keywords the descriptor knows', () => {
  for (const layer of ll.layers) {
    assert.equal(typeof ll[layer.name], 'function', `ll.${layer.name}`);
    if (layer.params.some((p) => p.kind === 'var_keywords')) {  // Identity(*args, **kwargs)
      assert.match(dts, new RegExp(`^  ${layer.name}: new \\(o\\?: Record<string, unknown>`, 'm'), layer.name);
      continue;
    }
    const decl = new RegExp(`^  ${layer.name}: new \\(o\\??: \\{([^}]*)\\}`, 'm').exec(dts);
    assert.ok(decl, `${layer.name} in the .d.ts`);
    const keywords = [...decl[1].matchAll(/(\w+)\??:/g)].map((m) => m[1]);
    const known = layer.params.map((p) => p.name);
    for (const k of keywords) assert.ok(known.includes(k), `${layer.name}: the .d.ts has ${k}, the descriptor not`);
  }
});

test('an absent keyword is the descriptor\'s default; an unknown one is rejected as PyTorch does', () => {
  for (const layer of ll.layers) {
    if (layer.params.some((p) => p.kind === 'var_keywords')) {  // Identity takes and ignores any keyword, as PyTorch's
      assert.deepEqual(ll.eval({ layer: layer.name, params: { kernal_size: 3 }, input: { shape: [1], data: [2] } }).output.data, [2]);
      continue;
    }
    assert.throws(() => ll.eval({ layer: layer.name, params: { kernal_size: 3 }, input: { shape: [1], data: [0] } }),
                  { message: `${layer.name}: unexpected keyword argument 'kernal_size'` });
  }
  const dilation = ll.layers.find((l) => l.name === 'MaxPool2d').params.find((p) => p.name === 'dilation');
  assert.deepEqual([dilation.default, dilation.default_py, dilation.min], [1, '1', 1]);
  // MaxPool2d(2) with the default padding=0 and dilation=1 on a 4x4 ramp: [5, 7, 13, 15].
  const r = ll.eval({ layer: 'MaxPool2d', params: { kernel_size: 2 },
                      input: { shape: [1, 1, 4, 4], data: Array.from({ length: 16 }, (_, i) => i) } });
  assert.deepEqual(r.output.data, [5, 7, 13, 15]);
});

test('each int keyword\'s min is the bound its layer enforces: min passes, min - 1 is rejected naming it', () => {
  // Generic specs every pooling keyword can vary in (an explicit stride: kernel_size=0 with the
  // default stride fails on the stride, as in PyTorch); the other layers are checked on the rejection only.
  const base = {
    MaxPool2d: { params: { kernel_size: 2, stride: 1 }, input: { shape: [1, 1, 6, 6], data: new Array(36).fill(1) } },
    AvgPool2d: { params: { kernel_size: 2, stride: 1 }, input: { shape: [1, 1, 6, 6], data: new Array(36).fill(1) } },
    MaxUnpool2d: { params: { kernel_size: 2, stride: 1 }, input: { shape: [1, 1, 2, 2], data: [1, 1, 1, 1] },
                   indices: { shape: [1, 1, 2, 2], data: [0, 0, 0, 0] } },
  };
  // The pooling modules of any rank: a valid spec of their spatial_dims (an entry of 6s per axis).
  for (const layer of ll.layers.filter((l) => l.family === 'pooling' && l.spatial_dims && !base[l.name])) {
    const d = layer.spatial_dims;
    const shape = [1, 1, ...new Array(d).fill(6)];
    const input = { shape, data: new Array(6 ** d).fill(1) };
    const params = layer.name.startsWith('Adaptive') ? { output_size: 2 }
      : layer.name.startsWith('Fractional') ? { kernel_size: 2, output_size: 2 }
      : { kernel_size: 2, stride: 1, ...(layer.name.startsWith('LP') ? { norm_type: 2 } : {}) };
    const samples = layer.name.startsWith('Fractional') ? { random_samples: { shape: [1, 1, d], data: new Array(d).fill(0.5) } } : {};
    base[layer.name] = { params, input, ...samples };
  }
  base.Bilinear = { params: { in1_features: 1, in2_features: 1, out_features: 1 }, input: { shape: [1, 1], data: [1] },
                    input2: { shape: [1, 1], data: [1] } };
  let checked = 0;
  for (const layer of ll.layers) {
    for (const p of layer.params) {
      if (p.min === null || (p.kind !== 'int' && p.kind !== 'int_or_pair' && p.kind !== 'int_tuple' &&
                             p.kind !== 'int_or_none_tuple')) continue;
      const spec = base[layer.name] ?? { params: {}, input: { shape: [1, 1], data: [1] } };
      const params = layer.name === 'Linear' ? { in_features: 1, out_features: 1 } : { ...spec.params };
      if (layer.name.startsWith('Fractional') && p.name === 'output_size') continue;  // output_size 0 is valid here too
      const at = (v) => ({ ...spec, layer: layer.name, params: { ...params, [p.name]: v } });
      assert.throws(() => ll.eval(at(p.min - 1)), (e) => e.message.startsWith(`${layer.name}:`) && e.message.includes(p.name),
                    `${layer.name}(${p.name}=${p.min - 1}) is not rejected naming ${p.name}`);
      if (base[layer.name]) assert.ok(ll.eval(at(p.min)).output, `${layer.name}(${p.name}=${p.min})`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} bounds checked`);
});

test('each float keyword\'s min is enforced too: min passes, below it is rejected naming it', () => {
  let checked = 0;
  for (const layer of ll.layers) {
    const required = Object.fromEntries(layer.params.filter((p) => p.required).map((p) => [p.name, 0.5]));
    for (const p of layer.params) {
      if (p.min === null || p.kind !== 'float') continue;
      const at = (v) => ({ layer: layer.name, params: { ...required, [p.name]: v }, input: { shape: [2], data: [-1, 1] } });
      assert.ok(ll.eval(at(p.min)).output, `${layer.name}(${p.name}=${p.min})`);
      assert.throws(() => ll.eval(at(p.min - 0.25)), (e) => e.message.startsWith(`${layer.name}: ${p.name}`));
      checked++;
    }
  }
  assert.ok(checked >= 1, `${checked} float bounds checked`);
});

test('the activations made from descriptors: one class each, as the .d.ts declares, each instance freed by delete()', () => {
  const generated = ll.layers.filter((l) => l.family === 'activation' &&
                                      new RegExp(`^  /\\*\\* .*\\*/\\n  ${l.name}: new`, 'm').test(dts));
  assert.ok(generated.length >= 16, `${generated.length} generated declarations`);
  for (const layer of generated) {
    assert.equal(layer.family, 'activation', layer.name);
    const options = Object.fromEntries(layer.params.filter((p) => p.required).map((p) => [p.name, 0.5]));
    const m = new ll[layer.name](options);
    const x = ll.tensor([2, 2, 2], [-3, -1, -0.5, 0, 0.5, 1, 3, 7]);  // a shape every one takes (Softmax2d: 3-D)
    const y = m.forward(x);
    const expected = ll.eval({ layer: layer.name, params: options, input: { shape: [2, 2, 2], data: Array.from(x.toArray()) } });
    assert.deepEqual(Array.from(y.toArray()), expected.output.data.map((v) => Math.fround(Number(v))), layer.name);
    const g = ll.tensor(y.shape, new Float32Array(y.toArray().length).fill(1));
    const gx = m.backward(g);
    assert.deepEqual(gx.shape, [2, 2, 2]);
    for (const o of [x, y, g, gx, m]) o.delete();
  }
  assert.throws(() => new ll.GELU({ approximate: 'Tanh' }), { message: "GELU: approximate must be 'none' or 'tanh', got 'Tanh'" });
  assert.throws(() => new ll.Threshold({ threshold: 1 }), { message: 'Threshold: missing required parameter value' });
  assert.throws(() => new ll.Hardtanh({ min_val: 1, max_val: 1 }), /Hardtanh: max_val must be greater than min_val/);
  const gelu = new ll.GELU({ approximate: 'tanh' });
  assert.throws(() => gelu.backward(ll.tensor([1], [1])), /GELU: backward needs a forward call first/);
  gelu.delete();
});

test('the pooling and linear modules made from descriptors: one class each, forward and backward as ll.eval', () => {
  const modules = ll.layers.filter((l) => l.family !== 'activation' && new RegExp(`^  ${l.name}: new \\(.*=> Module;`, 'm').test(dts));
  assert.equal(modules.length, 18);
  const x = ll.tensor([1, 2, 4, 4], Array.from({ length: 32 }, (_, i) => (i * 7) % 11 - 5));
  const pool = new ll.AdaptiveMaxPool2d({ output_size: [null, 2], return_indices: true });
  const y = pool.forward(x);
  const spec = { layer: 'AdaptiveMaxPool2d', params: { output_size: [null, 2], return_indices: true },
                 input: { shape: [1, 2, 4, 4], data: Array.from(x.toArray()) } };
  const r = ll.eval(spec);
  assert.deepEqual(y.shape, r.output.shape);
  assert.deepEqual(Array.from(y.toArray()), r.output.data);
  assert.deepEqual(Array.from(pool.indices()), r.indices.data);
  const g = ll.tensor(y.shape, new Float32Array(16).fill(1));
  const gx = pool.backward(g);
  assert.deepEqual(Array.from(gx.toArray()), ll.eval({ ...spec, grad_output: { shape: y.shape, data: new Array(16).fill(1) } }).grad_input.data);
  // MaxUnpool3d takes the indices (and an output size); Bilinear its second input.
  const unpool = new ll.MaxUnpool3d({ kernel_size: 2 });
  const u = unpool.forward(ll.tensor([1, 1, 1, 1, 1], [5]), [7], [2, 2, 2]);
  assert.deepEqual(Array.from(u.toArray()), [0, 0, 0, 0, 0, 0, 0, 5]);
  const bil = new ll.Bilinear({ in1_features: 2, in2_features: 1, out_features: 1, bias: false });
  bil.setWeight(ll.tensor([1, 2, 1], [2, 3]));
  const b = bil.forward(ll.tensor([2], [1, 1]), ll.tensor([1], [2]));
  assert.deepEqual(Array.from(b.toArray()), [10]);  // (1*2 + 1*3) * 2
  assert.throws(() => new ll.FractionalMaxPool2d({ kernel_size: 2 }), /FractionalMaxPool2d: requires specifying either/);
  assert.throws(() => new ll.MaxPool1d({ kernel_size: 0 }), /MaxPool1d: kernel_size must be greater than or equal to 1/);
  for (const o of [x, y, g, gx, pool, unpool, u, bil, b]) o.delete();
});

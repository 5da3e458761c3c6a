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
    const decl = new RegExp(`^  ${layer.name}: new \\(o\\??: \\{([^}]*)\\}`, 'm').exec(dts);
    assert.ok(decl, `${layer.name} in the .d.ts`);
    const keywords = [...decl[1].matchAll(/(\w+)\??:/g)].map((m) => m[1]);
    const known = layer.params.map((p) => p.name);
    for (const k of keywords) assert.ok(known.includes(k), `${layer.name}: the .d.ts has ${k}, the descriptor not`);
  }
});

test('an absent keyword is the descriptor\'s default; an unknown one is rejected as PyTorch does', () => {
  for (const layer of ll.layers) {
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
  let checked = 0;
  for (const layer of ll.layers) {
    for (const p of layer.params) {
      if (p.min === null || (p.kind !== 'int' && p.kind !== 'int_or_pair')) continue;
      const spec = base[layer.name] ?? { params: {}, input: { shape: [1, 1], data: [1] } };
      const params = layer.name === 'Linear' ? { in_features: 1, out_features: 1 } : { ...spec.params };
      const at = (v) => ({ ...spec, layer: layer.name, params: { ...params, [p.name]: v } });
      assert.throws(() => ll.eval(at(p.min - 1)), (e) => e.message.startsWith(`${layer.name}:`) && e.message.includes(p.name),
                    `${layer.name}(${p.name}=${p.min - 1}) is not rejected naming ${p.name}`);
      if (base[layer.name]) assert.ok(ll.eval(at(p.min)).output, `${layer.name}(${p.name}=${p.min})`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} bounds checked`);
});

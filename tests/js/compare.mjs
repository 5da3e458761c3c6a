// Shared by the node tests: golden loading and CONTRACT's tolerance.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODULE = path.join(ROOT, 'build/web/layerlab-core.mjs');

export function loadGoldens() {
  const dir = path.join(ROOT, 'tests/golden/cases');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((f) =>
    JSON.parse(readFileSync(path.join(dir, f), 'utf8')).map((c) => ({ file: f, ...c })));
}

export function value(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return 12345.678;
}

// Throws with the first difference; `data` may be a typed array of numbers.
export function expectClose(name, expected, shape, data, exactInts = false) {
  if (JSON.stringify(shape) !== JSON.stringify(expected.shape)) {
    throw new Error(`${name}: shape ${JSON.stringify(shape)} != ${JSON.stringify(expected.shape)}`);
  }
  if (data.length !== expected.data.length) throw new Error(`${name}: length ${data.length} != ${expected.data.length}`);
  for (let i = 0; i < data.length; i++) {
    const b = value(expected.data[i]);
    const a = value(data[i]);
    const ok = exactInts ? a === b
      : Number.isNaN(b) ? Number.isNaN(a)
      : !Number.isFinite(b) ? a === b
      : Math.abs(a - b) <= 1e-5 + 1e-5 * Math.abs(b);
    if (!ok) throw new Error(`${name}[${i}]: ${data[i]} != ${expected.data[i]}`);
  }
}

// RReLU training without a given noise: PyTorch's random slopes cannot be
// reproduced; check noise in [lower, upper] where x <= 0, 1 elsewhere, y = x * noise.
export function isSampledRReLU(spec) {
  return spec.layer === 'RReLU' && spec.training && !spec.noise && !spec.grad_output;
}
export function expectSampledRReLU(spec, actual) {
  const lower = Math.fround(spec.params?.lower ?? 1 / 8), upper = Math.fround(spec.params?.upper ?? 1 / 3);
  spec.input.data.forEach((v, i) => {
    const x = value(v), n = value(actual.noise.data[i]), y = value(actual.output.data[i]);
    if (!(x <= 0)) { if (n !== 1) throw new Error(`noise[${i}] should be 1`); return; }
    if (n < lower || n > upper) throw new Error(`noise[${i}] = ${n} outside [${lower}, ${upper}]`);
    if (Math.abs(y - Math.fround(x * n)) > 1e-6 * (1 + Math.abs(y))) throw new Error(`output[${i}] != input * noise`);
  });
}

export function expectResult(expected, actual, spec = {}) {
  if (isSampledRReLU(spec)) return expectSampledRReLU(spec, actual);
  const ek = Object.keys(expected).sort(), ak = Object.keys(actual).sort();
  if (JSON.stringify(ek) !== JSON.stringify(ak)) throw new Error(`fields ${ak} != ${ek}`);
  for (const k of ek) expectClose(k, expected[k], actual[k].shape, actual[k].data, k === 'indices');
}

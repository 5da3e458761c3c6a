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

export function expectResult(expected, actual) {
  const ek = Object.keys(expected).sort(), ak = Object.keys(actual).sort();
  if (JSON.stringify(ek) !== JSON.stringify(ak)) throw new Error(`fields ${ak} != ${ek}`);
  for (const k of ek) expectClose(k, expected[k], actual[k].shape, actual[k].data, k === 'indices');
}

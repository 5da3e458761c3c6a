// state().code checked against real PyTorch (CONTRACT 4b): for each state of
// tests/golden/dump_code.mjs, the script the page gives must be the one that
// tests/golden/generate_code.sh ran under PyTorch 1.13, and the lab's output
// (saveNpy, from the core) must be what that script printed with
// `print(out.flatten().tolist())` appended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, browserSuite } from './harness.mjs';
import { expectClose } from '../js/compare.mjs';
import { CODE_STATES, outputName, labMetric } from '../golden/dump_code.mjs';

const CASES = JSON.parse(readFileSync(path.join(ROOT, 'tests/golden/code/cases.json'), 'utf8'));

let server, page, errors;
browserSuite({ viewport: { width: 1280, height: 800 } }, (s) => ({ server, page, errors } = s));

// The float32 values of a little-endian .npy (v1.0 header) from saveNpy.
function npyFloats(bytes) {
  const headerLen = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
  assert.match(header, /'descr': '<f4'/);
  const data = bytes.slice(10 + headerLen);
  return Array.from(new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4));
}

test('the goldens cover every state of dump_code.mjs', () => {
  assert.deepEqual(CASES.map((c) => c.hash), CODE_STATES);
  for (const c of CASES) assert.match(c.torch, /^1\.13/);
});

for (const c of CASES) {
  test(`state().code of #${c.hash} is the script PyTorch ran, and the core's output is what it printed`, async () => {
    await page.goto(`${server.base}/index.html#${c.hash}`);
    await page.evaluate(() => window.layerlab.ready);
    await page.waitForFunction(() => { const m = window.layerlab.state().metrics; return !m || !m.pending_steps; });
    const st = await page.evaluate(() => window.layerlab.state());
    assert.equal(st.error, null);
    assert.equal(st.code, c.code);
    if (!labMetric(c.hash)) {  // the gradient and train labs have no `out` the core saves
      const bytes = new Uint8Array(await page.evaluate((w) => Array.from(window.layerlab.saveNpy(w)), outputName(c.hash)));
      const got = npyFloats(bytes);
      expectClose(c.hash, { shape: [c.output.length], data: c.output }, [got.length], got);
    }
    // The lab's own numbers (the gradient lab's norms, the train lab's loss, the fused rank),
    // relative: a vanishing stack's first norms are far below CONTRACT's absolute 1e-5.
    for (const [metric, value] of Object.entries(c.metrics ?? {})) {
      const want = [value].flat(), got = [st.metrics[metric]].flat();
      assert.equal(got.length, want.length, metric);
      want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= 1e-4 * Math.abs(w), `${metric}[${i}]: ${got[i]} != ${w}`));
    }
    assert.deepEqual(errors, []);
  });
}

// The page under hostile input: 500 random setState combinations (valid and
// invalid: NaN, negative, huge, non-numeric, unknown keys) and malformed hashes.
// No page error, every state settles within a second, rejected states show the
// core's error and keep the last good result.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { browserSuite } from './harness.mjs';

let server, page, errors;
browserSuite({ viewport: { width: 1280, height: 800 } }, (s) => ({ server, page, errors } = s));

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const KEYS = ['layer', 'kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices', 'count_include_pad',
  'divisor_override', 'input', 'n', 'c', 'h', 'w', 'seed', 'lang', 'lab', 'grad', 'cells', 'bogus'];
const VALUES = [0, 1, 2, 3, 5, 7, -1, -100, 2 ** 31, 2 ** 53, 1e300, NaN, Infinity, -Infinity, 0.5, '', 'NaN', 'abc',
  '3,2', '2,2,2', ',', '1e99', '-0', true, false, null, 'MaxPool2d', 'AvgPool2d', 'MaxUnpool2d', 'ReLU', '<img src=x>',
  'ramp', 'random', 'picture', 'zh', 'en', '%00', '../../etc', 'x'.repeat(5000)];

test('500 random setState combinations: no error, no hang, errors shown, last good result kept', async () => {
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&h=8&w=8`);
  await page.evaluate(() => window.layerlab.ready);
  const r = rng(12345);
  let rejected = 0, slowest = 0;
  let lastGood = await page.evaluate(() => window.layerlab.state());
  for (let i = 0; i < 500; i++) {
    const partial = {};
    const count = 1 + Math.floor(r() * 4);
    for (let k = 0; k < count; k++) partial[KEYS[Math.floor(r() * KEYS.length)]] = VALUES[Math.floor(r() * VALUES.length)];
    // Keep inputs small enough that a valid state is cheap; huge sizes must be rejected or clamped.
    const t0 = Date.now();
    const st = await page.evaluate((p) => {
      window.layerlab.setState(p);
      return new Promise((resolve) => requestAnimationFrame(() => resolve(window.layerlab.state())));
    }, partial);
    slowest = Math.max(slowest, Date.now() - t0);
    assert.ok(Date.now() - t0 < 1000, `state ${i} took ${Date.now() - t0} ms: ${JSON.stringify(partial)}`);
    assert.ok(st && Array.isArray(st.output_shape), `state ${i}: ${JSON.stringify(st)}`);
    if (st.error) {
      rejected++;
      assert.equal(typeof st.error, 'string');
      assert.deepEqual(st.output_shape, lastGood.output_shape, `state ${i}: the last good result was not kept`);
    } else {
      lastGood = st;
    }
    if (i % 50 === 49) {
      // Back to a valid state now and then, so later errors have a fresh last good result.
      lastGood = await page.evaluate(() => window.layerlab.setState({ layer: 'MaxPool2d', kernel_size: 2, stride: 'None',
        padding: 0, dilation: 1, ceil_mode: false, n: 1, c: 1, h: 8, w: 8, lab: 'pool' }));
      assert.equal(lastGood.error, null);
    }
  }
  console.log(`500 states: ${rejected} rejected by the core, slowest ${slowest} ms`);
  assert.ok(rejected > 20, `only ${rejected} invalid states were generated`);
  assert.deepEqual(errors, []);
});

test('a malformed hash never breaks loading', async () => {
  for (const hash of ['%%%', 'layer=%E0%A4%A', '&&&==&', 'kernel_size=' + '9'.repeat(400), 'layer=MaxPool2d&h=-1&w=1e9',
    'lang=xx&lab=nope&n=0&c=0', '#'.repeat(50), encodeURIComponent('<script>alert(1)</script>')]) {
    await page.goto(`${server.base}/index.html#${hash}`);
    await page.reload();
    await page.evaluate(() => window.layerlab.ready);
    const st = await page.evaluate(() => window.layerlab.state());
    // Loaded, and either a result or the core's reason why there is none yet.
    assert.ok(st && (Array.isArray(st.output_shape) || typeof st.error === 'string'), `hash ${hash}`);
    // Still drawing: the app's own frame counter moves on.
    const drawn = await page.evaluate(() => new Promise((r) => {
      const before = window.layerlab.state().frames_drawn;
      requestAnimationFrame(() => requestAnimationFrame(() => r([before, window.layerlab.state().frames_drawn])));
    }));
    assert.ok(drawn[1] > drawn[0], `hash ${hash}: frames ${drawn[0]} -> ${drawn[1]}`);
  }
  assert.deepEqual(errors, []);
});

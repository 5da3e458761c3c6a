// The activation, Linear, gradient and training labs in headless Chromium:
// each lab loaded by its hash, state().lab / metrics checked, a screenshot each.
// Serves LL_WEB_DIR (default build/web) so a build in another directory can be tested.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

import { ROOT, ARTIFACTS, browserSuite, waitFrames as framesOf } from './harness.mjs';
import { decodePng, colourCount } from './png.mjs';

const OUT = path.resolve(ROOT, process.env.LL_ARTIFACTS ?? ARTIFACTS);

let base, page, errors;

before(() => mkdir(OUT, { recursive: true }));
browserSuite({ viewport: { width: 1280, height: 800 } }, (s) => {
  ({ page, errors } = s);
  base = s.server.base;
});

async function open(hash) {
  await page.goto(`${base}/index.html#${hash}`);
  await page.evaluate(() => window.layerlab.ready);
}
const state = () => page.evaluate(() => window.layerlab.state());
const setState = (partial) => page.evaluate((p) => window.layerlab.setState(p), partial);
const waitFrames = (n = 3) => framesOf(page, n);
async function screenshot(name) {
  await waitFrames(3);
  const buf = await page.screenshot();
  await writeFile(path.join(OUT, name), buf);
  const img = decodePng(buf);
  assert.ok(colourCount(img) > 60, `${name}: only ${colourCount(img)} colours, blank canvas?`);
  return img;
}

test('the pooling lab stays the default, with lab and metrics in state()', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=9&w=9');
  const st = await state();
  assert.equal(st.lab, 'pool');
  assert.deepEqual(st.metrics, {});
  assert.deepEqual(st.output_shape, [1, 1, 5, 5]);
});

test('activation lab: Sigmoid\'s measured derivative peaks at 0.25', async () => {
  await open('lab=activation&layer=Sigmoid&xmin=-6&xmax=6&compare=Tanh,ReLU');
  const st = await state();
  assert.equal(st.lab, 'activation');
  assert.equal(st.layer, 'Sigmoid');
  assert.equal(st.error, null);
  assert.ok(Math.abs(st.metrics.derivative_max - 0.25) < 1e-6, `derivative_max ${st.metrics.derivative_max}`);
  assert.deepEqual(st.compare, ['Tanh', 'ReLU']);
  assert.match(await page.evaluate(() => location.hash), /lab=activation/);
  await screenshot('lab-activation.png');
  // Tanh peaks at 1; LeakyReLU's parameter goes through the hash.
  assert.ok(Math.abs((await setState({ layer: 'Tanh' })).metrics.derivative_max - 1) < 1e-6);
  const leaky = await setState({ layer: 'LeakyReLU', negative_slope: 0.2, xmin: -3, xmax: -1 });
  assert.ok(Math.abs(leaky.metrics.derivative_max - 0.2) < 1e-6, JSON.stringify(leaky.metrics));
  assert.equal(leaky.params.negative_slope, 0.2);
  // RReLU: bad bounds are the core's error, the page keeps going.
  const bad = await setState({ layer: 'RReLU', lower: 0.5, upper: 0.1 });
  assert.match(bad.error, /RReLU/);
  assert.equal((await setState({ lower: 0.1, upper: 0.3, training: 0 })).error, null);
});

test('linear lab: three stacked Linear layers equal one', async () => {
  await open('lab=linear&in_features=4&out_features=3&depth=3&activation=none');
  const st = await state();
  assert.equal(st.lab, 'linear');
  assert.equal(st.error, null);
  assert.equal(st.metrics.depth, 3);
  assert.equal(st.metrics.activation, 'none');
  assert.ok(st.metrics.collapse_max_abs_diff <= 1e-5, `diff ${st.metrics.collapse_max_abs_diff}`);
  assert.equal(st.metrics.fused_rank, 3);
  await screenshot('lab-linear.png');
  const bottleneck = await setState({ hidden: 1 });
  assert.equal(bottleneck.metrics.fused_rank, 1);
  const relu = await setState({ hidden: 4, activation: 'ReLU' });
  assert.equal(relu.metrics.activation, 'ReLU');
  assert.ok(relu.metrics.collapse_max_abs_diff > 1e-3, `with ReLU the diff is ${relu.metrics.collapse_max_abs_diff}`);
});

test('gradient lab: a 20-layer Sigmoid stack\'s first-layer gradient vanishes next to ReLU\'s', async () => {
  await open('lab=gradient&depth=20&width=32&activation=Sigmoid');
  const sig = await state();
  assert.equal(sig.lab, 'gradient');
  assert.equal(sig.metrics.grad_norms.length, 20);
  await screenshot('lab-gradient-sigmoid.png');
  const relu = await setState({ activation: 'ReLU' });
  assert.equal(relu.metrics.grad_norms.length, 20);
  const s1 = sig.metrics.grad_norms[0], r1 = relu.metrics.grad_norms[0];
  assert.ok(r1 > 0 && s1 < 1e-3 * r1, `Sigmoid ${s1} vs ReLU ${r1}`);
  // Sigmoid never outputs exactly 0, so no unit is dead; deep ReLU with the default init
  // kills a good share of units in the later layers (measured 0.43 here). All layers
  // are equally wide, so the total is the mean of the per-layer fractions.
  assert.equal(sig.metrics.dead_fraction, 0);
  assert.ok(relu.metrics.dead_fraction > 0.1, `ReLU dead fraction ${relu.metrics.dead_fraction}`);
  const perLayer = relu.metrics.dead_fraction_per_layer;
  assert.equal(perLayer.length, 20);
  assert.ok(Math.abs(perLayer.reduce((a, b) => a + b, 0) / 20 - relu.metrics.dead_fraction) < 1e-12);
  await screenshot('lab-gradient-relu.png');
});

// The gradient reaching each layer, |grad_input| of each Linear: ReLU with a big
// init explodes, Sigmoid vanishes, and every compared activation gets its own norms
// from the same weights and batch.
test('gradient lab: gain and init make ReLU explode, Sigmoid vanish; four activations on one plot', async () => {
  await open('lab=gradient&depth=20&width=32&activation=ReLU&init=kaiming_normal&gain=3');
  const up = await state();
  assert.equal(up.metrics.init, 'kaiming_normal');
  assert.equal(up.metrics.gain, 3);
  const n = up.metrics.grad_norms;
  assert.equal(n.length, 20);
  const ratio = n[0] / n[19];
  assert.ok(ratio > 1e3, `first / last = ${ratio}`);
  assert.equal(up.metrics.verdict, 'exploding');
  assert.ok(Math.abs(up.metrics.grad_ratio / ratio - 1) < 1e-9);
  // The chosen activation's curve is the one in compare_grad_norms, and the others are there.
  assert.deepEqual(Object.keys(up.metrics.compare_grad_norms).sort(), ['LeakyReLU', 'ReLU', 'Sigmoid', 'Tanh']);
  assert.deepEqual(up.metrics.compare_grad_norms.ReLU, n);
  assert.ok(up.metrics.compare_grad_norms.Sigmoid[0] < 1e-3 * n[0]);
  await screenshot('lab-gradient-exploding.png');
  // Gain 1 keeps kaiming_normal's ReLU stack stable; gain 0.5 makes it vanish.
  const ok = await setState({ gain: 1 });
  assert.equal(ok.metrics.verdict, 'stable', `ratio ${ok.metrics.grad_ratio}`);
  assert.equal((await setState({ gain: 0.5 })).metrics.verdict, 'vanishing');
  const sig = await setState({ activation: 'Sigmoid', init: 'default', gain: 1 });
  assert.equal(sig.metrics.verdict, 'vanishing');
  assert.ok(sig.metrics.grad_ratio < 1e-2);
  assert.match(await page.evaluate(() => location.hash), /init=default&gain=1&compare=Sigmoid,Tanh,ReLU,LeakyReLU/);
  await screenshot('lab-gradient-vanishing.png');
  // compare= picks the others; the chosen one is always measured.
  const two = await setState({ compare: 'Tanh' });
  assert.deepEqual(Object.keys(two.metrics.compare_grad_norms).sort(), ['Sigmoid', 'Tanh']);
  assert.deepEqual(two.compare, ['Tanh']);
  // Every init PyTorch offers gives its own weights; old links' names still load.
  const seen = new Set();
  for (const init of ['default', 'xavier_uniform', 'kaiming_uniform', 'kaiming_normal', 'normal']) {
    const st = await setState({ init, activation: 'Tanh' });
    assert.equal(st.metrics.init, init);
    seen.add(st.metrics.grad_norms[0]);
  }
  assert.equal(seen.size, 5);
  assert.equal((await setState({ init: 'xavier' })).metrics.init, 'xavier_uniform');
  assert.equal((await setState({ init: 'kaiming' })).metrics.init, 'kaiming_uniform');
});

test('gradient lab: activation=none (a linear stack) opens on a fresh page, with one norm per layer', async () => {
  // A reload, not a hash change: the lab's first result is this one (it used to read an empty list).
  await page.goto(`${base}/index.html#lab=gradient&activation=none&depth=3&compare=ReLU`);
  await page.reload();
  await page.evaluate(() => window.layerlab.ready);
  const m = (await state()).metrics;
  assert.equal(m.grad_norms.length, 3);
  assert.ok(m.grad_norms.every((v) => v > 0 && Number.isFinite(v)), JSON.stringify(m.grad_norms));
  assert.deepEqual(Object.keys(m.compare_grad_norms).sort(), ['ReLU', 'none']);
});

test('train lab: lr 5 with ReLU kills units, and dead_history shows it rising', async () => {
  await open('lab=train&dataset=circles&activation=ReLU&lr=5&seed=0');
  const st0 = await state();
  assert.equal(st0.metrics.dead_fraction.length, 2);
  assert.deepEqual(st0.metrics.dead_history, []);
  let st = st0;
  for (let k = 0; k < 10 && st.metrics.step < 200; ++k) st = await setState({ steps: 200 - st.metrics.step });
  assert.equal(st.metrics.step, 200);
  const hist = st.metrics.dead_history;
  assert.equal(hist.length, 200);
  const worst = Math.max(...st.metrics.dead_fraction);
  assert.ok(worst > 0.3, `dead after 200 steps: ${st.metrics.dead_fraction}`);
  const layer = st.metrics.dead_fraction.indexOf(worst);
  assert.ok(hist[199][layer] > hist[0][layer], `layer ${layer + 1}: ${hist[0][layer]} -> ${hist[199][layer]}`);
  // Each entry is a share of 16 units.
  for (const h of hist) for (const f of h) assert.equal(Math.round(f * 16), f * 16);
  await screenshot('lab-train-dead.png');
  // A gentle lr keeps (almost) every unit alive on the same data and seed.
  await open('lab=train&dataset=circles&activation=ReLU&lr=0.05&seed=0');
  let calm = await state();
  for (let k = 0; k < 10 && calm.metrics.step < 200; ++k) calm = await setState({ steps: 200 - calm.metrics.step });
  assert.ok(Math.max(...calm.metrics.dead_fraction) < worst, `lr 0.05: ${calm.metrics.dead_fraction}`);
});

test('activation lab: PyTorch\'s derivative at the kink, and an invalid RReLU keeps its last curve', async () => {
  await open('lab=activation&layer=ReLU');
  const relu = await state();
  assert.equal(relu.metrics.grad_at_0, 0);        // threshold_backward: x <= 0 gets 0
  assert.equal(relu.metrics.grad_at_nan, 1);      // NaN <= 0 is false: the gradient passes through
  const leaky = await setState({ layer: 'LeakyReLU', negative_slope: 0.2 });
  assert.ok(Math.abs(leaky.metrics.grad_at_0 - 0.2) < 1e-7, `${leaky.metrics.grad_at_0}`);
  const good = await setState({ layer: 'RReLU', lower: 0.1, upper: 0.3 });
  assert.equal(good.error, null);
  const bad = await setState({ lower: 0.5, upper: 0.2 });
  assert.match(bad.error, /RReLU/);
  assert.deepEqual(bad.metrics.curve_at, good.metrics.curve_at);  // the last valid curve stays
  await screenshot('lab-activation-invalid.png');
});

test('activation lab: after 20 PReLU SGD steps the curve uses the learned weight', async () => {
  await open('lab=activation&layer=PReLU&init=0.25&target_slope=0.2&lr=0.1');
  const st0 = await state();
  assert.equal(st0.metrics.weight, 0.25);
  assert.equal(st0.metrics.curve_at['-1'], -0.25);
  const st = await setState({ steps: 20 });
  assert.equal(st.metrics.prelu_fit.step, 20);
  // SGD moves the slope from 0.25 towards the target 0.2; the curve and f(-1) follow it.
  assert.equal(st.metrics.weight, st.metrics.prelu_fit.slope);
  assert.ok(st.metrics.weight < 0.21 && st.metrics.weight > 0.199, `weight ${st.metrics.weight}`);
  assert.equal(st.metrics.curve_at['-1'], -st.metrics.weight);
  assert.equal(st.metrics.curve_at['0'], 0);
  assert.equal(st.metrics.curve_at['1'], 1);
  await screenshot('lab-activation-prelu-learned.png');
});

test('train lab: a few SGD steps lower the loss; the frame loop keeps training', async () => {
  await open('lab=train&dataset=circles&lr=0.5&seed=0');
  const st0 = await state();
  assert.equal(st0.lab, 'train');
  assert.equal(st0.metrics.step, 0);
  const st = await setState({ steps: 20 });
  assert.equal(st.metrics.step, 20);
  assert.ok(st.metrics.loss < st0.metrics.loss, `loss ${st0.metrics.loss} -> ${st.metrics.loss}`);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /steps=/);
  // Frame time paused, then playing with 5 SGD steps per frame.
  const frameTime = () => page.evaluate(() => new Promise((resolve) => {
    const t = [];
    const step = (now) => { t.push(now); if (t.length < 61) requestAnimationFrame(step); else resolve((t[60] - t[0]) / 60); };
    requestAnimationFrame(step);
  }));
  const pausedMs = await frameTime();
  await setState({ play: 1, speed: 5 });
  const frameMs = await frameTime();
  const playing = await state();
  console.log(`train lab: ${pausedMs.toFixed(1)} ms per frame paused, ${frameMs.toFixed(1)} ms playing ` +
              `(${playing.metrics.step_ms.toFixed(2)} ms of SGD + boundary per frame)`);
  assert.ok(playing.metrics.step > 20);
  await setState({ play: 0 });
  await screenshot('lab-train.png');
  for (const dataset of ['spirals', 'xor']) {
    const d = await setState({ dataset });
    assert.equal(d.metrics.step, 0, dataset);
    assert.equal(d.metrics.dataset, dataset);
  }
});

test('no page errors', () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});

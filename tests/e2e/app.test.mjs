// The playground page in headless Chromium (WebGL2 through SwiftShader).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ARTIFACTS, startServer, launchBrowser, watchErrors, waitFrames as framesOf, atRest, canvasShot } from './harness.mjs';
import { decodePng, encodePng, colourCount, pixelsDiffering } from './png.mjs';
import { loadGoldens } from '../js/compare.mjs';

let server, browser, page, errors;
const VIEW = { width: 1280, height: 800 };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: VIEW });
  errors = watchErrors(page);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash) {
  await page.goto(`${server.base}/index.html#${hash}`);
  await page.evaluate(() => window.layerlab.ready);
}

async function screenshot(name) {
  const buf = await page.screenshot();
  await writeFile(path.join(ARTIFACTS, name), buf);
  return decodePng(buf);
}

// A frame passes between two reads only if the page is alive.
const waitFrames = (n = 3) => framesOf(page, n);

function hashFromSpec(spec) {
  const p = spec.params ?? {};
  const parts = [`layer=${spec.layer}`, 'input=ramp'];
  for (const [k, v] of Object.entries(p)) {
    if (v === null) continue;
    parts.push(`${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'boolean' ? (v ? 1 : 0) : v}`);
  }
  const s = spec.input.shape;
  const [n, c, h, w] = s.length === 4 ? s : [1, ...s];
  parts.push(`n=${n}`, `c=${c}`, `h=${h}`, `w=${w}`);
  return parts.join('&');
}

test('the page draws a non-blank first frame', async () => {
  const t0 = Date.now();
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=9&w=9`);
  const inPage = await page.evaluate(() => window.layerlab.ready.then(() => performance.now()));
  // The first navigation of a fresh browser (budget 1.5 s; printed, not enforced: timing is not a test).
  console.log(`first frame ${inPage.toFixed(0)} ms after navigation start (${Date.now() - t0} ms seen from the test)`);
  const img = await screenshot('app-maxpool.png');
  assert.ok(colourCount(img) > 40, `only ${colourCount(img)} colours: blank canvas?`);
  assert.deepEqual(await page.evaluate(() => window.layerlab.state().output_shape), [1, 1, 5, 5]);
});

// Two ways of drawing the same frames must give the same pixels: the page's own
// (opaque rectangles as scissored clears, src/platform/draw_fills.h; each frame
// drawn only where it changed, src/platform/retained_frame.h) and
// ?fills=plain&redraw=all (ImGui's triangles, every frame whole). Both pages go
// through the same steps (a drag, a hover, another language, theme, lab, a phone
// and a 1.5x screen) and are compared after each one. Only the measured
// forward/backward times may differ (the Tensors header's right end).
test('frames drawn where they changed, with clears, are the pixels of whole redraws', async () => {
  const hash = 'layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=random&h=224&w=224';
  // Hover highlights and tooltips follow ImGui's clock, not a frame count: each
  // shot waits until the app is at rest (harness.mjs atRest). Shots are of the
  // canvas alone (canvasShot): the page's HTML is drawn by Chromium, not by either mode.
  const settle = async (p) => {
    await p.mouse.move(5, 5);  // the LayerLab title: nothing hovered
    await atRest(p);
  };
  const steps = [
    ['load', async () => {}],
    ['drag kernel_size', async (p) => {
      await p.mouse.move(200, 212);
      await p.mouse.down();
      for (const x of [230, 260, 300, 250]) {
        await p.mouse.move(x, 212);
        await p.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      }
      await p.mouse.up();
    }],
    ['hover an output cell', async (p) => {
      await p.mouse.move(840, 190);
      await atRest(p);
    }],
    ['zh', (p) => p.evaluate(() => window.layerlab.setState({ lang: 'zh' }))],
    ['light theme', (p) => p.evaluate(() => window.layerlab.setState({ theme: 'light' }))],
    ['activation lab', (p) => p.evaluate(() => window.layerlab.setState({ lab: 'activation' }))],
    ['phone', (p) => p.setViewportSize({ width: 390, height: 844 })],
  ];
  const SCALES = [1.25, 1.5, 1.75];
  const shots = { fast: [], plain: [] };
  const redrawn = {};
  for (const mode of ['fast', 'plain']) {
    const p = await browser.newPage({ viewport: VIEW });
    await p.goto(`${server.base}/index.html${mode === 'plain' ? '?fills=plain&redraw=all' : ''}#${hash}`);
    await p.evaluate(() => window.layerlab.ready);
    for (const [name, act] of steps) {
      await act(p);
      if (name === 'hover an output cell') {
        redrawn[mode] = (await p.evaluate(() => window.layerlab.state())).timings.redrawn;
        shots[mode].push(decodePng(await canvasShot(p)));
        continue;
      }
      await settle(p);
      shots[mode].push(decodePng(await canvasShot(p)));
    }
    await writeFile(path.join(ARTIFACTS, `redraw-${mode}-phone.png`), await p.screenshot());
    // Screens at 1.25x, 1.5x and 1.75x: pixel edges fall between ImGui's coordinates.
    for (const scale of SCALES) {
      const dpr = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: scale });
      await dpr.goto(`${server.base}/index.html${mode === 'plain' ? '?fills=plain&redraw=all' : ''}#${hash}`);
      await dpr.evaluate(() => window.layerlab.ready);
      await dpr.evaluate(() => window.layerlab.setState({ kernel_size: 5 }));
      await dpr.mouse.move(600, 150);
      await atRest(dpr);
      const shot = await canvasShot(dpr);
      shots[mode].push(decodePng(shot));
      await writeFile(path.join(ARTIFACTS, `redraw-${mode}-dpr${scale}.png`), shot);
      await dpr.close();
    }
    await p.close();
  }
  const names = [...steps.map(([n]) => n), ...SCALES.map((k) => `${k}x screen`)];
  for (let i = 0; i < names.length; ++i) {
    const a = shots.fast[i], b = shots.plain[i];
    assert.deepEqual([a.width, a.height], [b.width, b.height], names[i]);
    assert.ok(colourCount(a) > 40, `${names[i]}: only ${colourCount(a)} colours`);
    const cssWidth = i >= steps.length ? 800 : steps[i][0] === 'phone' ? 390 : 1280;
    const timingsRow = Math.round(24 * a.width / cssWidth);
    let outside = 0, inside = 0;
    const diff = Buffer.alloc(a.width * a.height * 4);
    for (let y = 0; y < a.height; ++y) {
      for (let x = 0; x < a.width; ++x) {
        const k = (y * a.width + x) * a.channels, d = (y * a.width + x) * 4;
        diff[d + 3] = 255;
        if (a.px[k] === b.px[k] && a.px[k + 1] === b.px[k + 1] && a.px[k + 2] === b.px[k + 2]) {
          diff.fill(a.px[k] >> 2, d, d + 3);  // the page, dimmed
          continue;
        }
        const timings = y < timingsRow && x >= a.width * 0.6;
        diff[d + (timings ? 2 : 0)] = 255;  // differing: red, blue inside the timings' text
        if (timings) ++inside; else ++outside;
      }
    }
    if (outside > 0) {  // the pair and their difference, to look at (build/test-artifacts/)
      const stem = `redraw-fail-${names[i].replace(/\W+/g, '-')}-${Date.now()}`;
      const rgba = (img) => (img.channels === 4 ? img.px
        : Buffer.from(Array.from({ length: img.width * img.height * 4 }, (_, j) => (j % 4 === 3 ? 255 : img.px[(j >> 2) * 3 + (j % 4)]))));
      await writeFile(path.join(ARTIFACTS, `${stem}-fast.png`), encodePng(a.width, a.height, rgba(a)));
      await writeFile(path.join(ARTIFACTS, `${stem}-plain.png`), encodePng(b.width, b.height, rgba(b)));
      await writeFile(path.join(ARTIFACTS, `${stem}-diff.png`), encodePng(a.width, a.height, diff));
    }
    assert.equal(outside, 0, `${names[i]}: ${outside} pixels differ outside the timings' text (${inside} inside)`);
  }
  // The page did draw less than whole frames (a hover redraws the cell's
  // highlight and the inspector); the plain page drew every frame whole.
  assert.ok(redrawn.fast < 0.5, `median fraction redrawn ${redrawn.fast}`);
  assert.equal(redrawn.plain, 1);
});

test('hash states give PyTorch\'s output shapes (goldens)', async () => {
  const fits = (c) => ['MaxPool2d', 'AvgPool2d'].includes(c.spec.layer) && !c.expected.error
    && c.spec.input.shape.length >= 3 && c.spec.input.shape.every((d) => d >= 1)
    && c.spec.input.shape.slice(-2).every((d) => d <= 64) && (c.spec.input.shape.length === 3 || c.spec.input.shape[0] <= 2)
    && c.spec.input.shape.at(-3) <= 3;
  const candidates = loadGoldens().filter(fits);
  const picked = candidates.filter((_, i) => i % Math.max(1, Math.floor(candidates.length / 16)) === 0).slice(0, 16);
  assert.ok(picked.length >= 12, `${picked.length} golden states`);
  await open('layer=MaxPool2d&kernel_size=2');
  for (const c of picked) {
    await page.evaluate((h) => { location.hash = h; }, hashFromSpec(c.spec));
    await waitFrames(2);
    const st = await page.evaluate(() => window.layerlab.state());
    assert.equal(st.error, null, `${c.name}: ${st.error}`);
    const want = c.expected.output.shape;
    assert.deepEqual(st.output_shape.slice(-2), want.slice(-2), `${c.name} (${hashFromSpec(c.spec)})`);
    assert.equal(st.layer, c.spec.layer);
  }
});

test('an invalid combination shows the error and keeps the last good result', async () => {
  await open('layer=MaxPool2d&kernel_size=3&h=8&w=8');
  const good = await page.evaluate(() => window.layerlab.state());
  assert.equal(good.error, null);
  const bad = await page.evaluate(() => window.layerlab.setState({ padding: 2 }));
  assert.match(bad.error, /MaxPool2d: padding must be at most half of kernel_size/);
  assert.deepEqual(bad.output_shape, good.output_shape);
  await waitFrames(3);
  const img = await screenshot('app-error.png');
  assert.ok(colourCount(img) > 40);
  for (const junk of [{ kernel_size: 'NaN' }, { h: -5 }, { stride: '1e99' }, { layer: '<script>' }, { dilation: 0 }]) {
    await page.evaluate((j) => window.layerlab.setState(j), junk);
  }
  await waitFrames(3);
  const after = await page.evaluate(() => window.layerlab.state());
  assert.ok(after && Array.isArray(after.output_shape));
  const fixed = await page.evaluate(() => window.layerlab.setState({ layer: 'MaxPool2d', kernel_size: 2, padding: 0, dilation: 1, stride: 'None', h: 8 }));
  assert.equal(fixed.error, null);
});

test('the hash round-trips through a reload', async () => {
  await open('layer=MaxPool2d&kernel_size=2');
  await page.evaluate(() => window.layerlab.setState({ layer: 'AvgPool2d', kernel_size: [3, 2], stride: 2, padding: 1,
    ceil_mode: true, count_include_pad: false, h: 7, w: 9, c: 2, input: 'checkerboard', lang: 'zh' }));
  await waitFrames(3);
  const before = await page.evaluate(() => ({ hash: location.hash, state: window.layerlab.state() }));
  assert.match(before.hash, /layer=AvgPool2d/);
  await page.reload();
  await page.evaluate(() => window.layerlab.ready);
  const afterReload = await page.evaluate(() => ({ hash: location.hash, state: window.layerlab.state() }));
  for (const k of ['layer', 'params', 'input_shape', 'output_shape', 'lang']) {
    assert.deepEqual(afterReload.state[k], before.state[k], k);
  }
  // H: floor((7 + 2 - 2 - 1) / 2) + 1 = 4; W: ceil gives 6, but window 5 starts at 10 >= 9 + 1: dropped -> 5.
  assert.deepEqual(before.state.output_shape, [1, 2, 4, 5]);
  await screenshot('app-avgpool-zh.png');
});

test('hovering an output cell highlights its window on the input', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=9&w=9');
  await page.mouse.move(5, 795);
  await waitFrames(4);
  const clip = { x: 360, y: 70, width: 340, height: 220 };  // the input heatmap
  const plain = decodePng(await page.screenshot({ clip }));
  await page.mouse.move(846, 180);  // the middle of the output heatmap
  await waitFrames(4);
  const hovered = decodePng(await page.screenshot({ clip }));
  await screenshot('app-hover.png');
  const changed = pixelsDiffering(plain, hovered);
  assert.ok(changed > 200, `hover changed only ${changed} pixels of the input heatmap`);
});

test('no page errors', () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});

test('the app measures the core on a 1x3x224x224 input (state().timings)', async () => {
  for (const layer of ['MaxPool2d', 'AvgPool2d', 'MaxUnpool2d']) {
    await open(`layer=${layer}&kernel_size=3&stride=2&padding=1&n=1&c=3&h=224&w=224&input=random`);
    // The app warms the core up after its first frame and recomputes; then
    // each change is timed with optimised code. Median of a few changes.
    await page.waitForFunction(() => window.layerlab.state().timings?.warm === true);
    const totals = [];
    for (let seed = 1; seed <= 5; seed++) {
      const st = await page.evaluate((seed) => {
        window.layerlab.setState({ seed });
        return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.layerlab.state()))));
      }, seed);
      assert.equal(st.error, null);
      assert.ok(Number.isFinite(st.timings.forward_ms) && Number.isFinite(st.timings.backward_ms),
                JSON.stringify(st.timings));
      assert.equal(st.timings.warm, true);
      totals.push(st.timings.forward_ms + st.timings.backward_ms);
    }
    totals.sort((a, b) => a - b);
    // A 1x3x224x224 forward + backward takes well over the browser's timer grain:
    // five zero readings would mean the app is not timing the core at all.
    assert.ok(totals[4] > 0, `${layer}: every timing read 0 ms`);
    console.log(`${layer} 1x3x224x224 in the browser: forward + backward ${totals[2].toFixed(2)} ms `
                + `(median of 5 changes; budget 8 ms)`);
  }
});

test('30 wheel notches into a padded 224x224 input: the heatmaps are still drawn', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&n=1&c=3&h=224&w=224&input=picture');
  const clip = { x: 360, y: 40, width: 900, height: 520 };  // the Tensors window
  await page.mouse.move(530, 180);  // over the input heatmap
  await waitFrames(3);
  const fitted = colourCount(decodePng(await page.screenshot({ clip })));
  for (let i = 0; i < 30; i++) {
    await page.mouse.wheel(0, -120);
    await waitFrames(1);
  }
  await waitFrames(3);
  const shot = await page.screenshot({ clip });
  await writeFile(path.join(ARTIFACTS, 'app-deep-zoom.png'), shot);
  const zoomed = colourCount(decodePng(shot));
  // Blank would be the window's background alone: a handful of colours.
  assert.ok(zoomed > 40, `after 30 notches only ${zoomed} colours (fitted: ${fitted})`);
  assert.equal((await page.evaluate(() => window.layerlab.state())).error, null);
});

test('at rest the page draws nothing; input and setState wake it, and the last frame stays on screen', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=16&w=16');
  await page.mouse.move(5, 795);
  await page.waitForTimeout(3000);
  const frames = async () => (await page.evaluate(() => window.layerlab.state())).frames_drawn;
  const f0 = await frames();
  await page.waitForTimeout(2000);
  const f1 = await frames();
  assert.ok(f1 - f0 <= 4, `${f1 - f0} frames in 2 s at rest (at most 2 per second)`);
  const still = await screenshot('app-idle.png');
  assert.ok(colourCount(still) > 60, 'the canvas went blank at rest');
  await page.mouse.move(846, 180);  // hover an output cell
  await waitFrames(3);
  const f2 = await frames();
  assert.ok(f2 > f1, `a pointer move drew no frame (${f1} -> ${f2})`);
  await page.evaluate(() => window.layerlab.setState({ kernel_size: 2 }));
  await waitFrames(3);
  assert.ok(await frames() > f2, 'setState drew no frame');
});

test('Tab leaves the canvas for the Describe button, Shift+Tab comes back', async () => {
  await open('layer=MaxPool2d&kernel_size=3');
  await page.locator('#canvas').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'describe-toggle');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'copy-link');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas');
  // Keys go to the app only while the canvas has focus; a click on it gives it back.
  await page.locator('#copy-link').focus();
  await page.mouse.click(846, 180);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas');
});

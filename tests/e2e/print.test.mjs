// Print (issue 18): on beforeprint, or when the print media query starts to match, each
// instance shows a still of its canvas with a caption of its module in Python; the canvas
// is hidden in print; afterprint (or screen media again) removes the still.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { ARTIFACTS, browserSuite, atRest } from './harness.mjs';

const suite = browserSuite({ viewport: { width: 1280, height: 800 } });

// The still's pixels, drawn into a 2D canvas: its size and how many distinct colours it has.
const stillStats = (target) => target.evaluate(async () => {
  const img = document.querySelector('#print-figure img');
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4 * 7) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return { width: c.width, height: c.height, colours: colours.size,
           canvas: getComputedStyle(document.getElementById('canvas')).display,
           shown: getComputedStyle(document.getElementById('print-figure')).display,
           caption: document.querySelector('#print-figure figcaption').textContent };
});

test('beforeprint + print media: a still of the canvas, the canvas hidden, the caption in Python', async () => {
  const { page, errors } = suite;
  await page.goto(`${suite.server.base}/index.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&h=8&w=8`);
  await page.evaluate(() => window.layerlab.ready);
  await atRest(page, { quietMs: 1500 });  // at rest: the main loop has paused (3 idle iterations after the last frame)
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  const st = await stillStats(page);
  assert.equal(st.caption, 'nn.MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True) · input 1×1×8×8');
  assert.equal(st.canvas, 'none');
  assert.equal(st.shown, 'block');
  assert.ok(st.width > 600 && st.height > 400, `${st.width}x${st.height}`);
  assert.ok(st.colours > 30, `a blank still: ${st.colours} colours`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'print-playground.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 30000 && /\/Subtype\s*\/Image/.test(pdf.toString('latin1')), `PDF ${pdf.length} bytes`);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await page.locator('#print-figure').count(), 0);
  assert.deepEqual(errors, []);
});

test('the print media query alone (no beforeprint) makes the still; screen media removes it', async () => {
  const { page } = suite;
  await page.goto(`${suite.server.base}/index.html#lab=activation&layer=LeakyReLU&negative_slope=0.2`);
  await page.evaluate(() => window.layerlab.ready);
  await page.emulateMedia({ media: 'print' });
  await page.waitForSelector('#print-figure img', { state: 'attached' });
  const st = await stillStats(page);
  assert.match(st.caption, /^nn\.LeakyReLU\(negative_slope=0\.2\) · input /);
  assert.ok(st.colours > 30, `a blank still: ${st.colours} colours`);
  await page.emulateMedia({ media: 'screen' });
  await page.waitForFunction(() => !document.getElementById('print-figure'));
});

test('course-example.html in print: every instance made so far prints its still', async () => {
  const { page } = suite;
  await page.goto(`${suite.server.base}/course-example.html`);
  const frames = [];
  for (let i = 0; i < 2; i++) {
    const div = page.locator('[data-layerlab]').nth(i);
    await div.scrollIntoViewIfNeeded();
    const frame = await (await div.locator('iframe').elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 60000 });
    await frame.evaluate(() => window.layerlab.ready);
    frames.push(frame);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ media: 'print' });
  for (const frame of frames) {
    await frame.waitForSelector('#print-figure img', { state: 'attached' });
    const st = await stillStats(frame);
    assert.match(st.caption, /^nn\.MaxPool2d\(kernel_size=2.* · input 1×1×\d×\d$/);
    assert.equal(st.canvas, 'none');
    assert.ok(st.colours > 30, `a blank still: ${st.colours} colours`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'print-course.png') });
  await page.emulateMedia({ media: 'screen' });
});

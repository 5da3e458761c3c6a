// A browser without WebGL2 gets the page's message (in both languages) and a
// rejected layerlab.ready, never an endless spinner or a page error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { ARTIFACTS, startServer, watchErrors } from './harness.mjs';

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--disable-quic', '--disable-webgl', '--disable-webgl2'],
});
after(async () => {
  await browser.close();
  await server.close();
});

test('without WebGL2 the page says so and layerlab.ready rejects', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/index.html#layer=ReLU`);
  const outcome = await page.evaluate(() => window.layerlab.ready.then(() => 'ready', (e) => e.message));
  assert.equal(outcome, 'WebGL2 is not available');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('nowebgl')).display), 'flex');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('loading')).display), 'none');
  assert.match(await page.textContent('#nowebgl'), /WebGL2.*需要 WebGL2/s);
  await page.screenshot({ path: path.join(ARTIFACTS, 'no-webgl2.png') });
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});

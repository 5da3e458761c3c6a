// Browser-test harness: a static server for build/web (+ test pages) and
// Debian's headless Chromium through playwright-core, WebGL2 via SwiftShader.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

import { startStaticServer, fileUnder } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB = path.resolve(ROOT, process.env.LL_WEB_DIR ?? 'build/web');
export const ARTIFACTS = path.join(ROOT, 'build/test-artifacts');

// Serves build/web (or LL_WEB_DIR) at / and tests/e2e/pages at /__test__/. Extra
// response headers per URL (e.g. a Content-Security-Policy) via `headers(url)`.
export function startServer({ headers = () => ({}) } = {}) {
  const pages = path.join(ROOT, 'tests/e2e/pages');
  return startStaticServer({
    headers,
    webRoot: WEB,
    resolve: (url) => (url.pathname.startsWith('/__test__/')
      ? fileUnder(pages, url.pathname.slice('/__test__'.length))
      : fileUnder(WEB, url.pathname)),
  });
}

export async function launchBrowser() {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
           '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
}

// Collects page errors and console errors so a test can assert there were none.
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

// A test file's server and Chromium, started before its tests and closed after
// them; with `viewport`, also one page whose errors are collected. `ready(suite)`
// receives {server, browser, page, errors} once they run.
export function browserSuite({ viewport } = {}, ready = () => {}) {
  const suite = {};
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launchBrowser();
    if (viewport) {
      suite.page = await suite.browser.newPage({ viewport });
      suite.errors = watchErrors(suite.page);
    }
    ready(suite);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

// `n` of the page's animation frames (the page is alive and has painted).
export async function waitFrames(page, n = 3) {
  await page.evaluate((k) => new Promise((resolve) => {
    const step = (left) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(k);
  }), n);
}

// Until the app is at rest: no frame drawn for `quietMs` (its main loop idles
// kSettleSeconds after the last event, so hover highlights and tooltips, which
// follow ImGui's clock, have settled). Waits on the app's own frame count, not a
// fixed time, so a slow or loaded machine only takes longer.
export async function atRest(page, { quietMs = 400, timeoutMs = 60000 } = {}) {
  const frames = () => page.evaluate(() => window.layerlab.state().frames_drawn);
  const start = Date.now();
  for (let last = await frames(); Date.now() - start < timeoutMs;) {
    await page.waitForTimeout(quietMs);
    const now = await frames();
    if (now === last) return now;
    last = now;
  }
  throw new Error(`the app never came to rest in ${timeoutMs} ms`);
}

// A screenshot of the app's canvas alone: what the app draws, not the page's own
// HTML around it (whose antialiased edges Chromium rasterises with a rounding that
// varies from run to run: the tools strip's 1.5 px border at DPR 1.5 came out
// (30,34,46) in one run and (30,35,46) in another).
export async function canvasShot(page) {
  const clip = await page.evaluate(() => {
    const r = document.getElementById('canvas').getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  });
  return page.screenshot({ clip });
}

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

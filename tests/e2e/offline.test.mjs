// Offline classrooms (issue 18): build/web/sw.js precaches every file the pages load under
// a cache named by the build's content hash. After one visit the playground, an embed and
// the course example (with its instances) reach `ready` with the network off; a new build
// replaces the old cache on the next online visit; a page without a secure context goes on
// without a worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { ROOT, WEB, browserSuite, watchErrors } from './harness.mjs';
import { startStaticServer, fileUnder } from '../../scripts/serve.mjs';

let browser;
browserSuite({}, (s) => ({ browser } = s));

// Files of build/web no page loads: server configuration, types, the SRI line, the worker itself.
const NOT_PRECACHED = ['_headers', 'nginx-layerlab.conf', 'layerlab-core.d.ts', 'layerlab-embed.js.sri', 'sw.js'];

async function filesUnder(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...await filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`));
    else out.push(prefix + e.name);
  }
  return out;
}
const workerOf = async (dir) => readFile(path.join(dir, 'sw.js'), 'utf8');
const precacheOf = (sw) => [...sw.match(/const PRECACHE = \[([^\]]*)\]/)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
const hashOf = (sw) => sw.match(/const BUILD_HASH = '([0-9a-f]{16})'/)[1];

// What the build does (CMakeLists.txt): web/sw.js with the list and hash for the files in `dir`.
function makeWorker(dir, files) {
  execFileSync('cmake', [`-DIN=${path.join(ROOT, 'web/sw.js')}`, `-DOUT=${path.join(dir, 'sw.js')}`, `-DWEB=${dir}`,
                         `-DFILES=${files.join(';')}`, '-P', path.join(ROOT, 'web/make_sw.cmake')]);
}

// A server for `dir` that records every path it is asked for, with web/_headers' CSP.
async function countingServer(dir) {
  const hits = [];
  const server = await startStaticServer({ webRoot: dir, resolve: (url) => { hits.push(url.pathname); return fileUnder(dir, url.pathname); } });
  return { ...server, hits };
}

async function newContextPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { context, page, errors: watchErrors(page) };
}

// The worker has installed (the cache is full) and controls the page (clients.claim).
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('layerlab '));
    const counts = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).length));
    return { names, counts };
  });
}

async function frameOfDiv(page, i) {
  const div = page.locator('[data-layerlab]').nth(i);
  await div.scrollIntoViewIfNeeded();
  const frameEl = div.locator('iframe');
  await frameEl.waitFor();
  const frame = await (await frameEl.elementHandle()).contentFrame();
  await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 60000 });
  return frame;
}

test('sw.js precaches every file of build/web a page loads, and its hash follows their contents', async () => {
  const sw = await workerOf(WEB);
  const expected = (await filesUnder(WEB)).filter((f) => !NOT_PRECACHED.includes(f)).sort();
  assert.deepEqual([...precacheOf(sw)].sort(), expected);
  for (const f of ['index.html', 'embed.html', 'course-example.html', 'layerlab.wasm', 'layerlab-core.wasm', 'fonts/ui.ttf']) {
    assert.ok(expected.includes(f), f);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'layerlab-sw-'));
  try {
    await cp(WEB, dir, { recursive: true });
    makeWorker(dir, precacheOf(sw));
    assert.equal(hashOf(await workerOf(dir)), hashOf(sw), 'the same files give the same hash');
    const wasm = await readFile(path.join(dir, 'layerlab.wasm'));
    wasm[wasm.length - 1] ^= 1;  // one bit of the app's wasm
    await writeFile(path.join(dir, 'layerlab.wasm'), wasm);
    makeWorker(dir, precacheOf(sw));
    assert.notEqual(hashOf(await workerOf(dir)), hashOf(sw), 'a changed file changes the hash');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after one visit the playground, embed.html and the course example with its instances load offline', async () => {
  const server = await countingServer(WEB);
  const { context, page, errors } = await newContextPage();
  try {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=3&stride=2&h=8&w=8`);
    await page.evaluate(() => window.layerlab.ready);
    const { names, counts } = await controlled(page);
    assert.equal(names.length, 1, names.join());
    assert.ok(names[0].endsWith(hashOf(await workerOf(WEB))), names[0]);
    assert.deepEqual(counts, [precacheOf(await workerOf(WEB)).length]);

    await context.setOffline(true);
    server.hits.length = 0;
    // The network is really off: a file the worker does not keep cannot be fetched.
    assert.equal(await page.evaluate(() => fetch('layerlab-core.d.ts').then(() => 'fetched', () => 'failed')), 'failed');

    const response = await page.reload();
    assert.ok(response.fromServiceWorker(), 'the page came from the worker');
    assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the cached page keeps its CSP');
    await page.evaluate(() => window.layerlab.ready);
    const st = await page.evaluate(() => window.layerlab.state());
    assert.deepEqual([st.layer, st.params.kernel_size, st.output_shape], ['MaxPool2d', 3, [1, 1, 3, 3]]);
    assert.deepEqual(await page.evaluate(() => window.layerlab.eval({ layer: 'ReLU', input: { shape: [2], data: [-1, 2] } })
      .then((r) => Array.from(r.output.data))), [0, 2], 'the core module (loaded on the first eval) too');

    await page.goto(`${server.base}/embed.html#layer=AvgPool2d&kernel_size=2&h=6&w=6`);
    await page.evaluate(() => window.layerlab.ready);
    assert.deepEqual((await page.evaluate(() => window.layerlab.state())).output_shape, [1, 1, 3, 3]);

    await page.goto(`${server.base}/course-example.html`);
    const divs = await page.locator('[data-layerlab]').count();
    assert.ok(divs >= 4, `${divs} instances`);
    for (let i = 0; i < divs; i++) {
      const frame = await frameOfDiv(page, i);
      const state = await frame.evaluate(() => window.layerlab.ready.then(() => window.layerlab.state()));
      assert.equal(state.error, null, `instance ${i + 1}`);
    }
    assert.deepEqual(server.hits, [], 'nothing reached the server while offline');
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(errors.filter((e) => !/layerlab-core\.d\.ts|ERR_INTERNET_DISCONNECTED/.test(e)), []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new build replaces the old cache on the next online visit', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'layerlab-build-'));
  const server = await countingServer(dir);
  const { context, page, errors } = await newContextPage();
  try {
    await cp(WEB, dir, { recursive: true });
    const hashA = hashOf(await workerOf(dir));
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2`);
    await page.evaluate(() => window.layerlab.ready);
    assert.deepEqual((await controlled(page)).names.map((n) => n.split(' ').at(-1)), [hashA]);

    // Build B: another page title and stylesheet, and the worker the build writes for them.
    const index = await readFile(path.join(dir, 'index.html'), 'utf8');
    await writeFile(path.join(dir, 'index.html'), index.replace(/<title>[^<]*<\/title>/, '<title>LayerLab build B</title>'));
    await writeFile(path.join(dir, 'shell.css'), `${await readFile(path.join(dir, 'shell.css'), 'utf8')}\n/* build B */\n`);
    makeWorker(dir, precacheOf(await workerOf(dir)));
    const hashB = hashOf(await workerOf(dir));
    assert.notEqual(hashB, hashA);

    // The visit first shows build A from its cache; build B's worker installs, takes over
    // and the page reloads into build B. (From about:blank: a link that differs from the
    // page's URL only in its hash would not load the page again.)
    await page.goto('about:blank');
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2`);
    const deadline = Date.now() + 60000;
    let title = '';
    while (Date.now() < deadline) {
      title = await page.title().catch(() => '');
      if (title === 'LayerLab build B') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(title, 'LayerLab build B');
    await page.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 60000 });
    await page.evaluate(() => window.layerlab.ready);
    assert.equal((await page.evaluate(() => window.layerlab.state())).params.kernel_size, 2, 'the state survived the reload');
    const after = await controlled(page);
    assert.deepEqual(after.names.map((n) => n.split(' ').at(-1)), [hashB], 'only build B\'s cache is left');
    assert.match(await page.evaluate(async () => (await (await caches.open((await caches.keys())[0])).match('shell.css')).text()),
                 /build B/);

    // And build B is what an offline reload shows.
    await context.setOffline(true);
    await page.reload();
    assert.equal(await page.title(), 'LayerLab build B');
    await page.evaluate(() => window.layerlab.ready);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('without a secure context (plain http on a LAN name) the page registers no worker and still works', async () => {
  const server = await countingServer(WEB);
  const port = new URL(server.base).port;
  // A name that is not localhost: Chromium treats its http: pages as not secure.
  const lan = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
           '--ignore-gpu-blocklist', '--host-resolver-rules=MAP classroom.test 127.0.0.1'],
  });
  try {
    const page = await lan.newPage();
    const errors = watchErrors(page);
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.goto(`http://classroom.test:${port}/index.html#layer=MaxPool2d`);
    await page.evaluate(() => window.layerlab.ready);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await page.waitForTimeout(1000);
    assert.ok(!server.hits.includes('/sw.js'), 'sw.js was requested');
    assert.deepEqual(warnings.filter((w) => /offline/.test(w)), []);
    assert.deepEqual(errors, []);
  } finally {
    await lan.close();
    await server.close();
  }
});

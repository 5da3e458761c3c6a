// Hostile links and messages (issue "a crafted URL must never corrupt, freeze or
// silence an instance"): huge strings through every path into the module, work
// queued by a link or a message, opaque origins on the allow-list, the embed
// script's own allow=, the headers the static server sends, and the course
// example served from a second origin as a teacher's page would embed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

import { ARTIFACTS, ROOT, WEB, browserSuite, watchErrors } from './harness.mjs';
import { startStaticServer, parseHeadersFile, headersFor } from '../../scripts/serve.mjs';

let server, browser;
browserSuite({}, (s) => ({ server, browser } = s));

// Long main-thread tasks of a page, collected from the start (PerformanceObserver 'longtask').
async function newPage(viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return { page, errors: watchErrors(page) };
}
// performance.now() once the page has settled: ready, and past the first frames
// (font atlas, shaders, the core's warm-up), whose cost is the page's load, not the state's.
// At rest the app draws nothing (on a loaded machine it can get there in fewer than 12
// frames): a pointer move over the title wakes it for the frames still missing.
async function settledNow(page) {
  await page.evaluate(() => window.layerlab.ready);
  for (let i = 0; (await page.evaluate(() => window.layerlab.state().frames_drawn)) < 12; ++i) {
    await page.mouse.move(5 + (i % 2), 5);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  return page.evaluate(() => performance.now());
}
const longestSince = (page, t0) => page.evaluate(
  (t) => Math.max(0, ...window.__longtasks.filter((e) => e.start >= t).map((e) => e.ms)), t0);
const frames = (page, n) => page.evaluate((k) => new Promise((resolve) => {
  const step = (left) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
  step(k);
}), n);

// The longest task `scenario(page)` causes on a fresh page, in ms, next to the
// longest of `baseline(page)`: the same lab with ordinary values, for as long.
// Under SwiftShader every frame is a task of 50-150 ms on a quiet 2-core
// machine, and a busy one stretches every task alike; a state that blocks the
// page (22 s before the slicing) stands out against its own baseline. So the
// bound is 200 ms, or twice the baseline when the machine makes ordinary
// frames that slow.
async function longestTask(scenario, baseline) {
  const run = async (fn) => {
    const { page, errors } = await newPage();
    try {
      const ms = await fn(page);
      assert.deepEqual(errors, []);
      return ms;
    } finally {
      await page.close();
    }
  };
  const hostile = await run(scenario);
  const ordinary = await run(baseline);
  const bound = Math.max(200, 2 * ordinary);
  console.log(`longest task ${hostile.toFixed(0)} ms; the same lab with ordinary values ${ordinary.toFixed(0)} ms; ` +
              `bound ${bound.toFixed(0)} ms`);
  return { hostile, bound };
}

// A small valid state and PyTorch's answer for it (MaxPool2d(2) of the 4x4 ramp 0..15).
const VALID = { lab: 'pool', layer: 'MaxPool2d', kernel_size: 2, stride: 'None', padding: 0, dilation: 1,
                ceil_mode: false, input: 'ramp', n: 1, c: 1, h: 4, w: 4 };
async function assertStillWorks(target) {
  const st = await target.evaluate((v) => window.layerlab.setState(v), VALID);
  assert.equal(st.error, null);
  assert.deepEqual(st.output_shape, [1, 1, 2, 2]);
  const frame = await target.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
  assert.ok(frame);
}

test('1.4 M and 20 M characters through the hash, setState and a message leave the instance working', async () => {
  const { page, errors } = await newPage();
  const huge = 'layer=AvgPool2d&x=' + 'y'.repeat(1_400_000);
  // A page opened with the long hash: refused before main(), the default state instead.
  await page.goto(`${server.base}/index.html#${huge}`);
  await page.evaluate(() => window.layerlab.ready);
  await assertStillWorks(page);
  // The fragment changed by an opener (hashchange).
  await page.evaluate((h) => { location.hash = h; }, huge);
  await frames(page, 3);
  await assertStillWorks(page);
  assert.ok((await page.evaluate(() => location.hash.length)) < 10_000, 'the refused hash stays in the URL');
  // setState with 1.4 M and 20 M characters: a clear error, nothing called.
  for (const n of [350_000, 5_000_000]) {
    const message = await page.evaluate((k) => {
      try { window.layerlab.setState({ cells: '0:1,'.repeat(k) }); return null; } catch (e) { return e.message; }
    }, n);
    assert.match(message, /too long \(\d+ characters; at most 1048576 bytes/);
    await assertStillWorks(page);
  }
  assert.deepEqual(errors.filter((e) => !/too long/.test(e)), []);
});

test('a 1.4 M-character cells message and a 20 M one leave an embed working, with an error reply', async () => {
  const { page, errors } = await newPage();
  const embedOrigin = server.base;
  const hostOrigin = server.base.replace('127.0.0.1', 'localhost');
  const embed = `${embedOrigin}/embed.html#layer=MaxPool2d&kernel_size=2&h=8&w=8&allow=${encodeURIComponent(hostOrigin)}`;
  await page.goto(`${hostOrigin}/__test__/host.html?embed=${encodeURIComponent(embed)}`);
  const frame = page.frames().find((f) => f.url().startsWith(`${embedOrigin}/embed.html`));
  await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
  await frame.evaluate(() => window.layerlab.ready);
  let id = 100;
  for (const text of ['0:1,'.repeat(350_000), 'y'.repeat(20_000_000)]) {
    const msgId = ++id;
    await page.evaluate(([t, i, o]) => window.send({ type: 'layerlab:setState', id: i, state: { cells: t } }, o),
                        [text, msgId, embedOrigin]);
    await page.waitForFunction((i) => window.messages.some((m) => m.data.id === i), msgId);
    const reply = await page.evaluate((i) => window.messages.find((m) => m.data.id === i).data, msgId);
    assert.match(reply.error, /too long/);
    assert.deepEqual(reply.state.output_shape, [1, 1, 4, 4]);
  }
  await assertStillWorks(frame);
  assert.deepEqual(errors, []);
});

test('steps=100000 by URL and by message never blocks the page 200 ms at a time, and training runs', async () => {
  const { hostile, bound } = await longestTask(async (page) => {
    await page.goto(`${server.base}/index.html#lab=train&hidden=64&dataset=spirals&steps=100000`);
    const t0 = await settledNow(page);
    const first = await page.evaluate(() => window.layerlab.state().metrics);
    // A link queues at most 1000 steps; they run in slices, a few per frame.
    assert.ok(first.step + first.pending_steps <= 1000, JSON.stringify(first));
    await page.waitForFunction(() => window.layerlab.state().metrics.pending_steps === 0, null, { timeout: 60000 });
    assert.equal((await page.evaluate(() => window.layerlab.state().metrics)).step, 1000);
    // setState (what a message does) queues up to 100000: three of them, sliced all the same.
    for (let i = 0; i < 3; i++) await page.evaluate(() => window.layerlab.setState({ steps: 100000 }));
    const before = await page.evaluate(() => window.layerlab.state().metrics.step);
    await page.waitForTimeout(3000);
    const later = await page.evaluate(() => window.layerlab.state().metrics);
    assert.ok(later.step > before + 50, `training stalled: ${before} -> ${later.step}`);
    assert.ok(later.pending_steps > 0 && later.pending_steps <= 100000, JSON.stringify(later));
    console.log(`steps=100000: ${later.step - before} steps in 3 s`);
    return longestSince(page, t0);
  }, async (page) => {  // the same model trained by Play at the default speed, as long
    await page.goto(`${server.base}/index.html#lab=train&hidden=64&dataset=spirals`);
    const t0 = await settledNow(page);
    await page.evaluate(() => window.layerlab.setState({ play: 1 }));
    await page.waitForTimeout(5000);
    return longestSince(page, t0);
  });
  assert.ok(hostile <= bound, `a task of ${hostile} ms (bound ${bound} ms)`);
});

test('hostile states by setState keep every main-thread task under 200 ms', async () => {
  const states = [
    { lab: 'train', hidden: 64, dataset: 'spirals', speed: 100, play: 1 },
    { lab: 'gradient', depth: 1e9, width: 1e9, activation: 'ReLU' },
    { lab: 'linear', depth: 1e9, activation: 'none' },
    { lab: 'activation', layer: 'PReLU', num_parameters: 1e9, xmin: -1e30, xmax: 1e30 },
    { lab: 'pool', layer: 'MaxPool2d', n: 1e9, c: 1e9, h: 1e9, w: 1e9, kernel_size: 3 },
    { lab: 'pool', layer: 'AvgPool2d', h: 224, w: 224, c: 3, kernel_size: 2, cells: '0:1,'.repeat(200_000) },
  ];
  const ordinary = [
    { lab: 'train', hidden: 8, dataset: 'circles', play: 1 }, { lab: 'gradient', depth: 20, activation: 'ReLU' },
    { lab: 'linear', depth: 3, activation: 'none' }, { lab: 'activation', layer: 'PReLU' },
    { lab: 'pool', layer: 'MaxPool2d', n: 1, c: 3, h: 64, w: 64, kernel_size: 3 },
    { lab: 'pool', layer: 'AvgPool2d', h: 224, w: 224, c: 3, kernel_size: 2 },
  ];
  const visit = (list) => async (page) => {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d`);
    const t0 = await settledNow(page);
    for (const s of list) {
      await page.evaluate((p) => { try { window.layerlab.setState(p); } catch (e) { /* refused: fine */ } }, s);
      await frames(page, 10);
    }
    await assertStillWorks(page);
    return longestSince(page, t0);
  };
  const { hostile, bound } = await longestTask(visit(states), visit(ordinary));
  assert.ok(hostile <= bound, `a task of ${hostile} ms (bound ${bound} ms)`);
});

test('allow=javascript:… and other opaque origins are never heard; the tick loop keeps running', async () => {
  const { page, errors } = await newPage();
  const embed = `${server.base}/embed.html#layer=MaxPool2d&kernel_size=2&h=8&w=8` +
    `&allow=${encodeURIComponent('javascript:alert(1)')},data:,about:blank`;
  // A sandboxed frame beside it (origin 'null') tries to drive it.
  await page.goto(`${server.base.replace('127.0.0.1', 'localhost')}/__test__/opaque.html?embed=${encodeURIComponent(embed)}`);
  const frame = page.frames().find((f) => f.url().startsWith(`${server.base}/embed.html`));
  await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
  await frame.evaluate(() => window.layerlab.ready);
  await page.evaluate(() => window.attack());
  await page.waitForTimeout(500);
  assert.equal((await frame.evaluate(() => window.layerlab.state())).params.kernel_size, 2);
  // Changes inside still work and are announced to nobody who can't hear them, without errors.
  const before = await frame.evaluate(() => window.layerlab.state().frames_drawn);
  await frame.evaluate(() => window.layerlab.setState({ kernel_size: 3 }));
  await frames(frame, 5);
  const st = await frame.evaluate(() => window.layerlab.state());
  assert.equal(st.params.kernel_size, 3);
  assert.ok(st.frames_drawn > before, `frames ${before} -> ${st.frames_drawn}`);
  assert.match(await frame.evaluate(() => location.hash), /kernel_size=3/);
  assert.deepEqual(errors, []);
});

test("the host is heard when data-layerlab carries its own allow=, and after the frame reloads", async () => {
  const { page, errors } = await newPage();
  const embedOrigin = server.base;
  // A host page on a second origin: one instance whose data-layerlab names another origin.
  const hostServer = await startStaticServer({
    resolve: (url) => (url.pathname === '/page.html' ? path.join(ARTIFACTS, 'allow-host.html') : null),
    headers: () => ({ 'Content-Security-Policy': `script-src 'self' ${embedOrigin} 'unsafe-inline'; frame-src ${embedOrigin}` }),
    host: 'localhost',
  });
  await writeFile(path.join(ARTIFACTS, 'allow-host.html'), `<!doctype html><meta charset="utf-8">
<div data-layerlab="layer=MaxPool2d&kernel_size=2&h=8&w=8&allow=http://x.example" data-height="500"></div>
<script>window.messages = []; addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));</script>
<script src="${embedOrigin}/layerlab-embed.js"></script>`);
  try {
    await page.goto(`${hostServer.base}/page.html`);
    const frameEl = page.locator('iframe');
    await frameEl.waitFor();
    const frame = await (await frameEl.elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
    await frame.evaluate(() => window.layerlab.ready);
    const ask = async (id, kernel) => {
      await page.evaluate(([i, k, o]) => document.querySelector('iframe').contentWindow.postMessage(
        { type: 'layerlab:setState', id: i, state: { kernel_size: k } }, o), [id, kernel, embedOrigin]);
      await page.waitForFunction((i) => window.messages.some((m) => m.data.id === i), id, { timeout: 10000 });
      return page.evaluate((i) => window.messages.find((m) => m.data.id === i).data, id);
    };
    assert.equal((await ask(1, 4)).state.params.kernel_size, 4);
    const src = await frame.evaluate(() => location.hash);
    assert.match(src, /allow=/, 'allow= stays in the hash the embed writes back');
    await frame.evaluate(() => location.reload());
    const reloaded = await (await frameEl.elementHandle()).contentFrame();
    await reloaded.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
    await reloaded.evaluate(() => window.layerlab.ready);
    assert.equal((await reloaded.evaluate(() => window.layerlab.state())).params.kernel_size, 4);
    assert.equal((await ask(2, 3)).state.params.kernel_size, 3);
  } finally {
    await hostServer.close();
  }
  assert.deepEqual(errors, []);
});

// A free TCP port on 127.0.0.1 for the real `node scripts/serve.mjs`.
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

test("scripts/play's server sends web/_headers: CSP with frame-ancestors, base-uri, object-src, form-action", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/serve.mjs')],
                      { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const csp = async (p) => (await fetch(`http://127.0.0.1:${port}${p}`)).headers.get('content-security-policy');
    for (const p of ['/', '/index.html', '/course-example.html']) {
      assert.match(await csp(p), /frame-ancestors 'self'/, p);
    }
    assert.match(await csp('/embed.html'), /frame-ancestors \*/);
    for (const p of ['/index.html', '/embed.html', '/course-example.html']) {
      const v = await csp(p);
      for (const d of ["base-uri 'none'", "object-src 'none'", "form-action 'none'"]) assert.ok(v.includes(d), `${p}: ${d}`);
    }
    const embedJs = await fetch(`http://127.0.0.1:${port}/layerlab-embed.js`);
    assert.equal(embedJs.headers.get('access-control-allow-origin'), '*');
    assert.equal(embedJs.headers.get('x-content-type-options'), 'nosniff');
  } finally {
    child.kill();
  }
});

test('the nginx snippet sends the same headers as _headers', async () => {
  const rules = parseHeadersFile(await readFile(path.join(ROOT, 'web/_headers'), 'utf8'));
  const nginx = await readFile(path.join(ROOT, 'web/nginx-layerlab.conf'), 'utf8');
  const vars = Object.fromEntries([...nginx.matchAll(/^set \$(\w+) "([^"]*)";/gm)].map((m) => [m[1], m[2]]));
  const locations = [...nginx.matchAll(/^location ([^{]+)\{([^}]*)\}/gm)].map((m) => ({ match: m[1].trim(), body: m[2] }));
  const nginxHeaders = (p) => {
    // nginx picks an exact `=` match, then the regex, then the prefix `/`.
    const loc = locations.find((l) => l.match === `= ${p}`)
      ?? locations.find((l) => l.match.startsWith('~') && new RegExp(l.match.slice(1).trim()).test(p))
      ?? locations.find((l) => l.match === '/');
    return Object.fromEntries([...loc.body.matchAll(/add_header ([\w-]+) (\$\w+|\S+) always;/g)]
      .map((m) => [m[1], m[2].startsWith('$') ? vars[m[2].slice(1)] : m[2]]));
  };
  for (const p of ['/', '/index.html', '/embed.html', '/course-example.html', '/layerlab-embed.js', '/layerlab.wasm']) {
    assert.deepEqual(nginxHeaders(p), headersFor(rules, p), p);
  }
});

test('the course example served from a second origin, as the README tells a teacher: every instance ready', async () => {
  const { page, errors } = await newPage();
  const layerlab = server.base;  // LayerLab's own origin
  const sri = (await readFile(path.join(WEB, 'layerlab-embed.js.sri'), 'utf8')).trim();
  // The teacher's page: the example's text, LayerLab's script from its origin with SRI, and the CSP the README gives.
  const readmeCsp = (await readFile(path.join(ROOT, 'README.md'), 'utf8'))
    .match(/Content-Security-Policy: (default-src[^\n`]*)/)[1].replaceAll('https://layerlab.example.org', layerlab);
  const page0 = (await readFile(path.join(WEB, 'course-example.html'), 'utf8'))
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace(/<script src="layerlab-embed.js"[^>]*><\/script>/,
             `<script src="${layerlab}/layerlab-embed.js" integrity="${sri}" crossorigin="anonymous" defer></script>`);
  assert.ok(page0.includes(sri), 'the course example loads layerlab-embed.js');
  await writeFile(path.join(ARTIFACTS, 'course-cross-origin.html'), page0);
  const teacher = await startStaticServer({
    resolve: (url) => (url.pathname === '/lesson.html' ? path.join(ARTIFACTS, 'course-cross-origin.html')
      : url.pathname === '/course.css' ? path.join(WEB, 'course.css') : null),
    headers: () => ({ 'Content-Security-Policy': readmeCsp }),
    host: 'localhost',
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await page.goto(`${teacher.base}/lesson.html`);
    const divs = await page.locator('[data-layerlab]').count();
    assert.ok(divs >= 4, `${divs} instances`);
    for (let i = 0; i < divs; i++) {
      const div = page.locator('[data-layerlab]').nth(i);
      await div.scrollIntoViewIfNeeded();
      const frameEl = div.locator('iframe');
      await frameEl.waitFor();
      assert.ok((await frameEl.getAttribute('src')).startsWith(`${layerlab}/embed.html`));
      const frame = await (await frameEl.elementHandle()).contentFrame();
      await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
      const st = await frame.evaluate(() => window.layerlab.ready.then(() => window.layerlab.state()));
      assert.equal(st.error, null, `instance ${i + 1}`);
      // Cross-origin: the embed cannot reach into its host page.
      assert.equal(await frame.evaluate(() => { try { return window.parent.document.title; } catch (e) { return 'blocked'; } }),
                   'blocked');
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
  } finally {
    await teacher.close();
  }
  assert.deepEqual(errors, []);
});

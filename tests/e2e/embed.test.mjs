// Course pages: the embed script, postMessage with an origin allow-list, CSP,
// both languages and the ARIA description.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ARTIFACTS, startServer, launchBrowser, watchErrors } from './harness.mjs';
import { decodePng, colourCount, pixelsDiffering } from './png.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; frame-src 'self' http://127.0.0.1:*; frame-ancestors *";
let server, browser;

before(async () => {
  // Every page also gets a strict CSP header: no 'unsafe-eval', no inline script.
  server = await startServer({ headers: (url) => (url.pathname.startsWith('/__test__/') ? {} : { 'Content-Security-Policy': CSP }) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, errors: watchErrors(page) };
}

const frameReady = (frame) => frame.evaluate(() => window.layerlab.ready.then(() => window.layerlab.state()));

test('course-example.html: four or more lazy instances, all ready, distinct and drawn', async () => {
  const { page, errors } = await newPage();
  await page.goto(`${server.base}/course-example.html`);
  const divs = await page.locator('[data-layerlab]').count();
  assert.ok(divs >= 4, `${divs} instances`);
  // Lazy: only the instances near the viewport have an iframe before scrolling.
  const mountedAtStart = await page.locator('iframe').count();
  assert.ok(mountedAtStart < divs, `all ${divs} iframes created before scrolling`);
  const states = [];
  for (let i = 0; i < divs; i++) {
    const div = page.locator('[data-layerlab]').nth(i);
    await div.scrollIntoViewIfNeeded();
    const frameEl = div.locator('iframe');
    await frameEl.waitFor();
    const frame = await (await frameEl.elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
    const st = await frameReady(frame);
    states.push(JSON.stringify([st.layer, st.params, st.input_shape]));
    const shot = await frameEl.screenshot();
    await writeFile(path.join(ARTIFACTS, `course-instance-${i + 1}.png`), shot);
    assert.ok(colourCount(decodePng(shot)) > 40, `instance ${i + 1} looks blank`);
    assert.equal(st.lang, 'zh');
  }
  assert.equal(new Set(states).size, states.length, 'instances share a state');
  await page.screenshot({ path: path.join(ARTIFACTS, 'course-example.png') });
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
});

test('postMessage: an allowed origin sets and reads the state, another is ignored', async () => {
  const { page } = await newPage();
  const embedOrigin = server.base;                                   // http://127.0.0.1:PORT
  const hostOrigin = server.base.replace('127.0.0.1', 'localhost');  // a different origin
  const open = async (allow) => {
    const embed = `${embedOrigin}/embed.html#layer=MaxPool2d&kernel_size=2&h=8&w=8${allow ? `&allow=${encodeURIComponent(hostOrigin)}` : ''}`;
    await page.goto(`${hostOrigin}/__test__/host.html?embed=${encodeURIComponent(embed)}`);
    const frame = page.frames().find((f) => f.url().startsWith(`${embedOrigin}/embed.html`));
    await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
    await frameReady(frame);
    return frame;
  };

  let frame = await open(true);
  await page.evaluate((o) => window.send({ type: 'layerlab:setState', id: 7, state: { kernel_size: 4 } }, o), embedOrigin);
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'layerlab:state' && m.data.id === 7));
  const reply = await page.evaluate(() => window.messages.find((m) => m.data.id === 7));
  assert.equal(reply.origin, embedOrigin);
  assert.equal(reply.data.state.params.kernel_size, 4);
  assert.equal((await frame.evaluate(() => window.layerlab.state())).params.kernel_size, 4);
  await page.evaluate((o) => window.send({ type: 'layerlab:getState', id: 8 }, o), embedOrigin);
  await page.waitForFunction(() => window.messages.some((m) => m.data.id === 8));
  // Changes made inside the embed are announced to the host.
  await frame.evaluate(() => window.layerlab.setState({ kernel_size: 3 }));
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'layerlab:change'
    && m.data.state.params.kernel_size === 3));

  frame = await open(false);  // the host's origin is not on this embed's allow-list
  await page.evaluate((o) => window.send({ type: 'layerlab:setState', id: 9, state: { kernel_size: 4 } }, o), embedOrigin);
  await page.waitForTimeout(500);
  assert.equal((await frame.evaluate(() => window.layerlab.state())).params.kernel_size, 2);
  assert.equal(await page.evaluate(() => window.messages.filter((m) => m.data.id === 9).length), 0);
});

test('lang=zh draws Chinese, lang=en English, and the description matches state()', async () => {
  const { page, errors } = await newPage();
  const shots = {};
  for (const lang of ['en', 'zh']) {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=7&w=7&lang=${lang}`);
    await page.reload();  // a new document for each language (goto only changes the hash)
    await page.evaluate(() => window.layerlab.ready);
    const buf = await page.screenshot({ clip: { x: 0, y: 0, width: 350, height: 400 } });  // the parameters panel
    await writeFile(path.join(ARTIFACTS, `lang-${lang}.png`), buf);
    shots[lang] = decodePng(buf);
    const st = await page.evaluate(() => window.layerlab.state());
    assert.equal(st.lang, lang);
    assert.equal(st.missing_glyphs, 0, 'UI characters without a glyph in the font (drawn as boxes)');
    const text = await page.locator('#describe').textContent();
    assert.ok(text.includes(st.layer), text);
    assert.ok(text.includes(`[${st.output_shape.join(', ')}]`), text);
    assert.ok(text.includes('kernel_size=3'), text);
    // Python's spelling, as the student types it into torch: False, not JSON's false.
    assert.ok(text.includes('ceil_mode=False') && !/=(false|true|null)\b/.test(text), text);
    // Small outputs are also a table of values: 4x4 here.
    assert.equal(await page.locator('#describe td').count(), 16);
    // Reachable by keyboard: the toggle button shows and focuses it.
    await page.locator('#describe-toggle').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'describe');
  }
  const diff = pixelsDiffering(shots.en, shots.zh);
  assert.ok(diff > 2000, `the zh panel differs from the en one in only ${diff} pixels`);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
});

test('hide= keys remove panels in an embed, and survive in its hash', async () => {
  const { page, errors } = await newPage();
  await page.goto(`${server.base}/embed.html#layer=MaxPool2d&kernel_size=2&h=6&w=6`);
  await page.evaluate(() => window.layerlab.ready);
  const full = decodePng(await page.screenshot());
  await page.goto(`${server.base}/embed.html#layer=MaxPool2d&kernel_size=2&h=6&w=6&hide=params,code,formula`);
  await page.reload();
  await page.evaluate(() => window.layerlab.ready);
  const buf = await page.screenshot();
  await writeFile(path.join(ARTIFACTS, 'embed-hidden.png'), buf);
  const bare = decodePng(buf);
  assert.ok(colourCount(bare) > 40);
  assert.ok(pixelsDiffering(full, bare) > 100000, 'hiding panels changed little');
  assert.match(await page.evaluate(() => location.hash), /hide=params,code,formula/);
  assert.deepEqual(errors, []);
});

test('touch: a tap on a button acts like a click', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&h=6&w=6&lang=en`);
  await page.evaluate(() => window.layerlab.ready);
  await page.touchscreen.tap(176, 148);  // "AvgPool2d" in the pooling lab's layer row
  await page.waitForFunction(() => window.layerlab.state().layer === 'AvgPool2d', null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the missing-glyph count can fail: without the CJK font, Chinese has no glyphs', async () => {
  const { page } = await newPage();
  await page.route('**/fonts/ui.ttf', (route) => route.fulfill({ status: 404, body: '' }));
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&lang=zh`);
  await page.evaluate(() => window.layerlab.ready);
  const st = await page.evaluate(() => window.layerlab.state());
  assert.ok(st.missing_glyphs > 100, `only ${st.missing_glyphs} missing with ImGui's Latin-only font`);
});

test('an embed scrolled out of view draws no frames, even while it trains; back in view it goes on', async () => {
  const { page, errors } = await newPage();
  await page.goto(`${server.base}/course-example.html`);
  const div = page.locator('[data-layerlab]').first();
  await div.scrollIntoViewIfNeeded();
  const frameEl = div.locator('iframe');
  await frameEl.waitFor();
  const frame = await (await frameEl.elementHandle()).contentFrame();
  await frame.waitForFunction(() => window.layerlab && window.layerlab.state(), null, { timeout: 30000 });
  await frame.evaluate(() => window.layerlab.ready);
  await frame.evaluate(() => window.layerlab.setState({ lab: 'train', dataset: 'circles', play: 1 }));
  const frames = async () => (await frame.evaluate(() => window.layerlab.state())).frames_drawn;
  // Counted on the app's frames, not on time: a loaded machine draws fewer a second.
  const drawsMore = (from, n) => frame.waitForFunction(([f, k]) => window.layerlab.state().frames_drawn >= f + k,
                                                       [from, n], { timeout: 30000 });
  await drawsMore(await frames(), 5);  // in view and training: it keeps drawing
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  // Out of view: the frame count stops (the frame in flight when it left may still land).
  await frame.waitForFunction(() => {
    const n = window.layerlab.state().frames_drawn;
    const seen = window.__framesSeen;
    window.__framesSeen = n;
    return seen === n;
  }, null, { polling: 500, timeout: 30000 });
  const b0 = await frames();
  await page.waitForTimeout(2000);
  const b1 = await frames();
  assert.equal(b1 - b0, 0, 'out of view it still drew');
  await div.scrollIntoViewIfNeeded();
  await drawsMore(b1, 4);  // back in view it resumes
  assert.deepEqual(errors, []);
});

// Every screen a student or teacher uses (issue 19): the playground at phone,
// tablet, small-window, desktop and projector sizes with the screen exactly the
// viewport (kiosk, full screen), and as a 720 px wide embed. At each size every
// lab is opened; state().layout must report the layout for the width and
// panels that neither overlap nor leave the viewport; the canvas and the tools
// strip must fill the page; a screenshot of each is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ARTIFACTS, browserSuite, watchErrors } from './harness.mjs';
import { decodePng, colourCount, pixelsDiffering } from './png.mjs';

const SIZES = [
  { name: 'phone', width: 390, height: 844, dpr: 3, touch: true, kind: 'narrow' },
  { name: 'tablet', width: 768, height: 1024, dpr: 2, touch: true, kind: 'medium' },
  { name: 'small', width: 800, height: 600, dpr: 1, touch: false, kind: 'medium' },
  { name: 'desktop', width: 1280, height: 800, dpr: 1, touch: false, kind: 'wide' },
  { name: 'projector', width: 1920, height: 1080, dpr: 1, touch: false, kind: 'wide' },
];
const LABS = [
  ['pool', 'layer=MaxPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&h=9&w=9'],
  ['activation', 'lab=activation&layer=PReLU'],
  ['linear', 'lab=linear'],
  ['gradient', 'lab=gradient&activation=Sigmoid'],
  ['train', 'lab=train'],
];

let server, browser;
browserSuite({}, (s) => ({ server, browser } = s));

// A page whose screen is exactly its viewport, as in kiosk mode or full screen.
async function newPage(size) {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    screen: { width: size.width, height: size.height },
    deviceScaleFactor: size.dpr,
    hasTouch: size.touch,
    isMobile: size.touch,
  });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

const overlap = (a, b) =>
  Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;

// The layout's rectangles against the viewport and each other.
function checkLayout(layout, view, where) {
  assert.ok(layout.panels.length >= 2, `${where}: panels ${JSON.stringify(layout.panels)}`);
  for (const p of layout.panels) {
    assert.ok(p.x >= -0.5 && p.y >= -0.5 && p.x + p.w <= view.width + 0.5 && p.y + p.h <= view.height + 0.5,
              `${where}: ${p.name} ${JSON.stringify(p)} leaves the ${view.width}x${view.height} viewport`);
  }
  for (let i = 0; i < layout.panels.length; ++i)
    for (let j = i + 1; j < layout.panels.length; ++j)
      assert.ok(!overlap(layout.panels[i], layout.panels[j]),
                `${where}: ${layout.panels[i].name} overlaps ${layout.panels[j].name}: ${JSON.stringify(layout.panels)}`);
}

// The canvas and the tools strip tile the page: nothing else, no gap, no overlap.
async function checkPage(page, view, where) {
  const boxes = await page.evaluate(() => {
    const r = (id) => { const b = document.getElementById(id).getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
    const tools = document.getElementById('tools');
    const last = tools.lastElementChild.getBoundingClientRect(), first = tools.firstElementChild.getBoundingClientRect();
    return { canvas: r('canvas'), tools: r('tools'), buttons: [...tools.querySelectorAll('button')].map((b) => b.getBoundingClientRect().right),
             fullscreen: !!document.fullscreenElement, first: first.left, last: last.right };
  });
  const { canvas, tools } = boxes;
  assert.equal(boxes.fullscreen, false, `${where}: the page went fullscreen`);
  assert.ok(Math.abs(canvas.x) < 1 && Math.abs(canvas.y) < 1 && Math.abs(canvas.w - view.width) < 1, `${where}: canvas ${JSON.stringify(canvas)}`);
  assert.ok(Math.abs(canvas.y + canvas.h - tools.y) < 1 && Math.abs(tools.y + tools.h - view.height) < 1,
            `${where}: canvas ${JSON.stringify(canvas)} and tools ${JSON.stringify(tools)} do not tile the height ${view.height}`);
  for (const right of boxes.buttons) assert.ok(right <= view.width + 0.5, `${where}: a tools button is cut at ${right}`);
}

for (const size of SIZES) {
  test(`${size.name} ${size.width}x${size.height} (DPR ${size.dpr}): every lab laid out ${size.kind}, no overlap`, async () => {
    const { context, page, errors } = await newPage(size);
    try {
      for (const [lab, hash] of LABS) {
        await page.goto(`${server.base}/index.html#${hash}`);
        await page.evaluate(() => window.layerlab.ready);
        await page.waitForFunction(() => window.layerlab.state().frames_drawn > 3);
        const st = await page.evaluate(() => window.layerlab.state());
        const where = `${size.name} ${lab}`;
        assert.equal(st.lab, lab, where);
        assert.equal(st.error, null, where);
        assert.equal(st.layout.kind, size.kind, `${where}: layout`);
        checkLayout(st.layout, size, where);
        await checkPage(page, size, where);
        const buf = await page.screenshot();
        await writeFile(path.join(ARTIFACTS, `layout-${size.name}-${lab}.png`), buf);
        const img = decodePng(buf);
        assert.ok(colourCount(img) > 40, `${where}: only ${colourCount(img)} colours: blank canvas?`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

// A "monkey" at each size: 2 000 seeded random pointer, wheel, touch and key
// events on the canvas, dispatched in the page in bursts with frames between
// them. No page error, the canvas is never blank, and a valid setState (and a
// link) afterwards gives PyTorch's result.
const MONKEY_EVENTS = 2000;
function monkeyBurst({ seed, count, width, height }) {
  let s = seed >>> 0;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const canvas = document.getElementById('canvas');
  const box = canvas.getBoundingClientRect();
  const at = () => ({ clientX: box.left + r() * box.width, clientY: box.top + r() * box.height, bubbles: true, cancelable: true });
  const KEYS = ['Tab', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Enter', ' ', 'Escape', 'Backspace', 'a', '3', '-', '.', '?'];
  const keyCodes = { Tab: 9, ArrowUp: 38, ArrowDown: 40, ArrowLeft: 37, ArrowRight: 39, Enter: 13, ' ': 32, Escape: 27, Backspace: 8 };
  let pressed = false;
  for (let i = 0; i < count; ++i) {
    const kind = r();
    const p = at();
    if (kind < 0.35) {
      canvas.dispatchEvent(new MouseEvent('mousemove', { ...p, buttons: pressed ? 1 : 0 }));
    } else if (kind < 0.55) {
      pressed = !pressed;
      canvas.dispatchEvent(new MouseEvent('mousemove', { ...p, buttons: pressed ? 1 : 0 }));
      canvas.dispatchEvent(new MouseEvent(pressed ? 'mousedown' : 'mouseup', { ...p, button: 0, buttons: pressed ? 1 : 0 }));
    } else if (kind < 0.7) {
      canvas.dispatchEvent(new WheelEvent('wheel', { ...p, deltaY: (r() - 0.5) * 600, deltaMode: 0 }));
    } else if (kind < 0.85) {
      const id = 1 + Math.floor(r() * 2);  // one or two fingers
      const type = ['pointerdown', 'pointermove', 'pointerup', 'pointercancel'][Math.floor(r() * 4)];
      canvas.dispatchEvent(new PointerEvent(type, { ...p, pointerId: id, pointerType: 'touch', isPrimary: id === 1, buttons: type === 'pointerup' ? 0 : 1 }));
    } else {
      const key = KEYS[Math.floor(r() * KEYS.length)];
      const init = { key, code: key.length === 1 ? `Key${key.toUpperCase()}` : key, keyCode: keyCodes[key] ?? key.toUpperCase().charCodeAt(0), bubbles: true, cancelable: true };
      if (key !== 'Tab') canvas.focus();  // keys reach the app only while the canvas has focus
      window.dispatchEvent(new KeyboardEvent('keydown', init));
      window.dispatchEvent(new KeyboardEvent('keyup', init));
    }
  }
  // Every finger and the button let go, as a person's do.
  if (pressed) canvas.dispatchEvent(new MouseEvent('mouseup', { ...at(), button: 0, buttons: 0 }));
  for (const id of [1, 2]) canvas.dispatchEvent(new PointerEvent('pointerup', { ...at(), pointerId: id, pointerType: 'touch', buttons: 0 }));
  return s;
}

for (const size of SIZES) {
  test(`${size.name}: ${MONKEY_EVENTS} random pointer, wheel, touch and key events, then setState and a link give PyTorch's result`, async () => {
    const { context, page, errors } = await newPage(size);
    try {
      let seed = 20261202 + size.width;
      for (const [lab, hash] of LABS) {
        await page.goto(`${server.base}/index.html#${hash}`);
        await page.evaluate(() => window.layerlab.ready);
        const per = Math.ceil(MONKEY_EVENTS / LABS.length);
        for (let done = 0; done < per; done += 50) {
          seed = await page.evaluate(monkeyBurst, { seed, count: 50 });
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        }
        const st = await page.evaluate(() => window.layerlab.state());
        assert.ok(st && st.layout, `${size.name} ${lab}: no state after the monkey`);
        const img = decodePng(await page.screenshot());
        assert.ok(colourCount(img) > 40, `${size.name} ${lab}: only ${colourCount(img)} colours after the monkey: blank canvas?`);
      }
      await writeFile(path.join(ARTIFACTS, `monkey-${size.name}.png`), await page.screenshot());
      // A valid setState afterwards, every key the monkey may have moved: PyTorch's
      // MaxPool2d(2) of a 4x4 ramp. Then the same as a link.
      const st = await page.evaluate(() => window.layerlab.setState({
        lab: 'pool', layer: 'MaxPool2d', kernel_size: 2, stride: null, padding: 0, dilation: 1, ceil_mode: false,
        return_indices: false, input: 'ramp', n: 1, c: 1, h: 4, w: 4, cells: '', grad: 'ones', pin: '' }));
      assert.equal(st.error, null);
      assert.deepEqual(st.output_shape, [1, 1, 2, 2]);
      assert.deepEqual(st.output_values, [5, 7, 13, 15]);
      await page.evaluate(() => { location.hash = 'layer=MaxPool2d&kernel_size=3&stride=1&input=ramp&n=1&c=1&h=4&w=4'; });
      await page.waitForFunction(() => window.layerlab.state().params.kernel_size === 3);
      const linked = await page.evaluate(() => window.layerlab.state());
      assert.deepEqual(linked.output_values, [10, 11, 14, 15]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

const panel = (st, name) => st.layout.panels.find((p) => p.name === name);

test('phone: one finger scrolls the column, two fingers pinch-zoom a heatmap, the drawer opens', async () => {
  const { context, page, errors } = await newPage(SIZES[0]);
  try {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&h=32&w=32&input=random`);
    await page.evaluate(() => window.layerlab.ready);
    await page.waitForFunction(() => window.layerlab.state().frames_drawn > 3);
    const cdp = await context.newCDPSession(page);
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
    const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const st0 = await page.evaluate(() => window.layerlab.state());
    const t0 = panel(st0, 'tensors');
    assert.ok(t0, JSON.stringify(st0.layout));

    // Pinch on the input heatmap: its cells grow.
    const cx = 195, cy = t0.y + 150;
    const before = decodePng(await page.screenshot({ clip: { x: 10, y: t0.y + 60, width: 370, height: 200 } }));
    await touch('touchStart', [[cx - 20, cy], [cx + 20, cy]]);
    for (let k = 1; k <= 8; ++k) {
      await touch('touchMove', [[cx - 20 - 10 * k, cy], [cx + 20 + 10 * k, cy]]);
      await settle();
    }
    await touch('touchEnd', []);
    await settle();
    const after = decodePng(await page.screenshot({ clip: { x: 10, y: t0.y + 60, width: 370, height: 200 } }));
    await writeFile(path.join(ARTIFACTS, 'layout-phone-pinch.png'), await page.screenshot());
    const changed = pixelsDiffering(before, after);
    assert.ok(changed > 0.2 * before.width * before.height, `the pinch changed ${changed} pixels of the heatmap`);
    const st1 = await page.evaluate(() => window.layerlab.state());
    assert.equal(st1.params.kernel_size, 2, 'a pinch changed a parameter');

    // One finger dragged up, over the formula text: the column scrolls, the panels move up.
    await touch('touchStart', [[195, 700]]);
    for (let k = 1; k <= 10; ++k) { await touch('touchMove', [[195, 700 - 40 * k]]); await settle(); }
    await touch('touchEnd', []);
    await settle();
    // (Panels are reported as far as they are visible: the drawer's header scrolled
    // away, and the tensors start at the column's top.)
    const st2 = await page.evaluate(() => window.layerlab.state());
    const column_top = panel(st0, 'bar').y + panel(st0, 'bar').h;
    assert.equal(panel(st2, 'parameters'), undefined, `the column did not scroll: ${JSON.stringify(st2.layout.panels)}`);
    assert.ok(Math.abs(panel(st2, 'tensors').y - column_top) < 1, JSON.stringify(st2.layout.panels));
    checkLayout(st2.layout, SIZES[0], 'phone scrolled');

    // Scroll back and tap the drawer's header: the parameters open above the tensors.
    await touch('touchStart', [[195, 300]]);
    for (let k = 1; k <= 12; ++k) { await touch('touchMove', [[195, 300 + 60 * k]]); await settle(); }
    await touch('touchEnd', []);
    await settle();
    const st3 = await page.evaluate(() => window.layerlab.state());
    const header = panel(st3, 'parameters');
    await page.touchscreen.tap(195, header.y + header.h / 2);
    await page.waitForFunction(() => {
      const p = window.layerlab.state().layout.panels.find((q) => q.name === 'parameters');
      return p && p.h > 300;
    });
    await writeFile(path.join(ARTIFACTS, 'layout-phone-drawer.png'), await page.screenshot());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard: a focused slider steps with the arrow keys, ? opens the keys overlay and Esc closes it', async () => {
  const { context, page, errors } = await newPage(SIZES[3]);
  try {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=3&h=12&w=12`);
    await page.evaluate(() => window.layerlab.ready);
    await page.mouse.click(250, 212);  // the kernel_size slider: the click sets it and focuses it
    const k0 = (await page.evaluate(() => window.layerlab.state())).params.kernel_size;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((k) => window.layerlab.state().params.kernel_size === k + 1, k0);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((k) => window.layerlab.state().params.kernel_size === k - 1, k0);
    await page.keyboard.press('Shift+Slash');
    await page.waitForFunction(() => window.layerlab.state().layout.help === true);
    await writeFile(path.join(ARTIFACTS, 'keys-overlay.png'), await page.screenshot());
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.layerlab.state().layout.help === false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an embed 720 px wide in a course column: every lab laid out medium from its own width, no overlap', async () => {
  const { context, page, errors } = await newPage({ width: 1280, height: 900, dpr: 1, touch: false });
  try {
    for (const [lab, hash] of LABS) {
      await page.goto(`${server.base}/__test__/column.html#${hash}`);
      const frame = await (await page.locator('#ll').elementHandle()).contentFrame();
      await frame.waitForFunction((l) => {
        const st = window.layerlab && window.layerlab.state();
        return st && st.lab === l && st.frames_drawn > 3;
      }, lab, { timeout: 30000 });
      const st = await frame.evaluate(() => window.layerlab.state());
      const where = `embed 720 ${lab}`;
      assert.equal(st.lab, lab, where);
      assert.equal(st.layout.kind, 'medium', where);
      const view = await frame.evaluate(() => ({ width: innerWidth, height: innerHeight }));
      assert.deepEqual(view, { width: 720, height: 640 });
      checkLayout(st.layout, view, where);
      await checkPage(frame, view, where);
      const buf = await page.locator('#ll').screenshot();
      await writeFile(path.join(ARTIFACTS, `layout-embed720-${lab}.png`), buf);
      assert.ok(colourCount(decodePng(buf)) > 40, `${where}: blank?`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('devicePixelRatio changing under a running page (browser zoom): the UI is rebuilt for it, still laid out', async () => {
  const { context, page, errors } = await newPage(SIZES[3]);
  try {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&h=8&w=8`);
    await page.evaluate(() => window.layerlab.ready);
    const before = await page.evaluate(() => window.layerlab.state().layout);
    const cdp = await context.newCDPSession(page);
    // Browser zoom 200 %: the same window, half the CSS px, twice the device px per CSS px.
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 640, height: 400, deviceScaleFactor: 2, mobile: false });
    await page.waitForFunction(() => window.devicePixelRatio === 2 && window.layerlab.state().layout.kind === 'medium');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = await page.evaluate(() => window.layerlab.state());
    checkLayout(after.layout, { width: 640, height: 400 }, 'zoomed');
    // (page.screenshot() would put playwright's own viewport back first.)
    const buf = Buffer.from((await cdp.send('Page.captureScreenshot', { format: 'png' })).data, 'base64');
    await writeFile(path.join(ARTIFACTS, 'layout-dpr-change.png'), buf);
    assert.ok(colourCount(decodePng(buf)) > 40);
    assert.equal(after.missing_glyphs, 0);
    assert.equal(before.kind, 'wide');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the wheel zooms a heatmap without the browser\'s passive-listener warning, and a click is in state() at once', async () => {
  const { context, page, errors } = await newPage(SIZES[3]);
  const warnings = [];
  page.on('console', (m) => warnings.push(m.text()));
  try {
    await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=2&h=16&w=16`);
    await page.evaluate(() => window.layerlab.ready);
    await page.mouse.move(560, 160);  // over the input heatmap
    for (let i = 0; i < 5; ++i) await page.mouse.wheel(0, -120);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.deepEqual(warnings.filter((w) => /passive/i.test(w)), []);
    // A click on AvgPool2d, read back in the same task: no frame in between.
    const layer = await page.evaluate(() => {
      const canvas = document.getElementById('canvas');
      const at = { clientX: 168, clientY: 147, bubbles: true, cancelable: true, button: 0 };
      canvas.dispatchEvent(new MouseEvent('mousemove', at));
      canvas.dispatchEvent(new MouseEvent('mousedown', { ...at, buttons: 1 }));
      canvas.dispatchEvent(new MouseEvent('mouseup', { ...at, buttons: 0 }));
      return window.layerlab.state().layer;
    });
    assert.equal(layer, 'AvgPool2d');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('layerlab:resize: an embed on a phone-width page grows to what its layout needs (capped by data-max-height); a plain iframe keeps its height', async () => {
  const { context, page, errors } = await newPage({ width: 390, height: 844, dpr: 1, touch: false });
  try {
    await page.goto(`${server.base}/__test__/resize.html`);
    const auto = page.locator('#auto iframe');
    await auto.waitFor();
    await page.waitForFunction(() => {
      const f = document.querySelector('#auto iframe');
      return f && parseInt(f.style.height, 10) > 500;
    }, null, { timeout: 30000 });
    const frame = await (await auto.elementHandle()).contentFrame();
    const st = await frame.evaluate(() => window.layerlab.state());
    const tools = await frame.evaluate(() => document.getElementById('tools').offsetHeight);
    const height = await page.evaluate(() => parseInt(document.querySelector('#auto iframe').style.height, 10));
    assert.equal(st.layout.kind, 'narrow');
    assert.equal(height, Math.min(st.layout.height + tools, 3000), JSON.stringify(st.layout));
    assert.ok(height < 3000, `the column needs ${st.layout.height} px: the test's state should fit under the cap`);
    // The iframe now shows the whole column: the code section is on screen, nothing is scrolled off.
    const code = st.layout.panels.find((p) => p.name === 'code');
    assert.ok(code, JSON.stringify(st.layout.panels));
    await writeFile(path.join(ARTIFACTS, 'layout-resize-embed.png'), await page.screenshot({ fullPage: true }));
    const plain = await page.evaluate(() => document.getElementById('plain').getBoundingClientRect().height);
    assert.equal(plain, 500);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The teacher's kit in headless Chromium: themes (dark, light, auto following
// prefers-color-scheme and the host page), assignments (quiz=shape|value, lock=).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ARTIFACTS, browserSuite, watchErrors } from './harness.mjs';
import { decodePng } from './png.mjs';

const suite = browserSuite();
const VIEW = { width: 1280, height: 800 };

async function newPage(options = {}) {
  const context = await suite.browser.newContext({ viewport: VIEW, ...options });
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

async function open(page, hash) {
  await page.goto(`${suite.server.base}/index.html#${hash}`);
  await page.evaluate(() => window.layerlab.ready);
}

// Mean relative luminance (0..1, sRGB weights) of a screenshot, saved as `name`.
async function luminance(page, name) {
  const buf = await page.screenshot();
  await writeFile(path.join(ARTIFACTS, name), buf);
  const png = decodePng(buf);
  let sum = 0;
  const px = png.width * png.height, ch = png.channels;
  for (let i = 0; i < px; ++i) {
    const [r, g, b] = [png.px[ch * i], png.px[ch * i + 1], png.px[ch * i + 2]];
    sum += (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  }
  return sum / px;
}

const state = (page) => page.evaluate(() => window.layerlab.state());
const POOL = 'layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=9&w=9';

test('theme=light reads as light, the default stays dark, and both keep the page drawn', async () => {
  const { context, page, errors } = await newPage({ colorScheme: 'light' });
  try {
    await open(page, POOL);
    assert.equal((await state(page)).theme, 'dark');  // the playground's default, whatever the system says
    const dark = await luminance(page, 'theme-dark.png');
    assert.ok(dark < 0.2, `dark theme: mean luminance ${dark.toFixed(3)}`);
    await open(page, `${POOL}&theme=light`);
    const st = await state(page);
    assert.equal(st.theme, 'light');
    assert.match(st.hash, /&theme=light/);
    const light = await luminance(page, 'theme-light.png');
    assert.ok(light > 0.7, `light theme: mean luminance ${light.toFixed(3)}`);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    // Every lab in the light theme (looked at: build/test-artifacts/theme-light-*.png).
    for (const lab of ['activation', 'linear', 'gradient', 'train']) {
      await open(page, `lab=${lab}&theme=light`);
      const l = await luminance(page, `theme-light-${lab}.png`);
      assert.ok(l > 0.7, `${lab}: mean luminance ${l.toFixed(3)}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('theme=auto follows an emulated prefers-color-scheme, and a host background wins over it', async () => {
  const { context, page, errors } = await newPage({ colorScheme: 'dark' });
  try {
    await open(page, `${POOL}&theme=auto`);
    assert.equal((await state(page)).theme, 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => window.layerlab.state().theme === 'light');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    const l = await luminance(page, 'theme-auto-light.png');
    assert.ok(l > 0.7, `auto on a light system: mean luminance ${l.toFixed(3)}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => window.layerlab.state().theme === 'dark');
    // The embed script's bg= (the host page's background) decides in auto.
    await page.evaluate(() => window.layerlab.setState({ bg: 'fdfcf7' }));
    assert.equal((await state(page)).theme, 'light');
    await page.evaluate(() => window.layerlab.setState({ bg: '202124' }));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    assert.equal((await state(page)).theme, 'dark');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an embed on a white course page is light, on a dark page dark (layerlab-embed.js passes the background)', async () => {
  const { context, page, errors } = await newPage();
  try {
    for (const [bg, want] of [['#ffffff', 'light'], ['#15171c', 'dark']]) {
      // A course page of its own (not under the playground's CSP), on the same origin.
      const url = `${suite.server.base}/host-${want}.html`;
      await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
        <body style="background:${bg};margin:0"><p>Lesson text.</p>
        <div data-layerlab="layer=MaxPool2d&kernel_size=2" data-height="500"></div>
        <script src="${suite.server.base}/layerlab-embed.js"></script></body>` }));
      await page.goto(url);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForFunction(() => window.layerlab && window.layerlab.ready);
      await frame.evaluate(() => window.layerlab.ready);
      const st = await frame.evaluate(() => window.layerlab.state());
      assert.equal(st.theme, want, `page background ${bg}: ${st.hash}`);
      assert.equal(st.theme_setting, 'auto');
      await writeFile(path.join(ARTIFACTS, `theme-embed-${want}.png`), await page.screenshot());
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('quiz=shape hides the output until answered, then says wrong or right with PyTorch\'s shape', async () => {
  const { context, page, errors } = await newPage();
  try {
    await open(page, `${POOL}&quiz=shape`);
    let st = await state(page);
    assert.deepEqual(st.quiz, { kind: 'shape', answered: false, correct: false });
    assert.match(await page.locator('#describe').textContent(), /output shape \?/);
    const panels = st.layout.panels.map((p) => p.name);
    await writeFile(path.join(ARTIFACTS, 'quiz-open.png'), await page.screenshot());
    // A wrong guess: answered, not correct, PyTorch's answer shown.
    await page.evaluate(() => window.layerlab.setState({ answer: '1, 1, 4, 4' }));
    st = await state(page);
    assert.equal(st.quiz.answered, true);
    assert.equal(st.quiz.correct, false);
    assert.equal(st.quiz.expected, 'torch.Size([1, 1, 5, 5])');  // floor((9 + 2 - 3) / 2) + 1 = 5
    assert.deepEqual(st.output_shape, [1, 1, 5, 5]);
    await writeFile(path.join(ARTIFACTS, 'quiz-wrong.png'), await page.screenshot());
    // A new state is a new question; a right guess (H, W only is enough).
    await page.evaluate(() => window.layerlab.setState({ h: 10, w: 10 }));
    st = await state(page);
    assert.equal(st.quiz.answered, false);
    await page.evaluate(() => window.layerlab.setState({ answer: 'torch.Size([1, 1, 5, 5])' }));
    st = await state(page);
    assert.equal(st.quiz.correct, true);
    await page.evaluate(() => window.layerlab.setState({ ceil_mode: 1, h: 8, w: 8 }));
    await page.evaluate(() => window.layerlab.setState({ answer: '5,5' }));
    assert.equal((await state(page)).quiz.correct, true);  // ceil_mode: floor(7/2)+1 = 4, ceil -> 5
    assert.match(await page.locator('#describe').textContent(), /output shape \[1, 1, 5, 5\]/);
    assert.ok(panels.length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('quiz=value asks for the pinned output cell and accepts a value within 0.01', async () => {
  const { context, page, errors } = await newPage();
  try {
    await open(page, 'layer=AvgPool2d&kernel_size=2&h=4&w=4&input=ramp&quiz=value&pin=output:0,0,1,1');
    // ramp 0..15: the window rows 2-3, cols 2-3 = (10 + 11 + 14 + 15) / 4 = 12.5
    await page.evaluate(() => window.layerlab.setState({ answer: '12' }));
    let st = await state(page);
    assert.equal(st.quiz.correct, false);
    assert.equal(st.quiz.expected, '12.5');
    await page.evaluate(() => window.layerlab.setState({ seed: 1, input: 'ramp' }));  // same tensor, same question
    assert.equal((await state(page)).quiz.answered, false);
    await page.evaluate(() => window.layerlab.setState({ answer: '12.505' }));
    st = await state(page);
    assert.equal(st.quiz.correct, true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a locked parameter ignores setState, a paste and the mouse; the others still move', async () => {
  const { context, page, errors } = await newPage();
  try {
    // Control: unlocked, a click at the right end of kernel_size's slider moves it.
    await open(page, 'layer=MaxPool2d&kernel_size=3&h=12&w=12');
    await page.mouse.click(300, 212);
    assert.notEqual((await state(page)).params.kernel_size, 3);
    await open(page, 'layer=MaxPool2d&kernel_size=3&h=12&w=12&lock=kernel_size,stride');
    let st = await state(page);
    assert.deepEqual(st.locked, ['kernel_size', 'stride']);
    await page.mouse.click(300, 212);
    await page.keyboard.press('ArrowRight');
    await page.evaluate(() => window.layerlab.setState({ kernel_size: 5, stride: 1, padding: 1 }));
    st = await state(page);
    assert.equal(st.params.kernel_size, 3);
    assert.equal(st.params.stride, 3);  // None: the kernel size
    assert.equal(st.params.padding, 1);  // not locked
    const pasted = await page.evaluate(() => window.layerlab.paste('nn.MaxPool2d(2)'));
    assert.equal(pasted.ok, false);
    assert.match(pasted.error, /kernel_size is locked/);
    assert.equal((await state(page)).params.kernel_size, 3);
    // setState may add locks, never remove them; a new link sets them again.
    await page.evaluate(() => window.layerlab.setState({ lock: 'padding' }));
    await page.evaluate(() => window.layerlab.setState({ lock: '', padding: 0 }));
    st = await state(page);
    assert.deepEqual(st.locked, ['kernel_size', 'stride', 'padding']);
    assert.equal(st.params.padding, 1);
    assert.match(st.hash, /&lock=kernel_size,stride,padding/);
    await writeFile(path.join(ARTIFACTS, 'lock.png'), await page.screenshot());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

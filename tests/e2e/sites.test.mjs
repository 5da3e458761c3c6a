// The README's embedding recipes, each in a real page on another origin than
// LayerLab's: a Sphinx site built by Debian's python3-sphinx (the <script> route,
// a plain <iframe> as Canvas and Moodle keep it), and a Jupyter cell's output
// (the HTML IPython.display.IFrame renders). Every instance must start and draw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { ARTIFACTS, startServer, launchBrowser, watchErrors } from './harness.mjs';
import { decodePng, colourCount } from './png.mjs';
import { startStaticServer, fileUnder } from '../../scripts/serve.mjs';

let layerlab, site, browser, dir;
const cleanups = [];

// LayerLab on 127.0.0.1, the course site on localhost: two origins.
before(async () => {
  layerlab = await startServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerlab-sphinx-'));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
  for (const f of cleanups) await f();
  await layerlab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The recipes as README gives them, with LayerLab's address filled in.
function recipes(ll) {
  return {
    script: `<div data-layerlab="layer=AvgPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&lang=zh" data-height="640"></div>
<script src="${ll}/layerlab-embed.js" defer></script>`,
    iframe: `<iframe src="${ll}/embed.html#layer=MaxPool2d&kernel_size=2&h=6&w=6" title="LayerLab"
        width="100%" height="640" style="border:0" allow="clipboard-write"></iframe>`,
  };
}

// What IPython.display.IFrame(src, width='100%', height=640)._repr_html_() returns (IPython 8).
function ipythonIFrame(src, width, height) {
  return `
        <iframe
            width="${width}"
            height="${height}"
            src="${src}"
            frameborder="0"
            allowfullscreen
            
        ></iframe>
        `;
}

async function instancesReady(page) {
  const frames = page.frames().filter((f) => f.url().includes('/embed.html'));
  for (const f of frames) await f.evaluate(() => window.layerlab.ready);
  return Promise.all(frames.map((f) => f.evaluate(() => window.layerlab.state())));
}

test('a Sphinx site (python3-sphinx) with the <script> and the plain <iframe> recipes: every instance starts', async () => {
  const r = recipes(layerlab.base);
  const src = path.join(dir, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(path.join(src, 'conf.py'), "project = 'Pooling'\nhtml_theme = 'alabaster'\n");
  const indent = (html) => html.split('\n').map((l) => '   ' + l).join('\n');
  await writeFile(path.join(src, 'index.rst'), `Pooling layers
==============

nn.AvgPool2d with ceil_mode, through layerlab-embed.js:

.. raw:: html

${indent(r.script)}

nn.MaxPool2d in a plain iframe (what Canvas and Moodle keep):

.. raw:: html

${indent(r.iframe)}
`);
  const out = path.join(dir, 'html');
  await promisify(execFile)('sphinx-build', ['-b', 'html', '-q', src, out]);
  site = await startStaticServer({ resolve: (url) => fileUnder(out, url.pathname), webRoot: out });
  const siteUrl = site.base.replace('127.0.0.1', 'localhost');
  assert.notEqual(new URL(siteUrl).origin, new URL(layerlab.base).origin);

  const page = await browser.newPage({ viewport: { width: 1000, height: 2600 } });  // both instances in view
  const errors = watchErrors(page);
  try {
    await page.goto(`${siteUrl}/index.html`);
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    await page.waitForFunction(() => [...document.querySelectorAll('iframe')].every((f) => f.contentWindow));
    let states = [];
    for (let i = 0; i < 100 && states.length < 2; ++i) {
      states = await instancesReady(page);
      if (states.length < 2) await page.waitForTimeout(100);
    }
    assert.deepEqual(states.map((s) => s.layer).sort(), ['AvgPool2d', 'MaxPool2d']);
    for (const s of states) {
      assert.equal(s.error, null);
      assert.ok(s.frames_drawn > 0);
    }
    const avg = states.find((s) => s.layer === 'AvgPool2d');
    assert.equal(avg.params.ceil_mode, true);
    assert.equal(avg.lang, 'zh');
    // The Sphinx page is white: the script route's instance is light.
    assert.equal(avg.theme, 'light');
    const shot = await page.screenshot({ fullPage: true });
    await writeFile(path.join(ARTIFACTS, 'site-sphinx.png'), shot);
    for (const handle of await page.$$('iframe')) {
      const img = decodePng(await handle.screenshot());
      assert.ok(colourCount(img) > 30, 'an instance drew its lab');
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a Jupyter cell\'s IPython.display.IFrame output shows a working instance', async () => {
  const cell = ipythonIFrame(`${layerlab.base}/embed.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1`, '100%', 640);
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = watchErrors(page);
  try {
    // A notebook's output area, served from its own origin (as JupyterLab serves from localhost).
    const nb = path.join(dir, 'notebook');
    await mkdir(nb, { recursive: true });
    await writeFile(path.join(nb, 'notebook.html'), `<!doctype html><div class="jp-OutputArea-output">${cell}</div>`);
    const server = await startStaticServer({ resolve: (url) => fileUnder(nb, url.pathname), webRoot: nb });
    cleanups.push(() => server.close());
    await page.goto(`${server.base.replace('127.0.0.1', 'localhost')}/notebook.html`);
    await page.waitForFunction(() => document.querySelector('iframe')?.contentWindow);
    let states = [];
    for (let i = 0; i < 100 && states.length < 1; ++i) {
      states = await instancesReady(page);
      if (states.length < 1) await page.waitForTimeout(100);
    }
    assert.equal(states.length, 1, page.frames().map((f) => f.url()).join(' '));
    assert.deepEqual(states[0].output_shape, [1, 1, 4, 4]);  // 8x8, k3 s2 p1
    await writeFile(path.join(ARTIFACTS, 'site-jupyter.png'), await page.screenshot());
    assert.ok(colourCount(decodePng(await (await page.$('iframe')).screenshot())) > 30);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

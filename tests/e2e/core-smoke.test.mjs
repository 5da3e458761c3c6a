// The core module in a real browser page without any bundler: evaluates one golden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ROOT, startServer, launchBrowser, watchErrors } from './harness.mjs';
import { loadGoldens, expectResult } from '../js/compare.mjs';

test('layerlab-core.mjs evaluates a golden in headless Chromium', async () => {
  const golden = loadGoldens().find((c) => c.spec.layer === 'MaxPool2d' && !c.expected.error && c.expected.indices);
  assert.ok(golden, 'a MaxPool2d golden with indices');
  await writeFile(path.join(ROOT, 'tests/e2e/pages/golden.json'), JSON.stringify(golden.spec));
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    // The page lives under /__test__/ and imports ../layerlab-core.mjs from build/web.
    await page.goto(`${server.base}/__test__/core-smoke.html`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 });
    const r = await page.evaluate(() => window.result);
    assert.equal(r.error, undefined, r.error);
    assert.match(r.version, /^\d+\.\d+\.\d+$/);
    expectResult(golden.expected, r.result, golden.spec);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

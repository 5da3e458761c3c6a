// The playground page in headless Chromium (SwiftShader WebGL2): how long until
// the first frame, and how fast frames follow while a student drags a slider on
// the pooling lab at 1x3x224x224 (state().timings, medians of the last 60 frames).
// Five page loads; medians. Not a test: the machine's load moves these numbers.
import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const RUNS = 5;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const server = await startServer();
const browser = await launchBrowser();
const first = [], draw = [], interval = [];
for (let run = 0; run < RUNS; ++run) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const t0 = Date.now();
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=random&n=1&c=3&h=224&w=224`);
  await page.evaluate(() => window.layerlab.ready);
  first.push(Date.now() - t0);
  await page.waitForFunction(() => window.layerlab.state().timings.warm);
  // Drag the kernel_size slider back and forth for 90 frames.
  await page.mouse.move(200, 212);
  await page.mouse.down();
  for (let i = 0; i < 90; ++i) {
    await page.mouse.move(200 + 120 * Math.abs(Math.sin(i / 9)), 212);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
  await page.mouse.up();
  const t = (await page.evaluate(() => window.layerlab.state())).timings;
  draw.push(t.frame_ms);
  interval.push(t.frame_interval_ms);
  await page.close();
}
await browser.close();
await server.close();
console.log(`first frame after navigation: median ${median(first)} ms (${first.join(', ')})`);
console.log(`1x3x224x224 pooling, slider dragged: frame drawing ${median(draw).toFixed(1)} ms, ` +
            `frame to frame ${median(interval).toFixed(1)} ms = ${(1000 / median(interval)).toFixed(1)} fps (medians of ${RUNS} loads)`);

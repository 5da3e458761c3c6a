// The course's 64-channel feature map in the page (headless Chromium): MaxPool2d
// forward + backward on 1x64x224x224 inside the app, as state().timings reports the
// core's calls, over 15 recomputes (a new seed each: a new input, the same shapes).
// Medians. Not a test: the machine's load moves these numbers.
import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const server = await startServer();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
for (const params of ['kernel_size=3&stride=2&padding=1', 'kernel_size=2', 'kernel_size=3']) {
  await page.goto(`${server.base}/index.html#layer=MaxPool2d&${params}&input=random&n=1&c=64&h=224&w=224`);
  await page.evaluate(() => window.layerlab.ready);
  await page.waitForFunction(() => window.layerlab.state().timings.warm);
  const fwd = [], bwd = [], total = [];
  for (let seed = 1; seed <= 15; ++seed) {
    const t = await page.evaluate((k) => {
      window.layerlab.setState({ seed: k });
      return new Promise((r) => requestAnimationFrame(() => r(window.layerlab.state().timings)));
    }, seed);
    fwd.push(t.forward_ms), bwd.push(t.backward_ms), total.push(t.forward_ms + t.backward_ms);
  }
  console.log(`1x64x224x224 MaxPool2d(${params.replace(/&/g, ', ')}): forward ${median(fwd).toFixed(1)} ms, ` +
              `backward ${median(bwd).toFixed(1)} ms, both ${median(total).toFixed(1)} ms ` +
              `(median of 15; range ${Math.min(...total).toFixed(1)}-${Math.max(...total).toFixed(1)})`);
}
await browser.close();
await server.close();

// First contact, as a student meets LayerLab (issue 34's figures): each load in a NEW
// headless Chromium (empty caches, SwiftShader WebGL2), times from navigation start
// (the page's performance.timeOrigin) to window.layerlab.ready.
//
//   playground cold     index.html in a new browser
//   warm reload         the same page reloaded (HTTP cache and V8's code cache warm)
//   course first screen course-example.html in a new browser: every instance on the
//                       first screen ready (the slowest of them)
//   first big compute   MaxPool2d forward + backward at 1x64x224x224 in the page: the
//                       first one after load, then the median of 5 more (steady)
//   floor               a blank page in a new browser making one WebGL2 context: no page
//                       that draws with WebGL is ready before it (the browser's GPU
//                       process starts with the browser; the first context waits for it)
//
// Each load also prints where its time went, from the shell's performance marks
// (layerlab:* in shell.js) and the resource timings of the app's files.
//
//   node bench/startup.mjs [runs=3]
// Not a test: the machine's load moves these numbers; medians over the runs.
import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.argv[2] ?? 3);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const ms = (v) => `${Math.round(v)}`;

// In the page: ready's time, the shell's marks and the app files' arrival, all from navigation start.
function readyBreakdown() {
  return window.layerlab.ready.then(() => {
    const ready = performance.now();
    const marks = Object.fromEntries(performance.getEntriesByType('mark')
      .filter((m) => m.name.startsWith('layerlab:')).map((m) => [m.name.slice(9), m.startTime]));
    const files = Object.fromEntries(performance.getEntriesByType('resource')
      .filter((r) => /layerlab\.(js|wasm)$|ui\.ttf$/.test(r.name))
      .map((r) => [r.name.split('/').pop(), r.responseEnd]));
    return { ready, marks, files };
  });
}

function describe(b) {
  const parts = Object.entries(b.files).map(([k, v]) => `${k} ${ms(v)}`)
    .concat(Object.entries(b.marks).map(([k, v]) => `${k} ${ms(v)}`));
  return `ready ${ms(b.ready)} ms  (${parts.join(', ')})`;
}

async function playground(server) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.base}/index.html`);
  const cold = await page.evaluate(readyBreakdown);
  await page.waitForFunction(() => window.layerlab.state().timings.warm);
  await page.reload();
  const warm = await page.evaluate(readyBreakdown);
  await browser.close();
  return { cold, warm };
}

// The course page's first screen: the instances whose frames intersect the viewport.
async function course(server) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.base}/course-example.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-layerlab]')]
    .filter((d) => d.getBoundingClientRect().top < innerHeight).every((d) => d.querySelector('iframe')));
  const onScreen = await page.evaluate(() => [...document.querySelectorAll('[data-layerlab] iframe')]
    .filter((f) => f.getBoundingClientRect().top < innerHeight).map((f) => f.src));
  const times = [];
  for (const src of onScreen) {
    const frame = await (async () => {
      for (;;) {
        const f = page.frames().find((fr) => fr.url() === src);
        if (f) return f;
        await page.waitForTimeout(5);
      }
    })();
    await frame.waitForFunction(() => window.layerlab && window.layerlab.ready);
    // The frame's ready in the parent's clock: both timeOrigins are wall-clock.
    const parentOrigin = await page.evaluate(() => performance.timeOrigin);
    const b = await frame.evaluate(readyBreakdown);
    const frameOrigin = await frame.evaluate(() => performance.timeOrigin);
    times.push(b.ready + frameOrigin - parentOrigin);
  }
  await browser.close();
  return { instances: onScreen.length, slowest: Math.max(...times), times };
}

// The first 1x64x224x224 MaxPool2d forward + backward after load, then steady ones.
async function bigCompute(server) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.base}/index.html`);
  await page.evaluate(() => window.layerlab.ready);
  const big = { layer: 'MaxPool2d', kernel_size: 3, stride: 2, padding: 1, input: 'random', n: 1, c: 64, h: 224, w: 224 };
  const run = (state) => page.evaluate((st) => {
    window.layerlab.setState(st);
    return new Promise((r) => requestAnimationFrame(() => {
      const t = window.layerlab.state().timings;
      r(t.forward_ms + t.backward_ms);
    }));
  }, state);
  const first = await run(big);
  const steady = [];
  for (let seed = 1; seed <= 5; ++seed) steady.push(await run({ seed }));
  await browser.close();
  return { first, steady: median(steady) };
}

// A blank page's first WebGL2 context in a new browser, from navigation start.
async function floor() {
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto('about:blank');
  const t = await page.evaluate(() => {
    const before = performance.now();
    document.createElement('canvas').getContext('webgl2');
    return { made: performance.now(), wait: performance.now() - before };
  });
  await browser.close();
  return t;
}

const server = await startServer();
const rows = { cold: [], warm: [], course: [], first: [], steady: [], floor: [] };
for (let run = 1; run <= RUNS; ++run) {
  const p = await playground(server);
  const c = await course(server);
  const b = await bigCompute(server);
  const f = await floor();
  rows.floor.push(f.made);
  rows.cold.push(p.cold.ready), rows.warm.push(p.warm.ready), rows.course.push(c.slowest);
  rows.first.push(b.first), rows.steady.push(b.steady);
  console.log(`run ${run}: playground cold ${describe(p.cold)}`);
  console.log(`       warm reload ${describe(p.warm)}`);
  console.log(`       course page: ${c.instances} instances on the first screen, ready at ${c.times.map(ms).join(', ')} ms`);
  console.log(`       first 1x64x224x224 MaxPool2d fwd+bwd ${b.first.toFixed(1)} ms, steady ${b.steady.toFixed(1)} ms`);
  console.log(`       floor: a blank page's first WebGL2 context at ${ms(f.made)} ms (getContext waited ${ms(f.wait)} ms)`);
}
await server.close();
const line = (name, a, unit = 'ms') => `${name.padEnd(34)} median ${median(a).toFixed(0).padStart(5)} ${unit}  (${a.map((v) => v.toFixed(0)).join(', ')})`;
console.log(`\nmedians of ${RUNS} new browsers:`);
console.log(line('playground cold -> ready', rows.cold));
console.log(line('warm reload -> ready', rows.warm));
console.log(line('course first screen -> all ready', rows.course));
console.log(line('first big fwd+bwd (1x64x224x224)', rows.first));
console.log(line('steady big fwd+bwd', rows.steady));
console.log(line('floor: blank page, first WebGL2 context', rows.floor));

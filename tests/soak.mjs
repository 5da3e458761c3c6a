// scripts/soak's body: the train lab playing for MINUTES, then the PReLU fit
// for one, sampling the memory every 30 s. The first two minutes' samples are
// the baseline (the history fills to its cap, allocators and JIT settle there);
// later ones must stay within 10 % (and 1 MiB) of its largest.
import { startServer, launchBrowser, watchErrors } from './e2e/harness.mjs';

const minutes = Number(process.argv[2] ?? 10);
const server = await startServer();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = watchErrors(page);
const cdp = await page.context().newCDPSession(page);
const sample = async () => {
  const st = await page.evaluate(() => window.layerlab.state());
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return { step: st.metrics.step ?? st.metrics.prelu_fit?.step ?? 0, heap: st.memory.heap_bytes, wasm: st.memory.wasm_bytes, js: usedSize };
};
const MiB = (b) => (b / 1048576).toFixed(2);
const rows = [];
async function soak(hash, ms, start) {
  await page.goto(`${server.base}/index.html#${hash}`);
  await page.evaluate(() => window.layerlab.ready);
  await page.evaluate(start);
  const t0 = Date.now();
  for (;;) {
    await page.waitForTimeout(Math.min(30000, Math.max(0, t0 + ms - Date.now())));
    await cdp.send('HeapProfiler.collectGarbage');
    const s = { t: Math.round((Date.now() - t0) / 1000), lab: hash, ...(await sample()) };
    rows.push(s);
    console.log(`${String(s.t).padStart(5)} s  ${hash.padEnd(28)} step ${String(s.step).padStart(7)}  malloc ${MiB(s.heap)} MiB  ` +
                `wasm ${MiB(s.wasm)} MiB  JS heap ${MiB(s.js)} MiB`);
    if (Date.now() - t0 >= ms) break;
  }
}
await soak('lab=train&hidden=32&dataset=spirals&speed=20', minutes * 60000, () => window.layerlab.setState({ play: 1 }));
// The PReLU fit: SGD steps queued by setState, as many as it takes a minute.
await soak('lab=activation&layer=PReLU', 60000, () => window.layerlab.setState({ steps: 100000 }));
await browser.close();
await server.close();

let failed = errors.length > 0;
if (failed) console.log(errors.join('\n'));
for (const key of ['heap', 'js']) {
  const train = rows.filter((r) => r.lab.startsWith('lab=train'));
  // The train lab keeps 20 000 steps of history, its plots as many points: the
  // first two minutes fill them; from then on nothing may grow.
  const base = Math.max(...train.filter((r) => r.t <= 125).map((r) => r[key]));
  const last = train[train.length - 1][key];
  const grew = last - base;
  const ok = grew <= Math.max(0.1 * base, 1048576);
  console.log(`${key === 'heap' ? 'malloc' : 'JS heap'}: first two minutes ${MiB(base)} MiB, after ${minutes} min ${MiB(last)} MiB: ${ok ? 'flat' : 'GREW'}`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);

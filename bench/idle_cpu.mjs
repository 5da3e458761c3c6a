// What an idle page costs: the CPU-seconds every Chromium process uses over 20 s
// without input (utime + stime from /proc, of the Chromium this script starts), and the frames the app drew meanwhile,
// for the playground and for the course example (several embeds). Not a test: the
// machine's load moves these numbers.
//   node bench/idle_cpu.mjs
import { readFileSync, readdirSync } from 'node:fs';

import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const IDLE_SECONDS = 20;

// pid -> CPU-seconds (utime + stime) of this process's descendants: the Chromium it launched.
function browserCpu() {
  const stat = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      stat.set(Number(pid), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the process ended while being read
    }
  }
  const ours = new Map();
  for (const [pid, st] of stat) {
    for (let p = st.ppid, hops = 0; p > 1 && hops < 20; p = stat.get(p)?.ppid ?? 0, ++hops) {
      if (p === process.pid) { ours.set(pid, st.cpu); break; }
    }
  }
  return ours;
}

// CPU-seconds used between two samples by the processes alive at both.
function cpuBetween(a, b) {
  let t = 0;
  for (const [pid, cpu] of b) if (a.has(pid)) t += cpu - a.get(pid);
  return t;
}

const framesOf = (page) => Promise.all(page.frames().map((f) =>
  f.evaluate(() => (window.layerlab && window.layerlab.state ? window.layerlab.state().frames_drawn : 0)).catch(() => 0)));

const server = await startServer();
const browser = await launchBrowser();
for (const [name, url] of [['playground', '/index.html#layer=MaxPool2d&kernel_size=3&stride=2&padding=1&h=9&w=9'],
                           ['course example', '/course-example.html']]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.base + url);
  await page.waitForTimeout(5000);  // loaded, the first frames drawn, settled
  const f0 = await framesOf(page), c0 = browserCpu();
  await page.waitForTimeout(IDLE_SECONDS * 1000);
  const c1 = browserCpu(), f1 = await framesOf(page);
  const cpu = cpuBetween(c0, c1);
  const frames = f1.reduce((a, b) => a + b, 0) - f0.reduce((a, b) => a + b, 0);
  console.log(`${name}: ${cpu.toFixed(2)} CPU-s over ${IDLE_SECONDS} s idle ` +
              `(${(100 * cpu / IDLE_SECONDS).toFixed(1)} % of a core), ${frames} frames drawn`);
  await page.close();
}
await browser.close();
await server.close();

// Static file server for build/web: `node scripts/serve.mjs` (scripts/play) serves it on
// 127.0.0.1:8080 (PORT overrides); the browser tests use startStaticServer() on a free port.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build/web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.ttf': 'font/ttf', '.png': 'image/png',
  '.css': 'text/css', '.ts': 'text/plain; charset=utf-8' };

// The file under `root` for a URL path ("/" is index.html), or null if it would leave root.
export function fileUnder(root, pathname) {
  const file = path.normalize(path.join(root, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
  return file.startsWith(root + path.sep) ? file : null;
}

// web/_headers (Netlify / Cloudflare Pages format: a path pattern, then indented
// "Name: value" lines) -> [{pattern: RegExp, headers: {name: value}}]. A `*`
// in a path matches any run of characters.
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const glob = line.trim().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      rules.push({ pattern: new RegExp(`^${glob}$`), headers: {} });
    } else if (rules.length) {
      const colon = line.indexOf(':');
      if (colon > 0) rules.at(-1).headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return rules;
}

// The headers web/_headers gives a URL path: every matching rule, in file order.
export function headersFor(rules, pathname) {
  return Object.assign({}, ...rules.filter((r) => r.pattern.test(pathname)).map((r) => r.headers));
}

async function siteHeaders(webRoot) {
  try {
    return parseHeadersFile(await readFile(path.join(webRoot, '_headers'), 'utf8'));
  } catch {
    return [];  // a build without _headers: none
  }
}

// resolve(url) -> absolute file path or null (403); headers(url) -> response headers
// added to (and overriding) those of `webRoot`/_headers.
export async function startStaticServer({ resolve = (url) => fileUnder(WEB, url.pathname), headers = () => ({}),
                                          port = 0, host = '127.0.0.1', webRoot = WEB } = {}) {
  const rules = await siteHeaders(webRoot);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    let file;
    try { file = resolve(url); } catch { file = null; }
    if (!file) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
                           'Cache-Control': 'no-store', ...headersFor(rules, url.pathname), ...headers(url) });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((done) => server.listen(port, host, done));
  return { base: `http://${host}:${server.address().port}`,
           close: () => new Promise((done) => server.close(done)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { base } = await startStaticServer({ port: Number(process.env.PORT ?? 8080) });
  console.log(`LayerLab is at ${base}/  (Ctrl-C stops)`);
}

// sw.js — LayerLab's service worker: after one visit, the playground, the embeds and the
// course example load with the network off. The build writes build/web/sw.js from this
// file (web/make_sw.cmake): PRECACHE is every file those pages load, BUILD_HASH a hash of
// their contents and of this script, so each build has a cache of its own and a sw.js of
// its own, which the browser installs on the next online visit.
//
//   install    every precached file into this build's cache, past the HTTP cache
//   activate   delete the caches of older builds under this scope; take over the open pages
//   fetch      a precached file from the cache (a page's query ignored), else the network
'use strict';

const BUILD_HASH = '@LL_BUILD_HASH@';
const PRECACHE = [
@LL_PRECACHE@
];

// The cache names carry the scope: two copies of LayerLab on one origin keep their own.
const SCOPE = self.registration.scope;
const CACHE_PREFIX = `layerlab ${SCOPE} `;
const CACHE = CACHE_PREFIX + BUILD_HASH;
const PRECACHED = new Set(PRECACHE.map((file) => new URL(file, SCOPE).href));

// Each file read to its end (a browser keeps a connection per unread body, six per host),
// and kept as status, headers and body only: a host that redirects (Cloudflare Pages sends
// embed.html to /embed) gives a redirected response, which a page's navigation may not use.
async function fetchFresh(file) {
  const response = await fetch(new Request(new URL(file, SCOPE), { cache: 'reload' }));
  if (!response.ok) throw new Error(`LayerLab offline cache: ${file} gave HTTP ${response.status}`);
  return new Response(await response.blob(),
                      { status: response.status, statusText: response.statusText, headers: response.headers });
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const responses = await Promise.all(PRECACHE.map(fetchFresh));  // all or nothing
    const cache = await caches.open(CACHE);
    await Promise.all(PRECACHE.map((file, i) => cache.put(new URL(file, SCOPE).href, responses[i])));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
    await Promise.all(old.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  if (request.mode === 'navigate') url.search = '';
  const key = url.href === SCOPE ? new URL('index.html', SCOPE).href : url.href;
  if (!PRECACHED.has(key)) return;  // not ours: the browser fetches it as usual
  event.respondWith((async () => {
    const hit = await (await caches.open(CACHE)).match(key);
    return hit || fetch(request);
  })());
});

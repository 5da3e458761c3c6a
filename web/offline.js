// offline.js — registers LayerLab's service worker (sw.js beside this script), which keeps
// the playground, the embeds and the course example working offline after one visit.
// Loaded by index.html and embed.html, and by layerlab-embed.js on LayerLab's own origin.
// A page opened from file:// or over plain http from another host (no secure context)
// simply goes without.
//
// A page loaded from an older build's cache is reloaded once the new build's worker
// takes over (its state is in the URL hash), so the new build is what the visit shows.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.isSecureContext || !/^https?:$/.test(location.protocol)) return;
  var script = document.currentScript;
  var workerUrl = new URL('sw.js', script ? script.src : location.href);
  if (workerUrl.origin !== location.origin) return;  // a worker serves its own origin only
  var hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    if (hadController) location.reload();
  });
  function register() {
    navigator.serviceWorker.register(workerUrl.href).catch(function (e) {
      // Storage blocked (a private window, a third-party frame): the page works, online only.
      console.warn('LayerLab: no offline copy: ' + (e && e.message ? e.message : e));
    });
  }
  // After the page's own downloads, which the worker's install would compete with.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();

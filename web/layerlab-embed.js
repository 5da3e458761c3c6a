// layerlab-embed.js — turns every <div data-layerlab="layer=MaxPool2d&kernel_size=3"> of a
// course page into a LayerLab iframe, created only when it scrolls near the viewport, so a
// page with ten instances opens fast. Every instance is independent.
//
//   <div data-layerlab="layer=AvgPool2d&kernel_size=3&ceil_mode=1&lang=zh" data-height="620"></div>
//
// Unless data-layerlab names a theme, an instance takes theme=auto and the page's
// background (bg=RRGGBB), so it is light on a light page and dark on a dark one.
//
// data-height is the height until the instance says what its layout needs
// (message layerlab:resize); the iframe then takes that, at most data-max-height
// (default 1600 px).
//   <script src="https://your.host/layerlab/layerlab-embed.js" defer></script>
//
// The host page can talk to an instance with postMessage (see README): the script adds
// its own origin to the instance's allow-list.
//
// Two parts, each in its own scope so the host page gets no globals: the instances
// mounted as they come near, then their messages heard and the offline copy registered.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script ? script.src : location.href);

  // The page's background behind `el` as RRGGBB: the first mostly opaque one from el up.
  function hostBackground(el) {
    for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
      var m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(e).backgroundColor);
      if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
        return [m[1], m[2], m[3]].map(function (c) { return ('0' + Number(c).toString(16)).slice(-2); }).join('');
      }
    }
    return matchMedia('(prefers-color-scheme: dark)').matches &&
           getComputedStyle(document.documentElement).colorScheme === 'dark' ? '121212' : 'ffffff';
  }

  function mount(div) {
    if (div.getAttribute('data-layerlab-mounted')) return;
    div.setAttribute('data-layerlab-mounted', '1');
    // This page's origin goes first on the instance's allow-list; an author's own
    // allow= keys are dropped, so a typo there cannot silence the host page.
    var state = (div.getAttribute('data-layerlab') || '').replace(/^#/, '').split('&').filter(function (item) {
      return item && !/^(allow|bg)=/i.test(item);
    });
    // An instance matches its page: theme=auto unless the author chose one, and the
    // page's background, which auto follows (light on a light page).
    if (!state.some(function (item) { return /^theme=/i.test(item); })) state.push('theme=auto');
    state.push('bg=' + hostBackground(div));
    var frame = document.createElement('iframe');
    frame.src = new URL('embed.html', base).href + '#' +
                ['allow=' + encodeURIComponent(location.origin)].concat(state).join('&');
    frame.title = div.getAttribute('data-title') || 'LayerLab';
    frame.loading = 'lazy';
    frame.setAttribute('allow', 'clipboard-write');
    frame.style.width = '100%';
    frame.style.height = (parseInt(div.getAttribute('data-height'), 10) || 640) + 'px';
    frame.style.border = '0';
    frame.style.borderRadius = '8px';
    frame.style.display = 'block';
    div.appendChild(frame);
  }

  function start() {
    var divs = Array.prototype.slice.call(document.querySelectorAll('[data-layerlab]'));
    divs.forEach(function (div) {
      div.style.minHeight = (parseInt(div.getAttribute('data-height'), 10) || 640) + 'px';
    });
    if (!('IntersectionObserver' in window)) { divs.forEach(mount); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); mount(e.target); }
      });
    }, { rootMargin: '300px 0px' });
    divs.forEach(function (div) { io.observe(div); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script ? script.src : location.href);

  // An instance's layerlab:resize: the height its layout needs, from our own frames only.
  window.addEventListener('message', function (e) {
    if (!e.data || e.data.type !== 'layerlab:resize' || e.origin !== base.origin) return;
    var frames = document.querySelectorAll('[data-layerlab] > iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow !== e.source) continue;
      var max = parseInt(frames[i].parentNode.getAttribute('data-max-height'), 10) || 1600;
      var height = Math.round(Math.min(Math.max(Number(e.data.height) || 0, 200), max));
      frames[i].style.height = height + 'px';
      frames[i].parentNode.style.minHeight = height + 'px';
    }
  });

  // A page on LayerLab's own origin (the course example) works offline too: its
  // service worker is registered by offline.js, as the playground's is.
  if (base.origin === location.origin) {
    var offline = document.createElement('script');
    offline.src = new URL('offline.js', base).href;
    document.head.appendChild(offline);
  }
})();

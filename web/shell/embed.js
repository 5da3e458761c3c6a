// embed.js — embed.html and its host page, through postMessage. The host page may
// set and read the state; only origins on the allow-list are heard: this page's own
// origin plus every `allow=` key of the hash (comma-separated http: or https:
// origins; an opaque origin such as a sandboxed or data: frame's 'null' is never
// one). The allow= keys stay in the hash this page writes back, so a reload of the
// frame still hears its host.
//
//   embedded         this page is embed.html (body data-embed="1")
//   installEmbed     the allow-list; layerlab:setState / layerlab:getState answered with
//                    layerlab:state; each change announced as layerlab:change
//   announceHeight   layerlab:resize: the height the layout needs, after a frame
import { hooks, layerlab, lastHash, onChange, ready, currentHash, setHashSuffix } from './bridge.js';

export const embedded = document.body.getAttribute('data-embed') === '1';

let allowed = [];

function allowedOrigins(hash) {
  const origins = [location.origin];
  hash.split('&').forEach((item) => {
    const eq = item.indexOf('=');
    if (eq < 0 || item.slice(0, eq).toLowerCase() !== 'allow') return;
    item.slice(eq + 1).split(/,|%2C/i).forEach((o) => {
      let url;
      try { url = new URL(decodeURIComponent(o)); } catch (e) { return; }  // not a URL: ignored
      if ((url.protocol === 'http:' || url.protocol === 'https:') && origins.indexOf(url.origin) < 0) {
        origins.push(url.origin);
      }
    });
  });
  return origins;
}

// A reply or a change announcement that cannot be posted (the window went
// away, an origin that no longer matches) is dropped, never thrown.
function post(target, message, origin) {
  try { target.postMessage(message, origin); } catch (e) { console.warn('layerlab: postMessage failed: ' + e.message); }
}

function answer(event) {
  if (allowed.indexOf(event.origin) < 0 || !event.data || typeof event.data !== 'object') return;
  const msg = event.data;
  ready.then(() => {
    let error = null;
    if (msg.type === 'layerlab:setState' && msg.state && typeof msg.state === 'object') {
      try { layerlab.setState(msg.state); } catch (e) { error = e.message; }
    }
    if ((msg.type === 'layerlab:setState' || msg.type === 'layerlab:getState') && event.source) {
      const reply = { type: 'layerlab:state', id: msg.id, state: layerlab.state(), hash: lastHash() };
      if (error) reply.error = error;
      post(event.source, reply, event.origin);
    }
  });
}

export function installEmbed() {
  allowed = embedded ? allowedOrigins(currentHash()) : [];
  setHashSuffix(allowed.length > 1 ? '&allow=' + allowed.slice(1).map(encodeURIComponent).join(',') : '');
  if (!embedded) return;
  window.addEventListener('message', answer);
  if (window.parent !== window) {
    onChange((st, h) => {
      allowed.forEach((origin) => { post(window.parent, { type: 'layerlab:change', state: st, hash: h }, origin); });
    });
  }
}

// An embed tells its host page the height its layout needs (the canvas's
// and the tools strip's); layerlab-embed.js sizes the iframe to it. A plain
// <iframe> ignores the message and keeps its own height.
let postedHeight = 0;
export function announceHeight() {
  if (!embedded || window.parent === window) return;
  const tools = document.getElementById('tools');
  const height = hooks().neededHeight() + (tools ? tools.offsetHeight : 0);
  if (!(height > 0) || Math.abs(height - postedHeight) < 1) return;
  postedHeight = height;
  allowed.forEach((origin) => { post(window.parent, { type: 'layerlab:resize', height }, origin); });
}

// tools.js — the strip under the playground (#tools) and the files a student brings:
//
//   installTools   Describe, Copy link, Open file; a file dropped on the page; Ctrl+V,
//                  into the app's text field or as PyTorch; the outcome in #file-status
import { hooks, layerlab } from './bridge.js';
import { embedded } from './embed.js';
import { MAX_STATE_BYTES } from './hooks.js';

const canvas = document.getElementById('canvas');
const describe = document.getElementById('describe');
const fileStatus = document.getElementById('file-status');

function showStatus(text, error) {
  if (!fileStatus) return;
  fileStatus.textContent = text;
  fileStatus.classList.toggle('error', error);
}

function installCopyLink() {
  const copyButton = document.getElementById('copy-link');
  if (!copyButton) return;
  copyButton.addEventListener('click', () => {
    const url = embedded ? new URL('index.html' + location.hash, location.href).href : location.href;
    const done = () => { copyButton.textContent = copyButton.getAttribute('data-done'); };
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, () => {});
  });
}

function openFiles(files) {
  if (!files || !files.length) return;
  const file = files[0];
  file.arrayBuffer()
    .then((buf) => layerlab.loadFile(file.name, new Uint8Array(buf)))
    .then((r) => showStatus(file.name + ' → input ' + r.shape.join('×'), false), (e) => showStatus(e.message, true));
}

function installOpenFile() {
  const fileInput = document.getElementById('file-input');
  const openButton = document.getElementById('open-file');
  if (fileInput && openButton) {
    openButton.addEventListener('click', () => { fileInput.click(); });
    fileInput.addEventListener('change', () => { openFiles(fileInput.files); fileInput.value = ''; });
  }
  // Drop a file on the page; captured before GLFW's own drop handler on the canvas.
  window.addEventListener('dragover', (e) => { e.preventDefault(); e.stopImmediatePropagation(); }, true);
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopImmediatePropagation();
    if (hooks()) openFiles(e.dataTransfer && e.dataTransfer.files);
  }, true);
}

// Ctrl+V with the playground focused: into the app's text field if one has the
// keyboard, else as PyTorch (a layer line or a tensor), as layerlab.paste.
function installPaste() {
  document.addEventListener('paste', (e) => {
    const api = hooks();
    if (!api || document.activeElement !== canvas || !e.clipboardData) return;
    const text = e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    if (text.length <= MAX_STATE_BYTES && api.typeText(text)) return;
    const r = layerlab.paste(text);
    showStatus(r.ok ? 'Ctrl+V → ' + r.applied + ' · 已粘贴' : r.error, !r.ok);
  });
}

function installDescribeToggle() {
  const describeButton = document.getElementById('describe-toggle');
  if (!describeButton || !describe) return;
  describeButton.addEventListener('click', () => {
    const hidden = describe.classList.toggle('visually-hidden');
    describeButton.setAttribute('aria-expanded', hidden ? 'false' : 'true');
    if (!hidden) describe.focus();
  });
}

export function installTools() {
  installCopyLink();
  installOpenFile();
  installPaste();
  installDescribeToggle();
}

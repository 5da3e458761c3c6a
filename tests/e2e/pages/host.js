// Test host page: ?embed=<url of embed.html with hash>; records messages in window.messages.
window.messages = [];
window.addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));
const url = new URL(location.href).searchParams.get('embed');
const frame = document.createElement('iframe');
frame.src = url;
frame.width = 1280;
frame.height = 800;
document.body.appendChild(frame);
window.frame = frame;
window.send = (msg, origin) => frame.contentWindow.postMessage(msg, origin);

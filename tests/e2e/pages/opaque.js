// ?embed=<url of embed.html with hash>: the embed, and beside it a sandboxed frame
// (origin 'null') whose script posts setState to the embed when told to.
const embed = document.createElement('iframe');
embed.src = new URL(location.href).searchParams.get('embed');
embed.width = 800;
embed.height = 600;
document.body.appendChild(embed);
const sandboxed = document.createElement('iframe');
sandboxed.setAttribute('sandbox', 'allow-scripts');
sandboxed.srcdoc = `<script>
  addEventListener('message', () => parent.frames[0].postMessage(
    {type: 'layerlab:setState', id: 1, state: {kernel_size: 4}}, '*'));
<\/script>`;
document.body.appendChild(sandboxed);
window.attack = () => sandboxed.contentWindow.postMessage('go', '*');

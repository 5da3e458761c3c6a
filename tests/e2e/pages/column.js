// The embed's state is this page's hash (a new hash loads the embed again).
const frame = document.getElementById('ll');
const load = () => { frame.src = '/embed.html' + location.hash; };
window.addEventListener('hashchange', load);
load();

// print.js — a printed or PDF lesson keeps the figure. On beforeprint, and when the
// print media query starts to match (a browser that prints without the event, emulated
// print media), the app draws a frame now and the canvas is copied in the same task (a
// WebGL canvas keeps no frame once it is shown) into an <img> that only print media
// shows, captioned with the lab's module in Python (the app's print_caption). An
// embed's frame does the same in its own document, which prints inside the host page.
//
//   installPrint   the figure made before printing and removed after
import { hooks } from './bridge.js';

let printFigure = null;

function preparePrint(canvas) {
  const api = hooks();
  if (!api) return;  // still loading: nothing to show yet
  if (!printFigure) {
    printFigure = document.createElement('figure');
    printFigure.id = 'print-figure';
    printFigure.appendChild(document.createElement('img'));
    printFigure.appendChild(document.createElement('figcaption'));
    canvas.parentNode.insertBefore(printFigure, canvas.nextSibling);
  }
  const caption = api.printCaption();
  api.drawNow();
  const img = printFigure.querySelector('img');
  img.src = canvas.toDataURL('image/png');
  img.alt = 'LayerLab: ' + caption;
  printFigure.querySelector('figcaption').textContent = caption;
}

function endPrint() {
  if (printFigure) printFigure.parentNode.removeChild(printFigure);
  printFigure = null;
}

export function installPrint(canvas) {
  window.addEventListener('beforeprint', () => preparePrint(canvas));
  window.addEventListener('afterprint', endPrint);
  const printMedia = window.matchMedia ? window.matchMedia('print') : null;
  if (!printMedia) return;
  const onPrintMedia = (e) => { if (e.matches) preparePrint(canvas); else endPrint(); };
  if (printMedia.addEventListener) printMedia.addEventListener('change', onPrintMedia);
  else if (printMedia.addListener) printMedia.addListener(onPrintMedia);  // Safari before 14
}

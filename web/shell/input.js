// input.js — the page's input as the app needs it. Emscripten's GLFW takes every key
// event on the window and every touch on the canvas as its own, and knows no touch:
// these listeners, registered before it, decide what reaches it.
//
//   installKeys    keys reach the app only while the canvas has focus; Tab always leaves it
//   installTouch   a finger or pen becomes the mouse; two fingers pan and pinch-zoom

// Keys belong to the app only while the canvas has focus, and Tab (Shift+Tab)
// always leaves it for the page's buttons, as on any page. Emscripten's GLFW
// takes every key event on the window (capture phase) and cancels it; these
// listeners, registered first, keep the others from it.
// The canvas shows a focus ring only to keyboard users (Tab), not after a click.
export function installKeys(canvas) {
  canvas.addEventListener('contextmenu', (e) => { e.preventDefault(); });
  window.addEventListener('keydown', (e) => { if (e.key === 'Tab') document.body.classList.add('keyboard'); }, true);
  window.addEventListener('pointerdown', () => { document.body.classList.remove('keyboard'); }, true);
  ['keydown', 'keypress', 'keyup'].forEach((type) => {
    window.addEventListener(type, (e) => {
      const tab = e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey;
      if (tab || document.activeElement !== canvas) e.stopImmediatePropagation();
    }, true);
  });
}

// Emscripten's GLFW listens for mouse events only: a finger or pen becomes the
// mouse. One finger: tap = click, drag = drag (sliders, panning a zoomed
// heatmap, scrolling a narrow layout's column). Two fingers: the mouse is held
// at their midpoint (pan) and their spread turns the wheel there (pinch to
// zoom a heatmap: the app takes 100 px of wheel as one 1.2x step). The touch
// events' default is cancelled so the browser adds no clicks or zoom of its own.
const MOUSE = { pointerdown: 'mousedown', pointermove: 'mousemove', pointerup: 'mouseup', pointercancel: 'mouseup' };

class TouchMouse {
  constructor(canvas) {
    this.canvas = canvas;
    this.touches = new Map();  // pointerId -> {x, y}, fingers and pens on the canvas
    this.pinch = null;         // {x, y, d}: the two fingers' midpoint and spread
    this.held = false;         // the emulated mouse button is down
    this.chorded = false;      // a two-finger gesture ran: the last finger's lift presses nothing
  }

  mouse(type, x, y, buttons) {
    const init = { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons };
    // GLFW takes the cursor position from mousemove only: move there first.
    if (type !== 'mousemove') this.canvas.dispatchEvent(new MouseEvent('mousemove', init));
    this.canvas.dispatchEvent(new MouseEvent(type, init));
  }

  twoFingers() {
    const p = Array.from(this.touches.values());
    return { x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2, d: Math.max(1, Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y)) };
  }

  // Two fingers or more: the pair's press, then its moves and pinch as the wheel.
  pair() {
    const g = this.twoFingers();
    if (!this.pinch) {  // a second finger: the first one's press becomes the pair's
      if (this.held) this.mouse('mouseup', -1e4, -1e4, 0);  // released off every widget: no click
      this.mouse('mousedown', g.x, g.y, 1);
      this.held = true;
      this.chorded = true;
    } else {
      this.mouse('mousemove', g.x, g.y, 1);
      const steps = Math.log(g.d / this.pinch.d) / Math.log(1.2);
      if (Math.abs(steps) > 0.01) {
        this.canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: g.x, clientY: g.y,
                                                            deltaY: -100 * steps, deltaMode: 0 }));
      }
    }
    this.pinch = g;
  }

  pointer(type, e) {
    if (e.pointerType === 'mouse') return;
    const down = type === 'pointerdown', up = type === 'pointerup' || type === 'pointercancel';
    if (!down && !this.touches.has(e.pointerId)) return;  // a pointer that never pressed here
    if (down) {
      try { this.canvas.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is already gone */ }
    }
    if (up) this.touches.delete(e.pointerId); else this.touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.touches.size >= 2) {
      this.pair();
      return;
    }
    if (this.pinch) {  // back to one finger (or none): the pair's press ends where it was
      this.mouse('mouseup', this.pinch.x, this.pinch.y, 0);
      this.held = false;
      this.pinch = null;
      return;
    }
    if (this.chorded) {  // the remaining finger of a pinch presses nothing
      if (this.touches.size === 0) this.chorded = false;
      return;
    }
    this.mouse(MOUSE[type], e.clientX, e.clientY, up ? 0 : 1);
    this.held = !up;
  }
}

export function installTouch(canvas) {
  // Any press on the canvas gives it the focus (a finger's too: its synthetic
  // mouse events would not), so the keys then go to the app.
  canvas.addEventListener('pointerdown', () => { canvas.focus({ preventScroll: true }); });
  const touch = new TouchMouse(canvas);
  Object.keys(MOUSE).forEach((type) => {
    canvas.addEventListener(type, (e) => touch.pointer(type, e));
  });
  // Emscripten's GLFW would read each touch as a press of its own (on the
  // canvas, capture phase): the touch events stop here, before it, and the
  // pointer events above speak for the fingers.
  ['touchstart', 'touchmove', 'touchend', 'touchcancel'].forEach((type) => {
    window.addEventListener(type, (e) => {
      if (e.target !== canvas) return;
      e.preventDefault();
      e.stopImmediatePropagation();
    }, { capture: true, passive: false });
  });
}

// Moving between pages: go() to a hash, reload() the current page, and the timers a page leaves running.
let render = () => {};
let timers = [];
let focusAfter = null;

/** main.js hands over the function that draws the page for the current hash. */
export function setRenderer(fn) {
  render = fn;
}

/** Draw the current page again (after a change the page shows). */
export const reload = () => render();

/** Open `hash`; if it is already open, draw it again. */
export function go(hash) {
  if (location.hash === hash) reload();
  else location.hash = hash;
}

/** Run `fn` every `ms` until the next page is drawn. */
export function every(fn, ms) {
  const timer = setInterval(fn, ms);
  timers.push(timer);
  return timer;
}

/** Stop what the previous page left running. */
export function stopTimers() {
  timers.forEach(clearInterval);
  timers = [];
}

/** After the page is next drawn, put focus on the control `selector` finds there (the button that opened a dialog whose
 * change redraws the page): otherwise the control is replaced and focus falls back to the document's body. */
export function refocus(selector) {
  focusAfter = selector;
}

/** The control refocus() named, once. */
export function takeRefocus() {
  const selector = focusAfter;
  focusAfter = null;
  return selector;
}

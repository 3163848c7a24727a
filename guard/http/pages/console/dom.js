// Building the page: h() for HTML, s() for SVG, tables, labelled fields, figures, the toast and the banner.
import { label } from "./vocab.js";

export const $ = (id) => document.getElementById(id);

// The directional controls of Unicode UAX #9 (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the marks
// U+200E, U+200F, U+061C). A value from outside (a customer id, a note, a key's label) holding one would reorder the
// sentence or row it is shown in from there on (the "Trojan Source" spoofing, CVE-2021-42574): text shown to a person
// writes each one out as <U+XXXX>, as the guard's messages and command line do (guard/core/bidi.py). Form fields keep
// the value as it is.
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Text for a person: each directional control written out as <U+XXXX>. */
export const visible = (text) => String(text).replace(BIDI_CONTROL,
  (c) => "<U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + ">");

/** An element: attrs (`text`, `class`, `on<event>`, others as attributes; null/false skipped), then children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") el.textContent = visible(value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children (nested arrays flattened; strings as text; null/false skipped). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
/** An SVG element (for the dashboard's charts). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "text") el.textContent = visible(value);
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) if (child) el.appendChild(child);
  return el;
}

/** A table that scrolls sideways on its own on a narrow screen; with `stack`, each row becomes a card there instead
 * (every cell under its column's name), for a table people work through row by row on a phone. */
export function table(headers, rows, id, stack) {
  return h("div", { class: "table-wrap" + (stack ? " stack-narrow" : "") }, h("table", { id: id || null },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", text: x })))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c, i) => h("td", { "data-label": headers[i] }, c)))))));
}

/** A selector that finds `el` again once the page is drawn anew (its id, or the queue tab it is), or null. */
export function focusKey(el) {
  if (!el || !(el instanceof Element)) return null;
  if (el.id) return "#" + CSS.escape(el.id);
  if (el.dataset.tab) return `[data-tab="${CSS.escape(el.dataset.tab)}"]`;
  return null;
}

/** Where focus goes once a page is drawn (WCAG 2.4.3): the control the page focused itself, else the one `key` finds
 * (the control the person was on, drawn again), else the page's heading (or main), never the document's body. */
export function settleFocus(view, key) {
  const active = document.activeElement;
  if (active && active !== document.body && active !== view && active.isConnected) return;
  const again = key && view.querySelector(key);
  if (again) again.focus();
  else focusHeading(view);
}

/** Focus the page's heading (made focusable by script only), else main. */
export function focusHeading(view) {
  const heading = view.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  } else view.focus();
}

/** A form control with its label (and optional help text). */
export function field(id, text, control, help) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id, text }), control, help ? h("p", { class: "muted", text: help }) : null);
}

/** A big number with its caption. */
export const figure = (n, caption, id) => h("div", { class: "figure", id: id || null },
  h("div", { class: "n", text: n === undefined || n === null ? "—" : String(n) }), h("div", { class: "l", text: caption }));

/** A complaint severity as a coloured badge. */
export const sevBadge = (sev) => h("span", { class: "badge sev-" + sev, text: label("complaint_severities", sev) });

/** A short message that goes away by itself. */
export function toast(message) {
  const el = $("toast");
  el.textContent = visible(message);
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

/** Say a result (a search's count) through the status region, which was there before it, without showing it (WCAG 4.1.3). */
export function announce(message) {
  const el = $("announce");
  el.textContent = "";
  clearTimeout(announce.timer);
  // emptied, then filled in a later task: the same words said twice are a change too
  announce.timer = setTimeout(() => { el.textContent = visible(message); }, 100);
}

/** Take the toast away at once (a page left behind: its message no longer applies). */
export function clearToast() {
  clearTimeout(toast.timer);
  $("toast").hidden = true;
}

/** The message under the header (an error, or `info`); an empty message hides it. */
export function banner(message, info) {
  const el = $("banner");
  el.textContent = visible(message || "");
  el.className = "banner" + (info ? " info" : "");
  el.hidden = !message;
}

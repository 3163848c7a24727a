// Instants, durations and calling windows as the page writes them.
import { lang, t } from "./i18n.js";

/** This browser's time zone name ("" if it cannot tell). */
const browserZone = (() => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; } })();

/** An ISO instant as written by the API (already in the right zone): "2026-11-24 09:00:00 (UTC+08:00)". */
export function when(iso) {
  if (!iso) return t("none");
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return iso;
  const offset = m[3] === "Z" || m[3] === "+00:00" ? "UTC" : "UTC" + (m[3] || "");
  return `${m[1]} ${m[2]} (${offset})`;
}

/** An instant in the browser's zone (for deadlines the operator acts on): "2026-11-24 09:00". */
export function here(iso) {
  if (!iso) return t("none");
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** " (Asia/Shanghai)": this browser's zone, for a column of times `here` writes ("" if it cannot tell). */
export const zoneLabel = browserZone ? ` (${browserZone})` : "";

/** A recorded instant (profile, lists, complaints) in this browser's zone, named. */
export const stamp = (iso) => (iso ? here(iso) + (browserZone ? ` (${browserZone})` : "") : t("none"));

/** A length of time (sign ignored) as "2天 03:04:05". */
export function duration(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const hh = String(Math.floor((total % 86400) / 3600)).padStart(2, "0");
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
  const ss = String(total % 60).padStart(2, "0");
  return (d ? d + t("days") + " " : "") + `${hh}:${mm}:${ss}`;
}

/** A pack window such as "30d", "24h", "90m" in words. */
export function span(window) {
  const m = /^(\d+)([dhm])$/.exec(String(window || ""));
  if (!m) return String(window);
  const unit = t("unit." + m[2]);
  return m[1] + unit;
}

/** Calling windows as "mon-fri 09:00–12:00; sat 10:00–12:00" (or "none"). */
export const windowsText = (ws) => (ws && ws.length ? ws.map((w) => `${w.days} ${w.from}–${w.to}`).join(lang === "en" ? "; " : "；") : t("win.empty"));

// The customer page's actions, each a form then a confirmation: blacklist, record a complaint, set calling windows.
// Blacklisting and complaints also serve a number with no customer profile (customerId null, phones: that number).
import { api } from "../api.js";
import { confirmFlow } from "../dialog.js";
import { field, h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { stamp, windowsText, zoneLabel } from "../time.js";
import { codes, label } from "../vocab.js";

const options = (name) => codes(name).map((x) => h("option", { value: x, text: label(name, x) }));
// A reason that says something, weighed as the server weighs a removal's (guard/http/schemas/blacklist.py): a letter or
// digit 1, a wide (CJK) character 2, at least 3 (投诉 and 误加 are reasons; "x" and punctuation are not).
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const reasonWeight = (text) => [...text].reduce((n, c) => n + (/[\p{L}\p{N}]/u.test(c) ? (WIDE.test(c) ? 2 : 1) : 0), 0);

export function blacklistDialog(customerId, phones, done) {
  const scope = h("select", {}, customerId ? h("option", { value: "customer", text: t("bl.scope.customer") }) : null,
    phones.length ? h("option", { value: "phone", text: t("bl.scope.phone") }) : null);
  const phone = h("select", {}, phones.map((x) => h("option", { value: x, text: x })));
  const source = h("select", {}, options("blacklist_sources"));
  const reason = h("textarea", { required: true, maxlength: 1000 });
  const phoneField = field("bl-phone", t("bl.phone"), phone);
  phoneField.hidden = scope.value !== "phone";
  scope.addEventListener("change", () => { phoneField.hidden = scope.value !== "phone"; });
  const body = h("div", {}, field("bl-scope", t("bl.scope"), scope), phoneField, field("bl-source", t("bl.source"), source), field("bl-reason", t("bl.reason"), reason));
  confirmFlow({
    title: t("act.blacklist") + " · " + (customerId || phones[0]), body, danger: true,
    read: () => {
      if (reasonWeight(reason.value) < 3) throw t("bl.reason.short");
      const out = { source: source.value, reason: reason.value.trim() };
      if (scope.value === "phone") out.phone = phone.value; else out.customer_id = customerId;
      return out;
    },
    summary: (b) => [h("p", { text: t("bl.confirm", { who: b.phone || customerId }) }),
      h("p", { class: "muted", text: `${t("bl.source")}: ${label("blacklist_sources", b.source)} · ${t("bl.reason")}: ${b.reason}` })],
    submit: async (b) => { await api("POST", "/v1/blacklist", b); toast(t("act.blacklist.done")); done(); },
  });
}

/** Remove a blacklist entry (admin only; the API refuses anyone else): a reason is required and kept with the removal,
 * which the entry's row and the audit trail then show. Removes the live entries of that scope and source. */
export function unblacklistDialog(entry, customerId, done) {
  const who = entry.phone_e164 || customerId;
  const reason = h("textarea", { required: true, maxlength: 1000 });
  confirmFlow({
    title: t("act.unblacklist") + " · " + who, body: h("div", {}, field("unbl-reason", t("unbl.reason"), reason)), danger: true,
    read: () => {
      if (reasonWeight(reason.value) < 3) throw t("bl.reason.short");
      return { reason: reason.value.trim(), source: entry.source };
    },
    summary: (b) => [h("p", { text: t(entry.phone_e164 ? "unbl.confirm.phone" : "unbl.confirm.customer",
      { who, source: label("blacklist_sources", entry.source) }) }), h("p", { class: "muted", text: `${t("bl.reason.col")}: ${b.reason}` })],
    submit: async (b) => {
      const path = entry.phone_e164 ? "/v1/blacklist/" + encodeURIComponent(entry.phone_e164)
        : "/v1/blacklist/customers/" + encodeURIComponent(customerId);
      await api("DELETE", path, b);
      toast(t("act.unblacklist.done"));
      done();
    },
  });
}

export function complaintDialog(customerId, phones, done) {
  const severity = h("select", {}, options("complaint_severities"));
  const phone = h("select", {}, customerId ? h("option", { value: "", text: t("cp.any") }) : null, phones.map((x) => h("option", { value: x, text: x })));
  const category = h("input", { maxlength: 100 });
  const text = h("textarea", { maxlength: 4000 });
  // When the bank received it (a letter opened today, a regulator's referral): the deadlines and the mute count run
  // from then. Empty: now. Typed in this browser's zone.
  const received = h("input", { type: "datetime-local", step: 60 });
  const body = h("div", {}, field("cp-severity", t("cp.severity"), severity), field("cp-phone", t("cp.phone"), phone),
    field("cp-category", t("cp.category"), category), field("cp-text", t("cp.text"), text),
    field("cp-received", t("cp.received") + zoneLabel + t("cp.received.hint"), received));
  confirmFlow({
    title: t("act.complaint") + " · " + (customerId || phones[0]), body,
    read: () => {
      if (!text.value.trim() && !category.value.trim()) throw t("cp.needtext");
      // The API takes one of the two: a number chosen is the customer's own (its owner is them), else the customer.
      const out = phone.value ? { phone: phone.value } : { customer_id: customerId };
      out.severity = severity.value;
      if (category.value.trim()) out.category = category.value.trim();
      if (text.value.trim()) out.text = text.value.trim();
      if (received.value) {
        const at = new Date(received.value);  // a datetime-local value reads in this browser's zone
        if (Number.isNaN(at.getTime())) throw t("cp.received.bad");
        if (at.getTime() > Date.now() + 60000) throw t("cp.received.future");
        out.received_at = at.toISOString();
      }
      return out;
    },
    summary: (b) => [h("p", { text: t("cp.confirm", { who: b.phone || customerId, sev: label("complaint_severities", b.severity) }) }),
      h("p", { class: "muted", text: [b.category, b.text].filter(Boolean).join(" · ") }),
      h("p", { text: `${t("cp.received")}: ${b.received_at ? stamp(b.received_at) : t("cp.received.now")}` })],
    submit: async (b) => { await api("POST", "/v1/complaints", b); toast(t("act.complaint.done")); done(); },
  });
}

export function windowsDialog(customerId, profile, etag, done) {
  const rows = h("div", { class: "windows-editor", id: "windows-rows" });
  let n = 0;
  const addRow = (w) => {
    n += 1;
    const i = n;
    const days = h("input", { id: `win-days-${i}`, value: w ? w.days : "mon-fri", "data-role": "days" });
    const from = h("input", { id: `win-from-${i}`, type: "time", value: w ? w.from : "09:00", "data-role": "from" });
    const to = h("input", { id: `win-to-${i}`, type: "time", value: w ? w.to : "12:00", "data-role": "to" });
    const row = h("div", { class: "wrow" },
      h("div", {}, h("label", { for: days.id, text: t("win.days") }), days),
      h("div", {}, h("label", { for: from.id, text: t("win.from") }), from),
      h("div", {}, h("label", { for: to.id, text: t("win.to") }), to),
      h("button", { type: "button", class: "ghost-dark small", text: t("win.remove"), "aria-label": `${t("win.remove")} ${i}`, onclick: () => row.remove() }));
    rows.appendChild(row);
  };
  profile.windows.forEach(addRow);
  const body = h("div", {}, rows, h("button", { type: "button", class: "ghost-dark small", id: "win-add", text: t("win.add"), onclick: () => addRow(null) }),
    h("p", { class: "muted", text: t("win.help") }));
  confirmFlow({
    title: t("act.windows") + " · " + customerId, body,
    read: () => {
      const windows = [];
      Array.from(rows.children).forEach((row, k) => {
        const get = (role) => row.querySelector(`[data-role="${role}"]`).value.trim();
        if (!get("days") || !get("from") || !get("to")) throw t("win.bad", { n: k + 1 });
        windows.push({ days: get("days"), from: get("from"), to: get("to") });
      });
      return windows;
    },
    summary: (windows) => h("p", { text: t("win.confirm", { w: windowsText(windows) }) }),
    submit: async (windows) => {
      // A PUT is the whole profile (a field left out is emptied): every field of it goes back as it is, the windows
      // changed. The CRM's tags only: the guard's own (guard_tags) it keeps by itself.
      const own = new Set(profile.guard_tags || []);
      const bodyOut = { phones: profile.phones, tags: (profile.tags || []).filter((x) => !own.has(x)), windows };
      for (const key of ["risk_level", "risk_assessed_at", "timezone", "state"]) if (profile[key]) bodyOut[key] = profile[key];
      await api("PUT", "/v1/customers/" + encodeURIComponent(customerId), bodyOut, { headers: etag ? { "If-Match": etag } : {} });
      toast(t("act.windows.done"));
      done();
    },
  });
}

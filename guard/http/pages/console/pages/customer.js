// 客户 Customers: profile, suppression state, complaints, decisions and the audit trail of one customer; searched by
// customer id or by phone (any format: the API parses it). A number no profile lists has its own view, where staff can
// still blacklist it or record a complaint about it.
import { api, session } from "../api.js";
import { banner, field, h, sevBadge, table } from "../dom.js";
import { list, pick, t } from "../i18n.js";
import { go, reload } from "../router.js";
import { here, stamp, when, windowsText, zoneLabel } from "../time.js";
import { label } from "../vocab.js";
import { consentCard } from "./consents.js";
import { blacklistDialog, complaintDialog, unblacklistDialog, windowsDialog } from "./customer-actions.js";

const tagText = (tags) => tags.map((x) => (x === "sensitive" ? t("sensitive") : x)).join(", ");
const empty = () => h("p", { class: "empty", text: t("none") });
const due = (next) => (next ? `${label("deadline_kinds", next.kind)} · ${stamp(next.at)}` : "—");

function trailDetail(e) {
  const d = e.detail || {};
  const parts = [];
  if (d.fields) parts.push(list(d.fields.map((f) => label("profile_fields", f))));
  if (d.windows && d.windows.length) parts.push(windowsText(d.windows));
  if (d.tags) parts.push(tagText(d.tags));
  if (d.scope) parts.push(d.scope === "customer" ? t("bl.scope.customer") : d.phone_e164);
  if (d.source) parts.push(label("blacklist_sources", d.source));
  if (d.severity) parts.push(label("complaint_severities", d.severity));
  if (d.category) parts.push(d.category);
  if (d.until) parts.push(stamp(d.until));
  if (d.not_before) parts.push(stamp(d.not_before));
  if (d.reason) parts.push(pick(d.reason_messages, d.reason));
  // a list removal: its number, and whether the number stayed blocked (as the blacklist table says it)
  if (d.list_id) parts.push(t("bl.removal.list", { id: d.list_id }));
  if (d.still_blocked === true) parts.push(t("bl.removal.still"));
  else if (d.still_blocked === false) parts.push(t("bl.removal.free"));
  if (d.note) parts.push(pick(d.note_messages, d.note));
  return parts.filter((x) => x).join(" · ");
}

function profileCard(p, risk) {
  const riskText = risk.level ? [risk.level, risk.expired === true ? h("span", { class: "badge deny", text: t("cust.expired") }) :
    risk.expired === false ? h("span", { class: "badge allow", text: t("cust.valid") }) : null] : t("cust.norisk");
  return h("section", { class: "card", "aria-labelledby": "h-profile", id: "profile" }, h("h2", { id: "h-profile", text: t("cust.profile") }),
    p ? h("dl", { class: "kv" },
      h("dt", { text: t("cust.phones") }), h("dd", { class: "mono", text: p.phones.join(", ") || t("none") }),
      h("dt", { text: t("cust.risk") }), h("dd", {}, riskText),
      h("dt", { text: t("cust.assessed") }), h("dd", { text: stamp(risk.assessed_at) }),
      h("dt", { text: t("cust.expires") }), h("dd", { text: stamp(risk.expires_at) }),
      h("dt", { text: t("cust.tags") }), h("dd", { text: tagText(p.tags) || t("none") }),
      h("dt", { text: t("cust.tz") }), h("dd", { text: p.timezone || t("none") }),
      h("dt", { text: t("cust.windows") }), h("dd", { id: "customer-windows", text: windowsText(p.windows) }),
      h("dt", { text: t("cust.version") }), h("dd", { text: `${p.version} · ${stamp(p.updated_at)}` }))
      : h("p", { class: "empty", text: t("cust.noprofile") }));
}

/** Whether the person signed in may remove blacklist entries (the API checks it again). */
const mayRemove = () => !!(session.me && (session.me.can || []).includes("admin"));

function suppressionCard(o, customerId) {
  const entries = o.blacklist.entries;
  const deferrals = o.deferrals.filter((d) => d.active);
  // Who added each entry, named as the audit trail names them (the entry itself carries only the actor's id).
  const addedBy = new Map(o.trail.filter((e) => e.action === "blacklist_added" && e.detail && e.actor_label)
    .map((e) => [e.detail.entry_id, `${e.actor_label} (${e.actor})`]));
  const admin = mayRemove();
  // A removed entry says when and why, the list removal that lifted it and whether the number stayed blocked (what an
  // auditor reading the page later asks); anyone who reads the page sees it, the button is the admin's alone.
  const removed = entries.some((e) => e.removed_at);
  const lifted = (e) => [stamp(e.removed_at), pick(e.removal_reason_messages, e.removal_reason) || "", e.removal_list_id ? t("bl.removal.list", { id: e.removal_list_id }) : "",
    e.removal_still_blocked === true ? t("bl.removal.still") : e.removal_still_blocked === false ? t("bl.removal.free") : ""].filter(Boolean).join(" · ");
  // An entry that ended at its own expiry lapsed: nobody removed it (it has no remover), and the page says so, with the day.
  const lapsed = (e) => e.lapsed_at && !e.removed_by;
  const removal = (e) => (e.active && admin ? h("button", { type: "button", class: "small danger", "data-remove-entry": e.id, text: t("act.unblacklist"),
    onclick: () => unblacklistDialog(e, customerId, reload) })
    : lapsed(e) ? h("span", { class: "muted", "data-lapsed": e.id, text: t("bl.lapsed.on", { at: stamp(e.lapsed_at) }) })
    : e.removed_at ? h("span", { class: "muted", "data-removal": e.id, text: lifted(e) }) : "—");
  const last = admin || removed || entries.some(lapsed);
  return h("section", { class: "card", "aria-labelledby": "h-supp", id: "suppression" }, h("h2", { id: "h-supp", text: t("cust.suppression") }),
    h("h3", { text: t("cust.blacklist") }),
    entries.length ? table([t("q.status"), t("bl.scope"), t("bl.source"), t("bl.reason.col"), t("trail.at"), t("trail.actor"),
      last ? (admin ? t("bl.removal.admin") : t("bl.removal")) : null].filter(Boolean), entries.map((e) => [
      h("span", { class: "badge " + (e.active ? "deny" : "plain"), "data-state": e.active ? "active" : lapsed(e) ? "lapsed" : e.removed_at ? "removed" : null,
        text: e.active ? t("cust.blocked") : lapsed(e) ? t("bl.lapsed") : e.removed_at ? label("trail_actions", "blacklist_removed") : "—" }),
      e.phone_e164 || t("bl.scope.customer"), label("blacklist_sources", e.source), pick(e.reason_messages, e.reason),
      // a listing with an end (an external list's term) says it: a lapsed one otherwise read as a bare "—"
      stamp(e.added_at) + (e.expires_at ? " · " + t("bl.until", { at: stamp(e.expires_at) }) : ""), addedBy.get(e.id) || e.added_by || "",
      last ? removal(e) : null].filter((x) => x !== null)), "blacklist-table", true)
      : empty(),
    h("h3", { text: t("cust.mute") }),
    o.mute.mutes.length ? h("ul", {}, o.mute.mutes.map((m) => h("li", { text: `${stamp(m.starts_at)} – ${stamp(m.ends_at)} ${pick(m.reason_messages, m.reason)}${m.active ? "" : " (—)"}` })))
      : empty(),
    h("h3", { text: t("cust.deferrals") }),
    deferrals.length ? h("ul", {}, deferrals.map((d) => h("li", { text: t("cust.deferred", { at: stamp(d.not_before) }) + (d.phone_e164 ? ` · ${d.phone_e164}` : "") })))
      : empty());
}

/** Recent decisions: every column named; a dry run (试算) is marked as one, never shown as a call allowed; each reason
 * code named once (a call over the number's and the customer's cap is FREQ_CAP twice; the lookup shows both). The
 * overview holds the newest 20 only: the link opens the lookup of the same customer or number, which pages back. */
function decisionsCard(decisions, lookup) {
  return h("section", { class: "card", "aria-labelledby": "h-dec", id: "customer-decisions" }, h("h2", { id: "h-dec", text: t("cust.decisions") }),
    decisions.length ? h("p", {}, h("a", { id: "decisions-all", href: "#/lookup?" + new URLSearchParams(lookup), text: t("cust.alldecisions") })) : null,
    decisions.length ? table([t("d.at"), t("d.result"), t("d.kind"), t("d.campaign"), t("d.reasons"), t("d.outcome")], decisions.map((d) => [
      h("a", { href: "#/lookup?decision=" + encodeURIComponent(d.decision_id), text: when(d.local.at) }),
      h("span", { class: "badge " + (d.dry_run ? "plain" : d.allowed ? "allow" : "deny"),
        text: d.dry_run ? t("d.dry.result", { r: d.allowed ? t("d.allowed") : t("d.denied") }) : d.allowed ? t("d.allowed") : t("d.denied") }),
      d.dry_run ? h("span", { class: "badge warn", "data-dry-run": "true", text: t("d.dry") }) : t("d.live"),
      d.campaign, list([...new Set(d.reasons.map((r) => r.code))].map((code) => label("reason_codes", code))), d.outcome ? label("dispositions", d.outcome.disposition) : "—"]),
    "decisions-table", true)
      : empty());
}

function trailCard(trail) {
  return h("section", { class: "card", "aria-labelledby": "h-trail", id: "trail" }, h("h2", { id: "h-trail", text: t("cust.trail") }),
    table([t("trail.at") + zoneLabel, t("trail.actor"), t("trail.action"), t("trail.detail")], trail.map((e) => [
      here(e.at), e.actor_label ? `${e.actor_label} (${e.actor})` : (e.actor || "—"), label("trail_actions", e.action), trailDetail(e)]), "trail-table", true));
}

function complaintsCard(list) {
  return h("section", { class: "card", "aria-labelledby": "h-cp", id: "customer-complaints" }, h("h2", { id: "h-cp", text: t("cust.complaints") }),
    list.length ? table([t("q.severity"), t("q.category"), t("q.received"), t("q.stage"), t("q.due")], list.map((c) => [
      sevBadge(c.severity), c.category || (c.text || "").slice(0, 40), stamp(c.received_at),
      // A late complaint (a deadline passed unmet) says so here as the queue does: staff on the customer's page must see it.
      h("div", { class: "row-actions" }, h("a", { href: "#/complaints?tab=" + (c.late ? "late" : c.resolved_at ? "resolved" : "unresolved"),
        text: label("complaint_stages", c.stage) }), c.late ? h("span", { class: "badge deny", "data-late": "true", text: t("cp.late") }) : null),
      h("span", { class: c.late && c.next_due && new Date(c.next_due.at) < new Date() ? "late-due" : null, text: due(c.next_due) })]), "customer-complaints-table", true)
      : empty());
}

/** A number with no customer profile: its own entries, mutes, complaints and decisions, and the actions that need no profile. */
async function renderNumber(view, form, raw, stale) {
  const o = await api("GET", "/v1/numbers/" + encodeURIComponent(raw) + "/overview");
  if (stale()) return;
  banner("");
  if (o.customer_id) { location.replace("#/customer/" + encodeURIComponent(o.customer_id)); return; }
  const phone = o.phone_e164;
  form.appendChild(h("p", { class: "row-actions", id: "customer-state" },
    h("span", { class: "mono", id: "number-e164", text: phone }),
    h("span", { class: "badge " + (o.blacklist.blocked ? "deny" : "allow"), text: o.blacklist.blocked ? t("cust.blocked") : t("cust.notblocked") }),
    h("span", { class: "badge " + (o.mute.muted ? "deny" : "allow"), text: o.mute.muted ? t("cust.muted", { until: stamp(o.mute.until) }) : t("cust.notmuted") })));
  const info = h("section", { class: "card", id: "profile" }, h("h2", { text: t("num.title", { phone }) }), h("p", { class: "empty", id: "number-noprofile", text: t("num.noprofile") }));
  const actions = h("section", { class: "card", "aria-labelledby": "h-actions" }, h("h2", { id: "h-actions", text: t("cust.actions") }),
    h("div", { class: "row-actions" },
      h("button", { type: "button", id: "act-blacklist", class: "danger", text: t("act.blacklist"), onclick: () => blacklistDialog(null, [phone], reload) }),
      h("button", { type: "button", id: "act-complaint", text: t("act.complaint"), onclick: () => complaintDialog(null, [phone], reload) })));
  view.append(h("div", { class: "grid" }, info, actions), suppressionCard(o, null), complaintsCard(o.complaints),
    decisionsCard(o.decisions, { phone }), trailCard(o.trail));
}

/** A customer id that looks like a phone number (digits, spaces, + - ( )): the page offers the search by phone. */
const looksLikePhone = (x) => /^\+?[\d\s()-]{7,}$/.test(x);

export async function renderCustomer(view, parts, params, stale) {
  const id = parts[0] || "";
  const phoneAsked = !id && params.get("phone") ? params.get("phone") : "";
  const by = h("select", {}, h("option", { value: "id", selected: !phoneAsked, text: t("cust.id") }),
    h("option", { value: "phone", selected: !!phoneAsked, text: t("lookup.phone") }));
  const input = h("input", { value: id || phoneAsked, required: true, size: 24, autocomplete: "off" });
  const form = h("form", { class: "card", role: "search" }, h("h1", { text: t("cust.title") + (id ? " " + id : "") }),
    h("div", { class: "inline" }, field("customer-by", t("lookup.by"), by), field("customer-id", t("lookup.q"), input),
      h("button", { type: "submit", id: "customer-go", text: t("cust.open") })),
    h("p", { class: "muted", text: t("num.help") }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    go(by.value === "phone" ? "#/customer?" + new URLSearchParams({ phone: value }) : "#/customer/" + encodeURIComponent(value));
  });
  view.appendChild(form);
  if (phoneAsked) return renderNumber(view, form, phoneAsked, stale);
  if (!id) { input.focus(); return; }
  let o;
  let etag = null;
  try {
    const answer = await api("GET", "/v1/customers/" + encodeURIComponent(id) + "/overview", undefined, { withHeaders: true });
    o = answer.data;
    etag = answer.headers.get("ETag");
  } catch (err) {
    if (err.status === 404) {
      view.appendChild(h("p", { class: "card empty", id: "customer-missing" }, t("cust.notfound", { id }),
        looksLikePhone(id) ? [" ", h("a", { id: "search-as-phone", href: "#/customer?" + new URLSearchParams({ phone: id }), text: t("num.asphone") })] : null));
      return;
    }
    throw err;
  }
  const consents = await consentCard("customer_id=" + encodeURIComponent(id));
  if (stale()) return;
  banner("");
  const p = o.profile;
  const phones = p ? p.phones : [];

  form.appendChild(h("p", { class: "row-actions", id: "customer-state" },
    h("span", { class: "badge " + (o.blacklist.blocked ? "deny" : "allow"), text: o.blacklist.blocked ? t("cust.blocked") : t("cust.notblocked") }),
    h("span", { class: "badge " + (o.mute.muted ? "deny" : "allow"), text: o.mute.muted ? t("cust.muted", { until: stamp(o.mute.until) }) : t("cust.notmuted") }),
    p && p.tags.includes("sensitive") ? h("span", { class: "badge warn", text: t("sensitive") }) : null));

  const actions = h("section", { class: "card", "aria-labelledby": "h-actions" }, h("h2", { id: "h-actions", text: t("cust.actions") }),
    h("div", { class: "row-actions" },
      h("button", { type: "button", id: "act-blacklist", class: "danger", text: t("act.blacklist"), onclick: () => blacklistDialog(id, phones, reload) }),
      h("button", { type: "button", id: "act-complaint", text: t("act.complaint"), onclick: () => complaintDialog(id, phones, reload) }),
      p ? h("button", { type: "button", id: "act-windows", text: t("act.windows"), onclick: () => windowsDialog(id, p, etag, reload) }) : null));

  // the blacklist's seven columns take the page's width: beside the profile, half of 1280 px, a source read one character a line
  view.append(h("div", { class: "grid" }, profileCard(p, o.risk), actions), suppressionCard(o, id),
    consents, complaintsCard(o.complaints), decisionsCard(o.decisions, { customer_id: id }), trailCard(o.trail));
}

// 投诉队列 Complaints: the whole workflow as one queue. Tabs for each stage with their counts (GET /v1/complaints/counts),
// the complaints of the tab chosen nearest deadline first with live countdowns, and the step each one takes next:
// first response, escalation to a supervisor, resolution (a note is required), the satisfaction callback (its result).
import { api } from "../api.js";
import { confirmFlow } from "../dialog.js";
import { announce, banner, field, h, sevBadge, table, toast } from "../dom.js";
import { capital, t } from "../i18n.js";
import { every, go, reload } from "../router.js";
import { duration, here, zoneLabel } from "../time.js";
import { pageQuery, showMore } from "../more.js";
import { codes, label } from "../vocab.js";

// The queue's tabs: each asks the API for one slice; `count` reads it from GET /v1/complaints/counts.
const STAGE_TABS = ["new", "first_responded", "escalated", "awaiting_callback", "callback_done"];
const TABS = [
  { id: "unresolved", query: { status: "unresolved" }, count: (c) => c.stages.new + c.stages.first_responded + c.stages.escalated },
  ...STAGE_TABS.map((s) => ({ id: s, query: { stage: s }, count: (c) => c.stages[s] })),
  { id: "late", query: { late: "true" }, count: (c) => c.late },
  { id: "resolved", query: { status: "resolved" }, count: (c) => c.stages.awaiting_callback + c.stages.callback_done + c.stages.closed },
];
const tabName = (id) => (id === "unresolved" ? t("q.unresolved") : id === "late" ? t("q.tab.late")
  : id === "resolved" ? capital(label("complaint_statuses", "resolved")) : capital(label("complaint_stages", id)));

function tickCountdowns() {
  const now = Date.now();
  document.querySelectorAll(".countdown[data-due]").forEach((el) => {
    const left = new Date(el.dataset.due).getTime() - now;
    el.textContent = left >= 0 ? t("q.left", { d: duration(left) }) : t("q.late", { d: duration(left) });
    el.classList.toggle("late", left < 0);
    el.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
  });
}

/** The form of one step: its fields, what it sends, and the check a person would make before sending. */
function stepForm(type, c) {
  const note = h("textarea", { maxlength: 1000 });
  if (type === "escalated") {
    const to = h("input", { maxlength: 100, autocomplete: "off" });
    return {
      body: h("div", {}, field("ev-to", t("ev.to"), to), field("ev-note", t("ev.note"), note)),
      read: () => {
        if (!to.value.trim()) throw t("ev.to.needed");
        return { type, to: to.value.trim(), note: note.value.trim() || undefined };
      },
    };
  }
  if (type === "callback") {
    const result = h("select", {}, codes("callback_results").map((x) => h("option", { value: x, text: label("callback_results", x) })));
    return {
      body: h("div", {}, field("ev-result", t("ev.result"), result), field("ev-note", t("ev.note"), note),
        h("p", { class: "muted", text: t("ev.callback.help") })),
      read: () => ({ type, result: result.value, note: note.value.trim() || undefined }),
    };
  }
  if (type === "extended") {
    // A complex complaint's resolution deadline moved later (the regulation's 30 days from receipt; up to 60 with an approver).
    const until = h("input", { type: "datetime-local", step: 60 });
    const approver = h("input", { maxlength: 100, autocomplete: "off" });
    note.required = true;
    return {
      body: h("div", {}, h("p", { id: "ev-until-now", text: t("ev.until.now", { at: here(c.sla.resolution_due) + zoneLabel }) }),
        field("ev-until", t("ev.until") + zoneLabel, until), field("ev-note", t("ev.note.extend"), note),
        field("ev-approved-by", t("ev.approved_by"), approver), h("p", { class: "muted", text: t("ev.extend.help") })),
      read: () => {
        const at = until.value ? new Date(until.value) : null;  // a datetime-local value reads in this browser's zone
        if (!at || Number.isNaN(at.getTime())) throw t("ev.until.needed");
        if (!note.value.trim()) throw t("ev.note.extend.needed");
        return { type, until: at.toISOString(), note: note.value.trim(), approved_by: approver.value.trim() || undefined };
      },
    };
  }
  if (type === "resolved") {
    note.required = true;
    return {
      body: h("div", {}, field("ev-note", t("ev.note.resolve"), note)),
      read: () => {
        if (!note.value.trim()) throw t("ev.note.needed");
        return { type, note: note.value.trim() };
      },
    };
  }
  return { body: h("div", {}, field("ev-note", t("ev.note"), note)), read: () => ({ type, note: note.value.trim() || undefined }) };
}

function eventButton(c, type) {
  const name = capital(label("complaint_events", type));
  // The button says what it does (Escalate); the event's own name (escalated) titles the form and the confirmation.
  return h("button", { type: "button", class: "small" + (type === "escalated" ? " danger" : ""), "data-event": type, text: t(type === "escalated" && c.escalated_at ? "ev.do.assign" : "ev.do." + type),
    onclick: () => {
      const form = stepForm(type, c);
      confirmFlow({
        title: `${name} · ${c.customer_id || c.phone_e164}`,
        body: form.body,
        read: form.read,
        summary: (b) => [h("p", { text: t("ev.confirm", { ev: name }) }),
          b.to ? h("p", { text: t("ev.to.shown", { to: b.to }) }) : null,
          b.result ? h("p", { text: `${t("ev.result")}: ${label("callback_results", b.result)}` }) : null,
          b.until ? h("p", { text: t("ev.until.shown", { at: here(b.until) + zoneLabel }) }) : null,
          b.approved_by ? h("p", { text: `${t("ev.approved_by")}: ${b.approved_by}` }) : null,
          b.note ? h("p", { class: "muted", text: b.note }) : null],
        submit: async (b) => { await api("POST", `/v1/complaints/${encodeURIComponent(c.id)}/events`, b); toast(t("recorded")); reload(); },
      });
    } });
}

/** The steps a complaint may take next, in the order staff take them. */
function nextSteps(c) {
  if (c.stage === "awaiting_callback") return ["callback"];
  if (c.resolved_at) return [];
  // Escalated by the scheduler names no supervisor yet: naming one is still to do.
  // A resolution deadline already passed is missed: it can no longer be extended (the API refuses it too).
  const extendable = c.sla.resolution_due && new Date(c.sla.resolution_due) > new Date();
  return [c.first_response_at ? null : "first_response", c.escalated_at && c.escalated_to ? null : "escalated",
    extendable ? "extended" : null, "resolved"].filter(Boolean);
}

function stageCell(c) {
  return h("div", {},
    h("span", { class: "badge " + (c.late ? "deny" : c.stage === "escalated" ? "warn" : "plain"), "data-stage": c.stage,
      text: label("complaint_stages", c.stage) }),
    c.escalated_to ? h("div", { class: "muted escalated-to", text: t("ev.to.shown", { to: c.escalated_to }) })
      : c.escalated_at ? h("div", { class: "muted escalated-to", text: t("ev.to.none") }) : null,
    c.callback.result ? h("div", { class: "muted", text: `${label("complaint_events", "callback")}: ${label("callback_results", c.callback.result)}` }) : null,
    // An extension moved the resolution deadline: the queue says so, with the deadline it now runs to.
    c.sla.extended ? h("div", { class: "muted extended", text: t("q.extended", { at: here(c.sla.resolution_due) }) }) : null);
}

function firstResponseCell(c) {
  const due = c.sla.first_response_due;
  if (c.first_response_at) {
    const late = due && new Date(c.first_response_at) > new Date(due);
    return h("div", {}, h("span", { class: "badge " + (late ? "deny" : "allow"), text: late ? t("q.fr.late") : t("q.fr.met") }),
      h("div", { class: "muted", text: here(c.first_response_at) }));
  }
  return due ? h("div", { class: "muted", text: t("q.fr.due", { at: here(due) }) }) : "—";
}

function row(c) {
  return [
    sevBadge(c.severity),
    c.customer_id ? h("a", { href: "#/customer/" + encodeURIComponent(c.customer_id), text: c.customer_id })
      : h("a", { class: "mono", href: "#/customer?phone=" + encodeURIComponent(c.phone_e164 || ""), text: c.phone_e164 || "—" }),
    h("span", { title: c.text || "", text: c.category || (c.text || "").slice(0, 30) }),
    here(c.received_at),
    stageCell(c),
    firstResponseCell(c),
    c.next_due ? h("div", {}, h("div", { class: "muted", text: `${label("deadline_kinds", c.next_due.kind)} · ${here(c.next_due.at)}` }),
      // ticks every second: "off" keeps a screen reader from reading each tick, should it ever sit in a live region
      h("span", { class: "countdown", "data-due": c.next_due.at, "aria-live": "off" })) : "—",
    h("div", { class: "row-actions" }, nextSteps(c).map((type) => eventButton(c, type))),
  ];
}

export async function renderComplaints(view, parts, params, stale) {
  // ?status=overdue (older links) opens the tab of late complaints.
  const asked = params.get("tab") || (params.get("status") === "overdue" ? "late" : params.get("status"));
  const tab = TABS.find((x) => x.id === asked) || TABS[0];
  const head = h("section", { class: "card" }, h("h1", { text: t("q.title") }));
  view.appendChild(head);
  const [counts, answer] = await Promise.all([
    api("GET", "/v1/complaints/counts"),
    api("GET", "/v1/complaints?" + new URLSearchParams({ ...tab.query, sort: "due", limit: "500" })),
  ]);
  if (stale()) return;
  banner("");
  const list = answer.complaints;
  head.appendChild(h("div", { class: "tabs queue-tabs", role: "group", "aria-label": t("q.stage") }, TABS.map((x) =>
    h("button", { type: "button", "aria-pressed": String(x === tab), "data-tab": x.id, class: x.id === "late" && x.count(counts) ? "late-tab" : null,
      onclick: () => go("#/complaints?tab=" + x.id) },
    tabName(x.id), " ", h("span", { class: "count", "data-count": x.id, text: String(x.count(counts)) })))));
  head.appendChild(h("p", { class: "muted", id: "queue-count", text: t("q.count", { n: list.length }) }));
  announce(t("q.count", { n: list.length }));  // a tab chosen redraws the queue: its count is said, not the whole page
  if (!list.length) { view.appendChild(h("p", { class: "card empty", text: t("q.none") })); return; }
  // the times are in this browser's zone: the headers name it (a queue read in London is eight hours from Shanghai's)
  const headers = [t("q.severity"), t("q.who"), t("q.category"), t("q.received") + zoneLabel, t("q.stage"), t("q.fr") + zoneLabel,
    t("q.due") + zoneLabel, t("q.actions")];
  const tableEl = table(headers, list.map(row), "queue", true);
  tableEl.querySelectorAll("tbody tr").forEach((tr, i) => { tr.dataset.complaint = list[i].id; tr.dataset.stage = list[i].stage; });
  const card = h("section", { class: "card" }, tableEl);
  view.appendChild(card);
  // A tab holds more than one page (the resolved tab grows every day): the rest follow the answer's `next`, in order.
  const more = showMore("queue-more", answer.next, async (next) => {
    const page = await api("GET", "/v1/complaints?" + new URLSearchParams({ ...tab.query, sort: "due", limit: "500", ...pageQuery(next) }));
    return { rows: page.complaints, next: page.next };
  }, (added) => {
    const body = tableEl.querySelector("tbody");
    const shown = list.length;
    added.forEach((c) => {
      list.push(c);
      body.appendChild(h("tr", { "data-complaint": c.id, "data-stage": c.stage },
        row(c).map((cell, i) => h("td", { "data-label": headers[i] }, cell))));
    });
    head.querySelector("#queue-count").textContent = t("q.count", { n: list.length });
    announce(t("q.count", { n: list.length }));
    tickCountdowns();
    return body.children[shown] ? body.children[shown].querySelector("a") : null;  // focus moves to the first complaint added
  }, stale);
  if (more) card.appendChild(more);
  tickCountdowns();
  every(tickCountdowns, 1000);
}

// 投诉队列 Complaints: the unresolved complaints, nearest SLA deadline first, with live countdowns and the events to record.
import { api } from "../api.js";
import { confirmFlow } from "../dialog.js";
import { banner, field, h, sevBadge, table, toast } from "../dom.js";
import { capital, t } from "../i18n.js";
import { every, go, reload } from "../router.js";
import { duration, here } from "../time.js";
import { label } from "../vocab.js";

// The queue's filters: the unresolved ones, or those of one status.
const FILTERS = ["unresolved", "open", "overdue"];
const filterName = (x) => (x === "overdue" ? capital(label("complaint_statuses", x)) : t("q." + x));

function tickCountdowns() {
  const now = Date.now();
  document.querySelectorAll(".countdown[data-due]").forEach((el) => {
    const left = new Date(el.dataset.due).getTime() - now;
    el.textContent = left >= 0 ? t("q.left", { d: duration(left) }) : t("q.late", { d: duration(left) });
    el.classList.toggle("late", left < 0);
    el.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
  });
}

function eventButton(c, type) {
  const name = capital(label("complaint_events", type));
  return h("button", { type: "button", class: "small" + (type === "escalated" ? " danger" : ""), "data-event": type, text: name,
    onclick: () => {
      const note = h("textarea", { maxlength: 1000 });
      confirmFlow({
        title: `${name} · ${c.customer_id || c.phone_e164}`,
        body: h("div", {}, field("ev-note", t("ev.note"), note)),
        read: () => ({ type, note: note.value.trim() || undefined }),
        summary: (b) => [h("p", { text: t("ev.confirm", { ev: name }) }), b.note ? h("p", { class: "muted", text: b.note }) : null],
        submit: async (b) => { await api("POST", `/v1/complaints/${encodeURIComponent(c.id)}/events`, b); toast(t("recorded")); reload(); },
      });
    } });
}

function row(c) {
  return [
    sevBadge(c.severity),
    c.customer_id ? h("a", { href: "#/customer/" + encodeURIComponent(c.customer_id), text: c.customer_id }) : h("span", { class: "mono", text: c.phone_e164 || "—" }),
    h("span", { title: c.text || "", text: c.category || (c.text || "").slice(0, 30) }),
    here(c.received_at),
    c.next_due ? h("div", {}, h("div", { class: "muted", text: `${label("deadline_kinds", c.next_due.kind)} · ${here(c.next_due.at)}` }),
      h("span", { class: "countdown", "data-due": c.next_due.at })) : "—",
    h("span", { class: "badge " + (c.status === "overdue" ? "deny" : "plain"), text: label("complaint_statuses", c.status) }),
    h("div", { class: "row-actions" },
      c.first_response_at ? null : eventButton(c, "first_response"),
      c.escalated_at ? null : eventButton(c, "escalated"),
      eventButton(c, "resolved")),
  ];
}

export async function renderComplaints(view, parts, params, stale) {
  const status = FILTERS.includes(params.get("status")) ? params.get("status") : "unresolved";
  const tabs = h("div", { class: "tabs", role: "group", "aria-label": t("q.status") }, FILTERS.map((x) =>
    h("button", { type: "button", "aria-pressed": String(x === status), "data-status": x, text: filterName(x), onclick: () => go("#/complaints?status=" + x) })));
  const head = h("section", { class: "card" }, h("h1", { text: t("q.title") }), tabs);
  view.appendChild(head);
  const list = (await api("GET", "/v1/complaints?" + new URLSearchParams({ status, sort: "due", limit: "500" }))).complaints;
  if (stale()) return;
  banner("");
  head.appendChild(h("p", { class: "muted", id: "queue-count", text: t("q.count", { n: list.length }) }));
  if (!list.length) { view.appendChild(h("p", { class: "card empty", text: t("q.none") })); return; }
  const tableEl = table([t("q.severity"), t("q.who"), t("q.category"), t("q.received"), t("q.due"), t("q.status"), t("q.actions")], list.map(row), "queue");
  tableEl.querySelectorAll("tbody tr").forEach((tr, i) => { tr.dataset.complaint = list[i].id; });
  view.appendChild(h("section", { class: "card" }, tableEl));
  tickCountdowns();
  every(tickCountdowns, 1000);
}

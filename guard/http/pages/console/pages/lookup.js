// 决策查询 Decisions: why was this call denied? By phone, customer or decision id.
import { api } from "../api.js";
import { announce, banner, h } from "../dom.js";
import { pick, t } from "../i18n.js";
import { go } from "../router.js";
import { stamp, when } from "../time.js";
import { pageQuery, showMore } from "../more.js";
import { label } from "../vocab.js";

function decisionCard(d) {
  const denied = !d.allowed;
  const local = d.local || {};
  const kv = [
    [t("d.at"), `${when(local.at)} · ${local.timezone || ""}`],
    [t("d.phone"), d.phone_e164 || d.phone_input],
    [t("d.customer"), d.customer_id ? h("a", { href: "#/customer/" + encodeURIComponent(d.customer_id), text: d.customer_id }) : t("none")],
    [t("d.campaign"), d.campaign],
    [t("d.product"), d.product || t("none")],
    [t("d.agent"), d.agent_id || t("none")],
    [t("d.policy"), `${d.policy.pack} ${d.policy.version}`],
    [t("d.id"), h("span", { class: "mono", text: d.decision_id })],
  ];
  // When the call ended, as the dialer said (else when it was reported): the time staff match against a recording.
  if (d.outcome) kv.push([t("d.outcome"), `${label("dispositions", d.outcome.disposition)} · ${stamp(d.outcome.ended_at || d.outcome.reported_at)}`]);
  if (denied) kv.push([t("d.next"), local.next_allowed_at ? `${when(local.next_allowed_at)} · ${local.timezone}` : t("d.never")]);
  return h("article", { class: "card decision" + (denied ? " denied" : ""), "data-decision": d.decision_id, "aria-label": t("d.id") + " " + d.decision_id },
    h("header", {},
      h("span", { class: "badge " + (denied ? "deny" : "allow"), text: denied ? t("d.denied") : t("d.allowed") }),
      d.dry_run ? h("span", { class: "badge plain", text: t("d.dry") }) : null,
      h("strong", { text: when(local.at) })),
    denied ? [h("h3", { text: t("d.reasons") }), h("ul", { class: "reasons" }, d.reasons.map((r) =>
      h("li", { "data-code": r.code },
        h("span", { class: "title", text: label("reason_codes", r.code) }), " ", h("span", { class: "code", text: r.code }),
        // The guard's message in the reader's language, with the specifics (times, caps, counts, the pack).
        h("div", { class: "detail", text: pick(r.messages, r.message) }))))] : null,
    h("dl", { class: "kv" }, kv.map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)])));
}

export async function renderLookup(view, parts, params, stale) {
  const by = params.has("decision") ? "decision" : params.has("customer_id") ? "customer_id" : "phone";
  const q = params.get(by) || "";
  const select = h("select", { id: "lookup-by" },
    [["phone", t("lookup.phone")], ["customer_id", t("lookup.customer")], ["decision", t("lookup.decision")]].map(([v, text]) =>
      h("option", { value: v, selected: v === by, text })));
  const input = h("input", { id: "lookup-q", value: q, required: true, size: 28, autocomplete: "off" });
  const form = h("form", { class: "card", role: "search" },
    h("h1", { text: t("lookup.title") }),
    h("div", { class: "inline" },
      h("div", { class: "field" }, h("label", { for: "lookup-by", text: t("lookup.by") }), select),
      h("div", { class: "field" }, h("label", { for: "lookup-q", text: t("lookup.q") }), input),
      h("button", { type: "submit", id: "lookup-go", text: t("search") })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) { input.focus(); return; }
    go("#/lookup?" + new URLSearchParams({ [select.value]: value }).toString());
  });
  const results = h("section", { id: "results", "aria-label": t("lookup.title") });
  view.append(form, results);
  if (!q) { input.focus(); return; }
  banner("");
  let decisions, next = null;
  const search = (next) => api("GET", "/v1/decisions?" + new URLSearchParams({ [by]: q, limit: "50", ...pageQuery(next) }));
  if (by === "decision") decisions = [await api("GET", "/v1/decisions/" + encodeURIComponent(q))];
  else ({ decisions, next } = await search(null));
  if (stale()) return;
  const count = decisions.length ? t("lookup.count", { n: decisions.length }) : t("lookup.none");
  const countEl = h("p", { class: "muted", id: "lookup-count", text: count });
  results.appendChild(countEl);
  announce(count);
  const cards = h("div", {}, decisions.map(decisionCard));
  results.appendChild(cards);
  // a number called every day has more than 50 decisions: the older ones follow the answer's `next`
  const more = showMore("lookup-more", next, async (after) => {
    const page = await search(after);
    return { rows: page.decisions, next: page.next };
  }, (rows) => {
    const added = rows.map(decisionCard);
    added.forEach((card) => cards.appendChild(card));
    decisions.push(...rows);
    countEl.textContent = t("lookup.count", { n: decisions.length });
    announce(countEl.textContent);
    if (added[0]) added[0].tabIndex = -1;
    return added[0] || null;
  }, stale);
  if (more) results.appendChild(more);
}

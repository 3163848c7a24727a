// 看板 Dashboard: one day's checks, denials by reason and by campaign, complaints by severity and SLA state.
import { api } from "../api.js";
import { banner, field, figure, h, table } from "../dom.js";
import { t } from "../i18n.js";
import { go } from "../router.js";
import { label } from "../vocab.js";

const ALLOW = "#059669";
const DENY = "#dc2626";
const OPEN = "#2563eb";

/**
 * Horizontal bars; each row is {key, label, parts: [{key, value, color, name}]} (parts stack); the figures also as a table.
 * Laid out by CSS (a grid of label, track, total): a label keeps its whole text, wrapping onto a second line when
 * the card is narrow, rather than being cut at a fixed width.
 */
function barChart(id, title, rows, legend) {
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)));
  const bars = h("div", { class: "bars", role: "img", "aria-label": title, id }, rows.map((r) => {
    const sum = r.parts.reduce((a, p) => a + p.value, 0);
    return [
      h("span", { class: "bar-label", title: r.label, text: r.label }),
      h("span", { class: "bar-track" }, r.parts.filter((p) => p.value > 0).map((p) =>
        h("span", { class: "bar", "data-key": `${r.key}:${p.key}`, "data-value": p.value, title: `${r.label} · ${p.name}: ${p.value}`,
          style: `width:max(3px, ${(100 * p.value) / max}%);background:${p.color}` }))),
      h("span", { class: "bar-total", text: String(sum) }),
    ];
  }));
  const data = h("details", { class: "data" }, h("summary", { text: t("dash.table") }),
    table([t("dash.item"), ...rows[0] ? rows[0].parts.map((p) => p.name) : []], rows.map((r) => [r.label, ...r.parts.map((p) => String(p.value))]), null, true));
  return h("section", { class: "card chart", "aria-labelledby": id + "-h" }, h("h2", { id: id + "-h", text: title }),
    rows.length ? [bars, legend ? h("div", { class: "legend" }, legend.map(([name, color]) => h("span", { style: `--c:${color}`, text: name }))) : null, data]
      : h("p", { class: "empty", text: t("dash.nodata") }));
}

function charts(st) {
  const open = label("complaint_statuses", "open");
  const overdue = label("complaint_statuses", "overdue");
  return h("div", { class: "grid" },
    barChart("chart-reasons", t("dash.byreason"), st.by_reason.map((r) => ({ key: r.code, label: label("reason_codes", r.code),
      parts: [{ key: "n", value: r.count, color: DENY, name: t("dash.denied") }] }))),
    barChart("chart-campaigns", t("dash.bycampaign"), st.by_campaign.map((r) => ({ key: r.campaign, label: r.campaign,
      parts: [{ key: "allowed", value: r.allowed, color: ALLOW, name: t("dash.allowed") }, { key: "denied", value: r.denied, color: DENY, name: t("dash.denied") }] })),
      [[t("dash.allowed"), ALLOW], [t("dash.denied"), DENY]]),
    barChart("chart-complaints", t("dash.complaints"), st.complaints.map((r) => ({ key: r.severity, label: label("complaint_severities", r.severity),
      parts: [{ key: "open", value: r.open, color: OPEN, name: open }, { key: "overdue", value: r.overdue, color: DENY, name: overdue }] })),
      [[open, OPEN], [overdue, DENY]]));
}

export async function renderDashboard(view, parts, params, stale) {
  const date = params.get("date") || "";
  const input = h("input", { type: "date", value: date });
  const form = h("form", { class: "card" }, h("h1", { text: t("dash.title") }),
    h("div", { class: "inline" }, field("dash-date", t("dash.date"), input), h("button", { type: "submit", id: "dash-go", text: t("refresh") })));
  form.addEventListener("submit", (event) => { event.preventDefault(); go("#/dashboard" + (input.value ? "?date=" + input.value : "")); });
  view.appendChild(form);
  const st = await api("GET", "/v1/stats" + (date ? "?" + new URLSearchParams({ date }) : ""));
  if (stale()) return;
  banner("");
  if (!input.value) input.value = st.date;
  form.appendChild(h("p", { class: "muted", text: `${st.date} · ${t("dash.tz", { tz: st.timezone })}` }));
  const c = st.checks;
  const open = st.complaints.reduce((a, x) => a + x.open, 0);
  const overdue = st.complaints.reduce((a, x) => a + x.overdue, 0);
  view.appendChild(h("div", { class: "figures", id: "figures" },
    figure(c.total, t("dash.checks"), "fig-total"), figure(c.allowed, t("dash.allowed"), "fig-allowed"), figure(c.denied, t("dash.denied"), "fig-denied"),
    figure(c.total ? Math.round((100 * c.allowed) / c.total) + "%" : "—", t("dash.ratio")), figure(c.dry_run, t("dash.dry")),
    figure(open, t("dash.cp_open"), "fig-cp-open"), figure(overdue, t("dash.cp_overdue"), "fig-cp-overdue")));
  if (st.holiday_notices_missing.length) view.appendChild(notices(st.holiday_notices_missing));
  view.appendChild(charts(st));
}

/** The years a pack will judge without their State Council holiday notice: to be entered in the pack. */
function notices(missing) {
  return h("section", { class: "card notices", id: "notices", role: "status", "aria-labelledby": "notices-h" },
    h("h2", { id: "notices-h", text: t("dash.notices") }),
    h("ul", {}, missing.map((m) => h("li", { "data-year": m.year, "data-pack": m.pack,
      text: t("dash.notice", { pack: `${m.pack} ${m.version}`, calendar: m.state ? `${m.calendar}/${m.state}` : m.calendar, year: m.year }) }))),
    h("p", { class: "muted", text: t("dash.notice_how") }));
}

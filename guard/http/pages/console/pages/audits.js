// 审计 Audits: upload a call log, watch it run (or cancel it), read its counts (calls that broke a rule apart from unchecked
// calls) and its rejected rows, open or download the report, the violations (CSV or .xlsx) and the rejected rows (CSV).
import { api } from "../api.js";
import { banner, field, figure, h, table } from "../dom.js";
import { explain, fail } from "../errors.js";
import { pick, reportHeaders, t } from "../i18n.js";
import { every, go } from "../router.js";
import { here, zoneLabel } from "../time.js";
import { addRows, pageQuery, readUpTo, showMore } from "../more.js";
import { codes, known, label } from "../vocab.js";

// An audit's counts are by reason code, script finding code or audit-only code.
const CODE_VOCABULARIES = ["reason_codes", "lint_codes", "audit_codes"];
function codeText(code) {
  const name = CODE_VOCABULARIES.find((v) => known(v, code));
  return name ? `${code} · ${label(name, code)}` : code;
}

function saveAs(url, filename) {
  const a = h("a", { href: url, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function openReport(auditId, download) {
  const response = await api("GET", `/v1/audits/${encodeURIComponent(auditId)}/report`, undefined, { raw: true, headers: reportHeaders() });
  const blob = new Blob([await response.text()], { type: "text/html" });
  const url = URL.createObjectURL(blob);
  setTimeout(() => URL.revokeObjectURL(url), 120000);
  if (download) { saveAs(url, `audit-${auditId}.html`); return; }
  if (!window.open(url, "_blank")) banner(t("au.popup"), true);
}

async function download(auditId, path, filename) {
  const response = await api("GET", `/v1/audits/${encodeURIComponent(auditId)}/${path}`, undefined, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  saveAs(url, filename);
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// Calls that broke a rule and calls with no valid decision, each with its share of the calls judged.
function share(n, judged) {  // n is undefined in a summary written before the figures were kept apart
  return judged && n !== undefined && n !== null ? t("au.share", { p: (n * 100 / judged).toFixed(1) }) : "";
}

// The rejected rows GET /v1/audits/{id} holds (the first 1,000), and how many more the CSV has.
function rejectsPart(a) {
  const rows = a.rejected_rows || [];
  const total = Math.max((a.summary && a.summary.rows_rejected) || 0, rows.length);
  if (!total) return null;
  return h("div", { id: "audit-rejects" },
    h("h3", { text: t("au.rejects", { n: total }) }),
    total > rows.length ? h("p", { class: "muted", id: "audit-rejects-more", text: t("au.rejectsmore", { shown: rows.length, more: total - rows.length }) }) : null,
    table([t("au.line"), t("au.reason")], rows.map((r) => [String(r.line), pick(r.reason_messages, r.reason)]), "audit-rejects-table", true),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "ghost-dark", id: "audit-rejects-csv", text: t("au.rejectscsv"),
        onclick: () => download(a.audit_id, "rejects", `audit-${a.audit_id}-rejected-rows.csv`).catch(fail) })));
}

function withNote(node, note) {
  if (note) node.appendChild(h("div", { class: "l", text: note }));
  return node;
}

async function cancelAudit(auditId) {
  await api("POST", `/v1/audits/${encodeURIComponent(auditId)}/cancel`);
  banner(t("au.cancelling"));
}

function auditPanel(a) {
  const pr = a.progress || {};
  const total = pr.bytes_total || 0;
  const done = a.status === "done" ? total || 1 : pr.bytes_done || 0;
  const panel = h("section", { class: "card", id: "audit", "data-status": a.status, "aria-labelledby": "h-audit" },
    h("h2", { id: "h-audit" }, `${t("au.title")} `, h("span", { class: "mono", text: a.audit_id })),
    h("p", {}, h("span", { class: "badge " + (a.status === "failed" ? "deny" : a.status === "done" ? "allow" : "warn"), id: "audit-status",
      text: label("audit_statuses", a.status) }), " ", a.source || "",
      a.basis ? h("span", { class: "muted", id: "audit-basis-shown", text: ` · ${t("au.basis")}: ${label("audit_bases", a.basis)}` }) : null,
      // How the log was read, as the report's header says it: the encoding, and the zone of times without an offset.
      a.encoding ? h("span", { class: "muted", id: "audit-encoding-shown", text: ` · ${t("au.encoding")}: ${a.encoding_label || a.encoding}` }) : null,
      a.summary && a.summary.timezone ? h("span", { class: "muted", id: "audit-timezone-shown", text: ` · ${t("au.tz")} ${a.summary.timezone}` }) : null),
    h("label", { for: "audit-progress", text: t("au.progress") }),
    h("progress", { id: "audit-progress", max: total || 1, value: Math.min(done, total || 1) }),
    h("p", { class: "muted", id: "audit-figures", text: `${t("au.rows", { rows: pr.rows_done || 0 })} · ${t("au.viol", { n: pr.violations || 0 })}` }),
    a.error ? h("p", { class: "error", text: pick(a.error_messages, a.error) }) : null);
  if (a.status === "queued" || a.status === "running") {
    panel.append(a.cancel_requested_at ? h("p", { class: "muted", id: "audit-cancelling", text: t("au.cancelling") })
      : h("div", { class: "actions" }, h("button", { type: "button", class: "ghost-dark", id: "audit-cancel", text: t("au.cancel"),
        onclick: (event) => { event.target.disabled = true; cancelAudit(a.audit_id).catch(fail); } })));
  }
  if (a.status === "done" && a.summary) {
    const sm = a.summary;
    panel.append(
      h("div", { class: "figures" },
        figure(sm.calls_judged, t("au.judged"), "au-judged"),
        withNote(figure(sm.calls_breaking_rules, t("au.rules"), "au-rules"), share(sm.calls_breaking_rules, sm.calls_judged)),
        withNote(figure(sm.calls_unchecked, t("au.unchecked"), "au-unchecked"), share(sm.calls_unchecked, sm.calls_judged)),
        figure(sm.rule_violations, t("au.ruleviolations"), "au-rule-violations"),
        figure(sm.rows_rejected, t("au.rejected"), "au-rejected")),
      h("p", { class: "muted", text: t("au.apart") }),
      h("h3", { text: t("au.bycode") }),
      table([t("au.code"), t("au.n")], Object.entries(sm.by_code || {}).map(([code, n]) => [codeText(code), String(n)]), "audit-codes", true),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "ghost-dark", id: "audit-csv", text: t("au.csv"),
          onclick: () => download(a.audit_id, "violations?format=csv", `audit-${a.audit_id}-violations.csv`).catch(fail) }),
        h("button", { type: "button", class: "ghost-dark", id: "audit-xlsx", text: t("au.xlsx"),
          onclick: () => download(a.audit_id, "violations?format=xlsx", `audit-${a.audit_id}-violations.xlsx`).catch(fail) }),
        h("button", { type: "button", class: "ghost-dark", id: "audit-download", text: t("au.download"), onclick: () => openReport(a.audit_id, true).catch(fail) }),
        h("button", { type: "button", id: "audit-open", text: t("au.open"), onclick: () => openReport(a.audit_id, false).catch(fail) })));
  }
  if (a.status === "done") {
    const rejects = rejectsPart(a);
    if (rejects) panel.append(rejects);
  }
  return panel;
}

function uploadForm() {
  const file = h("input", { type: "file", accept: ".csv,.jsonl,.ndjson,text/csv,application/x-ndjson", required: true });
  // Which reading of history judges the calls (the audit_bases vocabulary; known_then first, the default).
  const basis = h("select", {}, codes("audit_bases").map((b) => h("option", { value: b, text: label("audit_bases", b) })));
  // The log's text encoding (told from its bytes unless named) and the zone of its times that carry no UTC offset, as
  // `guard audit --encoding / --timezone` and POST /v1/audits?encoding=&timezone= take them.
  const encoding = h("select", {}, [["", t("au.enc.auto")], ["utf-8", "UTF-8"], ["gb18030", "GBK / GB18030"], ["big5", "Big5"]]
    .map(([v, text]) => h("option", { value: v, text })));
  const zone = h("select", {}, [["", t("au.tz.none")], ["Asia/Shanghai", t("au.tz.cn")], ["Asia/Hong_Kong", t("au.tz.hk")],
    ["Asia/Macau", t("au.tz.mo")], ["Asia/Taipei", t("au.tz.tw")], ["UTC", "UTC"]].map(([v, text]) => h("option", { value: v, text })));
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "card", "aria-labelledby": "h-upload" }, h("h1", { id: "h-upload", text: t("au.upload") }),
    h("div", { class: "inline" }, field("audit-file", t("au.file"), file), field("audit-basis", t("au.basis"), basis),
      field("audit-encoding", t("au.encoding"), encoding), field("audit-timezone", t("au.tz"), zone),
      h("button", { type: "submit", id: "audit-go", text: t("au.go") })), h("p", { class: "muted", text: t("au.tz.help") }), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!file.files.length) { error.textContent = t("au.nofile"); return; }
    const data = new FormData();
    data.append("file", file.files[0]);
    try {
      const query = new URLSearchParams({ basis: basis.value });
      if (encoding.value) query.set("encoding", encoding.value);
      if (zone.value) query.set("timezone", zone.value);
      const started = await api("POST", "/v1/audits?" + query.toString(), data);
      go("#/audits/" + encodeURIComponent(started.audit_id));
    } catch (err) {
      if (err.status === 401) return fail(err);
      error.textContent = explain(err);
    }
  });
  return form;
}

/** Show audit `id` in `slot`, polling every second until it is done, failed or cancelled; then `ended()`. */
async function watch(id, slot, stale, ended) {
  const show = async () => {
    const a = await api("GET", "/v1/audits/" + encodeURIComponent(id));
    if (stale()) return true;
    slot.textContent = "";
    slot.appendChild(auditPanel(a));
    return a.status === "done" || a.status === "failed" || a.status === "cancelled";
  };
  if (await show()) return;
  const timer = every(() => {
    show().then((finished) => {
      if (!finished) return;
      clearInterval(timer);
      if (!stale()) ended().catch(fail);
    }).catch((err) => { clearInterval(timer); fail(err); });
  }, 1000);
}

/** The newest audits, in `slot` (again when a watched audit ends, so its row shows its end). */
async function showRecent(slot, stale) {
  // a redraw (a watched run ended) reads as many rows as were shown: those Show more added stay
  const read = async (next) => {
    const page = await api("GET", "/v1/audits?" + new URLSearchParams({ limit: "20", ...pageQuery(next) }));
    return { rows: page.audits, next: page.next };
  };
  const answer = await readUpTo(read, slot.shownRows || 0);
  if (stale()) return;
  slot.textContent = "";
  slot.shownRows = answer.rows.length;
  const headers = [t("au.created") + zoneLabel, t("au.source"), t("au.status"), t("au.violations")];
  const cells = (a) => [h("a", { href: "#/audits/" + encodeURIComponent(a.audit_id), text: here(a.created_at) }), a.source || a.kind,
    label("audit_statuses", a.status), String(a.progress.violations || 0)];
  const tableEl = answer.rows.length ? table(headers, answer.rows.map(cells), "audits-table", true) : null;
  // older audits follow the answer's `next` (the list held the newest 20 only: an older one was reachable by its id alone)
  const more = showMore("audits-more", answer.next, async (next) => {
    const page = await read(next);
    return { rows: page.rows.map(cells), next: page.next };
  }, (rows) => { slot.shownRows += rows.length; return addRows(tableEl, headers, rows); }, stale);
  slot.appendChild(h("section", { class: "card", "aria-labelledby": "h-recent" }, h("h2", { id: "h-recent", text: t("au.recent") }),
    tableEl || h("p", { class: "empty", text: t("au.none") }), more));
}

export async function renderAudits(view, parts, params, stale) {
  view.appendChild(uploadForm());
  const slot = h("div", {});
  const recentSlot = h("div", {});
  view.append(slot, recentSlot);
  if (parts[0]) await watch(parts[0], slot, stale, () => showRecent(recentSlot, stale));
  await showRecent(recentSlot, stale);
  if (!stale()) banner("");
}

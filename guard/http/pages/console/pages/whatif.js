// 策略预演 What-if (auditor): paste or load a draft pack, pick a period of the decision log, and see what the draft would
// change before it serves — allowed → denied and back, by reason, campaign and customer tier, examples, the expected drop in
// calls per day and the approved scripts it would send back to review; open or download the HTML report.
import { api } from "../api.js";
import { banner, field, figure, h, table } from "../dom.js";
import { explain, fail } from "../errors.js";
import { pick, reportHeaders, t } from "../i18n.js";
import { every, go } from "../router.js";
import { decodeText } from "../textfile.js";
import { here, when, zoneLabel } from "../time.js";
import { addRows, pageQuery, readUpTo, showMore } from "../more.js";
import { known, label } from "../vocab.js";

// The page's words: "wi.*" in i18n.js (simplified, English; traditional generated from the simplified by `make docs`).
const w = (key, params) => t("wi." + key, params);
const KINDS = [["allowed_to_denied", "a2d"], ["denied_to_allowed", "d2a"], ["reasons_changed", "reasons"]];
const codeText = (code) => (known("reason_codes", code) ? `${code} · ${label("reason_codes", code)}` : code);

function isoLocal(date) {  // an instant as the form shows it: ISO 8601 with the browser's offset
  const off = -date.getTimezoneOffset();
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  const local = new Date(date.getTime() + off * 60000).toISOString().slice(0, 19);
  return `${local}${off >= 0 ? "+" : "-"}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

async function openReport(id, download) {
  const response = await api("GET", `/v1/simulations/${encodeURIComponent(id)}/report`, undefined, { raw: true, headers: reportHeaders() });
  const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/html" }));
  setTimeout(() => URL.revokeObjectURL(url), 120000);
  if (download) {
    const a = h("a", { href: url, download: `whatif-${id}.html` });
    document.body.appendChild(a);
    a.click();
    a.remove();
  } else if (!window.open(url, "_blank")) banner(url, true);
}

// The change in calls a day as a signed percentage (2 → 3 a day is +50 %): the report's expected_drop_pct is the drop, and
// shown bare beside a rise it read as a fall.
function signedChange(dropPct) {
  const change = -(dropPct || 0);
  return change > 0 ? `+${change}` : String(change);
}

function reportPart(id, r) {
  const ch = r.changes || {};
  const pd = r.calls_per_day || {};
  const period = r.period || {};
  const part = h("div", { id: "whatif-report" },
    // the period judged, as the HTML report states it: the form beside it shows the next run's (a week to now by default)
    period.from ? h("p", { class: "muted", id: "wi-period", text: w("period", { from: when(period.from), to: when(period.to), days: period.days }) }) : null,
    h("div", { class: "figures" },
      figure(r.judged, w("judged"), "wi-judged"),
      figure(ch.allowed_to_denied, w("a2d"), "wi-a2d"),
      figure(ch.denied_to_allowed, w("d2a"), "wi-d2a"),
      figure(ch.reasons_changed, w("reasons"), "wi-reasons"),
      figure(pd.expected_drop, w("drop"), "wi-drop")),
    h("p", { class: "muted", id: "wi-perday", text: w("perday", { before: pd.before, after: pd.after, pct: signedChange(pd.expected_drop_pct) }) }));
  if (r.replay) {
    part.appendChild(h("p", { class: r.replay.differs ? "error" : "muted", id: "wi-fidelity",
      text: w("fidelity", { ok: r.replay.reproduced, n: r.judged }) + (r.replay.differs ? " · " + w("differs", { n: r.replay.differs }) : "") }));
    // each difference with why it differs (the guard's sentence in the reader's language); older reports carry the codes alone
    const why = (r.replay.examples || []).filter((e) => e.messages);
    if (why.length) {
      part.appendChild(h("ul", { id: "wi-differs" }, ...why.map((e) => h("li", {},
        h("span", { class: "code", text: e.id }), " " + (e.logged.join(", ") || "—") + " → " + (e.replayed.join(", ") || "—") + ": "
        + pick(e.messages)))));
    }
  }
  if (r.judged && r.draft_governs === 0) {
    const ids = (r.draft || []).map((p) => p.id).join(", ");
    part.appendChild(h("p", { class: "error", id: "wi-governs-none", role: "alert",
      text: w("governsNone", { ids, n: r.judged, serving: (r.serving_packs || []).join(", ") }) }));
  }
  if ((r.not_replayed || []).length) {
    part.appendChild(h("p", { class: "error", id: "wi-not-replayed", role: "alert", text: w("notReplayed", { rules: r.not_replayed.join(", ") }) }));
  }
  const rows = [];
  for (const [kind, key] of KINDS) {
    for (const [code, n] of Object.entries((r.by_reason || {})[kind] || {})) rows.push([w(key), codeText(code), String(n)]);
  }
  part.append(h("h3", { text: w("byreason") }),
    rows.length ? table([w("change"), w("code"), w("n")], rows, "whatif-reasons", true) : h("p", { class: "empty", id: "whatif-nochange", text: w("nochange") }));
  const grouped = (title, head, ident, groups) => {
    const list = Object.entries(groups || {}).filter(([, c]) => Object.values(c).some(Boolean));
    return list.length ? [h("h3", { text: title }), table([head, ...KINDS.map(([, k]) => w(k))],
      list.map(([name, c]) => [name, ...KINDS.map(([kind]) => String(c[kind] || 0))]), ident, true)] : [];
  };
  part.append(...grouped(w("bycampaign"), w("campaign"), "whatif-campaigns", r.by_campaign),
    ...grouped(w("bytier"), w("tier"), "whatif-tiers", r.by_tier));
  const examples = Object.values(r.examples || {}).flat().slice(0, 20);
  if (examples.length) {
    part.append(h("h3", { text: w("examples") }), table([w("when"), w("number"), w("customers"), w("campaign"), w("before"), w("after")],
      examples.map((e) => [`${e.at_local.slice(0, 16).replace("T", " ")} ${e.zone}`, e.phone_e164 || "", e.customer_ids.join(", "), e.campaign,
        e.before.reasons.join(", ") || w("allowed"), e.after.reasons.map((x) => x.code).join(", ") || w("allowed")]), "whatif-examples", true));
  }
  if ("scripts" in r) {
    part.append(h("h3", { text: w("scripts") }), r.scripts.length
      ? table([w("campaign"), w("script"), w("version"), w("findings")], r.scripts.map((s) => [s.campaign, s.script_id, String(s.version),
        [...new Set(s.findings.map((f) => `${f.code} ${f.rule}`))].join("; ")]), "whatif-scripts", true)
      : h("p", { class: "muted", id: "whatif-noscripts", text: w("noscripts") }));
  }
  // approved scripts the draft passes with no phrase rule applied: their pass vouches for no wording (as the HTML report
  // and `guard policies simulate` warn), so "every approved script still passes" is not read as wording checked
  if ((r.scripts_unvouched || []).length) {
    part.append(h("h3", { text: w("unvouched") }), table([w("campaign"), w("script"), w("version"), w("unvouchedWhy")],
      r.scripts_unvouched.map((s) => [s.campaign, s.script_id, String(s.version), s.notes.map((n) => pick(n.messages, n.message)).join("; ")]),
      "whatif-unvouched", true));
  }
  const jf = r.judged_findings;
  if (jf && (jf.false_alarms || jf.confirmed)) {  // reviewers' judgements of the findings (POST /v1/scripts/{id}/judgements)
    part.append(h("h3", { text: w("judgedTitle") }),
      h("p", { id: "whatif-judged", text: w("judgedSummary", { fa: jf.false_alarms, sfa: jf.serving.false_alarms_raised,
        dfa: jf.draft.false_alarms_raised, c: jf.confirmed, sc: jf.serving.confirmed_kept, dc: jf.draft.confirmed_kept }) }),
      jf.changed.length
        ? table([w("campaign"), w("script"), w("version"), w("rule"), w("words"), w("underDraft")],
          jf.changed.map((x) => [x.campaign, x.script_id, String(x.version), x.rule, x.matched, w(x.change)]), "whatif-judged-changes", true)
        : h("p", { class: "muted", id: "whatif-nojudged", text: w("nojudged") }));
  }
  part.appendChild(h("div", { class: "actions" },
    h("button", { type: "button", class: "ghost-dark", id: "whatif-download", text: w("download"), onclick: () => openReport(id, true).catch(fail) }),
    h("button", { type: "button", id: "whatif-open", text: w("open"), onclick: () => openReport(id, false).catch(fail) })));
  return part;
}

function panel(sim) {
  const node = h("section", { class: "card", id: "whatif", "data-status": sim.status, "aria-labelledby": "h-whatif" },
    h("h2", { id: "h-whatif" }, `${w("sim")} `, h("span", { class: "mono", text: sim.simulation_id })),
    h("p", {}, h("span", { class: "badge " + (sim.status === "failed" ? "deny" : sim.status === "done" ? "allow" : "warn"), id: "whatif-status",
      text: label("audit_statuses", sim.status) }), " ", sim.draft || ""),
    sim.error ? h("p", { class: "error", text: pick(sim.error_messages, sim.error) }) : null);
  if (sim.status === "done" && sim.report) node.appendChild(reportPart(sim.simulation_id, sim.report));
  return node;
}

function form() {
  const draft = h("textarea", { rows: 10, spellcheck: "false", class: "mono" });
  const file = h("input", { type: "file", accept: ".yaml,.yml" });
  const name = h("input", { type: "text", value: "draft.yaml", required: true });
  const now = new Date();
  // wide enough for a whole instant with its offset (2026-12-01T00:00:00+08:00): the offset cut to "+08" or "+0" misread
  const from = h("input", { type: "text", value: isoLocal(new Date(now.getTime() - 7 * 86400000)), required: true, size: 26 });
  const to = h("input", { type: "text", value: isoLocal(now), required: true, size: 26 });
  const against = h("select", {}, h("option", { value: "decisions", text: w("ag_decisions") }), h("option", { value: "calls", text: w("ag_calls") }));
  const calls = h("input", { type: "file", accept: ".csv,.jsonl,.ndjson,.txt" });
  const error = h("p", { class: "error", role: "alert", id: "whatif-error" });
  file.addEventListener("change", async () => {
    if (!file.files.length) return;
    // a pack saved as GBK or Big5 (as `guard policies validate` reads it) read as UTF-8 would lose its phrases' words
    const { text } = decodeText(new Uint8Array(await file.files[0].arrayBuffer()), "");
    if (text === null) { draft.value = ""; error.textContent = w("draft_encoding"); return; }
    error.textContent = "";
    draft.value = text;
    name.value = file.files[0].name;
  });
  const node = h("form", { class: "card", "aria-labelledby": "h-whatif-form" }, h("h1", { id: "h-whatif-form", text: w("title") }),
    h("p", { class: "muted", text: w("help") }),
    field("whatif-draft", w("draft"), draft),
    h("div", { class: "inline" }, field("whatif-file", w("file"), file), field("whatif-name", w("name"), name)),
    h("div", { class: "inline" }, field("whatif-against", w("against"), against)),
    h("div", { class: "inline", id: "whatif-period" }, field("whatif-from", w("from"), from), field("whatif-to", w("to"), to)),
    h("div", { class: "inline", id: "whatif-log", style: "display: none" }, field("whatif-calls", w("calls"), calls)),
    h("div", { class: "inline" }, h("button", { type: "submit", id: "whatif-go", text: w("go") })), error);
  const shown = () => {
    // Only the fields of the kind chosen show (the .inline rows are flex boxes, which `hidden` would not hide).
    node.querySelector("#whatif-period").style.display = against.value === "decisions" ? "" : "none";
    node.querySelector("#whatif-log").style.display = against.value === "calls" ? "" : "none";
  };
  against.addEventListener("change", shown);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!draft.value.trim()) { error.textContent = w("nodraft"); return; }
    try {
      const body = { draft: draft.value, draft_name: name.value.trim() };
      if (against.value === "calls") {
        if (!calls.files.length) { error.textContent = w("nocalls"); return; }
        // a GBK or Big5 log read as UTF-8 would lose its transcripts' words, and so the lint violations
        const { text } = decodeText(new Uint8Array(await calls.files[0].arrayBuffer()), "");
        if (text === null) { error.textContent = w("encoding"); return; }
        Object.assign(body, { against: "calls", calls: text });
      } else {
        Object.assign(body, { from: from.value.trim(), to: to.value.trim() });
      }
      const started = await api("POST", "/v1/simulations", body);
      go("#/whatif/" + encodeURIComponent(started.simulation_id));
    } catch (err) {
      if (err.status === 401) return fail(err);
      // A draft that fails validation: every problem with its file, key path and reason.
      const details = Array.isArray(err.details) ? err.details.map((d) => `${d.field}: ${d.reason}`) : [];
      error.textContent = details.length ? details.join("\n") : explain(err);
    }
  });
  return node;
}

/** Show simulation `id` in `slot`, polling every second until it ends; then `ended()` (the list shows its end too). */
async function watch(id, slot, stale, ended) {
  const show = async () => {
    const sim = await api("GET", "/v1/simulations/" + encodeURIComponent(id));
    if (stale()) return true;
    slot.textContent = "";
    slot.appendChild(panel(sim));
    return ["done", "failed", "cancelled"].includes(sim.status);
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

async function showRecent(slot, stale) {
  // a redraw (a watched run ended) reads as many rows as were shown: those Show more added stay
  const read = async (next) => {
    const page = await api("GET", "/v1/simulations?" + new URLSearchParams({ limit: "20", ...pageQuery(next) }));
    return { rows: page.simulations, next: page.next };
  };
  const answer = await readUpTo(read, slot.shownRows || 0);
  if (stale()) return;
  slot.textContent = "";
  slot.shownRows = answer.rows.length;
  const headers = [w("created") + zoneLabel, w("name"), w("status")];
  const cells = (s) => [h("a", { href: "#/whatif/" + encodeURIComponent(s.simulation_id), text: here(s.created_at) }), s.draft || "",
    label("audit_statuses", s.status)];
  const tableEl = answer.rows.length ? table(headers, answer.rows.map(cells), "whatif-table", true) : null;
  const more = showMore("whatif-more", answer.next, async (next) => {
    const page = await read(next);
    return { rows: page.rows.map(cells), next: page.next };
  }, (rows) => { slot.shownRows += rows.length; return addRows(tableEl, headers, rows); }, stale);
  slot.appendChild(h("section", { class: "card", "aria-labelledby": "h-whatif-recent" }, h("h2", { id: "h-whatif-recent", text: w("recent") }),
    tableEl || h("p", { class: "empty", text: w("none") }), more));
}

export async function renderWhatif(view, parts, params, stale) {
  view.appendChild(form());
  const slot = h("div", {});
  const recentSlot = h("div", {});
  view.append(slot, recentSlot);
  if (parts[0]) await watch(parts[0], slot, stale, () => showRecent(recentSlot, stale));
  await showRecent(recentSlot, stale);
  if (!stale()) banner("");
}

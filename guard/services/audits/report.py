"""The audit report: one self-contained HTML file (inline CSS and SVG, no external assets) to file."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from html import escape
from typing import Iterable

from guard.core.bidi import show_bidi_controls
from guard.core.i18n import chinese_of, to_traditional
from guard.core.messages import audit_messages, finding_messages, reason_messages
from guard.core.reasons import BY_CODE
from guard.core.vocabularies import VOCABULARIES
from guard.services.audits.encoding import label as _encoding_label
from guard.services.audits.exports import policy_label

LINT_CODES = frozenset(VOCABULARIES["lint_codes"].codes)
# The reports' policy: no script, nothing fetched. Sent as the answer's header and written into the file itself, since
# a report downloaded and opened from disk, or opened by the console as a blob: URL, is shown without the header.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">'
MAX_TABLE_ROWS = 2000
MAX_REJECTS = 1000  # GET /v1/audits/{id} holds the first 1,000 rejected rows; all are in GET /v1/audits/{id}/rejects
EXTRA_LABELS = {t.code: {"zh-CN": f"{t.zh} · {t.en}", "zh-TW": f"{t.zh_tw} · {t.en}"}
                for name in ("audit_codes", "lint_codes") for t in VOCABULARIES[name].terms}


def isolated(value: object) -> str:
    """A value from outside (a file name, a customer id) escaped and isolated in `<bdi>`, so that a directional control in
    it cannot reorder the sentence or the list around it (UAX #9 isolates; W3C "Inline markup and bidirectional text in
    HTML"; guard.core.bidi). The value itself is shown as it is. A value alone in its table cell needs none: each cell
    is a paragraph of its own, which the value cannot reach out of."""
    return f"<bdi>{escape(str(value))}</bdi>"


def _label(code: str, chinese: str = "zh-CN") -> str:
    """The code's name in Chinese (`chinese`: zh-CN or zh-TW) and English (UNCHECKED_CALL: 无有效决策即拨打 · dialled without a decision)."""
    if code in EXTRA_LABELS:
        return EXTRA_LABELS[code][chinese]
    reason = BY_CODE.get(code)
    if reason is None or not reason.title_zh:
        return code
    return f"{reason.title_zh if chinese == 'zh-CN' else reason.title_zh_tw} · {reason.title}"


def _detail_text(v: dict, pack: str | None, chinese: str = "zh-CN") -> str:
    """What a violation's detail says, in Chinese (`chinese`) with its specifics (a reason or a finding), else its keys."""
    code, detail = v["code"], v.get("detail") or {}
    if code in BY_CODE:
        return reason_messages(code, detail, pack, (chinese,))[chinese]
    if code in LINT_CODES and detail.get("rule"):
        return finding_messages(code, detail["rule"], detail.get("matched") or "", detail.get("message") or "")[chinese]
    own = audit_messages(code, detail)
    if own is not None:
        return own[chinese]
    return ", ".join(f"{k}={show_bidi_controls(detail[k])}" for k in list(detail)[:4] if not isinstance(detail[k], (dict, list)))


def bar_chart(title: str, items: list[tuple[str, int]], chart_id: str, width: int = 560) -> str:
    """Horizontal bars; every bar labelled with its value, its name on the line above it."""
    if not items:
        return f'<figure id="{chart_id}" class="chart"><figcaption>{escape(title)}</figcaption><p class="muted">None.</p></figure>'
    top = max(v for _, v in items) or 1
    # The name sits above its bar across the whole width: right-aligned beside the bar in 184 px, a reason's name (its
    # code, Chinese and English: up to ~520 px) was cut at 28 characters and ran off the figure's left edge.
    row_h, label_h, pad = 36, 16, 6
    height = len(items) * row_h + pad * 2
    bars = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row_h
        w = max(1, int((width - 60) * value / top)) if value else 0
        shown = show_bidi_controls(label)
        bars.append(
            f'<text x="0" y="{y + 12}">{escape(shown if len(shown) <= 80 else shown[:79] + "…")}</text>'
            f'<rect x="0" y="{y + label_h}" width="{w}" height="{row_h - label_h - 6}" rx="2"><title>{escape(shown)}: {value}</title></rect>'
            f'<text x="{w + 5}" y="{y + label_h + 11}" class="value">{value}</text>'
        )
    return (f'<figure id="{chart_id}" class="chart"><figcaption>{escape(title)}</figcaption>'
            f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            + "".join(bars) + "</svg></figure>")


def hour_chart(by_hour: dict[str, int], width: int = 560, height: int = 170, what: str = "Violations") -> str:
    """Bars per hour of day (callee local time) of `what` is counted: violations, or a simulation's changed decisions."""
    values = [int(by_hour.get(str(h), 0)) for h in range(24)]
    top = max(values) or 1
    slot = (width - 40) / 24
    parts = []
    for h, v in enumerate(values):
        bh = int((height - 40) * v / top)
        x = 30 + h * slot
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - 20 - bh}" width="{slot - 4:.1f}" height="{bh}" rx="2"><title>{h:02d}:00 — {v}</title></rect>')
        if h % 3 == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 5}" text-anchor="middle">{h:02d}</text>')
    parts.append(f'<text x="2" y="14" class="value">{top}</text>')
    return (f'<figure id="chart-hour" class="chart"><figcaption>{escape(what)} by hour of day (callee local time)</figcaption>'
            f'<svg role="img" aria-label="{escape(what.lower())} by hour" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            + "".join(parts) + "</svg></figure>")


def local_text(v: dict) -> str:
    """`2026-11-27 10:00:00 +08:00 Asia/Shanghai`: the call in the callee's zone, the offset shown."""
    at = datetime.fromisoformat(v.get("called_at_local") or v["called_at"])
    offset = at.isoformat()[19:].lstrip(".0123456789") or "+00:00"
    return f"{at:%Y-%m-%d %H:%M:%S} {offset} {v.get('zone') or 'UTC (zone not known)'}"


def period_text(period: dict, end: str) -> str:
    """One end of an audit's period as the report shows every time: in the bank's zone with the offset and the zone
    (`2026-12-01 22:00:00 +08:00 Asia/Shanghai`), the UTC instant in its tooltip; a summary from before the period
    had its zone is shown in UTC, saying so."""
    utc = period.get(end)
    if not utc:
        return "-"
    local = period.get(f"{end}_local")
    text = local_text({"called_at": utc, "called_at_local": local, "zone": period.get("zone") if local else "UTC"})
    return f'<span class="when" id="period-{end}" title="{escape(utc)}">{escape(text)}</span>'


def finished_text(audit: dict, period: dict) -> str:
    """When the audit finished, in the zone the period is shown in (the bank's), the UTC instant in its tooltip; in UTC,
    saying so, when the period has no zone (no call judged, or a summary from before the period had one)."""
    utc = audit.get("finished_at")
    if not utc:
        return "-"
    zone = period.get("zone") or "UTC"
    try:
        local = datetime.fromisoformat(utc).astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, ZoneInfoNotFoundError):
        local, zone = datetime.fromisoformat(utc), "UTC"
    text = local_text({"called_at": utc, "called_at_local": local.isoformat(), "zone": zone})
    return f'<span class="when" id="finished-at" title="{escape(utc)}">{escape(text)}</span>'


def _more_row(figures: dict[str, int], columns: int) -> str:
    """The row that says what a table of figures left out past MAX_TABLE_ROWS (all of it is in the JSON summary)."""
    rest = sorted(figures.values(), reverse=True)[MAX_TABLE_ROWS:]
    if not rest:
        return ""
    return (f'<tr class="muted"><td colspan="{columns}">{len(rest)} more, {sum(rest)} violations: every figure is in the '
            'summary (GET /v1/audits/{id})</td></tr>')


def _figure(value: str, label: str, ident: str, bad: bool = False, note: str = "") -> str:
    return (f'<div class="card{" bad" if bad else ""}" id="{ident}"><div class="n">{escape(value)}</div>{escape(label)}'
            + (f'<div class="muted">{escape(note)}</div>' if note else "") + "</div>")


_BASES = {
    "known_then": "as the guard knew them at each call's time (basis <b>known_then</b>, 按当时所知: what the decision log proves)",
    "known_now": "as they are known now, by their own effective times (basis <b>known_now</b>, 按现在所知: "
                 "risk assessment dates, opt-outs reported late, outcome times)",
}


def _basis_text(basis: str | None) -> str:
    return _BASES.get(basis or "", "basis not recorded")


def _chains_html(chains: dict | None) -> str:
    """An audit of the decision log says first whether the log's hash chains were intact when it ran."""
    if chains is None:
        return ""
    if chains["intact"]:
        return '<p class="muted" id="chains">The decision log and its outcomes were intact (hash chains verified) when audited.</p>'
    broken = "; ".join(f"{name}: " + ", ".join(f"{n} {kind}" for kind, n in chains[name].items() if n)
                       for name in ("decisions", "outcomes") if any(chains[name].values()))
    return (f'<p class="card bad" id="chains"><b>决策日志不完整 · The decision log is NOT intact</b> ({escape(broken)}): rows were '
            'changed or deleted after they were sealed, so the figures below may hide calls. See <code>guard decisions verify</code>.</p>')


def chinese_of_audit(audit: dict, timelines: dict) -> str:
    """The Chinese a report is read in when its reader asks for none: traditional only when every pack that judged a
    call is a Taiwan, Hong Kong or Macau one (as a check's `message_zh`), else simplified."""
    ids = {name.split()[0] for name in ((audit.get("summary") or {}).get("packs") or {}) if name}
    countries = [timelines[i].newest().country for i in ids if i in timelines]
    return "zh-TW" if countries and all(chinese_of(c) == "zh-TW" for c in countries) else "zh-CN"


def render(audit: dict, violations: Iterable[dict], chinese: str = "zh-CN") -> str:
    """The report, its Chinese in simplified (`zh-CN`) or traditional (`zh-TW`), beside the English."""
    zh = (lambda text: text) if chinese == "zh-CN" else to_traditional
    s = audit.get("summary") or {}
    by_code = list((s.get("by_code") or {}).items())
    by_agent = list((s.get("by_agent") or {}).items())[:15]
    rows = []
    shown = 0
    total = s.get("violations", 0)
    used = list(s.get("packs") or {})
    pack = used[0].split()[0] if len(used) == 1 and used[0] else None  # the pack named in messages, when one decided every call
    several = len(used) > 1  # then each violation names the version that judged its call
    policy_header = "<th>Policy version</th>" if several else ""
    for v in violations:
        if shown >= MAX_TABLE_ROWS:
            break
        shown += 1
        brief = _detail_text(v, pack, chinese)
        rows.append(
            f"<tr><td>{escape(str(v.get('line') or ''))}</td><td>{escape(v['call_id'])}</td>"
            f"<td class=\"when\" title=\"{escape(v['called_at'])} UTC\">{escape(local_text(v))}</td>"
            f"<td><span class=\"code\">{escape(v['code'])}</span> {escape(_label(v['code'], chinese).split(' · ')[0])}</td>"
            f"<td>{escape(v.get('agent_id') or '')}</td>"
            f"<td>{escape(v['campaign'])}</td>"
            + (f"<td class=\"policy\">{escape(policy_label(v.get('policy')))}</td>" if several else "")
            + f"<td>{escape(v.get('phone_e164') or '')}</td><td class=\"muted\">{escape(brief)}</td></tr>"
        )
    judged = s.get("calls_judged", 0)
    unchecked = s.get("calls_unchecked", (s.get("by_code") or {}).get("UNCHECKED_CALL", 0))
    breaking = s.get("calls_breaking_rules")  # None in a summary written before the figures were kept apart

    def pct(n: int) -> str:
        return f"{n * 100 / judged:.1f} % of calls judged" if judged else ""

    headline = "".join((
        _figure(str(judged), "Calls judged", "fig-judged"),
        _figure("—" if breaking is None else str(breaking), "Calls that broke a rule", "fig-rules", bool(breaking),
                "" if breaking is None else pct(breaking)),
        _figure(str(unchecked), "Unchecked calls (no valid decision)", "fig-unchecked", False, pct(unchecked)),
        _figure(str(s.get("rule_violations", "—")), "Rule violations", "fig-rule-violations"),
        _figure(str(s.get("rows_rejected", 0)), "Rows rejected", "fig-rejected", bool(s.get("rows_rejected"))),
    ))
    rejected = audit.get("rejected_rows") or []
    n_rejected = max(s.get("rows_rejected", 0), len(rejected))
    reject_rows = "".join(f"<tr><td>{r['line']}</td><td>{escape(r['reason'])}</td></tr>" for r in rejected[:MAX_REJECTS])
    more = n_rejected - min(len(rejected), MAX_REJECTS)
    rejects_html = (
        '<p class="muted">None: every row of the log was read and judged.</p>' if not n_rejected else
        (f'<p class="muted" id="rejects-more">Showing the first {min(len(rejected), MAX_REJECTS)} of {n_rejected} rejected rows; '
         f'{more} more are in the rejected-rows CSV (GET /v1/audits/{escape(audit["audit_id"])}/rejects).</p>' if more > 0 else "")
        + f'<table id="rejects"><thead><tr><th>Line</th><th>Why it was rejected</th></tr></thead><tbody>{reject_rows}</tbody></table>')
    # Every agent's and campaign's figure, worst first (the summary's `by_agent` / `by_campaign`; older summaries
    # had only the ten worst): figures left out unsaid would not add up to the total. The worst ten name their codes.
    agent_codes = {a["agent_id"]: a.get("by_code", {}) for a in s.get("worst_agents", [])}
    agent_figures = s.get("by_agent") or {a["agent_id"]: a["violations"] for a in s.get("worst_agents", [])}
    worst_agents = "".join(
        f"<tr><td>{escape(a)}</td><td>{n}</td><td class=\"muted\">"
        f"{escape(', '.join(f'{k} {c}' for k, c in list(agent_codes.get(a, {}).items())[:4]))}</td></tr>"
        for a, n in sorted(agent_figures.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TABLE_ROWS]) + _more_row(agent_figures, 3)
    campaign_figures = s.get("by_campaign") or {c["campaign"]: c["violations"] for c in s.get("worst_campaigns", [])}
    worst_campaigns = "".join(f"<tr><td>{escape(c)}</td><td>{n}</td></tr>"
                              for c, n in sorted(campaign_figures.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TABLE_ROWS]) \
        + _more_row(campaign_figures, 2)
    codes_table = "".join(f"<tr><td><span class=\"code\">{escape(c)}</span></td><td>{escape(_label(c, chinese))}</td><td>{n}</td></tr>"
                          for c, n in by_code)
    period = s.get("period") or {}
    packs = ", ".join(f"{k} ({v} calls)" for k, v in (s.get("packs") or {}).items())
    encoding = f" (read as {escape(_encoding_label(audit['encoding']))})" if audit.get("encoding") else ""
    # A time exported as the wall clock alone (2026/12/6 9:05) was read in the zone the auditor named: the report says
    # which, as every call's instant (and so its quiet hours) depends on it.
    zone = (f' · <span id="log-timezone">{zh("无时区的呼叫时间按")} {escape(s["timezone"])} {zh("读取")} · times without a UTC offset '
            f'read as {escape(s["timezone"])} time</span>') if s.get("timezone") else ""
    truncated = f'<p class="muted">Showing the first {shown} of {total} violations; the full list is in the CSV export.</p>' if total > shown else ""
    return f"""<!doctype html>
<html lang="{chinese}"><head><meta charset="utf-8">{CSP_META}<title>Compliance audit {escape(audit['audit_id'])}</title>
<style>
body {{ font: 14px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; color: #1f2937; margin: 24px 32px; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }}
.muted {{ color: #6b7280; }} .cards {{ display: flex; gap: 14px; flex-wrap: wrap; margin: 16px 0; }}
.card {{ background: #f3f4f6; border-radius: 8px; padding: 10px 16px; min-width: 150px; }}
.card .n {{ font-size: 26px; font-weight: 700; }} .card .muted {{ font-size: 12px; }} td.when {{ white-space: nowrap; }} .card.bad .n {{ color: #b91c1c; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 24px; }} figure.chart {{ margin: 0; }} figcaption {{ font-weight: 600; margin-bottom: 4px; }}
svg text {{ font-size: 11px; fill: #374151; }} svg text.value {{ fill: #6b7280; }} svg rect {{ fill: #dc2626; }}
#chart-agent svg rect {{ fill: #d97706; }} #chart-hour svg rect {{ fill: #2563eb; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }} th, td {{ text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }}
th {{ background: #f9fafb; }} .code {{ font-family: ui-monospace, monospace; font-size: 12px; background: #fee2e2; padding: 0 4px; border-radius: 3px; }}
.two {{ display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }}
@media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{zh('外呼合规审计报告')} · Compliance audit of outbound calls</h1>
<p class="muted">Audit {escape(audit['audit_id'])} · {escape(audit.get('kind') or '')} · source {isolated(audit.get('source') or '-')}{encoding} ·
calls from {period_text(period, 'from')} to {period_text(period, 'to')}{zone} · finished {finished_text(audit, period)}<br>
Each call was judged by the policy pack version in effect at its time ({escape(packs or '-')}) and the facts as they were then,
{zh(_basis_text(audit.get('basis')))}.</p>
{zh(_chains_html(s.get("chains")))}<div class="cards">{headline}</div>
<p class="muted">Calls with no valid decision id (<span class="code">UNCHECKED_CALL</span>) are counted apart from the rule
violations: such a call may have been within the rules, the dialer just did not ask first. {total} violations in all, in
{s.get("calls_with_violations", 0)} calls. Times are the callee's local time, with the offset and the zone; the period's
are in the bank's zone.</p>
<h2>Charts</h2>
<div class="charts">
{bar_chart("Violations by code", [(_label(c, chinese).split(" · ")[0], n) for c, n in by_code], "chart-code")}
{bar_chart("Violations by agent (top 15)", by_agent, "chart-agent")}
{hour_chart(s.get("by_hour") or {})}
</div>
<h2>Violations by code</h2>
<table><thead><tr><th>Code</th><th>Meaning</th><th>Violations</th></tr></thead><tbody>{codes_table}</tbody></table>
<div class="two"><div><h2>Violations by agent</h2><table id="by-agent"><thead><tr><th>Agent</th><th>Violations</th><th>Most frequent</th></tr></thead>
<tbody>{worst_agents}</tbody></table></div>
<div><h2>Violations by campaign</h2><table id="by-campaign"><thead><tr><th>Campaign</th><th>Violations</th></tr></thead><tbody>{worst_campaigns}</tbody></table></div></div>
<h2>Violations</h2>{truncated}
<table id="violations"><thead><tr><th>Line</th><th>Call</th><th>Called at (callee's local time)</th><th>Code</th><th>Agent</th><th>Campaign</th>{policy_header}<th>Number</th><th>Detail</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Rejected rows</h2>
{rejects_html}
</body></html>
"""

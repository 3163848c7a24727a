"""The what-if report: one self-contained HTML file (inline CSS and SVG charts, no external asset),
built like the audit report (`guard.services.audits.report`) from the simulation's JSON."""

from __future__ import annotations

from html import escape

from guard.core.bidi import show_bidi_controls
from guard.core.i18n import chinese_of, to_traditional
from guard.services.audits.report import CSP_META, _figure, _label, bar_chart, hour_chart, isolated

KINDS = (
    ("allowed_to_denied", "Allowed → denied", "允许 → 拒绝"),
    ("denied_to_allowed", "Denied → allowed", "拒绝 → 允许"),
    ("reasons_changed", "Still denied, other reasons", "仍拒绝，原因不同"),
)


def chinese_of_simulation(report: dict, timelines: dict) -> str:
    """The Chinese a report is read in when its reader asks for none: traditional only when every draft pack is a
    Taiwan, Hong Kong or Macau one (as the audit report has it), else simplified. `guard policies simulate --format html`
    chooses so too."""
    countries = [p.get("country") or (timelines[p["id"]].newest().country if p["id"] in timelines else None)
                 for p in report.get("draft") or []]  # a report kept from before drafts recorded their country: the serving one
    countries = [c for c in countries if c]
    return "zh-TW" if countries and all(chinese_of(c) == "zh-TW" for c in countries) else "zh-CN"


def _examples(report: dict, chinese: str = "zh-CN") -> str:
    zh = (lambda text: text) if chinese == "zh-CN" else to_traditional
    out = []
    for group, items in (report.get("examples") or {}).items():
        kind, code = group.split(":", 1)
        title = next((f"{en} · {zh(zh_text)}" for k, en, zh_text in KINDS if k == kind), kind)
        rows = []
        for e in items:
            after = ", ".join(r["code"] for r in e["after"]["reasons"]) or "—"
            detail = "; ".join(", ".join(f"{k}={show_bidi_controls(v)}" for k, v in list((r.get("detail") or {}).items())[:4] if not isinstance(v, (dict, list)))
                               for r in e["after"]["reasons"] if r["code"] == code)
            rows.append(f"<tr><td>{escape(e['id'])}</td><td class=\"when\" title=\"{escape(e['at'])} UTC\">{escape(e['at_local'][:19])} "
                        f"{escape(e['zone'])}</td><td>{escape(e.get('phone_e164') or '')}</td><td>{', '.join(isolated(c) for c in e['customer_ids'])}</td>"
                        f"<td>{escape(e['campaign'])}</td><td>{escape(', '.join(e['before']['reasons']) or 'allowed')}</td>"
                        f"<td>{escape(after if e['after']['reasons'] else 'allowed')}</td><td class=\"muted\">{escape(detail)}</td></tr>")
        out.append(f'<h3>{escape(title)}: <span class="code">{escape(code)}</span> {escape(_label(code, chinese))}</h3>'
                   '<table><thead><tr><th>decision / call</th><th>when (callee local)</th><th>number</th><th>customers</th><th>campaign</th>'
                   '<th>before</th><th>after</th><th>detail</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
    return "".join(out) or '<p class="muted">No decision changes.</p>'


def _changed(report: dict, chinese: str = "zh-CN") -> str:
    """Every changed decision the JSON lists (`changed`), with the answer before and after: the examples show a few of
    each kind with their details, this the whole list, so the HTML alone says which calls the draft changes."""
    zh = (lambda text: text) if chinese == "zh-CN" else to_traditional
    kind = {k: f"{en} {zh(zh_text)}" for k, en, zh_text in KINDS}
    changed = report.get("changed") or []
    rows = "".join(f"<tr><td>{escape(c['id'])}</td><td class=\"when\">{escape(c['at'])}</td><td>{escape(c['campaign'])}</td>"
                   f"<td>{escape(kind.get(c['change'], c['change']))}{' (dry run)' if c.get('dry_run') else ''}</td>"
                   f"<td>{escape(', '.join(c['before']) or 'allowed')}</td><td>{escape(', '.join(c['after']) or 'allowed')}</td></tr>"
                   for c in changed)
    total = sum((report.get("changes") or {}).values())
    note = "" if report.get("changed_listed_all", True) else (
        f'<p class="bad-text">The first {len(changed)} of {total} changed decisions are listed; the counts above are whole.</p>')
    return (f'<h2>Every changed decision {zh("全部变化的判定")} ({total})</h2>{note}<table id="changed"><thead><tr><th>decision / call</th>'
            '<th>when (UTC)</th><th>campaign</th><th>change</th><th>before</th><th>after</th></tr></thead><tbody>'
            + (rows or '<tr><td colspan=6 class="muted">None.</td></tr>') + "</tbody></table>")


def _table(title: str, ident: str, groups: dict) -> str:
    rows = "".join(f"<tr><td>{escape(name)}</td>" + "".join(f"<td>{counts.get(k, 0)}</td>" for k, _, _ in KINDS) + "</tr>"
                   for name, counts in groups.items() if any(counts.values()))
    head = "".join(f"<th>{escape(en)}</th>" for _, en, _ in KINDS)
    return (f'<h2>{escape(title)}</h2><table id="{ident}"><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{rows or "<tr><td colspan=4 class=muted>None.</td></tr>"}</tbody></table>')


def render(report: dict, chinese: str = "zh-CN") -> str:
    """The report, its Chinese in simplified (`zh-CN`) or traditional (`zh-TW`), beside the English."""
    zh = (lambda text: text) if chinese == "zh-CN" else to_traditional
    changes = report.get("changes") or {}
    per_day = report.get("calls_per_day") or {}
    draft = ", ".join(f"{p['id']} {p['version']} ({p['source']})" for p in report.get("draft") or [])
    period = report.get("period") or {}
    replay = report.get("replay")
    figures = "".join((
        _figure(str(report.get("judged", 0)), "Decisions judged" if report.get("kind") == "decisions" else "Calls judged", "fig-judged"),
        _figure(str(changes.get("allowed_to_denied", 0)), "Allowed → denied", "fig-a2d", bool(changes.get("allowed_to_denied"))),
        _figure(str(changes.get("denied_to_allowed", 0)), "Denied → allowed", "fig-d2a", bool(changes.get("denied_to_allowed"))),
        _figure(str(changes.get("reasons_changed", 0)), "Denied, other reasons", "fig-reasons"),
        _figure(f"{per_day.get('expected_drop', 0):g}", "Expected drop in calls per day", "fig-drop", False,
                f"{per_day.get('before', 0):g} → {per_day.get('after', 0):g} a day ({_signed_change(per_day.get('expected_drop_pct', 0))} %)"),
    ))
    by_reason = report.get("by_reason") or {}
    charts = "".join(bar_chart(f"{en} by reason", [(f"{c} {_label(c, chinese)}", n) for c, n in (by_reason.get(k) or {}).items()], f"chart-{k}")
                     for k, en, _ in KINDS[:2])
    fidelity = ""
    if replay is not None:
        fidelity = (f'<p id="replay-fidelity">Under the serving versions the replay reproduced <b>{replay["reproduced"]}</b> of '
                    f'{report.get("judged", 0)} logged answers' + (f'; <b class="bad-text">{replay["differs"]} differ</b> (first: '
                    + ", ".join(isolated(e["id"]) for e in replay["examples"]) + ")" if replay["differs"] else "") + ".</p>")
        # Each difference says why (guard.core.replay.why_differs); reports made before that carry the codes alone.
        why = "".join(
            f'<li><span class="code">{isolated(e["id"])}</span> {escape(", ".join(e["logged"]) or "allowed")} → '
            f'{escape(", ".join(e["replayed"]) or "allowed")}: {escape(e["explanation"])}'
            + (f' <span lang="{chinese}">{escape(e["messages"][chinese])}</span>' if chinese in e.get("messages", {}) else "") + "</li>"
            for e in replay["examples"] if e.get("explanation"))
        fidelity += f'<ul id="replay-differs">{why}</ul>' if why else ""
    warnings = "".join(f'<p class="bad-text warning"><b>{escape(w)}</b></p>' for w in report.get("warnings") or [])
    scripts = report.get("scripts") or []
    script_rows = "".join(f"<tr><td>{escape(s['campaign'])}</td><td>{escape(s['script_id'])}</td><td>{s['version']}</td>"
                          f"<td>{escape(', '.join(sorted({f['code'] + ' ' + f['rule'] for f in s['findings']})))}</td></tr>" for s in scripts)
    script_block = ('<h2>Approved scripts that would need review</h2><table id="scripts-needing-review"><thead><tr><th>campaign</th>'
                    '<th>script</th><th>version</th><th>new findings</th></tr></thead><tbody>'
                    + (script_rows or '<tr><td colspan=4 class="muted">None: every approved script still passes.</td></tr>')
                    + "</tbody></table>") if "scripts" in report else ""
    # in the report's Chinese too (the note's `messages`), as every heading of the report is
    script_block += "".join(f'<p class="bad-text warning unvouched">No wording checked {zh("未检查措辞")}: {escape(s["campaign"])} '
                            f'{escape(s["script_id"])} v{s["version"]}: {escape(s["notes"][0]["message"])}'
                            + (f' <span lang="{chinese}">{escape(s["notes"][0]["messages"][chinese])}</span>'
                               if (s["notes"][0].get("messages") or {}).get(chinese) else "") + "</p>"
                            for s in report.get("scripts_unvouched") or [])
    judged = report.get("judged_findings")
    judged_block = ""
    if judged is not None:
        change_label = {"false_alarm_cleared": "false alarm cleared " + zh("误报消除"),
                        "false_alarm_raised": "false alarm raised again " + zh("误报重现"),
                        "confirmed_lost": "confirmed finding lost " + zh("漏检"),
                        "confirmed_found": "confirmed finding found again " + zh("恢复检出")}
        judged_rows = "".join(f"<tr><td>{escape(c['campaign'])}</td><td>{escape(c['script_id'])}</td><td>{c['version']}</td>"
                              f"<td>{escape(c['rule'])}</td><td>{escape(c['matched'])}</td><td>{escape(change_label[c['change']])}</td></tr>"
                              for c in judged["changed"])
        sv, dr = judged["serving"], judged["draft"]
        judged_block = (
            f'<h2>Findings reviewers judged {zh("审核员判断过的检查结果")}</h2>'
            f'<p id="judged-findings">Of {judged["false_alarms"]} false alarms, the serving versions still raise '
            f'<b>{sv["false_alarms_raised"]}</b>, the draft <b>{dr["false_alarms_raised"]}</b>; of {judged["confirmed"]} confirmed '
            f'findings, the serving versions keep <b>{sv["confirmed_kept"]}</b>, the draft <b>{dr["confirmed_kept"]}</b>.</p>'
            '<table id="judged-changes"><thead><tr><th>campaign</th><th>script</th><th>version</th><th>rule</th><th>words</th>'
            '<th>under the draft</th></tr></thead><tbody>'
            + (judged_rows or '<tr><td colspan=6 class="muted">No judged finding changes.</td></tr>') + "</tbody></table>")
    return f"""<!doctype html>
<html lang="{chinese}"><head><meta charset="utf-8">{CSP_META}<title>What-if report {zh("策略变更预演")}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 24px; color: #1d2733; max-width: 1100px; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }} h2 {{ font-size: 17px; margin: 24px 0 8px; }} h3 {{ font-size: 14px; margin: 16px 0 6px; }}
.muted {{ color: #5b6875; }} .bad-text {{ color: #a4262c; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }}
.card {{ border: 1px solid #d3dae1; border-radius: 6px; padding: 10px 14px; min-width: 150px; }}
.card.bad {{ border-color: #a4262c; background: #fdf3f3; }} .card .n {{ font-size: 24px; font-weight: 600; }}
.chart svg rect {{ fill: #3b6ea5; }} .chart svg text {{ font-size: 12px; fill: #1d2733; }} .chart {{ margin: 8px 0; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 16px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }} th, td {{ border-bottom: 1px solid #e3e8ed; padding: 4px 6px; text-align: left; }}
.code {{ font-family: ui-monospace, monospace; background: #eef2f6; padding: 0 4px; border-radius: 3px; }}
</style></head><body>
<h1>What-if report · {zh("策略变更预演")}</h1>
<p class="muted">Draft <b>{isolated(draft)}</b> judged against {escape('the decision log' if report.get('kind') == 'decisions' else 'a call log')},
{escape(str(period.get('from') or ''))} – {escape(str(period.get('to') or ''))} ({period.get('days', 0):g} days), beside the pack versions
that judged each decision; facts as the guard knew them then, caps replayed in order (a call the draft denies no longer counts).</p>
{warnings}{fidelity}
<div class="cards">{figures}</div>
<div class="charts">{charts}{hour_chart({h: sum((n or {}).values()) for h, n in (report.get('by_hour') or {}).items()}, what='Changed decisions')}</div>
{_table('By campaign', 'by-campaign', report.get('by_campaign') or {})}
{_table('By customer tier (cap tier)', 'by-tier', report.get('by_tier') or {})}
{script_block}
{judged_block}
<h2>Examples</h2>
{_examples(report, chinese)}
{_changed(report, chinese)}
</body></html>
"""


def _signed_change(drop_pct: float) -> str:
    """The change in calls a day as a signed percentage (2 → 3 a day is +50): the report holds the drop, which shown
    bare beside a rise read as a fall."""
    change = -(drop_pct or 0)
    return f"{change:+g}" if change else "0"

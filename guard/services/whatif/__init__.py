"""What-if: judge the decision log (or a call log) under draft pack(s), beside the versions that
judged it, and report what would change before the draft serves.

Both readings go through `guard.core.replay.Replayer` (the live check's resolution, the as-of facts
of `guard.store.facts` on the `known_then` axis, `guard.core.decide`), one over the serving packs
and one over the draft, step by step over the same checks in the order they were made, each with
its own count of attempts: a call the draft denies is not dialled under the draft, so it no longer
counts against the caps of the calls after it.

- `draft_packs`: the serving documents with the draft's pack ids replaced by the draft's files,
  validated as `guard policies validate` would (every problem with file, key path and reason); the
  draft governs every replayed call of its pack ids, whatever its `effective_from`.
- `replay_decisions`: the serving replay alone (what `tests/services/test_replay.py` holds to the log).
- `simulate_decisions` / `simulate_call_log`: the report (`guard.services.whatif.report` renders it
  as HTML).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from guard.core.calllog import check_row
from guard.core.reject_messages import audit_error_messages, with_reason_messages
from guard.core.catalog import NoPolicy
from guard.core.errors import GuardError
from guard.core.history import KNOWN_THEN, History
from guard.core.pack import Pack, PackSet, PackTimeline
from guard.core.pack_schema import PackIssue
from guard.core.pack_set import assemble
from guard.core.replay import (RECORDED_RULES, REDERIVED_RULES, LoggedCheck, PriorAttempt, Replayed, Replayer, rules_not_replayed,
                               why_differs)
from guard.store import replay as replay_store
from guard.store.paging import newest_page
from guard.store.db import Store
from policies.loader import load_documents, pack_files

EXAMPLES_PER_GROUP = 5
MAX_CHANGED_LISTED = 50_000  # the report lists every changed call up to this many (the counts are always whole)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
NO_POLICY = "NO_POLICY"


class DraftInvalid(GuardError):
    """The draft fails validation: every problem, as `guard policies validate` states it."""

    code = "INVALID_REQUEST"  # 400: the details name each problem (file:key path, reason)

    def __init__(self, issues: list[PackIssue]):
        super().__init__("the draft pack fails validation: " + "; ".join(str(i) for i in issues),
                         [{"field": f"{i.source}:{i.path}" if i.path else i.source, "reason": i.reason} for i in issues])
        self.issues = issues


@dataclasses.dataclass(frozen=True)
class Draft:
    packs: PackSet  # the serving packs with the draft's ids replaced
    versions: tuple[Pack, ...]  # the draft's own versions
    sources: tuple[str, ...]
    stated: dict = dataclasses.field(default_factory=dict)  # source -> the effective_from the draft states (when moved)

    def describe(self) -> list[dict]:
        return [{"id": p.id, "version": p.version, "source": p.source, "hash": p.hash, "country": p.country,
                 "effective_from": self.stated.get(p.source) or p.effective_from.isoformat()} for p in self.versions]


def read_draft(path: Path) -> list[tuple[str, Any]]:
    """The draft's documents (a file or a directory of pack files); DraftInvalid when one cannot be read."""
    if not path.exists():
        raise DraftInvalid([PackIssue(str(path), "", "no such file or directory")])
    docs, issues = load_documents(pack_files(path))
    if issues:
        raise DraftInvalid(issues)
    if not docs:
        raise DraftInvalid([PackIssue(str(path), "", "no pack file (.yaml, .yml) in the draft")])
    return docs


def draft_packs(serving: dict[str, Any], draft_docs: list[tuple[str, Any]], default_id: str) -> Draft:
    """The serving documents with every pack id the draft defines replaced by the draft's versions,
    assembled and validated; the draft's first version of each id governs from the beginning of time
    (its `effective_from` is when it would serve, not which calls it judges here)."""
    from guard.core.pack_schema import parse_instant

    ids = {raw.get("id") for _, raw in draft_docs if isinstance(raw, dict)}
    sources = {s for s, _ in draft_docs}
    docs = [(s, r) for s, r in serving.items() if s not in sources and not (isinstance(r, dict) and r.get("id") in ids)]
    # The draft is assembled as if it had always been in effect (from its pack's first serving version
    # on), so that the serving packs that extend it resolve against it for every replayed instant.
    first_serving: dict[str, datetime] = {}
    for _, r in serving.items():
        start = parse_instant(r.get("effective_from")) if isinstance(r, dict) and r.get("id") in ids else None
        if start is not None and (r["id"] not in first_serving or start < first_serving[r["id"]]):
            first_serving[r["id"]] = start
    stated: dict[str, str] = {}
    placed: list[tuple[str, Any]] = []
    for source, raw in sorted(draft_docs, key=lambda d: str(parse_instant(d[1].get("effective_from")) if isinstance(d[1], dict) else "")):
        if isinstance(raw, dict) and raw.get("id") in first_serving and raw.get("id") not in {r.get("id") for _, r in placed}:
            start = parse_instant(raw.get("effective_from"))
            if start is not None and start > first_serving[raw["id"]]:
                stated[source] = raw["effective_from"]
                raw = {**raw, "effective_from": first_serving[raw["id"]].isoformat()}
        placed.append((source, raw))
    packs, issues, _ = assemble(docs + placed, default_id)
    mine = [i for i in issues if i.source in sources]
    if mine:
        raise DraftInvalid(mine)
    timelines = dict(packs.timelines)
    versions: list[Pack] = []
    for pack_id in sorted(i for i in ids if isinstance(i, str)):
        timeline = timelines.get(pack_id)
        if timeline is None:
            raise DraftInvalid([PackIssue(sorted(sources)[0], "id", f"{pack_id!r}: no valid version in the draft")])
        own = [p for p in timeline.versions if p.source in sources]
        versions += own
        first = timeline.versions[0]
        timelines[pack_id] = PackTimeline([dataclasses.replace(first, effective_from=EPOCH), *timeline.versions[1:]])
    return Draft(PackSet(timelines, packs.default_id), tuple(versions), tuple(sorted(sources)), stated)


def _horizon(packs: PackSet) -> timedelta:
    windows = [p.longest_cap_window for p in packs.all_versions()]
    return max(windows, default=timedelta(0))


def _history(store: Store, numbers: list[str], customers: Iterable[str]) -> History:
    history = History()
    reader = store.facts
    with store.read() as conn:
        cur = store.cursor(conn)
        reader.catalog_history(cur, history)
        reader.load_many(cur, history, numbers, customers, alive=False, basis=KNOWN_THEN)
    return history


def replay_decisions(store: Store, packs: PackSet, start: datetime, end: datetime, want_next: bool = True) -> Iterator[tuple[Replayed, Any]]:
    """Every decision made in [start, end) asked again under `packs`, in the order made, with its row
    (reasons as stored, schema version, next_allowed_at)."""
    numbers, customers = replay_store.period_keys(store, start, end)
    history = _history(store, numbers, customers)
    prior = replay_store.prior_attempts(store, start - _horizon(packs), start, numbers, customers)
    replayer = Replayer(packs, history, prior, want_next=want_next)
    for check, row in replay_store.checks_between(store, start, end):
        yield replayer.step(check), row


# --- the comparison ---------------------------------------------------------------------------

@dataclasses.dataclass
class _Tally:
    """What changes between the serving replay and the draft's, counted as the checks go by."""

    start: datetime | None = None
    end: datetime | None = None
    judged: int = 0
    dry_runs: int = 0
    allowed_before: int = 0
    allowed_after: int = 0
    kinds: Counter = dataclasses.field(default_factory=Counter)
    by_reason: dict = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    by_campaign: dict = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    by_hour: dict = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    by_tier: dict = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    examples: dict = dataclasses.field(default_factory=lambda: defaultdict(list))
    changed: list = dataclasses.field(default_factory=list)
    replay_differs: int = 0
    replay_examples: list = dataclasses.field(default_factory=list)
    schema_versions: Counter = dataclasses.field(default_factory=Counter)
    first_at: datetime | None = None
    last_at: datetime | None = None
    draft_ids: frozenset = frozenset()
    draft_governs: int = 0  # the judged calls a version of the draft judged (0: the draft replaced nothing they use)


def _codes(r: Replayed | None) -> list[str]:
    if r is None:
        return [NO_POLICY]
    return [x.code for x in r.decision.reasons]


def _allowed(r: Replayed | None) -> bool:
    return r is not None and r.decision.allowed


def _example(check: LoggedCheck, before: Replayed | None, after: Replayed | None) -> dict:
    shown = after or before
    zone = ZoneInfo(shown.decision.zone) if shown is not None else timezone.utc
    return {
        "id": check.id, "at": check.at.isoformat(), "at_local": check.at.astimezone(zone).isoformat(),
        "zone": getattr(zone, "key", "UTC"), "phone_e164": shown.phone.e164 if shown is not None else None,
        "customer_ids": list(shown.customer_ids) if shown is not None else [], "campaign": check.campaign, "product": check.product,
        "agent_id": check.agent_id,
        "before": {"allowed": _allowed(before), "reasons": _codes(before),
                   "pack": f"{before.pack.id} {before.pack.version}" if before is not None else None},
        "after": {"allowed": _allowed(after),
                  "reasons": [{"code": x.code, "message": x.message, "detail": x.detail} for x in after.decision.reasons]
                  if after is not None else [{"code": NO_POLICY, "message": "no pack version of the draft governs the call", "detail": {}}],
                  "pack": f"{after.pack.id} {after.pack.version}" if after is not None else None},
    }


def _step(replayer: Replayer, check: LoggedCheck) -> Replayed | None:
    try:
        return replayer.step(check)
    except NoPolicy:
        return None


def _compare(t: _Tally, check: LoggedCheck, before: Replayed | None, after: Replayed | None) -> None:
    t.judged += 1
    t.draft_governs += after is not None and after.pack.id in t.draft_ids
    t.first_at = t.first_at or check.at
    t.last_at = check.at
    if check.dry_run:
        t.dry_runs += 1
    a, b = _allowed(before), _allowed(after)
    if not check.dry_run:
        t.allowed_before += a
        t.allowed_after += b
    before_codes, after_codes = _codes(before), _codes(after)
    if a and not b:
        kind, codes = "allowed_to_denied", after_codes
    elif b and not a:
        kind, codes = "denied_to_allowed", before_codes
    elif not a and sorted(set(before_codes)) != sorted(set(after_codes)):
        kind, codes = "reasons_changed", [c for c in dict.fromkeys(after_codes + before_codes) if (c in after_codes) != (c in before_codes)]
    else:
        return
    t.kinds[kind] += 1
    shown = after or before
    hour = check.at.astimezone(ZoneInfo(shown.decision.zone)).hour if shown is not None else check.at.hour
    tier = (before or after).decision.cap_tier if (before or after) is not None else "normal"
    for code in dict.fromkeys(codes):
        t.by_reason[kind][code] += 1
        group = t.examples[f"{kind}:{code}"]
        if len(group) < EXAMPLES_PER_GROUP:
            group.append(_example(check, before, after))
    t.by_campaign[check.campaign][kind] += 1
    t.by_hour[str(hour)][kind] += 1
    t.by_tier[tier][kind] += 1
    if len(t.changed) < MAX_CHANGED_LISTED:
        t.changed.append({"id": check.id, "change": kind, "at": check.at.isoformat(), "campaign": check.campaign,
                          "before": before_codes, "after": after_codes, "dry_run": check.dry_run})


def _serving_ids(t: _Tally, draft: Draft) -> list[str]:
    return sorted(i for i in draft.packs.timelines if i not in t.draft_ids)


def not_replayed(serving: PackSet, draft: Draft) -> list[str]:
    """The rules the draft changes that take effect when a complaint or an outcome is recorded (RECORDED_RULES) and that
    the replay does not derive again from the events (REDERIVED_RULES): it cannot show these changes."""
    changed = set()
    for version in draft.versions:
        timeline = serving.timelines.get(version.id)
        if timeline is not None:
            changed.update(rules_not_replayed(timeline.versions, version, REDERIVED_RULES))
    return [name for name in RECORDED_RULES if name in changed]


def _warnings(t: _Tally, kind: str, draft: Draft, unreplayed: list[str]) -> list[str]:
    """What makes the report's figures mean less than they seem: a draft that judged none of the calls replaced no
    version they use, so its "no change" says nothing of its rules; a draft changing rules applied when complaints
    and outcomes are recorded changes facts the replay reads as recorded."""
    out = []
    if t.judged and not t.draft_governs:
        what = "decisions" if kind == "decisions" else "calls"
        serving = ", ".join(_serving_ids(t, draft))
        out.append(f"the draft ({', '.join(sorted(t.draft_ids))}) governs none of the {t.judged} {what} judged: a draft replaces "
                   f"the serving versions of its own pack id (the serving packs: {serving})")
    if unreplayed:
        out.append(f"the draft changes {', '.join(unreplayed)}: no check reads what this rule sets (when a complaint's "
                   "satisfaction callback falls due), so this report does not show what the change would do")
    return out


def _summary(t: _Tally, kind: str, draft: Draft, start: datetime | None, end: datetime | None, extra: dict,
             unreplayed: list[str]) -> dict:
    first = start or t.first_at
    last = end or t.last_at
    days = max((last - first).total_seconds() / 86400, 1 / 24) if first and last else 1.0
    before_day, after_day = t.allowed_before / days, t.allowed_after / days
    return {
        "kind": kind,
        "draft": draft.describe(),
        "draft_sources": list(draft.sources),
        "period": {"from": first.isoformat() if first else None, "to": last.isoformat() if last else None, "days": round(days, 4)},
        "judged": t.judged,
        "draft_governs": t.draft_governs,
        "warnings": _warnings(t, kind, draft, unreplayed),
        "not_replayed": unreplayed,
        "serving_packs": _serving_ids(t, draft),
        "dry_runs": t.dry_runs,
        "changes": {k: t.kinds.get(k, 0) for k in ("allowed_to_denied", "denied_to_allowed", "reasons_changed")},
        "by_reason": {k: dict(t.by_reason[k].most_common()) for k in ("allowed_to_denied", "denied_to_allowed", "reasons_changed")},
        "by_campaign": {c: dict(v) for c, v in sorted(t.by_campaign.items())},
        "by_hour": {str(h): dict(t.by_hour.get(str(h), {})) for h in range(24)},
        "by_tier": {k: dict(v) for k, v in sorted(t.by_tier.items())},
        "examples": {k: v for k, v in sorted(t.examples.items())},
        "calls_per_day": {"before": round(before_day, 2), "after": round(after_day, 2), "expected_drop": round(before_day - after_day, 2),
                          "expected_drop_pct": round((before_day - after_day) * 100 / before_day, 2) if before_day else 0.0},
        "changed": t.changed,
        "changed_listed_all": sum(t.kinds.values()) <= MAX_CHANGED_LISTED,
        **extra,
    }


PROGRESS_EVERY = 1_000  # decisions between two progress reports


def simulate_decisions(store: Store, serving: PackSet, draft: Draft, start: datetime, end: datetime,
                       on_progress: Callable[[int, int], None] | None = None) -> dict:
    """The decisions made in [start, end) under the draft beside the serving versions: what changes.
    The serving replay is also held to the log itself (`replay`: how many answers it reproduced).
    `on_progress(judged, total)`: called before the first decision, every PROGRESS_EVERY and after the last."""
    total = replay_store.count_between(store, start, end) if on_progress is not None else 0
    if on_progress is not None:
        on_progress(0, total)
    numbers, customers = replay_store.period_keys(store, start, end)
    history = _history(store, numbers, customers)
    prior = replay_store.prior_attempts(store, start - max(_horizon(serving), _horizon(draft.packs)), start, numbers, customers)
    base = Replayer(serving, history, prior, want_next=False)
    # Under the draft, what complaints and outcomes made is derived again from the events themselves.
    what_if = Replayer(draft.packs, history, prior, want_next=False, arrivals=replay_store.arrivals(store, end, numbers, customers))
    t = _Tally(draft_ids=frozenset(p.id for p in draft.versions))
    for n, (check, (stored, version, _next)) in enumerate(replay_store.checks_between(store, start, end), 1):
        before, after = _step(base, check), _step(what_if, check)
        t.schema_versions[str(version)] += 1
        if before is None or before.decision.allowed != check.allowed or tuple(_codes(before)) != check.reason_codes:
            t.replay_differs += 1
            if len(t.replay_examples) < EXAMPLES_PER_GROUP:
                t.replay_examples.append({"id": check.id, "at": check.at.isoformat(), "logged": list(check.reason_codes),
                                          "replayed": _codes(before), **why_differs(check, stored, before, version)})
        _compare(t, check, before, after)
        if on_progress is not None and n % PROGRESS_EVERY == 0:
            on_progress(n, max(total, n))
    if on_progress is not None:
        on_progress(t.judged, t.judged)
    return _summary(t, "decisions", draft, start, end, {
        "replay": {"reproduced": t.judged - t.replay_differs, "differs": t.replay_differs, "examples": t.replay_examples,
                   "schema_versions": dict(t.schema_versions)},
    }, not_replayed(serving, draft))


def simulate_call_log(store: Store, serving: PackSet, draft: Draft, stream: IO[bytes], fmt: str | None = None,
                      encoding: str | None = None, timezone: str | None = None) -> dict:
    """A call log (the audit's columns) under the draft beside the serving versions. Every call of the
    log was made: under the serving packs each counts against the caps (as in an audit); under the
    draft a call it denies is not made, unless the serving packs denied it too (then it was dialled
    regardless). `timezone`: the zone a `called_at` without a UTC offset is read in, as in an audit."""
    from zoneinfo import ZoneInfo

    from guard.core.calllog import HEADER
    from guard.services.audits.encoding import detect as detect_encoding
    from guard.services.audits.log_reader import read_log

    encoding = encoding or (detect_encoding(stream, HEADER) if stream.seekable() else "utf-8")
    rejects: list[dict] = []
    checks: list[LoggedCheck] = []
    seen: set[str] = set()
    zone = ZoneInfo(timezone) if timezone else None
    for line, row, why in read_log(stream, fmt, encoding):
        if row is None:
            rejects.append({"line": line, "reason": why or "unreadable"})
            continue
        call, why = check_row(line, row, zone)
        if call is None:
            rejects.append({"line": line, "reason": why or "invalid"})
            continue
        if call.call_id in seen:
            rejects.append({"line": line, "reason": f"call_id: {call.call_id!r} repeats an earlier row"})
            continue
        seen.add(call.call_id)
        # Dialled: counted from the call's own instant, whatever the guard says (allowed=False).
        checks.append(LoggedCheck(id=call.call_id, at=call.at, phone_input=call.phone_raw, region=None, named_customer=call.customer_id,
                                  campaign=call.campaign, product=call.product, agent_id=call.agent_id, allowed=False, dry_run=False,
                                  reason_codes=(), pack_id="", pack_version="", outcome_at=call.at, disposition=call.disposition,
                                  purpose=call.purpose))
    checks.sort(key=lambda c: c.at)
    catalog = History()  # the configured campaigns and products: a campaign may hand a country's numbers to another pack
    with store.read() as conn:
        store.facts.catalog_history(store.cursor(conn), catalog)
    scratch = Replayer(serving, catalog)
    numbers: set[str] = set()
    kept = []
    for check in checks:
        try:
            _, phone = scratch.resolve(check)
        except NoPolicy as exc:
            rejects.append({"line": None, "call_id": check.id, "reason": f"called_at: {exc}"})
            continue
        if phone.valid:
            numbers.add(phone.e164)
        kept.append(check)
    history = _history(store, sorted(numbers), {c.named_customer for c in kept if c.named_customer})
    base = Replayer(serving, history, want_next=False)
    until = max((c.at for c in kept), default=EPOCH) + timedelta(seconds=1)
    what_if = Replayer(draft.packs, history, want_next=False,
                       arrivals=replay_store.arrivals(store, until, sorted(numbers), sorted({c.named_customer for c in kept if c.named_customer})))
    t = _Tally(draft_ids=frozenset(p.id for p in draft.versions))
    for check in kept:
        before = _step(base, check)
        after = _step(what_if, dataclasses.replace(check, allowed=_allowed(before)))
        _compare(t, check, before, after)
    return _summary(t, "call_log", draft, None, None, {"encoding": encoding, "rows_rejected": len(rejects), "rejected_rows": with_reason_messages(rejects[:1000])},
                    not_replayed(serving, draft))


# --- scripts ------------------------------------------------------------------------------------

def relint_approved(store: Store, packs: PackSet, now: datetime, pack_ids: Iterable[str] | None = None) -> list[dict]:
    """Every approved script of a campaign governed (at `now`, under `packs`) by one of `pack_ids`
    (None: any), linted again by that pack under every type its campaign sells: the ones that fail,
    each with the findings of the failing types."""
    from guard.services.calls.check import resolve_campaign
    from guard.services.catalog.scripts import lint_types, sold_types, types_to_lint
    from guard.store import scripts as script_store

    wanted = set(pack_ids) if pack_ids is not None else None
    out = []
    with store.read() as conn:
        rows = script_store.approved(conn)
        resolved = {}
        for row in rows:
            if row.campaign not in resolved:
                try:
                    resolved[row.campaign] = resolve_campaign(store, conn, packs, row.campaign, now)
                except NoPolicy:
                    resolved[row.campaign] = None
    for row in rows:
        resolution = resolved[row.campaign]
        if resolution is None or (wanted is not None and resolution.pack.id not in wanted):
            continue
        pack = resolution.pack
        types = types_to_lint(row.campaign, sold_types(resolution), None)
        _, per_type = lint_types(row.text, types, pack)
        failing = [t for t in types if per_type[t].verdict == "fail"]
        if failing:
            findings = list({json_key(f): f for t in failing for f in (x.to_dict() for x in per_type[t].findings)
                             if f["severity"] == "error"}.values())
            out.append({"script_id": row.id, "campaign": row.campaign, "version": row.version, "pack": pack.id,
                        "pack_version": pack.version, "failing_types": failing, "findings": findings})
    return out


def json_key(finding: dict) -> tuple:
    return (finding.get("rule"), finding.get("code"), finding.get("start"), finding.get("end"))


def scripts_needing_review(store: Store, serving: PackSet, draft: Draft, now: datetime) -> list[dict]:
    """The approved scripts the draft would send back to review: they pass under the serving versions
    now and fail under the draft."""
    ids = {p.id for p in draft.versions}
    failing_now = {s["script_id"] for s in relint_approved(store, serving, now, ids)}
    return [s for s in relint_approved(store, draft.packs, now, ids) if s["script_id"] not in failing_now]


def scripts_unvouched(store: Store, draft: Draft, now: datetime) -> list[dict]:
    """The approved scripts of the campaigns the draft governs whose wording it checks with no phrase rule: their pass
    (not in `scripts`) vouches for no wording. Each with the lint answer's notes (NO_PHRASE_RULES, in every language)."""
    from guard.core.lint import lint_notes
    from guard.services.calls.check import resolve_campaign
    from guard.services.catalog.scripts import sold_types, types_to_lint
    from guard.store import scripts as script_store

    ids = {p.id for p in draft.versions}
    out = []
    with store.read() as conn:
        rows = script_store.approved(conn)
        resolved: dict[str, Any] = {}
        for row in rows:
            if row.campaign not in resolved:
                try:
                    resolved[row.campaign] = resolve_campaign(store, conn, draft.packs, row.campaign, now)
                except NoPolicy:
                    resolved[row.campaign] = None
    for row in rows:
        resolution = resolved[row.campaign]
        if resolution is None or resolution.pack.id not in ids:
            continue
        notes = lint_notes(resolution.pack, types_to_lint(row.campaign, sold_types(resolution), None))
        if notes:
            out.append({"script_id": row.id, "campaign": row.campaign, "version": row.version, "pack": resolution.pack.id,
                        "pack_version": resolution.pack.version, "notes": notes})
    return out


def judged_findings(store: Store, serving: PackSet, draft: Draft, now: datetime) -> dict:
    """Reviewers' judged findings (guard.services.catalog.judgements) under the serving versions and under the draft, for
    the scripts of the campaigns the draft governs: how many false alarms each still raises and how many confirmed
    findings each keeps, and the findings whose fate the draft changes (a false alarm cleared, a confirmed one lost)."""
    from guard.services.catalog.judgements import decided_phrase_findings, relint_judged

    ids = {p.id for p in draft.versions}
    judged = decided_phrase_findings(store)  # read once, linted under each side
    before = {(j["script_id"], j["rule"], j["start"], j["end"]): j for j in relint_judged(store, serving, now, ids, judged)}
    after = relint_judged(store, draft.packs, now, ids, judged)

    def counts(items) -> dict:
        return {"false_alarms_raised": sum(1 for j in items if j["judgement"] == "false_alarm" and j["still"]),
                "confirmed_kept": sum(1 for j in items if j["judgement"] == "confirmed" and j["still"])}

    changed = []
    for j in after:
        was = before.get((j["script_id"], j["rule"], j["start"], j["end"]))
        if was is not None and was["still"] != j["still"]:
            kind = {("false_alarm", False): "false_alarm_cleared", ("false_alarm", True): "false_alarm_raised",
                    ("confirmed", False): "confirmed_lost", ("confirmed", True): "confirmed_found"}[(j["judgement"], j["still"])]
            changed.append({**{k: j[k] for k in ("script_id", "campaign", "version", "rule", "start", "end", "matched")},
                            "change": kind})
    return {"false_alarms": sum(1 for j in after if j["judgement"] == "false_alarm"),
            "confirmed": sum(1 for j in after if j["judgement"] == "confirmed"),
            "serving": counts(before.values()), "draft": counts(after), "changed": changed}


# --- simulations started over HTTP: judged in the background, kept as audits of kind `simulation` ---

SIMULATION = "simulation"


def parse_draft(name: str, text: str) -> list[tuple[str, Any]]:
    """A draft sent as text: one pack document (DraftInvalid, with the line, when it is not YAML)."""
    from policies.loader import parse_document

    raw, issue = parse_document(name, text)
    if issue is not None:
        raise DraftInvalid([issue])
    return [(name, raw)]


def start_simulation(store: Store, serving: PackSet, draft: Draft, start: datetime | None, end: datetime | None,
                     clock: Callable[[], datetime], key_id: str | None, calls: bytes | None = None,
                     timezone: str | None = None, limit: int | None = None, stale_after: float | None = None,
                     data_dir: Path | None = None) -> str:
    """Record a simulation (an audit row of kind `simulation`) and judge it in a background thread:
    the decision log of [start, end), or the call log `calls` (bytes of CSV or JSON Lines); its report
    becomes the row's summary. `limit`, `stale_after`, `data_dir`: as `guard.services.audits.create` takes them (JobsBusy
    when GUARD_MAX_BACKGROUND_JOBS audits and simulations are queued or running)."""
    import logging
    import threading

    from guard.services.audits.liveness import Liveness, runner_name
    from guard.store import audits as audit_store

    from guard.services.audits import create as create_job

    sim_id = create_job(store, SIMULATION, ", ".join(draft.sources)[:300], None, clock(), key_id, KNOWN_THEN, limit, stale_after,
                        data_dir)

    def work() -> None:
        try:
            if not audit_store.begin(store, sim_id, runner_name(), clock()):
                return
            with Liveness(store, sim_id, clock):
                if calls is not None:
                    import io

                    report = simulate_call_log(store, serving, draft, io.BytesIO(calls), timezone=timezone)
                else:
                    assert start is not None and end is not None
                    # A simulation reads no file: its row's bytes_total holds the decisions to judge, rows_done how many are.
                    report = simulate_decisions(store, serving, draft, start, end, lambda done, total: audit_store.set_status(
                        store, sim_id, only_if=("running",), rows_done=done, bytes_total=total))
                report["scripts"] = scripts_needing_review(store, serving, draft, clock())
                report["scripts_unvouched"] = scripts_unvouched(store, draft, clock())
                report["judged_findings"] = judged_findings(store, serving, draft, clock())
            audit_store.set_status(store, sim_id, only_if=("running",), status="done", finished_at=clock(), summary=report,
                                   calls_judged=report["judged"], rows_done=report["judged"], bytes_total=report["judged"])
        except Exception as exc:  # recorded on the simulation; the thread must not take the process down
            from guard.services.audits import fail, store_failed
            from guard.store.db import StoreUnavailable

            logging.getLogger(__name__).exception("simulation %s failed", sim_id)
            why = store_failed(exc, "simulation", "start the simulation again") if isinstance(exc, StoreUnavailable) \
                else f"the simulation failed: {exc}"
            try:
                fail(store, sim_id, clock, why)  # retried while the store is away, as an audit's end is
            except StoreUnavailable:
                pass  # logged by `fail`; the reaper fails it once the store is back

    threading.Thread(target=work, name=f"audit-sim-{sim_id}", daemon=True).start()
    return sim_id


def view_simulation(store: Store, sim_id: str) -> dict:
    from guard.core.errors import NotFound
    from guard.store import audits as audit_store

    found = audit_store.row(store, sim_id)
    if found is None or found[0].kind != SIMULATION:
        raise NotFound("simulation", sim_id)
    return _simulation_view(found[0])


def list_simulations(store: Store, limit: int, before: datetime | None = None,
                     before_id: str | None = None) -> tuple[list[dict], dict[str, str] | None]:
    """A page of the simulations, newest first, without their reports, and the `next` cursor (as the audits')."""
    from guard.store import audits as audit_store

    rows, following = newest_page(audit_store.recent(store, limit + 1, SIMULATION, before, before_id), limit, lambda r: r.created_at)
    return [{**_simulation_view(r), "report": None} for r in rows], following


def _simulation_view(row: Any) -> dict:
    return {"simulation_id": row.id, "status": row.status, "draft": row.source, "created_at": row.created_at.isoformat(),
            "started_at": row.started_at.isoformat() if row.started_at else None,
            "finished_at": row.finished_at.isoformat() if row.finished_at else None, "error": row.error,
            "error_messages": audit_error_messages(row.error), "progress": {"judged": row.rows_done or 0, "total": row.bytes_total}, "report": row.summary}

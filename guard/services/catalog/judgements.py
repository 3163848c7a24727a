"""Reviewers' judgements of a stored script's findings: how often each rule is right on the bank's own scripts.

On real text the linter's findings are often wrong (README, "Where it stands"): a reviewer who reads a finding
records whether the words make the claim (`confirmed`) or not (`false_alarm`), with a note. A judgement changes no
verdict and no approval — a finding that is wrong is fixed in the pack (an `except` phrase, a narrower pattern),
validated, simulated and reloaded like any policy change — but it is kept, insert-only, with who and when, and gives:

- each rule's precision on the bank's scripts (`summary`): the figure a pack owner weighs a rule by, and the list
  of false alarms to fix it from;
- labelled real text (`corpus_lines`): each judged sentence with the officer's label, in the format of the linter's
  real-text corpora (tests/lint/real/README.md), to be split and scored as they are.

The newest judgement of each (finding, reviewer) counts; reviewers who disagree on a finding make it `disputed`
(counted apart, and marked doubtful in the corpus, the corpora's convention for a label not every officer holds).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from guard.core.errors import InvalidField, NotFound
from guard.core.text import normalize_char, sentence_cutter
from guard.core.vocabularies import codes
from guard.store import scripts as script_store
from guard.store.db import Store
from guard.core.messages import said

JUDGEMENTS = codes("finding_judgements")  # false_alarm, confirmed


class NoSuchFinding(InvalidField):
    """The (rule, start, end) names no finding of the stored version (400, listing the version's findings)."""

    def __init__(self, script_id: str, rule: str, start: int, end: int, findings: list[dict]):
        reason = said("error.no_such_finding", script_id=script_id, rule=rule, start=start, end=end)
        super().__init__("rule", reason, reason)
        self.details[0]["findings"] = [{k: f.get(k) for k in ("rule", "start", "end", "matched")} for f in findings]


def _view(row: Any) -> dict:
    return {
        "id": row.id, "script_id": row.script_id, "campaign": row.campaign, "rule": row.rule, "rules": list(row.rules), "code": row.code,
        "start": row.start, "end": row.end, "matched": row.matched, "judgement": row.judgement, "note": row.note,
        "policy": {"pack": row.pack_id, "version": row.pack_version},
        "created_at": row.created_at.isoformat(), "created_by": row.created_by,
    }


def judge(store: Store, script_id: str, rule: str, start: int, end: int, judgement: str, note: str | None, now: datetime,
          actor: str | None) -> dict:
    """Record a reviewer's judgement of one finding of a stored script version."""
    if judgement not in JUDGEMENTS:
        raise InvalidField("judgement", said("error.must_be_one_of", choices=list(JUDGEMENTS)))
    with store.locked([f"s:{script_id}"]) as conn:
        row = script_store.get(conn, script_id)
        if row is None:
            raise NotFound("script", script_id)
        findings = row.lint.get("findings", [])
        finding = next((f for f in findings if f.get("rule") == rule and f.get("start") == start and f.get("end") == end), None)
        if finding is None:
            raise NoSuchFinding(script_id, rule, start, end, findings)
        named = [r.get("rule") for r in finding.get("rules") or () if r.get("rule")]
        stored = script_store.insert_judgement(conn, dict(
            script_id=script_id, campaign=row.campaign, rule=rule, rules=list(dict.fromkeys([rule, *named])),
            code=finding.get("code", ""),
            start=start, end=end, matched=finding.get("matched") or row.text[start:end], judgement=judgement,
            note=(note or None), pack_id=row.pack_id, pack_version=row.pack_version, created_at=now, created_by=actor,
        ))
        return _view(stored)


def of_script(store: Store, script_id: str) -> list[dict]:
    """Every judgement of a version's findings, oldest first."""
    with store.read() as conn:
        if script_store.get(conn, script_id) is None:
            raise NotFound("script", script_id)
        return [_view(j) for j in script_store.judgements_of(conn, script_id)]


def earlier(store: Store, script_id: str) -> list[dict]:
    """What reviewers concluded on the campaign's other script versions about this version's findings: for each phrase
    finding here, the judged findings elsewhere of the same rule on the same words of the same sentence (a new version
    keeps most sentences of the last), each with its consensus, reviewers and notes, the newest version first. A
    reviewer sees a false alarm already judged, rather than judging it again; the judgement is not copied (each
    version's findings are judged on that version)."""
    with store.read() as conn:
        row = script_store.get(conn, script_id)
        if row is None:
            raise NotFound("script", script_id)
        rows = [r for r in script_store.judgements(conn, campaign=row.campaign, with_scripts=True) if r.script_id != script_id]
    if not rows:
        return []
    cut = sentence_cutter(row.text)
    here: dict[tuple, list[dict]] = defaultdict(list)  # (rule, sentence, start and end in it) -> this version's findings
    for f in row.lint.get("findings", []):
        if f.get("code") == "MISSING_DISCLOSURE":
            continue
        s, e = cut(f["start"], f["end"])
        for rule in dict.fromkeys([f.get("rule"), *(r.get("rule") for r in f.get("rules") or ())]):
            here[(rule, row.text[s:e], f["start"] - s, f["end"] - s)].append(f)
    out = []
    cutters: dict[str, Any] = {}
    for j in _judged(rows):
        other = j.row
        if other.code == "MISSING_DISCLOSURE":
            continue
        if other.script_id not in cutters:
            cutters[other.script_id] = sentence_cutter(other.text)
        s, e = cutters[other.script_id](other.start, other.end)
        sentence = other.text[s:e]
        for f in here.get((other.rule, sentence, other.start - s, other.end - s), ()):
            out.append({"rule": f["rule"], "start": f["start"], "end": f["end"], "sentence": sentence,
                        "judged_rule": other.rule, "judgement": j.consensus, "by": sorted(j.by), "notes": j.notes,
                        "script_id": other.script_id, "version": other.version})
    out.sort(key=lambda x: (x["start"], x["end"], -x["version"], x["rule"]))
    return out


@dataclass
class _Judged:
    """One finding of one script version and the newest judgement of each reviewer."""

    row: Any  # the newest judgement row (for the corpus: with the script's text, version, product type and lint)
    by: dict[str, str] = field(default_factory=dict)  # reviewer -> judgement
    notes: list[str] = field(default_factory=list)

    @property
    def consensus(self) -> str:
        """`confirmed`, `false_alarm`, or `disputed` when the reviewers' newest judgements differ."""
        seen = set(self.by.values())
        return seen.pop() if len(seen) == 1 else "disputed"

    @property
    def rules(self) -> list[str]:
        """The judged finding's rule and every other rule whose hit lies on the same words (merged findings)."""
        return list(self.row.rules)  # stored with the judgement, `rule` first


def _judged(rows: Iterable[Any]) -> list[_Judged]:
    out: dict[tuple, _Judged] = {}
    for row in rows:  # oldest first: a reviewer's later judgement replaces their earlier one
        j = out.setdefault((row.script_id, row.rule, row.start, row.end), _Judged(row))
        j.row = row
        j.by[row.created_by or ""] = row.judgement
        if row.note:
            j.notes.append(row.note)
    return list(out.values())


def _rows(store: Store, since: datetime | None, until: datetime | None, with_scripts: bool = False) -> list[Any]:
    """Every rule's judgements of the period: a merged finding judged under one rule counts for its others too."""
    with store.read() as conn:
        return script_store.judgements(conn, since, until, with_scripts=with_scripts)


def summary(store: Store, since: datetime | None = None, until: datetime | None = None, rule: str | None = None) -> dict:
    """Per rule: the findings judged (each finding once, by its reviewers' newest judgements), how many were
    confirmed, false alarms or disputed, and the precision (confirmed / (confirmed + false alarms)); the least
    precise first. A merged finding counts for each of its rules."""
    judged = _judged(_rows(store, since, until))
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"judged": 0, "confirmed": 0, "false_alarm": 0, "disputed": 0})
    for j in judged:
        for r in j.rules:
            if rule is None or r == rule:
                per[r]["judged"] += 1
                per[r][j.consensus] += 1
    rules = []
    for name, c in per.items():
        decided = c["confirmed"] + c["false_alarm"]
        rules.append({"rule": name, **c, "precision": round(c["confirmed"] / decided, 3) if decided else None})
    rules.sort(key=lambda r: (r["precision"] if r["precision"] is not None else 2.0, -r["judged"], r["rule"]))
    findings = [j for j in judged if rule is None or rule in j.rules]
    return {"findings": len(findings), "reviewers": len({who for j in findings for who in j.by}), "rules": rules}


def _script_of(text: str) -> str:
    """`traditional` when any character of `text` has a simplified form of its own (OpenCC's table), else `simplified`."""
    return "traditional" if any(normalize_char(ch) not in (ch, ch.lower()) and "\u4e00" <= ch <= "\u9fff" for ch in text) \
        else "simplified"


@dataclass
class Corpus:
    """The judged sentences as corpus lines, and how many judged sentences were left out: sentences where a judged
    false alarm stands beside a finding nobody judged (the sentence may claim: no label can be given to it)."""

    lines: list[dict]
    left_out: int


def corpus_lines(store: Store, since: datetime | None = None, until: datetime | None = None,
                 rule: str | None = None) -> Corpus:
    """The judged sentences (of phrase findings) as lines of the linter's real-text corpora (tests/lint/real/README.md).

    One passage per sentence (the same words once, whichever script holds them), labelled as the corpora label a
    passage, whole: `flag` when a finding in it was confirmed (or disputed), `clean` only when every phrase finding in it
    was judged a false alarm; a sentence with a false alarm beside a finding nobody judged is left out. `doubtful` in the
    note when reviewers disagree on a finding in it, or two scripts' judgements of the same words differ. The source
    names the script version, in place of the address a published passage has; `campaign` names its campaign."""
    passages: dict[str, dict] = {}
    cutters: dict[str, Any] = {}  # each script's text cut into sentences once, however many of its findings were judged
    for j in _judged(_rows(store, since, until, with_scripts=True)):
        if rule is not None and rule not in j.rules or j.row.code == "MISSING_DISCLOSURE":
            continue  # the corpora score phrase findings: a missing disclosure is about the whole script, no sentence
        row = j.row
        if row.script_id not in cutters:
            cutters[row.script_id] = sentence_cutter(row.text)
        s, e = cutters[row.script_id](row.start, row.end)
        text = row.text[s:e]
        types = row.lint.get("product_types") or [row.product_type]
        p = passages.setdefault(text, {"scripts": [], "findings": [], "words": defaultdict(set), "judged": set(),
                                       "present": set(), "product_type": types[0] if len(types) == 1 and types[0] else None,
                                       "codes": set()})
        where = f"script:{row.script_id} v{row.version} ({row.campaign})"
        if where not in p["scripts"]:
            p["scripts"].append(where)
        p.setdefault("campaign", row.campaign)
        p["judged"].add((row.script_id, row.rule, row.start, row.end))
        p["present"].update((row.script_id, f.get("rule"), f.get("start"), f.get("end")) for f in row.lint.get("findings", [])
                            if f.get("code") != "MISSING_DISCLOSURE" and s <= f.get("start", -1) and f.get("end", e + 1) <= e)
        consensus = j.consensus
        # the same words of the same sentence, judged in several scripts (a script's versions share their sentences)
        p["words"][(row.rule, row.start - s, row.end - s)].add(consensus)
        if consensus != "false_alarm":
            p["codes"].add(row.code)
        p["findings"].append(f"{'/'.join(j.rules)} on 「{row.matched}」: {consensus.replace('_', ' ')}"
                             + (f" ({'; '.join(j.notes)})" if j.notes else ""))
    out, left_out = [], 0
    for text, p in passages.items():
        verdicts = set().union(*p["words"].values())
        label = "clean" if verdicts == {"false_alarm"} else "flag"
        if label == "clean" and p["present"] - p["judged"]:
            left_out += 1
            continue
        # doubtful: reviewers disagree on a finding, or the same words were judged both ways in two scripts
        doubtful = any(len(v) > 1 or "disputed" in v for v in p["words"].values())
        note = ("doubtful: reviewers disagree; " if doubtful else "") + "reviewers' judgements of the guard's findings: " \
            + " | ".join(dict.fromkeys(p["findings"]))
        out.append({
            "id": "j" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10], "text": text, "source": p["scripts"][0],
            "region": "unknown", "script": _script_of(text), "product_type": p["product_type"], "label": label,
            "codes": sorted(p["codes"]) if label == "flag" else [], "family": "reviewed", "note": note, "run": "", "line": 0,
            "speaker": "seller", "campaign": p["campaign"],
        })
    return Corpus(out, left_out)


def split_by_campaign(lines: list[dict]) -> tuple[list[dict], list[dict]]:
    """(development, held out): the corpus lines split once by a hash of their campaign, as the real-text corpora are
    split by a hash of their source's site — a campaign's script versions share their wording, so a sentence tuned on
    must not stand beside its twin in the held-out half. Stable: the same campaign always falls on the same side."""
    def held_out(campaign: str) -> bool:
        return hashlib.sha256(campaign.encode("utf-8")).digest()[0] % 2 == 1

    return [x for x in lines if not held_out(x["campaign"])], [x for x in lines if held_out(x["campaign"])]


def decided_phrase_findings(store: Store) -> list[_Judged]:
    """Every judged phrase finding whose reviewers' newest judgements agree, with its script (for `relint_judged`)."""
    return [j for j in _judged(_rows(store, None, None, with_scripts=True))
            if j.consensus != "disputed" and j.row.code != "MISSING_DISCLOSURE"]


def relint_judged(store: Store, packs, now: datetime, pack_ids: Iterable[str] | None = None,
                  judged: list[_Judged] | None = None) -> list[dict]:
    """Every judged phrase finding (`judged`, else `decided_phrase_findings`) of a script whose campaign is governed, at
    `now` under `packs`, by one of `pack_ids` (None: any): the script linted again by that pack under the types it was
    linted under when stored, and whether the finding's words still draw a phrase finding (`still`)."""
    from guard.core.catalog import NoPolicy
    from guard.services.calls.check import resolve_campaign
    from guard.services.catalog.scripts import lint_types

    wanted = set(pack_ids) if pack_ids is not None else None
    if judged is None:
        judged = decided_phrase_findings(store)
    resolved: dict[str, Any] = {}
    with store.read() as conn:
        for campaign in {j.row.campaign for j in judged}:
            try:
                resolved[campaign] = resolve_campaign(store, conn, packs, campaign, now).pack
            except NoPolicy:
                resolved[campaign] = None
    linted: dict[tuple, Any] = {}
    out = []
    for j in judged:
        row, pack = j.row, resolved[j.row.campaign]
        if pack is None or (wanted is not None and pack.id not in wanted):
            continue
        types = tuple(row.lint.get("product_types") or [row.product_type])
        key = (row.script_id, pack.id, pack.version)
        if key not in linted:
            linted[key] = lint_types(row.text, types, pack)[0].findings
        # the words still draw a finding, of any rule (another rule's finding on the same words is the same false alarm,
        # or finds the same claim)
        still = any(f.start < row.end and row.start < f.end for f in linted[key] if f.code != "MISSING_DISCLOSURE")
        out.append({"script_id": row.script_id, "campaign": row.campaign, "version": row.version, "rule": row.rule,
                    "start": row.start, "end": row.end, "matched": row.matched, "judgement": j.consensus, "still": still,
                    "pack": pack.id, "pack_version": pack.version})
    return out

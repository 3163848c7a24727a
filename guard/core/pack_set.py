"""Assemble validated pack documents into a PackSet: versions, `extends`, and their timelines.

`extends: B` starts from the version of B **in effect** at each instant: an extending version
E (effective from t) is resolved against the base version in effect at t, and again against
every later base version that takes effect before E's next version. So a new base version
reaches the extending pack on its own date, never earlier, and each resolved combination is
validated (and hashed) on its own.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from guard.core.pack import Pack, PackSet, PackTimeline
from guard.core.pack_schema import PackError, PackIssue, build_pack, parse_instant


@dataclasses.dataclass
class _Doc:
    source: str
    raw: dict[str, Any]
    id: str
    version: str
    effective_from: datetime
    extends: str | None


def _shown(value: Any) -> str:
    """A value as the officer wrote it: YAML reads an unquoted 2026-12-08 as a date, which Python's repr would show
    as datetime.date(2026, 12, 8)."""
    if isinstance(value, (date, datetime)):
        return repr(value.isoformat()) + (" (a date, no time or UTC offset)" if not isinstance(value, datetime)
                                          else " (no UTC offset)" if value.utcoffset() is None else "")
    return repr(value)


def _shallow(source: str, raw: Any) -> tuple[_Doc | None, list[PackIssue]]:
    issues: list[PackIssue] = []
    if not isinstance(raw, dict):
        return None, [PackIssue(source, "", "the file is not a YAML mapping")]
    for key in ("id", "version"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            hint = " (quote it in YAML)" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            issues.append(PackIssue(source, key, f"{value!r} is not a non-empty string{hint}" if value is not None else "is required"))
    effective = parse_instant(raw.get("effective_from"))
    if effective is None:
        issues.append(
            PackIssue(source, "effective_from", f"{_shown(raw.get('effective_from'))} is not an ISO 8601 instant with a UTC offset")
            if "effective_from" in raw
            else PackIssue(source, "effective_from", "is required")
        )
    extends = raw.get("extends")
    if extends is not None and (not isinstance(extends, str) or not extends.strip()):
        issues.append(PackIssue(source, "extends", f"{extends!r} is not a pack id"))
    if issues:
        return None, issues
    return _Doc(source, raw, raw["id"], raw["version"], effective, extends), []


def _order(ids: dict[str, list[_Doc]]) -> tuple[list[str], set[str]]:
    """Topological order of pack ids by `extends`; ids on a cycle are returned apart."""
    deps = {i: {d.extends for d in docs if d.extends} for i, docs in ids.items()}
    order: list[str] = []
    state: dict[str, int] = {}
    cyclic: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            cyclic.update(stack[stack.index(node) :])
            return
        state[node] = 1
        for dep in sorted(deps.get(node, ())):
            if dep in ids:
                visit(dep, stack + [dep])
        state[node] = 2
        order.append(node)

    for node in sorted(ids):
        visit(node, [node])
    return [i for i in order if i not in cyclic], cyclic


def assemble(documents: list[tuple[str, Any]], default_id: str) -> tuple[PackSet, list[PackIssue], set[str]]:
    """Build every valid version; return the set, the problems, and the sources that failed."""
    issues: list[PackIssue] = []
    failed: set[str] = set()
    by_id: dict[str, list[_Doc]] = {}
    docs_read: list[_Doc] = []
    for source, raw in sorted(documents, key=lambda d: d[0]):
        doc, problems = _shallow(source, raw)
        if doc is None:
            issues += problems
            failed.add(source)
            continue
        docs_read.append(doc)
    # Two files claiming one version label, or one instant, of a pack: which one the bank meant cannot be told (the
    # order of file names is no intent), so neither judges; from that instant on no version of the pack does, until
    # the next valid one (fail closed: NO_POLICY, loudly), instead of the name order picking one.
    refused_starts: dict[str, list[tuple[datetime, str]]] = {}
    for label, key_of in (("version", lambda d: (d.id, d.version)), ("effective_from", lambda d: (d.id, d.effective_from.timestamp()))):
        groups: dict[tuple, list[_Doc]] = {}
        for doc in docs_read:
            groups.setdefault(key_of(doc), []).append(doc)
        for group in groups.values():
            if len(group) < 2:
                continue
            for doc in group:
                others = ", ".join(d.source for d in group if d is not doc)
                why = (f"{doc.id} {doc.version!r} is already defined in {others}" if label == "version"
                       else f"{doc.id} already has a version effective from that instant ({others})")
                issues.append(PackIssue(doc.source, label, why + "; neither serves until one is removed"))
                failed.add(doc.source)
                refused_starts.setdefault(doc.id, []).append((doc.effective_from, doc.source))
    for doc in docs_read:
        if doc.source not in failed:
            by_id.setdefault(doc.id, []).append(doc)

    # A cycle is made by the versions whose `extends` names a pack on it: only those are refused. The versions of
    # those packs that extend nothing (or a pack off the cycle) are no part of it and keep serving, so one new file
    # naming its own pack in `extends` does not take the pack's versions in force down with it.
    order, cyclic = _order(by_id)
    while cyclic:
        for pack_id in sorted(cyclic):
            keep = []
            for doc in by_id[pack_id]:
                if doc.extends in cyclic:
                    issues.append(PackIssue(doc.source, "extends", f"{doc.extends!r} leads back to {pack_id!r} (a cycle)"))
                    failed.add(doc.source)
                else:
                    keep.append(doc)
            if keep:
                by_id[pack_id] = keep
            else:
                del by_id[pack_id]
        order, cyclic = _order(by_id)

    built: dict[str, PackTimeline] = {}
    for pack_id in order:
        docs = sorted(by_id[pack_id], key=lambda d: d.effective_from)
        versions: list[Pack] = []
        refused: list[tuple[datetime, str]] = list(refused_starts.get(pack_id, ()))
        for n, doc in enumerate(docs):
            later = [d.effective_from for d in docs[n + 1:]] + [r[0] for r in refused if r[0] > doc.effective_from]
            until = min(later) if later else None
            try:
                versions += _build_doc(doc, until, built)
            except PackError as exc:
                issues += exc.issues
                failed.add(doc.source)
                refused.append((doc.effective_from, doc.source))
        if versions:
            built[pack_id] = PackTimeline(versions, refused)
    # A campaign that hands a country's numbers to another pack must name a pack that is loaded and covers that
    # country: a number is judged only by a pack whose countries include its region (guard.core.decide), so CA handed
    # to us-tcpa would deny every Canadian call OUT_OF_JURISDICTION.
    for timeline in built.values():
        for pack in timeline.versions:
            for campaign in pack.campaigns.values():
                for country, other in campaign.packs:
                    if other not in built:
                        issues.append(PackIssue(pack.source, f"campaigns.{campaign.id}.packs.{country}",
                                                f"{other!r} is not a loaded pack (loaded: {', '.join(sorted(built))})"))
                        continue
                    covered = {c for v in built[other].versions for c in (v.countries or {v.country})}
                    if country not in covered:
                        issues.append(PackIssue(pack.source, f"campaigns.{campaign.id}.packs.{country}",
                                                f"pack {other} covers {', '.join(sorted(covered))} only: every {country} number "
                                                f"would be denied OUT_OF_JURISDICTION"))
    return PackSet(built, default_id), issues, failed


def _build_doc(doc: _Doc, until: datetime | None, built: dict[str, PackTimeline]) -> list[Pack]:
    if doc.extends is None:
        return [build_pack(doc.raw, doc.source)]
    base_timeline = built.get(doc.extends)
    if base_timeline is None:
        raise PackError([PackIssue(doc.source, "extends", f"{doc.extends!r}: no valid version of that pack is loaded")])
    first = base_timeline.at(doc.effective_from)
    if first is None:
        raise PackError(
            [PackIssue(doc.source, "extends", f"{doc.extends!r} has no version in effect at {doc.effective_from.isoformat()}")]
        )
    bases = [first] + [
        b for b in base_timeline.versions if b.effective_from > doc.effective_from and (until is None or b.effective_from < until)
    ]
    out = []
    for base in bases:
        pack = build_pack(doc.raw, doc.source, base=base)
        out.append(dataclasses.replace(pack, effective_from=max(doc.effective_from, base.effective_from)))
    return out

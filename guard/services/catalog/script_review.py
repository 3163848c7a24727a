"""Approved scripts after a pack change: linted again under every version of their campaign's pack that
is in effect now or loaded to take effect later; one that a version fails needs review from the
instant that version takes effect, and its approval stops counting (the campaign's checks answer
SCRIPT_NOT_APPROVED, when it requires an approved script) after the pack's
`script_approval.review_grace`. A reviewer lifts it by approving a new version. A blank version (no letter or digit)
approved before blank scripts were refused is marked the same way, by the pack in effect: nothing in it was reviewed.

Run by `guard policies reload` (after the new documents are stored) and by `guard scheduler`
(job `script_review`): a version loaded ahead of its `effective_from` is linted against at once,
so the mark is recorded before the instant it starts to count (what `known_then` replays rely on).
Marking is idempotent: a version already marked keeps its first mark.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guard.core.catalog import NoPolicy
from guard.core.lint import lint_notes
from guard.core.pack import PackSet
from guard.core.text import has_words
from guard.services.calls.check import resolve_campaign
from guard.services.catalog.scripts import lint_types, sold_types, types_to_lint
from guard.store import scripts as script_store
from guard.store.db import Store


def review_approved(store: Store, packs: PackSet, now: datetime) -> dict[str, Any]:
    """Lint every approved, unmarked script again; mark the ones a pack version fails. Returns the
    count linted and the marks made ({script_id, campaign, version, pack, needs_review_at, suspended_at})."""
    with store.read() as conn:
        rows = [r for r in script_store.approved(conn) if r.needs_review_at is None]
        resolutions: dict[str, Any] = {}
        for r in rows:
            if r.campaign not in resolutions:
                try:
                    resolutions[r.campaign] = resolve_campaign(store, conn, packs, r.campaign, now)
                except NoPolicy:
                    resolutions[r.campaign] = None
    marks, unvouched = [], []
    for row in rows:
        resolution = resolutions[row.campaign]
        if resolution is None:
            continue
        mark = review_one(store, packs, row, resolution, now)
        if mark is not None:
            marks.append(mark)
        else:
            unvouched.extend(_unvouched(packs, row, resolution, now))
    return {"linted": len(rows), "marked": marks, "unvouched": unvouched}


def _unvouched(packs: PackSet, row: Any, resolution: Any, now: datetime) -> list[dict[str, Any]]:
    """The versions (in effect, or coming) that pass an approved script with no wording rule applied: a pass that
    vouches for no wording ({script_id, campaign, version, pack, notes}), as the lint answer's notes say it."""
    types = types_to_lint(row.campaign, sold_types(resolution), None)
    out = []
    for version in _versions(packs, resolution, now):
        notes = lint_notes(version, types)
        if notes:
            out.append({"script_id": row.id, "campaign": row.campaign, "version": row.version,
                        "pack": f"{version.id} {version.version}", "notes": notes})
    return out


def _versions(packs: PackSet, resolution: Any, now: datetime) -> list[Any]:
    """The campaign's pack version in effect and every version loaded to take effect later."""
    timeline = packs.timelines[resolution.pack.id]
    return [resolution.pack] + [v for v in timeline.versions if v.effective_from > now]


def review_one(store: Store, packs: PackSet, row: Any, resolution: Any, now: datetime) -> dict[str, Any] | None:
    """Lint one approved script under its campaign's pack version in effect and every version loaded to take effect
    later; mark it at the first that fails it. The mark made, or None (it passes them all, or was marked already)."""
    if not has_words(row.text):  # approved before blank scripts were refused: nothing in it was ever reviewed
        pack = resolution.pack
        suspended_at = now + pack.script_review_grace
        with store.write([f"s:{row.id}"]) as conn:
            marked = script_store.mark_needs_review(conn, row.id, now, suspended_at, f"{pack.id} {pack.version}", [])
        return {"script_id": row.id, "campaign": row.campaign, "version": row.version, "pack": f"{pack.id} {pack.version}",
                "needs_review_at": now.isoformat(), "suspended_at": suspended_at.isoformat()} if marked else None
    versions = _versions(packs, resolution, now)
    types = types_to_lint(row.campaign, sold_types(resolution), None)
    for version in versions:
        _, per_type = lint_types(row.text, types, version)
        failing = [t for t in types if per_type[t].verdict == "fail"]
        if not failing:
            continue
        needs_review_at = max(now, version.effective_from)
        suspended_at = needs_review_at + version.script_review_grace
        findings = [{"product_type": t, **f.to_dict()} for t in failing for f in per_type[t].findings if f.severity == "error"]
        with store.write([f"s:{row.id}"]) as conn:
            marked = script_store.mark_needs_review(conn, row.id, needs_review_at, suspended_at, f"{version.id} {version.version}",
                                                    findings)
        if not marked:
            return None
        return {"script_id": row.id, "campaign": row.campaign, "version": row.version,
                "pack": f"{version.id} {version.version}", "needs_review_at": needs_review_at.isoformat(),
                "suspended_at": suspended_at.isoformat()}
    return None

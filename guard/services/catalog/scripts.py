"""Marketing scripts (话术): lint, store versions with their lint result, approve.

The linter is the pure `guard.core.lint`, compiled once per pack version. A script is linted for
the product types it may sell: a stored script for the types its campaign sells (the campaign's
products through `guard.core.catalog`; a campaign with no known products, and a lint with no type
and no campaign, by every rule); a type the reviewer names must be one the campaign sells. A stored
script keeps the verdict and findings it got, the types it was linted under and the pack version
that judged it. Approval lints the version again under every type the campaign sells *then*, by the
pack version in effect then, and is refused (SCRIPT_FAILS_LINT) if any type fails; once a version
is approved, checks of a campaign that requires an approved script stop answering SCRIPT_NOT_APPROVED.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from guard.core.catalog import NoPolicy, Resolution
from guard.core.lint import Finding, LintResult, lint_notes, verdict_of
from guard.services.catalog.lint_pool import lint
from guard.core.lint_scorer import SCORER_RULE, any_starts_within
from guard.core.pack import PRODUCT_TYPES, Pack, PackSet
from guard.core.text import has_words
from guard.core.turns import unlinted
from guard.services.calls.check import resolve_campaign
from guard.core.errors import Conflict, InvalidField, NotFound
from guard.store import scripts as script_store
from guard.store.db import Store
from guard.store.ids import new_id
from guard.core.i18n import field_said
from guard.core.messages import label, said


class Refused(Conflict):
    code = "SCRIPT_FAILS_LINT"


class SameReviewer(Conflict):
    code = "FOUR_EYES_REQUIRED"


class UnknownPack(InvalidField):
    def __init__(self, message: str):
        super().__init__("pack", message, field_said("pack", message))


class TypeNotSold(InvalidField):
    """A `product_type` the campaign does not sell (400, naming the field and the campaign's types)."""

    def __init__(self, campaign: str, product_type: str, sold: tuple[str, ...]):
        reason = said("error.type_not_sold", campaign=campaign, sold=list(sold), product_type=product_type)
        super().__init__("product_type", reason, field_said("product_type", said("error.type_not_sold_hint", reason=reason)))
        self.details[0]["campaign_product_types"] = list(sold)


class UnknownCampaign(InvalidField):
    """A script stored for a campaign that is configured nowhere (400, naming `campaign`).

    A typo (wm-2026Q4 for wm-2026q4) would store and approve a version no check ever reads: the real campaign stays
    without an approved script while the reviewer believes it has one.
    """

    def __init__(self, campaign: str):
        reason = said("error.unknown_campaign", campaign=repr(campaign))
        super().__init__("campaign", reason, field_said("campaign", reason))


def pack_for_lint(packs: PackSet, pack_id: str | None, now: datetime) -> Pack:
    if pack_id is not None and pack_id not in packs.ids():
        raise UnknownPack(said("error.pack_not_loaded", pack=repr(pack_id), loaded=list(packs.ids())))
    pack = packs.at(pack_id or packs.default_id, now)
    if pack is None:
        raise NoPolicy(said("error.pack_no_version_at", pack=repr(pack_id or packs.default_id), at=now.isoformat()))
    return pack


def merge(pack: Pack, results: Iterable[LintResult]) -> LintResult:
    """One result from several (identical findings once): phrase findings in text order, then missing
    disclosures in pack order, as `guard.core.lint` orders them; the verdict is the worst."""
    seen: set[Finding] = set()
    phrases: list[Finding] = []
    missing: list[Finding] = []
    for result in results:
        for f in result.findings:
            if f not in seen:
                seen.add(f)
                (missing if f.code == "MISSING_DISCLOSURE" else phrases).append(f)
    # A sentence a rule found something in under one type gets no scorer finding from another type
    # (as within one lint: guard/core/lint.py, Linter._scored).
    ruled = sorted(f.start for f in phrases if f.rule != SCORER_RULE)
    phrases = [f for f in phrases if f.rule != SCORER_RULE or not any_starts_within(ruled, f.start, f.end)]
    order = {d.id: i for i, d in enumerate(pack.disclosures)}
    out = (tuple(sorted(phrases, key=lambda f: (f.start, f.end, f.rule)))
           + tuple(sorted(missing, key=lambda f: order.get(f.rule, len(order)))))
    return LintResult(verdict_of(out), out)


def lint_types(text: str, product_types: Iterable[str], pack: Pack) -> tuple[LintResult, dict[str, LintResult]]:
    """The script linted under each of `product_types`: the merged result and the result per type."""
    per_type = {t: lint(text, t, pack) for t in product_types}
    return merge(pack, per_type.values()), per_type


def lint_text(packs: PackSet, text: str, product_type: str | None, pack_id: str | None, now: datetime) -> tuple[LintResult, Pack]:
    """Lint under `product_type`, or by every rule when it is None."""
    pack = pack_for_lint(packs, pack_id, now)
    return lint(text, product_type, pack), pack  # None: every rule and every disclosure


def sold_types(resolution: Resolution) -> tuple[str, ...]:
    """The product types a campaign sells (its products' types); () for a campaign with no known product."""
    return tuple(sorted({p.type for p in resolution.products.values()}))


def types_to_lint(campaign: str, sold: tuple[str, ...], product_type: str | None) -> tuple[str, ...]:
    """The named type (which the campaign must sell), else every type the campaign sells, else every type."""
    if product_type is not None:
        if sold and product_type not in sold:
            raise TypeNotSold(campaign, product_type, sold)
        return (product_type,)
    return sold or tuple(PRODUCT_TYPES)


def _resolve(store: Store, packs: PackSet, campaign: str, now: datetime) -> Resolution:
    with store.read() as conn:
        return resolve_campaign(store, conn, packs, campaign, now)


def lint_for_campaign(store: Store, packs: PackSet, campaign: str, text: str, product_type: str | None, pack_id: str | None,
                      now: datetime) -> tuple[LintResult, Pack, tuple[str, ...]]:
    """Lint a script as the campaign's (by the campaign's pack unless `pack_id`): (result, pack, types linted)."""
    resolution = _resolve(store, packs, campaign, now)
    if resolution.campaign is None:
        raise UnknownCampaign(campaign)
    types = types_to_lint(campaign, sold_types(resolution), product_type)
    pack = pack_for_lint(packs, pack_id or resolution.pack.id, now)
    return lint_types(text, types, pack)[0], pack, types


def lint_script(store: Store, packs: PackSet, text: str, product_type: str | None, campaign: str | None, pack_id: str | None,
                now: datetime) -> tuple[LintResult, Pack, tuple[str, ...]]:
    """`POST /v1/scripts/lint`: as the campaign's script when one is named, else under `product_type`
    or, without it, by every rule. (result, pack, types linted)."""
    if campaign is not None:
        return lint_for_campaign(store, packs, campaign, text, product_type, pack_id, now)
    result, pack = lint_text(packs, text, product_type, pack_id, now)
    return result, pack, (product_type,) if product_type is not None else tuple(PRODUCT_TYPES)


def _view(row: Any) -> dict:
    return {
        "id": row.id,
        "campaign": row.campaign,
        "product_type": row.product_type or None,
        "product_types": row.lint.get("product_types") or [row.product_type],
        "version": row.version,
        "text": row.text,
        "verdict": row.verdict,
        "findings": row.lint.get("findings", []),
        # What the verdict cannot vouch for (NO_PHRASE_RULES: no wording rule applied), as the lint answer says it;
        # none kept for a version stored before notes were.
        "notes": row.lint.get("notes", []),
        "unlinted": unlinted(row.text),
        "policy": {"pack": row.pack_id, "version": row.pack_version},
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "approved_by": row.approved_by,
        "approval_notes": row.approval_notes or [],
        # An approved version that a pack version fails (guard.services.catalog.script_review).
        "needs_review": row.needs_review_at is not None,
        "needs_review_at": row.needs_review_at.isoformat() if row.needs_review_at else None,
        "suspended_at": row.suspended_at.isoformat() if row.suspended_at else None,
        "review_pack": row.review_pack,
        "review_findings": row.review_findings or [],
    }


def store_script(store: Store, packs: PackSet, campaign: str, product_type: str | None, text: str, pack_id: str | None,
                 now: datetime, actor: str | None) -> dict:
    """Lint and store a new version of the campaign's script (by the campaign's pack unless `pack_id`),
    under `product_type` (one the campaign sells) or, without it, under every type the campaign sells."""
    result, pack, types = lint_for_campaign(store, packs, campaign, text, product_type, pack_id, now)
    with store.locked([f"s:{campaign}"]) as conn:
        version = script_store.next_version(conn, campaign)
        script_id = new_id(now)
        script_store.insert_script(conn, dict(
            # product_type: the type the reviewer named ("" when none: the column predates optional types);
            # the types linted under are kept with the lint result.
            id=script_id, campaign=campaign, product_type=product_type or "", version=version, text=text, verdict=result.verdict,
            lint={**result.to_dict(), "product_types": list(types), "notes": lint_notes(pack, types)}, pack_id=pack.id, pack_version=pack.version, created_at=now,
            created_by=actor, approved_at=None, approved_by=None,
        ))
        return _view(script_store.get(conn, script_id))


def get_script(store: Store, script_id: str) -> dict:
    with store.read() as conn:
        row = script_store.get(conn, script_id)
    if row is None:
        raise NotFound("script", script_id)
    return _view(row)


def scripts_needing_review(store: Store, campaign: str | None = None) -> list[dict]:
    """Approved versions that a pack version in effect (or coming) fails, oldest mark first."""
    with store.read() as conn:
        rows = script_store.needing_review(conn, campaign)
    return [_view(r) for r in rows]


def list_scripts(store: Store, campaign: str) -> list[dict]:
    with store.read() as conn:
        rows = script_store.of_campaign(conn, campaign)
    return [_view(r) for r in rows]


def approve(store: Store, packs: PackSet, script_id: str, now: datetime, actor: str | None) -> tuple[dict, bool]:
    """Approve a version; (script, newly approved). Refused when its stored verdict is `fail`, or when
    linted again, by its campaign's pack's version in effect now, under every product type the campaign sells now
    (every type when it sells none known), any type fails."""
    with store.read() as conn:
        row = script_store.get(conn, script_id)
    if row is None:
        raise NotFound("script", script_id)
    if row.needs_review_at is not None:
        raise Refused(said("error.script_needs_review", what=said("error.script_what", script_id=script_id, campaign=row.campaign,
                                                                  version=row.version),
                           pack=row.review_pack, at=row.needs_review_at.isoformat()),
                      [{"product_type": f.get("product_type"), "verdict": "fail", "findings": [f]} for f in row.review_findings or []])
    if row.approved_at is not None:
        return _view(row), False
    if not has_words(row.text):  # stored before blank scripts were refused: nothing in it was reviewed
        raise Refused(said("error.script_blank_stored", script_id=script_id, campaign=row.campaign, version=row.version), [])
    resolution = _resolve(store, packs, row.campaign, now)
    sold = sold_types(resolution)
    types = types_to_lint(row.campaign, sold, None)
    # The campaign's pack in effect now judges the approval (its rules, its four eyes), as the script_review job
    # judges an approved version: not the pack the version was stored under, which a reviewer may name (`pack`).
    pack = pack_for_lint(packs, resolution.pack.id, now)
    _, per_type = lint_types(row.text, types, pack)
    # Details: the version linted again now, per type (what a reviewer must fix, type by type).
    details = [{"product_type": t, "verdict": per_type[t].verdict, "findings": [f.to_dict() for f in per_type[t].findings]}
               for t in types]
    what = said("error.script_what", script_id=script_id, campaign=row.campaign, version=row.version)
    # Four eyes compares who acted: the same person (user:/ldap:) or the same key refuses.
    if pack.script_four_eyes and actor is not None and actor == row.created_by:
        who = label("person", "人员") if actor.startswith(("user:", "ldap:")) else label("key", "密钥")
        raise SameReviewer(said("error.script_same_reviewer", what=what, who=who, actor=actor, pack=pack.id, version=pack.version),
                           {"created_by": row.created_by})
    if row.verdict == "fail":
        errors = [f for f in row.lint.get("findings", []) if f.get("severity") == "error"]
        raise Refused(said("error.script_failed_when_stored", what=what, count=len(errors)), details)
    failing = [t for t in types if per_type[t].verdict == "fail"]
    if failing:
        sells = said("error.campaign_sells", sold=list(sold)) if sold else said("error.campaign_sells_none")
        raise Refused(said("error.script_fails_as", what=what, types=list(failing), sells=sells, pack=pack.id, version=pack.version),
                      details)
    with store.locked([f"s:{script_id}"]) as conn:
        row = script_store.get(conn, script_id)
        if row.approved_at is not None:
            return _view(row), False
        # The approval says when no wording rule of the pack that judged it applied: it vouches for no wording then.
        script_store.approve(conn, script_id, now, actor, lint_notes(pack, types))
    # A pack version loaded to take effect later that fails this version marks it at once, as the script_review job
    # would at its next run: the approval's answer says from when it needs review and when it stops counting.
    from guard.services.catalog.script_review import review_one
    review_one(store, packs, row, resolution, now)
    with store.read() as conn:
        return _view(script_store.get(conn, script_id)), True

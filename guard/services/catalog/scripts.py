"""Marketing scripts (话术): lint, store versions with their lint result, approve.

The linter is the pure `guard.core.lint`, compiled once per pack version. A stored script keeps
the verdict and findings it got and the pack version that judged it. A version whose verdict is
`fail` cannot be approved; once a version of a campaign's script is approved, checks of a
campaign that requires an approved script stop answering SCRIPT_NOT_APPROVED.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guard.core.catalog import NoPolicy
from guard.core.lint import LintResult, lint
from guard.core.pack import Pack, PackSet
from guard.services.calls.check import resolve_campaign
from guard.core.errors import Conflict, InvalidField, NotFound
from guard.store import scripts as script_store
from guard.store.db import Store
from guard.store.ids import new_id


class Refused(Conflict):
    code = "SCRIPT_FAILS_LINT"


class UnknownPack(InvalidField):
    def __init__(self, message: str):
        super().__init__("pack", message, f"pack: {message}")


def pack_for_lint(packs: PackSet, pack_id: str | None, now: datetime) -> Pack:
    if pack_id is not None and pack_id not in packs.ids():
        raise UnknownPack(f"{pack_id!r} is not loaded (loaded: {', '.join(packs.ids())})")
    pack = packs.at(pack_id or packs.default_id, now)
    if pack is None:
        raise NoPolicy(f"pack {pack_id or packs.default_id!r} has no version in effect at {now.isoformat()}")
    return pack


def lint_text(packs: PackSet, text: str, product_type: str | None, pack_id: str | None, now: datetime) -> tuple[LintResult, Pack]:
    pack = pack_for_lint(packs, pack_id, now)
    return lint(text, product_type, pack), pack


def _view(row: Any) -> dict:
    return {
        "id": row.id,
        "campaign": row.campaign,
        "product_type": row.product_type,
        "version": row.version,
        "text": row.text,
        "verdict": row.verdict,
        "findings": row.lint.get("findings", []),
        "policy": {"pack": row.pack_id, "version": row.pack_version},
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "approved_by": row.approved_by,
    }


def store_script(store: Store, packs: PackSet, campaign: str, product_type: str, text: str, pack_id: str | None,
                 now: datetime, key_id: str | None) -> dict:
    """Lint and store a new version of the campaign's script (by the campaign's pack unless `pack_id`)."""
    if pack_id is None:
        with store.read() as conn:
            pack_id = resolve_campaign(store, conn, packs, campaign, now).pack.id
    result, pack = lint_text(packs, text, product_type, pack_id, now)
    with store.locked([f"s:{campaign}"]) as conn:
        version = script_store.next_version(conn, campaign)
        script_id = new_id(now)
        script_store.insert_script(conn, dict(
            id=script_id, campaign=campaign, product_type=product_type, version=version, text=text, verdict=result.verdict,
            lint=result.to_dict(), pack_id=pack.id, pack_version=pack.version, created_at=now, created_by=key_id,
            approved_at=None, approved_by=None,
        ))
        return _view(script_store.get(conn, script_id))


def get_script(store: Store, script_id: str) -> dict:
    with store.read() as conn:
        row = script_store.get(conn, script_id)
    if row is None:
        raise NotFound("script", script_id)
    return _view(row)


def list_scripts(store: Store, campaign: str) -> list[dict]:
    with store.read() as conn:
        rows = script_store.of_campaign(conn, campaign)
    return [_view(r) for r in rows]


def approve(store: Store, script_id: str, now: datetime, key_id: str | None) -> tuple[dict, bool]:
    """Approve a version; (script, newly approved). Refused when its verdict is `fail`."""
    with store.locked([f"s:{script_id}"]) as conn:
        row = script_store.get(conn, script_id)
        if row is None:
            raise NotFound("script", script_id)
        if row.verdict == "fail":
            errors = [f for f in row.lint.get("findings", []) if f.get("severity") == "error"]
            raise Refused(f"script {script_id} (campaign {row.campaign} v{row.version}) failed the lint with {len(errors)} error(s); "
                          "fix them and store a new version")
        if row.approved_at is not None:
            return _view(row), False
        script_store.approve(conn, script_id, now, key_id)
        return _view(script_store.get(conn, script_id)), True

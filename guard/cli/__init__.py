"""The `guard` command group: `flask --app app guard ...`. Thin wrappers over the services.

Machine-readable output goes to stdout; messages, progress and problems go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from guard.runtime import Runtime
from guard.services.keys import ROLES, create_key, list_keys, revoke_key
from guard.store.migrate import current_revision, head_revision, upgrade
from policies.loader import validate_path


def _rt() -> Runtime:
    return current_app.extensions["guard"]


@click.group("guard")
def guard_group() -> None:
    """Contact-compliance guard commands."""


@guard_group.group("db")
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the store (DATABASE_URL) to the newest schema."""
    url = _rt().settings.database_url
    upgrade(url, revision)
    click.echo(f"store at revision {current_revision(url)}", err=True)


@db.command("current")
def db_current() -> None:
    """Print the store's schema revision and the newest one."""
    click.echo(f"current: {current_revision(_rt().settings.database_url)}\nhead: {head_revision()}")


@guard_group.group("keys")
def keys() -> None:
    """API keys."""


@keys.command("create")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several roles.")
@click.option("--label", default=None, help="Who or what uses the key.")
def keys_create(roles: tuple[str, ...], label: str | None) -> None:
    """Create a key and print it alone on stdout (it is shown only once; only its hash is stored)."""
    rt = _rt()
    click.echo(create_key(rt.store, list(roles), rt.clock(), label))


@keys.command("list")
def keys_list() -> None:
    """List keys (ids, roles, dates; never secrets)."""
    for k in list_keys(_rt().store):
        state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
        click.echo(f"{k['id']}\t{','.join(k['roles'])}\t{state}\t{k['label'] or ''}")


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key by its id (the part after gk_ and before the next _)."""
    rt = _rt()
    if not revoke_key(rt.store, key_id, rt.clock()):
        raise click.ClickException(f"no active key {key_id!r}")
    click.echo(f"revoked {key_id}", err=True)


@guard_group.group("policies")
def policies() -> None:
    """Policy packs."""


@policies.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def policies_validate(path: Path | None) -> None:
    """Validate a pack file or directory (default GUARD_POLICY_DIR); exit 1 on any problem."""
    rt = _rt()
    target = path or rt.settings.policy_dir
    report = validate_path(target, rt.settings.default_pack)
    for pack in sorted(report.packs.all_versions(), key=lambda p: (p.id, p.effective_from)):
        base = f" (extends {pack.base[0]} {pack.base[1]})" if pack.base else ""
        click.echo(f"ok  {pack.source}: {pack.id} {pack.version} effective {pack.effective_from.isoformat()}{base}")
    for issue in report.issues:
        click.echo(f"error  {issue}", err=True)
    if report.issues:
        sys.exit(1)


@policies.command("reload")
def policies_reload() -> None:
    """Validate GUARD_POLICY_DIR and make every running guard process reload it.

    Each process picks the request up within GUARD_RELOAD_POLL_SECONDS and swaps its packs
    atomically; a broken file keeps serving its last good version. Exit 1 if any file is broken.
    """
    rt = _rt()
    report = rt.registry.load()
    rt.record_snapshots()
    reload_id = rt.request_reload("cli")
    for pack in sorted(report.packs.all_versions(), key=lambda p: (p.id, p.effective_from)):
        click.echo(f"ok  {pack.source}: {pack.id} {pack.version}")
    for issue in report.issues:
        click.echo(f"error  {issue}", err=True)
    for source in report.kept:
        click.echo(f"kept  {source}: broken now, its last good content keeps serving", err=True)
    click.echo(f"reload #{reload_id} requested; processes pick it up within {rt.settings.reload_poll_seconds:g} s", err=True)
    if report.issues:
        sys.exit(1)

"""`guard policies`: validate pack files; make every running process reload them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from policies.loader import validate_path


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

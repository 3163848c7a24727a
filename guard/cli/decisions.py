"""`guard decisions`: seal the decision log into its hash chain now; verify the chain."""

from __future__ import annotations

import json
import sys

import click

from guard.cli.group import guard_group, runtime as _rt


@guard_group.group("decisions")
def decisions_group() -> None:
    """The decision log's hash chain."""


@decisions_group.command("seal")
def decisions_seal() -> None:
    """Seal every decision not in the chain yet (the scheduler does this every run)."""
    from guard.services.ops.jobs import seal_all

    rt = _rt()
    click.echo(json.dumps(seal_all(rt.store, rt.clock)))


@decisions_group.command("verify")
@click.option("--expect-head", default=None, help="A head hash printed by an earlier run: it must still be in the chain.")
def decisions_verify(expect_head: str | None) -> None:
    """Recompute the chain: exit 0 when intact, 1 when anything was altered, deleted, re-linked or left unsealed.

    Prints a JSON report with the head (seq and hash); keep the head somewhere else (a ticket, a
    WORM store) and pass it next time as --expect-head to catch a chain rewritten wholesale.
    """
    from guard.store.chain import verify

    rt = _rt()
    bar = sys.stderr.isatty()

    def progress(n: int) -> None:
        if bar:
            click.echo(f"\r{n:,} links checked", nl=False, err=True)

    report = verify(rt.store, expect_head, progress)
    if bar:
        click.echo("", err=True)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if not report["ok"]:
        click.echo(f"decision log NOT intact: {report['counts']}", err=True)
        sys.exit(1)

"""`guard decisions`: seal the decision log (and the outcomes) into their hash chains now; verify the chains."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.cli.output import check_out, written_whole


@guard_group.group("decisions")
def decisions_group() -> None:
    """The hash chains of the decision log and of the outcomes reported on it."""


@decisions_group.command("seal")
def decisions_seal() -> None:
    """Seal every decision and outcome not in the chains yet (the scheduler does this every run)."""
    from guard.services.ops.jobs import seal_all

    rt = _rt()
    click.echo(json.dumps(seal_all(rt.store, rt.clock)))


@decisions_group.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False), default="-", help="The file to write (default: stdout).")
def decisions_export(out: str) -> None:
    """Write both chains as JSON Lines, each link with the content it seals, for `verify --file` away from the store."""
    from guard.store.chain import export

    rt = _rt()
    lines = (json.dumps(link, ensure_ascii=False, separators=(",", ":")) + "\n" for link in export(rt.store))
    if out == "-":
        stdout = click.get_text_stream("stdout")
        stdout.writelines(lines)
        stdout.flush()
        return
    check_out(Path(out))
    with written_whole(Path(out)) as f:
        f.writelines(lines)


@decisions_group.command("verify")
@click.option("--expect-head", "expect_head", multiple=True,
              help="A head hash printed by an earlier run (of either chain): it must still be there. Repeatable.")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              help="Verify an exported log (`guard decisions export`) instead of the store: which rows were removed, "
                   "moved or edited; - reads it from standard input.")
def decisions_verify(expect_head: tuple[str, ...], file: str | None) -> None:
    """Recompute both chains: exit 0 when intact, 1 when anything was altered, deleted, re-linked or left unsealed.

    A log with no decision and no outcome is intact, and said so on stderr ("empty": true in the report).

    Prints a JSON report with the decisions' head and the outcomes' head (`outcomes.head`), each a seq
    and a hash; keep both somewhere else (a ticket, a WORM store) and pass them next time as
    --expect-head HASH --expect-head HASH to catch a chain rewritten wholesale.
    """
    from guard.store.chain import verify, verify_export

    if file is not None:
        from guard.cli.textfile import is_stdin

        # `-`: standard input (`guard decisions export | ssh vault guard decisions verify --file -`), read as a file is
        with (io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace") if is_stdin(file)
              else open(file, encoding="utf-8", errors="replace")) as f:
            report = verify_export(f, list(expect_head))
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        if not report["ok"]:
            click.echo(f"exported decision log NOT intact: decisions {report['counts']}, outcomes {report['outcomes']['counts']}"
                       + ("" if report["expected_head_found"] is not False else ", an expected head is not in it"), err=True)
            sys.exit(1)
        return
    rt = _rt()
    bar = sys.stderr.isatty()

    def progress(n: int) -> None:
        if bar:
            click.echo(f"\r{n:,} links checked", nl=False, err=True)

    report = verify(rt.store, list(expect_head), progress)
    if bar:
        click.echo("", err=True)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if report["empty"]:
        click.echo("the decision log is empty: no decision or outcome was there to verify "
                   "(a new store, or DATABASE_URL names another store than meant)", err=True)
    if not report["ok"]:
        click.echo(f"decision log NOT intact: decisions {report['counts']}, outcomes {report['outcomes']['counts']}"
                   + ("" if report["expected_head_found"] is not False else ", an expected head is not in the chains"), err=True)
        sys.exit(1)

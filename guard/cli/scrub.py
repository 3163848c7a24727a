"""`guard scrub`: scrub a campaign's call list file (a CRM's CSV/TSV export) before it starts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from guard.cli.group import guard_group, parse_when, runtime as _rt
from guard.cli.output import check_out, written_whole
from guard.cli.textfile import is_stdin, open_input, shown

SHOWN_UNREADABLE = 20  # unreadable rows named on stderr; all of them are in the results


@guard_group.command("scrub")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--campaign", required=True, help="The campaign the list is for.")
@click.option("--product", default=None, help="The product the calls pitch (default: every product of the campaign).")
@click.option("--at", "at_text", default=None, metavar="INSTANT",
              help="Judge the list as of this instant (ISO 8601 with offset), e.g. the campaign's start. Default: now.")
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the results CSV here (default: stdout). Written whole or not at all.")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The file's text encoding: utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS). "
                   "Default: told from the bytes; a file whose encoding cannot be told exits 2 and asks for this.")
@click.option("--column", default=None, metavar="NAME",
              help="The header cell of the phone column, when the header names none of the known ones or more than one.")
def scrub_command(path: Path, campaign: str, product: str | None, at_text: str | None, out_path: Path | None,
                  encoding_name: str | None, column: str | None) -> None:
    """Scrub a call list file: every row judged as POST /v1/check/batch judges a number (a dry run: nothing recorded).

    The file: CSV or TSV with a header naming the phone column (phone, 手机号码, 联系电话 … see docs/columns.md) and,
    optionally, the customer's (customer_id, 客户号 …); a list of numbers alone needs no header. PATH `-` reads the
    list from standard input.
    The results (CSV, UTF-8 with BOM): one row per row of the file, with its line. A summary goes to stderr,
    a progress bar too on a terminal.

    Exit 0 when every row was judged and is allowed; 1 when the results are complete but some rows are denied or
    could not be read (an unreadable row is never allowed); 2 when no results were written (the file cannot be
    read, no single phone column, no row readable, an unknown campaign, an instant no pack covers, the store down).
    """
    from guard.core.errors import GuardError
    from guard.services.audits.encoding import UnknownEncoding, resolve
    from guard.services.audits.exports import BOM, _csv_chunks
    from guard.services.calls.scrub_file import FIELDS, Summary, scrub_file

    encoding = None
    if encoding_name is not None:
        try:
            encoding = resolve(encoding_name)
        except UnknownEncoding as exc:
            raise click.BadParameter(str(exc), param_hint="--encoding") from None
    at = parse_when(at_text, "--at") if at_text else None
    if out_path is not None and not is_stdin(path) and out_path.resolve() == path.resolve():
        raise click.BadParameter("would overwrite the list being scrubbed", param_hint="--out")
    check_out(out_path)
    rt = _rt()
    at = at or rt.clock()
    name = shown(path)
    try:
        handle, size = open_input(path)
    except OSError as exc:
        click.echo(f"{name}: cannot be read: {exc.strerror or exc}", err=True)
        sys.exit(2)

    tty = sys.stderr.isatty()
    started = time.monotonic()

    def progress(done: int, rows: int) -> None:
        if not tty:
            return
        elapsed = max(time.monotonic() - started, 1e-6)
        frac = min(done / size, 1.0) if size else 1.0
        eta = elapsed * (1 - frac) / frac if frac > 0 else 0
        line = f"scrubbing [{'#' * int(frac * 30):<30}] {frac * 100:5.1f}%  {rows} rows  {rows / elapsed:,.0f} rows/s  ETA {eta:,.0f} s"
        click.echo("\r" + line.ljust(100), nl=False, err=True)

    summary = Summary()
    unreadable: list[str] = []

    def rows():
        for row in scrub_file(rt.guard, handle, campaign, at, product=product, encoding=encoding, column=column,
                              progress=progress, summary=summary):
            if row[3] is None and len(unreadable) < SHOWN_UNREADABLE:
                unreadable.append(f"{name}:{row[0]}: unreadable: {row[6]}")
            yield row

    try:
        with handle:
            chunks = _csv_chunks(FIELDS, rows())
            if out_path is not None:
                with written_whole(out_path) as f:
                    f.writelines(chunks)
            else:
                out = sys.stdout.buffer
                for c in chunks:
                    out.write((c.removeprefix(BOM) if out.isatty() else c).encode("utf-8"))
                out.flush()
    except GuardError as exc:  # the file, the campaign, an instant no pack covers, no pack in effect
        if tty:
            click.echo("", err=True)
        message = " ".join(str(getattr(exc, "message", None) or exc).split())  # one line
        click.echo(f"{name}: cannot scrub: {message}", err=True)
        sys.exit(2)
    except OSError:  # --out or stdout cannot be written (disk full, a closed pipe): said by the guard group, exit 2
        if tty:
            click.echo("", err=True)
        raise
    if tty:
        click.echo("", err=True)
    for line in unreadable:
        click.echo(line, err=True)
    if summary.unreadable > len(unreadable):
        click.echo(f"… and {summary.unreadable - len(unreadable)} more unreadable rows (see the problem column)", err=True)
    reasons = ", ".join(f"{code} {n}" for code, n in sorted(summary.by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
    click.echo(f"scrub {name} for {campaign} at {summary.at.isoformat() if summary.at else at.isoformat()} ({summary.pack}): "
               f"{summary.rows} rows, {summary.allowed} allowed, {summary.denied} denied"
               + (f" ({reasons})" if reasons else "")
               + f", {summary.unreadable} unreadable"
               + (f", {summary.duplicates} repeating an earlier row's number" if summary.duplicates else "")
               + f"; read as {summary.encoding}" + (f"; written to {out_path}" if out_path else ""), err=True)
    sys.exit(1 if summary.denied or summary.unreadable else 0)

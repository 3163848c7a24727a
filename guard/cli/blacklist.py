"""`guard blacklist import`: a list into the blacklist, with a progress bar and every rejected row."""

from __future__ import annotations

import json
from contextlib import contextmanager, nullcontext
import sys
from pathlib import Path
from typing import Callable, Iterator

import click

from guard.cli.group import command_actor, guard_group, runtime as _rt
from guard.cli.output import check_out, written_whole
from guard.cli.textfile import base_name, is_stdin, open_input, shown
from guard.core.vocabularies import codes


@guard_group.group("blacklist")
def blacklist_group() -> None:
    """The marketing blacklist."""


@blacklist_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--source", default="registry", show_default=True,
              type=click.Choice(codes("blacklist_sources")),
              help="Source of rows that name none: external lists give DNC_REGISTRY, internal opt-outs DNC_OPT_OUT.")
@click.option("--region", default=None, help="Region for numbers without a country code (default: the default pack's).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Processes parsing numbers (default: CPUs).")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The file's text encoding: utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS) "
                   "or another Python codec. Default: told from its bytes (UTF-8 with or without BOM, GB18030, Big5); a file "
                   "whose encoding cannot be told is not imported and asks for this.")
@click.option("--rejects", "rejects_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write every rejected row (line, reason, row) to this CSV file (UTF-8 with BOM, for Excel).")
def blacklist_import(file: Path, source: str, region: str | None, workers: int | None, encoding_name: str | None,
                     rejects_path: Path | None) -> None:
    """Import a CSV of phone[,source,reason,added_at[,expires_at]] (header row optional).

    A header names the columns in any order, in English or as Chinese exports do (手机号码, 来源,
    原因/备注, 加入日期, 到期日期 …; README "List imports"); one naming an unknown column, or no
    phone column, refuses the file.

    The file is UTF-8, GBK/GB18030 or Big5, told from its bytes, or in the encoding --encoding names
    (exit 2 for a name that is no text encoding). Prints the report as JSON on stdout and each
    rejected row on stderr; a progress bar on a terminal. Re-importing the same file changes
    nothing. Exit 1 if any row was rejected, or the file was not imported (its header or its
    encoding could not be read, or it has no row).
    """
    import os as _os

    from blacklist.importer import ImportError_
    from guard.cli.textfile import named_codec
    from guard.services.audits.encoding import label
    from guard.services.audits.exports import excel_safe
    from guard.services.suppression.blacklist_import import import_list
    from guard.services.zones import day_zone, number_day_zones

    codec = named_codec(encoding_name)
    rt = _rt()
    now = rt.clock()
    pack = rt.packs().at(rt.settings.default_pack, now)
    if region is not None:
        from guard.core.phones import is_known_region

        if not is_known_region(region):
            raise click.BadParameter(f"{region!r} is not a known phone region", param_hint="--region")
    _check_rejects(rejects_path)
    rejects_file = written_whole(rejects_path, encoding="utf-8-sig") if rejects_path else nullcontext()
    writer = None
    echoed = 0

    def on_reject(item: dict) -> None:
        nonlocal echoed
        if writer:
            writer.writerow([item["line"], excel_safe(item["reason"]), excel_safe(item["row"])])
        if echoed < 10_000 or not writer:
            click.echo(f"{shown(file)}:{item['line']}: rejected: {item['reason']}", err=True)
            echoed += 1

    handle, size = open_input(file)  # `-`: standard input (guard/cli/textfile.py)
    try:
        with handle, rejects_file as rejects, _bytes_read_bar(size, f"importing {base_name(file)}") as on_progress:
            writer = _rejects_writer(rejects)
            report = import_list(
                rt.store, handle, codec=codec, default_source=source, region=region or (pack.region if pack else "CN"),
                timezone_name=day_zone(rt.packs(), now, region), now=now, key_id="cli",
                zones_of=number_day_zones(rt.packs(), now, region),
                allow_client_time=rt.settings.allow_client_time,
                workers=workers or max(1, (_os.cpu_count() or 1)), on_reject=on_reject, on_progress=on_progress,
            )
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from None
    if report.rows == 0:  # nothing imported must not read as a list imported (as `guard consents import` refuses it)
        raise click.ClickException(f"{shown(file)}: no row to import (the file is empty, or has a header and no row after it)")
    if report.encoding not in (None, "utf-8"):
        click.echo(f"{shown(file)}: read as {label(report.encoding)}{'' if codec else ' (told from its bytes)'}", err=True)
    summary = report.as_dict()
    summary.pop("rejects")
    # The report keeps the first 1,000 rejected rows for the endpoint's answer; here each one went to stderr (the first
    # 10,000 when --rejects is given) and every one to the --rejects file.
    summary["rejects_truncated"] = echoed < report.rejected and writer is None
    click.echo(json.dumps(summary))
    click.echo(f"{report.accepted} added, {report.unchanged} already listed, {report.rejected} rejected of {report.rows} rows", err=True)
    if report.rejected:
        sys.exit(1)


@blacklist_group.command("remove")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--source", required=True, type=click.Choice(["litigator", "registry", "regulator"]),
              help="The external list the numbers left: only its entries are closed (a customer's own refusal, or any other "
                   "source, stays).")
@click.option("--reason", required=True, help="Why, kept on every entry closed (e.g. \"FTC change list 2026-12-01: deleted\").")
@click.option("--dry-run", is_flag=True, help="Read the file and count what would be removed; write nothing.")
@click.option("--region", default=None, help="Region for numbers without a country code (default: the default pack's).")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The file's text encoding (default: told from its bytes, as `guard blacklist import`).")
@click.option("--rejects", "rejects_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write every rejected row (line, reason, row) to this CSV file (UTF-8 with BOM, for Excel).")
def blacklist_remove(file: Path, source: str, reason: str, dry_run: bool, region: str | None, encoding_name: str | None,
                     rejects_path: Path | None) -> None:
    """Remove a source's entries of the numbers in FILE: those that left an external list (a registry change list's
    deletions). Columns as `guard blacklist import` reads them; the phone column counts, a row naming another source is
    rejected, and so is a row whose expires_at has not passed (the list still holds the number: a day alone to its 24:00
    where the callee's day ends last). One reason for the file; every entry closed keeps who, when, why and the
    removal's `list_id`.

    Run with --dry-run first: it prints the counts (removed, not_listed, still_blocked, rejected) and writes nothing.
    A JSON summary on stdout, each rejected row on stderr with its line, a progress bar on a terminal. Exit 1 if any row
    was rejected or the file has no row.
    """
    from blacklist.importer import ImportError_
    from blacklist.service import removal_reason_problem
    from guard.cli.textfile import named_codec
    from guard.core.phones import is_known_region
    from guard.services.audits.exports import excel_safe
    from guard.services.suppression.blacklist_import import remove_list
    from guard.services.zones import number_day_zones

    problem = removal_reason_problem(reason)
    if problem:
        raise click.BadParameter(problem, param_hint="--reason")
    if region is not None and not is_known_region(region):
        raise click.BadParameter(f"{region!r} is not a known phone region", param_hint="--region")
    codec = named_codec(encoding_name)
    rt = _rt()
    now = rt.clock()
    pack = rt.packs().at(rt.settings.default_pack, now)
    _check_rejects(rejects_path)
    rejects_file = written_whole(rejects_path, encoding="utf-8-sig") if rejects_path else nullcontext()
    writer = None

    def on_reject(item: dict) -> None:
        if writer:
            writer.writerow([item["line"], excel_safe(item["reason"]), excel_safe(item["row"])])
        click.echo(f"{shown(file)}:{item['line']}: rejected: {item['reason']}", err=True)

    handle, size = open_input(file)
    try:
        with handle, rejects_file as rejects, _bytes_read_bar(size, f"removing {base_name(file)}") as on_progress:
            writer = _rejects_writer(rejects)
            report = remove_list(rt.store, handle, codec=codec, source=source, reason=reason,
                                 region=region or (pack.region if pack else "CN"), now=now, key_id=command_actor()[:64], dry_run=dry_run,
                                 on_reject=on_reject, on_progress=on_progress,
                                 zones_of=number_day_zones(rt.packs(), now, region))
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from None
    summary = report.as_dict()
    summary.pop("rejects")
    summary["rejects_truncated"] = False  # every one went to stderr
    click.echo(json.dumps(summary))
    verb = "would be removed" if dry_run else "removed"
    click.echo(f"{report.removed} {verb}, {report.not_listed} not listed as {source}, {report.still_blocked} still blocked (another "
               f"source, their customer's entry or a mute), {report.rejected} rejected of {report.rows} rows", err=True)
    if report.rejected:
        sys.exit(1)


def _check_rejects(path: Path | None) -> None:
    """Refuse, before any row is read, a --rejects file that could not be written, and `-`: stdout carries the JSON
    summary, so `-` cannot mean it, and it was written as a file named "-"."""
    if is_stdin(path):
        raise click.BadParameter("- is not a file name here (stdout carries the JSON summary); name the CSV file to write",
                                 param_hint="--rejects")
    check_out(path, "--rejects")


@contextmanager
def _bytes_read_bar(size: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar of the file's bytes read, on a terminal only: yields the callback told how many are read so far."""
    bar = click.progressbar(length=size, label=label, file=sys.stderr) if sys.stderr.isatty() else None
    done = [0]

    def on_progress(count: int) -> None:
        if bar is not None:
            bar.update(count - done[0])
            done[0] = count

    if bar is None:
        yield on_progress
        return
    with bar:
        yield on_progress


def _rejects_writer(rejects):
    """The --rejects CSV's writer (None without one), its header written: UTF-8 with a byte-order mark, cells that would
    read as formulas quoted, since the file is opened in Excel, as the audit's exports are (guard/services/audits/exports.py).
    The file is written whole when the command ends (guard/cli/output.py): a list not imported, or an import cut short,
    leaves no rejects file that reads as complete."""
    if rejects is None:
        return None
    import csv as _csv

    writer = _csv.writer(rejects)
    writer.writerow(["line", "reason", "row"])
    return writer

"""`guard audit`: audit a call log or the decision log; the report as JSON, CSV, .xlsx or HTML."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import click

from guard.cli.group import guard_group, parse_when, runtime as _rt
from guard.cli.output import check_out, written_whole
from guard.cli.textfile import open_input, shown


@guard_group.command("audit")
@click.argument("calls", required=False, type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the result here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "html"]), default=None,
              help="json: summary and violations; csv (UTF-8 with BOM) or xlsx: the violations for a spreadsheet; html: the report. "
                   "Default: from --out's suffix, else json.")
@click.option("--input-format", type=click.Choice(["csv", "jsonl"]), default=None, help="Default: detected from the first line.")
@click.option("--basis", type=click.Choice(["known_then", "known_now"]), default="known_then", show_default=True,
              help="known_then: judge each call by what the guard held at its time (what the decision log proves); "
                   "known_now: by the facts' own effective times as known now (risk assessment dates, opt-outs reported late).")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The log's text encoding: utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS), "
                   "or any other Python codec. Default: detected (UTF-8 with or without BOM, GB18030, Big5); a log whose "
                   "encoding cannot be told exits 2 and asks for this.")
@click.option("--timezone", "timezone_name", default=None, metavar="ZONE",
              help="The log's own time zone (IANA: Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei …): a called_at without a UTC "
                   "offset (2026-11-30 09:05:00, 2026/11/30 9:05, as spreadsheets export it) is read in it. Default: none; "
                   "such rows are rejected. A time with its offset keeps it.")
@click.option("--decisions", is_flag=True, help="Audit the guard's own decision log instead of a call log.")
@click.option("--from", "start", default=None, help="With --decisions: the period's start (ISO 8601 with offset).")
@click.option("--to", "end", default=None, help="With --decisions: the period's end, excluded.")
@click.option("--reap", is_flag=True, help="Run the audit reaper once (as `guard scheduler` does): fail audits whose process died.")
def audit_command(calls: Path | None, out_path: Path | None, fmt: str | None, input_format: str | None, encoding_name: str | None,
                  timezone_name: str | None, basis: str, decisions: bool,
                  start: str | None, end: str | None, reap: bool) -> None:
    """Audit a call log (CSV or JSON Lines) as of each call's time, or the decision log (--decisions).

    CALLS `-` reads the call log from standard input.

    Progress (rows/s, ETA) on a terminal; rejected rows on stderr with their line numbers.
    Exit 0 when no call broke a rule and no row was rejected, 1 when some call did or some row was rejected
    (a call nobody judged), 2 on unusable input (no header, a header and no row, an encoding that cannot be told: pass --encoding,
    more than 1% of the rows not valid text in the log's encoding, every row rejected) or when the audit was
    cancelled.
    With --reap: fail every queued or running audit whose process is gone (no heartbeat for
    GUARD_AUDIT_STALE_AFTER seconds, or its pid on this host no longer exists), delete its upload,
    print {"reaped": [ids], "checked": n} and exit 0.
    """
    import os as _os
    import time as _time

    from guard.services import audits
    from guard.services.audits import report as audit_report
    from guard.services.audits import AuditStopped, LogError

    def named(value: str | None, resolve, unknown: type[Exception], option: str) -> str | None:
        """An option naming how a call log is read (--encoding, --timezone), resolved; a usage error when unknown."""
        if value is None:
            return None
        try:
            resolved = resolve(value)
        except unknown as exc:
            raise click.BadParameter(str(exc), param_hint=option) from None
        if decisions:
            raise click.UsageError(f"{option} is for a call log, not --decisions")
        return resolved

    encoding = named(encoding_name, audits.resolve_encoding, audits.UnknownEncoding, "--encoding")
    timezone = named(timezone_name, audits.resolve_timezone, audits.UnknownZone, "--timezone")
    rt = _rt()
    if reap:
        if calls is not None or decisions:
            raise click.UsageError("--reap takes no call log and no --decisions")
        from guard.services.ops.jobs import run_job

        result = run_job(rt.store, "audit_reaper", rt.clock, settings=rt.settings)
        click.echo(json.dumps(result if result is not None else {"skipped": "another process is running the reaper"}))
        return
    if fmt == "xlsx" and out_path is None and sys.stdout.isatty():
        raise click.UsageError("--format xlsx writes a binary file: give --out FILE.xlsx or redirect stdout")
    check_out(out_path)
    fmt = fmt or (out_path.suffix.lstrip(".") if out_path and out_path.suffix.lstrip(".") in ("json", "csv", "xlsx", "html") else "json")
    now = rt.clock()
    if decisions:
        if calls is not None:
            raise click.UsageError("give either a call log or --decisions, not both")
        if not start or not end:
            raise click.UsageError("--decisions needs --from and --to")
        t0, t1 = parse_when(start, "--from"), parse_when(end, "--to")
        if t1 <= t0:
            raise click.BadParameter("must be after --from", param_hint="--to")
        audit_id = audits.create(rt.store, "decision_log", f"decisions {t0.isoformat()} .. {t1.isoformat()}", None, now, "cli")
        with _ended_if_interrupted(rt, audit_id):
            audits.audit_decision_log(rt.store, audit_id, t0, t1, rt.clock, rt.packs())
    else:
        if calls is None:
            raise click.UsageError("give a call log (CSV or JSON Lines), or --decisions --from … --to …")
        name = shown(calls)
        handle, size = open_input(calls)
        audit_id = audits.create(rt.store, "call_log", name[:300], size, now, "cli", basis)
        tty = sys.stderr.isatty()
        started = _time.monotonic()
        last = [0.0]

        def progress(p) -> None:
            if not tty:
                return
            t = _time.monotonic()
            if t - last[0] < 0.2 and p.stage not in ("done",):
                return
            last[0] = t
            elapsed = max(t - started, 1e-6)
            rate = p.rows / elapsed
            if p.stage == "reading" and p.bytes_total:
                frac = p.bytes_done / p.bytes_total
                eta = elapsed * (1 - frac) / frac if frac > 0 else 0
                bar = "#" * int(frac * 30)
                line = f"reading  [{bar:<30}] {frac * 100:5.1f}%  {p.rows} rows  {rate:,.0f} rows/s  ETA {eta:,.0f} s"
            elif p.stage == "judging":
                total = max(p.rows - p.rejected, 1)
                frac = p.judged / total
                bar = "#" * int(frac * 30)
                line = f"judging  [{bar:<30}] {frac * 100:5.1f}%  {p.judged} calls  {p.violations} violations"
            else:
                line = f"{p.stage}…  {p.rows} rows"
            click.echo("\r" + line.ljust(100), nl=False, err=True)

        try:
            with handle, _ended_if_interrupted(rt, audit_id):
                run_summary = audits.run_call_log(rt.store, rt.packs(), audit_id, handle, size, rt.clock, input_format, progress,
                                                   workers=max(1, _os.cpu_count() or 1), basis=basis, encoding=encoding,
                                                   timezone=timezone)
        except (LogError, AuditStopped) as exc:
            if tty:
                click.echo("", err=True)
            click.echo(f"{name}: {exc}" if isinstance(exc, LogError) else f"audit {audit_id}: {exc}", err=True)
            sys.exit(2)
        if tty:
            click.echo("", err=True)
        view = audits.view(rt.store, audit_id)
        for r in view["rejected_rows"]:
            click.echo(f"{name}:{r['line']}: rejected: {r['reason']}", err=True)
        if run_summary["rows_rejected"] > len(view["rejected_rows"]):
            click.echo(f"… and {run_summary['rows_rejected'] - len(view['rejected_rows'])} more rejected rows "
                       f"(GET /v1/audits/{audit_id})", err=True)
    view = audits.view(rt.store, audit_id)
    summary = view["summary"] or {}
    # (the HTML report's table stops at its row limit: it is written at once)
    writing = _writing_progress(int(summary.get("violations") or 0), fmt) if fmt != "html" else None
    if fmt == "xlsx":
        import shutil
        import tempfile

        if out_path is not None:
            with written_whole(out_path, binary=True) as f:
                audits.violations_xlsx(rt.store, audit_id, f, writing)
        else:
            with tempfile.TemporaryFile() as spool:
                audits.violations_xlsx(rt.store, audit_id, spool, writing)
                spool.seek(0)
                shutil.copyfileobj(spool, sys.stdout.buffer)
                sys.stdout.buffer.flush()
        chunks: list[str] = []
    elif fmt == "html":
        body = audit_report.render(view, audits.iter_violations(rt.store, audit_id),
                                   audit_report.chinese_of_audit(view, rt.packs().timelines))
        chunks = [body]
    elif fmt == "csv":
        chunks = audits.violations_csv(rt.store, audit_id, writing)
    else:
        chunks = _json_report(view, audits.iter_violations(rt.store, audit_id, progress=writing))
    if out_path is not None and fmt != "xlsx":
        with written_whole(out_path) as f:
            f.writelines(chunks)
    else:
        for c in chunks:
            click.echo(c, nl=False)
    if writing is not None:
        click.echo("", err=True)
    click.echo(f"audit {audit_id}" + (f" ({view['basis']})" if view.get("basis") else "")
               + f": {summary.get('calls_judged', 0)} calls judged, {summary.get('violations', 0)} violations "
               f"in {summary.get('calls_with_violations', 0)} calls ({summary.get('calls_breaking_rules', 0)} broke a rule, "
               f"{summary.get('calls_unchecked', 0)} unchecked), {summary.get('rows_rejected', 0)} rows rejected"
               + (f"; read as {audits.encoding_label(view['encoding'])}" if view.get("encoding") else "")
               + (f"; times without an offset read in {summary['timezone']}" if summary.get("timezone") else "")
               + (f"; written to {out_path}" if out_path else ""), err=True)
    chains = summary.get("chains")
    if chains is not None and not chains["intact"]:
        click.echo(f"the decision log is NOT intact (decisions {chains['decisions']}, outcomes {chains['outcomes']}): rows were "
                   "changed or deleted, so these figures may hide calls; see `guard decisions verify`", err=True)
    # rejected rows are calls nobody judged: a pipeline must not read them as a clean log; a log not intact cannot be trusted
    sys.exit(1 if summary.get("violations") or summary.get("rows_rejected") or (chains is not None and not chains["intact"]) else 0)


@contextmanager
def _ended_if_interrupted(rt, audit_id: str) -> Iterator[None]:
    """Ctrl-C after the audit was recorded (queued) but before its run took it over (the packs being read, the run
    starting): the run's own handling never saw it, and the audit stayed `queued`, shown to auditors as waiting for a
    run that would never come, until the reaper's GUARD_AUDIT_STALE_AFTER. Failed now, as the run fails one it
    interrupts (a no-op when the run already ended it)."""
    from guard.services import audits
    from guard.services.audits.liveness import runner_name

    try:
        yield
    except KeyboardInterrupt:
        audits.fail(rt.store, audit_id, rt.clock, f"the audit was interrupted in its process {runner_name()}; run it again")
        raise


def _writing_progress(total: int, fmt: str) -> Callable[[int], None] | None:
    """A bar on a terminal while the report is written: a million calls' violations take a minute or more to write."""
    if not sys.stderr.isatty() or total == 0:
        return None

    def show(done: int) -> None:
        frac = min(done / total, 1.0)
        click.echo("\r" + f"writing  [{'#' * int(frac * 30):<30}] {frac * 100:5.1f}%  {done} of {total} violations ({fmt})".ljust(100),
                   nl=False, err=True)

    return show


def _json_report(view: dict, violations: Iterable[dict]) -> Iterator[str]:
    """`{"audit": view, "violations": [...]}` as `json.dumps(…, indent=1)` writes it, a violation at a time: a log of a
    million calls has millions of violations, which built whole in memory took gigabytes."""
    def indented(value: Any, depth: int) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)

    yield '{\n "audit": ' + indented(view, 1) + ',\n "violations": ['
    empty = True
    for v in violations:
        yield ("\n  " if empty else ",\n  ") + indented(v, 2)
        empty = False
    yield ("]" if empty else "\n ]") + "\n}\n"

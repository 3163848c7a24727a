"""The `guard` command group: `flask --app app guard ...`. Thin wrappers over the services.

Machine-readable output goes to stdout; messages, progress and problems go to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from guard.core.vocabularies import codes
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


@db.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
def db_backup(target: Path) -> None:
    """SQLite: copy the store, consistent, while it serves (SQLite's online backup). PostgreSQL: use pg_dump."""
    from guard.store.backup import BackupError, sqlite_backup

    try:
        size = sqlite_backup(_rt().settings.database_url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up to {target} ({size} bytes, integrity ok)", err=True)


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


@guard_group.group("blacklist")
def blacklist_group() -> None:
    """The marketing blacklist."""


@blacklist_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="registry", show_default=True,
              type=click.Choice(codes("blacklist_sources")),
              help="Source of rows that name none: external lists give DNC_REGISTRY, internal opt-outs DNC_OPT_OUT.")
@click.option("--region", default=None, help="Region for numbers without a country code (default: the default pack's).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Processes parsing numbers (default: CPUs).")
@click.option("--rejects", "rejects_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write every rejected row (line, reason, row) to this CSV file.")
def blacklist_import(file: Path, source: str, region: str | None, workers: int | None, rejects_path: Path | None) -> None:
    """Import a CSV of phone[,source,reason,added_at[,expires_at]] (header row optional).

    Prints the report as JSON on stdout and each rejected row on stderr; a progress bar on a
    terminal. Re-importing the same file changes nothing. Exit 1 if any row was rejected.
    """
    import csv as _csv
    import os as _os

    from blacklist import importer

    rt = _rt()
    now = rt.clock()
    pack = rt.packs().at(rt.settings.default_pack, now)
    if region is not None:
        from guard.core.phones import is_known_region

        if not is_known_region(region):
            raise click.BadParameter(f"{region!r} is not a known phone region", param_hint="--region")
    size = file.stat().st_size
    rejects_file = rejects_path.open("w", newline="", encoding="utf-8") if rejects_path else None
    writer = _csv.writer(rejects_file) if rejects_file else None
    if writer:
        writer.writerow(["line", "reason", "row"])
    shown = 0

    def on_reject(item: dict) -> None:
        nonlocal shown
        if writer:
            writer.writerow([item["line"], item["reason"], item["row"]])
        if shown < 10_000 or not writer:
            click.echo(f"{file}:{item['line']}: rejected: {item['reason']}", err=True)
            shown += 1

    bar = click.progressbar(length=size, label=f"importing {file.name}", file=sys.stderr) if sys.stderr.isatty() else None
    done = [0]

    def on_progress(count: int) -> None:
        if bar is not None:
            bar.update(count - done[0])
            done[0] = count

    try:
        with file.open("rb") as handle:
            if bar is not None:
                bar.__enter__()
            report = importer.import_csv(
                rt.store, handle, default_source=source, region=region or (pack.region if pack else "CN"),
                timezone_name=pack.timezone if pack else "Asia/Shanghai", now=now, key_id="cli",
                workers=workers or max(1, (_os.cpu_count() or 1)), on_reject=on_reject, on_progress=on_progress,
            )
    except importer.ImportError_ as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        if rejects_file:
            rejects_file.close()
    summary = report.as_dict()
    summary.pop("rejects")
    click.echo(json.dumps(summary))
    click.echo(f"{report.accepted} added, {report.unchanged} already listed, {report.rejected} rejected of {report.rows} rows", err=True)
    if report.rejected:
        sys.exit(1)


@guard_group.group("decisions")
def decisions_group() -> None:
    """The decision log's hash chain."""


@decisions_group.command("seal")
def decisions_seal() -> None:
    """Seal every decision not in the chain yet (the scheduler does this every run)."""
    from guard.services.jobs import seal_all

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


@guard_group.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once now, print the results, and exit (for cron or checks).")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(0.05, 86400), help="Seconds between runs.")
def scheduler(once: bool, interval: float) -> None:
    """Run the scheduled jobs (complaint SLA: mark overdue and escalate; seal decisions into the hash chain).

    Start it in one process beside the web workers (which never run jobs). Running two is safe:
    each run takes the job's database lock, so a job never runs twice at once.
    """
    import signal
    import threading

    from apscheduler.schedulers.background import BackgroundScheduler

    from guard.services.jobs import JOBS, run_job, runner_name

    rt = _rt()
    if once:
        for name in JOBS:
            result = run_job(rt.store, name, rt.clock)
            click.echo(json.dumps({"job": name, "result": result, "skipped": result is None}))
        return
    runner = runner_name()
    # The scheduler runs in its own thread; the main thread only waits for a signal. (Shutting the
    # scheduler down from a signal handler that interrupted it in the middle of dispatching a job
    # removed the job under its feet: JobLookupError and a non-zero exit.)
    sched = BackgroundScheduler(timezone="UTC")

    def run_safely(name: str) -> None:
        try:
            run_job(rt.store, name, rt.clock, runner)
        except Exception:  # a store outage must not stop the scheduler; the next run retries
            import logging

            logging.getLogger("guard.scheduler").exception("job %s failed; retrying at the next run", name)

    from datetime import datetime, timezone

    for name in JOBS:
        sched.add_job(run_safely, "interval", args=[name], seconds=interval, id=name, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc))

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    click.echo(f"scheduler {runner}: jobs {', '.join(JOBS)} every {interval:g} s", err=True)
    sched.start()
    while not stopping.wait(1.0):
        pass
    sched.shutdown(wait=True)  # a run in progress finishes its transaction


@guard_group.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--product-type", type=click.Choice(codes("product_types")), default=None,
              help="The product the script sells (selects rules and required disclosures).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--pack", "pack_id", default=None, help="Pack whose phrases and disclosures apply (default: the default pack).")
def lint_command(files: tuple[Path, ...], product_type: str | None, fmt: str, pack_id: str | None) -> None:
    """Lint marketing scripts (UTF-8 text, with or without BOM).

    Exit 1 when any file fails (has an error finding), 2 when a file cannot be read as UTF-8,
    0 when every file passes or only warns.
    """
    from guard.services import lint_output
    from guard.services.scripts import UnknownPack, lint_text

    rt = _rt()
    now = rt.clock()
    results: list = []
    unreadable = False
    pack = None
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            click.echo(f"{path}: not UTF-8 (invalid byte at offset {exc.start}); save the script as UTF-8 and try again", err=True)
            unreadable = True
            continue
        try:
            result, pack = lint_text(rt.packs(), text, product_type, pack_id, now)
        except UnknownPack as exc:
            raise click.BadParameter(str(exc), param_hint="--pack") from None
        results.append(lint_output.FileResult(str(path), text, result))
    if pack is not None:
        if fmt == "text":
            click.echo(lint_output.text_report(results, color=sys.stdout.isatty()), nl=False)
        elif fmt == "json":
            click.echo(lint_output.json_report(results, pack), nl=False)
        else:
            click.echo(lint_output.sarif_report(results, pack), nl=False)
    if unreadable:
        sys.exit(2)
    if any(r.result.verdict == "fail" for r in results):
        sys.exit(1)


def _parse_when(value: str, name: str):
    from guard.core.pack_schema import parse_instant

    parsed = parse_instant(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time with a UTC offset", param_hint=name)
    return parsed


@guard_group.command("audit")
@click.argument("calls", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the result here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default=None,
              help="json: summary and violations; csv: the violations; html: the report. Default: from --out's suffix, else json.")
@click.option("--input-format", type=click.Choice(["csv", "jsonl"]), default=None, help="Default: detected from the first line.")
@click.option("--decisions", is_flag=True, help="Audit the guard's own decision log instead of a call log.")
@click.option("--from", "start", default=None, help="With --decisions: the period's start (ISO 8601 with offset).")
@click.option("--to", "end", default=None, help="With --decisions: the period's end, excluded.")
def audit_command(calls: Path | None, out_path: Path | None, fmt: str | None, input_format: str | None, decisions: bool,
                  start: str | None, end: str | None) -> None:
    """Audit a call log (CSV or JSON Lines) as of each call's time, or the decision log (--decisions).

    Progress (rows/s, ETA) on a terminal; rejected rows on stderr with their line numbers.
    Exit 0 when no call broke a rule, 1 when some did, 2 on unusable input.
    """
    import os as _os
    import time as _time

    from guard.services import audits
    from guard.services.audits import report as audit_report
    from guard.services.audits import LogError

    rt = _rt()
    fmt = fmt or (out_path.suffix.lstrip(".") if out_path and out_path.suffix.lstrip(".") in ("json", "csv", "html") else "json")
    now = rt.clock()
    if decisions:
        if calls is not None:
            raise click.UsageError("give either a call log or --decisions, not both")
        if not start or not end:
            raise click.UsageError("--decisions needs --from and --to")
        t0, t1 = _parse_when(start, "--from"), _parse_when(end, "--to")
        if t1 <= t0:
            raise click.BadParameter("must be after --from", param_hint="--to")
        audit_id = audits.create(rt.store, "decision_log", f"decisions {t0.isoformat()} .. {t1.isoformat()}", None, now, "cli")
        audits.audit_decision_log(rt.store, audit_id, t0, t1, rt.clock)
    else:
        if calls is None:
            raise click.UsageError("give a call log (CSV or JSON Lines), or --decisions --from … --to …")
        size = calls.stat().st_size
        audit_id = audits.create(rt.store, "call_log", str(calls)[:300], size, now, "cli")
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
            with calls.open("rb") as handle:
                run_summary = audits.run_call_log(rt.store, rt.packs(), audit_id, handle, size, rt.clock, input_format, progress,
                                                   workers=max(1, _os.cpu_count() or 1))
        except LogError as exc:
            if tty:
                click.echo("", err=True)
            click.echo(f"{calls}: {exc}", err=True)
            sys.exit(2)
        if tty:
            click.echo("", err=True)
        view = audits.view(rt.store, audit_id)
        for r in view["rejected_rows"]:
            click.echo(f"{calls}:{r['line']}: rejected: {r['reason']}", err=True)
        if run_summary["rows_rejected"] > len(view["rejected_rows"]):
            click.echo(f"… and {run_summary['rows_rejected'] - len(view['rejected_rows'])} more rejected rows "
                       f"(GET /v1/audits/{audit_id})", err=True)
    view = audits.view(rt.store, audit_id)
    summary = view["summary"] or {}
    if fmt == "html":
        body = audit_report.render(view, audits.iter_violations(rt.store, audit_id))
        chunks: list[str] = [body]
    elif fmt == "csv":
        chunks = list(audits.violations_csv(rt.store, audit_id))
    else:
        chunks = [json.dumps({"audit": view, "violations": list(audits.iter_violations(rt.store, audit_id))}, ensure_ascii=False, indent=1), "\n"]
    if out_path is not None:
        with out_path.open("w", encoding="utf-8", newline="") as f:
            f.writelines(chunks)
    else:
        for c in chunks:
            click.echo(c, nl=False)
    click.echo(f"audit {audit_id}: {summary.get('calls_judged', 0)} calls judged, {summary.get('violations', 0)} violations "
               f"in {summary.get('calls_with_violations', 0)} calls, {summary.get('rows_rejected', 0)} rows rejected"
               + (f"; written to {out_path}" if out_path else ""), err=True)
    sys.exit(1 if summary.get("violations") else 0)

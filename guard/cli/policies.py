"""`guard policies`: validate pack files; make every running process reload them."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.cli.output import check_out, written_whole
from guard.core.pack import PackSet, missing_notices
from guard.core.pack_schema import PackIssue
from policies.loader import pack_files, validate_path


def _echo_missing_notices(packs: PackSet, today: date | datetime) -> None:
    """A warning for each year a loaded pack will judge without its official holiday notice (exit status unchanged:
    the statute's holidays are still blocked, and calls go on)."""
    for gap in missing_notices(packs, today):
        click.echo(f"warning  {gap.source}: {gap.message()}", err=True)


def _echo_backdated(rt, packs: PackSet) -> None:
    """A warning for each version that takes effect before it was loaded, over checks already decided by another
    (exit status unchanged: the checks from now on are right; what it changes is how past calls would be judged)."""
    from guard.store.db import StoreUnavailable
    from guard.store.policies import backdated

    try:
        found = backdated(rt.store, packs.all_versions(), rt.clock())
    except StoreUnavailable:
        return  # no store to ask (validating a directory on a machine without one)
    for pack, first, made in found:
        click.echo(f"warning  {pack.source}: {pack.id} {pack.version} takes effect {pack.effective_from.isoformat()}, before "
                   f"it was loaded ({first.isoformat(timespec='seconds')}), and the guard decided checks of {pack.id} by "
                   f"another version since {made.isoformat(timespec='seconds')}: audits and simulations of those calls would "
                   f"judge them by {pack.version}, which it did not hold then (a year mistyped?). Give effective_from an "
                   f"instant from now on", err=True)


def _in_effect(pack, after, now) -> str:
    """Where a version stands on the timeline at `now`: to come (and how soon), in effect, or superseded (by whom, when)."""
    if now < pack.effective_from:
        left = pack.effective_from - now
        hours = left.days * 24 + left.seconds // 3600
        soon = f"{left.days} days" if left.days >= 2 else f"{hours} h {left.seconds % 3600 // 60} min"
        return f"takes effect in {soon}"
    if after is not None and now >= after.effective_from:
        return f"superseded by {after.version} since {after.effective_from.isoformat()}"
    if after is not None:
        return f"in effect now, until {after.version} takes effect {after.effective_from.isoformat()}"
    return "in effect now"


@guard_group.group("policies")
def policies() -> None:
    """Policy packs."""


@policies.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Warn of holiday notices missing as on this day (YYYY-MM-DD; default today, in each pack's zone).")
def policies_validate(path: Path | None, on) -> None:
    """Validate a pack file or directory (default GUARD_POLICY_DIR); exit 1 on any problem.

    Also warns (stderr, exit status unchanged) when a pack will judge this year, or the next from November 1st, by
    China's calendar without that year's official holiday notice (docs/policy-packs.md, "Holidays").
    """
    _refuse_stdin(path, "PATH")
    rt = _rt()
    target = path or rt.settings.policy_dir
    report = validate_path(target, rt.settings.default_pack, beside=rt.settings.policy_dir)
    named = {p.name for p in pack_files(target)} if target.exists() else set()
    if target.is_dir() and not named:  # nothing validated is not "valid"
        report.issues.append(PackIssue(str(target), "", "no pack file (*.yaml, *.yml) in the directory"))
    elif target.is_dir() and target.resolve() == rt.settings.policy_dir.resolve() \
            and report.packs.timelines.get(rt.settings.default_pack) is None:
        # what a start or `guard policies reload` of this directory refuses (policies.loader.PackRegistry.load)
        report.issues.append(PackIssue(str(target), "", f"the default pack {rt.settings.default_pack!r} (GUARD_DEFAULT_PACK) "
                                                        "has no valid version"))
    versions = sorted(report.packs.all_versions(), key=lambda p: (p.id, p.effective_from))
    now = rt.clock()
    for i, pack in enumerate(versions):
        if pack.source not in named:
            continue  # a version of the served directory the named file was judged beside
        base = f" (extends {pack.base[0]} {pack.base[1]})" if pack.base else ""
        after = versions[i + 1] if i + 1 < len(versions) and versions[i + 1].id == pack.id else None
        click.echo(f"ok  {pack.source}: {pack.id} {pack.version} effective {pack.effective_from.isoformat()}{base}"
                   f" · {_in_effect(pack, after, now)}")
    _echo_missing_notices(report.packs, on.date() if on is not None else rt.clock())
    _echo_backdated(rt, report.packs)
    for issue in report.issues:
        click.echo(f"error  {issue}", err=True)
    if report.issues:
        sys.exit(1)


def _refuse_stdin(path: Path | None, name: str) -> None:
    """A pack is read by its file name (its `extends` resolved beside the files of its directory), so `-` cannot name one:
    a usage error in one line, not "no such file or directory"."""
    from guard.cli.textfile import is_stdin

    if is_stdin(path):
        raise click.BadParameter("- (standard input) cannot name a pack: a pack file is read by its name, beside the other "
                                 "files of its directory; give the file's path", param_hint=name)


@policies.command("notice")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="The year the notice is for, when its title (关于XXXX年部分节假日安排的通知) is not in the file.")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The file's encoding (utf-8, gb18030, big5); default: told from its bytes, as `guard lint` does.")
def policies_notice(file: Path, year: int | None, encoding_name: str | None) -> None:
    """Read the State Council's holiday notice (its text as published, simplified or traditional) into a pack's
    holidays block.

    Prints the `holidays:` block (its periods under `add`, its makeup working days under `workdays`) for the pack
    file; merge it with the pack's own holidays, then `guard policies validate` and `reload`. Exit 1, naming each
    item, when the text cannot be read as a notice (a period whose 共N天 disagrees, a makeup working day on a
    weekday); 2 when the file's encoding cannot be told.
    """
    from guard.cli.textfile import base_name, named_codec, read_text, shown
    from guard.core.holiday_notice import NoticeError, as_pack_yaml, parse_notice

    text = read_text(file, named_codec(encoding_name))
    if text is None:
        sys.exit(2)
    try:
        notice = parse_notice(text, year)
    except NoticeError as exc:
        for problem in exc.problems:
            click.echo(f"error  {shown(file)}: {problem}", err=True)
        sys.exit(1)
    # a day the package lists that the notice does not give off stays off when the block only adds: say so (a partial
    # text would list every other holiday, so it is not removed here)
    from guard.core.calendar import package_days_off, package_version

    listed = package_days_off("CN", None, notice.year)
    for day in sorted(set(listed) - notice.days_off):
        click.echo(f"warning  {shown(file)}: holidays {package_version()} lists {day.isoformat()} ({listed[day]}) as a day off, which "
                   f"the notice does not give off; if the text is the whole notice, add {day.isoformat()} under remove", err=True)
    days_off = sum(len(item.days_off) for item in notice.items)
    click.echo(f"# {notice.title()}: {len(notice.items)} holidays, {days_off} days off, "
               f"{len(notice.workdays)} makeup working days (guard policies notice {base_name(file)})")
    click.echo(as_pack_yaml(notice), nl=False)


@policies.command("reload")
def policies_reload() -> None:
    """Validate GUARD_POLICY_DIR and make every running guard process reload it.

    Each process picks the request up within GUARD_RELOAD_POLL_SECONDS and swaps its packs
    atomically; a broken file keeps serving its last good version. Exit 1 if any file is broken.
    """
    rt = _rt()
    report = rt.registry.load()
    no_default = report.packs.timelines.get(rt.registry.default_id) is None
    if report.lost or no_default:
        # Every process would swap to what this process validated: a broken file with no last good content (no
        # reload stored one yet) would disappear from every process, whatever it served until now.
        for issue in report.issues:
            click.echo(f"error  {issue}", err=True)
        why = (f"{', '.join(report.lost)} broken and no earlier reload holds its last good content" if report.lost
               else f"the default pack {rt.registry.default_id!r} would have no valid version")
        click.echo(f"reload NOT requested: {why}; the running processes keep serving what they have. "
                   "Fix the file(s) and run `guard policies reload` again.", err=True)
        sys.exit(1)
    rt.record_snapshots()
    reload_id = rt.request_reload("cli")
    for pack in sorted(report.packs.all_versions(), key=lambda p: (p.id, p.effective_from)):
        click.echo(f"ok  {pack.source}: {pack.id} {pack.version}")
    for issue in report.issues:
        click.echo(f"error  {issue}", err=True)
    for source in report.kept:
        click.echo(f"kept  {source}: broken now, its last good content keeps serving", err=True)
    _echo_missing_notices(rt.registry.current, rt.clock())
    _echo_backdated(rt, report.packs)
    click.echo(f"reload #{reload_id} requested; processes pick it up within {rt.settings.reload_poll_seconds:g} s", err=True)
    # Approved scripts linted again under every version now loaded (in effect, or taking effect later).
    from guard.services.catalog.script_review import review_approved

    reviewed = review_approved(rt.store, report.packs, rt.clock())
    for mark in reviewed["marked"]:
        click.echo(f"needs review  script {mark['script_id']} ({mark['campaign']} v{mark['version']}) fails {mark['pack']}; "
                   f"approval counts until {mark['suspended_at']}", err=True)
    for item in reviewed["unvouched"]:
        click.echo(f"no wording checked  script {item['script_id']} ({item['campaign']} v{item['version']}) under {item['pack']}: "
                   f"{item['notes'][0]['message']}", err=True)
    if report.issues:
        sys.exit(1)


@policies.command("simulate")
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--against", "against", default="decisions", show_default=True, metavar="decisions|CALLS.csv",
              help="`decisions`: the decision log of --from/--to; or a call log (CSV or JSON Lines, the audit's columns).")
@click.option("--from", "start", default=None, help="With --against decisions: the period's start (ISO 8601 with offset).")
@click.option("--to", "end", default=None, help="With --against decisions: the period's end, excluded.")
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default=None,
              help="json: the report's data; html: the self-contained report. Default: from --out's suffix, else json.")
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the report here (default: stdout).")
@click.option("--timezone", "timezone_name", default=None, metavar="ZONE",
              help="With a call log: the zone its times without a UTC offset are in (as `guard audit --timezone`).")
def policies_simulate(draft: Path, against: str, start: str | None, end: str | None, fmt: str | None, out_path: Path | None,
                      timezone_name: str | None) -> None:
    """Judge the decision log (or a call log) under a DRAFT pack file or directory, beside the
    versions that judged it, and report what would change: allowed → denied, denied → allowed, by
    reason, campaign, hour and customer tier, examples, the expected drop in calls per day, and the
    approved scripts the draft would send back to review.

    Exit 0 with the report; 1 when the draft fails validation (each problem as `guard policies
    validate` prints it); 2 on unusable input.
    """
    import json

    from guard.cli.group import parse_when
    from guard.services import whatif
    from guard.services.whatif import report as whatif_report

    _refuse_stdin(draft, "DRAFT")
    check_out(out_path)
    rt = _rt()
    fmt = fmt or ("html" if out_path is not None and out_path.suffix.lower() in (".html", ".htm") else "json")
    try:
        drafted = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(draft), rt.settings.default_pack)
    except whatif.DraftInvalid as exc:
        for issue in exc.issues:
            click.echo(f"error  {issue}", err=True)
        sys.exit(1)
    if against == "decisions":
        if start is None or end is None:
            raise click.UsageError("--against decisions needs --from and --to")
        if timezone_name:
            raise click.UsageError("--timezone is for a call log")
        t0, t1 = parse_when(start, "--from"), parse_when(end, "--to")
        if t1 <= t0:
            raise click.BadParameter("must be after --from", param_hint="--to")
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:  # a bar on a terminal, as `guard audit` shows
            frac = done / total if total else 1.0
            click.echo(f"\rjudging  [{'#' * int(frac * 30):<30}] {frac * 100:5.1f}%  {done:,}/{total:,} decisions", nl=False, err=True)

        report = whatif.simulate_decisions(rt.store, rt.packs(), drafted, t0, t1, progress if tty else None)
        if tty:
            click.echo("", err=True)
    else:
        from guard.cli.textfile import is_stdin, open_input

        path = Path(against)
        if not is_stdin(path) and not path.is_file():
            raise click.BadParameter(f"{against!r} is neither `decisions` nor a call-log file", param_hint="--against")
        if start or end:
            raise click.UsageError("--from/--to are for --against decisions")
        from guard.services.audits import LogError, UnknownEncoding, UnknownZone, resolve_timezone

        try:
            timezone = resolve_timezone(timezone_name) if timezone_name else None
        except UnknownZone as exc:
            raise click.BadParameter(str(exc), param_hint="--timezone") from None
        try:
            with open_input(path)[0] as handle:  # `-`: standard input, as `guard audit -` reads it
                report = whatif.simulate_call_log(rt.store, rt.packs(), drafted, handle, timezone=timezone)
        except (LogError, UnknownEncoding) as exc:
            click.echo(f"error  {exc}", err=True)
            sys.exit(2)
    report["scripts"] = whatif.scripts_needing_review(rt.store, rt.packs(), drafted, rt.clock())
    report["scripts_unvouched"] = whatif.scripts_unvouched(rt.store, drafted, rt.clock())
    report["judged_findings"] = whatif.judged_findings(rt.store, rt.packs(), drafted, rt.clock())
    for warning in report["warnings"]:
        click.echo(f"warning  {warning}", err=True)
    for item in report["scripts_unvouched"]:  # as `guard policies reload` says it
        click.echo(f"no wording checked  script {item['script_id']} ({item['campaign']} v{item['version']}) under {item['pack']} "
                   f"{item['pack_version']}: {item['notes'][0]['message']}", err=True)
    chinese = whatif_report.chinese_of_simulation(report, rt.packs().timelines)
    text = whatif_report.render(report, chinese) if fmt == "html" else json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n"
    if out_path is not None:
        with written_whole(out_path) as f:
            f.write(text)
        c = report["changes"]
        click.echo(f"{report['judged']} judged: {c['allowed_to_denied']} allowed → denied, {c['denied_to_allowed']} denied → allowed; "
                   f"report in {out_path}", err=True)
    else:
        click.echo(text, nl=False)

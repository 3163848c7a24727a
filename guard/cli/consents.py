"""`guard consents import`: consents (and where numbers came from) from a CSV file, every rejected row named."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.cli.textfile import open_input, shown


@guard_group.group("consents")
def consents_group() -> None:
    """Consents to marketing and the provenance of numbers."""


@consents_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--region", default=None, help="Region for numbers without a country code (default: the default pack's).")
@click.option("--encoding", default=None, help="The file's text encoding (gb18030/gbk, big5 …; default: told from its bytes).")
def consents_import(file: Path, region: str | None, encoding: str | None) -> None:
    """Import a CSV with a header row: phone, customer_id, source, given_at, channels, product_types,
    text_version, consent_text, evidence_ref, expires_at, withdrawn_at, withdrawn_via.

    Prints the report as JSON on stdout and each rejected row (and each row read with a warning) on
    stderr. A row naming a consent the guard holds may narrow it (updated: a new version), never widen it (rejected). The rows are
    written in one transaction; re-importing the same file changes nothing. Exit 1 if any row was rejected.
    """
    from guard.core.errors import InvalidField
    from guard.core.phones import is_known_region
    from guard.services.audits.encoding import label
    from guard.services.consent import importer
    from guard.services.zones import day_zone, number_day_zones

    rt = _rt()
    now = rt.clock()
    pack = rt.packs().at(rt.settings.default_pack, now)
    if region is not None and not is_known_region(region):
        raise click.BadParameter(f"{region!r} is not a known phone region", param_hint="--region")

    def on_reject(item: dict) -> None:
        click.echo(f"{shown(file)}:{item['line']}: rejected: {item['reason']}", err=True)

    def on_warning(item: dict) -> None:
        click.echo(f"{shown(file)}:{item['line']}: warning: {item['warning']}", err=True)

    handle, _ = open_input(file)  # `-`: standard input (guard/cli/textfile.py)
    try:
        with handle:
            report = importer.import_csv(rt.store, handle, region=region or (pack.region if pack else "CN"),
                                         timezone_name=day_zone(rt.packs(), now, region), now=now, key_id="cli",
                                         encoding=encoding, ranges=pack.number_ranges if pack else (), on_reject=on_reject,
                                         allow_client_time=rt.settings.allow_client_time,
                                         zones_of=number_day_zones(rt.packs(), now, region), on_warning=on_warning)
    except InvalidField as exc:
        raise click.ClickException(str(exc)) from None
    if report.encoding not in (None, "utf-8"):
        click.echo(f"{shown(file)}: read as {label(report.encoding)}{'' if encoding else ' (told from its bytes)'}", err=True)
    summary = report.as_dict()
    summary.pop("rejects")
    click.echo(json.dumps(summary))
    click.echo(f"{report.accepted} recorded, {report.updated} updated, {report.unchanged} already recorded, {report.rejected} rejected "
               f"of {report.rows} rows", err=True)
    if report.rejected:
        sys.exit(1)

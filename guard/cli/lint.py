"""`guard lint`: lint script files (text, JSON or SARIF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.core.vocabularies import codes


@guard_group.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--product-type", type=click.Choice(codes("product_types")), default=None,
              help="The product the script sells (selects rules and required disclosures). "
                   "Without it every rule of the pack applies: every type's phrases and required disclosures.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--pack", "pack_id", default=None, help="Pack whose phrases and disclosures apply (default: the default pack).")
def lint_command(files: tuple[Path, ...], product_type: str | None, fmt: str, pack_id: str | None) -> None:
    """Lint marketing scripts (UTF-8 text, with or without BOM).

    Under --product-type, or without it by every rule of the pack (the findings under every
    product type, merged: a phrase banned for any type is reported).

    Exit 1 when any file fails (has an error finding), 2 when a file cannot be read as UTF-8 or no
    valid policy pack is in effect (nothing can be judged: fix the pack, `guard policies validate`),
    0 when every file passes or only warns.
    """
    from guard.core.catalog import NoPolicy
    from guard.services.catalog import lint_output
    from guard.services.catalog.scripts import UnknownPack, lint_text

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
        except NoPolicy as exc:
            click.echo(f"cannot lint: {exc}; no script is judged (see the policy problems above, "
                       "`guard policies validate`)", err=True)
            sys.exit(2)
        results.append(lint_output.FileResult(str(path), text, result))
    if pack is not None:
        if fmt == "text":
            click.echo(lint_output.text_report(results, color=sys.stdout.isatty()), nl=False)
        elif fmt == "json":
            click.echo(lint_output.json_report(results, pack, [product_type] if product_type else list(codes("product_types"))), nl=False)
        else:
            click.echo(lint_output.sarif_report(results, pack), nl=False)
    if unreadable:
        sys.exit(2)
    if any(r.result.verdict == "fail" for r in results):
        sys.exit(1)

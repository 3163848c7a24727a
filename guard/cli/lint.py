"""`guard lint`: lint script files (text, JSON or SARIF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.cli.textfile import input_bytes, named_codec, read_text_as, shown
from guard.core.vocabularies import codes

@guard_group.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--product-type", type=click.Choice(codes("product_types")), default=None,
              help="The product the script sells (selects rules and required disclosures). "
                   "Without it every rule of the pack applies: every type's phrases and required disclosures.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--pack", "pack_id", default=None, help="Pack whose phrases and disclosures apply (default: the default pack).")
@click.option("--encoding", "encoding_name", default=None, metavar="NAME",
              help="The scripts' text encoding: utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as "
                   "Big5-HKSCS) or another Python codec. Default: detected for each file (UTF-8 with or without BOM, "
                   "GB18030, Big5); a file whose encoding cannot be told is not linted (exit 2) and asks for this.")
def lint_command(files: tuple[Path, ...], product_type: str | None, fmt: str, pack_id: str | None,
                 encoding_name: str | None) -> None:
    """Lint marketing scripts (text files: UTF-8, GBK/GB18030 or Big5, told from their bytes or named by --encoding).

    A file named `-` is standard input (reported as <stdin>): `… | guard lint -`.

    Under --product-type, or without it by every rule of the pack (the findings under every
    product type, merged: a phrase banned for any type is reported). A file read as other than
    UTF-8 is named on stderr with its encoding.

    Exit 1 when any file fails (has an error finding), 2 when a file cannot be read (its encoding
    cannot be told, or it is not valid text in the encoding named or told), has nothing to lint (empty,
    or only spaces and punctuation) or no valid policy pack is
    in effect (nothing can be judged: fix the pack, `guard policies validate`), 0 when every file
    passes or only warns. A file that cannot be read is named in the JSON report (`unreadable`) and in
    SARIF (an error notification; the invocation not successful), not only on stderr.
    """
    from guard.core.catalog import NoPolicy
    from guard.core.lint import lint_notes
    from guard.core.text import has_words
    from guard.services.audits.encoding import label
    from guard.services.catalog import lint_output
    from guard.services.catalog.scripts import UnknownPack, lint_text, pack_for_lint

    codec = named_codec(encoding_name)
    rt = _rt()
    now = rt.clock()
    results: list = []
    unreadable: list = []
    pack = None
    for path in files:
        problems: list[str] = []
        raw = input_bytes(path)
        read = read_text_as(path, codec, problems, raw)
        if read is None:
            unreadable.append(lint_output.Unreadable(shown(path), problems[-1]))
            continue
        text, read_codec = read
        if not has_words(text):  # an empty or blank file (a failed export) would pass with nothing judged
            reason = "has nothing to lint: no letter or digit (empty, or only spaces, line breaks and punctuation)"
            click.echo(f"{shown(path)}: {reason}", err=True)
            unreadable.append(lint_output.Unreadable(shown(path), reason))
            continue
        try:
            result, pack = lint_text(rt.packs(), text, product_type, pack_id, now)
        except UnknownPack as exc:
            raise click.BadParameter(str(exc), param_hint="--pack") from None
        except NoPolicy as exc:
            click.echo(f"cannot lint: {exc}; no script is judged (see the policy problems above, "
                       "`guard policies validate`)", err=True)
            sys.exit(2)
        results.append(lint_output.FileResult(shown(path), text, result, encoding=label(read_codec), length=len(raw)))
    if pack is None and fmt != "text":
        # No file could be read: the JSON or SARIF report still says so (a pipeline reads the report, not stderr).
        try:
            pack = pack_for_lint(rt.packs(), pack_id, now)
        except UnknownPack as exc:
            raise click.BadParameter(str(exc), param_hint="--pack") from None
        except NoPolicy:
            pack = None
    if pack is not None:
        notes = lint_notes(pack, [product_type] if product_type else [])
        if fmt == "text":
            click.echo(lint_output.text_report(results, color=sys.stdout.isatty(), notes=notes), nl=False)
        elif fmt == "json":
            click.echo(lint_output.json_report(results, pack, [product_type] if product_type else list(codes("product_types")),
                                               unreadable, notes), nl=False)
        else:
            click.echo(lint_output.sarif_report(results, pack, unreadable, notes), nl=False)
    if unreadable:
        sys.exit(2)
    if any(r.result.verdict == "fail" for r in results):
        sys.exit(1)

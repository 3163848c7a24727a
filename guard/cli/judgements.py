"""`guard judgements`: reviewers' judgements of the linter's findings — each rule's precision on the bank's scripts,
or the judged sentences as a labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click

from guard.cli.group import parse_when
from guard.cli.group import guard_group, runtime as _rt
from guard.cli.output import check_out, written_whole


def _jsonl(lines: list[dict]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _table(summary: dict) -> str:
    lines = [f"{summary['findings']} finding(s) judged by {summary['reviewers']} reviewer(s)"]
    if summary["rules"]:
        width = max(len(r["rule"]) for r in summary["rules"])
        lines.append(f"{'rule':<{width}}  judged  confirmed  false alarms  disputed  precision")
        for r in summary["rules"]:
            precision = "—" if r["precision"] is None else f"{r['precision']:.2f}"
            lines.append(f"{r['rule']:<{width}}  {r['judged']:>6}  {r['confirmed']:>9}  {r['false_alarm']:>12}  {r['disputed']:>8}  "
                         f"{precision:>9}")
    return "\n".join(lines) + "\n"


@guard_group.command("judgements")
@click.option("--from", "start", default=None, help="Judgements given at or after this instant (ISO 8601 with offset).")
@click.option("--to", "end", default=None, help="Judgements given before this instant (ISO 8601 with offset).")
@click.option("--rule", default=None, help="One rule only (a merged finding counts for each of its rules).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "corpus"]), default="text", show_default=True,
              help="text: each rule's precision, the least precise first; json: the same as GET /v1/scripts/judgements; "
                   "corpus: the judged sentences as JSON Lines in the format of tests/lint/real (label flag or clean).")
@click.option("--out", "out_path", default=None, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the result here (default: stdout).")
@click.option("--split", "split_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="With --format corpus: write DIR/dev.jsonl and DIR/heldout.jsonl, the campaigns split once by a hash "
                   "(tune on dev only; score heldout to report).")
def judgements_command(start: str | None, end: str | None, rule: str | None, fmt: str, out_path: Path | None,
                       split_dir: Path | None) -> None:
    """Reviewers' judgements of the linter's findings (POST /v1/scripts/{id}/judgements, the review page's 误报/属实).

    Each finding counts once, by its reviewers' newest judgements; reviewers who disagree make it disputed
    (in the corpus: a note marked doubtful). A judgement changes no verdict: fix a rule's false alarms in the
    pack (guard policies validate, simulate, reload).
    """
    from guard.services.catalog import judgements

    if split_dir is not None and (fmt != "corpus" or out_path is not None):
        raise click.UsageError("--split writes the corpus in two files: use it with --format corpus and without --out")
    check_out(out_path)
    t0 = parse_when(start, "--from") if start else None
    t1 = parse_when(end, "--to") if end else None
    store = _rt().store
    if fmt == "corpus":
        corpus = judgements.corpus_lines(store, t0, t1, rule)
        lines = corpus.lines
        summary = f"{len(lines)} passage(s): {sum(1 for x in lines if x['label'] == 'flag')} flag, " \
                  f"{sum(1 for x in lines if x['label'] == 'clean')} clean"
        if corpus.left_out:
            summary += (f"; {corpus.left_out} sentence(s) left out: a false alarm beside a finding nobody judged "
                        "(judge every finding of a sentence to give it a label)")
        if split_dir is not None:
            split_dir.mkdir(parents=True, exist_ok=True)
            for name, half in zip(("dev", "heldout"), judgements.split_by_campaign(lines)):
                with written_whole(split_dir / f"{name}.jsonl") as f:
                    f.write(_jsonl(half))
                summary += f"\n{split_dir / (name + '.jsonl')}: {len(half)} passage(s) of " \
                           f"{len({x['campaign'] for x in half})} campaign(s)"
            click.echo(summary, err=True)
            return
        out = _jsonl(lines)
    else:
        data = judgements.summary(store, t0, t1, rule)
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if fmt == "json" else _table(data)
        summary = None
    if out_path is None:
        click.echo(out, nl=False)
    else:
        with written_whole(out_path) as f:
            f.write(out)
    if summary:
        click.echo(summary, err=True)

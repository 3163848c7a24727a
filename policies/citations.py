"""The sources the lint rules' rationales cite, with the words of each source as read.

    python -m policies.citations [--rule RULE_ID] [--unchecked] [--sources]

`policies/sources/lint-citations.yaml` holds two things:
- `instruments`: each statute, regulation, notice or regulator's page a rationale cites, with where its text was
  read (`source`, an address; `official`: the issuer's own page, or a reproduction of it) and the text of the
  articles cited, verbatim as read (`articles`: 第十七条 -> its text);
- `citations`: per rule id, the citations its rationale makes: the words as the rationale writes them (`cite`),
  the instrument and article, the items (（三）, 八、) when the rationale names some, the words of the source the
  rule rests on (`says`), and a `status`: `checked` (the words are in the article, and item, cited) or
  `unchecked` (the source was looked for and not found or not read; the rationale says 未核实 next to it).

tests/lint/test_citations.py holds the shipped pack to it: every quotation is in the article and item cited,
every citation is written in its rule's rationale, every article a rationale names has a citation, and every
unchecked one is marked as such in the rationale. Printing (`python -m policies.citations`) lists each rule's
citations with their status and source; `--unchecked` only the citations still to be confirmed; `--sources` each
instrument with where its text was read and whether that is the issuer's own page (what compliance confirms on the
regulators' sites before relying on an article number).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCES = Path(__file__).resolve().parent / "sources" / "lint-citations.yaml"
STATUSES = ("checked", "unchecked")
# An article named in a rationale: 第十七条, 第二十二条（二）, 第22條 (Taiwan), 第15条 — the number and the word for
# article (the items a citation names are its `items`).
ARTICLE_RE = re.compile("第[一二三四五六七八九十百零〇0-9]+[条條]")
_CN_ITEM_RE = re.compile("[（(]([一二三四五六七八九十]+)[）)]")
_TW_ITEM_RE = re.compile("(?<![一二三四五六七八九十])([一二三四五六七八九十]+)、")
# The key of the passage read of a document without numbered articles (a notice, a regulator's page, a news report of a rule).
EXCERPT = "摘录"
# The mark a rationale carries next to a citation whose source was not read.
UNCHECKED_MARK = "未核实"


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    issued_as: str
    source: str
    official: bool
    articles: dict[str, str]


@dataclass(frozen=True)
class Citation:
    rule: str
    cite: str
    status: str
    instrument: str | None = None
    article: str | None = None
    items: tuple[str, ...] = ()
    says: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Citations:
    instruments: dict[str, Instrument]
    by_rule: dict[str, tuple[Citation, ...]]


def load(path: Path = SOURCES) -> Citations:
    """The citations file, as data; raises ValueError naming the entry that is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    instruments: dict[str, Instrument] = {}
    for key, entry in (data.get("instruments") or {}).items():
        try:
            instruments[key] = Instrument(key=key, title=entry["title"], issued_as=entry.get("issued_as", ""),
                                          source=entry["source"], official=bool(entry["official"]),
                                          articles={str(a): " ".join(str(t).split()) for a, t in entry["articles"].items()})
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"instrument {key}: {exc!r}") from None
    by_rule: dict[str, tuple[Citation, ...]] = {}
    for rule, entries in (data.get("citations") or {}).items():
        out = []
        for entry in entries or ():
            try:
                status = entry["status"]
                if status not in STATUSES:
                    raise ValueError(f"status {status!r} is not one of {STATUSES}")
                out.append(Citation(rule=rule, cite=entry["cite"], status=status, instrument=entry.get("instrument"),
                                    article=entry.get("article"), items=tuple(map(str, entry.get("items") or ())),
                                    says=tuple(entry.get("says") or ()), note=entry.get("note", "")))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"citation of {rule}: {exc}") from None
        by_rule[rule] = tuple(out)
    return Citations(instruments, by_rule)


def item_text(article: str, item: str) -> str | None:
    """The text of item `item` (三, or 八 of a Taiwan article's 八、) of an article: from its number to the next
    item's number (or the end); None when the article has no such item."""
    for pattern in (_CN_ITEM_RE, _TW_ITEM_RE):
        marks = [(m.start(), m.group(1)) for m in pattern.finditer(article)]
        for k, (at, name) in enumerate(marks):
            if name == item:
                return article[at:marks[k + 1][0] if k + 1 < len(marks) else len(article)]
    return None


def problems(citation: Citation, instruments: dict[str, Instrument]) -> list[str]:
    """What is wrong with one citation against its source's text (empty: nothing)."""
    where = f"{citation.rule}: {citation.cite}"
    if citation.status == "unchecked":
        return [] if citation.note else [f"{where}: an unchecked citation says what was looked for (note)"]
    instrument = instruments.get(citation.instrument or "")
    if instrument is None:
        return [f"{where}: no instrument {citation.instrument!r}"]
    article = instrument.articles.get(citation.article or "")
    if article is None:
        return [f"{where}: {instrument.title} has no text of {citation.article!r} here"]
    if not citation.says:
        return [f"{where}: a checked citation quotes the source (says)"]
    out = []
    parts = [item_text(article, item) for item in citation.items] if citation.items else [article]
    for item, part in zip(citation.items, parts):
        if part is None:
            out.append(f"{where}: {citation.article} has no item {item}")
    for words in citation.says:
        if not any(part is not None and " ".join(words.split()) in part for part in parts):
            out.append(f"{where}: {words!r} is not in {instrument.title} {citation.article}"
                       + (f" item {'/'.join(citation.items)}" if citation.items else ""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule", help="only this rule's citations")
    parser.add_argument("--unchecked", action="store_true", help="only the citations whose source was not read")
    parser.add_argument("--sources", action="store_true", help="the instruments and where their text was read")
    args = parser.parse_args(argv)
    cites = load()
    if args.sources:
        for inst in cites.instruments.values():
            kind = "official" if inst.official else "reproduction"
            print(f"{inst.key}: {inst.title}（{inst.issued_as}） {', '.join(inst.articles)} — {kind}: {inst.source}")
        return 0
    for rule, entries in sorted(cites.by_rule.items()):
        entries = tuple(c for c in entries if c.status == "unchecked") if args.unchecked else entries
        if (args.rule and rule != args.rule) or not entries:
            continue
        print(rule)
        for c in entries:
            if c.status == "checked":
                inst = cites.instruments[c.instrument or ""]
                kind = "official" if inst.official else "reproduction"
                print(f"  checked    {c.cite}: {'；'.join(c.says)} ({inst.source}, {kind})")
            else:
                print(f"  unchecked  {c.cite}: {c.note}")
    return 0


if __name__ == "__main__":  # pragma: no cover - command-line entry point
    sys.exit(main())

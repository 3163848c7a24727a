"""Why a row of a file was rejected, in the three languages.

The file readers (call-log audit, blacklist import and removals, consent import) say why a row was rejected in
English: that `reason` is what clients parse and what an audit stores, so it stays as written. The same reason is read
back here against the `reject.*` templates (and the error templates a reader reuses), the way a stored mute's reason
is (`messages.localize_stored`), so a reason stored before these templates existed reads in Chinese too. A reason no
pattern knows reads the same in every language.

Pure: text in, {lang: text} out.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from guard.core.i18n import LANGS
from guard.core.messages import TEMPLATES, L, _vocab

# A cell as the readers quote it (Python's repr: single quotes, or double ones around a cell holding a single quote)
_CELL = r"(?P<value>'.*'|\".*\")"

_Match = Callable[[dict[str, str]], dict[str, Any] | None]


def _same(g: dict[str, str]) -> dict[str, Any]:
    return dict(g)


def _number_problem(g: dict[str, str]) -> dict[str, Any] | None:
    why = _vocab("number_problems", g["why"])
    return {"value": g["value"], "why": why} if isinstance(why, L) else None


def _where(g: dict[str, str]) -> dict[str, Any]:
    place = g["where"]
    shown = TEMPLATES["reject.this_line"].render({}) if place == "this line" else \
        TEMPLATES["reject.that_line"].render({"line": place.removeprefix("line ")})
    return {**g, "where": L(shown)}


# What a field's value was rejected for (the text after "field: ")
_PROBLEMS: tuple[tuple[str, re.Pattern[str], _Match], ...] = tuple((key, re.compile(pattern), to_params) for key, pattern, to_params in (
    ("reject.empty", r"empty", _same),
    ("error.longer_than", r"longer than (?P<limit>\d+) characters", _same),
    ("reject.not_string", r"must be a string", _same),
    ("reject.no_phone_or_customer", r"give a phone, a customer_id, or both", _same),
    ("reject.json_twice", r"given twice \((?P<names>.+)\)", _same),
    ("reject.no_pack", r"no policy pack version is in effect at (?P<at>\S+)", _same),
    ("error.in_future", r"(?P<value>\S+) is in the future: after the server clock plus (?P<limit>\d+) s \((?P<bound>\S+)\)", _same),
    ("error.not_one_of", _CELL + r" is not one of (?P<choices>.+)", _same),
    ("reject.other_source", _CELL + r"; this removal closes (?P<source>\S+) entries only", _same),
    ("reject.invalid_number", _CELL + r" is not a valid number \((?P<why>.+)\)", _number_problem),
    ("reject.two_numbers_call", _CELL + r" holds two numbers \(one after ;\): a call goes to one number; export the log with the "
                                        r"number called alone", _same),
    ("reject.outside_line_call", _CELL + r" is no valid number as written, and is one after its leading (?P<digit>\d) \(a "
                                         r"switchboard's outside-line prefix\): export the log with the numbers the callees have", _same),
    ("reject.not_date", _CELL + r" is not an ISO 8601 date or date-time with offset", _same),
    ("reject.not_instant_zone", _CELL + r" is not an ISO 8601 date-time with a UTC offset; a time without one is read in the log's "
                                        r"time zone when it is named \(--timezone, or `timezone` on POST /v1/audits\)", _same),
    ("reject.not_instant", _CELL + r" is not an ISO 8601 date-time with a UTC offset", _same),
    ("reject.no_such_instant", _CELL + r" is no such date-time \(a month 1-12, a day of that month, an hour 0-23, minutes 0-59, "
                                       r"or 24:00 for the end of the day\)", _same),
    ("reject.serial_date", _CELL + r" is a spreadsheet's date serial number \(days since 1899-12-30\), as a sheet saves a "
                                   r"date-time cell whose format was lost: format the column as date and time \(2026-11-30 "
                                   r"09:05:00\) and export the log again", _same),
    ("reject.bare_time", _CELL + r" is a time of day without its date: if the log keeps the date in a column of its own, name "
                                 r"that column (?P<names>.+) \(its date is then joined to this time\), or join the two into one "
                                 r"column \(2026-11-30 09:05:00\)", _same),
    ("reject.not_local_time", _CELL + r" is neither an ISO 8601 date-time with a UTC offset nor a date and time like 2026/11/30 "
                                      r"9:05 \(read in (?P<zone>\S+)\), 2026年11月30日 9时05分 or 2026-11-30 上午9:05", _same),
    ("reject.repeats_line", _CELL + r" repeats line (?P<line>\d+)", _same),
    ("reject.repeats_earlier", _CELL + r" repeats an earlier row", _same),
    ("reject.number", _CELL + r" (?P<why>.+)", _number_problem),
))

# What a whole row was rejected for
_ROWS: tuple[tuple[str, re.Pattern[str], _Match], ...] = tuple((key, re.compile(pattern), to_params) for key, pattern, to_params in (
    ("reject.width", r"(?P<count>\d+) fields; the header has (?P<header>\d+)", _same),
    ("reject.columns", r"(?P<count>\d+) columns; expected at most (?P<limit>\d+) \((?P<columns>.+)\)", _same),
    ("reject.undecodable_named", r"not valid (?P<encoding>[\w-]+(?: \([\w-]+\))?); name the file's encoding if it is another", _same),
    ("reject.undecodable", r"not valid (?P<encoding>[\w-]+(?: \([\w-]+\))?)", _same),
    ("reject.unclosed_quote", r"a quote opened in this line is not closed on it", _same),
    ("reject.stray_quote", r"a quote opened in this line is not closed on it, and line (?P<line>\d+) after it reads as a row of "
                           r"its own: a stray quote\? \(the lines after this one are read as rows\)", _same),
    ("reject.quote_to_end_after", r"a quote opened in (?P<where>this line|line \d+) is never closed: it runs to the end of the "
                                  r"file \(line (?P<last>\d+)\); the lines after it are read as rows", _where),
    ("reject.quote_to_end", r"a quote opened in (?P<where>this line|line \d+) is never closed: it runs to the end of the file", _where),
    ("reject.not_csv", r"not readable as CSV \((?P<problem>.+)\)", _same),
    ("reject.header_again", r"repeats the header of line (?P<line>\d+): two exports joined into one file", _same),
    ("reject.totals", r"a totals row \((?P<label>.+)\), no call", _same),
    ("reject.not_json", r"not a JSON object", _same),
    ("reject.not_json_why", r"not a JSON object \((?P<problem>.+)\)", _same),
))

_FIELD = re.compile(r"(?P<field>[A-Za-z_][A-Za-z0-9_]*): (?P<problem>.+)", re.S)


def _first(patterns: tuple[tuple[str, re.Pattern[str], _Match], ...], text: str) -> dict[str, str] | None:
    for key, pattern, to_params in patterns:
        m = pattern.fullmatch(text)
        params = to_params(m.groupdict()) if m is not None else None
        if params is not None:
            return TEMPLATES[key].render(params)
    return None


def reject_messages(reason: str) -> dict[str, str]:
    """A rejected row's `reason` in zh-CN, zh-TW and en (the English as written); one no reader writes, as written in each."""
    own = getattr(reason, "messages", None)
    if isinstance(own, dict):
        return dict(own)
    text = str(reason)
    out = _first(_ROWS, text)
    if out is None and (m := _FIELD.fullmatch(text)) is not None:
        problem = _first(_PROBLEMS, m["problem"])
        if problem is not None:
            out = TEMPLATES["reject.field"].render({"field": m["field"], "problem": L(problem)})
    if out is None or out["en"] != text:  # a template must give back the English as the reader wrote it, or is not used
        return {lang: text for lang in LANGS}
    return out


def with_reason_messages(rejects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rejected rows with `reason_messages` beside each `reason`."""
    return [{**r, "reason_messages": reject_messages(r["reason"])} for r in rejects]


def with_reason_messages_of(report: dict[str, Any]) -> dict[str, Any]:
    """An import's report whose `rejects` carry `reason_messages` beside each `reason`."""
    return {**report, "rejects": with_reason_messages(report["rejects"])}

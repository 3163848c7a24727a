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
import string
from typing import Any, Callable

from guard.core.i18n import LANGS
from guard.core.messages import TEMPLATES, L, _vocab, choice_names

# A cell as the readers quote it (Python's repr: single quotes, or double ones around a cell holding a single quote)
_CELL = r"(?P<value>'.*'|\".*\")"

_Match = Callable[[dict[str, str]], dict[str, Any] | None]


def _same(g: dict[str, str]) -> dict[str, Any]:
    return dict(g)


def _number_problem(g: dict[str, str]) -> dict[str, Any] | None:
    why = _vocab("number_problems", g["why"])
    return {"value": g["value"], "why": why} if isinstance(why, L) else None


def _choices(g: dict[str, str]) -> dict[str, Any]:
    return {**g, "choices": choice_names(g["choices"].split(", "))}


def _keys(g: dict[str, str]) -> dict[str, Any]:
    return {**g, "keys": g["keys"].split(", ")}


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
    ("error.not_one_of", _CELL + r" is not one of (?P<choices>.+)", _choices),
    ("reject.hour_12", _CELL + r": with (?P<marker>上午|下午) the hour is 1-12 \(a 12-hour clock\); write the time in 24-hour form",
     _same),
    ("reject.am_12", _CELL + r": 上午12 is midnight on a 12-hour clock and noon to a reader; write the time in 24-hour form "
                             r"\(00:xx or 12:xx\)", _same),
    ("reject.summer_time", _CELL + r" is shown twice or never by the clocks of (?P<zone>\S+) \(a change of summer time\): give "
                                   r"its UTC offset", _same),
    ("reject.expiry_passed", _CELL + r" \(read as (?P<read>\S+)\) has passed: a row without added_at is listed from the import, so "
                                     r"its listing would end before it begins; give added_at to record a listing that has ended",
     _same),
    ("reject.expiry_not_after", _CELL + r" \(read as (?P<read>\S+)\) is not after added_at (?P<added>'.*'|\".*\") \(read as "
                                        r"(?P<added_read>\S+)\)", _same),
    ("reject.expiry_not_passed", _CELL + r" has not passed: the list holds the number until (?P<until>\S+); a removal lifts it "
                                         r"now, so remove the number once its listing has ended", _same),
    ("reject.turn_not_object", r"turn (?P<turn>\d+) is neither an object nor a string", _same),
    ("reject.turn_no_words", r"turn (?P<turn>\d+) has no words \(a string under one of (?P<keys>.+)\)", _keys),
    ("reject.turn_no_speaker", r"turn (?P<turn>\d+) has no speaker \(a string under one of (?P<keys>.+)\)", _keys),
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
    ("reject.unreadable", r"unreadable", _same),
    ("reject.invalid", r"invalid", _same),
    ("error.text_nul", r"contains a NUL character \(U\+0000\)", _same),
    ("error.text_surrogate", r"contains an unpaired surrogate \(not a Unicode character\)", _same),
    ("reject.not_json_why", r"not a JSON object \((?P<problem>.+)\)", _same),
))

_FIELD = re.compile(r"(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?): (?P<problem>.+)", re.S)


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


# Why an audit failed, as stored (`error`, English): the errors a log's reading and judging raise, read back from their
# templates' English; a nested row reason (`line 4: …`) reads as its row's reason does.
_AUDIT_ERRORS = ("error.log_empty", "error.log_no_call", "error.log_header_missing", "error.log_column_twice",
                 "error.log_undecodable", "error.log_workbook", "error.log_nul", "error.log_no_codec", "error.log_gb_or_big5",
                 "error.log_not_chinese", "error.log_gb_or_big5_lines", "error.log_none_judged", "error.log_line")


def _english_pattern(english: str) -> re.Pattern[str]:
    """A template's English as a pattern, each parameter a group (a parameter named twice: the same text again)."""
    out, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(english):
        out.append(re.escape(literal))
        if name is not None:
            out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
    return re.compile("".join(out), re.S)


_AUDIT_PATTERNS = tuple((key, _english_pattern(TEMPLATES[key].en)) for key in _AUDIT_ERRORS)
_PASS_ENCODING = TEMPLATES["error.log_pass_encoding"].en
_ROW_OF = re.compile(r"line (?P<line>\d+): (?P<why>.+)", re.S)


def _rows_said(first: str) -> L:
    """"line 2: why; line 5: why; …" with each row's reason in the language."""
    more = first.endswith("; …")
    parts = re.split(r"; (?=line \d+: )", first.removesuffix("; …"))
    rendered = []
    for part in parts:
        m = _ROW_OF.fullmatch(part)
        rendered.append(TEMPLATES["error.log_line"].render({"line": m["line"], "why": L(reject_messages(m["why"]))})
                        if m else {lang: part for lang in LANGS})
    return L({lang: ("; " if lang == "en" else "；").join(r[lang] for r in rendered) + ("; …" if more else "")
              for lang in LANGS})


def audit_error_messages(error: str | None) -> dict[str, str] | None:
    """A failed audit's stored `error` in zh-CN, zh-TW and en (the English as stored); one no template knows, as stored."""
    if error is None:
        return None
    for key, pattern in _AUDIT_PATTERNS:
        m = pattern.fullmatch(error)
        if m is None:
            continue
        params: dict[str, Any] = dict(m.groupdict())
        if "then" in params:
            if params["then"] != _PASS_ENCODING:
                continue
            params["then"] = L(TEMPLATES["error.log_pass_encoding"].render({}))
        if key == "error.log_none_judged":
            params["first"] = _rows_said(params["first"])
        elif key == "error.log_line":
            params["why"] = L(reject_messages(params["why"]))
        out = TEMPLATES[key].render(params)
        if out["en"] == error:
            return out
    return {lang: error for lang in LANGS}

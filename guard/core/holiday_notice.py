"""Reading the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知) into a pack's
`holidays: {add, workdays}`, so that a compliance officer enters it from its own text, not by typing dates.

The notice is a list of items, one per holiday, in a fixed register (国办发明电〔2016〕17号 for 2017 through
国办发明电〔2025〕7号 for 2026):

    一、元旦：1月1日放假，1月2日（星期一）补休。
    二、春节：1月27日至2月2日放假调休，共7天。1月22日（星期日）、2月4日（星期六）上班。
    一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
    一、元旦：1月1日（周三）放假1天，不调休。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

Each item gives its days off (a day, or a period "A至B", B's month and year taken from A when left out; a
day 补休) and its makeup working days (the dates of a sentence that ends 上班). "共N天" is checked against the
period read. Days off next to a weekend need no more: the calendar joins a period to the weekend beside it
(guard.core.calendar). Pure: text in, dates out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

_NUMERALS = "一二三四五六七八九十"
# an item opens a line or follows a sentence's end (reposts run the items on in one paragraph); 初七、 is no item
_ITEM = re.compile(rf"(?:^|(?<=[\s。]))[{_NUMERALS}]+、\s*([^:\n。]{{1,20}}):(.*?)(?=[\s。]+[{_NUMERALS}]+、|[\s。]*节假日期间|[\s。]*鼓励|\Z)", re.S)
_ASIDE = r"(?:\([^()]{0,20}\))?"  # (周四), (星期一), (农历除夕、周二)
_DATE = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
_PERIOD = re.compile(rf"{_DATE}{_ASIDE}至(?:(?:(\d{{4}})年)?(\d{{1,2}})月)?(\d{{1,2}})日{_ASIDE}放假")
_DAY_OFF = re.compile(rf"{_DATE}{_ASIDE}(?:放假|补休)")
_ANY_DATE = re.compile(_DATE)
_TOTAL = re.compile(r"共(\d{1,2})天")
_YEAR = re.compile(r"关于(\d{4})年部分节假日安排|现将(\d{4})年")


class NoticeError(ValueError):
    """The text is not read as a notice; `problems` say where."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NoticeItem:
    name: str  # 春节, 中秋节、国庆节
    days_off: tuple[date, ...]
    workdays: tuple[date, ...]
    periods: tuple[tuple[date, date], ...]  # the days off as runs of consecutive days


@dataclass(frozen=True)
class Notice:
    year: int
    items: tuple[NoticeItem, ...] = field(default_factory=tuple)

    @property
    def days_off(self) -> frozenset[date]:
        return frozenset(d for item in self.items for d in item.days_off)

    @property
    def workdays(self) -> frozenset[date]:
        return frozenset(d for item in self.items for d in item.workdays)

    def title(self) -> str:
        return f"国务院办公厅关于{self.year}年部分节假日安排的通知"


def _plain(text: str) -> str:
    """NFKC (full-width brackets and colons), traditional → simplified (a notice reposted in traditional script)."""
    from guard.core.text import _t2s

    t2s = _t2s()
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(t2s.get(ch, ch) for ch in text).replace("星期", "周")


def _runs(days: list[date]) -> tuple[tuple[date, date], ...]:
    runs: list[list[date]] = []
    for d in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return tuple((a, b) for a, b in runs)


def _day(year: str | None, month: str, day: str, default_year: int, where: str, problems: list[str]) -> date | None:
    try:
        return date(int(year) if year else default_year, int(month), int(day))
    except ValueError:
        problems.append(f"{where}: {year + '年' if year else ''}{month}月{day}日 is no date")
        return None


def parse_notice(text: str, year: int | None = None) -> Notice:
    """The notice's items. `year`: the year the notice is for, when its title is not in the text. Raises NoticeError
    naming each item that cannot be read (no day off in it, 共N天 not the period's length, a makeup working day on a
    weekday)."""
    plain = _plain(text)
    found_year = _YEAR.search(plain)
    if year is None:
        if found_year is None:
            raise NoticeError(["the year is not in the text (关于XXXX年部分节假日安排的通知, 现将XXXX年…): give it"])
        year = int(found_year.group(1) or found_year.group(2))
    items: list[NoticeItem] = []
    problems: list[str] = []
    for match in _ITEM.finditer(plain):
        name, body = match.group(1).strip(), match.group(2)
        where = f"item {name}"
        days_off: list[date] = []
        workdays: list[date] = []
        for sentence in filter(None, (s.strip() for s in re.split(r"[。;\n]", body))):
            if sentence.endswith("上班"):
                for y, m, d in _ANY_DATE.findall(sentence):
                    day = _day(y, m, d, year, where, problems)
                    if day is not None:
                        if day.weekday() < 5:
                            problems.append(f"{where}: {day.isoformat()} is a weekday, named a makeup working day (上班)")
                        workdays.append(day)
                continue
            covered: list[tuple[int, int]] = []
            for p in _PERIOD.finditer(sentence):
                y1, m1, d1, y2, m2, d2 = p.groups()
                start = _day(y1, m1, d1, year, where, problems)
                if start is None:
                    continue
                end = _day(y2, m2 or m1, d2, start.year, where, problems)  # 至3日: A's month; 至2月2日: A's year
                if end is None:
                    continue
                if end < start or (end - start).days > 31:
                    problems.append(f"{where}: {start.isoformat()} to {end.isoformat()} is no period of days off")
                    continue
                days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
                total = _TOTAL.search(sentence, p.end())
                if total and int(total.group(1)) != len(days):
                    problems.append(f"{where}: {start.isoformat()} to {end.isoformat()} is {len(days)} days, the notice says 共{total.group(1)}天")
                days_off.extend(days)
                covered.append(p.span())
            for single in _DAY_OFF.finditer(sentence):
                if any(a <= single.start() < b for a, b in covered):
                    continue
                day = _day(*single.groups(), year, where, problems)
                if day is not None:
                    days_off.append(day)
        if not days_off:
            problems.append(f"{where}: no day off read in 「{body.strip()[:60]}」")
            continue
        items.append(NoticeItem(name, tuple(sorted(set(days_off))), tuple(sorted(set(workdays))), _runs(days_off)))
    if not items and not problems:
        problems.append("no item (一、元旦：…) found: is this the notice's text?")
    if problems:
        raise NoticeError(problems)
    return Notice(year, tuple(items))


def as_pack_yaml(notice: Notice) -> str:
    """The `holidays` block of a cn-bank pack that enters the notice: its periods under `add`, its makeup working
    days under `workdays`."""
    lines = ["holidays:", "  calendar: CN", "  block: true", f'  source: "{notice.title()}"', "  add:"]
    for item in notice.items:
        for start, end in item.periods:
            if start == end:
                lines.append(f"    - {{date: {start.isoformat()}, name: {item.name}}}")
            else:
                lines.append(f"    - {{from: {start.isoformat()}, to: {end.isoformat()}, name: {item.name}}}")
    workdays = sorted(notice.workdays)
    lines.append("  workdays:" + ("" if workdays else " []"))
    lines.extend(f"    - {d.isoformat()}" for d in workdays)
    return "\n".join(lines) + "\n"

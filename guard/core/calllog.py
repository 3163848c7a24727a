"""The call log an auditor uploads: its columns and what makes a row a judgeable call (SPEC §3.8)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from guard.core.facts import DISPOSITIONS
from guard.core.headers import NameTable
from guard.core.pack_schema import parse_instant
from guard.core.phones import PhoneInfo, in_scientific_notation
from guard.core.ids import canonical_id
from guard.core.text import unstorable
from guard.core.vocabularies import code_of, codes

PURPOSES = codes("call_purposes")

UTC = timezone.utc
COLUMNS = ("call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "transcript",
           "purpose")
REQUIRED = ("call_id", "phone", "called_at", "campaign")
# What a CSV log's header may call each column besides its own name (read as guard/core/headers.py reads a
# cell: any case, spaces and underscores aside, traditional spellings as simplified ones): the names dialers'
# call-detail exports use. `phone` is the number called, 被叫号码 (callee); 主叫号码, the bank's own line, is
# not it and is ignored like any column the guard does not read. Field lists of call-detail exports:
# https://developer.kf5.com/doc/restapi/voice/29 (被叫号码, 客服ID, 通话明细ID),
# https://www.volcengine.com/docs/6358/173375 (呼叫唯一ID, 被叫方号码, 呼叫开始时间, 任务id),
# https://call-bridge-api-docs.zoomixhk.com/doc-4421274 (座席编号, 被叫号码, 外呼起始时间, 外呼结果);
# 天润融通 Clink's outbound call records, https://help.aliyun.com/zh/vms/developer-reference/api-dyvmsapi-2017-05-25-clinklistcdrob
# and …-clinkdescribecdrob (通话记录唯一标识, 客户号码, 开始时间, 座席工号/座席号, 呼叫任务名称; its 通话时长 and 总时长 are durations);
# Huawei Cloud contact centre's CDR export, https://support.huaweicloud.com/intl/th-th/api-cec/cec_07_4237.html (call_id,
# callee_no "Called number", call_begin "Start time", agent_id; caller_no is the bank's line);
# Amazon Connect's contact record, https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html (ContactId,
# CustomerEndpoint.Address, InitiationTimestamp: for an outbound contact when the agent began dialing, Agent.Username);
# dialers' English call-detail exports: "Campaign name", "Agent name" (https://docs.agora.io/en/ai/studio/observe/call-history),
# "Telephone Number" (Sytel Softdial, https://helpdocs.sytel.com/SCC/SCC-Guide/User-and-Int-Guides/Softdial-Reporter/SQL-Tables.htm).
# Names an export gives a duration (通话时长, 总时长, Duration, "Call Time" in English reports) are none of these.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "call_id": ("通话ID", "呼叫ID", "呼叫唯一ID", "通话明细ID", "通话编号", "呼叫编号", "话单编号", "流水号", "通话记录唯一标识",
                "通话唯一ID", "Contact ID", "ContactId"),
    "phone": ("被叫号码", "被叫方号码", "被叫", "客户号码", "客户电话", "手机号码", "手机号", "电话号码", "电话", "联系电话",
              "联络电话", "号码", "Called Number", "callee_no", "Callee", "Dialed Number", "Dialled Number", "Number Dialed",
              "Number Dialled", "Phone Number", "Telephone Number", "CustomerEndpoint.Address"),
    "called_at": ("呼叫时间", "呼叫开始时间", "外呼时间", "外呼起始时间", "外呼开始时间", "拨打时间", "拨号时间",
                  "通话开始时间", "开始时间", "Start Time", "Call Start Time", "Call Start", "call_begin", "Begin Time",
                  "InitiationTimestamp"),
    "campaign": ("营销活动", "营销活动编号", "活动", "活动编号", "活动代码", "外呼任务", "任务编号", "任务ID", "Campaign ID"),
    "product": ("产品代码", "产品编号"),
    "agent_id": ("坐席工号", "座席工号", "坐席编号", "座席编号", "坐席ID", "座席ID", "工号", "客服ID", "座席号",
                 "坐席号", "Agent.Username"),
    "customer_id": ("客户号", "客户编号", "客户ID", "客户代码"),
    "disposition": ("呼叫结果", "外呼结果", "通话结果"),
    "decision_id": ("决策编号", "决策ID"),
    "transcript": ("通话文本", "转写文本", "录音转写", "语音识别文本", "通话内容"),
    "purpose": ("呼叫目的", "外呼目的", "目的"),
}
# Names read as their column only when no other column of the header names it. 通话时间 is the call's start in some
# exports and its length in others (通话时间 00:01:02 beside 开始时间): beside a start column (开始时间, 呼叫时间) it is the
# length and ignored, as 通话时长 is, instead of refusing the log as naming called_at twice. A campaign's, an agent's or
# a product's name stands for it where the export has no code, and is ignored beside the code (Campaign ID and Campaign
# Name, 坐席工号 and 坐席, 产品代码 and 产品).
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "called_at": ("通话时间",),
    "campaign": ("呼叫任务名称", "任务名称", "Campaign Name"),
    "agent_id": ("坐席", "座席", "Agent Name"),
    "product": ("产品",),
}
HEADER = NameTable(HEADER_NAMES, AMBIGUOUS_NAMES)
# A log may keep the call's date and its time of day in two columns (Five9's call log report: DATE and TIME; Chinese
# exports: 呼叫日期 and 呼叫时间). When the header names a date column below, a called_at cell holding only a time of day
# is read joined to its row's date (2026-11-23 and 10:15:00: 2026-11-23 10:15:00); a column named only "time" (TIME, 时间)
# is read as called_at then, and only then.
DATE_HEADER = NameTable({"date": ("呼叫日期", "通话日期", "外呼日期", "拨打日期", "日期", "Call Date")})
TIME_HEADER = NameTable({"time": ("时间",)})
_BARE_DATE = re.compile(r"\d{4}(?:([-/.])\d{1,2}\1\d{1,2}|年\d{1,2}月\d{1,2}[日号號])")
_BARE_TIME = re.compile(r"(?:[上下]午\s*)?\d{1,2}(?::\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?|[时時点點]\d{1,2}分(?:\d{1,2}秒)?)")


def joined_time(date: str, time: str) -> str | None:
    """`date` (a date alone) and `time` (a time of day alone) as one local date-time, or None when they are not so."""
    date, time = date.strip(), time.strip()
    if _BARE_DATE.fullmatch(date) and _BARE_TIME.fullmatch(time):
        return f"{date} {time}"
    return None


# A disposition or purpose may also be written as the product's own label of it (已接通, 无人接听, 营销 …:
# guard/core/vocabularies.py `code_of`), as a Chinese export writes it; read the same way as a header cell.
MAX_FIELD = {"call_id": 100, "phone": 64, "campaign": 100, "product": 100, "agent_id": 100, "customer_id": 64, "decision_id": 100,
             "transcript": 100_000, "purpose": 20}


@dataclass(slots=True)
class Call:
    line: int
    call_id: str
    phone_raw: str
    at: datetime
    campaign: str
    product: str | None
    agent_id: str | None
    customer_id: str | None
    disposition: str | None
    decision_id: str | None
    findings: list[dict] | None  # transcript lint findings (already judged)
    region: str | None = None  # the governing pack's region: numbers without a country code are read in it
    ranges: tuple = ()  # the governing pack's extra number ranges (guard.core.phones.NumberRange)
    phone: PhoneInfo | None = None  # the number, parsed in `region`
    purpose: str = "marketing"  # marketing (the default) | service: which rules bind, whether the caps count it


# A number with digits masked out, as CRMs export them for privacy: 138****8000, 138＊＊＊＊8000, 138●●●●8000, 138XXXX8000.
_MASKED = re.compile(r"[*＊●•]{2,}|(?<=\d)[xX]{3,}(?=\d)")

# A local date-time as spreadsheets and banks' systems export it, without a UTC offset (read only in a time zone the
# auditor names for the log): 2026-11-30 09:05:00, 2026/11/30 9:05, 2026.11.30T09:05:07.250, and the forms a Chinese
# locale writes (CLDR zh: the long date yyyy年M月d日, the long time HH时mm分ss秒, traditional 時; the 12-hour time
# "ah:mm" whose day period `a` is 上午 (am) or 下午 (pm), the hour `h` 1-12 with 12 at midnight and at noon:
# https://unicode.org/reports/tr35/tr35-dates.html#Date_Field_Symbol_Table): 2026年12月1日 22:00,
# 2026年12月1日 22时05分, 2026-12-01 下午9:05.
_LOCAL_TIME = re.compile(
    r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]|\s*(?=[上下]))|年(\d{1,2})月(\d{1,2})[日号號]\s*)"
    r"(?:(上午|下午)\s*)?"
    r"(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?|[时時点點](\d{1,2})分(?:(\d{1,2})秒)?)")

# The compact wall-clock time of switches' and call systems' detail records (话单): YYYYMMDDhhmmss, fourteen digits
# (20261201090500), or ISO 8601's basic format without an offset (20261201T090500, ISO 8601-1:2019 5.4.2). One reading
# only: the digits in that order.
_COMPACT_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})")

# Excel and WPS keep a date-time as days since 1899-12-30 and save it so when the cell's format is lost (46357.378472
# for 2026-12-01 09:05; Microsoft, "DATEVALUE function": 1900-01-01 is serial 1, and Lotus 1-2-3's 1900-02-29 shifts
# later dates by one, and the 1904 date system of older Mac workbooks counts from 1904-01-01). Which system the sheet
# used the log does not say: such a time is rejected with its reason, never converted.
_SERIAL_DATE = re.compile(r"\d{5}(?:\.\d+)?")


def _hour(marker: str | None, h: int, value: str) -> int | str:
    """The hour of the day `h` reads with its day period (上午 / 下午, or none), or the reason it cannot be read."""
    if marker is None:
        return h
    if not 1 <= h <= 12:
        return f"{value!r}: with {marker} the hour is 1-12 (a 12-hour clock); write the time in 24-hour form"
    if h == 12:
        if marker == "上午":
            # CLDR's 12-hour clock writes midnight as 上午12:00, while people read 上午12点 as noon: never guessed.
            return (f"{value!r}: 上午12 is midnight on a 12-hour clock and noon to a reader; write the time in 24-hour "
                    f"form (00:xx or 12:xx)")
        return 12  # 下午12:xx: noon, on either reading
    return h + 12 if marker == "下午" else h


def local_instant(value: str, zone: tzinfo) -> datetime | str | None:
    """`value`, a date-time without a UTC offset, read in `zone`: the instant; a reason when it cannot be read without a
    guess (the clock shows it twice or never there, a change of summer time; 上午12); None when it is no such date-time."""
    compact = _COMPACT_TIME.fullmatch(value)
    if compact is not None:
        y, mo, d, h, mi, sec = compact.groups()
        mo_zh = d_zh = marker = frac = mi_zh = sec_zh = None
    elif (m := _LOCAL_TIME.fullmatch(value)) is not None:
        y, _, mo, d, mo_zh, d_zh, marker, h, mi, sec, frac, mi_zh, sec_zh = m.groups()
    else:
        return None
    hour = _hour(marker, int(h), value)
    if isinstance(hour, str):
        return hour
    minute, second, micro = int(mi or mi_zh), int(sec or sec_zh or 0), int((frac or "0").ljust(6, "0"))
    # 24:00 (24:00:00) is the end of its day, the next day's 00:00 (ISO 8601-1:2019/Amd 1:2022, 5.3.2; ISO 8601:2004,
    # 4.2.3), as parse_instant reads it with an offset; nothing past it (24:01 is no time). ISO's own form only, with
    # colons (24:00, 24:00:00): 24时00分 and a switch's compact 240000 stay no time, as before.
    end_of_day = compact is None and mi is not None and hour == 24 and minute == second == micro == 0
    try:
        wall = datetime(int(y), int(mo or mo_zh), int(d or d_zh), 0 if end_of_day else hour, minute, second, micro)
        if end_of_day:
            wall += timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return f"{value!r} is shown twice or never by the clocks of {zone} (a change of summer time): give its UTC offset"
    return first


def check_row(line: int, row: dict[str, str], zone: tzinfo | None = None) -> tuple[Call | None, str | None]:
    """The call of one row, or (None, why it cannot be judged: `column: reason`). `zone`: the time zone the auditor
    named for the log, in which a `called_at` without a UTC offset is read (without one, such a row is rejected)."""
    get = row.get
    cells = {k: (get(k) or "").strip() for k in COLUMNS}
    for k in REQUIRED:
        if not cells[k]:
            return None, f"{k}: empty"
    joined = "".join(cells.values())
    if "\x00" in joined or not joined.isascii() and unstorable(joined):  # rare: say which column
        for k, value in cells.items():
            problem = unstorable(value)
            if problem:
                return None, f"{k}: {problem}"
    for k, limit in _LIMITS:
        if len(cells[k]) > limit:
            return None, f"{k}: longer than {limit} characters"
    if in_scientific_notation(cells["phone"]):
        # Excel saved the column as numbers (1.38001E+10): the last digits are gone, and no reading gets the number back.
        return None, (f"phone: {cells['phone']!r} is in scientific notation, as a spreadsheet shows a long number: its last "
                      f"digits are lost; export the column as text")
    if _MASKED.search(cells["phone"]):
        # CRMs mask the middle digits of the numbers they export (脱敏: 138****8000). Such a number, like one whose digits
        # a spreadsheet lost, is no number the call went to: judged, it read as INVALID_NUMBER, a rule the dialer broke,
        # and no blacklist, cap or consent was looked at. The row cannot be judged, and says why.
        return None, (f"phone: {cells['phone']!r} is masked; export the log with the full numbers called (a masked number "
                      f"cannot be checked against the blacklist, caps or consents)")
    raw = cells["called_at"]
    at = parse_instant(raw[:-1] + "Z" if raw.endswith("z") else raw)
    if at is None and _SERIAL_DATE.fullmatch(raw):
        return None, (f"called_at: {raw!r} is a spreadsheet's date serial number (days since 1899-12-30), as a sheet saves "
                      f"a date-time cell whose format was lost: format the column as date and time (2026-11-30 09:05:00) "
                      f"and export the log again")
    if at is None and _BARE_TIME.fullmatch(raw.strip()):
        # A log keeping the call's date in a column of its own whose name the guard does not read: the time alone is
        # no instant, and "not a date-time" would not say what is missing.
        return None, (f"called_at: {raw!r} is a time of day without its date: if the log keeps the date in a column of "
                      f"its own, name that column {' or '.join(DATE_HEADER.names['date'][:1] + ('Date',))} (its date is "
                      f"then joined to this time), or join the two into one column (2026-11-30 09:05:00)")
    if at is None:
        local = local_instant(raw, zone) if zone is not None else None
        if isinstance(local, str):
            return None, f"called_at: {local}"
        if local is None and zone is not None:
            # Read in a zone the auditor named, "not ... with a UTC offset" would send them looking for an offset the
            # log need not have: say what is wrong with the time itself.
            if _LOCAL_TIME.fullmatch(raw) or _COMPACT_TIME.fullmatch(raw):
                return None, f"called_at: {raw!r} is no such date-time (a month 1-12, a day of that month, an hour 0-23, minutes 0-59, or 24:00 for the end of the day)"
            return None, (f"called_at: {raw!r} is neither an ISO 8601 date-time with a UTC offset nor a date and time like "
                          f"2026/11/30 9:05 (read in {zone}), 2026年11月30日 9时05分 or 2026-11-30 上午9:05")
        if local is None:
            hint = ("; a time without one is read in the log's time zone when it is named (--timezone, or `timezone` on "
                    "POST /v1/audits)" if _LOCAL_TIME.fullmatch(raw) or _COMPACT_TIME.fullmatch(raw) else "")
            return None, f"called_at: {raw!r} is not an ISO 8601 date-time with a UTC offset{hint}"
        at = local
    disposition = cells["disposition"]
    if disposition and (disposition := code_of("dispositions", disposition) or disposition) not in DISPOSITIONS:
        return None, f"disposition: {disposition!r} is not one of {', '.join(DISPOSITIONS)}"
    purpose = cells["purpose"] or "marketing"
    if (purpose := code_of("call_purposes", purpose) or purpose) not in PURPOSES:
        return None, f"purpose: {purpose!r} is not one of {', '.join(PURPOSES)}"
    # The customer as the guard holds them: a log that spells the id Ｃ１００ or C<ZWSP>100 called C100 (guard/core/ids.py).
    # Campaigns, products, agents and dispositions repeat across a log: one string object each.
    product, agent = cells["product"], cells["agent_id"]
    return Call(line, cells["call_id"], cells["phone"], at.astimezone(UTC), intern(cells["campaign"]),
                intern(product) if product else None, intern(agent) if agent else None,
                canonical_id(cells["customer_id"]) or None, intern(disposition) if disposition else None,
                cells["decision_id"] or None, None, purpose=intern(purpose)), None


_LIMITS = tuple(MAX_FIELD.items())
intern = sys.intern

"""The message registry: every sentence the guard writes for a person, in zh-CN, zh-TW and en.

A reason's message is rendered from its code and its `detail` (plus the pack and campaign the
decision was made under), so a stored decision reads the same in every language with the same
specifics: the callee's local time and zone, until when, counts and caps, the pack. The English
rendering is what `message` holds; `messages` holds all three, and `message_zh` the Chinese of the
pack (traditional for Taiwan, Hong Kong and Macau packs).

Texts the guard stores for a person to read (a mute's reason, the reason of a blacklist entry it
adds itself) are stored in English, as the record, and read back in any language by matching them
against the same templates (`localize_stored`), so rows written before this registry existed
read in Chinese too.

A test holds every template to the same parameters in the three languages, and every reason code
to a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable

from guard.core.ids import NOT_CANONICAL
from guard.core.i18n import LANGS, Said, chinese_of, render, to_traditional, to_traditional_characters, windows_text
from guard.core.phones import NON_GEOGRAPHIC


@dataclass(frozen=True)
class Template:
    key: str
    en: str
    zh_cn: str
    zh_tw_own: str | None = None  # written by hand only where the converter's text is wrong

    @property
    def zh_tw(self) -> str:
        return self.zh_tw_own if self.zh_tw_own is not None else to_traditional(self.zh_cn)

    def text(self, lang: str) -> str:
        # The traditional text only when asked for: making it loads the converter (about 40 MB), which English alone,
        # as stored_text writes it, does not need.
        if lang == "en":
            return self.en
        return self.zh_cn if lang == "zh-CN" else {"zh-TW": self.zh_tw}[lang]

    def render(self, params: dict[str, Any], langs: tuple[str, ...] = LANGS) -> dict[str, str]:
        return {lang: render(self.text(lang), lang, {k: v[lang] if isinstance(v, L) else v.messages[lang] if isinstance(v, Said) else v
                                                     for k, v in params.items()})
                for lang in langs}


class L(dict):
    """A parameter whose value depends on the language (a vocabulary label): {lang: text}."""


class LazyL(L):
    """An `L` whose text in a language is made only when that language is rendered."""

    def __init__(self, make: Callable[[str], str]):
        super().__init__()
        self.make = make

    def __missing__(self, lang: str) -> str:
        self[lang] = text = self.make(lang)
        return text


def label(en: str, zh_cn: str) -> L:
    return L({"en": en, "zh-CN": zh_cn, "zh-TW": to_traditional(zh_cn)})


_T = Template
TEMPLATES: dict[str, Template] = {t.key: t for t in (
    _T("INVALID_NUMBER", "“{input}” is not a valid phone number: {why}.", "号码“{input}”无效：{why}。"),
    _T("OUT_OF_JURISDICTION", "The number is {number_country}; pack {pack} covers {countries} only.",
       "号码属于 {number_country}，策略包 {pack} 只适用于 {countries}。"),
    _T("NUMBER_TYPE", "The number {phone} is a {type} number, which pack {pack} does not call.",
       "号码 {phone} 属于{type}，策略包 {pack} 不对此类号码营销外呼。"),
    _T("CUSTOMER_MISMATCH", "The request names customer {named_customer}, but the number is recorded as customer {owner}'s.",
       "请求中的客户为 {named_customer}，但该号码登记在客户 {owner} 名下。"),
    _T("DNC_OPT_OUT", "On the internal do-not-call list ({scope}; source: {source}) since {added_at:at}, with no end date.",
       "在内部营销黑名单中（范围：{scope}；来源：{source}），自 {added_at:at} 起，无截止时间。"),
    _T("DNC_OPT_OUT.until", "On the internal do-not-call list ({scope}; source: {source}) from {added_at:at} until {expires_at:at}.",
       "在内部营销黑名单中（范围：{scope}；来源：{source}），自 {added_at:at} 起至 {expires_at:at} 止。"),
    _T("DNC_REGISTRY", "The number is on an imported external list ({source}) since {added_at:at}, with no end date.",
       "号码在外部拒接名单中（{source}），自 {added_at:at} 起，无截止时间。"),
    _T("DNC_REGISTRY.until", "The number is on an imported external list ({source}) from {added_at:at} until {expires_at:at}.",
       "号码在外部拒接名单中（{source}），自 {added_at:at} 起至 {expires_at:at} 止。"),
    _T("MUTED", "The customer is muted after complaints until {until:at}: {reason}. No marketing calls at all until then.",
       "客户因投诉处于静音营销期，至 {until:at} 止：{reason}。期间禁止任何营销呼叫。"),
    _T("SUITABILITY", "Product {product} is of risk level {product_risk}; customer {customer_id} is {customer_risk} and may be offered "
                      "up to {max_product_risk}.",
       "产品 {product} 风险等级为 {product_risk}，客户 {customer_id} 风险承受能力为 {customer_risk}，最高只可推介 {max_product_risk} 产品。"),
    _T("RISK_PROFILE_MISSING", "Product {product} needs a risk assessment (valid for {valid_for}); customer {customer_id} has none.",
       "产品 {product} 要求风险测评（有效期 {valid_for}），客户 {customer_id} 尚未测评。"),
    _T("RISK_PROFILE_MISSING.no_customer", "Product {product} needs a risk assessment (valid for {valid_for}); the call names no "
                                           "customer who has one.",
       "产品 {product} 要求风险测评（有效期 {valid_for}），本次呼叫没有已测评的客户。"),
    _T("RISK_PROFILE_MISSING.expired", "Product {product} needs a risk assessment (valid for {valid_for}); customer {customer_id}'s, "
                                       "of {assessed_at:at}, expired at {expired_at:at}.",
       "产品 {product} 要求风险测评（有效期 {valid_for}），客户 {customer_id} 于 {assessed_at:at} 的测评已于 {expired_at:at} 过期。"),
    _T("CALLBACK_DEFERRED", "The customer asked not to be called before {not_before:at}.",
       "客户要求 {not_before:at} 之前不要来电。"),
    _T("ZONE_UNKNOWN", "The callee's time zone cannot be told from the number {phone} and no customer records one.",
       "无法从号码 {phone} 判断被叫方时区，客户资料也未记录时区。"),
    _T("QUIET_HOURS", "It is {local_time:hm} in {timezone}, outside the calling windows of pack {pack} ({windows}).",
       "被叫方当地时间（{timezone}）为 {local_time:hm}，不在策略包 {pack} 允许的呼叫时段内（{windows}）。"),
    _T("QUIET_HOURS.state", "It is {local_time:hm} in {timezone}, outside the calling windows of {state} ({windows}).",
       "被叫方当地时间（{timezone}）为 {local_time:hm}，不在 {state} 允许的呼叫时段内（{windows}）。"),
    _T("HOLIDAY", "{date:day} is a public holiday in {calendar} ({holiday}): no marketing calls.",
       "{date:day}为 {calendar} 法定节假日（{holiday}），禁止营销呼叫。"),
    _T("HOLIDAY.state", "{date:day} is a public holiday in {calendar} {state} ({holiday}): no marketing calls.",
       "{date:day}为 {calendar} {state} 法定节假日（{holiday}），禁止营销呼叫。"),
    _T("CUSTOMER_WINDOW", "It is {local_time:hm} in {timezone}, outside the customer's own windows ({windows}).",
       "被叫方当地时间（{timezone}）为 {local_time:hm}，不在客户本人指定的可联系时段内（{windows}）。"),
    _T("CUSTOMER_WINDOW.never", "The customer's windows ({windows}) never meet the calling windows of pack {pack}.",
       "客户指定的可联系时段（{windows}）与策略包 {pack} 的呼叫时段没有交集。"),
    _T("FREQ_CAP", "At most {limit:# call|# calls} per {window} per {scope} ({tier} caps of pack {pack}); {count} already counted; "
                   "clears at {clears_at:at}.",
       "每个{scope}{window}内最多呼叫 {limit} 次（策略包 {pack} 的{tier}频次上限），已计 {count} 次；{clears_at:at} 后解除。"),
    _T("FREQ_CAP.state", "At most {limit:# call|# calls} per {window} per {scope} under {state}'s rules ({tier} caps of pack {pack}); "
                         "{count} already counted; clears at {clears_at:at}.",
       "按 {state} 的规定，每个{scope}{window}内最多呼叫 {limit} 次（策略包 {pack} 的{tier}频次上限），已计 {count} 次；"
       "{clears_at:at} 后解除。"),
    _T("SCRIPT_NOT_APPROVED", "Campaign {campaign} requires an approved script and none is approved.",
       "营销活动 {campaign} 要求使用已审核通过的话术，但尚无已通过的话术。"),
    _T("UNKNOWN_CAMPAIGN", "Campaign {campaign} is not configured.", "营销活动 {campaign} 未配置。"),
    _T("UNKNOWN_PRODUCT", "Product {product} is not configured.", "产品 {product} 未配置。"),
    _T("UNKNOWN_PRODUCT.not_in_campaign", "Product {product} is not part of campaign {campaign}.",
       "产品 {product} 不属于营销活动 {campaign}。"),
    _T("CONSENT_MISSING", "No marketing consent is recorded for this number ({purpose} call).",
       "该号码没有登记营销同意（{purpose}呼叫）。"),
    _T("CONSENT_MISSING.expired", "The consent for this number ({source}, given {given_at:at}) expired at {expires_at:at}.",
       "该号码的同意（{source}，{given_at:at} 取得）已于 {expires_at:at} 到期。"),
    _T("CONSENT_MISSING.expired_dated", "The consent for this number ({source}, given on {given_on:day}) expired at {expires_at:at}.",
       "该号码的同意（{source}，{given_on:day}取得）已于 {expires_at:at} 到期。"),
    # An expiry given as a date alone (有效期至 2026-12-31) ends at 24:00 of that day: named as the day, not as 00:00 of the next.
    _T("CONSENT_MISSING.expired_last_day", "The consent for this number ({source}, given {given_at:at}) was valid until the end of "
       "{expires_on:day} and has expired.", "该号码的同意（{source}，{given_at:at} 取得）有效期至 {expires_on:day}，已到期。"),
    _T("CONSENT_MISSING.expired_dated_last_day", "The consent for this number ({source}, given on {given_on:day}) was valid until "
       "the end of {expires_on:day} and has expired.", "该号码的同意（{source}，{given_on:day}取得）有效期至 {expires_on:day}，已到期。"),
    _T("CONSENT_MISSING.withdrawn", "The consent for this number was withdrawn at {withdrawn_at:at} ({withdrawn_via}).",
       "该号码的同意已于 {withdrawn_at:at} 撤回（{withdrawn_via}）。"),
    # A withdrawal given as a date alone (撤回日期 2026-11-23) is held from the day's 00:00, an hour nobody recorded: the day is named.
    _T("CONSENT_MISSING.withdrawn_dated", "The consent for this number was withdrawn on {withdrawn_on:day} ({withdrawn_via}).",
       "该号码的同意已于 {withdrawn_on:day}撤回（{withdrawn_via}）。"),
    _T("CONSENT_MISSING.out_of_scope", "The recorded consent ({source}) does not cover this call (channel or product).",
       "已登记的同意（{source}）不涵盖本次呼叫（渠道或产品不在范围内）。"),
    # The audit's own codes (violations of a call log).
    _T("UNCHECKED_CALL", "Dialled without a valid decision: {why}.", "无有效决策即拨打：{why}。"),
    _T("CALLED_DESPITE_DENY", "Called although decision {decision_id} said no ({reasons}).",
       "决策 {decision_id} 已拒绝（{reasons}），仍然拨打。"),
    # Stored texts (see localize_stored).
    _T("stored.mute", "{count:# complaint|# complaints} within {within} (pack {pack} {version})",
       "{within}内投诉 {count} 次（策略包 {pack} {version}）"),
    _T("stored.complaint_stop", "complaint {complaint}: asked to stop calling", "投诉 {complaint}：要求停止来电"),
    _T("stored.outcome_dnc", "do_not_call outcome, decision {decision}", "通话结果为要求不再来电，决策 {decision}"),
    _T("stored.note_stop", "asked to stop calling (call note), decision {decision}", "通话备注中要求停止来电，决策 {decision}"),
    _T("stored.lapsed_relisted", "lapsed at its expiry; listed again", "已于到期时失效；再次列入名单"),
    # Notes the guard writes on complaint events (guard/services/suppression/complaints.py).
    _T("stored.complaint_missed", "missed: {kinds}", "超过时限未完成：{kinds}"),
    _T("stored.complaint_missed_late", "missed: {items}", "超过时限：{items}"),
    _T("stored.deadline_done", "{kind} (due {due}, done {done})", "{kind}（时限 {due}，完成于 {done}）"),
    _T("stored.deadline_undone", "{kind} (due {due}, not done)", "{kind}（时限 {due}，未完成）"),
    _T("stored.complaint_escalated", "SLA missed ({kinds}): escalated to a supervisor", "超过处理时限（{kinds}），已升级至主管"),
    _T("stored.callback_due", "satisfaction callback due {due}", "满意度回访时限 {due}，未按时回访"),
    _T("stored.callback_late", "satisfaction callback due {due}, made {made}", "满意度回访时限 {due}，实际回访于 {made}"),
    _T("stored.callback_result", "{result}: {note}", "{result}：{note}"),
    # Every error answer (`error.messages`): the code's name, the fields at fault, the English message.
    _T("error", "{title}{fields}: {message}", "{title}{fields}：{message}"),
    # Error messages (`said`): the English is what `error.message` always read, byte for byte; `{x}` values that the
    # English quoted with repr() are passed quoted. Grouped by where they are raised.
    _T("error.not_found", "No {what} {ident}.", "找不到{what} {ident}。"),
    _T("error.stale_version", "the profile is at version {current}, not {expected}: reload it and apply the change again",
       "客户资料当前为第 {current} 版，不是第 {expected} 版：请重新加载后再做修改"),
    # The request itself (guard/http/body.py, common.py): content type, JSON, paths, numbers.
    _T("error.content_type_json", "Content-Type must be application/json, not {given}.", "Content-Type 必须为 application/json，而不是 {given}。"),
    _T("error.content_type_csv", "Content-Type must be text/csv or multipart/form-data, not {given}.",
       "Content-Type 必须为 text/csv 或 multipart/form-data，而不是 {given}。"),
    # A call log that cannot be audited as a whole (guard/services/audits/log_reader.py, runner.py).
    _T("error.log_empty", "the log is empty", "通话记录为空"),
    _T("error.log_no_call", "the log holds no call: its header (line {line}) is followed by no row",
       "通话记录中没有通话：表头（第 {line} 行）之后没有数据行"),
    _T("error.log_workbook", "the log is {what}, not CSV or JSON Lines text: save it as CSV (File > Save As > CSV UTF-8) and "
       "upload that", "通话记录是{what}，不是 CSV 或 JSON Lines 文本：请另存为 CSV（文件 > 另存为 > CSV UTF-8）后再上传"),
    _T("error.file_workbook", "the file is {what}, not CSV text: save it as CSV (File > Save As > CSV UTF-8) and import that",
       "文件是{what}，不是 CSV 文本：请另存为 CSV（文件 > 另存为 > CSV UTF-8）后再导入"),
    _T("error.log_line", "line {line}: {why}", "第 {line} 行：{why}"),
    _T("error.log_header_missing", "line {line}: the header must name the columns {required} (missing: {missing}); optional: {optional}",
       "第 {line} 行：表头须包含列 {required}（缺少：{missing}）；可选列：{optional}"),
    _T("error.log_column_alias", "{column}, or as exports name it: {aliases}", "{column}（导出文件中也可写作：{aliases}）"),
    _T("error.log_column_twice", "line {line}: the header names the {column} column twice ({given}): keep the one that holds "
       "{column} and rename or remove the other (a column the guard does not read is ignored)",
       "第 {line} 行：表头两次写了 {column} 列（{given}）：保留存放 {column} 的那一列，将另一列改名或删除（本服务不读取的列会被忽略）"),
    _T("error.log_undecodable", "{bad} of the log's {rows} rows are not valid {encoding} text (lines {lines}): the log is in another "
       "encoding or mixes two; name its encoding (`guard audit --encoding …`, `?encoding=…` on POST /v1/audits) or fix those rows",
       "通话记录的 {rows} 行中有 {bad} 行不是有效的 {encoding} 文本（第 {lines} 行）：记录是另一种编码，或混用了两种编码；"
       "请指明其编码（`guard audit --encoding …`，或 POST /v1/audits 的 `?encoding=…`），或修正这些行"),
    _T("error.log_pass_encoding", "name the encoding (`guard audit --encoding …`, or `?encoding=…` on POST /v1/audits): utf-8, "
                                  "gb18030 or big5",
       "请指明编码（`guard audit --encoding …`，或 POST /v1/audits 的 `?encoding=…`）：utf-8、gb18030 或 big5"),
    _T("error.log_nul", "the log holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark? {then}",
       "通话记录含有 NUL 字节：是没有字节顺序标记（BOM）的 UTF-16 或 UTF-32 吗？{then}"),
    _T("error.log_no_codec", "the log is not UTF-8, GB18030 (GBK) or Big5 text: none of them decodes its {n} lines with non-ASCII "
                             "bytes; {then}",
       "通话记录不是 UTF-8、GB18030（GBK）或 Big5 文本：含非 ASCII 字节的 {n} 行，这几种编码都解不开；{then}"),
    _T("error.log_gb_or_big5", "cannot tell whether the log is GB18030 (GBK) or Big5: its non-ASCII text is too short or reads as "
                               "both; {then}",
       "无法判断通话记录是 GB18030（GBK）还是 Big5：其非 ASCII 文本太短，或按两者都读得通；{then}"),
    _T("error.log_not_chinese", "the log is not UTF-8, and its non-ASCII text does not read as Chinese in {encoding} either "
                                "(another encoding, or too little text to tell); {then}",
       "通话记录不是 UTF-8，其非 ASCII 文本按 {encoding} 也读不成中文（是另一种编码，或文本太少无法判断）；{then}"),
    _T("error.log_gb_or_big5_lines", "cannot tell whether the log is GB18030 (GBK) or Big5: {only} of its {n} lines with non-ASCII "
                                     "bytes are only valid {other}, yet the text reads as {chosen}; {then}",
       "无法判断通话记录是 GB18030（GBK）还是 Big5：含非 ASCII 字节的 {n} 行中有 {only} 行只在 {other} 下有效，而文本按 "
       "{chosen} 读得通；{then}"),
    _T("error.log_none_judged", "none of the log's {rows} rows could be judged: every one was rejected ({first})",
       "通话记录的 {rows} 行都无法审计：每一行都被拒收（{first}）"),
    # Why a row of a file was rejected (call-log audit, blacklist import and removals, consent import), read back from
    # the English each reader writes (guard/core/reject_messages.py).
    _T("reject.field", "{field}: {problem}", "{field}：{problem}"),
    _T("reject.width", "{count} fields; the header has {header}", "本行有 {count} 个字段，表头有 {header} 个"),
    _T("reject.columns", "{count} columns; expected at most {limit} ({columns})", "本行有 {count} 列，最多应为 {limit} 列（{columns}）"),
    _T("reject.undecodable", "not valid {encoding}", "不是有效的 {encoding} 文本"),
    _T("reject.undecodable_named", "not valid {encoding}; name the file's encoding if it is another",
       "不是有效的 {encoding} 文本；如文件是另一种编码，请指明其编码"),
    _T("reject.unclosed_quote", "a quote opened in this line is not closed on it", "本行开启的引号没有在本行闭合"),
    _T("reject.stray_quote", "a quote opened in this line is not closed on it, and line {line} after it reads as a row of its own: "
       "a stray quote? (the lines after this one are read as rows)",
       "本行开启的引号没有在本行闭合，而其后的第 {line} 行本身就是一行记录：多余的引号？（本行之后的各行按记录读取）"),
    _T("reject.quote_to_end", "a quote opened in {where} is never closed: it runs to the end of the file",
       "{where}开启的引号始终没有闭合：一直延续到文件末尾"),
    _T("reject.quote_to_end_after", "a quote opened in {where} is never closed: it runs to the end of the file (line {last}); the "
       "lines after it are read as rows", "{where}开启的引号始终没有闭合：一直延续到文件末尾（第 {last} 行）；其后的各行按记录读取"),
    _T("reject.this_line", "this line", "本行"),
    _T("reject.that_line", "line {line}", "第 {line} 行"),
    _T("reject.not_csv", "not readable as CSV ({problem})", "无法按 CSV 读取（{problem}）"),
    _T("reject.header_again", "repeats the header of line {line}: two exports joined into one file",
       "重复了第 {line} 行的表头：两份导出文件被拼接成了一个文件"),
    _T("reject.totals", "a totals row ({label}), no call", "合计行（{label}），不是通话"),
    _T("reject.not_json", "not a JSON object", "不是 JSON 对象"),
    _T("reject.not_json_why", "not a JSON object ({problem})", "不是 JSON 对象（{problem}）"),
    _T("reject.json_twice", "given twice ({names})", "重复给出（{names}）"),
    _T("reject.not_string", "must be a string", "必须是字符串"),
    _T("reject.empty", "empty", "为空"),
    _T("reject.number", "{value} {why}", "{value} {why}"),
    _T("reject.invalid_number", "{value} is not a valid number ({why})", "{value} 不是有效号码（{why}）"),
    _T("reject.two_numbers_call", "{value} holds two numbers (one after ;): a call goes to one number; export the log with the "
       "number called alone", "{value} 含两个号码（以分号分隔）：一次通话只拨打一个号码；请导出只含所拨号码的通话记录"),
    _T("reject.outside_line_call", "{value} is no valid number as written, and is one after its leading {digit} (a switchboard's "
       "outside-line prefix): export the log with the numbers the callees have",
       "{value} 按原样不是有效号码，去掉开头的 {digit}（交换机的出局码）后才是：请导出含被叫方真实号码的通话记录"),
    _T("reject.no_phone_or_customer", "give a phone, a customer_id, or both", "请给出 phone、customer_id 或两者"),
    _T("reject.not_date", "{value} is not an ISO 8601 date or date-time with offset", "{value} 不是 ISO 8601 日期或带 UTC 偏移的日期时间"),
    _T("reject.not_instant", "{value} is not an ISO 8601 date-time with a UTC offset", "{value} 不是带 UTC 偏移的 ISO 8601 日期时间"),
    _T("reject.not_instant_zone", "{value} is not an ISO 8601 date-time with a UTC offset; a time without one is read in the log's "
       "time zone when it is named (--timezone, or `timezone` on POST /v1/audits)",
       "{value} 不是带 UTC 偏移的 ISO 8601 日期时间；指明通话记录的时区后（--timezone，或 POST /v1/audits 的 `timezone`），"
       "不带偏移的时间按该时区读取"),
    _T("reject.no_such_instant", "{value} is no such date-time (a month 1-12, a day of that month, an hour 0-23, minutes 0-59, or "
       "24:00 for the end of the day)", "{value} 不是存在的日期时间（月 1-12、当月存在的日、时 0-23、分 0-59，或以 24:00 表示一天结束）"),
    _T("reject.serial_date", "{value} is a spreadsheet's date serial number (days since 1899-12-30), as a sheet saves a date-time "
       "cell whose format was lost: format the column as date and time (2026-11-30 09:05:00) and export the log again",
       "{value} 是电子表格的日期序列号（自 1899-12-30 起的天数），是单元格丢失日期时间格式后保存的结果：请将该列设为日期时间格式"
       "（2026-11-30 09:05:00）后重新导出通话记录"),
    _T("reject.bare_time", "{value} is a time of day without its date: if the log keeps the date in a column of its own, name that "
       "column {names} (its date is then joined to this time), or join the two into one column (2026-11-30 09:05:00)",
       "{value} 只有时刻没有日期：如果通话记录把日期放在单独一列，请将该列命名为 {names}（其日期会与此时刻合并），"
       "或将两列合并为一列（2026-11-30 09:05:00）"),
    _T("reject.not_local_time", "{value} is neither an ISO 8601 date-time with a UTC offset nor a date and time like 2026/11/30 "
       "9:05 (read in {zone}), 2026年11月30日 9时05分 or 2026-11-30 上午9:05",
       "{value} 既不是带 UTC 偏移的 ISO 8601 日期时间，也不是 2026/11/30 9:05（按 {zone} 读取）、2026年11月30日 9时05分 或 "
       "2026-11-30 上午9:05 这样的日期时间"),
    _T("reject.repeats_line", "{value} repeats line {line}", "{value} 与第 {line} 行重复"),
    _T("reject.repeats_earlier", "{value} repeats an earlier row", "{value} 与前面的一行重复"),
    _T("reject.no_pack", "no policy pack version is in effect at {at}", "{at} 没有生效的策略包版本"),
    _T("reject.other_source", "{value}; this removal closes {source} entries only", "{value}；本次移出只关闭来源为 {source} 的记录"),
    _T("reject.unreadable", "unreadable", "无法读取"),
    _T("reject.invalid", "invalid", "无效"),
    _T("reject.hour_12", "{value}: with {marker} the hour is 1-12 (a 12-hour clock); write the time in 24-hour form",
       "{value}：带{marker}时小时应为 1-12（12 小时制）；请用 24 小时制书写时间"),
    _T("reject.am_12", "{value}: 上午12 is midnight on a 12-hour clock and noon to a reader; write the time in 24-hour form "
                       "(00:xx or 12:xx)",
       "{value}：上午12 在 12 小时制中是午夜，读者却会读作中午；请用 24 小时制书写时间（00:xx 或 12:xx）"),
    _T("reject.summer_time", "{value} is shown twice or never by the clocks of {zone} (a change of summer time): give its UTC offset",
       "{value} 在 {zone} 的时钟上出现两次或根本不出现（夏令时切换）：请给出其 UTC 偏移"),
    _T("reject.expiry_passed", "{value} (read as {read}) has passed: a row without added_at is listed from the import, so its "
                               "listing would end before it begins; give added_at to record a listing that has ended",
       "{value}（读作 {read}）已经过去：没有 added_at 的行自导入时起列入名单，其列入会在开始之前就结束；如要记录已结束的列入，"
       "请给出 added_at"),
    _T("reject.expiry_not_after", "{value} (read as {read}) is not after added_at {added} (read as {added_read})",
       "{value}（读作 {read}）不晚于 added_at {added}（读作 {added_read}）"),
    _T("reject.expiry_not_passed", "{value} has not passed: the list holds the number until {until}; a removal lifts it now, so "
                                   "remove the number once its listing has ended",
       "{value} 尚未到期：名单列入该号码至 {until}；移出会立即解除拦截，请在其列入结束后再移出该号码"),
    _T("reject.turn_not_object", "turn {turn} is neither an object nor a string", "第 {turn} 轮既不是对象也不是字符串"),
    _T("reject.turn_no_words", "turn {turn} has no words (a string under one of {keys})",
       "第 {turn} 轮没有话语（应为 {keys} 之一下的字符串）"),
    _T("reject.turn_no_speaker", "turn {turn} has no speaker (a string under one of {keys})",
       "第 {turn} 轮没有说话人（应为 {keys} 之一下的字符串）"),
    _T("warning.consent_zone_assumed", "customer_id: {customer} has no number or time zone on file: its {columns} read in {zone} "
                                       "(the pack's zone); record the customer's numbers (PUT /v1/customers/{customer_id}) or give "
                                       "the times with their UTC offset",
       "customer_id：{customer} 没有登记号码或时区：其 {columns} 按 {zone}（策略包的时区）读取；请登记客户的号码"
       "（PUT /v1/customers/{customer_id}），或给出带 UTC 偏移的时间"),
    _T("error.charset_utf8", "charset must be utf-8, not {given}.", "charset 必须为 utf-8，而不是 {given}。"),
    _T("error.content_encoding", "Content-Encoding {given} is not accepted: send the body as it is (identity), uncompressed.",
       "不接受 Content-Encoding {given}：请按原样（identity）发送未压缩的请求体。"),
    _T("error.body_not_utf8", "The body is not valid UTF-8 (byte {byte}).", "请求体不是有效的 UTF-8（第 {byte} 字节）。"),
    _T("error.json_too_deep", "The JSON is nested deeper than {depth} levels.", "JSON 嵌套超过 {depth} 层。"),
    _T("error.json_invalid", "The body is not valid JSON: {problem}", "请求体不是有效的 JSON：{problem}"),
    _T("error.json_at", "{problem}: line {line} column {column} (char {pos})", "{problem}：第 {line} 行第 {column} 列（字符偏移 {pos}）"),
    _T("error.body_not_object", "The body must be a JSON object.", "请求体必须是 JSON 对象。"),
    _T("error.query_repeated", "given more than once", "重复给出"),
    _T("error.text_nul", "contains a NUL character (U+0000)", "含有 NUL 字符（U+0000）"),
    _T("error.text_surrogate", "contains an unpaired surrogate (not a Unicode character)", "含有不成对的代理项（不是 Unicode 字符）"),
    _T("error.key_problem", "key {problem}", "键名{problem}"),
    _T("error.path_id", "must be 1-{max_length} characters without spaces or slashes", "须为 1-{max_length} 个字符，不含空格或斜杠"),
    _T("error.unknown_region", "{region} is not a known phone region (ISO 3166 code such as CN)",
       "{region} 不是已知的号码地区（应为 ISO 3166 代码，如 CN）"),
    _T("error.unknown_region_short", "{region} is not a known phone region", "{region} 不是已知的号码地区"),
    _T("error.invalid_number", "{raw} is not a valid number ({why})", "{raw} 不是有效号码（{why}）"),
    _T("error.one_of_phone_customer", "give exactly one of phone and customer_id", "phone 与 customer_id 须给出且只给出其一"),
    _T("error.at_most_one_phone_customer", "give at most one of phone and customer_id (none: every one)",
       "phone 与 customer_id 至多给出其一（都不给：全部）"),
    _T("error.bad_page_cursor", "not a page cursor of this list: pass the `next` of the page before as it was given",
       "不是此列表的翻页游标：请原样传入上一页的 next"),
    _T("error.page_cursor_other_sort", "this cursor pages the list sorted by {given}, not by {sort}: keep the sort of the first page",
       "此游标属于按 {given} 排序的列表，而非按 {sort}：请保持与第一页相同的排序"),
    _T("error.before_id_needs_before", "before_id goes with before: pass both from the previous page's next",
       "before_id 须与 before 一同给出：两者均取自上一页的 next"),
    _T("error.no_file_field", "the multipart upload has no field `file`", "multipart 上传中没有 `file` 字段"),
    # Scripts and campaigns (guard/services/catalog).
    _T("error.unknown_campaign", "campaign {campaign} is not configured (PUT /v1/campaigns/{{id}} or a pack's campaigns)",
       "营销活动 {campaign} 未配置（用 PUT /v1/campaigns/{{id}} 配置，或写入策略包的 campaigns）"),
    _T("error.pack_not_loaded", "{pack} is not loaded (loaded: {loaded})", "策略包 {pack} 未加载（已加载：{loaded}）"),
    _T("error.pack_not_in_effect", "{pack} is not a loaded pack with a version in effect now", "{pack} 不是已加载且当前有生效版本的策略包"),
    _T("error.pack_does_not_cover", "pack {pack} covers {countries} only: every {country} number would be denied OUT_OF_JURISDICTION",
       "策略包 {pack} 只适用于 {countries}：{country} 的号码都会被拒绝（OUT_OF_JURISDICTION）"),
    _T("error.type_not_sold", "campaign {campaign} sells {sold}, not {product_type}", "营销活动 {campaign} 销售 {sold}，不销售 {product_type}"),
    _T("error.type_not_sold_hint", "{reason} (omit product_type to lint under the campaign's types)",
       "{reason}（不填 product_type 即按该营销活动销售的产品类型检查）"),
    _T("error.assessment_required", "false is allowed only for a product of risk level {lowest}: one of level {risk} is matched against "
       "the customer's assessed level", "仅 {lowest} 级产品可设为 false：{risk} 级产品须与客户经评估的风险承受能力匹配"),
    _T("error.product_not_in_pack", "{code} is not a product of pack {pack} nor configured with PUT /v1/products",
       "{code} 既不是策略包 {pack} 的产品，也没有用 PUT /v1/products 配置"),
    _T("error.unknown_region_like", "{region} is not a known phone region (ISO 3166 code such as {example})",
       "{region} 不是已知的号码地区（应为 ISO 3166 代码，如 {example}）"),
    _T("error.script_what", "script {script_id} (campaign {campaign} v{version})", "话术 {script_id}（营销活动 {campaign} 第 {version} 版）"),
    _T("error.script_needs_review", "{what} fails pack {pack}, which takes effect {at}; fix it and store a new version, then approve that one",
       "{what}不符合将于 {at} 生效的策略包 {pack}：请修改后保存新版本，再审核通过新版本"),
    _T("error.script_same_reviewer", "{what} was stored by this {who} ({actor}); pack {pack} {version} has script_approval.four_eyes: "
                                     "another reviewer must approve it",
       "{what}由同一{who}（{actor}）保存；策略包 {pack} {version} 要求双人复核（script_approval.four_eyes）：须由另一位审核人审核通过"),
    _T("error.script_failed_when_stored", "{what} failed the lint with {count} error(s) when stored; fix them and store a new version",
       "{what}保存时检查未通过（{count} 个错误）：请修改后保存新版本"),
    _T("error.script_fails_as", "{what} fails the lint as a {types} script ({sells}; pack {pack} {version}); fix it and store a new version",
       "{what}按 {types} 类话术检查未通过（{sells}；策略包 {pack} {version}）：请修改后保存新版本"),
    _T("error.campaign_sells", "the campaign sells {sold}", "该营销活动销售 {sold}"),
    _T("error.campaign_sells_none", "the campaign sells no known product: linted under every type", "该营销活动没有已知产品：按所有类型检查"),
    _T("error.must_be_one_of", "must be one of {choices}", "必须是 {choices} 之一"),
    _T("error.not_one_of", "{value} is not one of {choices}", "{value} 不是 {choices} 之一"),
    _T("error.no_such_finding", "script {script_id} has no finding of rule {rule} at {start}..{end} (judge a finding of the stored "
                                "version: its `rule`, `start` and `end`)",
       "话术 {script_id} 在 {start}..{end} 处没有规则 {rule} 的检查结果（请按所存版本的检查结果给出 `rule`、`start` 和 `end`）"),
    # Complaints, outcomes, customers, consents (guard/services/suppression, consent).
    _T("error.resolve_needs_note", "required to resolve a complaint: say how it was resolved", "办结投诉时必填：说明如何解决"),
    _T("error.callback_needs_result", "required for a callback: one of {results}", "回访时必填：{results} 之一"),
    _T("error.result_only_callback", "only a callback has a result", "只有回访才有结果"),
    _T("error.to_only_escalation", "only an escalation names who it goes to", "只有升级才指定接收人"),
    _T("error.escalate_needs_to", "required to escalate: name the supervisor it goes to", "升级时必填：写明接收的主管"),
    _T("error.complaint_not_resolved", "complaint {complaint} is not resolved: the satisfaction callback follows the resolution",
       "投诉 {complaint} 尚未办结：满意度回访须在办结之后"),
    _T("error.complaint_had_callback", "complaint {complaint} had its satisfaction callback at {at}", "投诉 {complaint} 已于 {at} 做过满意度回访"),
    _T("error.complaint_resolved", "complaint {complaint} was resolved at {at}; it takes no more events but its callback",
       "投诉 {complaint} 已于 {at} 办结：除满意度回访外不再接受其他事件"),
    _T("error.complaint_had_first_response", "complaint {complaint} already had its first response at {at}",
       "投诉 {complaint} 已于 {at} 首次响应"),
    _T("error.before_resolved", "{at} is before the complaint was resolved ({resolved})", "{at} 早于投诉办结时间（{resolved}）"),
    _T("error.before_received", "{at} is before the complaint was received ({received})", "{at} 早于投诉受理时间（{received}）"),
    _T("error.decision_not_yours", "decision {decision} was obtained by another dialer key: only that dialer (its key, or a key "
                                   "with the same label) or an admin reports its outcome",
       "决策 {decision} 由另一个外呼系统的密钥取得：只有该外呼系统（其密钥，或同一标签的密钥）或管理员可以报告其结果"),
    _T("error.decision_dry_run", "decision {decision} was a dry run: no call was made on it", "决策 {decision} 是试算（dry run）：没有据此拨打"),
    _T("error.before_call", "{at} is before the call ({call})", "{at} 早于通话时间（{call}）"),
    _T("error.outcome_reported", "decision {decision} already has the outcome {disposition}; an outcome is reported once",
       "决策 {decision} 已有通话结果 {disposition}：通话结果只报告一次"),
    _T("error.outcome_reported_differs", "decision {decision} already has the outcome {disposition} (this report differs in {differs}); "
                                         "an outcome is reported once",
       "决策 {decision} 已有通话结果 {disposition}（本次报告在 {differs} 上不同）：通话结果只报告一次"),
    _T("error.not_iana_zone", "{zone} is not an IANA time zone (like Asia/Shanghai)", "{zone} 不是 IANA 时区（如 Asia/Shanghai）"),
    _T("error.not_us_state", "{state} is not a US state or territory code (like FL)", "{state} 不是美国州或属地代码（如 FL）"),
    _T("error.phone_taken", "{phone} belongs to customer {customer}; remove it there first.", "{phone} 属于客户 {customer}：请先从该客户处移除。"),
    _T("error.untag_needs_reason", "required: say why the tag the guard set is removed", "必填：说明为何移除系统设置的标签"),
    _T("error.no_guard_tag", "customer {customer} has no tag {tag} set by the guard (its tags: {tags}); tags the CRM sets change with "
                             "PUT /v1/customers/{{id}}",
       "客户 {customer} 没有系统设置的标签 {tag}（其标签：{tags}）；CRM 设置的标签请用 PUT /v1/customers/{{id}} 修改"),
    _T("error.phone_or_customer", "give a phone, a customer_id, or both", "请给出 phone 或 customer_id，或两者都给"),
    _T("error.removal_at_extension", "{raw} is extension {extension} of the line {line}: a list entry is the line's, and "
       "removing it would unblock every extension of the line; give the line itself ({line}) to remove it",
       "{raw} 是总机 {line} 的分机 {extension}：名单条目记在总机上，删除它会解除该总机所有分机的拦截；如要删除，请直接给出总机号码（{line}）"),
    _T("error.consent_at_extension", "{raw} is extension {extension} of the line {line}: the guard judges a call by its line, "
       "so a consent recorded on it would cover a call to every extension of the line, other people's too; record it for {line} "
       "only if the line's holder consented", "{raw} 是总机 {line} 的分机 {extension}：本系统按总机号码判断呼叫，记在总机上的同意"
       "会覆盖打往该总机任何分机（包括他人分机）的呼叫；仅当总机的使用者本人同意时，才为 {line} 记录"),
    _T("error.customer_at_extension", "{raw} is extension {extension} of the line {line}: the guard judges a call by its line, "
       "so the customer would hold the whole line, and their caps, blacklist entries and consents would bind every extension of "
       "it, other people's too, while the extension was lost; give the line itself ({line}) only if the line is the customer's "
       "own, and dial the extension after it answers",
       "{raw} 是总机 {line} 的分机 {extension}：本系统按总机号码判断呼叫，登记后该客户将占用整个总机，其频次上限、黑名单与同意会约束"
       "该总机的所有分机（包括他人分机），分机号也会丢失；仅当总机为客户本人所用时才登记总机号码（{line}），接通后再拨分机"),
    _T("error.needs_a_channel", "must name at least one channel", "至少须列出一个渠道"),
    _T("error.after_given_at", "must be after given_at", "必须晚于 given_at"),
    _T("error.not_before_given_at", "must not be before given_at", "不得早于 given_at"),
    _T("error.withdrawn_together", "withdrawn_at and withdrawn_via go together", "withdrawn_at 与 withdrawn_via 须同时给出"),
    _T("error.longer_than", "longer than {limit} characters", "超过 {limit} 个字符"),
    _T("error.consent_withdrawn", "Consent {consent} was withdrawn already.", "营销同意 {consent} 已经撤回。"),
    _T("error.withdrawn_before_given", "must not be before the consent was given", "不得早于取得同意的时间"),
    # Client instants (guard/core/clock.py).
    _T("error.idempotency_key_syntax", "{why}: send 1 to 255 printable ASCII characters, such as a UUID",
       "{why}：请发送 1 至 255 个可打印 ASCII 字符，例如 UUID"),
    _T("error.idempotency_key_reused", "Idempotency-Key {idem} was used at {at} for another request (its decision {decision_id}); "
                                       "send the very same request again to get that answer, or a new key for a new request",
       "Idempotency-Key {idem} 已于 {at} 用于另一个请求（决策 {decision_id}）；重发完全相同的请求可取回该答复，新请求请使用新的键"),
    _T("error.clock_skew", "at: {at} is {skew} s from the server clock (more than {limit} s); fix the dialer's clock, or send dry_run: "
                           "true to ask about another time",
       "at：{at} 与服务器时钟相差 {skew} 秒（超过 {limit} 秒）；请校准外呼系统的时钟，或发送 dry_run: true 询问其他时间"),
    _T("error.in_future", "{value} is in the future: after the server clock plus {limit} s ({bound})",
       "{value} 在未来：晚于服务器时钟加 {limit} 秒（{bound}）"),
    _T("error.ended_before_decision", "{ended} is before the call's decision ({decision}) by more than the {limit} s a dialer's "
       "clock may differ from the guard's: a call ends after the guard allowed it",
       "{ended} 早于本次呼叫的决策时间（{decision}），且超出外呼系统时钟与本服务时钟允许相差的 {limit} 秒：通话只能在获准之后结束"),
    # Audits.
    _T("error.audit_not_cancellable", "Audit {audit} cannot be cancelled: {why}.", "审计 {audit} 无法取消：{why}。"),
    _T("error.cancel_pending", "a cancel is already pending", "已在等待取消"),
    _T("error.audit_is_already", "it is {status} already", "当前状态为{status}"),
    _T("error.jobs_busy", "{running} audits and simulations are queued or running, the most allowed at once "
                          "(GUARD_MAX_BACKGROUND_JOBS): this one was not started; retry in {retry} s, or cancel one of them",
       "已有 {running} 个审计与策略预演在排队或运行，已达同时允许的上限（GUARD_MAX_BACKGROUND_JOBS）：本次未启动；请 {retry} 秒后重试，或取消其中一个"),
    _T("error.upload_too_large", "the upload is larger than {limit} bytes", "上传内容超过 {limit} 字节"),
    # The HTTP layer's own answers (guard/http): routes, methods, keys, sessions, per-endpoint checks.
    _T("error.http_404", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and "
                         "try again.", "服务器上没有所请求的 URL。如果是手动输入的地址，请检查拼写后重试。"),
    _T("error.http_405", "The method is not allowed for the requested URL.", "所请求的 URL 不允许该方法。"),
    _T("error.body_too_large", "The request body is larger than the {limit} bytes allowed.", "请求体超过允许的 {limit} 字节。"),
    _T("error.store_unavailable", "The store cannot be reached; do not dial. Retry later.", "存储无法访问：请勿拨打，稍后重试。"),
    _T("error.store_busy", "A lock this request needs was held past its bound (by another request for the same number or customer, "
                           "or a stalled session); do not dial. Retry later.",
       "本次请求所需的锁被占用超过时限（同一号码或客户的另一请求，或停滞的会话）：请勿拨打，稍后重试。"),
    _T("error.store_read_only", "The store is read-only (a standby after failover, or default_transaction_read_only on): nothing "
                                "can be recorded; do not dial. Point DATABASE_URL at the primary, or make the database writable.",
       "存储为只读（故障切换后的备库，或已开启 default_transaction_read_only）：无法记录任何内容；请勿拨打。请将 DATABASE_URL "
       "指向主库，或恢复数据库可写。",
       # Taiwan's words: 唯讀 (read-only), 容錯移轉 (failover), 資料庫 (database); the converter gives 只讀, 故障切換, 數據庫.
       "儲存為唯讀（容錯移轉後的備援資料庫，或已開啟 default_transaction_read_only）：無法記錄任何內容；請勿撥打。請將 DATABASE_URL "
       "指向主資料庫，或恢復資料庫可寫入。"),
    _T("error.store_statement_timeout", "A statement of this request ran past the store's statement_timeout and was cancelled; "
                                        "do not dial. Retry later.",
       "本次请求的语句超过存储的 statement_timeout 被取消：请勿拨打，稍后重试。"),
    _T("error.store_pool_exhausted", "Every connection of this process to the store was in use past the bound (GUARD_PG_LOCK_WAIT); "
                                     "do not dial. Retry later.",
       "本进程到存储的连接在时限（GUARD_PG_LOCK_WAIT）内全部被占用：请勿拨打，稍后重试。"),
    _T("error.store_connection", "The store cannot be reached (the connection was refused or lost); do not dial. Retry later.",
       "无法连接存储（连接被拒绝或中断）：请勿拨打，稍后重试。"),
    _T("error.store_not_migrated", "The store does not exist or is not migrated to this release's schema; do not dial. "
                                   "Run `flask --app app guard db upgrade`.",
       "存储不存在或尚未迁移到本版本的结构：请勿拨打。请运行 `flask --app app guard db upgrade`。"),
    _T("error.no_policy", "No policy pack can decide this call ({why}); do not dial.", "没有策略包能对本次呼叫做出决定（{why}）：请勿拨打。"),
    _T("error.body_stalled", "The request body stopped arriving; nothing was done. Send it again.", "请求体中途停止发送，未做任何处理。请重新发送。"),
    _T("error.unexpected", "Unexpected error; the guard could not decide. Do not dial.", "意外错误，系统无法做出决定。请勿拨打。"),
    _T("error.missing_key", "Missing API key: send 'Authorization: Bearer <api key>'.", "缺少 API 密钥：请发送 'Authorization: Bearer <api key>'。"),
    _T("error.missing_key_or_session", "Missing API key: send 'Authorization: Bearer <api key>' (or sign in to the console).",
       "缺少 API 密钥：请发送 'Authorization: Bearer <api key>'（或登录控制台）。"),
    _T("error.unknown_key", "Unknown or revoked API key.", "API 密钥不存在或已吊销。"),
    _T("error.csrf_missing", "A change made in a signed-in session needs the session's {header} header (the console sends it; reload the page).",
       "登录会话中的修改须带会话的 {header} 请求头（控制台会自动发送；请刷新页面）。"),
    _T("error.csrf_sign_out", "Signing out needs the session's {header} header (the console sends it).",
       "退出登录须带会话的 {header} 请求头（控制台会自动发送）。"),
    _T("error.rate_limited", "Too many requests for this key; retry in {wait} s (a check: do not dial now).",
       "该密钥请求过于频繁，请 {wait} 秒后重试（若为外呼检查：现在不要拨打）。"),
    _T("error.lacks_role", "This {who} lacks the role this endpoint needs ({roles}).", "该{who}没有此接口所需的角色（{roles}）。"),
    _T("error.only_with_disposition", "only with disposition {disposition}", "仅在 disposition 为 {disposition} 时可用"),
    _T("error.not_calendar_date", "{value} is not a calendar date (YYYY-MM-DD)", "{value} 不是日历日期（YYYY-MM-DD）"),
    _T("error.date_out_of_range", "{value} is out of range (years {first}–{last})", "{value} 超出范围（{first}–{last} 年）"),
    _T("error.if_match", "must be the profile version as an ETag, like \"3\"", "必须是以 ETag 表示的客户资料版本，如 \"3\""),
    _T("error.expires_after_added", "must be after added_at (or now)", "必须晚于 added_at（或当前时间）"),
    _T("error.not_violation_code", "{code} is not a violation code (a reason code, a lint code, UNCHECKED_CALL or CALLED_DESPITE_DENY)",
       "{code} 不是违规代码（应为原因代码、话术检查代码、UNCHECKED_CALL 或 CALLED_DESPITE_DENY）"),
    _T("error.audit_not_done_export", "Audit {audit} is {status}; its violations can be exported when it is done.",
       "审计 {audit} {status}：完成后才能导出违规记录。"),
    _T("error.audit_not_done_report", "Audit {audit} is {status}; the report is ready when it is done.", "审计 {audit} {status}：完成后才有报告。"),
    _T("error.simulation_not_done", "Simulation {simulation} is {status}; the report is ready when it is done.",
       "策略预演 {simulation} {status}：完成后才有报告。"),
    _T("error.upload_content_type", "Send the log as multipart field `file`, text/csv or application/x-ndjson, not {given}.",
       "请以 multipart 字段 `file`、text/csv 或 application/x-ndjson 发送通话记录，而不是 {given}。"),
    _T("error.file_name_problem", "the file name {problem}", "文件名{problem}"),
    _T("error.required_with_against", "required with `against: {against}`", "`against: {against}` 时必填"),
    _T("error.only_with_against", "only with `against: {against}`", "仅在 `against: {against}` 时可用"),
    _T("error.to_after_from", "must be after `from`", "必须晚于 `from`"),
    _T("error.simulation_too_long", "a simulation covers at most {days} days", "一次策略预演最多覆盖 {days} 天"),
    _T("error.simulation_too_long_reason", "at most {days} days after `from`", "最多在 `from` 之后 {days} 天"),
    _T("error.only_with_against_decisions_reason", "only with `against: decisions` (a call log's calls carry their own instants)",
       "仅在 `against: decisions` 时可用（通话记录中的呼叫自带时间）"),
    # No pack decides (guard/core/catalog.py; 503 NO_POLICY, or 422 for an instant the client chose).
    _T("error.pack_no_version_at", "pack {pack} has no version in effect at {at}", "策略包 {pack} 在 {at} 没有生效版本"),
    _T("error.default_pack_no_version_at", "the default pack {pack} has no version in effect at {at}", "默认策略包 {pack} 在 {at} 没有生效版本"),
    _T("error.mapped_pack_no_version_at", "pack {pack} (campaign {campaign}, numbers of {country}) has no version in effect at {at}",
       "策略包 {pack}（营销活动 {campaign}，{country} 的号码）在 {at} 没有生效版本"),
    _T("error.no_pack_version_at", "no pack version in effect at {at}", "在 {at} 没有生效的策略包版本"),
    _T("error.pack_version_refused_at",
       "pack {pack}: its version effective from {start} ({source}) was refused; fix the file and run `guard policies reload`",
       "策略包 {pack}：自 {start} 起生效的版本（{source}）未通过校验；请修正该文件并运行 `guard policies reload`"),
    _T("error.instant_not_covered", "{field}: no policy pack version covers {at}; the packs cover: {ranges}",
       "{field}：没有策略包版本覆盖 {at}；各策略包覆盖范围：{ranges}"),
    _T("error.pack_covers_from", "{pack} from {start}", "{pack} 自 {start} 起"),
    _T("error.store_not_ready", "The store cannot be reached or is not migrated.", "存储无法访问或尚未迁移。"),
    _T("error.default_pack_invalid", "The default pack {pack} has no valid version.", "默认策略包 {pack} 没有有效版本。"),
    _T("error.default_pack_not_now", "The default pack {pack} has no version in effect at {at}.", "默认策略包 {pack} 在 {at} 没有生效版本。"),
    # Sign-in (guard/services/ops/accounts.py): the English has always carried the Chinese first; zh reads the Chinese alone.
    _T("error.sign_in_failed", "用户名或密码错误 / Wrong user name or password.", "用户名或密码错误。"),
    _T("error.sign_in_locked", "登录失败次数过多，请 {seconds} 秒后再试 / Too many failed sign-ins for this name; try again in {seconds} s.",
       "登录失败次数过多，请 {seconds} 秒后再试。"),
    _T("error.account_disabled", "账户已停用，请联系管理员 / This account is disabled; ask the administrator.", "账户已停用，请联系管理员。"),
    _T("error.not_signed_in", "未登录 / Not signed in (or the session ended).", "未登录（或会话已结束）。"),
    _T("error.session_ended", "登录已过期或已退出，请重新登录 / The session has ended (signed out or expired); sign in again.",
       "登录已过期或已退出，请重新登录。"),
    _T("error.blocked_through_customer", "No live blacklist entry for {number} itself: it is blocked through the entry of its customer "
                                         "{whose}. Removing that entry ({routes}) unblocks every number of the customer.",
       "号码 {number} 本身没有有效的黑名单记录：它因所属客户 {whose} 的记录而被拦截。移除该记录（{routes}）将解除该客户所有号码的拦截。"),
    # Names of a zone or an encoding a user gives for an upload (guard/services/audits).
    _T("error.unknown_zone_eg", "{name} is not an IANA time zone (e.g. Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei, UTC)",
       "{name} 不是 IANA 时区（如 Asia/Shanghai、Asia/Hong_Kong、Asia/Taipei、UTC）"),
    _T("error.encoding_too_long", "{name}… is not a text encoding (e.g. utf-8, gb18030, gbk, big5)",
       "{name}… 不是文本编码（如 utf-8、gb18030、gbk、big5）"),
    _T("error.encoding_unknown", "{name} is not a text encoding this guard knows (e.g. utf-8, gb18030, gbk, big5)",
       "{name} 不是本系统认识的文本编码（如 utf-8、gb18030、gbk、big5）"),
    _T("error.encoding_not_for_logs", "{name} is not a text encoding a call log can be in (e.g. utf-8, gb18030, gbk, big5)",
       "{name} 不是通话记录可用的文本编码（如 utf-8、gb18030、gbk、big5）"),
    _T("error.permanent_entry", "a {source} entry (the customer's own refusal) is permanent; an admin removes it with a reason "
                                "(DELETE /v1/blacklist/{{phone}})",
       "{source} 记录（客户本人的拒绝）是永久的；须由管理员注明原因后移除（DELETE /v1/blacklist/{{phone}}）"),
    # Calling windows a customer asks for (guard/core/windows.py; a pack's windows are checked with the same words).
    _T("error.not_day_list", "{spec} is not a day list (mon..sun, ranges like mon-fri, lists like sat,sun)",
       "{spec} 不是星期列表（mon..sun，范围如 mon-fri，列表如 sat,sun）"),
    _T("error.not_day", "{item} is not a day (mon..sun)", "{item} 不是星期几（mon..sun）"),
    _T("error.not_day_range", "{item} is not a day range (like mon-fri)", "{item} 不是星期范围（如 mon-fri）"),
    _T("error.not_time_of_day", "{text} is not a time of day (HH:MM)", "{text} 不是一天中的时刻（HH:MM）"),
    _T("error.not_time_of_day_range", "{text} is not a time of day (HH:MM, 00:00-23:59)", "{text} 不是一天中的时刻（HH:MM，00:00-23:59）"),
    _T("error.window_not_mapping", "a window is a mapping {{days, from, to}}", "时段须为 {{days, from, to}} 映射"),
    _T("error.window_unknown_key", "unknown key (expected days, from, to)", "未知的键（应为 days、from、to）"),
    _T("error.is_required", "is required", "必填"),
    _T("error.window_not_after", "{to} is not after from {start}; windows are [from, to) within one day (split one that crosses "
                                 "midnight in two)",
       "{to} 不晚于 from {start}；时段为同一天内的 [from, to)（跨午夜的时段请拆成两段）"),
    # Schema validation (pydantic's error types; the English is pydantic's own message, as it always was).
    _T("input.missing", "Field required", "缺少必填字段"),
    _T("input.extra_forbidden", "unknown field", "未知字段"),
    _T("input.string_type", "Input should be a valid string", "应为字符串"),
    _T("input.int_type", "Input should be a valid integer", "应为整数"),
    _T("input.float_type", "Input should be a valid number", "应为数字"),
    _T("input.bool_type", "Input should be a valid boolean", "应为布尔值（true 或 false）"),
    _T("input.list_type", "Input should be a valid list", "应为列表"),
    _T("input.dict_type", "Input should be a valid dictionary", "应为对象"),
    _T("input.model_type", "Input should be a valid dictionary or instance of {class_name}", "应为 JSON 对象（{class_name}）"),
    _T("input.string_too_short", "String should have at least {min_length:# character|# characters}", "至少 {min_length} 个字符"),
    _T("input.string_too_long", "String should have at most {max_length:# character|# characters}", "最多 {max_length} 个字符"),
    _T("input.string_pattern_mismatch", "String should match pattern {pattern}", "应符合格式 {pattern}"),
    _T("input.literal_error", "Input should be {expected}", "应为 {expected}"),
    _T("input.greater_than_equal", "Input should be greater than or equal to {ge}", "应大于或等于 {ge}"),
    _T("input.greater_than", "Input should be greater than {gt}", "应大于 {gt}"),
    _T("input.less_than_equal", "Input should be less than or equal to {le}", "应小于或等于 {le}"),
    _T("input.less_than", "Input should be less than {lt}", "应小于 {lt}"),
    _T("input.too_short", "{field_type} should have at least {min_length:# item|# items} after validation, not {actual_length}",
       "{field_type}至少应有 {min_length} 项，实际 {actual_length} 项"),
    _T("input.too_long", "{field_type} should have at most {max_length:# item|# items} after validation, not {actual_length}",
       "{field_type}最多 {max_length} 项，实际 {actual_length} 项"),
    _T("input.instant", "must be an ISO 8601 date-time with a UTC offset, like 2026-11-23T10:15:00+08:00",
       "须为带 UTC 偏移的 ISO 8601 日期时间，如 2026-11-23T10:15:00+08:00"),
    _T("input.instant_type", "must be an ISO 8601 date-time string with a UTC offset", "须为带 UTC 偏移的 ISO 8601 日期时间字符串"),
    _T("input.instant_range", "is out of range", "超出范围"),
    _T("input.removal_reason", "give the reason for the removal: 2 Chinese characters (误加) or 3 letters or digits at least, "
                               "punctuation and spaces not counted",
       "请写明移除原因：至少 2 个汉字（如“误加”）或 3 个字母或数字，标点和空格不计"),
    _T("input.id_not_canonical", NOT_CANONICAL,
       "不是其唯一的规范写法：含全角或其他兼容字符、分解的重音符号或不可见字符（Unicode NFKC，UAX #31）；请按客户档案中的普通字符发送"
       "（全角 Ｃ１００ 即 C100）"),
    _T("input.script_blank", "has nothing to lint: no letter or digit (empty, or only spaces, line breaks and punctuation)",
       "没有可检查的内容：没有文字或数字（为空，或只有空格、换行和标点）"),
    # The bank's directory (LDAP) at sign-in and at a session's look-up (guard/services/ops/directory.py).
    _T("error.directory_starttls", "the directory refused StartTLS", "目录服务拒绝了 StartTLS"),
    _T("error.directory_unreachable", "The directory ({url}) cannot be reached; nobody can sign in through it now. Try again later, "
                                      "or ask the administrator.", "目录服务（{url}）无法连接，目前无人能通过它登录。请稍后再试，或联系管理员。"),
    _T("error.directory_bind_refused", "The directory refused the bind ({why}); nobody can sign in through it now. Ask the "
                                       "administrator.", "目录服务拒绝了绑定（{why}），目前无人能通过它登录。请联系管理员。"),
    _T("error.directory_stopped", "The directory ({url}) stopped answering; try again later.", "目录服务（{url}）停止了响应，请稍后再试。"),
    _T("error.directory_search_refused", "The directory refused a search ({why}); ask the administrator.",
       "目录服务拒绝了查询（{why}），请联系管理员。"),
    _T("error.directory_unreadable_signin", "The directory ({url}) answered in a way the guard cannot read; nobody can sign in "
                                            "through it now. Ask the administrator.",
       "目录服务（{url}）的应答无法读取，目前无人能通过它登录。请联系管理员。"),
    _T("error.directory_unreadable", "The directory ({url}) answered in a way the guard cannot read; ask the administrator.",
       "目录服务（{url}）的应答无法读取，请联系管理员。"),
    _T("error.directory_service_refused", "The directory refused the guard's service account; ask the administrator.",
       "目录服务拒绝了本系统的服务账号，请联系管理员。"),
    _T("error.directory_no_role", "{username} signed in to the directory, but none of their groups is mapped to a role of the guard "
                                  "(GUARD_LDAP_ROLE_MAP); ask the administrator.",
       "{username} 已通过目录服务验证，但其所在的组都没有对应本系统的角色（GUARD_LDAP_ROLE_MAP），请联系管理员。"),
    # A complaint's extension (guard/core/complaints.py extension_refused; the events' own checks).
    _T("error.extend_needs_until", "required to extend a complaint: the new resolution deadline", "延期投诉须给出新的处理时限"),
    _T("error.extend_needs_note", "required to extend a complaint: say why it is complex", "延期投诉须说明理由（为何情况复杂）"),
    _T("error.only_extension_moves", "only an extension moves the resolution deadline", "只有延期能改变处理时限"),
    _T("error.extend_passed", "the resolution deadline {due} has passed: a missed deadline stays missed, extend before it falls due",
       "处理时限 {due} 已过：错过的时限不能再延期，须在到期前延期"),
    _T("error.extend_not_later", "{until} does not extend the resolution deadline {due}", "{until} 并未晚于当前处理时限 {due}"),
    _T("error.extend_past_60", "{until} is more than 60 days after the receipt ({received}; the 60 days end {limit}): the regulation "
                               "allows no later deadline",
       "{until} 距收到投诉（{received}）已超过 60 日（60 日截止于 {limit}）：监管规定不允许更晚的时限"),
    _T("error.extend_needs_approver", "{until} is more than 30 days after the receipt (the 30 days end {limit}): name who approved the "
                                      "extension (the superior office or head-office senior management)",
       "{until} 距收到投诉已超过 30 日（30 日截止于 {limit}）：须写明批准延期的人（上级机构或总行、总公司高级管理人员）"),
    _T("error.script_blank_stored", "script {script_id} (campaign {campaign} v{version}) has nothing to lint (no letter or digit); "
                                    "store the script's text as a new version and approve that one",
       "话术 {script_id}（营销活动 {campaign} 第 {version} 版）没有可检查的内容（没有文字或数字）；请将话术正文存为新版本后审批该版本"),
    # Findings of the script linter (the pack's own message follows in the pack's words).
    _T("lint.phrase", "{code}: “{matched}” (rule {rule}): {message}", "{code}：“{matched}”（规则 {rule}）：{message}"),
    _T("lint.disclosure", "{code} (rule {rule}): {message}", "{code}（规则 {rule}）：{message}"),
    _T("lint.no_phrase_rules", "Pack {pack} {version} has no phrase rule for {types}: banned phrases, misleading claims and "
                               "pressure were not checked, so this verdict does not say the script's wording is compliant",
       "策略包 {pack} {version} 没有适用于 {types} 的话术规则：未检查禁用语、误导和施压表述，本结论不代表话术措辞合规"),
    # Why a replayed decision differs from the logged one (guard.core.replay.why_differs): the what-if report's replay.
    _T("replay.no_policy", "No pack version governs {at} now ({pack} {version} judged it then): its pack file was removed or its dates changed.",
       "现在没有任何策略版本适用于 {at}（当时由 {pack} {version} 判定）：其策略文件已被移除或生效日期已变更。"),
    _T("replay.other_version", "Judged by {pack} {version} then and by {now} in the replay: the pack files changed since, so the answers may differ.",
       "当时由 {pack} {version} 判定，重判使用 {now}：策略文件此后已变更，结果可能不同。"),
    _T("replay.old_row", "Logged before decisions kept the whole request (schema version {version}): the replay does not know its "
                         "region or the customer it named.",
       "该决策记录于完整保存请求之前（结构版本 {version}）：重判不知道其地区和所指定的客户。"),
    _T("replay.caps", "The frequency caps count differently: the guard counted {logged}, the replay counts {replayed}. The replay counts the attempts "
       "recorded before the decision, in the order the guard recorded the checks; an attempt or a reported outcome deleted or changed since changes the count.",
       "频次上限计数不同：当时计为 {logged}，重判计为 {replayed}。重判按守卫记录各次检查的先后顺序，计入该决策之前已记录的拨打；"
       "此后删除或修改的拨打或通话结果会改变计数。"),
    _T("replay.client_time", "Logged reasons {logged}, replayed {replayed}: the check was judged at a client-supplied time ({at}) and made at "
       "{made}; the guard held what it knew at {made}, the replay reads what was held at {at}, so a record made or removed between the "
       "two (a blacklist entry, a customer, a mute) counts for one and not the other.",
       "日志中的原因为 {logged}，重判为 {replayed}：该检查按客户端提供的时间（{at}）判定，实际在 {made} 作出；守卫依据 {made} 时掌握的资料，"
       "重判读取 {at} 时的资料，因此两者之间新建或删除的记录（黑名单、客户、静默期）只对其中一方有效。"),
    _T("replay.facts", "Logged reasons {logged}, replayed {replayed}: what the store holds for the call's instant is not what the guard held when it "
       "decided (a record changed or removed since, or a client-supplied time earlier than when a record was made).",
       "日志中的原因为 {logged}，重判为 {replayed}：存储中该通话时刻的资料与守卫判定时掌握的不同（记录此后被修改或删除，或客户端提供的时间早于记录的建立时间）。"),
)}

_DURATION_UNITS = {"m": ("minute", "minutes", "分钟"), "h": ("hour", "hours", "小时"), "d": ("day", "days", "天")}
_DURATION = re.compile(r"(\d+)\s*(m|h|d|minutes?|hours?|days?)?")


def duration(value: Any) -> L | Any:
    """A duration (`24h`, `30d`, a timedelta, a number of days, "365 days") in the three languages."""
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        n, unit = ((seconds // 86400, "d") if seconds % 86400 == 0 else (seconds // 3600, "h") if seconds % 3600 == 0
                   else (seconds // 60, "m"))
    else:
        m = _DURATION.fullmatch(str(value).strip())
        if m is None:
            return value
        n, unit = int(m.group(1)), (m.group(2) or "d")[0]
    one, many, zh = _DURATION_UNITS[unit]
    return label(f"{n} {one if n == 1 else many}", f"{n}{zh}")


def _dt(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _day(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _windows(value: Any) -> L:
    windows = [w for w in (value or ()) if isinstance(w, dict)]
    return LazyL(lambda lang: windows_text(windows, lang))


@lru_cache(maxsize=1024)
def _vocab(name: str, code: Any) -> Any:
    from guard.core.vocabularies import VOCABULARIES

    vocabulary = VOCABULARIES.get(name)
    if vocabulary is None or code not in vocabulary.codes:
        return "—" if code is None else code
    term = vocabulary.term(code)
    return L({"en": term.en, "zh-CN": term.zh, "zh-TW": term.zh_tw})


def choice_names(codes: Any) -> L | list:
    """Allowed codes as a person reads them in a list: in Chinese each code with its name where one vocabulary
    (guard/core/vocabularies.py) holds them all (`complaint（投诉）`), the English the codes alone, joined as a list is."""
    return _choice_names(tuple(codes))


@lru_cache(maxsize=256)
def _choice_terms(codes: tuple[str, ...]) -> tuple | None:
    """The terms of the one vocabulary that holds all these codes (the one that holds exactly them first), or None."""
    from guard.core.vocabularies import VOCABULARIES

    wanted = set(codes)
    vocabulary = next((v for v in VOCABULARIES.values() if wanted == set(v.codes)), None) or \
        next((v for v in VOCABULARIES.values() if wanted <= set(v.codes)), None)
    return None if vocabulary is None or not codes else tuple(vocabulary.term(c) for c in codes)


@lru_cache(maxsize=256)
def _choice_names(codes: tuple[str, ...]) -> L | list:
    terms = _choice_terms(codes)
    if terms is None:
        return list(codes)
    return L({"en": ", ".join(codes), "zh-CN": "、".join(f"{t.code}（{t.zh}）" for t in terms),
              "zh-TW": "、".join(f"{t.code}（{t.zh_tw}）" for t in terms)})


def _or_dash(value: Any) -> Any:
    return "—" if value in (None, "") else value


def _holiday(detail: dict) -> Any:
    names = detail.get("holiday_names")
    if isinstance(names, dict) and all(isinstance(names.get(lang), str) for lang in LANGS):
        return L(names)
    return detail.get("holiday")


def _country(code: Any) -> Any:
    return label("non-geographic (001)", "非地理号码（001）") if code == NON_GEOGRAPHIC else label(f"in {code}", str(code))


_Picker = Callable[[dict, dict], tuple[str, dict[str, Any]]]


def _dnc(code: str) -> _Picker:
    def pick(d: dict, ctx: dict) -> tuple[str, dict[str, Any]]:
        scope, cid, phone = d.get("scope", "number"), d.get("customer_id"), d.get("phone")
        if scope == "customer" and cid:
            where = label(f"every number of customer {cid}", f"客户 {cid} 的所有号码")
        elif scope == "number" and phone:
            where = label(f"the number {phone}", f"号码 {phone}")
        else:
            where = _vocab("dnc_scopes", scope)
        params = {"scope": where, "source": _vocab("blacklist_sources", d.get("source")),
                  "added_at": _dt(d["added_at"]), "expires_at": _dt(d.get("expires_at"))}
        return (f"{code}.until" if d.get("expires_at") else code), params
    return pick


def _freq(d: dict, ctx: dict) -> tuple[str, dict[str, Any]]:
    params = {"limit": d["limit"], "window": duration(d["window"]), "scope": _vocab("cap_scopes", d["scope"]),
              "tier": _vocab("cap_tiers", d.get("tier", "normal")), "pack": ctx.get("pack") or "—", "count": d["count"],
              "clears_at": _dt(d.get("clears_at")) or "—"}
    if d.get("state"):
        return "FREQ_CAP.state", {**params, "state": d["state"]}
    return "FREQ_CAP", params


def _risk_profile(d: dict, ctx: dict) -> tuple[str, dict[str, Any]]:
    params = {"product": d["product"], "valid_for": duration(d.get("valid_for"))}
    if d.get("expired_at"):
        return "RISK_PROFILE_MISSING.expired", {**params, "customer_id": _or_dash(d.get("customer_id")),
                                                "assessed_at": _dt(d["assessed_at"]), "expired_at": _dt(d["expired_at"])}
    if d.get("customer_id"):
        return "RISK_PROFILE_MISSING", {**params, "customer_id": d["customer_id"]}
    return "RISK_PROFILE_MISSING.no_customer", params


def _consent(d: dict[str, Any], c: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    why = d.get("why") or "none"
    ended = d.get("expired_at") or d.get("expires_at")  # (decisions logged before expired_at: the consent's own expiry)
    if why == "expired" and ended:
        source = _vocab("consent_sources", d.get("source")) if d.get("source") else "—"
        # The consent's own expiry, given as a date alone, ended it (not the pack's max_age, which ends at an instant).
        last_day = d.get("expires_on") if d.get("expires_at") and ended == d["expires_at"] else None
        if d.get("given_on"):
            if last_day:
                return "CONSENT_MISSING.expired_dated_last_day", {"source": source, "given_on": _day(d["given_on"]),
                                                                  "expires_on": _day(last_day)}
            return "CONSENT_MISSING.expired_dated", {"source": source, "given_on": _day(d["given_on"]), "expires_at": _dt(ended)}
        if last_day:
            return "CONSENT_MISSING.expired_last_day", {"source": source, "given_at": _dt(d.get("given_at")), "expires_on": _day(last_day)}
        return "CONSENT_MISSING.expired", {"source": source, "given_at": _dt(d.get("given_at")), "expires_at": _dt(ended)}
    if why == "withdrawn" and d.get("withdrawn_on"):
        return "CONSENT_MISSING.withdrawn_dated", {"withdrawn_on": _day(d["withdrawn_on"]),
                                                   "withdrawn_via": _vocab("withdrawal_channels", d.get("withdrawn_via")) if d.get("withdrawn_via") else "—"}
    if why == "withdrawn" and d.get("withdrawn_at"):
        return "CONSENT_MISSING.withdrawn", {"withdrawn_at": _dt(d["withdrawn_at"]),
                                             "withdrawn_via": _vocab("withdrawal_channels", d.get("withdrawn_via")) if d.get("withdrawn_via") else "—"}
    if why == "out_of_scope":
        return "CONSENT_MISSING.out_of_scope", {"source": _vocab("consent_sources", d.get("source")) if d.get("source") else "—"}
    return "CONSENT_MISSING", {"purpose": _vocab("call_purposes", d.get("purpose") or "marketing")}


_PICKERS: dict[str, _Picker] = {
    "INVALID_NUMBER": lambda d, c: ("INVALID_NUMBER", {"input": d.get("input"), "why": _vocab("number_problems", d.get("why"))}),
    "OUT_OF_JURISDICTION": lambda d, c: ("OUT_OF_JURISDICTION", {"number_country": _country(d["number_country"]), "pack": d["pack"],
                                                                 "countries": list(d["countries"])}),
    "NUMBER_TYPE": lambda d, c: ("NUMBER_TYPE", {"phone": d["phone"], "type": _vocab("number_kinds", d["type"]),
                                                 "pack": c.get("pack") or "—"}),
    "CUSTOMER_MISMATCH": lambda d, c: ("CUSTOMER_MISMATCH", {"named_customer": d["named_customer"], "owner": d["owner"]}),
    "DNC_OPT_OUT": _dnc("DNC_OPT_OUT"),
    "DNC_REGISTRY": _dnc("DNC_REGISTRY"),
    "MUTED": lambda d, c: ("MUTED", {"until": _dt(d["until"]), "reason": localize_stored(d.get("reason") or "—")}),
    "SUITABILITY": lambda d, c: ("SUITABILITY", {k: _or_dash(d.get(k)) for k in
                                                 ("product", "product_risk", "customer_risk", "max_product_risk", "customer_id")}),
    "RISK_PROFILE_MISSING": _risk_profile,
    "CALLBACK_DEFERRED": lambda d, c: ("CALLBACK_DEFERRED", {"not_before": _dt(d["not_before"])}),
    "ZONE_UNKNOWN": lambda d, c: ("ZONE_UNKNOWN", {"phone": d["phone"]}),
    "QUIET_HOURS": lambda d, c: (
        "QUIET_HOURS.state" if d.get("state") else "QUIET_HOURS",
        {"local_time": _dt(d["local_time"]), "timezone": d["timezone"], "windows": _windows(d.get("windows")),
         **({"state": d["state"]} if d.get("state") else {"pack": c.get("pack") or "—"})}),
    "HOLIDAY": lambda d, c: (
        "HOLIDAY.state" if d.get("state") else "HOLIDAY",
        {"date": _day(d["date"]), "calendar": d["calendar"], "holiday": _holiday(d), **({"state": d["state"]} if d.get("state") else {})}),
    "CUSTOMER_WINDOW": lambda d, c: (
        ("CUSTOMER_WINDOW.never", {"windows": _windows(d.get("windows")), "pack": c.get("pack") or "—"}) if d.get("intersection_empty")
        else ("CUSTOMER_WINDOW", {"local_time": _dt(d["local_time"]), "timezone": d["timezone"], "windows": _windows(d.get("windows"))})),
    "FREQ_CAP": _freq,
    "SCRIPT_NOT_APPROVED": lambda d, c: ("SCRIPT_NOT_APPROVED", {"campaign": d["campaign"]}),
    "CONSENT_MISSING": _consent,
    "UNKNOWN_CAMPAIGN": lambda d, c: ("UNKNOWN_CAMPAIGN", {"campaign": d["campaign"]}),
    "UNKNOWN_PRODUCT": lambda d, c: (
        ("UNKNOWN_PRODUCT.not_in_campaign" if d.get("why") == "not part of the campaign" else "UNKNOWN_PRODUCT"),
        {"product": d["product"], **({"campaign": d.get("campaign")} if d.get("why") == "not part of the campaign" else {})}),
}


_AUDIT_PICKERS: dict[str, _Picker] = {
    "UNCHECKED_CALL": lambda d, c: ("UNCHECKED_CALL", {"why": _vocab("unchecked_whys", d.get("why"))}),
    "CALLED_DESPITE_DENY": lambda d, c: ("CALLED_DESPITE_DENY", {
        "decision_id": d["decision_id"], "reasons": LazyL(lambda lang: _reason_titles(d.get("reasons") or (), lang))}),
}


def _reason_titles(codes: Any, lang: str) -> str:
    from guard.core.reasons import BY_CODE

    titles = {"en": lambda r: r.title, "zh-CN": lambda r: r.title_zh, "zh-TW": lambda r: r.title_zh_tw}[lang]
    return ("; " if lang == "en" else "、").join(titles(BY_CODE[c]) if c in BY_CODE else str(c) for c in codes)


def audit_messages(code: str, detail: dict[str, Any]) -> dict[str, str] | None:
    """An audit-only violation (UNCHECKED_CALL, CALLED_DESPITE_DENY) in the three languages, else None."""
    picker = _AUDIT_PICKERS.get(code)
    if picker is None:
        return None
    try:
        key, params = picker(detail or {}, {})
    except (KeyError, TypeError):
        return None
    return TEMPLATES[key].render(params)


def reason_message(code: str, detail: dict[str, Any], pack: str | None, lang: str = "en") -> str:
    """One language of `reason_messages` (the decision core writes the English `message`)."""
    return reason_messages(code, detail, pack, (lang,))[lang]


def reason_messages(code: str, detail: dict[str, Any], pack: str | None = None, langs: tuple[str, ...] = LANGS) -> dict[str, str]:
    """A reason's message in zh-CN, zh-TW and en, with the specifics of its `detail`.

    A detail that lacks what the template needs (a decision stored by an older version) reads
    as the registry's general message of the code, never an error.
    """
    from guard.core.reasons import BY_CODE

    picker = _PICKERS.get(code)
    if picker is not None:
        try:
            key, params = picker(detail or {}, {"pack": pack})
            return TEMPLATES[key].render(params, langs)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass
    reason = BY_CODE.get(code)
    if reason is None:
        return {lang: code for lang in langs}
    general = {"en": reason.message, "zh-CN": reason.message_zh, "zh-TW": to_traditional(reason.message_zh)}
    return {lang: general[lang] for lang in langs}


def message_zh(messages: dict[str, str], country: str | None) -> str:
    """The Chinese a pack's users read: traditional for Taiwan, Hong Kong and Macau packs."""
    return messages[chinese_of(country)]


_KIND_LIST = r"[a-z_]+(?:, [a-z_]+)*"
_DEADLINE = re.compile(r"(?P<kind>[a-z_]+) \(due (?P<due>[^,)\s]+), (?:done (?P<done>[^,)\s]+)|not done)\)")


def _kinds(text: str) -> L:
    """"first_response, resolve" as the deadline kinds' names: 首次响应、办结."""
    names = [_vocab("deadline_kinds", k) for k in text.split(", ")]
    return LazyL(lambda lang: ("、" if lang != "en" else ", ").join(n[lang] if isinstance(n, L) else str(n) for n in names))


def _utc(text: str) -> str:
    """A stored instant as "2026-11-03 04:00 UTC" (the note keeps no zone of the reader's)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return f"{value:%Y-%m-%d %H:%M} UTC"


def _deadlines(text: str) -> dict[str, Any] | None:
    items = list(_DEADLINE.finditer(text))
    if not items or ", ".join(m.group(0) for m in items) != text:
        return None
    rendered = [TEMPLATES["stored.deadline_undone" if m["done"] is None else "stored.deadline_done"].render(
        {"kind": _vocab("deadline_kinds", m["kind"]), "due": _utc(m["due"]), "done": _utc(m["done"] or "")}) for m in items]
    return {"items": LazyL(lambda lang: ("、" if lang != "en" else ", ").join(r[lang] for r in rendered))}


# Stored English texts, read back: each template's English as a pattern.
_STORED_PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[dict[str, str]], dict[str, Any]]], ...] = (
    ("stored.mute", re.compile(r"(?P<count>\d+) complaints? within (?P<within>.+?) \(pack (?P<pack>\S+) (?P<version>\S+)\)"),
     lambda g: {"count": int(g["count"]), "within": duration(g["within"]), "pack": g["pack"], "version": g["version"]}),
    ("stored.complaint_stop", re.compile(r"complaint (?P<complaint>\S+): asked to stop calling"), dict),
    ("stored.outcome_dnc", re.compile(r"do_not_call outcome, decision (?P<decision>\S+)"), dict),
    ("stored.note_stop", re.compile(r"asked to stop calling \(call note\), decision (?P<decision>\S+)"), dict),
    ("stored.lapsed_relisted", re.compile(r"lapsed at its expiry; listed again"), dict),
    ("stored.complaint_missed", re.compile(rf"missed: (?P<kinds>{_KIND_LIST})"), lambda g: {"kinds": _kinds(g["kinds"])}),
    ("stored.complaint_missed_late", re.compile(r"missed: (?P<items>.+)"), lambda g: _deadlines(g["items"])),
    ("stored.complaint_escalated", re.compile(rf"SLA missed \((?P<kinds>{_KIND_LIST})\): escalated to a supervisor"),
     lambda g: {"kinds": _kinds(g["kinds"])}),
    ("stored.callback_late", re.compile(r"callback due (?P<due>\S+), made (?P<made>\S+)"),
     lambda g: {"due": _utc(g["due"]), "made": _utc(g["made"])}),
    ("stored.callback_due", re.compile(r"callback due (?P<due>\S+)"), lambda g: {"due": _utc(g["due"])}),
)


def stored_text(key: str, **params: Any) -> str:
    """The English text the guard stores for a person (a mute's or a blacklist entry's reason)."""
    if key == "stored.mute":
        params = {**params, "within": duration(params["within"])}
    return TEMPLATES[key].render(params, ("en",))["en"]


def localize_stored(text: str) -> L | str:
    """A stored text in the three languages when it is one the guard writes; else as it was typed."""
    for key, pattern, to_params in _STORED_PATTERNS:
        m = pattern.fullmatch(text.strip()) if isinstance(text, str) else None
        params = to_params(m.groupdict()) if m is not None else None
        if params is not None:
            return L(TEMPLATES[key].render(params))
    return text


def stored_messages(text: str | None) -> dict[str, str] | None:
    """`localize_stored` as the API shows it: {lang: text} (a typed text is the same in each)."""
    if text is None:
        return None
    out = localize_stored(text)
    return dict(out) if isinstance(out, L) else {lang: text for lang in LANGS}


def event_note_messages(kind: str, note: str | None) -> dict[str, str] | None:
    """A complaint event's note in the three languages: the notes the guard writes (an overdue found, the
    scheduler's escalation, a late callback, a callback's result) translated; a person's words as typed."""
    if note is None:
        return None
    if kind == "callback":
        result, _, typed = note.partition(": ")
        name = _vocab("callback_results", result)
        if isinstance(name, L):
            if not typed:
                return dict(name)
            return TEMPLATES["stored.callback_result"].render({"result": name, "note": typed})
    if kind in ("overdue", "escalated", "callback_overdue"):
        return stored_messages(note)
    return {lang: note for lang in LANGS}


def finding_messages(code: str, rule: str, matched: str, message: str) -> dict[str, str]:
    """A script finding's message in the three languages: the code's name, the words, the rule, and the
    pack's own message (written by the compliance officer, in the pack's words; converted for zh-TW)."""
    own = L({"en": message, "zh-CN": message, "zh-TW": to_traditional(message)})
    key = "lint.disclosure" if code == "MISSING_DISCLOSURE" else "lint.phrase"
    params: dict[str, Any] = {"code": _vocab("lint_codes", code), "rule": rule, "message": own}
    if key == "lint.phrase":
        params["matched"] = L({"en": matched, "zh-CN": matched, "zh-TW": to_traditional_characters(matched)})
    out = TEMPLATES[key].render(params)
    out["en"] = out["en"][:1].upper() + out["en"][1:]
    return out


def lint_note_messages(key: str, types: list[str], **params: Any) -> dict[str, str]:
    """A note on a lint answer (what its verdict cannot vouch for) in the three languages; `types`: the product types
    linted under (none: every type)."""
    if not types:
        shown: Any = label("any product type", "任何产品类型")
    else:
        names = [_vocab("product_types", t) for t in types]
        shown = L({lang: ("、" if lang != "en" else ", ").join(n[lang] if isinstance(n, L) else str(n) for n in names)
                   for lang in LANGS})
    return TEMPLATES[key].render({**params, "types": shown})


def said(key: str, **params: Any) -> Said:
    """An error's (or any) message from its registered template: its English text, carrying the three languages."""
    return Said(TEMPLATES[key].render(params))


# What a 404 names, in each language (`NotFound(what, ident)`, the HTTP layer's `not_found`).
NOT_FOUND_THINGS: dict[str, tuple[str, str]] = {
    "script": ("script", "话术"), "complaint": ("complaint", "投诉"), "decision": ("decision", "决策"),
    "customer": ("customer", "客户"), "audit": ("audit", "审计"), "simulation": ("simulation", "策略预演"),
    "consent": ("consent", "营销同意"), "console asset": ("console asset", "控制台文件"), "product": ("product", "产品"),
    "campaign": ("campaign", "营销活动"), "live blacklist entry for": ("live blacklist entry for", "号码的有效黑名单记录"),
    "live blacklist entry for customer": ("live blacklist entry for customer", "客户的有效黑名单记录"),
}


def not_found_said(what: str, ident: Any) -> Said | str:
    """"No script '01J…'." in the three languages (a thing not in NOT_FOUND_THINGS stays English)."""
    thing = NOT_FOUND_THINGS.get(what)
    if thing is None:
        return f"No {what} {ident!r}."
    return said("error.not_found", what=label(*thing), ident=repr(ident))


# JSON's own diagnostics (Python's json module, and the body reader's refusals), named in each language.
_JSON_PROBLEMS: dict[str, tuple[str, str]] = {
    "Expecting value": ("Expecting value", "此处应为一个值"),
    "Expecting property name enclosed in double quotes": ("Expecting property name enclosed in double quotes", "此处应为双引号括起的键名"),
    "Expecting ',' delimiter": ("Expecting ',' delimiter", "此处应为逗号 ','"),
    "Expecting ':' delimiter": ("Expecting ':' delimiter", "此处应为冒号 ':'"),
    "Extra data": ("Extra data", "JSON 之后还有多余内容"),
    "Unterminated string starting at": ("Unterminated string starting at", "字符串没有结束，开始于"),
    "Invalid control character at": ("Invalid control character at", "无效的控制字符，位于"),
    "Invalid \\escape": ("Invalid \\escape", "无效的转义，位于"),
    "Invalid \\uXXXX escape": ("Invalid \\uXXXX escape", "无效的 \\uXXXX 转义，位于"),
    "Illegal trailing comma before end of object": ("Illegal trailing comma before end of object", "对象结束前有多余的逗号"),
    "Illegal trailing comma before end of array": ("Illegal trailing comma before end of array", "数组结束前有多余的逗号"),
}
_JSON_OWN = re.compile(r"duplicate key (?P<key>.+)|(?P<constant>\S+) is not valid JSON")


def json_problem_said(exc: ValueError) -> Said | str:
    """Why a body is not JSON ("The body is not valid JSON: Expecting value: line 1 column 1 (char 0)") in the three
    languages; a diagnostic not named here keeps its English after the translated lead."""
    msg, line, column, pos = (getattr(exc, k, None) for k in ("msg", "lineno", "colno", "pos"))
    english = str(exc)
    if isinstance(msg, str) and msg in _JSON_PROBLEMS and None not in (line, column, pos):
        problem: Any = said("error.json_at", problem=label(*_JSON_PROBLEMS[msg]), line=line, column=column, pos=pos)
        if problem != english:  # not the shape json writes: say it as it is
            problem = english
    else:
        own = _JSON_OWN.fullmatch(english)
        if own is not None and own["key"]:
            problem = label(english, f"重复的键 {own['key']}")
        elif own is not None:
            problem = label(english, f"{own['constant']} 不是有效的 JSON")
        else:
            problem = english
    return said("error.json_invalid", problem=problem)


_INPUT_CTX = ("class_name", "min_length", "max_length", "pattern", "expected", "ge", "gt", "le", "lt", "field_type", "actual_length")
# Our own validators' words (guard/http/schemas), as pydantic reports them after "Value error, ".
_INPUT_VALUE_ERRORS = {TEMPLATES[k].en: k for k in ("input.instant", "input.instant_type", "input.instant_range",
                                                     "input.removal_reason", "input.script_blank",
                                                     "input.id_not_canonical")}


def input_said(error_type: str, message: str, ctx: dict[str, Any] | None) -> Said | str:
    """A schema validation error (pydantic's `type`, its English `msg`, its `ctx`) in the three languages; the English is
    pydantic's own message, unchanged. A type not registered stays English."""
    key = _INPUT_VALUE_ERRORS.get(message) if error_type == "value_error" else f"input.{error_type}"
    template = TEMPLATES.get(key or "")
    if template is None:
        return message
    params = {k: (ctx or {}).get(k, "") for k in _INPUT_CTX}
    if isinstance(params["expected"], str) and params["expected"]:
        expected = params["expected"]
        zh = expected.replace("', '", "'、'").replace("' or '", "' 或 '")
        # the allowed codes with their names where a vocabulary has them: 'app'（手机银行/APP）
        terms = _choice_terms(tuple(re.findall(r"'([^']*)'", expected)))
        named = {lang: re.sub(r"'([^']*)'", lambda m: f"'{m[1]}'（{names[m[1]]}）", zh)
                 for lang, names in (("zh-CN", {t.code: t.zh for t in terms or ()}), ("zh-TW", {t.code: t.zh_tw for t in terms or ()}))} \
            if terms else {"zh-CN": zh, "zh-TW": to_traditional(zh)}
        params["expected"] = L({"en": expected, **named})
    if params["field_type"] == "List":
        params["field_type"] = label("List", "列表")
    try:
        out = template.render(params)
    except (KeyError, ValueError, TypeError):
        return message
    out["en"] = message
    return Said(out)


_UNSTORABLE = {TEMPLATES[k].en: k for k in ("error.text_nul", "error.text_surrogate")}


def unstorable_said(problem: str) -> Said | str:
    """Why a text cannot be stored (guard.core.text.unstorable) in the three languages."""
    key = _UNSTORABLE.get(problem)
    return said(key) if key else problem


def status_label(status: str) -> L:
    """An audit's or a simulation's status as it reads in a sentence: "running" / 进行中 (audit_statuses vocabulary)."""
    name = _vocab("audit_statuses", status)
    return L({"en": status, "zh-CN": name["zh-CN"], "zh-TW": name["zh-TW"]}) if isinstance(name, L) else label(status, status)


def invalid_number_said(raw: Any, why: Any) -> Said:
    """"'123' is not a valid number (cannot be parsed as a phone number)", the why named by the number_problems vocabulary."""
    return said("error.invalid_number", raw=repr(raw), why=_vocab("number_problems", why))


def error_messages(code: str, message: str, details: Any = None) -> dict[str, str]:
    """An error answer's text in the three languages: the error code's name (error_codes vocabulary) and
    the fields at fault in the language, then the message: in the language when it was made by `said` (a
    `Said`), else as the guard wrote it (English, naming the field)."""
    fields = [d["field"] for d in details if isinstance(d, dict) and isinstance(d.get("field"), str)] if isinstance(details, list) else []
    fields = list(dict.fromkeys(fields))
    where = L({"en": f" ({', '.join(fields)})", "zh-CN": f"（字段：{'、'.join(fields)}）", "zh-TW": f"（欄位：{'、'.join(fields)}）"}) \
        if fields else ""
    own = getattr(message, "messages", None)
    text = L(own) if isinstance(own, dict) and all(isinstance(own.get(lang), str) for lang in LANGS) else message
    out = TEMPLATES["error"].render({"title": _vocab("error_codes", code), "fields": where, "message": text})
    out["en"] = out["en"][:1].upper() + out["en"][1:]
    return out

"""A rejected row's reason reads in zh-CN, zh-TW and en, the English exactly as the reader wrote it."""

from __future__ import annotations

import pytest

from guard.core.reject_messages import reject_messages

# (reason as a reader writes it, its zh-CN)
CASES = [
    ("4 fields; the header has 10", "本行有 4 个字段，表头有 10 个"),
    ("not valid GB18030", "不是有效的 GB18030 文本"),
    ("not valid UTF-8; name the file's encoding if it is another", "不是有效的 UTF-8 文本；如文件是另一种编码，请指明其编码"),
    ("phone: empty", "phone：为空"),
    ("phone: '12345' not a valid number for its country", "phone：'12345' 不是所属国家或地区的有效号码"),
    ("phone: '12345' is not a valid number (not a valid number for its country)",
     "phone：'12345' 不是有效号码（不是所属国家或地区的有效号码）"),
    ("called_at: '2026-11-20T24:01:00+08:00' is not an ISO 8601 date-time with a UTC offset",
     "called_at：'2026-11-20T24:01:00+08:00' 不是带 UTC 偏移的 ISO 8601 日期时间"),
    ("added_at: '2026-13-01' is not an ISO 8601 date or date-time with offset",
     "added_at：'2026-13-01' 不是 ISO 8601 日期或带 UTC 偏移的日期时间"),
    ("called_at: '46000.5' is a spreadsheet's date serial number (days since 1899-12-30), as a sheet saves a date-time cell "
     "whose format was lost: format the column as date and time (2026-11-30 09:05:00) and export the log again",
     "called_at：'46000.5' 是电子表格的日期序列号（自 1899-12-30 起的天数），是单元格丢失日期时间格式后保存的结果：请将该列设为"
     "日期时间格式（2026-11-30 09:05:00）后重新导出通话记录"),
    ("call_id: '1' repeats line 2", "call_id：'1' 与第 2 行重复"),
    ("a quote opened in line 4 is never closed: it runs to the end of the file (line 9); the lines after it are read as rows",
     "第 4 行开启的引号始终没有闭合：一直延续到文件末尾（第 9 行）；其后的各行按记录读取"),
]


@pytest.mark.parametrize("reason, zh_cn", CASES)
def test_a_rejected_rows_reason_reads_in_chinese_and_keeps_its_english(reason, zh_cn):
    messages = reject_messages(reason)
    assert messages["en"] == reason and messages["zh-CN"] == zh_cn and messages["zh-TW"] not in (reason, "")


def test_a_reason_no_reader_writes_reads_as_written_in_every_language():
    assert reject_messages("phone: something new") == {"zh-CN": "phone: something new", "zh-TW": "phone: something new",
                                                       "en": "phone: something new"}

"""Every importer refuses a file whose header's quote is never closed saying nothing after it is read: the CSV reader
takes every later line into the header's field (Python's csv module, https://docs.python.org/3/library/csv.html), so
no row is read, and a message saying "the lines after it are read as rows" would promise rows the guard never read."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
UNCLOSED = b'"phone,source,given_at\n13800138000,app,2026-03-01\n13900139000,app,2026-03-01\n'


def _call_log():
    from guard.services.audits.log_reader import LogError, read_log

    with pytest.raises(LogError) as refused:
        list(read_log(io.BytesIO(b'"call_id,phone,called_at,campaign\nc1,13800138000,2026-11-23T10:15:00+08:00,wm\n')))
    return str(refused.value)


def _consent():
    from guard.services.consent.importer import ImportError_, import_csv

    with pytest.raises(ImportError_) as refused:
        import_csv(None, io.BytesIO(UNCLOSED), region="CN", timezone_name="Asia/Shanghai", now=NOW, key_id=None,
                   encoding="utf-8")
    return str(refused.value)


def _blacklist():
    from blacklist.importer import ImportError_, import_csv

    with pytest.raises(ImportError_) as refused:
        import_csv(None, io.BytesIO(b'"phone,source\n13800138000,registry\n'), region="CN", timezone_name="Asia/Shanghai",
                   now=NOW, key_id=None)
    return str(refused.value)


def _removals():
    from blacklist.importer import ImportError_
    from blacklist.removals import remove_csv

    with pytest.raises(ImportError_) as refused:
        remove_csv(None, io.BytesIO(b'"phone\n13800138000\n'), source="registry", reason="r", region="CN", now=NOW,
                   key_id=None, dry_run=True)
    return str(refused.value)


@pytest.mark.parametrize("refusal", [_call_log, _consent, _blacklist, _removals], ids=["audit", "consent", "blacklist", "removals"])
def test_an_importer_refuses_a_header_whose_quote_is_never_closed_saying_nothing_is_read(refusal):
    message = refusal()
    assert "line 1" in message and "cannot be read, so nothing in the file is read" in message, message
    assert "read as rows" not in message, message

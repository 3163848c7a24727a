"""A list file scrubbed (`guard scrub`, guard/services/calls/scrub_file.py) gets the answers POST /v1/check/batch gives."""

from __future__ import annotations

import io

from guard.services.calls.scrub_file import Summary, scrub_file
from tests.suppression.conftest import codes
from tests.suppression.test_batch import _count
from guard.store import models as m


def _file(app, text: str, chunk_rows: int = 20_000, summary: Summary | None = None) -> list[list]:
    rt = app.extensions["guard"]
    return list(scrub_file(rt.guard, io.BytesIO(text.encode("utf-8")), "dep-2026q4", rt.clock(), chunk_rows=chunk_rows,
                           summary=summary))


def test_each_row_gets_the_answer_the_batch_gives_its_number_and_nothing_is_recorded(api, client, app):
    api.customer("C1", ["13800138000", "13900139000"])
    client.post("/v1/blacklist", json={"customer_id": "C1", "source": "customer_request"}, headers=client.operator)
    client.post("/v1/blacklist", json={"phone": "13500135000", "source": "registry"}, headers=client.operator)
    assert api.check("13600136000")["allowed"]
    deferred = api.check("13300133000")
    api.outcome(deferred["decision_id"], "callback", callback_at="2026-11-30T10:00:00+08:00")
    phones = ["13900139000", "not a number", "13500135000", "13600136000", "137 0013 7000", "13300133000", "13900139000", ""]
    batch = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": phones}, headers=client.dialer).json["results"]
    decisions, attempts = _count(app, m.Decision), _count(app, m.Attempt)
    text = "phone,name\n" + "".join(f'"{p}",x\n' for p in phones)
    for chunk_rows in (20_000, 3):  # judged in chunks: the same answers, and a repeat found across chunks
        summary = Summary()
        rows = _file(app, text, chunk_rows, summary)
        assert [r[0] for r in rows] == list(range(2, 2 + len(phones)))
        got = [(r[2], r[3] == "true", r[4].split(), r[5]) for r in rows]
        assert got == [(b["phone_e164"], b["allowed"], codes(b), b["next_allowed_at"]) for b in batch]
        assert rows[6][8] == 2 and summary.duplicates == 1
        assert (summary.rows, summary.allowed, summary.denied, summary.unreadable) == (8, 1, 7, 0)
    assert (_count(app, m.Decision), _count(app, m.Attempt)) == (decisions, attempts)


def test_a_customer_named_in_the_file_counts_as_a_check_naming_them_would(api, client, app):
    # C9 asked not to be called; the list pairs them with a number the guard does not hold as theirs. The live check
    # naming C9 denies it (SPEC §7: the customer the request names counts); the scrub must not allow it.
    api.customer("C9", ["13800138000"])
    client.post("/v1/blacklist", json={"customer_id": "C9", "source": "customer_request"}, headers=client.operator)
    live = api.check("13700137000", customer_id="C9", dry_run=True)
    assert codes(live) == ["DNC_OPT_OUT"]
    # A CRM export spelling C9 full-width or with a zero-width space names the same customer (UAX #15 NFKC; UTS #39).
    rows = _file(app, "客户号,手机号码\nC9,13700137000\n,13700137000\nC8,13600136000\nＣ９,13700137000\nC\u200b9,13700137000\n")
    assert [(r[4], r[7]) for r in rows] == [("DNC_OPT_OUT", "C9"), ("", None), ("", "C8"), ("DNC_OPT_OUT", "C9"),
                                            ("DNC_OPT_OUT", "C9")]


def test_a_workbook_given_as_the_list_is_refused_as_the_files_fault_not_the_encodings(app):
    # A CRM's .xlsx scrubbed as saved (ECMA-376 Part 2: a ZIP archive): the refusal names the file and says to save it as
    # CSV; it named --encoding, which no value could mend.
    import pytest

    from guard.services.calls.scrub_file import ListError

    rt = app.extensions["guard"]
    workbook = b"PK\x03\x04" + bytes(200)
    for encoding in (None, "gbk"):
        with pytest.raises(ListError) as refused:
            list(scrub_file(rt.guard, io.BytesIO(workbook), "dep-2026q4", rt.clock(), encoding=encoding))
        assert refused.value.field == "file" and "save it as CSV" in str(refused.value)


def test_a_crm_contact_exports_mobile_column_is_the_phone_column():
    # Salesforce's Contact "Mobile Phone" (MobilePhone), HubSpot's "Mobile Phone Number": sources in scrub_file.py
    from guard.services.calls.scrub_file import HEADER

    assert HEADER.columns(["Full Name", "Mobile Phone", "Email"]) == [None, "phone", None]
    assert HEADER.column("MobilePhone") == HEADER.column("Mobile Phone Number") == "phone"


def test_a_row_written_with_an_extension_names_the_extension_dropped_from_the_line_judged(app):
    # 010-65521234-8001 (区号-总机号-分机号) is judged as +861065521234: the row says so, as /v1/check's phone_extension.
    from guard.services.calls.scrub_file import FIELDS

    rows = _file(app, "手机号码\n010-65521234-8001\n13800138000\n")
    got = [dict(zip(FIELDS, r)) for r in rows]
    assert [(g["phone_e164"], g["phone_extension"]) for g in got] == [("+861065521234", "8001"), ("+8613800138000", None)]


def test_a_header_whose_quote_is_never_closed_is_refused_without_promising_the_rows_are_read(app):
    import pytest

    from guard.services.calls.scrub_file import ListError

    with pytest.raises(ListError) as refused:
        _file(app, '"phone,customer_id\n13800138000,C1\n')
    assert str(refused.value.message) == ("line 1: a quote opened in this line is never closed: it runs to the end of the file "
                                          "(line 2); the header cannot be read, so nothing in the file is read")

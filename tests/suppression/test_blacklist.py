"""The blacklist over HTTP: add, look up, expiry at the call's instant, audited admin removal, CSV import."""

from __future__ import annotations

import pytest

from tests.suppression.conftest import codes


def test_add_is_idempotent_and_the_source_decides_the_reason(api, client):
    r = client.post("/v1/blacklist", json={"phone": "138-0013-8000", "source": "registry", "reason": "national list"},
                    headers=client.operator)
    assert r.status_code == 201 and r.json["code"] == "DNC_REGISTRY" and r.json["phone_e164"] == "+8613800138000"
    again = client.post("/v1/blacklist", json={"phone": "+86 138 0013 8000", "source": "registry"}, headers=client.operator)
    assert again.status_code == 200 and again.json["id"] == r.json["id"]
    client.post("/v1/blacklist", json={"phone": "13600136000", "source": "customer_request"}, headers=client.operator)
    assert codes(api.check("13800138000")) == ["DNC_REGISTRY"]
    assert codes(api.check("13600136000")) == ["DNC_OPT_OUT"]
    lookup = client.get("/v1/blacklist/13800138000", headers=client.operator).json
    assert lookup["blocked"] and lookup["codes"] == ["DNC_REGISTRY"] and lookup["history"] == []


def test_a_customer_entry_blocks_every_number_of_theirs(api, client):
    api.customer("C2", ["13800138000", "13900139000"])
    r = client.post("/v1/blacklist", json={"customer_id": "C2", "source": "manual", "reason": "legal hold"}, headers=client.operator)
    assert r.status_code == 201 and r.json["customer_id"] == "C2" and r.json["phone_e164"] is None
    assert "DNC_OPT_OUT" in codes(api.check("13900139000"))
    assert client.get("/v1/blacklist/13900139000", headers=client.operator).json["codes"] == ["DNC_OPT_OUT"]
    assert client.get("/v1/blacklist/customers/C2", headers=client.operator).json["blocked"] is True


def test_a_number_written_with_a_chinese_extension_is_its_line_and_a_listed_line_stays_blocked(api, client):
    client.post("/v1/blacklist", json={"phone": "010-88881234", "source": "customer_request"}, headers=client.operator)
    client.post("/v1/blacklist", json={"phone": "13800138000", "source": "customer_request"}, headers=client.operator)
    for written, e164 in [("010-88881234转8001", "+861088881234"), ("010-88881234轉8001", "+861088881234"),
                          ("010 8888 1234 分机 8001", "+861088881234"), ("010-88881234 ext. 8001", "+861088881234"),
                          ("13800138000转123", "+8613800138000")]:
        d = api.check(written, dry_run=True)
        assert d["phone_e164"] == e164 and "DNC_OPT_OUT" in codes(d) and "INVALID_NUMBER" not in codes(d), (written, d["reasons"])
    d = api.check("138 0013 8112 转 123")
    assert d["allowed"] and d["phone_e164"] == "+8613800138112"
    lookup = client.get("/v1/blacklist/010-88881234转8001", headers=client.operator).json
    assert lookup["blocked"] and lookup["phone_e164"] == "+861088881234"


def test_removing_a_number_blocked_through_its_customer_names_the_customer_entry_to_remove(api, client):
    api.customer("C2", ["13800138000", "13900139000"])
    client.post("/v1/blacklist", json={"customer_id": "C2", "source": "customer_request"}, headers=client.operator)
    assert client.get("/v1/blacklist/13900139000", headers=client.operator).json["blocked"] is True
    r = client.delete("/v1/blacklist/13900139000", json={"reason": "entered by mistake"}, headers=client.admin)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    message = r.json["error"]["message"]
    assert "'+8613900139000'" in message and "customer 'C2'" in message and "DELETE /v1/blacklist/customers/C2" in message, message
    assert r.json["error"]["details"] == {"blocked_through_customers": ["C2"]}
    assert "DNC_OPT_OUT" in codes(api.check("13900139000", dry_run=True))  # nothing was removed
    assert client.delete("/v1/blacklist/customers/C2", json={"reason": "entered by mistake"}, headers=client.admin).status_code == 200
    assert api.check("13900139000")["allowed"]
    nothing = client.delete("/v1/blacklist/13700137000", json={"reason": "entered by mistake"}, headers=client.admin)
    assert nothing.status_code == 404 and nothing.json["error"]["message"] == "No live blacklist entry for '+8613700137000'."
    assert nothing.json["error"]["details"] is None


def test_a_hong_kong_number_written_without_its_plus_is_read_as_one_and_stays_blocked(api, client):
    client.post("/v1/blacklist", json={"phone": "+852 9123 4567", "source": "customer_request"}, headers=client.operator)
    d = api.check("85291234567", dry_run=True)
    assert d["phone_e164"] == "+85291234567" and "DNC_OPT_OUT" in codes(d) and "INVALID_NUMBER" not in codes(d), d["reasons"]
    r = client.post("/v1/blacklist/import", data=b"85366123456,registry\n", content_type="text/csv", headers=client.operator)
    assert r.json["accepted"] == 1 and client.get("/v1/blacklist/+85366123456", headers=client.operator).json["blocked"]
    assert api.check("8613800138000", dry_run=True)["phone_e164"] == "+8613800138000"


def test_expiry_is_judged_at_the_calls_instant(api, client):
    client.post("/v1/blacklist", json={"phone": "13800138000", "source": "regulator", "expires_at": "2026-11-24T12:00:00+08:00"},
                headers=client.operator)
    d = api.check()
    assert codes(d) == ["DNC_REGISTRY"] and d["next_allowed_at"] == "2026-11-24T12:00:00+08:00"
    api.later(days=1, hours=2)
    assert api.check()["allowed"]


def test_only_an_admin_removes_with_a_reason_and_the_removal_stays_on_record(api, client):
    client.post("/v1/blacklist", json={"phone": "13800138000", "source": "customer_request"}, headers=client.operator)
    assert client.delete("/v1/blacklist/13800138000", json={"reason": "entered by mistake"}, headers=client.operator).status_code == 403
    r = client.delete("/v1/blacklist/13800138000", json={}, headers=client.admin)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "reason"
    r = client.delete("/v1/blacklist/13800138000", json={"reason": "entered by mistake"}, headers=client.admin)
    assert r.status_code == 200
    removed = r.json["removed"][0]
    assert removed["removal_reason"] == "entered by mistake" and removed["removed_by"] and removed["active"] is False
    lookup = client.get("/v1/blacklist/13800138000", headers=client.operator).json
    assert lookup["blocked"] is False and [h["id"] for h in lookup["history"]] == [removed["id"]]
    assert api.check()["allowed"]
    again = client.delete("/v1/blacklist/13800138000", json={"reason": "entered by mistake"}, headers=client.admin)
    assert again.status_code == 404 and again.json["error"]["code"] == "NOT_FOUND"


def test_blacklist_input_errors(client):
    for body, field in [
        ({"source": "registry"}, "phone"),
        ({"phone": "13800138000", "customer_id": "C1", "source": "registry"}, "phone"),
        ({"phone": "12345", "source": "registry"}, "phone"),
        ({"phone": "13800138000", "source": "gossip"}, "source"),
        ({"phone": "13800138000", "source": "registry", "expires_at": "2026-01-01T00:00:00+08:00"}, "expires_at"),
        ({"phone": "13800138000", "source": "registry", "expires_at": "tomorrow"}, "expires_at"),
    ]:
        r = client.post("/v1/blacklist", json=body, headers=client.operator)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (body, r.json)
    assert client.post("/v1/blacklist", json={"phone": "13800138000", "source": "registry"}, headers=client.dialer).status_code == 403
    assert client.get("/v1/blacklist/not-a-number", headers=client.operator).status_code == 400


CSV = (
    "phone,source,reason,added_at\n"
    "13800138000,registry,national list,2026-11-01\n"
    "+86 139 0013 9000,,,\n"
    "12345,registry,,\n"  # line 4: not a valid number
    "13700137000,gossip,,\n"  # line 5: unknown source
    "\n"
    "13600136000,litigator,,2026-13-01\n"  # line 7: bad date
    "13800138000,registry,repeated in the file,\n"
)


def test_csv_import_reports_every_rejected_row_and_reimporting_changes_nothing(api, client):
    url = "/v1/blacklist/import?source=regulator"
    r = client.post(url, data=CSV.encode(), content_type="text/csv", headers=client.operator)
    assert r.status_code == 200, r.json
    report = r.json
    assert report["accepted"] == 2 and report["unchanged"] == 1 and report["rejected"] == 3 and report["rows"] == 6
    assert [(x["line"], x["reason"].split(":")[0]) for x in report["rejects"]] == [(4, "phone"), (5, "source"), (7, "added_at")]
    assert codes(api.check("13900139000")) == ["DNC_REGISTRY"]  # the import's source: regulator
    again = client.post(url, data=CSV.encode(), content_type="text/csv", headers=client.operator).json
    assert again["accepted"] == 0 and again["unchanged"] == 3 and again["rejected"] == 3
    # The same file as a multipart upload, UTF-8 with a BOM.
    from io import BytesIO

    r = client.post(url, data={"file": (BytesIO(b"\xef\xbb\xbf" + CSV.encode()), "list.csv")}, headers=client.operator)
    assert r.status_code == 200 and r.json["accepted"] == 0 and r.json["unchanged"] == 3


def test_an_import_rejects_each_line_of_a_row_spanning_lines_with_its_own_number(client):
    """A phone list's row never spans lines (README, List imports): each physical line is accounted for, rejected with
    its own number and what it holds, so a quoted reason over two lines cannot hide the rows after it."""
    data = ('phone,source,reason\n13800138000,customer_request,"客户来电：\n不要再打了"\n'  # lines 2-3
            '12345,registry,"two\r\nlines"\n'  # lines 4-5
            '13900139000,gossip,x\n')  # line 6
    report = client.post("/v1/blacklist/import", data=data.encode(), content_type="text/csv", headers=client.operator).json
    assert report["accepted"] == 0 and report["rows"] == 5
    assert [(x["line"], x["reason"].split(":")[0]) for x in report["rejects"]] == [
        (2, "a quote opened in this line is not closed on it"), (3, "phone"), (4, "a quote opened in this line is not closed on it"),
        (5, "phone"), (6, "source")]


def test_csv_import_refuses_what_is_not_a_csv_list(client):
    h = client.operator
    assert client.post("/v1/blacklist/import", json={"phone": "1"}, headers=h).status_code == 415
    r = client.post("/v1/blacklist/import", data=b"phone,colour\n138,red\n", content_type="text/csv", headers=h)
    assert r.status_code == 400 and "colour" in r.json["error"]["message"]
    r = client.post("/v1/blacklist/import", data=b"13800138000\n\xff\xfe13900139000\n", content_type="text/csv", headers=h)
    assert r.status_code == 200 and r.json["accepted"] == 1 and r.json["rejects"][0] == {"line": 2, "reason": "not valid UTF-8", "row": "\ufffd\ufffd13900139000",
                                                                             "reason_messages": {"zh-CN": "不是有效的 UTF-8 文本", "zh-TW": "不是有效的 UTF-8 文本", "en": "not valid UTF-8"}}
    r = client.post("/v1/blacklist/import?source=gossip", data=b"13800138000\n", content_type="text/csv", headers=h)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "source"
    from io import BytesIO

    r = client.post("/v1/blacklist/import", data={"other": (BytesIO(b"13800138000\n"), "a.csv")}, headers=h)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "file"


def test_an_unreadable_line_deep_in_an_import_is_one_rejected_row_not_a_400_after_a_partial_commit(api, client):
    """Found in an adversarial review: a 200,000-character field at line 6,002 answered 400 "not readable
    as CSV" after 5,000 rows had been committed and rows 5,001-6,000 dropped."""
    lines = [f"1380{i:07d},registry,list 2026-11" for i in range(6010)]
    lines[6001] = "13999999999,registry," + "x" * 200_000  # line 6,002
    r = client.post("/v1/blacklist/import", data=("\n".join(lines) + "\n").encode(), content_type="text/csv", headers=client.operator)
    assert r.status_code == 200, r.json
    report = r.json
    assert (report["rows"], report["accepted"], report["rejected"]) == (6010, 6009, 1)
    assert report["rejects"][0]["line"] == 6002 and "not readable as CSV" in report["rejects"][0]["reason"]
    for phone in ("13800005000", "13800006000", "13800006002", "13800006009"):  # before and after the bad line, across batches
        assert codes(api.check(phone)) == ["DNC_REGISTRY"], phone


def test_a_removal_reason_of_two_chinese_characters_is_enough_but_not_an_empty_or_one_letter_one(api, client):
    for phone in ("13800138000", "13900139000", "13700137000"):
        client.post("/v1/blacklist", json={"phone": phone, "source": "customer_request"}, headers=client.operator)
    for too_short in ["", "   ", "x", "误", "ok", "n/a", "。。。", "误 。"]:
        r = client.delete("/v1/blacklist/13800138000", json={"reason": too_short}, headers=client.admin)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "reason", (too_short, r.json)
    assert "DNC_OPT_OUT" in codes(api.check("13800138000", dry_run=True))
    for phone, enough in [("13800138000", "误加"), ("13900139000", "dup"), ("13700137000", "誤加")]:
        r = client.delete(f"/v1/blacklist/{phone}", json={"reason": enough}, headers=client.admin)
        assert r.status_code == 200 and r.json["removed"][0]["removal_reason"] == enough, r.json


@pytest.mark.parametrize("source", ["customer_request", "complaint"])
def test_a_persons_own_refusal_cannot_be_given_an_expiry(api, client, source):
    # SPEC §2.1: a customer who refused ("不要再打了") is blocked permanently; 消费者权益保护法第二十九条 (消费者明确表示
    # 拒绝的，不得向其发送商业性信息) sets no end. An expiry would lift it silently, with no admin and no reason on record.
    # Source `complaint` is "a complaint asked to stop calling": the person's own refusal too. 原保监会《人身保险电话销售业务
    # 管理办法》(2013): 对于明确拒绝再次接受电话销售的客户，应录入禁止拨打名单，并设定不少于6个月的禁止拨打时限 (广州日报
    # 2013-05-03, http://finance1.ce.cn/rolling/201305/03/t20130503_234742.shtml). An expiry a month later let the calls resume.
    body = {"phone": "13800138000", "source": source, "expires_at": "2026-12-24T00:00:00+08:00"}
    r = client.post("/v1/blacklist", json=body, headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "expires_at", r.json
    assert source in r.json["error"]["message"]
    assert api.check(dry_run=True)["allowed"]  # nothing was written
    r = client.post("/v1/blacklist/import", data=f"phone,source,reason,added_at,expires_at\n13800138000,{source},不要再打了,2026-11-20,2027-05-20\n"
                    f"13900139000,{source},不要再打了,2026-11-20,\n".encode(), content_type="text/csv", headers=client.operator)
    assert r.status_code == 200 and (r.json["accepted"], r.json["rejected"]) == (1, 1), r.json
    assert r.json["rejects"][0]["line"] == 2 and "expires_at" in r.json["rejects"][0]["reason"]
    first = api.check(dry_run=True)
    assert first["allowed"], first
    assert codes(api.check("13900139000", dry_run=True)) == ["DNC_OPT_OUT"]


def test_a_number_whose_entry_lapsed_is_blocked_again_when_the_same_source_lists_it_again(api, client):
    # A regulator's list of 2025 expired; its list of 2026 names the number again. The lapsed entry held the one live
    # place of its number and source, so the new listing answered 200 with the old entry (active false) and the call
    # was allowed. Now the lapsed entry is closed at its own expiry and the new one blocks, alone or imported.
    old = {"phone": "13500135000", "source": "regulator", "reason": "list 2025", "added_at": "2025-01-01T00:00:00+08:00",
           "expires_at": "2025-12-01T00:00:00+08:00"}
    assert client.post("/v1/blacklist", json=old, headers=client.operator).status_code == 201
    assert api.check("13500135000", dry_run=True)["allowed"]
    r = client.post("/v1/blacklist", json={"phone": "13500135000", "source": "regulator", "reason": "list 2026"},
                    headers=client.operator)
    assert r.status_code == 201 and r.json["active"] and r.json["reason"] == "list 2026", r.json
    assert codes(api.check("13500135000", dry_run=True)) == ["DNC_REGISTRY"]
    history = client.get("/v1/blacklist/13500135000", headers=client.operator).json["history"]
    assert [(h["reason"], h["removed_at"]) for h in history] == [("list 2025", "2025-11-30T16:00:00+00:00")]
    assert history[0]["removal_reason"] == "lapsed at its expiry; listed again"
    old["phone"] = "13400134000"
    assert client.post("/v1/blacklist", json=old, headers=client.operator).status_code == 201
    r = client.post("/v1/blacklist/import", data=b"phone,source,reason\n13400134000,regulator,list 2026\n",
                    content_type="text/csv", headers=client.operator)
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    assert codes(api.check("13400134000", dry_run=True)) == ["DNC_REGISTRY"]


def test_a_lapsed_and_relisted_entrys_removal_reason_is_read_in_chinese_on_the_entry_and_in_the_trail(api, client):
    # The console (zh-CN by default) showed the guard's own English "lapsed at its expiry; listed again" in the entry's
    # history and in the customer's trail, where a reason the guard wrote is shown translated (reason_messages).
    assert client.put("/v1/customers/C777", json={"phones": ["13500135077"]}, headers=client.operator).status_code == 201
    old = {"phone": "13500135077", "source": "regulator", "reason": "list 2025", "added_at": "2025-01-01T00:00:00+08:00",
           "expires_at": "2025-12-01T00:00:00+08:00"}
    assert client.post("/v1/blacklist", json=old, headers=client.operator).status_code == 201
    assert client.post("/v1/blacklist", json={**old, "reason": "list 2026", "added_at": None, "expires_at": None},
                       headers=client.operator).status_code == 201
    lapsed = client.get("/v1/blacklist/13500135077", headers=client.operator).json["history"][0]
    assert lapsed["removal_reason_messages"] == {"zh-CN": "已于到期时失效；再次列入名单", "zh-TW": "已於到期時失效；再次列入名單",
                                                 "en": "lapsed at its expiry; listed again"}, lapsed
    trail = client.get("/v1/customers/C777/overview", headers=client.operator).json["trail"]
    removed = [e["detail"] for e in trail if e["action"] == "blacklist_lapsed"]
    assert [d["reason_messages"]["zh-CN"] for d in removed] == ["已于到期时失效；再次列入名单"], trail


def test_a_single_entrys_day_alone_is_read_as_a_list_imports_row_is_where_the_callee_is(api, client):
    # README, Interpretations, *A day written alone*: a day alone in `added_at` lists from its 00:00, in `expires_at` it is
    # the listing's last day, held to its 24:00 (民法典 第二百零三条: 期间的最后一日的截止时间为二十四时), where the callee is
    # (47 CFR 64.1200(c)(1), "local time at the called party's location"). POST /v1/blacklist refused such a day (400)
    # while the list import took it: the values are those tests/suppression/test_blacklist_import.py asserts for a row.
    def add(**body):
        r = client.post("/v1/blacklist", json={"source": "registry", "added_at": "2026-11-01", "expires_at": "2026-11-24", **body},
                        headers=client.operator)
        assert r.status_code == 201, r.json
        return r.json["added_at"], r.json["expires_at"]

    assert add(phone="13900001111") == ("2026-10-31T16:00:00+00:00", "2026-11-24T16:00:00+00:00")  # Shanghai
    assert add(phone="2135550123", region="US") == ("2026-11-01T07:00:00+00:00", "2026-11-25T08:00:00+00:00")  # Los Angeles
    # A customer: the zone the customer records, else their numbers' (as a consent's day is read), else the pack's.
    api.customer("C-LA", ["+12135550123"])
    api.customer("C-NY", ["+12135550124"], timezone="America/New_York")
    assert add(customer_id="C-LA") == ("2026-11-01T07:00:00+00:00", "2026-11-25T08:00:00+00:00")
    assert add(customer_id="C-NY") == ("2026-11-01T04:00:00+00:00", "2026-11-25T05:00:00+00:00")
    assert add(customer_id="C-NONE") == ("2026-10-31T16:00:00+00:00", "2026-11-24T16:00:00+00:00")
    # Now is 2026-11-23 10:15 in Shanghai: tomorrow's 00:00 is in the future, refused as an import's row is.
    r = client.post("/v1/blacklist", json={"phone": "13900001112", "source": "registry", "added_at": "2026-11-24"},
                    headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "added_at", r.json
    r = client.post("/v1/blacklist", json={"phone": "13900001112", "source": "registry", "expires_at": "2026-13-01"},
                    headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "expires_at", r.json


def test_an_expiry_written_at_24_00_is_the_end_of_that_day(client):
    # ISO 8601:2004 4.2.3 (and ISO 8601-1:2019/Amd 1:2022): 2026-12-31T24:00:00+08:00 is the end of 12-31, the instant
    # 2027-01-01T00:00:00+08:00; it was refused as "must be an ISO 8601 date-time", which it is.
    r = client.post("/v1/blacklist", json={"phone": "13900001113", "source": "registry", "expires_at": "2026-12-31T24:00:00+08:00"},
                    headers=client.operator)
    assert r.status_code == 201 and r.json["expires_at"] == "2026-12-31T16:00:00+00:00", r.json


def test_an_entry_that_lapsed_and_was_listed_again_is_no_removal_and_says_when_it_lapsed(api, client):
    # SPEC §2.1: "Removal only by an admin, with a reason, audited": a removal is someone's act. An entry that simply
    # lapsed at its expiry (closed when the same list named the number again) was listed by GET /v1/blacklist/removals
    # with `removed_at` its expiry and no remover, read by an auditor as a removal nobody made.
    assert client.put("/v1/customers/C778", json={"phones": ["13500135078"]}, headers=client.operator).status_code == 201
    old = {"phone": "13500135078", "source": "regulator", "reason": "list 2025", "added_at": "2025-01-01T00:00:00+08:00",
           "expires_at": "2025-12-01T00:00:00+08:00"}
    assert client.post("/v1/blacklist", json=old, headers=client.operator).status_code == 201
    assert client.post("/v1/blacklist", json={**old, "reason": "list 2026", "added_at": None, "expires_at": None},
                       headers=client.operator).status_code == 201
    for query in ({"phone": "13500135078"}, {}):
        r = client.get("/v1/blacklist/removals", query_string=query, headers=client.operator)
        assert r.status_code == 200 and r.json["removals"] == [], r.json
    (lapsed,) = client.get("/v1/blacklist/13500135078", headers=client.operator).json["history"]
    assert lapsed["lapsed_at"] == "2025-11-30T16:00:00+00:00" and lapsed["removed_by"] is None, lapsed
    trail = client.get("/v1/customers/C778/overview", headers=client.operator).json["trail"]
    assert [(e["at"], e["actor"]) for e in trail if e["action"] == "blacklist_lapsed"] == [("2025-11-30T16:00:00+00:00", None)]
    assert not [e for e in trail if e["action"] == "blacklist_removed"], trail
    # An admin's removal is still one, and an entry live at the removal has no lapse.
    r = client.delete("/v1/blacklist/13500135078", json={"reason": "误加入名单"}, headers=client.admin)
    assert r.status_code == 200, r.json
    (removed,) = client.get("/v1/blacklist/removals", query_string={"phone": "13500135078"}, headers=client.operator).json["removals"]
    assert removed["reason"] == "list 2026" and removed["removed_by"] and removed["lapsed_at"] is None, removed


def test_an_entry_left_to_reach_its_expiry_shows_its_lapse_in_the_customers_trail(api, client):
    # The entry's own view said `lapsed_at`, while the customer's audit trail showed it added and never ending.
    api.customer("C778", ["13500135078"])
    r = client.post("/v1/blacklist", json={"phone": "13500135078", "source": "regulator", "reason": "list 2026",
                                           "expires_at": "2026-11-24T00:00:00+08:00"}, headers=client.operator)
    assert r.status_code == 201, r.json

    def lapses():
        trail = client.get("/v1/customers/C778/overview", headers=client.operator).json["trail"]
        return [(e["at"], e["actor"], e["detail"]["entry_id"]) for e in trail if e["action"] == "blacklist_lapsed"]

    assert lapses() == []
    api.later(days=1)
    assert lapses() == [("2026-11-23T16:00:00+00:00", None, r.json["id"])]

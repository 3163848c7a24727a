"""Consent imports that change a consent the guard holds (same number, customer, source, given_at and text version): a
row may narrow it (withdraw it, end it sooner, drop channels or product types: `updated`, a new version) and the check
follows; it may not widen it (take a withdrawal back, put off an expiry, add channels or products: rejected, saying
why). Rows cut short are rejected; a GBK file is read as GBK without being told. API (both stores) and CLI."""

from __future__ import annotations

import json

from tests.consent.conftest import codes
from tests.consent.test_consents_api import consent_api, consent_reason, why  # noqa: F401 - the fixture is used by name
from tests.e2e.servers import cli

HEADER = ("phone,customer_id,source,given_at,channels,product_types,text_version,consent_text,evidence_ref,expires_at,withdrawn_at,"
          "withdrawn_via\n")
GIVEN = "13800000401,,app,2026-04-01,phone,,v3,同意,APP-401,,,\n"
WITHDRAWN = "13800000401,,app,2026-04-01,phone,,v3,同意,APP-401,,2026-11-01,hotline\n"


def post_csv(client, body: str | bytes, query: str = "", status: int = 200) -> dict:
    data = body.encode() if isinstance(body, str) else body
    r = client.post(f"/v1/consents/import{query}", data=data, content_type="text/csv", headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def counts(report: dict) -> tuple[int, int, int, int, int]:
    return report["accepted"], report["updated"], report["unchanged"], report["rejected"], report["rows"]


def consents_of(client, phone: str) -> list[dict]:
    return client.get(f"/v1/consents?phone={phone}", headers=client.operator).json["consents"]


def test_a_reimport_that_withdraws_a_held_consent_updates_it_and_the_check_denies(api, client):
    assert counts(post_csv(client, HEADER + GIVEN)) == (1, 0, 0, 0, 1)
    assert api.check("13800000401", dry_run=True)["allowed"]
    night2 = post_csv(client, HEADER + WITHDRAWN)
    assert counts(night2) == (0, 1, 0, 0, 1), night2
    d = api.check("13800000401", dry_run=True)
    assert codes(d) == ["CONSENT_MISSING"] and consent_reason(d)["detail"]["why"] == "withdrawn"
    [c] = consents_of(client, "13800000401")
    assert c["status"] == "withdrawn" and c["withdrawn_via"] == "hotline" and c["withdrawn_at"] == "2026-10-31T16:00:00+00:00"
    # 撤回日期 2026-11-01 as the list wrote it (the instant above is that day's 00:00 in Shanghai, an hour nobody recorded)
    assert c["withdrawn_on"] == "2026-11-01", c
    assert "withdrawn on" in consent_reason(d)["messages"]["en"] and "00:00" not in consent_reason(d)["messages"]["en"]
    taken_back = post_csv(client, HEADER + GIVEN)
    assert "the consent was withdrawn on 2026-11-01 via hotline" in taken_back["rejects"][0]["reason"], taken_back
    first, second = c["versions"]
    assert first["withdrawn_at"] is None and first["superseded_at"] == second["recorded_at"], "the first version is kept"
    assert second["recorded_by"] is not None and second["recorded_by"] == first["recorded_by"]
    assert counts(post_csv(client, HEADER + WITHDRAWN)) == (0, 0, 1, 0, 1), "re-importing changes nothing"
    assert len(consents_of(client, "13800000401")[0]["versions"]) == 2


def test_within_one_file_a_later_row_may_withdraw_the_consent_an_earlier_one_gave(api, client):
    report = post_csv(client, HEADER + GIVEN + WITHDRAWN)
    assert counts(report) == (1, 1, 0, 0, 2), report
    [c] = consents_of(client, "13800000401")
    assert c["status"] == "withdrawn" and len(c["versions"]) == 1, "one consent, written once as the file left it"
    assert codes(api.check("13800000401", dry_run=True)) == ["CONSENT_MISSING"]
    # The other order: the later row would take the withdrawal back.
    backwards = post_csv(client, HEADER + WITHDRAWN.replace("401", "402") + GIVEN.replace("401", "402"))
    assert counts(backwards) == (1, 0, 0, 1, 2)
    assert backwards["rejects"][0]["line"] == 3 and "cannot take a withdrawal back" in backwards["rejects"][0]["reason"]
    assert codes(api.check("13800000402", dry_run=True)) == ["CONSENT_MISSING"]


def test_an_older_export_cannot_take_a_withdrawal_back_nor_move_it_later(api, client):
    post_csv(client, HEADER + GIVEN)
    [c] = consents_of(client, "13800000401")
    r = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "hotline", "withdrawn_at": "2026-11-01T00:00:00+08:00"},
                    headers=client.operator)
    assert r.status_code == 200, r.json
    stale = post_csv(client, HEADER + GIVEN)  # last night's export, from before the customer called the hotline
    assert counts(stale) == (0, 0, 0, 1, 1)
    assert stale["rejects"][0]["line"] == 2
    assert "withdrawn at 2026-10-31T16:00:00+00:00 via hotline" in stale["rejects"][0]["reason"]
    later = post_csv(client, HEADER + WITHDRAWN.replace("2026-11-01", "2026-11-10"))
    assert counts(later) == (0, 0, 0, 1, 1) and "move it later" in later["rejects"][0]["reason"]
    other_way = post_csv(client, HEADER + WITHDRAWN.replace("hotline", "app"))
    assert counts(other_way) == (0, 0, 0, 1, 1) and other_way["rejects"][0]["reason"].startswith("withdrawn_via")
    assert codes(api.check("13800000401", dry_run=True)) == ["CONSENT_MISSING"]
    earlier = post_csv(client, HEADER + WITHDRAWN.replace("2026-11-01", "2026-10-01"))
    assert counts(earlier) == (0, 1, 0, 0, 1), "an earlier withdrawal narrows the consent"
    [c] = consents_of(client, "13800000401")
    assert c["withdrawn_at"] == "2026-09-30T16:00:00+00:00" and len(c["versions"]) == 3


def test_an_import_narrows_expiry_channels_and_product_types_and_the_check_follows(consent_api):
    api, client = consent_api, consent_api.c
    night1 = ("13800138000,,app,2026-04-01,phone;sms,,v3,同意,APP-1,,,\n"
              "13900139000,,app,2026-04-01,phone;sms,,v3,同意,APP-2,,,\n"
              "13700137000,,app,2026-04-01,phone,deposit;wealth,v3,同意,APP-3,,,\n")
    assert counts(post_csv(client, HEADER + night1)) == (3, 0, 0, 0, 3)
    for phone in ("13800138000", "13900139000", "13700137000"):
        assert api.check(phone, dry_run=True)["allowed"], phone
    night2 = ("13800138000,,app,2026-04-01,phone;sms,,v3,同意,APP-1,2026-11-01,,\n"
              "13900139000,,app,2026-04-01,sms,,v3,同意,APP-2,,,\n"
              "13700137000,,app,2026-04-01,phone,wealth,v3,同意,APP-3,,,\n")
    assert counts(post_csv(client, HEADER + night2)) == (0, 3, 0, 0, 3)
    assert why(api.check("13800138000", dry_run=True)) == "expired"
    assert why(api.check("13900139000", dry_run=True)) == "out_of_scope"
    assert why(api.check("13700137000", dry_run=True)) == "out_of_scope", "dep-2026q4 sells deposits"
    # Widening back is refused, each row saying why, and nothing changes.
    widened = post_csv(client, HEADER + night1)
    assert counts(widened) == (0, 0, 0, 3, 3)
    assert [x["reason"].split(":")[0] for x in widened["rejects"]] == ["expires_at", "channels", "product_types"]
    assert "not add phone" in widened["rejects"][1]["reason"] and "not add deposit" in widened["rejects"][2]["reason"]
    every_product = post_csv(client, HEADER + "13700137000,,app,2026-04-01,phone,,v3,同意,APP-3,,,\n")
    assert counts(every_product) == (0, 0, 0, 1, 1) and "every product" in every_product["rejects"][0]["reason"]
    assert why(api.check("13900139000", dry_run=True)) == "out_of_scope"
    assert [len(consents_of(client, p)[0]["versions"]) for p in ("13800138000", "13900139000", "13700137000")] == [2, 2, 2]


def test_the_cli_import_updates_a_withdrawn_consent_and_rejects_taking_it_back(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url}
    night1, night2 = tmp_path / "night1.csv", tmp_path / "night2.csv"
    night1.write_text(HEADER + GIVEN, encoding="utf-8")
    night2.write_text(HEADER + WITHDRAWN, encoding="utf-8")
    assert json.loads(cli(env, "consents", "import", str(night1)).stdout)["accepted"] == 1
    result = cli(env, "consents", "import", str(night2))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["updated"], summary["unchanged"]) == (0, 1, 0)
    assert "1 updated" in result.stderr
    again = cli(env, "consents", "import", str(night1))
    assert again.returncode == 1
    assert f"{night1}:2: rejected: withdrawn_at: the consent was withdrawn on 2026-11-01 via hotline" in again.stderr


SHORT = HEADER + "13800000303,,app,2026-04-01,phone\n" + GIVEN + "13800000304,,app,2026-04-01,phone,,,,,,,,\n"


def test_a_row_with_fewer_fields_than_the_header_is_rejected(client):
    report = post_csv(client, SHORT)
    assert counts(report) == (1, 0, 0, 2, 3)
    assert [(x["line"], x["reason"]) for x in report["rejects"]] == [
        (2, "5 fields; the header has 12"), (4, "13 fields; the header has 12")]
    assert consents_of(client, "13800000303") == []


def test_the_cli_rejects_a_row_with_fewer_fields_than_the_header(sqlite_url, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(SHORT, encoding="utf-8")
    result = cli({"DATABASE_URL": sqlite_url}, "consents", "import", str(path))
    assert result.returncode == 1 and f"{path}:2: rejected: 5 fields; the header has 12" in result.stderr
    assert f"{path}:4: rejected: 13 fields; the header has 12" in result.stderr
    assert json.loads(result.stdout)["accepted"] == 1


GBK = (HEADER + "13800000501,,branch_form,2026-04-01,phone,,v3,本人同意贵行通过电话向我介绍理财产品,网点申请表 0401 号,,,\n").encode("gbk")
UNTOLD = "phone,source,given_at,evidence_ref\n13800138000,branch_form,2026-03-01,网点申请表 0301 号\n".encode("gb18030")


def test_a_gbk_file_is_read_as_gbk_without_being_told(client):
    report = post_csv(client, GBK)
    assert counts(report) == (1, 0, 0, 0, 1) and report["encoding"] == "gb18030", report
    [c] = consents_of(client, "13800000501")
    assert c["consent_text"] == "本人同意贵行通过电话向我介绍理财产品" and c["evidence_ref"] == "网点申请表 0401 号"
    named = post_csv(client, GBK, "?encoding=big5")  # a named encoding wins, even a wrong one
    assert named["encoding"] == "big5hkscs" and named["accepted"] == 0


def test_a_file_whose_encoding_cannot_be_told_is_refused_asking_for_it(client):
    refused = post_csv(client, UNTOLD, status=400)  # a few characters: GB18030 and Big5 both read them
    assert "cannot be told" in refused["error"]["message"] and "?encoding=" in refused["error"]["message"]
    assert consents_of(client, "13800138000") == []
    assert post_csv(client, UNTOLD, "?encoding=gbk")["accepted"] == 1


def test_the_cli_tells_a_gbk_file_or_asks_for_its_encoding(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url}
    gbk, untold = tmp_path / "gbk.csv", tmp_path / "untold.csv"
    gbk.write_bytes(GBK)
    untold.write_bytes(UNTOLD)
    result = cli(env, "consents", "import", str(gbk))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["accepted"] == 1 and "read as GB18030 (told from its bytes)" in result.stderr
    result = cli(env, "consents", "import", str(untold))
    assert result.returncode == 1 and "cannot be told" in result.stderr and "--encoding" in result.stderr
    assert json.loads(cli(env, "consents", "import", str(untold), "--encoding", "gbk").stdout)["accepted"] == 1


def test_a_reimport_completes_or_corrects_the_record_and_refuses_other_wording_for_the_same_text_version(client):
    bare = "13800000405,,app,2026-04-01,phone,,v3,,,,,\n"  # an export without the text and the evidence
    assert counts(post_csv(client, HEADER + bare)) == (1, 0, 0, 0, 1)
    full = "13800000405,,app,2026-04-01,phone,,v3,本人同意接收理财产品电话推介,APP-405,,,\n"
    assert counts(post_csv(client, HEADER + full)) == (0, 1, 0, 0, 1), "the record is completed, not left as it was"
    [c] = consents_of(client, "13800000405")
    assert (c["consent_text"], c["evidence_ref"]) == ("本人同意接收理财产品电话推介", "APP-405")
    assert len(c["versions"]) == 2 and c["versions"][0]["evidence_ref"] is None, "the version before is kept"
    corrected = full.replace("APP-405", "APP-405-录音")
    assert counts(post_csv(client, HEADER + corrected)) == (0, 1, 0, 0, 1)
    assert consents_of(client, "13800000405")[0]["evidence_ref"] == "APP-405-录音"
    assert counts(post_csv(client, HEADER + bare)) == (0, 0, 1, 0, 1), "empty cells erase nothing"
    reworded = corrected.replace("本人同意接收理财产品电话推介", "本人同意接收一切营销电话")
    report = post_csv(client, HEADER + reworded)
    assert counts(report) == (0, 0, 0, 1, 1) and report["rejects"][0]["reason"].startswith("consent_text:"), report
    assert consents_of(client, "13800000405")[0]["consent_text"] == "本人同意接收理财产品电话推介"

"""Scripts over HTTP: lint, store, approve; and SCRIPT_NOT_APPROVED at /v1/check until approval."""

from __future__ import annotations

BAD = "您好，我是XX银行理财经理。这款理财保本保息，零 風 險，名额有限今天是最后一天。"
GOOD = ("您好，我是XX银行理财经理，为保障您的权益，本次通话将被录音。这款理财产品风险等级R2，业绩比较基准为年化3.2%，"
        "业绩比较基准不代表未来表现和实际收益。理财非存款、产品有风险、投资须谨慎。")


def test_lint_locates_every_finding_in_the_original_text(client):
    r = client.post("/v1/scripts/lint", json={"text": BAD, "product_type": "wealth"}, headers=client.reviewer)
    assert r.status_code == 200 and r.json["verdict"] == "fail" and r.json["policy"]["pack"] == "cn-bank"
    findings = r.json["findings"]
    located = [f for f in findings if f["end"] > f["start"]]
    assert {f["rule"] for f in located} >= {"guarantee.principal_and_interest", "guarantee.zero_risk"}
    for f in located:
        assert BAD[f["start"]:f["end"]] == f["matched"] and f["line"] == 1 and f["column"] == f["start"] + 1
        assert f["suggestion"] and f["message"]
    assert any(f["matched"] == "零 風 險" for f in located)
    assert any(f["code"] == "MISSING_DISCLOSURE" for f in findings)


def test_a_clean_script_passes_and_deposit_may_say_bao_ben(client):
    r = client.post("/v1/scripts/lint", json={"text": GOOD, "product_type": "wealth"}, headers=client.reviewer)
    assert r.status_code == 200 and r.json["verdict"] == "pass", r.json["findings"]


def test_lint_input_errors_and_roles(client):
    for body, field in [({"text": ""}, "text"), ({"text": "x", "product_type": "stocks"}, "product_type"),
                        ({"text": "x", "pack": "nope"}, "pack"), ({"product_type": "wealth"}, "text")]:
        r = client.post("/v1/scripts/lint", json=body, headers=client.reviewer)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (body, r.json)
    assert client.post("/v1/scripts/lint", json={"text": "x"}, headers=client.dialer).status_code == 403


def test_store_then_approve_lifts_script_not_approved(client):
    def check():
        r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "fund-2026q4", "at": "2026-11-23T10:15:00+08:00",
                                           "dry_run": True}, headers=client.dialer)
        return [x["code"] for x in r.json["reasons"]]

    assert "SCRIPT_NOT_APPROVED" in check()
    bad = client.post("/v1/scripts", json={"campaign": "fund-2026q4", "product_type": "fund", "text": BAD}, headers=client.reviewer)
    assert bad.status_code == 201 and bad.json["version"] == 1 and bad.json["verdict"] == "fail"
    refused = client.post(f"/v1/scripts/{bad.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT"
    assert "SCRIPT_NOT_APPROVED" in check()
    good_text = GOOD.replace("这款理财产品", "这只基金").replace("理财非存款、产品有风险、投资须谨慎", "基金有风险，投资须谨慎")
    good = client.post("/v1/scripts", json={"campaign": "fund-2026q4", "product_type": "fund", "text": good_text}, headers=client.reviewer)
    assert good.status_code == 201 and good.json["version"] == 2 and good.json["verdict"] != "fail", good.json["findings"]
    # Four eyes (cn-bank's script_approval): the key that stored the version cannot approve it.
    own = client.post(f"/v1/scripts/{good.json['id']}/approve", headers=client.reviewer)
    assert own.status_code == 409 and own.json["error"]["code"] == "FOUR_EYES_REQUIRED", own.json
    assert "SCRIPT_NOT_APPROVED" in check()
    ok = client.post(f"/v1/scripts/{good.json['id']}/approve", headers=client.checker)
    assert ok.status_code == 200 and ok.json["approved_at"] and ok.json["approved_by"]
    assert ok.json["created_by"] and ok.json["approved_by"] != ok.json["created_by"]  # both recorded
    assert "SCRIPT_NOT_APPROVED" not in check()
    listed = client.get("/v1/scripts?campaign=fund-2026q4", headers=client.reviewer).json["scripts"]
    assert [(s["version"], s["verdict"] != "fail", bool(s["approved_at"])) for s in listed] == [(1, False, False), (2, True, True)]
    assert client.post("/v1/scripts/nope/approve", headers=client.checker).status_code == 404
    assert client.get(f"/v1/scripts/{good.json['id']}", headers=client.reviewer).json["text"] == good_text


def test_lines_break_at_a_bare_cr_as_at_lf_and_crlf(client):
    for text in ["保本保息\r零风险\r稳赚不赔", "保本保息\n零风险\n稳赚不赔", "保本保息\r\n零风险\r\n稳赚不赔"]:
        r = client.post("/v1/scripts/lint", json={"text": text, "product_type": "wealth"}, headers=client.reviewer)
        located = {f["matched"]: (f["line"], f["column"], f["start"]) for f in r.json["findings"] if f["end"] > f["start"]}
        step = 2 if "\r\n" in text else 1
        assert located == {"保本保息": (1, 1, 0), "零风险": (2, 1, 4 + step), "稳赚不赔": (3, 1, 7 + 2 * step)}, (text, located)
    # A customer's turn ends at its line's end, bare CR or not: the seller's next line is linted, and located.
    text = "客户：这个保本吗？\r这款理财零风险。"
    r = client.post("/v1/scripts/lint", json={"text": text, "product_type": "wealth"}, headers=client.reviewer).json
    assert [(f["matched"], f["line"], f["column"]) for f in r["findings"] if f["end"] > f["start"]] == [("零风险", 2, 5)]
    assert [(text[u["start"]:u["end"]], u["line"], u["column"]) for u in r["unlinted"]] == [("客户：这个保本吗？", 1, 1)]


def test_a_version_stored_under_another_pack_is_approved_only_by_its_campaigns_pack(client):
    """`pack` on POST /v1/scripts names the rules a reviewer wants to read, not the ones approval applies: a
    version stored under a pack without cn-bank's phrases (us-tcpa) must not pass its campaign's (cn-bank) lint,
    nor escape cn-bank's four eyes, at approval."""
    def check():
        r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "fund-2026q4", "at": "2026-11-23T10:15:00+08:00",
                                           "dry_run": True}, headers=client.dialer)
        return [x["code"] for x in r.json["reasons"]]

    stored = client.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": BAD, "pack": "us-tcpa"}, headers=client.reviewer)
    assert stored.status_code == 201 and stored.json["policy"]["pack"] == "us-tcpa"
    # The same key that stored it: four eyes is the campaign's pack's rule (cn-bank), not the pack named.
    own = client.post(f"/v1/scripts/{stored.json['id']}/approve", headers=client.reviewer)
    assert own.status_code == 409 and own.json["error"]["code"] == "FOUR_EYES_REQUIRED", own.json
    # Another reviewer: linted again by cn-bank, the campaign's pack, it fails (保本保息, 零風險).
    other = client.post(f"/v1/scripts/{stored.json['id']}/approve", headers=client.checker)
    assert other.status_code == 409 and other.json["error"]["code"] == "SCRIPT_FAILS_LINT", other.json
    assert "cn-bank" in other.json["error"]["message"]
    assert client.get(f"/v1/scripts/{stored.json['id']}", headers=client.reviewer).json["approved_at"] is None
    assert "SCRIPT_NOT_APPROVED" in check()


BLANKS = [" ", "\u3000\r\n\t ", "。。。……", "\u200b\n", "——！"]


def test_a_blank_script_is_refused_not_linted_stored_or_approved(client, sim_app):
    """A script with no letter or digit (a paste that lost its text, a failed export) linted `warn` for a deposit
    (only the recording notice, a warning, was missing), was stored and approved, and then stood as the campaign's
    approved script: the checks stopped answering SCRIPT_NOT_APPROVED with nothing reviewed. Now 400 naming `text`;
    a blank version stored before cannot be approved (409)."""
    from guard.services.catalog import scripts as service

    put = client.put("/v1/campaigns/dep-scripted", json={"products": ["DEP-001"], "require_approved_script": True},
                     headers=client.operator)
    assert put.status_code in (200, 201), put.json
    for text in BLANKS:
        for path, body in [("/v1/scripts/lint", {"text": text, "product_type": "deposit"}),
                           ("/v1/scripts", {"text": text, "campaign": "dep-scripted"})]:
            r = client.post(path, json=body, headers=client.reviewer)
            assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "text", (path, text, r.json)
            assert "nothing to lint" in r.json["error"]["message"]
    assert client.get("/v1/scripts?campaign=dep-scripted", headers=client.reviewer).json["scripts"] == []
    rt = sim_app.extensions["guard"]
    old = service.store_script(rt.store, rt.packs(), "dep-scripted", None, "\u3000\n", None, rt.clock(), "key:earlier")
    refused = client.post(f"/v1/scripts/{old['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT", refused.json
    assert "nothing to lint" in refused.json["error"]["message"]
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-scripted", "at": "2026-11-23T10:15:00+08:00",
                                       "dry_run": True}, headers=client.dialer)
    assert "SCRIPT_NOT_APPROVED" in [x["code"] for x in r.json["reasons"]]
    # a script in letters alone, without Chinese, is still text to lint
    assert client.post("/v1/scripts/lint", json={"text": "Hello", "product_type": "deposit"}, headers=client.reviewer).status_code == 200
    # A blank version approved before blank scripts were refused: the scheduler's script_review job marks it for review, and
    # after the pack's grace the campaign's checks answer SCRIPT_NOT_APPROVED again.
    from guard.services.catalog.script_review import review_approved
    from guard.store import scripts as script_store

    with rt.store.locked([f"s:{old['id']}"]) as conn:
        script_store.approve(conn, old["id"], rt.clock(), "key:earlier-checker")
    before = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-scripted", "at": "2026-11-23T10:15:00+08:00",
                                            "dry_run": True}, headers=client.dialer)
    assert "SCRIPT_NOT_APPROVED" not in [x["code"] for x in before.json["reasons"]], "the blank approval counted"
    marks = review_approved(rt.store, rt.packs(), rt.clock())["marked"]
    assert [m["script_id"] for m in marks] == [old["id"]], marks
    listed = client.get("/v1/scripts/needs-review?campaign=dep-scripted", headers=client.reviewer)
    assert listed.status_code == 200 and [s["id"] for s in listed.json["scripts"]] == [old["id"]], listed.json
    assert review_approved(rt.store, rt.packs(), rt.clock())["marked"] == [], "marked once"


def test_lint_under_a_pack_without_phrase_rules_says_no_wording_was_judged(client):
    """us-tcpa has no phrase rules: its `pass` on a script full of 保本保息 must not read as clean wording."""
    r = client.post("/v1/scripts/lint", json={"text": BAD, "pack": "us-tcpa"}, headers=client.reviewer)
    assert r.status_code == 200 and r.json["verdict"] == "pass" and r.json["policy"]["pack"] == "us-tcpa"
    (note,) = r.json["notes"]
    assert note["code"] == "NO_PHRASE_RULES" and set(note["messages"]) == {"zh-CN", "zh-TW", "en"}
    cn = client.post("/v1/scripts/lint", json={"text": BAD, "product_type": "wealth"}, headers=client.reviewer)
    assert cn.json["notes"] == []


def test_a_stored_and_approved_us_tcpa_script_says_no_wording_rule_applied(client):
    """A us-tcpa campaign's script is stored and approved with no phrase rule applied: the version and its approval say so,
    as the lint answer does, and a pack reload's re-lint of the approved version lists it."""
    stored = client.post("/v1/scripts", json={"campaign": "us-cc-2026", "text": BAD}, headers=client.reviewer)
    assert stored.status_code == 201 and stored.json["verdict"] == "pass", stored.json
    assert [n["code"] for n in stored.json["notes"]] == ["NO_PHRASE_RULES"] and stored.json["approval_notes"] == []
    got = client.get(f"/v1/scripts/{stored.json['id']}", headers=client.reviewer).json
    assert [n["code"] for n in got["notes"]] == ["NO_PHRASE_RULES"]
    ok = client.post(f"/v1/scripts/{stored.json['id']}/approve", headers=client.checker)
    assert ok.status_code == 200 and [n["code"] for n in ok.json["approval_notes"]] == ["NO_PHRASE_RULES"], ok.json
    assert "us-tcpa" in ok.json["approval_notes"][0]["message"]
    from guard.services.catalog.script_review import review_approved

    rt = client.application.extensions["guard"]
    reviewed = review_approved(rt.store, rt.packs(), rt.clock())
    assert stored.json["id"] in {u["script_id"] for u in reviewed["unvouched"]}
    cn = client.post("/v1/scripts", json={"campaign": "fund-2026q4", "product_type": "fund", "text": BAD}, headers=client.reviewer)
    assert cn.json["notes"] == [] and client.get(f"/v1/scripts/{cn.json['id']}", headers=client.reviewer).json["notes"] == []

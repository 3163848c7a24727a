"""Removing a source's entries for a file of numbers that left an external list (a registry change list's deletions).

The FTC's National Do Not Call Registry is downloaded as full lists and as change lists, "telephone numbers added to
or deleted from the National Registry since the last time your organization downloaded" (FTC, Telemarketer Access
Information, https://webarchive.library.unt.edu/eot2008/20090118211551/http://www.ftc.gov/opa/2003/08/tmkraccessinfo.htm);
the list must be obtained again within 31 days of a call (16 CFR 310.4(b)(3)(iv)). A number deleted from the registry is
callable again only as far as the registry goes: the company's own do-not-call list (a customer's request) still holds.
"""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from tests.suppression.conftest import codes

URL = "/v1/blacklist/removals"
REASON = "FTC change list 2026-11-22: deleted"


def removal(client, body: str, headers=None, **query):
    query = {"source": "registry", "reason": REASON, **query}
    return client.post(URL, query_string=query, data=body.encode(), content_type="text/csv", headers=headers or client.admin)


def imported(client, body: str, source: str = "registry"):
    r = client.post("/v1/blacklist/import", query_string={"source": source}, data=body.encode(), content_type="text/csv",
                    headers=client.operator)
    assert r.status_code == 200 and not r.json["rejected"], r.json


def lookup(client, phone: str) -> dict:
    return client.get(f"/v1/blacklist/{phone}", headers=client.operator).json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_change_list_lifts_the_registry_entries_only_after_a_dry_run_and_never_a_customers_own_refusal(api, client):
    imported(client, "13834000001\n13834000002\n13834000003\n")
    r = client.post("/v1/blacklist", json={"phone": "13834000002", "source": "customer_request", "reason": "不要再打了"},
                    headers=client.operator)
    assert r.status_code == 201, r.json
    body = "phone\n13834000001\n13834000002\n13834000004\nnot a number\n13834000001\n13834000003,regulator\n"

    assert removal(client, body, headers=client.operator).status_code == 403  # removal is an admin's
    dry = removal(client, body, dry_run="true")
    assert dry.status_code == 200, dry.json
    counts = {k: dry.json[k] for k in ("dry_run", "rows", "removed", "not_listed", "still_blocked", "rejected", "list_id")}
    assert counts == {"dry_run": True, "rows": 6, "removed": 2, "not_listed": 2, "still_blocked": 1, "rejected": 2, "list_id": None}
    assert [x["line"] for x in dry.json["rejects"]] == [5, 7]
    assert codes(api.check("13834000001")) == ["DNC_REGISTRY"]  # the dry run wrote nothing

    done = removal(client, body)
    assert done.status_code == 200, done.json
    assert (done.json["removed"], done.json["still_blocked"], done.json["rejected"]) == (2, 1, 2)
    assert api.check("13834000001")["allowed"]
    assert codes(api.check("13834000002")) == ["DNC_OPT_OUT"]  # the customer's own refusal stays
    assert codes(api.check("13834000003")) == ["DNC_REGISTRY"]  # its row was rejected, so its entry stands
    gone = lookup(client, "13834000001")["history"][0]
    assert (gone["removal_reason"], gone["removal_list_id"], gone["source"]) == (REASON, done.json["list_id"], "registry")
    assert gone["removed_by"] and gone["removed_at"]

    again = removal(client, body)  # the same file again changes nothing
    assert (again.json["removed"], again.json["not_listed"]) == (0, 4)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_removal_row_whose_listing_has_not_ended_is_rejected_not_lifted_early(api, client):
    # Now is Monday 2026-11-23 10:15 in Shanghai, Sunday 2026-11-22 16:15 in Honolulu. A last day written alone holds
    # the number to its 24:00 where the callee is (民法典 第二百零三条: 期间的最后一日的截止时间为二十四时; 47 CFR
    # 64.1200(c)(1), "local time at the called party's location"), as an import reads it: a removal that closed it now
    # would let calls through while the list still holds the number.
    imported(client, "13834000001\n13834000002\n13834000003\n+18085550123\n")
    body = ("phone,expires_at\n13834000001,2026-11-23\n13834000002,2026-11-22\n13834000003,soon\n"
            "+18085550123,2026-11-22\n")
    done = removal(client, body)
    assert done.status_code == 200, done.json
    assert (done.json["removed"], done.json["rejected"]) == (1, 3), done.json
    why = {x["line"]: x["reason"] for x in done.json["rejects"]}
    assert why[2].startswith("expires_at: '2026-11-23' has not passed") and "2026-11-24T00:00:00+08:00" in why[2], why
    assert why[4].startswith("expires_at: 'soon' is not")
    assert "2026-11-23T00:00:00-10:00" in why[5], why  # Honolulu's day, not Shanghai's (already over)
    assert codes(api.check("13834000001")) == ["DNC_REGISTRY"]
    assert api.check("13834000002")["allowed"]
    assert codes(api.check("13834000003")) == ["DNC_REGISTRY"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_removal_refuses_an_internal_source_and_a_reason_that_says_nothing(client):
    assert removal(client, "13834000001\n", source="customer_request").status_code == 400
    r = removal(client, "13834000001\n", reason="..")
    assert r.status_code == 400 and "reason" in str(r.json["error"])
    empty = removal(client, "phone\n")  # nothing to remove is refused, not recorded as a list removed
    assert empty.status_code == 400 and "no row" in empty.json["error"]["message"], empty.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_list_removal_is_not_the_registry_list_obtained_again(app, client):
    from guard.services.suppression.blacklist_import import last_registry_imports

    store = app.extensions["guard"].store
    imported(client, "13834000001\n")
    before = last_registry_imports(store)
    app.extensions["guard"].clock.now += __import__("datetime").timedelta(days=1)
    assert removal(client, "13834000001\n").json["removed"] == 1
    assert last_registry_imports(store) == before


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_command_dry_runs_then_removes_and_reports_a_bad_row_with_its_line(app, client, tmp_path):
    from guard.cli.group import guard_group

    imported(client, "13834000001\n13834000002\n")
    path = tmp_path / "deleted.csv"
    path.write_text("13834000001\n12\n13834000002\n")
    runner = CliRunner()
    base = ["blacklist", "remove", str(path), "--source", "registry", "--reason", "change list 2026-11-22"]
    with app.app_context():
        dry = runner.invoke(guard_group, base + ["--dry-run"], obj=None)
        assert dry.exit_code == 1 and '"removed": 2' in dry.stdout and f"{path}:2: rejected" in dry.stderr, dry.output
        assert lookup(client, "13834000001")["blocked"]
        done = runner.invoke(guard_group, base)
    assert done.exit_code == 1 and '"removed": 2' in done.stdout, done.output
    assert lookup(client, "13834000001")["history"][0]["removed_by"].startswith("cli:")


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_a_check_racing_a_removal_sees_each_number_listed_or_lifted_never_between(app, client, clock):
    from io import BytesIO

    from blacklist.removals import remove_csv

    numbers = [f"1383500{i:04d}" for i in range(200)]
    imported(client, "\n".join(numbers) + "\n")
    watched = [numbers[0], numbers[120], numbers[-1]]  # closed by the first, a middle and the last batch
    store = app.extensions["guard"].store
    done = threading.Event()
    seen: dict[str, list[bool]] = {p: [] for p in watched}
    torn: list[dict] = []

    def watch() -> None:
        c = app.test_client()
        while not done.is_set():
            for phone in watched:
                r = c.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "dry_run": True}, headers=client.dialer)
                assert r.status_code == 200, r.json
                assert codes(r.json) in (["DNC_REGISTRY"], []), r.json
                seen[phone].append(codes(r.json) == [])
                for e in c.get(f"/v1/blacklist/{phone}", headers=client.operator).json["history"]:
                    if not (e["removed_at"] and e["removed_by"] and e["removal_reason"] == REASON and e["removal_list_id"]):
                        torn.append(e)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        report = remove_csv(store, BytesIO("\n".join(numbers).encode()), source="registry", reason=REASON, region="CN",
                            now=clock(), key_id="admin-key", dry_run=False, batch_size=50)
    finally:
        done.set()
        watcher.join(30)
    assert (report.removed, report.not_listed, report.rejected) == (200, 0, 0)
    assert torn == []
    for phone, lifted in seen.items():
        assert lifted == sorted(lifted), phone  # listed, then lifted: never listed again once lifted
        assert codes(client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "dry_run": True},
                                 headers=client.dialer).json) == []


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_an_entry_an_admin_removes_alone_during_a_list_removal_keeps_that_admins_who_and_why(app, client, clock, store_url):
    from io import BytesIO

    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from blacklist.removals import remove_csv

    imported(client, "13836000001\n13836000002\n")
    engine = create_engine(store_url, poolclass=NullPool)
    admin = engine.connect()
    try:  # the single removal, open: it holds the entry's row until it commits
        admin.execute(text("UPDATE blacklist_entries SET removed_at = now(), removed_by = 'admin-1', removal_reason = 'dup row' "
                           "WHERE phone_e164 = '+8613836000001' AND removed_at IS NULL"))
        out: list = []
        worker = threading.Thread(target=lambda: out.append(remove_csv(
            app.extensions["guard"].store, BytesIO(b"13836000001\n13836000002\n"), source="registry", reason=REASON,
            region="CN", now=clock(), key_id="admin-2", dry_run=False)))
        worker.start()
        with engine.connect() as probe:  # until the list removal waits on that row
            while worker.is_alive() and not probe.execute(text(
                    "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE blacklist_entries%'")).first():
                probe.commit()
        admin.commit()
        worker.join(30)
    finally:
        admin.close()
        engine.dispose()
    assert out[0].removed == 1 and out[0].not_listed == 1
    first = lookup(client, "13836000001")["history"][0]
    assert (first["removed_by"], first["removal_reason"], first["removal_list_id"]) == ("admin-1", "dup row", None)
    assert lookup(client, "13836000002")["history"][0]["removed_by"] == "admin-2"


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_an_entry_a_list_removal_closes_while_an_admin_removes_it_alone_keeps_the_list_removals_who_and_why(client, store_url):
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    imported(client, "13836000003\n")
    engine = create_engine(store_url, poolclass=NullPool)
    bulk = engine.connect()
    try:  # the list removal's batch, open: it holds the entry's row until it commits
        bulk.execute(text("UPDATE blacklist_entries SET removed_at = now(), removed_by = 'admin-2', removal_reason = :r, "
                          "removal_list_id = 7 WHERE phone_e164 = '+8613836000003' AND removed_at IS NULL"), {"r": REASON})
        out: list = []
        c = client.application.test_client()
        worker = threading.Thread(target=lambda: out.append(c.delete(
            "/v1/blacklist/13836000003", json={"reason": "dup row"}, headers=client.admin)))
        worker.start()
        with engine.connect() as probe:  # until the single removal waits on that row
            while worker.is_alive() and not probe.execute(text(
                    "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE blacklist_entries%'")).first():
                probe.commit()
        bulk.commit()
        worker.join(30)
    finally:
        bulk.close()
        engine.dispose()
    assert out[0].status_code == 404, out[0].json  # nothing left to remove
    entry = lookup(client, "13836000003")["history"][0]
    assert (entry["removed_by"], entry["removal_reason"], entry["removal_list_id"]) == ("admin-2", REASON, 7)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_number_its_customer_keeps_blocked_reads_as_still_blocked_not_as_free(api, client):
    """A number off the registry stays on the company's own do-not-call list when its subscriber asked not to be called
    (47 CFR 64.1200(d)(3)): the answer counts it as still blocked however the check reaches that refusal or mute."""
    from tests.suppression.test_complaint_workflow import file

    api.customer("C-RM1", ["13834000011"])  # blacklisted by customer id
    assert client.post("/v1/blacklist", json={"customer_id": "C-RM1", "source": "manual", "reason": "legal hold"},
                       headers=client.operator).status_code == 201
    api.customer("C-RM2", ["13834000012", "13834000013"])  # refused on another of their numbers
    assert client.post("/v1/blacklist", json={"phone": "13834000013", "source": "customer_request"},
                       headers=client.operator).status_code == 201
    api.customer("C-RM3", ["13834000014"])  # muted after two complaints
    for _ in range(2):
        file(client, customer_id="C-RM3", severity="light", text="营销电话太多")
    imported(client, "13834000011\n13834000012\n13834000014\n13834000015\n")
    body = "13834000011\n13834000012\n13834000014\n13834000015\n"

    dry = removal(client, body, dry_run="true")
    assert (dry.json["removed"], dry.json["still_blocked"]) == (4, 3), dry.json
    done = removal(client, body)
    assert (done.json["removed"], done.json["still_blocked"]) == (4, 3), done.json
    # what the answer says is what the check does
    assert codes(api.check("13834000011")) == ["DNC_OPT_OUT"]
    assert codes(api.check("13834000012")) == ["DNC_OPT_OUT"]
    assert "MUTED" in codes(api.check("13834000014"))
    assert api.check("13834000015")["allowed"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_audit_trail_names_who_lifted_an_entry_why_and_by_which_list_removal(api, client):
    api.customer("C-RM4", ["13834000016"])
    imported(client, "13834000016\n")
    done = removal(client, "13834000016\n")
    for url in ("/v1/customers/C-RM4/overview", "/v1/numbers/+8613834000016/overview"):
        trail = client.get(url, headers=client.operator).json["trail"]
        (lifted,) = [t for t in trail if t["action"] == "blacklist_removed"]
        assert lifted["actor"] and lifted["at"], lifted
        assert {k: lifted["detail"][k] for k in ("phone_e164", "source", "reason", "list_id", "still_blocked")} == {
            "phone_e164": "+8613834000016", "source": "registry", "reason": REASON, "list_id": done.json["list_id"],
            "still_blocked": False}


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_number_removed_alone_while_its_customer_stays_blacklisted_is_answered_as_still_blocked(api, client):
    api.customer("C-RM5", ["13834000017"])
    for body in ({"customer_id": "C-RM5", "source": "customer_request"}, {"phone": "13834000017", "source": "manual"},
                 {"phone": "13834000018", "source": "manual"}):
        assert client.post("/v1/blacklist", json=body, headers=client.operator).status_code == 201
    kept = client.delete("/v1/blacklist/13834000017", json={"reason": "added by mistake"}, headers=client.admin)
    assert kept.status_code == 200 and kept.json["still_blocked"] is True, kept.json
    assert codes(api.check("13834000017")) == ["DNC_OPT_OUT"]
    freed = client.delete("/v1/blacklist/13834000018", json={"reason": "added by mistake"}, headers=client.admin)
    assert freed.status_code == 200 and freed.json["still_blocked"] is False, freed.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_removal_given_an_extension_is_refused_as_it_would_unblock_every_extension_of_the_line(api, client):
    # An entry is the line's (a check reads 010-65521234 转 8001 as +861065521234), so removing it "for an extension"
    # would let calls through to all of them.
    imported(client, "010-65521234\n010-65521235\n")
    done = removal(client, "phone\n010-65521234 转 8001\n010-65521235\n")
    assert (done.json["removed"], done.json["rejected"]) == (1, 1) and done.json["rejects"][0]["line"] == 2, done.json
    assert "extension 8001 of the line +861065521234" in done.json["rejects"][0]["reason"]
    assert codes(api.check("010-65521234 x9", dry_run=True)) == ["DNC_REGISTRY"]
    r = client.delete("/v1/blacklist/010-65521234-8001", json={"reason": "entered by mistake"}, headers=client.admin)
    assert r.status_code == 400 and "extension 8001 of the line +861065521234" in r.json["error"]["message"], r.json
    assert lookup(client, "010-65521234")["blocked"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_an_auditor_reads_back_who_removed_a_number_when_why_and_whether_it_stayed_blocked(api, app, client):
    """SPEC §2.1: removal only by an admin, with a reason, audited; an audit trail is only one if it can be read back (an
    auditor asks for a number's removals, a list removal's, page by page)."""
    from tests.conftest import new_key

    api.customer("C-RM6", ["13834000021"])
    for body in ({"customer_id": "C-RM6", "source": "customer_request"}, {"phone": "13834000021", "source": "manual"},
                 {"phone": "13834000022", "source": "manual"}):
        assert client.post("/v1/blacklist", json=body, headers=client.operator).status_code == 201
    client.delete("/v1/blacklist/13834000021", json={"reason": "added by mistake"}, headers=client.admin)
    api.later(minutes=1)
    client.delete("/v1/blacklist/13834000022", json={"reason": "误加号码"}, headers=client.admin)
    imported(client, "13834000023\n13834000021\n")
    api.later(minutes=1)
    listed = removal(client, "13834000023\n13834000021\n")
    auditor = new_key(app, "auditor")

    def read(**query):
        r = client.get(URL, query_string=query, headers=auditor)
        assert r.status_code == 200, r.json
        return r.json

    one = read(phone="13834000021")["removals"]  # newest first: the list removal, then the admin's own
    assert [(e["source"], e["removal_list_id"], e["removal_still_blocked"]) for e in one] == [
        ("registry", listed.json["list_id"], True), ("manual", None, True)]
    assert one[1]["removal_reason"] == "added by mistake" and one[1]["removed_by"] and one[1]["removed_at"]
    freed = read(phone="+8613834000022")["removals"]
    assert [(e["removal_reason"], e["removal_still_blocked"]) for e in freed] == [("误加号码", False)]
    by_list = read(list_id=listed.json["list_id"])["removals"]
    assert sorted(e["phone_e164"] for e in by_list) == ["+8613834000021", "+8613834000023"]
    assert {e["phone_e164"]: e["removal_still_blocked"] for e in by_list} == {"+8613834000021": True, "+8613834000023": False}

    pages, after = [], None  # two at a time, each removal once, newest first
    while True:
        page = read(limit=2, **({"after": after} if after else {}))
        pages += [e["id"] for e in page["removals"]]
        if not (after := page["next"]):
            break
    assert len(pages) == len(set(pages)) == 4
    bad = client.get(URL, query_string={"after": "nonsense"}, headers=auditor)
    assert bad.status_code == 400 and "after" in str(bad.json["error"]["details"]), bad.json
    both = client.get(URL, query_string={"phone": "13800138000", "customer_id": "C1"}, headers=auditor)
    assert both.status_code == 400 and "at most one" in both.json["error"]["message"], both.json  # neither: every one
    assert client.get(URL, headers=client.dialer).status_code == 403

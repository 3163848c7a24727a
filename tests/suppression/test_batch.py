"""POST /v1/check/batch: list scrubbing, in input order, set-based, recording nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from guard.services.calls import scrub as scrub_service
from guard.store import models as m
from tests.suppression.conftest import codes


def scrub(client, phones, status=200, **extra):
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": phones, **extra}, headers=client.dialer)
    assert r.status_code == status, r.json
    return r.json


def test_each_number_gets_the_answer_its_own_check_would_get_in_input_order(api, client, app):
    api.customer("C1", ["13800138000", "13900139000"])
    client.post("/v1/blacklist", json={"customer_id": "C1", "source": "customer_request"}, headers=client.operator)
    client.post("/v1/blacklist", json={"phone": "13500135000", "source": "registry"}, headers=client.operator)
    called = api.check("13600136000")
    assert called["allowed"]
    deferred = api.check("13300133000")
    api.outcome(deferred["decision_id"], "callback", callback_at="2026-11-30T10:00:00+08:00")
    phones = ["13900139000", "not a number", "13500135000", "13600136000", "137 0013 7000", "13300133000", "13900139000", "+1 212 555 0100"]
    decisions_before = _count(app, m.Decision)
    attempts_before = _count(app, m.Attempt)
    out = scrub(client, phones)
    assert [r["phone"] for r in out["results"]] == phones and out["count"] == len(phones)
    got = [codes(r) for r in out["results"]]
    assert got[0] == ["DNC_OPT_OUT"] and got[6] == got[0]
    assert got[1] == ["INVALID_NUMBER"] and out["results"][1]["phone_e164"] is None
    assert got[2] == ["DNC_REGISTRY"]
    assert got[3] == ["FREQ_CAP"]
    assert got[4] == [] and out["results"][4]["allowed"] and out["results"][4]["phone_e164"] == "+8613700137000"
    assert "CALLBACK_DEFERRED" in got[5]
    assert out["policy"]["pack"] == "cn-bank"
    # Every answer equals the one-number dry-run check at the same instant.
    for phone, result in zip(phones, out["results"]):
        single = api.check(phone, dry_run=True)
        assert (single["allowed"], codes(single), single["next_allowed_at"]) == (result["allowed"], codes(result), result["next_allowed_at"])
    # The scrub recorded nothing (the dry-run checks above each logged their decision, nothing more).
    assert _count(app, m.Attempt) == attempts_before
    assert _count(app, m.Decision) == decisions_before + len(phones)


def _count(app, model) -> int:
    store = app.extensions["guard"].store
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def test_a_blank_entry_is_that_numbers_invalid_number_not_the_lists_400(client):
    phones = ["13700137000", "", "13600136000", " ", "\u3000"]
    out = scrub(client, phones)
    assert [r["phone"] for r in out["results"]] == phones
    assert [codes(r) for r in out["results"]] == [[], ["INVALID_NUMBER"], [], ["INVALID_NUMBER"], ["INVALID_NUMBER"]]
    blank, space = out["results"][1], out["results"][3]
    assert blank["phone_e164"] is None and not blank["allowed"] and blank["next_allowed_at"] is None
    assert blank["reasons"][0]["detail"]["why"] == space["reasons"][0]["detail"]["why"]


def test_at_judges_the_list_at_another_instant(client):
    night = scrub(client, ["13700137000"], at="2026-11-23T23:00:00+08:00")["results"][0]
    assert codes(night) == ["QUIET_HOURS"] and night["next_allowed_at"] == "2026-11-24T09:00:00+08:00"


def test_large_lists_are_parsed_in_worker_processes_with_the_same_results():
    raws = [f"138{i:08d}" for i in range(scrub_service.PARALLEL_FROM + 10)] + ["bogus", "13800000001"]
    parsed = scrub_service.parse_many(raws, "CN")
    assert len(parsed) == len(raws) - 1  # the repeated string is parsed once
    assert parsed["13800000001"].e164 == "+8613800000001" and parsed["13800000001"].time_zones == ("Asia/Shanghai",)
    assert not parsed["bogus"].valid and parsed["bogus"].why


def test_the_parsing_workers_yield_the_cores_to_the_checks():
    """Numbers the fast path does not take (here US numbers) go to the worker processes, which run at a
    lower CPU priority than the server's threads, so a large scrub leaves the cores to the checks."""
    import os

    raws = [f"+1 212 {200 + i // 10000:03d} {i % 10000:04d}" for i in range(scrub_service.PARALLEL_FROM + 10)]
    parsed = scrub_service.parse_many(raws, "CN")
    assert len(parsed) == len(raws) and parsed[raws[0]].valid and parsed[raws[0]].region == "US"
    workers = list(scrub_service._workers()._processes)
    assert workers
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {min(19, mine + scrub_service.PARSER_NICE)}


def test_batch_input_errors(client):
    for body, field in [
        ({"campaign": "dep-2026q4", "phones": []}, "phones"),
        ({"campaign": "dep-2026q4", "phones": "13800138000"}, "phones"),
        ({"campaign": "dep-2026q4", "phones": [138]}, "phones[0]"),
        ({"campaign": "dep-2026q4", "phones": ["13800138000", None]}, "phones[1]"),
        ({"campaign": "dep-2026q4", "phones": ["13800138000", "1" * 65]}, "phones[1]"),
        ({"phones": ["13800138000"]}, "campaign"),
        ({"campaign": "dep-2026q4", "phones": ["1"] * 100_001}, "phones"),
        ({"campaign": "dep-2026q4", "phones": ["13800138000"], "region": "XX"}, "region"),
    ]:
        r = client.post("/v1/check/batch", json=body, headers=client.dialer)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (field, r.json["error"])
    assert client.post("/v1/check/batch", json={"campaign": "x", "phones": ["1"]}, headers=client.operator).status_code == 403


def test_the_collector_is_off_while_any_scrub_runs_and_back_as_it_was_after_the_last():
    """Scrubs pause Python's cyclic collector (a fifth of a large scrub's time went to it); with scrubs
    overlapping in two threads it stays off until the last ends, and a collector that was off stays off."""
    import gc
    import threading

    assert gc.isenabled()
    first_in, second_out = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other():
        with scrub_service.collector_paused():
            first_in.set()
            second_out.wait(5)
            seen.append(gc.isenabled())

    t = threading.Thread(target=other)
    t.start()
    first_in.wait(5)
    with scrub_service.collector_paused():
        seen.append(gc.isenabled())
    seen.append(gc.isenabled())  # the other thread's scrub still runs
    second_out.set()
    t.join(5)
    assert seen == [False, False, False] and gc.isenabled()
    gc.disable()
    try:
        with scrub_service.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_scrub_over_http_leaves_the_collector_on_even_when_it_fails(client):
    import gc

    scrub(client, ["13700137000"] * 3)
    assert gc.isenabled()
    # an instant no pack covers: the scrub raises inside (422)
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["13700137000"], "at": "1990-01-01T10:00:00+08:00"},
                    headers=client.dialer)
    assert r.status_code == 422, r.json
    assert gc.isenabled()


def test_an_entry_repeating_an_earlier_number_says_which_entry_it_repeats(client):
    # CRM exports list a number once per account or product held: the same line written three ways must not read as
    # three separate callable numbers (each alone is allowed, and the caps let one call through a day).
    phones = ["13700137000", "+86 137-0013-7000", "13600136000", "", " ", "'13700137000", "13600136000", "bogus", "bogus"]
    out = scrub(client, phones)
    assert [r["phone"] for r in out["results"]] == phones and out["count"] == len(phones)
    assert [r["duplicate_of"] for r in out["results"]] == [None, 0, None, None, None, 0, 2, None, None]
    assert out["duplicates"] == 3
    assert all(r["allowed"] for r in out["results"][:3])  # each entry keeps its own answer


def test_a_list_judged_chunk_by_chunk_sees_one_store_even_when_an_entry_is_written_between_chunks(app, client, clock):
    """Every number of a list is judged at one instant against one view of the store (one snapshot: REPEATABLE READ on
    PostgreSQL), however many chunks it is judged in: a blacklist entry written while the list is judged counts for none
    of its numbers, not for those of the chunks judged after it."""
    guard = app.extensions["guard"].guard
    phones = ["13700137000", "13600136000", "13500135000"]
    judged: list = []

    def each(results, _pack):
        if not judged:  # after the first chunk: an operator blacklists a number of the next one
            r = client.post("/v1/blacklist", json={"phone": "13600136000", "source": "customer_request"}, headers=client.operator)
            assert r.status_code in (200, 201), r.json
        judged.extend(results)

    scrub_service.check_chunks(guard, "dep-2026q4", phones, clock.now, None, None, each, per_chunk=1)
    assert [(raw, d.allowed) for raw, _, d, _ in judged] == [(p, True) for p in phones]
    assert not scrub(client, ["13600136000"])["results"][0]["allowed"]  # the entry holds for the list judged after it

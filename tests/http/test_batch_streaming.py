"""POST /v1/check/batch sends its answer in pieces: the same bytes as the answer built whole, every decision made before
the first byte, nothing recorded."""

from __future__ import annotations

import json
import sqlite3

from app import create_app
from guard.services.calls import scrub
from guard.services.ops.keys import create_key

MON = "2026-11-23T10:15:00+08:00"
# allowed, blacklisted (denied), invalid, the first again (another way of writing it), the blacklisted one again,
# a line with an extension
PHONES = ["13800138000", "13900139000", "12345", "138 0013 8000", "13900139000", "010-12345678转123", "not a number"]


def _app(sqlite_url: str, **extra: str):
    return create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING",
                       "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_ALLOW_CLIENT_TIME": "1", **extra})


def _count(sqlite_url: str, table: str) -> int:
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_mixed_batch_sent_in_pieces_is_the_answer_built_whole_byte_for_byte_and_records_nothing(sqlite_url, monkeypatch, capsys):
    app = _app(sqlite_url, GUARD_LOG_LEVEL="INFO", GUARD_LOG_FORMAT="json")
    rt = app.extensions["guard"]
    try:
        h = {"Authorization": f"Bearer {create_key(rt.store, ['dialer', 'operator'], rt.clock())}"}
        c = app.test_client()
        assert c.post("/v1/blacklist", json={"phone": "13900139000", "source": "customer_request", "reason": "不要再打了"},
                      headers=h).status_code in (200, 201)
        recorded = [_count(sqlite_url, t) for t in ("decisions", "attempts", "access_events")]
        body = {"campaign": "dep-2026q4", "phones": PHONES, "at": MON}
        monkeypatch.setattr(scrub, "ROWS_PER_PIECE", 2)  # four pieces: a row's comma and the closing bytes cross them
        capsys.readouterr()
        r = c.post("/v1/check/batch", json=body, headers=h)
        log = capsys.readouterr().err
        assert r.status_code == 200 and r.mimetype == "application/json" and "Content-Length" not in r.headers  # sent in pieces
        streamed = r.get_data()
        monkeypatch.setattr(scrub, "ROWS_PER_PIECE", 10**6)  # one piece: the answer as it was built whole
        whole = c.post("/v1/check/batch", json=body, headers=h).get_data()
        results, pack = scrub.check_list(rt.guard, "dep-2026q4", PHONES, scrub.datetime.fromisoformat(MON), None, None)
        assert streamed == whole == scrub.encode(results, pack, scrub.datetime.fromisoformat(MON))
        # Judged two numbers at a time (each chunk's facts and decisions dropped once its rows are rendered): the same
        # bytes; "138 0013 8000" (entry 3) and the second "13900139000" (entry 4) name entries judged in earlier chunks.
        monkeypatch.setattr(scrub, "JUDGED_PER_CHUNK", 2)
        assert c.post("/v1/check/batch", json=body, headers=h).get_data() == whole
        answer = json.loads(streamed)
        rows = answer["results"]
        assert [x["phone"] for x in rows] == PHONES  # input order (SPEC §3.2)
        assert [x["allowed"] for x in rows] == [True, False, False, True, False, True, False]
        assert [x["reasons"][0]["code"] for x in rows if not x["allowed"]] == ["DNC_OPT_OUT", "INVALID_NUMBER", "DNC_OPT_OUT",
                                                                                "INVALID_NUMBER"]
        assert [x["duplicate_of"] for x in rows] == [None, None, None, 0, 1, None, None]
        assert rows[5]["phone_extension"] == "123" and answer["count"] == 7 and answer["duplicates"] == 2
        assert answer["evaluated_at"] == MON and answer["policy"]["pack"] == "cn-bank"
        # A dry run: no decision and no attempt recorded; the request logged once, as any other.
        assert [_count(sqlite_url, t) for t in ("decisions", "attempts", "access_events")] == recorded
        logged = [json.loads(line) for line in log.splitlines() if line.strip().startswith("{")]
        batch = [x for x in logged if x.get("route") == "/v1/check/batch"]
        assert len(batch) == 1 and batch[0]["status"] == 200 and "decision_id" not in batch[0]
    finally:
        rt.store.dispose()


def test_a_store_failure_during_a_batch_is_a_503_before_any_byte_not_a_cut_list(sqlite_url):
    """The store fails while the list's facts are read: the answer is the fail-closed error (SPEC §3: 503, do not
    dial), whole, not the head of a result list cut off when the failure came."""
    app = _app(sqlite_url)
    rt = app.extensions["guard"]
    try:
        h = {"Authorization": f"Bearer {create_key(rt.store, ['dialer'], rt.clock())}"}
        c = app.test_client()
        body = {"campaign": "dep-2026q4", "phones": PHONES, "at": MON}
        assert c.post("/v1/check/batch", json=body, headers=h).status_code == 200  # the key is now cached
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
            db.execute("DROP TABLE blacklist_entries")  # a read the scrub makes fails: the store is not usable
        r = c.post("/v1/check/batch", json=body, headers=h)
        assert r.status_code == 503, r.get_data()[:200]
        assert r.json["error"]["code"] == "STORE_UNAVAILABLE" and r.headers["Retry-After"]
    finally:
        rt.store.dispose()

"""The decision log's hash chain: sealed by the scheduler's job, verified link by link.

Tampering is done here the way an attacker with database access would: raw SQL (on PostgreSQL
the append-only trigger has to be switched off first, as a table owner could).
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError

from guard.store.chain import seal, seal_in_steps, verify
from guard.store.db import Store
from guard.services.ops.jobs import run_job
from tests.e2e.servers import cli
from tests.suppression.conftest import api, app, client, clock  # noqa: F401 - fixtures


def _store(app):
    return app.extensions["guard"].store


def _seal(app) -> dict:
    rt = app.extensions["guard"]
    return run_job(rt.store, "decision_chain", rt.clock)


APPEND_ONLY = ("decisions", "decision_chain", "outcomes", "unmatched_outcomes", "outcome_chain")


def _tamper(store_url: str, *statements: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        if pg:
            for table in APPEND_ONLY:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        for sql in statements:
            conn.execute(text(sql))
        if pg:
            for table in APPEND_ONLY:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))
    engine.dispose()


def _decisions(api, n: int) -> list[str]:
    ids = []
    for i in range(n):
        ids.append(api.check(f"1380013{i:04d}")["decision_id"])
        api.later(seconds=30)
    return ids


def test_an_untouched_log_verifies_and_the_chain_only_grows(app, api):
    ids = _decisions(api, 5)
    report = verify(_store(app))
    assert report["ok"] and report["links"] == 0 and report["pending"] == 5
    first = _seal(app)
    assert first["sealed"] == 5 and first["head"]["seq"] == 5
    assert _seal(app)["sealed"] == 0  # nothing new: idempotent
    report = verify(_store(app))
    assert report["ok"] and report["links"] == 5 and report["pending"] == 0 and report["head"] == first["head"]
    ids += _decisions(api, 3)
    assert _seal(app)["sealed"] == 3
    report = verify(_store(app), expect_head=first["head"]["hash"])
    assert report["ok"] and report["links"] == 8 and report["expected_head_found"] is True


def test_an_edited_decision_is_found(app, api, store_url):
    ids = _decisions(api, 4)
    _seal(app)
    _tamper(store_url, f"UPDATE decisions SET allowed = NOT allowed WHERE id = '{ids[2]}'")
    report = verify(_store(app))
    assert not report["ok"] and report["counts"]["altered"] == 1
    assert [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("altered", ids[2])]


def test_a_deleted_decision_is_found(app, api, store_url):
    ids = _decisions(api, 4)
    _seal(app)
    _tamper(store_url, f"DELETE FROM decisions WHERE id = '{ids[0]}'")
    report = verify(_store(app))
    assert not report["ok"] and [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("missing", ids[0])]


def test_a_removed_link_breaks_the_chain(app, api, store_url):
    ids = _decisions(api, 4)
    _seal(app)
    _tamper(store_url, f"DELETE FROM decision_chain WHERE decision_id = '{ids[1]}'", f"DELETE FROM decisions WHERE id = '{ids[1]}'")
    report = verify(_store(app))
    assert not report["ok"] and report["counts"]["broken"] == 1


def test_a_chain_rewritten_after_an_edit_is_caught_by_the_recorded_head(app, api, store_url):
    ids = _decisions(api, 4)
    head = _seal(app)["head"]["hash"]
    _tamper(store_url, f"UPDATE decisions SET allowed = NOT allowed WHERE id = '{ids[3]}'", "DELETE FROM decision_chain")
    _seal(app)  # the attacker re-seals everything: the chain is consistent again...
    assert verify(_store(app))["ok"]
    report = verify(_store(app), expect_head=head)  # ...but the head recorded before is gone
    assert not report["ok"] and report["problems"][0] == {"problem": "head_not_found", "expected": head}


def test_a_decision_slipped_in_with_an_old_time_stays_unsealed_and_is_reported(app, api, clock, store_url):
    ids = _decisions(api, 2)
    api.later(hours=2)
    _decisions(api, 1)
    _seal(app)
    backdated = (clock.now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    if "postgresql" in store_url:
        backdated += "+00"
    _tamper(store_url, "INSERT INTO decisions SELECT 'forged-1', '%s', at, phone_input, phone_e164, customer_id, campaign, product, "
                       "agent_id, allowed, dry_run, reasons, next_allowed_at, pack_id, pack_version, pack_hash, key_id, request, facts, "
                       "schema_version FROM decisions WHERE id = '%s'" % (backdated, ids[0]))
    _seal(app)  # the sealer does not look that far back
    report = verify(_store(app))
    assert not report["ok"] and [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("unsealed", "forged-1")]


def test_the_cli_verifies_and_exits_1_on_tampering(app, api, store_url):
    ids = _decisions(api, 3)
    env = {"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0"}
    sealed = cli(env, "decisions", "seal")
    assert sealed.returncode == 0 and '"sealed": 3' in sealed.stdout
    ok = cli(env, "decisions", "verify")
    assert ok.returncode == 0 and '"ok": true' in ok.stdout
    _tamper(store_url, f"UPDATE decisions SET campaign = 'other' WHERE id = '{ids[1]}'")
    bad = cli(env, "decisions", "verify")
    assert bad.returncode == 1 and ids[1] in bad.stdout and "NOT intact" in bad.stderr


def _links_per_commit(store, work) -> list[int]:
    """How many links each committed transaction appended to either chain while `work` ran."""
    per_commit, current = [], [0]

    def counted(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT INTO DECISION_CHAIN", "INSERT INTO OUTCOME_CHAIN")):
            current[0] += len(parameters) if executemany else 1

    def committed(conn):
        if current[0]:
            per_commit.append(current[0])
        current[0] = 0

    event.listen(store.engine, "before_cursor_execute", counted)
    event.listen(store.engine, "commit", committed)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", counted)
        event.remove(store.engine, "commit", committed)
    return per_commit


def test_the_sealer_commits_a_step_at_a_time_and_the_chain_verifies(app, api, clock):
    """On SQLite a check's decision waits for the one write lock: a run sealing its 20,000 decisions in one transaction
    held it 1.6 s (GUARD_SQLITE_WRITE_WAIT is 2 s, then 503). The job appends SEAL_STEP links a transaction instead,
    hashing outside the lock; the chain is the same, verified intact, every decision and outcome chained once."""
    ids = _decisions(api, 7)
    api.outcome(ids[0], "answered")
    api.outcome(ids[1], "busy")
    store = _store(app)
    done = {}
    assert _links_per_commit(store, lambda: done.update(seal_in_steps(store, clock.now, step=3))) == [3, 3, 1, 2]
    assert (done["sealed"], done["head"]["seq"], done["more"], done["outcomes"]["sealed"]) == (7, 7, False, 2)
    report = verify(_store(app))
    assert report["ok"] and report["links"] == 7 and report["pending"] == 0 and report["head"] == done["head"]
    assert report["outcomes"]["links"] == 2 and report["outcomes"]["head"] == done["outcomes"]["head"]
    ids += _decisions(api, 2)
    assert _links_per_commit(store, lambda: _seal(app)) == [2]  # the job, SEAL_STEP (500) a transaction
    assert verify(_store(app), expect_head=done["head"]["hash"])["ok"]


def test_a_step_hashed_after_a_head_another_sealer_moved_is_read_again(app, api, clock, store_url):
    """Two schedulers (SQLite takes no job lock): the step read before the other's links were appended is not
    appended after them, it is read and hashed again; every decision is chained once and the chain verifies."""
    if "postgresql" not in store_url:
        pytest.skip("SQLite: the other sealer cannot write while this one holds the write lock; PostgreSQL shows the interleaving")
    _decisions(api, 5)
    store, other = _store(app), Store(store_url)
    calls = []

    def lock(conn) -> bool:  # between this step's read and its append, another sealer appends the same decisions
        if not calls:
            with other.write() as elsewhere:
                seal(elsewhere, clock.now)
        calls.append(1)
        return True

    try:
        done = seal_in_steps(store, clock.now, lock, step=10)
    finally:
        other.dispose()
    assert done["sealed"] == 0 and done["head"]["seq"] == 5 and len(calls) == 1
    report = verify(store)
    assert report["ok"] and report["links"] == 5 and report["pending"] == 0


# --- the outcomes' chain -----------------------------------------------------------------------
# An outcome on a denied decision is what proves a call was made despite the deny (the decision-log
# audit's CALLED_DESPITE_DENY); a report with no real decision proves a dial without one. Deleting
# either must show, as deleting a decision does.

def _called_despite_a_deny(api) -> tuple[str, str]:
    allowed = api.check(agent_id="A1")
    api.outcome(allowed["decision_id"], "answered")
    api.later(minutes=5)
    denied = api.check(agent_id="A1")  # the same number again at once: the daily cap or the gap denies it
    assert not denied["allowed"]
    api.outcome(denied["decision_id"], "answered")
    return allowed["decision_id"], denied["decision_id"]


def test_outcomes_are_sealed_and_a_deleted_outcome_is_found(app, api, store_url):
    allowed, denied = _called_despite_a_deny(api)
    api.outcome("no-such-decision", "busy", status=404)  # refused, but kept as a dial with no decision
    sealed = _seal(app)
    assert sealed["outcomes"]["sealed"] == 3 and sealed["outcomes"]["head"]["seq"] == 3
    assert _seal(app)["outcomes"]["sealed"] == 0
    report = verify(_store(app))
    assert report["ok"] and report["outcomes"]["links"] == 3 and report["outcomes"]["pending"] == 0
    _tamper(store_url, f"DELETE FROM outcomes WHERE decision_id = '{denied}'")
    report = verify(_store(app))
    assert not report["ok"] and report["counts"] == dict.fromkeys(report["counts"], 0)
    assert report["outcomes"]["counts"]["missing"] == 1
    assert [(p["problem"], p["chain"], p["decision_id"]) for p in report["problems"]] == [("missing", "outcomes", denied)]


def test_an_edited_outcome_and_a_deleted_report_without_a_decision_are_found(app, api, store_url):
    allowed, denied = _called_despite_a_deny(api)
    api.outcome("no-such-decision", "busy", status=404)
    _seal(app)
    _tamper(store_url, f"UPDATE outcomes SET disposition = 'no_answer' WHERE decision_id = '{allowed}'",
            "DELETE FROM unmatched_outcomes")
    report = verify(_store(app))
    assert not report["ok"] and report["outcomes"]["counts"] == {"altered": 1, "missing": 1, "broken": 0, "unsealed": 0}
    assert {p["problem"]: p.get("decision_id", p.get("unmatched_id")) for p in report["problems"]} == {"altered": allowed, "missing": 1}


def test_an_outcome_slipped_in_with_an_old_time_stays_unsealed(app, api, clock, store_url):
    allowed, denied = _called_despite_a_deny(api)
    api.later(hours=2)
    api.outcome(api.check("13900139000")["decision_id"], "busy")
    _seal(app)
    old = (clock.now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S") + ("+00" if store_url.startswith("postgresql") else "")
    _tamper(store_url, "INSERT INTO unmatched_outcomes (decision_id, why, disposition, phone_e164, reported_at, key_id, body) "
                       f"VALUES ('forged', 'unknown_decision', 'answered', NULL, '{old}', NULL, '{{}}')")
    report = verify(_store(app))
    assert not report["ok"] and report["outcomes"]["counts"]["unsealed"] == 1
    assert report["problems"][0]["problem"] == "unsealed" and report["problems"][0]["chain"] == "outcomes"


def test_the_outcomes_head_recorded_before_catches_a_rewritten_chain(app, api, store_url):
    allowed, denied = _called_despite_a_deny(api)
    sealed = _seal(app)
    heads = [sealed["head"]["hash"], sealed["outcomes"]["head"]["hash"]]
    assert verify(_store(app), expect_head=heads)["ok"]
    _tamper(store_url, f"DELETE FROM outcomes WHERE decision_id = '{denied}'", "DELETE FROM outcome_chain")
    _seal(app)  # the outcomes re-sealed without the deleted one: consistent again...
    assert verify(_store(app))["ok"]
    report = verify(_store(app), expect_head=heads)  # ...but the outcomes' head recorded before is gone
    assert not report["ok"] and report["problems"] == [{"problem": "head_not_found", "expected": heads[1]}]


def test_postgresql_refuses_to_change_or_delete_an_outcome(app, api, store_url):
    if not store_url.startswith("postgresql"):
        pytest.skip("the append-only triggers are PostgreSQL's")
    allowed, denied = _called_despite_a_deny(api)
    api.outcome("no-such-decision", "busy", status=404)
    _seal(app)
    engine = create_engine(store_url)
    try:
        for sql in (f"DELETE FROM outcomes WHERE decision_id = '{denied}'", "UPDATE unmatched_outcomes SET disposition = 'busy'",
                    "DELETE FROM outcome_chain"):
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(sql))
    finally:
        engine.dispose()
    assert verify(_store(app))["ok"]


def test_the_cli_prints_both_heads_and_checks_each_expected_one(app, api, store_url):
    allowed, denied = _called_despite_a_deny(api)
    env = {"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0"}
    sealed = json.loads(cli(env, "decisions", "seal").stdout)
    assert sealed["sealed"] == 2 and sealed["outcomes"]["sealed"] == 2
    ok = cli(env, "decisions", "verify", "--expect-head", sealed["head"]["hash"], "--expect-head", sealed["outcomes"]["head"]["hash"])
    assert ok.returncode == 0 and json.loads(ok.stdout)["outcomes"]["head"] == sealed["outcomes"]["head"]
    _tamper(store_url, f"DELETE FROM outcomes WHERE decision_id = '{denied}'")
    bad = cli(env, "decisions", "verify")
    assert bad.returncode == 1 and denied in bad.stdout and "outcomes {'altered': 0, 'missing': 1" in bad.stderr


def test_sqlite_an_instant_rewritten_in_another_form_is_found(app, api, store_url):
    """SQLite keeps whatever text it is given, and reads `2026-11-23T02:15:00` (or the same instant with an offset) back
    as the instant the guard stored as `2026-11-23 02:15:00.000000`: the hash still matches, while every SQL range over
    the column (the decision-log audit's period) compares the text and no longer finds the decision."""
    if not store_url.startswith("sqlite"):
        pytest.skip("PostgreSQL stores a timestamptz, not text")
    ids = _decisions(api, 3)
    _seal(app)
    _tamper(store_url, f"UPDATE decisions SET at = replace(at, ' ', 'T') WHERE id = '{ids[1]}'")
    report = verify(_store(app))
    assert not report["ok"] and [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("altered", ids[1])]


def test_sqlite_json_that_does_not_parse_is_reported_not_a_crash(app, api, store_url):
    if not store_url.startswith("sqlite"):
        pytest.skip("PostgreSQL refuses text that is not JSON in a json column")
    ids = _decisions(api, 3)
    _seal(app)
    _tamper(store_url, f"UPDATE decisions SET reasons = 'not json' WHERE id = '{ids[0]}'")
    report = verify(_store(app))
    assert not report["ok"] and [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("altered", ids[0])]


def test_sqlite_an_outcome_rewritten_in_another_form_or_unparsable_is_found(app, api, store_url):
    if not store_url.startswith("sqlite"):
        pytest.skip("PostgreSQL stores timestamptz and json, not text")
    allowed, denied = _called_despite_a_deny(api)
    api.outcome("no-such-decision", "busy", status=404)
    _seal(app)
    _tamper(store_url, "UPDATE unmatched_outcomes SET reported_at = replace(reported_at, ' ', 'T')",
            f"UPDATE outcomes SET effects = 'not json' WHERE decision_id = '{allowed}'")
    report = verify(_store(app))
    assert not report["ok"] and report["outcomes"]["counts"]["altered"] == 2
    assert {p.get("decision_id", p.get("unmatched_id")) for p in report["problems"]} == {allowed, 1}


# --- links appended by hand --------------------------------------------------------------------
# The append-only triggers refuse UPDATE and DELETE, not INSERT (the sealer inserts), and the hash of a
# link is public arithmetic: someone able to insert can slip in a row with an earlier time and append a
# link for it, leaving every recorded head in place. The sealer never seals a row more than its horizon
# behind the link before, so such a link is out of time order.

def _insert(store_url: str, *statements: tuple[str, dict]) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:  # no trigger switched off: an INSERT is all it takes
        for sql, params in statements:
            conn.execute(text(sql), params)
    engine.dispose()


def _as_stored(store_url: str, instant):
    """An instant in the form the guard writes it (SQLite: naive UTC text with microseconds), as a careful forger would."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f") if store_url.startswith("sqlite") else instant


def _forge_decision(app, store_url: str, like: str, evaluated_at, link_at=None) -> None:
    """Insert an allowed decision evaluated at `evaluated_at` and append a link for it computed as the sealer would."""
    from sqlalchemy import select

    from guard.store.chain import D, L, link_hash

    _insert(store_url, ("INSERT INTO decisions SELECT 'forged-1', :at, at, phone_input, phone_e164, customer_id, campaign, product, "
                        "agent_id, allowed, dry_run, reasons, next_allowed_at, pack_id, pack_version, pack_hash, key_id, request, facts, "
                        "schema_version FROM decisions WHERE id = :like", {"at": _as_stored(store_url, evaluated_at), "like": like}))
    with _store(app).read() as conn:
        last = conn.execute(select(L).order_by(L.c.seq.desc()).limit(1)).first()
        row = conn.execute(select(D).where(D.c.id == "forged-1")).first()
    _insert(store_url, ("INSERT INTO decision_chain (seq, decision_id, evaluated_at, prev_hash, hash, sealed_at) "
                        "VALUES (:seq, 'forged-1', :at, :prev, :hash, :at)",
                        {"seq": last.seq + 1, "at": _as_stored(store_url, link_at or evaluated_at), "prev": last.hash, "hash": link_hash(last.hash, row)}))


def test_a_backdated_decision_given_a_link_by_hand_is_out_of_order(app, api, clock, store_url):
    ids = _decisions(api, 2)
    api.later(hours=2)
    _decisions(api, 1)
    head = _seal(app)["head"]["hash"]
    _forge_decision(app, store_url, ids[0], clock.now - timedelta(hours=1))
    report = verify(_store(app), expect_head=head)  # the head recorded before is still there: only the order tells
    assert not report["ok"] and report["counts"]["broken"] == 1
    assert len(report["problems"]) == 1, report["problems"]
    [p] = report["problems"]
    assert (p["problem"], p["decision_id"], p["seq"]) == ("broken", "forged-1", 4) and "out of time order" in p["reason"]


def test_a_link_whose_time_is_not_its_decisions_is_found(app, api, clock, store_url):
    ids = _decisions(api, 2)
    api.later(hours=2)
    _decisions(api, 1)
    _seal(app)
    # the link copies a time within the horizon, so that the order looks right, while the decision is backdated
    _forge_decision(app, store_url, ids[0], clock.now - timedelta(hours=1), link_at=clock.now)
    report = verify(_store(app))
    assert not report["ok"] and [(p["problem"], p["decision_id"]) for p in report["problems"]] == [("broken", "forged-1")]
    assert "is not its row's" in report["problems"][0]["reason"]


def test_a_backdated_report_given_a_link_by_hand_is_out_of_order(app, api, clock, store_url):
    from sqlalchemy import select

    from guard.store.chain import OL, U, report_hash

    _called_despite_a_deny(api)
    api.later(hours=2)
    api.outcome(api.check("13900139000")["decision_id"], "busy")
    head = _seal(app)["outcomes"]["head"]["hash"]
    _insert(store_url, ("INSERT INTO unmatched_outcomes (decision_id, why, disposition, phone_e164, reported_at, key_id, body) "
                        "VALUES ('forged', 'unknown_decision', 'answered', NULL, :at, NULL, '{}')",
                        {"at": _as_stored(store_url, clock.now - timedelta(hours=1))}))
    with _store(app).read() as conn:
        last = conn.execute(select(OL).order_by(OL.c.seq.desc()).limit(1)).first()
        row = conn.execute(select(U).where(U.c.decision_id == "forged")).first()
    _insert(store_url, ("INSERT INTO outcome_chain (seq, outcome_id, unmatched_id, reported_at, prev_hash, hash, sealed_at) "
                        "VALUES (:seq, NULL, :id, :at, :prev, :hash, :at)",
                        {"seq": last.seq + 1, "id": row.id, "at": _as_stored(store_url, row.reported_at), "prev": last.hash,
                         "hash": report_hash(last.hash, "unmatched", row)}))
    report = verify(_store(app), expect_head=head)
    assert not report["ok"] and report["outcomes"]["counts"]["broken"] == 1
    [p] = report["problems"]
    assert (p["problem"], p["chain"], p["unmatched_id"]) == ("broken", "outcomes", row.id) and "out of time order" in p["reason"]

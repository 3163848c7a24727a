"""The decision log under concurrent checks, most of them denied, while the sealer runs (PostgreSQL, durable):
`.venv/bin/python bench/chain_race.py [--checks 4000] [--threads 16]`.

A denied check (or a service call) ends the transaction holding its locks before it writes its decision
(`FactsReader.release_locks`); the sealer allows for decisions committed after later ones (`guard.store.chain.HORIZON`).
This run checks, as an auditor would, that nothing is lost or chained twice: dialer threads check one hot customer
(two numbers, marketing and service), distinct numbers, and a number whose decision insert always fails (a trigger
raising: the check must answer 503), a sixth of them under an Idempotency-Key retried at once, and eight threads at
a time share one key; the scheduler's `decision_chain` job runs in a loop beside them. Then it prints, and exits 1
unless each holds:

- every answered decision is in the log and in the chain exactly once, and the log holds nothing else;
- `verify` finds the chain intact, nothing pending;
- the hot customer was allowed one marketing call (its daily cap), however many asked at once;
- every failing insert answered 503, and no row of it is in the log;
- every retry and every twin under one key got the first answer;
- the decision-log audit's figures equal a count of the answers.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import new_key  # noqa: E402
from tests.pgserver import PgServer, allow_decision_inserts, refuse_decision_inserts  # noqa: E402

AT = "2026-11-23T10:15:00+08:00"
BROKEN = "13800139999"


def run(url: str, checks: int, threads: int) -> bool:
    from sqlalchemy import create_engine, text

    from app import create_app
    from guard.services import audits
    from guard.services.ops.jobs import run_job, seal_all
    from guard.store.chain import verify

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL", "GUARD_ALLOW_CLIENT_TIME": "1",
                      "GUARD_DB_POOL_SIZE": str(threads + 4)})
    rt = app.extensions["guard"]
    headers = new_key(app, "dialer", "operator")
    client = app.test_client()
    client.put("/v1/customers/HOT", json={"phones": ["13800138001", "13800138002"], "risk_level": "C3",
                                          "risk_assessed_at": "2026-10-01T00:00:00+08:00"}, headers=headers)
    first = client.post("/v1/check", json={"phone": BROKEN, "campaign": "dep-2026q4", "at": AT}, headers=headers).json
    engine = create_engine(url)
    with engine.begin() as conn:
        refuse_decision_inserts(conn, BROKEN)

    retries_differ: list[int] = []

    def one(i: int) -> tuple[int, int, dict]:
        c = app.test_client()
        if i % 50 >= 42:  # eight at a time under one key, on the hot customer
            r = c.post("/v1/check", json={"phone": "13800138001", "campaign": "dep-2026q4", "at": AT},
                       headers={**headers, "Idempotency-Key": f"twin{i // 50}"})
            return i, r.status_code, r.json
        phone = {0: "13800138001", 1: "13800138002", 2: f"139{i:08d}", 3: BROKEN}[i % 4]
        body = {"phone": phone, "campaign": "dep-2026q4", "at": AT, **({"purpose": "service"} if i % 8 == 5 else {})}
        keyed = {"Idempotency-Key": f"k{i}"} if i % 6 == 0 else {}
        r = c.post("/v1/check", json=body, headers={**headers, **keyed})
        if keyed:
            again = c.post("/v1/check", json=body, headers={**headers, **keyed})
            if (again.status_code, again.json) != (r.status_code, r.json) and r.status_code == 200:
                retries_differ.append(i)
        return i, r.status_code, r.json

    stop, seals = threading.Event(), [0]

    def sealer() -> None:
        while not stop.is_set():
            run_job(rt.store, "decision_chain", rt.clock)
            seals[0] += 1

    beside = threading.Thread(target=sealer)
    beside.start()
    t = time.perf_counter()
    try:
        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(one, range(checks)))
    finally:
        took = time.perf_counter() - t
        stop.set()
        beside.join()
        with engine.begin() as conn:
            allow_decision_inserts(conn)
    sealed = seal_all(rt.store, rt.clock)["sealed"]
    report = verify(rt.store)
    with engine.begin() as conn:
        logged = Counter(r[0] for r in conn.execute(text("SELECT id FROM decisions")))
        chained = Counter(r[0] for r in conn.execute(text("SELECT decision_id FROM decision_chain")))
        broken_rows = conn.execute(text(f"SELECT count(*) FROM decisions WHERE phone_input = '{BROKEN}'")).scalar_one()
    engine.dispose()

    twins: dict[int, set] = {}
    for i, s, a in answers:
        if i % 50 >= 42:
            twins.setdefault(i // 50, set()).add((s, a.get("decision_id"), a.get("allowed")))
    plain = [(i, s, a) for i, s, a in answers if i % 50 < 42]
    answered = [a for i, s, a in plain if s == 200] + [{"decision_id": d, "allowed": al} for v in twins.values() for s, d, al in v if s == 200]
    ids = Counter(a["decision_id"] for i, s, a in plain if s == 200)
    ids.update({first["decision_id"]: 1})
    ids.update({next(iter(v))[1]: 1 for v in twins.values() if len(v) == 1})
    refused = [s for i, s, a in plain if i % 4 == 3]
    hot_marketing = sum(1 for i, s, a in plain if s == 200 and i % 4 in (0, 1) and a["allowed"] and a["purpose"] == "marketing") \
        + sum(1 for v in twins.values() for s, d, al in v if s == 200 and al)
    now = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)
    audit = audits.create(rt.store, "decision_log", "decisions", None, now, "bench")
    summary = audits.audit_decision_log(rt.store, audit, now - timedelta(hours=1), now + timedelta(hours=1), rt.clock, rt.packs())
    denied_answered = len({a["decision_id"] for a in answered if not a["allowed"]})
    rt.store.dispose()

    results = {
        "each answered decision logged once, nothing else logged": set(logged) == set(ids) and max(logged.values()) == 1,
        "each logged decision chained once": set(chained) == set(logged) and max(chained.values()) == 1,
        "verify: intact, nothing pending": report["ok"] and report["pending"] == 0,
        "hot customer: one marketing call allowed": hot_marketing == 1,
        "failing inserts: all 503, no row": set(refused) == {503} and broken_rows == 1,
        "keyed retries and twins: the first answer": not retries_differ and all(len(v) == 1 for v in twins.values()),
        "audit figures = count of answers": summary["decisions_in_period"] == len(logged)
                                            and summary["decisions_denied"] == denied_answered and summary["chains"]["intact"],
    }
    print(f"  {checks} requests on {threads} threads in {took:.1f} s ({checks / took:.0f}/s), sealer runs beside them: {seals[0]}, "
          f"sealed after: {sealed}")
    print(f"  answers: {dict(Counter((s, a.get('allowed')) for i, s, a in answers))}")
    print(f"  log: {len(logged)} decisions, chain: {report['links']} links; audit: {summary['decisions_in_period']} decisions, "
          f"{summary['decisions_denied']} denied (answers: {denied_answered} denied)")
    for name, ok in results.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return all(results.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    from guard.store.migrate import upgrade

    print(f"bench/chain_race.py  {datetime.now().isoformat(timespec='seconds')}  PostgreSQL (durable)")
    pg = PgServer(durable=True)
    pg.start()
    try:
        url = pg.create_database("chain_race")
        upgrade(url)
        ok = run(url, args.checks, args.threads)
    finally:
        pg.cleanup()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

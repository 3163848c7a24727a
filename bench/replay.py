"""Benchmark of replaying the decision log (what `guard policies simulate` does): `.venv/bin/python bench/replay.py [--decisions 1000000]`.

Seeds a fresh SQLite store (bench/check.py's 20,000 customers, 5% of them on a registry list, on the
record from before the period), then a decision log of N checks made over 60 days: the calls of
bench/gen_calls.py asked in time order through `guard.core.replay.Replayer` under the shipped packs
(so each logged answer is what a live check would have said, and every allowed one has its attempt),
written as the check writes them. Then it measures, in one process:

- `replay`: every decision asked again under the versions that judged it (`replay_decisions`);
- `simulate`: the what-if of a draft tightening cn-bank's 30-day customer cap from 3 to 1
  (`simulate_decisions`: two replays side by side, the comparison, the report);

and prints decisions/s and peak memory (ru_maxrss). Baseline in the same run: a naive replay that,
for each decision, reads that decision's facts from the store as of its time in its own transaction
(the catalog, the number's and customers' history, the attempts before it) and decides; run on the
first 2,000 decisions and extrapolated.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from bench.gen_calls import generate  # noqa: E402

CST = timezone(timedelta(hours=8))
START = datetime(2026, 10, 1, tzinfo=CST)
END = START + timedelta(days=61)


def seed_decisions(store, packs, rows: int, tmp: Path) -> int:
    """Write a decision log of `rows` checks (the generated calls, decided in time order)."""
    from guard.core.calllog import check_row
    from guard.core.catalog import NoPolicy
    from guard.core.history import History
    from guard.core.replay import DECISION_SCHEMA_VERSION, LoggedCheck, Replayer
    from guard.services.audits.log_reader import read_log
    from guard.services.whatif import _history
    from guard.store.ids import new_id

    log = tmp / "calls.csv"
    generate(rows, log)
    checks = []
    with log.open("rb") as f:
        for line, row, _ in read_log(f):
            call = check_row(line, row)[0] if row is not None else None
            if call is None:
                continue
            checks.append(LoggedCheck(id=new_id(call.at), at=call.at, phone_input=call.phone_raw, region=None,
                                      named_customer=call.customer_id, campaign=call.campaign, product=call.product,
                                      agent_id=call.agent_id, allowed=False, dry_run=False, reason_codes=(), pack_id="", pack_version=""))
    checks.sort(key=lambda c: (c.at, c.id))
    scratch = Replayer(packs, History())
    numbers = set()
    for c in checks:
        try:
            numbers.add(scratch.resolve(c)[1].e164)
        except NoPolicy:
            pass
    replayer = Replayer(packs, _history(store, sorted(n for n in numbers if n), {c.named_customer for c in checks if c.named_customer}),
                        want_next=False)
    d = store.sql
    cols = ("id", "evaluated_at", "at", "phone_input", "phone_e164", "customer_id", "campaign", "product", "agent_id", "allowed",
            "dry_run", "reasons", "next_allowed_at", "pack_id", "pack_version", "pack_hash", "key_id", "request", "facts", "schema_version")
    insert_d = f"INSERT INTO decisions ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    insert_a = "INSERT INTO attempts (decision_id, phone_e164, customer_id, other_customer_id, at) VALUES (?, ?, ?, ?, ?)"
    batch_d, batch_a, written = [], [], 0

    def flush() -> None:
        with store.read() as conn:
            cur = store.cursor(conn)
            cur.executemany(insert_d, batch_d)
            cur.executemany(insert_a, batch_a)
        batch_d.clear()
        batch_a.clear()

    for c in checks:
        try:
            r = replayer.step(c)
        except NoPolicy:
            continue
        at = d.ts(c.at)
        cids = r.customer_ids
        request = {"phone": c.phone_input, "campaign": c.campaign}
        if c.named_customer:
            request["customer_id"] = c.named_customer
        if c.product:
            request["product"] = c.product
        batch_d.append((c.id, at, at, c.phone_input, r.phone.e164, cids[0] if cids else None, c.campaign, c.product, c.agent_id,
                        r.decision.allowed, False, json.dumps([{"code": x.code, "message": x.message, "detail": x.detail}
                                                               for x in r.decision.reasons], ensure_ascii=False, default=str),
                        None, r.pack.id, r.pack.version, r.pack.hash, None, json.dumps(request, ensure_ascii=False), "{}",
                        DECISION_SCHEMA_VERSION))
        if r.decision.allowed:
            batch_a.append((c.id, r.phone.e164 if r.phone.valid else None, cids[0] if cids else None, cids[1] if len(cids) > 1 else None, at))
        written += 1
        if len(batch_d) >= 20_000:
            flush()
    flush()
    return written


def naive(store, packs, limit: int) -> float:
    """Per decision: one transaction reading its facts as of its time (the facts reader, one number, the
    attempts before it from the attempts table) and deciding."""
    from guard.core.audit import Judge
    from guard.core.decide import decide
    from guard.core.facts import Attempt, CheckInput
    from guard.core.history import History
    from guard.core.phones import parse_phone
    from guard.store.replay import checks_between

    reader, d = store.facts, store.sql
    started = time.perf_counter()
    for n, (c, _) in enumerate(checks_between(store, START, END)):
        if n >= limit:
            break
        with store.read() as conn:
            cur = store.cursor(conn)
            h = reader.catalog_history(cur, History())
            judge = Judge(packs, h)
            resolution = judge.resolve(c.campaign, c.product, c.at)
            phone = parse_phone(c.phone_input, c.region or resolution.pack.region)
            reader.load_many(cur, h, [phone.e164] if phone.valid else [], {c.named_customer} if c.named_customer else (), alive=False)
            owner = h.owner(phone.e164, c.at) if phone.valid else None
            for kind, key in (("phone_e164", phone.e164 if phone.valid else None), ("customer_id", owner), ("customer_id", c.named_customer)):
                if key is None:
                    continue
                for (at,) in d.run(cur, d.style(f"SELECT at FROM attempts WHERE {kind} = :k AND at > :since AND at < :at"),
                                   {"k": key, "since": d.ts(c.at - judge.horizon), "at": d.ts(c.at)}):
                    h.add_attempt(phone.e164 if kind == "phone_e164" else None, [key] if kind == "customer_id" else [], Attempt(d.read_ts(at)))
            h.sort_attempts()
            facts = h.facts(phone, c.named_customer, c.at, c.at - judge.horizon, resolution.catalog)
        decide(CheckInput(campaign=c.campaign, product=c.product, customer_id=c.named_customer), facts, resolution.pack, c.at, want_next=False)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", type=int, default=1_000_000)
    args = ap.parse_args()
    rows = args.decisions
    print(f"bench/replay.py  {datetime.now().isoformat(timespec='seconds')}  SQLite  {rows} checks")
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-replay-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    from guard.store.migrate import upgrade

    upgrade(url)
    seed(url)  # the seeded customers and entries on record before the period (bench.check.SEEDED_AT)
    from app import create_app
    from guard.services import whatif
    from policies.loader import PACK_SUFFIXES  # noqa: F401 - the shipped packs are the serving ones

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    rt = app.extensions["guard"]
    packs = rt.packs()
    t = time.perf_counter()
    written = seed_decisions(rt.store, packs, rows, tmp)
    print(f"  seeded     {written} decisions in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    n = allowed = 0
    for r, _ in whatif.replay_decisions(rt.store, packs, START, END, want_next=False):
        n += 1
        allowed += r.decision.allowed
    took = time.perf_counter() - t
    print(f"  replay     {took:6.1f} s  {n / took:8.0f} decisions/s  ({n} decisions, {allowed} allowed)  "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    import yaml

    raw = yaml.safe_load((ROOT / "policies" / "packs" / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    raw["version"] = "2026.5-draft"
    raw["caps"]["normal"] = [c if c["window"] != "30d" else {**c, "max": 1} for c in raw["caps"]["normal"]]
    draft = whatif.draft_packs(rt.registry.good_documents(), [("cn-bank-draft.yaml", raw)], "cn-bank")
    t = time.perf_counter()
    report = whatif.simulate_decisions(rt.store, packs, draft, START, END)
    took = time.perf_counter() - t
    print(f"  simulate   {took:6.1f} s  {report['judged'] / took:8.0f} decisions/s  changes {report['changes']}  "
          f"replay reproduced {report['replay']['reproduced']} of {report['judged']}  "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    limit = min(2000, rows)
    nt = naive(rt.store, packs, limit)
    print(f"  naive      {nt:6.1f} s for {limit} decisions = {limit / nt:6.0f} decisions/s "
          f"(extrapolated to {n} decisions: {n / (limit / nt):.0f} s)")
    rt.store.dispose()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

"""CPU of a denied POST /v1/check against an allowed one, and the share of it spent writing the reasons' messages.

    .venv/bin/python bench/deny_cost.py [--checks 1000] [--rounds 5]

In process, one thread: the app as gunicorn builds it (create_app) on a fresh SQLite store, called through Flask's
test client; CPU time (time.process_time) of this process, so neither the disk's fsync nor the scheduler's
waits count. Allowed: a Monday 10:15 in Shanghai, a different number each time (decision and attempt recorded).
Denied: 1 Oct 2026 01:55, National Day at night, a different number each time (QUIET_HOURS and HOLIDAY: two
reasons, decision recorded). The rounds alternate allowed and denied; the median round is printed. One more
round of each times the service's call of decide() alone (a denied call is judged again at the instant
next_allowed_at names, and the windows and holidays are walked to find that instant).

Then the reasons of one denied answer are written again, out of the check, three ways:
  as the check does  each reason rendered once, in zh-CN, zh-TW and en (`Reason.messages`: the answer's
                     `messages` and `message_zh` and the logged `message` all read that one rendering)
  naive baseline     rendered afresh for each of the three reads (what the check cost before the rendering
                     was kept on the reason)
  one language       each reason in English only: the floor if the answer carried one language (it carries
                     all three: `messages` is documented as every language)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ALLOW_AT = "2026-11-23T10:15:00+08:00"
DENY_AT = "2026-10-01T01:55:00+08:00"


def cpu_per_call(fn, n: int) -> float:
    started = time.process_time()
    for i in range(n):
        fn(i)
    return (time.process_time() - started) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-deny-cost-"))
    try:
        url = f"sqlite:///{tmp / 'guard.db'}"
        os.environ.update({"DATABASE_URL": url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0",
                           "GUARD_LOG_LEVEL": "ERROR"})
        from app import create_app
        from guard.core.messages import reason_messages
        from guard.services.ops.keys import create_key
        from guard.store.migrate import upgrade

        upgrade(url)
        app = create_app()
        rt = app.extensions["guard"]
        headers = {"Authorization": "Bearer " + create_key(rt.store, ["dialer"], rt.clock())}
        client = app.test_client()
        serial = iter(range(10_000_000))

        def check(at: str) -> dict:
            answer = client.post("/v1/check", json={"phone": f"1381{next(serial):07d}", "campaign": "dep-2026q4", "at": at,
                                                    "agent_id": "A1"}, headers=headers)
            assert answer.status_code == 200, answer.get_json()
            return answer.get_json()

        allowed, denied = check(ALLOW_AT), check(DENY_AT)
        assert allowed["allowed"] and not denied["allowed"], (allowed, denied)
        reasons = [(r["code"], r["detail"]) for r in denied["reasons"]]
        for _ in range(300):  # warm: imports, caches, the pool
            check(ALLOW_AT), check(DENY_AT)
        cpu_allowed, cpu_denied = [], []
        for _ in range(args.rounds):
            cpu_allowed.append(cpu_per_call(lambda i: check(ALLOW_AT), args.checks))
            cpu_denied.append(cpu_per_call(lambda i: check(DENY_AT), args.checks))
        a, d = statistics.median(cpu_allowed), statistics.median(cpu_denied)
        print(f"sqlite, test client, {args.rounds} rounds of {args.checks} (median round), CPU per check:")
        print(f"  allowed  {a * 1e6:6.0f} µs")
        print(f"  denied   {d * 1e6:6.0f} µs  ({', '.join(c for c, _ in reasons)}; +{(d - a) * 1e6:.0f} µs over allowed)")

        # decide() timed in place: the service's own call, with a CPU clock read before and after it.
        from guard.services.calls import check as check_service

        decide, in_decide = check_service.decide, [0.0]

        def timed_decide(*a, **k):
            started = time.process_time()
            try:
                return decide(*a, **k)
            finally:
                in_decide[0] += time.process_time() - started

        check_service.decide = timed_decide
        spent_deciding = {}
        for label, at in (("allowed", ALLOW_AT), ("denied", DENY_AT)):
            in_decide[0] = 0.0
            cpu_per_call(lambda i: check(at), args.checks)
            spent_deciding[label] = in_decide[0] / args.checks
        check_service.decide = decide
        a_dec, d_dec = spent_deciding["allowed"], spent_deciding["denied"]
        print(f"  of which decide()  allowed {a_dec * 1e6:4.0f} µs, denied {d_dec * 1e6:4.0f} µs (+{(d_dec - a_dec) * 1e6:.0f} µs: "
              "next_allowed_at, the call judged again at the instant it names)")

        n = args.checks * 5

        def once(i: int) -> None:
            for code, detail in reasons:
                reason_messages(code, detail, "cn-bank")

        def naive(i: int) -> None:
            for code, detail in reasons:
                for _read in range(3):
                    reason_messages(code, detail, "cn-bank")

        def english(i: int) -> None:
            for code, detail in reasons:
                reason_messages(code, detail, "cn-bank", ("en",))

        ways = [("as the check does", once), ("naive baseline", naive), ("one language", english)]
        print(f"writing the {len(reasons)} reasons' messages, CPU per denied check ({n} times each, median of 3):")
        for label, fn in ways:
            spent = statistics.median(cpu_per_call(fn, n) for _ in range(3))
            print(f"  {label:18s} {spent * 1e6:6.1f} µs  ({100 * spent / d:4.1f} % of a denied check)")
        rt.store.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

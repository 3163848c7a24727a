"""What bench/scrub_isolation.py, bench/lint_isolation.py, bench/import_isolation.py, bench/audit_isolation.py and
bench/simulation_isolation.py share: open-loop pre-call checks measured beside other work, on PostgreSQL with three
gunicorns — the checks' own (`make run`: 2 workers x 4 threads), a batch one (1 worker x 2 threads, as
deploy/guard-batch.service) and the same under `nice -n 10` (the unit's Nice=10)."""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import queue
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

SENDERS = 16
ENDED = {"done", "failed", "cancelled"}  # an audit's or a simulation's statuses once it has ended
AT = "2026-11-23T10:15:00+08:00"
# The set-ups, in the order they run: no work (the baseline), the work on the checks' gunicorn, on a batch one, on a batch
# one under nice 10 (printed as "own pool, nice 10").
SETUPS = ("baseline", "one pool", "own pool", "own pool nice")


def _sender(port: int, key: str, jobs: "queue.Queue", out: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    while True:
        job = jobs.get()
        if job is None:
            return
        due, body = job
        status = 0
        try:
            conn.request("POST", "/v1/check", body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append(((time.monotonic() - due) * 1000, status))


def _checks(port: int, key: str, rate: float, seconds: float, offset: int, q: "mp.Queue") -> None:
    """`rate` checks a second of distinct numbers for `seconds`, each timed from its scheduled arrival: [(ms, status)]."""
    jobs: queue.Queue = queue.Queue()
    out: list = []
    senders = [threading.Thread(target=_sender, args=(port, key, jobs, out), daemon=True) for _ in range(SENDERS)]
    for s in senders:
        s.start()
    start = time.monotonic() + 0.2
    for i in range(int(rate * seconds)):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        jobs.put((due, {"phone": f"135{offset + i:08d}", "campaign": "dep-2026q4", "at": AT}))
    for _ in senders:
        jobs.put(None)
    for s in senders:
        s.join()
    q.put(out)


def until_ended(conn: http.client.HTTPConnection, path: str, headers: dict, started: float, every: float) -> dict:
    """GET `path` (an audit or a simulation) every `every` seconds until its status is one of ENDED, or 900 s after
    `started`: its last answer."""
    answer: dict = {}
    while time.monotonic() - started < 900:
        conn.request("GET", path, headers=headers)
        answer = json.loads(conn.getresponse().read())
        if answer.get("status") in ENDED:
            break
        time.sleep(every)
    return answer


def pct(data: list[float], p: float) -> float:
    data = sorted(data)
    return data[min(len(data) - 1, int(p / 100 * len(data)))] if data else float("nan")


def beside_checks(port: int, check_key: str, rate: float, seconds: float, offset: int, work=None, args: tuple = ()):
    """The open-loop checks' results [(ms, status)], with `work(*args, stop_at, queue)` running in its own process from a
    second before them until they end (None: alone), and what `work` put on its queue (None)."""
    ctx = mp.get_context("fork")
    qc, qw = ctx.Queue(), ctx.Queue()
    worker = None
    if work is not None:
        worker = ctx.Process(target=work, args=(*args, time.monotonic() + seconds + 1.0, qw))
        worker.start()
        time.sleep(1.0)  # the work under way
    checker = ctx.Process(target=_checks, args=(port, check_key, rate, seconds, offset, qc))
    checker.start()
    results = qc.get()
    checker.join()
    done = None
    if worker is not None:
        done = qw.get()
        worker.join()
    return results, done


@contextmanager
def pools(env: dict[str, str] | None = None) -> Iterator[tuple[dict[str, str], dict[str, GuardServer | None]]]:
    """PostgreSQL (fsync on) seeded as bench/check.py seeds it, and the three gunicorns on it: (the servers' environment,
    {set-up: the gunicorn its work goes to}, the checks always going to "one pool")."""
    pg = PgServer(durable=True)
    pg.start()
    servers: list[GuardServer] = []
    try:
        url = pg.create_database("guard")
        upgrade(url)
        seed(url)
        env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1", **(env or {})}
        for kw in ({}, {"workers": 1, "threads": 2}, {"workers": 1, "threads": 2, "prefix": ["nice", "-n", "10"]}):
            servers.append(GuardServer(env, **kw).start())
        yield env, dict(zip(SETUPS, [None, *servers]))
    finally:
        for s in servers:
            s.stop()
        pg.stop()


@contextmanager
def call_log_bench(doc: str, rows: int, prefix: str) -> Iterator[tuple[argparse.Namespace, dict[str, str], dict, Path]]:
    """What the benches that send a generated call log share (bench/audit_isolation.py, bench/simulation_isolation.py):
    their arguments (parser()'s and --rows, default `rows`), the servers (pools()) and the log (bench/gen_calls.py) in a
    temporary directory: (args, the servers' environment, the set-ups' gunicorns, the log's path)."""
    from bench.gen_calls import generate

    ap = parser(doc)
    ap.add_argument("--rows", type=int, default=rows)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp, \
            pools({"GUARD_DATA_DIR": str(Path(tmp) / "data"), "GUARD_LOG_LEVEL": "WARNING"}) as (env, pool):
        log = Path(tmp) / "calls.csv"
        generate(args.rows, log)
        yield args, env, pool, log


def key(env: dict[str, str], role: str) -> str:
    return cli(env, "keys", "create", "--role", role).stdout.strip()


def line(name: str, results: list, baseline: float | None, tail: str = "") -> float:
    """Print one set-up's checks (p50/p95/p99/max, errors, p99 against the baseline's) and `tail`; its p99."""
    lat = [ms for ms, status in results if status == 200]
    errors = sum(1 for _, status in results if status != 200)
    p99 = pct(lat, 99)
    baseline = baseline or p99
    print(f"  {name:20s} checks p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f}  p99 {p99:7.1f}  "
          f"max {max(lat):7.1f}  errors {errors}  p99/baseline {p99 / baseline:5.2f}{tail}")
    sys.stdout.flush()
    return p99


def chosen(setups: str) -> list[str]:
    """The set-ups named in a comma-separated `--setups`, in SETUPS' order (argparse's type: an unknown one stops the
    bench before PostgreSQL starts)."""
    wanted = {w.strip() for w in setups.split(",")}
    unknown = wanted - set(SETUPS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {', '.join(sorted(unknown))} (known: {', '.join(SETUPS)})")
    return [s for s in SETUPS if s in wanted]


def parser(doc: str) -> argparse.ArgumentParser:
    """The options every isolation bench takes: --rate and --seconds of the checks, --setups."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--rate", type=float, default=150, help="checks a second (default 150)")
    ap.add_argument("--seconds", type=float, default=20, help="seconds of checks in each set-up (default 20)")
    ap.add_argument("--setups", type=chosen, default=list(SETUPS), help=f"comma-separated, of: {', '.join(SETUPS)} (default: all)")
    return ap


def compare(args: argparse.Namespace, pool: dict[str, GuardServer | None], dialer: str, work, work_args: tuple,
            tail, what: str) -> None:
    """Each set-up of `args.setups` in turn: the checks on the checks' gunicorn, beside `work(port, *work_args, stop_at,
    queue)` sent to the set-up's gunicorn (none for the baseline); one line each, `tail(what work put on its queue)`
    ending it."""
    baseline = None
    for i, name in enumerate(args.setups):
        target = pool[name]
        results, done = beside_checks(pool["one pool"].port, dialer, args.rate, args.seconds, i * 10_000_000,
                                      None if target is None else work, (target and target.port, *work_args))
        label = f"baseline (no {what})" if target is None else {"own pool nice": "own pool, nice 10"}.get(name, name)
        p99 = line(label, results, baseline,
                   "" if target is None else tail(done))
        baseline = baseline or p99

"""Checks while operators import lists over HTTP: does an import hold the dialers up?

    .venv/bin/python bench/import_isolation.py [--rate 150] [--seconds 20] [--rows 100000] [--list blacklist|consents]
                                               [--setups ...]

`POST /v1/blacklist/import` and `POST /v1/consents/import` parse and write the uploaded CSV in the request's thread
(blacklist/importer.py, guard/services/consent/importer.py). `--list consents` imports consents (phone, source,
given_at) instead of blacklist entries. PostgreSQL (fsync on), bench/check.py's 20,000 seeded
customers, open-loop pre-call checks (bench/isolation.py, `--rate` per second for `--seconds`) in each set-up:

  baseline          no import (the figure the others are compared with)
  one pool          a `--rows`-row list (bench/blacklist_import.py's CSV: distinct mobile numbers, 0.1 % bad rows; or
                    as many consents of distinct numbers) imported back to back on the checks' gunicorn (`make run`)
  own pool          the same imports on a second gunicorn (1 worker x 2 threads), as deploy/guard-batch.service
  own pool nice     that second gunicorn under `nice -n 10` (the unit's Nice=10)

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and how many imports completed
with their seconds each. The first import writes the rows; the ones after it find them there (re-importing changes
nothing), as an operator's daily list mostly does.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.blacklist_import import write_csv  # noqa: E402
from bench.isolation import compare, key, parser, pools  # noqa: E402


def write_consents(path: Path, rows: int) -> None:
    """`rows` consents of distinct mobile numbers, given at a branch on a fixed day."""
    with path.open("w", encoding="utf-8") as f:
        f.write("phone,source,given_at,channels\n")
        for i in range(rows):
            f.write(f"+86 139{i:08d},branch_form,2026-10-01T10:00:00+08:00,phone\n")


def _imports(port: int, key: str, path: str, url: str, stop_at: float, q) -> None:
    body = Path(path).read_bytes()
    headers = {"Content-Type": "text/csv", "Authorization": f"Bearer {key}"}
    took, failed = [], 0
    while time.monotonic() < stop_at:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.monotonic()
        try:
            conn.request("POST", url, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status == 200:
                took.append(time.monotonic() - started)
            else:
                failed += 1
                if failed == 1:
                    print(f"    an import answered {response.status}: {answer[:300]!r}", file=sys.stderr)
        except (OSError, http.client.HTTPException):
            failed += 1
        finally:
            conn.close()
    q.put((took, failed))


def _imports_done(done: tuple[list[float], int]) -> str:
    took, failed = done
    if not took:
        return f"  imports 0 done ({failed} failed)"
    return f"  imports {len(took)} done ({failed} failed), {sum(took) / len(took):.2f} s each"


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--list", choices=("blacklist", "consents"), default="blacklist")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="guard-import-iso-") as tmp, pools() as (env, pool):
        csv = Path(tmp) / "list.csv"
        if args.list == "blacklist":
            write_csv(csv, args.rows)
        else:
            write_consents(csv, args.rows)
        dialer, operator = key(env, "dialer"), key(env, "operator")
        print(f"bench/import_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"a {args.rows:,}-row {args.list} list ({csv.stat().st_size / 1e6:.1f} MB) imported back to back")
        compare(args, pool, dialer, _imports, (operator, str(csv), f"/v1/{args.list}/import"), _imports_done, "import")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

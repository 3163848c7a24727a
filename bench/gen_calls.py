"""A deterministic call-log generator for audits: `python bench/gen_calls.py ROWS OUT.csv [--seed 1]`.

Calls of 40 agents on 4 campaigns over 60 days, mostly inside the calling windows, some at night
and on holidays; numbers drawn from a pool in which some are called often (caps), some belong
to the seeded customers (bench/check.py's seed: +86137xxxxxxxx) and a few are malformed; about 5%
of calls carry a short transcript (some with banned phrases), about 0.1% of rows are bad.
The same seed always gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

CST = timezone(timedelta(hours=8))
CAMPAIGNS = ("dep-2026q4", "wm-2026q4", "cc-2026q4", "loan-2026q4")
TRANSCRIPTS = (
    "您好，我是XX银行客户经理，本次通话将被录音。这款存款产品本金和利息受存款保险保障。",
    "您好，这款理财保本保息，零风险，名额有限今天是最后一天。",
    "您好，本次通话将被录音。理财非存款、产品有风险、投资须谨慎。业绩比较基准不代表未来表现。",
    "您好，信用卡分期手续费很低，年化利率以合同为准。",
)
COLUMNS = ("call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "transcript")


def generate(rows: int, out: Path, seed: int = 1, start: datetime = datetime(2026, 10, 1, tzinfo=CST)) -> None:
    rng = random.Random(seed)
    hot = [f"+86 139 {i:04d} {rng.randrange(10000):04d}" for i in range(2000)]
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(rows):
            r = rng.random()
            if r < 0.2:
                phone = f"137{rng.randrange(20_000):08d}"  # a seeded customer's number
            elif r < 0.3:
                phone = rng.choice(hot)
            elif r < 0.301:
                phone = "12345"
            else:
                phone = f"{rng.choice(('135', '136', '138', '150', '186'))}{rng.randrange(10**8):08d}"
            day = start + timedelta(days=rng.randrange(60))
            hour = rng.choice((9, 10, 10, 11, 14, 15, 16, 17, 19, 21)) if rng.random() < 0.97 else rng.randrange(24)
            called = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
            campaign = rng.choice(CAMPAIGNS)
            transcript = rng.choice(TRANSCRIPTS) if rng.random() < 0.05 else ""
            disposition = rng.choice(("answered", "no_answer", "busy", "answered", "refused", "callback"))
            if rng.random() < 0.001:
                called_text = "not a time"
            else:
                called_text = called.isoformat()
            w.writerow((f"call-{i:08d}", phone, called_text, campaign, "", f"A{rng.randrange(40):02d}", "", disposition, "", transcript))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate(a.rows, a.out, a.seed)

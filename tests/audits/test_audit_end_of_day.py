"""A call log read in a named zone (`guard audit --timezone`) writes a call at the end of a day as 24:00: ISO 8601 reads
"2026-03-01T24:00" as the same instant as "2026-03-02T00:00" (ISO 8601-1:2019/Amd 1:2022, 5.3.2; ISO 8601:2004, 4.2.3),
and the guard read it so with an offset but refused it without one. 24:00 and nothing past it."""

from __future__ import annotations

import json


def test_a_local_time_of_24_00_is_the_next_days_midnight_and_24_01_is_refused_naming_its_row(runner, tmp_path):
    log = tmp_path / "calls.csv"
    log.write_text("call_id,phone,called_at,campaign\n"
                   "c1,13800138000,2026-03-01 24:00,dep-2026q4\n"
                   "c2,13800138001,2026-03-01T24:00:00,dep-2026q4\n"
                   "c3,13800138002,2026-03-02 00:00,dep-2026q4\n"
                   "c4,13800138003,2026-03-01 24:01,dep-2026q4\n"
                   "c5,13800138004,2026-02-29 24:00,dep-2026q4\n", encoding="utf-8")
    done = runner.invoke(args=["guard", "audit", str(log), "--timezone", "Asia/Shanghai", "--format", "json"])
    report = json.loads(done.stdout)
    assert report["audit"]["summary"]["calls_judged"] == 3, done.stderr
    assert report["audit"]["summary"]["period"]["from"] == report["audit"]["summary"]["period"]["to"] == "2026-03-01T16:00:00+00:00"
    judged = {}
    for v in report["violations"]:
        judged.setdefault(v["call_id"], set()).add(v["code"])
    assert judged["c1"] == judged["c2"] == judged["c3"], judged  # the same instant, the same rules
    assert f"{log}:5: rejected: called_at: '2026-03-01 24:01' is no such date-time" in done.stderr, done.stderr
    assert f"{log}:6: rejected: called_at: '2026-02-29 24:00' is no such date-time" in done.stderr, done.stderr
    assert done.exit_code == 1

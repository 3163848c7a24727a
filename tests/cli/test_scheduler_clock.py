"""`guard scheduler` after the wall clock steps back: APScheduler's interval trigger would wait out the step
(agronholm/apscheduler#339, #351), so the scheduler's loop runs every job at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from guard.cli.scheduler import ClockWatch, run_every_job_now


def test_a_step_back_is_told_from_drift_and_from_a_step_forward():
    watch = ClockWatch(wall=1_000.0, monotonic=50.0)
    assert watch.stepped_back(1_001.0, 51.0) is None  # one second on both clocks
    assert watch.stepped_back(1_001.5, 51.6) is None  # slewed (100 ms): no step
    assert watch.stepped_back(1_032.5, 52.6) is None  # stepped forward 30 s: APScheduler runs what it missed itself
    assert round(watch.stepped_back(1_003.5, 53.6), 3) == 30.0  # NTP stepped the wall clock back 30 s
    assert watch.stepped_back(1_004.5, 54.6) is None  # and from there on it is the new normal


def test_every_job_of_the_scheduler_runs_at_once_after_a_step_back():
    ran = threading.Event()
    sched = BackgroundScheduler(timezone="UTC")
    # As after a step back of an hour: the job's next run lies an hour of wall clock away.
    sched.add_job(ran.set, "interval", seconds=60, id="complaint_sla",
                  next_run_time=datetime.now(timezone.utc) + timedelta(hours=1))
    sched.start()
    try:
        run_every_job_now(sched)
        assert ran.wait(5.0)
    finally:
        sched.shutdown(wait=False)

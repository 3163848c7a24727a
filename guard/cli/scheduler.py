"""`guard scheduler`: run the scheduled jobs (complaint SLAs, the decision chain, the audit reaper, idempotency keys, script review), once or on an interval."""

from __future__ import annotations

import json

import click

from guard.cli.group import guard_group, runtime as _rt

# APScheduler's interval trigger waits for wall-clock instants: after the clock steps back (an NTP correction, RFC 5905
# steps offsets over 128 ms; a VM resumed from a snapshot) every job would wait that much longer, an hour's step an
# hour without a complaint escalated or a decision sealed (agronholm/apscheduler#339, #351: "the scheduler relies on
# the system clock being correct"). The main loop watches the wall clock against the monotonic one and runs every job
# at once when the wall clock went back by more than this; the jobs are idempotent, so an extra run costs nothing.
STEP_BACK = 1.0


class ClockWatch:
    """Tells when the wall clock stepped back against the monotonic clock (which never steps)."""

    def __init__(self, wall: float, monotonic: float):
        self.offset = wall - monotonic

    def stepped_back(self, wall: float, monotonic: float) -> float | None:
        """Seconds the wall clock went back since the last reading, when more than STEP_BACK; None otherwise."""
        offset = wall - monotonic
        back, self.offset = self.offset - offset, offset
        return back if back > STEP_BACK else None


def run_every_job_now(sched) -> None:
    """Have every job of a started scheduler run at once (the clock stepped back: their next runs lie that far away)."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    for job in sched.get_jobs():
        job.modify(next_run_time=now)


@guard_group.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once now, print the results, and exit (for cron or checks).")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(0.05, 86400), help="Seconds between runs.")
def scheduler(once: bool, interval: float) -> None:
    """Run the scheduled jobs (complaint SLA: mark overdue and escalate; seal decisions and outcomes into their hash chains;
    fail audits whose process died and delete their uploads; delete checks' idempotency keys past their 24 hours;
    lint approved scripts again under the packs loaded).

    Start it in one process beside the web workers (which never run jobs). Running two is safe:
    each run takes the job's database lock, so a job never runs twice at once.
    """
    import signal
    import threading

    from apscheduler.schedulers.background import BackgroundScheduler

    from guard.services.ops.jobs import JOBS, run_job, run_unlocked_job, runner_name

    from guard.services.catalog.script_review import review_approved

    rt = _rt()
    # Jobs that need the packs this process serves (reloads included); idempotent, so no job lock.
    with_packs = {"script_review": lambda: review_approved(rt.store, rt.packs(), rt.clock())}
    if once:
        for name in JOBS:
            result = run_job(rt.store, name, rt.clock, settings=rt.settings)
            click.echo(json.dumps({"job": name, "result": result, "skipped": result is None}))
        for name, job in with_packs.items():
            click.echo(json.dumps({"job": name, "result": run_unlocked_job(rt.store, name, job, rt.clock, settings=rt.settings), "skipped": False}))
        return
    runner = runner_name()
    # The scheduler runs in its own thread; the main thread only waits for a signal. (Shutting the
    # scheduler down from a signal handler that interrupted it in the middle of dispatching a job
    # removed the job under its feet: JobLookupError and a non-zero exit.)
    sched = BackgroundScheduler(timezone="UTC")

    def run_safely(name: str) -> None:
        try:
            run_job(rt.store, name, rt.clock, runner, rt.settings)
        except Exception:  # a store outage must not stop the scheduler; the next run retries
            import logging

            logging.getLogger("guard.scheduler").exception("job %s failed; retrying at the next run", name)

    from datetime import datetime, timezone

    for name in JOBS:
        sched.add_job(run_safely, "interval", args=[name], seconds=interval, id=name, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc))

    def run_with_packs(name: str) -> None:
        try:
            run_unlocked_job(rt.store, name, with_packs[name], rt.clock, runner, rt.settings)
        except Exception:
            import logging
            logging.getLogger("guard.scheduler").exception("job %s failed; retrying at the next run", name)
    for name in with_packs:
        sched.add_job(run_with_packs, "interval", args=[name], seconds=interval, id=name, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc))

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    import logging

    from guard.logs import status_line

    banner = f"scheduler {runner}: jobs {', '.join([*JOBS, *with_packs])} every {interval:g} s"
    click.echo(status_line(rt.settings.log_format, "guard.scheduler", logging.INFO, banner), err=True)
    sched.start()
    import time

    watch = ClockWatch(time.time(), time.monotonic())
    while not stopping.wait(1.0):
        back = watch.stepped_back(time.time(), time.monotonic())
        if back is not None:
            logging.getLogger("guard.scheduler").warning("the clock stepped back %.1f s: running every job now", back)
            run_every_job_now(sched)
    sched.shutdown(wait=True)  # a run in progress finishes its transaction

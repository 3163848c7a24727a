"""`guard scheduler`: run the scheduled jobs (complaint SLAs, the decision chain, the audit reaper, idempotency keys, script review), once or on an interval."""

from __future__ import annotations

import json

import click

from guard.cli.group import guard_group, runtime as _rt


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
    while not stopping.wait(1.0):
        pass
    sched.shutdown(wait=True)  # a run in progress finishes its transaction

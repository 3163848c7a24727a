"""gunicorn settings for `make run` and production: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Threads in a few processes: the work per check is short and mostly waits on the store, and
gthread keeps client connections alive (a dialer reuses its connection for every check).
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the repository, wherever gunicorn starts
from guard.config import Settings, prepare_metrics_dir  # noqa: E402

# The same strictly parsed settings as the app (guard/config.py): a bad value stops the start here.
settings = Settings.from_env(os.environ)

# Metrics from every worker are summed through files in one directory per server (guard/metrics.py).
# It is emptied (or created) at start so that a restarted server does not carry old counts.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="guard-metrics-")
else:
    prepare_metrics_dir(os.environ["PROMETHEUS_MULTIPROC_DIR"], empty=True)

bind = settings.bind or f"127.0.0.1:{settings.port}"
workers = settings.workers
# gthread with a read/write timeout on each client socket (GUARD_CLIENT_TIMEOUT, guard/serving.py).
worker_class = "guard.serving.GuardWorker"
threads = settings.threads
keepalive = 15
timeout = 30
graceful_timeout = 20
# Slow or stuck clients must not hold a worker thread for long: besides the socket timeouts, bounded
# request lines and header counts.
limit_request_line = 8190
limit_request_fields = 100
accesslog = settings.access_log or None
# gunicorn's control socket is off unless a path is configured (its default, $HOME/.gunicorn/gunicorn.ctl,
# would be shared by every server the user runs).
if settings.control_socket:
    control_socket = settings.control_socket
else:
    control_socket_disable = True
errorlog = "-"
loglevel = settings.log_level.lower()
if settings.log_format == "json":  # gunicorn's own lines as JSON objects too, like the guard's
    logger_class = "guard.serving.JsonLogger"


def child_exit(server, worker):  # a dead worker's live gauges go; its counters stay counted
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """A worker that starts lints in GUARD_LINT_PROCESSES helper processes of its own (a long lint in one of its
    threads would hold its checks up: bench/lint_isolation.py). And (first, or in place of one that died) it fails at
    once the audits whose process on this host is gone, instead of leaving them `running` until the scheduler's
    reaper finds their heartbeat stale (guard/services/audits/liveness.py)."""
    import logging

    from guard.services.catalog import lint_pool

    lint_pool.configure(settings.lint_processes, settings.lint_nice)  # started on the worker's first lint
    try:
        from guard.services.audits import reap_now

        rt = worker.wsgi.extensions["guard"]
        result = reap_now(rt.store, rt.clock, rt.settings.audit_stale_after, rt.settings.data_dir)
        if result["reaped"]:
            logging.getLogger("guard.audits").warning("audits failed at worker start (their process is gone): %s",
                                                      ", ".join(result["reaped"]))
    except Exception:  # a store outage must not stop the worker; the scheduler's reaper retries
        logging.getLogger("guard.audits").exception("could not reap dead audits at worker start")

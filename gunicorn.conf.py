"""gunicorn settings for `make run` and production: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Threads in a few processes: the work per check is short and mostly waits on the store, and
gthread keeps client connections alive (a dialer reuses its connection for every check).
"""

import os
import shutil
import tempfile

# Metrics from every worker are summed through files in one directory per server (guard/metrics.py).
# It is emptied at start so that a restarted server does not carry old counts.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="guard-metrics-")
else:
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

bind = os.environ.get("GUARD_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUARD_WORKERS", str(max(2, os.cpu_count() or 2))))
# gthread with a read/write timeout on each client socket (GUARD_CLIENT_TIMEOUT, guard/serving.py).
worker_class = "guard.serving.GuardWorker"
threads = int(os.environ.get("GUARD_THREADS", "4"))
keepalive = 15
timeout = 30
graceful_timeout = 20
# Slow or stuck clients must not hold a worker thread for long: besides the socket timeouts, bounded
# request lines and header counts.
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUARD_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUARD_LOG_LEVEL", "info").lower()


def child_exit(server, worker):  # a dead worker's live gauges go; its counters stay counted
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

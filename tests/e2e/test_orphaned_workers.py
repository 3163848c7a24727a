"""When the gunicorn master dies (SIGKILL), its workers must not serve on and hold the port.

Found in an adversarial review: after `kill -9` of the master the orphaned workers served for ~20 s
(gunicorn's graceful shutdown keeps answering kept-alive clients) and a restarted master failed five
times with "Address already in use". Now a worker that finds its master gone closes its listening
socket at once and exits within ORPHAN_GRACE_S of finishing what is in flight.
"""

from __future__ import annotations

import socket
import os
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.servers import GuardServer

pytestmark = pytest.mark.e2e


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"


def test_workers_of_a_killed_master_free_the_port_and_exit_promptly(sqlite_url):
    # A long client timeout, and a request stalled mid-body: without the fix an orphaned worker waits
    # for it (and holds the listening socket) for up to graceful_timeout.
    first = GuardServer({"DATABASE_URL": sqlite_url, "GUARD_CLIENT_TIMEOUT": "30"}, workers=1).start()
    workers = first.workers()
    assert len(workers) == 1
    stalled = socket.create_connection(("127.0.0.1", first.port), timeout=5)
    stalled.sendall(b"POST /v1/check HTTP/1.1\r\nHost: guard\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    time.sleep(0.5)  # the worker has it in flight
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(5)
    killed = time.monotonic()
    second = GuardServer({"DATABASE_URL": sqlite_url}, workers=1)
    second.port = first.port
    second.env["GUARD_BIND"] = f"127.0.0.1:{first.port}"
    try:
        second.start(timeout=30)  # binds the same port: the orphan let it go
        started = time.monotonic() - killed
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        gone = time.monotonic() - killed
        assert not any(_alive(pid) for pid in workers), "orphaned worker still running"
        assert started < 10 and gone < 8, (started, gone)
        assert second.request("GET", "/healthz")[0] == 200
    finally:
        second.stop()
        first.stop()  # the master is dead already: closes its log
        stalled.close()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)

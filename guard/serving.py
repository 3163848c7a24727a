"""The gunicorn worker the guard runs on: gthread, with a read and write timeout on every client socket.

gunicorn's gthread worker reads a request with a blocking socket in one of its few threads. A client
that opens a connection, sends half a request and stalls (a stuck dialer, or a slowloris attack)
would hold that thread for as long as the connection lives; a handful of them stop a worker from
answering anyone. `SO_RCVTIMEO` / `SO_SNDTIMEO` (GUARD_CLIENT_TIMEOUT seconds, default 5) make any
single read or write that waits longer fail, so the connection is closed and the thread is free:
a request stalled in its headers is dropped, one stalled in its body is answered 408, a client that
stops reading its answer is cut off. The timer restarts with every packet, so a client trickling a
byte at a time is the reverse proxy's job (nginx `client_header_timeout`, `client_body_timeout`; see
the deployment guide in the README).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct

from gunicorn import util as gunicorn_util
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker

from guard.config import Settings
from guard.logs import JsonFormatter


class _StalledClient(logging.Filter):
    """gunicorn logs a traceback for a read that timed out; one line says what happened."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], (BlockingIOError, TimeoutError)):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "client stalled for %gs mid-request: connection closed", (self.seconds,)
        return True


ORPHAN_GRACE_S = 2


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """What gunicorn answers a request it cannot read itself (a control character in a header, a request line or
    header past gunicorn.conf.py's limits, a bad chunk size), written as every other error of the API is
    (SPEC §3: `{"error": {"code", "message", "details"}}`, JSON), not gunicorn's HTML page: a dialer's client reads
    the body as JSON and must be told what was wrong, not fail on `<html>`. The status stays gunicorn's (400, 414, 431,
    501; 500 when the application failed outside Flask's handlers); the code is BAD_REQUEST for a request that cannot
    be read, INTERNAL_ERROR for a 500."""
    from guard.core.messages import error_messages

    code = "INTERNAL_ERROR" if status_int >= 500 and status_int != 501 else ("FORBIDDEN" if status_int == 403 else "BAD_REQUEST")
    message = f"{reason}: {mesg}" if mesg else reason
    body = json.dumps({"error": {"code": code, "message": message, "details": None,
                                 "messages": error_messages(code, message, None)}}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Cache-Control: no-store\r\nContent-Length: {len(body)}\r\n\r\n")
    gunicorn_util.write_nonblock(sock, head.encode("latin-1") + body)


class GuardWorker(ThreadWorker):
    def is_parent_alive(self) -> bool:
        """A worker whose master is gone (killed with SIGKILL) stops at once: it closes its listening
        sockets, so that the master systemd starts again can bind the port, finishes what is in flight
        for at most ORPHAN_GRACE_S and exits (gunicorn's own shutdown would keep answering kept-alive
        clients for the whole graceful_timeout)."""
        if super().is_parent_alive():
            return True
        self.set_accept_enabled(False)
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass
        self.cfg.set("graceful_timeout", ORPHAN_GRACE_S)  # an int: gunicorn validates it as one
        return False

    def init_process(self) -> None:
        # gunicorn's worker writes its errors with gunicorn.util.write_error (its only caller, workers/base.py
        # handle_error, which keeps its choice of status and its log line): in this worker process, as JSON.
        gunicorn_util.write_error = write_json_error
        self.client_timeout = Settings.from_env(os.environ).client_timeout
        seconds = int(self.client_timeout)
        self._timeval = struct.pack("ll", seconds, int((self.client_timeout - seconds) * 1_000_000))
        self.log.error_log.addFilter(_StalledClient(self.client_timeout))
        super().init_process()

    def enqueue_req(self, conn) -> None:
        if not getattr(conn, "guard_timeouts", False):
            try:
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, self._timeval)
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, self._timeval)
            except OSError:
                pass  # the client has gone already; handling the connection will find out
            conn.guard_timeouts = True
        super().enqueue_req(conn)


class JsonLogger(Logger):
    """gunicorn's own messages (start, a worker killed or timed out and replaced, shutdown) as the guard's JSON
    lines, for GUARD_LOG_FORMAT=json (gunicorn.conf.py): a log pipeline reads the service's output one line at a
    time, and gunicorn's text lines among the JSON ones (a worker's traceback over several lines) were read as
    garbage or dropped, the worker deaths an on-call engineer alerts on among them."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

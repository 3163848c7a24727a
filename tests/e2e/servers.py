"""Real guard servers for end-to-end tests: gunicorn processes on loopback, started and stopped here."""

from __future__ import annotations

import atexit
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Every server started and not yet stopped: a fixture that fails after starting one (its seeding asserts) leaves
# it to the interpreter's exit, which stops it here instead of leaving gunicorn serving after the run.
_RUNNING: set["GuardServer"] = set()


class GuardServer:
    def __init__(self, env: dict[str, str], workers: int = 2, threads: int = 4, host: str = "127.0.0.1",
                 root: Path = ROOT, prefix: list[str] | None = None):
        """`root`: the source tree to serve (another release's checkout, for upgrade tests); `prefix`: a
        command to start gunicorn under (`nice -n 10`)."""
        self.prefix = prefix or []
        self.host = host
        self.root = root
        self.port = free_port()
        self.env = {**os.environ, **env, "GUARD_BIND": f"{host}:{self.port}", "GUARD_WORKERS": str(workers),
                    "GUARD_THREADS": str(threads), "GUARD_LOG_LEVEL": env.get("GUARD_LOG_LEVEL", "WARNING")}
        self.proc: subprocess.Popen | None = None
        self.log = ROOT / "var" / f"e2e-gunicorn-{host}-{self.port}.log"

    def start(self, timeout: float = 60) -> "GuardServer":
        """Start gunicorn and wait until it answers /healthz; if it does not, stop it before raising."""
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def __enter__(self) -> "GuardServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start(self, timeout: float) -> "GuardServer":
        self.log.parent.mkdir(exist_ok=True)
        self._log_handle = open(self.log, "wb")
        self.proc = subprocess.Popen(
            [*self.prefix, str(BIN / "gunicorn"), "-c", str(self.root / "gunicorn.conf.py"), "app:create_app()"],
            cwd=self.root, env=self.env, stdout=self._log_handle, stderr=subprocess.STDOUT,
        )
        _RUNNING.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not come up")

    def request(self, method: str, path: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
        return request(self.port, method, path, body, key, host=self.host)

    def workers(self) -> set[int]:
        """The pids of the master's worker processes (Linux /proc)."""
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return {int(pid) for pid in children}

    def stop(self) -> None:
        """Stop gunicorn (SIGTERM, then SIGKILL after 20 s) and close its log; stopping twice is harmless."""
        _RUNNING.discard(self)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "_log_handle", None):
            self._log_handle.close()


@atexit.register
def _stop_left_running() -> None:
    for server in list(_RUNNING):
        server.stop()


def request(port: int, method: str, path: str, body: Any = None, key: str | None = None,
            conn: http.client.HTTPConnection | None = None, host: str = "127.0.0.1") -> tuple[int, Any]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    finally:
        if own:
            conn.close()


def cli(env: dict[str, str], *args: str, root: Path = ROOT, input_: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "app", "guard", *args], cwd=root, env={**os.environ, **env},
                          input=input_, capture_output=True, text=True, timeout=120)


def cli_on_a_terminal(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run a `guard` command with stderr on a pseudo-terminal (where progress bars show): (result, what stderr showed)."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.run([str(BIN / "flask"), "--app", "app", "guard", *args], cwd=ROOT, env={**os.environ, **env},
                          stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc, shown


def next_workday_at(hour: int = 10, minute: int = 15) -> str:
    """An instant inside the default pack's weekday window, on a mainland working day after today.

    For tests judged at a client `at` (GUARD_ALLOW_CLIENT_TIME) that also record state at the
    server's clock (complaint mutes start when filed): the call must come after the filing, whatever
    the hour the suite runs at.
    """
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    import holidays

    zone = ZoneInfo("Asia/Shanghai")
    day = datetime.now(zone).date() + timedelta(days=1)
    closed = holidays.country_holidays("CN", years=range(day.year, day.year + 2))
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    assert isinstance(day, date)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).isoformat()

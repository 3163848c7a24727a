"""deploy/guard.service: the unit systemd parses, and the stop it describes, played on a real gunicorn.

KillMode=mixed means: on stop, systemd sends KillSignal (SIGTERM) to the main process only (the gunicorn
master, which stops its workers gracefully), waits TimeoutStopSec, then SIGKILLs whatever is left in
the unit's cgroup. So a stop is clean only if the master and every worker are gone before
TimeoutStopSec even with a client stalled mid-request; otherwise the SIGKILL cuts answers in flight.
When the master itself dies (crash, OOM kill), Restart=always starts a new one, which must be able to
bind the port: tests/e2e/test_orphaned_workers.py covers that half.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.servers import ROOT, GuardServer

pytestmark = pytest.mark.e2e
UNIT = ROOT / "deploy" / "guard.service"


def _directives(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z]+)=(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    assert match, f"unexpected time span {value!r}"
    return int(match.group(1)) * (60 if match.group(2) == "min" else 1)


def _gunicorn_setting(name: str) -> float:
    # Read from the file's assignments, not by running it: running it would set PROMETHEUS_MULTIPROC_DIR
    # and the like in this test process.
    import ast

    for node in ast.parse((ROOT / "gunicorn.conf.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return float(ast.literal_eval(node.value))
    raise AssertionError(f"gunicorn.conf.py sets no {name}")


@pytest.mark.parametrize("name", ["guard.service", "guard-batch.service"])
def test_systemd_parses_the_unit(tmp_path, name):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (package systemd)")
    # The unit as installed on an app host, with this checkout standing in for /opt/guard and the
    # current user for `guard`, so that verify can check the executables and users it names.
    user = os.environ.get("USER") or "root"
    source = (ROOT / "deploy" / name).read_text()
    text = source.replace("/opt/guard", str(ROOT)).replace("User=guard", f"User={user}").replace("Group=guard", f"Group={user}")
    unit = tmp_path / name
    unit.write_text(text)
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if name in line]
    assert result.returncode == 0 and complaints == [], result.stdout + result.stderr


def test_the_scrub_unit_is_the_web_unit_on_its_own_port_and_lower_priority():
    web, batch = _directives(UNIT.read_text()), _directives((ROOT / "deploy" / "guard-batch.service").read_text())
    assert batch["Nice"] == "10" and "GUARD_BIND=127.0.0.1:8001" in batch["Environment"]
    assert batch["RuntimeDirectory"] != web["RuntimeDirectory"]
    for same in ("ExecStart", "KillMode", "KillSignal", "TimeoutStopSec", "UMask", "User", "EnvironmentFile"):
        assert batch[same] == web[same], same
    nginx = (ROOT / "deploy" / "nginx-guard.conf").read_text()
    assert re.search(r"upstream guard_batch \{\s*server 127\.0\.0\.1:8001;", nginx)
    assert re.search(r"upstream guard \{\s*server 127\.0\.0\.1:8000;", nginx)


def _upstream_for(nginx: str, path: str) -> str:
    """The upstream nginx proxies `path` to under the config's locations, by nginx's precedence: an exact match
    (`location = …`), else the longest prefix. The config holds no other kind of location (asserted), so this is whole."""
    locations = re.findall(r"location\s+(=\s+)?(\S+)\s*\{([^}]*)\}", nginx)
    assert len(locations) == nginx.count("location "), "a location of a kind this reading does not resolve (regex, ^~, named)"
    exact = [body for eq, prefix, body in locations if eq and prefix == path]
    prefixes = [(len(prefix), body) for eq, prefix, body in locations if not eq and path.startswith(prefix)]
    body = exact[0] if exact else max(prefixes)[1]
    return re.search(r"proxy_pass http://(\w+);", body).group(1)


@pytest.mark.parametrize("path,upstream", [
    ("/v1/check", "guard"), ("/v1/calls/c1/outcome", "guard"), ("/v1/blacklist", "guard"), ("/healthz", "guard"),
    ("/metrics", "guard"), ("/v1/check/batch", "guard_batch"),
    # every lint: bench/lint_isolation.py (six reviewers linting 100,000 characters back to back on the checks' gunicorn:
    # check p99 10 ms -> 5.5 s; on guard-batch 15 ms)
    ("/v1/scripts/lint", "guard_batch"), ("/v1/scripts", "guard_batch"), ("/v1/scripts/s1/approve", "guard_batch"),
    ("/v1/scripts/needs-review", "guard_batch"),
    # a blacklist import: bench/import_isolation.py (100,000-row lists back to back on the checks' gunicorn: check p99
    # 8 -> 155 ms; on guard-batch 18-28 ms); an entry's own writes and reads stay with the checks
    ("/v1/blacklist/import", "guard_batch"), ("/v1/blacklist/removals", "guard_batch"), ("/v1/blacklist", "guard"), ("/v1/blacklist/13800000000", "guard"),
    # and a consent import (100,000 consents: 7 -> 1,022 ms; on guard-batch 11-12 ms)
    ("/v1/consents/import", "guard_batch"), ("/v1/consents", "guard"), ("/v1/consents/c1/withdraw", "guard"),
    ("/v1/audits", "guard"),
])
def test_nginx_sends_scrubs_lints_and_imports_to_the_batch_gunicorn_and_the_rest_to_the_checks(path, upstream):
    assert _upstream_for((ROOT / "deploy" / "nginx-guard.conf").read_text(), path) == upstream


def test_stop_timeout_outlasts_the_graceful_stop():
    unit = _directives(UNIT.read_text())
    assert unit["KillMode"] == "mixed" and unit["KillSignal"] == "SIGTERM"
    # systemd's SIGKILL comes after TimeoutStopSec; gunicorn gives workers graceful_timeout to finish.
    assert _seconds(unit["TimeoutStopSec"]) > _gunicorn_setting("graceful_timeout")
    assert unit["Restart"] == "always" and unit["UMask"] == "0077"


def test_sigterm_to_the_master_alone_stops_every_process_before_the_kill(sqlite_url):
    stop_timeout = _seconds(_directives(UNIT.read_text())["TimeoutStopSec"])
    server = GuardServer({"DATABASE_URL": sqlite_url, "GUARD_CLIENT_TIMEOUT": "5"}, workers=2).start()
    workers = server.workers()
    assert len(workers) == 2
    # A client stalled mid-body and one idle kept-alive client: what a stop meets on a busy host.
    stalled = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    stalled.sendall(b"POST /v1/check HTTP/1.1\r\nHost: guard\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: guard\r\n\r\n")
    assert b"200" in idle.recv(4096).split(b"\r\n", 1)[0]
    time.sleep(0.3)
    try:
        started = time.monotonic()
        os.kill(server.proc.pid, signal.SIGTERM)  # KillMode=mixed: the main process only
        server.proc.wait(stop_timeout)
        deadline = started + stop_timeout
        while any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        left = [pid for pid in workers if Path(f"/proc/{pid}").exists() and _running(pid)]
        assert left == [], f"workers {left} still running {elapsed:.1f} s after SIGTERM: systemd would SIGKILL them"
        assert elapsed < stop_timeout
        # Nothing listens any more: the port is free for the next start.
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    finally:
        stalled.close()
        idle.close()
        server.stop()
        for pid in workers:
            if Path(f"/proc/{pid}").exists() and _running(pid):
                os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False

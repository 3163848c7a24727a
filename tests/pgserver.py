"""A throwaway PostgreSQL cluster on loopback for the test suite (no docker).

`make test` installs Debian's postgresql when it is missing (scripts/ensure-postgres.sh);
this module initialises a private cluster in a temporary directory, starts it on a free
127.0.0.1 port and removes it at the end. Set TEST_DATABASE_URL to use a server of your own.
PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresNotInstalled(RuntimeError):
    pass


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresNotInstalled("PostgreSQL server binaries not found: run `make test` (it installs them) or scripts/ensure-postgres.sh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, durable: bool = False) -> None:
        """`durable`: keep fsync and synchronous commits on (benchmarks); tests turn them off for speed."""
        self.durable = durable
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="guard-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user = "guard"
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresNotInstalled("running as root needs the `postgres` system user (Debian's postgresql package)") from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self._run_as, *args], check=check, capture_output=True, text=True, cwd="/")

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", self._options(), "-l", str(self.root / "log"), "-w", "-t", "60", "start")

    def _options(self) -> str:
        return (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root} "
            "-c max_connections=300 -c shared_buffers=128MB"
            + ("" if self.durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `fast` ends sessions but flushes what was committed (this cluster runs
        with synchronous_commit=off for speed, so `immediate` may lose the last commits)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        """Start the stopped cluster again on the same port."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", self._options(), "-l", str(self.root / "log"), "-w", "-t", "60", "start")

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                recreate_database(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", name)
                return self.url(name)
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


def recreate_database(dsn: str, name: str) -> None:
    """Drop the database `name` if it exists and create it empty, on the server `dsn` connects to."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def refuse_decision_inserts(conn, phone: str) -> None:
    """Make every decision insert for `phone` fail, as a full disk or a revoked grant would: a trigger raising on the
    decision log (PostgreSQL; `conn` a SQLAlchemy connection in a transaction). `allow_decision_inserts` lifts it."""
    from sqlalchemy import text

    if not phone.isdigit():
        raise ValueError(phone)  # it is written into the function's text
    conn.execute(text("CREATE FUNCTION refuse_decision() RETURNS trigger AS $$ BEGIN "
                      f"IF NEW.phone_input = '{phone}' THEN RAISE EXCEPTION 'could not extend file'; END IF; RETURN NEW; "
                      "END $$ LANGUAGE plpgsql"))
    conn.execute(text("CREATE TRIGGER refuse_decision BEFORE INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION refuse_decision()"))


def allow_decision_inserts(conn) -> None:
    """Lift `refuse_decision_inserts` (a database other tests share must not keep it)."""
    from sqlalchemy import text

    conn.execute(text("DROP TRIGGER refuse_decision ON decisions"))
    conn.execute(text("DROP FUNCTION refuse_decision()"))

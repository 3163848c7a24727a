"""What one pre-call check sends to PostgreSQL, read from the server's own statement log.

The hot path's cost on PostgreSQL is mostly round trips: a check that named the number's owner (or
a number nobody owns) sends its transaction's BEGIN, the locks, the owner and the call's rows together,
decides, and sends its insert with the COMMIT: two round trips, six statements. The configuration is
not read (the process's copy is current: its generation is read with the rows), and the pool does not
ping a connection it used a moment ago. A check whose number belongs to someone it did not name locks
the owner and reads again.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from guard.store.migrate import upgrade
from tests.conftest import new_key

AT = "2026-11-23T10:15:00+08:00"


@pytest.fixture
def logged(pg_server):
    if pg_server is None:
        pytest.skip("needs the suite's own PostgreSQL server (its statement log)")
    name = "stmts_" + uuid.uuid4().hex[:8]
    url = pg_server.create_database(name)
    upgrade(url)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET log_statement = \'all\''))
    engine.dispose()
    # Markers come from a connection opened (and introduced to SQLAlchemy) before the first one.
    marker_conn = create_engine(url, poolclass=NullPool).connect().execution_options(isolation_level="AUTOCOMMIT")
    yield pg_server.root / "log", url, marker_conn
    marker_conn.close()


def statements_between(log, start: str, end: str) -> list[str]:
    deadline = time.monotonic() + 5
    while True:
        lines = log.read_text(errors="replace").splitlines()
        found = [i for i, line in enumerate(lines) if start in line], [i for i, line in enumerate(lines) if end in line]
        if found[0] and found[1]:
            break
        assert time.monotonic() < deadline, "markers not in the server log"
        time.sleep(0.1)
    inside = lines[found[0][-1] + 1:found[1][-1]]
    return [re.sub(r"^.*?(?:statement|execute [^:]*): ", "", line) for line in inside
            if "statement: " in line or "execute " in line]


def marker(conn, label: str) -> None:
    conn.execute(text(f"SELECT '{label}'"))


def test_a_check_is_two_round_trips_of_six_statements(logged):
    from app import create_app

    log, url, marks = logged
    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "3600",
                      "GUARD_ALLOW_CLIENT_TIME": "1"})
    headers = new_key(app, "dialer", "operator")
    client = app.test_client()
    owned = client.put("/v1/customers/C1", json={"phones": ["13800138001"], "risk_level": "C3",
                                                 "risk_assessed_at": "2026-10-01T00:00:00+08:00"}, headers=headers)
    assert owned.status_code in (200, 201), owned.json

    def check(phone: str, **extra) -> dict:
        r = client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "at": AT, **extra}, headers=headers)
        assert r.status_code == 200, r.json
        return r.json

    check("13800138999")  # warm: the configuration copy, the pool
    tag = uuid.uuid4().hex[:8]
    marker(marks, f"start-{tag}")
    assert check("13800138000")["allowed"] is True  # nobody's number
    assert check("13800138001", customer_id="C1")["allowed"] is True  # the owner, named
    marker(marks, f"end-{tag}")
    sent = statements_between(log, f"start-{tag}", f"end-{tag}")
    kinds = [s.split()[0].upper() + (" lock" if "pg_advisory_xact_lock" in s else "") for s in sent]
    one = ["BEGIN", "SELECT lock", "SELECT", "SELECT", "WITH", "COMMIT"]
    assert kinds == one + one, " | ".join(kinds)
    assert not [s for s in sent if "config_campaigns" in s or "config_products" in s], sent

    marker(marks, f"start2-{tag}")
    assert check("13800138001")["allowed"] is False  # the owner not named: already called today (locked, read again)
    marker(marks, f"end2-{tag}")
    sent = statements_between(log, f"start2-{tag}", f"end2-{tag}")
    assert sum("pg_advisory_xact_lock" in s for s in sent) == 2 and sum(s.startswith("SELECT 'n'") for s in sent) == 2, sent
    app.extensions["guard"].store.dispose()


def test_a_denied_check_ends_its_locks_transaction_before_the_decisions_commit(logged):
    """A check that records no attempt (denied here: the number's daily cap is used) writes nothing its locks guard:
    it ends the transaction holding them first, so that the next check of the same number or customer does not wait
    for this one's commit to reach the disk, then writes its decision in a transaction of its own, in the next round
    trip. An allowed check still writes its attempt before its locks go (the first test)."""
    from app import create_app

    log, url, marks = logged
    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "3600",
                      "GUARD_ALLOW_CLIENT_TIME": "1"})
    headers = new_key(app, "dialer")
    client = app.test_client()

    def check(phone: str) -> dict:
        r = client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "at": AT}, headers=headers)
        assert r.status_code == 200, r.json
        return r.json

    assert check("13800138000")["allowed"] is True
    tag = uuid.uuid4().hex[:8]
    marker(marks, f"start-{tag}")
    denied = check("13800138000")
    marker(marks, f"end-{tag}")
    assert denied["allowed"] is False and [r["code"] for r in denied["reasons"]] == ["FREQ_CAP"], denied
    sent = statements_between(log, f"start-{tag}", f"end-{tag}")
    kinds = [s.split()[0].upper() + (" lock" if "pg_advisory_xact_lock" in s else "") for s in sent]
    assert kinds == ["BEGIN", "SELECT lock", "SELECT", "SELECT", "COMMIT", "BEGIN", "INSERT", "COMMIT"], " | ".join(kinds)
    with app.extensions["guard"].store.read() as conn:
        assert conn.execute(text("SELECT allowed FROM decisions WHERE id = :id"), {"id": denied["decision_id"]}).scalar_one() is False
        assert conn.execute(text("SELECT count(*) FROM attempts WHERE phone_e164 = '+8613800138000'")).scalar_one() == 1
    app.extensions["guard"].store.dispose()


def test_a_keyed_check_adds_the_keys_lock_and_read_and_writes_its_row_before_the_commit(logged):
    """An `Idempotency-Key` check: the key's lock and its read first (one round trip), then the check as above with
    the key's row sent with the decision's insert and the COMMIT. A retry: the key's lock and read, nothing written."""
    from app import create_app

    log, url, marks = logged
    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "3600",
                      "GUARD_ALLOW_CLIENT_TIME": "1"})
    headers = new_key(app, "dialer")
    client = app.test_client()

    def check(phone: str, key: str) -> dict:
        r = client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "at": AT},
                        headers={**headers, "Idempotency-Key": key})
        assert r.status_code == 200, r.json
        return r.json

    check("13800138999", "warm")
    tag = uuid.uuid4().hex[:8]
    marker(marks, f"start-{tag}")
    first = check("13800138000", "call-1")
    assert check("13800138000", "call-1") == first
    marker(marks, f"end-{tag}")
    sent = statements_between(log, f"start-{tag}", f"end-{tag}")
    kinds = [s.split()[0].upper() + (" lock" if "pg_advisory_xact_lock" in s else "") for s in sent]
    keyed = ["BEGIN", "SELECT lock", "SELECT", "SELECT lock", "SELECT", "SELECT", "WITH", "DELETE", "INSERT", "COMMIT"]
    replay = ["BEGIN", "SELECT lock", "SELECT", "COMMIT"]
    assert kinds == keyed + replay, " | ".join(kinds)
    app.extensions["guard"].store.dispose()

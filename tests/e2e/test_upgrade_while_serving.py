"""An upgrade as operations run it: migrate the store while the previous release serves, then roll the code.

The previous release is checked out from this repository's history (PREVIOUS_RELEASE, whose newest
migration is PREVIOUS_REVISION) and served by gunicorn on PostgreSQL at its own schema. While
dialers' checks arrive, this release's `guard db upgrade` migrates the store to the new head. No
check fails during or after the migration, the old code keeps serving on the new schema, and then
this release takes over the same store, still counting the calls the old one allowed.

When a release adds a migration, move PREVIOUS_RELEASE to the release before it.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from guard.store.migrate import current_revision, head_revision
from tests.e2e.servers import ROOT, GuardServer, cli

pytestmark = pytest.mark.e2e
PREVIOUS_RELEASE = "d716552"  # the release before migration 0032 (a removal keeps whether the number stayed blocked); its newest is 0031
PREVIOUS_REVISION = "0031"
AT = "2026-11-23T10:15:00+08:00"


@pytest.fixture
def previous_release(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs the git history (the previous release is checked out from it)")
    target = tmp_path / "previous"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def test_the_store_is_migrated_under_the_previous_release_without_a_failed_check(pg_server, previous_release):
    if pg_server is None:
        pytest.skip("needs the suite's own PostgreSQL server")
    url = pg_server.create_database("guard_upgrade")
    env = {"DATABASE_URL": url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0"}
    out = cli(env, "db", "upgrade", root=previous_release)
    assert out.returncode == 0, out.stderr
    assert current_revision(url) == PREVIOUS_REVISION != head_revision()
    old = GuardServer(env, root=previous_release).start()
    new = None
    try:
        key = cli(env, "keys", "create", "--role", "dialer", root=previous_release).stdout.strip()
        answers: list[tuple[int, dict]] = []
        stop = threading.Event()

        def dial(server: GuardServer) -> None:
            n = 0
            while not stop.is_set():
                answers.append(server.request("POST", "/v1/check", {"phone": f"+86137{n:08d}", "campaign": "dep-2026q4", "at": AT}, key))
                n += 1
                time.sleep(0.01)

        loader = threading.Thread(target=dial, args=(old,))
        loader.start()
        time.sleep(1.0)
        before = len(answers)
        migrated = cli(env, "db", "upgrade")  # this release's migrations, while the old one serves
        time.sleep(1.0)
        stop.set()
        loader.join(30)
        assert migrated.returncode == 0, migrated.stderr
        assert current_revision(url) == head_revision()
        assert before > 10 and len(answers) > before + 10, "checks kept arriving through the migration"
        failed = [a for a in answers if a[0] != 200]
        assert failed == [], failed[:3]
        assert all(body["allowed"] for _, body in answers)  # each number once: every check allowed

        # The rollout: this release starts on the migrated store, the old one stops.
        new = GuardServer(env).start()
        old.stop()
        status, again = new.request("POST", "/v1/check", {"phone": "+8613700000000", "campaign": "dep-2026q4", "at": AT}, key)
        assert status == 200 and again["allowed"] is False and again["reasons"][0]["code"] == "FREQ_CAP"
        sealed = cli(env, "decisions", "seal")  # the new release's feature, over the old release's decisions
        assert sealed.returncode == 0, sealed.stderr
        verified = cli(env, "decisions", "verify")
        assert verified.returncode == 0, verified.stdout
    finally:
        old.stop()
        if new is not None:
            new.stop()

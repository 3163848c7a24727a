"""Processes starting together on one store (gunicorn workers, several hosts) must all come up."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, func, select

from app import create_app
from guard.store import models as m


def test_workers_booting_at_once_record_each_pack_version_exactly_once(store_url: str):
    """Every process records the served pack versions at start; the first ones race on a fresh store.

    A worker that lost that race used to die at boot on PostgreSQL (duplicate key), taking the
    gunicorn master down with it.
    """
    n = 6
    barrier = threading.Barrier(n)
    apps, errors = [], []
    config = {"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "0"}
    for _ in range(n):
        apps.append(create_app(config))
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(m.PolicySnapshot.__table__.delete())

    def boot(app):
        barrier.wait()
        try:
            app.extensions["guard"].record_snapshots()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a worker would have died of
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = apps[0].extensions["guard"].registry.current.all_versions()
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(m.PolicySnapshot.__table__)).scalar_one()
    engine.dispose()
    for app in apps:
        app.extensions["guard"].store.dispose()
    assert errors == []
    assert stored == len({p.hash for p in versions}) > 0

"""Decisions are replayable by construction: every decision of a simulated period, asked again under
the pack version that made it, from the decision log and the as-of reader alone, gives exactly the
logged answer — allowed, every reason with its message and detail, `next_allowed_at`, the callee's
zone and the pack version — on both stores.

The period is the seeded world of `test_one_path` (customers with random profiles, numbers moved
between them, blacklist entries added and removed, complaints that tag and mute, callbacks that
defer, campaigns governed by other packs, checks naming the owner, someone else or nobody, denied
calls dialled anyway, outcomes that change what `count: connected` counts), plus dry runs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from guard.core.replay import DECISION_SCHEMA_VERSION
from guard.services.whatif import replay_decisions
from tests.conftest import Clock
from tests.services.test_one_path import START, World, pack_dir  # noqa: F401 - pack_dir is a fixture


def _run_world(app, clock: Clock, seed: int, steps: int) -> World:
    world = World(app, clock, seed)
    world.setup()
    actions = [(world.check, 60), (world.move_number, 5), (world.blacklist, 5), (world.unblacklist, 4), (world.complaint, 5),
               (world.approve_script, 1), (lambda: dry_run(world), 8)]
    for _ in range(steps):
        world.tick()
        action = world.rnd.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
        action()
    return world


def dry_run(world: World) -> None:
    number = world.rnd.choice(list(world.owner))
    world.api("POST", "/v1/check", {"phone": number, "campaign": world.rnd.choice(["dep-2026q4", "wm-2026q4", "strict"]),
                                   "dry_run": True, "at": world.clock.now.isoformat()})


@pytest.mark.parametrize("seed", [1, 2])
def test_every_decision_replayed_under_its_own_pack_version_gives_the_logged_answer(make_app, pack_dir, tmp_path, seed):  # noqa: F811
    clock = Clock(START)
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), GUARD_DATA_DIR=str(tmp_path / "data"), clock=clock)
    world = _run_world(app, clock, seed, 260)
    rt = app.extensions["guard"]
    replayed = 0
    kinds = set()
    allowed = denied = 0
    for r, (stored_reasons, version, next_allowed_at) in replay_decisions(rt.store, rt.packs(), START, clock.now + timedelta(seconds=1)):
        check, decision = r.check, r.decision
        logged = (check.allowed, stored_reasons, next_allowed_at, f"{check.pack_id} {check.pack_version}")
        again = (decision.allowed, [{"code": x.code, "message": x.message, "detail": x.detail} for x in decision.reasons],
                 decision.next_allowed_at, f"{r.pack.id} {r.pack.version}")
        assert again == logged, (check, logged, again)
        assert version == DECISION_SCHEMA_VERSION
        replayed += 1
        allowed += decision.allowed
        denied += not decision.allowed
        kinds.update(x["code"] for x in stored_reasons)
    with rt.store.read() as conn:
        from sqlalchemy import func, select

        from guard.store.models import Decision

        total = conn.execute(select(func.count()).select_from(Decision)).scalar_one()
        dry = conn.execute(select(func.count()).select_from(Decision).where(Decision.dry_run.is_(True))).scalar_one()
    assert replayed == total and total >= 150, (replayed, total)
    # (few are allowed: cn-bank allows one marketing call a day per number, and the world's calls labelled service on a
    # marketing campaign are judged and counted as marketing)
    assert dry >= 10 and allowed >= 3 and denied >= 100, (dry, allowed, denied)
    # The period exercised the rules that depend on history: caps, blacklist, mutes, deferrals, windows.
    assert {"FREQ_CAP", "DNC_OPT_OUT", "QUIET_HOURS"} <= kinds, kinds
    assert len(kinds) >= 7, kinds
    assert len(world.despite) >= 3, "too few calls dialled despite a deny"


# Checks with client-supplied times (GUARD_ALLOW_CLIENT_TIME) made out of the order of their instants. cn-bank 2026.4
# allows one marketing call a day per number (policies/packs/cn-bank-2026.4.yaml, caps.normal: number 24h max 1); a
# live check counts every attempt recorded before it, one at a later instant included (guard/core/caps.py).
# | made | at (Shanghai)   | logged                                                   |
# | 1st  | Wed 11-25 10:00 | allowed                                                  |
# | 2nd  | Tue 11-24 10:00 | FREQ_CAP: the 25th's attempt (recorded first) is inside  |
# | 3rd  | Wed 11-25 15:00 | FREQ_CAP                                                 |
# | 4th  | Thu 11-26 11:00 | allowed (the 25th 10:00 has left the window)             |
# | 5th  | Tue 11-24 09:30 | FREQ_CAP                                                 |
# Replayed in the order of `at`, the 24th 10:00 would be allowed and the 25th 10:00 denied: two answers unlike the log.
OUT_OF_ORDER = [("2026-11-25T10:00:00+08:00", True), ("2026-11-24T10:00:00+08:00", False), ("2026-11-25T15:00:00+08:00", False),
                ("2026-11-26T11:00:00+08:00", True), ("2026-11-24T09:30:00+08:00", False)]


def test_checks_made_out_of_the_order_of_their_instants_replay_as_the_guard_decided_and_a_difference_says_why(sqlite_url, tmp_path):
    from datetime import datetime

    from sqlalchemy import text

    from app import create_app
    from guard.services import whatif
    from tests.conftest import new_key

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "0",
                      "GUARD_DATA_DIR": str(tmp_path / "data"), "GUARD_ALLOW_CLIENT_TIME": "1"})
    try:
        c, key = app.test_client(), new_key(app, "dialer")
        ids = []
        for at, allowed in OUT_OF_ORDER:
            r = c.post("/v1/check", json={"phone": "13900139001", "campaign": "dep-2026q4", "product": "DEP-001", "at": at}, headers=key)
            assert r.status_code == 200 and r.json["allowed"] is allowed, (at, r.json)
            assert allowed or [x["code"] for x in r.json["reasons"]] == ["FREQ_CAP"], r.json
            ids.append(r.json["decision_id"])
        rt = app.extensions["guard"]
        start, end = datetime.fromisoformat("2026-11-24T00:00:00+08:00"), datetime.fromisoformat("2026-11-27T00:00:00+08:00")
        again = [(r.check.id, r.decision.allowed, [x.code for x in r.decision.reasons], r.decision.next_allowed_at, row[2])
                 for r, row in whatif.replay_decisions(rt.store, rt.packs(), start, end)]
        assert [a[0] for a in again] == ids  # in the order the guard made them
        assert [(a[1], a[2], a[3]) for a in again] == [(ok, [] if ok else ["FREQ_CAP"], a[4]) for (_, ok), a in zip(OUT_OF_ORDER, again)]
        serving = rt.registry.good_documents()
        same = whatif.draft_packs(serving, [(s, r) for s, r in serving.items() if s.endswith("cn-bank-2026.4.yaml")], "cn-bank")
        report = whatif.simulate_decisions(rt.store, rt.packs(), same, start, end)
        assert report["replay"] == {"reproduced": 5, "differs": 0, "examples": [], "schema_versions": {"2": 5}}

        # The log changed since (the first decision and its attempt deleted): the replay differs, and says why, the counts side by side.
        with rt.store.engine.begin() as conn:
            for table, column in (("attempts", "decision_id"), ("decisions", "id")):
                conn.execute(text(f"DELETE FROM {table} WHERE {column} = :d"), {"d": ids[0]})
        report = whatif.simulate_decisions(rt.store, rt.packs(), same, start, end)
        first = next(e for e in report["replay"]["examples"] if e["id"] == ids[1])
        assert (first["logged"], first["replayed"], first["cause"]) == (["FREQ_CAP"], [], "caps"), first
        assert "the guard counted number 24h: 1 of 1, the replay counts no cap reached" in first["explanation"], first
        assert "当时计为 number 24h: 1 / 1，重判计为 未达上限" in first["messages"]["zh-CN"], first

        # A number blacklisted now, then checked at a client-supplied instant before: the guard saw the entry, the replay
        # of that instant does not, and says the client's time is why.
        admin = new_key(app, "admin")
        assert c.post("/v1/blacklist", json={"phone": "13900139002", "source": "manual", "reason": "asked"}, headers=admin).status_code == 201
        r = c.post("/v1/check", json={"phone": "13900139002", "campaign": "dep-2026q4", "product": "DEP-001",
                                      "at": "2026-11-20T10:00:00+08:00"}, headers=key)
        assert [x["code"] for x in r.json["reasons"]] == ["DNC_OPT_OUT"], r.json
        report = whatif.simulate_decisions(rt.store, rt.packs(), same, start - timedelta(days=4), start)
        (late,) = report["replay"]["examples"]
        assert (late["logged"], late["replayed"], late["cause"]) == (["DNC_OPT_OUT"], [], "client_time"), late
        assert "judged at a client-supplied time (2026-11-20T02:00:00+00:00)" in late["explanation"], late
    finally:
        app.extensions["guard"].store.dispose()

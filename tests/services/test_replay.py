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

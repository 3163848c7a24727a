"""A new pack version whose effective_from lies before it is loaded, over checks the guard already decided by another
version, is warned of by `guard policies validate` and `reload`: audits (known_then) and simulations of those calls
would judge them by a version the guard did not hold then — a year mistyped in a draft (2026 for 2027) does exactly
this, silently, otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import new_key
from tests.e2e.servers import cli

SHIPPED = Path(__file__).resolve().parents[2] / "policies" / "packs"


def _version(pack_dir: Path, version: str, effective_from: str) -> Path:
    text = (SHIPPED / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    path = pack_dir / f"cn-bank-{version}.yaml"
    path.write_text(text.replace('version: "2026.4"', f'version: "{version}"')
                    .replace('effective_from: "2026-01-01T00:00:00+08:00"', f'effective_from: "{effective_from}"'), encoding="utf-8")
    return path


def test_a_version_backdated_over_decisions_made_is_warned_of(make_app, store_url, tmp_path):
    pack_dir = tmp_path / "packs"
    shutil.copytree(SHIPPED, pack_dir)
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), GUARD_ALLOW_CLIENT_TIME="1")
    r = app.test_client().post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-10T10:00:00+08:00"},
                               headers=new_key(app, "dialer"))
    assert r.status_code == 200 and r.json["policy"]["version"] == "2026.4", r.json
    env = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(pack_dir), "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}
    # a version from next year, or from before any decision of the pack: nothing to say
    _version(pack_dir, "2027.1", "2027-01-01T00:00:00+08:00")
    out = cli(env, "policies", "validate")
    assert out.returncode == 0 and "takes effect" not in out.stderr, out.stderr
    # 2026.5 backdated to November 1st, over the check of November 10th decided by 2026.4
    _version(pack_dir, "2026.5", "2026-11-01T00:00:00+08:00")
    for command in ("validate", "reload"):
        out = cli(env, "policies", command)
        assert out.returncode == 0, out.stderr
        warned = [line for line in out.stderr.splitlines() if "takes effect" in line]
        assert len(warned) == 1 and "cn-bank 2026.5 takes effect 2026-11-01T00:00:00+08:00" in warned[0], out.stderr
        assert "since 2026-11-10T02:00:00+00:00" in warned[0] and "which it did not hold then" in warned[0]

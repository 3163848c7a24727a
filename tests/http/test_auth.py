"""Keys and roles: 401 without a valid key, 403 without the role, admin may do everything."""

import pytest

from tests.conftest import new_key

BODY = {"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True}


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic abc", "Bearer gk_nope_nope", "Bearer not-a-key", "Bearer gk_" + "a" * 300],
)
def test_missing_or_unknown_keys_get_401_in_the_error_shape(app, header):
    headers = {"Authorization": header} if header is not None else {}
    r = app.test_client().post("/v1/check", json=BODY, headers=headers)
    assert r.status_code == 401 and r.json["error"]["code"] == "UNAUTHORIZED"
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_secret_for_a_real_key_id_is_401(app):
    real = new_key(app, "dialer")["Authorization"]
    forged = real[: real.rindex("_") + 1] + "x" * 43
    assert app.test_client().post("/v1/check", json=BODY, headers={"Authorization": forged}).status_code == 401


def test_a_key_without_the_role_gets_403(app):
    c = app.test_client()
    r = c.post("/v1/check", json=BODY, headers=new_key(app, "reviewer"))
    assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN"
    assert c.put("/v1/customers/C1", json={}, headers=new_key(app, "dialer")).status_code == 403


def test_admin_may_do_everything(app):
    h = new_key(app, "admin")
    c = app.test_client()
    assert c.post("/v1/check", json=BODY, headers=h).status_code == 200
    assert c.put("/v1/customers/C1", json={}, headers=h).status_code == 201


def test_a_revoked_key_stops_working(app):
    from guard.services.ops.keys import revoke_key

    h = new_key(app, "dialer")
    key_id = h["Authorization"].split("_")[1]
    rt = app.extensions["guard"]
    rt.keys._cache.clear()  # do not wait out the few-second cache in a test
    assert revoke_key(rt.store, key_id, rt.clock())
    rt.keys._cache.clear()
    assert app.test_client().post("/v1/check", json=BODY, headers=h).status_code == 401


def test_keys_are_stored_hashed(app):
    from sqlalchemy import select

    from guard.store.models import ApiKey

    h = new_key(app, "dialer")
    secret = h["Authorization"].removeprefix("Bearer gk_").split("_", 1)[1]  # the secret may contain "_"
    with app.extensions["guard"].store.read() as conn:
        stored = conn.execute(select(ApiKey.secret_hash)).scalars().all()
    assert len(secret) == 43 and stored and all(secret not in s for s in stored) and all(len(s) == 64 for s in stored)


def test_health_endpoints_and_openapi_need_no_key(app):
    c = app.test_client()
    assert c.get("/healthz").json == {"status": "ok"}
    assert c.get("/readyz").status_code == 200
    assert c.get("/openapi.json").json["openapi"].startswith("3.")

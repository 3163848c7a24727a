"""Customer profiles are versioned; phones belong to one customer at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from guard.core.history import History

from guard.store.models import CustomerVersion
from tests.conftest import new_key


@pytest.fixture
def client(make_app):
    app = make_app()
    c = app.test_client()
    c.h = new_key(app, "operator")
    c.app = app
    return c


PROFILE = {"phones": ["138 0013 8000"], "risk_level": "C3", "risk_assessed_at": "2026-06-01T00:00:00+08:00",
           "tags": ["sensitive"], "windows": [{"days": "mon-fri", "from": "20:00", "to": "21:00"}], "timezone": "Asia/Shanghai"}


def test_put_then_get_returns_the_normalised_profile(client):
    r = client.put("/v1/customers/C1", json=PROFILE, headers=client.h)
    assert r.status_code == 201
    got = client.get("/v1/customers/C1", headers=client.h).json
    assert got["phones"] == ["+8613800138000"] and got["risk_level"] == "C3" and got["tags"] == ["sensitive"]
    assert got["windows"] == [{"days": "mon-fri", "from": "20:00", "to": "21:00"}] and got["version"] == 1
    assert client.get("/v1/customers/C404", headers=client.h).status_code == 404


def test_an_identical_put_makes_no_new_version_and_a_change_does(client):
    client.put("/v1/customers/C1", json=PROFILE, headers=client.h)
    again = client.put("/v1/customers/C1", json=PROFILE, headers=client.h)
    assert again.status_code == 200 and again.json["version"] == 1
    changed = client.put("/v1/customers/C1", json={**PROFILE, "risk_level": "C4"}, headers=client.h)
    assert changed.status_code == 200 and changed.json["version"] == 2 and changed.json["risk_level"] == "C4"


def test_past_profiles_stay_readable_as_of_their_time(client):
    client.put("/v1/customers/C1", json=PROFILE, headers=client.h)
    store = client.app.extensions["guard"].store
    with store.read() as conn:
        first = conn.execute(select(CustomerVersion.valid_from)).scalar_one()
    client.put("/v1/customers/C1", json={**PROFILE, "risk_level": "C1", "phones": ["13900139000"]}, headers=client.h)
    history = History()
    with store.read() as conn:
        cur = store.cursor(conn)
        store.facts.load_many(cur, history, ["+8613800138000", "+8613900139000"], alive=False)
        assert store.facts.owner_now(cur, "+8613800138000") is None
        assert store.facts.owner_now(cur, "+8613900139000") == "C1"
    then, now = history.customer("C1", first), history.customer("C1", None)
    assert history.owner("+8613800138000", first) == "C1"
    assert history.owner("+8613800138000", None) is None
    assert then.risk_level == "C3" and now.risk_level == "C1" and now.phones == ("+8613900139000",)


def test_a_phone_of_another_customer_is_a_409(client):
    client.put("/v1/customers/C1", json=PROFILE, headers=client.h)
    r = client.put("/v1/customers/C2", json={"phones": ["+86 138 0013 8000"]}, headers=client.h)
    assert r.status_code == 409 and r.json["error"]["details"] == [{"phone": "+8613800138000", "customer_id": "C1"}]
    client.put("/v1/customers/C1", json={**PROFILE, "phones": []}, headers=client.h)
    assert client.put("/v1/customers/C2", json={"phones": ["+86 138 0013 8000"]}, headers=client.h).status_code == 201


@pytest.mark.parametrize("zone", ["America", "Asia/", "Mars/Olympus"])
def test_a_timezone_that_names_a_folder_of_zones_is_a_400_naming_the_field(client, zone):
    """zoneinfo reads "America" as a path and raises IsADirectoryError, which was a 500 (Python docs, zoneinfo.ZoneInfo)."""
    r = client.put("/v1/customers/CTZ", json={"phones": ["13800138077"], "timezone": zone}, headers=client.h)
    assert r.status_code == 400, r.data
    assert r.json["error"]["details"][0]["field"] == "timezone"


def test_a_phone_written_with_an_extension_is_refused_naming_it_not_stored_as_the_whole_line(client):
    """PUT with 010-65521234转8001 stored +861065521234, the switchboard, silently: the extension was lost and the customer
    held the whole line, their consents and refusals binding colleagues' extensions (RFC 3966 §5.1.5: an extension is
    not part of the number). Refused, 400 naming phones[1], as a consent at an extension is; nothing is stored."""
    r = client.put("/v1/customers/C1", json={**PROFILE, "phones": ["138 0013 8000", "010-65521234转8001"]}, headers=client.h)
    assert r.status_code == 400 and "phones[1]" in str(r.json["error"]["details"]), r.json
    assert "8001" in r.json["error"]["message"] and "+861065521234" in r.json["error"]["message"]
    assert client.get("/v1/customers/C1", headers=client.h).status_code == 404
    us = client.put("/v1/customers/C2", json={**PROFILE, "phones": ["(212) 555-0123 x45"], "region": "US"}, headers=client.h)
    assert us.status_code == 400 and "45" in us.json["error"]["message"], us.json

"""The scripts API's test client: two reviewers (cn-bank approves by four eyes), a dialer and an operator."""

from __future__ import annotations

import pytest

from tests.conftest import new_key


@pytest.fixture
def client(sim_app):
    c = sim_app.test_client()
    c.reviewer = new_key(sim_app, "reviewer")
    c.checker = new_key(sim_app, "reviewer")  # a second reviewer: the key that stored a version cannot approve it
    c.dialer = new_key(sim_app, "dialer")
    c.operator = new_key(sim_app, "operator")
    return c

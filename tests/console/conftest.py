"""The console's API tests reuse the suppression fixtures: an app on a settable clock, with keys."""

from tests.suppression.conftest import api, app, client, clock  # noqa: F401 - fixtures

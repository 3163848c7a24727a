"""Settings refused at start name every value they would take, as the README's settings table gives them."""

from __future__ import annotations

import pytest

from guard.config import SETTINGS, Settings, SettingsError


@pytest.mark.parametrize("name", ["GUARD_AUTO_MIGRATE", "GUARD_COOKIE_SECURE"])
def test_a_bad_auto_or_on_off_setting_names_auto_among_the_values_it_takes(name):
    assert Settings.from_env({name: "auto"})
    with pytest.raises(SettingsError, match=r"expected auto, 1/0"):
        Settings.from_env({name: "2"})


def test_every_log_level_the_setting_takes_is_the_one_its_help_names():
    helps = {s.env: s.help for s in SETTINGS}
    for level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        assert Settings.from_env({"GUARD_LOG_LEVEL": level}).log_level == level
        assert level in helps["GUARD_LOG_LEVEL"]

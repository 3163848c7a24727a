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


def test_the_settings_table_writes_a_default_under_the_guards_directory_as_the_absolute_path_it_is():
    """The table wrote DATABASE_URL's default `sqlite:///var/guard.db`, which SQLAlchemy reads as relative to the working
    directory (https://docs.sqlalchemy.org/en/20/core/engines.html#sqlite: three slashes relative, four absolute); the
    default is the guard's own var/guard.db wherever it is started from."""
    from guard.config import ROOT, render_markdown

    database = next(s for s in SETTINGS if s.env == "DATABASE_URL")
    assert database.default == f"sqlite:///{ROOT}/var/guard.db" and ROOT.is_absolute()
    row = next(line for line in render_markdown().splitlines() if line.startswith("| `DATABASE_URL` |"))
    assert row.startswith("| `DATABASE_URL` | `sqlite:///<repo>/var/guard.db` (`<repo>`: the absolute path of the guard's own directory")
    assert "`sqlite:///var/guard.db`" not in render_markdown()

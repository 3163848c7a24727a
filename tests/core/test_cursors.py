"""A page cursor holds its list's key and nothing else reads as one: the complaints' queue and the blacklist's removals
refuse (400 naming `after`) whatever the guard did not give, a bad cursor never reaching the store."""

from datetime import datetime, timezone

import pytest

from guard.core import cursors


def test_a_key_round_trips_and_its_instants_read_in_utc():
    key = ["removals", "2026-11-23T10:15:00+08:00", "e1"]
    cursor = cursors.encode(key)
    assert "=" not in cursor and cursors.decode(cursor) == key
    assert cursors.instant(key[1]) == datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)


@pytest.mark.parametrize("cursor", ["nonsense!", "e30", "Im5vIGxpc3Qi", "/w"])
def test_what_is_no_cursor_is_a_value_error(cursor):
    # "e30" is {} and "Im5vIGxpc3Qi" "no list": JSON, but no key; "/w" decodes to a byte that is no UTF-8
    with pytest.raises(ValueError):
        cursors.decode(cursor)


@pytest.mark.parametrize("value", ["2026-11-23T10:15:00", "0001-01-01T00:00:00+05:00", 5, None, "yesterday"])
def test_an_instant_without_an_offset_or_beyond_utc_is_a_value_error(value):
    with pytest.raises(ValueError):
        cursors.instant(value)

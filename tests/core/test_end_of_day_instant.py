"""An instant written with the time 24:00, the end of its day (ISO 8601:2004 4.2.3; ISO 8601-1:2019/Amd 1:2022)."""

from datetime import datetime, timedelta, timezone

from guard.core.pack_schema import parse_instant

EAST8 = timezone(timedelta(hours=8))


def test_24_00_is_the_next_days_00_00_and_nothing_past_it_or_without_an_offset_is_read():
    end = datetime(2027, 1, 1, tzinfo=EAST8)
    for text in ("2026-12-31T24:00:00+08:00", "2026-12-31T24:00+08:00", "2026-12-31T24:00:00.000+08:00", "2026-12-31 24:00+08:00"):
        assert parse_instant(text) == end, text
    assert parse_instant("2026-12-31T24:00Z") == datetime(2027, 1, 1, tzinfo=timezone.utc)
    for text in ("2026-12-31T24:00:01+08:00", "2026-12-31T24:30+08:00", "2026-12-31T24:00:00", "2026-02-30T24:00+08:00",
                 "9999-12-31T24:00+08:00"):
        assert parse_instant(text) is None, text

"""GET /v1/stats: the dashboard's figures for one local day (roles auditor, operator)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint

from guard.core.pack import missing_notices
from guard.core.zones import zone_named
from guard.http.api import endpoint
from guard.http.common import answer, default_zone, runtime
from guard.http.errors import bad_request
from guard.http.schemas import StatsOut, StatsQuery
from guard.http.schemas.types import FIRST_YEAR, LAST_YEAR
from guard.services.ops.keys import Principal
from guard.services.ops.stats import day_stats
from guard.core.i18n import field_said
from guard.core.messages import said

bp = Blueprint("stats", __name__)


@endpoint(bp, "GET", "/v1/stats", summary="One day's checks by result, reason and campaign, and complaints by severity and SLA state as they stood at the day's end (today: now)",
          roles=("auditor", "operator"), query=StatsQuery, response=StatsOut)
def stats(query: StatsQuery, principal: Principal):
    rt = runtime()
    now = rt.clock()
    if query.timezone is not None:
        named = zone_named(query.timezone)
        if named is None:
            raise bad_request(field_said("timezone", said("error.not_iana_zone", zone=repr(query.timezone))), "timezone")
        zone = named
    else:
        zone = ZoneInfo(default_zone())
    if query.date is not None:
        try:
            day = date.fromisoformat(query.date)
        except ValueError:
            raise bad_request(field_said("date", said("error.not_calendar_date", value=repr(query.date))), "date") from None
        # The years an instant may name (guard/http/schemas/types.py): past them the day's bounds, or the new year the
        # holiday-notice check looks ahead to, are not dates a datetime holds.
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise bad_request(field_said("date", said("error.date_out_of_range", value=repr(query.date), first=FIRST_YEAR,
                                                      last=LAST_YEAR)), "date")
    else:
        day = now.astimezone(zone).date()
    # the holiday notices the packs now served lack, as of the day shown (guard.core.pack.missing_notices)
    notices = [g.to_dict() for g in missing_notices(rt.packs(), day)]
    return answer({**day_stats(rt.store, day, zone, now), "holiday_notices_missing": notices})

"""Which instant a client's request is judged at: the client's own clocks against the server's.

A dialer with a wrong clock must not slip a call past quiet hours (SPEC §3.1): a client `at` more
than `MAX_CLOCK_SKEW` from the server clock is refused unless the check is a dry run (a question
about another time) or the guard runs with GUARD_ALLOW_CLIENT_TIME (tests and simulations, where
every client instant is taken as given, SPEC §7). Within the skew, a real check is judged at the
server clock, so that a skewed dialer cannot move a call into the window either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from guard.core.errors import InvalidField
from guard.core.messages import said

MAX_CLOCK_SKEW = timedelta(minutes=5)


class ClockSkew(InvalidField):
    """A client instant too far from the server clock; the message names the bound."""

    code = "CLOCK_SKEW"

    def __init__(self, field: str, message: str):
        super().__init__(field, message, message)


def check_instant(at: datetime | None, server_now: datetime, *, dry_run: bool, allow_client_time: bool) -> datetime | None:
    """The client instant a check is judged at, or None for the server clock (read under the check's
    locks); raise ClockSkew for an `at` too far from `server_now`."""
    if at is None:
        return None
    if dry_run or allow_client_time:
        return at
    skew = abs((at - server_now).total_seconds())
    if skew > MAX_CLOCK_SKEW.total_seconds():
        raise ClockSkew(
            "at",
            said("error.clock_skew", at=at.isoformat(), skew=f"{skew:.0f}", limit=f"{MAX_CLOCK_SKEW.total_seconds():.0f}"),
        )
    return None


def check_not_future(value: datetime | None, field: str, server_now: datetime, *, allow_client_time: bool) -> None:
    """Refuse a client instant after the server clock (beyond the skew allowed); any instant goes
    with GUARD_ALLOW_CLIENT_TIME (SPEC §7)."""
    if value is None or allow_client_time:
        return
    bound = server_now + MAX_CLOCK_SKEW
    if value > bound:
        raise InvalidField(field, said("error.in_future", value=value.isoformat(), limit=f"{MAX_CLOCK_SKEW.total_seconds():.0f}",
                                       bound=bound.isoformat()))


def check_outcome_instant(ended_at: datetime | None, decision_at: datetime, server_now: datetime, *, allow_client_time: bool) -> None:
    """An outcome's `ended_at` lies between its decision's instant and the server clock, each widened by the
    skew allowed; any instant goes with GUARD_ALLOW_CLIENT_TIME. The error names the bound broken.

    The decision's instant is the deciding host's clock and `ended_at` the dialer's, which the check lets
    differ by up to MAX_CLOCK_SKEW: a dialer 30 s behind reports a 10 s call as ending 20 s before its
    decision. Refusing that would lose the report (a do_not_call among them); what it creates takes
    effect at the decision's instant instead (`effective_instant`)."""
    if ended_at is None or allow_client_time:
        return
    if ended_at < decision_at - MAX_CLOCK_SKEW:
        raise InvalidField("ended_at", said("error.ended_before_decision", ended=ended_at.isoformat(), decision=decision_at.isoformat(),
                                            limit=f"{MAX_CLOCK_SKEW.total_seconds():.0f}"))
    check_not_future(ended_at, "ended_at", server_now, allow_client_time=False)


def effective_instant(ended_at: datetime | None, decision_at: datetime) -> datetime:
    """When what an outcome creates (a deferral, a blacklist entry, a complaint) takes effect: the
    outcome's `ended_at`, the decision's instant when absent, never before the call (SPEC §7)."""
    return decision_at if ended_at is None or ended_at < decision_at else ended_at

"""Frequency caps over rolling windows that end at the call.

An attempt at instant `a` is inside the window of a call at `t` when `a > t - window`.
Attempts recorded after `t` (another dialer's clock a little ahead) count too: counting them
can only deny, never let a window hold more than its cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from guard.core.facts import NOT_CONNECTED, Attempt
from guard.core.pack import Cap


@dataclass(frozen=True)
class CapBreach:
    cap: Cap
    count: int
    clears_at: datetime | None  # None: the cap allows no call at all (max 0)


def counted(attempts: Sequence[Attempt], mode: str) -> list[datetime]:
    """Instants of the attempts that count under the pack's `count` mode, oldest first."""
    if mode == "connected":
        return sorted(a.at for a in attempts if a.disposition not in NOT_CONNECTED)
    return sorted(a.at for a in attempts)


def check_cap(cap: Cap, instants: Sequence[datetime], now: datetime) -> CapBreach | None:
    """A breach if one more call at `now` would exceed `cap`; `instants` sorted ascending."""
    floor = now - cap.window
    inside = [a for a in instants if a > floor]
    if len(inside) < cap.max:
        return None
    if cap.max == 0:
        return CapBreach(cap, len(inside), None)
    # The call is allowed once only max-1 attempts remain: the (n-max+1)-th oldest must leave.
    return CapBreach(cap, len(inside), inside[len(inside) - cap.max] + cap.window)

"""The time zone a day given alone is read in, for the routes and commands: the lookups live in the pure core
(guard/core/zones.py), where the what-if replay reads a customer's zones with them too."""

from guard.core.zones import FALLBACK_ZONE, callee_day_zones, day_zone, number_day_zones

__all__ = ["FALLBACK_ZONE", "callee_day_zones", "day_zone", "number_day_zones"]

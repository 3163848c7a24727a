"""How old the national do-not-call registry list is, against the 31 days the US rules allow.

A seller or telemarketer must use a version of the National Do Not Call Registry obtained no more than 31 days before
the date of the call: 16 CFR 310.4(b)(3)(iv) (the Telemarketing Sales Rule's safe harbor, 69 FR 16368, effective
2005-01-01) and 47 CFR 64.1200(c)(2)(i)(D) (the TCPA rules' safe harbor). The guard holds whatever list was last
imported; this names each pack in effect whose country has such a registry and whose region's list (imported with
source `registry`) is older than that, or was never imported: a warning for operations, not a reason a check gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guard.core.pack import PackSet

MAX_AGE = timedelta(days=31)
REGISTRY_COUNTRIES = frozenset({"US"})  # the countries whose rules bound a registry list's age (above)


@dataclass(frozen=True)
class StaleRegistry:
    pack: str
    version: str
    region: str
    last_imported_at: datetime | None
    days: int | None  # whole days since the last import

    def message(self) -> str:
        if self.last_imported_at is None:
            said = f"no registry list has been imported for region {self.region}"
        else:
            said = (f"the registry list for region {self.region} was last imported {self.days} days ago "
                    f"({self.last_imported_at.isoformat()})")
        return (f"{self.pack} {self.version}: {said}; calls must be scrubbed against a version obtained within the last "
                f"31 days (16 CFR 310.4(b)(3)(iv), 47 CFR 64.1200(c)(2)(i)(D)): download the list and import it "
                f"(guard blacklist import FILE --source registry --region {self.region})")

    def to_dict(self) -> dict:
        return {"pack": self.pack, "version": self.version, "region": self.region,
                "last_imported_at": self.last_imported_at.isoformat() if self.last_imported_at else None,
                "days": self.days, "message": self.message()}


def stale_registries(packs: PackSet, last_imported: dict[str, datetime], now: datetime) -> list[StaleRegistry]:
    """The packs in effect at `now` whose country bounds a registry list's age and whose region's last registry
    import (`last_imported`, by region) is older than MAX_AGE, or missing; by pack id."""
    out = []
    for pack_id in packs.ids():
        pack = packs.at(pack_id, now)
        if pack is None or pack.country not in REGISTRY_COUNTRIES:
            continue
        last = last_imported.get(pack.region)
        if last is None or now - last > MAX_AGE:
            out.append(StaleRegistry(pack.id, pack.version, pack.region, last, (now - last).days if last else None))
    return out

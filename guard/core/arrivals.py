"""What a complaint or a call's outcome makes when it arrives, under a pack: the one derivation the live
services (guard.services.suppression) record and the what-if replay (guard.core.replay) re-derives under a draft.

- a complaint mutes its customer (or, with no customer, its number) when it completes the pack's `mute` count
  (`mute_for`, over guard.core.complaints' count and period);
- a complaint's text, a note on its history or a call's note that asks to stop calling (`text_stops_calling`, the
  pack's `stop_calling` beside the built-in phrases), and a `do_not_call` outcome (`outcome_stops_calling`),
  blacklist the number and the customer(s);
- a `callback` outcome defers the call until its `callback_at`, else the pack's `deferral_default` after the call
  (`deferral_until`).

The events themselves are the `*Arrived` values: what the store keeps of each, whatever the pack then was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from guard.core import complaints as rules
from guard.core.pack import MuteRule, Pack
from guard.core.periods import suppression_end
from guard.core.text import asks_to_stop_calling


@dataclass(frozen=True, slots=True)
class ComplaintArrived:
    """A complaint as filed: who, when received, when the guard recorded it, its text, the pack id that judged it."""

    id: str
    phone: str | None
    customer_id: str | None
    received_at: datetime
    recorded_at: datetime
    text: str | None
    pack_id: str | None
    decision_id: str | None = None  # reported with a call's outcome
    also: tuple[str, ...] = ()  # the other packs that judged it (a customer whose numbers several packs cover)


@dataclass(frozen=True, slots=True)
class NoteArrived:
    """A note recorded on a complaint's history (first response, resolution …): it may ask to stop calling."""

    complaint_id: str
    phone: str | None
    customer_id: str | None
    at: datetime
    recorded_at: datetime
    note: str
    pack_id: str | None
    received_at: datetime  # the complaint's (its pack is the one in effect then)
    also: tuple[str, ...] = ()  # the complaint's other packs (ComplaintArrived.also)


@dataclass(frozen=True, slots=True)
class OutcomeArrived:
    """A call's outcome as reported: the decision it ends, its disposition, note and callback time, when it took
    effect (its `ended_at`, else the decision's instant) and when the guard recorded it."""

    decision_id: str
    decision_at: datetime
    pack_id: str | None
    phone: str | None
    customer_ids: tuple[str, ...]
    disposition: str
    effective_at: datetime
    recorded_at: datetime
    callback_at: datetime | None = None
    note: str | None = None


def mute_for(rule: MuteRule | None, receipts: list[datetime], received_at: datetime,
             recorded_at: datetime, zones: tuple[str, ...]) -> tuple[datetime, datetime, int] | None:
    """The mute (start, end, complaints counted) a complaint received at `received_at` gives, `receipts` being the
    receipts of its customer's (or number's) complaints known when it is recorded, itself among them; None when it
    completes no count, or the mute would have ended before the guard learned of it (`recorded_at`). A mute written in
    days ends at 24:00 of its last day in the callee's `zones` (guard/core/periods.py `callee_zones`)."""
    completed = rules.mute_completed(rule, receipts, received_at)
    if rule is None or completed is None:
        return None
    completed_at, count = completed
    starts_at, ends_at = rules.mute_period(rule, completed_at, zones)
    if ends_at <= recorded_at:
        return None  # a count entered after its mute would have ended: the complaint is recorded, nobody is muted
    return starts_at, ends_at, count


def latest_mute(each: Iterable[tuple[Pack, tuple[datetime, datetime, int] | None]]
                ) -> tuple[Pack, tuple[datetime, datetime, int]] | None:
    """Of the mutes the packs judging one complaint give (`mute_for` under each pack's rule), the one ending last, with
    its pack; None when none mutes. A complaint several packs judge mutes when any of them would (fail closed)."""
    given = [(pack, mute) for pack, mute in each if mute is not None]
    return max(given, key=lambda pm: (pm[1][1], -pm[1][0].timestamp())) if given else None


def also_packs(effects: object) -> tuple[str, ...]:
    """The other packs a stored complaint was judged by, from its `effects.packs` (the first is its own `pack_id`)."""
    packs = effects.get("packs") if isinstance(effects, dict) else None
    return tuple(p["pack"] for p in packs[1:]) if isinstance(packs, list) else ()


def text_stops_calling(pack: Pack, text: str | None) -> bool:
    """A complaint's text or a note asks to stop calling, by the pack's phrases."""
    return bool(text) and asks_to_stop_calling(text, pack.stop_calling)  # type: ignore[arg-type]


def outcome_stops_calling(pack: Pack, disposition: str, note: str | None) -> bool:
    """A call's outcome blacklists: `do_not_call`, or a note asking to stop calling, whatever the disposition."""
    return disposition == "do_not_call" or text_stops_calling(pack, note)


def deferral_until(pack: Pack, effective_at: datetime, callback_at: datetime | None, zones: tuple[str, ...]) -> datetime:
    """Until when a `callback` outcome defers the call: the time asked for, else the pack's `deferral_default` after
    the call's end (written in days: until 24:00 of its last day in the callee's `zones`, guard/core/periods.py)."""
    return callback_at or suppression_end(effective_at, pack.deferral_default, pack.deferral_default_in_days, zones)

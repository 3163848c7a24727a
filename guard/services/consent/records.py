"""Consent records: given (with where the number came from), withdrawn, listed with their history.

A consent names a number, a customer (then it covers every number of theirs), or both (that number
of that customer). It is versioned: a withdrawal closes the current version and opens a new one
carrying when and through which channel, in one transaction holding the number's (or the
customer's) lock, so a check running at the same time sees the consent either before or after.
Nothing is overwritten or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.errors import Conflict, InvalidField, NotFound
from guard.core.vocabularies import VOCABULARIES, codes
from guard.store import consents as consent_store
from guard.store import customers as customer_store
from guard.store.db import Connection, Store
from guard.store.ids import new_id
from guard.store.sql import as_utc
from guard.core.messages import choice_names, said

SOURCES = codes("consent_sources")
CHANNELS = codes("consent_channels")
WITHDRAWAL_CHANNELS = codes("withdrawal_channels")
PRODUCT_TYPES = codes("product_types")
MAX_TEXT = 20_000


@dataclass(frozen=True)
class NewConsent:
    source: str
    given_at: datetime
    phone: str | None = None
    customer_id: str | None = None
    channels: tuple[str, ...] = ("phone",)
    product_types: tuple[str, ...] = ()
    consent_text: str | None = None
    text_version: str | None = None
    evidence_ref: str | None = None
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None  # an imported record may say it was withdrawn already
    withdrawn_via: str | None = None
    note: str | None = None
    errors: list[str] = field(default_factory=list, compare=False)
    # An imported date-only expiry (read to 24:00 of its day) as imports before that read it: at 00:00 of the day. A consent
    # held with it is the same consent, its expiry unchanged (the earlier, fail-closed one stays).
    expires_day_start: datetime | None = field(default=None, compare=False)
    given_day_start: datetime | None = field(default=None, compare=False)  # a date-only given_at, as 00:00 of its day
    # The days a list gave withdrawn_at and expires_at as, when dates alone (撤回日期, 有效期至): shown as written.
    withdrawn_on: date | None = None
    expires_on: date | None = None
    given_on: date | None = None  # the day of a consent given by date alone (given_at: its last microsecond)


def validate(c: NewConsent) -> None:
    """Raise InvalidField naming the first wrong field."""
    if c.phone is None and c.customer_id is None:
        raise InvalidField("phone", said("error.phone_or_customer"))
    if c.source not in SOURCES:
        raise InvalidField("source", said("error.not_one_of", value=repr(c.source), choices=choice_names(SOURCES)))
    if not c.channels:
        raise InvalidField("channels", said("error.needs_a_channel"))
    for i, ch in enumerate(c.channels):
        if ch not in CHANNELS:
            raise InvalidField(f"channels[{i}]", said("error.not_one_of", value=repr(ch), choices=choice_names(CHANNELS)))
    for i, t in enumerate(c.product_types):
        if t not in PRODUCT_TYPES:
            raise InvalidField(f"product_types[{i}]", said("error.not_one_of", value=repr(t), choices=choice_names(PRODUCT_TYPES)))
    if c.expires_at is not None and c.expires_at <= c.given_at:
        raise InvalidField("expires_at", said("error.after_given_at"))
    if c.withdrawn_at is not None and c.withdrawn_at < c.given_at and not _same_day(c.given_at, c.given_on, c.withdrawn_at):
        # (withdrawn the day of a consent given by date alone, held from that day's end: never in effect)
        raise InvalidField("withdrawn_at", said("error.not_before_given_at"))
    if (c.withdrawn_at is None) != (c.withdrawn_via is None):
        raise InvalidField("withdrawn_via", said("error.withdrawn_together"))
    if c.withdrawn_via is not None and c.withdrawn_via not in WITHDRAWAL_CHANNELS:
        raise InvalidField("withdrawn_via", said("error.not_one_of", value=repr(c.withdrawn_via), choices=choice_names(WITHDRAWAL_CHANNELS)))
    if c.consent_text is not None and len(c.consent_text) > MAX_TEXT:
        raise InvalidField("consent_text", said("error.longer_than", limit=MAX_TEXT))


def _same_day(given_at: datetime, given_on: date | None, at: datetime) -> bool:
    """Whether `at` lies on the day of a consent given by date alone (`given_on`), before the last microsecond it is held at."""
    return given_on is not None and given_at - timedelta(days=1) < at < given_at


def is_day(value: date | datetime | None) -> bool:
    """Whether a value is a calendar day alone (2026-11-23), not an instant."""
    return isinstance(value, date) and not isinstance(value, datetime)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """00:00 of `day` in `zone`: a withdrawal given by date alone counts from it (fail closed: the whole day withdrawn)."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """24:00 of `day` in `zone` (00:00 of the next): an expiry given as a last day alone (民法典 第二百零三条: 期间的最后一日的
    截止时间为二十四时)."""
    return day_start(day + timedelta(days=1), zone)


def given_instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """The instant a consent is held from: a date-time as sent; a day alone, its last microsecond in `zone` (民法典 第二百零一条:
    a period counted in days starts the next day, so a call that day is not consented), as a consent import reads one."""
    return datetime.combine(value, time.max, zone).astimezone(UTC) if is_day(value) else value  # type: ignore[return-value]


def row_of(c: NewConsent, now: datetime, key_id: str | None) -> dict[str, Any]:
    return {
        "consent_id": new_id(now), "phone_e164": c.phone, "customer_id": c.customer_id, "source": c.source,
        "consent_text": c.consent_text, "text_version": c.text_version, "channels": sorted(set(c.channels)),
        "product_types": sorted(set(c.product_types)), "given_at": as_utc(c.given_at), "evidence_ref": c.evidence_ref,
        "expires_at": as_utc(c.expires_at), "withdrawn_at": as_utc(c.withdrawn_at), "withdrawn_via": c.withdrawn_via, "note": c.note,
        "valid_from": now, "valid_to": None, "recorded_by": key_id,
        "withdrawn_on": c.withdrawn_on, "expires_on": c.expires_on, "given_on": c.given_on,
    }


# What a row of an import may change in a consent the guard holds (same number, customer, source, given_at, text version)
IMPORT_CHANGES = ("withdrawn_at", "withdrawn_via", "expires_at", "channels", "product_types", "consent_text", "evidence_ref",
                  "withdrawn_on", "expires_on")


def import_changes(held: Mapping[str, Any], c: NewConsent) -> tuple[dict[str, Any], str | None]:
    """What an imported row changes in a consent held with its identity (nothing: an empty dict), or why it may not.

    An import may narrow a consent (withdraw it, or withdraw it earlier; end it sooner; drop channels or product types)
    but never widen it: an export older than a withdrawal the guard recorded (a hotline call, "不要再打了") would
    otherwise take the withdrawal back, and a consent renewed or widened is given anew (a new consent, its own given_at).

    Its record may be completed or corrected: a consent text where none was held, an evidence reference added or
    corrected (the old version stays on record). A different wording under the same text version is refused: the
    customer agreed to one text, and another wording is another text version. A row that leaves either empty keeps
    what is held (an export without those columns erases nothing)."""
    changes: dict[str, Any] = {}
    if c.consent_text is not None and c.consent_text != held["consent_text"]:
        if held["consent_text"] is not None:
            return {}, (f"consent_text: the text of version {held['text_version'] or '(none)'} is held with other wording; the "
                        f"customer agreed to one text: a different wording is a different text_version")
        changes["consent_text"] = c.consent_text
    if c.evidence_ref is not None and c.evidence_ref != held["evidence_ref"]:
        changes["evidence_ref"] = c.evidence_ref
    held_at, row_at = as_utc(held["withdrawn_at"]), as_utc(c.withdrawn_at)
    if held_at is not None:
        when = f"on {held['withdrawn_on'].isoformat()}" if held.get("withdrawn_on") else f"at {held_at.isoformat()}"
        said = f"the consent was withdrawn {when} via {held['withdrawn_via']}"
        if row_at is None or row_at > held_at:
            return {}, (f"withdrawn_at: {said}; an import cannot take a withdrawal back or move it later (an older export?): "
                        f"a consent given again is a new consent, with its own given_at")
        if row_at == held_at and c.withdrawn_via != held["withdrawn_via"]:
            return {}, f"withdrawn_via: {said}, not via {c.withdrawn_via}"
    if row_at != held_at:
        changes.update(withdrawn_at=row_at, withdrawn_via=c.withdrawn_via, withdrawn_on=c.withdrawn_on)
    held_end, row_end = as_utc(held["expires_at"]), as_utc(c.expires_at)
    if row_end != held_end:
        if held_end is not None and (row_end is None or row_end > held_end):
            ends = (f"is valid until the end of {held['expires_on'].isoformat()}" if held.get("expires_on")
                    else f"expires at {held_end.isoformat()}")
            return {}, (f"expires_at: the consent {ends}; an import may end a consent sooner, not "
                        f"later: a consent renewed is a new consent, with its own given_at")
        changes.update(expires_at=row_end, expires_on=c.expires_on)
    held_channels, row_channels = set(held["channels"]), set(c.channels)
    if row_channels != held_channels:
        if row_channels - held_channels:
            return {}, (f"channels: the consent covers {', '.join(sorted(held_channels))}; an import may drop channels, not add "
                        f"{', '.join(sorted(row_channels - held_channels))}: a wider consent is a new consent, with its own given_at")
        changes["channels"] = sorted(row_channels)
    held_types, row_types = set(held["product_types"]), set(c.product_types)  # none named: every product
    if row_types != held_types:
        if held_types and (not row_types or row_types - held_types):
            return {}, (f"product_types: the consent covers {', '.join(sorted(held_types))}; an import may drop product types, "
                        f"not add {', '.join(sorted(row_types - held_types)) or 'every product'}: a wider consent is a new "
                        f"consent, with its own given_at")
        changes["product_types"] = sorted(row_types)
    return changes, None


def lock_of(phone: str | None, customer_id: str | None) -> str:
    return f"n:{phone}" if phone else f"c:{customer_id}"


def give(store: Store, c: NewConsent, now: datetime, key_id: str | None, zone: ZoneInfo | None = None) -> dict:
    """Record a consent; return it with its history (one version)."""
    validate(c)
    row = row_of(c, now, key_id)
    with store.locked([lock_of(c.phone, c.customer_id)]) as conn:
        consent_store.add(conn, row)
    return group([_Row(row)], now, zone)[0]


def callee_of(store: Store, consent_id: str) -> tuple[tuple[str, ...], str | None]:
    """Where a consent's callee is: the number it names, else its customer's numbers now, and the customer's recorded zone
    (for a consent naming a customer alone; None where none is recorded).

    :raise NotFound: no such consent
    """
    with store.read() as conn:
        head = consent_store.current(conn, consent_id)
        if head is None:
            raise NotFound("consent", consent_id)
        if head.phone_e164:
            return (head.phone_e164,), None
    return customer_callee(store, head.customer_id)


def customer_callee(store: Store, customer_id: str | None) -> tuple[tuple[str, ...], str | None]:
    """A customer's numbers now and the zone they record (None where none is); nothing for an unknown customer."""
    with store.read() as conn:
        profile = customer_store.current(conn, customer_id) if customer_id else None
    if profile is None:
        return (), None
    return tuple(profile.phones or ()), getattr(profile, "timezone", None) or None


def withdraw(store: Store, consent_id: str, at: datetime | None, via: str, note: str | None, now: datetime, key_id: str | None,
             zone: ZoneInfo | None = None, on: date | None = None) -> dict:
    """Withdraw a consent from `at` (a new version; the old one stays on record). With no `at`, from now, but never
    before the consent was given: `given_at` came from another clock (a client's, up to the skew allowed ahead, or
    this host's before an NTP step back), and a withdrawal the person did not date must not be refused for it.

    :raise NotFound: no such consent
    :raise Conflict: it was withdrawn already
    """
    if via not in WITHDRAWAL_CHANNELS:
        raise InvalidField("via", said("error.not_one_of", value=repr(via), choices=choice_names(WITHDRAWAL_CHANNELS)))
    with store.read() as conn:
        head = consent_store.current(conn, consent_id)
    if head is None:
        raise NotFound("consent", consent_id)
    with store.locked([lock_of(head.phone_e164, head.customer_id)]) as conn:
        old = consent_store.current(conn, consent_id)
        if old.withdrawn_at is not None:
            raise Conflict(said("error.consent_withdrawn", consent=repr(consent_id)), {"withdrawn_at": old.withdrawn_at.isoformat(),
                                                                                "withdrawn_via": old.withdrawn_via})
        if at is None:
            at = max(now, old.given_at) if now > old.given_at - MAX_CLOCK_SKEW else now
        elif on is not None and zone is not None and old.given_on is None and at <= old.given_at < day_end(on, zone):
            # Withdrawn on the day of a consent given at an hour that day (`at`: the day's 00:00): after it, at an hour the day
            # does not say; from the consent's own instant (never in effect), as a consent import reads such a row.
            at = old.given_at
        # A consent given by date alone counts from its day's last microsecond (the importer: 民法典 第二百零一条); the
        # person who withdraws it the same day ("我撤回同意" on the hotline) withdraws it before it was ever in effect,
        # not before it was given: recorded as they said it (core/consent.judge counts it from then).
        if at < old.given_at and not _same_day(old.given_at, old.given_on, at):
            raise InvalidField("withdrawn_at", said("error.withdrawn_before_given"))
        consent_store.replace(conn, old, {"withdrawn_at": at, "withdrawn_via": via, "note": note, "withdrawn_on": on}, now, key_id)
        rows = [r for r in consent_store.history_of(conn, old.phone_e164, [old.customer_id] if old.customer_id else [])
                if r.consent_id == consent_id]
    return group(rows, now, zone)[0]


def withdraw_marketing(conn: Connection, phone: str | None, customer_ids: Iterable[str], at: datetime, via: str, note: str | None,
                       now: datetime, key_id: str | None) -> list[str]:
    """Withdraw, inside the caller's transaction (which holds the locks of the number and the customers), every standing
    consent from `at` ("不要再打了"); return the consent ids withdrawn.

    Every consent of the number, and every consent of each customer: the ones naming them (whichever number), and the
    ones naming only a number of theirs now. The request is the person's (PIPL art. 15: they withdraw their consent, not
    one number's), and the blacklist it adds blocks all their numbers: a consent left "given" on another number would
    tell an agent the customer agreed. Another person's consent on a number of theirs (a former subscriber's) stays."""
    ids = sorted({c for c in customer_ids if c})
    numbers = {phone} if phone else set()
    for cid in ids:
        profile = customer_store.current(conn, cid)
        numbers |= set(profile.phones) if profile is not None else set()
    mine = set(ids)
    rows = {r.id: r for r in consent_store.live_of(conn, sorted(numbers), ids)
            if r.phone_e164 == phone or r.customer_id is None or r.customer_id in mine}
    rows.update((r.id, r) for r in consent_store.live_naming(conn, ids))
    done = []
    for old in sorted(rows.values(), key=lambda r: (r.given_at, r.id)):
        # A consent of another number of theirs is changed without that number's lock (a withdrawal of it may run at
        # the same time): replaced only while current, else read again.
        # A consent dated today alone counts from the day's end: the request that day withdraws it, from the request.
        while old is not None and old.withdrawn_at is None and (old.given_at <= at or _same_day(old.given_at, old.given_on, at)):
            if consent_store.replace_if_current(conn, old, {"withdrawn_at": at, "withdrawn_via": via,
                                                            "note": note}, now, key_id):
                done.append(old.consent_id)
                break
            old = consent_store.current(conn, old.consent_id)
    return done


def history(store: Store, phone: str | None, customer_id: str | None, now: datetime, zone: ZoneInfo | None = None) -> list[dict]:
    """Every consent bearing on the number (its own, and its owner's) or on the customer (theirs, and
    those of their numbers now), each with all its versions."""
    with store.read() as conn:
        customers = [customer_id] if customer_id else []
        phones: list[str] = []
        if phone is not None and customer_id is None:
            owner = store.facts.owner_now(store.cursor(conn), phone)
            customers = [owner] if owner else []
        elif customer_id is not None:
            profile = customer_store.current(conn, customer_id)
            phones = list(profile.phones) if profile is not None else []
        rows = consent_store.history_of(conn, phone, customers, phones)
    if phone is not None:
        # A consent of the owner's other number does not bear on this one.
        rows = [r for r in rows if r.phone_e164 is None or r.phone_e164 == phone]
    return group(rows, now, zone)


class _Row:
    """A row dict read like a result row."""

    def __init__(self, d: dict[str, Any]):
        self.__dict__.update(d)


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _date(v: date | None) -> str | None:
    return v.isoformat() if v is not None else None


def status(cur: Any, now: datetime) -> str:
    """given | not_yet_given | expired | withdrawn, by the consent's own dates (a pack may age it sooner)."""
    if cur.withdrawn_at is not None and (cur.withdrawn_at <= now or cur.withdrawn_at <= cur.given_at):
        return "withdrawn"  # or withdrawn as it was given (the day of a consent given by date alone): never in effect
    if cur.given_at > now:
        return "not_yet_given"
    if cur.expires_at is not None and cur.expires_at <= now:
        return "expired"
    return "given"


def version_view(r: Any, zone: ZoneInfo | None = None) -> dict:
    source = VOCABULARIES["consent_sources"].term(r.source)
    via = VOCABULARIES["withdrawal_channels"].term(r.withdrawn_via) if r.withdrawn_via else None
    return {
        "consent_id": r.consent_id, "phone_e164": r.phone_e164, "customer_id": r.customer_id,
        "source": r.source, "source_label": {"zh": source.zh, "en": source.en},
        "consent_text": r.consent_text, "text_version": r.text_version, "channels": list(r.channels), "product_types": list(r.product_types),
        "given_at": _iso(r.given_at), "given_on": _date(getattr(r, "given_on", None)), "evidence_ref": r.evidence_ref, "expires_at": _iso(r.expires_at),
        "expires_on": _date(getattr(r, "expires_on", None)), "withdrawn_at": _iso(r.withdrawn_at),
        "withdrawn_on": _date(getattr(r, "withdrawn_on", None)), "withdrawn_via": r.withdrawn_via,
        "withdrawn_via_label": {"zh": via.zh, "en": via.en} if via else None, "note": r.note,
        "recorded_at": _iso(r.valid_from), "superseded_at": _iso(r.valid_to), "recorded_by": r.recorded_by,
    }


def group(rows: Sequence[Any], now: datetime, zone: ZoneInfo | None = None) -> list[dict]:
    """Versions grouped by consent, newest consent first: each consent's current version, its status and every version."""
    by_id: dict[str, list[Any]] = {}
    for r in rows:
        by_id.setdefault(r.consent_id, []).append(r)
    out = []
    for versions in by_id.values():
        versions.sort(key=lambda r: r.valid_from)
        cur = next((v for v in versions if v.valid_to is None), versions[-1])
        out.append({**version_view(cur, zone), "status": status(cur, now), "versions": [version_view(v, zone) for v in versions]})
    out.sort(key=lambda c: (c["given_at"], c["consent_id"]), reverse=True)
    return out

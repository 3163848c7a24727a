"""A person's own request to stop calling, entered by an operator (`POST /v1/blacklist`, source `customer_request` or
`complaint`): blacklisted and, in the same transaction, their marketing consents withdrawn from the entry's time, as the
same request heard on a call or in a complaint withdraws them (PIPL art. 15); so does each such row of an imported list
(`POST /v1/blacklist/import`, `guard blacklist import`), in its batch's transaction (`withdraw_consents`). An operator's own entry (`manual`) or an
external list says nothing of the person's consent and leaves it as it is."""

from __future__ import annotations

from datetime import datetime

from blacklist.service import REFUSAL_SOURCES, NewEntry, add_entries, entry_lock
from guard.services.consent import records as consent_records
from guard.store.db import Connection, Store

# The blacklist sources that record the person's own refusal, and how their consent was withdrawn through each
WITHDRAWN_VIA = {"customer_request": "operator", "complaint": "complaint"}
assert set(WITHDRAWN_VIA) == REFUSAL_SOURCES


def blacklist(store: Store, entry: NewEntry, now: datetime, key_id: str | None) -> tuple[dict, bool]:
    """Add the entry (the live one when it is listed already) and whether it is new; a new refusal withdraws consent."""
    with store.locked([entry_lock(entry.phone, entry.customer_id)]) as conn:
        view, created = add_entries(conn, [entry], now, key_id)[0]
        if created:
            withdraw_consents(conn, [{"phone_e164": entry.phone, "customer_id": entry.customer_id, "source": entry.source,
                                      "added_at": entry.added_at or now, "reason": entry.reason}], now, key_id)
    return view, created


def withdraw_consents(conn: Connection, entries: list[dict], now: datetime, key_id: str | None) -> int:
    """Inside the transaction that added these new entries (holding their locks), withdraw the marketing consents of
    each one recording the person's own refusal, from its added_at; return how many consents were withdrawn. The one
    path of an entry added alone and of an imported list's (`blacklist.importer`, `on_refusals`)."""
    done = 0
    for e in entries:
        if e["source"] not in WITHDRAWN_VIA:
            continue
        phone, customer = e["phone_e164"], e["customer_id"]
        done += len(consent_records.withdraw_marketing(conn, phone, [customer] if phone is None and customer else [], e["added_at"],
                                                       WITHDRAWN_VIA[e["source"]], e["reason"], now, key_id))
    return done

"""A person's own request to stop calling, entered by an operator (`POST /v1/blacklist`, source `customer_request` or
`complaint`): blacklisted and, in the same transaction, their marketing consents withdrawn from the entry's time, as the
same request heard on a call or in a complaint withdraws them (PIPL art. 15). An operator's own entry (`manual`) or an
external list says nothing of the person's consent and leaves it as it is."""

from __future__ import annotations

from datetime import datetime

from blacklist.service import NewEntry, add_entries
from guard.services.consent import records as consent_records
from guard.store.db import Store

# The blacklist sources that record the person's own refusal, and how their consent was withdrawn through each
WITHDRAWN_VIA = {"customer_request": "operator", "complaint": "complaint"}


def blacklist(store: Store, entry: NewEntry, now: datetime, key_id: str | None) -> tuple[dict, bool]:
    """Add the entry (the live one when it is listed already) and whether it is new; a new refusal withdraws consent."""
    lock = f"n:{entry.phone}" if entry.phone else f"c:{entry.customer_id}"
    with store.locked([lock]) as conn:
        view, created = add_entries(conn, [entry], now, key_id)[0]
        if created and entry.source in WITHDRAWN_VIA:
            consent_records.withdraw_marketing(conn, entry.phone, [entry.customer_id] if entry.phone is None and entry.customer_id else [],
                                               entry.added_at or now, WITHDRAWN_VIA[entry.source], entry.reason, now, key_id)
    return view, created

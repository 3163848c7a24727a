""""How did you get my number?" ("你们怎么知道我电话的?") in one lookup: a one-line answer, in Chinese
and English, an agent's screen can show while the call is on, from the newest consent bearing on
the number (its own, or its owner's for every number of theirs)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from guard.services.consent.records import history
from guard.store.db import Store


def _day(value: str | None, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(value).astimezone(zone).date().isoformat() if value else ""


def _last_day(expires_at: str, zone: ZoneInfo) -> str:
    """The last day a consent was in effect: 有效期至 2026-11-30 expires at 24:00 that day (00:00 of 12-01), which is
    still 11-30's end, so the answer names 11-30."""
    return (datetime.fromisoformat(expires_at) - timedelta(microseconds=1)).astimezone(zone).date().isoformat()


def answer(consent: dict | None, zone: ZoneInfo) -> dict[str, str]:
    """The one-line answer about a number, from the consent the answer rests on (None: none recorded)."""
    if consent is None:
        return {"zh": "未登记该号码的来源和授权记录，请勿营销，并向运营/消保同事反馈。",
                "en": "No source or consent is recorded for this number: do not market to it; tell operations."}
    label = consent["source_label"]
    # A day written alone is named as written (it is the callee's day, README, Interpretations), an instant as it falls in
    # `zone`, the number's: a Los Angeles consent of 2026-03-01 is held from 07:59Z on 03-02, 03-02 at Shanghai.
    given = consent.get("given_on") or _day(consent["given_at"], zone)
    version_zh = f"（授权书版本 {consent['text_version']}）" if consent["text_version"] else ""
    version_en = f" (consent text version {consent['text_version']})" if consent["text_version"] else ""
    zh = f"您的号码来自{label['zh']}，您于 {given} 同意我行通过电话联系您{version_zh}。"
    en = f"Where we got your number: {label['en']}; you agreed on {given} to be contacted by phone{version_en}."
    if consent["status"] == "withdrawn" or (consent["status"] == "not_yet_given" and consent["withdrawn_at"]):
        via = consent["withdrawn_via_label"] or {"zh": "", "en": ""}
        when = consent.get("withdrawn_on") or _day(consent["withdrawn_at"], zone)
        zh += f"该授权已于 {when} 通过{via['zh']}撤回，请勿营销。"
        en += f" The consent was withdrawn on {when} ({via['en']}): do not market."
    elif consent["status"] == "expired":
        last = consent.get("expires_on") or _last_day(consent["expires_at"], zone)
        zh += f"该授权有效期至 {last}，已到期。"
        en += f" The consent was valid until the end of {last} and has expired."
    elif consent["status"] == "not_yet_given":
        start = ((date.fromisoformat(consent["given_on"]) + timedelta(days=1)).isoformat() if consent.get("given_on") else
                 _day((datetime.fromisoformat(consent["given_at"]) + timedelta(microseconds=1)).isoformat(), zone))
        zh += f"该授权自 {start} 起生效，此前请勿据此营销。"
        en += f" The consent counts from {start}: do not market on it before then."
    return {"zh": zh, "en": en}


def lookup(store: Store, phone: str, now: datetime, zone_name: str, with_history: bool) -> dict:
    consents = history(store, phone, None, now)
    with store.read() as conn:
        owner = store.facts.owner_now(store.cursor(conn), phone)
    # A consent of this number given by another customer than its owner now is a former subscriber's (a reassigned
    # number): it stays in the history, but the answer to the person on the line never rests on it. A consent dated
    # today (授权日期, a date alone) counts from the end of its day, yet it was given: the answer names where the number
    # came from and when the consent counts from, not "no source recorded".
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date().isoformat()
    standing = [c for c in consents if (c["status"] != "not_yet_given" or (c.get("given_on") or _day(c["given_at"], zone)) <= today)
                and (owner is None or c["customer_id"] is None or c["customer_id"] == owner)]
    basis = standing[0] if standing else None
    if basis is not None and basis["status"] == "not_yet_given" and not basis["withdrawn_at"]:
        basis = next((c for c in standing if c["status"] == "given"), basis)  # an earlier consent in effect answers
    out = {
        "phone_e164": phone,
        "answer": answer(basis, zone),
        "source": basis["source"] if basis else None,
        "source_label": basis["source_label"] if basis else None,
        "consent_id": basis["consent_id"] if basis else None,
        "status": basis["status"] if basis else "none",
        "given_at": basis["given_at"] if basis else None,
        "evidence_ref": basis["evidence_ref"] if basis else None,
    }
    if with_history:
        out["history"] = consents
    return out

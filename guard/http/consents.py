"""Consents to marketing and where numbers came from: record, withdraw, list, import; the provenance lookup."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, request

from guard.core.phones import is_known_region
from guard.http.api import endpoint
from guard.http.common import (
    answer, default_pack, default_zone, named_codec, not_future, number_extension, parse_number, runtime, uploaded_csv,
)
from guard.http.errors import bad_request
from guard.http.schemas import (
    ConsentImportOut, ConsentImportQuery, ConsentIn, ConsentListOut, ConsentListQuery, ConsentOut, ProvenanceOut, WithdrawIn,
)
from guard.services.consent import importer, provenance, records
from guard.services.ops.keys import Principal
from guard.services.zones import callee_day_zones, number_day_zones
from guard.core.zones import zone_of_day
from guard.core.i18n import field_said
from guard.core.reject_messages import with_reason_messages_of
from guard.core.messages import said

bp = Blueprint("consents", __name__)


@endpoint(bp, "POST", "/v1/consents", summary="Record a consent to marketing and where the number came from",
          description="Names a phone, a customer (every number of theirs) or both. Nothing is overwritten: a withdrawal is a new "
                      "version (`POST /v1/consents/{consent_id}/withdraw`).",
          roles=("operator",), body=ConsentIn, response=ConsentOut, status=201)
def give_consent(body: ConsentIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    phone = parse_number(body.phone, body.region) if body.phone is not None else None
    if phone is None and body.customer_id is None:
        raise bad_request(said("error.phone_or_customer"), "phone")
    if body.phone is not None and (extension := number_extension(body.phone, body.region)):
        raise bad_request(field_said("phone", said("error.consent_at_extension", raw=repr(body.phone), extension=extension,
                                                   line=phone)), "phone")
    zone = _import_zone(body.region)
    # A day alone (a CRM that keeps the day, not the hour) means what it means in a consent import, in its zone: given, from
    # the day's end; expiring, at 24:00 of the day (guard/services/consent/importer.py). The zone is the number's callee's:
    # given where the day ends last, expiring where it ends first (README, Interpretations).
    zones = _callee_zones(*(((phone,), None) if phone else records.customer_callee(rt.store, body.customer_id)), now, body.region)
    given_on = body.given_at if records.is_day(body.given_at) else None
    given_zone = zone_of_day(given_on, zones, latest=True) if given_on and zones else zone
    not_future(records.day_start(given_on, given_zone) if given_on else body.given_at, "given_at", now)
    expires_on = body.expires_at if records.is_day(body.expires_at) else None
    expires_zone = zone_of_day(expires_on, zones, latest=False) if expires_on and zones else zone
    consent = records.NewConsent(
        source=body.source, given_at=records.given_instant(body.given_at, given_zone), phone=phone, customer_id=body.customer_id,
        channels=tuple(body.channels), product_types=tuple(body.product_types), consent_text=body.consent_text,
        text_version=body.text_version, evidence_ref=body.evidence_ref,
        expires_at=records.day_end(expires_on, expires_zone) if expires_on else body.expires_at, given_on=given_on, expires_on=expires_on,
    )
    return answer(records.give(rt.store, consent, now, principal.actor, zone), 201)


@endpoint(bp, "POST", "/v1/consents/{consent_id}/withdraw", summary="Withdraw a consent (a new version; works like an opt-out from then)",
          roles=("operator",), body=WithdrawIn, response=ConsentOut,
          extra_responses={404: "no such consent", 409: "withdrawn already"})
def withdraw_consent(consent_id: str, body: WithdrawIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    zone = _import_zone()
    on = body.withdrawn_at if records.is_day(body.withdrawn_at) else None
    if on is not None:
        # A day alone is the consent's own number's (the body names no region), or for a customer's consent their recorded
        # zone, else their numbers': from 00:00 where the day begins first of the zones its callee may be in (fail closed;
        # README, Interpretations).
        zones = _callee_zones(*records.callee_of(rt.store, consent_id), now)
        zone = zone_of_day(on, zones, latest=False) if zones else zone
    at = records.day_start(on, zone) if on else body.withdrawn_at  # a day alone: withdrawn from its 00:00 (fail closed)
    not_future(at, "withdrawn_at", now)
    return answer(records.withdraw(rt.store, consent_id, at, body.via, body.note, now, principal.actor, zone, on=on))


def _callee_zones(numbers: tuple[str, ...], recorded: str | None, now, region: str | None = None) -> tuple[str, ...]:
    """The zones a consent's callee may be in: a customer's recorded zone, else the zones of the numbers, else the pack's."""
    return callee_day_zones(runtime().packs(), now, numbers, recorded, region)


def _import_zone(region: str | None = None) -> ZoneInfo:
    """The zone a consent import reads a date in (the pack's for the region named, else the default pack's), and so the
    consent routes a day sent alone."""
    return ZoneInfo(default_zone(region))


@endpoint(bp, "GET", "/v1/consents", summary="The consents of a number (its own and its owner's) or of a customer, with every version",
          roles=("operator",), query=ConsentListQuery, response=ConsentListOut)
def list_consents(query: ConsentListQuery, principal: Principal):
    rt = runtime()
    if (query.phone is None) == (query.customer_id is None):
        raise bad_request(said("error.one_of_phone_customer"), "phone")
    phone = parse_number(query.phone, query.region) if query.phone is not None else None
    consents = records.history(rt.store, phone, query.customer_id, rt.clock(), _import_zone(query.region))
    return answer({"phone_e164": phone, "customer_id": query.customer_id, "consents": consents})


_CSV_CONTENT = {
    "text/csv": {"schema": {"type": "string", "description": "header row required: " + ",".join(importer.COLUMNS)}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
}


@endpoint(bp, "POST", "/v1/consents/import", summary="Import consents from a CSV file (every rejected row with its line number)",
          description="Body: the CSV (Content-Type text/csv) or a multipart upload in field `file`. Text encoding: `?encoding=`, "
                      "else the Content-Type's `charset`, else told from the bytes (UTF-8 with or without BOM, GB18030/GBK, Big5); a file whose encoding cannot be told "
                      "is refused (400). A row naming a consent the guard holds (same number, customer, source, given_at and text "
                      "version) may narrow it (`updated`: a new version), never widen it (rejected: a withdrawal is not taken back, "
                      "an expiry not put off). The rows are written in one transaction. Re-importing a file changes nothing.",
          roles=("operator",), query=ConsentImportQuery, response=ConsentImportOut, request_content=_CSV_CONTENT)
def import_consents(query: ConsentImportQuery, principal: Principal):
    rt = runtime()
    stream = uploaded_csv(utf8_only=False)
    codec = named_codec(query.encoding)
    pack = default_pack()
    region = query.region or (pack.region if pack else "CN")
    if query.region is not None and not is_known_region(query.region):
        raise bad_request(field_said("region", said("error.unknown_region_short", region=repr(query.region))), "region")
    report = importer.import_csv(rt.store, stream, region=region, timezone_name=default_zone(region),
                                 zones_of=number_day_zones(rt.packs(), rt.clock(), region),
                                 now=rt.clock(), key_id=principal.actor, encoding=codec,
                                 ranges=pack.number_ranges if pack else (), allow_client_time=rt.settings.allow_client_time,
                                 encoding_field="encoding" if query.encoding else "charset")
    return answer(with_reason_messages_of(report.as_dict()))


@endpoint(bp, "GET", "/v1/numbers/{phone}/provenance",
          summary="\"How did you get my number?\": a one-line answer (zh, en) for the agent's screen; operators also get the history",
          roles=("dialer", "operator"), response=ProvenanceOut)
def number_provenance(phone: str, principal: Principal):
    rt = runtime()
    number = parse_number(phone, request.args.get("region"))
    # the number's own zone (its callee's), not the default pack's: a US consent's day is named as a US day
    zone = number_day_zones(rt.packs(), rt.clock(), request.args.get("region"))(number)[0]
    out = provenance.lookup(rt.store, number, rt.clock(), zone, principal.has("operator"))
    return answer(out)

"""Consents to marketing, where numbers came from, and the provenance lookup."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from guard.http.schemas.blacklist import ImportCountsOut
from guard.http.schemas.types import DateText, InstantOrDay, InstantText, ConsentChannel, ConsentSource, Id, Instant, Note, Phone, ProductType, Region, Strict, WithdrawalChannel


class ConsentIn(Strict):
    phone: Phone | None = Field(None, description="the number the consent covers (give a phone, a customer_id, or both)")
    customer_id: Id | None = Field(None, description="the customer; without a phone the consent covers every number of theirs")
    region: Region | None = None
    source: ConsentSource = Field(description="where the number came from")
    given_at: InstantOrDay = Field(description=(
        "when the person gave the consent: a date-time with its UTC offset, or the day alone (2026-11-23), read in the zone of "
        "the number's callee (the latest of its zones; else the pack's for `region`) as a consent import reads it: the consent counts from the end of that day (民法典 第二百零一条), "
        "and the answer's `given_on` names it"))
    channels: Annotated[list[ConsentChannel], Field(min_length=1, max_length=5)] = ["phone"]
    product_types: Annotated[list[ProductType], Field(max_length=20)] = Field([], description="empty: every product")
    consent_text: Annotated[str, Field(min_length=1, max_length=20_000)] | None = None
    text_version: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    evidence_ref: Annotated[str, Field(min_length=1, max_length=500)] | None = Field(
        None, description="where the proof is kept (form number, recording id, app log id)")
    expires_at: InstantOrDay | None = Field(None, description=(
        "when the consent ends: a date-time with its UTC offset, or its last day alone (有效期至 2026-12-31), read in the "
        "zone of the number's callee (the earliest of its zones; else the pack's for `region`): the consent is valid to 24:00 of that day (民法典 第二百零三条), `expires_on` names it"))


class WithdrawIn(Strict):
    via: WithdrawalChannel = Field(description="the channel the person withdrew through")
    withdrawn_at: InstantOrDay | None = Field(None, description=(
        "when the person withdrew (default: now): a date-time with its UTC offset, or the day alone (2026-11-23), read in the "
        "zone of the consent's own number (the earliest of its zones; a customer's consent: their recorded zone, else their numbers'; else the default pack's) as a consent import reads it: withdrawn from that day's 00:00 (fail closed; from the "
        "consent's own instant when it was given at an hour that day), `withdrawn_on` names it"))
    note: Note | None = None


class LabelOut(BaseModel):
    zh: str
    en: str


class ConsentVersionOut(BaseModel):
    consent_id: str
    phone_e164: str | None
    customer_id: str | None
    source: str
    source_label: LabelOut
    consent_text: str | None
    text_version: str | None
    channels: list[str]
    product_types: list[str]
    given_at: InstantText
    given_on: str | None = Field(None, description=(
        "the day of a consent given by date alone (an import's 授权日期 2026-11-03, or a `given_at` sent as a day): its "
        "`given_at` is then that day's last instant in the zone of the number's callee (it counts from the day's end), not an hour anyone recorded; null when given at an instant"))
    evidence_ref: str | None
    expires_at: InstantText | None
    expires_on: DateText | None = Field(None, description=(
        "the last day of a consent whose expiry was given as a date alone (an import's 有效期至 2026-12-31, or an `expires_at` "
        "sent as a day): its `expires_at` is "
        "then 00:00 of the next day (the last day counts whole); null when given at an instant"))
    withdrawn_at: InstantText | None
    withdrawn_on: DateText | None = Field(None, description=(
        "the day of a withdrawal given as a date alone (an import's 撤回日期 2026-11-23, or a `withdrawn_at` sent as a "
        "day): its `withdrawn_at` is then that day's "
        "00:00 (the whole day withdrawn, or the consent's own instant when given at an hour that day), not an hour anyone "
        "recorded; null when withdrawn at an instant"))
    withdrawn_via: str | None
    withdrawn_via_label: LabelOut | None
    note: str | None
    recorded_at: InstantText = Field(description="when the guard recorded this version")
    superseded_at: InstantText | None = Field(description="when a later version replaced it (null: current)")
    recorded_by: str | None


class ConsentOut(ConsentVersionOut):
    status: str = Field(description="given | not_yet_given | expired | withdrawn, by the consent's own dates now")
    versions: list[ConsentVersionOut] = Field(description="every version, oldest first: nothing is overwritten")


class ConsentListQuery(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ConsentListOut(BaseModel):
    phone_e164: str | None
    customer_id: str | None
    consents: list[ConsentOut]


class ConsentImportQuery(Strict):
    region: Region | None = None
    encoding: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None, description="the file's text encoding, e.g. utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as "
                          "Big5-HKSCS); default: told from the bytes (UTF-8 with or without BOM, GB18030, Big5)")
    model_config = ConfigDict(extra="forbid", strict=False)


class ImportWarningOut(BaseModel):
    line: int
    warning: str = Field(description="what the import assumed for the row, and how to spare it that")
    warning_messages: dict[str, str] = Field(description="`warning` in zh-CN, zh-TW and en (the English as `warning` has it)")


class ConsentImportOut(ImportCountsOut):
    accepted: int = Field(description="new consents")
    updated: int = Field(description="rows that narrowed a consent held (withdrew it, ended it sooner, dropped channels or product "
                                     "types), or one an earlier row of the file gave: a new version, the old one kept")
    unchanged: int = Field(description="rows saying what the guard holds already (or an earlier row of the file said)")
    warnings: list[ImportWarningOut] = Field(default_factory=list, description=(
        "rows imported with an assumption, the first 1000 with their lines: a customer's consent (no number) whose days "
        "alone were read in the pack's zone, the guard holding neither a time zone nor a number for the customer (a day "
        "alone is otherwise read where the customer is: README, Interpretations, *A day written alone*)"))


class ProvenanceOut(BaseModel):
    phone_e164: str
    answer: LabelOut = Field(description="one line the agent's screen can show: where the number came from and the consent")
    source: str | None
    source_label: LabelOut | None
    consent_id: str | None
    status: str = Field(description="none | given | not_yet_given | expired | withdrawn: the consent the answer rests on "
                                    "(not_yet_given: dated today, counting from the end of its day)")
    given_at: InstantText | None
    evidence_ref: str | None
    history: list[ConsentOut] | None = Field(None, description="every consent bearing on the number with its versions "
                                                               "(keys with the operator role only)")

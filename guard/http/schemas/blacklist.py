"""The blacklist and its imports."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from blacklist.service import removal_reason_problem
from guard.http.schemas.types import InstantText, BlacklistSource, Id, InstantOrDay, Note, Phone, Region, Strict


class BlacklistIn(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    source: BlacklistSource
    reason: Note | None = None
    expires_at: InstantOrDay | None = Field(None, description=(
        "when the listing lapses (default: never): a date-time with its UTC offset, or its last day alone (到期日期 "
        "2026-12-31), read as a list import reads it, where the callee is (the number's zones; a customer's recorded zone, "
        "else their numbers'; else the pack's for `region`): held through to 24:00 of that day where it ends last (民法典 "
        "第二百零三条); refused for source customer_request and complaint, the customer's own refusal, which is permanent"))
    added_at: InstantOrDay | None = Field(None, description=(
        "when the listing took effect (default: now): a date-time with its UTC offset, or the day alone (2026-11-23), read "
        "as a list import reads it, where the callee is: from that day's 00:00 where it begins first"))


class BlacklistEntryOut(BaseModel):
    id: str
    phone_e164: str | None
    customer_id: str | None
    source: str
    code: str = Field(description="the reason a check gives for it: DNC_OPT_OUT or DNC_REGISTRY")
    reason: str | None
    reason_messages: dict[str, str] | None = Field(None, description="`reason` in zh-CN, zh-TW and en: a reason the guard wrote "
                                                                     "itself (a complaint, an outcome) translated; a typed one as typed")
    added_at: InstantText
    expires_at: InstantText | None
    added_by: str | None
    recorded_at: InstantText | None
    active: bool
    removed_at: InstantText | None
    removed_by: str | None
    removal_reason: str | None
    removal_reason_messages: dict[str, str] | None = Field(None, description=(
        "`removal_reason` in zh-CN, zh-TW and en: a reason the guard wrote itself (an entry that lapsed at its expiry and "
        "was listed again) translated; a typed one as typed"))
    removal_list_id: int | None = Field(None, description="the list removal (`POST /v1/blacklist/removals`) that closed it")
    removal_still_blocked: bool | None = Field(None, description="whether a check still held the number back right after the "
                                               "removal (another source's entry, its customer's entry or refusal on another of "
                                               "their numbers, a mute); null for a customer's entry and for a removal recorded "
                                               "before the guard kept it")
    lapsed_at: InstantText | None = Field(None, description=(
        "when the listing lapsed at its own expiry (its `expires_at`, passed), or null: live, no expiry, or removed by "
        "someone before it. An entry the guard closed at its expiry when the same source listed the number again has "
        "`removed_at` equal to it and no `removed_by`: a lapse, not a removal, so GET /v1/blacklist/removals leaves it out"))


class BlacklistLookupOut(BaseModel):
    phone_e164: str | None = None
    customer_id: str | None = None
    blocked: bool
    codes: list[str]
    entries: list[BlacklistEntryOut]
    history: list[BlacklistEntryOut] = Field(description="removed and expired entries")


def _substantive(reason: str) -> str:
    problem = removal_reason_problem(reason)
    if problem:
        raise ValueError(problem)
    return reason


RemovalReason = Annotated[str, Field(min_length=1, max_length=1000, description=(
    "why the entry goes (kept on record): at least 2 Chinese characters (误加) or 3 letters or digits; punctuation and "
    "spaces do not count")), AfterValidator(_substantive)]


class BlacklistRemoveIn(Strict):
    reason: RemovalReason
    source: BlacklistSource | None = Field(None, description="remove only entries of this source")


class BlacklistRemovedOut(BaseModel):
    removed: list[BlacklistEntryOut]
    still_blocked: bool | None = Field(None, description="DELETE /v1/blacklist/{phone}: whether a check still holds the number "
                                                         "back after the removal, as the check reads it (an entry of another "
                                                         "source, its customer's entry or refusal on another of their numbers, "
                                                         "a mute): GET /v1/blacklist/{phone} names what")


class ImportQuery(Strict):
    source: BlacklistSource = "registry"
    region: Region | None = None
    encoding: Annotated[str, Field(min_length=1, max_length=40, description=(
        "the file's text encoding, e.g. utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS); "
        "default: the Content-Type's charset, else told from the bytes (UTF-8 with or without BOM, GB18030, Big5)"))] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ImportRejectOut(BaseModel):
    line: int
    reason: str
    reason_messages: dict[str, str] = Field(description="`reason` in zh-CN, zh-TW and en (the English as `reason` has it)")
    row: str


class ImportCountsOut(BaseModel):
    accepted: int = Field(description="new entries")
    unchanged: int = Field(description="valid rows already on the list (or repeated in the file)")
    rejected: int
    rows: int
    rejects: list[ImportRejectOut] = Field(description="the first 1000 rejected rows, with their line numbers (`rejected` counts them all)")
    rejects_truncated: bool
    encoding: str | None = Field(None, description="the text encoding the file was read in (named or told from its bytes): "
                                                   "utf-8, gb18030, big5hkscs, …")


class ImportOut(ImportCountsOut):
    consents_withdrawn: int = Field(description="marketing consents withdrawn by the new entries of a person's own refusal "
                                                "(source customer_request or complaint), as an entry added alone withdraws "
                                                "them (PIPL art. 15)")


class RemovalQuery(Strict):
    source: Literal["litigator", "registry", "regulator"] = Field(description="the external list the numbers left: only its "
                                                                             "entries are closed")
    reason: RemovalReason
    dry_run: bool = Field(False, description="count what would be removed; write nothing")
    region: Region | None = None
    encoding: Annotated[str, Field(min_length=1, max_length=40, description="the file's text encoding (default: the "
                                   "Content-Type's charset, else told from the bytes)")] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class RemovalOut(BaseModel):
    dry_run: bool
    source: str
    rows: int
    removed: int = Field(description="entries of the source closed (on a dry run: that would be)")
    not_listed: int = Field(description="valid numbers with no live entry of the source (or repeated in the file)")
    still_blocked: int = Field(description="numbers of the file a check still holds back as it reads them: an entry of their own "
                                           "of another source, their customer's entry (or refusal on another of their numbers), "
                                           "a mute on them or their customer")
    rejected: int
    rejects: list[ImportRejectOut] = Field(description="the first 1000 rejected rows, with their line numbers")
    rejects_truncated: bool
    list_id: int | None = Field(description="the removal's record (null on a dry run); every entry closed keeps it as "
                                            "`removal_list_id`")
    encoding: str | None = None


class RemovalsQuery(Strict):
    phone: Phone | None = Field(None, description="removals of this number's entries and of its customer's (any format)")
    region: Region | None = None
    customer_id: Id | None = Field(None, description="removals of this customer's own entries")
    list_id: int | None = Field(None, ge=1, description="the entries one list removal (`POST /v1/blacklist/removals`) closed")
    limit: Annotated[int, Field(ge=1, le=1000)] = 100
    after: Annotated[str, Field(min_length=1, max_length=400)] | None = Field(
        None, description="the `next` of the page before (same filters): this page starts after its last removal")
    model_config = ConfigDict(extra="forbid", strict=False)


class RemovalsOut(BaseModel):
    removals: list[BlacklistEntryOut] = Field(description="removed entries, newest removal first: who (`removed_by`), when "
                                              "(`removed_at`), why (`removal_reason`), the list removal (`removal_list_id`) "
                                              "and `removal_still_blocked`; an entry that lapsed at its expiry is no "
                                              "removal (SPEC §2.1: an admin's act, with a reason) and is not listed")
    next: str | None = Field(None, description="pass as `after` for the next page; null on the last page")

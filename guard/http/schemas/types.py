"""The field types every schema shares: instants, numbers, ids, and the enumerations of the vocabulary registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from guard.core.ids import NOT_CANONICAL, id_problem
from guard.core.pack_schema import parse_instant
from guard.core.messages import TEMPLATES
from guard.core.text import has_words
from guard.core.vocabularies import codes


FIRST_YEAR, LAST_YEAR = 1970, 9998  # the years a client's instant (or day) may name


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        parsed = parse_instant(value)
        if parsed is None:
            raise ValueError("must be an ISO 8601 date-time with a UTC offset, like 2026-11-23T10:15:00+08:00")
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise ValueError("is out of range")
        return parsed
    raise ValueError("must be an ISO 8601 date-time string with a UTC offset")


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    PlainSerializer(lambda v: v.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2026-11-23T10:15:00+08:00"}),
]


def _instant_or_day(value: Any) -> Any:
    """An instant as `Instant` reads it, or a calendar day alone (YYYY-MM-DD): what the field means by a day is its own."""
    if isinstance(value, str) and len(value.strip()) == 10 and value.strip()[4] == "-" and value.strip()[7] == "-":
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("must be an ISO 8601 date (YYYY-MM-DD) or a date-time with a UTC offset, like "
                             "2026-11-23T10:15:00+08:00") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError("is out of range")
        return day
    try:
        return _instant(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 date-time with a UTC offset, like 2026-11-23T10:15:00+08:00, or a date "
                         "alone, like 2026-11-23") from None


# An instant, or a day alone (2026-11-23: a CRM that keeps the day, not the hour); a date-time without an offset stays refused.
InstantOrDay = Annotated[
    datetime | date,
    BeforeValidator(_instant_or_day),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
                    "example": "2026-11-23"}),
]


# An instant in an answer: written by the guard as ISO 8601 with its UTC offset (datetime.isoformat), documented as
# the date-time it is, so that a client generated from /openapi.json reads a typed instant, not a bare string.
InstantText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time", "example": "2026-11-23T10:15:00+08:00"})]
# A calendar day in an answer (ISO 8601, 2026-11-23), documented as such.
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "example": "2026-11-23"})]


Phone = Annotated[str, Field(min_length=1, max_length=64, examples=["138 0013 8000"])]


def _canonical_id(value: str) -> str:
    if id_problem(value) == NOT_CANONICAL:  # Ｃ１００ or C<ZWSP>100 would miss what is held under C100 (guard/core/ids.py)
        raise ValueError(NOT_CANONICAL)
    return value


Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s/\\]+$"), AfterValidator(_canonical_id)]


CampaignId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\s/\\]+$")]


Region = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", examples=["CN"])]
# Every enumeration comes from the vocabulary registry (guard/core/vocabularies.py).


CustomerLevel = Literal[codes("customer_levels")]  # type: ignore[valid-type]


ProductLevel = Literal[codes("product_levels")]  # type: ignore[valid-type]


ProductType = Literal[codes("product_types")]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class OlderPageQuery(Strict):
    """The cursor of a newest-first list (the decision log, audits, simulations): `before` and `before_id` as the
    page before's `next` gave them."""
    before: Instant | None = Field(None, description="only those made before this instant; with `before_id` (pass the page "
                                                     "before's `next`), those after the row of that instant with that id")
    before_id: Id | None = Field(None, description="with `before`: continue after the row of that instant with this id (rows "
                                                   "made at the same instant are then neither skipped nor repeated)")


class PageNext(BaseModel):
    before: InstantText
    before_id: str


Disposition = Literal[codes("dispositions")]  # type: ignore[valid-type]


Severity = Literal[codes("complaint_severities")]  # type: ignore[valid-type]


BlacklistSource = Literal[codes("blacklist_sources")]  # type: ignore[valid-type]


Note = Annotated[str, Field(min_length=1, max_length=4000)]


def _script_text(value: Any) -> Any:
    if isinstance(value, str) and not has_words(value):
        raise ValueError(TEMPLATES["input.script_blank"].en)
    return value


ScriptText = Annotated[str, Field(min_length=1, max_length=200_000), AfterValidator(_script_text)]


Purpose = Literal[codes("call_purposes")]  # type: ignore[valid-type]


ConsentSource = Literal[codes("consent_sources")]  # type: ignore[valid-type]


ConsentChannel = Literal[codes("consent_channels")]  # type: ignore[valid-type]


WithdrawalChannel = Literal[codes("withdrawal_channels")]  # type: ignore[valid-type]

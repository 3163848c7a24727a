"""Complaint rules (投诉): SLA deadlines, which are missed, the next one due, and when complaints mute.

A complaint's deadlines run from its receipt, by severity, from the pack's `complaints.sla`
(default: light first response 2 h / resolved 24 h; medium 1 h / 48 h; severe escalated within
30 min / resolved 15 days). A deadline is *pending* until what it asks for happens: the first
response, the escalation, the resolution (resolving settles every deadline). A deadline is
*missed* when it passed unmet or its step was done after it (`breaches`), and stays missed once the
step is done: a late escalation is a breach on record, whether or not the scheduler saw it first. A
complaint is `resolved`, else `overdue` once any deadline was missed (or the scheduler marked it
so), else `open`. The store keeps `next_due_at` (the nearest pending deadline) beside each complaint,
computed here on every change, so that "overdue" is `next_due_at < now` in SQL and the queue
sorts by it: the rule itself lives only in this module.

The workflow around the deadlines is one queue of *stages* (`stage`, kept beside the complaint like
`next_due_at`): new → first responded → escalated (to a supervisor) → resolved, awaiting the
satisfaction callback → callback done. Resolving sets the callback's deadline (`callback_due`:
resolution + the pack's `complaints.callback`, default 7 days); the callback is then the one
deadline still pending, and a complaint is `late` while any pending deadline has passed. The
callback is a service contact recorded in the complaint's own history: it is not a call attempt,
so it neither counts against caps nor depends on (or lifts) a marketing mute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Callable, Iterable

from guard.core.calendar import DayCalendar
from guard.core.messages import said, stored_text
from guard.core.pack import ComplaintSla, MuteRule
from guard.core.periods import suppression_end
from guard.core.vocabularies import VOCABULARIES, codes

STATUSES = codes("complaint_statuses")
STAGES = codes("complaint_stages")
CALLBACK_RESULTS = codes("callback_results")
EVENT_TYPES = VOCABULARIES["complaint_events"].where_extra("recorded_by", "person")  # the events a person records
SYSTEM_EVENT_TYPES = VOCABULARIES["complaint_events"].where_extra("recorded_by", "guard")  # the events the guard records
DEADLINE_KINDS = codes("deadline_kinds")


@dataclass(frozen=True)
class Deadlines:
    first_response_due: datetime | None
    resolution_due: datetime | None
    escalation_due: datetime | None


def deadlines(sla: ComplaintSla, received_at: datetime, zone: tzinfo = timezone.utc,
              off: Callable[[date], bool] | None = None) -> Deadlines:
    """The deadlines of a complaint received at `received_at`. One the pack wrote in days ends at 24:00 (in `zone`, the
    bank's) of the last day counted from the day after receipt (民法典 第二百零一条, 第二百零三条): a severe complaint received
    at 10:00 on 1 December is resolved in time on the evening of 16 December, as the regulation's 15 days allow. A last
    day that is a day off (`off`: the pack's calendar, weekends and holiday periods) moves to the working day after it."""
    def due(kind: str, delta: timedelta | None) -> datetime | None:
        if delta is None:
            return None
        if kind in sla.in_days:
            return end_of_days_after(received_at, delta.days, zone, off)
        return received_at + delta

    return Deadlines(due("first_response", sla.first_response), due("resolve", sla.resolve), due("escalate", sla.escalate))


def strictest(each: Iterable[Deadlines]) -> Deadlines:
    """The deadlines of a complaint several packs judge (a customer whose numbers on file several packs cover): each one
    the earliest any of them sets (fail closed: met in time for the strictest pack, it is met for every one)."""
    each = list(each)

    def first(values: Iterable[datetime | None]) -> datetime | None:
        known = [v for v in values if v is not None]
        return min(known) if known else None

    return Deadlines(first(d.first_response_due for d in each), first(d.resolution_due for d in each),
                     first(d.escalation_due for d in each))


@dataclass(frozen=True)
class ComplaintState:
    """What the deadlines depend on (a stored complaint's columns of the same names)."""

    first_response_due: datetime | None
    resolution_due: datetime | None
    escalation_due: datetime | None
    first_response_at: datetime | None = None
    escalated_at: datetime | None = None
    resolved_at: datetime | None = None
    overdue_at: datetime | None = None
    callback_due: datetime | None = None
    callback_at: datetime | None = None

    @classmethod
    def of(cls, row: object) -> "ComplaintState":
        return cls(**{k: getattr(row, k) for k in cls.__dataclass_fields__})


def pending(state: ComplaintState) -> list[tuple[datetime, str]]:
    """The deadlines still to be met, (due, kind), nearest first; after resolution only the callback."""
    if state.resolved_at is not None:
        if state.callback_due is not None and state.callback_at is None:
            return [(state.callback_due, "callback")]
        return []
    out = []
    if state.first_response_due is not None and state.first_response_at is None:
        out.append((state.first_response_due, "first_response"))
    if state.escalation_due is not None and state.escalated_at is None:
        out.append((state.escalation_due, "escalate"))
    if state.resolution_due is not None:
        out.append((state.resolution_due, "resolve"))
    return sorted(out)


def next_due(state: ComplaintState) -> tuple[datetime, str] | None:
    """The nearest deadline still to be met (passed or not), or None."""
    waiting = pending(state)
    return waiting[0] if waiting else None


def _due_and_done(state: ComplaintState, kind: str) -> tuple[datetime | None, datetime | None]:
    return {
        "first_response": (state.first_response_due, state.first_response_at),
        "escalate": (state.escalation_due, state.escalated_at),
        "resolve": (state.resolution_due, state.resolved_at),
        "callback": (state.callback_due, state.callback_at),
    }[kind]


def breaches(state: ComplaintState, now: datetime | None) -> list[tuple[str, datetime, datetime | None]]:
    """Every deadline missed, (kind, due, done_at), in DEADLINE_KINDS order: met after it was due
    (`done_at` when the step was done), or passed unmet (`done_at` None), whether still pending at
    `now` or settled unmet by the resolution. A deadline missed stays missed: doing the step late does
    not undo the breach. With `now` None, only the settled ones (those no later instant changes)."""
    out = []
    for kind in DEADLINE_KINDS:
        due, done = _due_and_done(state, kind)
        if due is None:
            continue
        if done is not None:
            if done > due:
                out.append((kind, due, done))
            continue
        settled = state.resolved_at if kind != "callback" else None  # resolving settles every deadline but the callback
        until = settled if settled is not None else now
        if until is not None and until > due:
            out.append((kind, due, None))
    return out


# 《银行业保险业消费投诉处理管理办法》(原银保监会令2020年第3号; the article's number is not
# confirmed, its wording is as 财新 2020-01-17 reports it: docs/research/cn-bank-sources.md R14): a complaint is handled
# within 15 days of its receipt (自收到消费投诉之日起15日内); a complex one may be extended to 30 days; a particularly complex one,
# or one with another special reason, by a further 30 days once the bank's superior office or head-office senior management
# has approved it (and the complainant is told). The bank's own deadline (the pack's `resolve`, hours to days) is stricter;
# these are the ceilings on moving it. They are periods counted in days, so they are counted as 民法典 第二百零一条 and
# 第二百零三条 count one: the day of receipt is not counted, the period starts the next day, and its last day ends at
# 24:00 — in the bank's time zone (the pack's), not as 30 × 24 hours from the instant of receipt. 第二百零三条 also says
# "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日": a last day that falls on a day off (a weekend
# day that is not a makeup working day, or a day of a holiday period, by the pack's calendar) gives way to the first working
# day after it (the text as neixun.cn and m.cqxianglaokan.com carry it; docs/research/cn-bank-sources.md R14).
EXTENSION_DAYS = 30
APPROVED_EXTENSION_DAYS = 60
_LONGEST_RUN_OFF = 31  # no run of days off is this long (China's longest, Spring Festival, is 9 days)


# The countries whose law moves a period's last day off a day off: the mainland's (民法典 第二百零三条). Another pack's own
# deadlines in days end on their last day, whatever day it is.
LAST_DAY_OFF_MOVES = frozenset({"CN"})


def days_off_for(country: str, calendar: DayCalendar | None) -> Callable[[date], bool] | None:
    """The days off by which a period of days of a pack of `country` ends on the next working day (its calendar's weekends
    and holiday periods), or None where no such rule applies (or the pack has no calendar)."""
    return calendar.is_off if calendar is not None and country in LAST_DAY_OFF_MOVES else None


def end_of_days_after(received_at: datetime, days: int, zone: tzinfo, off: Callable[[date], bool] | None = None) -> datetime:
    """When a period of `days` days from `received_at` ends: 24:00 (in `zone`) of the `days`-th day after the day of receipt,
    or, when that day is a day off (`off`, the pack's calendar), of the first working day after it (民法典 第二百零三条)."""
    last_day = received_at.astimezone(zone).date() + timedelta(days=days)
    if off is not None:
        for _ in range(_LONGEST_RUN_OFF):
            if not off(last_day):
                break
            last_day += timedelta(days=1)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)


def extension_refused(received_at: datetime, resolution_due: datetime | None, until: datetime, at: datetime,
                      approved_by: str | None, zone: tzinfo = timezone.utc,
                      off: Callable[[date], bool] | None = None) -> tuple[str, str] | None:
    """Why moving an unresolved complaint's resolution deadline to `until` at `at` is refused, as (field, reason), or None.

    A deadline already passed is missed and stays missed: it cannot be extended afterwards. Past the 30th day after the
    day of receipt (in `zone`, the bank's; a last day that is a day off by `off` moves to the working day after it) the
    extension needs a named approver; past the 60th nothing allows it."""
    if resolution_due is not None and at > resolution_due:
        return "at", said("error.extend_passed", due=resolution_due.isoformat())
    if resolution_due is not None and until <= resolution_due:
        return "until", said("error.extend_not_later", until=until.isoformat(), due=resolution_due.isoformat())
    limit = end_of_days_after(received_at, APPROVED_EXTENSION_DAYS, zone, off)
    if until > limit:
        return "until", said("error.extend_past_60", until=until.isoformat(), received=received_at.isoformat(),
                             limit=limit.isoformat())
    limit = end_of_days_after(received_at, EXTENSION_DAYS, zone, off)
    if until > limit and not (approved_by or "").strip():
        return "approved_by", said("error.extend_needs_approver", until=until.isoformat(), limit=limit.isoformat())
    return None


def missed(state: ComplaintState, now: datetime) -> list[str]:
    """The kinds of the deadlines missed by `now` (see `breaches`), in DEADLINE_KINDS order."""
    return [kind for kind, _, _ in breaches(state, now)]


def missed_late(state: ComplaintState) -> datetime | None:
    """When the earliest deadline (the callback's apart) that was met late, or settled unmet by the
    resolution, fell due; None when none was. The instant such a complaint became overdue."""
    dues = [due for kind, due, _ in breaches(state, None) if kind != "callback"]
    return min(dues) if dues else None


def status(state: ComplaintState, now: datetime) -> str:
    if state.resolved_at is not None:
        return "resolved"
    if state.overdue_at is not None or missed(state, now):
        return "overdue"
    return "open"


def as_of(state: ComplaintState, at: datetime) -> ComplaintState:
    """The complaint as it stood at `at`: the steps done (first response, escalation, resolution, callback) and the
    overdue mark recorded later are not done yet. A past day's figures judge each complaint so; the deadlines are
    the ones held now (an extension granted later counts from the start)."""
    def then(when: datetime | None) -> datetime | None:
        return when if when is not None and when <= at else None

    return replace(state, first_response_at=then(state.first_response_at), escalated_at=then(state.escalated_at),
                   resolved_at=then(state.resolved_at), overdue_at=then(state.overdue_at), callback_at=then(state.callback_at))


def stage(state: ComplaintState) -> str:
    """Where the complaint stands in the workflow (one of STAGES)."""
    if state.resolved_at is not None:
        if state.callback_at is not None:
            return "callback_done"
        return "awaiting_callback" if state.callback_due is not None else "closed"
    if state.escalated_at is not None:
        return "escalated"
    return "first_responded" if state.first_response_at is not None else "new"


def late(state: ComplaintState, now: datetime) -> bool:
    """Whether a pending deadline (the callback's included) has passed, or the unresolved complaint
    missed a deadline (met late, or marked overdue by the scheduler): a step done late does not make
    an unresolved complaint on time again."""
    if any(due < now for due, _ in pending(state)):
        return True
    return state.resolved_at is None and (state.overdue_at is not None or bool(missed(state, now)))


def callback_due(within: timedelta | None, resolved_at: datetime) -> datetime | None:
    """When the satisfaction callback is due after a resolution (None: the pack asks for none)."""
    return resolved_at + within if within is not None else None


def mute_completed(rule: MuteRule | None, receipts: list[datetime], new: datetime) -> tuple[datetime, int] | None:
    """When the customer's (or number's) complaints first numbered the pack's `mute.complaints` within
    `mute.within` in a run that holds the complaint received at `new`, and how many fell in that window.

    `receipts` are the receipt instants of their complaints, `new` among them, in any order: complaints
    are often entered late (a letter, a regulator's referral), so the count is taken wherever the window
    lies, not only in the window ending at the complaint just entered. A run of N complaints counts when
    the first was received less than `within` before the last (receipts in (last - within, last]); the
    complaint received last in the run *completes* the count, and the mute runs from its receipt. When
    `new` lies in several such runs, the one completed latest is returned (the mute lasting longest).
    None when `new` completes no count, or the pack mutes for no complaint count.
    """
    if rule is None:
        return None
    times = sorted(receipts)
    n = rule.complaints
    best: tuple[datetime, int] | None = None
    for i in range(len(times) - n + 1):
        run = times[i:i + n]
        if not run[0] <= new <= run[-1] or run[-1] - run[0] >= rule.within:
            continue
        last = run[-1]
        if best is None or last > best[0]:
            best = (last, sum(1 for t in times if last - rule.within < t <= last))
    return best


def mute_period(rule: MuteRule, completed_at: datetime, zones: tuple[str, ...]) -> tuple[datetime, datetime]:
    """The mute a count completed at `completed_at` gives: from `completed_at` for the pack's `mute.for`, which, written
    in days, ends at 24:00 of its last day where the callee (`zones`) ends that day last (guard/core/periods.py). The
    pack's `mute.for` is how long the customer stays muted after their N-th complaint within the window was
    received, not after the guard learned of it: a count completed by a letter entered late mutes for
    what is left of that period, and one whose period has already ended mutes nobody."""
    return completed_at, suppression_end(completed_at, rule.for_, rule.for_in_days, zones)


def receipts_window(rule: MuteRule, received_at: datetime) -> tuple[datetime, datetime]:
    """The receipts (start, end] that can share a count with a complaint received at `received_at`."""
    return received_at - rule.within, received_at + rule.within


def mute_reason(rule: MuteRule, count: int, pack_id: str, version: str) -> str:
    """The mute's reason as stored (English, "2 complaints within 180 days (pack cn-bank 2026.4)"); read in
    Chinese through guard.core.messages.localize_stored."""
    return stored_text("stored.mute", count=count, within=rule.within, pack=pack_id, version=version)

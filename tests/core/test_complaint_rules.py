"""guard.core.complaints: when complaints mute (the count taken wherever the window lies)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from guard.core.complaints import extension_refused, mute_completed, mute_period
from guard.core.pack import MuteRule

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
THREE_IN_30 = MuteRule(complaints=3, within=timedelta(days=30), for_=timedelta(days=90))


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_a_complaint_entered_between_two_others_completes_the_count_at_the_last_of_them():
    assert mute_completed(THREE_IN_30, [day(0), day(20), day(10)], day(10)) == (day(20), 3)
    assert mute_period(THREE_IN_30, day(20)) == (day(20), day(110))


def test_the_run_completed_latest_wins_when_the_complaint_lies_in_several():
    assert mute_completed(THREE_IN_30, [day(0), day(10), day(20), day(25)], day(10)) == (day(25), 4)  # four received in the 30 days to the 25th


def test_receipts_a_whole_window_apart_do_not_share_a_count():
    assert mute_completed(THREE_IN_30, [day(0), day(15), day(30)], day(15)) is None
    assert mute_completed(THREE_IN_30, [day(0.001), day(15), day(30)], day(15)) == (day(30), 3)


def test_a_run_without_the_new_complaint_is_not_its_to_complete():
    assert mute_completed(THREE_IN_30, [day(0), day(1), day(2), day(40)], day(40)) is None


def test_no_rule_no_mute():
    assert mute_completed(None, [day(0), day(1), day(2)], day(2)) is None


# 《银行业保险业消费投诉处理管理办法》(原银保监会令2020年第3号; article number unconfirmed, docs/research/cn-bank-sources.md R14): 15 days; a complex complaint may be extended to
# 30 days; a particularly complex one, approved by the superior office or head-office senior management, a further 30.
def test_an_extension_moves_the_deadline_later_within_30_days_freely_and_to_60_with_an_approver():
    due = T0 + timedelta(days=1)
    assert extension_refused(T0, due, T0 + timedelta(days=30), T0, None) is None
    assert extension_refused(T0, due, T0 + timedelta(days=31), T0, None)[0] == "approved_by"
    assert extension_refused(T0, due, T0 + timedelta(days=31), T0, "  ")[0] == "approved_by"
    assert extension_refused(T0, due, T0 + timedelta(days=60), T0, "总行消保部") is None
    assert extension_refused(T0, due, T0 + timedelta(days=60, seconds=1), T0, "总行消保部")[0] == "until"
    assert extension_refused(T0, due, due, T0, None)[0] == "until"  # not later: no extension


def test_a_deadline_already_passed_is_not_extended():
    due = T0 + timedelta(days=1)
    assert extension_refused(T0, due, T0 + timedelta(days=10), due + timedelta(seconds=1), None)[0] == "at"
    assert extension_refused(T0, due, T0 + timedelta(days=10), due, None) is None

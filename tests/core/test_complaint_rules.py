"""guard.core.complaints: when complaints mute (the count taken wherever the window lies)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from guard.core.complaints import end_of_days_after, extension_refused, mute_completed, mute_period
from guard.core.pack import MuteRule

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
THREE_IN_30 = MuteRule(complaints=3, within=timedelta(days=30), for_=timedelta(days=90))


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_a_complaint_entered_between_two_others_completes_the_count_at_the_last_of_them():
    assert mute_completed(THREE_IN_30, [day(0), day(20), day(10)], day(10)) == (day(20), 3)
    assert mute_period(THREE_IN_30, day(20), ("UTC",)) == (day(20), day(110))


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
    # the 30th day after the day of receipt ends at 24:00 (民法典 第二百零一条, 第二百零三条): T0 is that day's 00:00 UTC
    assert extension_refused(T0, due, T0 + timedelta(days=31), T0, None) is None
    assert extension_refused(T0, due, T0 + timedelta(days=31, seconds=1), T0, None)[0] == "approved_by"
    assert extension_refused(T0, due, T0 + timedelta(days=31, seconds=1), T0, "  ")[0] == "approved_by"
    assert extension_refused(T0, due, T0 + timedelta(days=60), T0, "总行消保部") is None
    # the 60th day after the day of receipt ends at 24:00 (民法典 第二百零一条, 第二百零三条): T0 is that day's 00:00 UTC
    assert extension_refused(T0, due, T0 + timedelta(days=61), T0, "总行消保部") is None
    assert extension_refused(T0, due, T0 + timedelta(days=61, seconds=1), T0, "总行消保部")[0] == "until"
    assert extension_refused(T0, due, due, T0, None)[0] == "until"  # not later: no extension


def test_a_deadline_already_passed_is_not_extended():
    due = T0 + timedelta(days=1)
    assert extension_refused(T0, due, T0 + timedelta(days=10), due + timedelta(seconds=1), None)[0] == "at"
    assert extension_refused(T0, due, T0 + timedelta(days=10), due, None) is None


# The regulation's 15 / 30 / 60 days "自收到消费投诉之日起" are periods counted in days. 民法典 第二百零一条: the day a period
# begins is not counted, it runs from the next day; 第二百零三条: its last day ends at 24:00. A bank in Shanghai that received
# a complaint at 15:00 on 1 December may extend it, without a superior's approval, to any time on 31 December (the 30th
# day), and with approval to any time on 30 January (the 60th) — counted in the bank's time zone, not as 24-hour blocks.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_regulation_s_days_run_from_the_day_after_receipt_to_24_00_of_the_last_day_in_the_bank_s_zone():
    received = datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI)
    assert end_of_days_after(received, 15, SHANGHAI) == datetime(2026, 12, 17, 0, 0, tzinfo=SHANGHAI)
    assert end_of_days_after(received, 30, SHANGHAI) == datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)
    # 23:30 UTC on 30 November is already 1 December in Shanghai: the day of receipt is the bank's
    assert end_of_days_after(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), 30, SHANGHAI) == datetime(2027, 1, 1, tzinfo=SHANGHAI)


def test_an_extension_to_the_evening_of_the_30th_day_needs_no_approver_and_to_the_60th_day_is_allowed():
    received = datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI)
    due = received + timedelta(days=15)
    at = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
    assert extension_refused(received, due, datetime(2026, 12, 31, 20, 0, tzinfo=SHANGHAI), at, None, SHANGHAI) is None
    assert extension_refused(received, due, datetime(2027, 1, 1, 0, 0, 1, tzinfo=SHANGHAI), at, None, SHANGHAI)[0] == "approved_by"
    assert extension_refused(received, due, datetime(2027, 1, 30, 23, 59, tzinfo=SHANGHAI), at, "总行高管", SHANGHAI) is None
    assert extension_refused(received, due, datetime(2027, 1, 31, 0, 0, 1, tzinfo=SHANGHAI), at, "总行高管", SHANGHAI)[0] == "until"


def test_a_deadline_in_days_ends_at_24_00_of_its_last_day_and_one_in_hours_runs_from_the_instant():
    """《银行业保险业消费投诉处理管理办法》: "自收到消费投诉之日起15日内" (R14); 民法典 第二百零一条 / 第二百零三条 count the days. A severe
    complaint received at 10:00 on 1 December and resolved at 20:00 on 16 December was resolved in time."""
    from guard.core.complaints import ComplaintState, breaches, deadlines
    from guard.core.pack import DEFAULT_COMPLAINT_SLA

    received = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
    severe = deadlines(DEFAULT_COMPLAINT_SLA["severe"], received, SHANGHAI)
    assert severe.resolution_due == datetime(2026, 12, 17, 0, 0, tzinfo=SHANGHAI)
    assert severe.escalation_due == received + timedelta(minutes=30)
    light = deadlines(DEFAULT_COMPLAINT_SLA["light"], received, SHANGHAI)
    assert light.resolution_due == received + timedelta(hours=24) and light.first_response_due == received + timedelta(hours=2)
    done = ComplaintState(severe.first_response_due, severe.resolution_due, severe.escalation_due,
                          escalated_at=received + timedelta(minutes=20), resolved_at=datetime(2026, 12, 16, 20, 0, tzinfo=SHANGHAI))
    assert breaches(done, None) == []


def test_a_period_whose_last_day_is_a_day_off_ends_at_24_00_of_the_next_working_day():
    """民法典 第二百零三条: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日" (text as neixun.cn carries it).
    By the CN calendar (国办发明电〔2025〕7号: 国庆 1–7 October 2026 off, 10 October a makeup working day): received on
    22 September, the 15th day is 7 October, a day off, so the complaint is due by the end of 8 October; received on Friday
    4 December, the 15th day is Saturday 19 December, so by the end of Monday 21 December. A working last day is unchanged."""
    from guard.core.calendar import DayRules, day_calendar
    from guard.core.complaints import deadlines
    from guard.core.pack import DEFAULT_COMPLAINT_SLA

    off = day_calendar(DayRules("CN", periods=True)).is_off
    national_day = deadlines(DEFAULT_COMPLAINT_SLA["severe"], datetime(2026, 9, 22, 10, 0, tzinfo=SHANGHAI), SHANGHAI, off)
    assert national_day.resolution_due == datetime(2026, 10, 9, 0, 0, tzinfo=SHANGHAI)
    assert end_of_days_after(datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI), 15, SHANGHAI, off) == datetime(2026, 12, 22, tzinfo=SHANGHAI)
    assert end_of_days_after(datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI), 15, SHANGHAI, off) == datetime(2026, 12, 17, tzinfo=SHANGHAI)
    # the 60 days from 1 December end on Saturday 30 January 2027: an approved extension may run to the end of 1 February
    received = datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI)
    due, at = datetime(2026, 12, 17, tzinfo=SHANGHAI), datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
    assert extension_refused(received, due, datetime(2027, 2, 1, 20, 0, tzinfo=SHANGHAI), at, "总行高管", SHANGHAI, off) is None
    assert extension_refused(received, due, datetime(2027, 2, 2, 0, 0, 1, tzinfo=SHANGHAI), at, "总行高管", SHANGHAI, off)[0] == "until"


def test_only_a_mainland_pack_moves_a_last_day_off_to_the_next_working_day():
    """民法典 第二百零三条 is the mainland's law: a US pack's periods of days end on their last day, whatever day it is."""
    from guard.core.calendar import DayRules, day_calendar
    from guard.core.complaints import days_off_for

    assert days_off_for("CN", day_calendar(DayRules("CN", periods=True))) is not None
    assert days_off_for("CN", None) is None
    assert days_off_for("US", day_calendar(DayRules("US"))) is None

"""History.facts: one slice of the store's rows for a call, whatever the mode that filled it,
and decide() over every customer of the call."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guard.core.decide import decide
from guard.core.facts import Attempt, BlacklistEntry, CheckInput, CustomerFacts, Deferral, Mute, customers_of_call
from guard.core.history import CatalogFacts, Held, History
from guard.core.phones import parse_phone
from guard.core.windows import parse_window
from tests.core.packs import make_pack

SH = ZoneInfo("Asia/Shanghai")
PACK = make_pack()
PHONE = parse_phone("13800138000", "CN")
N = PHONE.e164
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=SH)
MOVED = datetime(2026, 11, 10, 9, 0, tzinfo=SH)
DEP = CatalogFacts(PACK.campaigns["dep"], {"DEP": PACK.products["DEP"]}, False)


def history() -> History:
    """The number belonged to A until MOVED, then to B; A opted out on it before the move."""
    h = History()
    h.owners[N] = [Held("A", T0, MOVED), Held("B", MOVED)]
    h.customers["A"] = [Held(CustomerFacts("A", phones=(N,)), T0, MOVED), Held(CustomerFacts("A"), MOVED)]
    h.customers["B"] = [Held(CustomerFacts("B", phones=(N,), tags=frozenset({"sensitive"})), MOVED)]
    entry = BlacklistEntry("E1", "customer_request", T0 + timedelta(days=1), customer_id="A")
    h.blacklist_by_customer["A"] = [Held(entry, entry.added_at)]
    return h


def test_the_customers_of_a_call_are_the_owner_then_the_named_customer():
    assert customers_of_call("A", None) == ("A",)
    assert customers_of_call("A", "A") == ("A",)
    assert customers_of_call("A", "X") == ("A", "X")
    assert customers_of_call(None, "X") == ("X",)
    assert customers_of_call(None, None) == ()


def test_a_moved_number_is_judged_by_its_owner_at_the_instant():
    h = history()
    before = h.facts(PHONE, None, MOVED - timedelta(hours=1), T0, DEP)
    after = h.facts(PHONE, None, MOVED + timedelta(hours=1), T0, DEP)
    assert before.customer_ids == ("A",) and [e.id for e in before.blacklist] == ["E1"]
    assert after.customer_ids == ("B",) and after.blacklist == ()
    assert not decide(CheckInput("dep"), before, PACK, MOVED - timedelta(hours=1)).allowed
    assert decide(CheckInput("dep"), after, PACK, MOVED + timedelta(hours=1)).allowed


def test_naming_the_former_owner_brings_their_opt_out_back_into_the_call():
    h = history()
    f = h.facts(PHONE, "A", MOVED + timedelta(hours=1), T0, DEP)
    assert f.customer_ids == ("B", "A") and f.customer_mismatch and f.owner == "B" and f.named_customer == "A"
    d = decide(CheckInput("dep", customer_id="A"), f, PACK, MOVED + timedelta(hours=1))
    assert [r.code for r in d.reasons] == ["DNC_OPT_OUT"] and d.cap_tier == "sensitive"  # B's tag counts too


def test_now_means_what_is_still_held_and_an_instant_means_what_was_held_then():
    row = Held("x", T0, MOVED)
    assert row.held_at(T0) and not row.held_at(MOVED) and not row.held_at(None)
    assert Held("x", T0).held_at(None) and not Held("x", T0).held_at(T0 - timedelta(seconds=1))


def test_a_row_reached_by_the_number_and_by_the_customer_counts_once():
    h = History()
    h.owners[N] = [Held("A", T0)]
    d = Deferral("D1", T0 + timedelta(days=3), phone=N, customer_id="A")
    h.deferrals_by_phone[N] = [Held(d, T0)]
    h.deferrals_by_customer["A"] = [Held(d, T0)]
    m = Mute("M1", "A", T0, T0 + timedelta(days=30))
    h.mutes_by_customer["A"] = [Held(m, T0)]
    f = h.facts(PHONE, None, None, T0, DEP)
    assert f.deferrals == (d,) and f.mutes == (m,)


def test_attempts_count_for_each_customer_and_leave_with_the_window():
    h = History()
    h.owners[N] = [Held("A", T0)]
    h.add_attempt(N, ("A", "X"), Attempt(T0))
    h.add_attempt(None, ("X",), Attempt(T0 + timedelta(days=1)))
    f = h.facts(PHONE, "X", None, T0 - timedelta(days=1), DEP)
    assert len(f.number_attempts) == 1 and len(f.customer_attempts["A"]) == 1 and len(f.customer_attempts["X"]) == 2
    later = h.facts(PHONE, "X", None, T0 + timedelta(hours=1), DEP)
    assert later.number_attempts == () and len(later.customer_attempts["X"]) == 1


def _two(a: CustomerFacts, b: CustomerFacts, at: datetime):
    h = History()
    h.owners[N] = [Held(a.id, T0)]
    h.customers[a.id] = [Held(a, T0)]
    h.customers[b.id] = [Held(b, T0)]
    f = h.facts(PHONE, b.id, None, at - timedelta(days=90), DEP)
    return decide(CheckInput("dep", customer_id=b.id), f, PACK, at)


def test_every_customers_windows_narrow_the_call():
    evenings = (parse_window({"days": "mon-fri", "from": "18:00", "to": "20:00"}),)
    mornings = (parse_window({"days": "mon-fri", "from": "09:00", "to": "12:00"}),)
    at = datetime(2026, 11, 23, 19, 0, tzinfo=SH)
    d = _two(CustomerFacts("A", windows=evenings), CustomerFacts("X", windows=mornings), at)
    assert [r.code for r in d.reasons] == ["CUSTOMER_WINDOW"] and d.reasons[0].detail["intersection_empty"] is True
    assert d.next_allowed_at is None
    ok = _two(CustomerFacts("A", windows=evenings), CustomerFacts("X"), at)
    assert ok.allowed


def test_every_customers_recorded_zone_must_be_inside_the_window():
    at = datetime(2026, 11, 23, 9, 30, tzinfo=SH)  # 09:30 in Shanghai, 07:30 in Urumqi
    d = _two(CustomerFacts("A", timezone="Asia/Shanghai"), CustomerFacts("X", timezone="Asia/Urumqi"), at)
    assert [r.code for r in d.reasons] == ["QUIET_HOURS"] and d.reasons[0].detail["timezone"] == "Asia/Urumqi"
    assert d.next_allowed_at == datetime(2026, 11, 23, 11, 0, tzinfo=SH)  # 09:00 in Urumqi

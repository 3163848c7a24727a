"""List scrubbing: `POST /v1/check/batch` — up to 100,000 numbers judged at one instant, recording nothing.

Set-based: the numbers are parsed once each (memoised by input string; large lists in worker
processes on every core), then the facts of the whole list are read by the facts reader in its
list mode (owners, customers, attempts, blacklist, mutes, deferrals: each one statement over the
list), and each number is judged exactly as a check would judge it: the same `History.facts`
slice, the same `guard.core.decide`. Numbers with no history at all share their decision per
time-zone set, so a list of fresh numbers costs one decide() per zone.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator, Sequence

from guard.core.catalog import NoPolicy, client_instant_not_covered
from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.collector import collector_paused
from guard.core.decide import decide
from guard.core.facts import CheckInput, Decision
from guard.core.history import History
from guard.core.pack import Pack
from guard.core.phones import NumberRange, PhoneInfo, cn_mobile, parse_phone, parse_phone_once
from guard.services.calls.check import Guard, longest_window

PARALLEL_FROM = 20_000  # below this, parsing in one process is faster than shipping the work
CHUNK = 5_000

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


# The parsing workers' niceness: a scrub's parsing yields the cores to the checks served beside it.
PARSER_NICE = 10


def _lower_priority() -> None:
    os.nice(PARSER_NICE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the command's or the server's to handle, not each worker's


def _workers() -> ProcessPoolExecutor:
    """One pool per process, started on first use from a forkserver (safe in a threaded server), its
    workers at a lower CPU priority than the server's own threads."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=max(1, mp.cpu_count()), mp_context=mp.get_context("forkserver"),
                                        initializer=_lower_priority)
        return _pool


def scrub(guard: Guard, campaign_id: str, raws: Sequence[str], at: datetime | None, region: str | None, product: str | None,
          purpose: str = "marketing") -> bytes:
    """`POST /v1/check/batch`'s answer whole: every number judged at `at` (`check_list`), encoded (`encode`)."""
    now = at or guard.clock()
    with collector_paused():
        results, pack = check_list(guard, campaign_id, raws, now, region, product, purpose, at_server_clock=at is None)
        return encode(results, pack, now)


def scrub_pieces(guard: Guard, campaign_id: str, raws: Sequence[str], at: datetime | None, region: str | None,
                 product: str | None, purpose: str = "marketing") -> Iterator[bytes]:
    """`POST /v1/check/batch`'s answer, to be sent piece by piece. Every number is judged and every row's answer rendered
    before this returns, so a store failure, an unknown campaign or an instant no pack covers is raised here, before the
    first byte is sent (fail-closed: a 503, never a truncated list); the pieces only join bytes already made."""
    now = at or guard.clock()
    rows: list = []
    renderer: list[Renderer] = []

    def rendered(results: list, pack: Pack) -> None:
        if not renderer:
            renderer.append(Renderer(pack))
        rows.extend(renderer[0].rows(results, len(rows)))

    # Judged a chunk at a time, each chunk's rows rendered before the next is judged: only the compact rows outlive it.
    with collector_paused():
        pack = check_chunks(guard, campaign_id, raws, now, region, product, rendered, purpose, at_server_clock=at is None)
    return pieces(rows, pack, now)


def _parse_chunk(raws: list[str], region: str, ranges: tuple[NumberRange, ...] = ()) -> list[tuple]:
    out = []
    for raw in raws:
        p = parse_phone_once(raw, region, ranges)
        out.append((p.valid, p.e164, p.region, p.time_zones, p.why, p.kind, p.state, p.extension))
    return out


def parse_many(raws: Sequence[str], region: str, ranges: tuple[NumberRange, ...] = (),
               listed: int | None = None) -> dict[str, PhoneInfo]:
    """Every distinct input string parsed once (in `region`, with a pack's extra `ranges`). Plain CN
    mobile numbers take the fast path here; when many others remain, they are parsed in worker
    processes. Large lists bypass the parse memo (they would only flush it); `listed`: the size of the
    list `raws` is a chunk of (default: `raws` is the whole list)."""
    distinct = list(dict.fromkeys(raws))
    if max(len(distinct), listed or 0) < PARALLEL_FROM:
        return {raw: parse_phone(raw, region, ranges) for raw in distinct}
    out: dict[str, PhoneInfo] = {}
    rest: list[str] = []
    zones = ("Asia/Shanghai",)
    for raw in distinct:
        nsn = cn_mobile(raw, region)
        if nsn is not None:
            out[raw] = PhoneInfo(raw=raw, valid=True, e164="+86" + nsn, region="CN", time_zones=zones, kind="mobile")
        else:
            rest.append(raw)
    # The others of the whole list, estimated from this chunk's share of them: a list judged chunk by chunk ships its
    # others to the workers when the whole list holds enough of them, as a list parsed at once does.
    if len(rest) * max(len(distinct), listed or 0) < PARALLEL_FROM * len(distinct):
        out.update((raw, parse_phone_once(raw, region, ranges)) for raw in rest)
        return out
    chunks = [rest[i:i + CHUNK] for i in range(0, len(rest), CHUNK)]
    pool = _workers()
    for chunk, parsed in zip(chunks, pool.map(_parse_chunk, chunks, [region] * len(chunks), [ranges] * len(chunks))):
        for raw, (valid, e164, reg, zones_, why, kind, state, extension) in zip(chunk, parsed):
            out[raw] = PhoneInfo(raw=raw, valid=valid, e164=e164, region=reg, time_zones=zones_, why=why, kind=kind, state=state,
                                 extension=extension)
    return out


# Numbers judged at a time: a chunk's parsed numbers, facts and decisions are dropped once its rows are rendered, so a
# 100,000-number list never holds the facts and decisions of all its numbers at once.
JUDGED_PER_CHUNK = 10_000

Result = tuple[str, str | None, Decision, str | None]


def check_list(guard: Guard, campaign_id: str, raws: Sequence[str], at: datetime | None, region: str | None,
               product: str | None, purpose: str = "marketing", customers: Sequence[str | None] | None = None,
               at_server_clock: bool | None = None) -> tuple[list[Result], Pack]:
    """Judge every number at `at` (default now); return the results in input order (the number as written, its line in
    E.164, the decision, the extension written after the line) and the campaign's pack.
    `customers` (a list file's customer column): the customer each entry names, judged with the number's recorded
    owners as a check naming that customer would be (SPEC §7, whose facts count). `at_server_clock` (default: `at`
    not given): `at` is this host's clock, so a mute or a withdrawal another host recorded a moment ahead of it
    counts (decide's `ahead`)."""
    results: list[Result] = []
    pack = check_chunks(guard, campaign_id, raws, at, region, product, lambda part, _pack: results.extend(part), purpose,
                        customers, at_server_clock)
    return results, pack


def check_chunks(guard: Guard, campaign_id: str, raws: Sequence[str], at: datetime | None, region: str | None,
                 product: str | None, each: Callable[[list[Result], Pack], None], purpose: str = "marketing",
                 customers: Sequence[str | None] | None = None, at_server_clock: bool | None = None,
                 per_chunk: int | None = None) -> Pack:
    """`check_list`, handing the results to `each` JUDGED_PER_CHUNK numbers at a time, in input order, with the
    campaign's pack; return that pack. Every chunk is judged at the same instant in one read transaction (one snapshot:
    REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so an entry written while the list is judged counts
    for none of its numbers, as when the list was read at once."""
    per_chunk = per_chunk or JUDGED_PER_CHUNK
    packs = guard.packs()
    store = guard.store
    now = at or guard.clock()
    slack = MAX_CLOCK_SKEW if (at is None if at_server_clock is None else at_server_clock) else timedelta(0)
    catalog = History()
    request = CheckInput(campaign=campaign_id, product=product, purpose=purpose)
    shared: dict[tuple, Decision] = {}  # numbers nothing is held about, across chunks: one decision per kind
    with store.read(snapshot=True) as conn:
        cur = store.cursor(conn)
        try:
            resolution = store.facts.catalog_now(cur, catalog, packs, campaign_id, product, now)
        except NoPolicy:
            mistake = client_instant_not_covered(packs, "at", at) if at is not None else None
            if mistake is not None:
                raise mistake from None
            raise
        pack = resolution.pack
        parse_region = region or pack.region
        starts = range(0, len(raws), per_chunk)

        def parsed(first: int) -> dict[str, PhoneInfo]:
            return parse_many(raws[first:first + per_chunk], parse_region, pack.number_ranges, listed=len(raws))

        # A campaign may hand some countries' numbers to other packs: one resolution per country the list holds (found
        # before any number is judged: how far back attempts are read depends on every pack that judges the list).
        by_country = {None: resolution}
        kept = None  # a list of one chunk is parsed once
        if resolution.campaign is not None and resolution.campaign.packs:
            countries: set[str] = set()
            for first in starts:
                phones = parsed(first)
                countries.update(p.region for p in phones.values() if p.valid and resolution.campaign.pack_for_country(p.region))
                kept = phones if len(starts) == 1 else None
            for country in countries:
                by_country[country] = store.facts.catalog_now(cur, catalog, packs, campaign_id, product, now, country)
        # The versions loaded to take effect later, resolved at their starts: next_allowed_at is judged by the
        # version in effect at each instant, as the live check's is.
        ahead: dict[str | None, list] = {}
        for country, judged in by_country.items():
            steps = ahead[country] = []
            for version in packs.timelines[judged.pack.id].versions if judged.pack.id in packs.timelines else ():
                if version.effective_from <= now:
                    continue
                try:
                    later = store.facts.catalog_now(cur, catalog, packs, campaign_id, product, version.effective_from, country)
                except NoPolicy:
                    break
                steps.append((version.effective_from, later))
        since = now - max(longest_window(r.pack) for r in by_country.values())

        for first in starts:
            part = raws[first:first + per_chunk]
            named_part = customers[first:first + per_chunk] if customers else None
            phones = kept if kept is not None else parsed(first)
            history = History(campaigns=catalog.campaigns, products=catalog.products, approvals=catalog.approvals)
            numbers = sorted({p.e164 for p in phones.values() if p.valid})
            named = sorted({c for c in named_part or () if c})
            store.facts.load_many(cur, history, numbers, named, alive=True, since=since, now=now)
            each(_judge(part, named_part, phones, history, resolution, by_country, ahead, since, request, now, slack, shared),
                 pack)
            del phones, history
    return pack


def _judge(raws: Sequence[str], customers: Sequence[str | None] | None, phones: dict[str, PhoneInfo], history: History,
           resolution: Any, by_country: dict, ahead: dict, since: datetime, request: CheckInput, now: datetime,
           slack: timedelta, shared: dict[tuple, Decision]) -> list[Result]:
    """One chunk's results, from the facts of its numbers (`history`)."""

    def later(phone: PhoneInfo, customer: str | None):
        steps = ahead.get(phone.region if phone.valid and phone.region in ahead else None, ())
        return lambda: [(r.pack, history.facts(phone, customer, None, since, r.catalog)) for _, r in steps]

    by_raw: dict[str, Decision] = {}

    def alone(raw: str) -> Decision:
        """The number judged naming no customer (once per distinct entry)."""
        decision = by_raw.get(raw)
        if decision is not None:
            return decision
        phone = phones[raw]
        judged = by_country.get(phone.region if phone.valid else None) or resolution
        pack_ = judged.pack
        if (phone.valid and history.is_blank(phone.e164) and phone.time_zones and phone.kind not in pack_.deny_number_kinds):
            # Nothing is held about the number: its decision depends only on what decide() reads of
            # the number itself (country, zones and the pack's correction of them, state), not on the
            # number as such (no reason names it). Its facts are built only for the first of a kind.
            key = (phone.region, phone.time_zones, pack_.zones_for_number(phone.e164), phone.state, pack_.hash)
            decision = shared.get(key)
            if decision is None:
                decision = shared[key] = decide(request, history.facts(phone, None, None, since, judged.catalog), pack_, now,
                                                later=later(phone, None), ahead=slack)
        else:
            decision = decide(request, history.facts(phone, None, None, since, judged.catalog), pack_, now,
                              later=later(phone, None), ahead=slack)
        by_raw[raw] = decision
        return decision

    if not customers or not any(customers):
        return [(raw, phones[raw].e164, alone(raw), phones[raw].extension) for raw in raws]
    results = []
    for raw, customer in zip(raws, customers):
        phone = phones[raw]
        if customer:
            judged = by_country.get(phone.region if phone.valid else None) or resolution
            decision = decide(request, history.facts(phone, customer, None, since, judged.catalog), judged.pack, now,
                              later=later(phone, customer), ahead=slack)
        else:
            decision = alone(raw)
        results.append((raw, phone.e164, decision, phone.extension))
    return results


# How many distinct reasons (code, pack and detail) and distinct answers one encoding keeps rendered. Rows denied for
# the same reasons at one instant (quiet hours, a holiday, the campaign's window) read the same messages in three
# languages; rendering them again for each row was most of a denied list's encoding.
RENDERED_KEPT = 4096


def _kept(cache: dict, key: Any, value: Any) -> Any:
    """`value`, kept under `key` in `cache` (emptied when it holds RENDERED_KEPT)."""
    if len(cache) >= RENDERED_KEPT:
        cache.clear()
    if RENDERED_KEPT:
        cache[key] = value
    return value


# Rows per piece of a streamed answer: a piece of denied rows is about 2 MB (each row's reasons in three languages).
ROWS_PER_PIECE = 1_000


def encode(results: list, pack: Any, now: datetime) -> bytes:
    """The response body whole: `pieces` in one piece (joined once from the rows' heads and shared answers, not from
    pieces that would be held twice)."""
    return b"".join(pieces(render(results, pack), pack, now, per_piece=len(results) + 1))


def render(results: list, pack: Any) -> list[tuple[str, str | None, str | None, int | None, bytes]]:
    """Every row's answer rendered, compactly: (number as written, E.164, extension, the index of the entry it repeats,
    the encoded answer after the row's head); see `Renderer`."""
    return Renderer(pack).rows(results)


class Renderer:
    """Rows' answers rendered, compactly, chunk after chunk of one list. Each distinct answer is encoded once (lists
    repeat decisions a lot): by identity for a decision shared by several numbers, then by content (allowed, zone,
    next_allowed_at, each reason's code, pack and detail as JSON), so rows with the same answer share one bytes object
    and their reasons' rendered messages, across chunks. Everything that reads a decision happens here, so what is left
    to send (`pieces`) cannot fail."""

    def __init__(self, pack: Any):
        from guard.core.i18n import chinese_of

        self.pack = pack
        self.chinese = chinese_of(pack.country)
        # id(decision) -> (the decision, kept alive so that its id is not another's, its answer)
        self.by_id: dict[int, tuple[Any, bytes]] = {}
        self.by_content: dict[tuple, bytes] = {}
        self.rendered: dict[tuple, dict[str, str]] = {}
        # A number listed again (another way of writing it, or the same cell twice) names its first entry, in whichever
        # chunk it was: each entry is judged alone, so without it a number listed twice reads as two callable numbers
        # when its caps allow one call.
        self.first: dict[str, int] = {}

    def rows(self, results: list, start: int = 0) -> list[tuple[str, str | None, str | None, int | None, bytes]]:
        """`results` rendered, the first being the list's entry `start`."""
        from zoneinfo import ZoneInfo

        from guard.services.calls.decisions import reason_out

        pack, chinese, by_id, by_content, rendered, first = (self.pack, self.chinese, self.by_id, self.by_content,
                                                             self.rendered, self.first)
        detail_key = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

        def messages_of(reason: Any, key: tuple) -> dict[str, str]:
            messages = rendered.get(key)
            if messages is None:
                messages = _kept(rendered, key, reason.messages)
            return messages

        rows = []
        for index, (raw, e164, d, extension) in enumerate(results, start):
            known = by_id.get(id(d))
            tail = known[1] if known is not None and known[0] is d else None
            if tail is None:
                keys = tuple((r.code, r.pack, detail_key(r.detail)) for r in d.reasons)
                content = (d.allowed, d.zone, d.next_allowed_at, keys)
                tail = by_content.get(content)
                if tail is None:
                    zone = ZoneInfo(d.zone)
                    reasons = []
                    for r, key in zip(d.reasons, keys):
                        messages = messages_of(r, key)
                        reasons.append(reason_out({"code": r.code, "message": messages["en"], "detail": r.detail}, pack.id,
                                                  chinese, messages))
                    tail = json.dumps({
                        "allowed": d.allowed,
                        "reasons": reasons,
                        "next_allowed_at": d.next_allowed_at.astimezone(zone).isoformat() if d.next_allowed_at else None,
                    }, ensure_ascii=False, separators=(",", ":"))[1:].encode()
                    _kept(by_content, content, tail)
                _kept(by_id, id(d), (d, tail))
            repeated = first.setdefault(e164, index) if e164 else index
            rows.append((raw, e164, extension, repeated if repeated != index else None, tail))
        return rows


def pieces(rows: list, pack: Any, now: datetime, per_piece: int | None = None) -> Iterator[bytes]:
    """The response body of `render`'s rows, in pieces of `per_piece` rows (default ROWS_PER_PIECE): a server writes
    each as it comes, so a 100,000-row denied answer (190 MB) is never held whole, only the compact rows and one piece."""
    per_piece = per_piece or ROWS_PER_PIECE
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    duplicates = sum(1 for row in rows if row[3] is not None)
    parts: list[bytes] = [b'{"results":[']
    for index, (raw, e164, extension, repeated, tail) in enumerate(rows):
        number = f'"{e164}"' if e164 else "null"  # E.164 is digits and '+': nothing to escape
        # The extension dropped from the line judged (as /v1/check's phone_extension): the answer is the line's.
        # Each row's own head, then its answer's bytes, shared by every row with that answer.
        parts.append(f'{"," if index else ""}{{"phone":{dumps(raw)},"phone_e164":{number},"phone_extension":{dumps(extension)},"duplicate_of":{"null" if repeated is None else repeated},'.encode())
        parts.append(tail)
        if len(parts) >= 2 * per_piece:
            yield b"".join(parts)
            parts = []
    meta = json.dumps({"policy": {"pack": pack.id, "version": pack.version, "hash": pack.hash}, "evaluated_at": now.isoformat(),
                       "count": len(rows), "duplicates": duplicates}, ensure_ascii=False, separators=(",", ":"))[1:-1]
    parts.append(b"],")
    parts.append(meta.encode())
    parts.append(b"}")
    yield b"".join(parts)

"""One call-log audit, streaming: read, load the history, judge, write, summarise.

  1. read and check every row; resolve its campaign's pack at its instant (a row no pack governs is
     rejected) and lint its transcript at once (only the findings are kept); the calls are kept as
     columns (`columns.CallColumns`, about 100 bytes a call) and rebuilt one by one to be judged;
  2. parse the distinct numbers (in worker processes for large logs);
  3. load the history of every number and customer in the log with the facts reader in its
     as-of mode (phone ownership, customer versions, blacklist entries with their removals,
     mutes, deferrals), on the audit's time axis (`basis`: known_then, what the guard held at each
     call's time; known_now, the facts' own effective times), the configured catalog and the
     decisions the rows name;
  4. judge the calls in time order with `guard.core.audit.Judge` (the same facts slice and the
     same `decide` as a live check), in forked processes for large logs: groups of calls that
     share a number or a customer never cross processes, so the caps count right.
Violations are written to the store as they are found; the summary counts them by code, agent,
campaign and hour of day (the callee's local hour).
"""

from __future__ import annotations

import bisect
import ctypes
import gc
import io
import multiprocessing as mp
import signal
import time
from array import array
from dataclasses import dataclass, field
from typing import IO, Callable
from zoneinfo import ZoneInfo

from guard.core.audit import UNCHECKED, Judge, Part, group_roots, partition_roots
from guard.core.calllog import Call, check_row
from guard.core.catalog import NoPolicy
from guard.core.history import KNOWN_THEN, History
from guard.core.lint import lint
from guard.core.pack import PackSet
from guard.services.audits import exports
from guard.services.audits.liveness import Liveness
from guard.core.phones import OUTSIDE_LINE, TWO_NUMBERS, PhoneInfo
from guard.services.audits.columns import CallColumns, HashIndex, from_us, to_us
from guard.services.audits.log_reader import LogError, read_log
from guard.services.calls.scrub import parse_many
from guard.uploads import CountingReader
from guard.store import audits as audit_store
from guard.store.db import Store

_MISSING = object()
PARSE_CHUNK = 200_000
PARALLEL_FROM = 20_000  # smaller logs are judged in-process (forking costs more than it saves)
# Seconds between progress writes while a log is read and judged in-process: without them `GET /v1/audits/{id}` showed
# 0 rows read for the whole reading (half a minute for 1.5 million rows) and 0 calls judged until the end.
PROGRESS_EVERY = 2.0


@dataclass
class Progress:
    bytes_total: int | None
    bytes_done: int = 0
    rows: int = 0
    judged: int = 0
    rejected: int = 0
    violations: int = 0
    stage: str = "reading"
    seconds: dict = field(default_factory=dict)  # wall seconds per step (read, parse, history, group, judge, write)


_FORKED: tuple | None = None  # (judge, columns, kept, writer) handed to forked workers


def _judge_group(positions: array) -> Part:
    judge, cols, kept, writer = _FORKED  # type: ignore[misc]
    part = judge.judge(cols.call(kept[k]) for k in positions)
    # The attempts the caps count are the log's own calls (the audit's history holds none from the
    # store), and no number or customer of this part is in another: they are done with.
    judge.h.attempts_by_phone.clear()
    judge.h.attempts_by_customer.clear()
    part.rows = writer.prepare(part.rows)  # here, in parallel, rather than in the process that writes
    return part


def _trim() -> None:
    """Return the C heap's free memory to the system (glibc), where that can be asked."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def call_figures(calls_judged: int, calls_breaking_rules: int, calls_unchecked: int) -> dict:
    """The headline figures kept apart: calls that broke a rule (any code but UNCHECKED_CALL) and
    calls with no valid decision (UNCHECKED_CALL), each with its percentage of the calls judged."""
    def pct(n: int) -> float:
        return round(n * 100 / calls_judged, 2) if calls_judged else 0.0

    return {"calls_breaking_rules": calls_breaking_rules, "calls_breaking_rules_pct": pct(calls_breaking_rules),
            "calls_unchecked": calls_unchecked, "calls_unchecked_pct": pct(calls_unchecked)}


class Auditor:
    """Runs one audit: read, load history, judge (in `workers` forked processes), write, summarise."""

    def __init__(self, store: Store, packs: PackSet, audit_id: str, on_progress: Callable[[Progress], None] | None = None,
                 workers: int = 1, flush_every: int = 5000, basis: str = KNOWN_THEN, liveness: Liveness | None = None,
                 timezone: str | None = None, progress_every: float = PROGRESS_EVERY):
        self.store = store
        self.progress_every = progress_every
        self._written = time.monotonic()
        self.timezone = timezone  # the log's own zone, named by the auditor: times without a UTC offset are read in it
        self.zone = ZoneInfo(timezone) if timezone else None
        self.basis = basis
        self.packs = packs
        self.audit_id = audit_id
        self.on_progress = on_progress
        self.workers = workers
        self.flush_every = flush_every
        self._rejects: list[tuple[int, str]] = []
        self._first_rejects: list[tuple[int, str]] = []  # for the message of a log none of whose rows is judged
        self.total = Part()
        self.writer = audit_store.ViolationWriter(store, audit_id)
        self.liveness = liveness  # heartbeat with each progress write; stop when cancelled (AuditStopped)

    def _reject(self, line: int, why: str) -> None:
        self.progress.rejected += 1
        self._rejects.append((line, why))
        if len(self._first_rejects) < 3:
            self._first_rejects.append((line, why))
        if len(self._rejects) >= self.flush_every:
            self._flush([])

    def _none_judged(self):
        """Why an audit of rows that were all rejected fails: no call was judged, so no figure would mean anything."""
        from guard.core.messages import said

        first = "; ".join(f"line {line}: {why}" for line, why in self._first_rejects)
        more = "; …" if self.progress.rejected > len(self._first_rejects) else ""
        return said("error.log_none_judged", rows=self.progress.rows, first=first + more)

    def _mark(self, step: str) -> None:
        """Add the time since the last mark to `step` (the stage split `bench/audit.py` prints)."""
        now = time.perf_counter()
        self.progress.seconds[step] = self.progress.seconds.get(step, 0.0) + now - self._t
        self._t = now

    def _flush(self, rows: list[tuple]) -> None:
        p = self.progress
        values = {"bytes_done": p.bytes_done, "rows_done": p.rows, "calls_judged": p.judged, "rows_rejected": p.rejected,
                  "violations": p.violations}
        if self.liveness is not None:
            values.update(self.liveness.flush_values())
        self.writer.flush(rows, self._rejects, values)
        self._written = time.monotonic()
        self._rejects = []
        if self.liveness is not None:
            self.liveness.check()  # what is written stays; a cancelled audit stops here

    def _tick(self, force: bool = False) -> None:
        if force or self.progress.rows % 2000 == 0:
            if self.liveness is not None:
                self.liveness.check()
            if not force and time.monotonic() - self._written >= self.progress_every:
                self._flush([])  # the rows read (and rejected) so far, for whoever follows the audit
            if self.on_progress is not None:
                self.on_progress(self.progress)

    def _counted(self, calls):
        """The calls, counting each one judged into the progress as it goes (written every `progress_every`)."""
        base = self.progress.judged
        for n, call in enumerate(calls, 1):
            yield call
            self.progress.judged = base + n
            if n % 1000 == 0:
                if self.liveness is not None:
                    self.liveness.check()
                if time.monotonic() - self._written >= self.progress_every:
                    self._flush([])
                if self.on_progress is not None:
                    self.on_progress(self.progress)
        self.progress.judged = base  # the whole part is counted once, by _take

    def run(self, binary: IO[bytes], size: int | None, fmt: str | None = None, encoding: str = "utf-8") -> dict:
        global _FORKED
        self.progress = Progress(bytes_total=size)
        self._t = time.perf_counter()
        reader = self.store.facts
        history = History()
        with self.store.read() as conn:
            reader.catalog_history(self.store.cursor(conn), history)
        judge = Judge(self.packs, history)
        counter = CountingReader(binary)
        cols = CallColumns()
        seen = HashIndex()  # call id -> the call that has it
        for line, row, why in read_log(io.BufferedReader(counter, 1 << 16), fmt, encoding):
            self.progress.rows += 1
            self.progress.bytes_done = counter.count
            if row is None:
                self._reject(line, why or "unreadable")
                continue
            call, why = check_row(line, row, self.zone)
            if call is None:
                self._reject(line, why or "invalid")
                continue
            try:
                resolution = judge.resolve(call.campaign, call.product, call.at)
            except NoPolicy:
                self._reject(line, f"called_at: no policy pack version is in effect at {call.at.isoformat()}")
                continue
            first = seen.find(call.call_id, cols.call_id)
            if first is not None:
                self._reject(line, f"call_id: {call.call_id!r} repeats line {cols.line[first]}")
                continue
            seen.add(call.call_id, len(cols))
            # As a check reads the number: in its pack's region, with its pack's extra ranges.
            pack = resolution.pack
            transcript = (row.get("transcript") or "").strip()
            cols.add(call, cols.numbering(pack.region, pack.number_ranges),
                     self._lint(call, resolution, transcript) if transcript else None)
            self._tick()
        del seen
        cols.done_reading()
        self._mark("read")
        self.progress.stage = "loading history"
        self._flush([])
        self._tick(force=True)
        at = cols.at
        order = array("l", sorted(range(len(cols)), key=at.__getitem__))  # stable: rows of one instant by line
        numbers: set[str] = set()
        raws = cols.raws
        for start in range(0, len(raws), PARSE_CHUNK):  # in chunks: a million PhoneInfo objects never live at once
            chunk = range(start, min(start + PARSE_CHUNK, len(raws)))
            parsed: dict[int, PhoneInfo] = {}
            for n, (region, ranges) in enumerate(cols.numberings):
                ix = [i for i in chunk if cols.raw_numbering[i] == n]
                if ix:
                    phones = parse_many([raws[i] for i in ix], region, ranges)
                    parsed.update((i, phones[raws[i]]) for i in ix)
                    numbers.update(p.e164 for p in phones.values() if p.valid)
                    del phones
            for i in chunk:
                cols.add_parsed(parsed[i])
            del parsed
        # A campaign may hand a number's country to another pack, which must govern the call's instant.
        bounds = array("q", (to_us(b) for b in judge.bounds))
        resolved: dict[tuple, NoPolicy | None] = {}
        kept = array("l")
        for i in order:
            valid, country, _, why = cols.shapes[cols.shape[cols.phone[i]]][:4]
            if not valid:
                if why == TWO_NUMBERS:
                    # 13800138000;13900139000, as CRMs join a customer's numbers: a call goes to one number, and which
                    # one this was the log does not say. Judged, it read as INVALID_NUMBER, a rule the dialer broke, and
                    # neither number's blacklist, caps or consents were looked at; the imports refuse such a cell too.
                    self._reject(cols.line[i], f"phone: {cols.raws[cols.phone[i]]!r} holds two numbers (one after ;): a call "
                                               f"goes to one number; export the log with the number called alone")
                    cols.drop(i)
                    continue
                if why == OUTSIDE_LINE:
                    # 913800138000, as a switchboard's call records keep its outside-line prefix: the call reached the
                    # number after the 9, whose blacklist, caps and consents an INVALID_NUMBER would leave unlooked at.
                    self._reject(cols.line[i], f"phone: {cols.raws[cols.phone[i]]!r} is no valid number as written, and is one "
                                               f"after its leading {cols.raws[cols.phone[i]].strip()[0]} (a switchboard's "
                                               f"outside-line prefix): export the log with the numbers the callees have")
                    cols.drop(i)
                    continue
                country = None
            key = (cols.meta[i], bisect.bisect_right(bounds, at[i]), country)
            problem = resolved.get(key, _MISSING)
            if problem is _MISSING:
                campaign, product = cols.metas[cols.meta[i]][:2]
                try:
                    judge.resolve(campaign, product, from_us(at[i]), country)
                    problem = None
                except NoPolicy as exc:
                    problem = exc
                resolved[key] = problem
            if problem is not None:
                self._reject(cols.line[i], f"called_at: {problem}")
                cols.drop(i)
                continue
            kept.append(i)
        del order, resolved
        if not kept and self.progress.rejected:
            self._flush([])  # the rejected rows stay listed on the failed audit
            raise LogError(self._none_judged())
        self._mark("parse")
        with self.store.read() as conn:
            reader.load_many(self.store.cursor(conn), history, sorted(numbers), set(cols.customer_id.values()),
                             alive=False, basis=self.basis)
        del numbers
        judge.decisions = audit_store.logged_decisions(self.store, sorted(set(cols.decision_id.values())))
        self._mark("history")
        self.progress.stage = "judging"
        self._tick(force=True)
        if self.workers <= 1 or len(kept) < PARALLEL_FROM:
            self._take(judge.judge(self._counted(cols.call(i) for i in kept), sink=self._sink))
        else:
            call_id, named = cols.call_id, cols.customer_id
            roots = group_roots(len(kept), lambda k: cols.number(kept[k]), lambda k: call_id[kept[k]],
                                lambda k: named.get(kept[k]), lambda k: from_us(at[kept[k]]), judge)
            tasks = partition_roots(roots, self.workers * 16)  # small parts: bounded memory, steady progress
            del roots
            self._mark("group")
            assert not history.attempts_by_phone and not history.attempts_by_customer, "the log's calls are the only attempts"
            _FORKED = (judge, cols, kept, self.writer)
            gc.collect()
            _trim()  # give freed heap back before forking: the judges then share fewer pages to copy
            gc.freeze()  # the forked judges share the columns: keep their collector from touching (copying) them
            try:
                # The judges leave a Ctrl-C to the run (sent to the whole group), which ends the pool.
                with mp.get_context("fork").Pool(self.workers, signal.signal, (signal.SIGINT, signal.SIG_IGN)) as pool:
                    for part in pool.imap_unordered(_judge_group, tasks):
                        self._take(part)
            finally:
                _FORKED = None
                gc.unfreeze()
        self._mark("judge")
        self.progress.seconds["write"] = self.writer.seconds
        self.progress.stage = "done"
        self._flush([])
        self._tick(force=True)
        return self.summary()

    def _sink(self, rows: list[tuple]) -> None:
        self.progress.violations += len(rows)
        self._flush(rows)

    def _take(self, part: Part) -> None:
        self.total.merge(part)
        self.progress.judged += part.calls
        self.progress.violations += len(part.rows)
        self._flush(part.rows)
        self._tick(force=True)

    def _lint(self, call: Call, resolution, transcript: str) -> list[dict]:
        products = resolution.products
        product = products.get(call.product) if call.product else None
        campaign = resolution.campaign
        if product is None and campaign is not None and campaign.products:
            product = products.get(campaign.products[0])
        return [f.to_dict() for f in lint(transcript, product.type if product else None, resolution.pack).findings]

    def summary(self) -> dict:
        t = self.total
        return {
            "basis": self.basis,
            "timezone": self.timezone,
            "rows": self.progress.rows,
            "calls_judged": self.progress.judged,
            "rows_rejected": self.progress.rejected,
            "violations": self.progress.violations,
            "calls_with_violations": t.calls_with_violations,
            # Apart: a call with no valid decision may have been fine; a call that broke a rule was not.
            **call_figures(self.progress.judged, t.calls_breaking_rules, t.calls_unchecked),
            "rule_violations": self.progress.violations - t.by_code.get(UNCHECKED, 0),
            "period": exports.period(t.first, t.last, self.packs),
            "by_code": dict(t.by_code.most_common()),
            "by_agent": dict(t.by_agent.most_common()),
            "by_campaign": dict(t.by_campaign.most_common()),
            "by_hour": {str(h): t.by_hour.get(h, 0) for h in range(24)},
            "by_hour_clock": exports.BY_HOUR_CLOCK,
            "worst_agents": [{"agent_id": a, "violations": n, "by_code": dict(t.by_agent_code[a].most_common())}
                             for a, n in t.by_agent.most_common(10)],
            "worst_campaigns": [{"campaign": c, "violations": n} for c, n in t.by_campaign.most_common(10)],
            "packs": dict(t.packs_used.most_common()),
            # Service calls apart from marketing ones: calls judged and calls with violations, by purpose.
            "by_purpose": {p: {"calls": t.calls_by_purpose.get(p, 0), "calls_with_violations": t.violations_by_purpose.get(p, 0)}
                           for p in sorted(t.calls_by_purpose)},
        }

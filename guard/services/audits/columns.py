"""The calls of a log held as columns: a million calls in about 100 MB instead of a million objects.

An audit must hold every call of a log before judging any (calls are judged in time order, and the
caps count the log's own earlier calls). As objects (`guard.core.calllog.Call`, its datetime, its
parsed number) a call costs about 500 bytes, and forked judges that read them copy the pages they
touch. Here a call is a row of arrays (line, instant in microseconds, number, the few distinct
campaign/product/agent/disposition combinations) with its call id; the rare optional cells (named
customer, decision id, transcript findings) are kept by index. `call(i)` rebuilds the very `Call`
`check_row` gave, parsed number included, for the judge.
"""

from __future__ import annotations

from array import array
from datetime import datetime, timedelta, timezone
from guard.core.calllog import Call
from guard.core.phones import PhoneInfo

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def to_us(at: datetime) -> int:
    """An aware instant as microseconds since the epoch (exact; `from_us` gives it back)."""
    return (at - EPOCH) // _US


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


class Strings:
    """Many strings in one buffer (UTF-8, surrogates passed) with their ends: no object per string,
    so processes forked to read them do not copy the pages they read (no reference counts move)."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array("q")

    def append(self, value: str) -> None:
        self.data += value.encode("utf-8", "surrogatepass")
        self.ends.append(len(self.data))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> str:
        return self.data[self.ends[i - 1] if i else 0:self.ends[i]].decode("utf-8", "surrogatepass")


class HashIndex:
    """Where a string is in a `Strings`, keyed by its hash rather than by the string object (a
    million strings would otherwise be kept twice); strings whose hashes clash are kept apart."""

    def __init__(self) -> None:
        self._by_hash: dict[int, int] = {}
        self._clashes: dict[str, int] = {}

    def find(self, value: str, strings: Strings) -> int | None:
        i = self._by_hash.get(hash(value))
        if i is None or strings[i] == value:
            return i
        return self._clashes.get(value)

    def add(self, value: str, i: int) -> None:
        """Index `value` (not found) at `i`."""
        h = hash(value)
        if h in self._by_hash:
            self._clashes[value] = i
        else:
            self._by_hash[h] = i


class CallColumns:
    def __init__(self) -> None:
        self.line = array("q")
        self.at = array("q")  # UTC, microseconds since the epoch
        self.call_id = Strings()
        self.phone = array("l")  # index into raws / parsed
        self.meta = array("l")  # index into metas: (campaign, product, agent_id, disposition, numbering index)
        self.customer_id: dict[int, str] = {}
        self.decision_id: dict[int, str] = {}
        self.findings: dict[int, list[dict]] = {}
        self.numberings: list[tuple[str, tuple]] = []  # (region, extra ranges) numbers are read in
        self.raws = Strings()  # distinct (number as written, numbering)
        self.raw_numbering = array("l")
        # Each distinct number once parsed: its E.164 form (empty when invalid) and the rest of its
        # PhoneInfo (validity, country, zones, why, kind, state: few distinct) by index.
        self.e164 = Strings()
        self.shape = array("l")
        self.shapes: list[tuple] = []  # (valid, region, time_zones, why, kind, state)
        self._shape_ix: dict[tuple, int] = {}
        self.metas: list[tuple] = []
        self._numbering_ix: dict[tuple[str, tuple], int] = {}
        self._raw_ix: list[HashIndex] = []
        self._meta_ix: dict[tuple, int] = {}

    def __len__(self) -> int:
        return len(self.line)

    def numbering(self, region: str, ranges: tuple) -> int:
        key = (region, ranges)
        n = self._numbering_ix.get(key)
        if n is None:
            n = self._numbering_ix[key] = len(self.numberings)
            self.numberings.append(key)
            self._raw_ix.append(HashIndex())
        return n

    def add(self, call: Call, numbering: int, findings: list[dict] | None) -> None:
        i = len(self.line)
        self.line.append(call.line)
        self.at.append(to_us(call.at))
        self.call_id.append(call.call_id)
        raw = call.phone_raw
        p = self._raw_ix[numbering].find(raw, self.raws)
        if p is None:
            p = len(self.raws)
            self._raw_ix[numbering].add(raw, p)
            self.raws.append(raw)
            self.raw_numbering.append(numbering)
        self.phone.append(p)
        key = (call.campaign, call.product, call.agent_id, call.disposition, numbering, call.purpose)
        m = self._meta_ix.get(key)
        if m is None:
            m = self._meta_ix[key] = len(self.metas)
            self.metas.append(key)
        self.meta.append(m)
        if call.customer_id is not None:
            self.customer_id[i] = call.customer_id
        if call.decision_id is not None:
            self.decision_id[i] = call.decision_id
        if findings:
            self.findings[i] = findings

    def done_reading(self) -> None:
        """Drop the lookups only reading needs."""
        self._raw_ix = []
        self._meta_ix = {}

    def add_parsed(self, p: PhoneInfo) -> None:
        """The next distinct number (in the order of `raws`) parsed."""
        self.e164.append(p.e164 or "")
        key = (p.valid, p.region, p.time_zones, p.why, p.kind, p.state)
        k = self._shape_ix.get(key)
        if k is None:
            k = self._shape_ix[key] = len(self.shapes)
            self.shapes.append(key)
        self.shape.append(k)

    def number(self, i: int) -> str | None:
        """The E.164 number of call i (None: invalid)."""
        return self.e164[self.phone[i]] or None

    def phone_info(self, p: int) -> PhoneInfo:
        valid, region, zones, why, kind, state = self.shapes[self.shape[p]]
        return PhoneInfo(raw=self.raws[p], valid=valid, e164=self.e164[p] or None, region=region, time_zones=zones, why=why, kind=kind,
                         state=state)

    def drop(self, i: int) -> None:
        """Forget the optional cells of a call that will not be judged."""
        self.customer_id.pop(i, None)
        self.decision_id.pop(i, None)
        self.findings.pop(i, None)

    def call(self, i: int) -> Call:
        campaign, product, agent_id, disposition, numbering, purpose = self.metas[self.meta[i]]
        region, ranges = self.numberings[numbering]
        phone = self.phone_info(self.phone[i])
        return Call(self.line[i], self.call_id[i], phone.raw, from_us(self.at[i]), campaign, product, agent_id, self.customer_id.get(i),
                    disposition, self.decision_id.get(i), self.findings.get(i), region, ranges, phone, purpose)

"""Reading the header row of a file a bank exports: which column each cell names.

Exports name their columns in English (`phone`, `Phone`, `CALL_ID`, `call id`) or as Chinese systems do
(手机号码, 被叫号码, 呼叫时间), in simplified or traditional characters (手機號碼, 呼叫時間). A cell is read
through the linter's normalisation (`guard.core.text.normalize`: NFKC, case folded, traditional to
simplified character by character, spaces, punctuation and underscores dropped), so every spelling above
of one name reads alike, and compared with the names each column is known by, normalised the same way.
Each import keeps its own table of names (its columns differ); the lookup is shared.

Pure: no files, no clock.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

from guard.core.text import normalize_phrase


class NameTable:
    """The names a header may give each column of one kind of file; `ambiguous`: names that name a column only
    when no other cell of the header names it (通话时间, the call's start in some exports and its length in others)."""

    def __init__(self, names: Mapping[str, Sequence[str]], ambiguous: Mapping[str, Sequence[str]] | None = None):
        self.names = {column: tuple(spellings) for column, spellings in names.items()}
        self.ambiguous = {column: tuple(spellings) for column, spellings in (ambiguous or {}).items()}
        self._column_of: dict[str, str] = {}
        self._ambiguous_of: dict[str, str] = {}
        for table, pairs in ((self._column_of, self.names), (self._ambiguous_of, self.ambiguous)):
            for column, spellings in pairs.items():
                for spelling in (column, *spellings) if table is self._column_of else spellings:
                    key = _key(spelling)
                    given = self._column_of.get(key) or self._ambiguous_of.get(key)
                    if given not in (None, column) or (table is self._ambiguous_of and key in self._column_of):
                        raise ValueError(f"the header name {spelling!r} is given to {given} and to {column}")
                    table[key] = column

    def column(self, cell: str) -> str | None:
        """The column a header cell names, or None when it names none of them (an ambiguous name read alone)."""
        key = _key(cell)
        return self._column_of.get(key) or self._ambiguous_of.get(key)

    def columns(self, cells: Sequence[str]) -> list[str | None]:
        """The column each cell of a header names: an ambiguous name beside a cell naming its column plainly names none."""
        keys = [_key(c) for c in cells]
        plain = [self._column_of.get(k) for k in keys]
        return [p if p is not None or (a := self._ambiguous_of.get(k)) in plain else a for k, p in zip(keys, plain)]

    def aliases(self, column: str) -> tuple[str, ...]:
        """The names other than the column's own (what the documentation and messages list)."""
        return tuple(s for s in self.names[column] if _key(s) != _key(column))


@lru_cache(maxsize=4096)
def _key(cell: str) -> str:
    return normalize_phrase(cell.strip().lstrip("\ufeff"))

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
    """The names a header may give each column of one kind of file."""

    def __init__(self, names: Mapping[str, Sequence[str]]):
        self.names = {column: tuple(spellings) for column, spellings in names.items()}
        self._column_of: dict[str, str] = {}
        for column, spellings in self.names.items():
            for spelling in (column, *spellings):
                key = _key(spelling)
                if self._column_of.setdefault(key, column) != column:
                    raise ValueError(f"the header name {spelling!r} is given to {self._column_of[key]} and to {column}")

    def column(self, cell: str) -> str | None:
        """The column a header cell names, or None when it names none of them."""
        return self._column_of.get(_key(cell))

    def columns(self, cells: Sequence[str]) -> list[str | None]:
        return [self.column(c) for c in cells]

    def aliases(self, column: str) -> tuple[str, ...]:
        """The names other than the column's own (what the documentation and messages list)."""
        return tuple(s for s in self.names[column] if _key(s) != _key(column))


@lru_cache(maxsize=4096)
def _key(cell: str) -> str:
    return normalize_phrase(cell.strip().lstrip("\ufeff"))

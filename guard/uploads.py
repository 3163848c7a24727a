"""Uploaded files the long-running imports read (call logs, blacklists): counted, so progress can be shown."""

from __future__ import annotations

import io
from typing import IO, Any


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for progress bars and ETAs)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

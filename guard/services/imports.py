"""A list imported from a file (blacklist, consents): its bytes made seekable and its text encoding told from them, as
for call logs and scripts (guard/services/audits/encoding.py), unless the user named one."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from typing import IO, Iterator

from blacklist.importer import ImportError_
from guard.services.audits.encoding import EncodingError, Undecodable, detect

_IN_MEMORY = 1 << 20  # an upload read from the network is kept in memory up to this, then in a temporary file


@contextmanager
def seekable(binary: IO[bytes], needed: bool = True) -> Iterator[IO[bytes]]:
    """The stream itself, or (when `needed` and it cannot seek) a copy that can: the encoding is told from the whole
    file, then it is read again."""
    if not needed or binary.seekable():
        yield binary
        return
    with tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY) as copy:
        shutil.copyfileobj(binary, copy, 1 << 16)
        copy.seek(0)
        yield copy  # type: ignore[misc]


def told(stream: IO[bytes], name_it: str) -> str:
    """The codec a seekable file's bytes tell; ImportError_ ending with `name_it` (how to name the encoding) when they cannot."""
    try:
        return detect(stream)
    except Undecodable:
        # No line with non-ASCII bytes is UTF-8, GB18030 or Big5: not a Chinese export but stray
        # bytes; read as UTF-8, each such line is rejected as not valid UTF-8 with its line number.
        return "utf-8"
    except EncodingError:
        raise ImportError_("the file is not UTF-8, and its encoding cannot be told from its bytes (GB18030/GBK or Big5 with too "
                           "little Chinese to tell them apart, UTF-16 without a byte-order mark, or another encoding); "
                           + name_it) from None

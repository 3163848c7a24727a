"""Importing a list into the blacklist: the file's text encoding, named or told from its bytes as for
call logs and scripts (guard/services/audits/encoding.py: a byte-order mark, UTF-8, GB18030 or
Big5-HKSCS), then `blacklist.importer`.

Chinese banks' systems and Excel export lists in GBK (GB18030) or, in Taiwan and Hong Kong, Big5: read
as UTF-8, every row with a Chinese reason would be rejected and its number stay callable. A file whose
encoding cannot be told (too little Chinese to tell GB18030 from Big5, UTF-16 without a byte-order
mark) is refused before anything is written, asking for the encoding instead of guessing.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from typing import IO, Any, Iterator

from blacklist import importer
from blacklist.importer import ImportError_, ImportReport
from guard.services.audits.encoding import EncodingError, Undecodable, detect, label
from guard.store.db import Store

_IN_MEMORY = 1 << 20  # an upload read from the network is kept in memory up to this, then in a temporary file
_NAME_IT = ("name the encoding (`guard blacklist import --encoding …`, or `?encoding=…` on POST /v1/blacklist/import): "
            "utf-8, gb18030 or big5")


def import_list(store: Store, binary: IO[bytes], *, codec: str | None = None, **options: Any) -> ImportReport:
    """Import a CSV list read in `codec` (a codec from `encoding.resolve`), or else in the one its bytes
    tell; `options` as `blacklist.importer.import_csv` takes them. ImportError_ for a file whose
    encoding cannot be told, or that cannot be imported as a whole."""
    with seekable(binary, codec is None) as stream:
        codec = codec or told(stream, _NAME_IT)
        return importer.import_csv(store, stream, codec=codec, codec_label=label(codec), **options)


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

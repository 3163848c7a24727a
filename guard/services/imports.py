"""A list imported from a file (blacklist, consents): its bytes made seekable and its text encoding told from them, as
for call logs and scripts (guard/services/audits/encoding.py), unless the user named one."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from typing import IO, Iterator

from blacklist.importer import ImportError_
from guard.core.errors import InvalidField
from guard.core.headers import NameTable
from guard.core.messages import said
from guard.services.audits.encoding import EncodingError, Undecodable, confirm, detect
from guard.services.audits.log_reader import workbook_in

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


class MisreadEncoding(ImportError_):
    """The encoding named decodes the file, but into what a wrong reading yields; `field` says where it was named."""

    def __init__(self, field: str, message: str):
        InvalidField.__init__(self, field, message, f"{field}: {message}")


class Workbook(ImportError_):
    """A workbook imported as saved (.xlsx, .xls): no encoding reads it, so naming one is no help; the file is at fault."""


def _refuse_workbook(stream: IO[bytes]) -> None:
    what = workbook_in(stream)
    if what is not None:
        raise Workbook(said("error.file_workbook", what=what))


def confirmed(stream: IO[bytes], codec: str, field: str = "encoding") -> str:
    """`codec`, an encoding the user named, unless it misreads the seekable file as the call-log check finds
    (`encoding.confirm`: GBK bytes named Big5 read as rare characters and bopomofo): every reason or consent text
    would be stored garbled without a word, so the file is refused (MisreadEncoding) before anything is written. A
    workbook is refused as one."""
    _refuse_workbook(stream)
    try:
        confirm(stream, codec, what="the file")
    except EncodingError as exc:
        raise MisreadEncoding(field, str(exc)) from None
    return codec


def told(stream: IO[bytes], name_it: str, names: NameTable | None = None) -> str:
    """The codec a seekable file's bytes tell; ImportError_ ending with `name_it` (how to name the encoding) when they cannot.

    `names`: the header names of the file's kind. A list whose only Chinese is its header (客户号,手机号码 in GBK, and
    numbers) has too little text to tell GB18030 from Big5 by its characters; a header whose Chinese cells name known
    columns in one of the two readings and none in the other tells it. A workbook is refused as one."""
    _refuse_workbook(stream)
    try:
        return detect(stream, names)
    except Undecodable:
        # No line with non-ASCII bytes is UTF-8, GB18030 or Big5: not a Chinese export but stray
        # bytes; read as UTF-8, each such line is rejected as not valid UTF-8 with its line number.
        return "utf-8"
    except EncodingError:
        raise ImportError_("the file is not UTF-8, and its encoding cannot be told from its bytes (GB18030/GBK or Big5 with too "
                           "little Chinese to tell them apart, UTF-16 without a byte-order mark, or another encoding); "
                           + name_it) from None

"""Text files the commands read (scripts, notices): in the encoding named, or else told from their bytes."""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

import click

_NAME_IT = "name its encoding with --encoding (utf-8, gb18030, big5)"

# POSIX Utility Syntax Guidelines (XBD 12.2), guideline 13: an operand "-" means standard input, as in `… | guard lint -`.
STDIN = "-"
STDIN_NAME = "<stdin>"  # how reports and messages name it


def is_stdin(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDIN


def shown(path: Path | str) -> str:
    """A file's name as reports and messages give it: standard input's as <stdin>."""
    return STDIN_NAME if is_stdin(path) else str(path)


def base_name(path: Path) -> str:
    """A file's name without its directories (a progress bar's label): standard input's as <stdin>."""
    return STDIN_NAME if is_stdin(path) else path.name


def open_input(path: Path) -> tuple[IO[bytes], int]:
    """The file to read (binary, seekable, the caller closes it) and its size; `-`: standard input, copied whole first to
    a temporary file, since the readers seek (an encoding is told from the whole file, then the file is read again)
    and measure their progress against the size."""
    if not is_stdin(path):
        handle = path.open("rb")
        return handle, os.fstat(handle.fileno()).st_size
    spool = tempfile.TemporaryFile()
    try:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool, size


def input_bytes(path: Path) -> bytes:
    """The bytes of a file, or of standard input for `-`."""
    return sys.stdin.buffer.read() if is_stdin(path) else path.read_bytes()


def read_text(path: Path, codec: str | None) -> str | None:
    """`read_text_as`'s text alone."""
    read = read_text_as(path, codec)
    return None if read is None else read[0]


def read_text_as(path: Path, codec: str | None, problems: list[str] | None = None,
                 raw: bytes | None = None) -> tuple[str, str] | None:
    """(text, the codec it was read in): the text of a file (a script, a notice) in the encoding named (`codec`) or else told from its bytes (the call-log
    detector, guard/services/audits/encoding.py: a byte-order mark, UTF-8, GB18030 or Big5-HKSCS); None, said
    on stderr, when the encoding cannot be told or the bytes are not valid text in it: nothing is read
    half (a script read in the wrong encoding would lose its findings without a word). The reason is also appended to
    `problems` when given, for a report that must name the file it could not read."""
    from guard.services.audits.encoding import EncodingError, detect, label

    raw = input_bytes(path) if raw is None else raw
    told = codec is None
    if told:
        try:
            codec = detect(io.BytesIO(raw))
        except EncodingError:
            return _refuse(path, "not UTF-8, and its encoding cannot be told from its bytes (GB18030/GBK or Big5 with too "
                           f"little Chinese, UTF-16 without a byte-order mark, or another encoding); {_NAME_IT}", problems)
    try:
        text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        return _refuse(path, f"not valid {label(codec)} text: invalid byte at offset {exc.start}; {_NAME_IT}", problems)
    if codec != "utf-8":
        click.echo(f"{shown(path)}: read as {label(codec)}{' (told from its bytes)' if told else ''}", err=True)
    return text.removeprefix("\ufeff"), codec  # GB18030's byte-order mark (UTF-8's and UTF-16's are dropped by their codecs)


def _refuse(path: Path, reason: str, problems: list[str] | None) -> None:
    click.echo(f"{shown(path)}: {reason}", err=True)
    if problems is not None:
        problems.append(reason)
    return None


def named_codec(encoding_name: str | None) -> str | None:
    """The codec an `--encoding` option names (None: tell it from the bytes); a usage error for an unknown one."""
    from guard.services.audits.encoding import UnknownEncoding, resolve

    if encoding_name is None:
        return None
    try:
        return resolve(encoding_name)
    except UnknownEncoding as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from None

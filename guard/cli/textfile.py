"""Text files the commands read (scripts, notices): in the encoding named, or else told from their bytes."""

from __future__ import annotations

import io
from pathlib import Path

import click

_NAME_IT = "name its encoding with --encoding (utf-8, gb18030, big5)"


def read_text(path: Path, codec: str | None) -> str | None:
    """`read_text_as`'s text alone."""
    read = read_text_as(path, codec)
    return None if read is None else read[0]


def read_text_as(path: Path, codec: str | None, problems: list[str] | None = None) -> tuple[str, str] | None:
    """(text, the codec it was read in): the text of a file (a script, a notice) in the encoding named (`codec`) or else told from its bytes (the call-log
    detector, guard/services/audits/encoding.py: a byte-order mark, UTF-8, GB18030 or Big5-HKSCS); None, said
    on stderr, when the encoding cannot be told or the bytes are not valid text in it: nothing is read
    half (a script read in the wrong encoding would lose its findings without a word). The reason is also appended to
    `problems` when given, for a report that must name the file it could not read."""
    from guard.services.audits.encoding import EncodingError, detect, label

    raw = path.read_bytes()
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
        click.echo(f"{path}: read as {label(codec)}{' (told from its bytes)' if told else ''}", err=True)
    return text.removeprefix("\ufeff"), codec  # GB18030's byte-order mark (UTF-8's and UTF-16's are dropped by their codecs)


def _refuse(path: Path, reason: str, problems: list[str] | None) -> None:
    click.echo(f"{path}: {reason}", err=True)
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

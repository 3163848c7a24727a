"""Where a command's report goes: a file written whole or not at all (`--out`), or stdout."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click


def check_out(path: Path | None, option: str = "--out") -> None:
    """Refuse, before any work is done, an output file that could not be written: its directory missing, or it a
    directory (an audit of a million calls must not end in "no such directory" after an hour)."""
    if path is None:
        return
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise click.BadParameter(f"{path} is a directory", param_hint=option)
    if not target.parent.is_dir():
        raise click.BadParameter(f"{path}: no such directory {target.parent}", param_hint=option)
    if not os.access(target if target.exists() else target.parent, os.W_OK):
        raise click.BadParameter(f"{path}: permission denied", param_hint=option)


@contextmanager
def written_whole(path: Path, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """A file to write a report in, put in place only when the body ends without error: a write that fails (disk
    full) or is interrupted (Ctrl-C) leaves the file that was there, or none, never a truncated one that reads as
    complete. The file named may be a link (its target is written) or a device or pipe (`/dev/stdout`, a FIFO: written
    as a stream; a rename would replace the node itself). An error writing names the path."""
    target = Path(os.path.realpath(path))
    try:
        if target.exists() and not target.is_file():
            with open(target, "wb" if binary else "w", **({} if binary else {"encoding": encoding, "newline": ""})) as f:
                yield f
            return
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding, "newline": ""})) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.chmod(partial, _mode_for(target))
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OSError(exc.errno, f"cannot be written: {exc.strerror or exc}", str(path)) from exc


def _mode_for(target: Path) -> int:
    """The permissions `open(target, "w")` would give: the existing file's, else 0666 less the umask (mkstemp's are 0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

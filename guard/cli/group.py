"""The `guard` command group itself, and how a command reaches the running guard."""

from __future__ import annotations

import errno
import logging

import click
from flask import current_app

from guard.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["guard"]


class GuardGroup(click.Group):
    """The `guard` group: a store that cannot be reached is said in one line on stderr, exit status 2 (nothing could be
    read or done), instead of a traceback from whichever command met it first."""

    def invoke(self, ctx: click.Context):
        from guard.store.db import StoreUnavailable

        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:
            _say(f"store unavailable: {' '.join(str(exc).split())}")  # the driver's text spans lines
            ctx.exit(2)
        except KeyboardInterrupt:
            # Ctrl-C: not click's "Aborted!" with exit status 1, which `lint`, `audit` and `scrub` give to complete
            # results with findings; 130 (128 + SIGINT) as a shell reports a command the signal stopped.
            _discard_stdout()
            click.echo("", err=True)
            _say("interrupted: stopped before the end; any output it began is incomplete")
            ctx.exit(130)
        except OSError as exc:
            _discard_stdout()  # what is left in its buffer would fail again at exit, with a traceback
            if exc.errno == errno.EPIPE:  # the reader went away (`guard … | head -1`): nothing to say to it
                ctx.exit(141)  # 128 + SIGPIPE, as for any command a closed pipe stops; never 0/1, complete results
            if exc.filename is not None:  # a file named on the command line (written_whole names its output)
                _say(f"{exc.filename}: {exc.strerror or exc}")
            elif exc.errno in _WRITE_ERRORS:  # only a write to stdout fails so, unnamed
                _say(f"stdout: cannot be written: {exc.strerror}; the output is incomplete")
            else:
                raise
            ctx.exit(2)


class NothingDone(click.ClickException):
    """A command refused before it did anything (`Error: …` on stderr, as click says a problem): exit status 2, nothing
    could be read or done (README "Command line"), never the 1 a command gives to complete results with findings."""

    exit_code = 2


# A full disk or quota, a file past its size limit, a device error: a report not written, never one to exit 0 or 1 on.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def _say(text: str) -> None:
    """One line on stderr, as the log lines are formatted (text or JSON)."""
    from guard.logs import status_line

    try:
        fmt = runtime().settings.log_format
    except (RuntimeError, KeyError):  # no app built (cannot happen under `flask --app app`): as text
        fmt = "text"
    click.echo(status_line(fmt, "guard", logging.ERROR, text), err=True)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of a broken or full stdout does not print a
    traceback and exit 120 (the BrokenPipeError note in Python's `signal` docs)."""
    import os
    import sys

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


@click.group("guard", cls=GuardGroup)
@click.option("-v", "--verbose", count=True,
              help="More on stderr: -v the informational lines (migrations run, packs loaded), -vv debug.")
def guard_group(verbose: int) -> None:
    """Contact-compliance guard commands.

    Results go to stdout, problems to stderr; informational log lines only with -v
    (or GUARD_LOG_LEVEL=INFO).
    """
    if verbose:
        logging.getLogger().setLevel(logging.INFO if verbose == 1 else logging.DEBUG)
        rt = runtime()
        if rt.started:  # built as a server (a test's app): say again what its start read, now that -v shows it
            if rt.on_start is not None and rt.registry.last_report is not None:
                rt.on_start(rt, rt.registry.last_report)
        else:
            rt.start()  # a command reads its packs at first use; read now, their versions are logged (app.py)


def command_actor() -> str:
    """Who runs this command, as the access trail records it: cli:<OS user>@<host>, and the user sudo was run by."""
    import getpass
    import os
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container without a passwd entry)
        user = f"uid {os.getuid()}"
    via = os.environ.get("SUDO_USER")
    return f"cli:{user}@{socket.gethostname()}" + (f" (sudo by {via})" if via and via != user else "")


def parse_when(value: str, name: str):
    """An instant given on the command line (ISO 8601 with its UTC offset); a usage error naming the option otherwise."""
    from guard.core.pack_schema import parse_instant

    parsed = parse_instant(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time with a UTC offset", param_hint=name)
    return parsed


def one_line(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback for text shown in one-record-per-line listings (a key's label, a person's name): no line breaks,
    tabs or other control characters, which would forge a line or a field of `keys list`, `users list`, `access log`."""
    from guard.core.text import control_character

    found = control_character(value) if value is not None else None
    if found is not None:
        raise click.BadParameter(f"contains a control character or line break ({found}); give it on one line, without tabs")
    return value

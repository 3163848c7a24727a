"""The `guard` command group itself, and how a command reaches the running guard."""

from __future__ import annotations

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
            from guard.logs import status_line

            text = f"store unavailable: {' '.join(str(exc).split())}"  # the driver's text spans lines
            try:
                fmt = runtime().settings.log_format
            except (RuntimeError, KeyError):  # no app built (cannot happen under `flask --app app`): as text
                fmt = "text"
            click.echo(status_line(fmt, "guard", logging.ERROR, text), err=True)
            ctx.exit(2)


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
        for pack_id, timeline in sorted(rt.registry.current.timelines.items()):
            logging.getLogger("guard").info("policy pack %s: versions %s", pack_id, ", ".join(p.version for p in timeline.versions))


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

"""`guard access log`: who gave or took access (API keys created and revoked, local accounts created and changed)."""

from __future__ import annotations

import json

import click

from guard.cli.group import guard_group, parse_when, runtime as _rt
from guard.core.bidi import show_field


@guard_group.group("access")
def access_group() -> None:
    """The trail of access given and taken."""


@access_group.command("log")
@click.option("--since", default=None, metavar="INSTANT", help="Only events from this instant on (ISO 8601 with its UTC offset).")
@click.option("--subject", default=None, metavar="KEY_ID|user:NAME", help="Only the events of one key or account.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def access_log(since: str | None, subject: str | None, fmt: str) -> None:
    """Every key created or revoked and every account created, given a password, new roles, disabled or enabled: when,
    who (cli:<OS user>@<host>), what, and to which key or account; oldest first. Never a secret. Events are written in
    the change's own transaction and, on PostgreSQL, cannot be changed or deleted."""
    from guard.store.access import events

    start = parse_when(since, "--since") if since is not None else None
    rows = events(_rt().store, start, subject)
    if fmt == "json":
        click.echo(json.dumps([{"at": r.at.isoformat(), "by": r.by, "action": r.action, "subject": r.subject, "detail": r.detail}
                               for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        detail = "; ".join(f"{k}: {','.join(v) if isinstance(v, list) else v}" for k, v in sorted(r.detail.items()) if v is not None)
        click.echo("\t".join(show_field(field) for field in (r.at.isoformat(), r.action, r.subject, r.by, detail)))

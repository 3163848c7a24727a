"""`guard users`: local accounts for people who sign in to the console (a bank without a directory,
or an administrator's way in when the directory is down). Passwords are read from the terminal
(twice) or from stdin with --password-stdin, never from the command line."""

from __future__ import annotations

import sys

import click

from guard.cli.group import command_actor, guard_group, one_line, runtime as _rt
from guard.core.bidi import show_field
from guard.services.ops.accounts import AccountError, create_account, list_accounts, set_disabled, set_password, set_roles
from guard.services.ops.keys import ROLES


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


def _run(action) -> None:
    try:
        action()
    except AccountError as exc:
        raise click.ClickException(exc.message) from None


@guard_group.group("users")
def users() -> None:
    """Local accounts (people who sign in to the console)."""


@users.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several roles.")
@click.option("--name", "display_name", default=None, callback=one_line, help="How the person is shown, e.g. 张三 (one line, no tabs).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def users_create(username: str, roles: tuple[str, ...], display_name: str | None, password_stdin: bool) -> None:
    """Create an account (argon2id-hashed password, at least 12 characters); the audit trail records it as user:NAME."""
    rt = _rt()
    password = _password(password_stdin)
    _run(lambda: click.echo(f"created user:{create_account(rt.store, username, password, list(roles), display_name, rt.clock(), by=command_actor())}", err=True))


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
def users_passwd(username: str, password_stdin: bool) -> None:
    """Set a new password (the account's sessions end; failed sign-ins are not cleared)."""
    rt = _rt()
    password = _password(password_stdin)
    _run(lambda: set_password(rt.store, username, password, rt.clock(), by=command_actor()))
    click.echo(f"password changed for {username}", err=True)


@users.command("roles")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="The new roles; repeat for several.")
def users_roles(username: str, roles: tuple[str, ...]) -> None:
    """Replace an account's roles (its sessions end, so the new roles apply at the next sign-in)."""
    rt = _rt()
    _run(lambda: set_roles(rt.store, username, list(roles), rt.clock(), by=command_actor()))
    click.echo(f"roles of {username}: {', '.join(sorted(set(roles)))}", err=True)


@users.command("disable")
@click.argument("username")
def users_disable(username: str) -> None:
    """Stop an account from signing in and end its sessions at once (kept: the audit trail names it)."""
    rt = _rt()
    ended: list[int] = []
    _run(lambda: ended.append(set_disabled(rt.store, username, True, rt.clock(), by=command_actor())))
    click.echo(f"disabled {username}; {ended[0]} session(s) ended", err=True)


@users.command("enable")
@click.argument("username")
def users_enable(username: str) -> None:
    """Let a disabled account sign in again."""
    rt = _rt()
    _run(lambda: set_disabled(rt.store, username, False, rt.clock(), by=command_actor()))
    click.echo(f"enabled {username}", err=True)


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def users_list(fmt: str) -> None:
    """List accounts (names, roles, state, last sign-in; never passwords)."""
    rows = list_accounts(_rt().store)
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for u in rows:
        state = f"disabled {u['disabled_at']}" if u["disabled_at"] else "active"
        click.echo(f"{show_field(u['username'])}\t{','.join(u['roles'])}\t{state}\t{show_field(u['display_name'] or '')}\t{u['last_sign_in_at'] or ''}")

"""`guard keys`: create, list and revoke API keys."""

from __future__ import annotations


import click

from guard.cli.group import command_actor, guard_group, one_line, runtime as _rt
from guard.core.bidi import show_field
from guard.services.ops.keys import ROLES, create_key, list_keys, revoke_key


@guard_group.group("keys")
def keys() -> None:
    """API keys."""


@keys.command("create")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several roles.")
@click.option("--label", default=None, callback=one_line, help="Who or what uses the key (one line, no tabs).")
def keys_create(roles: tuple[str, ...], label: str | None) -> None:
    """Create a key and print it alone on stdout (it is shown only once; only its hash is stored). The access trail
    (`guard access log`) records who created it."""
    rt = _rt()
    key = create_key(rt.store, list(roles), rt.clock(), label, by=command_actor())
    try:
        click.echo(key)
    except OSError:  # stdout full or closed: nobody has the key, so nobody may use it (the trail shows both steps)
        key_id = key.split("_")[1]
        revoke_key(rt.store, key_id, rt.clock(), by=command_actor())
        click.echo(f"key {key_id} revoked: it could not be printed", err=True)
        raise


@keys.command("list")
def keys_list() -> None:
    """List keys, one per line: id, roles, `created <instant>`, `active` or `revoked <instant>`, label (never secrets)."""
    for k in list_keys(_rt().store):
        state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
        click.echo(f"{k['id']}\t{','.join(k['roles'])}\tcreated {k['created_at']}\t{state}\t{show_field(k['label'] or '')}")


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key by its id (the part after gk_ and before the next _), or by the whole key."""
    rt = _rt()
    if key_id.startswith("gk_") and key_id.count("_") >= 2:
        # The whole key pasted: revoke it by its id, and never write its secret back to a terminal or a log.
        key_id = key_id.split("_")[1]
    if not revoke_key(rt.store, key_id, rt.clock(), by=command_actor()):
        raise click.ClickException(f"no active key {key_id!r}")
    click.echo(f"revoked {key_id}", err=True)

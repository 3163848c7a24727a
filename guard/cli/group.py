"""The `guard` command group itself, and how a command reaches the running guard."""

from __future__ import annotations

import click
from flask import current_app

from guard.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["guard"]


@click.group("guard")
def guard_group() -> None:
    """Contact-compliance guard commands."""

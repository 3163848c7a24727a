"""The `guard` command group: `flask --app app guard ...`. Thin wrappers over the services, one
module per command group (db, keys, users, policies, blacklist, decisions, scheduler, lint, audit).

Machine-readable output goes to stdout; messages, progress and problems go to stderr.
"""

from __future__ import annotations

from guard.cli import access, audit, blacklist, consents, db, decisions, judgements, keys, lint, policies, scheduler, scrub, users  # noqa: F401 - each registers its commands
from guard.cli.group import guard_group

__all__ = ["guard_group"]

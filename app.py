"""The guard's Flask application: `create_app(config=None)` and nothing else.

    gunicorn "app:create_app()"        production (see gunicorn.conf.py)
    flask --app app run                development
    flask --app app guard --help       the command line
"""

from __future__ import annotations

import logging
import os
from typing import Any, Mapping

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides settings by name (and may give a `clock`)."""
    if not _under_flask_cli():
        return _build(config)
    try:
        return _build(config)
    except KeyboardInterrupt:
        # Ctrl-C while a `flask --app app guard …` command starts (its imports, its settings: a second or so, before the
        # guard group's own handling, guard/cli/group.py): click said "Aborted!" with exit status 1, the status `lint`,
        # `audit` and `scrub` give complete results with findings. One line and 130 (128 + SIGINT), as a shell reports
        # a command the signal stopped.
        import sys

        from guard.logs import status_line

        fmt = "json" if os.environ.get("GUARD_LOG_FORMAT", "").strip().lower() == "json" else "text"
        sys.stderr.write("\n" + status_line(fmt, "guard", logging.ERROR, "interrupted: stopped while starting; nothing was done") + "\n")
        raise SystemExit(130) from None


def _build(config: Mapping[str, Any] | None) -> Flask:
    from guard.config import Settings, SettingsError, configure_logging, prepare_metrics_dir

    try:
        settings = Settings.from_env(os.environ, config)
        prepare_metrics_dir(settings.metrics_dir)  # before guard.metrics is imported (below)
    except SettingsError as exc:
        if _under_flask_cli():  # `flask --app app guard …`: the problem in one line, not a traceback
            import click

            raise click.ClickException(str(exc)) from None
        raise

    from guard.cli import guard_group
    from guard.runtime import Runtime, utc_now
    from guard.store.migrate import upgrade

    level = settings.log_level
    if _under_flask_cli() and "GUARD_LOG_LEVEL" not in os.environ and "GUARD_LOG_LEVEL" not in (config or {}):
        level = "WARNING"  # `flask --app app guard …` is quiet unless asked (`guard -v`); servers log at INFO
    configure_logging(level, settings.log_format)
    log = logging.getLogger("guard")
    if settings.allow_client_time:
        log.warning("GUARD_ALLOW_CLIENT_TIME is on: checks are judged at the client's `at`. Tests and simulations only.")
    # A server (gunicorn, `flask run`) creates and migrates its store at start (GUARD_AUTO_MIGRATE); a `guard` command
    # works on an existing, migrated store only, and `guard db upgrade` is the one that creates or migrates it.
    command = _under_flask_cli() and not _flask_run()
    if settings.should_migrate() and not command:
        try:
            upgrade(settings.database_url)
        except Exception:  # the server still starts; /readyz and every check answer 503
            log.exception("could not migrate the store at start")

    runtime = Runtime(settings, clock=(config or {}).get("clock", utc_now), command=command)
    runtime.on_start = _log_start
    if not command:
        runtime.start()  # a server reads its packs now; a command when it first needs them (guard/runtime.py)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["guard"] = runtime
    if not _for_app_commands():
        from guard.http import register

        register(app)
    app.cli.add_command(guard_group)
    return app


def _log_start(runtime, report) -> None:
    """What a runtime's start read, in the log: the store it could not reach, the pack versions, the files refused."""
    log = logging.getLogger("guard")
    if runtime.store_error is not None:
        # A server says so and serves 503s until the store is back; a command that needs the store says it in one
        # line itself (guard/cli/group.py), and one that does not (`policies validate`) has nothing to report.
        (log.info if _under_flask_cli() else log.error)(
            "store unavailable at start (checks will answer 503 until it is back): %s", runtime.store_error)
    for pack_id, timeline in sorted(runtime.registry.current.timelines.items()):
        log.info("policy pack %s: versions %s", pack_id, ", ".join(p.version for p in timeline.versions))
    if not report.ok:
        log.error("%d policy problem(s); see above. Valid versions keep serving.", len(report.issues))


def _for_app_commands() -> bool:
    """True when the `flask` command line builds the app for the commands the app adds (`flask --app app guard …`,
    or the list of commands): those need no HTTP routes, and building the API's schemas took a fifth of a `guard`
    command's time. Flask's own commands (`run`, `routes`, `shell`) build it inside their own context, with routes."""
    import click

    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.parent is None


def _under_flask_cli() -> bool:
    """True when the `flask` command line is building the app (to run one of its commands)."""
    import click

    return click.get_current_context(silent=True) is not None


def _flask_run() -> bool:
    """True when the app is being built for `flask run` (the development server)."""
    import click

    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.info_name == "run"

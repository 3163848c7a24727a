"""Settings: one frozen object built once from the environment, strictly parsed.

A bad value stops the start with the variable's name. Nothing below the HTTP layer reads
Flask's config; services get what they need as parameters. `SETTINGS` documents every
variable (the README's table is generated from it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    pass


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def _int(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(f"{name}={value!r}: expected a whole number") from None
        if not low <= number <= high:
            raise SettingsError(f"{name}={value!r}: expected {low}..{high}")
        return number

    return parse


def _float(low: float, high: float) -> Callable[[str, str], float]:
    def parse(name: str, value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise SettingsError(f"{name}={value!r}: expected a number") from None
        if not low <= number <= high:
            raise SettingsError(f"{name}={value!r}: expected {low}..{high}")
        return number

    return parse


def _log_level(name: str, value: str) -> str:
    upper = value.strip().upper()
    if upper not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"{name}={value!r}: expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return upper


def _auto_or_bool(name: str, value: str) -> str:
    if value.strip().lower() == "auto":
        return "auto"
    try:
        return "1" if _bool(name, value) else "0"
    except SettingsError:
        raise SettingsError(f"{name}={value!r}: expected auto, 1/0, true/false, yes/no or on/off") from None


def _url(name: str, value: str) -> str:
    if not value.startswith(("sqlite:", "postgres://", "postgresql://", "postgresql+psycopg://")):
        raise SettingsError(f"{name}: expected a sqlite:/// or postgresql:// URL")
    return value


def _path(name: str, value: str) -> Path:
    if not value.strip():
        raise SettingsError(f"{name}: expected a path")
    return Path(value).expanduser().resolve()


def _choice(*options: str) -> Callable[[str, str], str]:
    def parse(name: str, value: str) -> str:
        if value.strip().lower() not in options:
            raise SettingsError(f"{name}={value!r}: expected {' or '.join(options)}")
        return value.strip().lower()

    return parse


def _name(name: str, value: str) -> str:
    if not value.strip():
        raise SettingsError(f"{name}: expected a non-empty name")
    return value.strip()


def _bind(name: str, value: str) -> str:
    value = value.strip()
    if value and (":" not in value or not value.rsplit(":", 1)[1].isdigit()):
        raise SettingsError(f"{name}={value!r}: expected host:port, like 127.0.0.1:8000")
    return value


def _text(name: str, value: str) -> str:
    return value.strip()


def _role_map(name: str, value: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """GUARD_LDAP_ROLE_MAP: a JSON object, directory group (its DN, or its cn) -> role or list of roles."""
    import json

    from guard.core.vocabularies import codes

    if not value.strip():
        return ()
    try:
        raw = json.loads(value)
    except ValueError as exc:
        raise SettingsError(f"{name}: not JSON ({exc.msg}); expected an object like "
                            '{"cn=guard-operators,ou=groups,dc=bank,dc=cn": ["operator"]}') from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{name}: expected a JSON object, group -> role or [roles]")
    out: dict[str, tuple[str, ...]] = {}
    for group, roles in raw.items():
        listed = [roles] if isinstance(roles, str) else roles
        if not isinstance(group, str) or not group.strip() or not isinstance(listed, list) or not listed:
            raise SettingsError(f"{name}: {group!r}: expected a role or a non-empty list of roles")
        unknown = [r for r in listed if r not in codes("roles")]
        if unknown:
            raise SettingsError(f"{name}: {group!r}: unknown role(s) {unknown}; choose from {', '.join(codes('roles'))}")
        out[normalise_group(group)] = tuple(sorted(set(listed)))
    return tuple(sorted(out.items()))  # hashable, like every other setting


def normalise_group(group: str) -> str:
    """A group's DN or cn compared without case and without spaces around separators."""
    import re

    return re.sub(r"\s*([,=])\s*", r"\1", group.strip()).lower()


def _ldap_url(name: str, value: str) -> str:
    value = value.strip()
    if value and not value.lower().startswith(("ldap://", "ldaps://")):
        raise SettingsError(f"{name}={value!r}: expected ldap://host[:port] or ldaps://host[:port]")
    return value


def _template(placeholder: str) -> Callable[[str, str], str]:
    def parse(name: str, value: str) -> str:
        value = value.strip()
        if value and placeholder not in value:
            raise SettingsError(f"{name}={value!r}: must contain {placeholder}")
        return value

    return parse


@dataclass(frozen=True)
class Setting:
    env: str
    field: str
    default: str
    parse: Callable[[str, str], Any]
    help: str
    shown_default: str | None = None  # how the docs write a default computed on the machine


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "database_url", f"sqlite:///{ROOT / 'var' / 'guard.db'}", _url,
            "Store. SQLite file (default, created and migrated at a server's start) or postgresql://user:pass@host/db. "
            "An SQLite URL with three slashes names a path relative to the working directory (`sqlite:///guard.db`), with four "
            "an absolute one (`sqlite:////srv/guard/var/guard.db`), as SQLAlchemy reads them. "
            "`guard db upgrade` creates or migrates it; every other `guard` command refuses (exit 2) a store that does not "
            "exist or is not migrated to its release's head."),
    Setting("GUARD_POLICY_DIR", "policy_dir", str(ROOT / "policies" / "packs"), _path,
            "Directory of policy-pack YAML files, read at start and on `guard policies reload`."),
    Setting("GUARD_ALLOW_CLIENT_TIME", "allow_client_time", "0", _bool,
            "1: judge checks at the client's `at` even when far from the server clock. Tests and simulations only."),
    Setting("GUARD_LOG_LEVEL", "log_level", "INFO", _log_level, "Log level: DEBUG, INFO, WARNING, ERROR, CRITICAL."),
    Setting("GUARD_DEFAULT_PACK", "default_pack", "cn-bank", _name,
            "Pack used for campaigns that name none, and for unknown campaigns."),
    Setting("GUARD_MAX_BODY_BYTES", "max_body_bytes", str(16 * 1024 * 1024), _int(1024, 1024**3),
            "Largest request body accepted (413 above it). Batch checks of 100,000 numbers need ~4 MB.", "16 MiB"),
    Setting("GUARD_RELOAD_POLL_SECONDS", "reload_poll_seconds", "2", _float(0.0, 3600.0),
            "How often a process looks for a `guard policies reload` request (0: on every request)."),
    Setting("GUARD_MAX_UPLOAD_BYTES", "max_upload_bytes", str(2 * 1024**3), _int(1024, 64 * 1024**3),
            "Largest call log accepted by POST /v1/audits (saved to GUARD_DATA_DIR/audits, judged in the background).", "2 GiB"),
    Setting("GUARD_DATA_DIR", "data_dir", str(ROOT / "var"), _path, "Where uploads waiting to be audited are kept."),
    Setting("GUARD_AUDIT_STALE_AFTER", "audit_stale_after", "120", _float(15.0, 86400.0),
            "Seconds without a heartbeat after which the reaper (`guard scheduler`, `guard audit --reap`) fails a queued or running "
            "audit and deletes its upload (a running audit beats every 5 s; one whose process on this host is gone is failed at once)."),
    Setting("GUARD_MAX_BACKGROUND_JOBS", "max_background_jobs", "2", _int(1, 1000),
            "Audits of call logs (POST /v1/audits) and what-if simulations (POST /v1/simulations) queued or running at once, "
            "counted in the store (a `guard audit` on the command line counts, but is never refused). One more is refused with "
            "429 JOBS_BUSY and Retry-After, nothing started. Each runs beside the checks: five 30,000-row audits at once on "
            "SQLite (2 workers, 2 CPUs) made half the checks 503 (do not dial) and failed audits with `database is locked`; two kept "
            "every check answered."),
    Setting("GUARD_JOB_RUNS_KEEP_DAYS", "job_runs_keep_days", "400", _int(1, 36500),
            "Days a scheduled job's run stays in `job_runs` (who ran it, when, what it did): each run deletes its job's runs "
            "older than that, at most 1,000 at a time. The runs' count and last run in /metrics are kept apart and stay whole."),
    Setting("GUARD_SQLITE_WRITE_WAIT", "sqlite_write_wait", "2", _float(0.05, 60.0),
            "SQLite: seconds a request's write (a check, an outcome, a complaint) waits for its turn before the store counts as "
            "unavailable (503, do not dial): one stalled process holding the write lock cannot freeze the others. Background "
            "work (an audit's progress and violations, imports, scheduled jobs, commands) waits behind these writes for as "
            "long as others write (up to 10 minutes) rather than failing."),
    Setting("GUARD_PG_LOCK_WAIT", "pg_lock_wait", "5", _float(0.05, 60.0),
            "PostgreSQL: seconds a check (or another change serialised on a number's or a customer's lock) waits for that "
            "lock before the store counts as unavailable (503, do not dial): a stalled session holding one number's lock "
            "cannot take every worker thread, and with them every other number's checks. It is each session's lock_timeout, "
            "so any other lock a request waits for (a table another session locked) is bounded by it too, each wait on its own."),
    Setting("GUARD_DB_POOL_SIZE", "pool_size", "8", _int(1, 200), ("Connections per process (and as many overflow). On PostgreSQL a request that finds none free within "
             "GUARD_PG_LOCK_WAIT is a 503 (do not dial).")),
    Setting("GUARD_AUTO_MIGRATE", "auto_migrate", "auto", _auto_or_bool,
            "Migrate the store at a server's start (gunicorn, `flask run`): auto (SQLite only), 1 (always), 0 (never; run `guard db upgrade`)."),
    Setting("GUARD_LOG_FORMAT", "log_format", "text", _choice("text", "json"),
            "text (for people) or json (one object per line, with the request's id (its X-Request-Id header as sent, or one "
            "made; in every answer), route, status, latency, key id and decision id; "
            "gunicorn's own lines, a traceback included, and the lines a guard command writes itself, such as the scheduler's start "
            "and 'store unavailable', are JSON objects too)."),
    Setting("GUARD_RATE_LIMIT", "rate_limit", "0", _float(0.0, 1_000_000.0),
            "Requests per second allowed per API key on this server (0: no limit), bursts of 2 s; each of the "
            "GUARD_WORKERS processes allows its share. Over it: 429 RATE_LIMITED with Retry-After."),
    Setting("GUARD_CLIENT_TIMEOUT", "client_timeout", "5", _float(0.1, 3600.0),
            "Seconds any one read or write on a client socket may wait before the connection is dropped (guard/serving.py): "
            "a client stalled mid-request is dropped (in its body: 408 REQUEST_TIMEOUT) instead of holding a worker thread."),
    Setting("GUARD_WORKERS", "workers", str(max(2, os.cpu_count() or 2)), _int(1, 512),
            "gunicorn worker processes (gunicorn.conf.py); the rate limit is shared out among them.", "max(2, CPUs)"),
    Setting("GUARD_THREADS", "threads", "4", _int(1, 512), "Threads per gunicorn worker."),
    Setting("GUARD_LINT_PROCESSES", "lint_processes", "1", _int(0, 16),
            "Helper processes per gunicorn worker that run its script lints (guard/services/catalog/lint_pool.py), so that a "
            "long lint holds none of the threads' interpreter time the worker's checks need; 0: lint in the request's thread. "
            "The CLI and tests lint in their own thread."),
    Setting("GUARD_LINT_NICE", "lint_nice", "10", _int(0, 19), "How much lower the lint helpers' CPU priority is (nice)."),
    Setting("PORT", "port", "8000", _int(1, 65535), "Port `make run` and gunicorn serve on (127.0.0.1) unless GUARD_BIND says otherwise."),
    Setting("GUARD_BIND", "bind", "", _bind, "host:port gunicorn binds to (empty: 127.0.0.1:PORT)."),
    Setting("GUARD_ACCESS_LOG", "access_log", "", _text,
            "A file for gunicorn's own access log (empty: none; the guard logs every request itself, by route, see GUARD_LOG_FORMAT). "
            "It holds each request line as sent, whose paths and query strings carry phone numbers and customer ids: personal "
            "data, to be kept and protected as such (PIPL art. 51), or left off."),
    Setting("GUARD_CONTROL_SOCKET", "control_socket", "", _text,
            "A path for gunicorn's control socket (`gunicornc`); empty: none (gunicorn would otherwise open one under $HOME/.gunicorn, "
            "shared by every server of the user)."),
    Setting("PROMETHEUS_MULTIPROC_DIR", "metrics_dir", "", _text,
            "Where gunicorn workers write metrics samples for /metrics to sum (empty: a fresh temporary directory per server). "
            "Created if missing, by the server and by every `flask --app app` command; one that cannot be created or written "
            "stops the start naming it.",
            "a fresh temporary directory"),
    Setting("GUARD_SESSION_IDLE_MINUTES", "session_idle_minutes", "30", _int(1, 24 * 60),
            "A console session ends after this many minutes without a request (people sign in; machines use API keys)."),
    Setting("GUARD_SESSION_MAX_HOURS", "session_max_hours", "10", _int(1, 24 * 7),
            "A console session ends this many hours after sign-in, however active (sign in again)."),
    Setting("GUARD_COOKIE_SECURE", "cookie_secure", "auto", _auto_or_bool,
            "The session cookie's Secure flag: auto (when the request came over HTTPS, or X-Forwarded-Proto says so), 1 (always; "
            "set it behind TLS), 0 (never)."),
    Setting("GUARD_SIGNIN_MAX_FAILURES", "signin_max_failures", "5", _int(1, 100),
            "Failed sign-ins in a row for one user name (existing or not, local or directory) before it is locked: 1 minute, "
            "doubling with each further failure, at most 1 hour. A success clears the count."),
    Setting("GUARD_LOCAL_ACCOUNTS", "local_accounts", "1", _bool,
            "1: people may sign in with local accounts (`guard users create`); 0: the directory only."),
    Setting("GUARD_LDAP_URL", "ldap_url", "", _ldap_url,
            "The directory for staff sign-in, ldap://host:port or ldaps://host:port (empty: no directory sign-in)."),
    Setting("GUARD_LDAP_START_TLS", "ldap_start_tls", "0", _bool, "1: upgrade an ldap:// connection with StartTLS before binding."),
    Setting("GUARD_LDAP_CA_FILE", "ldap_ca_file", "", _text,
            "PEM file of the CA that signed the directory's certificate (ldaps:// or StartTLS); empty: the system's CAs."),
    Setting("GUARD_LDAP_TIMEOUT", "ldap_timeout", "5", _float(0.5, 60.0),
            "Seconds to connect to and hear from the directory; past it the sign-in is refused (503 DIRECTORY_UNAVAILABLE)."),
    Setting("GUARD_LDAP_USER_DN_TEMPLATE", "ldap_user_dn_template", "", _template("{username}"),
            "Bind directly as this DN, e.g. uid={username},ou=people,dc=bank,dc=cn (no search; the user's own bind reads "
            "their groups). Empty: search for the user under GUARD_LDAP_USER_BASE."),
    Setting("GUARD_LDAP_BIND_DN", "ldap_bind_dn", "", _text,
            "Service account that searches for users and groups (empty: anonymous search, or the user's own bind with a template)."),
    Setting("GUARD_LDAP_BIND_PASSWORD", "ldap_bind_password", "", _text, "The service account's password."),
    Setting("GUARD_LDAP_USER_BASE", "ldap_user_base", "", _text, "Where users are searched, e.g. ou=people,dc=bank,dc=cn."),
    Setting("GUARD_LDAP_USER_FILTER", "ldap_user_filter", "(uid={username})", _template("{username}"),
            "Search filter for the user signing in; {username} is escaped (RFC 4515). Active Directory: (sAMAccountName={username})."),
    Setting("GUARD_LDAP_GROUP_BASE", "ldap_group_base", "", _text,
            "Where groups are searched, e.g. ou=groups,dc=bank,dc=cn (empty: the user's memberOf attribute only)."),
    Setting("GUARD_LDAP_GROUP_FILTER", "ldap_group_filter", "(|(member={dn})(uniqueMember={dn})(memberUid={username}))",
            _text, "Filter for the user's groups under GUARD_LDAP_GROUP_BASE; {dn} and {username} are escaped."),
    Setting("GUARD_LDAP_DISPLAY_ATTR", "ldap_display_attr", "displayName", _text,
            "The user's attribute shown in the console header (falls back to cn)."),
    Setting("GUARD_LDAP_RECHECK_MINUTES", "ldap_recheck_minutes", "5", _int(0, 24 * 60),
            "A directory user's console session is looked up in the directory again at its first request after this many "
            "minutes: someone removed from the directory or from every mapped group is signed out, changed groups change the "
            "roles, a directory that cannot be asked refuses the request (503). Needs GUARD_LDAP_USER_BASE or GUARD_LDAP_BIND_DN "
            "(a look-up without the person's password). 0: never."),
    Setting("GUARD_LDAP_ROLE_MAP", "ldap_role_map", "", _role_map,
            'Directory groups -> roles, JSON: {"cn=guard-operators,ou=groups,dc=bank,dc=cn": ["operator"], "guard-admins": "admin"} '
            "(a group's DN or cn, case-insensitive). Roles come from the groups at each sign-in; a person in no mapped group is refused."),
)


@dataclass(frozen=True)
class Settings:
    database_url: str
    policy_dir: Path
    allow_client_time: bool
    log_level: str
    default_pack: str
    max_body_bytes: int
    max_upload_bytes: int
    data_dir: Path
    audit_stale_after: float
    max_background_jobs: int
    job_runs_keep_days: int
    reload_poll_seconds: float
    pool_size: int
    sqlite_write_wait: float
    pg_lock_wait: float
    auto_migrate: str
    log_format: str
    rate_limit: float
    client_timeout: float
    workers: int
    threads: int
    lint_processes: int
    lint_nice: int
    port: int
    bind: str
    access_log: str
    control_socket: str
    metrics_dir: str
    session_idle_minutes: int
    session_max_hours: int
    cookie_secure: str
    signin_max_failures: int
    local_accounts: bool
    ldap_url: str
    ldap_start_tls: bool
    ldap_ca_file: str
    ldap_timeout: float
    ldap_user_dn_template: str
    ldap_bind_dn: str
    ldap_bind_password: str
    ldap_user_base: str
    ldap_user_filter: str
    ldap_group_base: str
    ldap_group_filter: str
    ldap_display_attr: str
    ldap_role_map: tuple[tuple[str, tuple[str, ...]], ...]  # (normalised group, roles)
    ldap_recheck_minutes: int

    @classmethod
    def from_env(cls, env: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> "Settings":
        """Build from environment variables; `overrides` (same names) win, for tests and tools."""
        values: dict[str, Any] = {}
        merged = dict(env)
        merged.update({k: str(v) if not isinstance(v, str) else v for k, v in (overrides or {}).items() if k.isupper()})
        for s in SETTINGS:
            raw = merged.get(s.env, s.default)
            values[s.field] = s.parse(s.env, raw)
        if values["ldap_url"]:
            if not values["ldap_user_dn_template"] and not values["ldap_user_base"]:
                raise SettingsError("GUARD_LDAP_URL is set: give GUARD_LDAP_USER_DN_TEMPLATE or GUARD_LDAP_USER_BASE to find users")
            if not values["ldap_role_map"]:
                raise SettingsError("GUARD_LDAP_URL is set: GUARD_LDAP_ROLE_MAP must map at least one group to a role")
        return cls(**values)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def should_migrate(self) -> bool:
        if self.auto_migrate == "auto":
            return self.is_sqlite
        return self.auto_migrate == "1"


def render_markdown() -> str:
    """The README's settings table (between its `settings` markers), from SETTINGS."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        if s.shown_default:
            default = s.shown_default
        else:
            # A default under the guard's own directory is absolute: written relative (`sqlite:///var/guard.db`,
            # `var`) it would read as taken from the working directory, which it is not.
            shown = s.default.replace(str(ROOT), "<repo>")
            default = f"`{shown}`" if shown else "(empty)"
            if "<repo>" in shown:
                default += " (`<repo>`: the absolute path of the guard's own directory, whatever the working directory)"
        meaning = s.help.replace("|", "\\|")
        lines.append(f"| `{s.env}` | {default} | {meaning} |")
    return "\n".join(lines) + "\n"


def prepare_metrics_dir(path: str, empty: bool = False) -> None:
    """Make PROMETHEUS_MULTIPROC_DIR a writable directory (emptied first when `empty`), or stop naming it.

    prometheus_client opens a sample file there for every metric as soon as guard.metrics is imported, so a
    missing directory would otherwise surface as a FileNotFoundError from inside the library. Call it before
    anything imports guard.metrics.
    """
    if not path:
        return
    if empty:
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise SettingsError(f"PROMETHEUS_MULTIPROC_DIR={path!r}: cannot create the directory ({exc.strerror}); create it, "
                            f"or unset the variable") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingsError(f"PROMETHEUS_MULTIPROC_DIR={path!r}: the directory is not writable by this user")


def configure_logging(level: str, fmt: str = "text") -> None:
    from guard.logs import configure

    configure(level, fmt)


if __name__ == "__main__":  # pragma: no cover - doc generator entry point
    print(render_markdown(), end="")

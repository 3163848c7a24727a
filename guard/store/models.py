"""Tables. Facts keep their history: every row says from when (and until when) it held.

- Customer profiles and phone ownership are versioned rows (`valid_from`/`valid_to`): a PUT
  closes the current version and opens a new one, so the profile at any past instant can be read.
- Blacklist entries, mutes and deferrals carry their own interval; removals and cancellations
  stamp the row (who, when, why) instead of deleting it.
- The decision log (`decisions`) is insert-only; on PostgreSQL a trigger refuses UPDATE/DELETE.
- `attempts` is the projection the caps count: one row per allowed, recorded call, naming the
  call's customers (`customer_id`, and `other_customer_id` when the request named someone else).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Index, Integer, MetaData, String, Text, TypeDecorator, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


from guard.store.sql import as_utc as as_stored  # noqa: E402,F401 - a datetime as a UTCDateTime column gives it back


class UTCDateTime(TypeDecorator):
    """Aware datetimes in and out, stored as UTC (naive UTC text on SQLite, timestamptz on PostgreSQL)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    roles: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AccessEvent(Base):
    """Who gave or took access, and when: an API key created or revoked, a local account created, its password, roles
    or state changed. Written in the change's own transaction; never a secret (no key, no password, no hash)."""

    __tablename__ = "access_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(200))  # cli:<OS user>@<host> (and the sudo user), or the actor of a request
    action: Mapped[str] = mapped_column(String(30))  # key.create | key.revoke | user.create | user.password | user.roles | …
    subject: Mapped[str] = mapped_column(String(100))  # the key's id, or user:<name>
    detail: Mapped[dict[str, Any]]
    __table_args__ = (Index(None, "at"), Index(None, "subject", "at"))


class CustomerVersion(Base):
    __tablename__ = "customer_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    phones: Mapped[list[Any]]
    risk_level: Mapped[str | None] = mapped_column(String(4))
    risk_assessed_at: Mapped[datetime | None]
    tags: Mapped[list[Any]]
    windows: Mapped[list[Any]]
    timezone: Mapped[str | None] = mapped_column(String(64))
    changed_by: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(8))  # the state (subdivision) the customer lives in
    # The tags the guard itself set (a complaint's `sensitive`): part of `tags` (what the checks read),
    # kept across profile PUTs, which replace only the CRM's tags; dropped only by a deliberate removal.
    guard_tags: Mapped[list[Any]] = mapped_column(server_default=text("'[]'"), default=list)
    note: Mapped[str | None] = mapped_column(Text)  # why this version was made, when someone said (a removal's reason)
    __table_args__ = (Index(None, "customer_id", "valid_from"),)


class CustomerPhone(Base):
    __tablename__ = "customer_phones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    phone_e164: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    __table_args__ = (Index(None, "phone_e164", "valid_from"), Index(None, "customer_id", "valid_from"))


class BlacklistEntry(Base):
    __tablename__ = "blacklist_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    added_by: Mapped[str | None] = mapped_column(String(64))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(64))
    removal_reason: Mapped[str | None] = mapped_column(Text)
    # When the guard learned of the entry (added_at is when it took effect, e.g. a registry's date).
    recorded_at: Mapped[datetime | None]
    # The list removal (a `list_imports` row of kind removal) that closed the entry, when a file of numbers did.
    removal_list_id: Mapped[int | None] = mapped_column(Integer)
    # Whether a check still held the entry's number back right after the removal (another source's entry, its customer's
    # entry or refusal, a mute); null for a customer's entry and for removals recorded before the guard kept it.
    removal_still_blocked: Mapped[bool | None] = mapped_column(Boolean)
    __table_args__ = (
        Index(None, "phone_e164"),
        Index(None, "customer_id"),
        # One live entry per number (or customer) and source: adding or importing twice changes nothing.
        Index("uq_blacklist_live_phone_source", "phone_e164", "source", unique=True,
              sqlite_where=text("removed_at IS NULL AND phone_e164 IS NOT NULL"),
              postgresql_where=text("removed_at IS NULL AND phone_e164 IS NOT NULL")),
        Index("uq_blacklist_live_customer_source", "customer_id", "source", unique=True,
              sqlite_where=text("removed_at IS NULL AND phone_e164 IS NULL"),
              postgresql_where=text("removed_at IS NULL AND phone_e164 IS NULL")),
    )


class ListImport(Base):
    """A list imported into the blacklist: when, by whom, the source its rows default to, the region its numbers were
    read in and what it changed. The US rules ask for a registry list obtained within 31 days of each call, and for
    records of it (16 CFR 310.4(b)(3)(iv)); a re-import that changes nothing is still the list obtained again."""

    __tablename__ = "list_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    by: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    # `import` (a list added) or `removal` (a file of numbers that left the list: its entries of `source` closed,
    # `removed` of them, with `reason`). Only imports count as the list obtained (guard/core/registry_age.py).
    kind: Mapped[str] = mapped_column(String(16), server_default=text("'import'"))
    reason: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index(None, "source", "region", "at"),)


class Mute(Base):
    __tablename__ = "mutes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(64))
    # A number no customer owns is muted by number.
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(64))
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index(None, "customer_id", "ends_at"), Index(None, "phone_e164", "ends_at"))


class Deferral(Base):
    __tablename__ = "deferrals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    not_before: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(64))
    decision_id: Mapped[str | None] = mapped_column(String(36))
    cancelled_at: Mapped[datetime | None]
    # When the deferral took effect (an outcome's ended_at); created_at is when the guard recorded it.
    effective_at: Mapped[datetime | None]
    __table_args__ = (Index(None, "phone_e164", "not_before"), Index(None, "customer_id", "not_before"))


class ConsentVersion(Base):
    """A consent to marketing (and where the number came from), versioned like customer profiles: a
    withdrawal closes the current version (`valid_to`) and opens a new one carrying `withdrawn_at`,
    so what the guard held at any past instant can be read back; nothing is overwritten."""

    __tablename__ = "consent_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consent_id: Mapped[str] = mapped_column(String(36))
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))  # where the number came from (vocabulary consent_sources)
    consent_text: Mapped[str | None] = mapped_column(Text)
    text_version: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[list[Any]]
    product_types: Mapped[list[Any]]  # empty: every product
    given_at: Mapped[datetime]
    evidence_ref: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_via: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    # The days a list gave the withdrawal and the expiry as, when it gave dates alone (撤回日期, 有效期至): shown as written,
    # not as the instants held (the day's 00:00; 24:00). Null: given with an hour.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    # The day a consent was given by date alone (授权日期 2026-11-23): its given_at is then that day's last microsecond, no
    # hour anyone recorded. Null: given at an instant.
    given_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index(None, "phone_e164", "valid_from"), Index(None, "customer_id", "valid_from"), Index(None, "consent_id"))


class Attempt(Base):
    __tablename__ = "attempts"
    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20))  # empty: dialled on a number the guard could not read
    customer_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    disposition: Mapped[str | None] = mapped_column(String(20))
    outcome_at: Mapped[datetime | None]
    # A call's second customer (the one the request named, when the number is someone else's):
    # its customer caps count the call too.
    other_customer_id: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index(None, "phone_e164", "at"), Index(None, "customer_id", "at"), Index(None, "other_customer_id", "at"))


class Decision(Base):
    __tablename__ = "decisions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    evaluated_at: Mapped[datetime]
    at: Mapped[datetime]
    phone_input: Mapped[str] = mapped_column(String(100))
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    campaign: Mapped[str] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(100))
    agent_id: Mapped[str | None] = mapped_column(String(100))
    allowed: Mapped[bool] = mapped_column(Boolean)
    dry_run: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[Any]]
    next_allowed_at: Mapped[datetime | None]
    pack_id: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(100))
    pack_hash: Mapped[str] = mapped_column(String(80))
    key_id: Mapped[str | None] = mapped_column(String(32))
    request: Mapped[dict[str, Any]]
    facts: Mapped[dict[str, Any]]
    # What the row guarantees a replay (guard.core.replay): 2 = the request (with its region and the
    # customer it named) is kept whole and the as-of reader rebuilds the facts; NULL = written before.
    schema_version: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        Index(None, "phone_e164", "evaluated_at"),
        Index(None, "customer_id", "evaluated_at"),
        Index(None, "evaluated_at"),
        Index(None, "at", "id"),  # a period's decisions in the order they were made (replays, simulations)
    )


class IdempotencyKey(Base):
    """The first answer of a check made under a client's `Idempotency-Key` (guard.store.idempotency): its retries get
    it back, with the same decision, and record no other attempt. Kept until `expires_at`, then purged."""

    __tablename__ = "idempotency_keys"
    scope: Mapped[str] = mapped_column(String(100), primary_key=True)  # the API key's id, or the signed-in person
    idem_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request as validated
    decision_id: Mapped[str] = mapped_column(String(36))
    answer: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    __table_args__ = (Index(None, "expires_at"),)


class ConfigProduct(Base):
    __tablename__ = "config_products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]
    changed_by: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index(None, "code", "valid_from"),)


class ConfigGeneration(Base):
    """One row: `n` goes up with every change of config_campaigns, config_products or scripts
    (triggers of migration 0015), so a check can tell whether its copy of the configuration is current;
    to a value never held before, even after a restore put an older `n` back (migration 0029)."""

    __tablename__ = "config_generation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger)


class ConfigCampaign(Base):
    __tablename__ = "config_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]
    changed_by: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index(None, "campaign_id", "valid_from"),)


class Script(Base):
    __tablename__ = "scripts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign: Mapped[str] = mapped_column(String(100))
    product_type: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(10))
    lint: Mapped[dict[str, Any]]
    pack_id: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(32))
    # What the approval's lint could not vouch for (guard.core.lint.lint_notes: NO_PHRASE_RULES when no phrase rule of
    # the pack in effect applied to the types the campaign sells); null when not approved, or approved before it was kept.
    approval_notes: Mapped[list[Any] | None]
    # An approved version that a pack version in effect (or coming) fails: from when it needs review,
    # when its approval stops counting (after the pack's `script_approval.review_grace`), the pack
    # version that fails it and its findings. Set once; a reviewer lifts it by approving a new version.
    needs_review_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    review_pack: Mapped[str | None] = mapped_column(String(200))
    review_findings: Mapped[list[Any] | None]
    __table_args__ = (Index(None, "campaign", "approved_at"),)


class ScriptJudgement(Base):
    """A reviewer's judgement of one finding of a stored script version: `false_alarm` (the words make
    no claim) or `confirmed`. Insert-only: a reviewer who changes their mind adds a row, and the newest
    row of each (finding, reviewer) counts. The findings' rule precision on the bank's own scripts, and
    labelled real text for the linter's corpora (`guard judgements --format corpus`)."""

    __tablename__ = "script_judgements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # the order they were given in
    script_id: Mapped[str] = mapped_column(String(36))
    campaign: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(200))
    rules: Mapped[list[Any]]  # every rule whose hit lies on the finding's words (a merged finding), `rule` first
    code: Mapped[str] = mapped_column(String(30))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    matched: Mapped[str] = mapped_column(Text)
    judgement: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    pack_id: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index(None, "script_id"), Index(None, "created_at"))


class PolicySnapshot(Base):
    """Every resolved pack version ever served, by hash, so a past decision can be replayed."""

    __tablename__ = "policy_snapshots"
    hash: Mapped[str] = mapped_column(String(80), primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(300))
    resolved: Mapped[dict[str, Any]]
    first_loaded_at: Mapped[datetime]


class PolicyReload(Base):
    """A reload request: every app process polls the newest id and then serves exactly `documents`,
    the pack files as the reloading command validated them (a broken file: its last good content)."""

    __tablename__ = "policy_reloads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    requested_at: Mapped[datetime]
    requested_by: Mapped[str | None] = mapped_column(String(100))
    documents: Mapped[dict[str, Any] | None]
    # What the reloading command refused ({source, issue}): files broken then, serving their last good content.
    issues: Mapped[list[Any] | None]


class Outcome(Base):
    """What happened on a call, as the dialer reported it: one per decision (a repeat changes nothing)."""

    __tablename__ = "outcomes"
    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    disposition: Mapped[str] = mapped_column(String(20))
    ended_at: Mapped[datetime | None]
    callback_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime]
    key_id: Mapped[str | None] = mapped_column(String(32))
    effects: Mapped[dict[str, Any]]
    __table_args__ = (Index(None, "reported_at"),)  # the outcome chain's sealer reads them in this order


class Complaint(Base):
    """A complaint with its SLA deadlines; what happens to it afterwards is in complaint_events."""

    __tablename__ = "complaints"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    decision_id: Mapped[str | None] = mapped_column(String(36))
    pack_id: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(100))
    first_response_due: Mapped[datetime | None]
    resolution_due: Mapped[datetime | None]
    escalation_due: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]
    effects: Mapped[dict[str, Any]]
    # The nearest deadline still to be met (guard.core.complaints.next_due), kept on every change.
    next_due_at: Mapped[datetime | None]
    # Who the complaint was escalated to (a supervisor), as the person escalating named them.
    escalated_to: Mapped[str | None] = mapped_column(String(100))
    # The satisfaction callback: due (resolution + the pack's `complaints.callback`), made, its result,
    # and when the scheduler found it late.
    callback_due: Mapped[datetime | None]
    callback_at: Mapped[datetime | None]
    callback_result: Mapped[str | None] = mapped_column(String(20))
    callback_overdue_at: Mapped[datetime | None]
    # Where it stands in the workflow (guard.core.complaints.stage), kept on every change like next_due_at.
    stage: Mapped[str | None] = mapped_column(String(20))
    __table_args__ = (
        Index(None, "customer_id", "received_at"),
        Index(None, "phone_e164", "received_at"),
        Index(None, "resolved_at", "overdue_at"),
        Index(None, "resolved_at", "next_due_at"),
        Index(None, "stage", "next_due_at"),
    )


class ComplaintEvent(Base):
    """Append-only history of a complaint: filed, first_response, escalated, overdue, resolved, callback, callback_overdue."""

    __tablename__ = "complaint_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    # who recorded it (the key's id, or the person signed in), which differs from `actor` when a key names the person who acted
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (Index(None, "complaint_id", "id"),)


class JobRun(Base):
    """Every scheduled job run: which process ran it, when, and what it did."""

    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(50))
    runner: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    result: Mapped[dict[str, Any]]
    __table_args__ = (Index(None, "job", "started_at"),)


class JobRunTotal(Base):
    """Per job, the runs recorded in `job_runs` and when the last of them finished, kept in the transaction that records
    each run (migration 0024 counted the runs before it). /metrics reads these few rows at every scrape: counting
    `job_runs`, which grows by thousands of rows a day, took seconds after a year and ever longer."""

    __tablename__ = "job_run_totals"
    job: Mapped[str] = mapped_column(String(50), primary_key=True)
    runs: Mapped[int] = mapped_column(BigInteger)
    last_finished_at: Mapped[datetime]


class DecisionLink(Base):
    """The decision log's hash chain: link `seq` seals one decision, hashing it with the link before.

    Links are appended by the `decision_chain` job (off the hot path), a step at a time, each in a transaction under
    the job's lock that appends only after the head its links were hashed after, so `seq` has no gaps; `guard decisions verify` recomputes every hash.
    """

    __tablename__ = "decision_chain"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    decision_id: Mapped[str] = mapped_column(String(36), unique=True)
    evaluated_at: Mapped[datetime]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime]


class OutcomeLink(Base):
    """The outcomes' hash chain, beside the decisions': link `seq` seals one outcome (`outcome_id`, the
    decision it reports on) or one report with no real decision (`unmatched_id`), hashed with the link
    before. An outcome is the evidence of a call made despite a deny, so deleting one must show.

    Appended by the same `decision_chain` job, the same way, so `seq` has no gaps.
    """

    __tablename__ = "outcome_chain"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    outcome_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    unmatched_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    reported_at: Mapped[datetime]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime]


class UnmatchedOutcome(Base):
    """An outcome reported for a decision that does not exist, was a dry run or another dialer's: evidence of a
    dial with no decision of its own behind it (the report itself is refused; the audit of the decision log reads these)."""

    __tablename__ = "unmatched_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(100))
    why: Mapped[str] = mapped_column(String(20))  # unknown_decision | dry_run | not_yours (another dialer's decision)
    disposition: Mapped[str | None] = mapped_column(String(20))
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    reported_at: Mapped[datetime]
    key_id: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[dict[str, Any]]
    # When the dial was made, where it differs from `reported_at` (the server's clock at the report): a simulation on
    # the client's timeline (GUARD_ALLOW_CLIENT_TIME) dials at its `ended_at`. NULL: at `reported_at`.
    dialled_at: Mapped[datetime | None]
    __table_args__ = (Index(None, "reported_at"), Index(None, "dialled_at"))


class Audit(Base):
    """An audit of a call log (or of the decision log): its progress and, when done, its summary."""

    __tablename__ = "audits"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # call_log | decision_log
    source: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed | cancelled
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    bytes_total: Mapped[int | None] = mapped_column(Integer)
    bytes_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    calls_judged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    violations: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(String(20))  # known_then (None: older audits) | known_now
    encoding: Mapped[str | None] = mapped_column(String(40))  # the text encoding the log was read in
    runner: Mapped[str | None] = mapped_column(String(100))  # host:pid of the process judging it
    heartbeat_at: Mapped[datetime | None]  # its last sign of progress (the reaper's clock)
    cancel_requested_at: Mapped[datetime | None]


class AuditViolation(Base):
    __tablename__ = "audit_violations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_id: Mapped[str] = mapped_column(String(36))
    line: Mapped[int | None] = mapped_column(Integer)
    call_id: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(40))
    called_at: Mapped[datetime]
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[str | None] = mapped_column(String(100))
    campaign: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]]
    zone: Mapped[str | None] = mapped_column(String(64))  # the callee's zone the call was judged in
    # the pack version that judged the call (null on rows written before migration 0028)
    pack_id: Mapped[str | None] = mapped_column(String(100))
    pack_version: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (Index(None, "audit_id", "id"),)


class AuditReject(Base):
    __tablename__ = "audit_rejects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_id: Mapped[str] = mapped_column(String(36))
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index(None, "audit_id", "line"),)


class Account(Base):
    """A local account: a person who signs in with a password the guard keeps (argon2id hash), for a bank
    without a directory. Disabled, never deleted: the audit trail names it."""

    __tablename__ = "accounts"
    username: Mapped[str] = mapped_column(String(27), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]


class SignInFailure(Base):
    """Failed sign-ins per user name (local, directory, or no such user alike): the backoff reads it."""

    __tablename__ = "sign_in_failures"
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    __table_args__ = (Index(None, "last_failed_at"),)


class WebSession(Base):
    """A person's signed-in session: only a SHA-256 of its id is stored (the id lives in the browser's
    cookie), with the roles the sign-in granted and the CSRF token its changes must carry."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor: Mapped[str] = mapped_column(String(32))  # user:<name> or ldap:<name>, as the audit trail records it
    display_name: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # absolute: no activity extends it
    ended_at: Mapped[datetime | None]
    directory_checked_at: Mapped[datetime | None]  # a directory user's: when the directory last confirmed them (None: at sign-in)
    __table_args__ = (Index(None, "actor"), Index(None, "expires_at"))

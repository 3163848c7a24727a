"""The one facts reader: the store's rows about calls, as a `guard.core.history.History`.

Three modes, one shape. Whatever the mode, the caller then asks the same pure
`History.facts(...)` for each call and hands the result to the same `guard.core.decide`:

- **now** (the pre-call check): one number, read inside the check's transaction after its locks
  (`lock_call` takes them: the number, then every customer of the call in lock order), in one
  round trip: the customers' current profiles, the attempts of the number and of each customer,
  and the blacklist entries, mutes and deferrals still held;
- **list** (the scrub): the current rows of many numbers and their owners, set-based;
- **as of** (the audit): the whole history of many numbers and customers, every row with the
  interval it was held, so that each call can be sliced at its own instant.

The catalog (API-configured campaigns and products, script approvals) is read the same way:
the rows one call needs (`catalog_now`), or all of them with their intervals (`catalog_history`).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from guard.core import catalog as core_catalog
from guard.core.facts import Attempt, BlacklistEntry, Consent, CustomerFacts, Deferral, Mute, customers_of_call
from guard.core.history import KNOWN_NOW, KNOWN_THEN, History, Held, assessed_versions, effective_start
from guard.core.pack import Campaign, PackSet, Product
from guard.core.windows import parse_window
from guard.store.sql import Dialect, in_lock_order, lock_key

_DECISION_COLUMNS = (
    "id", "evaluated_at", "at", "phone_input", "phone_e164", "customer_id", "campaign", "product", "agent_id", "allowed",
    "dry_run", "reasons", "next_allowed_at", "pack_id", "pack_version", "pack_hash", "key_id", "request", "facts", "schema_version",
)
_ATTEMPT_COLUMNS = ("decision_id", "phone_e164", "customer_id", "other_customer_id", "at")


class LockOrderConflict(Exception):
    """The owner of the number, found after the named customer was locked, sorts before that
    customer in the lock order and is held by another transaction: start again, taking both
    customers' locks in order (waiting out of order could deadlock)."""

    def __init__(self, owner: str):
        super().__init__(owner)
        self.owner = owner


class CatalogSnapshot:
    """The configuration held now (API-configured campaigns and products, script approvals) at one
    generation of `config_generation`: a process keeps one, so a check does not read the catalog
    each time. It is exact because every change of those tables moves the generation (triggers),
    and a check reads the generation under its locks: a copy of another generation is dropped and
    the check starts again with a fresh one."""

    __slots__ = ("generation", "campaigns", "products", "approvals")

    def __init__(self, generation: int | None, campaigns: dict[str, Campaign], products: dict[str, Product],
                 approvals: dict[str, list[tuple[datetime, datetime | None]]]):
        self.generation = generation
        self.campaigns = campaigns
        self.products = products
        self.approvals = approvals

    def fill(self, history: History, campaign_id: str, product: str | None, at: datetime, packs: PackSet,
             number_country: str | None) -> None:
        """Into `history`, what `FactsReader.catalog_now` would read for this call at `at`."""
        configured = self.campaigns.get(campaign_id)
        history.campaigns[campaign_id] = [Held(configured, at)] if configured is not None else []
        _pack, campaign = core_catalog.governing_pack(packs, campaign_id, at, configured, number_country)
        for code in core_catalog.product_codes(campaign, product):
            found = self.products.get(code)
            if found is not None:
                history.products[code] = [Held(found, at)]
        if campaign is not None and campaign.require_approved_script and any(
                suspended is None or suspended > at for _approved, suspended in self.approvals.get(campaign.id, ())):
            history.approvals[campaign.id] = [(at, None)]


def _locked_customers(owner_hint: str | None, named: str | None) -> list[str]:
    """The customers a check locks with the number: an owner found on an earlier try, the one named."""
    return [c for c in dict.fromkeys((owner_hint, named)) if c is not None]


def _call_keys(phone: str | None, customers: Sequence[str]) -> list[str]:
    """The number's lock, then the customers' in lock order."""
    return in_lock_order([f"n:{phone}"] if phone else []) + in_lock_order(f"c:{c}" for c in customers)


def lock_statement(keys: Sequence[str], wait_ms: int) -> tuple[str, dict[str, Any]]:
    """One PostgreSQL statement taking these advisory locks in the order given, each waited for at most
    `wait_ms` (the transaction's lock_timeout, set first in the same statement: no round trip of its own).

    Without a bound, a session stalled while it holds one number's lock (a frozen process, a transaction
    left open) holds every check of that number, then every thread of every worker, and so every other
    check too; past the bound the wait fails and the check is a 503 (do not dial)."""
    return ("SELECT set_config('lock_timeout', %(wait)s, true), " + ", ".join(f"pg_advisory_xact_lock(%(k{i})s)" for i in range(len(keys))),
            {"wait": f"{wait_ms}ms", **{f"k{i}": lock_key(k) for i, k in enumerate(keys)}})


def _campaign(campaign_id: str, d: dict) -> Campaign:
    return Campaign(id=campaign_id, products=tuple(d.get("products", ())), require_approved_script=bool(d.get("require_approved_script")),
                    name=d.get("name"), pack=d.get("pack"), packs=tuple(sorted((d.get("packs") or {}).items())),
                    purposes=tuple(d["purposes"]) if d.get("purposes") is not None else None)


def _product(code: str, d: dict) -> Product:
    return Product(code=code, type=d["type"], risk=d["risk"], needs_risk_assessment=bool(d.get("needs_risk_assessment", True)),
                   name=d.get("name"))


class FactsReader:
    """The SQL of one dialect for reading facts (and writing the decision that uses them)."""

    def __init__(self, dialect: Dialect, lock_wait_ms: int = 5000):
        self.d = d = dialect
        self.lock_wait_ms = lock_wait_ms  # PostgreSQL: how long a lock is waited for (lock_statement)
        self.sqlite = d.sqlite
        # PostgreSQL: the check sends its locks and reads together (`lock_and_load_call`), and its insert with the commit.
        self.pipelined = not d.sqlite
        style, among, ts_type = d.style, d.among, d.ts_type
        if d.sqlite:
            profile = "json_array(json(cv.phones), json(cv.tags), json(cv.windows), cv.timezone, cv.state)"
            scope = "json_array(json(k.channels), json(k.product_types), k.expires_at, k.withdrawn_via, k.text_version, k.withdrawn_on, k.expires_on, k.given_on)"
        else:
            profile = "CAST(json_build_array(cv.phones, cv.tags, cv.windows, cv.timezone, cv.state) AS TEXT)"
            scope = "CAST(json_build_array(k.channels, k.product_types, k.expires_at, k.withdrawn_via, k.text_version, k.withdrawn_on, k.expires_on, k.given_on) AS TEXT)"
        self._owner = style("SELECT customer_id FROM customer_phones WHERE phone_e164 = :phone AND valid_to IS NULL "
                            "ORDER BY valid_from DESC LIMIT 1")
        # Everything a check reads under its locks, in one round trip (8 columns: kind, then per kind),
        # in three variants: a call with no customer, with one, with two (the number's owner and the
        # customer named). Customers are scalar parameters (:c1, :c2), which the planners match with
        # the indexes directly; a call with no customer reads only the number's rows.
        self._call = {n: style(self._call_sql({1: "= :c1", 2: "IN (:c1, :c2)"}.get(n), profile, ts_type, scope)) for n in (0, 1, 2)}
        self._campaign_now = style("SELECT data FROM config_campaigns WHERE campaign_id = :campaign AND valid_to IS NULL "
                                   "ORDER BY valid_from DESC LIMIT 1")
        self._products_now = style(f"SELECT code, data FROM config_products WHERE code {among('codes')} AND valid_to IS NULL")
        # An approved script counts until its approval is suspended (a pack version it fails took effect).
        self._script_now = style("SELECT 1 FROM scripts WHERE campaign = :campaign AND approved_at IS NOT NULL "
                                 "AND (suspended_at IS NULL OR suspended_at > :at) LIMIT 1")
        # The whole configuration a check may need, for the in-memory copy (CatalogSnapshot): the
        # generation first, so that a change committed while the rest is read makes the copy stale.
        self._generation = "SELECT n FROM config_generation WHERE id = 1"
        self._all_campaigns_now = "SELECT campaign_id, data FROM config_campaigns WHERE valid_to IS NULL"
        self._all_products_now = "SELECT code, data FROM config_products WHERE valid_to IS NULL"
        self._all_approvals = "SELECT campaign, approved_at, suspended_at FROM scripts WHERE approved_at IS NOT NULL"
        self._snapshot: CatalogSnapshot | None = None
        insert_decision = f"INSERT INTO decisions ({', '.join(_DECISION_COLUMNS)}) VALUES ({', '.join(':' + c for c in _DECISION_COLUMNS)})"
        self._insert_decision = style(insert_decision)
        self._insert_attempt = style(
            f"INSERT INTO attempts ({', '.join(_ATTEMPT_COLUMNS)}) VALUES ({', '.join(':' + c for c in _ATTEMPT_COLUMNS)})")
        # PostgreSQL: the decision and its attempt in one statement (one round trip fewer).
        self._insert_decision_and_attempt = None if d.sqlite else style(
            f"WITH d AS ({insert_decision} RETURNING id) INSERT INTO attempts ({', '.join(_ATTEMPT_COLUMNS)}) "
            "SELECT d.id, :phone_e164, :customer_id, :other_customer_id, :at FROM d")
        self._bulk = {alive: self._bulk_sql(alive) for alive in (True, False)}

    @staticmethod
    def _call_sql(cids: str | None, profile: str, ts_type: str, scope: str) -> str:
        """The rows of one call; `cids` the condition on a customer id (None: no customer)."""
        parts = [
            f"SELECT 'n', CAST(NULL AS VARCHAR(64)), disposition, CAST(NULL AS TEXT), CAST(NULL AS VARCHAR(20)), "
            f"CAST(NULL AS VARCHAR(64)), at, CAST(NULL AS {ts_type}) FROM attempts WHERE phone_e164 = :phone AND at > :since",
            # The configuration's generation, read under the locks with the rest (see CatalogSnapshot).
            "SELECT 'g', CAST(n AS VARCHAR(64)), NULL, NULL, NULL, NULL, NULL, NULL FROM config_generation WHERE id = 1",
        ]
        if cids:
            parts += [
                f"SELECT 'c', customer_id, disposition, NULL, NULL, NULL, at, NULL FROM attempts WHERE customer_id {cids} AND at > :since",
                f"SELECT 'c', other_customer_id, disposition, NULL, NULL, NULL, at, NULL FROM attempts "
                f"WHERE other_customer_id {cids} AND at > :since",
                f"SELECT 'v', cv.customer_id, cv.risk_level, {profile}, NULL, NULL, cv.risk_assessed_at, NULL "
                f"FROM customer_versions cv WHERE cv.valid_to IS NULL AND cv.customer_id {cids}",
                f"SELECT 'b', id, source, reason, phone_e164, customer_id, added_at, expires_at FROM blacklist_entries "
                f"WHERE removed_at IS NULL AND (phone_e164 = :phone OR (phone_e164 IS NULL AND customer_id {cids}) "
                f"OR phone_e164 IN (SELECT cp.phone_e164 FROM customer_phones cp WHERE cp.customer_id {cids} AND cp.valid_to IS NULL))",
                f"SELECT 'm', id, NULL, reason, phone_e164, customer_id, starts_at, ends_at FROM mutes "
                f"WHERE lifted_at IS NULL AND ends_at > :now AND (customer_id {cids} OR phone_e164 = :phone)",
                f"SELECT 'd', id, NULL, NULL, phone_e164, customer_id, not_before, NULL FROM deferrals "
                f"WHERE cancelled_at IS NULL AND not_before > :now AND (phone_e164 = :phone OR customer_id {cids})",
                f"SELECT 'k', k.consent_id, k.source, {scope}, k.phone_e164, k.customer_id, k.given_at, k.withdrawn_at "
                f"FROM consent_versions k WHERE k.valid_to IS NULL AND (k.phone_e164 = :phone OR (k.phone_e164 IS NULL AND k.customer_id {cids}))",
            ]
        else:
            parts += [
                "SELECT 'b', id, source, reason, phone_e164, customer_id, added_at, expires_at FROM blacklist_entries "
                "WHERE removed_at IS NULL AND phone_e164 = :phone",
                "SELECT 'm', id, NULL, reason, phone_e164, customer_id, starts_at, ends_at FROM mutes "
                "WHERE lifted_at IS NULL AND ends_at > :now AND phone_e164 = :phone",
                "SELECT 'd', id, NULL, NULL, phone_e164, customer_id, not_before, NULL FROM deferrals "
                "WHERE cancelled_at IS NULL AND not_before > :now AND phone_e164 = :phone",
                f"SELECT 'k', k.consent_id, k.source, {scope}, k.phone_e164, k.customer_id, k.given_at, k.withdrawn_at "
                f"FROM consent_versions k WHERE k.valid_to IS NULL AND k.phone_e164 = :phone",
            ]
        return " UNION ALL ".join(parts)

    def _bulk_sql(self, alive: bool) -> dict[str, str]:
        """Set-based reads of many numbers: current rows only (`alive`, the scrub) or all of history (the audit)."""
        style, among = self.d.style, self.d.among

        def only(condition: str) -> str:
            return f" AND {condition}" if alive else ""

        return {
            "owners": style(f"SELECT phone_e164, customer_id, valid_from, valid_to FROM customer_phones "
                            f"WHERE phone_e164 {among('numbers')}{only('valid_to IS NULL')}"),
            "customers": style(f"SELECT customer_id, phones, risk_level, risk_assessed_at, tags, windows, timezone, state, valid_from, valid_to "
                               f"FROM customer_versions WHERE customer_id {among('cids')}{only('valid_to IS NULL')}"),
            "blacklist": style(f"SELECT id, source, reason, phone_e164, customer_id, added_at, expires_at, removed_at, recorded_at "
                               f"FROM blacklist_entries "
                               f"WHERE (phone_e164 {among('phones')} OR (phone_e164 IS NULL AND customer_id {among('cids')}))"
                               f"{only('removed_at IS NULL')}"),
            "mutes": style(f"SELECT id, reason, phone_e164, customer_id, starts_at, ends_at, created_at, lifted_at FROM mutes "
                           f"WHERE (customer_id {among('cids')} OR phone_e164 {among('numbers')}){only('lifted_at IS NULL AND ends_at > :now')}"),
            "deferrals": style(f"SELECT id, phone_e164, customer_id, not_before, created_at, cancelled_at, effective_at FROM deferrals "
                               f"WHERE (phone_e164 {among('numbers')} OR customer_id {among('cids')})"
                               f"{only('cancelled_at IS NULL AND not_before > :now')}"),
            "consents": style(f"SELECT consent_id, source, phone_e164, customer_id, channels, product_types, given_at, expires_at, "
                              f"withdrawn_at, withdrawn_via, text_version, valid_from, valid_to, withdrawn_on, expires_on, given_on FROM consent_versions "
                              f"WHERE (phone_e164 {among('numbers')} OR (phone_e164 IS NULL AND customer_id {among('cids')}))"
                              f"{only('valid_to IS NULL')}"),
            "attempts": style(f"SELECT 'n', phone_e164, at, disposition FROM attempts WHERE phone_e164 {among('numbers')} AND at > :since "
                              f"UNION ALL SELECT 'c', customer_id, at, disposition FROM attempts WHERE customer_id {among('cids')} AND at > :since "
                              f"UNION ALL SELECT 'c', other_customer_id, at, disposition FROM attempts "
                              f"WHERE other_customer_id {among('cids')} AND at > :since"),
        }

    # --- catalog ------------------------------------------------------------------------------

    def catalog_now(self, cur: Any, history: History, packs: PackSet, campaign_id: str, product: str | None,
                    at: datetime, number_country: str | None = None) -> core_catalog.Resolution:
        """Read the configuration one call needs (held now) into `history`, and resolve the call with it."""
        d = self.d
        if campaign_id not in history.campaigns:
            self.campaign_now(cur, history, campaign_id, at)
        pack, campaign = core_catalog.governing_pack(packs, campaign_id, at, history.configured_campaign(campaign_id, None),
                                                     number_country)
        self.products_now(cur, history, core_catalog.product_codes(campaign, product), at)
        if campaign is not None and campaign.require_approved_script and d.run(cur, self._script_now,
                                                                               {"campaign": campaign.id, "at": d.ts(at)}):
            history.approvals[campaign.id] = [(at, None)]
        return core_catalog.resolve(packs, history, campaign_id, product, at, None, number_country)

    def catalog_cached(self, cur: Any, history: History, packs: PackSet, campaign_id: str, product: str | None,
                       at: datetime, number_country: str | None = None) -> tuple[core_catalog.Resolution, int | None]:
        """`catalog_now` from this process's copy of the configuration (read when there is none), and
        the generation of that copy: the caller compares it with the one `load_call` reads under its
        locks, and calls `forget_catalog` and starts again when they differ."""
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = self._read_snapshot(cur)
            if snapshot.generation is not None:  # without the row (a store emptied by hand) nothing is kept
                self._snapshot = snapshot
        snapshot.fill(history, campaign_id, product, at, packs, number_country)
        return core_catalog.resolve(packs, history, campaign_id, product, at, None, number_country), snapshot.generation

    def forget_catalog(self) -> None:
        """Drop the copy of the configuration (its generation is no longer the store's)."""
        self._snapshot = None

    def _read_snapshot(self, cur: Any) -> CatalogSnapshot:
        d = self.d
        rows = d.run(cur, self._generation, {})
        generation = int(rows[0][0]) if rows else None
        campaigns = {cid: _campaign(cid, d.read_json(data)) for cid, data in d.run(cur, self._all_campaigns_now, {})}
        products = {code: _product(code, d.read_json(data)) for code, data in d.run(cur, self._all_products_now, {})}
        approvals: dict[str, list[tuple[datetime, datetime | None]]] = {}
        for campaign, approved, suspended in d.run(cur, self._all_approvals, {}):
            approvals.setdefault(campaign, []).append((d.read_ts(approved), d.read_ts(suspended)))
        return CatalogSnapshot(generation, campaigns, products, approvals)

    def campaign_now(self, cur: Any, history: History, campaign_id: str, at: datetime) -> Campaign | None:
        """The campaign as configured through the API now (into `history` too), or None."""
        rows = self.d.run(cur, self._campaign_now, {"campaign": campaign_id})
        if not rows:
            history.campaigns[campaign_id] = []  # asked: none configured
            return None
        campaign = _campaign(campaign_id, self.d.read_json(rows[0][0]))
        history.campaigns[campaign_id] = [Held(campaign, at)]
        return campaign

    def products_now(self, cur: Any, history: History, codes: Sequence[str], at: datetime) -> None:
        """The products of these codes as configured through the API now, into `history`."""
        missing = [c for c in codes if c not in history.products]
        if missing:
            for code, data in self.d.run(cur, self._products_now, {"codes": self.d.array(missing)}):
                history.products[code] = [Held(_product(code, self.d.read_json(data)), at)]

    def catalog_history(self, cur: Any, history: History) -> History:
        """Every configured campaign and product version, and every script approval, with their intervals."""
        d = self.d
        for cid, data, start, end in d.run(cur, "SELECT campaign_id, data, valid_from, valid_to FROM config_campaigns", {}):
            history.add(history.campaigns, cid, Held(_campaign(cid, d.read_json(data)), d.read_ts(start), d.read_ts(end)))
        for code, data, start, end in d.run(cur, "SELECT code, data, valid_from, valid_to FROM config_products", {}):
            history.add(history.products, code, Held(_product(code, d.read_json(data)), d.read_ts(start), d.read_ts(end)))
        for campaign, approved, suspended in d.run(cur, "SELECT campaign, approved_at, suspended_at FROM scripts WHERE approved_at IS NOT NULL",
                                                   {}):
            history.add(history.approvals, campaign, (d.read_ts(approved), d.read_ts(suspended)))
        return history

    # --- now: one number, under the check's locks -------------------------------------------------

    def lock(self, cur: Any, keys: Sequence[str]) -> None:
        """Take these locks in the order given, in one statement (PostgreSQL; SQLite's write
        transaction already excludes every other writer)."""
        if self.sqlite or not keys:
            return
        cur.execute(*lock_statement(keys, self.lock_wait_ms))

    def try_lock(self, cur: Any, key: str) -> bool:
        if self.sqlite:
            return True
        cur.execute("SELECT pg_try_advisory_xact_lock(%(k)s)", {"k": lock_key(key)})
        return bool(cur.fetchone()[0])

    def lock_call(self, cur: Any, phone: str | None, named: str | None, owner_hint: str | None = None) -> str | None:
        """Lock the number, then every customer of the call (its owner, the named customer) in lock
        order; return the owner. The owner is known only once the number is locked, so the named
        customer is locked with the number (the common case: the owner); an owner found to sort
        before it is taken only if free, else LockOrderConflict (start again with `owner_hint`)."""
        customers = _locked_customers(owner_hint, named)
        self.lock(cur, _call_keys(phone, customers))
        owner = self.owner_now(cur, phone)
        if owner is not None and owner not in customers:
            self._lock_owner(cur, owner, customers)
        return owner

    def _lock_owner(self, cur: Any, owner: str, held: Sequence[str]) -> None:
        """Lock a number's owner found after the customers `held` were locked: wait for it when it sorts
        after them, else take it only if free (waiting out of order could deadlock).
        :raise LockOrderConflict: it sorts before a held customer and another transaction holds it"""
        key = f"c:{owner}"
        if all(lock_key(key) > lock_key(f"c:{c}") for c in held):
            self.lock(cur, [key])
        elif not self.try_lock(cur, key):
            raise LockOrderConflict(owner)

    def owner_now(self, cur: Any, phone: str | None) -> str | None:
        if phone is None:
            return None
        rows = self.d.run(cur, self._owner, {"phone": phone})
        return rows[0][0] if rows else None

    def lock_and_load_call(self, cur: Any, history: History, phone: str | None, named: str | None, owner_hint: str | None,
                           since: datetime, now: datetime) -> tuple[str | None, int | None]:
        """`lock_call` then `load_call` (PostgreSQL), in one round trip in the common case: the
        transaction's BEGIN, the locks, the owner and the rows of the named customers and of the
        owner are sent together (psycopg's pipeline mode). The server runs them in order and each
        statement sees what was committed before it started, so the rows are read after the locks
        are held. The rows read are the number's and the named customers': complete when the number
        has no owner or its owner is the customer named (a dialer naming the customer it calls).
        Otherwise the owner is locked and the rows are read again, for every customer of the call.
        (Finding the owner inside the read, by a subquery, would save that second round trip but
        costs the planner its index plans: measured 2.3 times slower for an unknown number.)

        `since` and `now` may be earlier than the check's own instant (the clock is read again after
        the locks): the rows read are then a superset, which the facts slice at the later instant.
        Returns the owner and the configuration's generation (`load_call`).
        :raise LockOrderConflict: as `lock_call`"""
        customers = _locked_customers(owner_hint, named)
        keys = _call_keys(phone, customers)
        conn = cur.connection
        with conn.pipeline():
            if keys:
                conn.cursor().execute(*lock_statement(keys, self.lock_wait_ms))
            owner_cur = conn.cursor()
            owner_cur.execute(self._owner, {"phone": phone})
            rows_cur = conn.cursor()
            rows_cur.execute(self._call[len(customers)], self._call_params(phone, customers, since, now))
        found = owner_cur.fetchall()
        owner = found[0][0] if found and phone is not None else None
        if owner is None or owner in customers:
            if owner_hint is None or owner_hint == owner:  # the rows read are exactly the call's customers'
                return owner, self._read_call(rows_cur.fetchall(), history, phone, now)
        else:
            self._lock_owner(cur, owner, customers)
        # The owner's rows were read before its lock (or another customer's with them): read the call
        # again, under every lock, for exactly its customers.
        return owner, self.load_call(cur, history, phone, customers_of_call(owner, named), since, now)

    def load_call(self, cur: Any, history: History, phone: str | None, customer_ids: Sequence[str], since: datetime,
                  now: datetime) -> int | None:
        """Read what the store holds now about one number and its customers into `history`; return the
        configuration's generation read with them (`catalog_cached` compares it with its copy's)."""
        if len(customer_ids) > 2:
            raise ValueError("a call has at most two customers (the number's owner and the customer named)")
        rows = self.d.run(cur, self._call[len(customer_ids)], self._call_params(phone, customer_ids, since, now))
        return self._read_call(rows, history, phone, now)

    def _call_params(self, phone: str | None, customer_ids: Sequence[str], since: datetime, now: datetime) -> dict[str, Any]:
        params: dict[str, Any] = {"phone": phone, "since": self.d.ts(since), "now": self.d.ts(now)}
        for i, cid in enumerate(customer_ids, 1):
            params[f"c{i}"] = cid
        return params

    def _read_call(self, rows: list[tuple], history: History, phone: str | None, now: datetime) -> int | None:
        d = self.d
        generation = None
        for kind, ident, source, reason, ph, cid, t1, t2 in rows:
            if kind == "g":
                generation = int(ident)
            elif kind == "n":
                history.add(history.attempts_by_phone, phone, Attempt(at=d.read_ts(t1), disposition=source))
            elif kind == "c":
                history.add(history.attempts_by_customer, ident, Attempt(at=d.read_ts(t1), disposition=source))
            elif kind == "v":
                phones, tags, windows, tz, state = json.loads(reason)
                customer = _customer(ident, phones, source, d.read_ts(t1), frozenset(tags or ()), _parse_windows(windows), tz, state)
                history.customers[ident] = [Held(customer, now)]
            elif kind == "b":
                entry = BlacklistEntry(id=ident, source=source, added_at=d.read_ts(t1), phone=ph, customer_id=cid, reason=reason,
                                       expires_at=d.read_ts(t2))
                _index_blacklist(history, Held(entry, entry.added_at))
            elif kind == "m":
                _index_mute(history, Held(Mute(id=ident, customer_id=cid, starts_at=d.read_ts(t1), ends_at=d.read_ts(t2), reason=reason,
                                               phone=ph), now))
            elif kind == "k":
                channels, types, expires, via, version, withdrawn_on, expires_on, given_on = json.loads(reason)
                _index_consent(history, Held(Consent(id=ident, source=source, given_at=d.read_ts(t1), phone=ph, customer_id=cid,
                                                     channels=frozenset(channels or ()), product_types=frozenset(types or ()),
                                                     expires_at=_json_ts(expires), withdrawn_at=d.read_ts(t2), withdrawn_via=via,
                                                     text_version=version, withdrawn_on=_day(withdrawn_on),
                                                     expires_on=_day(expires_on), given_on=_day(given_on)), now))
            else:
                _index_deferral(history, Held(Deferral(id=ident, not_before=d.read_ts(t1), phone=ph, customer_id=cid), now))
        history.sort_attempts()
        return generation

    # --- list and as of: many numbers, set-based --------------------------------------------------

    def load_many(self, cur: Any, history: History, numbers: Sequence[str], customer_ids: Iterable[str] = (), *,
                  alive: bool, since: datetime | None = None, now: datetime | None = None, basis: str = KNOWN_THEN) -> History:
        """The rows of many numbers, their owners and `customer_ids` into `history`: current rows with
        the attempts after `since` (`alive`, the scrub at `now`), or the whole history (the audit).

        The whole history is read on one of two time axes (`basis`): `known_then`, each row held from
        when the guard recorded it; `known_now`, from when it took effect as the store now knows it
        (a blacklist entry's `added_at`, a mute's start, a deferral's outcome time, a risk
        assessment's date): see `guard.core.history.effective_start`."""
        d, sql = self.d, self._bulk[alive]
        params: dict[str, Any] = {"numbers": d.array(numbers), "now": d.ts(now)}
        for phone, cid, start, end in d.run(cur, sql["owners"], params):
            history.add(history.owners, phone, Held(cid, d.read_ts(start), d.read_ts(end)))
        cids = sorted(set(customer_ids) | {h.value for rows in history.owners.values() for h in rows})
        params["cids"] = d.array(cids)
        shared = _Shared(d)
        for cid, phones, level, assessed, tags, windows, tz, state, start, end in d.run(cur, sql["customers"], params):
            customer = _customer(cid, d.read_json(phones), level, d.read_ts(assessed), shared.tags(tags), shared.windows(windows), tz,
                                 state)
            history.add(history.customers, cid, Held(customer, d.read_ts(start), d.read_ts(end)))
        if basis == KNOWN_NOW:
            for cid, versions in history.customers.items():
                history.customers[cid] = assessed_versions(versions)
        params["phones"] = d.array(sorted(set(numbers) | {p for rows in history.customers.values() for h in rows for p in h.value.phones}))
        for ident, source, reason, phone, cid, added, expires, removed, recorded in d.run(cur, sql["blacklist"], params):
            entry = BlacklistEntry(id=ident, source=source, added_at=d.read_ts(added), phone=phone, customer_id=cid, reason=reason,
                                   expires_at=d.read_ts(expires))
            start = effective_start(basis, d.read_ts(recorded) or entry.added_at, entry.added_at)
            _index_blacklist(history, Held(entry, start, d.read_ts(removed)))
        for ident, reason, phone, cid, starts, ends, created, lifted in d.run(cur, sql["mutes"], params):
            mute = Mute(id=ident, customer_id=cid, starts_at=d.read_ts(starts), ends_at=d.read_ts(ends), reason=reason, phone=phone)
            _index_mute(history, Held(mute, effective_start(basis, d.read_ts(created), mute.starts_at), d.read_ts(lifted)))
        for ident, phone, cid, not_before, created, cancelled, effective in d.run(cur, sql["deferrals"], params):
            recorded = d.read_ts(created)
            _index_deferral(history, Held(Deferral(id=ident, not_before=d.read_ts(not_before), phone=phone, customer_id=cid),
                                          effective_start(basis, recorded, d.read_ts(effective) or recorded), d.read_ts(cancelled)))
        self._load_consents(cur, history, sql["consents"], params, basis)
        if since is not None:
            params["since"] = d.ts(since)
            for kind, key, at, disposition in d.run(cur, sql["attempts"], params):
                index = history.attempts_by_phone if kind == "n" else history.attempts_by_customer
                history.add(index, key, Attempt(at=d.read_ts(at), disposition=disposition))
            history.sort_attempts()
        return history

    def _load_consents(self, cur: Any, history: History, sql: str, params: dict[str, Any], basis: str) -> None:
        """Consent versions: on `known_then` each held while the guard held it; on `known_now` only each
        consent's newest version, held from when the consent was given (or first recorded, if earlier)."""
        d = self.d
        versions: dict[str, list[tuple[Consent, datetime, datetime | None]]] = {}
        for (cid_, source, phone, cid, channels, types, given, expires, withdrawn, via, version, start,
             end, withdrawn_on, expires_on, given_on) in d.run(cur, sql, params):
            consent = Consent(id=cid_, source=source, given_at=d.read_ts(given), phone=phone, customer_id=cid,
                              channels=frozenset(d.read_json(channels) or ()), product_types=frozenset(d.read_json(types) or ()),
                              expires_at=d.read_ts(expires), withdrawn_at=d.read_ts(withdrawn), withdrawn_via=via, text_version=version,
                              withdrawn_on=_day(withdrawn_on), expires_on=_day(expires_on), given_on=_day(given_on))
            versions.setdefault(cid_, []).append((consent, d.read_ts(start), d.read_ts(end)))  # type: ignore[arg-type]
        for rows in versions.values():
            if basis == KNOWN_NOW:
                rows.sort(key=lambda r: r[1])
                newest = rows[-1][0]
                _index_consent(history, Held(newest, min(rows[0][1], newest.given_at)))
            else:
                for consent, start, end in rows:
                    _index_consent(history, Held(consent, start, end))

    # --- the decision ------------------------------------------------------------------------------

    def record_decision(self, cur: Any, row: dict[str, Any], attempt: bool, other_customer_id: str | None = None,
                        commit: bool = False, also: Callable[[Any], None] | None = None) -> None:
        """Insert the decision and, when `attempt`, the attempt the caps count (naming the call's customers);
        then `also` (more statements of the same transaction, given a cursor: an idempotency key's row).
        `commit` (PostgreSQL): commit the transaction too, in the same round trip as the insert
        (pipeline mode); the transaction's own commit then has nothing left to do."""
        if commit and not self.sqlite:
            conn = cur.connection
            with conn.pipeline():
                self.record_decision(conn.cursor(), row, attempt, other_customer_id, also=also)
                conn.commit()
            return
        self._insert_decision_row(cur, row, attempt, other_customer_id)
        if also is not None:
            also(cur)

    def release_locks(self, cur: Any) -> None:
        """End the check's transaction before its decision is written (PostgreSQL), when that decision records nothing
        its locks guard (no attempt for the caps, no key's row): the next check of the same number or customer then
        waits neither for this one's answer to be built nor for its commit's WAL flush. The transaction wrote nothing,
        so its COMMIT waits for no disk; the decision is then inserted and committed in a transaction of its own
        (`record_decision`). SQLite: nothing (its write transaction is the lock, and taking it again costs more)."""
        if self.pipelined:
            cur.connection.commit()

    def _insert_decision_row(self, cur: Any, row: dict[str, Any], attempt: bool, other_customer_id: str | None) -> None:
        d = self.d
        params = dict(row)
        for col in ("evaluated_at", "at", "next_allowed_at"):
            params[col] = d.ts(params[col])
        for col in ("reasons", "request", "facts"):
            params[col] = json.dumps(params[col], ensure_ascii=False, separators=(",", ":"))
        params["other_customer_id"] = other_customer_id
        params.setdefault("schema_version", None)
        if attempt and self._insert_decision_and_attempt is not None:
            cur.execute(self._insert_decision_and_attempt, params)
            return
        cur.execute(self._insert_decision, {k: params[k] for k in _DECISION_COLUMNS})
        if attempt:
            cur.execute(self._insert_attempt, {"decision_id": row["id"], "phone_e164": row["phone_e164"], "customer_id": row["customer_id"],
                                               "other_customer_id": other_customer_id, "at": params["at"]})


def _customer(cid: str, phones: Any, level: str | None, assessed: datetime | None, tags: frozenset, windows: tuple, tz: str | None,
              state: str | None) -> CustomerFacts:
    """A customer's facts from its stored columns (`phones` decoded; `tags` and `windows` already parsed)."""
    return CustomerFacts(id=cid, phones=tuple(phones or ()), risk_level=level, risk_assessed_at=assessed, tags=tags,
                         windows=windows, timezone=tz, state=state)


def _parse_windows(windows: Any) -> tuple:
    """A customer's stored windows (decoded JSON: a list of {days, from, to}, or null) parsed."""
    return tuple(parse_window(w) for w in windows or ())


class _Shared:
    """Bulk reads: many customers hold the same tags and windows (often none). Each distinct stored
    value is decoded and parsed once per read and its immutable result shared, instead of once per
    customer (a list scrub or an audit reads tens of thousands of customers)."""

    def __init__(self, d: Dialect) -> None:
        self.d = d
        self._tags: dict[Any, frozenset] = {}
        self._windows: dict[Any, tuple] = {}

    @staticmethod
    def _key(raw: Any) -> Any:
        # SQLite hands back the JSON text; PostgreSQL the decoded value (a list: not hashable)
        return raw if raw is None or isinstance(raw, str) else json.dumps(raw, sort_keys=True)

    def tags(self, raw: Any) -> frozenset:
        key = self._key(raw)
        out = self._tags.get(key)
        if out is None:
            out = self._tags[key] = frozenset(self.d.read_json(raw) or ())
        return out

    def windows(self, raw: Any) -> tuple:
        key = self._key(raw)
        out = self._windows.get(key)
        if out is None:
            out = self._windows[key] = _parse_windows(self.d.read_json(raw))
        return out


def _index_blacklist(history: History, held: Held[BlacklistEntry]) -> None:
    entry = held.value
    if entry.phone is not None:
        history.add(history.blacklist_by_phone, entry.phone, held)
    else:
        history.add(history.blacklist_by_customer, entry.customer_id, held)


def _index_mute(history: History, held: Held[Mute]) -> None:
    history.add(history.mutes_by_customer, held.value.customer_id, held)
    history.add(history.mutes_by_phone, held.value.phone, held)


def _day(value: Any) -> date | None:
    """A DATE column as read (SQLite: its ISO text; PostgreSQL: a date), or as a JSON array holds it (ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _json_ts(value: str | None) -> datetime | None:
    """An instant read back from a JSON array (SQLite: naive UTC text; PostgreSQL: ISO 8601 with an offset)."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _index_consent(history: History, held: Held[Consent]) -> None:
    if held.value.phone is not None:
        history.add(history.consents_by_phone, held.value.phone, held)
    else:
        history.add(history.consents_by_customer, held.value.customer_id, held)


def _index_deferral(history: History, held: Held[Deferral]) -> None:
    history.add(history.deferrals_by_customer, held.value.customer_id, held)
    history.add(history.deferrals_by_phone, held.value.phone, held)

"""GET /healthz (process up), /readyz (store reachable, packs loaded), /openapi.json. No key needed."""

from __future__ import annotations

import logging

import os

from flask import Blueprint, Response

from guard.core.pack import missing_notices
from guard.core.registry_age import stale_registries
from guard.core.vocabularies import as_json
from guard.http.api import endpoint, openapi_document
from guard.http.common import answer, runtime
from guard.http.errors import ApiError, store_details, store_message
from guard.http.schemas import Health, MeOut
from guard.services.ops.keys import ROLES, Principal, key_label
from guard.services.suppression.blacklist_import import last_registry_imports
from guard.store.db import StoreUnavailable
from guard.core.messages import said

log = logging.getLogger(__name__)
bp = Blueprint("meta", __name__)
VERSION = "0.1.0"


@endpoint(bp, "GET", "/healthz", summary="The process is up", roles=None, response=Health)
def healthz():
    return answer({"status": "ok"})


@endpoint(bp, "GET", "/readyz", summary="The store answers and a version of the default pack is in effect; 503 otherwise",
          description="A store that answers but cannot record (read-only: a standby after failover, or "
                      "`default_transaction_read_only` on) is not ready: every check would answer 503. A 503 names the "
                      "failure in `details.fault` (read_only, connection, not_migrated, …) and `details.sqlstate`. "
                      "`detail` names the pack versions this process serves, the last `guard policies reload` it has "
                      "acted on, and its pid: behind a load balancer, repeated calls show whether every process has "
                      "picked up a reload. `detail.holiday_notices_missing` lists each year a pack will judge by China's "
                      "calendar without that year's official holiday notice (this year, and the next from November 1st): "
                      "a warning, not unreadiness. `detail.registry_lists_stale` lists each pack in effect whose country's "
                      "rules allow calls only against a registry list obtained within 31 days (US: 16 CFR 310.4(b)(3)(iv), "
                      "47 CFR 64.1200(c)(2)(i)(D)) when the last list imported with source `registry` for its region is older, "
                      "or none was ({pack, version, region, last_imported_at, days, message}): a warning too. "
                      "`detail.refused` lists the pack files refused at this process's start or "
                      "at the last reload it took up ({source, issue}): each serves its last good content, so the process is "
                      "ready, but the edit did not take effect (also `guard_policy_file_refused` on /metrics).",
          roles=None, response=Health)
def readyz():
    rt = runtime()
    try:
        rt.store.ping()
    except StoreUnavailable as exc:
        # Unauthenticated: the driver's text (host, port, database) goes to the log, not to the caller.
        log.error("readyz: store unavailable: %s", exc)
        # Which failure it is (read-only after a failover, refused, not migrated …), as every 503 of the store says it.
        message = "error.store_not_ready" if exc.kind == "unavailable" else store_message(exc)
        raise ApiError(503, "STORE_UNAVAILABLE", said(message), store_details(exc)) from None
    packs = rt.packs()
    if rt.settings.default_pack not in packs.timelines:
        raise ApiError(503, "NO_POLICY", said("error.default_pack_invalid", pack=repr(rt.settings.default_pack)))
    now = rt.clock()
    if packs.at(rt.settings.default_pack, now) is None:  # loaded, but no version in effect now: every check is NO_POLICY
        raise ApiError(503, "NO_POLICY", said("error.default_pack_not_now", pack=repr(rt.settings.default_pack), at=now.isoformat()))
    stale = stale_registries(packs, last_registry_imports(rt.store), now)
    return answer({"status": "ready", "detail": {"packs": {i: [p.version for p in t.versions] for i, t in packs.timelines.items()},
                                                 "reload": rt.reload_seen, "pid": os.getpid(), "refused": rt.refused,
                                                 "holiday_notices_missing": [g.to_dict() for g in missing_notices(packs, rt.clock())],
                                                 "registry_lists_stale": [g.to_dict() for g in stale]}})


@endpoint(bp, "GET", "/openapi.json", summary="This document", roles=None,
          response_content={"application/json": {"schema": {"type": "object", "required": ["openapi", "info", "paths"]}}})
def openapi():
    return answer(openapi_document(VERSION))


@endpoint(bp, "GET", "/v1/meta/vocabularies", summary="Every vocabulary (codes with their Chinese and English labels and meaning)",
          description="The one registry behind the request schemas, the CLI, the packs and the console (guard/core/vocabularies.py, "
                      "docs/vocabularies.md), and the reason codes (docs/reasons.md). Each term's `also` lists the other names an import "
                      "reads as its code (the short forms banks' exports write: 手机银行, 网银). Needs no key: it holds no data.",
          roles=None, response_content={"application/json": {"schema": {"type": "object"}}})
def vocabularies():
    response = answer(as_json())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@endpoint(bp, "GET", "/v1/me", summary="The caller (an API key, or the signed-in person): id, label, roles (for a console to show only what it allows)",
          roles=tuple(r for r in ROLES if r != "admin"), response=MeOut)
def me(principal: Principal):
    can = sorted(r for r in ROLES if principal.has(r))
    label = principal.name if principal.person else key_label(runtime().store, principal.key_id or "")
    return answer({"key_id": principal.key_id, "label": label, "actor": principal.actor,
                   "roles": sorted(principal.roles), "can": can})


@endpoint(bp, "GET", "/metrics", summary="Prometheus metrics (all workers): checks by result and reason, latency, store errors, scheduler runs",
          roles=None, response_content={"text/plain": {"schema": {"type": "string"}}})
def metrics():
    from guard import metrics as m

    rt = runtime()
    body, content_type = m.render(rt.store, missing_notices(rt.packs(), rt.clock()), rt.refused)
    return Response(body, content_type=content_type)

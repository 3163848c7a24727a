"""HTTP: one blueprint per resource; handlers parse, call one service, serialise.

Importing this package imports every resource module, so the endpoint registry
(`guard.http.api.ENDPOINTS`) is complete as soon as `guard.http` is imported.
"""

from __future__ import annotations

from flask import Flask

from guard.http import (
    audits, auth, blacklist, body, catalog, check, complaints, consents, console, customers, decisions, errors, meta, outcomes, review, scripts,
    simulations, stats,
)

BLUEPRINTS = (meta.bp, auth.bp, check.bp, outcomes.bp, customers.bp, catalog.bp, decisions.bp, blacklist.bp, complaints.bp, scripts.bp, review.bp,
              audits.bp, simulations.bp, stats.bp, consents.bp, console.bp)


def register(app: Flask) -> None:
    errors.register(app)
    app.before_request(body.refuse_content_coding)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)

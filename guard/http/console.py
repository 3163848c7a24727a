"""The operations console, `/console`: one page for operators, auditors and reviewers, on the JSON API.

Static files only (guard/http/pages/console.*): the page signs in with an API key kept in the
browser tab (sessionStorage), asks `GET /v1/me` what the key may do, and calls the same endpoints
any client would. Nothing is fetched from outside the guard, so it works on a closed network.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, redirect

from guard.http.api import endpoint
from guard.http.common import not_found

bp = Blueprint("console", __name__)
PAGES = Path(__file__).parent / "pages"
ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
# Scripts only from the guard (no inline script, no eval); inline styles are allowed so that the
# audit report, opened from a blob: URL created here, keeps its own styling.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
       "img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _static(name: str, mimetype: str) -> Response:
    response = Response((PAGES / name).read_bytes(), mimetype=mimetype)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache"
    return response


@endpoint(bp, "GET", "/console", summary="The operations console (HTML): decisions, customers, complaints, audits, dashboard",
          roles=None, response_content={"text/html": {"schema": {"type": "string"}}})
def console_page():
    response = _static("console.html", "text/html")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@endpoint(bp, "GET", "/console/{asset}", summary="The console's script and style sheet", roles=None,
          response_content={"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}},
          extra_responses={404: "no such asset"})
def console_asset(asset: str):
    if asset not in ASSETS:
        raise not_found("console asset", asset)
    return _static(asset, ASSETS[asset])


@endpoint(bp, "GET", "/", summary="Redirects to the console", roles=None, status=302)
def root():
    return redirect("/console", code=302)

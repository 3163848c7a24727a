"""The operations console, `/console`: one page for operators, auditors and reviewers, on the JSON API.

Static files only: guard/http/pages/console.html and console.css, and the native ES modules under
pages/console/ (main.js and what it imports; no build step). The page signs in with an API key kept
in the browser tab (sessionStorage), asks `GET /v1/me` what the key may do, takes every label from
`GET /v1/meta/vocabularies`, and calls the same endpoints any client would. Nothing is fetched from
outside the guard, so it works on a closed network.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, redirect

from guard.http.api import endpoint
from guard.http.common import not_found

bp = Blueprint("console", __name__)
PAGES = Path(__file__).parent / "pages"
MODULES = PAGES / "console"  # the page's ES modules: main.js and its imports; pages/ holds one module per page


def _assets() -> dict[str, tuple[Path, str]]:
    """What `/console/<name>` may serve, fixed at import: the style sheet and the modules on disk now."""
    assets = {"console.css": (PAGES / "console.css", "text/css")}
    for path in sorted([*MODULES.glob("*.js"), *(MODULES / "pages").glob("*.js")]):
        if path.is_file():
            assets[path.relative_to(MODULES).as_posix()] = (path, "text/javascript")
    return assets


ASSETS = _assets()
# Scripts only from the guard (no inline script, no eval); inline styles are allowed so that the
# audit report, opened from a blob: URL created here, keeps its own styling.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
       "img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
ASSET_CONTENT = {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}


def _static(path: Path, mimetype: str) -> Response:
    response = Response(path.read_bytes(), mimetype=mimetype)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-cache"
    return response


def _asset(name: str) -> Response:
    # Only names in the allow-list: a path built from the URL is never opened.
    if name not in ASSETS:
        raise not_found("console asset", name)
    return _static(*ASSETS[name])


@endpoint(bp, "GET", "/console", summary="The operations console (HTML): decisions, customers, complaints, audits, dashboard",
          roles=None, response_content={"text/html": {"schema": {"type": "string"}}})
def console_page():
    response = _static(PAGES / "console.html", "text/html")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@endpoint(bp, "GET", "/console/{asset}", summary="The console's style sheet and its ES modules (main.js and what it imports)",
          roles=None, response_content=ASSET_CONTENT, extra_responses={404: "no such asset"})
def console_asset(asset: str):
    return _asset(asset)


@endpoint(bp, "GET", "/console/pages/{asset}", summary="The console's page modules (one ES module per page)",
          roles=None, response_content=ASSET_CONTENT, extra_responses={404: "no such asset"})
def console_page_module(asset: str):
    return _asset("pages/" + asset)


@endpoint(bp, "GET", "/", summary="Redirects to the console", roles=None, status=302)
def root():
    return redirect("/console", code=302)

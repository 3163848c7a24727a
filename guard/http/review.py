"""The reviewer's page, `/review`: paste or upload a script, see every finding highlighted in place.

A static page (HTML, CSS and JavaScript in guard/http/pages/review.html); it calls
`POST /v1/scripts/lint` with the reviewer's key, which is typed once and kept for the browser tab
(sessionStorage), never sent anywhere else.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response

from guard.http.api import endpoint

bp = Blueprint("review", __name__)
PAGE = Path(__file__).parent / "pages" / "review.html"


@endpoint(bp, "GET", "/review", summary="The script reviewer's page (HTML)", roles=None,
          response_content={"text/html": {"schema": {"type": "string"}}})
def review_page():
    response = Response(PAGE.read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:"
    )
    response.headers["Cache-Control"] = "no-store"
    return response

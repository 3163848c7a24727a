"""The reviewer's page, `/review`: paste or upload a script, see every finding highlighted in place.

A static page (HTML, CSS and JavaScript in guard/http/pages/review.html); it calls
`POST /v1/scripts/lint` with the reviewer's key, which is typed once and kept for the browser tab
(sessionStorage), never sent anywhere else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from pathlib import Path

from flask import Blueprint, Response

from guard.http.api import endpoint

bp = Blueprint("review", __name__)
PAGE = Path(__file__).parent / "pages" / "review.html"


@lru_cache(maxsize=1)
def _script_hashes() -> str:
    """The page's inline scripts, allowed by their SHA-256 (no 'unsafe-inline': an injected script does not run)."""
    scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", PAGE.read_text(encoding="utf-8"), re.S)
    return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'" for body in scripts)


@endpoint(bp, "GET", "/review", summary="The script reviewer's page (HTML)", roles=None,
          response_content={"text/html": {"schema": {"type": "string"}}})
def review_page():
    response = Response(PAGE.read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'self' {_script_hashes()}; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"  # as the console: no other site may frame it
    )
    response.headers["Cache-Control"] = "no-store"
    return response

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

from guard.core.i18n import to_traditional
from guard.http.api import endpoint
from guard.http.common import preferred_chinese

bp = Blueprint("review", __name__)
PAGE = Path(__file__).parent / "pages" / "review.html"


@lru_cache(maxsize=2)
def _page(chinese: str) -> tuple[bytes, str]:
    """The page with its Chinese in `chinese` (zh-CN as written, zh-TW OpenCC's conversion, as the console's words), and
    its inline scripts' SHA-256 (allowed by them, no 'unsafe-inline': an injected script does not run)."""
    text = PAGE.read_text(encoding="utf-8")
    if chinese == "zh-TW":
        text = to_traditional(text).replace('<html lang="zh-CN">', '<html lang="zh-TW">', 1)
    scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", text, re.S)
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'" for body in scripts)
    return text.encode("utf-8"), hashes


@endpoint(bp, "GET", "/review", summary="The script reviewer's page (HTML)", roles=None,
          response_content={"text/html": {"schema": {"type": "string"}}},
          description="Its Chinese is the first of `Accept-Language` by weight (RFC 9110 §12.5.4): traditional for zh-TW, "
                      "zh-HK, zh-MO, zh-Hant…, else simplified; answered with `Content-Language` and `Vary: Accept-Language`.")
def review_page():
    chinese = preferred_chinese("zh-CN")
    body, hashes = _page(chinese)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"  # as the console: no other site may frame it
    )
    response.headers["Content-Language"] = f"{chinese}, en"
    response.vary.add("Accept-Language")
    response.headers["Cache-Control"] = "no-store"
    return response

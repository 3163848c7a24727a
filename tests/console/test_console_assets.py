"""The console's static files: every ES module the page imports is served as JavaScript under the
strict CSP, nothing else is, and no module keeps its own copy of a vocabulary the API serves."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from guard.core.vocabularies import as_json

PAGES = Path(__file__).resolve().parents[2] / "guard" / "http" / "pages"
MODULES = PAGES / "console"
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']""", re.M | re.S)


def imported(source: str) -> list[str]:
    return [a or b for a, b in IMPORT.findall(source)]


def served_modules(client) -> dict[str, str]:
    """Every module reached from /console/main.js through its static imports: URL path -> source."""
    seen: dict[str, str] = {}
    todo = ["/console/main.js"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.mimetype == "text/javascript", url
        assert r.headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self';"), url
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Cache-Control"] == "no-cache", url
        seen[url] = r.get_data(as_text=True)
        for spec in imported(seen[url]):
            assert spec.startswith(("./", "../")) and spec.endswith(".js"), f"{url} imports {spec}: only relative .js modules"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(url), spec))
            assert target.startswith("/console/"), f"{url} imports {spec} from outside the console"
            todo.append(target)
    return seen


def test_the_page_loads_main_js_as_a_module_and_nothing_inline(client):
    r = client.get("/console")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script type="module" src="/console/main.js">']
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None  # no inline script
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handler
    csp = r.headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    css = client.get("/console/console.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and css.headers["Content-Security-Policy"] == csp


def test_every_module_the_page_imports_is_served_as_javascript_with_the_csp(client):
    served = served_modules(client)
    assert {"/console/main.js", "/console/api.js", "/console/i18n.js", "/console/dom.js", "/console/time.js",
            "/console/vocab.js", "/console/pages/lookup.js", "/console/pages/customer.js", "/console/pages/complaints.js",
            "/console/pages/audits.js", "/console/pages/dashboard.js"} <= set(served)
    # Each served module is the file on disk, and every file on disk is used by the page.
    on_disk = {"/console/" + p.relative_to(MODULES).as_posix(): p.read_text(encoding="utf-8") for p in MODULES.rglob("*.js")}
    assert served == on_disk
    for url, source in served.items():
        assert "eval(" not in source and "new Function" not in source, url


@pytest.mark.parametrize("path", [
    "/console/../app.py", "/console/..%2Fapp.py", "/console/%2e%2e/app.py", "/console/pages/../../app.py",
    "/console/pages/..%2F..%2Fconsole.py", "/console/pages/..%2Fmain.js", "/console/nope.js", "/console/pages/nope.js",
    "/console/console.js", "/console/console.html", "/console/review.html", "/console/pages/main.js", "/console/main.js/",
    "/console/pages/", "/console/pages/sub/x.js", "/console/Main.js", "/console/main.js.bak",
])
def test_anything_else_under_console_is_not_found(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert r.mimetype == "application/json"


def test_the_module_routes_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json["paths"]
    for path in ("/console/{asset}", "/console/pages/{asset}"):
        ok = paths[path]["get"]["responses"]["200"]["content"]
        assert set(ok) == {"text/javascript", "text/css"} and "404" in paths[path]["get"]["responses"]


# --- no copy of a vocabulary in the page ------------------------------------------------------------

CHECKED = ("blacklist_sources", "complaint_statuses", "deadline_kinds", "trail_actions", "reason_codes")
# UI words spelled like a vocabulary label in Chinese but not that label (their English differs):
# a heading or a button of i18n.js, named with its key. Only exactly these entries are let through.
HOMONYMS = {
    "cust.complaints": "投诉",  # heading of a customer's complaints (not the blacklist source `complaint`)
    "act.blacklist": "加入黑名单",  # the button (not the trail action `blacklist_added`, "blacklisted")
    "act.complaint": "记录投诉",  # the button (not the trail action `complaint_filed`, "complaint recorded")
    "cust.mute": "静音营销",  # heading of the mute state (not the trail action `muted`)
    "cust.deferrals": "暂缓呼叫",  # heading of the deferrals (not the trail action `deferred`)
    # the complaint queue's step buttons, an action (English: Respond, Escalate, Resolve), not the deadline kinds
    "ev.do.first_response": "首次响应", "ev.do.escalated": "升级", "ev.do.resolved": "办结", "ev.do.callback": "满意度回访",
}


def string_literals(source: str) -> list[str]:
    """The contents of the '…', "…" and `…` literals of a JS source, comments skipped. Enough for the
    console's own code (no regular expression literal there holds a quote or `//`)."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "'\"`":
            j, text = i + 1, []
            while source[j] != c:
                if source[j] == "\\":
                    text.append(source[j:j + 2])
                    j += 2
                else:
                    text.append(source[j])
                    j += 1
            out.append("".join(text))
            i = j + 1
        else:
            i += 1
    return out


def test_the_literal_scanner_finds_strings_and_skips_comments():
    src = 'const a = "x"; // "not this"\n/* "nor this" */ const b = `y ${a}`; const c = \'z\\\'s\';'
    assert string_literals(src) == ["x", "y ${a}", "z\\'s"]


def test_no_module_holds_a_copy_of_a_vocabulary_served_by_the_api():
    vocabularies = as_json()
    labels: dict[str, str] = {}
    for name in CHECKED:
        for term in vocabularies[name]["terms"]:
            for key in ("zh", "message_zh"):
                if term.get(key):
                    labels[term[key]] = f"{name}.{term['code']}"
    found = []
    for path in sorted(PAGES.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        if path == MODULES / "i18n.js":
            for key, word in HOMONYMS.items():
                source = source.replace(f'"{key}": "{word}"', f'"{key}": ""')
        for literal in string_literals(source):
            if literal.strip() in labels:
                found.append(f"{path.relative_to(PAGES)}: {literal.strip()!r} is {labels[literal.strip()]}")
    assert found == []


def test_the_scan_does_catch_a_copied_label():
    copy = 'const SOURCES = { customer_request: "客户要求", registry: "外部登记名单" };'
    zh = {t["zh"] for t in as_json()["blacklist_sources"]["terms"]}
    assert [x for x in string_literals(copy) if x in zh] == ["客户要求", "外部登记名单"]


def test_the_vocabularies_the_page_fetches_need_no_key(client):
    r = client.get("/v1/meta/vocabularies")
    assert r.status_code == 200 and r.json == as_json()
    assert "/v1/meta/vocabularies" in (MODULES / "vocab.js").read_text(encoding="utf-8")

"""Every error a client of the HTTP API or a person at the console can receive reads in their language.

`error.messages` holds the error in zh-CN, zh-TW and en. A message raised as plain English text reaches a Chinese
reader as English wrapped in a Chinese title ("请求有误（字段：campaign）：campaign 'wm-2026Q4' is not configured");
one made with `guard.core.messages.said` from a registered template reads wholly in the language, while `message`
and the English stay byte for byte what clients have always read.

The sweep below finds every raise site in guard/ whose message is English written in place (a string literal or an
f-string) instead of a registered template, and holds their number per file to what is listed: a new raw English
error fails it, and a file whose sites are translated must shrink its count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "guard"

# The argument positions that carry the text a person reads, by the error's constructor.
_TEXT_ARGS = {"ApiError": (2,), "bad_request": (0,), "InvalidField": (1, 2), "ClockSkew": (1,), "LogError": (0,)}
_ERRORS = {"GuardError", "NotFound", "not_found", "Conflict", "Stale", "InvalidField", "TooLarge", "ApiError", "bad_request", "ClockSkew",
           "NoPolicy", "InstantNotCovered", "Refused", "SameReviewer", "UnknownPack", "TypeNotSold", "UnknownCampaign",
           "NoSuchFinding", "SignInFailed", "SignInLocked", "AccountDisabled", "AccountError", "DirectoryUnavailable", "NoRole",
           "LogError", "DraftInvalid"}

# Raise sites whose message is still English written in place, per file. Translate a site (a template in
# guard/core/messages.py, raised with `said(...)`) and lower its file's count here.
ENGLISH_ONLY: dict[str, int] = {
    # the `guard users` command's refusals (a terminal, in English)
    "guard/services/ops/accounts.py": 6,
    # a draft pack's problems are the pack validator's (file, key path and reason, in English)
    "guard/services/whatif/__init__.py": 1,
}


def _is_english_text(node: ast.AST, assigned: dict[str, ast.AST]) -> bool:
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isascii() and c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _is_english_text(node.left, assigned) or _is_english_text(node.right, assigned)
    return False


def _callee(call: ast.Call, cls: ast.ClassDef | None) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call) \
            and isinstance(f.value.func, ast.Name) and f.value.func.id == "super" and cls is not None:
        bases = [b.id for b in cls.bases if isinstance(b, ast.Name)]
        return next((b for b in bases if b in _ERRORS), None)
    return None


def english_raise_sites() -> dict[str, list[int]]:
    """{file: [line, …]} of every error constructed with English written in place."""
    from guard.core.messages import NOT_FOUND_THINGS

    found: dict[str, list[int]] = {}
    for path in sorted([*GUARD.rglob("*.py"), *(ROOT / "blacklist").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(ROOT))

        def visit(node: ast.AST, cls: ast.ClassDef | None, assigned: dict[str, ast.AST]) -> None:
            if isinstance(node, ast.ClassDef):
                cls = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assigned = {t.id: n.value for n in ast.walk(node) if isinstance(n, ast.Assign)
                            for t in n.targets if isinstance(t, ast.Name)}
            if isinstance(node, ast.Call):
                name = _callee(node, cls)
                if name in ("NotFound", "not_found"):
                    # what is not found: a noun the 404 names in each language (NOT_FOUND_THINGS)
                    what = node.args[0] if node.args else None
                    if isinstance(what, ast.Constant) and what.value not in NOT_FOUND_THINGS:
                        found.setdefault(rel, []).append(node.lineno)
                elif name in _ERRORS:
                    positions = _TEXT_ARGS.get(name, (0,))
                    args = [node.args[i] for i in positions if i < len(node.args)]
                    args += [k.value for k in node.keywords if k.arg in ("message", "reason")]
                    if any(_is_english_text(a, assigned) for a in args):
                        found.setdefault(rel, []).append(node.lineno)
            for child in ast.iter_child_nodes(node):
                visit(child, cls, assigned)

        visit(tree, None, {})
    return found


def test_every_error_raised_in_guard_is_said_from_a_registered_template_but_the_listed_ones():
    counts = {path: len(lines) for path, lines in english_raise_sites().items()}
    assert counts == ENGLISH_ONLY, {p: english_raise_sites().get(p) for p in set(counts) | set(ENGLISH_ONLY)
                                    if counts.get(p) != ENGLISH_ONLY.get(p)}


def test_the_sweep_finds_english_written_in_place_and_lets_a_template_through():
    source = '''
def f(x):
    reason = f"{x!r} is not configured"
    raise InvalidField("campaign", reason)
def g(x):
    raise NotFound("script", x)
def h(x):
    raise bad_request(said("error.one_of_phone_customer"), "phone")
def k(x):
    raise ApiError(409, "CONFLICT", f"Audit {x} is running")
'''
    tree = ast.parse(source)
    hits = []
    for fn in tree.body:
        assigned = {t.id: n.value for n in ast.walk(fn) if isinstance(n, ast.Assign) for t in n.targets}
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and _callee(n, None) in _ERRORS):
            name = _callee(call, None)
            if name == "NotFound":
                continue
            args = [call.args[i] for i in _TEXT_ARGS.get(name, (0,)) if i < len(call.args)]
            if any(_is_english_text(a, assigned) for a in args):
                hits.append(fn.name)
    assert hits == ["f", "k"]


# An English sentence inside a Chinese text: two English words in a row, outside quotes ('wm-2026Q4', `file`).
_ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,})+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|“[^”]*”")


def english_in(text: str) -> list[str]:
    return _ENGLISH_RUN.findall(_QUOTED.sub("", text))


@pytest.fixture
def client(sqlite_url, tmp_path):
    from app import create_app
    from tests.conftest import new_key

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING",
                      "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_DATA_DIR": str(tmp_path / "data")})
    c = app.test_client()
    c.h = new_key(app, "dialer", "operator", "reviewer", "auditor")
    yield c
    app.extensions["guard"].store.dispose()


# (method, path, JSON body or raw text, status, code, the English `message` clients have always read)
CASES = [
    ("GET", "/v1/complaints/nope", None, 404, "NOT_FOUND", "No complaint 'nope'."),
    ("GET", "/v1/scripts/nope", None, 404, "NOT_FOUND", "No script 'nope'."),
    ("GET", "/v1/decisions/nope", None, 404, "NOT_FOUND", "No decision 'nope'."),
    ("POST", "/v1/check", {"campaign": 5}, 400, "INVALID_REQUEST", "phone: Field required"),
    ("POST", "/v1/check", {"phone": "1", "campaign": "x", "zz": 1}, 400, "INVALID_REQUEST", "zz: unknown field"),
    ("POST", "/v1/check", {"phone": "1", "campaign": "x", "purpose": "zz"}, 400, "INVALID_REQUEST",
     "purpose: Input should be 'marketing' or 'service'"),
    ("POST", "/v1/check", {"phone": "1", "campaign": "x", "at": "yesterday"}, 400, "INVALID_REQUEST",
     "at: must be an ISO 8601 date-time with a UTC offset, like 2026-11-23T10:15:00+08:00"),
    ("POST", "/v1/check", "{bad", 400, "INVALID_JSON",
     "The body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("POST", "/v1/check", '{"a": 1, "a": 2}', 400, "INVALID_JSON", "The body is not valid JSON: duplicate key 'a'"),
    ("POST", "/v1/check", "[1]", 400, "INVALID_REQUEST", "The body must be a JSON object."),
    ("POST", "/v1/blacklist", {"phone": "12", "source": "manual"}, 400, "INVALID_REQUEST",
     "phone: '12' is not a valid number (not a valid number for its country)"),
    ("POST", "/v1/blacklist", {"phone": "13800138000", "region": "ZZ", "source": "manual"}, 400, "INVALID_REQUEST",
     "region: 'ZZ' is not a known phone region (ISO 3166 code such as CN)"),
    ("GET", "/v1/decisions?phone=1&phone=2", None, 400, "INVALID_REQUEST", "phone: given more than once"),
    ("POST", "/v1/scripts", {"campaign": "wm-2026Q4", "text": "hi"}, 400, "INVALID_REQUEST",
     "campaign: campaign 'wm-2026Q4' is not configured (PUT /v1/campaigns/{id} or a pack's campaigns)"),
    ("POST", "/v1/scripts/lint", {"text": "hi", "product_type": "wealth", "pack": "nope"}, 400, "INVALID_REQUEST",
     "pack: 'nope' is not loaded (loaded: cn-bank, us-tcpa)"),
    ("POST", "/v1/scripts/lint", {"text": "\u3000，。", "product_type": "wealth"}, 400, "INVALID_REQUEST",
     "text: has nothing to lint: no letter or digit (empty, or only spaces, line breaks and punctuation)"),
    ("PUT", "/v1/customers/C9", {"phones": ["12"]}, 400, "INVALID_REQUEST",
     "phones[0]: '12' is not a valid number (not a valid number for its country)"),
    ("PUT", "/v1/customers/C9", {"windows": [{"days": "mon-fri", "from": "25:00", "to": "21:00"}]}, 400, "INVALID_REQUEST",
     "windows[0].from: '25:00' is not a time of day (HH:MM, 00:00-23:59)"),
    ("PUT", "/v1/customers/C9", {"windows": [{"days": "mon-fri", "from": "21:00", "to": "20:00"}]}, 400, "INVALID_REQUEST",
     "windows[0].to: '20:00' is not after from '21:00'; windows are [from, to) within one day (split one that crosses midnight in two)"),
    ("PUT", "/v1/customers/C9", {"timezone": "Mars/Base"}, 400, "INVALID_REQUEST",
     "timezone: 'Mars/Base' is not an IANA time zone (like Asia/Shanghai)"),
    ("POST", "/v1/consents", {"phone": "13800138000", "source": "app", "given_at": "2026-01-01T00:00:00+08:00",
                              "channels": ["phone"], "expires_at": "2025-01-01T00:00:00+08:00"}, 400, "INVALID_REQUEST",
     "expires_at: must be after given_at"),
    ("POST", "/v1/blacklist", {"phone": "13800138000", "source": "customer_request", "expires_at": "2030-01-01T00:00:00+08:00"},
     400, "INVALID_REQUEST", "expires_at: a customer_request entry (the customer's own refusal) is permanent; an admin removes it "
     "with a reason (DELETE /v1/blacklist/{phone})"),
    ("GET", "/v1/nope", None, 404, "NOT_FOUND",
     "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
    ("DELETE", "/v1/check", None, 405, "METHOD_NOT_ALLOWED", "The method is not allowed for the requested URL."),
    ("POST", "/v1/check", "{}", 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json, not 'text/plain'."),
    ("GET", "/v1/stats?date=2026-02-30", None, 400, "INVALID_REQUEST", "date: '2026-02-30' is not a calendar date (YYYY-MM-DD)"),
    ("GET", "/v1/decisions?phone=12", None, 400, "INVALID_REQUEST",
     "phone: '12' is not a valid number (not a valid number for its country)"),
    ("POST", "/v1/consents", {"phone": "13800138000", "source": "zz", "given_at": "2026-01-01T00:00:00+08:00",
                              "channels": ["phone"]}, 400, "INVALID_REQUEST",
     "source: Input should be 'branch_form', 'app', 'online_banking', 'credit_card_application', 'account_opening', "
     "'call_recording', 'partner_transfer', 'purchased_list' or 'other'"),
]


@pytest.mark.parametrize("method,path,body,status,code,english", CASES, ids=[f"{c[0]} {c[1]} {c[5][:30]}" for c in CASES])
def test_an_error_answer_reads_wholly_in_chinese_and_its_english_is_unchanged(client, method, path, body, status, code, english):
    kwargs = {"json": body} if not isinstance(body, str) and body is not None else \
        {"data": body, "content_type": "text/plain" if status == 415 else "application/json"} if body is not None else {}
    r = client.open(path, method=method, headers=client.h, **kwargs)
    assert r.status_code == status, r.json
    error = r.json["error"]
    assert (error["code"], error["message"]) == (code, english)
    assert error["messages"]["en"].endswith(": " + english)
    for lang in ("zh-CN", "zh-TW"):
        assert english_in(error["messages"][lang]) == [], error["messages"][lang]


def test_the_english_sentence_finder_finds_english_wrapped_in_chinese_and_passes_quoted_names():
    assert english_in("请求有误（字段：campaign）：campaign 'wm-2026Q4' is not configured") == ["is not configured"]
    assert english_in("不存在：No complaint 'nope'.") == ["No complaint"]
    assert english_in("请求有误（字段：file）：file：multipart 上传中没有 `file` 字段") == []


def _said_in_each_language(error: dict) -> None:
    for lang in ("zh-CN", "zh-TW"):
        assert english_in(error["messages"][lang]) == [], error["messages"][lang]
    assert error["messages"]["en"].endswith(": " + error["message"])


def test_a_complaint_event_refused_by_its_state_reads_wholly_in_chinese(client):
    created = client.post("/v1/complaints", json={"phone": "13800138000", "severity": "light", "category": "service", "text": "t"},
                          headers=client.h)
    assert created.status_code == 201, created.json
    events = f"/v1/complaints/{created.json['id']}/events"
    no_note = client.post(events, json={"type": "resolved"}, headers=client.h)
    assert no_note.status_code == 400
    assert no_note.json["error"]["message"] == "note: required to resolve a complaint: say how it was resolved"
    _said_in_each_language(no_note.json["error"])
    assert client.post(events, json={"type": "first_response"}, headers=client.h).status_code == 201
    again = client.post(events, json={"type": "first_response"}, headers=client.h)
    assert again.status_code == 409
    assert again.json["error"]["message"].startswith(f"complaint {created.json['id']} already had its first response at ")
    _said_in_each_language(again.json["error"])
    assert again.json["error"]["messages"]["zh-CN"].startswith(f"冲突：投诉 {created.json['id']} 已于 ")


def test_a_check_at_a_skewed_instant_names_the_bound_in_chinese(client):
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "at": "2020-01-01T00:00:00+08:00"},
                    headers=client.h)
    assert r.status_code == 400 and r.json["error"]["code"] == "CLOCK_SKEW"
    assert r.json["error"]["message"].startswith("at: 2020-01-01T00:00:00+08:00 is ")
    assert r.json["error"]["message"].endswith(" s from the server clock (more than 300 s); fix the dialer's clock, or send dry_run: "
                                               "true to ask about another time")
    _said_in_each_language(r.json["error"])


def test_a_refused_key_reads_why_in_chinese(client):
    from tests.conftest import new_key

    for headers, status, english in (
            ({}, 401, "Missing API key: send 'Authorization: Bearer <api key>' (or sign in to the console)."),
            ({"Authorization": "Bearer nope"}, 401, "Unknown or revoked API key."),
            (new_key(client.application, "reviewer"), 403, "This key lacks the role this endpoint needs (dialer).")):
        r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4"}, headers=headers)
        assert (r.status_code, r.json["error"]["message"]) == (status, english)
        _said_in_each_language(r.json["error"])


@pytest.mark.parametrize("log,english", [
    ("", "the log is empty"),
    ("call_id,phone,called_at,campaign\n", "the log holds no call: its header (line 1) is followed by no row"),
    ("call_id,phone,campaign\nc1,13800138000,dep-2026q4\n", "line 1: the header must name the columns call_id, phone, called_at, campaign (missing: "),
    ("call_id,phone,called_at,campaign,phone\nc1,1,2,3,4\n", "line 1: the header names the phone column twice ('phone' and 'phone')"),
])
def test_a_call_log_refused_as_a_whole_reads_wholly_in_chinese(client, log, english):
    # The sweep above read LogError's text at the wrong position, so these uploads answered "请求有误（字段：file）：the log
    # is empty" to a Chinese reader; the English (`message`, `details`) is unchanged.
    auditor = {"Authorization": client.h["Authorization"], "Content-Type": "text/csv"}
    r = client.post("/v1/audits", data=log.encode(), headers=auditor)
    assert r.status_code == 400, r.json
    error = r.json["error"]
    assert error["message"].startswith(english) and error["details"][0]["field"] == "file", error
    _said_in_each_language(error)

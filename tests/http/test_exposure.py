"""What a bank's security reviewer checks outside the API's answers: file modes of personal data,
what an unauthenticated probe learns during an outage, the headers of pages that show call-log
text, and sockets the server opens besides its port."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import new_key
from tests.e2e.servers import GuardServer


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_and_its_files_are_the_owners_alone(tmp_path: Path):
    db = tmp_path / "store" / "guard.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{db}", "GUARD_LOG_LEVEL": "CRITICAL", "GUARD_DATA_DIR": str(tmp_path / "data")})
    c = app.test_client()
    r = c.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True}, headers=new_key(app, "dialer"))
    assert r.status_code == 200
    assert mode(db) == 0o600 and mode(db.parent) == 0o700
    assert mode(Path(str(db) + "-wal")) == 0o600  # SQLite gives its WAL the database file's mode
    assert mode(Path(str(db) + ".migrate-lock")) == 0o600
    app.extensions["guard"].store.dispose()


def test_a_call_log_waiting_for_its_audit_is_the_owners_alone(tmp_path: Path):
    from guard.services.audits import save_upload

    path, size = save_upload(io.BytesIO(b"call_id,phone,called_at,campaign\n"), tmp_path / "data" / "audits", "a1", 1 << 20)
    assert size == 33 and mode(path) == 0o600 and mode(path.parent) == 0o700


def test_readyz_during_an_outage_does_not_tell_where_the_database_is(tmp_path: Path):
    app = create_app({"DATABASE_URL": "postgresql+psycopg://guard@127.0.0.1:1/secretdb", "GUARD_AUTO_MIGRATE": "0",
                      "GUARD_LOG_LEVEL": "CRITICAL"})
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE"
    body = r.get_data(as_text=True)
    assert "127.0.0.1" not in body and "secretdb" not in body and r.json["error"]["details"] == {"store": "unavailable", "fault": "connection", "sqlstate": None}
    app.extensions["guard"].store.dispose()


def test_the_audit_report_and_the_review_page_run_no_injected_script(make_app, tmp_path):
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    auditor = new_key(app, "auditor")
    log = "call_id,phone,called_at,campaign,agent_id\nx1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,<script>alert(1)</script>\n"
    r = c.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=auditor)
    audit_id = r.json["audit_id"]
    import time

    for _ in range(200):
        if c.get(f"/v1/audits/{audit_id}", headers=auditor).json["status"] == "done":
            break
        time.sleep(0.05)
    report = c.get(f"/v1/audits/{audit_id}/report", headers=auditor)
    csp = report.headers["Content-Security-Policy"]
    assert report.status_code == 200 and "default-src 'none'" in csp and "script-src" not in csp
    assert report.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>alert(1)</script>" not in report.get_data(as_text=True)
    review = c.get("/review")
    script_src = next(p for p in review.headers["Content-Security-Policy"].split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    for url in ("/healthz", f"/v1/audits/{audit_id}/violations?format=csv"):
        assert c.get(url, headers=auditor).headers["X-Content-Type-Options"] == "nosniff"


def test_no_page_that_acts_for_a_person_may_be_framed_by_another_site(make_app, tmp_path):
    # The console refused to be framed (frame-ancestors 'none'); the reviewer's page, which saves and approves
    # scripts with the session or a reviewer key, did not say, so any site could frame it (clickjacking).
    c = make_app().test_client()
    for url in ("/console", "/review"):
        csp = c.get(url).headers["Content-Security-Policy"]
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        assert directives.get("frame-ancestors") == ["'none'"], (url, csp)
        assert directives.get("base-uri") == ["'none'"], (url, csp)


@pytest.mark.e2e
def test_gunicorn_opens_no_control_socket_unless_one_is_configured(sqlite_url, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"DATABASE_URL": sqlite_url, "HOME": str(home), "XDG_RUNTIME_DIR": ""}
    server = GuardServer(env, workers=1).start()
    try:
        assert server.request("GET", "/healthz")[0] == 200
        assert not (home / ".gunicorn").exists()
    finally:
        server.stop()
    socket_path = tmp_path / "ctl" / "gunicorn.ctl"
    socket_path.parent.mkdir()
    server = GuardServer({**env, "GUARD_CONTROL_SOCKET": str(socket_path)}, workers=1).start()
    try:
        for _ in range(50):
            if socket_path.exists():
                break
            import time

            time.sleep(0.1)
        assert stat.S_ISSOCK(os.stat(socket_path).st_mode) and not (home / ".gunicorn").exists()
    finally:
        server.stop()


@pytest.mark.parametrize("accept, chinese, title", [(None, "zh-CN", "话术审核"), ("zh-TW", "zh-TW", "話術審核"),
                                                    ("en-US, zh-HK;q=0.8", "zh-TW", "話術審核"), ("zh-Hans-HK", "zh-CN", "话术审核")])
def test_the_reviewers_page_reads_in_the_chinese_the_browser_asks_for_and_its_scripts_still_run(make_app, accept, chinese, title):
    # Its words were simplified only, while its findings' messages follow the browser's Chinese. Accept-Language
    # (RFC 9110 §12.5.4) as the audit report reads it; the CSP allows the scripts served, by their hashes.
    import base64
    import hashlib
    import re

    c = make_app().test_client()
    page = c.get("/review", headers={"Accept-Language": accept} if accept else {})
    html = page.get_data(as_text=True)
    assert f'<html lang="{chinese}">' in html and f"<title>{title} · Script review</title>" in html
    assert page.headers["Content-Language"] == f"{chinese}, en" and "Accept-Language" in page.headers["Vary"]
    scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", html, re.S)
    csp = page.headers["Content-Security-Policy"]
    assert scripts and all("'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" in csp for s in scripts)


# OWASP REST Security Cheat Sheet, "Security Headers": `Cache-Control: no-store` on API answers, so that no browser
# or proxy cache keeps sensitive information. The guard's answers to a key or a session hold customers' numbers,
# complaints and call logs; none said anything, so a shared proxy or a browser's disk cache could keep them.
def test_answers_to_a_key_or_a_session_are_not_to_be_stored_by_any_cache(make_app, tmp_path):
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    operator, auditor = new_key(app, "operator"), new_key(app, "auditor")
    assert c.put("/v1/customers/C1", json={"phones": ["13800138000"], "risk_level": "C3"}, headers=operator).status_code in (200, 201)
    log = "call_id,phone,called_at,campaign\nx1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4\n"
    audit_id = c.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=auditor).json["audit_id"]
    import time

    for _ in range(200):
        if c.get(f"/v1/audits/{audit_id}", headers=auditor).json["status"] == "done":
            break
        time.sleep(0.05)
    answers = [c.get("/v1/customers/C1", headers=operator), c.get("/v1/customers/C1/overview", headers=operator),
               c.get("/v1/numbers/13800138000/overview", headers=operator), c.get("/v1/complaints", headers=operator),
               c.get("/v1/customers/NOBODY", headers=operator), c.get("/v1/customers/C1", headers=auditor)]
    answers += [c.get(f"/v1/audits/{audit_id}{tail}", headers=auditor)
                for tail in ("", "/violations", "/violations?format=csv", "/violations?format=xlsx", "/rejects", "/report")]
    for r in answers:
        assert "no-store" in r.headers.get("Cache-Control", ""), (r.request.path, r.status_code, r.headers.get("Cache-Control"))
    # What holds no data may still be cached: the vocabularies every console loads.
    assert c.get("/v1/meta/vocabularies").headers["Cache-Control"] == "public, max-age=300"

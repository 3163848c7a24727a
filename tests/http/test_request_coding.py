"""A request body in a content coding the guard does not decode (gzip, br …) is refused as such.

RFC 9110 §12.5.3 / §15.5.16 (and RFC 7694 §3, which it absorbs): a server that does not accept a request's
content coding answers 415 Unsupported Media Type and says in `Accept-Encoding` which codings it takes. Read as
plain bytes instead, a compressed check was a 400 blaming the JSON's UTF-8, a compressed list import or call log a
400 telling the client to name a text encoding, and a compressed body that happened to decode would have been
read as garbage rows.
"""

from __future__ import annotations

import gzip
import json

import pytest

from tests.conftest import new_key

CHECK = {"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True}


@pytest.fixture
def client(make_app):
    app = make_app()
    c = app.test_client()
    c.h = new_key(app, "admin")
    return c


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate", "x-gzip, identity"])
def test_a_compressed_check_is_415_naming_content_encoding(client, coding):
    r = client.post("/v1/check", data=gzip.compress(json.dumps(CHECK).encode()),
                    headers={**client.h, "Content-Type": "application/json", "Content-Encoding": coding})
    assert r.status_code == 415, r.data
    error = r.json["error"]
    assert error["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert error["details"] == [{"field": "Content-Encoding", "reason": error["details"][0]["reason"]}]
    assert "Content-Encoding" in error["message"]
    assert r.headers["Accept-Encoding"] == "identity"


@pytest.mark.parametrize("path,ctype", [("/v1/blacklist/import", "text/csv"), ("/v1/audits", "text/csv"),
                                        ("/v1/consents/import", "text/csv")])
def test_a_compressed_upload_is_415_not_an_encoding_riddle(client, path, ctype):
    body = gzip.compress(b"phone,source,reason\n13600136001,registry,x\n")
    r = client.post(path, data=body, headers={**client.h, "Content-Type": ctype, "Content-Encoding": "gzip"})
    assert r.status_code == 415, r.data
    assert r.json["error"]["details"][0]["field"] == "Content-Encoding"


@pytest.mark.parametrize("coding", ["identity", "Identity", ""])
def test_identity_is_the_body_as_sent(client, coding):
    r = client.post("/v1/check", json=CHECK, headers={**client.h, "Content-Encoding": coding})
    assert r.status_code == 200, r.data
    assert r.json["dry_run"] is True


def test_the_openapi_document_says_415_covers_content_coding(client):
    doc = client.get("/openapi.json").json
    assert "Content-Encoding" in doc["paths"]["/v1/check"]["post"]["responses"]["415"]["description"]


# SPEC §3: "Bad input → 400 (or 413 too large, 415 wrong content type) with the offending field named". A 413 or 415
# answered `details: null`, so a client that reads `details[].field` for every refusal of its input found nothing.
@pytest.mark.parametrize("path,ctype,field", [
    ("/v1/check", "text/plain", "Content-Type"),
    ("/v1/check", "application/json; charset=latin-1", "Content-Type"),
    ("/v1/blacklist/import", "application/json", "Content-Type"),
    ("/v1/audits", "application/json", "Content-Type"),
])
def test_a_wrong_content_type_names_the_header(client, path, ctype, field):
    r = client.post(path, data=b"{}", headers={**client.h, "Content-Type": ctype})
    assert r.status_code == 415, r.data
    details = r.json["error"]["details"]
    assert details and details[0]["field"] == field and details[0]["reason"], r.json


def test_a_body_too_large_names_the_body(make_app):
    app = make_app(GUARD_MAX_BODY_BYTES="1024")
    h = new_key(app, "dialer")
    r = app.test_client().post("/v1/check", json={"phone": "1" * 2000, "campaign": "dep-2026q4"}, headers=h)
    assert r.status_code == 413, r.data
    details = r.json["error"]["details"]
    assert details and details[0]["field"] == "(body)" and "1024" in details[0]["reason"], r.json


def test_an_audit_upload_too_large_states_the_upload_limit(make_app):
    # The 413 said "larger than the 16777216 bytes allowed" (GUARD_MAX_BODY_BYTES) for a call log refused by
    # GUARD_MAX_UPLOAD_BYTES: a 2 KB log told it was over 16 MB, a 3 GB one told to fit in 16 MB when 2 GB will do.
    app = make_app(GUARD_MAX_UPLOAD_BYTES="1024")
    h = new_key(app, "auditor")
    log = "call_id,phone,called_at,campaign\n" + "".join(f"{i},13800138000,2026-11-23T10:00:00+08:00,dep-2026q4\n" for i in range(40))
    r = app.test_client().post("/v1/audits", data=log.encode(), headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 413, r.data
    details = r.json["error"]["details"]
    assert details and details[0]["field"] in ("(body)", "file"), r.json
    assert "1024 bytes" in r.json["error"]["message"] and "16777216" not in r.json["error"]["message"], r.json


@pytest.mark.parametrize("multipart", [False, True])
def test_an_audit_upload_too_large_names_the_file(make_app, multipart):
    # README: 413 names `(body)` for a body over GUARD_MAX_BODY_BYTES, `file` for an audit upload over
    # GUARD_MAX_UPLOAD_BYTES; the upload named `(body)` whichever way it came.
    app = make_app(GUARD_MAX_UPLOAD_BYTES="1024")
    h = new_key(app, "auditor")
    log = ("call_id,phone,called_at,campaign\n" + "".join(f"{i},13800138000,2026-11-23T10:00:00+08:00,dep-2026q4\n" for i in range(40))).encode()
    if multipart:
        import io

        r = app.test_client().post("/v1/audits", data={"file": (io.BytesIO(log), "calls.csv")}, headers=h)
    else:
        r = app.test_client().post("/v1/audits", data=log, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 413, r.data
    assert r.json["error"]["details"][0]["field"] == "file", r.json

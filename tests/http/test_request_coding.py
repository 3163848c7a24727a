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

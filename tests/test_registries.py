"""Every vocabulary is listed once (guard/core/vocabularies.py) and everything else reads it: the
request schemas, the CLI, the errors the API answers with, the generated docs, the console."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import guard
from guard.config import SETTINGS, Settings
from guard.core import errors
from guard.core.reasons import REASONS
from guard.core.vocabularies import VOCABULARIES, as_json, codes, render_markdown
from scripts.update_docs import columns_markdown, readme_with_settings

ROOT = Path(__file__).resolve().parent.parent
STATUS = {t.code: t.extra["status"] for t in VOCABULARIES["error_codes"].terms}


def test_every_vocabulary_has_unique_codes_and_both_labels():
    for v in VOCABULARIES.values():
        assert len(set(v.codes)) == len(v.codes), v.name
        for t in v.terms:
            assert t.code and t.zh and t.en, (v.name, t.code)
    for r in REASONS:
        assert r.title and r.title_zh, r.code


def test_the_generated_docs_are_current():
    assert (ROOT / "docs" / "vocabularies.md").read_text(encoding="utf-8") == render_markdown(), "run make docs"
    assert (ROOT / "docs" / "columns.md").read_text(encoding="utf-8") == columns_markdown(), "run make docs"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_settings(readme) == readme, "the README's settings table is stale: run make docs"


def test_the_readme_settings_table_lists_every_setting_and_settings_has_a_field_for_each():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("<!-- settings:start"):readme.index("<!-- settings:end -->")]
    assert [s.env for s in SETTINGS] == re.findall(r"^\| `([A-Z_]+)` \|", block, re.M)
    assert {s.field for s in SETTINGS} == set(Settings.__dataclass_fields__)
    assert "GUARD_MAX_UPLOAD_BYTES" in block and "GUARD_DATA_DIR" in block and "GUARD_WORKERS" in block


def _modules():
    for info in pkgutil.walk_packages(guard.__path__, "guard."):
        if ".migrations" not in info.name:
            yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_refusal_of_a_rule_or_use_case_has_a_registered_code():
    list(_modules())  # import everything, so that every subclass is defined
    importlib.import_module("blacklist.importer")
    found = {cls.__name__: cls.code for cls in _subclasses(errors.GuardError)}
    assert {"NotFound", "Conflict", "Stale", "InvalidField", "NoPolicy", "ClockSkew", "Refused", "LogError", "ImportError_"} <= set(found)
    assert {name: code for name, code in found.items() if code not in STATUS} == {}


def _http_error_literals() -> list[tuple[str, int, str]]:
    """(file:line, status, code) of every ApiError(status, "CODE", ...) and bad_request(..., code="CODE") in guard/http."""
    out = []
    for path in sorted((ROOT / "guard" / "http").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.name}:{node.lineno}"
            if node.func.id in ("ApiError", "error_response") and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                status = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
                out.append((where, status, node.args[1].value))
            if node.func.id == "bad_request":
                code = next((k.value.value for k in node.keywords if k.arg == "code"), "INVALID_REQUEST")
                out.append((where, 400, code))
    return out


def test_every_error_code_the_http_layer_answers_with_is_registered_with_its_status():
    literals = _http_error_literals()
    assert len(literals) > 15
    wrong = [(w, s, c) for w, s, c in literals if c not in STATUS or (s is not None and STATUS[c] != s)]
    assert wrong == []
    from guard.http.errors import HTTP_CODES

    assert {s: c for s, c in HTTP_CODES.items() if STATUS.get(c) != s} == {}


def test_the_request_schemas_accept_exactly_the_registered_words():
    from guard.http import schemas

    assert schemas.Disposition.__args__ == codes("dispositions")
    assert schemas.BlacklistSource.__args__ == codes("blacklist_sources")
    assert schemas.ProductType.__args__ == codes("product_types")
    assert schemas.Severity.__args__ == codes("complaint_severities")
    events = schemas.ComplaintEventIn.model_json_schema()["properties"]["type"]["enum"]
    assert events == list(VOCABULARIES["complaint_events"].where_extra("recorded_by", "person"))


def test_the_cli_offers_the_registered_words():
    from guard.cli import guard_group

    lint = guard_group.commands["lint"]
    assert tuple(next(p for p in lint.params if p.name == "product_type").type.choices) == codes("product_types")
    imp = guard_group.commands["blacklist"].commands["import"]
    assert tuple(next(p for p in imp.params if p.name == "source").type.choices) == codes("blacklist_sources")
    create = guard_group.commands["keys"].commands["create"]
    assert tuple(next(p for p in create.params if p.name == "roles").type.choices) == codes("roles")


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def test_the_api_serves_every_vocabulary_without_a_key(client):
    r = client.get("/v1/meta/vocabularies")
    assert r.status_code == 200
    assert r.json == as_json()
    assert set(r.json) == set(VOCABULARIES) | {"reason_codes"}
    assert [t["code"] for t in r.json["reason_codes"]["terms"]] == [x.code for x in REASONS]
    sources = {t["code"]: t["list"] for t in r.json["blacklist_sources"]["terms"]}
    assert sources["registry"] == "external" and sources["customer_request"] == "internal"
    # The short names an import reads (网银) are served too, so a console or client can show and accept them
    channels = {t["code"]: t["also"] for t in r.json["withdrawal_channels"]["terms"]}
    assert channels["online_banking"] == ["网银"] and channels["app"] == ["手机银行"]

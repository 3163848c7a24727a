"""The README's endpoint table (HTTP API) names every endpoint with the roles its code lets in: a reader who sets up
a key from the table gets neither a 403 it did not announce nor access it did not mention."""

from __future__ import annotations

import re

import app  # noqa: F401  (registers every blueprint's endpoints)
from guard.http.api import ENDPOINTS
from tests.e2e.servers import ROOT

ROLES = ("dialer", "reviewer", "auditor", "operator", "admin")
ENDPOINT = re.compile(r"`(GET|POST|PUT|DELETE)(?: (/[^`\s?\[]*))?[^`]*`")
# Served by the console's page, not an API a client is given a key for.
UNLISTED = {("GET", "/"), ("GET", "/console/{}"), ("GET", "/console/pages/{}")}


def _shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def readme_roles() -> dict[tuple[str, str], set[str] | None]:
    """(method, path) -> the roles the README's table gives it (None: no key needed)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| endpoint | role | what |"):]
    table = table[:table.index("\n\n")]
    documented: dict[tuple[str, str], set[str] | None] = {}
    for row in table.splitlines()[2:]:
        cells = row.split(" | ")
        found: list[list[str | None]] = []
        for match in ENDPOINT.finditer(cells[0]):
            # a bare method shares its neighbour's path: "`PUT /v1/x` · `GET`", "`GET` · `DELETE /v1/x`"
            found.append([match.group(1), match.group(2) or (found[-1][1] if found else None)])
            for entry in found:
                entry[1] = entry[1] or match.group(2)
        parts = cells[1].split(" · ")
        for i, (method, path) in enumerate(found):
            assert path, f"no path for {method} in {cells[0]!r}"
            said = parts[i] if len(parts) == len(found) else cells[1]
            roles = None if said.startswith("none") else set(ROLES[:4]) if said == "any role" else {
                role for role in ROLES if role in said}
            documented[(str(method), _shape(path))] = roles
    return documented


def test_the_readme_names_each_endpoint_with_the_roles_its_code_lets_in():
    documented = readme_roles()
    registered = {(e.method, _shape(e.path)): None if e.roles is None else set(e.roles) for e in ENDPOINTS}
    assert set(registered) - UNLISTED - set(documented) == set(), "endpoints missing from the README's table"
    assert set(documented) - set(registered) == set(), "the README's table names endpoints that do not exist"
    wrong = {key: (roles, registered[key]) for key, roles in documented.items() if roles != registered[key]}
    assert wrong == {}, "(README, code) roles differ"


def test_the_page_sizes_the_readme_gives_are_the_endpoints_own():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    queries = {(e.method, _shape(e.path)): e.query for e in ENDPOINTS}
    said = re.findall(r"^\| `(GET) (/[^`\s?\[]*)[^\n]*?`limit` ([\d,]+) a page, at most ([\d,]+)", text, re.M)
    assert len(said) >= 3
    for method, path, default, most in said:
        field = queries[(method, _shape(path))].model_fields["limit"]
        bound = next(m.le for m in field.metadata if getattr(m, "le", None) is not None)
        assert (field.default, bound) == (int(default.replace(",", "")), int(most.replace(",", ""))), path

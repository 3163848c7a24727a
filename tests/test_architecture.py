"""The floors of the code, as the README draws them: SQL only in guard/store, the core pure (see
tests/core/test_purity.py), and dependencies pointing inward. Checked on the source, by import."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def _offending(folders: list[str], forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            for line, name in _imports(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    found.append(f"{path.relative_to(root)}:{line} imports {name}")
    return found


def test_no_service_and_no_blacklist_module_imports_sqlalchemy_or_the_tables():
    assert _offending(["guard/services", "blacklist"], ("sqlalchemy", "guard.store.models")) == []


def test_nothing_outside_the_store_imports_sqlalchemy():
    outside = ["guard/services", "guard/http", "guard/cli", "guard/core", "blacklist", "policies"]
    assert _offending(outside, ("sqlalchemy",)) == []
    top = [p for p in (ROOT / "guard").glob("*.py")] + [ROOT / "app.py"]
    assert [f"{p.name}: {n}" for p in top for _, n in _imports(p) if n.split(".")[0] == "sqlalchemy"] == []


def test_the_store_and_the_blacklist_never_reach_up_to_services_http_or_cli():
    assert _offending(["guard/store"], ("guard.services", "guard.http", "guard.cli", "blacklist")) == []
    assert _offending(["blacklist"], ("guard.services", "guard.http", "guard.cli")) == []
    assert _offending(["guard/services"], ("guard.http", "guard.cli")) == []


def test_the_scan_does_catch_a_forbidden_import(tmp_path):
    folder = tmp_path / "guard" / "services"
    folder.mkdir(parents=True)
    (folder / "bad.py").write_text("from sqlalchemy import select\nimport guard.store.models as m\nimport sqlalchemyish\n")
    assert len(_offending(["guard/services"], ("sqlalchemy", "guard.store.models"), tmp_path)) == 2

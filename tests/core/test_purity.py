"""guard/core is pure: it imports no framework, store or scheduler, and never reads the clock."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "guard" / "core"
FORBIDDEN_MODULES = {"flask", "werkzeug", "sqlalchemy", "alembic", "apscheduler", "psycopg", "requests", "socket", "subprocess"}
FORBIDDEN_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
                   ("time", "time"), ("time", "monotonic"), ("time", "perf_counter"), ("os", "environ"), ("os", "getenv")}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
            if node.module == "guard" or (node.module or "").startswith("guard.") and not (node.module or "").startswith("guard.core"):
                found.append(f"{path.name}:{node.lineno} imports {node.module} (outside guard.core)")
        else:
            names = []
        for name in names:
            if name.split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{path.name}:{node.lineno} imports {name}")
            if name.startswith("guard.") and not name.startswith("guard.core"):
                found.append(f"{path.name}:{node.lineno} imports {name} (outside guard.core)")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            found.append(f"{path.name}:{node.lineno} opens a file")
    return found


def test_core_modules_import_nothing_impure_and_never_read_the_clock():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 8
    problems = [v for f in files for v in _violations(f)]
    assert problems == []


def test_the_purity_scan_does_catch_an_impure_module(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import flask\nfrom datetime import datetime\nx = datetime.now()\nfrom guard.store import db\n")
    problems = _violations(bad)
    assert any("imports flask" in p for p in problems)
    assert any("datetime.now" in p for p in problems)
    assert any("guard.store" in p for p in problems)


def test_core_states_its_rule_in_a_readme():
    text = (CORE / "README.md").read_text(encoding="utf-8")
    assert "pure" in text.lower() and "clock" in text.lower()

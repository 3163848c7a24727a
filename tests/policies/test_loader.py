"""Pack files: YAML problems with lines, a bad file never replaces a good version, atomic swaps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policies.loader import PackRegistry, validate_path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "policies" / "packs"


def test_the_shipped_packs_are_valid_and_cover_the_contract():
    report = validate_path(SHIPPED, "cn-bank")
    assert report.issues == []
    assert {"cn-bank", "us-tcpa"} <= set(report.packs.ids())
    cn = report.packs.timelines["cn-bank"].newest()
    us = report.packs.timelines["us-tcpa"].newest()
    assert [w.describe() for w in us.calling_windows] == [{"days": "mon-sun", "from": "08:00", "to": "21:00"}]
    assert any(c.scope == "number" and c.window.total_seconds() == 86400 and c.max == 3 for c in us.caps_normal)
    assert cn.holidays.calendar == "CN" and cn.holidays.block
    assert cn.suitability == {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}


def test_the_packs_read_the_same_through_libyaml_as_through_pure_python():
    """The loader parses with libyaml's C parser when PyYAML has it (the shipped cn-bank in 0.03 s instead of 0.5 s);
    every shipped pack and example gives the same values as PyYAML's own pure-Python safe loader, duplicate keys
    refused alike."""
    import yaml

    from policies import loader

    class PureStrict(yaml.SafeLoader):
        pass

    PureStrict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, loader._construct_mapping)
    files = sorted(SHIPPED.glob("*.yaml")) + sorted((SHIPPED.parent / "examples").rglob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        raw, issue = loader.parse_document(path.name, text)
        assert issue is None and raw == yaml.load(text, Loader=PureStrict), path
    assert "duplicate key 'a' (line 2)" in str(loader.parse_document("d.yaml", "a: 1\na: 2\n")[1])


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "packs"
    shutil.copytree(SHIPPED, target)
    return target


def test_yaml_syntax_errors_give_the_line(pack_dir: Path):
    (pack_dir / "broken.yaml").write_text("id: x\nversion: [unclosed\n", encoding="utf-8")
    issues = [str(i) for i in validate_path(pack_dir, "cn-bank").issues]
    assert len(issues) == 1 and issues[0].startswith("broken.yaml: YAML syntax error at line 3")


def test_duplicate_keys_are_refused(pack_dir: Path):
    text = (pack_dir / "us-tcpa-2026.1.yaml").read_text(encoding="utf-8") + "count: connected\n"
    (pack_dir / "us-tcpa-2026.1.yaml").write_text(text, encoding="utf-8")
    issues = [str(i) for i in validate_path(pack_dir, "cn-bank").issues]
    assert any("us-tcpa-2026.1.yaml" in i and "duplicate key 'count'" in i for i in issues)


def test_a_date_that_does_not_exist_is_refused_as_the_files_problem(pack_dir: Path):
    """A mistyped holiday (2027-02-30) reached YAML's date constructor as a ValueError: validate, reload and a draft
    crashed with a traceback, and a server with the file in its directory did not start. Now it is the file's issue,
    with its line, and the last good version serves."""
    registry = PackRegistry(pack_dir, "cn-bank")
    assert registry.load().ok
    text = (pack_dir / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    for bad in ("2027-02-30", "2027-13-20"):
        (pack_dir / "cn-bank-2027.1.yaml").write_text(
            text.replace('version: "2026.4"', 'version: "2027.1"').replace('effective_from: "2026-', 'effective_from: "2027-', 1)
            + f"# a notice's day mistyped\nnotice_typo: {bad}\n", encoding="utf-8")
        issues = [str(i) for i in validate_path(pack_dir, "cn-bank").issues]
        assert len(issues) == 1 and issues[0].startswith("cn-bank-2027.1.yaml: ") and f"'{bad}' is not a date or time that exists" in issues[0]
        report = registry.load()
        assert not report.ok and registry.current.timelines["cn-bank"].newest().version == "2026.4"


def test_non_utf8_files_are_refused(pack_dir: Path):
    (pack_dir / "gbk.yaml").write_bytes("id: 中文\n".encode("gbk"))
    assert "gbk.yaml: not UTF-8 text" in str(validate_path(pack_dir, "cn-bank").issues[0])


def test_a_broken_file_keeps_serving_its_last_good_version_on_reload(pack_dir: Path):
    registry = PackRegistry(pack_dir, "cn-bank")
    assert registry.load().ok
    def version_2026_1():
        return {v.version: v for v in registry.current.timelines["us-tcpa"].versions}["2026.1"]

    before = version_2026_1()
    path = pack_dir / "us-tcpa-2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("window: 24h, max: 3", "window: 24x, max: 3"), encoding="utf-8")
    report = registry.load()
    assert not report.ok and report.kept == ["us-tcpa-2026.1.yaml"]
    assert any("caps.normal[0].window: '24x' is not a duration" in str(i) for i in report.issues)
    assert version_2026_1().hash == before.hash


def test_a_new_broken_file_is_not_loaded_and_a_fixed_one_replaces_the_old(pack_dir: Path):
    registry = PackRegistry(pack_dir, "cn-bank")
    registry.load()
    (pack_dir / "new.yaml").write_text("id: new\nversion: '1'\n", encoding="utf-8")
    report = registry.load()
    assert "new" not in registry.current.ids() and any(str(i).startswith("new.yaml:") for i in report.issues)
    path = pack_dir / "us-tcpa-2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("max: 3", "max: 2"), encoding="utf-8")
    registry.load()
    edited = {v.version: v for v in registry.current.timelines["us-tcpa"].versions}["2026.1"]
    assert edited.caps_normal[0].max == 2


def test_a_missing_default_pack_is_a_problem(tmp_path: Path):
    registry = PackRegistry(tmp_path, "cn-bank")
    report = registry.load()
    assert any("default pack 'cn-bank' has no valid version" in str(i) for i in report.issues)


def _billion_laughs() -> str:
    """583 bytes in the attack that was reported; nine levels of nine aliases each: 9**9 strings expanded."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        text += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize("name, text, reason", [
    ("deep.yaml", "x: " + "[" * 50_000 + "]" * 50_000 + "\n", "deep.yaml: refused: line 1: nested deeper than 64 levels"),
    ("laughs.yaml", _billion_laughs(), "laughs.yaml: refused: line 6: its aliases expand to more than 250,000 values"),
    # 100 KB of text aliased 100 times: 101 values, but 10 million characters to normalize and store
    ("long_laughs.yaml", "a: &a '" + "x" * 100_000 + "'\nb: [" + ", ".join(["*a"] * 100) + "]\n",
     "long_laughs.yaml: refused: line 2: its aliases expand to more than 2,097,152 characters of text"),
    ("huge.yaml", "description: " + "x" * (3 * 1024 * 1024) + "\n", "huge.yaml: the file is 3,145,742 bytes; a pack may have at most"),
])
def test_a_hostile_pack_file_is_refused_with_its_reason_and_the_others_keep_serving(pack_dir: Path, name, text, reason):
    """A pack with 50,000 nested brackets used to raise an uncaught RecursionError (gunicorn: "Worker failed to
    boot"); a 583-byte "billion laughs" ran `policies validate` for 54 s to a MemoryError at 3.1 GB."""
    (pack_dir / name).write_text(text, encoding="utf-8")
    report = validate_path(pack_dir, "cn-bank")
    assert [str(i) for i in report.issues][0].startswith(reason) and len(report.issues) == 1
    assert {"cn-bank", "us-tcpa"} <= set(report.packs.ids())


def test_anchors_and_aliases_of_an_ordinary_size_still_load(pack_dir: Path):
    text = (SHIPPED / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    text = text.replace("version: \"2026.4\"", "version: \"2026.9\"").replace("effective_from: \"2026-01-01T00:00:00+08:00\"",
                                                                          "effective_from: \"2027-01-01T00:00:00+08:00\"")
    text += "x-windows: &weekday {days: mon-fri, from: \"09:00\", to: \"20:00\"}\n"
    (pack_dir / "cn-bank-2026.9.yaml").write_text(text, encoding="utf-8")
    report = validate_path(pack_dir, "cn-bank")
    assert not any("refused" in str(i) for i in report.issues)

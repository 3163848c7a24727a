"""bench/lint_round.py applies README item 53's decision rule to a round's development changes: these are the cases the
rule names, on rows as the tool's child lints them ([flag whole, flag alone, label, certainty, text])."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.lint_round import judge

ROOT = Path(__file__).resolve().parents[2]


def _row(flagged: bool, label: str, sure: bool = True) -> list:
    return [flagged, flagged, label, "clear" if sure else "doubtful", "…"]


def _rows(**kinds) -> dict:
    return {f"dev/{k}": v for k, v in kinds.items()}


def test_a_round_that_clears_negatives_and_loses_no_claim_holds(capsys):
    before = _rows(a=_row(True, "quote"), b=_row(True, "clean"), c=_row(True, "flag"))
    after = _rows(a=_row(False, "quote"), b=_row(False, "clean"), c=_row(True, "flag"))
    assert judge(before, after, 0, "runs", show=True)
    out = capsys.readouterr().out
    assert "false alarms 2 -> 0, claims found 1 -> 1, 2 passages changed" in out and "FIXED dev/a quote sure" in out


def test_a_sure_claim_lost_fails_whatever_it_clears():
    before = _rows(c=_row(True, "flag"), **{f"n{k}": _row(True, "clean") for k in range(10)})
    after = _rows(c=_row(False, "flag"), **{f"n{k}": _row(False, "clean") for k in range(10)})
    assert not judge(before, after, 1, "alone", show=False)


def test_a_doubtful_claim_lost_needs_three_negatives_cleared():
    before = _rows(c=_row(True, "flag", sure=False), n1=_row(True, "clean"), n2=_row(True, "quote"), n3=_row(True, "clean"))
    two = _rows(c=_row(False, "flag", sure=False), n1=_row(False, "clean"), n2=_row(False, "quote"), n3=_row(True, "clean"))
    three = {**two, "dev/n3": _row(False, "clean")}
    assert not judge(before, two, 0, "runs", show=False)
    assert judge(before, three, 0, "runs", show=False)


def test_a_negative_newly_flagged_fails_even_beside_gains():
    before = _rows(n1=_row(False, "clean"), n2=_row(True, "quote"), c=_row(False, "flag"))
    after = _rows(n1=_row(True, "clean"), n2=_row(False, "quote"), c=_row(True, "flag"))
    assert not judge(before, after, 0, "runs", show=False)


def test_the_working_tree_against_its_own_commit_changes_nothing():
    """The whole tool, as a reviewer runs it: both sides lint every development passage; against HEAD, with the linter's
    files as committed, nothing changes and the rule holds (exit 0)."""
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "guard", "policies", "tests/lint/real"],
                           capture_output=True, text=True)
    if dirty.returncode != 0 or dirty.stdout.strip():
        import pytest
        pytest.skip("not a git checkout, or the linter's files differ from HEAD")
    result = subprocess.run([sys.executable, "bench/lint_round.py", "--rev", "HEAD", "--quiet"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("0 passages changed") == 2 and result.stdout.count(": holds") == 2

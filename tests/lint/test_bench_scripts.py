"""bench/lint.py's scripts of real text as a reviewer pastes them: what its table says they are."""

from __future__ import annotations

from bench.lint import SCRIPT_CHARS, build_pasted_scripts
from tests.lint.real_corpus import DEVELOPMENT, load, runs_of


def _runs() -> list[list[str]]:
    return [[i.text for i in run] for name in DEVELOPMENT for run in runs_of(load(name))]


def test_pasted_scripts_are_the_runs_lines_in_their_order_cut_to_the_scripts_size():
    scripts = build_pasted_scripts(1000)
    runs = _runs()
    assert len(scripts) >= 50  # the table's figure rests on some sixty scripts
    assert all(len(text) == SCRIPT_CHARS for text, _ in scripts)
    # the first script starts with the first run's lines, in their order, joined as a script's lines are
    first_run = "\n".join(runs[0])
    assert scripts[0][0].startswith(first_run[:SCRIPT_CHARS])
    # every line of every script (but each script's cut last one) is a line of the runs
    lines = {line for run in runs for line in run}
    for text, _ in scripts:
        assert all(line in lines for line in text.split("\n")[:-1])


def test_pasted_scripts_stop_at_the_number_asked_for():
    assert len(build_pasted_scripts(3)) == 3

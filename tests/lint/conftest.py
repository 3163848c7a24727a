"""The shipped cn-bank pack and its compiled linter, shared by the lint tests.

`linter` is the pack's phrase rules and disclosures without its learned scorer: the written corpus
(tests/lint/corpus/) and the rule tests pin the rules' findings one by one. The scorer is tested in
test_lint_scorer.py and measured on real text (test_real_corpus.py); `full_linter` is the pack as
shipped, both together."""

from __future__ import annotations

import dataclasses

import pytest

from guard.core.lint import Linter, compile_rules
from guard.core.pack import Pack
from policies.lint_docs import shipped_pack


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `heldout` every test parametrized with a held-out set (heldout, heldout_b, …): its figures are a held-out
    score. While a round of rules is tuned on the development sets, `-m "not heldout"` leaves them out, so that the
    held-out sets are scored once, at the end of the round, as its plan says (tests/lint/real/plan-p.md, "Third use":
    a run of the whole suite during that round showed two floors failing before the planned scoring). CI runs them all."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        if any(isinstance(v, str) and v.startswith("heldout") for v in params):
            item.add_marker(pytest.mark.heldout)


@pytest.fixture(scope="session")
def cn_pack() -> Pack:
    return shipped_pack("cn-bank")


@pytest.fixture(scope="session")
def rules_pack(cn_pack: Pack) -> Pack:
    # its own hash: compiled linters are cached by pack hash
    return dataclasses.replace(cn_pack, lint_scorer=None, hash=cn_pack.hash + "+rules-only")


@pytest.fixture(scope="session")
def linter(rules_pack: Pack) -> Linter:
    return compile_rules(rules_pack)


@pytest.fixture(scope="session")
def full_linter(cn_pack: Pack) -> Linter:
    return compile_rules(cn_pack)

"""The shipped cn-bank pack and its compiled linter, shared by the lint tests."""

from __future__ import annotations

import pytest

from guard.core.lint import Linter, compile_rules
from guard.core.pack import Pack
from policies.lint_docs import shipped_pack


@pytest.fixture(scope="session")
def cn_pack() -> Pack:
    return shipped_pack("cn-bank")


@pytest.fixture(scope="session")
def linter(cn_pack: Pack) -> Linter:
    return compile_rules(cn_pack)

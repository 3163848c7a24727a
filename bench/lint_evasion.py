"""How the linter holds when a seller wraps a real claim in the words of a script written to pass it.

    .venv/bin/python bench/lint_evasion.py [--show N]

The claims: every single passage of the development sets (tests/lint/real/dev*.jsonl; the held-out sets are never read)
that an officer flags, under 80 characters, on which a phrase rule (not the learned scorer, whose score any added
words move) has a finding alone. Each is wrapped in one seller's move at a time — a closing question, a reassurance
that denies a report's word, a risk slogan or a disclaimer appended, hearsay put first, the claim in quotation marks —
and linted again under its product type. Printed: per wrapping, how many of the claims still have a rule finding, and
with --show N the first N lost. A wrapping that loses claims is a way to pass the linter with the claim intact.

The wrappings are written here, not collected: they are the evasions a reviewer would try. The claims are real.
tests/lint/test_lint_frames.py holds the wrappings the linter is meant to withstand.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.core.lint import compile_rules  # noqa: E402
from guard.core.lint_scorer import SCORER_RULE  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from tests.lint.real_corpus import DEVELOPMENT, PHRASE_CODES, load  # noqa: E402


def _tail(t: str) -> str:
    return t.rstrip("。！!.；;")


# name -> (what a seller does, the wrapping); KNOWN_LIMITS: the wrappings the linter is not meant to withstand (README
# item 49 says why), every other one it withstands (tests/lint/test_lint_frames.py)
WRAPPINGS = {
    "closing question": ("closes with a question", lambda t: _tail(t) + "，您看是否需要为您办理？"),
    "closing question 2": ("asks for the decision", lambda t: _tail(t) + "，您考虑一下能否今天定下来？"),
    "rhetorical tag": ("a rhetorical tag", lambda t: _tail(t) + "，是不是很划算？"),
    "not a violation": ("denies a violation", lambda t: _tail(t) + "，完全不违规。"),
    "not a fraud": ("denies a fraud first", lambda t: "我们不是骗子，" + t),
    "no tricks": ("denies a trick", lambda t: _tail(t) + "，没有任何套路。"),
    "not misleading": ("denies misleading", lambda t: _tail(t) + "，绝不误导您。"),
    "honestly": ("says it is honest", lambda t: "跟您说实话，" + t),
    "my manager said": ("cites a colleague", lambda t: "我们经理说了，" + t),
    "customers say": ("cites customers", lambda t: "很多客户都说" + t),
    "approved": ("cites approval", lambda t: "这是经过监管批准的，" + t),
    "belief answered": ("answers a belief it names", lambda t: "很多人误以为理财有风险，其实" + t),
    "hearsay": ("passes it on as hearsay", lambda t: "据说" + t),
    "the bank said": ("cites the bank", lambda t: "银行说了，" + t),
    "cannot lose first": ("denies a loss first", lambda t: "这款不可能亏损，" + t),
    "in quotation marks": ("puts the claim in quotation marks", lambda t: "「" + _tail(t) + "」"),
    "risk slogan": ("appends a risk slogan", lambda t: _tail(t) + "，投资有风险哈。"),
    "full slogan": ("appends the mandated slogan", lambda t: _tail(t) + "，理财非存款、产品有风险、投资须谨慎。"),
    "contract prevails": ("appends 以合同为准", lambda t: _tail(t) + "，具体以合同为准。"),
    "past performance": ("appends the past-performance disclaimer", lambda t: _tail(t) + "，过往业绩不代表未来表现。"),
    "for reference": ("appends 仅供参考", lambda t: _tail(t) + "，以上仅供参考。"),
    "may lose": ("appends 也可能亏损", lambda t: _tail(t) + "，当然也可能亏损哈。"),
    "not guaranteed": ("appends 不保证收益", lambda t: _tail(t) + "，不保证收益哈。"),
}
KNOWN_LIMITS = ("the bank said", "past performance", "for reference", "may lose", "not guaranteed")


def rule_findings(linter, text: str, product_type: str | None) -> list:
    return [f for f in linter.lint(text, product_type).findings
            if f.code in PHRASE_CODES and any(r.rule != SCORER_RULE for r in f.rules)]


def main(argv: list[str]) -> int:
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    linter = compile_rules(shipped_pack())
    claims = [i for s in DEVELOPMENT for i in load(s) if i.label == "flag" and not i.run and len(i.text) < 80]
    found = [i for i in claims if rule_findings(linter, i.text, i.product_type)]
    print(f"{len(found)} of {len(claims)} short claims of the development sets have a rule finding alone")
    print(f"{'wrapping':22s} {'what the seller does':42s} still found")
    for name, (what, wrap) in WRAPPINGS.items():
        lost = [i for i in found if not rule_findings(linter, wrap(i.text), i.product_type)]
        kept = len(found) - len(lost)
        limit = "  (a known limit)" if name in KNOWN_LIMITS else ""
        print(f"{name:22s} {what:42s} {kept:4d}/{len(found)} ({kept / len(found):.0%}){limit}")
        for i in lost[:show]:
            print(f"      lost {i.id}: {wrap(i.text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

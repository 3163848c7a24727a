"""Suitability (适当性): the product's risk level against the customer's, and assessment validity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guard.core.durations import format_duration

from guard.core.facts import CustomerFacts
from guard.core.pack import Pack, Product, level_number


@dataclass(frozen=True)
class SuitabilityFinding:
    code: str  # SUITABILITY | RISK_PROFILE_MISSING
    product: Product
    detail: dict


def judge_product(product: Product, customer: CustomerFacts | None, pack: Pack, now: datetime) -> list[SuitabilityFinding]:
    findings: list[SuitabilityFinding] = []
    level = customer.risk_level if customer else None
    assessed = customer.risk_assessed_at if customer else None
    if product.assessment_required:
        # An assessment taken after the instant judged did not exist then (a dry run or what-if of
        # an earlier instant): it justifies nothing before it was taken.
        if level is None or assessed is None or assessed > now:
            findings.append(
                SuitabilityFinding(
                    "RISK_PROFILE_MISSING",
                    product,
                    {"product": product.code, "assessed_at": assessed, "expired_at": None, "valid_for": format_duration(pack.risk_assessment_valid_for)},
                )
            )
        # A permission runs for its exact length from the instant of the assessment, not to 24:00 of a last day as a
        # suppression does (guard/core/periods.py): 商业银行理财业务监督管理办法 re-assesses a customer "超过一年未进行风险
        # 承受能力评估", and a year ends on its corresponding day (民法典 第二百零二条), so 365 days from the instant never
        # last longer, leap year or not (tests/core/test_suppression_periods.py).
        elif assessed + pack.risk_assessment_valid_for <= now:
            findings.append(
                SuitabilityFinding(
                    "RISK_PROFILE_MISSING",
                    product,
                    {
                        "product": product.code,
                        "assessed_at": assessed,
                        "expired_at": assessed + pack.risk_assessment_valid_for,
                        "valid_for": format_duration(pack.risk_assessment_valid_for),
                    },
                )
            )
    if level is not None:
        highest = pack.max_product_level(level)
        if highest is None or level_number(product.risk) > level_number(highest):
            findings.append(
                SuitabilityFinding(
                    "SUITABILITY",
                    product,
                    {"product": product.code, "product_risk": product.risk, "customer_risk": level, "max_product_risk": highest},
                )
            )
    return findings


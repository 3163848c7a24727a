"""The reason-code registry: every code `/v1/check` can answer, in the contract's order.

The order of `REASONS` is the order of SPEC §3.1's table (codes added since keep the table's
codes in their relative order); `reasons` in a decision is sorted by it. Codes are never renamed or reused: a retired code stays here with `retired=True`.
`docs/reasons.md` is generated from this module (`python -m guard.core.reasons`).
"""

from __future__ import annotations

from dataclasses import dataclass

from guard.core.i18n import to_traditional


@dataclass(frozen=True)
class ReasonCode:
    code: str
    denies_when: str
    message: str
    message_zh: str
    detail_keys: tuple[str, ...]
    resolution: str
    retired: bool = False
    title: str = ""  # a few words, for lists and charts
    title_zh: str = ""

    @property
    def title_zh_tw(self) -> str:
        return to_traditional(self.title_zh)

    @property
    def message_zh_tw(self) -> str:
        return to_traditional(self.message_zh)


REASONS: tuple[ReasonCode, ...] = (
    ReasonCode(
        "INVALID_NUMBER",
        "the phone cannot be parsed or is not a valid number",
        "The phone number cannot be parsed or is not a valid number.",
        "号码无法解析或不是有效号码。",
        ("input", "region", "why"),
        "Fix the number in the calling list; numbers without a country code are read in `region`.",
        title="Invalid number", title_zh="号码无效",
    ),
    ReasonCode(
        "OUT_OF_JURISDICTION",
        "the number belongs to a country whose rules the pack does not carry",
        "The number is outside the countries this pack's rules cover.",
        "号码所属国家或地区不在本策略包适用范围内。",
        ("number_country", "pack", "countries"),
        "Call the number under a campaign whose pack covers its country, or map the country to a pack in the "
        "campaign (`packs: {US: us-tcpa}`).",
        title="Outside the pack's jurisdiction", title_zh="超出策略包适用地区",
    ),
    ReasonCode(
        "NUMBER_TYPE",
        "the number is of a type the pack does not call (toll-free, shared-cost, premium-rate …)",
        "The number is of a type that is not a marketing target.",
        "号码类型（如免费电话、共享费用号码、增值号码）不是营销对象。",
        ("phone", "type"),
        "Remove the number from the calling list; these numbers belong to businesses and services, not consumers.",
        title="Number type not called", title_zh="号码类型不可营销",
    ),
    ReasonCode(
        "CUSTOMER_MISMATCH",
        "the request names a customer who is not the number's recorded owner, and the pack says to deny that",
        "The request names a customer who is not the recorded owner of the number.",
        "请求中的客户不是该号码登记的所有人。",
        ("named_customer", "owner"),
        "Check the calling list: the number is recorded as another customer's. Correct the list, or move the "
        "number to the named customer's profile (`PUT /v1/customers/{id}`).",
        title="Customer is not the number's owner", title_zh="客户与号码登记不符",
    ),
    ReasonCode(
        "DNC_OPT_OUT",
        "the number or its customer is on the internal do-not-call list",
        "The number or its customer is on the internal do-not-call list.",
        "号码或客户在内部营销黑名单中（客户已拒绝营销）。",
        ("entry_id", "scope", "source", "added_at", "expires_at", "phone", "customer_id"),
        "Do not call. Only an admin may remove the entry, with a reason (audited).",
        title="Internal do-not-call list", title_zh="内部营销黑名单",
    ),
    ReasonCode(
        "DNC_REGISTRY",
        "the number is on an imported external list",
        "The number is on an imported external do-not-call list.",
        "号码在外部（监管/登记/诉讼）拒接名单中。",
        ("entry_id", "source", "added_at", "expires_at", "phone"),
        "Do not call. The entry comes from an external list and goes when that list says so.",
        title="External do-not-call list", title_zh="外部拒接名单",
    ),
    ReasonCode(
        "CONSENT_MISSING",
        "the pack requires consent for the call's purpose and the number has none in scope that is given, unexpired and not "
        "withdrawn; or the consent in scope was withdrawn (a withdrawal works like an opt-out, whatever the pack requires)",
        "There is no valid marketing consent for this number in the call's scope.",
        "该号码没有在本次呼叫范围内有效的营销授权（未授权、已过期、已撤回或超出授权范围）。",
        ("why", "purpose", "consent_id", "source", "given_at", "expires_at", "withdrawn_at", "withdrawn_via", "scopes", "product_types",
         "max_age", "given_on", "expired_at", "withdrawn_on", "expires_on"),
        "`why` says which: `none` (no consent recorded), `expired`, `withdrawn`, `out_of_scope` (the consent does not cover the "
        "phone channel or the product). `given_on` is the day of a consent given by date alone (its `given_at` is then that day's "
        "last instant, no hour anyone recorded); `withdrawn_on` the day of a withdrawal given by date alone (its `withdrawn_at` "
        "is then that day's 00:00, or the consent's own instant when given at an hour that day) and `expires_on` the last day of "
        "an expiry given by date alone (its `expires_at` is then 00:00 of the next day); `expired_at` says when an expired consent ended (its own `expires_at` or `max_age` "
        "after it counts from, the earlier). Do not call; record a new consent (`POST /v1/consents`) only when the person gives it again.",
        title="No valid consent", title_zh="无有效营销授权",
    ),
    ReasonCode(
        "MUTED",
        "the customer is muted after complaints",
        "The customer is muted after complaints: no marketing calls at all.",
        "客户因投诉处于静音营销期，禁止任何营销呼叫。",
        ("mute_id", "since", "until", "reason"),
        "Wait until the mute ends (`until`).",
        title="Muted after complaints", title_zh="投诉静音期",
    ),
    ReasonCode(
        "SUITABILITY",
        "product risk level above the customer's",
        "The product's risk level is above what the customer's risk level allows.",
        "产品风险等级高于客户风险承受能力等级（适当性不匹配）。",
        ("product", "product_risk", "customer_risk", "max_product_risk", "customer_id", "products"),
        "Offer a product within the customer's risk level, or re-assess the customer.",
        title="Product not suitable", title_zh="适当性不匹配",
    ),
    ReasonCode(
        "RISK_PROFILE_MISSING",
        "the product needs a risk assessment and there is none, or it expired",
        "The product needs a valid risk assessment and the customer has none, or it expired.",
        "产品要求有效的风险测评，客户未测评或测评已过期。",
        ("product", "assessed_at", "expired_at", "valid_for", "customer_id", "products"),
        "Have the customer complete (or renew) the risk assessment before offering the product.",
        title="Risk assessment missing or expired", title_zh="风险测评缺失或过期",
    ),
    ReasonCode(
        "CALLBACK_DEFERRED",
        "the customer asked not to be called before a later time",
        "The customer asked not to be called before a later time.",
        "客户要求在稍后时间之前不要来电。",
        ("not_before", "deferral_id"),
        "Call again at or after `not_before`.",
        title="Customer asked for later", title_zh="客户要求稍后再联系",
    ),
    ReasonCode(
        "ZONE_UNKNOWN",
        "the callee's time zone cannot be told (the number gives none, no customer records one) and the pack says to deny",
        "The callee's time zone cannot be told, so the calling windows cannot be checked.",
        "无法确定被叫方所在时区，无法判断是否处于允许呼叫时段。",
        ("phone", "region", "pack_timezone"),
        "Record the customer's time zone or US state (`PUT /v1/customers/{id}` `timezone`, `state`), or correct the number's zone in the pack "
        "(`zone_overrides`).",
        title="Time zone unknown", title_zh="时区未知",
    ),
    ReasonCode(
        "QUIET_HOURS",
        "outside the pack's allowed windows in callee local time",
        "Outside the allowed calling windows in the callee's local time.",
        "不在允许的呼叫时段内（按被叫方当地时间）。",
        ("local_time", "timezone", "zone_source", "windows", "state"),
        "Call inside the pack's calling windows; see `next_allowed_at`.",
        title="Outside calling hours", title_zh="非允许呼叫时段",
    ),
    ReasonCode(
        "HOLIDAY",
        "a blocked public holiday in the callee's calendar",
        "It is a blocked public holiday in the callee's calendar.",
        "被叫方当地法定节假日，禁止营销呼叫。",
        ("date", "holiday", "calendar", "timezone", "state", "holiday_names"),
        "Call on a working day; see `next_allowed_at`.",
        title="Public holiday", title_zh="法定节假日",
    ),
    ReasonCode(
        "CUSTOMER_WINDOW",
        "outside the customer's own preferred windows (or their intersection with the pack's is empty)",
        "Outside the customer's own preferred calling windows.",
        "不在客户本人指定的可联系时段内。",
        ("local_time", "timezone", "windows", "intersection_empty"),
        "Call inside the customer's windows; if they never meet the pack's windows, update them.",
        title="Outside the customer's windows", title_zh="不在客户指定时段",
    ),
    ReasonCode(
        "FREQ_CAP",
        "a cap would be exceeded",
        "A call-frequency cap would be exceeded.",
        "超出呼叫频次上限。",
        ("scope", "window", "limit", "count", "tier", "clears_at", "customer_id", "state"),
        "Wait until `clears_at`, when the oldest counted call leaves the window.",
        title="Frequency cap", title_zh="超出呼叫频次",
    ),
    ReasonCode(
        "SCRIPT_NOT_APPROVED",
        "the pack requires an approved script for the campaign and there is none",
        "The campaign requires an approved script and none is approved.",
        "该营销活动要求使用已审核通过的话术，但尚无已通过的话术。",
        ("campaign",),
        "Submit the campaign's script (`POST /v1/scripts`) and have a reviewer approve it.",
        title="Script not approved", title_zh="话术未审核通过",
    ),
    ReasonCode(
        "UNKNOWN_CAMPAIGN",
        "the campaign is not configured",
        "The campaign is not configured.",
        "营销活动未配置。",
        ("campaign",),
        "Configure the campaign in the pack or with `PUT /v1/campaigns/{id}`.",
        title="Unknown campaign", title_zh="营销活动未配置",
    ),
    ReasonCode(
        "UNKNOWN_PRODUCT",
        "the product is not configured, or not part of the campaign",
        "The product is not configured, or is not part of the campaign.",
        "产品未配置，或不属于该营销活动。",
        ("product", "campaign", "why", "products"),
        "Configure the product and list it in the campaign.",
        title="Unknown product", title_zh="产品未配置",
    ),
)

ORDER: dict[str, int] = {r.code: i for i, r in enumerate(REASONS)}
BY_CODE: dict[str, ReasonCode] = {r.code: r for r in REASONS}


def _template_line(code: str) -> str:
    from guard.core.messages import TEMPLATES

    keys = [k for k in TEMPLATES if k == code or k.startswith(code + ".")]
    return "; ".join(f"`{TEMPLATES[k].en}` / `{TEMPLATES[k].zh_cn}`" for k in keys)


def render_markdown() -> str:
    """Render the registry as the `docs/reasons.md` page."""
    lines = [
        "# Reason codes",
        "",
        "Generated from `guard/core/reasons.py` by `python -m guard.core.reasons`; do not edit by hand.",
        "`reasons` in a `/v1/check` answer lists every denying rule in this order.",
        "",
    ]
    for r in REASONS:
        lines += [
            f"## `{r.code}`" + (" (retired)" if r.retired else ""),
            "",
            f"- Denies when: {r.denies_when}.",
            f"- Title: {r.title} / {r.title_zh} / {r.title_zh_tw}",
            f"- Message: {r.message} / {r.message_zh} / {r.message_zh_tw}",
            f"- With its specifics (`messages` of a reason): {_template_line(r.code)}",
            f"- `detail` keys: {', '.join(f'`{k}`' for k in r.detail_keys)}",
            f"- How to resolve: {r.resolution}",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - doc generator entry point
    print(render_markdown(), end="")

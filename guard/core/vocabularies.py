"""Every vocabulary of the guard in one registry: the words clients, packs and people use.

Reason codes have their own registry (`reasons.py`, with their `detail` keys and resolutions);
lint rule ids live in the packs. Everything else a field can hold is listed here once, with what
it means and its labels in simplified Chinese, traditional Chinese (converted, guard.core.i18n) and English: the core's rules, the request schemas, the CLI's
choices, the console (through `GET /v1/meta/vocabularies`) and `docs/vocabularies.md`
(`python -m guard.core.vocabularies`) all read it from here. Codes are never renamed or reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from guard.core.headers import NameTable
from guard.core.i18n import to_traditional


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str
    meaning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    zh_tw_own: str | None = None  # written by hand only where the converter's text is wrong
    also: tuple[str, ...] = ()  # other names a file's cell may give it (the short forms banks' exports write: 网银)

    @property
    def zh_tw(self) -> str:
        """The traditional Chinese label (OpenCC `s2twp` of `zh`, see guard.core.i18n)."""
        return self.zh_tw_own if self.zh_tw_own is not None else to_traditional(self.zh)

    def labels(self) -> dict[str, str]:
        return {"zh-CN": self.zh, "zh-TW": self.zh_tw, "en": self.en}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: str
    where: str  # where the word appears
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term:
        return next(t for t in self.terms if t.code == code)

    def where_extra(self, key: str, value: Any) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms if t.extra.get(key) == value)


def _v(name: str, title: str, where: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, title, where, terms)


T = Term
_LIST = [
    _v("roles", "API key roles", "`guard keys create --role`; every endpoint names the roles it needs",
       T("dialer", "外呼系统", "dialer", "asks before every call and reports its outcome"),
       T("reviewer", "话术审核", "reviewer", "lints, stores and approves scripts"),
       T("auditor", "审计", "auditor", "audits call logs and the decision log; reads decisions and the dashboard"),
       T("operator", "运营/消保", "operator", "customers, blacklist, complaints, products and campaigns"),
       T("admin", "管理员", "admin", "every role, and removals from the blacklist")),
    _v("dispositions", "Call outcomes", "`POST /v1/calls/{decision_id}/outcome` `disposition`; call-log `disposition`",
       T("no_answer", "无人接听", "no answer", "not connected (does not count with `count: connected`)"),
       T("busy", "占线", "busy", "not connected (does not count with `count: connected`)"),
       T("answered", "已接通", "answered"),
       T("refused", "拒绝", "refused", "the callee declined this offer (no suppression by itself)"),
       T("do_not_call", "要求不再来电", "do not call", "blacklists the number and every customer of the call at once"),
       T("callback", "要求稍后再联系", "call back later", "defers the number and the customers until `callback_at` (or the pack's default)"),
       T("complaint", "投诉", "complaint", "files a complaint (sensitive tag, mute, SLA deadlines)"),
       T("wrong_number", "号码有误", "wrong number")),
    _v("blacklist_sources", "Blacklist sources", "`POST /v1/blacklist` `source`; `guard blacklist import --source`",
       T("customer_request", "客户要求", "customer request", "the customer refused marketing (不要再打了)", {"list": "internal"}),
       T("complaint", "投诉", "complaint", "a complaint asked to stop calling", {"list": "internal"}),
       T("manual", "人工", "manual", "entered by an operator", {"list": "internal"}),
       T("registry", "外部登记名单", "external registry", "a national or industry do-not-call registry", {"list": "external"}),
       T("regulator", "监管名单", "regulator", "a list from a regulator", {"list": "external"}),
       T("litigator", "诉讼风险名单", "litigator list", "known litigators", {"list": "external"})),
    _v("dnc_scopes", "Do-not-call scopes", "`detail.scope` of a `DNC_OPT_OUT` reason",
       T("number", "该号码", "this number", "the entry names the number called"),
       T("customer", "该客户的所有号码", "every number of the customer", "the entry names a customer of the call, or another of their numbers")),
    _v("cap_tiers", "Cap tiers", "`cap_tier` of a check; `detail.tier` of a `FREQ_CAP` reason",
       T("normal", "普通", "normal", "the pack's `caps.normal`"),
       T("sensitive", "高敏感客户", "sensitive-customer", "the pack's `caps.sensitive`, for customers tagged sensitive")),
    _v("zone_sources", "Where the callee's zone came from", "`timezone_source` of a check; `detail.zone_source`",
       T("customer", "客户资料", "the customer's record"), T("override", "策略包的号码时区修正", "the pack's correction for the number"),
       T("number", "号码归属地", "the number"), T("pack", "策略包默认时区", "the pack's default"),
       T("state", "客户资料中的州", "the customer's recorded state", "every zone of a state a customer's record names without a zone")),
    _v("number_kinds", "Number types", "pack `numbers.deny_types`; `detail.type` of a `NUMBER_TYPE` reason",
       T("fixed_line", "固定电话", "fixed-line"), T("mobile", "手机号码", "mobile"),
       T("fixed_line_or_mobile", "固定电话或手机号码", "fixed-line or mobile"), T("toll_free", "免费电话", "toll-free"),
       T("premium_rate", "增值收费号码", "premium-rate"), T("shared_cost", "共享费用号码", "shared-cost"),
       T("voip", "网络电话", "VoIP"), T("personal_number", "个人号码", "personal"), T("pager", "寻呼号码", "pager"),
       T("uan", "统一接入号码", "UAN (universal access)"), T("voicemail", "语音信箱", "voicemail"), T("unknown", "未知类型", "unknown-type")),
    _v("number_problems", "Why a number is invalid", "`detail.why` of an `INVALID_NUMBER` reason",
       T("empty or too long", "为空或过长", "empty or too long"),
       T("cannot be parsed as a phone number", "无法解析为电话号码", "cannot be parsed as a phone number"),
       T("not a valid number for its country", "不是所属国家或地区的有效号码", "not a valid number for its country"),
       T("written in scientific notation, as a spreadsheet shows a long number: its last digits are lost; export the column as text",
         "为科学计数法（电子表格显示长数字的方式），末几位数字已丢失；请将该列设为文本格式后重新导出",
         "written in scientific notation, as a spreadsheet shows a long number: its last digits are lost; export the column as text"),
       T("holds two numbers (one after ;): give one number", "含两个号码（以分号分隔）：请只填一个号码",
         "holds two numbers (one after ;): give one number"),
       T("a valid number after a leading 9 or 0, a switchboard's outside-line prefix: give the number without it",
         "去掉开头的 9 或 0（交换机的出局码）后才是有效号码：请填写不含出局码的号码",
         "a valid number after a leading 9 or 0, a switchboard's outside-line prefix: give the number without it")),
    _v("product_types", "Product types", "pack `products[].type`; `product_type` of scripts and `guard lint`",
       T("wealth", "理财", "wealth management"), T("fund", "基金", "fund"), T("insurance", "保险", "insurance"),
       T("deposit", "存款", "deposit"), T("loan", "贷款", "loan"), T("credit_card", "信用卡", "credit card")),
    _v("customer_levels", "Customer risk levels", "`risk_level` of a customer profile",
       *(T(f"C{i}", f"C{i}", f"C{i}", meaning) for i, meaning in enumerate(
           ("conservative (保守型)", "cautious (谨慎型)", "steady (稳健型)", "aggressive (积极型)", "radical (激进型)"), 1))),
    _v("product_levels", "Product risk levels", "pack `products[].risk`; `PUT /v1/products/{code}` `risk`",
       *(T(f"R{i}", f"R{i}", f"R{i}", meaning) for i, meaning in enumerate(
           ("low (低风险)", "medium-low (中低风险)", "medium (中风险)", "medium-high (中高风险)", "high (高风险)"), 1))),
    _v("cap_scopes", "Cap scopes", "pack `caps.*[].scope`",
       T("number", "号码", "number", "attempts to the number, whoever owns it"),
       T("customer", "客户", "customer", "attempts to any number of the customer, counted for every customer of a call")),
    _v("call_purposes", "Purposes of a call", "`POST /v1/check` and `/v1/check/batch` `purpose`; call-log `purpose`; pack `purposes`",
       T("marketing", "营销", "marketing", "the default: every rule of the pack binds, and an allowed call counts against the caps"),
       T("service", "服务", "service", "a service call (complaint follow-up, maturity reminder): only the rules the pack's "
         "`purposes.service.rules` lists bind (every rule when the pack says nothing); never counted by the caps")),
    _v("consent_sources", "Where a number came from", "`source` of a consent record (`POST /v1/consents`, consent CSV import)",
       T("branch_form", "网点纸质/电子表单", "branch form", "signed at a branch", also=("网点", "营业网点", "柜面")),
       T("app", "手机银行/APP", "mobile app", "given in the bank's app", also=("手机银行",)),
       T("online_banking", "网上银行", "online banking", "given in online banking or on the bank's website", also=("网银",)),
       T("credit_card_application", "信用卡申请", "credit-card application", "given with a credit-card application"),
       T("account_opening", "开户", "account opening", "given when an account was opened"),
       T("call_recording", "通话录音", "recorded call", "given orally on a recorded call"),
       T("partner_transfer", "合作方转介", "partner transfer", "passed on by a partner with the person's consent to the transfer"),
       T("purchased_list", "外购名单", "purchased list", "bought from a list vendor"),
       T("other", "其他", "other", "say which in the evidence reference")),
    _v("consent_channels", "Consent scope: channels", "`channels` of a consent record; pack `consent.scopes`",
       T("phone", "电话", "phone calls"), T("sms", "短信", "SMS")),
    _v("withdrawal_channels", "How consent was withdrawn", "`via` of a consent withdrawal",
       T("call", "通话中", "on a call", "the callee said so on a call (an outcome `do_not_call`)"),
       T("complaint", "投诉", "complaint", "a complaint asked to stop calling"),
       T("branch", "网点", "branch", also=("营业网点", "柜面")), T("app", "手机银行/APP", "mobile app", also=("手机银行",)),
       T("online_banking", "网上银行", "online banking", also=("网银",)),
       T("hotline", "客服热线", "hotline", also=("热线", "客服电话")), T("sms", "短信回复", "SMS reply", also=("短信", "短信退订")),
       T("letter", "书面", "letter", also=("信函",)),
       T("operator", "运营人员录入", "entered by an operator")),
    _v("count_modes", "What an attempt must be to count", "pack `count`",
       T("attempts", "全部呼叫", "every attempt"),
       T("connected", "接通的呼叫", "connected attempts", "every attempt except those reported `no_answer` or `busy`")),
    _v("complaint_severities", "Complaint severities", "`POST /v1/complaints` `severity`; pack `complaints.sla`",
       T("light", "一般", "light"), T("medium", "较重", "medium"), T("severe", "严重", "severe")),
    _v("complaint_statuses", "Complaint statuses", "`status` of a complaint; `GET /v1/complaints?status=`",
       T("open", "处理中", "open", "no deadline missed yet"),
       T("overdue", "已超时", "overdue", "a deadline was missed (passed unmet, or met late), or the scheduler marked it"),
       T("resolved", "已办结", "resolved")),
    _v("complaint_events", "Complaint events", "`POST /v1/complaints/{id}/events` `type` (the first five); `events[].type`",
       T("first_response", "首次响应", "first response", "", {"recorded_by": "person"}),
       T("escalated", "升级", "escalated", "to a supervisor", {"recorded_by": "person"}),
       T("resolved", "办结", "resolved", "", {"recorded_by": "person"}),
       T("callback", "满意度回访", "satisfaction callback", "the callback after resolution, with its `result`",
         {"recorded_by": "person"}),
       T("extended", "延期办理", "extended", "a complex complaint's resolution deadline moved to `until`, with the reason in "
         "`note` (and `approved_by` past 30 days from the receipt; never past 60)", {"recorded_by": "person"}),
       T("filed", "登记", "filed", "the complaint was recorded", {"recorded_by": "guard"}),
       T("overdue", "超时", "overdue", "a deadline was missed: found by the scheduler, or when its step was recorded late",
         {"recorded_by": "guard"}),
       T("callback_overdue", "回访超时", "callback overdue",
         "the satisfaction callback was late: found by the scheduler, or when it was recorded late",
         {"recorded_by": "guard"})),
    _v("deadline_kinds", "Complaint deadlines", "`next_due.kind`, `sla.missed` of a complaint",
       T("first_response", "首次响应", "first response"), T("escalate", "升级", "escalation"), T("resolve", "办结", "resolution"),
       T("callback", "满意度回访", "satisfaction callback", "after resolution: pack `complaints.callback` (default 7 days)")),
    _v("complaint_stages", "Complaint workflow stages", "`stage` of a complaint; `GET /v1/complaints?stage=`, `GET /v1/complaints/counts`",
       T("new", "待首次响应", "new", "no first response, escalation or resolution yet"),
       T("first_responded", "已首次响应", "first responded", "the first response was recorded; not escalated, not resolved"),
       T("escalated", "已升级主管", "escalated", "escalated to a supervisor (by a person, or by the scheduler when late); not resolved"),
       T("awaiting_callback", "已办结待回访", "resolved, awaiting callback", "resolved; the satisfaction callback is still to be made"),
       T("callback_done", "已回访", "callback done", "resolved and the satisfaction callback recorded"),
       T("closed", "已办结（无需回访）", "closed", "resolved with no callback due (the pack asks for none, or resolved before callbacks)")),
    _v("callback_results", "Satisfaction callback results", "`result` of a `callback` event",
       T("satisfied", "满意", "satisfied"), T("unsatisfied", "不满意", "unsatisfied", "the customer is not satisfied with the resolution"),
       T("unreachable", "未能联系上", "unreachable", "the customer could not be reached within the callback period")),
    _v("lint_codes", "Script finding codes", "`findings[].code` of a lint; audit violations from transcripts",
       T("BANNED_PHRASE", "禁用表述", "banned phrase", "a promise or claim a script must never make (保本保息, 零风险)", {"rule": "phrase"}),
       T("MISLEADING", "误导性表述", "misleading", "wording that misleads (历史最高收益 instead of 业绩比较基准)", {"rule": "phrase"}),
       T("PRESSURE", "施压营销", "pressure selling", "urgency and pressure (最后一天, 名额有限)", {"rule": "phrase"}),
       T("MISSING_DISCLOSURE", "缺少必要提示", "missing disclosure", "a mandatory risk disclosure is absent", {"rule": "disclosure"})),
    _v("lint_severities", "Finding severities", "pack `phrases[].severity`; `findings[].severity`",
       T("error", "错误", "error", "the verdict is `fail`"), T("warning", "警告", "warning", "the verdict is at least `warn`")),
    _v("verdicts", "Lint verdicts", "`verdict` of a lint or a stored script",
       T("pass", "通过", "pass"), T("warn", "警告", "warn", "warnings only: may be approved"), T("fail", "不通过", "fail",
                                                                                                "errors: cannot be approved")),
    _v("finding_judgements", "A reviewer's judgement of a finding", "`judgement` of `POST /v1/scripts/{id}/judgements`",
       T("false_alarm", "误报", "false alarm", "the words make no claim the rule is about"),
       T("confirmed", "属实", "confirmed", "the finding is right")),
    _v("audit_codes", "Audit-only violation codes", "audit violations, beside every reason code and every lint code",
       T("UNCHECKED_CALL", "无有效决策即拨打", "dialled without a decision",
         "no `decision_id`, or one that does not exist, was a dry run, was for another number or was another dialer's"),
       T("CALLED_DESPITE_DENY", "决策拒绝仍拨打", "called although denied", "the decision the call names said no")),
    _v("unchecked_whys", "Why a call counts as unchecked", "`detail.why` of an `UNCHECKED_CALL` violation",
       T("no decision_id", "未提供决策编号", "no decision_id"), T("unknown decision", "决策编号不存在", "unknown decision"),
       T("the decision was a dry run", "该决策是试算", "the decision was a dry run"),
       T("the decision was for another number", "该决策针对的是另一个号码", "the decision was for another number"),
       T("the decision was obtained by another dialer", "该决策由另一外呼系统取得", "the decision was obtained by another dialer",
         "the decision-log audit: an outcome reported with another dialer's key (refused, 403 `NOT_YOUR_DECISION`) is a dial "
         "made on a decision that allowed the other dialer's call; `key_id` names the key that reported it"),
       T("the call was placed before its decision", "呼叫早于决策", "the call was placed before its decision"),
       T("the decision had expired when the call was placed", "呼叫时决策已过有效期", "the decision had expired when the call was placed"),
       T("the decision was used by an earlier call", "该决策已被之前的呼叫使用", "the decision was used by an earlier call",
         "a decision allows one call; `first_call_id` names the call that used it")),
    _v("audit_statuses", "Audit statuses", "`status` of an audit",
       T("queued", "排队中", "queued"), T("running", "进行中", "running"), T("done", "已完成", "done"),
       T("failed", "失败", "failed", "`error` says why (a reaper fails an audit whose process died)"),
       T("cancelled", "已取消", "cancelled", "stopped on request: what it wrote stays, but it has no summary and no report")),
    _v("audit_bases", "Audit bases", "`basis` of a call-log audit (`POST /v1/audits?basis=`, `guard audit --basis`)",
       T("known_then", "按当时所知", "as known then",
         "each call judged by what the guard held at the call's time (what the decision log proves; the default)"),
       T("known_now", "按现在所知", "as known now",
         "each call judged by the facts' own effective times as known now: risk assessment dates, blacklist `added_at`, "
         "outcome times, late-reported opt-outs (was the call compliant?)")),
    _v("profile_fields", "Customer profile fields", "`PUT /v1/customers/{id}` fields; `trail[].detail.fields` of a customer overview",
       T("phones", "号码", "numbers"), T("risk_level", "风险等级", "risk level"), T("risk_assessed_at", "测评时间", "risk assessed at"),
       T("tags", "标签", "tags"), T("windows", "可联系时段", "calling windows"), T("timezone", "时区", "time zone"),
       T("state", "所在州/地区", "state")),
    _v("trail_actions", "Audit-trail actions", "`trail[].action` of a customer overview",
       T("profile_created", "创建客户资料", "profile created"), T("profile_changed", "修改客户资料", "profile changed"),
       T("guard_tag_removed", "移除投诉标签", "complaint tag removed",
         "a tag the guard set from a complaint (sensitive) removed by an admin, with the reason"),
       T("blacklist_added", "加入黑名单", "blacklisted"), T("blacklist_removed", "移出黑名单", "removed from blacklist"),
       T("blacklist_lapsed", "黑名单到期失效", "blacklist entry lapsed",
         "an entry that ended at its own expiry (left to expire, or closed there when listed again by the same source): nobody's removal"),
       T("muted", "静音营销", "muted"), T("mute_lifted", "解除静音", "mute lifted"), T("deferred", "暂缓呼叫", "deferred"),
       T("complaint_filed", "记录投诉", "complaint recorded"), T("complaint_first_response", "投诉首次响应", "complaint: first response"),
       T("complaint_escalated", "投诉升级", "complaint escalated"), T("complaint_resolved", "投诉办结", "complaint resolved"),
       T("complaint_overdue", "投诉超时", "complaint overdue"),
       T("complaint_callback", "投诉满意度回访", "complaint: satisfaction callback"),
       T("complaint_callback_overdue", "投诉回访超时", "complaint: callback overdue")),
    _v("error_codes", "API error codes", "`error.code` of every error answer, with its HTTP status",
       T("INVALID_REQUEST", "请求有误", "invalid request", "a field is missing or wrong; `details` names it", {"status": 400}),
       T("INVALID_JSON", "请求体不是有效 JSON", "invalid JSON", "the body is not UTF-8 JSON, or nested too deep", {"status": 400}),
       T("BAD_REQUEST", "请求有误", "bad request", "the request cannot be read", {"status": 400}),
       T("CLOCK_SKEW", "时钟偏差过大", "clock skew", "a client instant is too far from the server clock", {"status": 400}),
       T("UNAUTHORIZED", "未认证", "unauthorized", "no key, or an unknown or revoked one; or no live console session", {"status": 401}),
       T("FORBIDDEN", "无权限", "forbidden", "the key (or the signed-in person) lacks the role", {"status": 403}),
       T("SIGN_IN_FAILED", "用户名或密码错误", "sign-in failed", "wrong user name or password (the same answer for a name that "
         "does not exist)", {"status": 401}),
       T("SIGN_IN_LOCKED", "登录暂时锁定", "sign-in locked", "too many failed sign-ins for this name (`GUARD_SIGNIN_MAX_FAILURES`); "
         "`Retry-After` says when to try again", {"status": 429}),
       T("NOT_YOUR_DECISION", "非本外呼系统的决策", "not your decision", "an outcome reported with a dialer key other than the "
         "one that obtained the decision: only that key, a key with the same label (its rotated successor) or an admin "
         "reports it", {"status": 403}),
       T("ACCOUNT_DISABLED", "账户已停用", "account disabled", "`guard users disable`: the right password, but the account may "
         "not sign in", {"status": 403}),
       T("NO_ROLE", "无对应角色", "no role", "the directory knows the person, but none of their groups is mapped to a role "
         "(`GUARD_LDAP_ROLE_MAP`)", {"status": 403}),
       T("CSRF_FAILED", "缺少防伪令牌", "CSRF token missing", "a change made with a console session lacks the session's "
         "`X-CSRF-Token` header", {"status": 403}),
       T("DIRECTORY_UNAVAILABLE", "目录服务不可用", "directory unavailable", "the directory (LDAP) cannot be reached or refused "
         "the guard: nobody signs in through it until it answers", {"status": 503}),
       T("NOT_FOUND", "不存在", "not found", "", {"status": 404}),
       T("METHOD_NOT_ALLOWED", "方法不允许", "method not allowed", "", {"status": 405}),
       T("REQUEST_TIMEOUT", "请求超时", "request timeout", "the body stopped arriving", {"status": 408}),
       T("CONFLICT", "冲突", "conflict", "the request contradicts what is stored; `details` says what is there", {"status": 409}),
       T("PHONE_TAKEN", "号码已属他人", "phone taken", "a number of the profile belongs to another customer", {"status": 409}),
       T("SCRIPT_FAILS_LINT", "话术未通过检查", "script fails the lint", "a version whose verdict is `fail`, or that fails now under a "
         "product type its campaign sells, cannot be approved (`details`: per type, the verdict and the findings)", {"status": 409}),
       T("FOUR_EYES_REQUIRED", "需他人复核", "four eyes required", "the pack's `script_approval.four_eyes`: the person (or key) that "
         "stored a script version cannot approve it; another reviewer must", {"status": 409}),
       T("AUDIT_NOT_DONE", "审计未完成", "audit not done", "the report exists once the audit is done", {"status": 409}),
       T("STALE_VERSION", "版本已过期", "stale version", "`If-Match` names a version that is no longer current", {"status": 412}),
       T("PAYLOAD_TOO_LARGE", "请求过大", "payload too large", "", {"status": 413}),
       T("UNSUPPORTED_MEDIA_TYPE", "内容类型不支持", "unsupported media type", "", {"status": 415}),
       T("RATE_LIMITED", "请求过于频繁", "rate limited", "over `GUARD_RATE_LIMIT`; `Retry-After` says when (a check: do not dial)",
         {"status": 429}),
       T("TOO_MANY_REQUESTS", "请求过于频繁", "too many requests", "", {"status": 429}),
       T("JOBS_BUSY", "后台任务已满", "background jobs busy", "`GUARD_MAX_BACKGROUND_JOBS` audits and simulations are queued or "
         "running already: nothing was started; `details` lists them, `Retry-After` says when to try again", {"status": 429}),
       T("INTERNAL_ERROR", "内部错误", "internal error", "a bug: logged; do not dial", {"status": 500}),
       T("STORE_UNAVAILABLE", "存储不可用", "store unavailable", "the store cannot be reached: do not dial", {"status": 503}),
       T("NO_POLICY", "无可用策略", "no policy", "no valid pack version can decide: do not dial", {"status": 503}),
       T("IDEMPOTENCY_KEY_REUSED", "幂等键已用于其他请求", "idempotency key reused", "the `Idempotency-Key` of a check was used "
         "within its retention for a request with another body: nothing was decided; `details` names the decision it holds", {"status": 422}),
       T("INSTANT_NOT_COVERED", "时间不在策略覆盖范围内", "instant not covered",
         "a dry run's `at` or a complaint's `received_at` lies where no pack version is in effect; `details` names the field "
         "and the range each pack covers", {"status": 422}),
       T("SERVICE_UNAVAILABLE", "服务不可用", "service unavailable", "", {"status": 503})),
]

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in _LIST}


def codes(name: str) -> tuple[str, ...]:
    return VOCABULARIES[name].codes


@lru_cache(maxsize=None)
def _names(name: str) -> NameTable:
    return NameTable({t.code: (t.zh, t.zh_tw, t.en, *t.also) for t in VOCABULARIES[name].terms})


def code_of(name: str, value: str) -> str | None:
    """The code of vocabulary `name` a file's cell names, or None: its code or its labels (Chinese, traditional, English)
    or another name it is known by, read as header cells are (any case, spaces and underscores aside: `SMS`, `Hotline`,
    短信, 簡訊, 网银)."""
    return value if value in VOCABULARIES[name].codes else _names(name).column(value)


def as_json() -> dict[str, Any]:
    """Every vocabulary as `GET /v1/meta/vocabularies` serves it (reason codes included); `also`: the other names an
    import reads as the code (网银), for a console or client to show and accept them too."""
    from guard.core.reasons import REASONS

    out: dict[str, Any] = {
        name: {"title": v.title, "terms": [{"code": t.code, "zh": t.zh, "zh_tw": t.zh_tw, "en": t.en, "meaning": t.meaning,
                                                    "also": list(t.also), **t.extra} for t in v.terms]}
        for name, v in VOCABULARIES.items()
    }
    out["reason_codes"] = {"title": "Reason codes", "terms": [
        {"code": r.code, "zh": r.title_zh, "zh_tw": to_traditional(r.title_zh), "en": r.title, "meaning": r.denies_when,
         "message_zh": r.message_zh, "message_zh_tw": to_traditional(r.message_zh), "message": r.message, "retired": r.retired}
        for r in REASONS]}
    return out


def render_markdown() -> str:
    """The registry as the `docs/vocabularies.md` page."""
    lines = [
        "# Vocabularies",
        "",
        "Generated from `guard/core/vocabularies.py` by `python -m guard.core.vocabularies`; do not edit by hand.",
        "Reason codes are in [reasons.md](reasons.md); `GET /v1/meta/vocabularies` serves all of them as JSON.",
        "",
    ]
    for v in VOCABULARIES.values():
        extra_keys = sorted({k for t in v.terms for k in t.extra})
        head = ["code", "简体中文", "繁體中文", "English", "meaning", *extra_keys]
        lines += [f"## {v.title} (`{v.name}`)", "", f"Where: {v.where}.", "", "| " + " | ".join(head) + " |",
                  "|" + "---|" * len(head)]
        for t in v.terms:
            also = f" (also read: {', '.join(t.also)})" if t.also else ""
            cells = [f"`{t.code}`", t.zh, t.zh_tw, t.en, (t.meaning + also).strip(), *(str(t.extra.get(k, "")) for k in extra_keys)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - doc generator entry point
    print(render_markdown(), end="")

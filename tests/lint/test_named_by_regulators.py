"""Wordings a regulator's or a rule's own text names as misleading are findings of the shipped pack's rules.

Each wording below is quoted from a source stored in policies/sources/lint-citations.yaml — the test checks that it
stands in the text read there — with the product type the source says it of. A rule (not the learned scorer) must
find it, alone and inside a seller's sentence.
"""

from __future__ import annotations

import pytest

from guard.core.lint import compile_rules
from policies.citations import load
from policies.lint_docs import shipped_pack
from tests.lint.named_corpus import CARRIER, found

SOURCES = load().instruments
NAMED = [
    # 北京金融监管局 2024-09-12 风险提示 on 炒停售
    ("beijing_stop_sale_2024", "即将停售，绝版抢购", "insurance"),
    ("beijing_stop_sale_2024", "停售倒计时，错过不再有", "insurance"),
    ("beijing_stop_sale_2024", "错过即无", "insurance"),
    # 原保监会 2008 and 甘保监发〔2012〕37号 on insurance sold through banks
    ("circ_bank_channel_2008", "银行和保险公司联合推出", "insurance"),
    ("circ_bank_channel_2008", "银行理财新业务", "insurance"),
    ("gansu_bank_channel_2012", "存单变保单", "insurance"),
    # 上海市工商局 2012 on bank wealth products' advertisements
    ("shanghai_aic_2012", "業績優良", "wealth"),
    ("shanghai_aic_2012", "名列前茅", "wealth"),
    ("shanghai_aic_2012", "位居前列", "wealth"),
    # 资管新规 and 广告法第二十五条（一）
    ("asset_management_guidance_2018", "保本保收益", "wealth"),
    ("advertising_law", "保本", "fund"),
    ("advertising_law", "无风险", "fund"),
    ("advertising_law", "保收益", "fund"),
    # 银保监会消保局 2020-12-18 通报 and 北京银保监局 2021-08-24 通知 on insurance teaser prices (insurance.teaser_price)
    ("cbirc_cp_teaser_price_2020", "首月0元", "insurance"),
    ("cbirc_cp_teaser_price_2020", "首月0.1元", "insurance"),
    ("cbirc_cp_teaser_price_2020", "首月立减", "insurance"),
    ("beijing_internet_insurance_2021", "首月1元", "insurance"),
    ("beijing_internet_insurance_2021", "1元升级", "insurance"),
    ("beijing_internet_insurance_2021", "免费赠险", "insurance"),
    ("beijing_internet_insurance_2021", "实物抽奖", "insurance"),
    ("beijing_internet_insurance_2021", "限时停售", "insurance"),
    # 原银保监会消保局 2020年第5号风险提示 on live-streamed finance: the 噱头 it names, for loans, insurance and wealth
    ("cbirc_cp_livestream_2020", "最快x分钟放款", "loan"),
    ("cbirc_cp_livestream_2020", "免息", "loan"),
    ("cbirc_cp_livestream_2020", "首月仅需几元", "insurance"),
    ("cbirc_cp_livestream_2020", "限时限量", "loan"),
    ("cbirc_cp_livestream_2020", "限时限量", "insurance"),
    ("cbirc_cp_livestream_2020", "限时限量", "wealth"),
    # and 2020年第6期 on over-borrowing: 零利息 is no zero cost
    ("cbirc_cp_overborrowing_2020", "零利息", "loan"),
    ("cbirc_cp_overborrowing_2020", "零利息", "credit_card"),
    # 北京银保监局 2020-09-07 消费提示 on loan 黑中介: the bait it names
    ("beijing_loan_intermediary_2020", "无需审批", "loan"),
    ("beijing_loan_intermediary_2020", "无需审批", "credit_card"),
]


@pytest.fixture(scope="module")
def linter():
    return compile_rules(shipped_pack())


def _rules(linter, text: str, product_type: str) -> set[str]:
    """The rules (phrase rules and missing disclosures alike) with a finding on `text`."""
    return {f.rule for f in linter.lint(text, product_type).findings}


def _assert_discloses_and_claims_nothing(linter, text: str, product_type: str, *disclosures: str) -> None:
    """`text` makes each of `disclosures` (none is reported missing) and has no phrase finding."""
    findings = linter.lint(text, product_type).findings
    assert set(disclosures).isdisjoint(f.rule for f in findings if f.code == "MISSING_DISCLOSURE")
    assert [f.rule for f in findings if f.code != "MISSING_DISCLOSURE"] == []


@pytest.mark.parametrize("source,words,product_type", NAMED, ids=[w for _, w, _ in NAMED])
def test_a_wording_a_source_names_is_a_rules_finding(linter, source, words, product_type):
    assert any(words in text for text in SOURCES[source].articles.values()), f"{words} is not in {source}'s text"
    assert found(linter, words, product_type, 0, len(words))  # a rule's finding, not the scorer's, covers it
    at = CARRIER.index("{}")
    assert found(linter, CARRIER.format(words), product_type, at, at + len(words))  # and inside a seller's sentence


# Disclosures a source requires, in the source's own words: (rule, source, words, product type). A script that says
# them has made the disclosure. (执业证件编号, 电话录音 and 服务电话 — the 2023 办法's own terms — were not accepted before.)
REQUIRED = [
    ("disclosure.insurance_identity", "insurance_sales_2023", "本人执业证件编号", "insurance"),
    ("disclosure.insurance_identity", "tw_telemarketing_2018", "登錄字號", "insurance"),  # Taiwan's register number
    ("disclosure.recording_notice", "insurance_sales_2023", "电话录音", "insurance"),
    ("disclosure.complaint_channel", "insurance_sales_2023", "服务电话", "insurance"),
    ("disclosure.cooling_off", "insurance_sales_2023", "犹豫期", "insurance"),
    ("disclosure.surrender_value", "insurance_sales_2023", "人身保险的现金价值", "insurance"),
    ("disclosure.insurance_is_insurance", "insurance_sales_2023", "双方订立的是保险合同", "insurance"),
    ("disclosure.apr", "pboc_announcement_2021_3", "年化利率", "loan"),
    ("disclosure.past_performance_caveat", "baa_past_performance_2023", "理财产品过往业绩不代表其未来表现，不等于理财产品实际收益", "wealth"),
    ("disclosure.benchmark_caveat", "disclosure_draft_2025", "业绩比较基准并非预期收益率，不代表产品未来表现和实际收益，不构成收益承诺", "wealth"),
    ("disclosure.investment_risk", "shanghai_aic_2012", "理财非存款，产品有风险，投资须谨慎", "wealth"),
]


@pytest.mark.parametrize("rule,source,words,product_type", REQUIRED, ids=[r for r, *_ in REQUIRED])
def test_a_disclosure_made_in_its_sources_own_words_is_made(linter, rule, source, words, product_type):
    assert any(words in text for text in SOURCES[source].articles.values()), f"{words} is not in {source}'s text"
    # (and the required words are no claim: 业绩比较基准并非预期收益率 names 预期收益率 to deny it)
    _assert_discloses_and_claims_nothing(linter, f"您好，{words}。", product_type, rule)


def test_taiwans_standard_fund_warning_discloses_the_risk_and_claims_nothing(linter):
    """The warning Taiwan's fund companies print on every promotion, as published (moneydj.com/funddj/AD/capital/1060927/
    edm.html): it says the fund may lose principal, so the fund risk disclosure is made; its 不保證…最低投資收益 and 不負責
    本基金之盈虧 deny what the guarantee rules look for."""
    warning = ("本基金經金融監督管理委員會同意生效,惟不表示本基金絕無風險。本證券投資信託事業以往之經理績效不保證本基金之最低投資收益;"
               "本證券投資信託事業除盡善良管理人之注意義務外,不負責本基金之盈虧,亦不保證最低之收益,投資人申購前應詳閱基金公開說明書。"
               "本基金並無受存款保險、保險安定基金或其他相關保障機制之保障,基金投資可能發生部分或全部本金之損失,投資人須自負盈虧。")
    _assert_discloses_and_claims_nothing(linter, warning, "fund", "disclosure.fund_risk")


def test_taiwans_short_fund_warning_discloses_the_risk_and_claims_nothing(linter):
    """The warning said at every fund subscription in Taiwan, alone (moneydaily.com.tw/?p=11848: 「基金投資有賺有賠，申購前應
    詳閱公開說明書」, after the 證券投資信託及顧問法's rules; fund advertisements open it with 投資一定有風險)."""
    _assert_discloses_and_claims_nothing(linter, "投資一定有風險，基金投資有賺有賠，申購前應詳閱公開說明書。", "fund", "disclosure.fund_risk")
    _assert_discloses_and_claims_nothing(linter, "基金投資有賺有賠，申購前應詳閱公開說明書。", "fund", "disclosure.fund_risk")


def test_the_mainland_fund_documents_standard_warnings_make_their_disclosures_and_claim_nothing(linter):
    """A fund's prospectus summary as published (上海证券报 2007-08-27, whmsebhyy.com/money/fund/20070827/08003918487.shtml):
    投資有風險 and 基金的過往業績并不預示其未來表現 are the mainland fund documents' standard sentences."""
    text = ("投資有風險，投資人申購基金時應認真閱讀本招募說明書。 基金的過往業績并不預示其未來表現。"
            "本基金管理人依照恪盡職守、誠實信用、謹慎勤勉的原則管理和運用基金財產，但不保證基金一定盈利，也不保證最低收益。")
    _assert_discloses_and_claims_nothing(linter, text, "fund", "disclosure.fund_risk", "disclosure.past_performance_caveat")


# The rules' own texts quote claims to forbid them (广告法第二十五条：…不得含有下列内容：（一）…明示或者暗示保本、无风险或者保收益)
# or state terms a seller may repeat (存款保险实行限额偿付): linted as a script, no finding. Not under insurance: the deposit
# insurance regulation's 存款本金和利息, the 2018 deposit notice's 存款本金和利息 and the credit-card notice's 利息, said in an
# insurance script, are deposit wording.
NOT_UNDER = {("deposit_insurance_regulation", "insurance"), ("credit_card_notice_2022", "insurance"),
             ("deposit_deviation_2018", "insurance")}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_the_texts_of_the_rules_are_no_pitch(linter, source):
    from guard.core.pack import PRODUCT_TYPES

    findings = [(article, product_type, f.rule, f.matched)
                for article, text in SOURCES[source].articles.items()
                for product_type in PRODUCT_TYPES if (source, product_type) not in NOT_UNDER
                for f in linter.lint(text, product_type).findings if f.code != "MISSING_DISCLOSURE"]
    assert findings == []


def test_hong_kongs_standard_fund_warning_makes_its_disclosures(linter):
    """As a Hong Kong broker's fund page has it (utrade.com.hk/tc/Products/Mutual-Funds)."""
    _assert_discloses_and_claims_nothing(linter, "投資涉及風險。過往業績數據並非未來業績的指標。", "fund",
                                         "disclosure.fund_risk", "disclosure.past_performance_caveat")


@pytest.mark.parametrize("text", [
    # Hong Kong: an insurer's page on the IA's cooling-off guideline (GL29), yflife.com/tc/blog/cooling-off-period/
    "保險冷靜期是指保單持有人或指定代表在收到保單文件或冷靜期通知書後,可於指定時限內申請取消保單並獲退還保費的機制。",
    # Taiwan: a county government's consumer-protection page, cihtong.yunlin.gov.tw/News_Content.aspx?n=11601&s=323768
    "可以後悔,但必須在收到保單的隔天起十日內,向保險公司撤銷契約,保險公司應該無條件退還保費,並且不收取任何利息。",
])
def test_the_cooling_off_right_in_taiwans_and_hong_kongs_words_is_disclosed(linter, text):
    _assert_discloses_and_claims_nothing(linter, text, "insurance", "disclosure.cooling_off")


@pytest.mark.parametrize("text,teaser", [
    ("这款医疗险首月0.1元，次月起每月按原价扣费。", True),   # the 通报's 首月0.1元, with the premium spread after it
    ("首月免費，保障一整年。", True),                      # the same pitch in traditional characters
    ("首月保费为120元，以后每月都是120元。", False),        # a first month's premium stated, not a teaser price
    ("保额由50万元升级为100万元，保费相应调整。", False),    # an upgrade of cover priced as it is, not 1元升级
])
def test_a_teaser_price_is_told_from_a_premium_stated(linter, text, teaser):
    """insurance.teaser_price reads the amount next to 首月 and the 1元 of 1元升级, not any amount near those words."""
    assert ("insurance.teaser_price" in _rules(linter, text, "insurance")) is teaser


@pytest.mark.parametrize("text,named", [
    # a mutual named in the 银保监会消保局's 2020 通报 (众惠财产相互保险社), and a bank that agents insurance, in full
    ("您好，我是众惠财产相互保险社的销售人员，执业证编号0202000004123123。", True),
    ("您好，我是华兴银行股份有限公司的客户经理，执业证编号0202000005123123。", True),
    ("您好，我是安盈人壽保險股份有限公司的業務員，執業證編號0202000006123123。", True),
    # the short names a script uses every day: not the 全称 the paragraph asks for
    ("您好，我是安盈人寿的销售人员，执业证编号0202000007123123。", False),
    ("您好，我是华兴银行的客户经理，执业证编号0202000008123123。", False),
])
def test_the_company_is_named_in_full_as_paragraph_two_of_article_24_asks(linter, text, named):
    """保险销售行为管理办法第二十四条第二款: a seller by telephone states 本人姓名、所属保险公司或者保险中介机构全称、本人执业证件编号."""
    rules = _rules(linter, text, "insurance")
    assert "disclosure.insurance_identity" not in rules
    assert ("disclosure.insurance_company_name" not in rules) is named


@pytest.mark.parametrize("text,promise", [
    ("资管新规要求打破刚性兑付，理财产品不再保本。", False),        # the 资管新规's own term
    ("刚兑打破之后，理财产品的净值会有波动。", False),              # the same, the other way round
    ("随着刚兑的打破，银行理财走向净值化。", False),
    ("告别刚兑以后，理财收益不再固定。", False),
    ("我们这款理财是刚兑的，到期一定还本付息。", True),             # a seller's promise of it
])
def test_the_end_of_rigid_redemption_is_no_promise_of_it(linter, text, promise):
    assert ("guarantee.principal_and_interest" in _rules(linter, text, "wealth")) is promise

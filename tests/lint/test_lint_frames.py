"""The linter's context on real text: sentence frames (reports, reported speech, questions, regulations
cited by title, public beliefs, disclaimers, concessions, quotations named as terms) and the rule
families written for real wording. Fixtures are real published sentences from the development sets
(tests/lint/real/dev.jsonl, dev_b.jsonl, dev_d.jsonl) or other published text, with the item id and the source; the engine tests use
a small pack of their own so that they hold whatever the shipped rules say.
"""

from __future__ import annotations

import pytest

from tests.lint.test_lint_language import linter_of, matched, rule

# -- sentence frames (engine, own pack) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain():
    return linter_of(rule(patterns=["保本保息", "零风险", "比定存好"]), rule("r.push", code="PRESSURE", patterns=["限时"]))


@pytest.mark.parametrize("text", [
    "该支行因向客户承诺保本保息被罚款30万元",  # a penalty
    "法院审理认为，其宣传材料并未承诺保本保息",  # a court
    "诈骗集团以零风险为饵，吸引民众入金",  # fraud
    "这些销售人员误导消费者，称产品零风险",  # mis-selling named as such
    "该机构号称产品零风险",  # a claim reported
    "他说五年保本保息，我就买了",  # a third person's words
    "理财经理说这款产品零风险，可当我问及风控措施，对方却支支吾吾",
    "银行的理财经理说这款产品保本保息",  # a third person's manager, reported (the longer subject stands)
    "业务员对我说这款产品零风险",
    "營業員向伊表示這檔基金零風險",  # a Taiwan salesperson's words, as a judgment records them
    "这款产品是否保本保息？",  # a question
    "不少民众误以为储蓄险零风险",  # a public belief
    "已触碰《私募投资基金监督管理暂行办法》第十二条，不得宣传保本保息",  # a regulation cited by title
    "宣传中不断重复“收益确定”、“保本保息”，甚至强调还能随时贷款",  # a list of quoted terms
    "并冠以“零风险”等术语",  # a quotation named as a term
    "平台常使用紧迫感营销，如”限时抢购”、”名额有限”等",  # closing marks typed on both sides
    "销售人员不应向客户承诺保本保息",  # a rule
    "金管會對該行核處罰鍰，因理專向客戶宣稱保本保息",  # a regulator (traditional script)
    "有些平台承诺零风险，但合同里的担保方就是平台自己",  # some of a kind, said to claim
    "销售人员一再强调该产品零风险",  # a third person's emphasis, reported (dev_i i0080)
    "推銷員強調:「保本保息」",
    "虽然号称零风险，但这是保险产品",  # a concession
    "投资哪有零风险的？",  # a rhetorical "where is there" negates
    "这款产品真的零风险吗？",  # a doubting question
    "大家常误解储蓄险零风险",  # a misunderstanding named as such
    "(四)向投资者口头承诺保本保息;",  # an item of a legal enumeration
    "（二）在营销中限时认购，诱导投资者；",
    "不得使用绝对化的表述，如零风险、保本保息等。",  # examples of wording a rule names
    "宣传材料中存在包含保本保收益内涵的表述,如零风险等;",
    "应当避免以下情形，包括但不限于限时认购、零风险等。",
    "客户经理先推荐了一款理财，称这款理财保本保息。",  # a clause opening with 称: what someone said
    "理财经理当时承诺“保本保息”，我才买的。",  # a quotation right after a verb of promising
    "这类产品营造出零风险的假象。",  # a tactic described
    "直播间里营造限时抢购的紧张氛围。",
    "退休教师许某告诉记者，公司承诺保本保息",  # a person named 某 told it (dev_g g0038)
    "王先生說，當初買的保單能夠保本保息",  # a person named by a title said it (dev_d d0231)
    "當初說能零风险，現在連3%都不到",  # the story's subject left out after a time word (dev_d d0156)
    "常见销售纠纷，包括承诺保本保息",  # mis-selling named (dev_f f0182)
    "饥饿营销类：宣传限时销售",  # a tactic named (dev_h h0054)
    "现场被推荐购买了一款“零风险”的产品",  # the customer sold to, in the passive (dev_h h0141)
    "高回報+保本保息=完美陷阱",  # named a trap (dev_g g0330)
    "刷到‘零风险’广告",  # named an advertisement (dev_d d0121)
    "当时用的话术是「保本保息」",  # a quotation named a pitch's wording (dev_i i0037)
    "房贷储蓄险套利，听起来就像是零风险的完美计画",  # an appearance the writer doubts (dev_r r0898)
    "这种设计仿佛是零风险的投资",  # (dev_d d0083)
    "别再觉得「银行卖的就一定保本保息」",  # a belief the reader is told to drop (dev_r r0357)
    "这两位工作人员承诺保本保息",  # a person's promise, told (dev_q q1885)
    "那些承诺高额分红、保本保息的养老项目您可得小心",  # (dev_d d0014)
    "或用历史较高收益率进行宣传并承诺保本保息。",  # a promise named by its object (dev_h h0211, a regulator's list)
    "对保险产品的不确定利益承诺保本保息;",  # (dev_r r0178, a listed form of mis-selling)
    "向客户承诺零风险，甚至保本保息。",  # to the sentence's end (dev_u u0619)
    "该公司限时认购被银保监局处罚",  # a regulator's penalty still frames
    "柜台工作人员一再向黄女士推荐一款理财产品，并表示它零风险。",  # a clause opening with 并表示: the subject said it (dev_u u0434)
    "她的代理人向她推介了一份保單，並指出它保本保息",  # 並指出 (dev_r r0756)
    "也有很多同行会大力推荐这类产品给客户，并着重强调保本保息。",  # an adverb between (dev_q q1914)
    "某行理财经理推荐一款产品，并一再说它零风险",  # 说 after an adverb (the pattern's cheap pre-test once missed it)
    "按照小莉的推演，这款产品保本保息",  # according to a person's account (dev_r r0031)
    "按照他的理解是：每個月都零风险",  # (dev_e e0255)
    "民眾常忽略了買美元保單的三大迷思，例如將美元保單當作零风险",  # a myth named (dev_d d0359)
    "经金管会核准或同意生效，惟不表示绝无零风险",  # a regulator's 核准 in a fund's standard warning (dev_q q1142)
    "理专只讲保本保息，不讲风险",  # a one-sided pitch told (dev_q q1902)
    "以产品零风险为由进行宣传销售",  # a pretext named (dev_r r0176)
    "两全保险常被宣传为保本保息的理想选择",  # what it was advertised as (dev_r r0347)
    "因周宜潔稱系爭連動債與定期存款相同保本保息，上訴人遂同意申購",  # a court's parties and words (dev_s s1063)
    "二审维持原判：该行对客户承诺零风险",
    "销售机构不得有下列情形：承诺保本保息；限时认购；",  # a rule's list of what is forbidden (dev_s s0151)
    "例如误将分红险的不确定收益视为保本保息产品",  # a mistaken taking-for (dev_s s0608)
    "不要只看宣传页上的保本保息",  # a warning to look beyond one figure (dev_s s0604)
    "监管叫停零风险的理财型保险",  # a regulator halting a kind of product (dev_s s0562)
    "李大姐告诉张大妈，这款理财保本保息",  # people named by a title (大姐, 大妈, as 先生, 女士) told it (dev_s s0022)
    "隔壁阿姨说这款理财零风险",
    "投资者自认为买的是保本保息的理财",  # what an investor took it to be (自认为, as 误以为; dev_s s0032)
    "听银行的一位理财经理讲，这款理财零风险",  # 讲 is 说 in speech (dev_t t0308)
    "比如有个产品宣传零风险，乍看很划算",  # one of a kind left unnamed, said to claim (dev_p p1073)
])
def test_a_report_or_a_mention_gives_no_finding(plain, text):
    assert matched(plain, text) == [], text


@pytest.mark.parametrize("text,found", [
    ("这款产品保本保息，您放心", ["保本保息"]),
    ("我跟您说，这款产品零风险", ["零风险"]),  # the speaker is the salesperson
    ("我是华兴银行理财经理，跟您说，这款产品零风险", ["零风险"]),  # introducing themself, speaking to the customer
    ("我是元大證券營業員，跟您說，這檔基金零風險", ["零風險"]),  # a 營業員 introducing themself
    ("这款就是“保本保息”的", ["保本保息"]),  # one quotation alone names nothing
    ("这款产品是否保本保息，您可以看合同", ["保本保息"]),  # no question mark, no question
    ("这么好的零风险产品，您还不心动吗？", ["零风险"]),  # a rhetorical question pitches
    ("很多客户都说这款产品零风险", ["零风险"]),  # hearsay as social proof pitches
    ("这款产品真的零风险", ["零风险"]),  # no question mark: an emphatic claim
    ("限时认购，您真的不心动吗？", ["限时"]),  # a doubting question still pressures
    ("我们产品的优势，如保本保息、零风险等", ["保本保息", "零风险"]),  # a seller's list of examples: no rule names them
    ("收益来自两部分：(一)保本保息，(二)零风险", ["保本保息", "零风险"]),  # enumeration markers inside a sentence
    ("推荐话术如：这款产品保本保息", ["保本保息"]),  # a training script's recommended line is the pitch
    ("这款产品，称得上零风险", ["零风险"]),  # 称得上 claims nothing of a third person
    ("我们承诺保本保息，您放心", ["保本保息"]),  # a promise without quotation marks is the speaker's own
    ("今天办理，我行承诺保本保息", ["保本保息"]),  # a promise named after the seller's side is made, not named
    ("这款产品承诺保本保息", ["保本保息"]),  # the product promises it: the seller's claim
    ("这款理财，保险公司承诺零风险", ["零风险"]),  # an institution behind the product promises it
    ("这款理财，银行郑重承诺保本保息", ["保本保息"]),  # with an adverb between
    ("向您承诺保本保息", ["保本保息"]),  # the listener promised to
    ("承诺保本保息，年化4%", ["保本保息"]),  # opening its clause: an advertisement's line, not a promise named
    ("限时认购，银保监局已经批了", ["限时"]),  # a regulator said to have approved: the seller's appeal, no report (dev_r r0068)
    ("我们承诺“保本保息”", ["保本保息"]),  # the speaker's own side before the verb: its quotation is promised, not reported
    ("这款理财零风险，还说明了风险等级", ["零风险"]),  # 还说明 explains: no clause of saying
    ("这款产品年化5%，并且保本保息", ["保本保息"]),  # 并且 with no verb of saying joins the seller's own claims
    ("按照我的理解，这款产品保本保息", ["保本保息"]),  # the speaker's own account
    ("根据产品说明书的介绍，这款产品保本保息", ["保本保息"]),  # a document cited by the seller is no person's account
    ("很多人有个误区，觉得理财有风险，其实这款产品零风险", ["零风险"]),  # a misconception answered: the claim after 其实 stands
    ("这不是误区，这款产品零风险", ["零风险"]),  # a misconception denied frames nothing
    ("我们为您营造安心的投资环境，零风险", ["零风险"]),  # 营造 without an atmosphere or an illusion describes no tactic
    ("难道零风险还不够吗？", ["零风险"]),  # a rhetorical 难道…吗 asserts
    ("为了促使他下决心，要强调这款产品零风险", ["零风险"]),  # a script's instruction to the seller (dev_f f0046)
    ("王先生，这款产品保本保息", ["保本保息"]),  # addressing the customer by title is no report
    ("我当时说过这款产品零风险", ["零风险"]),  # the speaker's own words, after 我
    ("被推荐人限时办卡可享优惠", ["限时"]),  # 被推荐人, a card promotion's referee, is no customer sold to (dev_n n0594)
    ("这款产品保本、保息", ["保本、保息"]),  # halves joined by an enumeration comma are still one claim (a comma is a clause mark)
    ("保险公司承诺到期保本保息", ["保本保息"]),  # an institution's promise is the seller's claim of the product (dev_c c0308)
    ("我们理财经理承诺保本保息", ["保本保息"]),  # 我们…: the speaker's side, no third person
    ("收益看似不高，但保本保息", ["保本保息"]),  # the doubted appearance ends at its clause; the claim after 但 stands
    ("这款产品看似普通其实保本保息", ["保本保息"]),  # and at 其实, which turns to the claim
    ("这款产品下个月就要被叫停了，限时认购", ["限时"]),  # 叫停 reaches its clause only: urgency after it pressures
    ("出现以下情况，我们全额赔付，零风险", ["零风险"]),  # a seller's 以下情况 is no rule's list of what is forbidden
    ("您之前被告诉过理财有风险吧，这款产品保本保息", ["保本保息"]),  # 被告诉 is no court's party
    ("与存款不同，这款产品保本保息", ["保本保息"]),  # a pitch after a contrast with another product
    ("申请人只需身份证，零风险", ["零风险"]),  # a loan's applicant is no court's party
    ("我是客户经理，说实话这款产品保本保息", ["保本保息"]),  # 经理 of 客户经理 is no subject of its own after 是
    ("我们客户经理说了，这款保本保息", ["保本保息"]),  # nor after 我们: the speaker's side
    ("我们理财专员说这款理财零风险", ["零风险"]),  # nor 专员 of 理财专员
    ("这款和存款一样保本保息跟股票不同", ["保本保息"]),  # a likeness claimed is no contrast, even with no comma
    ("阿姨，我跟您说，这款产品保本保息", ["保本保息"]),  # addressing the customer by title: 您 ends the subject's reach
    ("大姐您放心，这款产品零风险", ["零风险"]),
    ("我认为这款产品保本保息", ["保本保息"]),  # the speaker's own view (认为, not 自认为)
    ("理财经理讲究诚信，这款产品保本保息", ["保本保息"]),  # 讲究 is no verb of saying
    ("我跟您讲，这款产品零风险", ["零风险"]),  # the speaker's own words
    ("有个好消息，这款产品保本保息", ["保本保息"]),  # 有个 with no verb of claiming
])
def test_a_pitch_is_still_a_finding(plain, text, found):
    assert matched(plain, text) == found


def test_a_disclaimer_clears_guarantees_up_to_the_next_contrast_but_not_pressure(plain):
    assert matched(plain, "本产品不保证本金，保本保息的说法不代表实际") == []
    assert matched(plain, "过往业绩不代表未来表现，零风险") == []
    # the claim after the contrast stands: 这是非保本产品，但实际上都可以做到保本
    assert matched(plain, "本产品不代表实际收益，但实际上零风险") == ["零风险"]
    # a semicolon ends no disclaimer: 示範約1萬/月；但配息不等於報酬 is one
    assert matched(plain, "零风险的示范；配息不等于报酬") == []
    assert matched(plain, "限时认购，过往业绩不代表未来表现") == ["限时"]  # pressure is not disclaimed


def test_another_products_feature_set_against_this_one_is_no_claim(plain):
    # 与传统分红险或万能险有保底收益不同，投连险没有保证利率 (dev_r r0343); 这与传统保单由保险公司保证本金的做法不同 (r0216)
    assert matched(plain, "与传统保单保本保息不同，投连险的账户价值随市场波动") == []
    assert matched(plain, "这与传统产品零风险的做法不同") == []
    assert matched(plain, "与定存不同，限时认购") == ["限时"]  # pressure is not contrasted away
    assert matched(plain, "与其他产品不同，本产品保本保息") == ["保本保息"]  # the claim is outside the contrast
    assert matched(plain, "和您说的保本保息不同意见") == ["保本保息"]  # 不同意 is no contrast
    # the contrast is one clause: a claim in an earlier clause is no other product's feature
    assert matched(plain, "这款和存款一样保本保息，跟股票不同") == ["保本保息"]
    assert matched(plain, "和存款一样，跟股票保本保息的说法不同") == []  # a later 跟 … 不同 is tried too


def test_a_concession_clears_what_it_grants(plain):
    assert matched(plain, "虽然号称零风险，但这是保险产品") == []
    assert matched(plain, "虽然有保障，但比定存好") == ["比定存好"]
    assert matched(plain, "虽然零风险") == ["零风险"]  # no contrast, no concession


# -- the rule families on real sentences (shipped pack) ----------------------------------------------------

FLAGGED = [
    # (id, source, product type, text, a rule expected among the findings)
    # README item 53: a regulator said to have approved is the seller's appeal, no report; the speaker's own promise of a
    # quoted rebate; every cost refunded; no fee at all; a rate as the guaranteed minimum
    ("r0068", "https://ttnews.xyz/a/5e85a7b4dc9b5e5b23e2fa94?lang=zh-hans", "insurance",
     "而且费率马上要调整了,下周可就要涨价了,银保监局已经批了;", "pressure.rate_or_price_change"),
    ("r0186", "http://www.31spcar.com/18514.html", "insurance", "买车险商业险,我们承诺‘全返’!", "inducement.rebate_gift"),
    ("f0093", "https://reportify.cn/tags/concept?tagValue=%E5%81%87%E6%83%A0%E6%B0%91%E4%BF%9D", "insurance",
     "100%报销不限年龄、职业、既往症", "exaggeration.unqualified_promise"),
    ("u0650", "http://surf-devil.com/insurance1/scrollnews/202405/15/t20240515_39004310.shtml", "insurance",
     "“生病、住院都能報,住院費、床位費、手術費,自費藥、進口藥、外購藥,花多少報多少,責任內100%報銷,不滿意可以退……”",
     "exaggeration.unqualified_promise"),
    ("t0053", "http://www.digipub.cc/dy/article/KFU8ANS20552HY1I.html?spss=dy_author", "loan", "我們是銀行對接,0費用。",
     "loan.zero_cost_claim"),
    ("t0205", "https://qjcypt.com/post/14456.html", "wealth", "投101万,利息25%是最低保障,多了对半分", "guarantee.no_loss_wording"),
    ("r0088", "https://www.icbw.com.cn/forum.php?mod=viewthread&ordertype=2&tid=184774", "loan", "【XX银行】由于政策放款,根据综合评估给您授予一笔XXXX元储备金,三年期随时取还。", "loan.approval_promise"),
    ("d0108", "https://news.unibao.com/xinwen/912.html", "insurance",
     "年金险有必要买吗? 对于大多数普通家庭来说,它不再是一个“可选项”,而正在变成一个“必选项”。", "exaggeration.unqualified_promise"),
    ("p1398", "https://www.wanyiwang.com/view/136427.html", "insurance",
     "在此背景下,商业养老年金保险凭借“锁定长期收益+与生命等长现金流”的核心优势,成为家庭养老储备的“必选项”。", "exaggeration.unqualified_promise"),
    ("r0680", "https://abcarhk.com/blogs/%e7%90%86%e8%b2%a1%e8%b3%87%e8%a8%8a?page=2", "fund",
     "定期定額月供基金或ETF(如盈富、VOO):$100-$500起步,分散風險,長期必贏過死儲現金。", "guarantee.zero_risk"),
    ("g0186", "https://cyf-bodehi.com.tw/%E5%AD%98%E6%AC%BE%E7%B4%85%E5%88%A9", "deposit",
     "外匯因素影響利率走勢,若美聯儲下半年減息,港元存款利率可能回落,建議把握上半年高息窗口", "pressure.scarcity"),
    ("r0025", "https://www.ainsur.top/news/bpJvyx1vV7Ow", "insurance", "有病赔钱,没病返本,怎么都不亏",
     "guarantee.no_loss_wording"),
    ("r0248", "https://www.oryoy.com/news/p2p-ping-tai-ping-ce-zhi-nan-ru-he-bi-kai-gao-shou-yi-xian-jing-xuan-ze-an-quan-ping-tai.html",
     "loan", "新手专享20%年化收益,100%本息保障", "guarantee.no_loss_wording"),
    ("r0301", "http://www.360doc.com/content/24/0921/23/77277024_1134683134.shtml", "insurance",
     "利率下行、货币贬值,而分红险是防范机制,保证长期拿到高利率的同时再享投资的浮动收益。", "guarantee.no_loss_wording"),
    ("r0358", "https://ez0331.com/", "wealth", "固然這是非保本浮動收益型理財產品,但實際上根本都可以做到保本的。",
     "guarantee.no_loss_wording"),
    ("b0115", "http://www.baoxianziliao.com/view/79849.html", "insurance",
     "这种“同甘不共苦、上不封顶”的设计,既是分红险的基因,也是其跨越周期的生存密码。", "guarantee.zero_risk"),
    ("r0177", "https://www.suwdruck.com/index.php/view/135613.html", "insurance",
     "现金价值每年确定增长,写进合同,相当于给本金上了“复利电梯”。", "insurance.deposit_wording"),
    ("r0305", "https://www.suwdruck.com/index.php/view/134648.html", "insurance",
     "1.存款利率VS保险预定利率:1993年一年期存款利率10.98%时,保险预定利率9%;2025年存款利率0.95%时,保险预定利率仍有2.5%。",
     "comparison.vs_deposit_rate"),
    ("b0047", "https://www.61405.com/baike/89616794773.html", "fund",
     "5. 市场环境驱动:在低利率时代(中国1年期定存利率约1.5%),存款收益无法满足需求,基金成为更优选择。", "comparison.vs_deposit_rate"),
    ("b0140", "http://moneyweekly.com.tw/Magazine/Info/理財周刊/7908", "insurance",
     "儲蓄險所提供的利率條件,都會比銀行定存來得優惠,讓消費者可以取得比定存較高的投資獲利。", "comparison.vs_deposit_rate"),
    ("b0031", "https://www.renrendoc.com/paper/499510247.html", "wealth",
     "这款产品的风险等级是R2,就像您把钱存在定期,但收益会随市场波动", "product.disguised_as_deposit"),
    ("r0309", "https://www.wanyiwang.com/view/136900.html", "insurance",
     "以100万元五年期存款为例,年化收益仅1.3万元,扣除通胀后实际购买力持续下降。", "yield.stated_as_certain"),
    ("b0074", "https://mftsp.com/12980", "wealth", "现在聪明钱都进信托了,年化8%起步,银行理财那点收益简直是打发叫花子。",
     "yield.stated_as_certain"),
    ("r0283", "https://udn.com/news/story/7239/9286917", "fund", "就算跌,長期價值一定會回來", "exaggeration.unqualified_promise"),
    ("r0316", "http://legacy.com.hk/%E5%84%B2%E8%93%84%E4%BF%9D%E9%9A%AA/", "insurance",
     "本計劃提供每月年金入息及終期紅利,讓您可以無憂無慮地享受退休生活。", "exaggeration.unqualified_promise"),
    ("b0143", "http://moneyweekly.com.tw/Magazine/Info/理財周刊/4655", "insurance",
     "從這兩項標準來看,國寶人壽的這張福星養老保險,是目前唯一符合以上條件的獨賣保單。", "exaggeration.unqualified_promise"),
    ("b0079", "https://xinjiadj.com/post/41354.html", "wealth", "目前中证500处于低估值,投资价值高,就算出现极端的情况,还有每年的分红。",
     "exaggeration.unqualified_promise"),
    ("b0141", "http://moneyweekly.com.tw/Magazine/Info/理財周刊/7908", "insurance", "此外,儲蓄險還有一項「靜靜做,但最好少說」的優點,就是可以節稅。",
     "misleading.insider_tip"),
    ("b0147", "https://today.line.me/tw", "insurance",
     "你那張舊的投資型保單都已經虧損了,我這張投資型保單的投資報酬率比較高,乾脆把舊的解掉,買我這張吧!", "insurance.replacement_pitch"),
    ("b0040", "http://www.wzask.com/f/c71829291cf48016.html", "loan", "您是我们的优质客户,有5万元免审额度", "loan.approval_promise"),
    ("r0236", "https://mftsp.com/21512", "fund", "“年化8%打底,超额收益二八分成,限额50个客户。”", "pressure.scarcity"),
    ("b0408", "http://finance.people.com.cn/money/BIG5/n/2014/0820/c218900-25500007-5.html", "wealth", "該產品比較搶手,建議立即將資金轉入",
     "pressure.scarcity"),
    ("b0476", "http://www.qdxin.com.cn/xin/2025/374172.html", "insurance", "你别管了,到时候最低给你这么多钱", "guarantee.no_loss_wording"),
    # deposits taken by gifts or by interest off the books (银保监办发〔2018〕48号; the 2024 self-regulatory ban on 手工补息)
    ("j0077", "https://thepaper.cn/newsDetail_forward_2288929", "deposit", "存款3个月以上,就送花生油。", "deposit.gift_for_deposit"),
    ("j0100", "https://xk-sports5.com/xingkongtiyuguanwang/xingkongtiyuAPP/5162.html", "deposit", "新客存5万送150元微信立减金",
     "deposit.gift_for_deposit"),
    ("j0073", "http://agpayy.com/xinwendongtai/636234.html", "deposit", "存5万元,年利息3900元,还送电动车", "deposit.gift_for_deposit"),
    ("j0062", "http://scnjtv.com/zixun/2023/0805/107125.html", "deposit", "月末存款,最高贴息万20!存款找我,欢迎预约询价",
     "deposit.interest_off_the_books"),
    ("j0026", "https://www.qlwb.com.cn/detail/25817884.html", "deposit",
     "还说只要我继续在这存款,这每年4500元的利息差额,她用代金券和‘津元宝’的方式补给我。", "deposit.interest_off_the_books"),
]

NOT_FLAGGED = [
    # (id, source, product type, text): quotes of a report or a rule, disclaimers, neutral text
    # the rule itself, and a penalty decision's words (tests/lint/real/sources-j-mainland.md §1, §2)
    ("sources-j §1", "http://www.zhuanguanjia.com/langfang/dachang/53961.html", "deposit",
     "(一)違規返利吸存。通過返還現金或有價證券、贈送實物等不正當手段吸收存款。"),
    ("sources-j §2", "https://bg3.co/a/yin-xing-tong-guo-shou-gong-bu-xi-gao-xi-lan-chu-bei-jin-zhi.html", "deposit",
     "同時要求銀行不得以任何形式向客戶承諾或支付突破存款利率授權上限的補息。"),
    ("i0080", "http://315online.com/baoguang/finance/18626.html", "insurance",
     "杜蓓接到太平洋寿险广东分公司的直销电话向其推销保险,销售人员一再强调该产品承诺每年有9%的利息加分红,只要在银行有账户即可以购买。"),
    ("i0132", "https://getjetso.com/forum/thread-323745-1-1.html", "insurance",
     "記者早前亦收到安泰人壽的推銷電話,推銷員強調:「保證可以退番全部保費。」並在三分鐘內已講解「清楚」。"),
    ("g0318", "https://www.mirrormedia.mg/premium/20200716fin007", "fund",
     "「一開始,銀行理專都會強調,基金配息水準比定存高,想要保有購買力一定要投資,否則錢只會變薄。」但時間拉長,他看穿了配息型商品的真相,根本是上了糖衣的毒藥。"),
    ("d0068", "http://skiend.com/xinwendongtai/810702.html", "insurance", "但投资哪有稳赚不赔的?"),
    ("d0216", "https://uptogo.com.tw/財經/基金/月配息基金", "fund", "然而,月配息基金真的是穩賺不賠的投資聖杯嗎?"),
    ("d0230", "https://robinnotes.com/6321/%E4%BF%9D%E9%9A%AA%E5%85%AC%E5%8F%B8%E6%8E%A8%E4%BF%9D%E6%9C%AC%E5%85%BC%E9%AB%98"
     "%E9%81%944%E5%8E%98%E5%9B%9E%E5%A0%B1%E5%84%B2%E8%93%84%E4%BF%9D%E9%9A%AA%E7%94%A2%E5%93%81", "insurance",
     "大家購買儲蓄保險時一般都會誤解必然保本,但卻不是。"),
    ("r0204", "https://www.rfa.org/cantonese/news/htm/focusonhk/hongkong_bank-10292008124234.html", "wealth",
     "他說五年保本,我想五年我也有命的,當時五十幾歲,怎料現在有命卻沒有錢。"),
    ("r0246", "http://js315ccn.cn/html/insurance/detail_2018_06/30/70502.shtml", "insurance",
     "在中国银行呼和浩特市呼和佳地支行,自称是银行职工的王某君给王某某介绍了一款理财产品,存期5年,年利率5.5%,并承诺存钱半个月后就可以拿到13.5万元的利息,到了年底则能拿到全部利息27.5万元。"),
    ("r0284", "https://udn.com/news/story/7239/9286917", "wealth",
     "此外,對於理專主打的「保本」話術,民眾可反問,保本是否僅限於到期才保本?中途賣出的費用怎麼計算?"),
    ("r0026", "https://www.ainsur.top/news/bpJvyx1vV7Ow", "insurance", "真实案例:王先生被一款“年化5%复利增值”的保险吸引,投入10万元。"),
    ("r0158", "https://vocus.cc/article/69269e6ffd89780001a66b5a", "insurance",
     "上一篇介紹完年金險,很多人私訊問我:「那儲蓄險呢?銀行一直推,說比定存好!」"),
    ("b0005", "https://wallstreetcn.com/articles/3756228", "insurance",
     "更吸引眼球的是,宣传中不断重复“收益确定”、“收益率高”、“灵活提取”、“保本保收益”,甚至强调还能随时贷款。"),
    ("b0076", "https://www.gabazz.cn/licai/4597.html", "wealth", "经理说这款政信类信托\"绝对安全\",可当我问及具体风控措施,对方却支支吾吾转移话题。"),
    ("b0130", "https://m.163.com/dy/article/JQP58QAC0556BJG6.html", "insurance",
     "销售人员刻意混淆“预期收益”与“保底收益”,用“复利滚存”“终身保障”等话术制造信息迷雾。"),
    ("b0153", "http://www.zzwlawyer.com/13084.html", "fund",
     "该案中,该机构在其官网及社交媒体平台发布“年化收益超30%”“保本保收益”等表述,虽意在吸引投资者关注,但已触碰《私募投资基金监督管理暂行办法》第十二条关于禁止承诺收益或承担损失的明确规定。"),
    ("b0154", "http://www.yafco.com/show.php?contentid=362419", "fund", "(五)使用“欲购从速”、“申购良机”等片面强调集中营销时间限制的措辞;"),
    ("b0173", "https://www.cmmedia.com.tw/home/articles/15788", "insurance", "因此,不少民眾可能抱持著「快停售」的預期心理,搶購所謂的高儲蓄保單。"),
    ("r0374", "https://www.kpi.url.tw/index.php/hot/yue-pei-xi-bao-dan-shi-shen-me/monthly-interest-insurance/", "insurance",
     "- 若以「配息率 12%(方案B)」做情境觀察:示範約 1 萬/月;但配息不等於報酬,可能含本金返還。"),
    ("r0402", "https://bowtie.com.hk/blog/zh/", "insurance", "在極端情況下,非保證回報或會歸零。"),
    ("r0403", "https://star-shoe-445877.framer.app/blog/participating-policy", "insurance", "❌ 紅利金額不保證,不等於穩賺"),
    ("b0466", "http://www.fryarmg.com/post/85861.html", "wealth",
     "有些平台承诺\"本息保障\",但仔细看合同就会发现,担保方可能就是平台自己注册的空壳公司"),  # some of a kind, said to claim
    ("b0452", "https://wap.265xx.com/w424/987471.html", "insurance", "但我希望大家,不要看到产品下架就盲目抢购。"),
    ("b0463", "https://blog3.moneysmart.hk/insurance/", None,
     "雖然債券風險比其他投資工具低,但若發行人未能準時支付利息或本金,國際評級機構會調低債券評級,造成信貸風險,有機會令債券價格下跌。"),
    ("b0540", "https://news.43zhubao.com/n/220790.html", None, "当金价处在历史高位,很多人冲进来并不是为了配置,而是被“只涨不跌”的幻觉推着走。"),
    ("b0490", "https://tsaiyingjiun.pixnet.net/blog/post/11543396", "wealth",
     "「很多客戶都是只聽到保本就投資,卻沒聽清楚是到期保本或是幾成保本;也有人只聽到配息,卻沒聽到配息條件。」"),
    ("b0509", "https://finance.qingdaonews.com/content/2025-05/27/content_23664274.htm", "wealth",
     "个别工作人员利用老年人对银行等机构的信任,将高风险产品包装为“类存款”,隐瞒真实风险等级,口头承诺“保本保息”,容易让老年人忽略风险。"),
    # 營業員 (a Taiwan bank's or broker's salesperson) says, in a judgment: reported speech
    ("f0179", "https://law-next.pages.dev/j/VFBIViwxMDAs5LiKLDQ3LDIwMTEwODMwLDE.html", "wealth",
     "上訴人之營業員向伊表示購買前揭2種連動債券所得收益較新臺幣定存優惠,且一再向伊保證還本及高於定存之配息,伊基於上訴人之銀行信譽"),
    # ≠ is read as 不等于 (guard/core/text.py SYMBOL_WORDS): a negator before the claim, a disclaimer after it
    ("c0113", "http://webpictool.com/zhuanyepeiziguanwang/57420.html", "fund", "“稳健”≠保本!银行推荐的基金可能包含以下风险:"),
    ("d0060", "https://www.tinckay.com/hulianwang-baike/2574.html", "insurance", "“历史年化6%”≠未来收益,需重点看条款中“最低保证利率”;"),
    ("d0221", "https://moneybar.com.tw/News/1063", "fund", "簡單來說,「高配息 ≠ 高報酬 ≠ 保本」。"),
    # a tactic described: an atmosphere or an illusion created
    ("e0338", "https://www.10life.com/zh-CN/blog/%E5%82%A8%E8%93%84%E9%99%A9%E5%81%9C%E5%94%AE", "insurance",
     "他们纷纷向内地客户强调,这是购买高收益香港保险储蓄险的最后机会,营造出一种机不可失、时不再来的紧张氛围。"),
    ("h0113", "https://marconmarketinggroup.com/2025/broker-list/ponzi-scheme-scams-warning-signs-prevention-guide", None,
     "它並非真正透過商業活動或資產增值來創造利潤,而是用後來投資者投入的本金,去支付早期參與者的利息與回報,營造出「穩賺」的假象。"),
    # a quotation right after a verb of promising: what someone promised, quoted
    ("g0029", "http://redsh.com/pinpai/20130331/084123.shtml", "wealth", "对于邓先生随后的询问,杨巧斌很快发来短信,再次强调“保本保利”。"),
    ("g0342", "https://www.26fun.com/bbs/redirect.php?fid=36&goto=nextoldtopic&tid=191912", "wealth",
     "一厘息很吸引,職員又保證「只是做定期,絕無風險」,她於是簽約。"),
    ("d0178", "https://mftsp.com/10582", "fund", "我永远忘不了张阿姨的故事。她把给儿子攒的婚房首付全部买了某私募产品,只是因为理财经理承诺”年化保底8%”。"),
    ("g0110", "http://finance1.ce.cn/rolling/201310/12/t20131012_1610530.shtml", "wealth",
     "一客户经理首先推荐了该银行自己的理财产品,称银行发行的理财产品保本保息,毫无风险。"),
    # 风险收益特征, a fund's standard ranking of its expected risk and return against other kinds of fund
    ("g0112", "http://www.gfund.com/fund/jijinchangjianwenti/768", "fund",
     "从基金资产整体运作来看,本基金为债券型基金,属于低风险基金产品,其预期风险和预期收益率低于股票型基金、混合型基金,高于货币市场基金。"),
    ("g0113", "https://baike.sov5.org/b/IvxmdbIdgV", "fund",
     "本基金为货币市场基金,为证券投资基金中的低风险品种。本基金长期的风险和预期收益低于股票型基金、混合型基金、债券型基金。"),
    # a mirror of a fund's summary page (the mirror's pinyin glosses after some characters left out)
    ("fund-020585", "http://www.10oneworld.cn/products/zhaiquan/020585/summary/index.html", "fund",
     "本基金為債券型基金,其預期風險與預期收益理論上高於貨幣市場基金,低於混合型基金和股票型基金。"),
    ("fund-017793", "https://www.cpicfunds.com/product/017793/index.shtml", "fund", "本基金为债券型基金,预期收益和预期风险高于货币"),
    # an A-not-A question (会不会亏 = 是否亏损) asks: the pack's guarantee.zero_risk excepts it (public code index:
    # an investment service's FAQ, file 55666202432; an insurer's list of customers' questions, file 56017304354)
    ("faq-55666202432", "public code index, file 55666202432", "fund",
     "收益有保证吗？会不会亏损？没有任何策略能保证盈利。量化与杠杆交易存在亏损本金的风险，历史表现不代表未来收益。"),
    ("qa-56017304354", "public code index, file 56017304354", "insurance", "4. 理赔条件是什么？流程复杂吗？\n5. 以后不想要了能退吗？会不会亏？"),
    ("b0169", "http://www.hklife.com.hk/tc/products/personal-insurance/life-protection-plan/smart-achieve", "insurance",
     "「智享」整付終身壽險計劃(「此計劃」)集人壽保障及儲蓄於一身。只需以一筆過形式繳付保費,便可享終身人壽保障至受保人100歲。"),
    # reports, warnings and rules the frames of 2026-12-04 clear (a person named 某 or by a title, a subject left out after
    # a time word, mis-selling and a tactic named, the customer sold to in the passive, Taiwan's regulator, a quotation named
    # an advertisement, a poster, a trap or a pitch's wording), advice to hang up on a fraud, and 退保，收益 (no 保收益 across a comma)
    ("c0251", "http://m.szjgyey.com/20/0745684159.shtml", "insurance",
     "朋友圈里“7%分红演示即将终结”的倒计时海报刷屏,引发不少人疑惑:演示利率下调到6%-6.5%后,实际收益会“打折”吗?为何内地客仍抢着“上车”?"),
    ("d0121", "https://www.jmqbip.com/p/8133.html", "loan",
     "\"急用钱时刷到‘凭身份证秒下款’广告,点进去填了一堆信息,结果额度没批下来,反而接到十几个骚扰电话?\"这可能是很多贷款新手的第一课。"),
    ("d0156", "http://www.digipub.cc/dy/article/KJVO023G0536ATJH.html?spss=dy_author", "insurance",
     "當初說能穩拿4%以上收益,現在連3%都不到,這萬能險咋越買越虧?"),
    ("d0231", "https://next.mirrormedia.mg/story/20231013money003", "insurance",
     "王先生說,當初買美元保單是看到4%的宣告利率,認為保單能夠強迫儲蓄、保本、抗通膨,存下來可以當未來退休金,沒想到,自己買的保單從銀行通路下架後,宣告利率就不斷地往下調整。"),
    ("f0182", "https://forum.ibeta.tw/forum.php?goto=nextnewset&mod=redirect&tid=23968", "insurance",
     "投資型保單常見銷售糾紛,包括未向保戶說明投資盈虧必須自負、保證獲利、未說明清楚保單的費用結構、以躉繳方式銷售分期繳費的商品等。"),
    ("g0025", "http://www.wzask.com/f/6eaff85572b1b6a8.html", "loan",
     "遇到这三种情况建议立即挂断:\n• 要求先支付\"保证金\"或\"验资费\"\n• 承诺\"100%通过\"\"无视征信\"\n• 拒绝提供公司对公账户信息"),
    ("g0038", "https://hznews.hangzhou.com.cn/shehui/content/2019-08/17/content_7248324_0.htm", None,
     "退休教师许某告诉记者,她是经朋友介绍接触到长三角某市这家涉养老投资公司的,参加过公司的年会和公司组织的外出旅游,觉得公司有实力,服务又好,加上公司提出投资养老项目可以有8%的年利息,而且投资越多免费住公司的养老床位时间越久。"),
    ("g0287", "https://tw.news.yahoo.com/%E7%90%86%E8%B2%A1%E6%9C%80%E5%89%8D%E7%B7%9A-%E6%89%93%E9%80%A0%E4%B8%8D%E5%80%92%E7%BF%81%E5%BC%8F%E9%80%80%E4%BC%91%E9%87%91-%E7%AC%AC%E4%BA%8C%E5%BC%B5%E6%B4%BB%E5%88%B0%E8%80%81%E9%A0%98%E5%88%B0%E8%80%81%E7%9A%84%E5%8B%9E%E4%BF%9D-212920747.html", "insurance",
     "當一個絕對追求保本的老人家，卻被推銷了一張連結高槓桿標的的保單，還要負擔高額的壽險保費，自然是場災難。"),
    ("g0330", "https://www2.hkej.com/wm/article/id/4064038/%E9%A8%99%E5%BE%92%E5%9B%9B%E5%BC%8F%E9%80%80%E4%BC%91%E9%87%91%E6%94%B6%E5%89%B2%E5%A4%A7%E6%B3%95", "wealth",
     "第一式:高回報+保本=完美陷阱。針對退休人士的首要誘因,就是提供一個「回報高於定期存款、同時聲稱保本、靈活贖回」的所謂理財產品。"),
    ("h0054", "http://www.jwview.com/jingwei/html/01-08/206604.shtml", "insurance",
     "饥饿营销类:宣传保险产品即将停售或限时销售,如使用“秒杀”“全国疯抢”“限时限量”等用语。"),
    ("h0141", "https://news.hbtv.com.cn/p/4509524.html", "insurance",
     "2022年年底,沈女士在建设银行有一笔10万元的定期存款到期,随后就收到该银行网点建设银行顺道街支行工作人员的多次邀约参加一场银行会销活动,现场被推荐购买了一款“利息高于定期存款”的产品。"),
    ("h0172", "http://www.handmsg.com/page/2009/1231/26274075.shtml", "insurance",
     "另外,該廣告文中還存在浮夸產品收益,將保險產品與銀行定期存款進行比較,很容易讓購買者產生錯誤的判斷。"),
    ("i0037", "https://mftsp.com/4124", "wealth",
     "某股份制银行理财经理曾向我推荐「XX臻选混合类」,当时用的话术是「历史年化5.8%」。"),
    ("i0173", "https://296806.0x72haug.asia/magezine/article/6717", "insurance",
     "一位朋友對投資型保單很有興趣,問了我一大堆問題後跑去找業者,後來說他詢問的那張投資型保單總額只賣100億元,已售罄,現在又有一檔「進階版」,想聽聽我的看法。"),
    ("j0153", "http://www.ptt.cc/bbs/Bank_Service/M.1397193526.A.E9C.html", "deposit",
     "例如有銀行推出人民幣定存綁外幣保單,或人民幣定存再加上一個加拿大幣定存,就給人 民幣3個月期定存3%高息,就類似定存綁保單、或雙幣定存,而金管會不樂見這樣的行銷 手法。"),
    ("n1896", "https://199bx.com/articles/2025/07/04/526.html", "insurance",
     "实际上,这可能是将增额终身寿险冒充储蓄类产品出售,这类保险在初期有较高的现价增长期,若提前退保,收益远低于预期。"),
    # corpus P's development half: the press cited (報載), the victim told (被告知), a product recommended by a quoted
    # selling point (推荐“利息较高”的); cover locked in, no yield (锁定终身保障)
    ("p0971", "https://phew.tw/article/cont/phewretire/Wealth-planning/Insurance-planning/4951/201809284951", "insurance",
     "報載有壽險業宣佈,推出最新月月撥回型類全委投資型保單,強調條件再加碼,除了月月撥回至少5%,若每單位淨值大於10.3美元時,年化撥回率更上看8.24%,為目前同類保單中最高。"),
    ("p1156", "http://bbs.cjiyou.net/dv_rss.asp?boardid=19&id=128894&page=630", "wealth",
     "方先生曾试图加入QQ群,结果被告知须缴纳每月700元的信息费到QQ群创建者的个人账户,而创建者们的“回报”则是每天推荐几只“必涨”股票。"),
    ("p1179", "https://www.htkaptar.com/new/704978348698249216", "insurance",
     "徐大爷此前长期在该银行办理业务,对客户经理贾某抱有充分信任。贾某电话联系他,推荐“利息较高”的金融产品,诱使徐大爷前来办理。"),
    ("p1452", "https://www.wanyiwang.com/index.php/view/136648.html", "insurance",
     "这一设计的核心逻辑是“短期投入、长期覆盖”——通过9年的集中缴费,锁定终身保障,避免因长期缴费压力影响家庭现金流,同时通过分红机制分享保险公司经营成果,实现保障与增值的双重目标。"),
    # corpus S's development half: a rule's list of what is forbidden (不得有下列情形), a mistaken taking-for (误将), a court's
    # parties (上訴人, 系爭); a fund's standard risk-return wording joined by 及, the state's safety net (托底民生), a regulator
    # halting a kind of product (叫停), a warning to look beyond one figure (不要只看)
    ("s0151", "https://trade.myfund.com/kfit/page/help/agreement/ebook/zqtzjj/zqjj605.html", "fund",
     "2.基金管理人、代销机构及其工作人员在从事基金销售活动时,不得有下列情形:以排挤竞争对手为目的,压低基金的收费水平;采取抽奖、回扣或者送实物、保险、基金份额等方式销售基金;以低于成本的销售费率销售基金;募集期间对认购费打折;承诺利用基金资产进行利益输送;"),
    ("s0608", "https://m.jiusongjiankang.com/health/news/5947357.html", "insurance",
     "例如误将分红险的不确定收益视为“保本”产品。"),
    ("s1063", "https://lawplayer.com/judgment/TPHV,100,金上易,3,20120208,1", "wealth",
     "因周宜潔稱系爭連動債與定期存款相同保本、沒有風險及利息稅金問題,並擔保連動債到期時依所發行幣別返還100%原始投資本金,上訴人遂同意以信託方式透過被上訴人申購系爭連動債美金3萬2千元。"),
    ("s0598", "https://podms.com/p20210610000782.html", "fund",
     "本基金为混合型基金,其预期收益及预期风险 水平低于股票型基金,高于债券型基金及货币市场基金。"),
    ("s0135", "https://www.renrendoc.com/paper/503714829.html", "insurance",
     "从社会维度看,保险承担着稳定经济、托底民生的作用:重疾险为患者提供治疗资金,财产险帮助企业/家庭快速恢复生产生活,年金险则通过长期储蓄为养老、教育等刚性需求“锁利”。"),
    ("s0562", "https://www.renrendoc.com/paper/501351022.html", "insurance",
     "监管趋严,叫停短期理财型保险,强调“保险姓保”,推动行业回归保障本质,银保渠道向长期储蓄和健康养老产品转型。"),
    ("s0604", "https://www.gabazz.cn/licai/19262.html", "wealth",
     "3. 比较综合收益率:不要只看宣传页的\"预期收益\",要计算手续费、申赎时间带来的实际收益"),
]


def _phrase_rules(linter, text, ptype):
    return {r.rule for f in linter.lint(text, ptype).findings if f.code != "MISSING_DISCLOSURE" for r in f.rules}


@pytest.mark.parametrize("item_id,source,ptype,text,expected", FLAGGED, ids=[row[0] for row in FLAGGED])
def test_real_claims_of_each_family_are_found(linter, item_id, source, ptype, text, expected):
    assert expected in _phrase_rules(linter, text, ptype), (item_id, source)


def test_the_answer_to_an_a_not_a_question_still_claims(linter):
    """会不会亏？ asks; the seller's answer 不会亏的 claims (a constructed pair, the answer being what matters)."""
    assert _phrase_rules(linter, "很多人问会不会亏？放心，不会亏的。", "fund") == {"guarantee.zero_risk"}


@pytest.mark.parametrize("item_id,source,ptype,text", NOT_FLAGGED, ids=[row[0] for row in NOT_FLAGGED])
def test_real_reports_rules_and_disclaimers_give_no_finding(linter, item_id, source, ptype, text):
    assert _phrase_rules(linter, text, ptype) == set(), (item_id, source)


def test_a_loan_interest_subsidy_is_no_deposit_off_the_books(linter):
    """贴息 on a loan (财政贴息, 贴息贷款) is lawful and no deposit: the deposit rule's exceptions, applied when no product
    type is given (every rule then applies)."""
    assert "deposit.interest_off_the_books" not in _phrase_rules(linter, "创业担保贷款可享受财政贴息，贴息贷款额度最高30万元。", None)
    assert "deposit.interest_off_the_books" in _phrase_rules(linter, "存满一年，行里另外给您贴息0.5%。", None)


def test_a_brokers_commission_is_no_loan_rate(linter):
    """A broker quotes its commission per ten thousand (dev_m m0023, m0027: https://licai.cofool.com/ask/qa_4375721.html, a
    securities script, linted without a product type since none fits, so every rule applies): no loan's daily rate. A loan's
    万分之 still is, in the same text too."""
    for text in ("1.默认标准:一般来说,证券公司的开户佣金默认在万分之3(即0.03%)左右,但这一标准并非固定不变,可能因公司政策、市场竞争等因素而有所调整。",
                 "例子一:假设投资者A在某证券公司开户,佣金费率为万分之3(即0.03%),购买股票成交金额为4万元。",
                 "開戶佣金費率為萬分之2.5"):
        assert "loan.rate_not_annualized" not in _phrase_rules(linter, text, None), text
    assert "loan.rate_not_annualized" in _phrase_rules(linter, "借一万块，利息每天万分之五，随借随还。", None)
    assert "loan.rate_not_annualized" in _phrase_rules(linter, "佣金万分之三；贷款利息每天万分之五。", None)


def test_a_limit_stated_as_a_products_term_is_no_quota(linter):
    """限额 and 限期 in sellers' copy that states a product's terms (dev_n: n1131 xiangrikui.com, n1669 bxdbkk.com, n2496 and
    n2499 healthyd.com, n0839 toubao-tong.com): no scarcity. A quota is still one (dev r0236, mftsp.com: 限额50个客户), in a
    text that also states a limit too."""
    for text in ("保费限额:最低保费3000元,以500元为单位递增",
                 "万能账户取出有限额,一年最多只能取出现有万能账户的20%。",
                 "「易衛您」就多項住院和手術開支均提供全數保障[2],不設分項賠償限額,在這方面與不為細項設上限的高端醫保相似。",
                 "標準及特等保障級別的限額分別每保單年度每傷病[3]35萬港元及50萬港元。",
                 "2. 有限期年金险:领固定年限,没领完给家人(兼顾自己和家人)"):
        assert "pressure.scarcity" not in _phrase_rules(linter, text, None), text
    assert "pressure.scarcity" in _phrase_rules(linter, "“年化8%打底,超额收益二八分成,限额50个客户。”", None)
    assert "pressure.scarcity" in _phrase_rules(linter, "保费限额3000元起。本期限额50个客户,先到先得。", None)


def test_insurance_named_a_deposit_or_wealth_product_in_sellers_copy(linter):
    """Sellers' copy that sets the policy up as a deposit or a wealth product (dev_n, an insurance seller's comparison page:
    n1758, n1818, n1822, n1823): insurance.sold_as_savings. 存保险 inside 生存保险金 (a survival benefit, n1134) or 留存保险公司
    (dividends left with the insurer, n1503) is no such claim. A promotion's stock running out (n0104, a card promotion) is
    scarcity."""
    for text in ("要分辨钱存银行好,还是存保险好,", "所以,回归到我们的主题,手里有100万元,是应该存银行,还是买保险理财?",
                 "所以,接下来,我们从两个角度来对比存银行和存保险,到底哪个收益更高?", "1)银行存款 VS 保险理财"):
        assert "insurance.sold_as_savings" in _phrase_rules(linter, text, "insurance"), text
    for text in ("若选择年领,且在每个保单周年日被保险人生存,每年领取生存保险金金额为年缴保险费的5%",
                 "同时,“富贵年华”作为一款分红保险,可让客户享有现金分红,用于收入补充或者留存保险公司累积生息。"):
        assert "insurance.sold_as_savings" not in _phrase_rules(linter, text, "insurance"), text
    assert "pressure.scarcity" in _phrase_rules(linter, "限前5千名兑换,兑完即止。", "credit_card")


def test_an_extra_gain_stated_as_sure_is_a_yield_claim(linter):
    """多赚 in sellers' copy and a seller's words (dev_n n0138, n0137; dev_d d0155): a gain stated as sure. Negated, none."""
    for text in ("加微信即享1对1理财规划,帮你避开收益陷阱,轻松多赚1个点!",
                 "专业人士能帮你平衡风险和收益,比如用“存款打底+理财增强”策略,稳稳多赚。",
                 "因此最适合5年以上闲置资金规划,比如教育金储备10年周期可比普通理财多赚23%收益。"):
        assert "yield.stated_as_certain" in _phrase_rules(linter, text, "wealth"), text
    assert "yield.stated_as_certain" not in _phrase_rules(linter, "换成这款产品并不能保证多赚。", "wealth")


def test_risk_played_down_for_a_product_that_can_lose(linter):
    """风险极低 / 风险很低 said of a wealth product (dev_n n0521, n0522: a bill-backed product's page; dev_e e0010): an
    exaggeration. Said of a deposit (dev_b b0026, 受存款保障計劃保障，風險極低) the rule does not apply."""
    for text in ("风险极低:产品项下票据均为大型国有银行及全国性股份制商业银行承兑;", "这款产品风险很低,和存款差不多"):
        assert "exaggeration.unqualified_promise" in _phrase_rules(linter, text, "wealth"), text
    assert "exaggeration.unqualified_promise" not in _phrase_rules(
        linter, "存款的期限靈活,短至7天至長達5年均有提供。且香港定期存款受存款保障計劃保障,風險極低。", "deposit")


def test_a_phrase_written_across_a_comma_is_no_hit_but_its_halves_still_are(linter):
    """退保，收益远低于预期 (dev_n n1896, a critic's page) holds 保收益 only once the comma is dropped: no hit. A pitch
    that writes 保本，保息 still claims each half (and 保本、保息, joined by an enumeration comma, the whole)."""
    text = "这类保险在初期有较高的现价增长期,若提前退保,收益远低于预期。"
    assert "guarantee.no_loss_wording" not in _phrase_rules(linter, text, "insurance")
    assert "guarantee.no_loss_wording" in _phrase_rules(linter, "这款产品保本，保息，您放心。", "wealth")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "这款产品保本、保息，您放心。", "wealth")


def test_a_policys_basic_sum_is_no_principal(linter):
    """基本金額, a Hong Kong policy's basic sum (dev_n n3510, n3513: an insurer's product page), holds 本金 only as
    characters: no deposit wording. 本金 said of the policy still is (dev_n n3366)."""
    for text in ("為更靈活滿足您不同人生階段的財務需要,您可在不減少保單的基本金額之情況下,隨時從終期紅利鎖定戶口提取現金。",
                 "提取現金價值後,保單的基本金額及身故賠償下的已付一次性繳付基本保費有可能因此而減少。"):
        assert "insurance.deposit_wording" not in _phrase_rules(linter, text, "insurance"), text
    assert "insurance.deposit_wording" in _phrase_rules(
        linter, "萬一自己一生平平安安度過,那麼可以選擇退保,把本金和分紅拿出來。", "insurance")


def test_a_grace_period_is_no_deadline_pressed_on_a_buyer(linter):
    """宽限期, the grace period of every regular-premium policy (保险法第三十六条) and of loans (dev_p p0074, p0075: an
    agent's post), holds 限期 only as characters: no pressure. A deadline pressed on a buyer still is."""
    for text in ("大部分的保险有60天的宽限期,也就是在生效日往后推60天内交都是可以的!保障仍存在!", "过了宽限期交费会怎么样呢?",
                 "逾期未繳者,於寬限期間屆滿後契約停止效力。"):
        assert "pressure.scarcity" not in _phrase_rules(linter, text, "insurance"), text
    assert "pressure.scarcity" in _phrase_rules(linter, "本产品限期发售，过了这周就没有了。", "insurance")


def test_interest_the_policyholder_pays_is_no_deposit_wording(linter):
    """Interest charged on a lapsed policy's reinstatement or on premiums advanced (dev_p p0078, p0083: an agent's
    post) is what the policyholder pays, not what the policy pays: no deposit wording. 利息 said of what a policy pays
    still is (保险销售行为管理办法第二十五条: 不得套用'本金''利息''存入'等概念)."""
    for text in ("有垫保费的功能的还要扣除其费用和利息再返还现金价值。",
                 "结果有一次银行先于保险公司扣了卡费10元,因为这10元,保单失效,复效又要利息,划不来呀!"):
        assert "insurance.deposit_wording" not in _phrase_rules(linter, text, "insurance"), text
    assert "insurance.deposit_wording" in _phrase_rules(linter, "这款保险每年都有利息，比放银行划算。", "insurance")


def test_principal_said_to_come_to_no_harm_is_a_guarantee(linter):
    """本金与收益不受损 (dev_p p0954, platform copy of an insurance page): the 本金不受损失 a seller may not promise
    (证券期货投资者适当性管理办法第二十二条（二）), with words between. Negated, none."""
    assert "guarantee.no_loss_wording" in _phrase_rules(
        linter, "即使保险公司破产,保单权益由其他机构接管,本金与收益不受损。", "insurance")
    assert "guarantee.no_loss_wording" in _phrase_rules(linter, "放心，您的本金绝对不受损。", "wealth")
    assert "guarantee.no_loss_wording" not in _phrase_rules(linter, "本产品不保证本金不受损失。", "wealth")


def test_a_pitch_citing_the_insurance_law_or_deposit_insurance_is_no_report_of_a_rule(linter):
    """受《保险法》保护 / 根据《保险法》规定 borrow a statute's authority for the pitch (dev c0177, d0144, d0154, dev_p p0954,
    p1475): the title frame, which makes a sentence citing a regulation a report of the rule, does not hold for the two
    laws that protect a buyer's money. A report of a breach that cites one is still cleared by its report words, and a
    rule of selling cited by title still frames its sentence (dev h0001)."""
    assert "guarantee.principal_and_interest" in _phrase_rules(
        linter, "根据《保险法》规定,增额寿险的现金价值及保底收益均需写入合同,刚性兑付特性使其安全性高于多数银行理财。", "insurance")
    assert _phrase_rules(linter, "经查,该支行违反《保险法》第一百一十六条规定,承诺保本保息。", "insurance") == set()
    assert _phrase_rules(linter, "近期,该支行根据银监会《商业银行理财产品销售管理办法》和总行相关制度规定,严禁夸大理财产品过往业绩,"
                                 "严禁做出任何形式的收益承诺。", "wealth") == set()


def test_a_class_of_principal_protected_notes_named_is_no_guarantee(linter):
    """保本固定收益型, like 保本浮动收益型, names a class of brokers' 收益凭证 in a definition (dev_p p0929): no finding. A
    product said to be 保本 still is."""
    text = "收益凭证可以分为保本固定收益型、保本浮动收益型和非保本浮动收益型。"
    assert "guarantee.no_loss_wording" not in _phrase_rules(linter, text, "wealth")
    assert "guarantee.no_loss_wording" in _phrase_rules(linter, "这款是保本固定收益的产品，稳稳的。", "wealth")


def test_a_phrase_written_across_a_bracket_is_no_hit(linter):
    """低于银行定存(3年交产品…) (dev_p p0375, a comparison of policies) holds 存3年 only once the bracket is dropped: no
    deposit wording there. 存3年 written whole still is."""
    text = "分期产品前3年IRR普遍低于银行定存(3年交产品IRR3均值-5.1%)"
    assert "insurance.deposit_wording" not in _phrase_rules(linter, text, "insurance")
    assert "insurance.deposit_wording" in _phrase_rules(linter, "这份保险您就当存3年，到期全拿回来。", "insurance")
    # brackets that wrap the characters of a banned word, closing and opening again inside it, evade: still a hit
    for text in ("这款产品【零】【风】【险】，收益还比定期高一点。", "这款产品零(风)险。"):
        assert "guarantee.zero_risk" in _phrase_rules(linter, text, "wealth"), text


def test_the_best_product_said_as_a_fact_is_an_exaggeration(linter):
    """最好的保單 said as a fact (dev_p p1299, a Hong Kong broker's page; 广告法第九条（三）: 不得使用"最佳"等用语) and a
    problem solved for good (彻底解决: dev_p p1400, an annuity page). The sellers' saying that denies a best product
    (没有最好的保险，只有最适合的) is none."""
    for text in ("4. 我們的健康險提供全方位的醫療保障,是業界公認最好的保單。",
                 "持续:终身领取养老年金,活到老领到老,彻底解决“人还在、钱没了”的长寿风险;"):
        assert "exaggeration.unqualified_promise" in _phrase_rules(linter, text, "insurance"), text
    assert "exaggeration.unqualified_promise" not in _phrase_rules(linter, "没有最好的保险，只有最适合您的保险。", "insurance")


def test_cash_in_hand_at_once_is_a_loan_promise(linter):
    """現金即時到手 (dev_p p0893, a Hong Kong lender's affiliate copy): 秒到账 in Hong Kong words."""
    text = "  • Mox Bank 即時借:申請流程極簡便,全程手機操作,現金即時到手。"
    assert "loan.approval_promise" in _phrase_rules(linter, text, "loan")


def test_a_policy_named_a_wealth_account_or_product_is_sold_as_savings(linter):
    """A universal-life account called 理财账户 (dev_p p1426, a planner's answer) and a savings policy called 理財商品,
    Taiwan's word for a wealth product (dev_p p0846): the policy sold as a wealth product. Denied, none."""
    for text in ("万能账户属于万能险里面的一个账户,简单来说就是保险公司的一个理财账户,一般是附加在年金保险或者其他主险账户上的灵活理财账户。",
                 "這類保單結合了傳統存款的安全感與保險保障功能,不僅能夠累積資金,更提供一定程度的保障,是近年來跨界整合下備受關注的理財商品。"):
        assert "insurance.sold_as_savings" in _phrase_rules(linter, text, "insurance"), text
    assert "insurance.sold_as_savings" not in _phrase_rules(linter, "保險不是理財商品,買之前要先想清楚保障需求。", "insurance")


def test_a_recommendation_quoting_a_selling_point_is_a_report_but_a_recommended_pitch_is_not(linter):
    """推荐“利息较高”的金融产品 (dev_p p1179, a court report) quotes the selling point a seller used: reported. A seller
    who recommends a product and claims in their own words, or names the product in quotation marks, still pitches."""
    assert _phrase_rules(linter, "贾某电话联系他,推荐“利息较高”的金融产品,诱使徐大爷前来办理。", "insurance") == set()
    assert "insurance.deposit_wording" in _phrase_rules(linter, "我给您推荐一款保险，利息比银行高。", "insurance")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "给您推荐“稳盈一号”，保本保息。", "wealth")


def test_a_cards_own_cashback_is_no_inducement_but_a_gift_for_borrowing_on_it_is(linter):
    """A card's cashback, gifts and draws are the rules of its published campaign (光大, 农行 and 浦发 card offers: dev_n
    n0605, dev_p p0286, dev_q q0529; of 27 card lines the rule warned on, 22 cleared, the 4 flagged flagged for a quota or
    秒批 that other rules find): no finding for a credit card. A gift that buys instalments is (银保监规〔2022〕13号: 不得通过诱导过度使用分期增加客户息费负担); a gift
    for a deposit still is too."""
    for text in ("【光大信用卡】推荐亲友办卡,赢返现大红包至高1680元",
                 "持券持卡人在刷卡金券有效期内消费达标后系统自动消耗刷卡金券为客户返现,持卡人不可主动选择使用。",
                 "(1)活动期间,浦发美丽女人信用卡(Visa版)持卡人使用该卡通过Visa渠道在全球范围进行的合格消费,可享单笔消费金额的1%刷卡金返还,笔笔返现,不限交易金额或次数,上不封顶、线上线下交易均可、无名额限制。"):
        assert "inducement.rebate_gift_other" not in _phrase_rules(linter, text, "credit_card"), text
    assert _phrase_rules(linter, "您今天办理账单分期就送88元红包。", "credit_card") == {"inducement.card_instalment_gift"}
    assert "inducement.rebate_gift_other" in _phrase_rules(linter, "本月新存五万元送礼品。", "deposit")


def test_a_quota_of_the_first_comers_is_pressure_and_an_offer_period_is_not(linter):
    """限前N名 / 最先…的前N名 / 前N名可… is a quota that rushes a buyer (每月限前2250名: 建行 card terms, dev_q q0115;
    前6,000名可領取本活動開戶禮: a Taiwan broker's terms, dev_n n2393). 優惠期內, "within the offer period", names a
    campaign's dates (WeLab Bank's terms, dev_q q1245): no pressure."""
    for text in ("活动内容:活动期间,持卡人使用龙卡信用卡在境内本行透支取现单笔满2000元,即有机会获赠价值100元的手机费用,每月限前2250名,活动期间每卡限一次获赠机会。",
                 "- 【開啟美學之門 新戶開戶禮】開戶進件時間:2025年8月1日至2025年10月31日,最晚須在2025年11月7日前完成複委託開戶,前6,000名可領取本活動開戶禮。"):
        assert "pressure.scarcity" in _phrase_rules(linter, text, "credit_card"), text
    offer = "[3] 優惠期內,你的合資格Apple Pay交易(定義見下文第5及6條款)可享10%現金回贈。"
    assert "pressure.scarcity" not in _phrase_rules(linter, offer, "credit_card")
    assert "pressure.scarcity" not in _phrase_rules(linter, "基金经理在同类基金中排名前三名。", "fund")


def test_an_except_holding_the_start_of_a_pattern_with_slots_excuses_it():
    """An except names what a hit's first words are part of. A hit of a literal word is excused only by an except that
    holds all of it (不保本 for 保本); a hit of a pattern with slots or gaps, which runs on to a number, by one that holds
    its first character: 保证利率 names the rate of 利率达1.5% as the contract's guaranteed rate."""
    linter = linter_of(rule(patterns=["{收益}达{PCT}", "保本"], **{"except": ["保证利率", "不保本"]}),
                       classes={"收益": ["利率", "收益"]})
    assert matched(linter, "本产品保证利率达1.5%。") == []
    assert matched(linter, "本产品利率达1.5%。") == ["利率达1.5%"]
    assert matched(linter, "这个产品不保本。") == []
    # an except ending before the hit does not hold its start: 保证 is no except of 利率达1.5%
    assert matched(linter_of(rule(patterns=["{收益}达{PCT}"], **{"except": ["保证"]}), classes={"收益": ["利率"]}),
                   "保证利率达1.5%") == ["利率达1.5%"]


def test_a_contracts_guaranteed_rate_named_as_such_is_no_yield_claim(linter):
    """享有最低保证利率2.5% (dev_i i0068, a universal-life pitch quoted on xiangrikui.com) names the contract's minimum
    guaranteed rate, as the pack's except 保证利率 meant: no yield finding on it. The same passage's 年均收益率至少达到
    3.03% and 只涨不跌 still flag."""
    text = "“享有最低保证利率2.5%。期满还可获得持续奖金,5年期满年均收益率至少达到3.03%。让您的个人账户价值只涨不跌。”"
    found = [f for f in linter.lint(text, "insurance").findings if f.code != "MISSING_DISCLOSURE"]
    assert all("2.5%" not in f.matched for f in found), [f.matched for f in found]
    assert any("3.03%" in f.matched for f in found) and any("只涨不跌" in f.matched for f in found)


def test_a_silver_bonds_floor_rate_and_a_rate_coupon_are_no_yield_claim(linter):
    """保證息率, the Hong Kong government silver bond's guaranteed floor rate (銀債的保證息率都是4厘以下, dev_d d0264), is the
    bond's term, as 保证利率 is a contract's; a rate coupon (加息券: a broker's coupon terms, dev_n n2108-n2110) is a
    promotion's object and states no yield. A yield stated beside them still flags."""
    for text in ("首6批銀債的保證息率都是4厘以下，而發行額最大都只是300億。",
                 "系統會在 10 月 15 日左右發放一張 6% 加息券。", "3.1 加息券使用規則"):
        assert not any(f.rule == "yield.stated_as_certain" for f in linter.lint(text, None).findings), text
    assert any(f.rule == "yield.stated_as_certain" for f in linter.lint("新手专享18%+3%加息券", "wealth").findings)  # dev_b b0296
    assert any(f.rule == "yield.stated_as_certain" for f in linter.lint("这款保单每年稳拿4厘息", "insurance").findings)


def test_a_gapped_hit_does_not_start_inside_an_aside_and_run_out_of_it(linter):
    """期滿保證內部回報率(IRR)可達4%以上 (dev_d d0322, bowtie.com.hk) names a guaranteed return; the aside (IRR) glosses the
    word before it, and a hit starting inside it (IRR)可達4%) reads the gloss as the sentence's subject. A gapped hit
    that opens an aside still counts: 锁定当前较高利率(如3.0%-3.5%) (dev_d d0045, a claim) says what the aside holds."""
    text = "目前市場上的5年期短期儲蓄保險(美元)提供的期滿保證內部回報率(IRR)可達4%以上(2024年9月)。"
    assert "yield.stated_as_certain" not in _phrase_rules(linter, text, "insurance")
    claim = "锁定利率:在利率下行周期,教育金保险可锁定当前较高利率(如3.0%-3.5%),避免未来存款利率跌破2%。"
    assert "yield.stated_as_certain" in _phrase_rules(linter, claim, "insurance")
    assert "yield.stated_as_certain" in _phrase_rules(linter, "这款产品的回报(IRR)稳稳达到4%。", "insurance")


def test_a_word_of_a_compound_pattern_that_did_not_match_still_negates():
    """错过 … 不再 holds 不再 as a word of its pattern: where that pattern matches, its 不 negates nothing. Where it does
    not, 不再 is the negation it is: 银行理财也不再保本 (dev_p p1489, a customer's question), 不再适合“闭眼买” (dev_d d0129)."""
    linter = linter_of(rule(patterns=["保本", "闭眼买"]), rule("r.push", code="PRESSURE", patterns=["错过 … 不再"]))
    assert matched(linter, "今年以来股市震荡,银行理财也不再保本,钱放在哪里才能既安全?") == []
    assert matched(linter, "黄金依然值得配置,但不再适合“闭眼买”;") == []
    assert matched(linter, "错过这次就不再有了，这款保本。") == ["错过这次就不再", "保本"]


def test_a_guaranteed_rate_is_a_contracts_term_for_insurance_and_a_promise_for_a_wealth_product_or_fund(linter):
    """Only an insurance contract has a guaranteed rate: yield.stated_as_certain excepts 保证利率 there. Said of a wealth
    product or a fund it promises a return (资管新规: 不得承诺保本保收益): guarantee.rate_on_investment, which the except's
    first-character reach would otherwise have left without a finding."""
    text = "本产品保证利率达1.5%，以合同为准。"
    assert _phrase_rules(linter, text, "insurance") == set()
    for ptype in ("wealth", "fund", None):
        assert "guarantee.rate_on_investment" in _phrase_rules(linter, text, ptype), ptype
    assert _phrase_rules(linter, "本理财产品非保证利率，收益随市场波动。", "wealth") == set()


# -- corpus T's round (tests/lint/real/plan-t.md): false alarms on labels an officer is sure of -----------------------


@pytest.mark.parametrize("item_id,text,ptype", [
    # a quotation shown as what an advertisement says: played up, headlined, dressed up as, given as an example
    ("dev_e e0333", "香港储蓄险在宣传中常常突出”7%复利收益”这个诱人的数字,让许多投资者心动不已。", "insurance"),
    ("dev_s s0622", "这些广告要么主打“30秒到账”,要么用“日息万五”吸引眼球,甚至还有演员扮成外卖小哥哭诉“靠网贷翻身”。", "loan"),
    ("dev_q q0186", "比如「因为存款利息低,所以要换成XX产品」。", "insurance"),
])
def test_a_quotation_shown_as_an_advertisements_words_is_no_pitch(linter, item_id, text, ptype):
    assert _phrase_rules(linter, text, ptype) == set(), item_id
    # what a wording was dressed up as (dev_s s0468): that quotation is named; the first one, unnamed, still holds a hit
    found = _phrase_rules(linter, "更有公司将“保底之上的浮动收益”包装为“保证收益”,进一步透支信任。", "insurance")
    assert "guarantee.principal_and_interest" not in found and "guarantee.no_loss_wording" in found
    # the same words said, not quoted, are a pitch
    assert _phrase_rules(linter, "我们这款储蓄险7%复利收益，放心买。", "insurance")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "这款产品保证收益，您放心。", "insurance")


def test_a_clause_opening_with_shuo_shi_tells_what_the_one_named_before_said(linter):
    """说是 after a comma carries the subject over (银行工作人员向她推荐了一款理财产品,说是利息高: dev_j j0052): reported.
    可以说是 opens no clause, and a seller's own clause is still a pitch."""
    assert _phrase_rules(linter, "银行工作人员向她推荐了一款理财产品,说是保本保息,还能随时支取。", "wealth") == set()
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "这款产品,可以说是保本保息的。", "wealth")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "这款产品,保本保息,还能随时支取。", "wealth")


def test_a_deposits_own_protection_is_no_guarantee_of_the_product_sold(linter):
    """A deposit's principal is protected by law (存款保险条例): said of the deposit, often to set a wealth product against it
    (存款保本但收益低: dev_n n0136; 银行存款、国债等“保本理财”: dev_s s0037), no finding. The product said to be like it
    still is."""
    for text in ("存款保本但收益低,理财收益高但有波动。", "•银行存款、国债等“保本理财”的收益将持续走低;"):
        assert "guarantee.no_loss_wording" not in _phrase_rules(linter, text, "wealth"), text
    assert "guarantee.no_loss_wording" in _phrase_rules(linter, "这款理财和存款一样保本,收益还更高。", "wealth")


def test_interest_and_capital_of_other_kinds_are_no_deposit_wording(linter):
    """A policy loan's interest owed, a margin loan's interest, a Hong Kong policy's dividends accumulated at interest, an
    insurer's capital and a customer's errand to the bank (dev_n n3169, n0435, n3505; dev_q q0946; dev_j j0052) are no
    deposit framing of a policy; a policy's 'interest' as its return still is."""
    for text in ("一、一次給付:本公司一次給付年金累積期間屆滿日之保單帳戶價值(如有保險單借款應扣除保險單借款及其應付利息後),本契約即行終止。",
                 "融资利息 = 融资金额 × 融资利率 × 实际使用天数 / 360。",
                 "您可選擇以現金形式收取週年紅利,或讓週年紅利累積於保單內,賺取潛在利息收益。",
                 "责令增加资本金、办理再保险;",
                 "2009年,她到一家银行存钱。"):
        assert "insurance.deposit_wording" not in _phrase_rules(linter, text, "insurance"), text
    assert "insurance.deposit_wording" in _phrase_rules(linter, "这份保险每年都有利息,比银行还高。", "insurance")


def test_a_button_and_a_limited_edition_gift_are_no_pressure(linter):
    """点击立即购买 names a page's button (dev_s s0887) and 限量版 an edition of a gift (dev_q q1561): no pressure. 立即购买
    said to the customer still is."""
    assert "pressure.scarcity" not in _phrase_rules(
        linter, "2、请认真阅读保障内容,投保须知,和责任免除有关细节,点击立即购买,进入下一步智能问卷。", "insurance")
    assert "pressure.scarcity" not in _phrase_rules(linter, "成功申請信用卡之主卡客戶,方可免費獲贈限量版背囊。", "credit_card")
    assert "pressure.scarcity" in _phrase_rules(linter, "这个价格只有今天,建议您立即购买。", "insurance")


def test_a_sentence_naming_an_advertisements_words_is_a_report(linter):
    """宣传语, 广告语, 广告中/里 and 推销电话 name what a pitch said (dev_r r0237: 很多宣传语会强调预期收益率): a report."""
    assert _phrase_rules(linter, "很多宣传语会强调预期收益率,甚至使用一些较为诱人的表述。", "wealth") == set()
    assert "yield.expected_return_term" in _phrase_rules(linter, "这款产品预期收益率4.5%。", "wealth")


def test_the_scorer_is_silent_on_a_sentence_telling_of_the_speakers_own_loss(cn_pack):
    """这是我买银行理财以来第一次亏钱… (dev_s s0753) is a customer's complaint. The scorer scores it above its threshold,
    and OWN_LOSS keeps the warning off; the same n-grams with the loss denied (我的客户都没亏过) are still warned on."""
    from guard.core.lint import OWN_LOSS, compile_rules

    linter = compile_rules(cn_pack)
    text = "这是我买银行理财以来第一次‘亏钱’,从2月到现在已经‘亏’了一千多块钱了,真的没想到‘固收’产品也能亏钱。"
    assert cn_pack.lint_scorer.score(text) > cn_pack.lint_scorer.threshold
    assert not [f for f in linter.lint(text, "wealth").findings if f.rule == "learned.sales_claim"]
    for said in ("七万块钱的理财,昨天一看只剩六万八了,为什么我的理财产品会亏本?", "我的客户上周才买的,刚买就亏了。"):
        assert OWN_LOSS.search(said), said
    for denied in ("我的客户都没亏过。", "我买了五年从来没有亏钱。", "跟着我买不会亏本。"):
        assert not OWN_LOSS.search(denied), denied


@pytest.mark.parametrize("text", [
    "这款理财保本保息，完全不违规。",  # a violation denied
    "我们不是骗子，这款理财保本保息。",  # fraud denied
    "这款理财保本保息，没有任何隐瞒。",
    "放心，这不是骗局，保本保息。",
    "这款理财保本保息，不存在误导。",
    "这款理财保本保息，绝对不违法。",
])
def test_a_report_word_denied_is_the_sellers_reassurance_not_a_report(plain, text):
    """Denying a report's word (不违规, 不是骗子, 没有套路: a broker's 我这边费用确实是很低的没有套路, dev_s s0369, is a claim)
    reassures, as sellers do: the sentence's claims stay findings. The same words reported still clear it, and a question
    (是不是也是骗局?) or a rule (不得误导, 不要相信骗子) is no denial."""
    assert "r.one" in _phrase_rules(plain, text, None), text


@pytest.mark.parametrize("text", [
    "该支行因向客户承诺保本保息被罚款30万元",
    "这个说‘保本保息’,是不是也是骗局?",
    "销售人员不得误导客户，称产品保本保息",
    "不要相信骗子说的保本保息",
])
def test_a_report_word_not_denied_still_frames_its_sentence(plain, text):
    assert _phrase_rules(plain, text, None) == set(), text


def test_a_disclaimer_word_with_a_negator_before_it_denies_the_loss(plain):
    """不可能亏损 holds 可能亏损, a disclaimer's words; written right after 不 it denies a loss, as a pitch does: the sentence's
    保本保息 is a finding (it was none). A negator that ends a clause before it (保本吗？不，可能亏损) negates nothing there."""
    assert "r.one" in _phrase_rules(plain, "这款理财不可能亏损，保本保息。", None)
    assert "r.one" in _phrase_rules(plain, "这款理财保本保息，绝不会归零。", None)
    assert _phrase_rules(plain, "本产品可能亏损，不承诺保本保息。", None) == set()
    assert _phrase_rules(plain, "是否保本保息？不，可能亏损。", None) == set()


def test_a_closing_question_does_not_make_the_claim_before_it_a_question(plain):
    """A telephone seller closes with a question (您看是否需要为您办理？): the question frame reaches from the clause its
    question word stands in, so a claim in an earlier clause of the sentence stays a finding (it was none). A question
    about the claim itself still asks (这款产品是否保本保息？, 保本保息是否仅限于到期？)."""
    assert "r.one" in _phrase_rules(plain, "这款理财保本保息，您看是否需要为您办理？", None)
    assert "r.one" in _phrase_rules(plain, "这款理财零风险，能否占用您两分钟？", None)
    for text in ("这款产品是否保本保息？", "保本保息是否仅限于到期？", "请问，这款产品能否保本保息？"):
        assert _phrase_rules(plain, text, None) == set(), text



def test_a_risk_slogan_appended_to_a_claim_does_not_clear_it(plain):
    """A seller appends the slogan to a claim (这个产品年化收益率能达到5%…，投资有风险哈): the general risk slogans (RISK_SLOGANS)
    frame only their own clause and what follows, while a disclaimer about the claim's own terms still reaches back
    (预期收益率5%，不代表实际收益: the display the rules require)."""
    assert "r.one" in _phrase_rules(plain, "这款理财保本保息，投资有风险哈。", None)
    assert "r.one" in _phrase_rules(plain, "这款理财保本保息，理财非存款、产品有风险、投资须谨慎。", None)
    assert "r.one" not in _phrase_rules(plain, "投资有风险，保本保息的说法不可信。", None)
    assert _phrase_rules(plain, "这款理财保本保息，不代表实际收益。", None) == set()


def test_real_claims_wrapped_in_a_sellers_evasions_stay_found(linter):
    """bench/lint_evasion.py: the short claims of the development sets a rule finds, each wrapped in a seller's move. The
    moves the linter withstands (a closing question, a denied report word, a denied loss, hearsay, a risk slogan, the
    claim quoted) keep at least 99 % of them; before this session's rounds a closing question kept 12 %, a denied report
    word 9–12 %, a risk slogan 19 %, a belief answered (很多人误以为…，其实…) 9 % (README item 49). The four disclaimers of the
    claim's own terms still reach back over it, and 银行说了 reports it (known limits, measured there)."""
    from bench.lint_evasion import KNOWN_LIMITS, WRAPPINGS, rule_findings
    from tests.lint.real_corpus import DEVELOPMENT, load

    claims = [i for s in DEVELOPMENT for i in load(s) if i.label == "flag" and not i.run and len(i.text) < 80]
    found = [i for i in claims if rule_findings(linter, i.text, i.product_type)]
    assert len(found) > 400
    withstood = [name for name in WRAPPINGS if name not in KNOWN_LIMITS]
    assert len(withstood) >= 18
    for name in withstood:
        wrap = WRAPPINGS[name][1]
        kept = sum(bool(rule_findings(linter, wrap(i.text), i.product_type)) for i in found)
        assert kept >= 0.99 * len(found), (name, kept, len(found))


def test_a_belief_described_ends_where_the_speaker_answers_it(plain):
    """很多人误以为理财有风险，其实… is a seller's turn: the belief is described, what follows 其实 is the speaker's own claim.
    The belief itself stays described (不少民众误以为储蓄险零风险)."""
    assert "r.one" in _phrase_rules(plain, "很多人误以为理财有风险，其实这款保本保息。", None)
    assert "r.one" in _phrase_rules(plain, "不少投资者以为理财有风险，但这款零风险。", None)
    assert _phrase_rules(plain, "不少民众误以为储蓄险零风险。", None) == set()
    assert _phrase_rules(plain, "很多投资者误信保本保息的说法。", None) == set()


# -- 2026-12-05, late: a real telephone script's misses, and the trap headings of consumer warnings --------------------


@pytest.mark.parametrize("item_id,text,ptype,rule", [
    # a rate every year, its yield word beside it (a bank's telephone script, as an officer's case file quotes it)
    ("dev_k k0134", "这是我们现在主推的一款产品,每月只需定投540元,每年收益6%。", "wealth", "yield.stated_as_certain"),
    ("dev_k k0136", "这款产品缴费方式灵活,可以每月定投540元,也可最低年缴2000,连续缴满5年就可以了,而且每年6%的收益。", "wealth",
     "yield.stated_as_certain"),
    # approval promised as certain, and the bait the Beijing regulator's warning names
    ("dev_k k0106", "肯定能批", "loan", "loan.approval_promise"),
    ("北京银保监局 2020-09-07", "1分钟办理、无需审批,您放心。", "loan", "loan.approval_promise"),
])
def test_a_yield_every_year_and_an_approval_promised_are_findings_in_a_whole_script(linter, item_id, text, ptype, rule):
    """The learned scorer found these lines alone but is silent in a whole script (Scorer.script_sentences): a rule finds
    them there too."""
    script = "您好，我是华兴银行的客户经理。请问您现在方便接听电话吗？" + text + "您看需要我给您详细介绍一下吗？"
    assert rule in {f.rule for f in linter.lint(script, ptype).findings}, item_id


def test_a_benchmark_rate_and_a_colleagues_loan_are_neither_a_yield_every_year_nor_a_promise(linter):
    """The rate told as a benchmark stays none of the yield rule's, and a colleague's loan is no approval promise."""
    assert "yield.stated_as_certain" not in _phrase_rules(linter, "本产品业绩比较基准为年化3%，不代表实际收益。", "wealth")
    assert _phrase_rules(linter, "为什么我只能借5000,同事却能批5万?", "loan") == set()  # dev_l l0045, clean


@pytest.mark.parametrize("text,ptype", [
    ("圈套二:“无需审批”。", "loan"),  # the Beijing regulator's warning, as 人民网 reports it
    ("套路五:“保本保息”反向營銷——以低風險為噱頭。", "wealth"),
    ("迷思一:「保本保息,零風險」", "wealth"),
    ("话术包装陷阱:\"稳赚不赔\"可能只是噱头", "fund"),
])
def test_a_quotation_headed_as_a_trap_or_a_myth_is_no_pitch(linter, text, ptype):
    assert _phrase_rules(linter, text, ptype) == set(), text


def test_a_trap_heading_names_only_the_quotation_after_it(linter):
    """A claim after the headed quotation, unquoted, or a seller's own quotation is a pitch."""
    assert _phrase_rules(linter, "迷思一:「保本保息」?其实这款产品保本保息。", "wealth")
    assert _phrase_rules(linter, "我们的口号:“保本保息”,您放心买。", "wealth")


# -- rates named without a figure (README item 52) ---------------------------------------------------------


def _instrument_text(key: str) -> str:
    from policies.citations import load
    return " ".join(load().instruments[key].articles.values())


@pytest.mark.parametrize("item_id,text", [
    ("dev_n n0270", "分期期数及手续费率:"),  # a card instalment form's heading
    ("dev_n n0584", "注:手续费等于分期总额乘以分期手续费率,在分期当期一次性收取。"),  # a definition
    ("dev_s s0003", "记住这个公式:年利率日利率×365。有些业务员会故意混淆概念,把日息说得很低。"),  # a formula
    ("dev_s s0878", "3、可自由选择6、12、18、24、36、48期(月)分期付款,手续费一次性收取或者分期收取,不同分行、不同期数手续费率有差异,具体请向网点咨询。"),
])
def test_a_rate_word_without_its_figure_shows_no_rate(linter, item_id, text):
    """The notice is about the rates a lender shows: it asks the annual rate shown and lets 日利率、月利率等信息 be shown
    beside it, no more prominently (中国人民银行公告〔2021〕第3号, as stored in policies/sources/lint-citations.yaml). A
    heading, a definition or a formula that names a daily or monthly rate shows none; a rate with its figure does."""
    assert "展示日利率、月利率等信息" in _instrument_text("pboc_announcement_2021_3")
    assert "loan.rate_not_annualized" not in _phrase_rules(linter, text, "credit_card"), item_id


@pytest.mark.parametrize("text,ptype,shown", [
    ("日息低至0.02%,比信用卡还划算", "loan", "日息低至0.02%"),  # dev_b b0041
    ("“急用钱?秒批30万!日息低至万分之三!0抵押0担保,手机点一点,资金马上到账!”", "loan", "日息低至万分之"),  # dev_q q2093
    ("借十万,一个月还233元的利息,万元日息低至2元", "loan", "日息低至2元"),  # an advertisement's line (dev_s s0311)
    ("您这笔账单分期每个月费率才0.55%,一万块一个月才55块钱", "credit_card", "月费率才0.55%"),
])
def test_a_daily_or_monthly_rate_with_its_figure_and_no_annual_rate_is_a_finding(linter, text, ptype, shown):
    found = [f for f in linter.lint(text, ptype).findings if f.rule == "loan.rate_not_annualized"]
    assert [f.matched for f in found] == [shown]


def test_a_rate_with_its_annualised_fee_rate_shown_is_no_finding(linter):
    """年化手续费率 is the annual figure the notices ask for (credit_card_notice_2022: 以明显的方式向客户展示最高年化利率水平)."""
    assert "loan.rate_not_annualized" not in _phrase_rules(linter, "分期月手续费率0.6%,年化手续费率约13%。", "credit_card")
    assert "loan.rate_not_annualized" in _phrase_rules(linter, "分期月手续费率0.6%,非常划算。", "credit_card")


@pytest.mark.parametrize("item_id,text", [
    ("dev_d d0166", "業內人士介紹,今年消費者在購買理財產品時,一個最大的變化就是產品說明里,以往的預期收益率變成了業績比較基準。"),
    ("dev_m m0171", "同时,对于提前预约的客户须按投资者实际购买之日银行公告的预期年化收益率进行计算。"),
    ("dev_n n0526", "对投资者:根据市场情况统一确定理财产品预期收益率。"),
    ("dev_t t0507", "当销售的金融产品满足客户设定的条件(包括产品期限、最低预期年化收益率等)时,金融产品推荐信息将发送给客户。"),
])
def test_an_expected_return_named_without_a_figure_is_no_promotion_of_one(linter, item_id, text):
    """理财公司理财产品销售管理暂行办法第二十五条（二） forbids 出具、宣传理财产品预期收益率: stating an expected rate. A sentence
    that names the term (a field, a change of wording, a calculation rule) states none."""
    assert "出具、宣传理财产品预期收益率" in _instrument_text("wmp_company_sales_2021")
    assert "yield.expected_return_term" not in _phrase_rules(linter, text, "wealth"), item_id


@pytest.mark.parametrize("text", [
    "这款产品预期年化收益4.2%,属于中低风险等级,资金可随时赎回",  # dev_b b0037
    "比如,某养老理财产品的业绩比较基准为 4%-6%,这意味着在正常市场情况下,产品的预期收益会在这个区间内。",  # dev_s s0829: the figure first
])
def test_an_expected_return_with_its_figure_is_a_finding(linter, text):
    assert "yield.expected_return_term" in _phrase_rules(linter, text, "wealth")


def test_a_limit_is_no_quota_but_a_number_of_places_is(linter):
    """限额 is a limit (Taiwan's fund-trading 限額, a deposit offer's 優惠限額: dev_n n3739, dev_j j0155); a limited number of
    customers is a quota pressed on the listener (限额50个客户: dev_r r0236)."""
    assert "pressure.scarcity" not in _phrase_rules(linter, "限額之計算,係以電子交易委託前最近公告之境外基金淨值及匯率為準。", "fund")
    assert "pressure.scarcity" not in _phrase_rules(linter, "超逾上述優惠限額之數位帳戶,則以本行牌告利率按日計息。", "deposit")
    assert "pressure.scarcity" in _phrase_rules(linter, "“年化8%打底,超额收益二八分成,限额50个客户。”", "wealth")


def test_a_yield_said_to_be_unfixed_states_no_certainty_until_a_contrast(linter):
    """R2级理财收益不固定，年化约2%-3% (dev_n n0129, a bank's explainer) disclaims the figure it gives; a seller who turns
    (收益虽然不固定，但…) claims what follows the turn, and 市场有波动 is no disclaimer of the product's own yield."""
    assert not _phrase_rules(linter, "R2级理财收益不固定,年化约2%-3%,比存款高但有波动。", "wealth")
    assert "yield.stated_as_certain" in _phrase_rules(linter, "这款理财收益虽然不固定,但每年稳拿6%。", "wealth")
    assert "yield.stated_as_certain" in _phrase_rules(linter, "市场有波动,这款理财每年稳拿6%。", "wealth")


# -- a figure the reader is told to doubt (README item 52) --------------------------------------------------


def test_a_figure_the_reader_is_told_to_doubt_is_a_warning_unless_the_doubt_is_talked_away(linter):
    """The consumer-protection heads of the CBIRC and the PBOC (2020-09-18, stored in policies/sources/lint-citations.yaml):
    承诺保证本金的金融产品收益率超过6%就要打问号 — a warning, which dev_h h0022 repeats; it was flagged as a yield stated as
    certain. A seller who answers the doubt (其实…) or talks it away (你不用打问号) still claims."""
    regulator = "在实践中,承诺保证本金的金融产品收益率超过6%就要打问号,超过8%就很危险,10%以上就要准备损失全部本金。"
    assert regulator in _instrument_text("cbirc_pboc_cp_answers_2020")
    assert not _phrase_rules(linter, regulator, "wealth")
    assert not _phrase_rules(linter, "理财产品收益率超过6%就要打问号,超过8%很危险,超过10%就要做好损失全部本金的准备。", "wealth")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "很多人对分红险打问号，其实它保本保息。", "insurance")
    for talked_away in ("这款理财保本保息，你不用打问号。", "这款理财保本保息，别打问号了。", "这款理财保本保息，没必要打个问号。"):
        assert "guarantee.principal_and_interest" in _phrase_rules(linter, talked_away, "wealth"), talked_away


# -- a claim's kind gone from the market (README item 58) ---------------------------------------------------


def test_a_kind_of_product_said_to_have_left_the_market_is_no_claim_but_a_sellers_product_still_is(linter):
    """完全保本又能月月拿利息的产品已经基本退出市场了 (dev_t t0688, an explainer after the 资管新规) tells of a kind of product that
    is gone, as 已成历史 does; a seller's own product about to leave the market still claims, and pressures."""
    assert not _phrase_rules(linter, "先说个重要结论:完全保本又能月月拿利息的产品已经基本退出市场了。", "wealth")
    assert {"guarantee.no_loss_wording", "pressure.stop_sale_other"} <= _phrase_rules(
        linter, "这款保本产品下个月就要退出市场了，赶紧买。", "wealth")
    assert "guarantee.principal_and_interest" in _phrase_rules(linter, "这款保本保息的产品马上退出市场。", "wealth")
    assert "guarantee.no_loss_wording" in _phrase_rules(linter, "保本的产品都退出市场了，只有我们这款还保本。", "wealth")


# -- a seller's selling points in quotation marks -------------------------------------------------------------------


@pytest.mark.parametrize("text,ptype,rules", [
    ("您好，本次通话将被录音。这款理财“零风险”、“稳赚不赔”。理财非存款、产品有风险、投资须谨慎。", "wealth", {"guarantee.zero_risk"}),
    ("这款产品有三大优势：“保本保息”、“零风险”、“稳赚不赔”。", "wealth",
     {"guarantee.principal_and_interest", "guarantee.zero_risk"}),
    ("本產品「零風險」，「穩賺不賠」。", "wealth", {"guarantee.zero_risk"}),  # Taiwan and Hong Kong quote every emphasis in 「」
    ("放心吧，“零风险”，“稳赚不赔”，我们的理财您放心买。", "wealth", {"guarantee.zero_risk"}),
    ("这款理财有“保本保息”、“零风险”等优势，您可以考虑。", "wealth", {"guarantee.principal_and_interest", "guarantee.zero_risk"}),
])
def test_a_list_of_quoted_selling_points_of_the_sellers_own_product_is_a_pitch(linter, text, ptype, rules):
    """A list of quotations names its items as terms (the reports kept in test_real_passages_with_a_frame_are_no_finding,
    宣传中不断重复“收益确定”、“收益率高”…); in a sentence that speaks of the seller's own product outside them, or naming them
    its merits, they are its selling points. Before, each of these scripts passed lint with no phrase finding and was approved."""
    assert rules <= _phrase_rules(linter, text, ptype), text


@pytest.mark.parametrize("text", [
    "不得宣传“零风险”、“稳赚不赔”。",
    "监管禁止使用“零风险”、“稳赚不赔”等词语。",
    "业务员承诺“保本保息”、“零风险”。",
    "以“零风险”、“高收益”等优势吸引客户。",  # merits named, no seller's product: a tactic described
    "这款产品的宣传单写着“零风险”、“稳赚不赔”等字眼。",  # the seller's product, its wording named as terms
])
def test_a_list_of_quotations_named_forbidden_or_promised_by_another_stays_no_finding(linter, text):
    assert _phrase_rules(linter, text, "wealth") == set(), text

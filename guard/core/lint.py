"""The script (话术) linter: a pack's phrase and disclosure rules, compiled into one automaton.

    linter = compile_rules(pack)                 # cached per pack.hash
    result = linter.lint(text, "wealth")         # LintResult(verdict, findings)

How a script is judged (SPEC §2 rule 7, §3.7):

1. The text is normalised (`guard.core.text.normalize`: NFKC, casefold, traditional → simplified,
   whitespace, punctuation, symbols and invisible characters dropped) with a map back to the
   original offsets — after the customer's turns and the speaker labels of a transcript that marks
   its speakers are masked (`guard.core.turns.seller_view`: the rules judge the seller's words).
2. One Aho–Corasick automaton holds every normalised pattern, `except` context, proximity term,
   `unless_mentions` phrase, disclosure phrase and negator of the pack; one pass over the
   normalised text finds them all.
   (Current behaviour, which supersedes the details below where they differ: the text is also cut
   into sentences and clauses (`guard.core.text.segment`); no hit spans a sentence end; a negator
   other than bare 不/非/没 reaches to the end of its clause; a hit after a forbidding word (FORBIDDING)
   in its clause (a list joined by 、 included) or in a quotation it governs, or followed later in its clause by a reporting word
   (REPORTING_TAILS: 以“保本保息”等话术), is dropped; patterns may hold classes, gaps and number
   slots (`guard.core.lint_patterns`); overlapping findings of different rules are merged, listing
   every rule in `rules`; `product_type=None` applies every rule. Sentence frames (with negation)
   clear whole sentences or their tails: reports (REPORT_FRAMES: 被罚款, 法院, 诈骗, 误导, 声称 …),
   regulations cited by title, tactics described (TACTIC: 营造…的紧张氛围), items of a legal
   enumeration (LEGAL_ITEM: (四)…承诺保本保收益;),
   questions, a third person's reported speech (REPORTED_SPEECH; a clause opening with 称 after a
   comma, CLAUSE_CLAIMS; a person's promise, PERSON_PROMISED), public beliefs, quotations named
   as terms (“保本”等, lists of quotations), examples of wording a rule names (EXAMPLES_OF_WORDING:
   …的表述，如零风险、本金无忧等); disclaimers
   (DISCLAIMER_FRAMES), concessions (虽…但) and contrasts with another product (与…不同, CONTRASTED) clear
   guarantees and yields but not pressure. See
   docs/policy-packs.md.)
3. A phrase rule applies when its `product_types` is unset (all) or holds the script's type. A hit
   of one of its patterns is dropped when
   - it lies inside an occurrence of one of the rule's `except` phrases;
   - negation is on (`lint: {negation: true}`, the default) and a negator (不, 非, 并非, 不是, 没有,
     无法, 不能, 不会, 不存在, 不得, 不承诺, 不保证, 不代表, 不等于, 谈不上 …) ends at most
     `NEGATION_WINDOW` normalised characters before the hit, with no clause break between them
     (a sentence punctuation mark in the original, or a connective such as 但/而/所以). The
     negator must come *before* the hit: a pattern that itself starts with a negator (无风险,
     不会亏) is cleared only by another one before it (不是无风险). A negator that is part of a
     non-negating word (不用, 不管, 不仅, 非常, 除非 …) or of a pattern hit (稳赚不赔) negates nothing;
   - the rule has `near` terms and none (itself not negated) lies within `near.within` normalised
     characters of the hit; the finding then spans from the hit to that term, and an `except`
     phrase overlapping that span clears it;
   - the script mentions one of the rule's `unless_mentions` anywhere (e.g. 年化利率).
   Of overlapping hits of one rule the longest (then the earliest) is reported, and no other
   hit of that rule overlapping it; hits of different rules may overlap.
4. A disclosure rule that applies (product type, and `when_mentions` when given) and of whose
   `any_of` phrases none occurs gives a `MISSING_DISCLOSURE` finding. It has no place in the
   text: start = end = 0, line 1, column 1, matched "".

Findings: phrase findings in text order (start, end, rule id), then missing disclosures in pack
order. `start`/`end` are offsets into the original text with `text[start:end] == matched`;
`line`/`column` are 1-based, counted in code points, lines split at "\\r\\n", "\\n" or a lone "\\r"
(guard.core.text.line_starts).
The verdict is `fail` with any error, `warn` with any warning, else `pass`.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from operator import itemgetter
from typing import Any, Callable

import ahocorasick_rs

from guard.core.collector import collector_paused
from guard.core.messages import finding_messages, lint_note_messages
from guard.core.lint_scorer import (SCORER_CODE, SCORER_RULE, SCORER_SEVERITY, SCORER_SUGGESTION, Scorer,
                                    any_starts_within, scorer_message, sentence_spans)
from guard.core.lint_patterns import Atom, Sequence, expand, parse_pattern
from guard.core.pack import PRODUCT_TYPES, DisclosureRule, Pack, PhraseRule
from guard.core.bidi import reordering_controls
from guard.core.text import (QUOTE_RE, Normalized, Segments, clause_ends, clause_starts, line_starts, normalize, normalize_phrase,
                             number_slots, quotations, segment)
from guard.core.turns import seller_view

FINDING_CODES = ("BANNED_PHRASE", "MISSING_DISCLOSURE", "MISLEADING", "PRESSURE")
SEVERITY_RANK = {"error": 2, "warning": 1}

# A figure the reader is told to doubt (收益率超过6%就要打问号，超过8%就很危险: the 2020-09-18 answer of the CBIRC's and PBOC's
# consumer-protection heads, policies/sources/lint-citations.yaml; dev_h h0022 repeats it): a warning (REPORT_FRAMES) that,
# as a belief, ends where the speaker answers it (很多人对它打问号，其实它保本保息 still claims).
_DOUBT_WORDS = ("打问号", "打个问号", "打一个问号", "打上问号", "打上一个问号")
# A myth or a misconception named (民眾常忽略了買美元保單的三大迷思，例如將美元保單當作定存風險低: dev_d d0359; 误区): what follows is
# the mistaken belief, framed as one up to where the speaker answers it (很多人有个误区，觉得保险不如存款，其实… still claims after
# 其实). In the development sets the 20 passages with one are 15 clean lines and 5 quotes, no claim.
_MYTH_WORDS = ("迷思", "误区")
# Regulators named (TW/HK too): report words in REPORT_FRAMES, and what _appealed_to reads as the seller's appeal when said
# to have approved; 金管会 is Taiwan's.
_REGULATOR_WORDS = ("监管局", "保监局", "证监局", "金管会")

# Words that negate what follows (simplified; the text is normalised to simplified before matching).
NEGATORS = (
    "不", "非", "并非", "不是", "没有", "无法", "不能", "不会", "不存在", "不得", "不承诺", "不保证", "不代表",
    "不等于", "谈不上", "算不上", "称不上", "并不", "绝非", "没法", "从未", "从不", "未曾", "不属于", "不意味着",
    "不构成", "不作", "无需", "没",
    "未能",  # 若發行人未能準時支付利息或本金
    "不等同", "并不表明", "不表明",  # 预期收益率并不等同于实际收益率; 核准…也不表明投资于本基金没有风险
    "哪有", "哪里有",  # a rhetorical "where is there": 但投资哪有稳赚不赔的? (real text, tests/lint/real dev_d d0068)
)
# Single characters that negate only what follows them closely (NEGATION_WINDOW); every other
# negator reaches to the end of its clause.
WEAK_NEGATORS = ("不", "非", "没")
# Words that contain a negator but do not negate what follows them.
NON_NEGATING = (
    "不用", "不管", "不论", "不仅", "不但", "不单", "不光", "不只", "不止", "不错", "不少", "不断", "不停", "不久",
    "不过", "不妨", "不如", "不愧", "不怕", "不必", "不需", "不需要", "不要", "不好意思", "不得不", "不得了", "不外乎",
    "不一样", "不同", "差不多", "要不", "非常", "除非", "无非", "莫非", "非凡", "是非", "不是吗", "是不是", "没事",
    "没关系", "没问题", "没想到", "不见得", "没得说",
    # conditions, not negation of what follows (即便市場表現不佳，保戶仍可獲得一定的回報)
    "不佳", "不景气", "不理想",
)
# Words that forbid or warn against what follows (in their clause, or in a quotation they govern):
# a hit there is quoted to be forbidden (不得承诺“保本保息”, 严禁向客户宣传零风险), not a claim.
FORBIDDING = (
    "不得", "禁止", "严禁", "不准", "不许", "杜绝", "切勿", "切忌", "谨防", "警惕", "所谓", "防范", "避免", "勿",
    "不要相信", "别相信", "不要轻信", "不要听信", "别听信", "不可宣传", "不能宣传", "不能承诺", "不得宣传",
    # reporting verbs: what someone else claimed (银行职员声称一定可以取回本金, 被包装成“无风险高报酬”),
    # and mistaken beliefs (我也以为年金就是稳赚的, 使人误信能保证获利)
    "宣称", "声称", "号称", "自称", "谎称", "鼓吹", "包装成", "以为", "误以为", "误信", "误认为", "其承诺", "所承诺",
    # what something was taken for (曾經被當成“高息理財平替”的萬能險)
    "被当成", "被当作", "被视为", "被看作", "被包装为",
    # and what it was advertised as (常被宣传为“到期返还本金”的理想理财选择: dev_r r0347)
    "被宣传为", "被宣传成", "被说成", "被吹捧为", "被形容为", "被描述为",
    "盲目",  # 不要看到产品下架就盲目抢购
    # rules and advice (不应承诺保本, 防止误导客户以为零风险, 不宜宣传预期收益)
    "不应", "不应该", "不宜", "防止", "不能以", "不得以",
    # a misunderstanding named as such (大家購買儲蓄保險時一般都會誤解必然保本，但卻不是: dev_d d0230)
    "误解", "误会",
    # a mistaken taking-for (例如误将分红险的不确定收益视为“保本”产品: dev_s s0608; 很多人误把“预定利率”当成收益: dev_r r0083)
    "误将", "误把", "错把",
    # an appearance the writer doubts (听起来就像是稳赚不赔的完美计画, 仿佛是零风险的投资, 看似高收益的宣传) and a belief the
    # reader is told to drop (别再觉得「银行卖的就一定稳赚不赔」)
    "看似", "听起来", "仿佛", "看起来像", "貌似", "别再觉得", "别觉得", "不要觉得", "不要认为", "别认为",
    # a one-sided pitch told (只强调保证过件…却完全没有提到利率, 理专只讲百分之八的固定配息: dev_i i0282, dev_q q1902, dev_r r0683)
    "只强调", "只讲",
    # a warning to look beyond one figure (不要只看宣传页的"预期收益": dev_s s0604; 不能只看利率高低: dev_c c0268)
    "不要只看", "别只看", "不能只看",
    # a regulator halting a kind of product (监管趋严，叫停短期理财型保险: dev_s s0562); in its clause only, not the sentence:
    # a seller's 这款产品下个月就要被叫停了，马上停售 still pressures
    "叫停",
)
# Words that, coming later in a hit's clause (or after the quotation that holds it), name what
# precedes them as a pitch being reported or condemned: 以“保本保息”等话术吸引储户, “高收益、零风险”之类的
# 营销词, 因“买美债不会亏”遭金管会开罚. A hit followed by one is not a finding either.
REPORTING_TAILS = (
    "话术", "话语", "说辞", "字眼", "用语", "之类", "噱头", "招徕", "幌子", "诱饵", "营销词", "宣传语", "描述",
    "虚假", "不实", "被罚", "遭罚", "开罚", "罚款", "罚单", "处罚",
    # Real-text families: named as a lure or a label (被“年化5%复利增值”的保险吸引, 使用“保本”等字样, 以“高收益”为名)
    "吸引", "诱惑", "迷惑", "字样", "说法", "口号", "名义", "为名", "之名", "误区", "迷思", "谎言", "伎俩", "手法", "招揽",
    "词汇", "表述", "术语", "措辞", "美名", "标签", "预期心理",
    # a claim that has had its day (过去部分产品承诺的“终身保底3%”模式成为历史; 完全保本又能月月拿利息的产品已经基本退出市场了:
    # dev_t t0688)
    "成为历史", "已成历史", "不复存在", "退出市场",
    # an illusion (被“只涨不跌”的幻觉推着走)
    "幻觉", "错觉", "幻想", "神话", "迷信",
    # set against the facts (与“保本”的宣传不符)
    "不符", "不相符",
    # a trap (高回報+保本=完美陷阱: dev_g g0330); an advertisement, a poster, a selling point named (‘凭身份证秒下款’广告:
    # dev_d d0121; “7%分红演示即将终结”的倒计时海报: dev_c c0251; 以 "2.5% 最后窗口期" 为核心卖点: dev_d d0133, whose next
    # clause, 销售人员密集推送停售倒计时信息, still flags)
    "陷阱", "广告", "海报", "卖点",
    # a pretext named (以保险产品即将停售为由进行宣传销售: dev_r r0176, a rule)
    "为由",
)
# Sentence frames (with negation on). A sentence that holds one of these words anywhere is a report of
# what someone else said or did, or a warning about it, not a pitch: no phrase finding in it.
# Penalties, courts and regulators (因承诺保本被罚款, 法院审理认为), fraud (詐騙集團以穩賺不賠吸引),
# mis-selling named as such (误导, 不实, 夸大, 曲解为), claims reported (声称, 号称, 鼓吹), victims and
# complaints (苦主, 投诉, 纠纷), warnings (警惕, 提防).
REPORT_FRAMES = (
    "处罚", "罚款", "罚单", "被罚", "遭罚", "开罚", "裁罚", "罚锾", "警示函", "监管措施", "责令改正", "吊销", "谴责", "纪律处分",
    "违规", "违法", "违反", "法院", "判决", "审理", "诈骗", "骗局", "骗徒", "骗子", "行骗", "骗取", "被骗", "受骗", "吸金",
    "非法集资", "误导", "欺骗", "不实", "虚假", "夸大", "苦主", "受害人", "被害人", "投诉", "声称", "宣称", "号称", "谎称",
    "自称", "鼓吹", "误以为", "误信", "警惕", "谨防", "提防", "慎防", "曲解", "偷换概念", "乱象", "套路", "混淆", "明令",
    "所称", "据称", "谣言", "骗术", "隐瞒", "冠以", "冠之以", "标榜", "打着", "满口", "炒作", "渲染", "噱头",
    # disputes as reported (not 规避遗产纠纷, a pitch)
    "合同纠纷", "理财纠纷", "保险纠纷", "金融纠纷", "消费纠纷", "纠纷案", "引发纠纷", "发生纠纷", "产生纠纷", "纠纷调解",
    # regulators and dispute bodies (TW/HK too): 核處罰鍰, 予以糾正, 評議中心, 消委會
    "处分", "核处", "纠正", "予以警告", "通报批评", "立案调查", *_REGULATOR_WORDS, "评议中心", "消委会",
    # what a pitch led to, told afterwards (祸起“保本保收益”承诺; 把储蓄险当成定存为销售卖点)
    "祸起", "销售卖点",
    # mis-selling named (常見銷售糾紛，包括…保證獲利: dev_f f0182; 饥饿营销类：宣传…即将停售: dev_h h0054; 很容易讓購買者產生
    # 錯誤的判斷: dev_h h0172), and Taiwan's regulator, 金管會, in whose sentences the development sets hold 13 reports
    # and rules and 9 cleared lines, no claim (dev_j j0153)
    "销售纠纷", "饥饿营销", "错误的判断", "错误判断", "错误认知", "错误印象",
    # the customer sold to, told in the passive (现场被推荐购买了一款“利息高于定期存款”的产品: dev_h h0141; 追求保本的老人家，卻被推銷了
    # 一張…保單: dev_g g0287); not 被推荐人, a card promotion's referee (dev_n n0594)
    "被推荐购买", "被推荐了", "被推销", "被忽悠", "被劝说", "被游说",
    # the press cited (報載有壽險業宣佈…月月撥回至少5%: dev_p p0971) and the victim told (结果被告知须缴纳…信息费…推荐几只
    # “必涨”股票: dev_p p1156)
    "报载", "据报道", "被告知",
    # an advertisement's or a pitch's words named as such (高收益、低风险，还可以随时退出，是机构的宣传语: dev_s s0200; 在记者遇到
    # 这个“水滴保险商城”广告中: dev_p p0881; 大街小巷的电梯广告里，总能看到各种"年化收益18%": dev_r r0329; 类似的推销电话或社交平台
    # 广告: dev_r r0321): in the development sets every sentence with one is a report, none a pitch
    "宣传语", "广告语", "广告中", "广告里", "推销电话",
    # a pitch named for what it does to the buyer (…如使用“秒杀”“全国疯抢”“限时限量”等词语，诱导消费者进行冲动消费: dev_t t0391,
    # t0743): in the development sets the 11 sentences with one are reports, rules and cleared lines, no claim
    "诱导消费者", "诱导客户", "诱导投资者", "诱导投保人",
    # a court's parties and words (因周宜潔稱系爭連動債與定期存款相同保本…，上訴人遂同意…: dev_s s1063; 上訴人之營業員向伊表示…:
    # dev_f f0179); in the development sets every sentence with one is a judgment's report or a clean line, none a claim
    "上诉人", "系争", "原告", "一审", "二审", "庭审",
    # a rule's list of what is forbidden (不得有下列情形：…采取抽奖、回扣或者送实物…方式销售基金；…: dev_s s0151; 不得有下列情事:
    # 一、使人誤信得擔保本金…: dev_e e0314); the forbidding word with it, since a seller may list 以下情况 too
    "不得有下列", "不得有以下", "不得有如下", "不得存在下列", "不得存在以下", "不得从事下列", "不得从事以下", "禁止下列", "禁止以下",
    "严禁下列", "严禁以下",
    # a figure the reader is told to doubt (_DOUBT_WORDS), a myth or misconception named (_MYTH_WORDS)
    *_DOUBT_WORDS, *_MYTH_WORDS,
    # a statute's list of what an advertisement may not contain (广告法第二十五条：…并不得含有下列内容：（一）…明示或者暗示
    # 保本、无风险或者保收益: policies/sources/lint-citations.yaml, advertising_law)
    "不得含有下列", "不得含有以下", "不得包含下列", "不得包含以下",
)
# Disclaimer frames: a sentence that holds one of these is a disclosure or a definition (预期收益不代表实际
# 收益, 紅利並不保證, 非保證回報或會歸零, 基金投資有賺有賠): its guarantee and yield words (BANNED_PHRASE,
# MISLEADING) are no finding. Pressure in it still is.
DISCLAIMER_FRAMES = (
    "不代表", "不构成", "不等于", "仅供参考", "非保证", "并非保证", "不保证", "并不保证", "不作保证", "不承诺", "不保本", "非保本",
    "可能为零", "可能为0", "会归零", "可能归零", "具有不确定性", "存在不确定性", "有不确定性", "有赚有赔", "有赚有亏",
    "投资有风险", "产品有风险", "投资须谨慎", "投资需谨慎", "可能损失", "可能亏损", "可能远低于", "可能低于", "未必", "都不保",
    # a record shown with its period and source is the display the rules require (过去一年年化收益3.6%，统计区间…)
    "统计区间", "统计期间", "数据来源", "资料来源",
    "不等同", "不表明",
    # the yield itself said to be unfixed or to move (R2级理财收益不固定，年化约2%-3%: dev_n n0129): no certainty is stated. Only
    # the yield's own words: 市场有波动 is a seller's foil too (市场有波动，这款却稳稳6%)
    "收益不固定", "收益并不固定", "收益是不固定", "收益有波动", "收益会有波动", "收益会波动", "收益可能波动", "收益可能会波动",
    "收益可能有波动", "收益可能会有波动", "收益可能也会有波动",
    # Taiwan's standard fund warning: 本基金經金管會核准或同意生效，惟不表示本基金絕無風險 (printed on every fund promotion;
    # moneydj.com/funddj/AD/capital/1060927/edm.html): not saying it is risk-free, as 不代表/不表明
    "不表示",
    # a mistaken belief addressed to the reader (你以為保單是你的儲蓄罐…)
    "你以为", "很多人以为", "不少人以为",
    # Hong Kong's way of saying a product may lose (部分產品非百分百保本…亦有機會要損手離場, 甚至連本金也有機會虧蝕: a bank's and a
    # broker's disclosures, dev_t t0868, t0869; 或會損失): 有機會 is "may"; denied (沒有機會虧) it is no disclaimer
    "非百分百保本", "非100%保本", "有机会亏", "有机会损失", "有机会蚀", "或会损失", "或会亏",
)
# The general risk slogans among them (投资有风险, 投资须谨慎 …) qualify no claim before them: a seller appends one to a claim
# (这个产品年化收益率能达到5%，复利增值，时间越长越划算，投资有风险哈。), and 理财非存款、产品有风险、投资须谨慎 does not cure a promise
# of principal. They frame only their own clause and what follows it.
RISK_SLOGANS = ("投资有风险", "产品有风险", "投资须谨慎", "投资需谨慎", "有赚有赔", "有赚有亏")
# Questions that ask rather than claim (保本是否僅限於到期?): a sentence ending in ? that holds
# one of these gives no phrase finding (a rhetorical 吗 — 您还不心动吗？ — still pitches).
QUESTION_WORDS = ("是否", "能否", "可否")
# Doubting questions (月配息基金真的是穩賺不賠的投資聖杯嗎? 儲蓄險真的比定存好嗎?): a sentence ending in ?
# that asks whether something is *really* so doubts the claim it names; its guarantee and yield words
# give no finding (pressure in it still does: 您真的不抢吗? pitches). In the development sets every
# such question is a report or a warning (dev_c c0312, dev_d d0216, dev_e e0212, dev_f f0278). Not 难道…吗:
# it asserts (难道零风险还不够吗? claims 零风险), and the real text has no doubting use of it.
DOUBT_WORDS = ("真的",)
# Reported speech: a third person (他, 她, 对方, a salesperson's role, 王某) and, at most six characters on,
# a verb of saying. What follows in the sentence is what they said, reported (他說五年保本, 業務員說就是定存).
# Not a salesperson introducing themself (我是华兴银行理财经理，跟您说…) nor speaking to the customer (跟您说):
# no 是/我 just before the subject, no 您/你 between it and the verb (他跟我说 is reported). 强调 too (销售人员一再强调,
# 推銷員強調:「…」: dev_g g0318, dev_i i0080, i0090, i0132, all reports), but not 要/应强调, a training script's
# instruction to the seller (要強調現在投保最有利: dev_f f0046, a pitch).
_SPEECH_SUBJECTS = (
    "他们", "她们", "他", "她", "对方", "业务员", "营业员", "代理人", "营销员", "销售员", "销售人员", "推销员", "理专", "理财专员",
    "理财经理", "客户经理", "职员", "员工", "工作人员", "经纪人", "讲师", "主播", "银行", "保险公司", "经理", "顾问", "专员", "行员",
    "柜员", "中介", "理财师", "资料", "广告", "页面", "报道", "文章", "公告", "某[\u4e00-\u9fff]?",
    # a person named by a title (王先生說，當初買美元保單…: dev_d d0231; 李大姐告诉张大妈…收益一直在年化7%以上: dev_s s0022), and
    # a subject left out after a time word of the story (當初說能穩拿4%以上收益，現在連3%都不到: dev_d d0156; 後來說…已售罄: dev_i
    # i0173); not after 我 or 是. A seller addressing the customer by a title (阿姨，我跟您说…) reports nothing: 您/你 end the
    # reach to the verb. The verbs: 讲 is 说 in speech (听银行的一位理财经理讲，收益率比银行利率高得多: dev_t t0308), not 讲究/讲解/讲座
    "先生", "女士", "小姐", "太太", "大姐", "大妈", "阿姨", "大爷", "当初", "当时", "后来")
_SPEECH_VERB = ("[^您你\\W]{0,6}?"
                "(?:说|称(?!为|之为)|表示|告诉|告知|游说|劝说|指出|指称|推销说|介绍说|宣传|(?<![要应需可])强调|讲(?!究|解|座|课|台|师))")
# A subject that ends a longer one (经理 of 理财经理, 客户经理; 专员 of 理财专员) is not read where the longer one stands: its
# guard would be bypassed (我是客户经理，说实话…保本保息 and 我们理财专员说… are a seller's own words, not a report).
_SUBJECT_PREFIXES = {w: tuple(longer[:-len(w)] for longer in _SPEECH_SUBJECTS if longer != w and longer.endswith(w))
                     for w in _SPEECH_SUBJECTS if "[" not in w}
REPORTED_SPEECH = re.compile("(?<![是我其们本])(?:" + "|".join(
    "".join(f"(?<!{prefix})" for prefix in _SUBJECT_PREFIXES.get(w, ())) + w for w in _SPEECH_SUBJECTS) + ")" + _SPEECH_VERB)
# The same matches, found faster: the look behind is made after each subject's first character, so that every
# alternative opens with a literal and the engine skips to the offsets where a subject can begin (a look behind
# first makes it try every offset). tests/lint/test_lint_fast_forms.py compares both forms.
_REPORTED_SPEECH_FAST = re.compile(
    "(?:" + "|".join(w[0] + "".join(f"(?<!{guard}[\\s\\S])" for guard in ("[是我其们本]", *_SUBJECT_PREFIXES.get(w, ()))) + w[1:]
                     for w in _SPEECH_SUBJECTS) + ")" + _SPEECH_VERB)
# Where a speaker answers a belief they described: 很多人误以为理财有风险，其实“您的收益率将高达每年百分之十” — what follows is the
# speaker's own claim (a seller's classic turn), not the belief.
_BELIEF_REPORTS = ("误以为", "误信", *_DOUBT_WORDS, *_MYTH_WORDS)
# A doubt the speaker talks the listener out of (这款理财保本保息，你不用打问号) is a seller's reassurance, no warning: these
# before a doubt word in its clause leave the sentence unframed.
_DISSUADERS = ("不用", "不必", "无需", "无须", "毋须", "别", "不要", "没必要", "用不着", "何必", "不需要", "不需")
# Some of a kind, said to claim (有些平台承诺“本息保障”, 部分代理人宣称…), or one of a kind left unnamed (比如有个产品宣传"万元日息
# 最低2元",乍看很划算,但换算成年利率…: dev_p p1073): a generic third party, described.
SOME_CLAIM = re.compile(
    "(?:有些|有的|一些|部分|某些|个别|有个|有款|有家|有一款|有一家)[\u4e00-\u9fff]{1,6}?(?:说|称|承诺|宣传|表示|打着|鼓吹|标榜|保证|主打|推销)"
)


def _words_re(words: tuple[str, ...]) -> str:
    """A pattern matching what `"|".join(map(re.escape, words))` matches, the words grouped by their first
    character (the words of one first character in their order, so the first listed that fits still wins;
    two words of different first characters never start at one offset): fewer alternatives tried at each offset."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    return "|".join(re.escape(first + rest[0]) if len(rest) == 1 else
                    re.escape(first) + "(?:" + "|".join(map(re.escape, rest)) + ")" for first, rest in groups.items())


_REPORT_RE = re.compile(_words_re(REPORT_FRAMES))
_DISCLAIMER_RE = re.compile(_words_re(DISCLAIMER_FRAMES))
_QUESTION_RE = re.compile(_words_re(QUESTION_WORDS))
_QUESTION_MARKS = frozenset("?？")
_SEMICOLON_RE = re.compile("[;；]")
_DOUBT_RE = re.compile(_words_re(DOUBT_WORDS))
# Contrasts that end a disclaimer's reach (但 not in 不但): (?<!不)但|可是|然而|不过|只是, written with a literal
# first in every alternative (the engine then skips to the offsets where one can begin; 5x faster). A belief described
# ends at the same contrasts (只是 aside: it limits, it does not answer) or where the speaker says what is so (_REBUTTAL_RE).
_CONTRASTS = "但(?<!不但)|可是|然而|不过"
_CONTRAST_RE = re.compile(_CONTRASTS + "|只是")
_REBUTTAL_RE = re.compile("其实|实际上|事实上|" + _CONTRASTS)
_NOT_PRESSURE = frozenset({"BANNED_PHRASE", "MISLEADING"})


# What the public is said to believe (不少民眾可能抱持著「快停售」的預期心理, 投资者误以为, 投资者自认为购买了…理财产品: dev_s
# s0032): the rest of the sentence is described, not claimed.
PUBLIC_BELIEF = re.compile(
    "(?:民众|消费者|投资者|投保人|客户|老百姓|不少人|许多人|很多人|一些人|有人)[\u4e00-\u9fff]{0,6}?"
    "(?:以为|误|抱持|轻信|被|听到|听信|只听|自认为)"
)
# A regulation cited by title (触碰《私募投资基金监督管理暂行办法》第十二条): the sentence is about the rule. Not the two
# laws that protect a buyer's money, which sellers cite as the pitch itself (受《保险法》保护，即使保险公司破产…本金与收益
# 不受损; 根据《保险法》规定…刚性兑付特性使其安全性高于多数银行理财; 受《存款保险条例》保护, 本息全额赔付): of the 8
# development passages citing one, 6 are pitches (dev c0177, d0144, d0154, j0068, dev_p p0954, p1475), 2 clean (d0064,
# d0106), none a report or a rule; reports and rules cite the rules of selling (《广告法》, 《商业银行理财产品销售管理办法》 …).
# (REGULATION_TITLE reads the original text: both scripts are listed.)
# A loss the speaker tells of, their own or their customer's (这是我买银行理财以来第一次亏钱, 为什么我的理财产品会亏本?,
# 却让我3万元的养老钱亏了8千元, 我的客户上周才买的，刚买就亏了): a complaint or an account, the opposite of a claim. The
# learned scorer's n-grams of money and yield (理财, 收益, 养老钱) flag such sentences; in the development sets each of the
# four with one is a customer's or a staff member's cleared line (dev_r r0143, dev_s s0753, s0754, s0795). For the scorer
# only: a seller may set a pitch against a loss (我之前炒股亏了，还是这款保本的好), whose rule hits stay findings. Not a loss
# denied (没亏, 没有亏钱, 不会亏本). Read on the normalised sentence.
OWN_LOSS = re.compile("我.{0,30}?(?<![不没未别])(?<!没有)(?<!不会)(?<!不怕)(?<!不用)(?:亏了|亏损了|赔了|亏掉|亏钱|亏本|蚀咗)")
PROTECTION_LAWS = ("保险法", "保險法", "存款保险条例", "存款保險條例")
REGULATION_TITLE = re.compile("《(?!(?:中华人民共和国|中華人民共和國)?(?:" + "|".join(PROTECTION_LAWS) + ")》)"
                              "[^》\n]{0,40}(?:办法|规定|条例|法|准则|指引|通知|意见|守则|规范|规则|指南|细则)》")
# An item of a legal enumeration: a sentence that begins with a Chinese numeral in parentheses —
# (四)向投資者口頭或者通過短信、微信等各種方式承諾保本保收益; — is a clause of a regulation, a
# penalty decision or a guideline listing what is forbidden or what was done. Every such sentence of
# the eight development sets is a rule, a report or a disclosure, none a pitch (dev b0154, b0155,
# b0457, c0063, c0137, f0116, f0117, r0165, h0130, h0131, h0132, h0135, h0155, h0165, h0214).
LEGAL_ITEM = re.compile("[（(][一二三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾]{1,3}[)）]")
# Examples of wording a rule names (不得使用绝对化或夸大性的表述，如“零风险”、“高收益”等; 不得预测…，包括但不限于
# 预期收益率、预计收益等): from the marker to the 等 that closes the list, or the sentence end (dev c0064,
# c0147, e0041, h0130, h0216). Not 话术如…: a training script's 推荐话术如… is the pitch itself.
_WORDING = ("表述", "用语", "字样", "词语", "词汇", "说法", "措辞", "字眼", "宣传语", "表达")
EXAMPLES_OF_WORDING = re.compile("(?:" + "|".join(_WORDING) + ")(?:如|例如|比如|诸如)|包括但不限于")
# The same matches, every alternative opening with a literal (5x faster; tests/lint/test_lint_fast_forms.py).
_EXAMPLES_FAST = re.compile("|".join(w + "(?:如|例如|比如|诸如)" for w in _WORDING) + "|包括但不限于")
# Words one of which every match of EXAMPLES_OF_WORDING holds: the pattern runs only when one is in the text.
_EXAMPLES_MARKERS = ("表述", "用语", "字样", "词语", "词汇", "说法", "措辞", "字眼", "表达", "包括但不限于")
# A clause that opens with a verb of claiming after a comma (…推荐了该银行自己的理财产品,称银行发行的理财产品保本保息):
# the subject said it, the rest of the sentence is what they said. In the eight development sets every such clause
# is a report (18 quotes, dev_g g0110 among them; the one clean passage's 又稱, "also called", is no claiming).
# Not 称为/称之/称得上/称心/称职/称赞 …, which claim nothing of a third person.
# Also 说是 opening the clause (银行工作人员向她推荐了一款理财产品,说是利息高、能分红; 被推荐了一款增额终身寿险的产品,说是…复利
# 还能够达到3.5%; 一客户又提出要把钱转到他行去,说是某行推出一款3个月4%的产品): what the one named before was told or said, the
# subject carried over — in the development sets each of the three such clauses is a report or a cleared line (dev_j
# j0052, dev_r r0503, dev_s s0794); 可以说是 and 来说是 do not open a clause.
# And a clause that opens with 并/还, maybe an adverb, and a verb of saying (柜台工作人员一再向黄女士推荐一款人民币理财产品，并表示它的
# 年利率在5.25%左右: dev_u u0434; 並指出若果20年後…大可退回保單: dev_r r0756; 还说到时候理赔不会查这么细: dev_r r0231; 也有很多同行会
# 大力推荐这类产品给客户，并着重强调保本保息: dev_q q1914): the subject of the clause before said it too. In the development sets
# the 16 passages with one are 10 quotes and 6 clean lines, no claim. Not 还说明 (explains).
CLAUSE_CLAIMS = re.compile("[，,；;][ \u3000]*(?:(?:并|還|还|也|均|都|则|則)?(?:称|稱|声称|聲稱|宣称|宣稱|谎称|謊稱|说是|說是)"
                           "(?![为為之得作呼号號讚赞心职職重量霸王雄谓謂])"
                           "|(?:并且|並且|并|並|还|還)(?:着重|著重|一再|再三|多次|反复|反覆|特别|特別|也|更)?"
                           "(?:表示|指出|告知|告诉|告訴|强调|強調|说(?!明)|說(?!明)))")
# Words one of which every match of CLAUSE_CLAIMS holds (in the normalised text): the pattern runs only when one is there.
_CLAUSE_CLAIM_MARKERS = ("称", "说", "表示", "指出", "告知", "告诉", "强调")
# A tactic described: creating an atmosphere or an illusion (营造出一种机不可失、时不再来的紧张氛围, 營造出「穩賺」的假象,
# 制造焦虑) is what a critic says of a pitch, not the pitch: each of the 7 development passages with one is a report or
# a rule (dev r0247, b0310, b0567, e0338, f0094, h0113, h0151). The whole sentence.
TACTIC = re.compile("(?:营造|制造|渲染)[\u4e00-\u9fff%0-9a-z]{0,20}?(?:氛围|假象|错觉|紧迫感|紧张感|紧张|焦虑|恐慌|幻觉|印象)")
# A concession (虽冠之以“理财产品”的美名，但骨子里就是保险产品): what 虽/尽管 grants before the contrast is not
# the claim; guarantee and yield words in it give no finding.
CONCESSION = re.compile("(?:虽然|虽说|虽|尽管)")
# A contrast with another product (与传统分红险或万能险有保底收益不同，投连险没有保证利率; 这与传统保单由保险公司保证本金的做法
# 不同: dev_r r0343, r0216): what the other product has is set against this one, not claimed; guarantee and yield words
# between 与/和/跟 and 不同, within one clause, give no finding (a pitch after the contrast still does: 与存款不同，这款产品
# 保本保息; so does one in an earlier clause: 这款和存款一样保本保息，跟股票不同).
# Nor one that holds a likeness between (和存款一样保本保息跟股票不同: a likeness claimed, then a contrast with another product).
CONTRASTED = re.compile("(?:与|和|跟)(?:(?!一样|相同|同样|差不多|类似)[\u4e00-\u9fff%0-9a-z.]){1,24}?不同(?!意)")
# A quotation named as a term (followed by 等/之类/这类: “保本”等) or as what someone promised names every quotation
# listed with it (“欲购从速”、“申购良机”等; 承诺“保本”、“高收益”): a list of labels, not a pitch. A list alone names
# nothing: sellers' copy sets its selling points in quotation marks (这款理财“零风险”、“稳赚不赔”), as Taiwan and Hong Kong
# write every emphasis in 「」.
QUOTE_LIST_JOINERS = re.compile(r"[\s、，,和与及或跟/]*")
# The seller's own product, named as such (这款理财“零风险”、“稳赚不赔”; 本產品「零風險」，「穩賺不賠」): a list of quotations
# in a sentence that speaks so, outside its quotations, is the seller's selling points, not labels named.
SELLERS_OWN = ("这款", "這款", "本产品", "本產品", "我们的", "我們的", "我行", "本行", "咱们", "咱們", "我司", "本公司")
_SENTENCE_END_CHARS = "。！？!?；;\n"
# A list of quotations named as a product's merits (“保本保息”、“零风险”等优势): in a sentence of the seller's own product,
# its selling points.
QUOTE_MERITS = tuple(f"{a}{b}" for a in ("等", "之类的") for b in (
    "优势", "優勢", "特点", "特點", "特色", "好处", "好處", "亮点", "亮點", "优点", "優點", "卖点", "賣點"))
# Quotations for naming: the paired marks, and closing marks typed on both sides (如”限时抢购”、”名额有限”等).
_NAMING_QUOTE_RE = re.compile(QUOTE_RE.pattern + "|”[^”\n]{0,120}”")
# A quotation right after a verb of promising or claiming (承诺“保本保息”, 職員又保證「只是做定期,絕無風險」,
# 再次强调“保本保利”, 標榜「高息」): what someone promised, quoted — in the eight development sets each of the 32
# passages with one is a report or a rule, none a pitch (dev d0073, d0083, d0178, g0002, g0029, g0342 were
# flagged before).
# Also a quotation named a pitch's wording just before it (当时用的话术是「历史年化5.8%」: dev_i i0037), and a product recommended by a
# quoted selling point (推荐“利息较高”的金融产品: dev_p p1179, a court report).
# And a quotation shown as what an advertisement says — advertised, labelled, played up, headlined, banner-carried,
# dressed up as (在宣传材料中将预期收益率标注为”8%-12%”, 宣传中常常突出”7%复利收益”这个诱人的数字, 主打“30秒到账”, 将…包装为“保证收益”) — or
# given as an example (比如「因为存款利息低，所以要换成XX产品」): in the development sets each of the passages with one is
# a report, none a pitch (dev_s s0861, s0468, s0622; dev_e e0333; dev_q q0186). And a quotation headed as a trap, a myth or a
# pitch (圈套二:“无需审批”, 套路五:“我們不收費”, 迷思一:「…」, 话术包装陷阱:"…": the format of consumer warnings; the Beijing
# regulator's loan warning as 人民网 reports it, policies/sources/lint-citations.yaml; the three development passages with one
# are two reports and a clean line, dev_t t0054, dev_s s0653, dev_n n2200).
PROMISED_BY = re.compile("(?:承诺|承諾|保证|保證|强调|強調|标榜|標榜|号称|號稱|鼓吹|宣称|宣稱|推荐|推薦"
                         "|话术是|話術是|话术为|話術為|说法是|說法是|口号是|口號是"
                         "|宣传|宣傳|标注为|標注為|突出|主打|打着|打著|包装为|包裝為|包装成|包裝成|如|例如|比如|诸如|諸如"
                         "|(?:话术|話術|圈套|陷阱|套路|误区|誤區|骗局|騙局|迷思)[一二三四五六七八九十0-9０-９]{0,2}[:：])[ \u3000]*$")
# After the quotation: named as a term (“保本”等, “保本”二字), or as an advertisement's line (“…”这个诱人的数字, “…”的口号,
# 以「即時批核」、「特快現金」作招徠)
QUOTE_NAMED_BY = ("等", "之类", "这类", "這類", "这样的", "這樣的", "一类", "一類", "一词", "一詞", "二字", "两字", "兩字", "字眼",
                  "这个", "這個", "的口号", "的口號", "的广告", "的廣告", "的宣传", "的宣傳", "的噱头", "的噱頭", "作招徕", "作招徠",
                  "为卖点", "為賣點")
# A person's promise, told (那些承诺高额分红、保本高息的‘养老项目’, 这两位工作人员承诺保险分红一定会高于银行利息, 但凡承诺年化
# 超过6%的所谓"保本理财"): in the development sets the 12 passages with one are 11 reports and a clean line, no claim. Not an
# institution's promise (保险公司承诺…, 银行承诺保本保息): a seller says that of the product (dev_b b0232, dev_c c0308).
_PROMISERS = ("他们", "她们", "他", "她", "对方", "业务员", "营业员", "代理人", "营销员", "销售员", "销售人员", "推销员", "理专",
              "理财专员", "理财经理", "客户经理", "职员", "员工", "工作人员", "经纪人", "行员", "柜员", "中介", "那些", "但凡", "有人")
# (the look behind made after each subject's first character, as in _REPORTED_SPEECH_FAST)
PERSON_PROMISED = re.compile("(?:" + "|".join(w[0] + "(?<![是我其们本][\\s\\S])" + w[1:] for w in _PROMISERS) + ")"
                             "[^您你\\W]{0,6}?承诺")
# A promise named by its object, with no one of the seller's side promising (并承诺保证收益, 对保险产品的不确定利益承诺保证收益,
# 向客户承诺高额回报): 承诺 directly before the claim names the act of promising it, as the rules that forbid it name it
# (资管新规: 不得承诺保本保收益; 广告法第二十五条: 对未来效果、收益…作出保证性承诺); a seller makes the promise by saying the claim.
# In the development sets the 61 passages with 承诺 right before a claim word are 46 reports and rules and 15 clean lines, no
# claim. Not after a first person, the listener, this product or an institution that stands behind it (我们承诺保本,
# 这款产品承诺年化5%, 保险公司承诺保底3%: a seller says that of the product), nor opening its clause (承诺保本保息，年化4%:
# an advertisement's line, or a headline: dev_s s0156 stays flagged).
NAMED_PROMISE = re.compile("承诺(?=保本|保证|保息|保底|刚兑|刚性兑付|本息|零风险|无风险|稳赚|收益|高收益|高额|高息|固定收益|年化|回报|高回报)")
_OWN_SIDE = ("我", "咱", "本行", "本公司")  # the speaker's own side
_PROMISE_OWNERS = (*_OWN_SIDE, "这款", "这个", "这只", "这支", "这份", "该款", "您", "你")
# an institution or the product, up to four characters before 承诺 (保险公司承诺, 银行郑重承诺, 本产品书面承诺), not a thing of it
# (对保险产品的不确定利益承诺…)
_PROMISE_OWNER_END = re.compile("(?:公司|银行|产品|合同|保单|基金|平台|条款|计划|信托|机构|集团)[^的]{0,4}$")
# What follows "according to X's account" is X's view, reported (按照小莉的推演，陈姨手上的120万元现金…10年后可以拿到240万元: dev_r
# r0031; 按照他的理解是：…每個月有固定配息，本金到期又可拿回來: dev_e e0255; the two development passages with one are reports).
# A person's account only (说法, 理解, 推演, 说辞, 讲法, 意思), not a document's 介绍 or 描述 (根据产品说明书的介绍… is the seller
# citing the product), and not the speaker's own (按照我的理解).
ACCOUNT_OF = re.compile("(?:按照|依照|根据|照)[^我咱\\W]{0,8}?的(?:说法|理解|推演|说辞|讲法|意思)")
# The reported-speech patterns, each with words one of which every match holds (a cheap test first).
_SPEECH = ((_REPORTED_SPEECH_FAST, False, ("说", "称", "表示", "告诉", "告知", "指出", "宣传", "强调", "讲")),
           (PERSON_PROMISED, False, ("承诺",)),
           (PUBLIC_BELIEF, True, ("以为", "误", "抱持", "轻信", "被", "听", "自认为")),
           (SOME_CLAIM, True, ("有些", "有的", "一些", "部分", "某些", "个别", "有个", "有款", "有家", "有一款", "有一家")),
           (ACCOUNT_OF, False, ("的说法", "的理解", "的推演", "的说辞", "的讲法", "的意思")))
# A weak negator this many normalised characters (or fewer) before a hit negates it.
NEGATION_WINDOW = 4
# Connectives that start a new clause (in the normalised text). 其实/实则/实际上 turn from an appearance to the claim
# (这款产品看似普通其实保本保息: what follows is said, not doubted).
CLAUSE_CONNECTIVES = ("但", "但是", "可是", "然而", "而", "不过", "只是", "所以", "因此", "因而", "于是", "并且", "而且",
                      "另外", "同时", "况且", "其实", "实则", "实际上")
# Words that also end a weak negator's reach (as before: 不…也零风险 is not negated).
_WEAK_BREAKS = ("还", "都", "也", "因为")

_WORD, _START_END, _END = itemgetter(0), itemgetter(1, 2), itemgetter(2)  # of an automaton hit (word, start, end)
_FIRST = itemgetter(0)  # of a span (start, end)

# A text this long (or longer) is linted with Python's cyclic collector paused (guard.core.collector): a
# lint makes no cyclic garbage, and the objects of a long text's lint, alive till its end, made the
# collector's full passes a third of the time of a 1,000,000-character text.
PAUSE_COLLECTOR_AT = 10_000

# A text whose negators, forbidding words and reporting tails are more than one in this many of the automaton's hits
# has its shields sorted once (Linter._shields); in others each word's few possible shields are looked up (_clearers).
SORT_SHIELDS_AT = 8

# Kinds of automaton entries.
_PAT, _EXC, _NEAR, _UNLESS, _DISC, _WHEN, _NEG, _NONNEG, _FORBID, _CONN, _WEAKBRK, _ATOM, _TAIL, _FRAME = range(14)
# The word lists of the sentence frames the automaton finds (index: the list's place here, the word's place in
# it), with the pattern each stands for: their matches are read from its hits (_finditer_starts), not searched for.
_FRAME_WORDS = (REPORT_FRAMES, DISCLAIMER_FRAMES, QUESTION_WORDS)
_FRAME_STRIDE = 1 << 16


def _finditer_starts(spans_by_order: dict[int, list[tuple[int, int]]]) -> list[int]:
    """Where the matches of `"|".join(map(re.escape, words))`'s finditer start, from every occurrence of the
    words (by the word's place in the list): left to right, at each offset the first word listed that occurs
    there, the next match from its end on."""
    best: dict[int, tuple[int, int]] = {}  # start -> (place, end) of the first listed word there
    for order, spans in spans_by_order.items():
        for s, e in spans:
            have = best.get(s)
            if have is None or order < have[0]:
                best[s] = (order, e)
    out = []
    at = 0
    for s in sorted(best):
        if s >= at:
            out.append(s)
            at = best[s][1]
    return out


def _union(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Disjoint spans covering `spans`, as (starts, ends), sorted."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _stabs(spans: tuple[list[int], list[int]], s: int) -> bool:
    starts, ends = spans
    k = bisect.bisect_right(starts, s) - 1
    return k >= 0 and ends[k] > s


def _own_promise(text: str, at: int) -> bool:
    """Does the speaker's own side (_OWN_SIDE) stand in the clause before original offset `at`, within 12 characters?
    Then the quotation after a verb of promising there is what the speaker promises, not what someone else promised,
    reported (我们承诺‘全返’！: an agent's offer, dev_r r0186)."""
    window = text[max(0, at - 12):at]
    cut = max((k for k, ch in enumerate(window) if ch in _CLAUSE_MARKS), default=-1)
    return any(w in window[cut + 1:] for w in _OWN_SIDE)


def _sentences_holding(offsets: list[int], breaks: list[int]) -> set[int]:
    """The sentences (indexes, `breaks` the sentences' starts after the first) holding the sorted `offsets`: a bisection
    a sentence, not an offset (a text without punctuation is one sentence with every hit in it)."""
    out: set[int] = set()
    i, count = 0, len(offsets)
    while i < count:
        k = bisect.bisect_right(breaks, offsets[i])
        out.add(k)
        if k == len(breaks):
            break
        i = bisect.bisect_left(offsets, breaks[k], i + 1)
    return out


def _named_quotations(n: Normalized, blocks: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Quotations named as terms (QUOTE_NAMED_BY) or right after a verb of promising (PROMISED_BY), and every
    quotation listed with one, as frames. `blocks`: original spans, sorted, when only the quotations meeting one are
    asked about; the lists holding none of those are not tested (a quotation listed with one asked about may still be
    given)."""
    text = n.original
    if not any(q in text for q in "“”‘「『\"'＂"):
        return []
    quotes = [(m.start(), m.end()) for m in _NAMING_QUOTE_RE.finditer(text)]
    if blocks is None:
        wanted = [True] * len(quotes)
    else:  # does the last block starting before the quotation's end end after its start?
        block_starts = [a for a, _ in blocks]
        wanted = [(k := bisect.bisect_left(block_starts, qe) - 1) >= 0 and blocks[k][1] > qs for qs, qe in quotes]
    # the lists: runs of quotations with nothing but joiners between them (a lone quotation is a list of one)
    lists: list[list[int]] = []
    for i, (qs, _) in enumerate(quotes):
        if i and QUOTE_LIST_JOINERS.fullmatch(text, quotes[i - 1][1], qs):
            lists[-1].append(i)
        else:
            lists.append([i])
    named: list[int] = []
    for members in lists:
        if not any(wanted[i] for i in members):
            continue
        if any(_names_quotation(text, *quotes[i]) for i in members):
            # 这款理财有“保本保息”、“零风险”等优势: the seller's selling points, named as its merits
            if not (text.startswith(QUOTE_MERITS, quotes[members[-1]][1]) and _sellers_list(text, quotes, members)):
                named += members
        elif len(members) > 1 and not _sellers_list(text, quotes, members):
            named += members
    out = []
    for i in named:
        qs, qe = quotes[i]
        s, e = _norm_at(n, qs + 1), _norm_at(n, qe - 1)
        if s < e:
            out.append((s, e))
    return out


def _sellers_list(text: str, quotes: list[tuple[int, int]], members: list[int]) -> bool:
    """Does the sentence holding the list of quotations `members` speak, outside its quotations, of the seller's own
    product or to the customer (这款, 本产品, 我们的, 我行 …: SELLERS_OWN)?"""
    start = max(text.rfind(c, 0, quotes[members[0]][0]) for c in _SENTENCE_END_CHARS) + 1
    ends = [at for at in (text.find(c, quotes[members[-1]][1]) for c in _SENTENCE_END_CHARS) if at != -1]
    end = min(ends, default=len(text))
    k = bisect.bisect_left(quotes, (start, start))
    outside = []
    for qs, qe in quotes[k:]:
        if qs >= end:
            break
        outside.append(text[start:qs])
        start = max(start, qe)
    outside.append(text[start:end])
    return any(w in part for part in outside for w in SELLERS_OWN)


def _names_quotation(text: str, qs: int, qe: int) -> bool:
    """Is the quotation text[qs:qe] named as a term (QUOTE_NAMED_BY after it) or as what someone promised
    (PROMISED_BY right before it, no seller's own promise)?"""
    if text.startswith(QUOTE_NAMED_BY, qe):
        return True
    m = PROMISED_BY.search(text, max(0, qs - 6), qs)
    return m is not None and not _own_promise(text, m.start())


# A frame's words denied say the opposite. A disclaimer's words right after 不/没/无 (不可能亏损, 不会归零, 没有不确定性,
# 不存在不确定性) deny a loss or a doubt, as a pitch does (这款理财不可能亏损，保本保息 was no finding while 可能亏损 framed it).
# A report's word denied is a reassurance, the seller's own: 这款理财保本保息，完全不违规 / 我们不是骗子 / 没有套路 / 不存在误导 /
# 没有任何隐瞒 made every word of the sentence a report, so its 保本保息 was no finding. Denied: a bare 不/没/无/未 right
# before the word (不违规, 没套路), or a denial of being or having (不是, 并非, 不存在, 没有 …) ending at most two characters
# before it in its clause (不是骗局, 没有任何隐瞒; a broker's 我这边费用确实是很低的没有套路, dev_s s0369, a claim). Not a rule's
# 不得/不要 (不得误导, 不要相信骗子): those forbid, and forbidding words clear on their own.
_BARE_DENIALS = frozenset("不没无未")
_DENIALS = ("不是", "并非", "绝非", "不存在", "没有", "并没有")
_DENIAL_GAP = 2
_DENIAL_REACH = _DENIAL_GAP + max(map(len, _DENIALS))  # how far back a denial may start


# A regulator said to have approved (费率马上要调整了，下周可就要涨价了，银保监局已经批了: a telesales pitch, dev_r r0068) is the
# seller's appeal to it — what 保险销售行为管理办法第十七条（五） forbids (不得利用监管机构对保险产品的审核或者备案程序) — not a report
# of what it did: its name frames nothing when its clause goes on to the approval done. In the development sets r0068 is
# the one passage with a regulator and 已经批/批了/已批准 in a clause; the regulator's 核准 in rules and disclosures (经金管会
# 核准或同意生效) still frames.
_APPROVAL_DONE = ("已经批", "已批准", "批了", "批下来了", "已经批准")


def _appealed_to(n: Normalized, at: int) -> bool:
    """Is the report word at normalised offset `at` a regulator said, later in its clause, to have approved?"""
    if not n.text.startswith(_REGULATOR_WORDS, at):
        return False
    end = clause_ends(n, [at + 1])[0]
    return any(w in n.text[at:end] for w in _APPROVAL_DONE)


def _bare_denial_before(n: Normalized, at: int) -> bool:
    """Is the word at normalised offset `at` written right after 不/没/无/未 (nothing between them in the original, so
    保本吗？不，可能亏损 still discloses)?"""
    return at > 0 and n.text[at - 1] in _BARE_DENIALS and n.orig(at) - n.orig(at - 1) == 1


def _denied_report(n: Normalized, at: int, clause_start: int | None = None) -> bool:
    """Is the report word at normalised offset `at` denied (_BARE_DENIALS, _DENIALS) in its clause (which starts at
    `clause_start`, when known)?"""
    if at == 0:
        return False
    if _bare_denial_before(n, at):
        return True
    lo = max(clause_starts(n, [at])[0] if clause_start is None else clause_start, at - _DENIAL_REACH)
    window = n.text[lo:at]
    for d in _DENIALS:
        k = window.rfind(d)
        # 是不是…骗局? asks (dev_s s0255: 这个说‘0 利息借 1 万’,是不是也是骗局?), it does not deny
        if k >= 0 and len(window) - (k + len(d)) <= _DENIAL_GAP and not (d == "不是" and n.text[lo + k - 1:lo + k] == "是"):
            return True
    return False


def _norm_at(n: Normalized, pos: int) -> int:
    """Normalised offset of the first kept character at or after original offset `pos`."""
    return pos if n.index is None else bisect.bisect_left(n.index, pos)


def _semicolon_only(n: Normalized, b: int) -> bool:
    """Is the sentence break before normalised offset `b` made of semicolons only?"""
    marks = n.original[n.orig(b - 1) + 1:n.orig(b)].strip()
    return bool(marks) and set(marks) <= {";", "；"}


@dataclass(frozen=True)
class RuleHit:
    """One rule's hit inside a (merged) finding."""

    rule: str
    code: str
    severity: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "code": self.code, "severity": self.severity, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Finding:
    rule: str
    code: str  # BANNED_PHRASE | MISSING_DISCLOSURE | MISLEADING | PRESSURE
    severity: str  # error | warning
    start: int  # offsets into the original text: text[start:end] == matched
    end: int
    line: int  # 1-based
    column: int  # 1-based, in code points
    matched: str
    message: str
    suggestion: str
    rationale: str | None = None
    # Every rule whose hit lies on these words (overlapping hits of different rules are merged into
    # one finding): the reported `rule` first, then the others in text order.
    rules: tuple[RuleHit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        rules = self.rules or (RuleHit(self.rule, self.code, self.severity, self.start, self.end),)
        return {
            "rule": self.rule, "code": self.code, "severity": self.severity, "start": self.start, "end": self.end,
            "line": self.line, "column": self.column, "matched": self.matched, "message": self.message,
            "messages": finding_messages(self.code, self.rule, self.matched, self.message), "suggestion": self.suggestion, "rationale": self.rationale, "rules": [r.to_dict() for r in rules],
        }


@dataclass(frozen=True)
class LintResult:
    verdict: str  # pass | warn | fail
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}


def _frozen(cls, **values):
    """An instance of the frozen dataclass `cls` (RuleHit, Finding), equal to `cls(**values)`, made
    without running `__init__`, which sets each field through `object.__setattr__` (a tenth of the
    time of a script with many findings). `values` must name every field (a test compares)."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> str:
    severities = {f.severity for f in findings}
    return "fail" if "error" in severities else "warn" if "warning" in severities else "pass"


# A lint answer's note when no phrase rule of the pack applies (us-tcpa has none: it governs when to call, not what is
# said): the verdict then rests on disclosures and the built-in direction check alone, and a bare `pass` would read as
# "the wording is clean" to a reviewer who linted a script full of 保本保息 under the wrong pack.
NO_PHRASE_RULES = "NO_PHRASE_RULES"


def lint_notes(pack: Pack, product_types: list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """What a lint's verdict cannot vouch for under `pack` and `product_types` (empty: every rule): a list of
    {"code", "message", "messages"}; NO_PHRASE_RULES when neither a phrase rule nor the learned scorer applies."""
    types = list(product_types) or [None]
    if pack.lint_scorer is not None:
        return []
    if any(_applies(rule.product_types, t) for rule in pack.phrases for t in types):
        return []
    messages = lint_note_messages("lint.no_phrase_rules", [t for t in types if t], pack=pack.id, version=pack.version)
    return [{"code": NO_PHRASE_RULES, "message": messages["en"], "messages": messages}]


def _applies(types: frozenset[str] | None, product_type: str | None) -> bool:
    """A rule applies to its product types; a script of no known type gets every rule."""
    return types is None or product_type is None or product_type in types


class _Spans:
    """Spans sorted by start, with the starts alone for bisecting and the longest length."""

    __slots__ = ("spans", "starts", "_longest", "_by_start")

    # Made some 28 times a script (the atoms of compound patterns, except and near terms): the starts read in C,
    # the longest length only when asked (the compound patterns never ask): half the time of making one.
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans = sorted(spans)
        self.starts = list(map(_FIRST, spans))
        self._longest: int | None = None
        self._by_start: dict[int, list[int]] | None = None

    @property
    def longest(self) -> int:
        if self._longest is None:
            self._longest = max([e - s for s, e in self.spans]) if self.spans else 0
        return self._longest

    def by_start(self) -> dict[int, list[int]]:
        if self._by_start is None:
            d: dict[int, list[int]] = {}
            for s, e in self.spans:
                d.setdefault(s, []).append(e)
            self._by_start = d
        return self._by_start


_NO_SPANS = _Spans([])


class _Scan:
    """What one pass of the automaton found in a normalised text. The lists are in no particular
    order (sort one before bisecting it) and may be shared: never change one."""

    __slots__ = ("hits", "excepts", "near", "unless", "disc", "when", "when_spans", "neg", "nonneg", "forbid", "conn", "weakbrk",
                 "tail", "grouped", "atoms_present", "_atom_groups", "matches", "shields", "frame_starts")

    def __init__(self) -> None:
        self.hits: dict[int, list[tuple[int, int]]] = {}  # rule -> pattern hits (start, end)
        self.excepts: dict[int, list[tuple[int, int]]] = {}
        self.near: dict[int, list[tuple[int, int]]] = {}
        self.unless: set[int] = set()
        self.disc: set[int] = set()
        self.when: set[int] = set()
        self.when_spans: dict[int, list[tuple[int, int]]] = {}  # disclosure rule -> its trigger's mentions (start, end)
        self.neg: list[tuple[int, int]] = []
        self.nonneg: list[tuple[int, int]] = []
        self.forbid: list[tuple[int, int]] = []
        self.conn: list[int] = []
        self.weakbrk: list[tuple[int, int]] = []
        self.tail: list[tuple[int, int]] = []  # reporting tails (REPORTING_TAILS)
        # the automaton's hits by group of words (group -> spans), the literal atoms of compound patterns
        # that occur, and the groups of each atom (atom id -> groups): an atom's spans are gathered only
        # when a compound asks for them (`atom_spans`), not for each of the many atoms a word stands for
        self.grouped: dict[int, list[tuple[int, int]]] = {}
        self.matches: list[tuple[int, int, int]] = []  # the automaton's (word, start, end), in its order
        self.shields: tuple[list[int], list[int]] | None = None  # Linter._shields, once made
        # where the matches of _REPORT_RE, _DISCLAIMER_RE and _QUESTION_RE start (None: not found by the automaton)
        self.frame_starts: list[list[int]] | None = None
        self.atoms_present: set[int] = set()
        self._atom_groups: tuple[frozenset[int], ...] = ()

    def atom_spans(self, atom: int) -> list[tuple[int, int]]:
        """The occurrences of literal atom `atom` (in no particular order)."""
        grouped = self.grouped
        groups = self._atom_groups[atom]
        if len(groups) == 1:
            for g in groups:
                return grouped.get(g, [])
        return list(chain.from_iterable(grouped[g] for g in groups & grouped.keys()))

    @property
    def atoms(self) -> dict[int, list[tuple[int, int]]]:
        """Literal atom of a compound pattern -> occurrences (every atom that occurs)."""
        return {atom: self.atom_spans(atom) for atom in self.atoms_present}


@dataclass(frozen=True)
class _Compound:
    """A pattern that is not one literal word list: atoms (words or number slots), gaps, a limit."""

    rule: int
    atoms: tuple[Atom, ...]
    atom_ids: tuple[int | None, ...]  # automaton atom id of each literal atom, None for a slot
    within: int | None  # None: no gap, only adjacency


class _Clearers:
    """Negators and forbidding words of one text, unshielded, for the clause-scoped tests."""

    __slots__ = ("strong_ends", "strong_reach", "weak_ends", "weak_reach", "forbid_ends", "forbid_reach",
                 "all_starts", "all_ends", "quotes", "quote_starts", "tail_starts", "tail_back", "frames", "frames_np")

    def __init__(self) -> None:
        # ends of the words, sorted, and where the clause holding each ends (its reach)
        self.strong_ends: list[int] = []
        self.strong_reach: list[int] = []
        self.weak_ends: list[int] = []
        self.weak_reach: list[int] = []
        self.forbid_ends: list[int] = []
        self.forbid_reach: list[int] = []
        self.all_starts: list[int] = []
        self.all_ends: list[int] = []
        self.quotes: list[tuple[int, int]] = []
        self.quote_starts: list[int] = []
        # reporting tails: starts, sorted, and where the clause holding each begins
        self.tail_starts: list[int] = []
        self.tail_back: list[int] = []
        # sentence frames (REPORT_FRAMES, reported speech, questions, named quotations): disjoint spans
        # (starts, ends) clearing every code; frames_np (disclaimers, concessions) clear all but PRESSURE
        self.frames: tuple[list[int], list[int]] = ([], [])
        self.frames_np: tuple[list[int], list[int]] = ([], [])


class Linter:
    """A pack's lint rules compiled into one automaton. Immutable; safe to share between threads."""

    def __init__(self, pack: Pack):
        self.pack_id = pack.id
        self.pack_version = pack.version
        self.pack_hash = pack.hash
        self.phrases: tuple[PhraseRule, ...] = pack.phrases
        self.disclosures: tuple[DisclosureRule, ...] = pack.disclosures
        self.negation = pack.lint_negation
        self.scorer: Scorer | None = getattr(pack, "lint_scorer", None)
        if self.scorer is not None:
            self.scorer.compile()  # its automaton, with the pack's: not on the first script linted
        classes = dict(getattr(pack, "lint_classes", {}) or {})
        entries: dict[str, list[tuple[int, int]]] = {}

        def add(phrase: str, kind: int, idx: int) -> None:
            key = normalize_phrase(phrase)
            if key:  # the pack validator refuses phrases that normalise to nothing
                entries.setdefault(key, []).append((kind, idx))

        def add_all(phrase: str, kind: int, idx: int) -> None:
            for word in (expand(phrase, classes) if "{" in phrase else (phrase,)):
                add(word, kind, idx)

        compounds: list[_Compound] = []
        n_atoms = 0
        atom_ids: dict[frozenset[str], int] = {}
        self.slots: frozenset[str] = frozenset()
        slots: set[str] = set()
        for i, rule in enumerate(self.phrases):
            limits = rule.pattern_within or (None,) * len(rule.patterns)
            for p, limit in zip(rule.patterns, limits):
                seq: Sequence = parse_pattern(p, classes, normalize_phrase)
                if seq.literal:
                    for word in seq.atoms[0].words:
                        add(word, _PAT, i)
                    continue
                ids: list[int | None] = []
                for atom in seq.atoms:
                    if atom.slot:
                        ids.append(None)
                        slots.add(atom.slot)
                        continue
                    # atoms of the same words (a class used in many patterns) share one id: their spans
                    # are gathered once per text
                    words = frozenset(filter(None, map(normalize_phrase, atom.words)))
                    atom_id = atom_ids.get(words)
                    if atom_id is None:
                        atom_id = atom_ids[words] = n_atoms
                        n_atoms += 1
                        for word in atom.words:
                            add(word, _ATOM, atom_id)
                    ids.append(atom_id)
                within = (limit or rule.within) if seq.gapped else None
                compounds.append(_Compound(i, seq.atoms, tuple(ids), within))
            for p in rule.except_:
                add_all(p, _EXC, i)
            for p in rule.near:
                add_all(p, _NEAR, i)
            for p in rule.unless_mentions:
                add_all(p, _UNLESS, i)
        self._compounds = tuple(compounds)
        self._rule_ids = tuple(rule.id for rule in self.phrases)
        # the finding of each disclosure when missing (the same whatever the text)
        self._missing = tuple(Finding(
            rule=rule.id, code="MISSING_DISCLOSURE", severity=rule.severity, start=0, end=0, line=1, column=1,
            matched="", message=rule.message,
            suggestion=rule.suggestion or f"加入：{rule.any_of[0]}", rationale=rule.rationale,
            rules=(RuleHit(rule.id, "MISSING_DISCLOSURE", rule.severity, 0, 0),),
        ) for rule in self.disclosures)
        # the atom ids of each compound's literal atoms: all must occur for it to match
        self._compound_literals = tuple(frozenset(i for i in c.atom_ids if i is not None) for c in compounds)
        self._compound_gaps = tuple(tuple(a.gap_before for a in c.atoms) for c in compounds)
        # each compound filed under one of its literal atoms, the likely rarest (a word of n characters weighs 1/n³,
        # an atom its words' sum): a text's compounds to try are those filed under the atoms it holds, not all 251 of
        # the shipped pack (some 51 a script in bench/lint.py's texts; filed under the shortest word's atom, 86)
        weight = {atom_id: sum(len(w) ** -3 for w in words if w) for words, atom_id in atom_ids.items()}
        # (by product type: those of the rules that apply to it)
        self._compounds_by_atom: dict[str | None, dict[int, list[int]]] = {}
        for product_type in (*PRODUCT_TYPES, None):
            by_atom: dict[int, list[int]] = {}
            for ci, literal_ids in enumerate(self._compound_literals):
                if _applies(self.phrases[compounds[ci].rule].product_types, product_type):
                    by_atom.setdefault(min(literal_ids, key=lambda a: (weight[a], a)), []).append(ci)
            self._compounds_by_atom[product_type] = by_atom
        self.slots = frozenset(slots)
        for i, rule in enumerate(self.disclosures):
            for p in rule.any_of:
                add_all(p, _DISC, i)
            for p in rule.when_mentions:
                add_all(p, _WHEN, i)
        for p in NEGATORS:
            add(p, _NEG, 1 if p in WEAK_NEGATORS else 0)
        for p in NON_NEGATING:
            add(p, _NONNEG, 0)
        for p in FORBIDDING:
            add(p, _FORBID, 0)
        for p in CLAUSE_CONNECTIVES:
            add(p, _CONN, 0)
        for p in REPORTING_TAILS:
            add(p, _TAIL, 0)
        # the frame words, when each is its own normalised form (as the patterns searching the normalised
        # text for them take them); else those patterns run
        self._frames_by_automaton = all(normalize_phrase(w) == w for words in _FRAME_WORDS for w in words)
        if self._frames_by_automaton:
            for i, words in enumerate(_FRAME_WORDS):
                for j, w in enumerate(words):
                    add(w, _FRAME, i * _FRAME_STRIDE + j)
        # Word i of the automaton, self._words[i], stands for the (kind, index) pairs self._kinds[i].
        self._words = tuple(entries)
        self._kinds = tuple(tuple(dict.fromkeys(kinds)) for kinds in entries.values())
        self._automaton = ahocorasick_rs.AhoCorasick(self._words, store_patterns=False)
        # The scan gathers hits by group: the words that stand for one (kind, index) alone form one
        # group (their hits stay in the automaton's order), a word that stands for more its own.
        group_of: dict[tuple[tuple[int, int], ...], int] = {}
        self._group_of = tuple(group_of.setdefault(kinds if len(kinds) == 1 else (i, kinds), len(group_of))
                               for i, kinds in enumerate(self._kinds))
        self._groups = tuple(key if isinstance(key[0], tuple) else key[1] for key in group_of)
        # per group: its (kind, index) pairs other than literal atoms, the atoms it stands for, whether its
        # words shield a negator inside them (_shields); per atom: its groups
        self._group_plain = tuple(tuple(ki for ki in kinds if ki[0] != _ATOM) for kinds in self._groups)
        self._group_atoms = tuple(frozenset(i for k, i in kinds if k == _ATOM) or None for kinds in self._groups)
        # (a literal atom of a compound pattern shields only where its compound matched: _clearers' `held`)
        self._group_shields = tuple(any(k in (_PAT, _NONNEG) for k, _ in kinds) for kinds in self._groups)
        self._word_shields = tuple(self._group_shields[g] for g in self._group_of)
        self._longest_shield = max([len(w) for w, shields in zip(self._words, self._word_shields) if shields], default=0)
        atom_groups: list[set[int]] = [set() for _ in range(n_atoms)]
        for g, atoms in enumerate(self._group_atoms):
            for a in atoms or ():
                atom_groups[a].add(g)
        self._atom_groups = tuple(map(frozenset, atom_groups))
        # regular-expression passes of the number slots (for `lint`'s stats)
        self._slot_passes = len(self.slots & {c.atoms[k].slot for c in self._compounds for k in range(len(c.atoms))})

    # -- scanning -------------------------------------------------------------------------------

    def _scan(self, norm: str) -> _Scan:
        # One pass of the automaton (every occurrence of every word, overlapping ones included), its
        # hits gathered by group of words, then each group's spans handed to what it stands for.
        grouped: dict[int, list[tuple[int, int]]] = {}
        group_of = self._group_of
        scan = _Scan()
        scan.matches = matches = self._automaton.find_matches_as_indexes(norm, overlapping=True)
        for word, start, end in matches:
            g = group_of[word]
            have = grouped.get(g)
            if have is None:
                grouped[g] = [(start, end)]
            else:
                have.append((start, end))
        scan.grouped = grouped
        scan._atom_groups = self._atom_groups
        # kind -> {index -> spans}. A group's list may go to several kinds, so it is never extended:
        # a (kind, index) given the spans of two groups gets a list of its own. (A new kind of word:
        # take its spans from by_kind below, as the negators' are.) The literal atoms of compound
        # patterns are only noted as present (their spans: scan.atom_spans).
        by_kind: defaultdict[int, dict[int, list]] = defaultdict(dict, {
            _PAT: scan.hits, _EXC: scan.excepts, _NEAR: scan.near})
        merged: dict[int, list] = {}  # id -> list, of the lists of their own
        plain, group_atoms = self._group_plain, self._group_atoms
        present = scan.atoms_present
        for group, spans in grouped.items():
            atoms = group_atoms[group]
            if atoms:
                present.update(atoms)
            for kind, idx in plain[group]:
                lists = by_kind[kind]
                have = lists.get(idx)
                if have is None:
                    lists[idx] = spans
                elif id(have) in merged:
                    have.extend(spans)
                else:
                    have = lists[idx] = have + spans
                    merged[id(have)] = have
        scan.unless, scan.disc, scan.when = set(by_kind[_UNLESS]), set(by_kind[_DISC]), set(by_kind[_WHEN])
        scan.when_spans = by_kind[_WHEN]
        neg = by_kind[_NEG]  # by index: 1 for a weak negator
        scan.neg = [(a, b, weak) for weak, spans in neg.items() for a, b in spans]
        scan.nonneg, scan.forbid, scan.tail, scan.weakbrk = (
            by_kind[kind].get(0, []) for kind in (_NONNEG, _FORBID, _TAIL, _WEAKBRK))
        scan.conn = [a for a, _ in by_kind[_CONN].get(0, ())]
        if self._frames_by_automaton:
            frames: list[dict[int, list[tuple[int, int]]]] = [{} for _ in _FRAME_WORDS]
            for idx, spans in by_kind[_FRAME].items():
                frames[idx // _FRAME_STRIDE][idx % _FRAME_STRIDE] = spans
            scan.frame_starts = [_finditer_starts(f) if f else [] for f in frames]
        return scan

    def _shields(self, scan: _Scan) -> tuple[list[int], list[int]]:
        """The spans that shield a negator or forbidding word inside them (the non-negating words, the
        pattern hits and the literal atoms of compound patterns): their distinct starts, sorted, and for
        each the furthest end of those starting there or before. A word [s, e) is shielded when the last
        start at or before s reaches e. The automaton reports the hits by end, so of those of one start
        the longest comes last: a dict of start -> end keeps it (no sort of the spans themselves)."""
        if scan.shields is None:
            matches, scan.matches = scan.matches, []  # needed no more: not kept alive (the collector would walk them)
            furthest = dict(compress(map(_START_END, matches), map(self._word_shields.__getitem__, map(_WORD, matches))))
            starts = sorted(furthest)
            scan.shields = starts, list(accumulate(map(furthest.__getitem__, starts), max))
        return scan.shields

    def _clearers(self, n: Normalized, scan: _Scan, held: list[tuple[int, int]] = (),
                  kept: Callable[[int], bool] | None = None) -> _Clearers:
        """The negators and forbidding words that count: not inside a non-negating word, a pattern hit or an atom of
        a compound pattern's match (`held`: 错过这次就不再有 holds 不再 as the pattern's word; 理财不再保本 negates).
        `kept`: is a word starting at this normalised offset wanted (None: every word is)?"""
        out = _Clearers()
        if not scan.neg and not scan.forbid and not scan.tail:
            return out
        neg, forbid_words, tail_words = scan.neg, scan.forbid, scan.tail
        if kept is not None:
            neg = [w for w in neg if kept(w[0])]
            forbid_words = [w for w in forbid_words if kept(w[0])]
            tail_words = [w for w in tail_words if kept(w[0])]
        # A word [s, e) is shielded when some shield starts at or before s and ends at or after e. Such a shield
        # ends in [e, s + the longest shield's length]: the automaton's hits are in the order of their ends, so
        # those few are found by bisecting the ends and tested one by one (the words to test are some 30 in a
        # 2,000-character script, the hits some 400: sorting every shield by start, _shields, took longer). A text
        # with many of them (SORT_SHIELDS_AT) still sorts the shields once.
        matches = scan.matches
        if scan.shields is not None or (len(neg) + len(forbid_words) + len(tail_words)) * SORT_SHIELDS_AT > len(matches):
            starts, reach = self._shields(scan)

            def shielded(s: int, e: int) -> bool:
                i = bisect.bisect_right(starts, s) - 1
                return i >= 0 and reach[i] >= e
        else:
            ends = list(map(_END, matches))
            word_shields, longest, bisect_left = self._word_shields, self._longest_shield, bisect.bisect_left

            def shielded(s: int, e: int) -> bool:
                j = bisect_left(ends, e)
                stop = bisect.bisect_right(ends, s + longest, j)
                for word, start, _ in matches[j:stop]:
                    if start <= s and word_shields[word]:
                        return True
                return False

        if held:
            by_words = shielded
            held_starts = [a for a, _ in held]
            held_reach = list(accumulate((b for _, b in held), max))

            def shielded(s: int, e: int) -> bool:
                i = bisect.bisect_right(held_starts, s) - 1
                return (i >= 0 and held_reach[i] >= e) or by_words(s, e)

        conns = sorted(scan.conn)
        tails = sorted(s for s, e in tail_words if not shielded(s, e))
        if tails:
            back = clause_starts(n, tails)
            out.tail_starts, out.tail_back = tails, [max(b, conns[k - 1] if k else 0)
                                                    for b, k in zip(back, (bisect.bisect_right(conns, t) for t in tails))]
        strong, weak, forbid = [], [], []
        for s, e, is_weak in neg:
            if not shielded(s, e):
                (weak if is_weak else strong).append((e, s))
        for s, e in forbid_words:
            if not shielded(s, e):
                forbid.append((e, s))
        strong.sort(), weak.sort(), forbid.sort()
        conn = sorted(scan.conn)

        def reach(words: list[tuple[int, int]], lists: bool = False) -> tuple[list[int], list[int]]:
            ends = [e for e, _ in words]
            marks = clause_ends(n, ends, lists=lists)
            out_reach = []
            for e, mark in zip(ends, marks):
                k = bisect.bisect_left(conn, e)
                out_reach.append(min(mark, conn[k]) if k < len(conn) else mark)
            return ends, out_reach

        out.strong_ends, out.strong_reach = reach(strong)
        out.weak_ends, out.weak_reach = reach(weak)
        out.forbid_ends, out.forbid_reach = reach(forbid, lists=True)  # 严禁夸大收益、承诺保本
        every = sorted((s, e) for e, s in strong + weak + forbid)
        out.all_starts, out.all_ends = [s for s, _ in every], [e for _, e in every]
        return out

    @staticmethod
    def _reaches(ends: list[int], reach: list[int], at: int) -> bool:
        """Does the last word ending at or before `at` reach it (no clause end between)?"""
        k = bisect.bisect_right(ends, at) - 1
        return k >= 0 and reach[k] > at

    def _negated(self, n: Normalized, cl: _Clearers, s: int) -> bool:
        if self._reaches(cl.strong_ends, cl.strong_reach, s):
            return True
        k = bisect.bisect_right(cl.weak_ends, s) - 1
        if k < 0:
            return False
        e = cl.weak_ends[k]
        if cl.weak_reach[k] <= s or s - e > NEGATION_WINDOW:
            return False
        between = n.text[e:s]  # a weak break (还, 都, 也) between the negator and the hit ends its reach
        return not any(w in between for w in _WEAK_BREAKS)

    @staticmethod
    def _reported(cl: _Clearers, at: int) -> bool:
        """Is a reporting tail (话术, 之类, 遭…开罚 …) after `at` in the clause holding `at`?"""
        k = bisect.bisect_right(cl.tail_starts, at)
        return k < len(cl.tail_starts) and cl.tail_back[k] <= at

    def _forbidden(self, cl: _Clearers, s: int) -> bool:
        if self._reaches(cl.forbid_ends, cl.forbid_reach, s) or self._reported(cl, s):
            return True
        k = bisect.bisect_right(cl.quote_starts, s) - 1
        return k >= 0 and cl.quotes[k][1] > s

    def _governed_quotes(self, n: Normalized, cl: _Clearers, quotes: list[tuple[int, int]] | None = None) -> None:
        """Quotations that a forbidding word earlier in the clause governs (不得承诺“保本，保息”), or that
        a reporting tail later in the clause names (以“保本，保息”等话术). `quotes`: the text's quotations, when made."""
        if not cl.forbid_ends and not cl.tail_starts:
            return
        for qs, qe in quotations(n) if quotes is None else quotes:
            if self._reaches(cl.forbid_ends, cl.forbid_reach, qs) or self._reported(cl, max(qs, qe - 1)):
                cl.quotes.append((qs, qe))
        cl.quote_starts = [s for s, _ in cl.quotes]

    @staticmethod
    def _sentence_frames(n: Normalized, seg: Segments, cl: _Clearers, titles: bool = True,
                         frame_starts: list[list[int]] | None = None, asked_at: list[int] | None = None) -> None:
        """The sentences (or their tails) that are reports, questions or disclaimers (REPORT_FRAMES,
        REPORTED_SPEECH, QUESTION_WORDS, DISCLAIMER_FRAMES …): cl.frames, cl.frames_np. Each regular
        expression runs once over the whole text; its matches are assigned to their sentences.
        `titles=False` leaves out the sentences that cite a regulation by its title (REGULATION_TITLE).
        `frame_starts`: where the matches of _REPORT_RE, _DISCLAIMER_RE and _QUESTION_RE start, when the
        automaton found them (_Scan.frame_starts); else those patterns run. `asked_at`: the normalised offsets, sorted,
        that the frames will be asked about (the hits' starts), when known; then only the frames of the sentences
        holding them are made, the patterns of reported speech run over those sentences alone (a match never spans
        two), and a named quotation is made when it meets one of them (it may span sentences). No other frame reaches
        out of its sentence. A long script has hits in a few of its sentences: on bench/lint.py's real scripts, a
        quarter of the text (tests/lint/test_lint_focus.py compares the answers with the whole text's)."""
        if frame_starts is None:
            frame_starts = [[m.start() for m in pattern.finditer(n.text)] if pattern is not _QUESTION_RE or "否" in n.text
                            else [] for pattern in (_REPORT_RE, _DISCLAIMER_RE, _QUESTION_RE)]
        report_starts, disclaimer_starts, question_starts = frame_starts
        text, original = n.text, n.original
        # a semicolon ends no frame (示範約1萬/月；但配息不等於報酬 is one disclaimer)
        breaks = seg.sentences
        if ";" in original or "；" in original:
            # only a break with a semicolon before it can be one of semicolons only: the first kept character
            # after a semicolon is such a break
            drop: set[int] = set()
            candidates = set(breaks)
            for m in _SEMICOLON_RE.finditer(original):
                b = _norm_at(n, m.start())
                if b in candidates and b not in drop and _semicolon_only(n, b):
                    drop.add(b)
            if drop:
                breaks = [b for b in breaks if b not in drop]
        ends = [*breaks, len(text)]

        def sentence(i: int) -> int:
            return bisect.bisect_right(breaks, i)

        def bounds(k: int) -> tuple[int, int]:
            return (breaks[k - 1] if k else 0), ends[k]

        blocks = [(0, len(text))]  # the runs of the sentences asked about
        if asked_at is not None:
            wanted = _sentences_holding(asked_at, breaks)
            if len(wanted) == len(ends):
                asked_at = None  # every sentence is asked about
            else:
                blocks = []
                for k in sorted(wanted):
                    a, b = bounds(k)
                    if blocks and blocks[-1][1] == a:
                        blocks[-1] = (blocks[-1][0], b)
                    else:
                        blocks.append((a, b))
                report_starts = [at for at in report_starts if sentence(at) in wanted]
                disclaimer_starts = [at for at in disclaimer_starts if sentence(at) in wanted]
                question_starts = [at for at in question_starts if sentence(at) in wanted]

        # a mistaken belief reported (误以为, 误信) ends where the speaker answers it, as PUBLIC_BELIEF does
        beliefs = {at for at in report_starts if text.startswith(_BELIEF_REPORTS, at)}
        whole: set[int] = {sentence(at) for at, cs in zip(report_starts, clause_starts(n, report_starts) if report_starts else ())
                           if at not in beliefs and not _denied_report(n, at, cs) and not _appealed_to(n, at)}
        for m in REGULATION_TITLE.finditer(original) if titles and "《" in original else ():
            whole.add(sentence(_norm_at(n, m.start())))
        if "营造" in text or "制造" in text or "渲染" in text:
            for m in TACTIC.finditer(text):  # a tactic described, within one sentence
                if sentence(m.end() - 1) == sentence(m.start()):
                    whole.add(sentence(m.start()))
        legal_items = LEGAL_ITEM.finditer(original) if "(" in original or "（" in original else ()
        for m in legal_items:  # an item of a legal enumeration: only at a sentence's start
            at = _norm_at(n, m.start())
            k = sentence(at)
            if at < len(text) and (breaks[k - 1] if k else 0) == at:
                whole.add(k)
        def asks(k: int) -> bool:  # does sentence k end in a question mark?
            a, b = bounds(k)
            if b <= a:
                return False
            tail = original[n.orig(b - 1) + 1:n.orig(b) + 3 if b < len(text) else len(original)]
            return bool(_QUESTION_MARKS & set(tail[:4]))

        # a question: from the clause its question word stands in to the sentence's end (保本是否僅限於到期?); a claim in a
        # clause before it is no part of the question (这款理财保本保息，您是否考虑一下？ claims 保本保息)
        asked: dict[int, int] = {}
        for at in question_starts:
            k = sentence(at)
            if k not in whole and k not in asked and asks(k):
                asked[k] = at
        doubted = ([bounds(k) for k in {sentence(m.start()) for m in _DOUBT_RE.finditer(text)} - whole if asks(k)]
                   if "真的" in text else [])
        frames = [bounds(k) for k in whole]
        for at in beliefs:
            k = sentence(at)
            if _denied_report(n, at) or (text.startswith(_DOUBT_WORDS, at) and any(
                    d in text[clause_starts(n, [at])[0]:at] for d in _DISSUADERS)):
                continue  # 你不用打问号: the doubt is talked away; 这不是误区: the belief is denied
            if k not in whole:
                r = _REBUTTAL_RE.search(text, at, ends[k])
                frames.append((bounds(k)[0], r.start() if r else ends[k]))
        if asked:
            firsts = sorted(asked.values())
            frames += [(start, ends[sentence(at)]) for start, at in zip(clause_starts(n, firsts), firsts)]
        focus_text = text if asked_at is None else "\x00".join(text[a:b] for a, b in blocks)
        for pattern, from_start, markers in _SPEECH:
            if not any(x in focus_text for x in markers):  # each match holds one of its markers
                continue
            for m in (m for a, b in blocks for m in pattern.finditer(text, a, b)):
                k = sentence(m.start())
                if k not in whole and sentence(m.end() - 1) == k:
                    end = ends[k]
                    if from_start:  # a belief described ends where the speaker answers it (…误以为理财有风险，其实…)
                        r = _REBUTTAL_RE.search(text, m.end(), end)
                        end = r.start() if r else end
                    frames.append((m.start() if from_start else m.end(), end))
        frames += _named_quotations(n, None if asked_at is None else [
            (n.orig(a), n.orig(b) if b < len(text) else len(original)) for a, b in blocks])
        if "承诺" in text:
            promises = list(NAMED_PROMISE.finditer(text))
            for m, cs in zip(promises, clause_starts(n, [m.start() for m in promises]) if promises else ()):
                before = text[cs:m.start()]
                if before and not any(w in before for w in _PROMISE_OWNERS) and not _PROMISE_OWNER_END.search(before):
                    frames.append((m.end(), ends[sentence(m.start())]))
        if any(w in text for w in _CLAUSE_CLAIM_MARKERS):  # the tail of a sentence after a clause opening with 称/说是/并表示 …
            for m in CLAUSE_CLAIMS.finditer(original):
                at = _norm_at(n, m.end())
                if at < len(text):
                    frames.append((at, ends[sentence(at)]))
        examples = _EXAMPLES_FAST.finditer(text) if any(w in text for w in _EXAMPLES_MARKERS) else ()
        for m in examples:  # up to the 等 closing the list of examples
            end = ends[sentence(m.start())]
            closing = text.find("等", m.end(), end)
            frames.append((m.end(), closing + 1 if closing != -1 else end))
        concessions = list(CONCESSION.finditer(text)) if "虽" in text or "尽管" in text else []
        cuts = [c.start() for c in _CONTRAST_RE.finditer(text)] if concessions or disclaimer_starts else []
        partial: list[tuple[int, int]] = doubted
        for m in concessions:  # what 虽/尽管 grants, up to the first contrast after it in its sentence
            k = sentence(m.start())
            j = bisect.bisect_left(cuts, m.end())
            if k not in whole and j < len(cuts) and cuts[j] < ends[k]:
                partial.append((m.end(), cuts[j]))
        m = CONTRASTED.search(text) if "不同" in text else None
        while m is not None:  # each 与/和/跟 tried in turn (a match begun at one may hold the next)
            k = sentence(m.start())
            if (k not in whole and sentence(m.end() - 1) == k
                    and _CLAUSE_MARKS.isdisjoint(_dropped_between(n, m.start(), m.end()))):
                partial.append((m.start(), m.end()))  # another product's feature, set against this one's
            m = CONTRASTED.search(text, m.start() + 1)
        seen: set[int] = set()
        slogans = [at for at in disclaimer_starts if text.startswith(RISK_SLOGANS, at)]
        slogan_clause = dict(zip(slogans, clause_starts(n, slogans))) if slogans else {}
        for at in disclaimer_starts:
            # a disclaimer reaches back to the sentence start (配息率12%…；但配息不等於報酬) and on to the
            # next contrast: 这是非保本产品，但实际上都可以做到保本 claims 保本 after all. A risk slogan only from its own clause
            # (RISK_SLOGANS).
            k = sentence(at)
            if k in whole or k in seen or _bare_denial_before(n, at):
                continue
            if at in slogan_clause:
                j = bisect.bisect_right(cuts, at)
                partial.append((slogan_clause[at], min(cuts[j], ends[k]) if j < len(cuts) else ends[k]))
                continue
            seen.add(k)
            j = bisect.bisect_right(cuts, at)
            partial.append((bounds(k)[0], min(cuts[j], ends[k]) if j < len(cuts) else ends[k]))
        cl.frames = _union(frames)
        cl.frames_np = _union(partial)

    @staticmethod
    def _framed(cl: _Clearers, s: int, code: str) -> bool:
        """Does a sentence frame hold normalised offset `s` and clear findings of `code`?"""
        return _stabs(cl.frames, s) or (code in _NOT_PRESSURE and _stabs(cl.frames_np, s))

    def _gap_cleared(self, cl: _Clearers, gaps: list[tuple[int, int]]) -> bool:
        """A negator or forbidding word lying inside a gap of a gapped match (收益不会比存款高)."""
        for a, b in gaps:
            k = bisect.bisect_left(cl.all_starts, a)
            while k < len(cl.all_starts) and cl.all_starts[k] < b:
                if cl.all_ends[k] <= b:
                    return True
                k += 1
        return False

    # -- compound patterns ----------------------------------------------------------------------

    def _compound_hits(self, n: Normalized, scan: _Scan, seg: Segments, product_type: str | None,
                       work: list[int]) -> dict[int, list[tuple[int, int, tuple]]]:
        """Hits of the compound patterns: (start, end, gaps) by rule."""
        out: dict[int, list[tuple[int, int, tuple]]] = {}
        if not self._compounds:
            return out
        length = len(n.text)
        present = scan.atoms_present
        spans_of: dict[int | str, _Spans] = {}  # atom id or slot name -> its spans
        # atom id or slot name -> its spans with the end of the sentence each starts in, as a first atom
        firsts_of: dict[int | str, list[tuple[int, int, int]]] = {}
        sentence_ends = seg.sentences
        limits = [*sentence_ends, length]  # the end of sentence k
        bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
        unless = scan.unless

        compounds, literals, gaps_of = self._compounds, self._compound_literals, self._compound_gaps
        by_atom = self._compounds_by_atom[product_type]
        for ci in sorted(chain.from_iterable(by_atom[a] for a in present if a in by_atom)):
            c, literal_ids, gap_before = compounds[ci], literals[ci], gaps_of[ci]
            if not literal_ids <= present or c.rule in unless:  # literal atoms first: a compound with one absent costs nothing
                continue
            lists = []
            for atom, atom_id in zip(c.atoms, c.atom_ids):
                key = atom.slot if atom_id is None else atom_id
                spans = spans_of.get(key)
                if spans is None:
                    spans = spans_of[key] = _Spans(number_slots(n, atom.slot) if atom_id is None else scan.atom_spans(atom_id))
                if not spans.spans:
                    break
                lists.append(spans)
            else:
                key = c.atoms[0].slot if c.atom_ids[0] is None else c.atom_ids[0]
                firsts = firsts_of.get(key)
                if firsts is None:  # each start's sentence end, found by bisecting (the ends outnumber the starts)
                    firsts = firsts_of[key] = [(s0, e0, limits[bisect_right(sentence_ends, s0)]) for s0, e0 in lists[0].spans]
                found_for_rule = out.setdefault(c.rule, [])
                within = c.within
                work[0] += len(firsts)
                count = len(c.atoms)
                if count == 2 and gap_before[1]:  # A … B: the B that ends earliest, in reach
                    second = lists[1]
                    starts, spans2 = second.starts, second.spans
                    n_starts = len(starts)
                    for s0, e0, limit in firsts:
                        if within is not None and s0 + within < limit:
                            limit = s0 + within
                        if e0 > limit:
                            continue
                        j = bisect_left(starts, e0)
                        if j < n_starts and starts[j] < limit:
                            stop = bisect_left(starts, limit, j)
                            work[0] += stop - j
                            if stop == j + 1:  # one B in reach (the usual case): no list to make
                                cs, ce = spans2[j]
                                if ce <= limit:
                                    found_for_rule.append((s0, ce, ((e0, cs),)))
                                continue
                            candidates = [(ce, cs) for cs, ce in spans2[j:stop] if ce <= limit]
                            if candidates:
                                ce, cs = min(candidates)
                                found_for_rule.append((s0, ce, ((e0, cs),)))
                elif count == 2:  # AB: the B starting where A ends that ends earliest, in reach
                    by_start = lists[1].by_start()
                    for s0, e0, limit in firsts:
                        if within is not None and s0 + within < limit:
                            limit = s0 + within
                        if e0 > limit:
                            continue
                        work[0] += 1
                        for ce in by_start.get(e0, ()):
                            if ce <= limit:
                                found_for_rule.append((s0, ce, ()))
                            break  # ends ascending: the first is the earliest, or none is in reach
                else:
                    # the second atom is looked for here first: for most firsts there is none where it must stand,
                    # and _walk (a call per first) would find nothing (its steps are counted as _walk counts them)
                    second, gapped = lists[1], gap_before[1]
                    starts, n_starts = second.starts, len(second.starts)
                    by_start = None if gapped else second.by_start()
                    for s0, e0, limit in firsts:
                        if within is not None and s0 + within < limit:
                            limit = s0 + within
                        if e0 > limit:
                            continue
                        if gapped:
                            j = bisect_left(starts, e0)
                            if j == n_starts or starts[j] >= limit:
                                continue
                        elif e0 not in by_start:
                            work[0] += 1
                            continue
                        path = self._walk(lists, gap_before, 1, e0, limit, [(s0, e0)], work)
                        if path:
                            gaps = tuple((path[k - 1][1], path[k][0]) for k in range(1, count) if gap_before[k])
                            found_for_rule.append((s0, path[-1][1], gaps))
        return out

    @staticmethod
    def _walk(lists: list[_Spans], gap_before: tuple[bool, ...], k: int, prev_end: int, limit: int, path: list,
              work: list[int]) -> list | None:
        """The first way (earliest ends first) to place atoms k, k+1 … of a compound after `prev_end`, up to `limit`:
        the whole path of (start, end), or None."""
        spans = lists[k]
        last = k + 1 == len(lists)
        if gap_before[k]:
            starts = spans.starts
            j = bisect.bisect_left(starts, prev_end)
            candidates = []
            while j < len(starts) and starts[j] < limit:
                work[0] += 1
                cs, ce = spans.spans[j]
                j += 1
                if ce <= limit:
                    candidates.append((ce, cs))
            if (last or gap_before[k + 1]) and candidates:  # the earliest end leaves the most room: it alone is tried
                candidates = [min(candidates)]
            else:
                candidates.sort()
        else:
            candidates = [(ce, prev_end) for ce in spans.by_start().get(prev_end, ()) if ce <= limit]
            work[0] += 1
        for ce, cs in candidates:
            path.append((cs, ce))
            if last:
                return list(path)
            found = Linter._walk(lists, gap_before, k + 1, ce, limit, path, work)
            if found:
                return found
            path.pop()
        return None

    # -- judging --------------------------------------------------------------------------------

    def lint(self, text: str, product_type: str | None = None, *, stats: dict | None = None) -> LintResult:
        """Lint `text` as a script for `product_type` (one of PRODUCT_TYPES).

        `product_type=None` (a script whose product type is unknown) applies every rule and every
        disclosure. `stats`, when given a dict, receives the work done: automaton passes, regular
        expression passes over the text, and steps (hits, candidates and checks examined).
        """
        if product_type is not None and product_type not in PRODUCT_TYPES:
            raise ValueError(f"{product_type!r} is not a product type ({', '.join(PRODUCT_TYPES)})")
        if len(text) >= PAUSE_COLLECTOR_AT:  # its objects live till the end: the collector's passes would walk them
            with collector_paused():
                return self._lint(text, product_type, stats)
        return self._lint(text, product_type, stats)

    def _lint(self, text: str, product_type: str | None, stats: dict | None) -> LintResult:
        # the seller's words only: a customer's turn (客户：是保本的吗？) and the speaker labels are
        # masked, offsets kept (guard/core/turns.py); findings quote `text` itself
        n = normalize(seller_view(text))
        scan = self._scan(n.text)
        work = [len(n.text) // 64]  # the automaton's pass, in chunks
        passes = 0
        found: list[tuple[int, int, int]] = []  # (normalised start, end, rule index)
        seg: Segments | None = None
        cl: _Clearers | None = None
        held: list[tuple[int, int]] = []  # the hits of compound patterns, which shield a negator inside them
        if scan.hits or scan.atoms_present:
            seg = segment(n, clauses=False)
            passes += 1
            compound = self._compound_hits(n, scan, seg, product_type, work)
            passes += self._slot_passes if compound else 0
            if any(_applies(self.phrases[idx].product_types, product_type) and idx not in scan.unless
                   for idx in scan.hits.keys() | compound.keys()):  # else no hit of a rule that applies: nothing to judge
                cl = _Clearers()
                if self.negation:
                    # the clearers and frames of the sentences the hits are in: the rules ask about no other
                    held = _held(compound)
                    asked_at = sorted(chain(*(map(_FIRST, spans) for spans in scan.hits.values()),
                                            *(map(_FIRST, spans) for spans in compound.values())))
                    cl, more = self._clearing_context(n, scan, held, asked_at, seg)
                    self._sentence_frames(n, seg, cl, frame_starts=scan.frame_starts, asked_at=asked_at)
                    passes += more + 1
                found = self._judge(n, scan, seg, cl, compound, product_type, work)
        scored: list[tuple[int, int, float, list[str]]] = []
        if self.scorer is not None and n.text:
            if seg is None:
                seg = segment(n, clauses=False)
                passes += 1
            scored = self._scored(n, seg, found, work)
            if scored and self.negation:  # a sentence quoted to forbid it or reported is no pitch either
                # the clearers and the rules' sentence frames, a statute's title not among them, of the sentences
                # scored (the rules' are of the sentences they have hits in)
                asked_at = sorted(self._scored_at(n, x) for x in scored)
                cl, more = self._clearing_context(n, scan, held, asked_at, seg)
                frames = _Clearers()
                self._sentence_frames(n, seg, frames, titles=False, frame_starts=scan.frame_starts, asked_at=asked_at)
                passes += more + 1
                scored = [x for x in scored if not self._scorer_cleared(n, cl, frames, x)]
        passes += self._negated_mentions(n, scan, seg, held, product_type)
        return self._result(text, n, scan, found, product_type, work, passes, stats, scored)

    def _negated_mentions(self, n: Normalized, scan: _Scan, seg: Segments | None, held: list[tuple[int, int]],
                          product_type: str | None) -> int:
        """Drop from `scan.when` the disclosure rules whose every trigger mention a negator clears, as it clears a
        phrase rule's hit: 本理财产品不受存款保险保障 mentions no deposit-insurance protection whose limit it must state.
        Returns the regular-expression passes made."""
        if not self.negation:
            return 0
        asked = [idx for idx in scan.when
                 if idx not in scan.disc and _applies(self.disclosures[idx].product_types, product_type)]
        if not asked:
            return 0
        passes = 0
        if seg is None:
            seg = segment(n, clauses=False)
            passes += 1
        starts = sorted(a for idx in asked for a, _ in scan.when_spans[idx])
        cl, more = self._clearing_context(n, scan, held, starts, seg)
        for idx in asked:
            if all(self._negated(n, cl, a) for a, _ in scan.when_spans[idx]):
                scan.when = scan.when - {idx}
        return passes + more

    def _clearing_context(self, n: Normalized, scan: _Scan, held: list[tuple[int, int]] = (),
                          asked_at: list[int] | None = None, seg: Segments | None = None) -> tuple[_Clearers, int]:
        """The words that clear a hit (negators, forbidding words, reporting tails) and the quotations
        they govern; (clearers, regular-expression passes made). `asked_at`: the normalised offsets, sorted, that
        the clearers will be asked about (the hits' starts), when known, with the text's sentences (`seg`); then only
        the words in the sentences holding them count, and in those where a quotation holding one starts or ends. A
        word reaches no further than its clause, nor a reporting tail back, and a clause ends by its sentence's end;
        only a quotation runs across sentences."""
        kept = quotes = None
        sentences = seg.sentences if seg is not None else []
        wanted = _sentences_holding(asked_at, sentences) if asked_at is not None and sentences else set()
        if 0 < len(wanted) <= len(sentences):  # some sentence is not asked about
            bisect_right = bisect.bisect_right
            if scan.forbid or scan.tail:
                quotes = quotations(n)
                for qs, qe in quotes:
                    k = bisect.bisect_left(asked_at, qs)
                    if k < len(asked_at) and asked_at[k] < qe:  # the quotation holds an offset asked about
                        wanted.update((bisect_right(sentences, qs), bisect_right(sentences, qe - 1)))

            def kept(at: int) -> bool:
                return bisect_right(sentences, at) in wanted

        cl = self._clearers(n, scan, held, kept)
        if cl.forbid_ends or cl.tail_starts:
            self._governed_quotes(n, cl, quotes)
            return cl, 1
        return cl, 0

    def _scored(self, n: Normalized, seg: Segments, found: list[tuple[int, int, int]],
                work: list[int]) -> list[tuple[int, int, float, list[str]]]:
        """The sentences the learned scorer flags and no phrase rule found anything in: (normalised start, end,
        score, the n-grams that weighed most). None in a text of `scorer.script_sentences` sentences or more."""
        scorer = self.scorer
        assert scorer is not None
        sentences = sentence_spans(n, seg)
        if scorer.script_sentences is not None and len(sentences) >= scorer.script_sentences:
            return []  # a whole script: the scorer is silent (Scorer.script_sentences)
        starts = sorted(s for s, _, _ in found)
        # a sentence a rule has a finding in is not scored: the rule explains it better
        spans = [(a, b) for a, b in sentences if not any_starts_within(starts, a, b)]
        work[0] += len(n.text)
        out = []
        for (a, b), value in zip(spans, scorer.scores(n.text, spans)):
            if value > scorer.threshold:
                out.append((a, b, value, scorer.explain(n.text[a:b])))
        return out

    def _scorer_cleared(self, n: Normalized, cl: _Clearers, frames: _Clearers,
                        scored: tuple[int, int, float, list[str]]) -> bool:
        """Is the scored sentence's heaviest n-gram (its start when none) quoted or named to forbid it, as a
        rule's hit there would be (不得承诺"……", 严禁夸大收益、……, 以"……"等话术误导), or inside a sentence
        frame of the rules (`frames`: a report, reported speech, a question, a disclaimer — as for a rule of
        the scorer's code, MISLEADING)? Not a sentence that cites a statute by its title: a pitch that does
        (受《保险法》保护，比银行更安全, dev c0177, d0144) is still a pitch. Measured leave-one-set-out on the
        seven development sets of the time (the scorer trained without the set it scores; bench/lint_scorer_frames.py):
        false alarms 108 -> 98, quotations flagged 41 -> 33, no hit lost. Nor a sentence telling of the speaker's own
        loss (OWN_LOSS)."""
        at = self._scored_at(n, scored)
        return (self._forbidden(cl, at) or self._framed(frames, at, SCORER_CODE)
                or ("我" in n.text[scored[0]:scored[1]] and OWN_LOSS.search(n.text, scored[0], scored[1]) is not None))

    @staticmethod
    def _scored_at(n: Normalized, scored: tuple[int, int, float, list[str]]) -> int:
        """Where a scored sentence is judged: its heaviest n-gram, else its start."""
        a, b, _, words = scored
        at = n.text.find(words[0], a, b) if words else a
        return a if at < 0 else at

    def _scorer_findings(self, text: str, n: Normalized, scored: list) -> list[Finding]:
        """One finding of the scorer's rule per sentence it flags, located on the sentence."""
        scorer = self.scorer
        assert scorer is not None
        starts = line_starts(text)
        out = []
        for a, b, value, words in scored:
            start, stop = n.span(a, b)
            line = bisect.bisect_right(starts, start)
            out.append(_frozen(
                Finding, rule=SCORER_RULE, code=SCORER_CODE, severity=SCORER_SEVERITY, start=start, end=stop,
                line=line, column=start - starts[line - 1] + 1, matched=text[start:stop],
                message=scorer_message(words, value, scorer.threshold), suggestion=SCORER_SUGGESTION,
                rationale=scorer.trained_on or None,
                rules=(_frozen(RuleHit, rule=SCORER_RULE, code=SCORER_CODE, severity=SCORER_SEVERITY, start=start, end=stop),),
            ))
        return out

    def _result(self, text: str, n: Normalized, scan: _Scan, found: list[tuple[int, int, int]],
                product_type: str | None, work: list[int], passes: int, stats: dict | None,
                scored: list[tuple[int, int, float, list[str]]] | None = None) -> LintResult:
        """The findings of the phrase hits kept (`found`) and of the sentences the scorer flags (`scored`),
        in text order, then of the missing disclosures."""
        findings = self._findings(text, n, found, work)
        if scored:
            findings = sorted(findings + self._scorer_findings(text, n, scored), key=lambda f: (f.start, f.end))
        reordered = reordering_controls(text)
        if reordered:
            findings = sorted(findings + _direction_findings(text, reordered), key=lambda f: (f.start, f.end))

        for idx, rule in enumerate(self.disclosures):
            if not _applies(rule.product_types, product_type) or idx in scan.disc:
                continue
            if rule.when_mentions and idx not in scan.when:
                continue
            findings.append(self._missing[idx])
        if stats is not None:
            stats.update(automaton_passes=1, regex_passes=passes, steps=work[0])
        out = tuple(findings)
        return LintResult(verdict_of(out), out)

    def _judge(self, n: Normalized, scan: _Scan, seg: Segments, cl: _Clearers,
               compound: dict[int, list[tuple[int, int, tuple]]], product_type: str | None,
               work: list[int]) -> list[tuple[int, int, int]]:
        negation = self.negation

        def cleared(s: int) -> bool:
            return negation and (self._negated(n, cl, s) or self._forbidden(cl, s))

        found: list[tuple[int, int, int]] = []
        occupied = bytearray(len(n.text) + 1)
        sentence_ends, bisect_right = seg.sentences, bisect.bisect_right
        for idx in sorted(scan.hits.keys() | compound.keys()):
            rule = self.phrases[idx]
            if not _applies(rule.product_types, product_type) or idx in scan.unless:
                continue
            # (start, end, gaps, how far an except must reach to excuse it: a word's hit all of it, a compound's its first
            # character, which an except naming what the hit's first words are part of holds: 保证利率 of 利率达1.5%)
            hits: list[tuple[int, int, tuple, int]] = [(s, e, (), e) for s, e in scan.hits.get(idx, ())]
            hits += [(s, e, gaps, s + 1) for s, e, gaps in compound.get(idx, ())]
            if not hits:
                continue
            excepts = _Spans(scan.excepts[idx]) if idx in scan.excepts else _NO_SPANS
            near: _Spans | None = None
            if rule.near:
                near = _Spans([(a, b) for a, b in scan.near.get(idx, ()) if not cleared(a)])
                work[0] += len(near.spans)
            candidates = []
            framed = negation and bool(cl.frames[0] or cl.frames_np[0])
            for s, e, gaps, must_reach in hits:
                work[0] += 1
                if bisect_right(sentence_ends, s) != bisect_right(sentence_ends, e - 1):
                    continue  # a match never spans a sentence end
                if not gaps and _across_clause(n, s, e):
                    continue  # nor, written without a gap, a clause mark (退保，收益 holds no 保收益)
                if gaps and _starts_in_aside(n, s, e):
                    continue  # nor, with gaps, start inside an aside and run out of it (回報率(IRR)可達4%: IRR)可達4%)
                if framed and self._framed(cl, s, rule.code):
                    continue
                if cleared(s) or (gaps and negation and self._gap_cleared(cl, gaps)):
                    continue
                if near is not None:
                    span = _nearest(s, e, near, rule.near_within, seg, work)
                    if span is None or _overlaps_any(excepts, span[0], span[1], work):
                        continue
                    candidates.append(span)
                elif not _excused(n, excepts, s, must_reach, sentence_ends, work):
                    candidates.append((s, e))
            kept: list[tuple[int, int]] = []
            for s, e in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0])):  # longest first, then earliest
                work[0] += 1
                if occupied.find(1, s, e) == -1:
                    occupied[s:e] = b"\x01" * (e - s)
                    kept.append((s, e))
            for s, e in kept:
                occupied[s:e] = bytes(e - s)
            found.extend((s, e, idx) for s, e in kept)
        return found

    def _findings(self, text: str, n: Normalized, found: list[tuple[int, int, int]], work: list[int]) -> list[Finding]:
        """Phrase findings, overlapping hits of different rules merged into one, in text order."""
        findings: list[Finding] = []
        if not found:
            return findings
        starts = line_starts(text)
        ids = self._rule_ids
        found.sort(key=lambda f: (f[0], f[1], ids[f[2]]))
        groups: list[list[tuple[int, int, int]]] = []
        end = -1
        for hit in found:
            work[0] += 1
            if groups and hit[0] < end:
                groups[-1].append(hit)
                end = max(end, hit[1])
            else:
                groups.append([hit])
                end = hit[1]
        for group in groups:
            if len(group) == 1:
                main = group[0]
                s, e = main[0], main[1]
            else:
                s = group[0][0]
                e = max(h[1] for h in group)
                main = max(group, key=lambda h: (SEVERITY_RANK.get(self.phrases[h[2]].severity, 0), h[1] - h[0], -h[0]))
            rule = self.phrases[main[2]]
            start, stop = n.span(s, e)
            line = bisect.bisect_right(starts, start)
            if len(group) == 1:
                refs = [_frozen(RuleHit, rule=rule.id, code=rule.code, severity=rule.severity, start=start, end=stop)]
            else:
                refs = []
                for hs, he, idx in [main] + [h for h in group if h is not main]:
                    r = self.phrases[idx]
                    a, b = n.span(hs, he)
                    refs.append(_frozen(RuleHit, rule=r.id, code=r.code, severity=r.severity, start=a, end=b))
            findings.append(_frozen(
                Finding, rule=rule.id, code=rule.code, severity=rule.severity, start=start, end=stop, line=line,
                column=start - starts[line - 1] + 1, matched=text[start:stop], message=rule.message,
                suggestion=rule.suggestion, rationale=rule.rationale, rules=tuple(refs),
            ))
        return findings


# Marks between clauses. An except phrase excuses a hit it contains when it lies in one sentence, as every match does (保本
# at a line's end and 保息 at the next line's start are two claims, not the phrase 保本保息 another rule reports), and
# starts in the hit's clause: one begun in an earlier clause (零风险，比定期存款强多了 read as the except 风险比存款强, a fair
# statement that risk is higher) joins two clauses that say different things. One that runs on past the hit's clause
# still excuses it (非保本，浮动收益型).
_CLAUSE_MARKS = frozenset("，,；;：:。！？!?\n\r")
# Brackets: a hit written without a gap may not open or close an aside either (低于银行定存(3年交产品…) holds no 存3年:
# dev_p p0375). Brackets that close and open again inside it (【零】【风】【险】) wrap its characters to evade a rule.
_OPENING, _CLOSING = frozenset("(（[［【"), frozenset(")）]］】")


def _dropped_between(n: Normalized, s: int, e: int) -> str:
    """The original text from the first to the last character of the normalised span [s, e) when the normalisation
    dropped characters inside it (punctuation, brackets, spaces), else '' (most spans: one subtraction)."""
    index = n.index
    if index is None:
        return ""
    a, b = index[s], index[e - 1]
    return "" if b - a == e - 1 - s else n.original[a:b]


def _brackets_closed_over_opened(between: str) -> int:
    return sum(c in _CLOSING for c in between) - sum(c in _OPENING for c in between)


def _across_clause(n: Normalized, s: int, e: int) -> bool:
    """Does the hit [s, e) hold a clause mark, or more brackets opening than closing (or the reverse), in the original
    text between its first and last characters?"""
    between = _dropped_between(n, s, e)
    return bool(between) and (not _CLAUSE_MARKS.isdisjoint(between) or _brackets_closed_over_opened(between) != 0)


def _starts_in_aside(n: Normalized, s: int, e: int) -> bool:
    """Does the original text of the hit [s, e) close more brackets than it opens: does it start inside an aside
    and run out of it? (A hit that opens an aside, 锁定较高利率(如3.0%, says what the aside holds.)"""
    return _brackets_closed_over_opened(_dropped_between(n, s, e)) > 0


def _held(compound: dict[int, list[tuple[int, int, tuple]]]) -> list[tuple[int, int]]:
    """The spans of the atoms of compound matches (each match less its gaps), sorted."""
    out = []
    for hits in compound.values():
        for s, e, gaps in hits:
            for a, b in gaps:
                out.append((s, a))
                s = b
            out.append((s, e))
    out.sort()
    return out


def _excused(n: Normalized, spans: _Spans, s: int, e: int, sentence_ends: list[int], work: list[int]) -> bool:
    """Does one of the except `spans` contain [s, e), lie in one sentence and start in the hit's clause (no clause mark
    in the original text between its start and the hit's)? Only spans starting in [e - longest, s] can contain it."""
    if not spans.spans:
        return False
    j = bisect.bisect_left(spans.starts, e - spans.longest)
    while j < len(spans.starts) and spans.starts[j] <= s:
        work[0] += 1
        a, b = spans.spans[j]
        if (b >= e and bisect.bisect_right(sentence_ends, a) == bisect.bisect_right(sentence_ends, b - 1)
                and (a == s or _CLAUSE_MARKS.isdisjoint(n.original[n.orig(a):n.orig(s)]))):
            return True
        j += 1
    return False


def _overlaps_any(spans: _Spans, s: int, e: int, work: list[int]) -> bool:
    if not spans.spans:
        return False
    j = bisect.bisect_left(spans.starts, s - spans.longest)
    while j < len(spans.starts) and spans.starts[j] < e:
        work[0] += 1
        if spans.spans[j][1] > s:
            return True
        j += 1
    return False


def _nearest(s: int, e: int, near: _Spans, within: int, seg: Segments, work: list[int]) -> tuple[int, int] | None:
    """The span from the hit [s, e) to the closest near term within `within` characters and in the
    same sentence, or None. Only terms starting in [s - within - longest, e + within] can be."""
    best, best_gap = None, within + 1
    j = bisect.bisect_left(near.starts, s - within - near.longest)
    sentence = seg.sentence(s)
    while j < len(near.starts) and near.starts[j] <= e + within:
        work[0] += 1
        ns, ne = near.spans[j]
        j += 1
        gap = ns - e if ns >= e else s - ne if ne <= s else 0
        if gap < best_gap and seg.sentence(ns) == sentence and seg.sentence(ne - 1) == sentence:
            best, best_gap = (min(s, ns), max(e, ne)), gap
    return best


_CACHE: OrderedDict[str, Linter] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def compile_rules(pack: Pack) -> Linter:
    """The pack's compiled linter; compiled once per `pack.hash` (the most recent 64 are kept)."""
    with _CACHE_LOCK:
        linter = _CACHE.get(pack.hash)
        if linter is not None:
            _CACHE.move_to_end(pack.hash)
            return linter
    linter = Linter(pack)  # compiled outside the lock; two threads may race, the first one stored wins
    with _CACHE_LOCK:
        linter = _CACHE.setdefault(pack.hash, linter)
        _CACHE.move_to_end(pack.hash)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return linter


# A directional control that reorders what follows it (guard.core.bidi.REORDERING) makes a script read on screen other
# than the linter reads it: 本产品<U+202E>险风零 is laid out as 本产品零风险 while the normaliser, which drops the control,
# reads 险风零, so a banned phrase written backwards behind an override passed every rule (the "Trojan Source" kind,
# CVE-2021-42574; Unicode UAX #9 §2.2). Such a script fails until the control is removed: what a reviewer approves and a
# seller reads aloud must be what was checked. Built in, not a pack rule: it is about the text, not about selling.
DIRECTION_RULE = "text.directional_control"
DIRECTION_CODE = "MISLEADING"
DIRECTION_SEVERITY = "error"
DIRECTION_SUGGESTION = "删除该方向控制字符（U+202A–U+202E、U+2066–U+2069），按屏幕上应显示的顺序重新输入文字后再检查"


def _direction_findings(text: str, offsets: list[int]) -> list[Finding]:
    """One error finding on each reordering control of `text` (original offsets)."""
    starts = line_starts(text)
    out = []
    for at in offsets:
        line = bisect.bisect_right(starts, at)
        message = (f"文本含方向控制字符 U+{ord(text[at]):04X}：其后的文字在屏幕上的顺序与存储、检查的顺序不同，"
                   "审核所见、坐席所读并非检查所读")
        out.append(_frozen(
            Finding, rule=DIRECTION_RULE, code=DIRECTION_CODE, severity=DIRECTION_SEVERITY, start=at, end=at + 1,
            line=line, column=at - starts[line - 1] + 1, matched=text[at], message=message,
            suggestion=DIRECTION_SUGGESTION, rationale="Unicode UAX #9 §2.2 (explicit overrides); CVE-2021-42574",
            rules=(_frozen(RuleHit, rule=DIRECTION_RULE, code=DIRECTION_CODE, severity=DIRECTION_SEVERITY,
                           start=at, end=at + 1),),
        ))
    return out


def lint(text: str, product_type: str | None, pack: Pack) -> LintResult:
    """Shorthand for `compile_rules(pack).lint(text, product_type)`."""
    return compile_rules(pack).lint(text, product_type)

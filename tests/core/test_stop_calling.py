"""Texts that ask to stop calling, in simplified and traditional script, through noise; and ones that do not."""

import pytest

from guard.core.text import asks_to_stop_calling

STOP = [
    "不要再打了", "请你们不要再打了！", "别再打来了", "不 要 再 打 了", "不-要-再-打", "别，再，打，电话", "不要再联系我",
    "以後別再打來了", "請不要再聯繫我", "不要再聯絡我", "别再给我打电话了", "再打我就投诉你们", "不要再骚扰我",
    "不\u200b要\u200b再\u200b打", "ＢＵ不要再打了", "我说了别打了", "把我拉黑吧", "以后不要再推销了",
    "不要给我打电话", "別再騷擾我",
]
KEEP = [
    "客户咨询存款利率", "理财经理介绍的产品收益和宣传不一致", "请下午再打过来", "现在在开会，晚点再打", "客户要求寄送产品说明书",
    "客户说不要理财，要存款", "暂时不需要，下个月再联系", "號碼錯了", "请打我另一个电话", "我不要这个产品",
    "不要紧，再打一次试试", "",
]


# Refusals as customers and agents word them that no phrase caught: the formal 请勿再拨打 of a call note, 不要打给我 without
# 再, Cantonese with 俾 / 聯絡 / 煩 / call (香港 customers), and the English revocation words of 47 CFR 64.1200(a)(10)
# (FCC 2024 consent-revocation order: "stop", "quit", "end", "revoke", "opt out", "cancel", "unsubscribe"; any other
# wording a reasonable person reads as revoking consent counts too).
MORE_STOP = [
    "请勿再拨打", "客户要求勿再拨打本号码", "不要打给我", "别打给我了", "请不要打我电话", "别打我电话", "不要打来了",
    "再也不要打来", "不想再接你们电话", "请删除我的电话", "不要再call我", "請勿致電",
    "唔好打嚟", "以後唔好打俾我", "唔好再聯絡我", "唔使再聯絡我", "唔好再煩我", "我唔想再收到你哋電話", "唔好再call我",
    "咪打嚟啦", "opt out", "I want to opt-out", "Unsubscribe me", "revoke my consent", "quit calling me",
    "no more calls please", "Do not contact me again", "please remove me from your list",
    "No me llamen más", "Por favor dejen de llamarme", "no vuelvan a llamar a este número", "No mas llamadas",
]
# Near misses: the same words about something else.
MORE_KEEP = [
    "客户说下午再打来", "客户要求打给他的座机", "客户想取消这张卡", "客户说这笔还款先停一下", "客户问能不能再打折",
    "customer asked to cancel the card", "call ended early, customer driving", "customer will call back",
    "唔該下晝再打嚟", "打俾我老公", "no me llame ahora, llámeme mañana",
]


@pytest.mark.parametrize("text", STOP + MORE_STOP)
def test_asks_to_stop(text):
    assert asks_to_stop_calling(text)


@pytest.mark.parametrize("text", KEEP + MORE_KEEP)
def test_does_not_ask_to_stop(text):
    assert not asks_to_stop_calling(text)


def test_a_packs_own_stop_phrases_add_to_the_built_in_ones_and_never_replace_them():
    """A compliance officer who adds a wording the built-in list lacks (Hokkien 麥擱卡, "don't call again", as Taiwan's
    justlaw.com.tw reported customers saying to banks) must not silently drop 不要再打 and the rest: a missed stop
    request is a call to someone who refused. An empty list, which could only turn detection off, is refused."""
    from guard.core.pack_schema import PackError
    from tests.core.packs import make_pack

    added = make_pack(stop_calling=["麥擱卡"])
    assert asks_to_stop_calling("很想叫銀行「麥擱卡啊!」", added.stop_calling)
    assert asks_to_stop_calling("不要再打了", added.stop_calling)
    assert asks_to_stop_calling("stop calling me", added.stop_calling)
    with pytest.raises(PackError, match="stop_calling"):
        make_pack(stop_calling=[])


# Real wordings the phrase list missed (tests/data/stop_calling/dev.jsonl, each with its page there), through the noise a
# complaint form or a call note carries: traditional script, full-width forms, spaces, emoji and line breaks.
REAL_STOPS = [
    "請對方「取消自己的共同行銷」",  # ctinews 2023: a word between 取消 and 共同行銷
    "民眾主動表明,不願再接受信貸、信用卡、保險等金融商品的電話行銷",  # ctinews 2023
    "接到電話時表態不要再接到行銷",  # udn, the FSC's banking bureau head
    "如果民众拒绝电话行销、对方还是持续播打",  # cn.bg3 / 東森
    "对市民明确表示不投保或拒绝接听电话的,保险公司应录入禁止拨打名单",  # 深圳保监局 rule (1330.cn)
    "拨打95508客服热线登记拒接名单",  # yunzhuji
    "你们天天给我打电话,烦不烦啊!?",  # siliu.net
    "朋友跟他说了好几次“不需要”,对方却还是不断打电话来",  # m.zi5.net
    "tell them not to call your cell phone again",  # tampabankruptcylawyerblog
    "a reply of 'STOP' for text messages",  # nwdebtresolution, on 47 CFR 64.1200(a)(10)
    "STOP", "Unsubscribe.",
    "客户表示对理财没兴趣，以后不要再推荐了", "客户情绪激动，投诉我行营销电话过多", "客户投诉电销扰民",
    "取消😡自己的共同\n行銷", "拒 絕 電 話 行 銷", "ＴＥＬＬ them NOT to call", "拒絕\u200b接聽\r\n電話",
]
# Near misses that must stay what they are: no answer, a number asked for, an agent's politeness, a later contact.
REAL_KEEPS = [
    "客户不接电话", "客户拒绝提供电话号码", "不好意思打扰了", "以后有需要再联系", "谢谢你的介绍,但我目前没有这方面的需求",
    "我再考虑一下", "customer asked us not to mail the card", "end of call",
    "客户拒接电话", "客户拒接", "拒接来电，稍后再拨",  # 拒接: the callee declined this one call
    "客户号码已不再使用，无法联系", "客户不再需要信用卡分期", "客户要求停止扣款", "客户要求取消自动还款",
]


@pytest.mark.parametrize("text", REAL_STOPS)
def test_real_wordings_of_a_stop_request_are_caught(text):
    assert asks_to_stop_calling(text)


@pytest.mark.parametrize("text", REAL_KEEPS)
def test_real_near_misses_are_not_stop_requests(text):
    assert not asks_to_stop_calling(text)


@pytest.mark.parametrize("text", ["我没说不要再打", "不是不要再打，是现在不方便", "我并没有说不要再联系我"])
def test_a_denied_request_is_not_one(text):
    assert not asks_to_stop_calling(text)


# Fail-safe: a rhetorical question asks it all the same, and any other request in the text still counts.
@pytest.mark.parametrize("text", ["我不是说过不要再打吗", "难道我没说过不要再打吗", "你们是不是不要再打了",
                                  "我没说不要再打，但请别再骚扰我了", "我没说不要再打。不要再打了！"])
def test_a_denial_never_hides_a_request(text):
    assert asks_to_stop_calling(text)


# Withdrawing consent is asking to stop: 个人信息保护法 第十五条 ("个人有权撤回其同意", through a convenient way: a sentence to
# the agent is one), 47 CFR 64.1200(a)(10) (revocation "by any reasonable means"), and a reply of the keyword a marketing
# text names for refusing it (回复TD退订: 工信部《通信短信息服务管理规定》2015, "便捷和有效的拒绝接收方式"). These notes
# withdrew nothing: the next check of the number was allowed.
WITHDRAWALS = ["我撤回同意", "客户来电要求撤回营销同意", "撤銷同意", "客户撤回对我行营销的同意", "撤回電話行銷授權",
               "退订", "退訂", "TD", "回复TD退订", "I withdraw my consent", "Withdrawal of consent to be contacted",
               "my consent is withdrawn"]
# The same words where the consent stands, or about a payment mandate or money.
NOT_WITHDRAWALS = ["客户未撤回同意", "客户没有撤回同意", "客户要求撤回代扣授权", "客户要求取消自动扣款授权", "客户同意撤回投诉",
                   "customer did not withdraw consent", "customer wants to withdraw money", "客户要求退订短信提醒"]


def test_withdrawing_consent_in_any_words_asks_to_stop_and_the_same_words_otherwise_do_not():
    assert [t for t in WITHDRAWALS if not asks_to_stop_calling(t)] == []
    assert [t for t in NOT_WITHDRAWALS if asks_to_stop_calling(t)] == []

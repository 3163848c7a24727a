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

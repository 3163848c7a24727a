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


@pytest.mark.parametrize("text", STOP)
def test_asks_to_stop(text):
    assert asks_to_stop_calling(text)


@pytest.mark.parametrize("text", KEEP)
def test_does_not_ask_to_stop(text):
    assert not asks_to_stop_calling(text)

"""The comment filter: listed words, disguised or not, links and phone numbers; ordinary words pass."""

import pytest

from projects.words import flagged


@pytest.mark.parametrize(
    "text",
    [
        "施工队都是傻逼",
        "傻 逼 施 工",
        "加 微 信 领红包",
        "ＶＸ号：abc",
        "详情点击链接",
        "www.example.com 优惠",
        "找我 138 0013 8000",
    ],
)
def test_abuse_advertising_links_and_phone_numbers_are_held(text):
    assert flagged(text), text


@pytest.mark.parametrize(
    "text",
    ["我妈妈的腿脚不好，电梯装好了真方便", "今日你们施工很早", "建筑废料及时清运了", "路灯亮了，晚上出门放心", ""],
)
def test_ordinary_comments_pass(text):
    assert flagged(text) == []


def test_the_word_list_is_a_file_that_can_be_replaced(settings, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# 注释\n围挡\n", encoding="utf-8")
    settings.PROJECT_SENSITIVE_WORDS_FILE = words
    assert flagged("围挡太丑") == ["围挡"]
    assert flagged("施工队都是傻逼") == []

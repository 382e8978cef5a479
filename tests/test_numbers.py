"""Number tokens as reports write them: Arabic with separators, 1.2万, Chinese numerals, hedges (余/近)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.numbers import NUMBER, Quantity, number_pattern, parse_chinese, parse_number, parse_quantity

_DIGITS = "零一二三四五六七八九"


def _group(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for inner gaps (3005 → 三千零五)."""
    out, pending_zero = "", False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + _DIGITS[d] + unit
        pending_zero = False
    return out


def to_chinese(n: int, short_ten: bool = True) -> str:
    """Write n < 10^12 the way reports do: 一万零五百, 十五 (or 一十五 with short_ten=False)."""
    if n == 0:
        return "零"
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    out = ""
    if yi:
        out += to_chinese(yi, short_ten) + "亿"
    if wan:
        out += ("零" if yi and wan < 1000 else "") + _group(wan) + "万"
    if rest:
        out += ("零" if (yi or wan) and rest < 1000 else "") + _group(rest)
    if short_ten and out.startswith("一十"):
        out = out[1:]
    return out


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("245", 245),
        ("12,345", 12345),
        ("1,234,567", 1234567),
        ("3940.5", 3940.5),
        ("1.2万", 12000),
        ("0.45万", 4500),
        ("３４", 34),  # full-width digits
        ("二十三", 23),
        ("一百零五", 105),
        ("十五", 15),
        ("两", 2),
        ("〇", 0),
        ("零", 0),
        ("一万零五百", 10500),
        ("两万五", 25000),
        ("三千五", 3500),
        ("二〇二三", 2023),
        ("一亿两千万", 120_000_000),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["", "万", "百", "申请", "abc"])
def test_not_a_number(token):
    assert parse_number(token) is None


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("5500余条", Quantity(5500, True)),
        ("近300个", Quantity(300, True)),
        ("300多", Quantity(300, True)),
        ("约40", Quantity(40, True)),
        ("200件左右", Quantity(200, True)),
        ("1.2万条", Quantity(12000, False)),
        ("一百二十件", Quantity(120, False)),
    ],
)
def test_parse_quantity_flags_hedged_figures(text, quantity):
    assert parse_quantity(text) == quantity


def test_fragment_finds_a_space_padded_token():
    m = re.search(number_pattern(), "全年收到政府信息公开申请 34 件")
    assert m is not None and m.group("num") == "34"


def test_fragment_keeps_hedges_outside_the_token():
    m = re.search(number_pattern(), "主动公开各类政府信息3600余条")
    assert m is not None and (m.group("num"), m.group("num_post")) == ("3600", "余")


def test_a_comma_followed_by_words_is_not_a_thousands_separator():
    assert re.search(NUMBER, "部分公开67,占4.61%").group(0) == "67"


@given(st.integers(min_value=0, max_value=999_999_999_999), st.booleans())
def test_chinese_numeral_round_trip(n, short_ten):
    assert parse_chinese(to_chinese(n, short_ten)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n):
    token = f"{n:,}"
    assert re.fullmatch(NUMBER, token)
    assert parse_number(token) == n


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["", " "]))
def test_padded_number_in_a_sentence_is_found_whole(n, pad):
    text = f"本年度共收到申请{pad}{n}{pad}件"
    m = re.search(number_pattern(), text)
    assert m is not None and parse_number(m.group("num")) == n


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=1, max_value=9))
def test_wan_scaled_decimal(whole, tenth):
    assert parse_number(f"{whole}.{tenth}万") == whole * 10_000 + tenth * 1_000

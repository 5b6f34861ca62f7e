from decimal import Decimal as D
from fractions import Fraction

import pytest

from hotline.numfmt import chinese_number, fixed, percent, ratio, round_half_up, trim


@pytest.mark.parametrize("value,text", [(D("96.80"), "96.8"), (D("100.00"), "100"), (D("0.50"), "0.5"),
                                        (D("94"), "94"), (D("0"), "0"), (D("1E+2"), "100")])
def test_trim(value, text):
    assert trim(value) == text


def test_fixed_and_half_up():
    assert fixed(D("99.3")) == "99.30"
    assert round_half_up(D("2.345"), 2) == D("2.35")
    assert round_half_up(Fraction(8855, 10000), 3) == D("0.886")
    assert ratio(396, 449, 3) == D("0.882")


def test_percent():
    assert percent(D("0.885")) == "88.5%"
    assert percent(Fraction(255, 593)) == "43.0%"
    assert percent(Fraction(255, 593), trim_zeros=True) == "43%"
    assert percent(Fraction(1226, 5150)) == "23.8%"


@pytest.mark.parametrize("n,text", [(1, "一"), (3, "三"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (34, "三十四")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_chinese_number_range():
    with pytest.raises(ValueError):
        chinese_number(0)

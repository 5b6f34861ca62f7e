"""Exact rounding and the bulletin's ways of printing numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def round_half_up(value: Decimal | Fraction | int, places: int) -> Decimal:
    """Round a Decimal or an exact Fraction half-up to `places` decimals (0.8855 → 0.886)."""
    if isinstance(value, Fraction):
        # Decide the tie on the exact fraction, not on a 28-digit approximation of it.
        scaled = value * 10**places
        floor = scaled.numerator // scaled.denominator
        rounded = floor + (1 if scaled - floor >= Fraction(1, 2) else 0)
        return Decimal(rounded).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator/denominator rounded half-up exactly; raises ZeroDivisionError on 0 denominator."""
    return round_half_up(Fraction(int(numerator), int(denominator)), places)


def trim(value: Decimal | int) -> str:
    """Print without trailing zeros: 96.80 → '96.8', 100.00 → '100', 0.5 → '0.5'."""
    d = Decimal(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def fixed(value: Decimal | int, places: int = 2) -> str:
    """Print with exactly `places` decimals, half-up: 99.3 → '99.30'."""
    return format(round_half_up(Decimal(value), places), "f")


def percent(rate: Decimal | Fraction, places: int = 1, trim_zeros: bool = False) -> str:
    """A rate in [0, 1] as a percentage: 0.885 → '88.5%'; 0.43 → '43.0%' or, trimmed, '43%'."""
    pct = round_half_up(Fraction(rate) * 100 if isinstance(rate, Fraction) else Decimal(rate) * 100, places)
    return (trim(pct) if trim_zeros else format(pct, "f")) + "%"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as the bulletin writes them: 3 → 三, 10 → 十, 12 → 十二, 21 → 二十一."""
    if not 0 < n < 100:
        raise ValueError(f"expected 1..99, got {n}")
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")

"""Small display helpers the bulletin's HTML (hotline.render.sections) and its Excel workbook
(hotline.render.excel) share: dates, months, points and the 营商环境 rows.

Text only; no markup. Sentences and fixed phrases come from the wording templates
(hotline.render.wording); these only print figures the way the bulletin prints them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from hotline import periods
from hotline.numfmt import trim


def format_points(value: Decimal | float | int | str | None) -> str:
    """0.5 → '0.5', 1.0 → '1', '' / None → ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return trim(Decimal(str(value)))


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_label(month: str) -> str:
    """'2023-03' → '2023年3月'; a period as hotline.periods.label writes it ('2023年一季度', '2022年度')."""
    return periods.label(month)


def business_env_rows(business: dict, label: Callable[..., str]) -> list[tuple[str, str, str]]:
    """(类型, 工单数量, 涉及部门) rows, the units as the label business_units of labels_bulletin
    words them ('城市管理局1件、马王堆街道办事处1件。'; `label`: that label set)."""
    return [(kind, str(entry.get("total", 0)), label("business_units", units=list((entry.get("units") or {}).items())))
            for kind, entry in business.items()]


def has_business_env(business: dict) -> bool:
    """Whether any 营商环境 order (of any kind) was signed in the month."""
    return any(entry.get("total") for entry in business.values())

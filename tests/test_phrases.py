"""Phrases of the bulletin's text (hotline.render.phrases): months and dates in Chinese, the 营商环境 table's rows."""

from __future__ import annotations

import datetime as dt

from hotline.render import phrases, sections
from hotline.render.wording import Wording


def test_month_and_date_labels():
    assert phrases.month_label("2023-03") == "2023年3月"
    assert phrases.chinese_date(dt.date(2023, 5, 17)) == "2023年5月17日"


def test_business_environment_rows():
    business = {"表扬": {"total": 2, "units": {"城市管理局": 1, "马王堆街道办事处": 1}},
                "投诉": {"total": 1, "units": {"市场监督管理局": 1}}}
    assert phrases.business_env_rows(business, Wording().labels(sections.LABELS, {})) == [
        ("表扬", "2", "城市管理局1件、马王堆街道办事处1件。"),
        ("投诉", "1", "市场监督管理局1件。"),
    ]


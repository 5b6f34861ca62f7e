"""The bulletin's Chinese sentences, built from the computed figures (seed wording)."""

from __future__ import annotations

from hotline import months
from hotline.compute.district import DistrictFigures
from hotline.compute.scoring import EVENT_SCOPE
from hotline.compute.selections import Commentary
from hotline.inputs.settings import ManualRule, PerEventRule, RateRule, Settings
from hotline.numfmt import chinese_number, percent, trim


def title(settings: Settings, month: str) -> str:
    """芙蓉区12345政务热线三月份情况通报."""
    return f"{settings.district}12345政务热线{chinese_number(months.number(month))}月份情况通报"


def opening(month: str, f: DistrictFigures) -> str:
    channels = "、".join(f"“{name}”{n}件" for name, n in f.channels.items())
    return (f"{months.number(month)}月份，全区共签收工单{f.signed}件，办结工单{f.closed}件（含上月流转工单），"
            f"回访工单{f.visited}件。其中，{channels}。")


def city_rank(month: str, settings: Settings, rank: int | None) -> str:
    if rank is None:
        return f"{months.number(month)}月份，全市排名情况暂未下发。"
    return (f"{months.number(month)}月份，我区12345政务热线工作总分{settings.peer_group}"
            f"排名第{chinese_number(rank)}。具体情况如下：")


def deduction(f: DistrictFigures) -> str:
    return f"（一）本月扣分情况：全区{f.unresolved}个工单问题未解决被扣{trim(f.deduction)}分。"


def good_units(settings: Settings, units: list[str]) -> str:
    rule = settings.selections.good_units
    names = "、".join(units) if units else "无"
    return (f"（二）我区12345政务热线工作完成度较好单位（总分{trim(rule.min_total)}分以上、"
            f"工单月签收数{rule.min_signed}件以上）：{names}。")


def below_heading(f: DistrictFigures) -> str:
    return f"（三）问题解决率低于{percent(f.rate)}（我区解决率）的单位"


def below_lead(month: str, units_with_visits: int, below: int, c: Commentary | None, settings: Settings) -> str:
    text = (f"{months.number(month)}月份，我区有{units_with_visits}个单位有回访工单，"
            f"解决率低于全区的单位有{below}个" + ("（详见下表）" if below else ""))
    if c is None:
        return text + "。"
    names = settings.display.category_in_sentences
    kinds = "和".join(f"{names.get(cat, cat)}（{n}件）" for cat, n in c.top_categories)
    return (text + f"，其中{c.unit_short}回访工单占全区比重为{percent(c.visited_share, trim_zeros=True)}，"
            f"未解决工单占全区比重为{percent(c.unresolved_share, trim_zeros=True)}，"
            f"其问题解决率为{percent(c.rate, trim_zeros=True)}，未解决的工单类型主要为{kinds}，"
            f"严重拉低了全区解决率，建议{c.unit_short}采取措施提高问题解决率。")


def bonus_note(bonus) -> str:
    """东屯渡街道办事处加0.5分，市场监督管理局加0.5分。"""
    return "，".join(f"{b.unit}加{trim(b.points)}分" for b in bonus) + "。" if bonus else ""


def rules_text(settings: Settings) -> list[str]:
    """The scoring rules in force, one sentence per item, for the bulletin's closing section."""
    lines = []
    d = settings.scoring.rate_decimals
    for group in settings.scoring.groups:
        for item in group.items:
            head = f"{group.name}·{item.name}（{trim(item.weight)}分）："
            if isinstance(item, PerEventRule):
                scope = EVENT_SCOPE[item.event].format(limit=trim(item.limit_hours or 0))
                body = f"{scope}，每件（次）扣{trim(item.amount)}分，扣完为止。"
            elif isinstance(item, RateRule):
                body = (f"按本月回访工单的问题解决率（保留{d}位小数）乘以{trim(item.weight)}分计，"
                        "当月无回访工单的得满分。")
            elif isinstance(item, ManualRule):
                body = f"人工评分，未评分的按{trim(item.default)}分计。"
            else:
                parts = "、".join(f"每件{name}扣{trim(item.deductions[key])}分"
                                  for key, name in (("dissatisfied", "不满意"), ("basically_satisfied", "基本满意"))
                                  if key in item.deductions)
                body = (f"本月回访工单中满意和基本满意的比例低于{percent(item.min_rate, 0, trim_zeros=True)}的得0分；"
                        f"否则{parts}，扣完为止。")
            lines.append(head + body)
    lines.append("各项得分相加后四舍五入保留两位小数；总分加上加分后排名，同分并列。")
    return lines

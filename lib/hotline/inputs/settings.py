"""District settings (district.yaml): names, selection thresholds and the scoring rules.

Validated with pydantic on load; every problem is reported with the file and the key path.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from hotline.errors import InputError, Problem
from hotline.inputs.text import load_yaml
from hotline.names import EVENTS, SATISFACTION_DEDUCTIONS, UNIT_CATEGORIES

NonNegative = Annotated[Decimal, Field(ge=0)]
Positive = Annotated[Decimal, Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PerEventRule(_Strict):
    """weight − amount × events, at least 0."""

    name: str
    weight: Positive
    kind: Literal["per_event"]
    event: Literal[tuple(EVENTS)]  # type: ignore[valid-type]
    amount: NonNegative
    limit_hours: NonNegative | None = None

    @model_validator(mode="after")
    def _limit_where_needed(self) -> Self:
        if self.event in ("late_signing", "late_contact") and self.limit_hours is None:
            raise ValueError(f"事件 {self.event} 需要 limit_hours（时限，小时）")
        return self


class RateRule(_Strict):
    """weight × rate, the rate rounded half-up; full marks when nothing was visited."""

    name: str
    weight: Positive
    kind: Literal["rate"]
    rate: Literal["resolution"]


class ThresholdRule(_Strict):
    """0 when the rate is below min_rate; otherwise weight − Σ amount × events, at least 0."""

    name: str
    weight: Positive
    kind: Literal["threshold"]
    rate: Literal["satisfaction"]
    min_rate: Annotated[Decimal, Field(ge=0, le=1)]
    deductions: dict[Literal[tuple(SATISFACTION_DEDUCTIONS)], NonNegative]  # type: ignore[valid-type]


class ManualRule(_Strict):
    """Scored by hand in month.yaml; `default` when not given."""

    name: str
    weight: Positive
    kind: Literal["manual"]
    default: NonNegative

    @model_validator(mode="after")
    def _default_within_weight(self) -> Self:
        if self.default > self.weight:
            raise ValueError(f"默认分 {self.default} 超过满分 {self.weight}")
        return self


Rule = Annotated[PerEventRule | RateRule | ThresholdRule | ManualRule, Field(discriminator="kind")]


class Group(_Strict):
    name: str
    weight: Positive
    items: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _items_add_up(self) -> Self:
        total = sum(i.weight for i in self.items)
        if total != self.weight:
            raise ValueError(f"「{self.name}」各项满分之和为 {total}，应等于本组满分 {self.weight}")
        return self


class Scoring(_Strict):
    rate_decimals: Annotated[int, Field(ge=0, le=6)] = 3
    groups: list[Group] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_add_up(self) -> Self:
        total = sum(g.weight for g in self.groups)
        if total != 100:
            raise ValueError(f"各组满分之和为 {total}，应为 100")
        names = [i.name for g in self.groups for i in g.items]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"评分项名称重复: {', '.join(sorted(dup))}")
        return self

    @property
    def items(self) -> list[Rule]:
        return [i for g in self.groups for i in g.items]

    def resolution_item(self) -> RateRule:
        """The item scored by the resolution rate (问题解决): it drives the district deduction."""
        for item in self.items:
            if isinstance(item, RateRule) and item.rate == "resolution":
                return item
        raise LookupError("no resolution-rate item in the scoring rules")


class GoodUnits(_Strict):
    min_total: NonNegative = Decimal(95)
    min_signed: Annotated[int, Field(ge=0)] = 100


class Selections(_Strict):
    good_units: GoodUnits = GoodUnits()
    hot_topics: Annotated[int, Field(ge=1)] = 6
    commentary_min_unresolved_share: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.20")
    commentary_top_categories: Annotated[int, Field(ge=1)] = 2


class Display(_Strict):
    total_format: dict[Literal[tuple(UNIT_CATEGORIES)], Literal["trim", "fixed"]] = {}  # type: ignore[valid-type]
    # How a 诉求类型 is written inside a sentence, where the seed shortens it.
    category_in_sentences: dict[str, str] = {}
    # The scoring rules in force printed as the last 附件 (named in the 附件说明); false leaves them out.
    rules_attachment: bool = True


class Checks(_Strict):
    """Plausibility limits: values beyond them are accepted with a warning."""

    max_bonus: NonNegative = Decimal(5)  # a unit's bonus points in one month (month.yaml → bonus)


class Periods(_Strict):
    """How a quarter's or a year's unit scores come from its months' (hotline.compute.periods)."""

    # mean: each item and 总分 the plain mean of the unit's monthly scores over the months it was
    # ranked in; signed_weighted: the mean weighted by the unit's orders signed in each of them.
    scores: Literal["mean", "signed_weighted"] = "mean"


# One family may be written alone (body: 仿宋_GB2312), several as a list.
FamilyList = Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1),
                       BeforeValidator(lambda v: (v,) if isinstance(v, str) else v)]


class Fonts(_Strict):
    """The faces of each role of the page, in order of preference (hotline.render.fonts.font_setup).

    Each list names a family as the font file names it, in Chinese or in English; the first one
    found among the office's font files (<workspace>/fonts/), or among the system's fonts when
    `system` is set, is used; when none is, the bundled stand-in of the role's style. The Word
    file names the family found, else the first of the list (the clerk's PC has it)."""

    title: FamilyList = ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05")
    body: FamilyList = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong")
    heading: FamilyList = ("黑体", "SimHei")
    subheading: FamilyList = ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi")
    table: FamilyList = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong")
    page_number: FamilyList = ("宋体", "SimSun")
    system: bool = False  # also look among the fonts installed on this machine


class Settings(_Strict):
    district: str
    issuer: str
    peer_group: str
    bulletin_title: str
    selections: Selections = Selections()
    display: Display = Display()
    checks: Checks = Checks()
    periods: Periods = Periods()
    fonts: Fonts = Fonts()
    scoring: Scoring


def load_settings(path: Path) -> Settings:
    """Read and validate district.yaml; InputError lists every problem with its key path."""
    path = Path(path)
    try:
        raw = load_yaml(path)  # control characters refused: the district's names are printed as written
    except FileNotFoundError:
        raise InputError(Problem(path, "找不到区县设置文件", fix="从 data/sample/district.yaml 复制一份再修改")) from None
    if not isinstance(raw, dict):
        raise InputError(Problem(path, "内容应为键值对（映射）", fix="参照 data/sample/district.yaml"))
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(path, raw, err) for err in exc.errors()]) from None


def _problem(path: Path, raw: dict[str, Any], err: ErrorDetails) -> Problem:
    """A pydantic error as a Problem with a readable key path (scoring.groups[0].items[1].amount)."""
    loc = _key_path(raw, err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        msg, fix = "未知的设置项", "删除它或检查拼写"
    elif kind == "missing":
        msg, fix = "缺少必填设置项", "补上此项"
    elif kind in ("greater_than_equal", "greater_than"):
        msg, fix = f"值 {err.get('input')!r} 不能为负数或零" if kind == "greater_than" else f"值 {err.get('input')!r} 不能为负数", "改为非负数"
    elif kind in ("too_short", "string_too_short"):
        msg, fix = "不能为空", "至少写一项（字体写字体名称，如 仿宋_GB2312）" if loc.startswith("fonts.") else "至少写一项"
    else:
        msg, fix = err["msg"].removeprefix("Value error, "), None
    return Problem(path, msg, column=loc, fix=fix)


def _key_path(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Readable key path; drops the union tag pydantic inserts for discriminated rules."""
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
            node = node[key] if isinstance(node, list) and key < len(node) else None
        elif isinstance(node, dict) or node is None:
            if node is not None and key not in node and key in ("per_event", "rate", "threshold", "manual"):
                continue
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
        else:
            parts.append(str(key))
    return ".".join(parts)

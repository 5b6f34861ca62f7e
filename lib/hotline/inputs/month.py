"""The month: its time window, and the per-month inputs the export lacks (months/<YYYY-MM>/)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from hotline import config, months, periods
from hotline.errors import InputError, Problem
from hotline.inputs.text import load_yaml, parse_yaml, read_csv, read_text

if TYPE_CHECKING:  # pandas is imported where used: `hotline run` checks month names without it
    import pandas as pd

    from hotline.inputs.registry import Registry

@dataclass(frozen=True)
class Bonus:
    unit: str  # 全称
    points: Decimal
    reason: str


@dataclass(frozen=True)
class Story:
    unit: str
    title: str
    body: str  # Markdown


@dataclass(frozen=True)
class MonthInfo:
    month: str
    issue: str
    publish_date: dt.date
    bonus: list[Bonus] = field(default_factory=list)
    manual_scores: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (全称, item) -> score
    city_ranking: pd.DataFrame | None = None  # text cells as given by the city
    stories: list[Story] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # accepted with a warning (e.g. markup in a story)


WORDING_DIR = "wording"  # months/<MONTH>/wording/*.j2 (read by hotline.render.wording)
_MONTH_KEYS = {"issue", "publish_date", "bonus", "manual_scores"}


def load_month_info(workspace: Path, month: str, registry: Registry, manual_items: dict[str, Decimal],
                    max_bonus: Decimal | None = None) -> MonthInfo:
    """Read months/<month>/: month.yaml, city_ranking.csv (optional), stories/*.md (optional); for a
    period ('2023Q1', '2022': hotline.periods) periods/<period>/ likewise, its file period.yaml,
    which has no manual_scores (a period's scores are its months').

    manual_items maps each manual item's name to its weight, to check hand-given scores; a unit's
    bonus above `max_bonus` (district.yaml → checks.max_bonus) is accepted with a warning.
    """
    folder = config.input_folder(workspace, month)
    is_month = months.is_month(month)
    path = folder / (config.MONTH_FILE if is_month else config.PERIOD_FILE)
    if not path.is_file():
        raise InputError(Problem(path, f"缺少 {month} 的{'月度' if is_month else ''}输入文件",
                                 fix=f"新建 {folder.parent.name}/{month}/{path.name}（期号、印发日期、加分），"
                                     f"可复制上{'月' if is_month else '期'}的再修改"))
    warnings: list[Problem] = []
    raw = load_yaml(path, warnings) or {}
    if not isinstance(raw, dict):
        raise InputError(Problem(path, "内容应为键值对（issue: …、publish_date: …）",
                                 fix="参照 data/sample/months/2023-03/month.yaml"))
    # a period's scores are its months' (hotline.compute.periods): no hand-given scores of its own
    keys = _MONTH_KEYS if is_month else _MONTH_KEYS - {"manual_scores"}
    problems = [Problem(path, "未知的设置项", column=k, fix=f"可用的项: {', '.join(sorted(keys))}")
                for k in raw if k not in keys]
    for key in ("issue", "publish_date"):
        if not raw.get(key):
            problems.append(Problem(path, "缺少必填项", column=key, fix="例如 issue: 〔2023〕第 4 期，publish_date: 2023-05-17"))
    publish = raw.get("publish_date")
    if publish and not isinstance(publish, dt.date):
        problems.append(Problem(path, f"日期「{publish}」无法识别", column="publish_date", fix="写成 YYYY-MM-DD"))
    bonus, bonus_rows = _bonuses(raw, path, registry, problems)
    manual = _manual_scores(raw, path, registry, manual_items, problems)
    if problems:
        raise InputError(problems)
    warnings += _bonus_warnings(path, bonus, bonus_rows, max_bonus)
    city = _city_ranking(folder / config.CITY_RANKING_FILE, warnings)
    stories = _stories(folder / config.STORIES_DIR, registry, warnings)
    warnings += _copied_from_previous(Path(workspace), month)
    assert isinstance(publish, dt.date)  # a missing or unreadable date raised above
    return MonthInfo(month=month, issue=str(raw["issue"]), publish_date=publish, bonus=bonus,
                     manual_scores=manual, city_ranking=city, stories=stories, warnings=warnings)


def _bonuses(raw: dict, path: Path, registry: Registry,
             problems: list[Problem]) -> tuple[list[Bonus], list[tuple[str, int | None]]]:
    """month.yaml's bonus entries -> (the bonuses, each one's (key, line) in the file); an entry
    naming an unknown unit or points that are not a non-negative number is left out, its problem
    added to `problems`."""
    bonus, bonus_rows = [], []
    for key, b in _entries(raw, "bonus", path, problems):
        unit = registry.resolve(str(b.get("unit", "")))
        if unit is None:
            problems.append(Problem(path, f"未登记的单位「{b.get('unit')}」", column=f"{key}.unit",
                                    fix=f"最接近的登记名称: {'、'.join(registry.closest(str(b.get('unit', '')))) or '无'}"))
            continue
        points = _decimal(b.get("points"))
        if points is None or points < 0:
            problems.append(Problem(path, f"加分「{b.get('points')}」应为非负数", column=f"{key}.points",
                                    fix="写成 0.5、1 这样的非负数"))
            continue
        bonus.append(Bonus(unit, points, str(b.get("reason") or "")))
        bonus_rows.append((key, getattr(b, "line", None)))
    return bonus, bonus_rows


def _manual_scores(raw: dict, path: Path, registry: Registry, manual_items: dict[str, Decimal],
                   problems: list[Problem]) -> dict[tuple[str, str], Decimal]:
    """month.yaml's manual_scores -> {(unit, item): score}; an entry naming an unknown unit, an item
    that is not a manual one (`manual_items`: name -> weight) or a score outside 0 … its weight is
    left out, its problem added to `problems`."""
    manual: dict[tuple[str, str], Decimal] = {}
    for key, m in _entries(raw, "manual_scores", path, problems):
        unit = registry.resolve(str(m.get("unit", "")))
        item, score = m.get("item"), _decimal(m.get("score"))
        if unit is None:
            problems.append(Problem(path, f"未登记的单位「{m.get('unit')}」", column=f"{key}.unit",
                                    fix="写单位名册 units.csv 中的全称或简称"))
        elif item not in manual_items:
            problems.append(Problem(path, f"「{item}」不是手工评分项", column=f"{key}.item",
                                    fix=f"可用: {'、'.join(manual_items)}"))
        elif score is None or not 0 <= score <= manual_items[item]:
            problems.append(Problem(path, f"分数「{m.get('score')}」应在 0 到 {manual_items[item]} 之间", column=f"{key}.score",
                                    fix=f"改为 0 到 {manual_items[item]} 之间的数"))
        else:
            manual[(unit, item)] = score
    return manual


def _bonus_warnings(path: Path, bonus: list[Bonus], rows: list[tuple[str, int | None]],
                    max_bonus: Decimal | None) -> list[Problem]:
    """A unit listed more than once (its points are added up), and a unit's bonus above `max_bonus`.

    Warnings, not errors: two commendations in one month are possible; the report makes them visible.
    """
    warnings: list[Problem] = []
    entries: dict[str, list[tuple[Bonus, str, int | None]]] = {}
    for b, (key, line) in zip(bonus, rows):
        entries.setdefault(b.unit, []).append((b, key, line))
    for unit, listed in entries.items():
        total = sum(b.points for b, _, _ in listed)
        first_key, first_line = listed[0][1], listed[0][2]
        if len(listed) > 1:
            where = "、".join(f"{key}（第 {line} 行）" if line else key for _, key, line in listed)
            warnings.append(Problem(path, f"单位「{unit}」在加分中列了 {len(listed)} 次: {where}，合计加 {total} 分",
                                    row=first_line, column=first_key, kind="bonus_repeated",
                                    fix="同一单位本月有两项加分就保留两项；重复录入的请删除一项"))
        if max_bonus is not None and total > max_bonus:
            warnings.append(Problem(path, f"单位「{unit}」加 {total} 分，超过 {max_bonus} 分的上限（district.yaml → checks.max_bonus）",
                                    row=first_line, column=first_key, kind="bonus_limit",
                                    fix="核对分值是否录错（如 0.5 写成 50）；确需加这么多，在 district.yaml 调高 checks.max_bonus"))
    return warnings


def _entries(raw: dict, name: str, path: Path, problems: list[Problem]) -> list[tuple[str, dict]]:
    """The mappings listed under `name` with their key paths; anything else is reported as a problem."""
    items = raw.get(name) or []
    if not isinstance(items, list):
        problems.append(Problem(path, "应为列表（每项以 - 开头）", column=name, fix="参照 data/sample/months/2023-03/month.yaml"))
        return []
    good = []
    for i, entry in enumerate(items):
        if isinstance(entry, dict):
            good.append((f"{name}[{i}]", entry))
        else:
            problems.append(Problem(path, f"「{entry}」应为键值对", column=f"{name}[{i}]",
                                    fix="写成 {unit: 单位, points: 0.5, reason: 理由} 的形式" if name == "bonus"
                                    else "写成 {unit: 单位, item: 即问即答, score: 9} 的形式"))
    return good


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except Exception:
        return None


def _city_ranking(path: Path, warnings: list[Problem]) -> pd.DataFrame | None:
    """The city's peer-district table, kept as text exactly as given (97.60 stays 97.60)."""
    if not path.is_file():
        return None
    table = read_csv(path, warnings).reset_index(drop=True)
    for col in ("区", "排名"):
        if col not in table.columns:
            raise InputError(Problem(path, f"缺少列「{col}」", row=1, fix="表头参照 data/sample/months/2023-03/city_ranking.csv"))
    return table


_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
# One line, as the report prints it: the four lines a story file starts with.
_STORY_FIX = "文件开头依次写四行: ---、unit: 单位简称、title: 标题、---，其后写正文"


def _stories(folder: Path, registry: Registry, warnings: list[Problem]) -> list[Story]:
    """stories/*.md in file-name order; a YAML front matter gives unit and title.

    The unit is shown as written; one not in the registry is accepted with a warning.
    HTML typed into a story is shown as text, never run as markup: a warning says so.
    """
    stories = []
    for path in sorted(folder.glob("*.md")):
        story = _story(path, warnings)
        if registry.resolve(story.unit) is None:
            closest = "、".join(registry.closest(story.unit))
            warnings.append(Problem(path, f"稿件的单位「{story.unit}」不在单位名册中", column="unit",
                                    fix=f"写 {config.UNITS_FILE} 中的全称、简称或别名"
                                        + (f"，最接近的登记名称: {closest}" if closest else ""),
                                    kind="story_unit"))
        markup = _MARKUP.search(f"{story.unit}\n{story.title}\n{story.body}")
        if markup:
            warnings.append(Problem(path, f"稿件中有 HTML 标记「{markup.group(0)[:40]}」，按原文字显示，不会作为网页代码",
                                    fix="稿件用 Markdown 书写（**加粗**、空行分段），不要写 HTML", kind="story_markup"))
        stories.append(story)
    return stories


def _story(path: Path, warnings: list[Problem]) -> Story:
    """One story file: YAML front matter (unit, title) between two lines of just ---, then a Markdown body.

    Only a line that is --- alone ends the front matter: a title with --- inside it stays whole.
    """
    text = read_text(path, warnings)
    meta: dict[str, object] = {}
    body = text
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise InputError(Problem(path, "开头的 --- 之后没有单独一行的 --- 结束 unit/title 部分", row=1, fix=_STORY_FIX))
        try:
            meta = parse_yaml("".join(lines[1:end]), path, first_line=2) or {}
        except InputError as exc:
            raise InputError([dataclasses.replace(p, message=f"开头的 unit/title 部分{p.message}", fix=_STORY_FIX)
                              for p in exc.problems]) from None
        body = "".join(lines[end + 1:])
    if not isinstance(meta, dict) or not meta.get("unit") or not meta.get("title"):
        raise InputError(Problem(path, "栏目稿件缺少 unit 或 title", fix=_STORY_FIX))
    return Story(str(meta["unit"]), str(meta["title"]), body.strip())


def _copied_from_previous(workspace: Path, month: str) -> list[Problem]:
    """Warnings for a wording slot, city table or story byte-identical to one of the previous month's: a
    month folder copied from the last one (the way to start a month) with a file not yet replaced."""
    folder, before = config.input_folder(workspace, month), config.input_folder(workspace, periods.previous(month))
    last = "上月" if months.is_month(month) else "上期"  # a period folder copied from the last period's
    warnings: list[Problem] = []
    for path in sorted((folder / WORDING_DIR).glob("*.j2")):
        old = before / WORDING_DIR / path.name
        if old.is_file() and path.read_bytes() == old.read_bytes():
            warnings.append(Problem(path, f"与{last}的 {_relative(old, workspace)} 完全相同，像是复制{last}文件夹后没有改写",
                                    fix="写本月的文字，或删除此文件；每月都用的文字请放到工作区的 wording/ 文件夹",
                                    kind="copied_from_previous"))
    city, old_city = folder / config.CITY_RANKING_FILE, before / config.CITY_RANKING_FILE
    if city.is_file() and old_city.is_file() and city.read_bytes() == old_city.read_bytes():
        warnings.append(Problem(city, f"与{last}的 {_relative(old_city, workspace)} 完全相同，像是复制{last}文件夹后没有替换",
                                fix=f"换成市里下发的 {month} 排名表；本月的表还没有下发就先删除此文件",
                                kind="copied_from_previous"))
    old_stories = {p.read_bytes(): p for p in sorted((before / config.STORIES_DIR).glob("*.md"), reverse=True)}
    for path in sorted((folder / config.STORIES_DIR).glob("*.md")):
        old_story = old_stories.get(path.read_bytes())
        if old_story is not None:
            warnings.append(Problem(path, f"与{last}的稿件 {_relative(old_story, workspace)} 完全相同，像是复制{last}文件夹后没有替换",
                                    fix="换成本月的稿件，或删除此文件", kind="copied_from_previous"))
    return warnings


def _relative(path: Path, workspace: Path) -> str:
    """A workspace file as the report names it (months/2023-02/city_ranking.csv)."""
    return path.relative_to(workspace).as_posix()

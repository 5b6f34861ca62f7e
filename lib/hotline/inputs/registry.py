"""The units registry (units.csv): 全称, 简称, 类别, 别名, in display order."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hotline.errors import InputError, Problem
from hotline.inputs.cache import digest_bytes
from hotline.inputs.text import read_csv
from hotline.names import UNIT_CATEGORIES

REGISTRY_COLUMNS = ["全称", "简称", "类别", "别名"]
ALIAS_SEPARATOR = ";"


@dataclass(frozen=True)
class Registry:
    """Registered units. `units` has columns full, short, category, order (0-based display order)."""

    units: pd.DataFrame
    lookup: dict[str, str]  # every accepted spelling (全称, 简称, alias) -> 全称
    digest: str  # of the units, their order and every spelling: part of the export cache's keys

    def resolve(self, name: str) -> str | None:
        """Full name for a full name, short name or alias; None when unknown."""
        return self.lookup.get(str(name).strip())

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Registered full names closest to an unknown spelling, best first."""
        hits = difflib.get_close_matches(str(name), list(self.lookup), n=n * 3, cutoff=0.4)
        seen: list[str] = []
        for hit in hits:
            full = self.lookup[hit]
            if full not in seen:
                seen.append(full)
        return seen[:n]

    def short(self, full: str) -> str:
        return self.units.loc[full, "short"]

    @property
    def order(self) -> pd.Series:
        """Display order by full name."""
        return self.units["order"]


def load_registry(path: Path) -> Registry:
    """Read units.csv (hotline.inputs.text's rule). Raises InputError naming row and column on bad rows.

    Control characters are an error here, not removed: the names are what exports are matched against.
    """
    path = Path(path)
    try:
        raw = read_csv(path)
    except FileNotFoundError:
        raise InputError(Problem(path, "找不到单位名册文件", fix="在工作区中放置 units.csv（列: 全称,简称,类别,别名）")) from None
    missing = [c for c in REGISTRY_COLUMNS[:3] if c not in raw.columns]
    if missing:
        raise InputError(Problem(path, f"缺少列 {', '.join(missing)}", row=1, fix="表头应为: 全称,简称,类别,别名"))
    if "别名" not in raw.columns:
        raw["别名"] = ""
    problems: list[Problem] = []
    lookup: dict[str, str] = {}
    rows: list[dict[str, str | int]] = []
    for line, rec in zip(raw.index, raw.to_dict("records")):
        full, short, cat = rec["全称"].strip(), rec["简称"].strip(), rec["类别"].strip()
        if not full:
            problems.append(Problem(path, "全称为空", row=line, column="全称", fix="填写单位全称"))
            continue
        if cat not in UNIT_CATEGORIES:
            problems.append(Problem(path, f"类别「{cat}」无效", row=line, column="类别",
                                    fix=f"应为 {' 或 '.join(UNIT_CATEGORIES)}"))
        spellings = [full, short or full] + [a.strip() for a in rec["别名"].split(ALIAS_SEPARATOR) if a.strip()]
        for s in dict.fromkeys(spellings):
            if lookup.get(s, full) != full:
                problems.append(Problem(path, f"名称「{s}」同时指向「{lookup[s]}」和「{full}」", row=line,
                                        column="别名", fix="每个简称和别名只能属于一个单位"))
            lookup[s] = full
        rows.append({"full": full, "short": short or full, "category": cat, "order": len(rows)})
    if problems:
        raise InputError(problems)
    units = pd.DataFrame(rows).set_index("full", drop=False)
    if units.index.has_duplicates:
        dup = units.index[units.index.duplicated()][0]
        raise InputError(Problem(path, f"单位「{dup}」重复登记", column="全称", fix="每个单位只登记一行"))
    return Registry(units=units, lookup=lookup, digest=registry_digest(rows, lookup))


def registry_digest(rows: list[dict], lookup: dict[str, str]) -> str:
    """Digest of a registry as the loader uses it: units (in display order) and every spelling."""
    return digest_bytes(json.dumps(rows, ensure_ascii=False), json.dumps(sorted(lookup.items()), ensure_ascii=False))

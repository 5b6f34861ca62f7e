"""output/<district folder>/index.html: every rendered month with its headline figures and links.

Rebuilt by every `hotline run` from the month folders on disk (their tables/summary.json),
not from the run's memory, so months rendered earlier are listed too. Self-contained like
the bulletin: styles and a font subset inline, nothing fetched.
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup

from hotline import atomic, config, months, periods
from hotline.render import fonts
from hotline.render.flavours import stylesheet, visible_text
from hotline.render.markup import render
from hotline.render.phrases import month_label
from hotline.render.wording import Labels, Wording

LABELS = "labels_index"  # the index page's label set (hotline.render.wording)
# (link text, file) per column group (headed by the label head_<group>); a link is shown only where the file exists.
_OFFICIAL, _ANALYSIS = config.FLAVOUR_FILES["official"], config.FLAVOUR_FILES["analysis"]
LINKS = {
    "official": [("HTML", _OFFICIAL[0]), ("PDF", _OFFICIAL[1]), ("Word", config.DOCX_FILES["official"]),
           ("Excel", config.WORKBOOK_FILE)],
    "analysis": [("HTML", _ANALYSIS[0]), ("PDF", _ANALYSIS[1]), ("Word", config.DOCX_FILES["analysis"])],
}


def rendered_months(district_dir: Path) -> list[tuple[str, dict]]:
    """(month, summary) of every month or period folder (2023Q1, 2022) holding tables/summary.json,
    newest first (by name: a quarter before its last month, a year after its months)."""
    found = []
    for folder in Path(district_dir).iterdir() if Path(district_dir).is_dir() else []:
        summary = folder / config.TABLES_DIR / config.SUMMARY_FILE
        if folder.is_dir() and (months.is_month(folder.name) or periods.is_period(folder.name)) and summary.is_file():
            found.append((folder.name, json.loads(summary.read_text(encoding="utf-8"))))
    return sorted(found, reverse=True)


def month_row(month: str, summary: dict, files: set[str], label: Labels) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """One table row: 月份, 期号, 签收, 办结, 回访, 问题解决率, 全市排名 (the label rank), and per
    column group of LINKS the (text, href) of the links whose file exists."""
    rank = summary.get("city_rank")
    cells = [month_label(month), summary.get("issue", ""), summary.get("signed", ""), summary.get("closed", ""),
             summary.get("visited", ""), summary.get("district_resolution_rate", ""),
             label("rank", rank=rank) if rank else "—"]
    links = [[(text, f"{month}/{name}") for text, name in group if name in files] for group in LINKS.values()]
    return cells, links


def index_html(district: str, months: list[tuple[str, dict, set[str]]], wording: Wording) -> str:
    """The index page for (month, summary, files in its folder) rows, newest first, in the
    district's `wording` (its label set labels_index)."""
    label = wording.labels(LABELS, {"district": district})
    title = label("title")
    heads = [label(f"head_{h}") for h in ("month", "issue", "signed", "closed", "visited", "rate", "rank", *LINKS)]
    body = render("index_body.html.j2", title=title, heads=heads, empty=label("empty"),
                  rows=[month_row(m, s, files, label) for m, s, files in months])
    css = fonts.font_face_css(visible_text(body) + title) + "\n" + stylesheet()
    return str(render("page.html.j2", title=title, css=Markup(css), body=body))  # our own CSS: not text to escape


def write_index(district_dir: Path, wording: Wording) -> Path:
    """Rebuild district_dir/index.html from the month folders in it (atomically replaced), in the
    district's `wording`."""
    district_dir = Path(district_dir)
    district_dir.mkdir(parents=True, exist_ok=True)
    months = [(m, s, {p.name for p in (district_dir / m).iterdir()}) for m, s in rendered_months(district_dir)]
    district = months[0][1].get("district", district_dir.name) if months else district_dir.name
    path = district_dir / config.INDEX_FILE
    return atomic.write_text(path, index_html(district, months, wording))

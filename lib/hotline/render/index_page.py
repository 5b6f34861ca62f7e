"""output/<district folder>/index.html: every rendered month with its headline figures and links.

Rebuilt by every `hotline run` from the month folders on disk (their tables/summary.json),
not from the run's memory, so months rendered earlier are listed too. Self-contained like
the bulletin: styles and a font subset inline, nothing fetched.
"""

from __future__ import annotations

import json
from pathlib import Path

from hotline import atomic, config
from hotline.months import is_month
from hotline.render import fonts
from hotline.render.report import esc, html_document, month_label
from hotline.render.styles import stylesheet, visible_text

INDEX_NAME = "index.html"
# (link text, file) per column group; a link is shown only where the file exists.
LINKS = {
    "通报": [("HTML", "bulletin.html"), ("PDF", "bulletin.pdf"), ("Word", "bulletin.docx"), ("Excel", "bulletin.xlsx")],
    "分析版": [("HTML", "analysis.html"), ("PDF", "analysis.pdf")],
}


def rendered_months(district_dir: Path) -> list[tuple[str, dict]]:
    """(month, summary) of every month folder holding tables/summary.json, newest first."""
    found = []
    for folder in Path(district_dir).iterdir() if Path(district_dir).is_dir() else []:
        summary = folder / "tables" / config.SUMMARY_FILE
        if folder.is_dir() and is_month(folder.name) and summary.is_file():
            found.append((folder.name, json.loads(summary.read_text(encoding="utf-8"))))
    return sorted(found, reverse=True)


def month_row(month: str, summary: dict, files: set[str]) -> str:
    """One table row: 月份, 期号, 签收, 办结, 回访, 问题解决率, 全市排名 and the links that exist."""
    rank = summary.get("city_rank")
    cells = [month_label(month), summary.get("issue", ""), summary.get("signed", ""), summary.get("closed", ""),
             summary.get("visited", ""), summary.get("district_resolution_rate", ""),
             f"第{rank}名" if rank else "—"]
    html = "".join(f'<td class="{"unit" if i == 0 else "num"}">{esc(c)}</td>' for i, c in enumerate(cells))
    for links in LINKS.values():
        shown = [f'<a href="{esc(month)}/{esc(name)}">{esc(text)}</a>' for text, name in links if name in files]
        html += f'<td class="links">{" · ".join(shown) or "—"}</td>'
    return f"<tr>{html}</tr>"


def index_html(district: str, months: list[tuple[str, dict, set[str]]]) -> str:
    """The index page for (month, summary, files in its folder) rows, newest first."""
    title = f"{district}12345政务热线月度通报"
    heads = ["月份", "期号", "签收", "办结", "回访", "问题解决率", "全市排名", *LINKS]
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    rows = "".join(month_row(m, s, files) for m, s, files in months)
    body = (f'<h1 class="doc-title">{esc(title)}</h1>'
            f'<div class="table-wrap"><table class="grid months"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
            if months else f'<h1 class="doc-title">{esc(title)}</h1><p>还没有生成过通报。</p>')
    style = f"<style>\n{fonts.font_face_css(visible_text(body) + title)}\n{stylesheet()}\n</style>"
    return html_document(title, body, style)


def write_index(district_dir: Path) -> Path:
    """Rebuild district_dir/index.html from the month folders in it (atomically replaced)."""
    district_dir = Path(district_dir)
    district_dir.mkdir(parents=True, exist_ok=True)
    months = [(m, s, {p.name for p in (district_dir / m).iterdir()}) for m, s in rendered_months(district_dir)]
    district = months[0][1].get("district", district_dir.name) if months else district_dir.name
    path = district_dir / INDEX_NAME
    return atomic.write_text(path, index_html(district, months))

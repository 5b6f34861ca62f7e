"""The bulletin as HTML fragments: small pure functions from a Bulletin's parts to markup.

The notebook displays these fragments one section at a time; the nbconvert exporters
(:mod:`hotline.render.exporters`) put them on the page with the bulletin stylesheet. Nothing here
computes a figure: numbers and sentences come from the Bulletin as display text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
from markupsafe import Markup

from hotline.compute.selections import BusinessKind
from hotline.errors import Problem
from hotline.inputs.month import MonthInfo, Story
from hotline.inputs.settings import Settings
from hotline.names import DEPARTMENT, STREET
from hotline.numfmt import chinese_number
from hotline.render import fonts
from hotline.render.doctree import Cell, Masthead, Row, Table, text_cell
from hotline.render.flavours import content_stylesheet, lab_stylesheet, templates_dir, visible_text
from hotline.render.markup import Fragment, macro, render
from hotline.render.model import Bulletin
from hotline.render.phrases import (
    business_env_rows,
    chinese_date,
    format_points,
    has_business_env,
    month_label,
)
from hotline.render.tables import BONUS_KIND, TOTAL_KIND, UNIT, Column, ScoreTable, column_head, points_head
from hotline.render.wording import Labels

LABELS = "labels_bulletin"  # the label set of the official bulletin's short texts (hotline.render.wording)


def numbered(n: int, text: str) -> str:
    """一、text"""
    return f"{chinese_number(n)}、{text}"


def sub_numbered(n: int, text: str) -> str:
    """（一）text"""
    return f"（{chinese_number(n)}）{text}"


def bonus_cell(total: str, bonus: str | None) -> str:
    """The 总分 cell: '98.34' or, with a bonus, '98.34+0.5' (total printed as the table gives it)."""
    b = format_points(bonus)
    return f"{total}+{b}" if b and Decimal(b) != 0 else str(total)


# --------------------------------------------------------------------------- tables


def label_lines(text: str) -> tuple[str, ...]:
    """A column header broken into short lines for narrow columns:
    '按时签收' → 按时|签收, '知识库建设' → 知识库|建设, '总分（100分）' → 总分|（100分）."""
    if "（" in text and not text.startswith("（"):
        head, _, tail = text.partition("（")
        return (*label_lines(head), f"（{tail}")
    if len(text) >= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in text):
        mid = (len(text) + 1) // 2
        return text[:mid], text[mid:]
    return (text,)


def split_label(text: str) -> Fragment:
    """A column header as HTML broken into short lines: '按时签收' → '按时<br>签收'."""
    return macro("broken", label_lines(text))


def _th(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "", split: bool = False) -> Cell:
    """A header cell; `split` breaks its label into short lines."""
    return text_cell(label_lines(text) if split else (text,), True, colspan, rowspan, cls)


def _td(text: str, cls: str = "") -> Cell:
    """A body cell of one line."""
    return text_cell((text,), cls=cls)


def _table(head_rows: Sequence[list[Cell]], body_rows: Sequence[list[Cell]], cls: str) -> Fragment:
    """A grid table of rows of cells, in its scrolling wrapper."""
    rows = [Row(cells, header=True) for cells in head_rows] + [Row(cells) for cells in body_rows]
    return table_html(Table(rows, cls))


def table_html(table: Table) -> Fragment:
    """A table (hotline.render.doctree.Table) as markup, in its scrolling wrapper."""
    return render("table.html.j2", table=table)


def _score_head(table: ScoreTable, label: Labels, total_label: str | None) -> list[list[Cell]]:
    """A score table's two head rows: the lead and tail columns over both, each group over its
    columns (a group of one item its label broken, so the column stays narrow); the heads
    (hotline.render.tables.column_head) and groups' points worded by `label`, the 总分's by
    `total_label` if given."""
    top = [_th(c.label, rowspan=2, cls="unit" if c.kind == UNIT else "lead", split=c.kind != UNIT) for c in table.lead]
    second = []
    for g in table.groups:
        if len(g.columns) == 1:
            top.append(text_cell((g.name, points_head(g, label)), True, cls="group"))
        else:
            top.append(_th(g.name + points_head(g, label), colspan=len(g.columns), cls="group"))
        second += [_th(column_head(c, label), cls="item", split=True) for c in g.columns]
    top += [_th(total_label if total_label and c.kind == TOTAL_KIND else column_head(c, label), rowspan=2, cls="tail",
                split=True) for c in table.tail if c.kind != BONUS_KIND]
    return [top, second]


def _shown(value: object) -> str:
    """A frame's cell as text, '' when it is empty."""
    return "" if pd.isna(value) else str(value)


def _score_row(row: pd.Series, columns: Sequence[Column], bonus: Column | None) -> list[Cell]:
    """A score table's body row: one cell a column, the 总分's with the bonus (bonus_cell)."""
    cells = []
    for c in columns:
        value = _shown(row[c.key])
        if c.kind == TOTAL_KIND and bonus is not None:
            value = bonus_cell(value, _shown(row[bonus.key]))
        cells.append(_td(value, c.kind))
    return cells


def score_table_html(table: ScoreTable, label: Labels, total_label: str | None = None, cls: str = "scores") -> Fragment:
    """A score table (附件 unit tables, the city table) with the seed's two-level head
    (hotline.render.tables.ScoreTable): the top row holds the lead columns (责任单位, 签收总量), one
    cell per scoring group — '诉求响应率（30分）' over its items and '小计' — and 总分, 排名; the
    second row the items. The 加分 is printed in the 总分 cell: '98.34+0.5'. The heads' words are
    `label`'s (the label set labels_bulletin: score_total, score_subtotal, score_points), the
    总分's `total_label` if given.
    """
    shown = [c for c in table.columns if c.kind != BONUS_KIND]
    body = [_score_row(row, shown, table.bonus) for _, row in table.frame.iterrows()]
    return _table(_score_head(table, label, total_label), body, f"grid {cls}")


def simple_table_html(df: pd.DataFrame, cls: str = "simple") -> Fragment:
    """A one-header-row table of a frame (simple_table), an empty value an empty cell."""
    return table_html(simple_table(list(df.columns), [[_shown(v) for v in row] for row in df.itertuples(index=False)], cls))


def simple_table(heads: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "simple") -> Table:
    """A one-header-row table of `heads` over rows of text; the first column is text, the rest numbers."""
    head = [_th(c, cls="unit" if i == 0 else "") for i, c in enumerate(heads)]
    body = [Row([_td(text, "num" if i else "unit") for i, text in enumerate(row)]) for row in rows]
    return Table([Row(head, header=True), *body], f"grid {cls}")


def hot_topics_html(df: pd.DataFrame, per_row: int = 2) -> Fragment:
    """三(一): the hot topics `per_row` to a table row, as the seed (类型 工单数量 类型 工单数量)."""
    return wrapped_table_html(df, per_row, "topics")


def wrapped_table_html(df: pd.DataFrame, per_row: int, cls: str) -> Fragment:
    """A two-column table (name, figure) wrapped `per_row` pairs to a table row."""
    pairs = [(str(r[0]), str(r[1])) for r in df.itertuples(index=False)]
    head = [_th(c, cls="unit" if c == df.columns[0] else "") for _ in range(per_row) for c in df.columns[:2]]
    body = []
    for start in range(0, len(pairs), per_row):
        chunk = pairs[start:start + per_row]
        chunk += [("", "")] * (per_row - len(chunk))
        body.append([cell for t, n in chunk for cell in (_td(t, "unit"), _td(n, "num"))])
    return _table([head], body, f"grid {cls}")


def business_env_html(business: dict[str, BusinessKind], label: Labels) -> Fragment:
    """三(二): 营商环境 orders by kind, with the units involved (heads and cells: `label`, labels_bulletin)."""
    head = [_th(label("business_head_kind")), _th(label("business_head_count")),
            _th(label("business_head_units"), cls="unit")]
    body = [[_td(k), _td(n, "num"), _td(u, "unit")] for k, n, u in business_env_rows(business, label)]
    return _table([head], body, "grid business")


# --------------------------------------------------------------------------- text


def paragraph(text: str, cls: str = "") -> Fragment:
    """<p> with `text`, escaped."""
    return macro("p", text, cls)


def markdown_html(text: str) -> Fragment:
    """Story Markdown to HTML; raw HTML in the source is escaped, not passed through (so the
    result is markup a template may include as it is).

    Images are off: the PDF renderer may read file: URLs, so a story must not pull in local files.
    """
    # only when a story is rendered
    from markdown_it import MarkdownIt

    return Fragment(MarkdownIt("commonmark", {"html": False}).disable("image").render(text or ""))


def masthead_html(masthead: Masthead, day: str) -> Fragment:
    """The 公文-style head of `masthead`, dated `day` (ISO) in the page's metadata."""
    return render("header.html.j2", m=masthead, day=day)


def header_html(settings: Settings, info: MonthInfo, remarks: str) -> Fragment:
    """The 公文-style head: 领导批示 space (`remarks`: its label), red title, issue, issuer and date, red rule."""
    masthead = Masthead(remarks=remarks, title=settings.bulletin_title, issue=info.issue, issuer=settings.issuer,
                        date=chinese_date(info.publish_date))
    return masthead_html(masthead, info.publish_date.isoformat())


def stories_html(stories: Iterable[Story]) -> Fragment:
    """四: each story as '单位：标题' and its body."""
    return render("stories.html.j2", stories=stories, markdown=markdown_html)


def appendix_total_label(category: str, s: dict[str, str]) -> str:
    """The 总分 header of a 附件 table, as the seed: 街道 总分（含加分）, 区直部门 总分（100分）
    (the wording templates appendix_total_street and appendix_total_department; `s`: b.text.sentences)."""
    return s["appendix_total_street"] if category == STREET else s["appendix_total_department"]


def _appendix_part(n: int, category: str, table: ScoreTable, s: dict[str, str], label: Labels, mark: str = "",
                   notes: Sequence[str] = ()) -> dict[str, Any]:
    """One 附件 page for appendix.html.j2: its number, group, ranking table (its heads worded by
    `label`), mark (附件, 附件1; "" on the pages after the first) and notes."""
    html = score_table_html(table, label, appendix_total_label(category, s), cls="scores units")
    return {"n": n, "category": category, "table": html, "label": mark, "notes": notes}


def _appendix(parts: list[dict[str, Any]], s: dict[str, str], month: str) -> Fragment:
    """附件 pages of `parts` (see _appendix_part), under the appendix's title and subtitle."""
    return render("appendix.html.j2", parts=parts, title=s["appendix_title"], subtitle=s["appendix_subtitle"],
                  month=month_label(month))


def appendix_table_html(n: int, category: str, table: ScoreTable, month: str, s: dict[str, str], label: Labels) -> Fragment:
    """One 附件 page: title, subtitle, '一、街道（2023年3月）' and the ranking table (`s`: b.text.sentences;
    `label`: the label set labels_bulletin)."""
    return _appendix([_appendix_part(n, category, table, s, label)], s, month)


def rules_html(rules: Sequence[str], lead: str, heading: str, label: str = "") -> Fragment:
    """The scoring rules in force, as a numbered list under `heading` after `lead`, marked `label`
    (附件2) as an 附件 is."""
    return render("rules.html.j2", heading=heading, lead=lead, rules=rules, label=label)


def figure_html(image: bytes, caption: str, mime: str = "image/svg+xml") -> Fragment:
    """An embedded figure (data: URI; SVG unless told) with its caption."""
    return render("figure.html.j2", data=base64.b64encode(image).decode("ascii"), caption=caption, mime=mime)


def warnings_html(warnings: Sequence[Problem]) -> Fragment:
    """For the analyst only (the notebook tags this cell so it stays out of the bulletin)."""
    return render("warnings.html.j2", warnings=warnings)


# --------------------------------------------------------------------------- sections
# One function per section of the bulletin, in the seed's order. The notebook displays them.


LAB_MARKS = "¶"  # JupyterLab's own characters in what it renders: the anchor link beside each Markdown heading


def style_html(b: Bulletin | None = None) -> Fragment:
    """The bulletin stylesheet as a <style> output, so JupyterLab shows the sections styled.

    Given the bulletin `b`, the Chinese fonts are embedded too, so the notebook shows no
    missing-glyph boxes on a machine without CJK fonts, whatever an analyst types: all of
    GB2312, and the characters of the bulletin's text and data beyond it
    (hotline.render.fonts.lab_font_face_css); and every output area, rendered Markdown cell and
    code editor uses them, not only the bulletin's own elements (lab.css). The exporters leave
    this output out (they put their own styles in the page head): display it with
    metadata=hotline.render.fonts.style_metadata(…), which marks it and carries the faces.
    """
    css = content_stylesheet()
    if b is not None:
        css = fonts.lab_font_face_css(_all_text(b) + LAB_MARKS) + "\n" + lab_stylesheet() + "\n" + css
    return render("style.html.j2", css=Markup(css))  # our own stylesheet and fonts: CSS, not text to escape


def text_sections(b: Bulletin) -> tuple[Fragment, ...]:
    """The official bulletin's text in its default order: 版头 and title, 一 to 四, the 附件说明."""
    return section_head(b), section_city(b), section_district(b), section_features(b), section_stories(b)


def _all_text(b: Bulletin) -> str:
    """Every character the notebook may show of bulletin `b`: its sections, names, categories and templates."""
    sections = visible_text("".join(str(part) for part in (
        *text_sections(b), section_appendix(b), section_rules(b), warnings_html(b.warnings))))
    units = b.figures.registry.units
    data = "".join(map(str, [*units.index, *units["short"], *b.figures.orders["category"].dropna().unique(),
                             *b.figures.orders["channel"].dropna().unique()]))
    templates = "".join(p.read_text(encoding="utf-8") for p in templates_dir().rglob("*.j2"))
    return sections + data + templates


def _table_of(b: Bulletin, key: str) -> pd.DataFrame | None:
    """The bulletin's table `key`, or None when it is missing or empty."""
    df = b.text.tables.get(key)
    return df if isinstance(df, pd.DataFrame) and len(df) else None


def _score_table_of(b: Bulletin, key: str) -> ScoreTable | None:
    """The bulletin's score table `key` (units_*, city_ranking), or None when it is missing or empty."""
    table = b.text.tables.get(key)
    return table if isinstance(table, ScoreTable) and len(table) else None


def section_head(b: Bulletin) -> Fragment:
    """版头, the title (…三月份情况通报) and the opening paragraph."""
    return render("section_head.html.j2", header=header_html(b.settings, b.info, b.text.sentences["leader_remarks"]),
                  title=b.text.sentences["title"], opening=b.text.sentences["opening"], s=b.text.sentences)


def section_city(b: Bulletin, n: int = 1) -> Fragment:
    """一、全市排名情况: the rank sentence and the city's table."""
    city = _score_table_of(b, "city_ranking")
    return render("section_city.html.j2", heading=numbered(n, b.text.sentences["heading_city"]), rank=b.text.sentences["city_rank"],
                  table=score_table_html(city, labels(b), cls="scores city") if city is not None else None,
                  s=b.text.sentences)


def section_district(b: Bulletin, n: int = 2) -> Fragment:
    """二、区内情况统计: (一) deduction, (二) good units, (三) units below the district rate."""
    below = _table_of(b, "below_district")
    return render("section_district.html.j2", heading=numbered(n, b.text.sentences["heading_district"]), s=b.text.sentences,
                  table=simple_table_html(below, cls="below") if below is not None else None)


def section_features(b: Bulletin, n: int = 3) -> Fragment:
    """三、本月热线特点: (一) hot topics two per row, (二) 营商环境."""
    topics = _table_of(b, "hot_topics")
    business = b.selections.business
    return render("section_features.html.j2", heading=numbered(n, b.text.sentences["heading_features"]),
                  topics_heading=sub_numbered(1, b.text.sentences["heading_hot_topics"]),
                  business_heading=sub_numbered(2, b.text.sentences["heading_business_env"]),
                  topics=hot_topics_html(topics) if topics is not None else None,
                  business=business_env_html(business, labels(b)) if has_business_env(business) else None,
                  no_business=b.text.sentences["no_business_env"], s=b.text.sentences)


def attachments(b: Bulletin) -> list[str]:
    """The names of the bulletin's 附件, in order: the ranking tables, then the scoring rules unless
    the district leaves them out (district.yaml → display.rules_attachment)."""
    names = [b.text.sentences["appendix_reference"]]
    if b.settings.display.rules_attachment:
        names.append(b.text.sentences["heading_rules"])
    return names


def labels(b: Bulletin) -> Labels:
    """The official bulletin's label set (labels_bulletin) for bulletin `b`."""
    return b.wording.labels(LABELS, b.context)


def attachment_label(b: Bulletin, n: int) -> str:
    """The mark on the first page of the n-th 附件: 附件 when there is one, 附件1, 附件2 … when more."""
    return labels(b)("attachment_only") if len(attachments(b)) == 1 else labels(b)("attachment_nth", n=n)


def section_stories(b: Bulletin, n: int = 4) -> Fragment:
    """四、“接诉即办、未诉先办”专栏, then the 附件说明 naming every 附件 (GB/T 9704 7.3.4). A month
    without stories leaves the section out (heading and all): only the 附件说明 remains."""
    stories = list(b.stories)
    return render("section_stories.html.j2", heading=numbered(n, b.text.sentences["heading_stories"]),
                  stories=stories_html(stories) if stories else None, attachments=attachments(b),
                  attachments_lead=labels(b)("attachments_lead"), s=b.text.sentences)


def section_appendix(b: Bulletin) -> Fragment:
    """附件: the ranking tables of 街道 and 区直部门, the first labelled 附件, the last with 备注 and the bonus line."""
    found = [(category, _score_table_of(b, key)) for category, key in ((STREET, "units_streets"),
                                                                      (DEPARTMENT, "units_departments"))]
    tables = [(category, table) for category, table in found if table is not None]
    bonus = b.text.sentences["bonus_note"]
    notes = [b.text.sentences["note_unranked"], bonus] if bonus else [b.text.sentences["note_unranked"]]
    parts = [_appendix_part(i, category, df, b.text.sentences, labels(b), mark=attachment_label(b, 1) if i == 1 else "",
                            notes=notes if i == len(tables) else ())
             for i, (category, df) in enumerate(tables, start=1)]
    return _appendix(parts, b.text.sentences, b.month)


def section_rules(b: Bulletin) -> Fragment:
    """The last 附件: the scoring rules in force, from the settings; nothing when the district
    leaves them out (district.yaml → display.rules_attachment)."""
    if not b.settings.display.rules_attachment:
        return Fragment("")
    return rules_html(b.text.rules, labels(b)("rules_lead"), b.text.sentences["heading_rules"],
                      label=attachment_label(b, len(attachments(b))))

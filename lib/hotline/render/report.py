"""The bulletin as HTML fragments: small pure functions from a Bulletin's parts to markup.

The notebook displays these fragments one section at a time; the nbconvert exporters
(:mod:`hotline.render.exporters`) put them on the page with the bulletin stylesheet. Nothing here
computes a figure: numbers and sentences come from the Bulletin as display text.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from decimal import Decimal

import pandas as pd

from hotline.names import DEPARTMENT, STREET
from hotline.numfmt import chinese_number, trim
from hotline.render import fonts
from hotline.render.styles import content_stylesheet, visible_text

# Section headings, in the seed's order and wording.
SECTION_CITY = "全市排名情况"
SECTION_DISTRICT = "区内情况统计"
SECTION_FEATURES = "本月热线特点"
SECTION_STORIES = "“接诉即办、未诉先办”专栏"
SUB_HOT_TOPICS = "民生诉求热点"
SUB_BUSINESS_ENV = "营商环境、行政效能类工单情况"
NOTE_UNRANKED = "备注：当月无办结工单、无回访工单的不纳入考核排名。"
LEADER_REMARKS = "领导批示："
RULES_HEADING = "考核评分规则"
SECTION_HEADINGS = [SECTION_CITY, SECTION_DISTRICT, SECTION_FEATURES, SECTION_STORIES]


class Fragment(str):
    """An HTML string that Jupyter displays as HTML, inside the bulletin's style scope."""

    def _repr_html_(self) -> str:
        return f'<div class="bulletin">{self}</div>'



def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _frag(*parts: str) -> Fragment:
    return Fragment("\n".join(p for p in parts if p))


def numbered(n: int, text: str) -> str:
    """一、text"""
    return f"{chinese_number(n)}、{text}"


def sub_numbered(n: int, text: str) -> str:
    """（一）text"""
    return f"（{chinese_number(n)}）{text}"


def format_points(value: Decimal | float | int | str | None) -> str:
    """0.5 → '0.5', 1.0 → '1', '' / None → ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return trim(Decimal(str(value)))


def bonus_cell(total: str, bonus: str | None) -> str:
    """The 总分 cell: '98.34' or, with a bonus, '98.34+0.5' (total printed as the table gives it)."""
    b = format_points(bonus)
    return f"{total}+{b}" if b and Decimal(b) != 0 else str(total)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_label(month: str) -> str:
    """'2023-03' → '2023年3月'."""
    year, mon = month.split("-")
    return f"{int(year)}年{int(mon)}月"


# --------------------------------------------------------------------------- tables


def _groups(settings) -> list[tuple[str, str, list[str]]]:
    """(group name, weight text, item names) from the scoring settings."""
    return [(g.name, trim(Decimal(g.weight)), [i.name for i in g.items]) for g in settings.scoring.groups]


def split_label(text: str) -> str:
    """A column header as escaped HTML broken into short lines for narrow columns:
    '按时签收' → '按时<br>签收', '知识库建设' → '知识库<br>建设', '总分（100分）' → '总分<br>（100分）'."""
    if "（" in text and not text.startswith("（"):
        head, _, tail = text.partition("（")
        return f"{split_label(head)}<br>（{esc(tail)}"
    if len(text) >= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in text):
        mid = (len(text) + 1) // 2
        return f"{esc(text[:mid])}<br>{esc(text[mid:])}"
    return esc(text)


def _th(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "", split: bool = False) -> str:
    attrs = ""
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<th{attrs}>{split_label(text) if split else esc(text)}</th>"


def _td(text: str, cls: str = "") -> str:
    return f'<td class="{cls}">{esc(text)}</td>' if cls else f"<td>{esc(text)}</td>"


def _table(head_rows: Sequence[str], body_rows: Sequence[str], cls: str, colgroup: str = "") -> str:
    head = "".join(f"<tr>{r}</tr>" for r in head_rows)
    body = "".join(f"<tr>{r}</tr>" for r in body_rows)
    return (f'<div class="table-wrap"><table class="{cls}">{colgroup}'
            f"<thead>{head}</thead><tbody>{body}</tbody></table></div>")


def score_table_html(df: pd.DataFrame, settings, total_label: str = "总分（100分）", cls: str = "scores") -> Fragment:
    """A score table (附件 unit tables, the city table) with the seed's two-level header.

    The top row holds the lead columns (责任单位/区, 签收总量), one cell per scoring group
    — '诉求响应率（30分）' over its items and '小计' — and 总分, 排名; the second row the
    items. A 加分 column, if present, is folded into 总分 as '98.34+0.5'.
    """
    columns = list(df.columns)
    groups = _groups(settings)
    group_cols: list[tuple[str, str, list[tuple[str, str]]]] = []  # (name, weight, [(col, label)])
    for name, weight, items in groups:
        cols = [(item, item) for item in items if item in columns]
        if f"{name}小计" in columns:
            cols.append((f"{name}小计", "小计"))
        if cols:
            group_cols.append((name, weight, cols))
    grouped = {c for _, _, cols in group_cols for c, _ in cols}
    first_group = min((columns.index(c) for c in grouped), default=len(columns))
    lead = columns[:first_group]
    tail = [c for c in columns[first_group:] if c not in grouped and c != "加分"]

    top = [_th(c, rowspan=2, cls="unit" if i == 0 else "lead", split=i > 0) for i, c in enumerate(lead)]
    second = []
    for name, weight, cols in group_cols:
        if len(cols) == 1:  # one item under the group: break the label so the column stays narrow
            top.append(f'<th class="group">{esc(name)}<br>（{esc(weight)}分）</th>')
        else:
            top.append(_th(f"{name}（{weight}分）", colspan=len(cols), cls="group"))
        second += [_th(label, cls="item", split=True) for _, label in cols]
    for c in tail:
        top.append(_th(total_label if c == "总分" else c, rowspan=2, cls="tail", split=True))

    order = lead + [c for _, _, cols in group_cols for c, _ in cols] + tail
    body = []
    for _, row in df.iterrows():
        cells = []
        for i, c in enumerate(order):
            value = "" if pd.isna(row[c]) else str(row[c])
            if c == "总分" and "加分" in columns:
                value = bonus_cell(value, row["加分"] if not pd.isna(row["加分"]) else "")
            kind = "unit" if i == 0 else ("sub" if c.endswith("小计") else ("total" if c == "总分" else "num"))
            cells.append(_td(value, kind))
        body.append("".join(cells))
    return Fragment(_table(["".join(top), "".join(second)], body, f"grid {cls}"))


def simple_table_html(df: pd.DataFrame, cls: str = "simple") -> Fragment:
    """A one-header-row table; the first column is text, the rest numbers."""
    head = "".join(_th(c, cls="unit" if i == 0 else "") for i, c in enumerate(df.columns))
    body = ["".join(_td("" if pd.isna(v) else str(v), "unit" if i == 0 else "num") for i, v in enumerate(row))
            for row in df.itertuples(index=False)]
    return Fragment(_table([head], body, f"grid {cls}"))


def hot_topics_html(df: pd.DataFrame, per_row: int = 2) -> Fragment:
    """三(一): the hot topics `per_row` to a table row, as the seed (类型 工单数量 类型 工单数量)."""
    return wrapped_table_html(df, per_row, "topics")


def wrapped_table_html(df: pd.DataFrame, per_row: int, cls: str) -> Fragment:
    """A two-column table (name, figure) wrapped `per_row` pairs to a table row."""
    pairs = [(str(r[0]), str(r[1])) for r in df.itertuples(index=False)]
    head = "".join(_th(c, cls="unit" if c == df.columns[0] else "") for _ in range(per_row) for c in df.columns[:2])
    body = []
    for start in range(0, len(pairs), per_row):
        chunk = pairs[start:start + per_row]
        chunk += [("", "")] * (per_row - len(chunk))
        body.append("".join(_td(t, "unit") + _td(n, "num") for t, n in chunk))
    return Fragment(_table([head], body, f"grid {cls}"))


def business_env_rows(business: dict) -> list[tuple[str, str, str]]:
    """(类型, 工单数量, 涉及部门) rows: '城市管理局1件、马王堆街道办事处1件。'."""
    rows = []
    for kind, entry in business.items():
        units = entry.get("units") or {}
        text = "、".join(f"{unit}{count}件" for unit, count in units.items())
        rows.append((kind, str(entry.get("total", 0)), text + "。" if text else "—"))
    return rows


def business_env_html(business: dict) -> Fragment:
    head = _th("类型") + _th("工单数量") + _th("涉及部门", cls="unit")
    body = [_td(k) + _td(n, "num") + _td(u, "unit") for k, n, u in business_env_rows(business)]
    return Fragment(_table([head], body, "grid business"))


# --------------------------------------------------------------------------- text


def paragraph(text: str, cls: str = "") -> Fragment:
    return Fragment(f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>")


def heading(text: str, level: int = 2, cls: str = "") -> Fragment:
    attrs = f' class="{cls}"' if cls else ""
    return Fragment(f"<h{level}{attrs}>{esc(text)}</h{level}>")


def markdown_html(text: str) -> str:
    """Story Markdown to HTML; raw HTML in the source is escaped, not passed through.

    Images are off: the PDF renderer may read file: URLs, so a story must not pull in local files.
    """
    # only when a story is rendered
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("image").render(text or "")


def header_html(settings, info) -> Fragment:
    """The 公文-style head: 领导批示 space, red title, issue, issuer and date, red rule.

    The publish date is also given as metadata: the PDF and the Word document are dated by it, not by the clock.
    """
    day = esc(info.publish_date.isoformat())
    return _frag(
        '<header class="doc-head">',
        f'<meta name="dcterms.created" content="{day}"><meta name="dcterms.modified" content="{day}">',
        f'<div class="remarks">{esc(LEADER_REMARKS)}</div>',
        f'<div class="red-title">{esc(settings.bulletin_title)}</div>',
        f'<div class="issue">{esc(info.issue)}</div>',
        '<div class="issuer-line">'
        f'<span class="issuer">{esc(settings.issuer)}</span>'
        f'<span class="date">{esc(chinese_date(info.publish_date))}</span></div>',
        '<hr class="red-rule">',
        "</header>",
    )


def stories_html(stories: Iterable) -> Fragment:
    """四: each story as '单位：标题' and its body."""
    parts = []
    for story in stories:
        parts.append('<section class="story">'
                     f'<h3 class="story-title">{esc(story.unit)}：{esc(story.title)}</h3>'
                     f'<div class="story-body">{markdown_html(story.body)}</div></section>')
    return _frag(*parts)


def bonus_line(bonus: Iterable) -> str:
    """'东屯渡街道办事处加0.5分，市场监督管理局加0.5分。' ('' without bonus)."""
    parts = [f"{b.unit}加{format_points(b.points)}分" for b in bonus]
    return "，".join(parts) + "。" if parts else ""


def appendix_title(settings) -> str:
    return f"{settings.district}12345政务热线成员单位工单办理主要考核指标综合得分排行榜"


def appendix_subtitle(settings) -> str:
    return "（" + "、".join(g.name for g in settings.scoring.groups) + "）"


def appendix_reference(settings) -> str:
    """The body's closing line that points at the appendix."""
    return f"附件：{settings.district}12345政务热线工作主要考核指标综合得分排行榜（根据我区考核标准执行）"


def appendix_total_label(category: str) -> str:
    """The 总分 header of a 附件 table, as the seed: 街道 总分（含加分）, 区直部门 总分（100分）."""
    return "总分（含加分）" if category == STREET else "总分（100分）"


def appendix_table_html(n: int, category: str, df: pd.DataFrame, settings, month: str) -> Fragment:
    """One 附件 page: title, subtitle, '一、街道（2023年3月）' and the ranking table."""
    return _frag(
        '<section class="appendix-part">',
        f'<h2 class="appendix-title">{esc(appendix_title(settings))}</h2>',
        f'<p class="appendix-subtitle">{esc(appendix_subtitle(settings))}</p>',
        f'<h3 class="appendix-category">{esc(numbered(n, f"{category}（{month_label(month)}）"))}</h3>',
        score_table_html(df, settings, appendix_total_label(category), cls="scores units"),
        "</section>",
    )


def notes_html(bonus: Iterable) -> Fragment:
    line = bonus_line(bonus)
    return _frag('<div class="notes">', paragraph(NOTE_UNRANKED, "note"),
                 paragraph(line, "note") if line else "", "</div>")


def rules_html(rules: Sequence[str], district: str) -> Fragment:
    items = "".join(f"<li>{esc(r)}</li>" for r in rules)
    return _frag('<section class="rules">',
                 f'<h2 class="rules-title">{esc(RULES_HEADING)}</h2>',
                 f'<p class="rules-lead">{esc(f"本期排行榜按{district}考核标准计分，各项规则如下（满分100分）：")}</p>',
                 f"<ol>{items}</ol></section>")


def figure_html(image: bytes, caption: str, mime: str = "image/svg+xml") -> Fragment:
    """An embedded figure (data: URI; SVG unless told) with its caption."""
    data = base64.b64encode(image).decode("ascii")
    return Fragment(f'<figure class="chart"><img src="data:{mime};base64,{data}" alt="{esc(caption)}">'
                    f"<figcaption>{esc(caption)}</figcaption></figure>")


def html_document(title: str, body: str, head: str) -> str:
    """A standalone page (unit drill-downs, the months' index) around `body`; `head` brings its styles."""
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(title)}</title>\n{head}\n</head>\n'
            f'<body lang="zh-CN">\n<main class="page bulletin">\n{body}\n</main>\n</body>\n</html>\n')


def warnings_html(warnings: Sequence) -> Fragment:
    """For the analyst only (the notebook tags this cell so it stays out of the bulletin)."""
    if not warnings:
        return Fragment('<p class="analyst-ok">输入检查无警告。</p>')
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return Fragment(f'<div class="analyst-warnings"><p>输入检查发现 {len(warnings)} 条警告：</p><ul>{items}</ul></div>')


# --------------------------------------------------------------------------- sections
# One function per section of the bulletin, in the seed's order. The notebook displays them.


def style_html(b=None) -> Fragment:
    """The bulletin stylesheet as a <style> output, so JupyterLab shows the sections styled.

    Given the bulletin `b`, the Chinese fonts are embedded too (subset to its text), so the
    notebook shows no missing-glyph boxes on a machine without CJK fonts. The exporters
    leave this output out (they put their own styles in the page head): display it with
    metadata={"hotline": "style"}.
    """
    css = content_stylesheet()
    if b is not None:
        text = visible_text("".join(str(part) for part in (
            section_head(b), section_city(b), section_district(b), section_features(b), section_stories(b),
            section_appendix(b), section_rules(b), warnings_html(b.warnings))))
        css = fonts.font_face_css(text) + "\n" + css
    return Fragment(f"<style>{css}</style>")


def section_head(b) -> Fragment:
    """版头, the title (…三月份情况通报) and the opening paragraph."""
    return _frag(header_html(b.settings, b.info),
                 heading(b.sentences["title"], 1, "doc-title"),
                 paragraph(b.sentences["opening"]))


def section_city(b, n: int = 1) -> Fragment:
    """一、全市排名情况: the rank sentence and the city's table."""
    parts = [heading(numbered(n, SECTION_CITY)), paragraph(b.sentences["city_rank"])]
    city = b.tables.get("city_ranking")
    if city is not None and len(city):
        parts.append(score_table_html(city, b.settings, cls="scores city"))
    return _frag(*parts)


def section_district(b, n: int = 2) -> Fragment:
    """二、区内情况统计: (一) deduction, (二) good units, (三) units below the district rate."""
    parts = [heading(numbered(n, SECTION_DISTRICT)),
             paragraph(b.sentences["deduction"]),
             paragraph(b.sentences["good_units"]),
             heading(b.sentences["below_heading"], 3),
             paragraph(b.sentences["below_lead"])]
    below = b.tables.get("below_district")
    if below is not None and len(below):
        parts.append(simple_table_html(below, cls="below"))
    return _frag(*parts)


def section_features(b, n: int = 3) -> Fragment:
    """三、本月热线特点: (一) hot topics two per row, (二) 营商环境."""
    parts = [heading(numbered(n, SECTION_FEATURES)), heading(sub_numbered(1, SUB_HOT_TOPICS), 3)]
    topics = b.tables.get("hot_topics")
    if topics is not None and len(topics):
        parts.append(hot_topics_html(topics))
    parts.append(heading(sub_numbered(2, SUB_BUSINESS_ENV), 3))
    business = b.summary.get("business_environment") or {}
    if business:
        parts.append(business_env_html(business))
    else:
        parts.append(paragraph("本月无营商环境、行政效能类工单。"))
    return _frag(*parts)


def section_stories(b, n: int = 4) -> Fragment:
    """四、“接诉即办、未诉先办”专栏, then the line that points at the appendix."""
    stories = list(b.stories)
    body = stories_html(stories) if stories else paragraph("本月暂无专栏稿件。")
    return _frag(heading(numbered(n, SECTION_STORIES)), body,
                 paragraph(appendix_reference(b.settings), "attachment-ref"))


def section_appendix(b) -> Fragment:
    """附件: the ranking tables of 街道 and 区直部门, with 备注 and the bonus line."""
    parts = []
    tables = [(STREET, b.tables.get("units_streets")), (DEPARTMENT, b.tables.get("units_departments"))]
    tables = [(cat, df) for cat, df in tables if df is not None and len(df)]
    for i, (category, df) in enumerate(tables, start=1):
        part = appendix_table_html(i, category, df, b.settings, b.month)
        if i == 1:
            part = Fragment(part.replace('<section class="appendix-part">',
                                         '<section class="appendix-part">\n<p class="appendix-label">附件</p>', 1))
        if i == len(tables):
            bonus = b.sentences.get("bonus_note") or bonus_line(b.info.bonus)
            notes = _frag('<div class="notes">', paragraph(NOTE_UNRANKED, "note"),
                          paragraph(bonus, "note") if bonus else "", "</div>")
            part = Fragment(part.removesuffix("</section>") + notes + "\n</section>")
        parts.append(part)
    return _frag(*parts)


def section_rules(b) -> Fragment:
    """Closing section: the scoring rules in force, from the settings."""
    return rules_html(b.rules_text, b.settings.district)

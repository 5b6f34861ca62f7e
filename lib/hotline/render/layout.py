"""The bulletin's layout facts, in one place: the kinds of page (size, margins, type size,
line pitch, page numbers), the kinds of table (type size, padding, leading, what is never
broken, what is kept on one page) and every class the templates and writers use.

The stylesheet's page and table rules (templates/bulletin/layout.css.j2), the Typst template
(bulletin.typ reads ``doc.layout``, hotline.render.typeset hands it over) and the Word writer
(hotline.render.docx) all read them from here; tests/test_layout.py checks that every class a
template, the stylesheet or a writer uses is one of CLASSES.

Pages (GB/T 9704): A4, text block 156 × 225 mm (margins 37/35/28/26 mm), 3号 (16 pt) text
on 22 lines of 29 pt, "— 1 —" in 4号 (14 pt) 7 mm below the text block. The 附件 tables on
A4 landscape pages (§10): the portrait margins turned with the page, the binding edge (28 mm)
at the top, where the table's head is; page numbers as on the other pages, 4号, 7 mm below.
Light: the notebook's kernel imports it (no pandas, no nbconvert).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MM = 72 / 25.4  # points in a millimetre
A4_MM = (210, 297)
LINES, CHARS = 22, 28  # the portrait page's grid
PORTRAIT_SIZE = 16  # 3号


@dataclass(frozen=True)
class Page:
    """A kind of page. Lengths in mm, sizes in pt."""

    landscape: bool
    top: float
    bottom: float
    left: float
    right: float
    size: float  # the text's type size
    pitch: float  # the line pitch
    number: float = 14  # the page number's type size (4号)
    descent: float = 7  # the page number's top below the text block

    @property
    def width_mm(self) -> float:
        return A4_MM[1] if self.landscape else A4_MM[0]

    @property
    def height_mm(self) -> float:
        return A4_MM[0] if self.landscape else A4_MM[1]

    @property
    def text_width_pt(self) -> float:
        return (self.width_mm - self.left - self.right) * MM

    @property
    def text_height_pt(self) -> float:
        return (self.height_mm - self.top - self.bottom) * MM

    @property
    def tracking(self) -> float:
        """The spacing after each character (pt, negative: closer, in Word's twentieths of a
        point) that fits CHARS characters a line on the portrait grid (28 of 16 pt need 448 pt,
        the text block has 442): -0.25 pt there, 0 elsewhere."""
        if self.size != PORTRAIT_SIZE or self.landscape:
            return 0.0
        return math.floor((self.text_width_pt / CHARS - self.size) * 20) / 20


PORTRAIT = Page(landscape=False, top=37, bottom=35, left=28, right=26, size=16, pitch=29)
PAGES = {
    "portrait": PORTRAIT,
    # A4 turned sideways: the portrait's left (binding) edge at the top, its top at the right
    "landscape": Page(landscape=True, top=28, bottom=26, left=35, right=37, size=16, pitch=29),
    # the rules and the analysis flavour: the 公文 sheet with 12 pt text, so the pages after
    # the bulletin's keep its margins and page numbers
    "small": Page(landscape=False, top=37, bottom=35, left=28, right=26, size=12, pitch=19.2),
}
# The sections that begin a page of their own (the templates write these classes, the document
# tree parts the PDF and the Word document at them), and the kind of page each is set on.
PAGE_SECTIONS = {"appendix": "appendix-part", "rules": "rules", "analysis": "analysis", "drilldowns": "drilldowns",
                 "unit_page": "unit-page"}
BODY = "body"  # the part before the first page-starting section
PAGE_OF_SECTION = {BODY: "portrait", "appendix-part": "landscape", "rules": "small", "analysis": "small",
                   "drilldowns": "small", "unit-page": "small"}


@dataclass(frozen=True)
class TableKind:
    """A kind of table: PDF type size and cell padding (pt), line leading (em), the Word
    file's starting size (it steps down until the table fits, hotline.render.docx)."""

    size: float
    pad_x: float
    pad_y: float
    lead: float
    word_size: float


GRID_TABLE = TableKind(size=10.5, pad_x=3, pad_y=2, lead=0.35, word_size=12)
# first match in this order wins (a table has "grid" and its kind, a score table "scores city")
TABLES = {
    "orders": TableKind(size=7.5, pad_x=2, pad_y=1, lead=0.2, word_size=7.5),
    "months": TableKind(size=9.5, pad_x=3, pad_y=2, lead=0.35, word_size=12),
    "ranks": TableKind(size=8.5, pad_x=3, pad_y=2, lead=0.35, word_size=9),
    "items": TableKind(size=8.5, pad_x=3, pad_y=2, lead=0.35, word_size=9),
    "units": TableKind(size=9, pad_x=2.5, pad_y=2, lead=0.35, word_size=10.5),
    "city": TableKind(size=7.5, pad_x=1.5, pad_y=1.5, lead=0.25, word_size=10.5),
    "scores": TableKind(size=7.5, pad_x=1.5, pad_y=1.5, lead=0.25, word_size=10.5),
}
# Cells set on one line (CSS white-space: nowrap), by the cell's class, and by the table's class
# for a unit's name.
NOWRAP_CELLS = ("num", "sub", "total")
NOWRAP_UNIT_TABLES = ("scores", "units", "below", "ranks", "overview")
# No head is set narrower than HEAD_EMS characters a line; a score table's heads of these classes
# are set exactly that, as the seed's ("按时/签收", "工单/驳回"): no wider than that or their figures.
SHORT_HEADS = ("item", "lead", "tail")
HEAD_EMS = 2
KEEP_TABLES = ("topics", "business", "below")  # not split across pages, unless taller than a page
CENTRED_TABLES = ("changes",)  # as wide as their content, at least 60 % of the line, centred


def table_kind(cls: str) -> TableKind:
    """The kind of a table with the classes `cls` (its first listed class in TABLES)."""
    classes = set(cls.split())
    return next((kind for name, kind in TABLES.items() if name in classes), GRID_TABLE)


def typst_data() -> dict:
    """The facts the Typst template reads (doc.layout): pages and tables by name."""
    return {"pages": {name: {**asdict(p), "tracking": p.tracking, "text_width": p.text_width_pt,
                             "text_height": p.text_height_pt} for name, p in PAGES.items()},
            "page_of_section": PAGE_OF_SECTION,
            "tables": {"default": asdict(GRID_TABLE), **{name: asdict(k) for name, k in TABLES.items()}},
            "keep_tables": list(KEEP_TABLES)}


# Every class the templates, the stylesheet and the writers use, and what it marks.
CLASSES = {
    # the page and its parts
    "bulletin": "the bulletin's content (the stylesheet's scope)",
    "page": "the standalone page's <main>",
    "doc-head": "the red 版头", "remarks": "领导批示 space", "red-title": "the red title", "issue": "期号",
    "issuer-line": "发文机关 and date", "issuer": "发文机关", "date": "the 成文日期", "red-rule": "the red rule under the 版头", "red": "a red rule",
    **{cls: "a section that starts a page" for cls in PAGE_SECTIONS.values()},
    # headings and paragraphs
    "doc-title": "the bulletin's title", "analysis-title": "the analysis flavour's title",
    "appendix-title": "an 附件's title", "appendix-category": "an 附件 table's 类别 line",
    "appendix-label": "附件1 mark", "appendix-subtitle": "an 附件's subtitle",
    "rules-title": "the rules' title", "rules-lead": "the rules' opening line",
    "drilldowns-title": "the drill-downs' title", "unit-title": "a unit page's title", "deduction": "a deduction's head",
    "story": "a featured case", "story-title": "a case's title", "story-body": "a case's text",
    "attachment-ref": "附件说明 line", "continued": "a second 附件说明 line", "marker": "a line's number or 附件： mark",
    "noindent": "a paragraph without first-line indent", "note": "a note under a table", "notes": "the notes' block",
    "item": "a numbered line", "analysis-lead": "the analysis flavour's lead", "caption": "a chart's caption",
    "unit-facts": "a unit page's facts line", "category": "unresolved orders' category", "ids": "order numbers",
    "id": "one order number", "back": "a link back", "unresolved": "the unresolved orders",
    "analyst-text": "an analyst's paragraphs", "output-text": "an analyst's plain-text output",
    "chart": "a chart figure", "analyst-warnings": "the notebook's warnings to the analyst",
    "analyst-ok": "the notebook's all-clear", "added": "a line an analyst added", "links": "the index's links",
    # tables
    "table-wrap": "a table's scrolling wrapper", "grid": "a ruled table", "dataframe": "an analyst's pandas table",
    **{cls: "a kind of table" for cls in TABLES},
    "simple": "a one-head-row table", "topics": "hot topics", "business": "营商环境", "below": "units below the rate",
    "overview": "the analysis flavour's overview", "changes": "month-on-month changes",
    # cells
    "unit": "a unit's name (left, unbroken in ranking tables)", "num": "a figure", "sub": "a 小计",
    "total": "a 总分", "group": "a scoring group's head", "lead": "a lead column's head", "tail": "a tail column's head",
}

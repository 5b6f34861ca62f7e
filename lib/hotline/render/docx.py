"""The bulletin as a Word document (python-docx), laid out in the manner of GB/T 9704.

Made from the bulletin HTML through its document tree (hotline.render.doctree), so whatever
the notebook shows, the analyst's own outputs included, is in the document too.

- A4; margins 37/35/28/26 mm (top/bottom/left/right), a text block of 156 × 225 mm; body
  3号 (16 pt) 仿宋_GB2312 on Word's document grid of 22 lines × 28 characters.
- Fonts named as Chinese office PCs have them installed, each style setting the East-Asian
  font (``w:eastAsia``) as well as the Latin ones, and no theme fonts (python-docx's template
  has them; Word would otherwise show Chinese in a Japanese face): title 方正小标宋简体 2号,
  "一、" headings 黑体, "（一）" headings 楷体_GB2312, tables 仿宋_GB2312 with 黑体 heads.
- The red 版头 (title, issue, issuer and date, the red rule) from the page's ``header.doc-head``.
- Page numbers "— 1 —" in 4号 宋体 at the foot, outside: right on odd pages, left on even
  (``w:evenAndOddHeaders``).
- The 附件 tables on landscape pages (a section each), their grouped heads as merged cells,
  the head rows repeated on each page (``w:tblHeader``), rows not split across pages.
- Pictures: PNG, JPEG and GIF as they are; SVG (the analysis flavour's charts, an analyst's)
  as a 300 dpi PNG (resvg), which Word, WPS and LibreOffice all show, with the SVG beside it as
  Word 2016's SVG picture (``asvg:svgBlip``).
- A clean package: no stylesWithEffects, thumbnail or custom XML from python-docx's template,
  theme fonts resolved for zh-CN, a font table of the 公文 faces with their English names and
  substitution hints, app.xml naming this program; an OOXML validator finds no error.
- The same bytes on every run: core properties dated by the bulletin's date, zip entries
  with a fixed date.

Styles have names an analyst can restyle in Word (Heading 1, Heading 2, 版头, 附件标题, …).
"""

from __future__ import annotations

import functools
import io
import zipfile
from typing import Any

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part as OpcPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.oxml.table import CT_Tbl
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml import etree

from hotline.render import columns, doctree, fonts, layout
from hotline.render.doctree import Block, Cell, Grid, Heading, Image, Masthead, Paragraph, Rule, Run, Table

# --------------------------------------------------------------------------- the page

PAGE_W, PAGE_H = Mm(layout.A4_MM[0]), Mm(layout.A4_MM[1])
PORTRAIT, LANDSCAPE = layout.PAGES["portrait"], layout.PAGES["landscape"]
HEADER_DISTANCE = Mm(15)
LINES, CHARS = layout.LINES, layout.CHARS
BODY_PT = PORTRAIT.size  # 三号
LINE_PT = PORTRAIT.pitch  # a line of the grid, about (grid_figures)


def footer_distance(page: layout.Page) -> int:
    """The footer's distance from the page's foot (EMU) that puts the page number's top
    `page.descent` below the text block (a number's line is 1.2 × its size)."""
    return Mm(page.bottom - page.descent) - Pt(page.number * 1.2)


# The 公文 faces by the names Chinese office PCs know them by (the district's defaults,
# hotline.inputs.settings.Fonts; the font table's hints are for these).
XBS = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

W14_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def text_width() -> int:
    return Mm(PORTRAIT.width_mm - PORTRAIT.left - PORTRAIT.right)


def grid_figures() -> tuple[int, float]:
    """(linePitch in twips, the pitch of CHARS characters a line in pt) of the text block's grid."""
    height_pt, width_pt = PORTRAIT.text_height_pt, PORTRAIT.text_width_pt
    return round(height_pt / LINES * 20), width_pt / CHARS


# Character spacing of text on the grid, in twentieths of a point: CHARS characters of BODY_PT fit a line.
GRID_SQUEEZE = round(PORTRAIT.tracking * 20)


# --------------------------------------------------------------------------- styles

# style name → (font role (hotline.render.fonts.ROLES), size pt, alignment, first-line indent in characters, bold, extra)
_PARAGRAPH_STYLES: dict[str, tuple[str, float, WD_ALIGN_PARAGRAPH | None, int, bool, dict[str, Any]]] = {
    "Normal": ("body", BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, False, {}),
    "Title": ("title", 22, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"before_pt": 2 * LINE_PT, "after_pt": LINE_PT, "grid": False}),
    "Heading 1": ("heading", BODY_PT, None, 2, False, {"outline": 0}),
    "Heading 2": ("subheading", BODY_PT, None, 2, False, {"outline": 1}),
    "Heading 3": ("body", BODY_PT, None, 2, True, {"outline": 2}),
    "版头批示": ("heading", 14, WD_ALIGN_PARAGRAPH.LEFT, 0, False, {"after_pt": 2 * LINE_PT, "grid": False}),
    "版头": ("title", 26, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"color": RED, "after_pt": LINE_PT / 2, "grid": False}),
    "期号": ("body", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"grid": False}),
    "发文机关": ("body", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0, False, {"grid": False}),
    "专栏标题": ("subheading", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0, True, {"keep": True}),
    "附件说明": ("body", BODY_PT, None, 2, False, {"before_pt": LINE_PT}),
    "附件标识": ("heading", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0, False, {"keep": True}),
    "附件标题": ("title", 18, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"keep": True, "grid": False}),
    "附件副标题": ("subheading", 14, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"keep": True}),
    "附件分类": ("heading", 14, WD_ALIGN_PARAGRAPH.LEFT, 0, False, {"keep": True}),
    "表注": ("body", 14, WD_ALIGN_PARAGRAPH.LEFT, 0, False, {"grid": False}),
    "Caption": ("heading", 12, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"grid": False}),
    "图片": ("body", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"grid": False, "keep": True}),
    "表格文字": ("table", 12, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"grid": False}),
    "表头文字": ("heading", 12, WD_ALIGN_PARAGRAPH.CENTER, 0, False, {"grid": False}),
    "Footer": ("page_number", PORTRAIT.number, None, 0, False, {"grid": False}),
    "Header": ("page_number", PORTRAIT.number, None, 0, False, {"grid": False}),
}

# (tag level or class) → paragraph style
_HEADING_BY_CLASS = {"doc-title": "Title", "analysis-title": "Title", "appendix-title": "附件标题",
                     "appendix-category": "附件分类", "story-title": "专栏标题"}
_HEADING_BY_LEVEL = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
_PARAGRAPH_BY_CLASS = {"appendix-label": "附件标识", "appendix-subtitle": "附件副标题", "note": "表注",
                       "attachment-ref": "附件说明", "caption": "Caption"}
_NO_INDENT_CLASSES = {"noindent", "rules-lead", "analysis-lead", "unit-facts", "back", "category", "ids"}


def _set_fonts(rpr: BaseOxmlElement, family: str) -> None:
    """All four font slots of a w:rPr to `family`, theme fonts removed, East-Asian hint."""
    slots = rpr.find(qn("w:rFonts"))
    if slots is None:
        slots = OxmlElement("w:rFonts")
        rpr.insert(0, slots)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        slots.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        slots.set(qn(attr), family)
    slots.set(qn("w:hint"), "eastAsia")


def _clear(element: BaseOxmlElement, tag: str) -> None:
    found = element.find(qn(tag))
    if found is not None:
        element.remove(found)


def _define_styles(document: WordDocument, setup: fonts.FontSetup) -> None:
    """The document's defaults and its paragraph styles (_PARAGRAPH_STYLES) in the faces of `setup`."""
    _set_defaults(document.styles.element.find(qn("w:docDefaults")), setup)
    for name, spec in _PARAGRAPH_STYLES.items():
        _define_style(document.styles, name, spec, setup)


def _set_defaults(defaults: BaseOxmlElement, setup: fonts.FontSetup) -> None:
    """The w:docDefaults: explicit fonts instead of the template's theme fonts, the body's size,
    Chinese language, no paragraph defaults."""
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, setup.word_family("body"))
    for tag in ("w:sz", "w:szCs"):  # Word's grid counts characters of the default size
        _clear(rpr_default, tag)
        _append(rpr_default, tag, val=str(BODY_PT * 2))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    _order_rpr(rpr_default)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)


def _define_style(styles: Any, name: str, spec: tuple[str, float, WD_ALIGN_PARAGRAPH | None, int, bool, dict[str, Any]],
                  setup: fonts.FontSetup) -> None:
    """The paragraph style `name` set as `spec` (a _PARAGRAPH_STYLES entry) says, added if the template lacks it."""
    role, size, align, indent, bold, extra = spec
    style = _bare_style(styles, name)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = extra.get("color", RGBColor(0, 0, 0))
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, setup.word_family(role))
    _size_cs(rpr, size)
    pf = style.paragraph_format
    pf.widow_control = True
    if align is not None:
        pf.alignment = align
    ppr = style.element.get_or_add_pPr()
    ppr.append(_first_line_indent(indent, size))
    # in twips, never "lines": LibreOffice ignores w:beforeLines/w:afterLines
    pf.space_before = Pt(extra.get("before_pt", 0))
    pf.space_after = Pt(extra.get("after_pt", 0))
    if extra.get("grid", True) is False:
        pf.line_spacing = 1.0
        _append(ppr, "w:snapToGrid", val="0")
        _append(rpr, "w:spacing", val="0")  # not Normal's squeeze
    else:
        # 28 characters of 16 pt in a 156 mm line are 15.8 pt apart: Word squeezes them into
        # the grid, LibreOffice gives a character wider than its cell two cells (14 a line).
        # A quarter point less spacing fits them in LibreOffice and changes nothing in Word.
        _append(rpr, "w:spacing", val=str(GRID_SQUEEZE))
    _order_rpr(rpr)
    if "outline" in extra or extra.get("keep"):
        pf.keep_with_next = True
    if "outline" in extra:
        _append(ppr, "w:outlineLvl", val=str(extra["outline"]))
    _order_ppr(ppr)


def _bare_style(styles: Any, name: str) -> Any:
    """The paragraph style `name` (added if the template lacks it) with no run or paragraph
    properties, based on Normal (unless it is Normal) and followed by Normal."""
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    _clear(style.element, "w:rPr")
    _clear(style.element, "w:pPr")
    if name != "Normal":
        style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    return style


def _first_line_indent(chars: int, size: float) -> BaseOxmlElement:
    """A w:ind of `chars` characters of `size` pt on the first line, none at the sides."""
    ind = OxmlElement("w:ind")
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * size * 20))
    ind.set(qn("w:left"), "0")
    ind.set(qn("w:right"), "0")
    return ind


class _Writer:
    """A Word document being written: python-docx's Document, its styles defined in the faces of
    `setup`, and their ids by name (python-docx's own lookup by style object scans every style
    each time: seconds for a few hundred table cells)."""

    def __init__(self, setup: fonts.FontSetup) -> None:
        self.document = new_document()
        _define_styles(self.document, setup)
        self._style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """The id of the style `name`."""
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def styled(self, paragraph: WordParagraph, name: str) -> WordParagraph:
        """`paragraph`, given the style `name`."""
        paragraph._p.get_or_add_pPr().style = self.style_id(name)
        return paragraph

    def paragraph(self, name: str, text: str = "") -> WordParagraph:
        """A new paragraph at the document's end in the style `name`."""
        return self.styled(self.document.add_paragraph(text), name)


def _half_points(size: float) -> str:
    """A type size in pt as Word's w:szCs holds it (the size of Chinese text), in half points."""
    return str(round(size * 2))


def _size_cs(rpr: BaseOxmlElement, size: float) -> None:
    _clear(rpr, "w:szCs")
    sz_cs = OxmlElement("w:szCs")
    sz_cs.set(qn("w:val"), _half_points(size))
    sz = rpr.find(qn("w:sz"))
    if sz is not None:
        sz.addnext(sz_cs)
    else:
        rpr.append(sz_cs)


def _append(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    """A new last child of `parent`: the element `tag` ("w:tc") with the attributes `attrs` (in the
    w: namespace, in their order), of python-docx's class for it."""
    return etree.SubElement(parent, _qn(tag), {_qn(f"w:{k}"): v for k, v in attrs.items()})


_qn = functools.cache(qn)  # a Word table's tens of thousands of elements use a dozen names


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _in_schema_order(element: BaseOxmlElement, order: list[str]) -> None:
    """Put `element`'s children in the order the schema lists them (`order`: local names)."""
    rank = {qn(f"w:{t}"): i for i, t in enumerate(order)}
    children = list(element)
    for child in children:
        element.remove(child)
    for child in sorted(children, key=lambda c: rank.get(c.tag, len(rank))):
        element.append(child)


def _order_rpr(rpr: BaseOxmlElement) -> None:
    _in_schema_order(rpr, _RPR_ORDER)


# w:pPr children in the order the schema wants them (Word refuses other orders).
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]


def _order_ppr(ppr: BaseOxmlElement) -> None:
    _in_schema_order(ppr, _PPR_ORDER)


# --------------------------------------------------------------------------- sections


def _set_up_section(section: Section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    page = LANDSCAPE if landscape else PORTRAIT
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Mm(getattr(page, side)))
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = footer_distance(page)
    section.gutter = Mm(0)
    sect = section._sectPr
    _clear(sect, "w:docGrid")
    grid = OxmlElement("w:docGrid")
    if landscape:  # tables: no grid, rows as tall as their text
        grid.set(qn("w:linePitch"), "312")
    else:
        # Lines only: Word, WPS and LibreOffice all keep 22 lines; the 28 characters a line come
        # from the body's character spacing (GRID_SQUEEZE), since LibreOffice spreads the
        # characters of a justified line over a character grid ("管 理 局 、 …").
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(grid_figures()[0]))
    sect.append(grid)


def _page_number(paragraph: WordParagraph) -> None:
    """"— n —" with a PAGE field."""
    def run(text: str | None = None) -> WordRun:
        r = paragraph.add_run(text)
        return r

    run("— ")
    begin = run()._r
    _append(begin, "w:fldChar", fldCharType="begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    _append(run()._r, "w:fldChar", fldCharType="separate")
    run("1")
    _append(run()._r, "w:fldChar", fldCharType="end")
    run(" —")


def _footers(writer: _Writer) -> None:
    writer.document.settings.odd_and_even_pages_header_footer = True
    section = writer.document.sections[0]
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        writer.styled(p, "Footer")
        p.alignment = align
        setattr(p.paragraph_format, f"{side}_indent", Pt(PORTRAIT.number))  # one character in
        _page_number(p)
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        writer.styled(header.paragraphs[0], "Header")


# --------------------------------------------------------------------------- text


def _add_runs(p: BaseOxmlElement, runs: list[Run], size: float | None = None, bold: bool | None = None) -> None:
    """The tree's `runs` at the end of the paragraph element `p`, a line break between lines;
    `size` in pt (also for Chinese text), `bold` on all of them."""
    sizes = {"sz": ST_HpsMeasure.convert_to_xml(Pt(size)), "szCs": _half_points(size)} if size is not None else {}
    for run in runs:
        # the run properties in the schema's order (b, i, sz, szCs, vertAlign)
        props: list[tuple[str, dict[str, str]]] = [("b", {})] if run.bold or bold else []
        props += [("i", {})] if run.italic else []
        props += [(name, {"val": val}) for name, val in sizes.items()]
        props += [("vertAlign", {"val": "superscript" if run.sup else "subscript"})] if run.sup or run.sub else []
        for i, line in enumerate(run.text.split("\n")):
            if i:
                _append(_append(p, "w:r"), "w:br")
            if not line:
                continue
            r = _append(p, "w:r")
            if props:
                rpr = _append(r, "w:rPr")
                for name, attrs in props:
                    _append(rpr, f"w:{name}", **attrs)
            if "\t" in line or "\r" in line:
                r.text = line  # python-docx's CT_R: a tab as w:tab
                continue
            t = _append(r, "w:t")
            t.text = line
            if line != line.strip():
                t.set(_qn("xml:space"), "preserve")


def _heading_style(block: Heading) -> str:
    for cls in block.cls.split():
        if cls in _HEADING_BY_CLASS:
            return _HEADING_BY_CLASS[cls]
    return _HEADING_BY_LEVEL.get(block.level, "Heading 3")


def _paragraph_style(block: Paragraph) -> str:
    for cls in block.cls.split():
        if cls in _PARAGRAPH_BY_CLASS:
            return _PARAGRAPH_BY_CLASS[cls]
    return "Normal"


def _masthead(writer: _Writer, m: Masthead) -> None:
    if m.remarks:
        writer.paragraph("版头批示", m.remarks)
    writer.paragraph("版头", m.title)
    if m.issue:
        writer.paragraph("期号", m.issue)
    # issuer one character in at the left, date one character in at the right (a right tab),
    # the red rule as wide as the text block under them
    p = writer.paragraph("发文机关")
    p.paragraph_format.tab_stops.add_tab_stop(Emu(text_width() - Pt(BODY_PT)), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("\u3000" + m.issuer + "\t" + m.date)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    _append(bdr, "w:bottom", val="single", sz="12", space="6", color="FF0000")
    ppr.append(bdr)
    _order_ppr(ppr)


def _rule(writer: _Writer, block: Rule) -> None:
    p = writer.paragraph("表注")
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    red = "red" in block.cls
    _append(bdr, "w:bottom", val="single", sz="12" if red else "6", space="1", color="FF0000" if red else "000000")
    ppr.append(bdr)
    _order_ppr(ppr)


# --------------------------------------------------------------------------- tables


NARROW_EMS = 0.6  # figures and Latin in 仿宋, the tables' face


def _em(text: str) -> float:
    """Width of a line of text in ems (hotline.render.columns.ems) in the tables' face."""
    return columns.ems(text, NARROW_EMS)


_WRAP_EMS = 12  # text longer than this wraps: a column is not made wider for it
_CELL_PAD_PT = 2.5
MIN_TABLE_PT = 7.5  # 六号


def _min_ems(cell: Cell, ems: float) -> float:
    """The narrowest a cell's text may be set, in ems: figures and unit names on one line
    (as the stylesheet's nowrap), heads and long text broken between Chinese characters."""
    if not cell.header and ems <= _WRAP_EMS:
        return ems
    latin = columns.widest_unbroken(cell.text, NARROW_EMS)
    return max(min(ems, layout.HEAD_EMS), latin)


def _column_widths(table: Table, size: float, grid: Grid) -> tuple[list[float], list[float]]:
    """Each column's (narrowest, natural) width in points at font size `size` (hotline.render.columns);
    `grid` is table.grid()."""
    pad = 2 * _CELL_PAD_PT + 2

    def measure(cell: Cell) -> tuple[float, float]:
        ems = max((_em(line) for line in cell.text.split("\n")), default=0)
        scale = size * (1.08 if cell.header else 1.0)  # bold heads are a little wider
        return _min_ems(cell, ems) * scale + pad, min(ems, _WRAP_EMS) * scale + pad

    return columns.bounds(table, measure, pad + size, grid)


def _tbl_borders(tbl: CT_Tbl) -> None:
    tblpr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _append(borders, f"w:{side}", val="single", sz="4", space="0", color="000000")
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        _append(margins, f"w:{side}", w=str(round(_CELL_PAD_PT * 20)), type="dxa")
    tblpr.append(margins)
    _in_schema_order(tblpr, ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                             "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
                             "tblLayout", "tblCellMar", "tblLook"])


def _table(writer: _Writer, block: Table, available_pt: float) -> None:
    """A table of the tree at the document's end, its type made smaller until its columns fit
    `available_pt`. Its rows and cells are written as XML here: python-docx's cell API works
    out the table's whole grid on each call, and builds each element through a schema lookup
    (seconds for a city's 500-row tables)."""
    grid = block.grid()
    if not grid or not grid[0]:
        return
    size, widths = _fitted(block, available_pt, grid)
    n_cols = len(grid[0])
    table = writer.document.add_table(rows=0, cols=n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _tbl_borders(table._tbl)
    for gc, w in zip(table._tbl.tblGrid.gridCol_lst, widths):
        gc.w = Twips(round(w * 20))
    # A merged cell's rows below its first keep python-docx's even share of the text width, as
    # Word ignores it there.
    even = Emu(writer.document._block_width // n_cols).twips
    for r, row in enumerate(grid):
        tr = _append(table._tbl, "w:tr")
        _row_properties(tr, block.rows[r].header)
        for c, slot in enumerate(row):
            if slot is None:  # no cell of the tree reaches here
                _cell_element(tr, round(widths[c] * 20))
            elif c == 0 or row[c - 1] != slot:
                span = next((k for k in range(c, n_cols) if row[k] != slot), n_cols) - c
                if slot[0] < r:
                    _cell_element(tr, even * span, span, "continue")
                else:
                    below = r + 1 < len(grid) and grid[r + 1][c] == slot
                    tc = _cell_element(tr, round(sum(widths[c:c + span]) * 20), span,
                                       "restart" if below else None)
                    _fill(writer, tc, block.rows[slot[0]].cells[slot[1]], size)


def _cell_element(tr: BaseOxmlElement, width: int, span: int = 1, merge: str | None = None) -> BaseOxmlElement:
    """A w:tc at the end of the row `tr`, `width` twips wide over `span` columns; `merge`: first
    ("restart") or later ("continue") row of a cell spanning rows. Its one paragraph is empty."""
    tc = _append(tr, "w:tc")
    tcpr = _append(tc, "w:tcPr")
    _append(tcpr, "w:tcW", type="dxa", w=str(width))
    if span > 1:
        _append(tcpr, "w:gridSpan", val=str(span))
    if merge == "restart":
        _append(tcpr, "w:vMerge", val=merge)
    elif merge == "continue":
        _append(tcpr, "w:vMerge")
    _append(tc, "w:p")
    return tc


def _fitted(block: Table, available_pt: float, grid: Grid) -> tuple[float, list[float]]:
    """(font size in pt, column widths in pt) of a table (its grid: block.grid()): the tables' size,
    or half a point smaller at a time (not below MIN_TABLE_PT) until its narrowest columns fit `available_pt`."""
    size = layout.table_kind(block.cls).word_size
    narrowest, natural = _column_widths(block, size, grid)
    while sum(narrowest) > available_pt and size > MIN_TABLE_PT:
        size -= 0.5
        narrowest, natural = _column_widths(block, size, grid)
    return size, columns.fit(narrowest, natural, available_pt)


def _row_properties(tr: BaseOxmlElement, header: bool) -> None:
    """A row never split across pages; a head row repeated on each page."""
    trpr = _append(tr, "w:trPr")
    _append(trpr, "w:cantSplit")
    if header:
        _append(trpr, "w:tblHeader")


def _fill(writer: _Writer, tc: BaseOxmlElement, cell: Cell, size: float) -> None:
    """The Word cell `tc` given the text of the tree's `cell` at `size` pt, centred but for
    unit names and long text (at the left)."""
    _append(tc.find(qn("w:tcPr")), "w:vAlign", val="center")
    p = tc.find(qn("w:p"))
    ppr = _append(p, "w:pPr")
    _append(ppr, "w:pStyle", val=writer.style_id("表头文字" if cell.header else "表格文字"))
    if not cell.header and "unit" in cell.cls.split() or _em(cell.text) > _WRAP_EMS:
        _append(ppr, "w:jc", val="left")
    _add_runs(p, cell.runs, size=size)


# --------------------------------------------------------------------------- pictures


# An SVG's size where it gives none: matplotlib's default figure (6 × 4 in).
DEFAULT_SVG_PT = (432.0, 288.0)


PICTURE_DPI = 300  # print resolution of an SVG chart's PNG


@functools.lru_cache(maxsize=16)  # a run draws its charts' PNGs while the kernel works on (pre_rasterize)
def svg_png(svg: bytes) -> bytes:
    """An SVG (the charts: text drawn as paths) as a PNG at PICTURE_DPI, the same bytes each time."""
    import resvg_py  # only for SVG pictures (the analysis flavour's charts, an analyst's chart)

    return bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), dpi=PICTURE_DPI,
                                       skip_system_fonts=True))


def pre_rasterize(outputs: list[dict[str, Any]]) -> None:
    """Draw the PNGs of the SVG pictures among a notebook cell's `outputs` (an SVG output, or an
    HTML one with SVG data: URIs, as the analysis charts), so that the Word document, written
    later, finds them made (svg_png keeps them). A picture that fails here fails there, named."""
    for output in outputs:
        data = output.get("data", {})
        if "image/svg+xml" in data:
            svg_png(data["image/svg+xml"].encode("utf-8"))  # as the page template embeds it
        elif "data:image/svg+xml" in data.get("text/html", ""):
            for part in doctree.parse(data["text/html"]).parts:
                for block in part.blocks:
                    if isinstance(block, Image) and block.mime == "image/svg+xml":
                        svg_png(block.data)


def _picture(writer: _Writer, block: Image, available_pt: float) -> None:
    p = writer.paragraph("图片")
    run = p.add_run()
    size = block.natural_size_pt
    if block.mime == "image/svg+xml":
        # the PNG is what Word, WPS and LibreOffice show; Word 2016+ prefers the SVG beside it
        w_pt, h_pt = size or DEFAULT_SVG_PT
        width = min(w_pt, available_pt)
        run.add_picture(io.BytesIO(svg_png(block.data)), width=Pt(width), height=Pt(h_pt * width / w_pt))
        _attach_svg(writer.document, run, block.data)
        return
    if block.mime not in {"image/png", "image/jpeg", "image/gif"}:
        if block.alt:
            p.add_run(block.alt)
        return
    w_pt = size[0] if size else available_pt
    run.add_picture(io.BytesIO(block.data), width=Pt(min(w_pt, available_pt)))


def _attach_svg(document: WordDocument, run: WordRun, svg: bytes) -> None:
    """The SVG as the picture's own (Office 2016 extension); the PNG under it is the fallback."""
    package = document.part.package
    partname = package.next_partname("/word/media/image%d.svg")
    part = OpcPart(PackURI(partname), "image/svg+xml", svg, package)
    rid = document.part.relate_to(part, RT.IMAGE)
    blip = run._r.find(".//" + qn("a:blip"))
    ext_lst = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", W14_SVG_EXT)
    svg_blip = ext.makeelement(f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
    svg_blip.set(qn("r:embed"), rid)
    ext.append(svg_blip)
    ext_lst.append(ext)
    blip.append(ext_lst)


# --------------------------------------------------------------------------- the package

# The 公文 faces, with the names an English-language system knows them by and the hints Word
# and WPS use to substitute a missing face (charset 86 = GB2312). A face a district names that
# is not here is listed by its name alone.
FONT_TABLE = {
    XBS: ("FZXiaoBiaoSong-B05S", "02000000000000000000", "script", "variable"),
    FANGSONG: ("FangSong_GB2312", "02010609030101010101", "modern", "fixed"),
    KAITI: ("KaiTi_GB2312", "02010609030101010101", "modern", "fixed"),
    HEITI: ("SimHei", "02010609060101010101", "modern", "fixed"),
    SONGTI: ("SimSun", "02010600030101010101", "auto", "variable"),
    "Times New Roman": (None, "02020603050405020304", "roman", "variable"),
}
# Parts of python-docx's template a bulletin does not need: a stale copy of the styles (Word
# would offer to repair it), a blank thumbnail, an empty custom XML item.
_DROPPED = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML, RT.THUMBNAIL)
APPLICATION = "hotline-bulletin"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _drop_parts(document: WordDocument) -> None:
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in _DROPPED:
                rels.pop(rid)


def _font_table(document: WordDocument, setup: fonts.FontSetup) -> None:
    """The font table: the faces the styles name, the 公文 ones with their English names and
    substitution hints, and Times New Roman."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.Element(qn("w:fonts"), nsmap={"w": W_NS})
    named = {setup.word_family(role) for role in fonts.ROLES}
    hinted = [(name, hints) for name, hints in FONT_TABLE.items() if name in named or not hints[0]]
    others = sorted(named - set(FONT_TABLE))
    for name, (alt, panose, family, pitch) in [*hinted, *((name, (name, None, "auto", "variable")) for name in others)]:
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        if alt and alt != name:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        if panose:
            etree.SubElement(font, qn("w:panose1"), {qn("w:val"): panose})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86" if alt else "00"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): pitch})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _extended_properties(document: WordDocument) -> None:
    """app.xml saying what made the file (python-docx's template says a Mac Word of one page)."""
    part = next(r.target_part for r in document.part.package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES)
    root = etree.Element(f"{{{_EXTENDED_NS}}}Properties", nsmap={None: _EXTENDED_NS})
    etree.SubElement(root, f"{{{_EXTENDED_NS}}}Application").text = APPLICATION
    etree.SubElement(root, f"{{{_EXTENDED_NS}}}DocSecurity").text = "0"
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_language(document: WordDocument) -> None:
    """Theme fonts resolved for Simplified Chinese (the template's ja-JP gives ＭＳ 明朝)."""
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is None:
        lang = _append(document.settings.element, "w:themeFontLang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _clean_package(document: WordDocument, setup: fonts.FontSetup) -> None:
    _drop_parts(document)
    _font_table(document, setup)
    _extended_properties(document)
    _theme_language(document)


# --------------------------------------------------------------------------- the document


def build(doc: doctree.Document, setup: fonts.FontSetup | None = None) -> WordDocument:
    """The python-docx Document of a document tree, its styles naming the faces of `setup`
    (default: the 公文 faces, hotline.inputs.settings.Fonts)."""
    setup = setup or fonts.default_setup()
    writer = _Writer(setup)
    document = writer.document
    section = document.sections[0]
    _set_up_section(section, landscape=False)
    _footers(writer)
    body = document.element.body
    # the template's empty first paragraph, if any
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    for i, part in enumerate(doc.parts):
        if i:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            _set_up_section(section, part.landscape)
        available = _text_width_pt(section)
        for block in part.blocks:
            _block(writer, block, available)
        if part.blocks and isinstance(part.blocks[-1], Table) and i + 1 < len(doc.parts):
            # a section break right after a table needs a paragraph to sit in
            writer.paragraph("表注")
    _core_properties(document, doc)
    _clean_package(document, setup)
    return document


def _text_width_pt(section: Section) -> float:
    """The width between a section's margins, in points (_set_up_section sets all three)."""
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None
    return (width - left - right) / 12700


def _block(writer: _Writer, block: Block, available: float) -> None:
    if isinstance(block, Masthead):
        _masthead(writer, block)
    elif isinstance(block, Heading):
        p = writer.paragraph(_heading_style(block))
        _add_runs(p._p, block.runs)
    elif isinstance(block, Paragraph) and "attachment-ref" in block.cls.split():
        _attachment(writer, block)
    elif isinstance(block, Paragraph):
        p = writer.paragraph(_paragraph_style(block))
        if block.marker:
            p.add_run(block.marker + " ")
        if set(block.cls.split()) & _NO_INDENT_CLASSES:
            p.paragraph_format.first_line_indent = Pt(0)
            ind = p._p.get_or_add_pPr().find(qn("w:ind"))
            ind.set(qn("w:firstLineChars"), "0")
        _add_runs(p._p, block.runs)
    elif isinstance(block, Table):
        _table(writer, block, available)
    elif isinstance(block, Image):
        _picture(writer, block, available)  # a figcaption follows as its own paragraph
    elif isinstance(block, Rule):
        _rule(writer, block)


def _attachment(writer: _Writer, block: Paragraph) -> None:
    """A line of the 附件说明 (GB/T 9704 7.3.4): "附件：1." two characters in, a tab to the name, the
    name's next lines hanging under its first character; a second 附件's "2." under the first's,
    with no blank line above it."""
    p = writer.paragraph("附件说明")
    continued = "continued" in block.cls.split()
    lead = 5 if continued else 2  # 附件： is three characters
    # the mark's width in characters (仿宋's half-width forms are half a character), and a little
    # more, so the tab always has room to end at the indent
    mark = columns.ems(block.marker, 0.5) + 0.25
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("left", lead + mark), ("hanging", mark)):
        ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))
        ind.set(qn(f"w:{attr}"), str(round(chars * BODY_PT * 20)))
    if continued:
        p.paragraph_format.space_before = Pt(0)
    p.add_run(block.marker + "\t")
    _add_runs(p._p, block.runs)


def _core_properties(document: WordDocument, doc: doctree.Document) -> None:
    props = document.core_properties
    when = doc.created()
    issuer = next((b.issuer for b in doc.blocks if isinstance(b, Masthead)), "")
    props.title = doc.title
    props.subject = ""
    props.author = issuer
    props.last_modified_by = issuer
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    props.language = doc.lang


def deterministic(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE (python-docx stamps the time of writing)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            out.writestr(entry, src.read(info.filename), compresslevel=6)
    return buf.getvalue()


def tree_to_docx(doc: doctree.Document, setup: fonts.FontSetup | None = None) -> bytes:
    """The Word document of a document tree, in the faces of `setup`."""
    document = build(doc, setup)
    buf = io.BytesIO()
    document.save(buf)
    return deterministic(buf.getvalue())


def html_to_docx(html: str, setup: fonts.FontSetup | None = None) -> bytes:
    """The Word document of a bulletin page (hotline.render.exporters' HTML), in the faces of `setup`."""
    return tree_to_docx(doctree.parse(html), setup)

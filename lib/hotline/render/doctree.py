"""The bulletin HTML as a small typed document tree, for writers other than the browser.

The bulletin HTML (hotline.render.exporters) is what carries everything the notebook shows,
the analyst's own display outputs included; a writer that is not a browser (the Word
document, hotline.render.docx; a Typst PDF next) reads it through this tree rather than
from the code that made the markup. Only the markup's structure and the element classes
of the bulletin stylesheet (templates/bulletin/bulletin.css) are relied on:

- ``header.doc-head`` → :class:`Masthead` (版头: remarks, red title, issue, issuer and date);
- ``h1``–``h6`` → :class:`Heading` (``h1.doc-title`` is the document's title);
- ``p``, ``li``, ``figcaption`` and loose text in a ``div`` → :class:`Paragraph` of :class:`Run`\\ s
  (``small`` text a run of its own; ``pre`` keeps its line breaks and spaces: ``preformatted``);
- ``table`` → :class:`Table` of :class:`Row`\\ s of :class:`Cell`\\ s (colspan, rowspan; rows
  of ``thead`` are header rows, repeated on each page);
- ``img`` with a data: URI and inline ``svg`` → :class:`Image` (PNG, JPEG, GIF or SVG bytes);
- ``hr`` → :class:`Rule`;
- the sections that print on pages of their own (``section.appendix-part``: landscape 附件
  pages; ``section.rules``, ``section.analysis``, ``section.drilldowns``, ``section.unit-page``)
  start a new :class:`Part`; text after such a section starts a new part too, as the
  stylesheet's named pages do in the PDF. A part starts a new page unless the stylesheet
  says otherwise (``Part.new_page``: the first unit page follows the drill-downs' intro).

Nothing of the page's ``<head>`` (styles, fonts) is kept, except its date (``dcterms.created``).
Only the standard library: the HTML is the exporters' own, well formed.
"""

from __future__ import annotations

import base64
import html.parser
import re
import struct
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hotline.render.layout import BODY, MM, PAGE_OF_SECTION, PAGE_SECTIONS, PAGES

# Sections that print on a page (or pages) of their own (layout.PAGE_SECTIONS), and whether
# those are landscape (layout.PAGE_OF_SECTION).
PAGE_CLASSES = {cls: PAGES[PAGE_OF_SECTION[cls]].landscape for cls in PAGE_SECTIONS.values()}

UNDATED = date(2000, 1, 1)  # the date of a document without one (Document.created)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"head", "style", "script", "title", "template", "noscript"}
# Paragraphs the print stylesheet hides (bulletin.css, @media print: p.back, a unit page's link back).
_PRINT_HIDDEN = {"back"}
_BLOCK = {"address", "article", "aside", "blockquote", "body", "dd", "details", "dl", "dt", "div", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
          "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "img", "svg"}
_TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"}
# Where the inline content gathered so far ends: at a block, and at a table's parts but its cells.
_STARTS_BLOCK = _BLOCK | (_TABLE_PARTS - {"th", "td"})
# The masthead's fields by the class that marks them in header.html.j2; and the elements holding them.
MASTHEAD_FIELDS = {"remarks": "remarks", "red-title": "title", "issue": "issue", "issuer": "issuer", "date": "date"}
_MASTHEAD_PARTS = {"header", "div", "span", "p"}
_BOLD = {"b", "strong", "th"}
_ITALIC = {"i", "em", "cite"}
_STYLING = _BOLD | _ITALIC | {"sup", "sub", "small"}  # the elements a run's style comes from (_Parser._style)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S | re.I)
_SVG_PLACEHOLDER = "hotline-svg:"


# --------------------------------------------------------------------------- the tree


@dataclass
class Run:
    """Text in one style; a line break (``<br>``) is a "\\n" in the text."""

    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False
    sub: bool = False
    small: bool = False  # in <small>: a size smaller than the text around it


class _Text:
    """A block of runs (Paragraph, Heading, Cell): its text is theirs, joined."""

    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join([r.text for r in self.runs])  # a list: join makes one of a generator anyway, slower


@dataclass
class Paragraph(_Text):
    runs: list[Run]
    cls: str = ""  # the element's classes ("note", "appendix-label", …; "caption" for a figcaption)
    marker: str = ""  # a list item's "1." or "•"; a <span class="marker"> opening a paragraph ("附件：1.")
    preformatted: bool = False  # a <pre>: its line breaks and spaces as written


@dataclass
class Heading(_Text):
    level: int  # 1–6, from h1–h6
    runs: list[Run]
    cls: str = ""


@dataclass
class Cell(_Text):
    """A table cell: what the sections write (hotline.render.sections, through table.html.j2) and
    what the parser reads back."""

    runs: list[Run]
    header: bool = False  # a th
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""


def text_cell(lines: Sequence[str], header: bool = False, colspan: int = 1, rowspan: int = 1, cls: str = "") -> Cell:
    """A cell of plain text in `lines`, as the parser reads it back from its <th> or <td>: a head's
    text bold (as a th is), no run when it is empty."""
    text = "\n".join(lines)
    return Cell([Run(text, bold=header)] if text else [], header, colspan, rowspan, cls)


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False  # in thead: repeated at the top of each page


# Each (row, column) slot of a table's grid: the (row, cell) index of the cell covering it, or None.
Grid = list[list[tuple[int, int] | None]]


@dataclass
class Table:
    rows: list[Row]
    cls: str = ""

    @property
    def header_rows(self) -> int:
        return sum(1 for row in self.rows if row.header)

    def grid(self) -> Grid:
        """Each (row, column) slot of the table's grid: the (row, cell) index of the cell that
        covers it (its own slot or one its colspan/rowspan reaches), None where a row is short."""
        if not any(cell.colspan > 1 or cell.rowspan > 1 for row in self.rows for cell in row.cells):
            # Most tables span nothing (a city's units' pages: hundreds of rows): each row's cells in order.
            n_cols = max((len(row.cells) for row in self.rows), default=0)
            return [[(r, i) for i in range(len(row.cells))] + [None] * (n_cols - len(row.cells))
                    for r, row in enumerate(self.rows)]
        slots: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for i, cell in enumerate(row.cells):
                while (r, c) in slots:
                    c += 1
                for dr in range(max(1, cell.rowspan)):
                    for dc in range(max(1, cell.colspan)):
                        slots[(r + dr, c + dc)] = (r, i)
                c += max(1, cell.colspan)
        n_rows = len(self.rows)
        n_cols = max((c + 1 for (r, c) in slots if r < n_rows), default=0)
        return [[slots.get((r, c)) for c in range(n_cols)] for r in range(n_rows)]


@dataclass
class Image:
    data: bytes
    mime: str  # image/png, image/jpeg, image/gif, image/svg+xml
    alt: str = ""
    cls: str = ""  # of the enclosing figure, if any

    @property
    def natural_size_pt(self) -> tuple[float, float] | None:
        """The picture's natural width and height in points (a CSS pixel is 0.75 pt): an SVG's
        width and height (its viewBox's where they are missing, as a browser sizes it), a PNG's
        or GIF's pixels; None when unknown (a JPEG, an SVG without either)."""
        if self.mime == "image/svg+xml":
            return _svg_size_pt(self.data)
        if self.mime == "image/png" and self.data[:8] == b"\x89PNG\r\n\x1a\n" and len(self.data) >= 24:
            width, height = struct.unpack(">II", self.data[16:24])
        elif self.mime == "image/gif" and self.data[:4] == b"GIF8" and len(self.data) >= 10:
            width, height = struct.unpack("<HH", self.data[6:10])
        else:
            return None
        return width * PT_PER_PX, height * PT_PER_PX


@dataclass
class Rule:
    cls: str = ""


@dataclass
class Masthead:
    """The 简报-style head (版头): remarks line, red title, issue, issuer and date, red rule; what
    hotline.render.sections writes (header.html.j2) and the parser reads back."""

    remarks: str = ""
    title: str = ""
    issue: str = ""
    issuer: str = ""
    date: str = ""


Block = Paragraph | Heading | Table | Image | Rule | Masthead


@dataclass
class Part:
    """Blocks that start on a new page (all but the first part), of one kind of page."""

    kind: str = BODY  # BODY, or the section's class (layout.PAGE_SECTIONS)
    landscape: bool = False
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = True  # False: goes on on the page before (bulletin.css: the first unit page)


@dataclass
class Document:
    parts: list[Part]
    title: str = ""
    date: str = ""  # ISO date of the page's dcterms.created, "" if none
    lang: str = "zh-CN"

    @property
    def blocks(self) -> list[Block]:
        return [b for part in self.parts for b in part.blocks]

    def created(self) -> datetime:
        """The document's date as its PDF and Word files record it: midnight UTC of `date`, or of
        UNDATED when the page has none (or one that does not parse): never the time of writing,
        so the same page always gives the same bytes."""
        try:
            day = datetime.fromisoformat(self.date).date() if self.date else UNDATED
        except ValueError:
            day = UNDATED
        return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --------------------------------------------------------------------------- pictures

PT_PER_PX = 0.75
_PT_PER_UNIT = {"pt": 1.0, "px": PT_PER_PX, "mm": MM, "cm": 10 * MM, "in": 72.0, "": PT_PER_PX}
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_SVG_ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_SVG_LENGTH = re.compile(r"^\s*([\d.]+)\s*(pt|px|mm|cm|in)?\s*$")


def _length_pt(value: str) -> float | None:
    """An SVG length ('432pt', '600', '10 mm') in points; None for none or a percentage."""
    m = _SVG_LENGTH.match(value)
    return float(m.group(1)) * _PT_PER_UNIT[m.group(2) or ""] if m else None


def _svg_size_pt(svg: bytes) -> tuple[float, float] | None:
    """Width and height in points of an SVG's outermost element (Image.natural_size_pt)."""
    tag = _SVG_TAG.search(svg[:4000].decode("utf-8", "replace"))
    attrs = dict(_SVG_ATTR.findall(tag.group(0))) if tag else {}
    width, height = _length_pt(attrs.get("width", "")), _length_pt(attrs.get("height", ""))
    box = [float(v) for v in re.split(r"[\s,]+", attrs.get("viewBox", "").strip())[2:4] if _SVG_LENGTH.match(v)]
    if width is not None and height is not None:
        return width, height
    if len(box) != 2 or 0 in box:
        return None
    if width is not None:
        return width, width * box[1] / box[0]
    if height is not None:
        return height * box[0] / box[1], height
    return box[0] * PT_PER_PX, box[1] * PT_PER_PX


LINE_BREAK = "\n\x00"  # a <br> among the runs being gathered: the collapsing of white space keeps it


def _collapsed(runs: list[Run]) -> list[Run]:
    """Runs as gathered (LINE_BREAK where a <br> was) with white space collapsed as a browser
    does, trimmed at the ends and next to line breaks, empty runs dropped."""
    if len(runs) == 1 and not _UNSETTLED.search(runs[0].text):
        return runs if runs[0].text else []  # one run, nothing to collapse or trim: most cells
    out: list[Run] = []
    for run in runs:
        pieces = run.text.split(LINE_BREAK)  # <br> markers survive the collapsing
        text = "\n".join(_SPACE.sub(" ", p) for p in pieces)
        if text:
            out.append(Run(text, run.bold, run.italic, run.sup, run.sub, run.small))
    # trim: leading/trailing spaces, and spaces next to line breaks
    joined_prev = ""
    for run in out:
        if joined_prev.endswith((" ", "\n")) or not joined_prev:
            run.text = run.text.lstrip(" ")
        joined_prev += run.text
    for run in reversed(out):
        run.text = run.text.rstrip(" ")
        if run.text:
            break
    for run in out:
        run.text = run.text.replace(" \n", "\n")
    return [r for r in out if r.text]


_UNSETTLED = re.compile(r"^[ \t\n\r\f]|[ \t\n\r\f]$|[ \t\n\r\f]{2}|[\t\n\r\f]")


def read_back(runs: Sequence[Run]) -> list[Run]:
    """The runs the parser reads back from `runs` written as markup, each run's text escaped in
    an element of its style ('\n' in a text written as <br>): adjacent runs of one style joined,
    white space collapsed as a browser does, the ends trimmed, empty runs dropped. What a writer
    that builds a page's tree beside its HTML (hotline.render.analysis's unit pages) puts in it."""
    joined: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if joined and _style_of(joined[-1]) == _style_of(run):
            joined[-1] = Run(joined[-1].text + run.text, *_style_of(run))
        else:
            joined.append(Run(run.text, *_style_of(run)))
    if not any(_UNSETTLED.search(run.text) for run in joined):
        return joined  # nothing to collapse (most cells: one line, single spaces)
    return _collapsed([Run(r.text.replace("\n", LINE_BREAK), *_style_of(r)) for r in joined])


def _style_of(run: Run) -> tuple[bool, bool, bool, bool, bool]:
    return run.bold, run.italic, run.sup, run.sub, run.small


def read_back_table(table: Table) -> Table:
    """`table` as the parser reads it back from table.html.j2's markup (its cells' runs: read_back):
    `table` itself when every cell reads back as it is (a unit page's tables, whose tree then
    shares them with the page: a city's pages would otherwise copy some 300,000 cells)."""
    if all(_reads_back_as_is(cell.runs) for row in table.rows for cell in row.cells):
        return table
    return Table([Row([Cell(read_back(cell.runs), cell.header, cell.colspan, cell.rowspan, cell.cls)
                       for cell in row.cells], row.header) for row in table.rows], table.cls)


def _reads_back_as_is(runs: list[Run]) -> bool:
    """Whether read_back gives `runs` unchanged: none, or one run of text with nothing to
    collapse or trim (text_cell's cell of one line of single spaces)."""
    return not runs or (len(runs) == 1 and bool(runs[0].text) and not _UNSETTLED.search(runs[0].text))


# --------------------------------------------------------------------------- parsing


def _classes(attrs: dict) -> list[str]:
    return (attrs.get("class") or "").split()


def _data_uri(src: str) -> tuple[str, bytes] | None:
    """(mime, bytes) of a data: URI, None for anything else (the bulletin fetches nothing)."""
    if not src.startswith("data:") or "," not in src:
        return None
    head, payload = src[5:].split(",", 1)
    parts = head.split(";")
    mime = parts[0].strip().lower() or "text/plain"
    try:
        data = base64.b64decode(payload) if "base64" in parts[1:] else urllib.parse.unquote_to_bytes(payload)
    except ValueError:
        return None
    return mime, data


class _Parser(html.parser.HTMLParser):
    def __init__(self, svgs: list[str]):
        super().__init__(convert_charrefs=True)
        self.svgs = svgs
        self.doc = Document(parts=[Part()])
        self.stack: list[tuple[str, dict]] = []  # open elements (tag, attrs)
        # Kept beside the stack, as a table's thousands of cells would have it walked at each:
        self.blocks: list[int] = []  # where in it the open _BLOCK elements are
        self.styling: list[str] = []  # its _STYLING elements, in order
        self.style: dict | None = None  # the style of text here, once worked out (_style)
        self.skip = 0  # depth inside head/style/script
        self.hidden_p = False  # inside a paragraph print hides (_PRINT_HIDDEN)
        self.runs: list[Run] = []  # the inline content being gathered
        self.inline_owner: tuple[str, dict] | None = None  # the block the runs belong to (tag, attrs)
        self.masthead: Masthead | None = None
        self.table_stack: list[Table] = []
        self.cell: Cell | None = None
        self.list_stack: list[list] = []  # [ordered, counter]
        self.figure_cls: list[str] = []
        self.parts_opened: list[int] = []  # stack depths of the open page sections
        self.pre = 0  # depth inside <pre>
        self.marker = ""  # the text of a <span class="marker"> that opens the paragraph being gathered

    # ---- helpers

    @property
    def part(self) -> Part:
        return self.doc.parts[-1]

    def _add(self, block: Block) -> None:
        if self.part.kind != BODY and not self.parts_opened:
            self.doc.parts.append(Part())  # back in the flow after a page section: a new page
        self.part.blocks.append(block)

    def _push(self, tag: str, attrs: dict) -> None:
        if tag in _BLOCK:
            self.blocks.append(len(self.stack))
        if tag in _STYLING:
            self.styling.append(tag)
            self.style = None
        self.stack.append((tag, attrs))

    def _pop(self) -> None:
        tag, _ = self.stack.pop()
        if self.blocks and self.blocks[-1] == len(self.stack):
            self.blocks.pop()
        if tag in _STYLING:
            self.styling.pop()
            self.style = None

    def _style(self) -> dict:
        if self.style is None:
            tags = set(self.styling)
            self.style = {"bold": bool(tags & _BOLD), "italic": bool(tags & _ITALIC), "sup": "sup" in tags,
                          "sub": "sub" in tags, "small": "small" in tags}
        return self.style

    def _text(self, text: str) -> None:
        if self.cell is None and self.table_stack:
            return  # white space between table parts
        style = self._style()
        if self.pre:
            # kept as written: line breaks as <br>, spaces as no-break spaces (not collapsed)
            text = text.replace("\r\n", "\n").replace("\t", "    ").replace("\n", LINE_BREAK).replace(" ", "\xa0")
        if self.runs and {k: getattr(self.runs[-1], k) for k in style} == style:
            self.runs[-1].text += text
        else:
            self.runs.append(Run(text, **style))

    def _take_runs(self) -> list[Run]:
        """The gathered runs with white space collapsed as a browser does, trimmed at the ends."""
        runs, self.runs = self.runs, []
        return _collapsed(runs)

    def _flush(self) -> None:
        """Loose inline content becomes a paragraph of the block it sits in."""
        if not self.runs:
            return
        if self.cell is not None:
            return  # a cell gathers all its content
        runs = self._take_runs()
        if runs:
            cls = " ".join(_classes(self.inline_owner[1])) if self.inline_owner else ""
            self._add(Paragraph(runs, cls))

    # ---- the parser's events

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if self._left_out(tag, attrs):
            return
        if tag in _STARTS_BLOCK and self.cell is None:
            self._flush()
        if tag in _VOID:
            opened = _OPEN_VOID.get(tag)
            if opened:
                opened(self, attrs)
            return
        self._push(tag, attrs)
        opened = _OPEN.get(tag)
        if opened:
            opened(self, attrs)
        if tag in _BLOCK and tag != "table":
            self.inline_owner = (tag, attrs)

    def _left_out(self, tag: str, attrs: dict) -> bool:
        """Whether an element opening here stays out of the tree: inside head/style/script (and
        those themselves), a <meta> (the page's date kept), a paragraph print hides."""
        if self.skip or tag in _SKIP:
            if tag in _SKIP:
                self.skip += 1
            return True
        if tag == "meta":
            if attrs.get("name") == "dcterms.created":
                self.doc.date = attrs.get("content", "")
            return True
        if tag == "p" and _PRINT_HIDDEN & set(_classes(attrs)):
            self.skip += 1
            self.hidden_p = True
            return True
        return False

    # ---- what an element does where it opens (_OPEN_VOID, _OPEN)

    def _open_br(self, attrs: dict) -> None:
        self._text(LINE_BREAK)

    def _open_hr(self, attrs: dict) -> None:
        if self.masthead is None:  # the 版头's red rule is the masthead's own
            self._add(Rule(" ".join(_classes(attrs))))

    def _open_header(self, attrs: dict) -> None:
        if "doc-head" in _classes(attrs):
            self.masthead = Masthead()

    def _open_section(self, attrs: dict) -> None:
        kind = next((c for c in _classes(attrs) if c in PAGE_CLASSES), None)
        if kind is None:
            return
        # a unit page inside the drill-downs after the first: a new page too; the first
        # goes on on the page of the drill-downs' intro (.unit-page:first-of-type)
        first_unit = kind == "unit-page" and self.part.kind == "drilldowns" and bool(self.parts_opened)
        # nothing before it (a unit's own page): no page to break from
        printed = any(part.blocks for part in self.doc.parts)
        self.doc.parts.append(Part(kind, PAGE_CLASSES[kind], new_page=printed and not first_unit))
        self.parts_opened.append(len(self.stack))

    def _open_table(self, attrs: dict) -> None:
        self.table_stack.append(Table([], " ".join(_classes(attrs))))

    def _open_tr(self, attrs: dict) -> None:
        if self.table_stack:
            self.table_stack[-1].rows.append(Row([], header=any(t == "thead" for t, _ in self.stack)))

    def _open_cell(self, attrs: dict) -> None:
        if not self.table_stack:
            return
        table = self.table_stack[-1]
        if not table.rows:
            table.rows.append(Row([]))
        self.cell = Cell([], header=self.stack[-1][0] == "th", colspan=_span(attrs.get("colspan")),
                         rowspan=_span(attrs.get("rowspan")), cls=" ".join(_classes(attrs)))
        table.rows[-1].cells.append(self.cell)

    def _open_list(self, attrs: dict) -> None:
        self.list_stack.append([self.stack[-1][0] == "ol", _span(attrs.get("start"))])

    def _open_figure(self, attrs: dict) -> None:
        self.figure_cls.append(" ".join(_classes(attrs)))

    def _open_pre(self, attrs: dict) -> None:
        self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg" or tag not in _VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._ends_left_out(tag) or not (self.stack and self.stack[-1][0] == tag or any(t == tag for t, _ in self.stack)):
            return  # nothing of the tree, or a stray end tag
        self._close_down_to(tag)
        self.inline_owner = self.stack[self.blocks[-1]] if self.blocks else None

    def _ends_left_out(self, tag: str) -> bool:
        """Whether an element ending here is out of the tree (_left_out) or a void one; the end of
        a left-out element counted off."""
        if tag in _SKIP or (tag == "p" and self.hidden_p):
            self.skip = max(0, self.skip - 1)
            self.hidden_p = self.hidden_p and tag != "p"
            return True
        return bool(self.skip) or tag in _VOID

    def _close_down_to(self, tag: str) -> None:
        """The open elements closed, innermost first, down to the innermost `tag`, with the page
        sections they opened."""
        while self.stack:
            open_tag, attrs = self.stack[-1]
            self._close(open_tag, attrs)
            self._pop()
            if self.parts_opened and self.parts_opened[-1] > len(self.stack):
                self.parts_opened.pop()
            if open_tag == tag:
                break

    def _close(self, tag: str, attrs: dict) -> None:
        """What the element `tag` ends: a field of the masthead, a cell, or a block (_CLOSE)."""
        if self.masthead is not None and tag in _MASTHEAD_PARTS:
            self._close_in_masthead(tag, _classes(attrs))
        elif tag in {"th", "td"} and self.cell is not None:
            self.cell.runs = self._take_runs()
            self.cell = None
        elif self.cell is None:  # inline markup inside a cell: the cell gathers its content
            _CLOSE.get(tag, _Parser._close_block)(self, tag, _classes(attrs))

    def _close_in_masthead(self, tag: str, cls: list[str]) -> None:
        """The masthead done (its </header>), or one of its fields, by its class (MASTHEAD_FIELDS)."""
        assert self.masthead is not None  # _close calls this inside a masthead only
        if tag == "header":
            self.runs = []
            self._add(self.masthead)
            self.masthead = None
            return
        text = "".join(r.text for r in self._take_runs()).strip()
        field_name = MASTHEAD_FIELDS.get(next(iter(cls), ""))
        if field_name:
            setattr(self.masthead, field_name, text)

    # ---- what an element ends (_CLOSE; the rest of _BLOCK: _close_block)

    def _close_span(self, tag: str, cls: list[str]) -> None:
        if "marker" in cls:
            self.marker = "".join(r.text for r in self._take_runs()).strip()

    def _close_table(self, tag: str, cls: list[str]) -> None:
        if not self.table_stack:
            self._close_block(tag, cls)
            return
        table = self.table_stack.pop()
        if table.rows:
            self._add(table)

    def _close_heading(self, tag: str, cls: list[str]) -> None:
        runs = self._take_runs()
        if runs:
            self._add(Heading(int(tag[1]), runs, " ".join(cls)))
            if tag == "h1" and "doc-title" in cls and not self.doc.title:
                self.doc.title = "".join(r.text for r in runs)

    def _close_li(self, tag: str, cls: list[str]) -> None:
        runs = self._take_runs()
        marker = ""
        if self.list_stack:
            ordered, n = self.list_stack[-1]
            marker = f"{n}." if ordered else "•"
            self.list_stack[-1][1] += 1
        if runs:
            self._add(Paragraph(runs, " ".join(cls), marker))

    def _close_list(self, tag: str, cls: list[str]) -> None:
        if not self.list_stack:
            self._close_block(tag, cls)
            return
        self._flush()
        self.list_stack.pop()

    def _close_figcaption(self, tag: str, cls: list[str]) -> None:
        runs = self._take_runs()
        if runs:
            self._add(Paragraph(runs, "caption"))

    def _close_figure(self, tag: str, cls: list[str]) -> None:
        if not self.figure_cls:
            self._close_block(tag, cls)
            return
        self._flush()
        self.figure_cls.pop()

    def _close_block(self, tag: str, cls: list[str]) -> None:
        """Any other block: its runs a paragraph (opened by its marker, if any)."""
        if tag not in _BLOCK:
            return
        runs, marker, self.marker = self._take_runs(), self.marker, ""
        if runs:
            self._add(Paragraph(runs, " ".join(cls), marker, preformatted=tag == "pre" or self.pre > 0))
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def _image(self, attrs: dict) -> None:
        src = attrs.get("src", "")
        alt = attrs.get("alt", "")
        found: tuple[str, bytes] | None
        if src.startswith(_SVG_PLACEHOLDER):
            found = ("image/svg+xml", self.svgs[int(src[len(_SVG_PLACEHOLDER):])].encode("utf-8"))
        else:
            found = _data_uri(src)
        if found is None or not found[0].startswith("image/"):
            if alt:
                self._text(alt)
            return
        image = Image(found[1], found[0], alt, self.figure_cls[-1] if self.figure_cls else "")
        if self.cell is not None:
            if alt:
                self._text(alt)  # no pictures inside cells: their text stands in
            return
        self._add(image)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._text(data)


# What an element does where it opens and where it ends, by its tag (the _Parser's handlers).
_OPEN_VOID = {"br": _Parser._open_br, "hr": _Parser._open_hr, "img": lambda parser, attrs: parser._image(attrs)}
_OPEN = {"header": _Parser._open_header, "section": _Parser._open_section, "table": _Parser._open_table,
         "tr": _Parser._open_tr, "th": _Parser._open_cell, "td": _Parser._open_cell, "ol": _Parser._open_list,
         "ul": _Parser._open_list, "figure": _Parser._open_figure, "pre": _Parser._open_pre}
_CLOSE = {"span": _Parser._close_span, "table": _Parser._close_table,
          **{f"h{level}": _Parser._close_heading for level in range(1, 7)}, "li": _Parser._close_li,
          "ol": _Parser._close_list, "ul": _Parser._close_list, "figcaption": _Parser._close_figcaption,
          "figure": _Parser._close_figure}


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except (TypeError, ValueError):
        return 1


def parse(page: str) -> Document:
    """The document tree of a bulletin page (or of any HTML fragment of the notebook's outputs)."""
    svgs: list[str] = []

    def lift(match: re.Match) -> str:
        svgs.append(match.group(0))
        return f'<img src="{_SVG_PLACEHOLDER}{len(svgs) - 1}" alt="">'

    parser = _Parser(svgs)
    parser.feed(_SVG.sub(lift, page))
    parser.close()
    parser._flush()
    doc = parser.doc
    doc.parts = [p for i, p in enumerate(doc.parts) if p.blocks or i == 0]
    return doc


def text_of(block: Block) -> list[str]:
    """Every piece of text a reader sees in a block (a table's cells one by one)."""
    if isinstance(block, Table):
        return [cell.text for row in block.rows for cell in row.cells]
    if isinstance(block, Masthead):
        return [block.remarks, block.title, block.issue, block.issuer, block.date]
    if isinstance(block, Image):
        return [block.alt] if block.alt else []
    if isinstance(block, Rule):
        return []
    marker = getattr(block, "marker", "")  # a Paragraph's; a Heading has none
    return [(marker + " " if marker else "") + block.text]

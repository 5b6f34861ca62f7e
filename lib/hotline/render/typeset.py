"""Bulletin HTML → PDF with Typst: the document tree handed to a Typst template as data.

The bulletin page is read into its document tree (hotline.render.doctree, as for the Word
document), so whatever the notebook shows, the analyst's own outputs included, is in the PDF.
The tree goes to Typst as JSON (``doc.json``) and its pictures as files, in a temporary
folder that is the compilation's root; the template (templates/typst/bulletin.typ) builds
the document from that data in Typst code. No text is ever read as Typst markup, so nothing
needs escaping. Typst lays out about a hundred pages a second on one core, in time linear
in the pages.

What Python works out here, the template cannot: the columns' widths of each table, as a
browser's automatic table layout would set them (each column between its narrowest and its
natural width; figures and unit names unbroken), and the pictures' natural widths
(doctree.Image.natural_size_pt, as for the Word document).

Typst sees only the bulletin fonts (hotline.render.fonts; no system fonts, so the PDF is the
same on any machine) and dates the PDF by the bulletin's publish date (``dcterms.created``):
the same page gives the same bytes on every run.
"""

from __future__ import annotations

import functools
import json
import logging
import operator
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from hotline.render import columns, doctree, fonts, layout
from hotline.render.doctree import Cell, Grid, Heading, Image, Masthead, Paragraph, Rule, Run, Table
from hotline.render.flavours import templates_dir

TEMPLATE = "typst/bulletin.typ"
log = logging.getLogger(__name__)

_IMAGE_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}


# --------------------------------------------------------------------------- text


_STYLES = ("bold", "italic", "sup", "sub", "small")
_styles_of = operator.attrgetter(*_STYLES)  # a run's flags, in the order of _STYLES


def runs_data(runs: list[Run]) -> list:
    """Runs as the template reads them: a plain run as its text, else {"text", and its styles}."""
    out = []
    for run in runs:
        styles = {name: True for name, on in zip(_STYLES, _styles_of(run)) if on}
        out.append({"text": run.text, **styles} if styles else run.text)
    return out


# --------------------------------------------------------------------------- tables


NARROW_EMS = 0.56  # figures and Latin in Noto Sans SC, the tables' face


def _em(text: str) -> float:
    """Width of a line of text in ems (hotline.render.columns.ems) in the tables' face."""
    return columns.ems(text, NARROW_EMS)


# Cached: the pages hold a few tables' and cells' classes, asked about for each text measured.
@functools.cache
def _nowrap(table_cls: str, cls: str, header: bool) -> bool:
    """Whether a cell of a table of the classes `table_cls` is kept on one line: a body cell's
    figures and totals (layout.NOWRAP_CELLS), a unit's name in a ranking table."""
    tclasses, cclasses = set(table_cls.split()), set(cls.split())
    return not header and (bool(cclasses & set(layout.NOWRAP_CELLS))
                           or ("unit" in cclasses and bool(tclasses & set(layout.NOWRAP_UNIT_TABLES))))


@functools.cache
def _short_head(table_cls: str, cls: str, header: bool) -> bool:
    """Whether a cell is a score table's head set as narrow as it may be (layout.SHORT_HEADS)."""
    return header and "scores" in table_cls.split() and bool(set(cls.split()) & set(layout.SHORT_HEADS))


def _narrowest_ems(text: str, natural: float, nowrap: bool) -> float:
    """The narrowest a cell's text may be set, in ems: its widest line (`natural`) when it is kept
    on one line, else its widest run of figures and Latin, or a character if it has a wide one."""
    if nowrap:
        return natural
    return max(columns.widest_unbroken(text, NARROW_EMS), 1.0 if columns.has_wide(text) else 0.0)


def column_bounds(table: Table, grid: Grid | None = None) -> tuple[list[float], list[float]]:
    """Each column's (narrowest, natural) width in points: unbroken figures and names, the
    widest line (hotline.render.columns); a head at least two characters a line, a score
    table's heads exactly that. `grid` is table.grid(), if the caller has it."""
    kind = layout.table_kind(table.cls)
    size = kind.size
    extra = 2 * kind.pad_x + 0.75

    # A table repeats its texts (dates, categories, figures): each (text, classes, head) is measured once.
    @functools.cache
    def measure(text: str, cls: str, header: bool) -> tuple[float, float]:
        natural = max(map(_em, text.split("\n")))
        narrowest = _narrowest_ems(text, natural, _nowrap(table.cls, cls, header))
        if header:  # a head is never one character a line ("排/名")
            narrowest = max(narrowest, min(natural, layout.HEAD_EMS))
        if _short_head(table.cls, cls, header):
            natural = narrowest
        return narrowest * size + extra, natural * size + extra

    return columns.bounds(table, lambda cell: measure(cell.text, cell.cls, cell.header), extra + size, grid)


def column_widths(table: Table, available: float, grid: Grid | None = None) -> list[float]:
    """Each column's width in points, the columns filling `available` (hotline.render.columns.fit)."""
    return columns.fit(*column_bounds(table, grid), available)


def _cell(cell: Cell, in_head: bool) -> str | dict[str, Any]:
    """A cell as the template reads it: its text when it is one plain line, else a dict."""
    if cell.colspan == 1 and cell.rowspan == 1 and (cell.header == in_head) and len(cell.runs) <= 1:
        if not cell.runs:
            return ""
        run = cell.runs[0]
        if "\n" not in run.text and not any(_styles_of(run)):
            return run.text
    data: dict = {"runs": runs_data(cell.runs)}
    if cell.colspan > 1:
        data["colspan"] = cell.colspan
    if cell.rowspan > 1:
        data["rowspan"] = cell.rowspan
    if cell.header and not in_head:
        data["header"] = True
    return data


def _table(table: Table, available: float, ascii: Sequence[float] = columns.ANY_FACE_ASCII) -> dict:
    """A table as the template reads it: its head and body cells, which rows are one line high
    (`ascii`: the widths of its face's ASCII, fonts.ascii_ems), which columns are set at the
    left, each column's share of the width, the width of a centred table (else None)."""
    classes = set(table.cls.split())
    grid = table.grid()
    width = None
    if classes & set(layout.CENTRED_TABLES):
        width = min(available, max(0.6 * available, sum(column_bounds(table, grid)[1])))
    widths = column_widths(table, width or available, grid)
    total = sum(widths) or 1
    head = next((r for r, row in enumerate(table.rows) if not row.header), len(table.rows))
    body = [[_cell(cell, False) for cell in row.cells] for row in table.rows[head:]]
    return {"t": "table", "cls": table.cls, "header_rows": head,
            "head": [_cell(cell, True) for row in table.rows[:head] for cell in row.cells],
            "body": [cell for row in body for cell in row],
            "lines": _one_line_rows(table, grid, head, body, widths, ascii),
            "left": _left_columns(table, grid, head), "widths": [round(w / total, 6) for w in widths],
            "width": round(width, 3) if width else None,
            "keep": bool(classes & set(layout.KEEP_TABLES))}


def _one_line_rows(table: Table, grid: Grid, head: int, body: list[list[str | dict[str, Any]]],
                   widths: list[float], ascii: Sequence[float]) -> list[bool]:
    """Whether each body row (`body`: the rows after the first `head`, as _cell gives them) is sure
    to be one line high: its cells plain text, each its column's alone, some not empty, every one
    narrower than its column (`widths`, pt) at its widest (columns.ems_at_most, `ascii`). The template
    gives such a row its height rather than have Typst lay its cells out twice to find it (a
    city's units' order lists: a fifth of their PDFs' time); [] when no row is."""
    kind = layout.table_kind(table.cls)
    # The ems a cell's line may take: its column less the padding, and a rule's width to spare
    # (Typst draws the rules on the cells' edges, taking nothing from the text).
    room = [(w - 2 * kind.pad_x - 0.75) / kind.size for w in widths]
    # A table repeats its texts (dates, categories, figures): each is bounded once.
    bound = functools.cache(lambda text: columns.ems_at_most(text, ascii))

    def fits(text: str, c: int) -> bool:
        most = bound(text)
        return most is not None and most <= room[c]

    lines = []
    for r, cells in enumerate(body, start=head):
        slots = grid[r]
        lines.append(len(cells) == len(slots) and any(cells)
                     and all(type(text) is str and fits(text, c) for c, text in enumerate(cells))
                     and all(slot == (r, c) for c, slot in enumerate(slots)))
    return lines if any(lines) else []


def _left_columns(table: Table, grid: Grid, head: int) -> list[bool]:
    """Whether each column of `table` (its grid, table.grid()) is set at the left: the columns of
    names (td.unit) and table.items' fifth (the rule), judged by the body's cells (the rows after
    the first `head`); a column's body cells share their alignment in the bulletin's tables."""
    left = [False] * (len(grid[0]) if grid else 0)
    items = "items" in table.cls.split()
    for r in range(head, len(table.rows)):
        cells = table.rows[r].cells
        for c, slot in enumerate(grid[r]):
            # A column found left is not looked at again: the units' pages' order lists run to hundreds of rows.
            if not left[c] and slot is not None and slot[0] == r:
                cell = cells[slot[1]]
                left[c] = not cell.header and ("unit" in cell.cls.split() or (items and c == 4))
    return left


# --------------------------------------------------------------------------- pictures


# --------------------------------------------------------------------------- the data


def _block(block: doctree.Block, available: float, images: list[tuple[str, bytes]], prefix: str = "",
           ascii: Sequence[float] = columns.ANY_FACE_ASCII) -> dict[str, Any] | None:
    if isinstance(block, Masthead):
        return {"t": "masthead", **asdict(block)}
    if isinstance(block, Heading):
        return {"t": "heading", "level": block.level, "cls": block.cls, "runs": runs_data(block.runs)}
    if isinstance(block, Paragraph):
        runs = list(block.runs)
        if block.preformatted and runs:
            runs[-1] = Run(runs[-1].text.rstrip("\n"), *_styles_of(runs[-1]))
        return {"t": "paragraph", "cls": block.cls, "marker": block.marker, "preformatted": block.preformatted,
                "runs": runs_data(runs)}
    if isinstance(block, Table):
        return _table(block, available, ascii) if block.rows else None
    if isinstance(block, Image):
        ext = _IMAGE_EXT.get(block.mime)
        if ext is None:
            return None
        name = f"{prefix}img-{len(images)}.{ext}"
        images.append((name, block.data))
        size = block.natural_size_pt
        return {"t": "image", "src": name, "alt": block.alt, "cls": block.cls,
                "width": round(min(size[0], available), 3) if size else None}
    if isinstance(block, Rule):
        return {"t": "rule", "cls": block.cls}
    return None


def fonts_data(setup: fonts.FontSetup) -> dict:
    """Each role's face as the template reads it: its family, the bundled face for characters it
    lacks, and whether it is a stand-in (a regular face, so the template draws bold where the 公文
    face is heavy itself)."""
    return {role: {"family": face.family, "fallback": fonts.stand_in(role).name, "stand_in": face.stand_in}
            for role, face in setup.roles.items()}


def document_data(doc: doctree.Document, prefix: str = "",
                  setup: fonts.FontSetup | None = None) -> tuple[dict, list[tuple[str, bytes]]]:
    """The template's data for a document tree set in the faces of `setup` (default: the
    stand-ins), and its pictures as (file name, bytes), their names starting with `prefix`.

    Parts that go on on the page before (Part.new_page false) join the page group before them."""
    setup = setup or fonts.default_setup()
    ascii = fonts.ascii_ems(setup)
    images: list[tuple[str, bytes]] = []
    pages: list[dict] = []
    for i, part in enumerate(doc.parts):
        available = layout.PAGES[layout.PAGE_OF_SECTION.get(part.kind, "portrait")].text_width_pt
        blocks = [b for b in (_block(block, available, images, prefix, ascii) for block in part.blocks) if b is not None]
        if pages and not part.new_page:
            pages[-1]["blocks"] += blocks
            continue
        if not blocks and i:
            continue
        first = i == 0 and bool(part.blocks) and isinstance(part.blocks[0], Masthead)
        pages.append({"kind": part.kind, "first": first, "blocks": blocks})
    return {"title": doc.title, "lang": doc.lang, "fonts": fonts_data(setup),
            "layout": layout.typst_data(), "pages": pages}, images


class Typesetter:
    """A Typst compiler kept open for many documents (a city's units' pages): the fonts are read
    once, not once a PDF. Each document's data and pictures go to files of their own in one
    folder (`root`, a temporary one unless given), named to the template through `sys.inputs`.
    Use as a context manager.

    `prepare` writes a document's files and `compile` sets them, so the two can run in different
    processes over one folder (hotline.render.pdf_workers); `pdf` does both.

    Typst reads the folders of `setup`'s faces (default: the bundled fonts alone), and the
    system's fonts only when the district asks for them (district.yaml → fonts.system)."""

    def __init__(self, setup: fonts.FontSetup | None = None, root: Path | None = None):
        self.setup = setup or fonts.default_setup()
        self.given_root = root
        self.compiler: Any = None

    def __enter__(self) -> Typesetter:
        self._tmp = None if self.given_root else tempfile.TemporaryDirectory(prefix="hotline-typst-")
        self.root = self.given_root or Path(self._tmp.name)  # type: ignore[union-attr]
        if not (self.root / "main.typ").is_file():
            (self.root / "main.typ").write_bytes((templates_dir() / TEMPLATE).read_bytes())
        self.count = 0
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def prepare(self, doc: doctree.Document) -> str:
        """Write the document's data and pictures into the folder; the name of its data file."""
        self.count += 1
        prefix = f"d{self.count}-"
        data, images = document_data(doc, prefix, self.setup)
        (self.root / f"{prefix}doc.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, payload in images:
            (self.root / name).write_bytes(payload)
        return f"{prefix}doc.json"

    def compile(self, name: str, timestamp: datetime) -> tuple[bytes, list[str]]:
        """The PDF of the prepared document `name`, dated `timestamp`, and Typst's warnings (e.g.
        a character none of the fonts has)."""
        if self.compiler is None:
            # typst (the compiler, a native module) loads only when a PDF is made, never in the notebook's kernel
            import typst

            self.compiler = typst.Compiler(str(self.root / "main.typ"), root=str(self.root),
                                           font_paths=list(self.setup.font_paths),
                                           ignore_system_fonts=not self.setup.system)
        pdf, warnings = self.compiler.compile_with_warnings(format="pdf", sys_inputs={"doc": name},
                                                           timestamp=timestamp)
        assert isinstance(pdf, bytes)  # format="pdf": one document (only PNG and SVG give a page each)
        return pdf, [str(getattr(warning, "message", warning)) for warning in warnings]

    def pdf(self, doc: doctree.Document) -> bytes:
        """The PDF of a document tree."""
        pdf, warnings = self.compile(self.prepare(doc), doc.created())
        for warning in warnings:
            log.warning("Typst: %s", warning)
        return pdf


def tree_to_pdf(doc: doctree.Document, setup: fonts.FontSetup | None = None) -> bytes:
    """The PDF of a document tree, set in the faces of `setup` (default: the stand-ins)."""
    with Typesetter(setup) as typesetter:
        return typesetter.pdf(doc)


def html_to_pdf(html: str, setup: fonts.FontSetup | None = None) -> bytes:
    """The PDF of a bulletin page (hotline.render.exporters' HTML), set in the faces of `setup`."""
    return tree_to_pdf(doctree.parse(html), setup)

